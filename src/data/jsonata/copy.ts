/**
 * Deep copies between JSON data and the values JSONata works with. Data goes into an evaluation as a
 * fresh copy (JSONata adds flags to arrays it is given and fails on frozen ones) and comes out as
 * plain JSON (JSONata returns arrays flagged as sequences, lambdas, `undefined` inside arrays...).
 * The copy is iterative so that deeply nested input cannot overflow the stack, and bounded so that
 * a result sharing one object many times over cannot blow up into an exponential tree.
 */
import { setOwn, type JsonObject } from "../json.js";
import { dataObject, measured } from "./sandbox.js";

/** Why a value could not be copied as JSON. */
export type CopyFailure =
  /** A function (JSONata lambda, built-in, regex matcher) somewhere in the value. */
  | "function"
  /** The value contains itself. */
  | "cycle"
  /** The copy would exceed {@link COPY_LIMITS}. */
  | "size";

/** The outcome of {@link copyAsJson}. */
export type JsonCopy = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: CopyFailure };

/** Bounds on one copy: values visited, and characters of string data (strings are shared, but count). */
export const COPY_LIMITS = { maxValues: 5_000_000, maxStringChars: 50_000_000 } as const;

const own = (target: object, key: string): boolean => Object.prototype.hasOwnProperty.call(target, key);

/**
 * True for a JSONata function value: a lambda (`function($x){...}`), a built-in or registered
 * function, or a plain JavaScript function (a compiled regex). JSON data cannot hold functions, so
 * data that merely has a `_jsonata_lambda` key is not mistaken for one.
 */
export function isJsonataFunction(value: unknown): boolean {
  if (typeof value === "function") return true;
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  if (own(record, "_jsonata_lambda") && record["_jsonata_lambda"] === true) {
    const environment = record["environment"];
    return typeof environment === "object" && environment !== null && typeof (environment as { lookup?: unknown }).lookup === "function";
  }
  return own(record, "_jsonata_function") && record["_jsonata_function"] === true && typeof record["implementation"] === "function";
}

/** A JSON scalar for a non-container value, or a marker saying what else it is. */
type Leaf = { readonly kind: "scalar"; readonly value: unknown } | { readonly kind: "container" } | { readonly kind: "skip" } | { readonly kind: "function" };

const classify = (value: unknown): Leaf => {
  switch (typeof value) {
    case "undefined":
      return { kind: "skip" };
    case "string":
    case "boolean":
      return { kind: "scalar", value };
    case "number":
      // JSON has no -0, NaN or Infinity; Step Functions renders the non-finite ones as text.
      if (Number.isFinite(value)) return { kind: "scalar", value: Object.is(value, -0) ? 0 : value };
      return { kind: "scalar", value: Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity" };
    case "object":
      if (value === null) return { kind: "scalar", value: null };
      return isJsonataFunction(value) ? { kind: "function" } : { kind: "container" };
    default:
      // functions, symbols and bigints have no JSON form
      return { kind: "function" };
  }
};

interface Frame {
  readonly source: object;
  readonly target: unknown[] | JsonObject;
  readonly keys: readonly string[] | null; // null: an array, walked by index
  readonly length: number;
  index: number;
  /** The copy's unfolded size so far: 1, plus each member copied. */
  size: number;
}

/** Who a copy is for: the caller (plain objects), or an expression (data objects, measured). */
export type CopyTarget = "caller" | "expression";

const frameFor = (source: object, target: CopyTarget): Frame => {
  if (Array.isArray(source)) return { source, target: [], keys: null, length: source.length, index: 0, size: 1 };
  const keys = Object.keys(source);
  return { source, target: target === "caller" ? {} : dataObject(), keys, length: keys.length, index: 0, size: 1 };
};

/**
 * Copies `value` into fresh plain JSON: arrays by index (holes and `undefined` become `null`), objects
 * by their own enumerable keys (`undefined` members are left out, `__proto__` stays a plain key),
 * numbers normalised (`-0` → `0`, non-finite → `"NaN"`, `"Infinity"`, `"-Infinity"`). A top-level
 * `undefined` is returned as `undefined`. Fails on functions, cycles and oversized values. A copy for
 * an expression is made of data objects (see sandbox.ts), each measured on the way.
 */
export function copyAsJson(value: unknown, target: CopyTarget = "caller"): JsonCopy {
  const root = classify(value);
  if (root.kind === "function") return { ok: false, reason: "function" };
  if (root.kind === "skip") return { ok: true, value: undefined };
  if (root.kind === "scalar") return { ok: true, value: root.value };

  let values = 1;
  let chars = 0;
  const active = new Set<object>([value as object]);
  const rootFrame = frameFor(value as object, target);
  const stack: Frame[] = [rootFrame];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    if (frame.index >= frame.length) {
      stack.pop();
      active.delete(frame.source);
      if (target === "expression") measured(frame.target, frame.size);
      const parent = stack[stack.length - 1];
      if (parent !== undefined) parent.size += frame.size;
      continue;
    }
    const position = frame.index++;
    const key = frame.keys === null ? position : (frame.keys[position] as string);
    const child: unknown = (frame.source as Record<string | number, unknown>)[key];
    const leaf = classify(child);
    if (++values > COPY_LIMITS.maxValues) return { ok: false, reason: "size" };
    let copied: unknown;
    if (leaf.kind === "function") return { ok: false, reason: "function" };
    if (leaf.kind === "skip") {
      if (frame.keys !== null) continue; // an undefined member is no member at all
      copied = null;
      frame.size++;
    } else if (leaf.kind === "scalar") {
      if (typeof leaf.value === "string" && (chars += leaf.value.length) > COPY_LIMITS.maxStringChars) {
        return { ok: false, reason: "size" };
      }
      copied = leaf.value;
      frame.size++;
    } else {
      const container = child as object;
      if (active.has(container)) return { ok: false, reason: "cycle" };
      active.add(container);
      const childFrame = frameFor(container, target);
      stack.push(childFrame);
      copied = childFrame.target;
    }
    if (frame.keys === null) (frame.target as unknown[]).push(copied);
    else setOwn(frame.target as JsonObject, key as string, copied);
  }
  return { ok: true, value: rootFrame.target };
}
