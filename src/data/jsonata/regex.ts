/**
 * JSONata's regular expressions (`/pattern/flags`, flags `i` and `m`) run on a linear-time engine
 * (RE2, through re2js), never on the backtracking RegExp: a pattern such as `(a+)+$` against 30
 * characters of input would otherwise hold the process for minutes.
 *
 * The pattern keeps JavaScript's meaning: it is parsed as JavaScript parses it (regexpp, Annex B
 * syntax without the `u` flag) and written out in RE2's syntax with JavaScript's definitions of
 * `.`, `\s` and the escapes. What RE2 cannot do in linear time is refused when the definition is
 * read: backreferences, lookahead and lookbehind, and repetition counts above 1,000. Two
 * differences remain (see the README): characters outside the Basic Multilingual Plane count as one
 * character, not two, and in multiline mode only `\n` ends a line.
 */
import { RegExpParser, type AST } from "@eslint-community/regexpp";
import { RE2JS } from "re2js";

/** A regular expression ready to run: RE2's compiled form and the JavaScript source it came from. */
export interface LinearRegex {
  readonly source: string;
  readonly pattern: RE2JS;
  /** Work per character searched, in steps: RE2's time grows with the size of its program. */
  readonly stepsPerCharacter: number;
}

/** The largest RE2 program a pattern may compile to (`[ab]{999}c` is about 1,000). */
const MAX_PROGRAM_SIZE = 20_000;

/** Characters × program size that take about a step (measured: 8 to 30 ns per unit, a step ~1 µs). */
const UNITS_PER_STEP = 32;

/** Why a pattern cannot be run in linear time. */
export type RegexTranslation = { readonly ok: true; readonly value: LinearRegex } | { readonly ok: false; readonly message: string };

const parser = new RegExpParser({ ecmaVersion: 2024, strict: false });

class Unsupported extends Error {}

const hex = (code: number): string => `\\x{${code.toString(16)}}`;

/** JavaScript's WhiteSpace and LineTerminator characters: what `\s` matches. */
const SPACE_RANGES: readonly (readonly [number, number])[] = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];
const DIGIT_RANGES: readonly (readonly [number, number])[] = [[0x30, 0x39]];
const WORD_RANGES: readonly (readonly [number, number])[] = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
];
/** What `.` matches: anything but a line terminator. */
const LINE_TERMINATORS: readonly (readonly [number, number])[] = [
  [0x0a, 0x0a],
  [0x0d, 0x0d],
  [0x2028, 0x2029],
];
const MAX_CODE_POINT = 0x10ffff;

/** The ranges not in `ranges` (which are sorted and disjoint). */
const complement = (ranges: readonly (readonly [number, number])[]): [number, number][] => {
  const result: [number, number][] = [];
  let next = 0;
  for (const [from, to] of ranges) {
    if (from > next) result.push([next, from - 1]);
    next = to + 1;
  }
  if (next <= MAX_CODE_POINT) result.push([next, MAX_CODE_POINT]);
  return result;
};

const classItems = (ranges: readonly (readonly [number, number])[]): string =>
  ranges.map(([from, to]) => (from === to ? hex(from) : `${hex(from)}-${hex(to)}`)).join("");

const setRanges = (set: AST.EscapeCharacterSet): readonly (readonly [number, number])[] => {
  const ranges = set.kind === "digit" ? DIGIT_RANGES : set.kind === "space" ? SPACE_RANGES : WORD_RANGES;
  return set.negate ? complement(ranges) : ranges;
};

const isSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdfff;

const character = (code: number): string => {
  if (isSurrogate(code)) throw new Unsupported("a lone surrogate code unit");
  return hex(code);
};

function classElement(element: AST.CharacterClassElement): string {
  switch (element.type) {
    case "Character":
      return character(element.value);
    case "CharacterClassRange":
      if (isSurrogate(element.min.value) || isSurrogate(element.max.value)) throw new Unsupported("a range of surrogate code units");
      return `${hex(element.min.value)}-${hex(element.max.value)}`;
    case "CharacterSet":
      if (element.kind === "property") throw new Unsupported("a Unicode property escape");
      return classItems(setRanges(element));
    default:
      throw new Unsupported("a set operation in a character class");
  }
}

function characterClass(node: AST.CharacterClass): string {
  const items = node.elements.map(classElement).join("");
  // RE2 has no empty class: [] matches nothing and [^] matches anything, as in JavaScript.
  if (items === "") return node.negate ? `[${classItems([[0, MAX_CODE_POINT]])}]` : `[^${classItems([[0, MAX_CODE_POINT]])}]`;
  return node.negate ? `[^${items}]` : `[${items}]`;
}

function quantifier(node: AST.Quantifier): string {
  const { min, max } = node;
  const count = max === Infinity ? (min === 0 ? "*" : min === 1 ? "+" : `{${min},}`) : min === 0 && max === 1 ? "?" : min === max ? `{${min}}` : `{${min},${max}}`;
  return `(?:${element(node.element)})${count}${node.greedy ? "" : "?"}`;
}

