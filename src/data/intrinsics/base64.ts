/**
 * Base64 (RFC 4648 alphabet, `=` padding) over the UTF-8 bytes of a text, for
 * States.Base64Encode and States.Base64Decode.
 */
import { parsed, rejected, type Parsed } from "../parsed.js";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Alphabet index of each character code; -1 for characters outside the alphabet. */
const INDEX: readonly number[] = Array.from({ length: 128 }, (_, code) => ALPHABET.indexOf(String.fromCharCode(code)));

const utf8Encoder = new TextEncoder();
// Java's decoder (which AWS runs on) replaces malformed UTF-8 with U+FFFD and keeps a BOM.
const utf8Decoder = new TextDecoder("utf-8", { ignoreBOM: true });

/** The Base64 text of the UTF-8 encoding of `text`, padded, without line breaks. */
export function encodeBase64(text: string): string {
  const bytes = utf8Encoder.encode(text);
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += ALPHABET.charAt(n >>> 18) + ALPHABET.charAt((n >>> 12) & 63) + ALPHABET.charAt((n >>> 6) & 63) + ALPHABET.charAt(n & 63);
  }
  const left = bytes.length - i;
  if (left === 1) {
    const n = (bytes[i] ?? 0) << 16;
    out += `${ALPHABET.charAt(n >>> 18)}${ALPHABET.charAt((n >>> 12) & 63)}==`;
  } else if (left === 2) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8);
    out += `${ALPHABET.charAt(n >>> 18)}${ALPHABET.charAt((n >>> 12) & 63)}${ALPHABET.charAt((n >>> 6) & 63)}=`;
  }
  return out;
}

const isLineSpace = (char: string): boolean => char === "\r" || char === "\n" || char === " " || char === "\t";

/**
 * Decodes Base64 text to a string (bytes read as UTF-8). Line breaks and spaces are skipped
 * (MIME text wraps lines); padding is optional but nothing but padding may follow it; any other
 * character outside the alphabet is an error.
 */
export function decodeBase64(text: string): Parsed<string> {
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  let sextets = 0;
  let padding = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (isLineSpace(char)) continue;
    if (char === "=") {
      padding = true;
      continue;
    }
    const value = INDEX[char.charCodeAt(0)] ?? -1;
    if (value < 0) return rejected(`'${char}' at position ${i} is not a Base64 character`);
    if (padding) return rejected(`Base64 data continues after its '=' padding at position ${i}`);
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    sextets++;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >>> bits) & 0xff);
    }
  }
  if (sextets % 4 === 1) return rejected("Base64 data cannot end with a single character in its last group of four");
  return parsed(utf8Decoder.decode(Uint8Array.from(bytes)));
}
