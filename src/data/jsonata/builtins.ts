/**
 * The functions expressions call: jsonata's built-ins and the ones Step Functions adds, each a
 * function value stepfold makes (see sandbox.ts: no other object may pose as one). Each call is
 * charged to the evaluation by the size of what it takes and what it gives (runtime.ts), and its
 * result bounded in size, so a built-in called over and over by another (`$reduce($list, $append)`)
 * is paid for like a loop.
 *
 * A few are replaced or guarded, because jsonata's own code is slower than linear or builds more
 * than the bounds allow before they can be checked:
 * - `$sort`: jsonata's merge copies the rest of a list for every item it takes (quadratic); this one
 *   merges the same halves by index, calling the comparator in the same order;
 * - `$distinct`: jsonata compares each item with every one kept before it; this one groups items
 *   by their canonical text (equal for exactly the values jsonata's deep equality finds equal);
 * - `$spread`: jsonata copies its result once per item;
 * - `$toMillis` without a picture: jsonata's ISO 8601 check backtracks (quadratic on long text),
 *   and a time without an offset is read in the machine's zone; this one checks the same shape in
 *   linear time and reads such a time as UTC. With a picture, jsonata builds a backtracking regex
 *   of the picture's parts: the call is charged by the ways the text could be cut into them, and
 *   refused past a bound;
 * - pictures (`$formatNumber`, `$formatInteger`, `$parseInteger`, `$fromMillis`, `$toMillis`) are
 *   at most 1,000 characters, with widths of at most 1,000 (jsonata's picture analysis grows with
 *   the cube of the picture's length, and a width is padding it builds);
 * - `$pad`, `$split` and `$zip` are refused when their result would pass the bounds.
 *
 * jsonata hands its originals out only asynchronously: they are read once, on the first evaluation.
 */
import jsonata from "jsonata";
import { charge, chargeCharactersMade, chargeMade, checkSize, chargeValues, JSONATA_LIMITS, LimitExceeded, runOf, type Frame, type Run } from "./runtime.js";
import { ADDED_FUNCTIONS, FunctionArgumentError } from "./functions.js";
import { translateRegex } from "./regex.js";
import { admit, allowFunctionValue, isFunctionValue, markTransformCopy, unfoldedSize } from "./sandbox.js";

/** A jsonata function value: its implementation and its parsed signature. */
interface FunctionDefinition {
  readonly _jsonata_function: true;
  implementation: (this: Focus, ...args: unknown[]) => unknown;
  signature?: unknown;
}

/** What jsonata passes as `this` to a built-in. */
interface Focus {
  readonly environment: Frame;
}

/**
 * How a built-in's work grows with its arguments: `shallow`, with the items of arrays and the
 * characters of strings; `whole`, with everything in a value, as if written out; `text`, with the
 * characters of strings at the rate of jsonata's functions that split a string into an array of
 * its characters first (`$length`, `$substring`, `$pad`, `$replace`: 100 to 250 ns a character);
 * `serialize`, with everything in a value at the rate of jsonata's JSON text with its number
 * formatting (`$string`, `$clone`: about 400 ns a value; `$distinct`'s keys, `$boolean` and `$not`
 * on nested arrays cost about as much).
 */
export type Cost = "shallow" | "whole" | "text" | "serialize";

/** Values of `serialize` work that count as one step. */
const SERIALIZED_PER_STEP = 2;

