/**
 * JSONPath as Step Functions uses it (Jayway flavour): parsed once into a CompiledPath, then read
 * (InputPath, OutputPath, `.$` values, intrinsic arguments, Choice variables) and written
 * (ResultPath) without ever parsing text again.
 *
 * AWS evaluates paths with Jayway JsonPath; its error texts ("No results for path: $['a']",
 * "Missing property in path $['a']") and its evaluation rules are mirrored here:
 * - a *definite* path (only single names, single indexes, and possibly a final name union) selects
 *   one value and a miss is an error;
 * - an *indefinite* path (wildcard, slice, index union, filter, deep scan) selects a list of
 *   values in document order; a miss anywhere is never an error (AWS answers `[]`);
 * - a final name union `['a','b']` is definite in Jayway: it yields one object holding the names
 *   that exist (`{"a":1,"b":2}`), not an array.
 *
 * No JavaScript is ever evaluated: filters are parsed into a small AST at definition time.
 * Only own properties are read, and objects are built so that `__proto__` stays plain data.
 */
import { parsed, rejected, type Parsed } from "./parsed.js";

/** Which document a path reads: the state's data (`$`), the context object (`$$`), or a variable (`$name`). */
export type PathRoot = "input" | "context" | "variable";

/** One step of a definite path: an object key or an array index (negative counts from the end). */
export type PathStep = string | number;

/**
 * One pre-parsed piece of a path. `scan` (`..`) applies the segment after it at every depth.
 * `names` is a name union (`['a','b']`), `indexes` an index union (`[0,1]`).
 */
export type PathSegment =
  | { readonly kind: "name"; readonly name: string }
  | { readonly kind: "names"; readonly names: readonly string[] }
  | { readonly kind: "index"; readonly index: number }
  | { readonly kind: "indexes"; readonly indexes: readonly number[] }
  | {
      readonly kind: "slice";
      readonly start: number | undefined;
      readonly end: number | undefined;
      /** Parsed but ignored, as Jayway (and so AWS) ignores a slice step. */
      readonly step: number | undefined;
    }
  | { readonly kind: "wildcard" }
  | { readonly kind: "scan" }
  | { readonly kind: "filter"; readonly test: FilterExpression }
  /** A Jayway function call such as `.length()`: accepted as AWS does, but reading it always fails. */
  | { readonly kind: "function"; readonly name: string };

/** A path inside a filter: `@…` reads the item being tested, `$…` the root of the document being queried. */
export interface FilterPath {
  readonly root: "item" | "document";
  readonly segments: readonly PathSegment[];
  /** True when the path selects one value (a miss then makes the operand undefined). */
  readonly definite: boolean;
}

/** A literal written in a filter: a JSON scalar, or an array of literals (for `in`, `anyof`, …). */
export type FilterLiteral = string | number | boolean | null | readonly FilterLiteral[];

/** One side of a filter comparison. */
export type FilterOperand =
  | { readonly kind: "path"; readonly path: FilterPath }
  | { readonly kind: "literal"; readonly value: FilterLiteral };

/** The comparison operators a filter may use (Jayway's, minus `=~`, `all`, `type` and `matches`). */
export type FilterOperator =
  | "=="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "in"
  | "nin"
  | "subsetof"
  | "anyof"
  | "noneof"
  | "contains"
  | "size"
  | "empty";

/** The parsed test of a filter `[?(...)]`. `exists` is a lone path: true when it selects something. */
export type FilterExpression =
  | { readonly kind: "or"; readonly left: FilterExpression; readonly right: FilterExpression }
  | { readonly kind: "and"; readonly left: FilterExpression; readonly right: FilterExpression }
  | { readonly kind: "not"; readonly operand: FilterExpression }
  | { readonly kind: "exists"; readonly path: FilterPath }
  | {
      readonly kind: "compare";
      readonly operator: FilterOperator;
      readonly left: FilterOperand;
      readonly right: FilterOperand;
    };

