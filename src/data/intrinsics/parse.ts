/**
 * Reads the text of an intrinsic function call (the value of a `.$` key that does not start with
 * `$`) into an IntrinsicCall, checking everything that can be known before run time.
 *
 * Grammar: `Name(arg, arg, ...)` with a name of `[A-Za-z0-9._]`, nothing before or after, and
 * arguments separated by commas with optional whitespace. An argument is a `'string'` (escapes
 * `\'` `\{` `\}` `\\` only), a JSON number, `true`, `false`, `null`, a path (`$…`, `$$…`,
 * `$name…`, ending at a top-level `,` `)` or space) or a nested call.
 */
import { parsePath } from "../path.js";
import { parsed, rejected, type Parsed } from "../parsed.js";
import {
  argumentName,
  arityProblem,
  isIntrinsicName,
  parameterAt,
  SIGNATURES,
  valueProblem,
} from "./functions.js";
import { MAX_INTRINSIC_NESTING, type IntrinsicArgument, type IntrinsicCall } from "./types.js";
import { describeKind, preview } from "./values.js";

/** A piece read from the text and the index just after it, or why it could not be read. */
type Scan<T> = { readonly ok: true; readonly value: T; readonly end: number } | { readonly ok: false; readonly message: string };

const scanned = <T>(value: T, end: number): Scan<T> => ({ ok: true, value, end });
const failed = (message: string): Scan<never> => ({ ok: false, message });

const isNameChar = (char: string | undefined): boolean =>
  char !== undefined && ((char >= "A" && char <= "Z") || (char >= "a" && char <= "z") || (char >= "0" && char <= "9") || char === "." || char === "_");
const isSpace = (char: string | undefined): boolean => char === " " || char === "\t" || char === "\n" || char === "\r";
const isDigit = (char: string | undefined): boolean => char !== undefined && char >= "0" && char <= "9";
const at = (index: number): string => `at character ${index + 1}`;

function skipSpace(text: string, index: number): number {
  let i = index;
  while (isSpace(text[i])) i++;
  return i;
}

/** Parses and statically checks an intrinsic function call such as `States.Format('{}', $.a)`. */
export function parseIntrinsic(source: string): Parsed<IntrinsicCall> {
  if (typeof source !== "string") return rejected("An intrinsic function call must be a string");
  const call = scanCall(source, 0, 1);
  if (!call.ok) return rejected(call.message);
  if (call.end !== source.length) {
    return rejected(`Unexpected ${preview(source.slice(call.end))} after the end of the ${call.value.name} call ${at(call.end)}`);
  }
  return parsed(call.value);
}

function scanCall(text: string, start: number, depth: number): Scan<IntrinsicCall> {
  let i = start;
  while (isNameChar(text[i])) i++;
  const name = text.slice(start, i);
  if (name === "") return failed(`Expected an intrinsic function name such as States.Format ${at(start)}`);
  if (text[i] !== "(") return failed(`Expected '(' after '${name}' ${at(i)}`);
  if (!isIntrinsicName(name)) return failed(`'${name}' is not a known intrinsic function`);
  if (depth > MAX_INTRINSIC_NESTING) {
    return failed(`Intrinsic functions can be nested at most ${MAX_INTRINSIC_NESTING} deep, but ${name} ${at(start)} is at depth ${depth}`);
  }
  const args: IntrinsicArgument[] = [];
  i = skipSpace(text, i + 1);
  if (text[i] === ")") {
    i++;
  } else {
    for (;;) {
      const arg = scanArgument(text, i, depth, name, args.length);
      if (!arg.ok) return arg;
      args.push(arg.value);
      i = skipSpace(text, arg.end);
      const char = text[i];
      if (char === ")") {
        i++;
        break;
      }
      if (char === ",") {
        i = skipSpace(text, i + 1);
        continue;
      }
      if (char === undefined) return failed(`The call of ${name} ${at(start)} has no closing ')'`);
      return failed(`Expected ',' or ')' after argument ${args.length} of ${name}, but found '${char}' ${at(i)}`);
    }
  }
  const call: IntrinsicCall = { name, args, source: text.slice(start, i) };
  const problem = staticProblem(call);
  return problem === undefined ? scanned(call, i) : failed(problem);
}

function scanArgument(text: string, start: number, depth: number, name: string, index: number): Scan<IntrinsicArgument> {
  const char = text[start];
  if (char === undefined) return failed(`Expected argument ${index + 1} of ${name} ${at(start)}, but the text ends`);
  if (char === "'") return scanString(text, start);
  if (char === "$") return scanPath(text, start, name, index);
  if (char === "-" || isDigit(char)) return scanNumber(text, start);
  if (isNameChar(char)) {
    let end = start;
    while (isNameChar(text[end])) end++;
    if (text[end] === "(") {
      const nested = scanCall(text, start, depth + 1);
      return nested.ok ? scanned({ kind: "call", call: nested.value }, nested.end) : nested;
    }
    const word = text.slice(start, end);
    if (word === "null") return scanned({ kind: "literal", value: null }, end);
    if (word === "true") return scanned({ kind: "literal", value: true }, end);
    if (word === "false") return scanned({ kind: "literal", value: false }, end);
    return failed(`Unexpected '${word}' as argument ${index + 1} of ${name} ${at(start)}: an argument is a quoted 'string', a number, true, false, null, a path or an intrinsic function call`);
  }
  return failed(`Unexpected '${char}' as argument ${index + 1} of ${name} ${at(start)}`);
}

