/**
 * Evaluating filter tests (`[?(...)]`) against one item: Jayway's comparisons, with no JavaScript
 * ever evaluated. The paths inside a filter are read with `read.ts`, whose filter segments call back here.
 */
import { isObject, readDefinite, selectAll } from "./read.js";
import type { FilterExpression, FilterOperand, FilterOperator, FilterPath } from "./types.js";

/** Marks a filter operand whose path selected nothing (Jayway's UndefinedNode). */
const UNDEFINED: unique symbol = Symbol("undefined");
type OperandValue = unknown;
/** True when `item` passes the filter; `document` is what `$` reads inside the filter. */
export function testFilter(test: FilterExpression, item: unknown, document: unknown): boolean {
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
