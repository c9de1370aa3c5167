/**
 * Parsing JSONPath text into a CompiledPath: the root (`$`, `$$` or `$name`) and the segments after
 * it. Filters (`[?(...)]`) are parsed by `filter-parse.ts`, which in turn reads the paths inside them
 * with `readSegments` here: the two grammars nest in each other.
 */
import { parsed, rejected, type Parsed } from "../parsed.js";
import { readOr } from "./filter-parse.js";
import { normalize } from "./messages.js";
import {
  BACKSLASH,
  CLOSE_BRACKET,
  CLOSE_PAREN,
  COLON,
  COMMA,
  describeChar,
  DOLLAR,
  DOT,
  DOUBLE_QUOTE,
  enter,
  fail,
  isDigit,
  isIdentifierPart,
  isIdentifierStart,
  isNameChar,
  MINUS,
  OPEN_BRACKET,
  OPEN_PAREN,
  PathSyntaxError,
  QUESTION,
  SINGLE_QUOTE,
  skipSpaces,
  STAR,
  type Cursor,
} from "./scanner.js";
import type { CompiledPath, PathRoot, PathSegment } from "./types.js";

/** Jayway parses indexes as Java ints. */
const MIN_INDEX = -2147483648;
const MAX_INDEX = 2147483647;

const WILDCARD: PathSegment = { kind: "wildcard" };
const SCAN: PathSegment = { kind: "scan" };

/** Parses any JSONPath (Path) allowed in InputPath, OutputPath, `.$` values and intrinsic arguments. */
export function parsePath(source: string): Parsed<CompiledPath> {
  if (typeof source !== "string") return rejected("A JSONPath must be a string");
  if (source.charCodeAt(0) !== DOLLAR) return rejected(`Invalid JSONPath '${source}': a path must start with '$'`);
  try {
    return parsed(compile(source));
  } catch (error) {
    if (error instanceof PathSyntaxError) {
      const hint = error.hint === "" ? "" : `; ${error.hint}`;
      return rejected(`Invalid JSONPath '${source}': ${error.problem} at position ${error.position}${hint}`);
    }
    return rejected(`Invalid JSONPath '${source}': the path is too complex`);
  }
}

/** Parses a Reference Path (ResultPath, ItemsPath, Choice Variable, *Path fields). */
export function parseReferencePath(source: string): Parsed<CompiledPath> {
  const result = parsePath(source);
  if (result.ok && !result.value.reference) {
    return rejected(
      `'${source}' is not a valid Reference Path: only '.name', "['name']" and '[index]' steps are allowed`,
    );
  }
  return result;
}

function compile(source: string): CompiledPath {
  const cursor: Cursor = { text: source, pos: 1, depth: 0 };
  let root: PathRoot = "input";
  let variable: string | undefined;
  const second = source.charCodeAt(1);
  if (second === DOLLAR) {
    root = "context";
    cursor.pos = 2;
    const third = source.charCodeAt(2);
    if (cursor.pos < source.length && third !== DOT && third !== OPEN_BRACKET) {
      fail("expected '.' or '[' after '$$'", 2);
    }
  } else if (cursor.pos < source.length && second !== DOT && second !== OPEN_BRACKET) {
    root = "variable";
    variable = readVariableName(cursor);
  }
  const restStart = cursor.pos;
  const segments = readSegments(cursor, "top");
  const simple = segments.every((s) => s.kind === "name" || s.kind === "index");
  return {
    source,
    root,
    ...(variable !== undefined ? { variable } : {}),
    definite: isDefinite(segments),
    reference: segments.every((s) => s.kind === "name" || (s.kind === "index" && s.index >= 0)),
    steps: simple ? segments.map((s) => (s.kind === "name" ? s.name : s.kind === "index" ? s.index : 0)) : [],
    query: "$" + source.slice(restStart),
    segments,
    normalized: normalize(segments, segments.length),
  };
}

/** Jayway's definiteness: every token selects one node; a name union or a function may only end the path. */
export function isDefinite(segments: readonly PathSegment[]): boolean {
  const last = segments.length - 1;
  return segments.every(
    (s, i) => s.kind === "name" || s.kind === "index" || ((s.kind === "names" || s.kind === "function") && i === last),
  );
}

/** `$name`: a variable reference; the name is a Unicode identifier. */
function readVariableName(c: Cursor): string {
  const start = c.pos;
  const first = c.text.codePointAt(start) ?? 0;
  if (!isIdentifierStart(first)) {
    fail(`expected '.', '[' or a variable name after '$' but found ${describeChar(first)}`, start);
  }
  c.pos += first > 0xffff ? 2 : 1;
  while (c.pos < c.text.length) {
    const cp = c.text.codePointAt(c.pos) ?? 0;
    if (cp === DOT || cp === OPEN_BRACKET) break;
    if (!isIdentifierPart(cp)) fail(`character ${describeChar(cp)} is not allowed in a variable name`, c.pos);
    c.pos += cp > 0xffff ? 2 : 1;
  }
  return c.text.slice(start, c.pos);
}