/** The built-ins an expression may call, with the cost of their arguments. */
const BUILT_INS: Readonly<Record<string, Cost>> = {
  sum: "shallow", count: "shallow", max: "shallow", min: "shallow", average: "shallow",
  string: "serialize", substring: "text", substringBefore: "shallow", substringAfter: "shallow",
  lowercase: "shallow", uppercase: "shallow", length: "text", trim: "shallow", pad: "text",
  match: "shallow", contains: "shallow", replace: "text", split: "shallow", join: "shallow",
  formatNumber: "shallow", formatBase: "shallow", formatInteger: "shallow", parseInteger: "shallow",
  number: "shallow", floor: "shallow", ceil: "shallow", round: "shallow", abs: "shallow", sqrt: "shallow",
  power: "shallow", boolean: "serialize", not: "serialize", map: "shallow", zip: "shallow", filter: "shallow",
  single: "shallow", reduce: "shallow", sift: "shallow", keys: "whole", lookup: "whole", append: "shallow",
  exists: "shallow", spread: "whole", merge: "whole", reverse: "shallow", each: "shallow", error: "shallow",
  assert: "shallow", type: "shallow", sort: "shallow", distinct: "serialize", base64encode: "shallow",
  base64decode: "shallow", encodeUrlComponent: "shallow", encodeUrl: "shallow", decodeUrlComponent: "shallow",
  decodeUrl: "shallow", toMillis: "shallow", fromMillis: "shallow", clone: "serialize",
};

/** Values of work an argument or result stands for: items of an array, characters of a string / 16 (× 16 for `text`). */
const shallowSize = (value: unknown, cost: Cost = "shallow"): number =>
  Array.isArray(value) ? value.length : typeof value === "string" ? (cost === "text" ? value.length * 16 : value.length / 16) : 1;

const isPromise = (value: unknown): value is Promise<unknown> =>
  typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";

const runFor = (focus: Focus): Run | undefined => runOf(focus?.environment);

type Implementation = (this: Focus, ...args: unknown[]) => unknown;

function chargeArgument(run: Run, arg: unknown, cost: Cost): void {
  if (cost === "serialize") charge(run, unfoldedSize(arg) / SERIALIZED_PER_STEP);
  else chargeValues(run, cost === "whole" ? unfoldedSize(arg) : shallowSize(arg, cost));
}

/** The definitions expressions get, filled in with jsonata's originals on the first evaluation. */
const definitions = new Map<string, FunctionDefinition>();
let loading: Promise<void> | undefined;

/**
 * `implementation` with its calls charged: the arguments by their size (`whole`: as written out;
 * `shallow`: items or characters), the result by its size, which is also bounded.
 */
export function withCharges<F extends (this: never, ...args: never[]) => unknown>(implementation: F, cost: Cost): F {
  const wrapped = function (this: Focus, ...args: unknown[]): unknown {
    const run = runFor(this);
    if (run !== undefined) for (const arg of args) chargeArgument(run, arg, cost);
    const result = (implementation as unknown as Implementation).apply(this, args);
    const settle = (value: unknown): unknown => {
      checkSize(value);
      if (run !== undefined) {
        // What the call made: a new string, new arrays and objects (existing ones it returns are free).
        if (typeof value === "string") chargeCharactersMade(run, value.length);
        else admit(value, (made) => chargeMade(run, made));
      }
      return value;
    };
    return isPromise(result) ? result.then(settle) : settle(result);
  };
  // jsonata passes a higher-order function as many arguments as its implementation declares, and
  // reads the parameters' names from its source for a partial application (`$substring(?, 0, 2)`).
  Object.defineProperty(wrapped, "length", { value: implementation.length });
  Object.defineProperty(wrapped, "toString", { value: () => Function.prototype.toString.call(implementation) });
  return wrapped as unknown as F;
}

/**
 * The definition an expression gets for function `name`: `replace` (given the original, jsonata's
 * or Step Functions') with its calls charged, once loaded.
 */
function define(name: string, cost: Cost, replace: (original: Implementation) => Implementation): void {
  const definition: FunctionDefinition = allowFunctionValue({
    _jsonata_function: true,
    implementation: () => {
      throw new Error(`The function $${name} is not loaded.`);
    },
  });
  definitions.set(name, definition);
  pendingOriginals.set(name, (original) => {
    definition.implementation = withCharges(replace(original), cost);
  });
}

const pendingOriginals = new Map<string, (original: Implementation) => void>();

