/**
 * Deterministic randomness for States.MathRandom (seeded) and States.UUID. AWS's own numbers
 * cannot be reproduced (its recordings mask them), so a seed only promises the same number
 * every time, as the Developer Guide says.
 */

const TWO_POW_32 = 4294967296;

/**
 * A number in [0, 1) determined by an integer seed: the seed's low and high 32-bit words are
 * mixed with a 32-bit avalanche (the murmur3 finaliser), so near seeds give unrelated numbers.
 */
export function seededUnit(seed: number): number {
  const low = seed >>> 0; // ToUint32 reduces any finite number modulo 2^32
  const high = Math.floor(seed / TWO_POW_32) >>> 0;
  let h = low ^ Math.imul(high ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / TWO_POW_32;
}

/** An integer in [start, end) from a number in [0, 1); `end` must be greater than `start`. */
export function integerBetween(unit: number, start: number, end: number): number {
  const offset = Math.floor(unit * (end - start));
  // Guard against a generator that returns 1 or garbage: stay inside [start, end).
  return offset >= 0 && offset < end - start ? start + offset : start;
}

const HEX = "0123456789abcdef";

/** A version 4 (random) UUID, lowercase `xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx`, from 16 draws of `random`. */
export function uuidV4(random: () => number): string {
  let text = "";
  for (let i = 0; i < 16; i++) {
    let byte = Math.floor(random() * 256) & 0xff;
    if (i === 6) byte = (byte & 0x0f) | 0x40; // version 4
    if (i === 8) byte = (byte & 0x3f) | 0x80; // RFC 4122 variant
    if (i === 4 || i === 6 || i === 8 || i === 10) text += "-";
    text += HEX.charAt(byte >>> 4) + HEX.charAt(byte & 0x0f);
  }
  return text;
}
