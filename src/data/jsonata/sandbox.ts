/**
 * What an expression can hold: JSON data, and the functions jsonata and stepfold give it.
 *
 * jsonata reads a field as `value[key]`, so from any object that inherits from Object.prototype an
 * expression reaches `constructor`, `__proto__` and `__lookupSetter__`; and it calls any JavaScript
 * function it holds with `this` bound to the value in hand, which leads to `Function` and so to the
 * host. Three layers keep evaluation inside data:
 * - every object an expression can see inherits from {@link DATA_PROTOTYPE}, which has nothing to
 *   give: data goes in as such copies, and every value jsonata makes is given that prototype
 *   (`admit`) before the next step can read it;
 * - functions are known by who made them: a function value (an object jsonata runs as a lambda or
 *   a built-in) only if an evaluation or stepfold made it, never because it says it is one; a
 *   JavaScript function only if stepfold made it for the expression (a regex search,
 *   DATA_PROTOTYPE's `isPrototypeOf`) or jsonata made it to pass a function value as an argument.
 *   Anything else found anywhere in a value stops the evaluation (a native function, jsonata's
 *   internals reached through a wildcard on a function), and so does any object that is not plain
 *   data (a Date, a frame, a prototype, a thenable);
 * - `admit` also measures each value as if it were written out as a tree ({@link unfoldedSize}), so
 *   that no value that shares its parts many times over can be made bigger than the evaluation's
 *   memory bound, and the cost of work on whole values can be charged to the evaluation.
 */
import { JSONATA_LIMITS, LimitExceeded } from "./limits.js";

/** Thrown when an expression holds something that is neither data nor one of its functions. */
export class NotData extends Error {
  constructor(message = "The expression used a value that is neither JSON data nor a JSONata function.") {
    super(message);
  }
}

/**
 * Marks the JavaScript functions that may appear in an evaluation (a symbol no expression can
 * write: cheaper than a table for the search function of each of thousands of regex matches).
 */
const ALLOWED: unique symbol = Symbol("stepfold allowed function");

/** Lets `fn` appear in an evaluation. */
export function allowFunction<F extends object>(fn: F): F {
  Object.defineProperty(fn, ALLOWED, { value: true });
  return fn;
}

/**
 * The prototype of every object an expression sees. It offers `isPrototypeOf` alone (jsonata's
 * transform operator calls it on what its pattern matched), not enumerable, and nothing else.
 */
export const DATA_PROTOTYPE: object = Object.freeze(
  Object.create(null, {
    isPrototypeOf: {
      value: allowFunction(function isPrototypeOf(this: unknown, value: unknown): boolean {
        return typeof this === "object" && this !== null && Object.prototype.isPrototypeOf.call(this, value as object);
      }),
      enumerable: false,
    },
  }) as object,
);

/** A new empty object for an expression's data. */
export const dataObject = (): Record<string, unknown> => Object.create(DATA_PROTOTYPE) as Record<string, unknown>;

/**
 * Marks jsonata's function values that evaluations made (lambdas, partial applications,
 * transforms) or that stepfold gives them (built-ins): opaque, never walked. An object that merely
 * says it is one (`{"_jsonata_lambda": true, "body": ...}`) is refused: jsonata would run its data.
 */
const FUNCTION_VALUE: unique symbol = Symbol("stepfold function value");

/** Lets `value`, a function value made by jsonata or stepfold, appear in an evaluation. */
export function allowFunctionValue<T extends object>(value: T): T {
  Object.defineProperty(value, FUNCTION_VALUE, { value: true });
  return value;
}

/** True for an object jsonata takes for a function value (it checks these two members). */
export function looksLikeFunctionValue(value: object): boolean {
  const record = value as Record<string, unknown>;
  return record["_jsonata_lambda"] === true || record["_jsonata_function"] === true;
}

/** True for a function value made by jsonata or stepfold. */
export const isFunctionValue = (value: object): boolean => Object.hasOwn(value, FUNCTION_VALUE);

/**
 * The unfolded size of an admitted container (1 for the container, plus its members'), kept on
 * the container under a symbol: invisible to expressions, to JSON and to `Object.keys`, and
 * cheaper than a table for the thousands of containers a copy of the input holds.
 */
const SIZE: unique symbol = Symbol("stepfold size");

const tooBig = (size: number): boolean => size > JSONATA_LIMITS.maxValues;

/**
 * Records the unfolded size of a container made for an expression (a copy of its data). The copy
 * a transform is changing is never measured: its sizes would go stale with each change.
 */
export function measured(container: object, size: number): void {
  if ((container as { [TRANSFORM_COPY]?: boolean })[TRANSFORM_COPY] === true) return;
  Object.defineProperty(container, SIZE, { value: size, configurable: true });
}

/**
 * True for a function jsonata made to pass a function value as an argument: its own `arity` marks
 * it, and it is JavaScript source, not a native function (which no expression can reach to mark).
 */
function isArgumentClosure(fn: object): boolean {
  const arity = Object.getOwnPropertyDescriptor(fn, "arity");
  return arity !== undefined && typeof arity.value === "number" && !Function.prototype.toString.call(fn).includes("[native code]");
}