function element(node: AST.Element): string {
  switch (node.type) {
    case "Character":
      return character(node.value);
    case "CharacterClass":
      return characterClass(node);
    case "CharacterSet":
      if (node.kind === "any") return `[^${classItems(LINE_TERMINATORS)}]`;
      if (node.kind === "property") throw new Unsupported("a Unicode property escape");
      return `[${classItems(setRanges(node))}]`;
    case "Assertion":
      if (node.kind === "start") return "^";
      if (node.kind === "end") return "$";
      if (node.kind === "word") return node.negate ? "\\B" : "\\b";
      throw new Unsupported(node.kind === "lookahead" ? "a lookahead" : "a lookbehind");
    case "Backreference":
      throw new Unsupported("a backreference");
    case "CapturingGroup":
      return `(${alternatives(node.alternatives)})`;
    case "Group":
      return `(?:${alternatives(node.alternatives)})`;
    case "Quantifier":
      return quantifier(node);
    default:
      throw new Unsupported(`'${node.raw}'`);
  }
}

/** The elements of one alternative; a surrogate pair written as two characters is one code point. */
function sequence(elements: readonly AST.Element[]): string {
  let text = "";
  for (let i = 0; i < elements.length; i++) {
    const current = elements[i] as AST.Element;
    const next = elements[i + 1];
    if (current.type === "Character" && current.value >= 0xd800 && current.value <= 0xdbff && next?.type === "Character" && next.value >= 0xdc00 && next.value <= 0xdfff) {
      text += hex(0x10000 + ((current.value - 0xd800) << 10) + (next.value - 0xdc00));
      i++;
    } else {
      text += element(current);
    }
  }
  return text;
}

const alternatives = (list: readonly AST.Alternative[]): string => list.map((alternative) => sequence(alternative.elements)).join("|");

/**
 * Translates a JavaScript pattern with JSONata's flags (`i`, `m`; jsonata adds `g`, which changes
 * nothing here) into a linear-time regular expression, or says why it cannot be.
 */
export function translateRegex(source: string, flags: string): RegexTranslation {
  let pattern: AST.Pattern;
  try {
    pattern = parser.parsePattern(source, 0, source.length, { unicode: false, unicodeSets: false });
  } catch (error) {
    return { ok: false, message: `The regular expression /${source}/ is not valid: ${(error as Error).message}` };
  }
  try {
    const translated = alternatives(pattern.alternatives);
    const options = (flags.includes("i") ? RE2JS.CASE_INSENSITIVE : 0) | (flags.includes("m") ? RE2JS.MULTILINE : 0);
    const compiled = RE2JS.compile(translated, options);
    if (compiled.programSize() > MAX_PROGRAM_SIZE) throw new Unsupported(`a program of more than ${MAX_PROGRAM_SIZE} instructions`);
    return { ok: true, value: { source, pattern: compiled, stepsPerCharacter: Math.max(1, compiled.programSize()) / UNITS_PER_STEP } };
  } catch (error) {
    const reason = error instanceof Unsupported ? error.message : "a repetition count above 1,000 or a pattern too large";
    return { ok: false, message: `The regular expression /${source}/ uses ${reason}, which stepfold does not support: regular expressions run in linear time.` };
  }
}

/** One match, as jsonata's regex functions expect it. */
export interface RegexMatch {
  readonly match: string;
  readonly start: number;
  readonly end: number;
  readonly groups: (string | undefined)[];
  readonly next: () => RegexMatch | undefined;
}

/** How a search pays for its work, in steps (refusing, by throwing, what the budget cannot pay). */
export interface Meter {
  readonly charge: (steps: number) => void;
}

/**
 * The search function jsonata calls for a regex: `(text, from?)` gives the first match at or after
 * `from`, whose `next()` gives the following one (jsonata's contract: a further empty match is an
 * error, D1004). A search is paid for by the characters from `from` to the end of the text: RE2 may
 * read that far even to find an early match (`/a(a*c)?/` on a run of `a`s), so each search is
 * charged all it may read, before it runs.
 */
export function regexSearch(
  regex: LinearRegex,
  meter: Meter,
  make: (match: RegexMatch) => RegexMatch,
  position: number,
): (text: unknown, from?: unknown) => RegexMatch | undefined {
  const search = (text: unknown, from?: unknown): RegexMatch | undefined => {
    if (typeof text !== "string") throw new Error("A regular expression can only search a string.");
    const start = typeof from === "number" && Number.isInteger(from) && from > 0 ? from : 0;
    if (start > text.length) return undefined;
    meter.charge((text.length - start + 1) * regex.stepsPerCharacter);
    const matcher = regex.pattern.matcher(text);
    if (!matcher.find(start)) return undefined;
    const groups: (string | undefined)[] = [];
    for (let group = 1; group <= matcher.groupCount(); group++) groups.push(matcher.group(group) ?? undefined);
    const end = matcher.end();
    const next = (): RegexMatch | undefined => {
      if (end >= text.length) return undefined;
      const following = search(text, end);
      if (following !== undefined && following.match === "") throw { code: "D1004", position, value: regex.source };
      return following;
    };
    return make({ match: matcher.group() ?? "", start: matcher.start(), end, groups, next });
  };
  return search;
}
