/**
 * Parsing the test of a filter `[?(...)]` into a FilterExpression: boolean operators, comparisons,
 * literals, and `@`/`$` paths (read with `readSegments`, so filters may nest).
 */
import { isDefinite, readSegments } from "./parse.js";
import {
  AMPERSAND,
  AT,
  BACKSLASH,
  BANG,
  CLOSE_BRACKET,
  CLOSE_PAREN,
  COMMA,
  describeChar,
  DOLLAR,
  DOT,
  DOUBLE_QUOTE,
  enter,
  EQUALS,
  fail,
  isAsciiLetter,
  isDigit,
  isIdentifierStart,
  MINUS,
  OPEN_BRACE,
  OPEN_BRACKET,
  OPEN_PAREN,
  PIPE,
  PLUS,
  SINGLE_QUOTE,
  skipSpaces,
  SLASH,
  type Cursor,
} from "./scanner.js";
import type { FilterExpression, FilterLiteral, FilterOperand, FilterOperator } from "./types.js";

// Filter grammar, loosest first:  or := and ('||' and)* ; and := unary ('&&' unary)* ;
// unary := '!' unary | '(' or ')' | operand [operator operand]
/** Reads a whole filter test (the loosest rule, `or`), leaving the cursor after it. */
export function readOr(c: Cursor): FilterExpression {
  return readChain(c, PIPE, "or", readAnd);
}

function readAnd(c: Cursor): FilterExpression {
  return readChain(c, AMPERSAND, "and", readUnary);
}

/** `operand (op operand)*` for an operator written as a doubled character (`||`, `&&`), grouped to the left. */
function readChain(c: Cursor, char: number, kind: "or" | "and", readOperand: (c: Cursor) => FilterExpression): FilterExpression {
  let left = readOperand(c);
  for (;;) {
    skipSpaces(c);
    if (c.text.charCodeAt(c.pos) !== char || c.text.charCodeAt(c.pos + 1) !== char) return left;
    c.pos += 2;
    left = { kind, left, right: readOperand(c) };
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
