/**
 * The cursor that both grammars (paths, and the filters inside them) read path text with: character
 * classes, white space, the nesting limit, and the syntax failure that `parsePath` turns into a message.
 */

/** Filters nest (parentheses, `!`, filters inside filter paths); this bounds recursion on hostile text. */
const MAX_FILTER_DEPTH = 32;

/** Internal signal for a syntax problem; never escapes `parsePath`. */
export class PathSyntaxError extends Error {
  constructor(
    readonly problem: string,
    readonly position: number,
    readonly hint: string,
  ) {
    super(problem);
  }
}

/** Where a parse is in the path text, and how deeply filters are nested there. */
export interface Cursor {
  readonly text: string;
  pos: number;
  depth: number;
}

/** Stops the parse with a syntax problem at `position` (0-based) and an optional hint for fixing it. */
export function fail(problem: string, position: number, hint = ""): never {
  throw new PathSyntaxError(problem, position, hint);
}

/** Skips white space (space, tab, line feed, carriage return). */
export function skipSpaces(c: Cursor): void {
  while (isSpace(c.text.charCodeAt(c.pos))) c.pos += 1;
}

/** Counts one more level of nesting, failing past `MAX_FILTER_DEPTH`; the caller decrements when it leaves. */
export function enter(c: Cursor): void {
  c.depth += 1;
  if (c.depth > MAX_FILTER_DEPTH) fail("the filter is nested too deeply", c.pos);
}

// Character classes ---------------------------------------------------------------------------

/** `$` */
export const DOLLAR = 0x24;
/** `.` */
export const DOT = 0x2e;
/** `[` */
export const OPEN_BRACKET = 0x5b;
/** `]` */
export const CLOSE_BRACKET = 0x5d;
/** `(` */
export const OPEN_PAREN = 0x28;
/** `)` */
export const CLOSE_PAREN = 0x29;
/** `{` */
export const OPEN_BRACE = 0x7b;
/** `*` */
export const STAR = 0x2a;
/** `?` */
export const QUESTION = 0x3f;
/** `,` */
export const COMMA = 0x2c;
/** `:` */
export const COLON = 0x3a;
/** `-` */
export const MINUS = 0x2d;
/** `+` */
export const PLUS = 0x2b;
/** `'` */
export const SINGLE_QUOTE = 0x27;
/** `"` */
export const DOUBLE_QUOTE = 0x22;
/** `\` */
export const BACKSLASH = 0x5c;
/** `/` */
export const SLASH = 0x2f;
/** `!` */
export const BANG = 0x21;
/** `=` */
export const EQUALS = 0x3d;
/** `@` */
export const AT = 0x40;
/** `&` */
export const AMPERSAND = 0x26;
/** `|` */
export const PIPE = 0x7c;
const UNDERSCORE = 0x5f;

const ID_START = /^\p{ID_Start}$/u;
const ID_CONTINUE = /^\p{ID_Continue}$/u;

/** An ASCII digit `0`–`9`. */
export const isDigit = (code: number): boolean => code >= 0x30 && code <= 0x39;
/** An ASCII letter `A`–`Z` or `a`–`z`. */
export const isAsciiLetter = (code: number): boolean => (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
const isSpace = (code: number): boolean => code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;

/** A code point that may start a variable name (`_` or Unicode ID_Start). */
export function isIdentifierStart(cp: number): boolean {
  if (cp < 0x80) return isAsciiLetter(cp) || cp === UNDERSCORE;
  return ID_START.test(String.fromCodePoint(cp));
}

/** A code point that may continue a variable name (`_` or Unicode ID_Continue). */
export function isIdentifierPart(cp: number): boolean {
  if (cp < 0x80) return isAsciiLetter(cp) || isDigit(cp) || cp === UNDERSCORE;
  return ID_CONTINUE.test(String.fromCodePoint(cp));
}

/** Dot-notation names: ASCII letters, digits, `_`, `$`, `-`, and any non-ASCII character but white space. */
export function isNameChar(cp: number): boolean {
  if (cp < 0x80) return isAsciiLetter(cp) || isDigit(cp) || cp === UNDERSCORE || cp === DOLLAR || cp === MINUS;
  return !isUnicodeSpace(cp);
}

function isUnicodeSpace(cp: number): boolean {
  return (
    cp === 0x85 ||
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000 ||
    cp === 0xfeff
  );
}

/** A character as messages name it: quoted, or `whitespace`, or a control character's code point. */
export function describeChar(cp: number): string {
  if (isSpace(cp) || isUnicodeSpace(cp)) return "whitespace";
  if (cp < 0x20 || cp === 0x7f) return `control character U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
  const char = String.fromCodePoint(cp);
  return char === "'" ? `"'"` : `'${char}'`;
}