/** Loads the originals and their parsed signatures (once); every evaluation awaits this before it starts. */
export function builtInsReady(): Promise<void> {
  loading ??= (async () => {
    const names = [...pendingOriginals.keys()];
    const probe = jsonata(`[${names.map((name) => `$${name}`).join(",")}]`);
    for (const { name, implementation, signature } of ADDED_FUNCTIONS) probe.registerFunction(name, implementation as never, signature);
    const values = (await probe.evaluate(undefined)) as FunctionDefinition[];
    names.forEach((name, index) => {
      const value = values[index] as FunctionDefinition;
      (definitions.get(name) as FunctionDefinition).signature = value.signature;
      (pendingOriginals.get(name) as (original: Implementation) => void)(value.implementation);
    });
  })();
  return loading;
}

// ---------------------------------------------------------------------------------------------
// Replacements

/** jsonata's sequence flag: a one-item sequence stands for its item. */
const asSequence = <T>(items: T[]): T[] => Object.assign(items, { sequence: true });
const isSequence = (value: unknown): boolean => Array.isArray(value) && (value as { sequence?: unknown }).sequence === true;

type Comparator = (a: unknown, b: unknown) => unknown;

/** Top-down merge sort with jsonata's halves and merge rule: the right item first when `swap` says so. */
async function mergeSort(items: readonly unknown[], swap: Comparator, run: Run | undefined): Promise<unknown[]> {
  if (items.length <= 1) return [...items];
  const middle = Math.floor(items.length / 2);
  const left = await mergeSort(items.slice(0, middle), swap, run);
  const right = await mergeSort(items.slice(middle), swap, run);
  if (run !== undefined) chargeValues(run, items.length);
  const merged: unknown[] = [];
  let l = 0;
  let r = 0;
  while (l < left.length && r < right.length) {
    if (await swap(left[l], right[r])) merged.push(right[r++]);
    else merged.push(left[l++]);
  }
  while (l < left.length) merged.push(left[l++]);
  while (r < right.length) merged.push(right[r++]);
  return merged;
}

const allOf = (items: readonly unknown[], type: "number" | "string"): boolean => items.every((item) => typeof item === type);

function sort(this: Focus, items: unknown[] | undefined, comparator?: Comparator): unknown {
  if (items === undefined) return undefined;
  if (items.length <= 1) return items;
  if (comparator === undefined && !allOf(items, "number") && !allOf(items, "string")) throw { code: "D3070", index: 1 };
  const swap: Comparator = comparator ?? ((a, b) => (a as number) > (b as number));
  return mergeSort(items, swap, runFor(this));
}

/** Numbers for function values, so that a key can name one without reading what it holds. */
const functionIds = new WeakMap<object, number>();
let nextFunctionId = 0;

/**
 * A text that is equal for two values exactly when jsonata's deep equality says they are equal:
 * data by value (objects whatever their key order), functions by identity.
 */