/** A JSONPath, validated and pre-parsed so that execution never parses text again. */
export interface CompiledPath {
  /** The path as written in the definition, e.g. `$.a.b`, `$$.Execution.Id`, `$order.id`. */
  readonly source: string;
  /** The document the path reads. */
  readonly root: PathRoot;
  /** The variable's name when `root` is `"variable"`. */
  readonly variable?: string;
  /**
   * True when the path selects one value, so that a miss is an error (Jayway's rule): only single
   * names and indexes, plus possibly a final name union or a final function call.
   */
  readonly definite: boolean;
  /** True when the path is a Reference Path: only `.name`, `['name']` and `[index]` (index >= 0) steps. */
  readonly reference: boolean;
  /**
   * The keys and indices from the root document when every segment is a single name or index
   * (always so for a Reference Path); empty otherwise.
   */
  readonly steps: readonly PathStep[];
  /** The path relative to its root document, as written (`$` + the rest), e.g. `$.Execution.Id` for `$$.Execution.Id`. */
  readonly query: string;
  /** Every segment after the root, pre-parsed (filters included). */
  readonly segments: readonly PathSegment[];
  /** Jayway's normalized form of the path relative to its root, e.g. `$['a'][0]`, as used in its messages. */
  readonly normalized: string;
}

/** The documents a path may read. */
export interface PathDocuments {
  /** What `$` reads: the state's data (or whatever the caller applies the path to). */
  readonly input: unknown;
  /** What `$$` reads: the context object. */
  readonly context?: unknown;
  /** What `$name` reads: the workflow variables in scope, by name (own properties only). */
  readonly variables?: Readonly<Record<string, unknown>>;
}

/** The value a path selected, or why it selected nothing. */
export type PathRead = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

/** Filters nest (parentheses, `!`, filters inside filter paths); this bounds recursion on hostile text. */
const MAX_FILTER_DEPTH = 32;
/** Jayway parses indexes as Java ints. */
const MIN_INDEX = -2147483648;
const MAX_INDEX = 2147483647;

/** Internal signal for a syntax problem; never escapes `parsePath`. */
class PathSyntaxError extends Error {
  constructor(
    readonly problem: string,
    readonly position: number,
    readonly hint: string,
  ) {
    super(problem);
  }
}

interface Cursor {
  readonly text: string;
  pos: number;
  depth: number;
}

const WILDCARD: PathSegment = { kind: "wildcard" };
const SCAN: PathSegment = { kind: "scan" };

