/**
 * Checks of values that come from outside: stored executions, event logs, start options. A check
 * returns undefined for a value it accepts, else a Flaw: the JSON pointer of the first bad field
 * below the value it was given, and what is wrong there. Nothing is allocated for a good value, so
 * a check costs little on the path where everything is fine.
 */
import { MAX_DATA_DEPTH } from "../data/json.js";

/** The first thing wrong with a value: where (a JSON pointer below the value checked) and what. */
export interface Flaw {
  readonly pointer: string;
  readonly message: string;
}

/** A check of a value: undefined when it is fine. */
export type Check = (value: unknown) => Flaw | undefined;

/** A Flaw in the value itself. */
export const flaw = (message: string): Flaw => ({ pointer: "", message });

/** A Flaw found in `key` of a value, as a Flaw of the value. */
export const within = (key: string | number, inner: Flaw): Flaw => ({ pointer: `/${escapePointer(String(key))}${inner.pointer}`, message: inner.message });

/** A key as a JSON pointer segment (RFC 6901). */
const escapePointer = (key: string): string => key.replace(/~/g, "~0").replace(/\//g, "~1");

/** Whether an object is an array; undefined for a revoked Proxy, which Array.isArray throws on. */
function arrayOrNot(value: object): boolean | undefined {
  try {
    return Array.isArray(value);
  } catch {
    return undefined;
  }
}

/** A short, safe description of a value for messages (never calls the value's own code). */
export function shown(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "object") {
    const array = arrayOrNot(value);
    return array === undefined ? "a revoked Proxy" : array ? "an array" : "an object";
  }
  switch (typeof value) {
    case "string":
      return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}...` : value);
    case "number":
    case "boolean":
    case "bigint":
      return String(value);
    default:
      return `a ${typeof value}`;
  }
}

/** A Flaw saying what the value should have been. */
export const expected = (what: string, value: unknown): Flaw => flaw(value === undefined ? `is missing (it must be ${what})` : `must be ${what}, not ${shown(value)}`);

/** True for an array (not a revoked Proxy). */
export const isList = (value: unknown): value is readonly unknown[] => typeof value === "object" && value !== null && arrayOrNot(value) === true;

/** True for an object that is not an array (nor null, nor a revoked Proxy). */
export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && arrayOrNot(value) === false;

export const string: Check = (value) => (typeof value === "string" ? undefined : expected("a string", value));
export const nonEmptyString: Check = (value) => (typeof value === "string" && value.length > 0 ? undefined : expected("a non-empty string", value));
export const boolean: Check = (value) => (typeof value === "boolean" ? undefined : expected("true or false", value));
export const finiteNumber: Check = (value) => (typeof value === "number" && Number.isFinite(value) ? undefined : expected("a finite number", value));

/** An integer from `min` to `max`, both safe integers. */
export function integer(min: number, max: number = Number.MAX_SAFE_INTEGER): Check {
  const what = max === Number.MAX_SAFE_INTEGER ? `an integer of at least ${min} (a safe integer)` : `an integer from ${min} to ${max}`;
  return (value) => (typeof value === "number" && Number.isInteger(value) && value >= min && value <= max ? undefined : expected(what, value));
}

/** A number from `min` (excluded when `above`) to `max`. */
export function numberIn(min: number, max: number, above = false): Check {
  const what = `a number ${above ? "above" : "from"} ${min} ${above ? "and at most" : "to"} ${max}`;
  return (value) => (typeof value === "number" && (above ? value > min : value >= min) && value <= max ? undefined : expected(what, value));
}

/** One of these values. */
export function oneOf(...values: readonly unknown[]): Check {
  const what = values.length === 1 ? JSON.stringify(values[0]) : `one of ${values.map((v) => JSON.stringify(v)).join(", ")}`;
  return (value) => (values.includes(value) ? undefined : expected(what, value));
}

/** null, or what `check` accepts. */
export const nullable =
  (check: Check): Check =>
  (value) =>
    value === null ? undefined : check(value);

/** An array of at most `maxLength` items that `item` accepts. */
export function arrayOf(item: Check, maxLength = Number.MAX_SAFE_INTEGER): Check {
  return (value) => {
    if (!Array.isArray(value)) return expected("an array", value);
    if (value.length > maxLength) return flaw(`must have at most ${maxLength} items, not ${value.length}`);
    for (let i = 0; i < value.length; i++) {
      const inner = item(value[i]);
      if (inner) return within(i, inner);
    }
    return undefined;
  };
}

/**
 * An object with these `required` and `optional` fields (an optional field may be absent or
 * undefined). A `strict` record has no other fields: a renamed field is a missing one and an
 * unknown one.
 */
export function record(required: Readonly<Record<string, Check>>, optional: Readonly<Record<string, Check>> = {}, strict = false): Check {
  // Arrays of keys and checks, walked by index: the checks run per event and per command.
  const requiredKeys = Object.keys(required);
  const requiredChecks = requiredKeys.map((key) => required[key] as Check);
  const optionalKeys = Object.keys(optional);
  const optionalChecks = optionalKeys.map((key) => optional[key] as Check);
  const known = new Set([...requiredKeys, ...optionalKeys]);
  return (value) => {
    if (!isRecord(value)) return expected("an object", value);
    for (let i = 0; i < requiredKeys.length; i++) {
      const key = requiredKeys[i] as string;
      const inner = (requiredChecks[i] as Check)(value[key]);
      if (inner) return within(key, inner);
    }
    for (let i = 0; i < optionalKeys.length; i++) {
      const key = optionalKeys[i] as string;
      const field = value[key];
      const inner = field === undefined ? undefined : (optionalChecks[i] as Check)(field);
      if (inner) return within(key, inner);
    }
    if (strict) {
      for (const key in value) if (!known.has(key) && Object.hasOwn(value, key)) return within(key, flaw("is not a field stepfold knows here"));
    }
    return undefined;
  };
}

/** Every check in turn; the first Flaw. */
export const allOf =
  (...checks: readonly Check[]): Check =>
  (value) => {
    for (const check of checks) {
      const inner = check(value);
      if (inner) return inner;
    }
    return undefined;
  };

/** Any value a field may hold as JSON data at its top (what lies below is for `jsonData` to check). */
export const jsonValue: Check = (value) =>
  value === null || typeof value === "string" || typeof value === "boolean" || typeof value === "object" || (typeof value === "number" && Number.isFinite(value))
    ? undefined
    : expected("JSON data", value);

/**
 * JSON data through and through: strings, finite numbers, booleans, null, arrays and plain objects
 * (an undefined member is absent, as JSON has it), nested no deeper than MAX_DATA_DEPTH.
 */
export const jsonData: Check = (value) => dataFlaw(value, MAX_DATA_DEPTH);

/** A JSON object whose members are JSON data. */
export const jsonObject: Check = (value) => (isRecord(value) ? dataFlaw(value, MAX_DATA_DEPTH) : expected("a JSON object", value));

function dataFlaw(value: unknown, depth: number): Flaw | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return undefined;
    case "number":
      return Number.isFinite(value) ? undefined : expected("JSON data", value);
    case "object":
      break;
    default:
      return expected("JSON data", value);
  }
  if (value === null) return undefined;
  if (depth === 0) return flaw(`is nested deeper than ${MAX_DATA_DEPTH} levels`);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const inner = dataFlaw(value[i], depth - 1);
      if (inner) return within(i, inner);
    }
    return undefined;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return flaw("must be JSON data, not an instance of a class");
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const member = (value as Record<string, unknown>)[key];
    const inner = member === undefined ? undefined : dataFlaw(member, depth - 1);
    if (inner) return within(key, inner);
  }
  return undefined;
}

/** An object whose `field` picks the check for the whole (a discriminated union). */
export function variant(field: string, cases: Readonly<Record<string, Check>>): Check {
  const names = Object.keys(cases);
  return (value) => {
    if (!isRecord(value)) return expected("an object", value);
    const tag = value[field];
    const check = typeof tag === "string" && Object.hasOwn(cases, tag) ? cases[tag] : undefined;
    return check ? check(value) : within(field, expected(`one of ${names.map((n) => JSON.stringify(n)).join(", ")}`, tag));
  };
}

/** A Flaw as text: its pointer (or "it", for the value itself) and what is wrong. */
export const flawText = (found: Flaw): string => `${found.pointer === "" ? "it" : found.pointer} ${found.message}`;