function equalityKey(value: unknown): string {
  if (typeof value === "function" || (typeof value === "object" && value !== null && isFunctionValue(value))) {
    let id = functionIds.get(value as object);
    if (id === undefined) functionIds.set(value as object, (id = nextFunctionId++));
    return `f${id}`;
  }
  if (Array.isArray(value)) return `[${value.map(equalityKey).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${equalityKey((value as Record<string, unknown>)[key])}`).join(",")}}`;
  }
  return typeof value === "string" ? JSON.stringify(value) : `${typeof value}:${String(value)}`;
}

function distinct(this: Focus, value: unknown): unknown {
  if (!Array.isArray(value) || value.length <= 1) return value;
  const seen = new Set<string>();
  const result: unknown[] = isSequence(value) ? asSequence([]) : [];
  for (const item of value) {
    const key = equalityKey(item);
    if (!seen.has(key)) {
      seen.add(key);
      result.push(item);
    }
  }
  return result;
}

/** The single-member objects of an object, in key order. */
const entriesOf = (value: object): Record<string, unknown>[] => {
  const entries: Record<string, unknown>[] = [];
  for (const key in value) {
    const entry: Record<string, unknown> = {};
    entry[key] = (value as Record<string, unknown>)[key];
    entries.push(entry);
  }
  return entries;
};

/**
 * jsonata's `$spread`: an object's members as single-member objects; an array's items spread and
 * flattened (a plain array, once it has an item); anything else as it is.
 */
function spread(this: Focus, value: unknown): unknown {
  const isObject = (item: unknown): item is object => typeof item === "object" && item !== null && !Array.isArray(item) && !isFunctionValue(item);
  if (isObject(value)) return asSequence(entriesOf(value));
  if (!Array.isArray(value)) return value;
  if (value.length === 0) return asSequence([]);
  const result: unknown[] = [];
  const pending: unknown[] = [...value].reverse();
  while (pending.length > 0) {
    const next = pending.pop();
    if (Array.isArray(next)) for (let i = next.length - 1; i >= 0; i--) pending.push(next[i]);
    else if (isObject(next)) result.push(...entriesOf(next));
    else if (next !== undefined) result.push(next);
  }
  return result;
}

/** jsonata's ISO 8601 shape, as its `$toMillis` checks it (run here in linear time). */
const ISO_8601 = (() => {
  const translated = translateRegex("^\\d{4}(-[01]\\d)*(-[0-3]\\d)*(T[0-2]\\d:[0-5]\\d:[0-5]\\d)*(\\.\\d+)?([+-][0-2]\\d:?[0-5]\\d|Z)?$", "");
  if (!translated.ok) throw new Error(translated.message);
  return translated.value.pattern;
})();
const HAS_OFFSET = /(?:Z|[+-]\d\d:?\d\d)$/;

/** Work a picture-driven parse may do, as the number of ways to cut the text into its parts. */
const MAX_PICTURE_SPLITS = 1e8;

/** Ways to cut a text that jsonata's regex tries in about a step (measured: ~0.1 s for 6.7e7). */
const SPLITS_PER_STEP = 500;

const splits = (length: number, parts: number): number => {
  let ways = 1;
  for (let k = 1; k <= parts; k++) ways = (ways * (length - parts + k)) / k;
  return ways;
};

const markersOf = (picture: string): number => (picture.replace(/\[\[|\]\]/g, "").match(/\[/g) ?? []).length;

/** The longest picture string, and the largest width in one, a formatting function takes. */
const MAX_PICTURE = 1000;

/** Cubed picture length of analysis that takes about a step. */
const PICTURE_CUBE_PER_STEP = 200_000;

/**
 * Refuses a picture too long, or with a width too large, to format or parse quickly, and charges
 * jsonata's analysis of it, which grows with the cube of its length (1,000 characters of `#,`: 5 ms).
 */
function checkPicture(picture: unknown, run: Run | undefined): void {
  if (typeof picture !== "string") return;
  if (picture.length > MAX_PICTURE) throw new FunctionArgumentError(`A picture string of more than ${MAX_PICTURE} characters is not supported.`);
  if (run !== undefined) charge(run, picture.length ** 3 / PICTURE_CUBE_PER_STEP);
  // Widths are the numbers after a comma inside a marker: `[Y,4]`, `[D,2-3]`.
  for (const width of picture.matchAll(/,[^\]]*/g)) {
    for (const number of width[0].match(/\d+/g) ?? []) {
      if (Number(number) > MAX_PICTURE) throw new FunctionArgumentError(`A width of more than ${MAX_PICTURE} in a picture string is not supported.`);
    }
  }
}

/** A formatting function whose picture (argument `at`) is checked first. */
const withPicture =
  (at: number) =>
  (original: Implementation): Implementation =>
    function (this: Focus, ...args: unknown[]): unknown {
      checkPicture(args[at], runFor(this));
      return original.apply(this, args);
    };