/** Checks one member of a container; returns its unfolded size once known, or -1 to walk it. */
function memberSize(value: unknown): number {
  if (typeof value === "function") {
    if (!Object.hasOwn(value, ALLOWED)) {
      if (!isArgumentClosure(value)) throw new NotData();
      allowFunction(value);
    }
    return 1;
  }
  if (typeof value !== "object" || value === null) return 1;
  if (Object.hasOwn(value, FUNCTION_VALUE)) return 1;
  // Before a size is trusted: data can say it is a function however it came in.
  if (looksLikeFunctionValue(value)) throw new NotData("The expression used an object that poses as a function.");
  // Own only: an object made to inherit from data (`{"__proto__": x}`) would read x's size.
  if (Object.hasOwn(value, SIZE)) return (value as { [SIZE]: number })[SIZE];
  return -1;
}

/** Gives a plain object DATA_PROTOTYPE, or refuses what is not plain data. */
function adoptObject(value: object): void {
  // Anything whose own class is not Object (a Date, a Promise, a RegExp...) or that is a prototype.
  if (Object.prototype.toString.call(value) !== "[object Object]" || value === Object.prototype || value === DATA_PROTOTYPE || !Object.isExtensible(value)) {
    throw new NotData();
  }
  // jsonata awaits its values: one with a callable `then` would be awaited forever.
  if (typeof (value as { then?: unknown }).then === "function") throw new NotData("A value with a function named 'then' cannot be used.");
  // `{"__proto__": x}` makes an object inherit from data x: it keeps its own members only.
  if (Object.getPrototypeOf(value) !== DATA_PROTOTYPE) Object.setPrototypeOf(value, DATA_PROTOTYPE);
}

/** The own members to walk: an array's items, an object's enumerable own values. */
const membersOf = (value: object): readonly unknown[] => (Array.isArray(value) ? value : Object.keys(value).map((key) => (value as Record<string, unknown>)[key]));

/**
 * Makes a value safe for the next step of an evaluation: every object in it gets
 * {@link DATA_PROTOTYPE}, and it is refused ({@link NotData}) if it holds a JavaScript function
 * stepfold did not make or an object that is not plain data, or ({@link LimitExceeded}) if its
 * unfolded size passes the memory bound. Already admitted parts are not walked again: `made` is told
 * how many members the new parts hold (values the evaluation made). Returns the unfolded size.
 */
export function admit(value: unknown, made?: (members: number) => void): number {
  const size = memberSize(value);
  if (size >= 0) return size;
  let walked = 0;
  // An explicit stack: a value may be nested far deeper than the call stack allows.
  const stack: { readonly container: object; readonly members: readonly unknown[]; index: number; total: number }[] = [];
  const opened = new Set<object>();
  const open = (container: object): void => {
    // A transform can make a value contain itself (`~> |$|{'self': $}|`).
    if (opened.has(container)) throw new NotData("The expression made a value that contains itself.");
    opened.add(container);
    if (Array.isArray(container)) {
      if (Object.getPrototypeOf(container) !== Array.prototype || !Object.isExtensible(container)) throw new NotData();
    } else {
      adoptObject(container);
    }
    stack.push({ container, members: membersOf(container), index: 0, total: 1 });
  };
  open(value as object);
  let done = 0;
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as (typeof stack)[number];
    if (top.index < top.members.length) {
      const member = top.members[top.index++];
      walked++;
      const known = memberSize(member);
      if (known < 0) {
        open(member as object);
        continue;
      }
      top.total += known;
      if (tooBig(top.total)) throw new LimitExceeded("memory");
      continue;
    }
    stack.pop();
    opened.delete(top.container);
    measured(top.container, top.total);
    done = top.total;
    const parent = stack[stack.length - 1];
    if (parent !== undefined) {
      parent.total += top.total;
      if (tooBig(parent.total)) throw new LimitExceeded("memory");
    }
  }
  made?.(walked);
  return done;
}

/** The unfolded size of a value (1 for a scalar), admitting it first if it was not yet. */
export const unfoldedSize = (value: unknown): number => admit(value);

/**
 * Marks the containers of the copy a transform is changing: `true` while it runs (the only values
 * it may change, never measured), `false` once it has returned them.
 */
const TRANSFORM_COPY: unique symbol = Symbol("stepfold transform copy");

/** Sets the mark on every container of `copy` that holds the other value (or none). */
function setTransformMark(copy: unknown, changing: boolean): void {
  const stack: unknown[] = [copy];
  while (stack.length > 0) {
    const next = stack.pop();
    if (typeof next !== "object" || next === null || isFunctionValue(next)) continue;
    const mark = (next as { [TRANSFORM_COPY]?: boolean })[TRANSFORM_COPY];
    if (mark === changing || (!changing && mark === undefined)) continue;
    if (mark === undefined) Object.defineProperty(next, TRANSFORM_COPY, { value: changing, writable: true });
    else (next as { [TRANSFORM_COPY]: boolean })[TRANSFORM_COPY] = changing;
    for (const member of membersOf(next)) stack.push(member);
  }
}

/** Marks `copy` (made by `$clone` for a transform) as the one value the transform may change. */
export const markTransformCopy = (copy: unknown): void => setTransformMark(copy, true);

/** The transform has returned `result`: its parts may be measured, and no transform changes them again. */
export const settleTransformCopy = (result: unknown): void => setTransformMark(result, false);

/**
 * Refuses a transform's change to `match` unless it is part of the copy the transform is making: a
 * pattern may name any value (`|$v|{...}|`), and changing one in place would change data other
 * values share, after their sizes were measured.
 */
export function checkTransformTarget(match: unknown): void {
  if (typeof match === "object" && match !== null && (match as { [TRANSFORM_COPY]?: boolean })[TRANSFORM_COPY] !== true) {
    throw new NotData("A transform can change only the copy it makes of its input.");
  }
}