/** A single-quoted string; the only escapes are `\'`, `\{`, `\}` and `\\`. */
function scanString(text: string, start: number): Scan<IntrinsicArgument> {
  let value = "";
  for (let i = start + 1; i < text.length; i++) {
    const char = text.charAt(i);
    if (char === "\\") {
      const next = text[i + 1];
      if (next === undefined) return failed(`The string ${at(start)} ends with an unpaired escape character '\\'`);
      if (next !== "'" && next !== "{" && next !== "}" && next !== "\\") {
        return failed(`Invalid escape '\\${next}' in the string ${at(start)}: only \\', \\{, \\} and \\\\ may be escaped`);
      }
      value += next;
      i++;
    } else if (char === "'") {
      return scanned({ kind: "literal", value, raw: text.slice(start + 1, i) }, i + 1);
    } else {
      value += char;
    }
  }
  return failed(`The string ${at(start)} has no closing quote`);
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/** A JSON number: optional minus, no leading zeros, optional fraction and exponent. */
function scanNumber(text: string, start: number): Scan<IntrinsicArgument> {
  NUMBER.lastIndex = start;
  const match = NUMBER.exec(text);
  const end = start + (match?.[0].length ?? 0);
  const after = text[end];
  if (!match || isNameChar(after) || after === "$" || after === "'" || after === "-" || after === "+") {
    let stop = end;
    while (stop < text.length && !isSpace(text[stop]) && text[stop] !== "," && text[stop] !== ")") stop++;
    return failed(`'${text.slice(start, Math.max(stop, start + 1))}' ${at(start)} is not a valid number`);
  }
  const value = Number(match[0]);
  if (!Number.isFinite(value)) return failed(`The number '${match[0]}' ${at(start)} is too large`);
  return scanned({ kind: "literal", value: value === 0 ? 0 : value }, end);
}

/**
 * A path runs to the first `,`, `)` or space outside brackets, parentheses and quotes, so that
 * `$.a['x, y']` and `$.a[?(@.b == 1)]` stay whole.
 */
function scanPath(text: string, start: number, name: string, index: number): Scan<IntrinsicArgument> {
  let brackets = 0;
  let parens = 0;
  let quote: string | undefined;
  let i = start;
  for (; i < text.length; i++) {
    const char = text.charAt(i);
    if (quote !== undefined) {
      if (char === "\\") i++;
      else if (char === quote) quote = undefined;
      continue;
    }
    const nested = brackets > 0 || parens > 0;
    if ((char === "'" || char === '"') && nested) quote = char;
    else if (char === "[") brackets++;
    else if (char === "]" && brackets > 0) brackets--;
    else if (char === "(") parens++;
    else if (char === ")" && parens > 0) parens--;
    else if (!nested && (char === "," || char === ")" || isSpace(char))) break;
  }
  const source = text.slice(start, i);
  if (quote !== undefined || brackets > 0 || parens > 0) {
    return failed(`The path '${source}' in argument ${index + 1} of ${name} is not closed: a quote, bracket or parenthesis is left open`);
  }
  const path = parsePath(source);
  return path.ok
    ? scanned({ kind: "path", path: path.value }, i)
    : failed(`Argument ${index + 1} of ${name} is not a valid path: ${path.message}`);
}

/** What is wrong with a call that can be seen without data, or undefined. */
function staticProblem(call: IntrinsicCall): string | undefined {
  const signature = SIGNATURES[call.name];
  const arity = arityProblem(signature, call.args.length);
  if (arity !== undefined) return arity;
  for (let i = 0; i < call.args.length; i++) {
    const arg = call.args[i];
    const parameter = parameterAt(signature, i);
    if (arg === undefined || parameter === undefined) continue;
    if (arg.kind === "literal") {
      if (parameter.type === "path") {
        return `${argumentName(signature, i, parameter)} must be a path, but it is the literal ${preview(arg.value)}`;
      }
      const problem = valueProblem(signature, i, arg.value);
      if (problem !== undefined) return problem;
    } else if (arg.kind === "call") {
      if (parameter.type === "path") {
        return `${argumentName(signature, i, parameter)} must be a path, but it is a call of ${arg.call.name}`;
      }
      const returns = SIGNATURES[arg.call.name].returns;
      if (returns !== "any" && parameter.type !== "any" && parameter.type !== returns) {
        return `${argumentName(signature, i, parameter)} must be ${describeKind(parameter.type)}, but ${arg.call.name} returns ${describeKind(returns)}`;
      }
    }
  }
  return signature.check?.(call);
}
