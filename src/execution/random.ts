/**
 * The execution's seeded random generator (sfc32, seeded through splitmix32). Its whole state is
 * four 32-bit integers kept in the Execution, so a run and its replay draw the same numbers:
 * task tokens, States.UUID, States.MathRandom, $random, $uuid, retry jitter, execution names.
 */

/** The generator's state: four unsigned 32-bit integers. */
export type RandomState = readonly [number, number, number, number];

/** The initial state for a seed (any finite number; its integer part is used). */
export function seedRandom(seed: number): RandomState {
  let s = Math.trunc(seed) >>> 0;
  const next = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  return [next(), next(), next(), next()];
}

/** A mutable cursor over a RandomState, for one decision; `state` is where it has got to. */
export interface RandomCursor {
  /** The next number in [0, 1). */
  readonly next: () => number;
  readonly state: () => RandomState;
  /** How many numbers have been drawn so far. */
  readonly drawn: () => number;
}

/** Starts drawing from `from`; the RandomState passed in is never changed. */
export function randomCursor(from: RandomState): RandomCursor {
  let [a, b, c, d] = from;
  let drawn = 0;
  return {
    next() {
      drawn += 1;
      const t = (((a + b) >>> 0) + d) >>> 0;
      d = (d + 1) >>> 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) >>> 0;
      c = ((c << 21) | (c >>> 11)) >>> 0;
      c = (c + t) >>> 0;
      return t / 4294967296;
    },
    state: () => [a, b, c, d],
    drawn: () => drawn,
  };
}
