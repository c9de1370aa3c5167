/**
 * The table of intrinsic functions: for each one its parameters (type and value rules), what it
 * returns, an optional definition-time check across arguments, and its evaluator. The parser and
 * the evaluator both read this table; no function is special-cased anywhere else.
 */
import { canonicalJson, jsonEquals, MAX_DATA_DEPTH, setOwn, stringifyJson, type JsonObject } from "../json.js";
import { nestedDeeperThan } from "../size.js";
import { HASH_ALGORITHMS, hashHex, isHashAlgorithm, type HashAlgorithm } from "../hash.js";
import type { Parsed } from "../parsed.js";
import { decodeBase64, encodeBase64 } from "./base64.js";
import { renderTemplate, splitTemplate } from "./format.js";
import { integerBetween, seededUnit, uuidV4 } from "./random.js";
import {
  INTRINSIC_FAILURE_ERROR,
  type IntrinsicArgument,
  type IntrinsicCall,
  type IntrinsicEnvironment,
  type IntrinsicName,
  type IntrinsicResult,
} from "./types.js";
import { describeKind, INT32_MAX, INT32_MIN, kindOf, preview, roundHalfUp } from "./values.js";

/** What a parameter accepts. `path`: any value, but the argument must be written as a path. */
export type ParameterType = "any" | "string" | "number" | "boolean" | "array" | "object" | "path";

/** The JSON type a function returns; `any` when it depends on the data. */
export type ReturnType = Exclude<ParameterType, "path">;

/** One parameter of an intrinsic function. */
export interface Parameter {
  /** What the argument is, for messages: "chunk size". */
  readonly label: string;
  readonly type: ParameterType;
  /**
   * A rule on a value already known to be of `type`: the end of a sentence saying what is
   * wrong ("must be a positive integer, but it is 0"), or undefined when the value is fine.
   * Checked on literals when the definition is read and on every value at run time.
   */
  readonly rule?: (value: unknown) => string | undefined;
}

/** How to evaluate a call whose arguments passed every parameter check. */
export type Evaluator = (args: readonly unknown[], call: IntrinsicCall, env: IntrinsicEnvironment) => IntrinsicResult;

/** One entry of the intrinsic function table. */
export interface IntrinsicSignature {
  readonly name: IntrinsicName;
  readonly parameters: readonly Parameter[];
  /** How many of `parameters` must be given (the rest are optional). */
  readonly required: number;
  /** A parameter repeated any number of times after `parameters`. */
  readonly variadic?: Parameter;
  readonly returns: ReturnType;
  /** A definition-time check across arguments (e.g. placeholders against arguments). */
  readonly check?: (call: IntrinsicCall) => string | undefined;
  readonly evaluate: Evaluator;
}

// ---------------------------------------------------------------- helpers

const ok = (value: unknown): IntrinsicResult => ({ ok: true, value });
const fail = (message: string): IntrinsicResult => ({ ok: false, error: INTRINSIC_FAILURE_ERROR, message });

const MAX_TEXT_LENGTH = 10000;
const MAX_RANGE_LENGTH = 1000;

const literalValue = (arg: IntrinsicArgument | undefined): unknown =>
  arg?.kind === "literal" ? arg.value : undefined;

const maxLength = (text: unknown): string | undefined =>
  (text as string).length > MAX_TEXT_LENGTH
    ? `must be at most ${MAX_TEXT_LENGTH} characters long, but it has ${(text as string).length}`
    : undefined;

const positiveInteger = (value: unknown): string | undefined =>
  roundHalfUp(value as number) >= 1 ? undefined : `must be a positive integer, but it is ${preview(value)}`;

const notNegative = (value: unknown): string | undefined =>
  roundHalfUp(value as number) >= 0 ? undefined : `must not be negative, but it is ${preview(value)}`;

const nonZero = (value: unknown): string | undefined =>
  roundHalfUp(value as number) !== 0 ? undefined : `must not be 0 (after rounding), but it is ${preview(value)}`;

const int32 = (value: unknown): string | undefined => {
  const rounded = roundHalfUp(value as number);
  return rounded >= INT32_MIN && rounded <= INT32_MAX
    ? undefined
    : `must be an integer from ${INT32_MIN} to ${INT32_MAX}, but it is ${preview(value)}`;
};

const hashAlgorithm = (value: unknown): string | undefined =>
  isHashAlgorithm(value) ? undefined : `must be one of ${HASH_ALGORITHMS.join(", ")}, but it is ${preview(value)}`;

