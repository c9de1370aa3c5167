/**
 * Small value helpers shared by the intrinsic parser and evaluators.
 */
import { isJsonObject } from "../json.js";

/** The JSON type of a value as argument checks talk about it. */
export type ValueKind = "string" | "number" | "boolean" | "null" | "array" | "object" | "unsupported";

/** Classifies a value; anything JSON cannot hold (undefined, NaN, functions…) is `unsupported`. */
export function kindOf(value: unknown): ValueKind {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  switch (typeof value) {
    case "string":
      return "string";
    case "boolean":
      return "boolean";
    case "number":
      return Number.isFinite(value) ? "number" : "unsupported";
    case "object":
      return isJsonObject(value) ? "object" : "unsupported";
    default:
      return "unsupported";
  }
}

/** "a string", "an array", "null": for messages. */
export function describeKind(kind: ValueKind): string {
  switch (kind) {
    case "null":
      return "null";
    case "array":
    case "object":
      return `an ${kind}`;
    case "unsupported":
      return "not a JSON value";
    default:
      return `a ${kind}`;
  }
}

/**
 * Rounds to the nearest integer, halves toward +∞ (AWS: 1.5 → 2, 2.5 → 3, -0.5 → 0, -1.5 → -1,
 * -2.5 → -2, recorded for States.MathAdd), and never returns -0.
 */
export function roundHalfUp(value: number): number {
  const rounded = Math.round(value);
  return rounded === 0 ? 0 : rounded;
}

/** The smallest and largest 32-bit signed integers, the range of States.MathAdd. */
export const INT32_MIN = -2147483648;
/** See {@link INT32_MIN}. */
export const INT32_MAX = 2147483647;

/** A value shortened for a message: strings quoted, long texts cut. */
export function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Object.prototype.toString.call(value); // a BigInt or a cycle: not JSON anyway
  }
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}
