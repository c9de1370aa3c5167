/**
 * Small helpers for JSON values that the whole data layer shares: equality, safe object building
 * and compact text. JSON values here are what `JSON.parse` produces: null, booleans, finite
 * numbers, strings, arrays and plain objects whose keys are all own properties.
 */

/** A JSON object: a plain, non-array object whose own enumerable keys are its members. */
export type JsonObject = Record<string, unknown>;

/** True for a JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Sets an own data property, even for keys such as `__proto__` that a plain assignment would
 * treat as the prototype setter. Returns the object for chaining.
 */
export function setOwn(target: JsonObject, key: string, value: unknown): JsonObject {
  if (key === "__proto__") {
    // Only `__proto__` is an accessor on Object.prototype; every other key assigns as data.
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    target[key] = value;
  }
  return target;
}

/** Builds a JSON object from key/value pairs; later pairs win, every key stays plain data. */
export function safeObject(entries: Iterable<readonly [string, unknown]>): JsonObject {
  const result: JsonObject = {};
  for (const [key, value] of entries) setOwn(result, key, value);
  return result;
}

/**
 * Deep equality of two JSON values: numbers by value (`1` equals `1.0`, `0` equals `-0`),
 * arrays element by element, objects by their own keys whatever their order.
 */
export function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEquals(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  for (const key of aKeys) {
    if (!Object.prototype.hasOwnProperty.call(b, key)) return false;
    if (!jsonEquals((a as JsonObject)[key], (b as JsonObject)[key])) return false;
  }
  return true;
}

/** Compact JSON text of a JSON value (`{"a":1,"b":[]}`); `null` for a value JSON cannot express. */
export function stringifyJson(value: unknown): string {
  return JSON.stringify(value) ?? "null";
}

/**
 * A text that is equal for two values exactly when {@link jsonEquals} says they are equal
 * (object keys sorted), so that sets and maps can group JSON values in linear time.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isJsonObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(",")}}`;
  }
  return stringifyJson(value);
}

/**
 * Freezes a value and everything inside it, so that it can be handed out and kept at once: what
 * is already frozen is taken as frozen through (values are frozen from the leaves up, once).
 * Iterative: data may nest deeper than the call stack. Returns the value.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return value;
  const pending: object[] = [value];
  while (pending.length > 0) {
    const next = pending.pop() as object;
    Object.freeze(next);
    for (const key of Object.keys(next)) {
      const member = (next as Record<string, unknown>)[key];
      if (typeof member === "object" && member !== null && !Object.isFrozen(member)) pending.push(member);
    }
  }
  return value;
}

/** Thrown inside {@link copyJsonData} to unwind from any depth; never escapes it. */
class NotJsonData extends Error {}

/**
 * A private deep copy of data that should be JSON, made the way `JSON.stringify` + `JSON.parse`
 * would make it (undefined and function members dropped, `toJSON` honoured, non-finite numbers
 * become null) but several times faster and with `__proto__` kept as a plain key. Fails, with a
 * reason, on BigInts and symbols, on values nested deeper than `maxDepth` (cycles included), and
 * on values that cannot be read (a getter, a `toJSON` or a Proxy that throws).
 */
export function copyJsonData(value: unknown, maxDepth = MAX_DATA_DEPTH): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string } {
  try {
    return { ok: true, value: copyValue(value, maxDepth) };
  } catch (error) {
    if (error instanceof NotJsonData) return { ok: false, message: error.message };
    return { ok: false, message: `reading it failed (${error instanceof RangeError ? "it is nested too deeply" : describeError(error)})` };
  }
}

/** How deep JSON data may nest: Jackson's default (AWS's services parse JSON with Jackson). */
export const MAX_DATA_DEPTH = 1000;

/** The message of something thrown, without trusting its shape (it may be a Proxy or throw itself). */
export function describeError(error: unknown): string {
  try {
    if (error instanceof Error && typeof error.message === "string") return error.message;
    return typeof error === "string" ? error : "an unknown error";
  } catch {
    return "an unknown error";
  }
}

const isDropped = (value: unknown): boolean => value === undefined || typeof value === "function" || typeof value === "symbol";

function copyValue(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : null;
    case "object":
      break;
    default:
      throw new NotJsonData(`a ${typeof value} has no JSON form`);
  }
  if (value === null) return null;
  if (depth === 0) throw new NotJsonData("it is cyclic or nested too deeply");
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") return copyValue(toJSON.call(value), depth - 1);
  if (Array.isArray(value)) {
    const copy: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      copy[i] = isDropped(item) ? null : copyValue(item, depth - 1);
    }
    return copy;
  }
  const copy: JsonObject = {};
  // for-in with an own-key check lists what Object.keys would, without building the list.
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const item = (value as JsonObject)[key];
    if (!isDropped(item)) setOwn(copy, key, copyValue(item, depth - 1));
  }
  return copy;
}