const shallowOnly = (value: unknown): string | undefined =>
  value === false ? undefined : "must be false: Step Functions only supports a shallow merge";

/** Number of elements of the range start, start+step, … up to end inclusive (0 when step points away). */
export function rangeLength(start: number, end: number, step: number): number {
  if (step === 0) return Infinity;
  const span = (end - start) / step;
  return span < 0 ? 0 : Math.floor(span) + 1;
}

const rangeProblem = (length: number): string | undefined =>
  length > MAX_RANGE_LENGTH
    ? `States.ArrayRange would create ${length} elements, but an array it creates may have at most ${MAX_RANGE_LENGTH}`
    : undefined;

const randomBoundsProblem = (start: number, end: number): string | undefined =>
  end > start
    ? undefined
    : `The end (argument 2) of States.MathRandom must be greater than its start (argument 1), but the range is [${start}, ${end})`;

// States.Format: split each literal template once; the table is a cache keyed by the argument object.
const splitTemplates = new WeakMap<IntrinsicArgument, Parsed<readonly string[]>>();

function templateOf(call: IntrinsicCall, runtimeTemplate: unknown): Parsed<readonly string[]> | undefined {
  const first = call.args[0];
  if (first?.kind === "literal" && first.raw !== undefined) {
    let split = splitTemplates.get(first);
    if (split === undefined) {
      split = splitTemplate(first.raw, true);
      splitTemplates.set(first, split);
    }
    return split;
  }
  return typeof runtimeTemplate === "string" ? splitTemplate(runtimeTemplate, false) : undefined;
}

const placeholderProblem = (placeholders: number, values: number): string | undefined =>
  placeholders === values
    ? undefined
    : `The template of States.Format has ${placeholders} placeholder${placeholders === 1 ? "" : "s"} '{}', but ${values} value${values === 1 ? "" : "s"} ${values === 1 ? "follows" : "follow"} it`;

/** Splits on every character of `delimiters` (by code point), dropping empty pieces. */
function splitOnCharacters(text: string, delimiters: string): string[] {
  const separators = new Set(Array.from(delimiters));
  const pieces: string[] = [];
  let piece = "";
  for (const char of text) {
    if (separators.has(char)) {
      if (piece !== "") pieces.push(piece);
      piece = "";
    } else {
      piece += char;
    }
  }
  if (piece !== "") pieces.push(piece);
  return pieces;
}

// ---------------------------------------------------------------- the table

const string = (label: string, rule?: Parameter["rule"]): Parameter => ({ label, type: "string", ...(rule ? { rule } : {}) });
const number = (label: string, rule?: Parameter["rule"]): Parameter => ({ label, type: "number", ...(rule ? { rule } : {}) });
const array = (label: string): Parameter => ({ label, type: "array" });
const anyValue = (label: string): Parameter => ({ label, type: "any" });