/**
 * Reads `.name`, `..x`, `[...]` segments. At the top level the whole text must be consumed; inside a
 * filter the path simply ends at the first character that cannot continue it (an operator, `)`, …).
 */
export function readSegments(c: Cursor, mode: "top" | "filter"): PathSegment[] {
  const segments: PathSegment[] = [];
  const text = c.text;
  while (c.pos < text.length) {
    const code = text.charCodeAt(c.pos);
    if (code === OPEN_BRACKET) {
      segments.push(readBracket(c));
    } else if (code === DOT) {
      const dotAt = c.pos;
      const scan = text.charCodeAt(dotAt + 1) === DOT;
      c.pos += scan ? 2 : 1;
      if (c.pos >= text.length) {
        fail(scan ? "'..' must be followed by a name, '*' or '['" : "a path must not end with '.'", dotAt);
      }
      const next = text.charCodeAt(c.pos);
      if (next === DOT) fail("unexpected '.'", c.pos);
      if (scan) segments.push(SCAN);
      if (next === OPEN_BRACKET) {
        segments.push(readBracket(c));
      } else if (next === STAR) {
        c.pos += 1;
        segments.push(WILDCARD);
      } else {
        const name = readDotName(c, mode);
        if (text.charCodeAt(c.pos) === OPEN_PAREN) {
          segments.push(readFunctionCall(c, name, mode, scan));
        } else {
          segments.push({ kind: "name", name });
        }
      }
    } else if (mode === "filter") {
      break;
    } else {
      fail(`unexpected ${describeChar(code)}; expected '.' or '['`, c.pos);
    }
  }
  return segments;
}

/** The characters allowed in a dot-notation name; anything else needs `['...']`. */
function readDotName(c: Cursor, mode: "top" | "filter"): string {
  const text = c.text;
  const start = c.pos;
  while (c.pos < text.length) {
    const cp = text.codePointAt(c.pos) ?? 0;
    if (!isNameChar(cp)) break;
    c.pos += cp > 0xffff ? 2 : 1;
  }
  if (c.pos === start) {
    fail(`expected a name, '*' or '[' after '.' but found ${describeChar(text.codePointAt(c.pos) ?? 0)}`, c.pos);
  }
  if (c.pos < text.length && mode === "top") {
    const code = text.charCodeAt(c.pos);
    if (code !== DOT && code !== OPEN_BRACKET && code !== OPEN_PAREN) {
      const cp = text.codePointAt(c.pos) ?? 0;
      fail(`${describeChar(cp)} is not allowed in a name after '.'`, c.pos, "use bracket notation such as ['a b'] instead");
    }
  }
  return text.slice(start, c.pos);
}

/** `.name()`: AWS accepts Jayway function syntax but never finds a value for it; only `()` ending the path. */
function readFunctionCall(c: Cursor, name: string, mode: "top" | "filter", afterScan: boolean): PathSegment {
  const open = c.pos;
  if (mode === "filter") fail(`functions such as '${name}()' are not supported in filters`, open);
  if (afterScan) fail(`a function such as '${name}()' cannot follow '..'`, open);
  if (c.text.charCodeAt(open + 1) !== CLOSE_PAREN) fail(`arguments to the function '${name}' are not supported`, open + 1);
  c.pos = open + 2;
  if (c.pos < c.text.length) fail(`a function call such as '${name}()' must end the path`, c.pos);
  return { kind: "function", name };
}

/** `[...]`: quoted names, indexes, slices, `*` or a filter. */
function readBracket(c: Cursor): PathSegment {
  const open = c.pos;
  c.pos += 1;
  skipSpaces(c);
  if (c.pos >= c.text.length) fail("unclosed bracket '['", open);
  const code = c.text.charCodeAt(c.pos);
  if (code === SINGLE_QUOTE || code === DOUBLE_QUOTE) {
    const names = readQuotedNames(c, open);
    return names.length === 1 ? { kind: "name", name: names[0] ?? "" } : { kind: "names", names };
  }
  if (code === STAR) {
    c.pos += 1;
    closeBracket(c, open);
    return WILDCARD;
  }
  if (code === QUESTION) {
    c.pos += 1;
    skipSpaces(c);
    if (c.text.charCodeAt(c.pos) !== OPEN_PAREN) fail("a filter must be written as [?(...)]", c.pos);
    c.pos += 1;
    enter(c);
    const test = readOr(c);
    skipSpaces(c);
    if (c.pos >= c.text.length) fail("unclosed filter '[?('", open);
    if (c.text.charCodeAt(c.pos) !== CLOSE_PAREN) {
      fail(`expected ')' to close the filter but found ${describeChar(c.text.codePointAt(c.pos) ?? 0)}`, c.pos);
    }
    c.pos += 1;
    c.depth -= 1;
    closeBracket(c, open);
    return { kind: "filter", test };
  }
  if (isDigit(code) || code === MINUS || code === COLON) return readIndexes(c, open);
  if (code === CLOSE_BRACKET) fail("empty brackets '[]'", open);
  return fail(
    `unexpected ${describeChar(c.text.codePointAt(c.pos) ?? 0)} in brackets; expected a quoted name, an index, '*' or '?('`,
    c.pos,
  );
}