function fail(problem: string, position: number, hint = ""): never {
  throw new PathSyntaxError(problem, position, hint);
}

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
function isDefinite(segments: readonly PathSegment[]): boolean {
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
function readSegments(c: Cursor, mode: "top" | "filter"): PathSegment[] {
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

function skipSpaces(c: Cursor): void {
  while (isSpace(c.text.charCodeAt(c.pos))) c.pos += 1;
}

function enter(c: Cursor): void {
  c.depth += 1;
  if (c.depth > MAX_FILTER_DEPTH) fail("the filter is nested too deeply", c.pos);
}

// Filter grammar, loosest first:  or := and ('||' and)* ; and := unary ('&&' unary)* ;
// unary := '!' unary | '(' or ')' | operand [operator operand]

function readOr(c: Cursor): FilterExpression {
  let left = readAnd(c);
  for (;;) {
    skipSpaces(c);
    if (c.text.charCodeAt(c.pos) !== PIPE || c.text.charCodeAt(c.pos + 1) !== PIPE) return left;
    c.pos += 2;
    left = { kind: "or", left, right: readAnd(c) };
  }
}

function readAnd(c: Cursor): FilterExpression {
  let left = readUnary(c);
  for (;;) {
    skipSpaces(c);
    if (c.text.charCodeAt(c.pos) !== AMPERSAND || c.text.charCodeAt(c.pos + 1) !== AMPERSAND) return left;
    c.pos += 2;
    left = { kind: "and", left, right: readUnary(c) };
  }
}

function readUnary(c: Cursor): FilterExpression {
  skipSpaces(c);
  const code = c.text.charCodeAt(c.pos);
  if (code === BANG) {
    c.pos += 1;
    enter(c);
    const operand = readUnary(c);
    c.depth -= 1;
    return { kind: "not", operand };
  }
  if (code === OPEN_PAREN) {
    const open = c.pos;
    c.pos += 1;
    enter(c);
    const inner = readOr(c);
    skipSpaces(c);
    if (c.text.charCodeAt(c.pos) !== CLOSE_PAREN) fail("unclosed parenthesis '('", open);
    c.pos += 1;
    c.depth -= 1;
    return inner;
  }
  return readComparison(c);
}

function readComparison(c: Cursor): FilterExpression {
  const start = c.pos;
  const left = readOperand(c);
  skipSpaces(c);
  const code = c.text.charCodeAt(c.pos);
  const ended =
    c.pos >= c.text.length ||
    code === CLOSE_PAREN ||
    (code === AMPERSAND && c.text.charCodeAt(c.pos + 1) === AMPERSAND) ||
    (code === PIPE && c.text.charCodeAt(c.pos + 1) === PIPE);
  if (ended) {
    if (left.kind !== "path") fail("a literal on its own is not a test; compare it with an operator such as '=='", start);
    return { kind: "exists", path: left.path };
  }
  const operator = readOperator(c);
  const right = readOperand(c);
  return { kind: "compare", operator, left, right };
}

const WORD_OPERATORS: Readonly<Record<string, FilterOperator>> = {
  in: "in",
  nin: "nin",
  subsetof: "subsetof",
  anyof: "anyof",
  noneof: "noneof",
  contains: "contains",
  size: "size",
  empty: "empty",
};

function readOperator(c: Cursor): FilterOperator {
  const text = c.text;
  const at = c.pos;
  const two = text.slice(at, at + 2);
  if (two === "=~") return fail("regular-expression filters (=~) are not supported", at);
  for (const [symbol, operator] of SYMBOL_OPERATORS) {
    if (text.startsWith(symbol, at)) {
      c.pos += symbol.length;
      return operator;
    }
  }
  let end = at;
  while (isAsciiLetter(text.charCodeAt(end))) end += 1;
  const word = text.slice(at, end).toLowerCase();
  const operator = Object.hasOwn(WORD_OPERATORS, word) ? WORD_OPERATORS[word] : undefined;
  if (operator !== undefined) {
    c.pos = end;
    return operator;
  }
  if (word === "all" || word === "type" || word === "matches") {
    return fail(`the filter operator '${word}' is not supported`, at);
  }
  if (text.charCodeAt(at) === EQUALS) return fail("use '==' to compare", at);
  return fail(
    `expected an operator such as '==' but found ${describeChar(text.codePointAt(at) ?? 0)}`,
    at,
  );
}

/** Longest first so that `===` is not read as `==`. `===`/`!==` are Jayway's type-safe forms; ours are all type-safe. */
const SYMBOL_OPERATORS: readonly (readonly [string, FilterOperator])[] = [
  ["===", "=="],
  ["!==", "!="],
  ["==", "=="],
  ["!=", "!="],
  ["<=", "<="],
  [">=", ">="],
  ["<", "<"],
  [">", ">"],
];

function readOperand(c: Cursor): FilterOperand {
  skipSpaces(c);
  const text = c.text;
  const at = c.pos;
  if (at >= text.length) return fail("the filter is not closed", at);
  const code = text.charCodeAt(at);
  if (code === AT || code === DOLLAR) {
    const next = text.charCodeAt(at + 1);
    if (code === DOLLAR && (next === DOLLAR || isIdentifierStart(text.codePointAt(at + 1) ?? 0))) {
      fail("only '@' and '$' paths can be used in filters", at);
    }
    c.pos += 1;
    enter(c);
    const segments = readSegments(c, "filter");
    c.depth -= 1;
    const root = code === AT ? "item" : "document";
    return { kind: "path", path: { root, segments, definite: isDefinite(segments) } };
  }
  return { kind: "literal", value: readLiteral(c) };
}

function readLiteral(c: Cursor): FilterLiteral {
  const text = c.text;
  const at = c.pos;
  const code = text.charCodeAt(at);
  if (code === SINGLE_QUOTE || code === DOUBLE_QUOTE) return readString(c);
  if (code === MINUS || isDigit(code)) return readNumber(c);
  if (code === OPEN_BRACKET) return readArrayLiteral(c);
  if (isAsciiLetter(code)) {
    let end = at;
    while (isAsciiLetter(text.charCodeAt(end))) end += 1;
    const word = text.slice(at, end);
    c.pos = end;
    if (word === "true") return true;
    if (word === "false") return false;
    if (word === "null") return null;
    return fail(`unknown value '${word}'`, at);
  }
  if (code === OPEN_BRACE) return fail("object literals are not supported in filters", at);
  if (code === SLASH) return fail("regular expressions are not supported in filters", at);
  return fail(`expected a value but found ${describeChar(text.codePointAt(at) ?? 0)}`, at);
}

function readArrayLiteral(c: Cursor): FilterLiteral {
  const open = c.pos;
  c.pos += 1;
  enter(c);
  const items: FilterLiteral[] = [];
  skipSpaces(c);
  if (c.text.charCodeAt(c.pos) !== CLOSE_BRACKET) {
    for (;;) {
      skipSpaces(c);
      if (c.pos >= c.text.length) fail("unclosed array '['", open);
      items.push(readLiteral(c));
      skipSpaces(c);
      if (c.text.charCodeAt(c.pos) !== COMMA) break;
      c.pos += 1;
    }
  }
  if (c.pos >= c.text.length) fail("unclosed array '['", open);
  if (c.text.charCodeAt(c.pos) !== CLOSE_BRACKET) {
    fail(`expected ',' or ']' but found ${describeChar(c.text.codePointAt(c.pos) ?? 0)}`, c.pos);
  }
  c.pos += 1;
  c.depth -= 1;
  return items;
}

/** A filter string; unlike bracket names its escapes are decoded (Jayway's StringNode). */
function readString(c: Cursor): string {
  const text = c.text;
  const quoteAt = c.pos;
  const quote = text.charCodeAt(quoteAt);
  let out = "";
  let at = quoteAt + 1;
  let chunk = at;
  while (at < text.length) {
    const code = text.charCodeAt(at);
    if (code === quote) {
      c.pos = at + 1;
      return out + text.slice(chunk, at);
    }
    if (code === BACKSLASH) {
      out += text.slice(chunk, at);
      const escaped = text.charCodeAt(at + 1);
      if (escaped === 0x75 /* u */) {
        const hex = text.slice(at + 2, at + 6);
        if (!/^[0-9A-Fa-f]{4}$/.test(hex)) fail("invalid \\u escape", at);
        out += String.fromCharCode(parseInt(hex, 16));
        at += 6;
      } else {
        out += ESCAPES[escaped] ?? text.charAt(at + 1);
        at += 2;
      }
      chunk = at;
    } else {
      at += 1;
    }
  }
  return fail(`unclosed string ${quote === SINGLE_QUOTE ? `"'"` : `'"'`}`, quoteAt);
}

const ESCAPES: Readonly<Record<number, string>> = {
  0x62: "\b",
  0x66: "\f",
  0x6e: "\n",
  0x72: "\r",
  0x74: "\t",
};

function readNumber(c: Cursor): number {
  const text = c.text;
  const start = c.pos;
  let at = start;
  if (text.charCodeAt(at) === MINUS) at += 1;
  const intStart = at;
  while (isDigit(text.charCodeAt(at))) at += 1;
  if (at === intStart) fail("expected a digit", at);
  if (text.charCodeAt(at) === DOT) {
    at += 1;
    const fracStart = at;
    while (isDigit(text.charCodeAt(at))) at += 1;
    if (at === fracStart) fail("expected a digit after '.'", at);
  }
  const e = text.charCodeAt(at);
  if (e === 0x65 || e === 0x45) {
    at += 1;
    const sign = text.charCodeAt(at);
    if (sign === PLUS || sign === MINUS) at += 1;
    const expStart = at;
    while (isDigit(text.charCodeAt(at))) at += 1;
    if (at === expStart) fail("expected a digit in the exponent", at);
  }
  const value = Number(text.slice(start, at));
  if (!Number.isFinite(value)) fail("the number is too large", start);
  c.pos = at;
  return value;
}

// Character classes ---------------------------------------------------------------------------

const DOLLAR = 0x24;
const DOT = 0x2e;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;
const OPEN_BRACE = 0x7b;
const STAR = 0x2a;
const QUESTION = 0x3f;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SLASH = 0x2f;
const BANG = 0x21;
const EQUALS = 0x3d;
const AT = 0x40;
const AMPERSAND = 0x26;
const PIPE = 0x7c;
const UNDERSCORE = 0x5f;

const ID_START = /^\p{ID_Start}$/u;
const ID_CONTINUE = /^\p{ID_Continue}$/u;

const isDigit = (code: number): boolean => code >= 0x30 && code <= 0x39;
const isAsciiLetter = (code: number): boolean => (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
const isSpace = (code: number): boolean => code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;

function isIdentifierStart(cp: number): boolean {
  if (cp < 0x80) return isAsciiLetter(cp) || cp === UNDERSCORE;
  return ID_START.test(String.fromCodePoint(cp));
}

function isIdentifierPart(cp: number): boolean {
  if (cp < 0x80) return isAsciiLetter(cp) || isDigit(cp) || cp === UNDERSCORE;
  return ID_CONTINUE.test(String.fromCodePoint(cp));
}

/** Dot-notation names: ASCII letters, digits, `_`, `$`, `-`, and any non-ASCII character but white space. */
function isNameChar(cp: number): boolean {
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

function describeChar(cp: number): string {
  if (isSpace(cp) || isUnicodeSpace(cp)) return "whitespace";
  if (cp < 0x20 || cp === 0x7f) return `control character U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
  const char = String.fromCodePoint(cp);
  return char === "'" ? `"'"` : `'${char}'`;
}

// ---------------------------------------------------------------------------------------------
// Messages in Jayway's words
// ---------------------------------------------------------------------------------------------

function fragment(segment: PathSegment): string {
  switch (segment.kind) {
    case "name":
      return `['${segment.name}']`;
    case "names":
      return `[${segment.names.map((n) => `'${n}'`).join(",")}]`;
    case "index":
      return `[${segment.index}]`;
    case "indexes":
      return `[${segment.indexes.join(",")}]`;
    case "slice":
      return `[${segment.start ?? ""}:${segment.end ?? ""}]`;
    case "wildcard":
      return "[*]";
    case "scan":
      return "..";
    case "filter":
      return "[?]";
    case "function":
      return `.${segment.name}()`;
  }
}

/** `$` + the fragments of the first `count` segments, e.g. `$['a'][0]`. */
function normalize(segments: readonly PathSegment[], count: number): string {
  let out = "$";
  for (let i = 0; i < count; i++) out += fragment(segments[i] as PathSegment);
  return out;
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** Jayway prints the offending node; strings as they are, the rest as JSON. Never throws. */
function printNode(value: unknown): string {
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return jsonType(value);
  }
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Sets an own data property, so that a `__proto__` key is stored as data and never changes a prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

const miss = (message: string): PathRead => ({ ok: false, message });

/**
 * Reads a path. A definite path yields its value, or `{ok:false}` with Jayway's words for the
 * miss, e.g. `No results for path: $['a']` or `Missing property in path $['a']` (only that part:
 * the caller adds its own prefix, such as "Invalid path '<source>' : "). An indefinite path always
 * yields an array of the matches in document order (possibly empty), never an error. Values are
 * returned as they are in the documents (not copied). An unknown variable or a missing context
 * object is an error.
 */
export function readPath(path: CompiledPath, documents: PathDocuments): PathRead {
  try {
    let document: unknown;
    if (path.root === "input") {
      document = documents.input;
    } else if (path.root === "context") {
      if (documents.context === undefined) return miss("No context object is available");
      document = documents.context;
    } else {
      const name = path.variable ?? "";
      const variables = documents.variables;
      if (variables === undefined || !Object.hasOwn(variables, name)) {
        return miss(`The variable '$${name}' is not defined`);
      }
      document = variables[name];
    }
    if (path.definite) return readDefinite(path.segments, document);
    return { ok: true, value: selectAll(path.segments, document, document) };
  } catch {
    // Only reachable on exotic host values (e.g. proxies that throw); JSON data never gets here.
    return miss(`The path ${path.normalized} could not be evaluated`);
  }
}

/** The hot path: one loop over single names and indexes, failing as Jayway does. */
function readDefinite(segments: readonly PathSegment[], document: unknown): PathRead {
  let node = document;
  const lastIndex = segments.length - 1;
  for (let i = 0; i <= lastIndex; i++) {
    const segment = segments[i] as PathSegment;
    if (segment.kind === "name") {
      if (!isObject(node)) {
        return miss(
          `Expected to find an object with property ${fragment(segment)} in path ${normalize(segments, i)} but found '${jsonType(node)}'`,
        );
      }
      if (!Object.hasOwn(node, segment.name)) {
        return miss(
          i === lastIndex
            ? `No results for path: ${normalize(segments, segments.length)}`
            : `Missing property in path ${normalize(segments, i + 1)}`,
        );
      }
      node = node[segment.name];
    } else if (segment.kind === "index") {
      if (node === null) return miss(`The path ${normalize(segments, i)} is null`);
      if (!Array.isArray(node)) {
        let rest = "";
        for (let j = i; j <= lastIndex; j++) rest += fragment(segments[j] as PathSegment);
        return miss(`Filter: ${rest} can only be applied to arrays. Current context is: ${printNode(node)}`);
      }
      const at = segment.index < 0 ? node.length + segment.index : segment.index;
      if (at < 0 || at >= node.length) return miss(`No results for path: ${normalize(segments, segments.length)}`);
      node = node[at];
    } else if (segment.kind === "names") {
      if (!isObject(node)) {
        return miss(
          `Expected to find an object with property ${fragment(segment)} in path ${normalize(segments, i)} but found '${jsonType(node)}'`,
        );
      }
      node = pickNames(node, segment.names);
    } else if (segment.kind === "function") {
      return miss(`Path functions such as '${segment.name}()' are not supported`);
    } else {
      return miss(`No results for path: ${normalize(segments, segments.length)}`);
    }
  }
  return { ok: true, value: node };
}

/** Jayway's final name union: one object with the names that exist. */
function pickNames(node: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const name of names) if (Object.hasOwn(node, name)) setOwn(picked, name, node[name]);
  return picked;
}

/**
 * Evaluates an indefinite path segment by segment over the list of current nodes; each segment maps
 * a node to an ordered list, so the result keeps Jayway's depth-first document order.
 */
function selectAll(segments: readonly PathSegment[], start: unknown, document: unknown): unknown[] {
  let current: unknown[] = [start];
  const lastIndex = segments.length - 1;
  for (let i = 0; i <= lastIndex; i++) {
    const segment = segments[i] as PathSegment;
    const next: unknown[] = [];
    if (segment.kind === "scan") {
      i += 1;
      const target = segments[i] as PathSegment;
      const last = i === lastIndex;
      for (const node of current) {
        if (!scan(node, target, last, document, next)) return [];
      }
    } else {
      const last = i === lastIndex;
      for (const node of current) {
        if (!applySegment(segment, node, last, document, next)) return [];
      }
    }
    current = next;
  }
  return current;
}

/**
 * Applies `target` at `root` and at every object or array below it, in pre-order (Jayway's walk),
 * where Jayway's scan predicate lets it. Iterative, so deep documents cannot overflow the stack.
 */
function scan(root: unknown, target: PathSegment, last: boolean, document: unknown, out: unknown[]): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      if (scanMatches(target, node, last, document) && !applySegment(target, node, last, document, out)) return false;
      for (let k = node.length - 1; k >= 0; k--) pushContainer(stack, node[k]);
    } else if (isObject(node)) {
      if (scanMatches(target, node, last, document) && !applySegment(target, node, last, document, out)) return false;
      const keys = Object.keys(node);
      for (let k = keys.length - 1; k >= 0; k--) pushContainer(stack, node[keys[k] as string]);
    }
  }
  return true;
}

function pushContainer(stack: unknown[], value: unknown): void {
  if (typeof value === "object" && value !== null) stack.push(value);
}

/** Jayway's scan predicates: which nodes the segment after `..` is tried on. */
function scanMatches(target: PathSegment, node: unknown, last: boolean, document: unknown): boolean {
  switch (target.kind) {
    case "name":
      return isObject(node) && Object.hasOwn(node, target.name);
    case "names":
      return isObject(node) && (!last || target.names.every((n) => Object.hasOwn(node, n)));
    case "index":
    case "indexes":
    case "slice":
      return Array.isArray(node);
    case "wildcard":
      return true;
    case "filter":
      return testFilter(target.test, node, document);
    default:
      return false;
  }
}

/**
 * Pushes what `segment` selects from `node` onto `out`; nodes of the wrong type select nothing.
 * Returns false when Jayway would abort the whole read (a non-final wildcard on a scalar), which
 * AWS reports as no match at all.
 */
function applySegment(segment: PathSegment, node: unknown, last: boolean, document: unknown, out: unknown[]): boolean {
  switch (segment.kind) {
    case "name":
      if (isObject(node) && Object.hasOwn(node, segment.name)) out.push(node[segment.name]);
      return true;
    case "names":
      if (!isObject(node)) return true;
      if (last) {
        out.push(pickNames(node, segment.names));
      } else {
        for (const name of segment.names) if (Object.hasOwn(node, name)) out.push(node[name]);
      }
      return true;
    case "index":
      if (Array.isArray(node)) pushIndex(node, segment.index, out);
      return true;
    case "indexes":
      if (Array.isArray(node)) for (const index of segment.indexes) pushIndex(node, index, out);
      return true;
    case "slice":
      if (Array.isArray(node)) pushSlice(node, segment.start, segment.end, out);
      return true;
    case "wildcard":
      if (Array.isArray(node)) {
        for (const item of node) out.push(item);
      } else if (isObject(node)) {
        for (const key of Object.keys(node)) out.push(node[key]);
      } else if (!last) {
        return false;
      }
      return true;
    case "filter":
      if (Array.isArray(node)) {
        for (const item of node) if (testFilter(segment.test, item, document)) out.push(item);
      } else if (isObject(node)) {
        // Jayway tests an object itself rather than its members.
        if (testFilter(segment.test, node, document)) out.push(node);
      }
      return true;
    default:
      return true;
  }
}

function pushIndex(array: readonly unknown[], index: number, out: unknown[]): void {
  const at = index < 0 ? array.length + index : index;
  if (at >= 0 && at < array.length) out.push(array[at]);
}

/**
 * Jayway's slices: `[a:]` and `[:b]` count negative bounds from the end; `[a:b]` clamps `b` to the
 * length and walks `a` to `b - 1`, each negative index counting from the end (so `[1:-1]` is empty).
 */
function pushSlice(array: readonly unknown[], start: number | undefined, end: number | undefined, out: unknown[]): void {
  const length = array.length;
  if (length === 0) return;
  if (end === undefined) {
    const from = Math.max(0, (start ?? 0) < 0 ? length + (start ?? 0) : (start ?? 0));
    for (let i = from; i < length; i++) out.push(array[i]);
  } else if (start === undefined) {
    const to = Math.min(length, end < 0 ? length + end : end);
    for (let i = 0; i < to; i++) out.push(array[i]);
  } else {
    const to = Math.min(length, end);
    // Indexes below -length select nothing; starting there keeps huge negative bounds cheap.
    for (let i = Math.max(start, -length); i < to; i++) pushIndex(array, i, out);
  }
}

// Filters -------------------------------------------------------------------------------------

/** Marks a filter operand whose path selected nothing (Jayway's UndefinedNode). */
const UNDEFINED: unique symbol = Symbol("undefined");
type OperandValue = unknown;

function testFilter(test: FilterExpression, item: unknown, document: unknown): boolean {
  switch (test.kind) {
    case "or":
      return testFilter(test.left, item, document) || testFilter(test.right, item, document);
    case "and":
      return testFilter(test.left, item, document) && testFilter(test.right, item, document);
    case "not":
      return !testFilter(test.operand, item, document);
    case "exists": {
      const value = readFilterPath(test.path, item, document);
      return value !== UNDEFINED && (test.path.definite || (value as unknown[]).length > 0);
    }
    case "compare":
      return compare(
        test.operator,
        operandValue(test.left, item, document),
        operandValue(test.right, item, document),
      );
  }
}

function operandValue(operand: FilterOperand, item: unknown, document: unknown): OperandValue {
  return operand.kind === "literal" ? operand.value : readFilterPath(operand.path, item, document);
}

/** A definite filter path yields its value or UNDEFINED; an indefinite one yields the array of matches. */
function readFilterPath(path: FilterPath, item: unknown, document: unknown): OperandValue {
  const start = path.root === "item" ? item : document;
  if (path.definite) {
    const read = readDefinite(path.segments, start);
    return read.ok ? read.value : UNDEFINED;
  }
  return selectAll(path.segments, start, document);
}

function compare(operator: FilterOperator, left: OperandValue, right: OperandValue): boolean {
  switch (operator) {
    case "==":
      return jsonEquals(left, right);
    case "!=":
      return !jsonEquals(left, right);
    case "<":
    case "<=":
    case ">":
    case ">=":
      return order(operator, left, right);
    case "in":
      return Array.isArray(right) && right.some((candidate) => jsonEquals(left, candidate));
    case "nin":
      return Array.isArray(right) && !right.some((candidate) => jsonEquals(left, candidate));
    case "subsetof":
      return Array.isArray(left) && Array.isArray(right) && left.every((l) => right.some((r) => jsonEquals(l, r)));
    case "anyof":
      return Array.isArray(left) && Array.isArray(right) && left.some((l) => right.some((r) => jsonEquals(l, r)));
    case "noneof":
      return Array.isArray(left) && Array.isArray(right) && !left.some((l) => right.some((r) => jsonEquals(l, r)));
    case "contains":
      if (typeof left === "string") return typeof right === "string" && left.includes(right);
      return Array.isArray(left) && left.some((candidate) => jsonEquals(candidate, right));
    case "size":
      if (typeof right !== "number") return false;
      if (typeof left === "string" || Array.isArray(left)) return left.length === right;
      return false;
    case "empty":
      if (typeof right !== "boolean") return false;
      if (typeof left === "string" || Array.isArray(left)) return (left.length === 0) === right;
      if (isObject(left)) return (Object.keys(left).length === 0) === right;
      return false;
  }
}

/** Numbers compare as numbers, strings by UTF-16 code units (as Java does); anything else is false. */
function order(operator: "<" | "<=" | ">" | ">=", left: OperandValue, right: OperandValue): boolean {
  let sign: number;
  if (typeof left === "number" && typeof right === "number") {
    sign = left < right ? -1 : left > right ? 1 : 0;
  } else if (typeof left === "string" && typeof right === "string") {
    sign = left < right ? -1 : left > right ? 1 : 0;
  } else {
    return false;
  }
  switch (operator) {
    case "<":
      return sign < 0;
    case "<=":
      return sign <= 0;
    case ">":
      return sign > 0;
    case ">=":
      return sign >= 0;
  }
}

/** Deep JSON equality (key order ignored), iterative so deep values cannot overflow the stack. */
function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === UNDEFINED || b === UNDEFINED) return false;
  const pending: unknown[] = [a, b];
  while (pending.length > 0) {
    const y = pending.pop();
    const x = pending.pop();
    if (x === y) continue;
    if (typeof x !== "object" || typeof y !== "object" || x === null || y === null) return false;
    if (Array.isArray(x)) {
      if (!Array.isArray(y) || x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) pending.push(x[i], y[i]);
    } else {
      if (Array.isArray(y)) return false;
      const xs = x as Record<string, unknown>;
      const ys = y as Record<string, unknown>;
      const keys = Object.keys(xs);
      if (keys.length !== Object.keys(ys).length) return false;
      for (const key of keys) {
        if (!Object.hasOwn(ys, key)) return false;
        pending.push(xs[key], ys[key]);
      }
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

/**
 * Places `value` at a Reference Path inside a copy of `document` (ResultPath semantics). `$`
 * replaces the document; otherwise only the objects and arrays along the path are copied
 * (everything else is shared) and missing objects on the way are created. An array index must
 * already exist: arrays are never created or extended (AWS's behaviour there is unrecorded; this
 * is the conservative choice). A name step on a value that is not an object, an index step on a
 * value that is not an array, a path that is not a Reference Path, or one on `$$` or a variable,
 * yields `{ok:false}` with a plain message; `document` is never mutated.
 */
export function writePath(document: unknown, path: CompiledPath, value: unknown): PathRead {
  if (path.root !== "input") {
    return miss(`Cannot write to '${path.source}': only paths on the state's data ('$') can be written`);
  }
  if (!path.reference) return miss(`Cannot write to '${path.source}': it is not a Reference Path`);
  const steps = path.steps;
  const count = steps.length;
  // Walk down first (remembering each parent), then rebuild upwards: no recursion on long paths.
  const parents: unknown[] = new Array<unknown>(count);
  let node: unknown = document;
  for (let i = 0; i < count; i++) {
    const step = steps[i] as PathStep;
    parents[i] = node;
    if (typeof step === "string") {
      if (node === undefined) continue;
      if (!isObject(node)) {
        return miss(
          `Cannot write to '${path.source}': ${normalize(path.segments, i)} is ${describeValue(node)}, not an object`,
        );
      }
      node = Object.hasOwn(node, step) ? node[step] : undefined;
    } else {
      if (node === undefined) {
        return miss(
          `Cannot write to '${path.source}': ${normalize(path.segments, i)} does not exist, so its index [${step}] cannot be set`,
        );
      }
      if (!Array.isArray(node)) {
        return miss(
          `Cannot write to '${path.source}': ${normalize(path.segments, i)} is ${describeValue(node)}, not an array`,
        );
      }
      if (step >= node.length) {
        return miss(
          `Cannot write to '${path.source}': index [${step}] is out of bounds for ${normalize(path.segments, i)} (length ${node.length})`,
        );
      }
      node = node[step];
    }
  }
  let built = value;
  for (let i = count - 1; i >= 0; i--) {
    const step = steps[i] as PathStep;
    const parent = parents[i];
    if (typeof step === "string") {
      const copy: Record<string, unknown> = parent === undefined ? {} : { ...(parent as Record<string, unknown>) };
      setOwn(copy, step, built);
      built = copy;
    } else {
      const copy = (parent as readonly unknown[]).slice();
      copy[step] = built;
      built = copy;
    }
  }
  return { ok: true, value: built };
}

function describeValue(value: unknown): string {
  const type = jsonType(value);
  return type === "null" ? "null" : type === "array" || type === "object" ? `an ${type}` : `a ${type}`;
}