const SIGNATURE_LIST: readonly IntrinsicSignature[] = [
  {
    name: "States.Format",
    parameters: [string("template")],
    required: 1,
    variadic: anyValue("value"),
    returns: "string",
    // No definition-time check of the template: AWS accepts a malformed one and fails at run time.
    evaluate(args, call) {
      const split = templateOf(call, args[0]);
      if (split === undefined) return fail("The template of States.Format must be a string");
      if (!split.ok) return fail(split.message);
      const problem = placeholderProblem(split.value.length - 1, args.length - 1);
      return problem ? fail(problem) : ok(renderTemplate(split.value, args, 1));
    },
  },
  {
    name: "States.StringToJson",
    parameters: [string("JSON text")],
    required: 1,
    returns: "any",
    evaluate(args) {
      const text = args[0] as string;
      // AWS (recorded): "" and " " give null, "-0" gives 0.
      if (text.trim() === "") return ok(null);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return fail(`States.StringToJson could not parse ${preview(text)} as JSON`);
      }
      if (nestedDeeperThan(value, MAX_DATA_DEPTH)) return fail(`States.StringToJson could not parse ${preview(text)}: it is nested deeper than ${MAX_DATA_DEPTH} levels`);
      return ok(value === 0 ? 0 : value);
    },
  },
  {
    name: "States.JsonToString",
    parameters: [{ label: "data", type: "path" }],
    required: 1,
    returns: "string",
    evaluate: (args) => ok(stringifyJson(args[0])),
  },
  {
    name: "States.Array",
    parameters: [],
    required: 0,
    variadic: anyValue("element"),
    returns: "array",
    evaluate: (args) => ok(args.slice()),
  },
  {
    name: "States.ArrayPartition",
    parameters: [array("array"), number("chunk size", positiveInteger)],
    required: 2,
    returns: "array",
    evaluate(args) {
      const items = args[0] as readonly unknown[];
      const size = roundHalfUp(args[1] as number);
      const chunks: unknown[][] = [];
      for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
      return ok(chunks);
    },
  },
  {
    name: "States.ArrayContains",
    parameters: [array("array"), anyValue("value")],
    required: 2,
    returns: "boolean",
    evaluate: (args) => ok((args[0] as readonly unknown[]).some((item) => jsonEquals(item, args[1]))),
  },
  {
    name: "States.ArrayRange",
    parameters: [number("start"), number("end"), number("step", nonZero)],
    required: 3,
    returns: "array",
    check(call) {
      const [start, end, step] = call.args.map(literalValue);
      if (typeof start !== "number" || typeof end !== "number" || typeof step !== "number") return undefined;
      return rangeProblem(rangeLength(roundHalfUp(start), roundHalfUp(end), roundHalfUp(step)));
    },
    evaluate(args) {
      const start = roundHalfUp(args[0] as number);
      const step = roundHalfUp(args[2] as number);
      const length = rangeLength(start, roundHalfUp(args[1] as number), step);
      const problem = rangeProblem(length);
      if (problem) return fail(problem);
      const items = new Array<number>(length);
      for (let i = 0; i < length; i++) items[i] = start + i * step;
      return ok(items);
    },
  },
  {
    name: "States.ArrayGetItem",
    parameters: [array("array"), number("index", notNegative)],
    required: 2,
    returns: "any",
    evaluate(args) {
      const items = args[0] as readonly unknown[];
      const index = roundHalfUp(args[1] as number);
      return index < items.length
        ? ok(items[index])
        : fail(`The index ${index} (argument 2) of States.ArrayGetItem is out of bounds for an array of length ${items.length}`);
    },
  },
  {
    name: "States.ArrayLength",
    parameters: [array("array")],
    required: 1,
    returns: "number",
    evaluate: (args) => ok((args[0] as readonly unknown[]).length),
  },
  {
    name: "States.ArrayUnique",
    parameters: [array("array")],
    required: 1,
    returns: "array",
    evaluate(args) {
      const seen = new Set<string>();
      const unique: unknown[] = [];
      for (const item of args[0] as readonly unknown[]) {
        const key = canonicalJson(item);
        if (!seen.has(key)) {
          seen.add(key);
          unique.push(item);
        }
      }
      return ok(unique);
    },
  },
  {
    name: "States.Base64Encode",
    parameters: [string("text", maxLength)],
    required: 1,
    returns: "string",
    evaluate: (args) => ok(encodeBase64(args[0] as string)),
  },
  {
    name: "States.Base64Decode",
    parameters: [string("Base64 text", maxLength)],
    required: 1,
    returns: "string",
    evaluate(args) {
      const decoded = decodeBase64(args[0] as string);
      return decoded.ok ? ok(decoded.value) : fail(`States.Base64Decode could not decode its argument: ${decoded.message}`);
    },
  },
  {
    name: "States.Hash",
    parameters: [anyValue("data"), string("algorithm", hashAlgorithm)],
    required: 2,
    returns: "string",
    evaluate(args) {
      const data = args[0];
      const text = typeof data === "string" ? data : stringifyJson(data);
      const problem = maxLength(text);
      if (problem) return fail(`Argument 1 of States.Hash (data) ${problem}`);
      return ok(hashHex(text, args[1] as HashAlgorithm));
    },
  },
  {
    name: "States.JsonMerge",
    parameters: [
      { label: "first object", type: "object" },
      { label: "second object", type: "object" },
      { label: "deep merge flag", type: "boolean", rule: shallowOnly },
    ],
    required: 3,
    returns: "object",
    evaluate(args) {
      const merged: JsonObject = {};
      for (const source of [args[0], args[1]] as readonly JsonObject[]) {
        for (const key of Object.keys(source)) setOwn(merged, key, source[key]);
      }
      return ok(merged);
    },
  },
  {
    name: "States.MathRandom",
    parameters: [number("start"), number("end"), number("seed")],
    required: 2,
    returns: "number",
    check(call) {
      const [start, end] = call.args.map(literalValue);
      if (typeof start !== "number" || typeof end !== "number") return undefined;
      return randomBoundsProblem(roundHalfUp(start), roundHalfUp(end));
    },
    evaluate(args, _call, env) {
      const start = roundHalfUp(args[0] as number);
      const end = roundHalfUp(args[1] as number);
      const problem = randomBoundsProblem(start, end);
      if (problem) return fail(problem);
      const unit = args.length > 2 ? seededUnit(roundHalfUp(args[2] as number)) : env.random();
      return ok(integerBetween(unit, start, end));
    },
  },
  {
    name: "States.MathAdd",
    parameters: [number("first number", int32), number("second number", int32)],
    required: 2,
    returns: "number",
    evaluate(args) {
      const sum = roundHalfUp(args[0] as number) + roundHalfUp(args[1] as number);
      return sum >= INT32_MIN && sum <= INT32_MAX
        ? ok(sum)
        : fail(`The sum ${sum} computed by States.MathAdd is outside the range ${INT32_MIN} to ${INT32_MAX}`);
    },
  },
  {
    name: "States.StringSplit",
    parameters: [string("text"), string("delimiter characters")],
    required: 2,
    returns: "array",
    evaluate: (args) => ok(splitOnCharacters(args[0] as string, args[1] as string)),
  },
  {
    name: "States.UUID",
    parameters: [],
    required: 0,
    returns: "string",
    evaluate: (_args, _call, env) => ok(uuidV4(() => env.random())),
  },
];