/**
 * `['a']`, `["a"]`, `['a','b']`. A backslash keeps the next character from ending the name, but the
 * text is kept as written: AWS reads `$['Test\""Name"']` as the key `Test\""Name"` (recorded case
 * ESCAPE_SEQUENCES_JSONPATH), so no escape is decoded.
 */
function readQuotedNames(c: Cursor, open: number): string[] {
  const text = c.text;
  const names: string[] = [];
  for (;;) {
    const quote = text.charCodeAt(c.pos);
    if (quote !== SINGLE_QUOTE && quote !== DOUBLE_QUOTE) {
      fail(
        c.pos < text.length ? `expected a quoted name but found ${describeChar(text.codePointAt(c.pos) ?? 0)}` : "unclosed bracket '['",
        c.pos < text.length ? c.pos : open,
      );
    }
    const quoteAt = c.pos;
    const begin = c.pos + 1;
    let at = begin;
    while (at < text.length && text.charCodeAt(at) !== quote) at += text.charCodeAt(at) === BACKSLASH ? 2 : 1;
    if (at >= text.length) fail(`unclosed quote ${quote === SINGLE_QUOTE ? `"'"` : `'"'`}`, quoteAt);
    names.push(text.slice(begin, at));
    c.pos = at + 1;
    skipSpaces(c);
    if (text.charCodeAt(c.pos) !== COMMA) break;
    c.pos += 1;
    skipSpaces(c);
  }
  closeBracket(c, open);
  return names;
}

/** `[0]`, `[-1]`, `[0,1]`, `[1:]`, `[:2]`, `[1:3]`, `[1:3:2]` (Jayway needs a start or an end in a slice). */
function readIndexes(c: Cursor, open: number): PathSegment {
  const first = readInteger(c, false);
  skipSpaces(c);
  if (c.text.charCodeAt(c.pos) === COLON) {
    c.pos += 1;
    skipSpaces(c);
    const end = readInteger(c, false);
    skipSpaces(c);
    let step: number | undefined;
    if (c.text.charCodeAt(c.pos) === COLON) {
      c.pos += 1;
      skipSpaces(c);
      step = readInteger(c, false);
      skipSpaces(c);
    }
    if (first === undefined && end === undefined) fail("a slice needs a start or an end", open);
    closeBracket(c, open);
    return { kind: "slice", start: first, end, step };
  }
  if (first === undefined) return fail("expected an index", c.pos);
  const indexes = [first];
  while (c.text.charCodeAt(c.pos) === COMMA) {
    c.pos += 1;
    skipSpaces(c);
    indexes.push(readInteger(c, true) ?? 0);
    skipSpaces(c);
  }
  closeBracket(c, open);
  return indexes.length === 1 ? { kind: "index", index: first } : { kind: "indexes", indexes };
}

function readInteger(c: Cursor, required: boolean): number | undefined {
  const text = c.text;
  const start = c.pos;
  if (text.charCodeAt(c.pos) === MINUS) c.pos += 1;
  const digits = c.pos;
  while (isDigit(text.charCodeAt(c.pos))) c.pos += 1;
  if (c.pos === digits) {
    if (c.pos > start) fail("expected a digit after '-'", c.pos);
    if (required) fail("expected an index", c.pos);
    return undefined;
  }
  const value = Number(text.slice(start, c.pos));
  if (value < MIN_INDEX || value > MAX_INDEX) fail("the index is too large", start);
  return value;
}

function closeBracket(c: Cursor, open: number): void {
  skipSpaces(c);
  if (c.pos >= c.text.length) fail("unclosed bracket '['", open);
  if (c.text.charCodeAt(c.pos) !== CLOSE_BRACKET) {
    fail(`expected ']' but found ${describeChar(c.text.codePointAt(c.pos) ?? 0)}`, c.pos);
  }
  c.pos += 1;
}