const toMillis = (original: Implementation): Implementation =>
  function (this: Focus, timestamp: unknown, picture?: unknown): unknown {
    if (timestamp === undefined) return undefined;
    if (typeof picture === "string") {
      checkPicture(picture, runFor(this));
      if (typeof timestamp === "string") {
        const ways = splits(timestamp.length, markersOf(picture));
        if (ways > MAX_PICTURE_SPLITS) throw new FunctionArgumentError(`The timestamp is too long to parse with a picture of ${markersOf(picture)} components.`);
        const run = runFor(this);
        if (run !== undefined) charge(run, ways / SPLITS_PER_STEP);
      }
      return original.call(this, timestamp, picture);
    }
    if (typeof timestamp !== "string" || !ISO_8601.testExact(timestamp)) throw { code: "D3110", value: timestamp };
    // A date and time without an offset is UTC, whatever the machine's zone.
    return Date.parse(timestamp.includes("T") && !HAS_OFFSET.test(timestamp) ? `${timestamp}Z` : timestamp);
  };

/** `$pad` builds its padding (and splits it into characters) before the result can be checked. */
const pad = (original: Implementation): Implementation =>
  function (this: Focus, text: unknown, width: unknown, padding?: unknown): unknown {
    const length = typeof width === "number" ? Math.abs(width) : 0;
    const characters = length * (typeof padding === "string" && padding.length > 0 ? padding.length : 1);
    if (length > JSONATA_LIMITS.maxStringLength || characters > JSONATA_LIMITS.maxStringLength * 2) throw new LimitExceeded("memory");
    const run = runFor(this);
    if (run !== undefined) chargeValues(run, characters * 16);
    return original.call(this, text, width, padding);
  };

/** `$clone`'s copy is the one thing a transform may change (see sandbox.ts). */
const clone = (original: Implementation): Implementation =>
  function (this: Focus, value: unknown): unknown {
    const copy = original.call(this, value);
    markTransformCopy(copy);
    return copy;
  };

/** `$split` makes an item per separator found (per character for ""), all of them before a limit applies. */
const split = (original: Implementation): Implementation =>
  function (this: Focus, text: unknown, separator: unknown, limit?: unknown): unknown {
    const length = typeof text === "string" ? text.length : 0;
    const most = typeof separator === "string" ? (separator === "" ? length : Math.floor(length / separator.length) + 1) : length + 1;
    if (most > JSONATA_LIMITS.maxArrayLength) throw new LimitExceeded("memory");
    return original.call(this, text, separator, limit);
  };

/** `$zip` makes as many arrays as its shortest argument has items, each as long as its arguments are many. */
const zip = (original: Implementation): Implementation =>
  function (this: Focus, ...arrays: unknown[]): unknown {
    const shortest = Math.min(...arrays.map((array) => (Array.isArray(array) ? array.length : 1)));
    if (shortest * (arrays.length + 1) > JSONATA_LIMITS.maxValues) throw new LimitExceeded("memory");
    return original.apply(this, arrays);
  };

const REPLACED: Readonly<Record<string, (original: Implementation) => Implementation>> = {
  sort: () => sort as Implementation,
  distinct: () => distinct as Implementation,
  spread: () => spread as Implementation,
  toMillis,
  pad,
  clone,
  split,
  zip,
  formatNumber: withPicture(1),
  formatInteger: withPicture(1),
  parseInteger: withPicture(1),
  fromMillis: withPicture(1),
};

for (const [name, cost] of Object.entries(BUILT_INS)) define(name, cost, REPLACED[name] ?? ((original) => original));
// Step Functions' functions replace jsonata's of the same name ($random, $shuffle, $now, $millis).
for (const { name } of ADDED_FUNCTIONS) define(name, name === "hash" ? "text" : "shallow", (original) => original);

/** The function definitions to bind in every compiled expression, by name. */
export const BUILT_IN_DEFINITIONS: ReadonlyMap<string, object> = definitions;