/** The intrinsic function table, by name. */
export const SIGNATURES: Readonly<Record<IntrinsicName, IntrinsicSignature>> = Object.freeze(
  Object.fromEntries(SIGNATURE_LIST.map((signature) => [signature.name, signature])) as Record<
    IntrinsicName,
    IntrinsicSignature
  >,
);

/** Every intrinsic function name, in the table's order. */
export const INTRINSIC_NAMES: readonly IntrinsicName[] = SIGNATURE_LIST.map((signature) => signature.name);

/** True when `name` is one of the 18 intrinsic functions (own table entries only). */
export function isIntrinsicName(name: string): name is IntrinsicName {
  return Object.prototype.hasOwnProperty.call(SIGNATURES, name);
}

// ---------------------------------------------------------------- argument checks

/** The parameter the argument at `index` binds to, or undefined past the last one. */
export function parameterAt(signature: IntrinsicSignature, index: number): Parameter | undefined {
  return signature.parameters[index] ?? signature.variadic;
}

/** A sentence saying the number of arguments is wrong, or undefined when it is right. */
export function arityProblem(signature: IntrinsicSignature, count: number): string | undefined {
  const min = signature.required;
  const max = signature.variadic ? Infinity : signature.parameters.length;
  if (count >= min && count <= max) return undefined;
  const given = `but ${count} ${count === 1 ? "was" : "were"} given`;
  const plural = (n: number): string => `${n} argument${n === 1 ? "" : "s"}`;
  if (max === 0) return `${signature.name} takes no arguments, ${given}`;
  if (max === Infinity) return `${signature.name} takes at least ${plural(min)}, ${given}`;
  if (min === max) return `${signature.name} takes exactly ${plural(min)}, ${given}`;
  return `${signature.name} takes ${min} to ${plural(max)}, ${given}`;
}

/** Names the parameter in a message: "Argument 2 of States.ArrayPartition (chunk size)". */
export function argumentName(signature: IntrinsicSignature, index: number, parameter: Parameter): string {
  return `Argument ${index + 1} of ${signature.name} (${parameter.label})`;
}

/**
 * What is wrong with a value given for the argument at `index`: a whole sentence, or undefined
 * when the value has the parameter's type and passes its rule.
 */
export function valueProblem(signature: IntrinsicSignature, index: number, value: unknown): string | undefined {
  const parameter = parameterAt(signature, index);
  if (parameter === undefined) return undefined;
  const kind = kindOf(value);
  if (kind === "unsupported") return `${argumentName(signature, index, parameter)} is not a JSON value`;
  if (parameter.type !== "any" && parameter.type !== "path" && kind !== parameter.type) {
    return `${argumentName(signature, index, parameter)} must be ${describeKind(parameter.type)}, but it is ${describeKind(kind)}`;
  }
  const problem = parameter.rule?.(value);
  return problem === undefined ? undefined : `${argumentName(signature, index, parameter)} ${problem}`;
}

/** Makes an argument failure of the table's error name (used by the evaluator). */
export const argumentFailure = fail;
