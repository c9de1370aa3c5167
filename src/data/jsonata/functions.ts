/**
 * The functions Step Functions adds to JSONata (`$partition`, `$range`, `$hash`, `$random`,
 * `$uuid`, `$parse`), and deterministic replacements for the JSONata built-ins that would read the
 * clock or `Math.random` (`$now`, `$millis`, `$shuffle`). Each reads the evaluation's {@link Run}
 * from the jsonata environment it is called in. Non-integer arguments to integer parameters are
 * rounded down (DG).
 */
import jsonata from "jsonata";
import { hashHex, isHashAlgorithm, HASH_ALGORITHMS } from "../hash.js";
import { MAX_DATA_DEPTH } from "../json.js";
import { nestedDeeperThan } from "../size.js";
import { uuidV4 } from "../intrinsics/random.js";
import { JSONATA_LIMITS, LimitExceeded, runOf, type Frame, type Run } from "./runtime.js";

/** What jsonata passes as `this` to a registered function. */
interface Focus {
  readonly environment: Frame;
}

/** An argument error raised by one of these functions; reported with its message alone. */
export class FunctionArgumentError extends Error {}

/** One function to register: its JSONata name, implementation and jsonata signature. */
export interface AddedFunction {
  readonly name: string;
  readonly signature: string;
  readonly implementation: (this: Focus, ...args: never[]) => unknown;
}

const runFor = (focus: Focus): Run => {
  const run = runOf(focus.environment);
  if (run === undefined) throw new FunctionArgumentError("This function is only available while a state evaluates an expression.");
  return run;
};

/** Draws from the evaluation's random source, refusing a source that breaks its contract. */
const draw = (run: Run): number => {
  const value = run.random();
  if (!(typeof value === "number" && value >= 0 && value < 1)) {
    throw new FunctionArgumentError("The random source returned a number outside [0, 1).");
  }
  return value;
};

/** jsonata marks arrays that are sequences: a one-item sequence yields its item, an empty one nothing. */
const asSequence = <T>(items: T[]): T[] => Object.assign(items, { sequence: true });

const TWO_32 = 4294967296;
const mod32 = (n: number): number => ((n % TWO_32) + TWO_32) % TWO_32;

/** MurmurHash3's finaliser: spreads every input bit over the output. */
const mix32 = (input: number): number => {
  let h = input >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};

/** A number in [0, 1) fixed by an integer seed (53 random bits). */
export function seededRandom(seed: number): number {
  const low = mod32(seed);
  const high = mod32(Math.floor(seed / TWO_32));
  const a = mix32(low ^ mix32(high ^ 0x9e3779b9));
  const b = mix32(a ^ 0x6a09e667);
  return (a * 2 ** 21 + (b >>> 11)) / 2 ** 53;
}

/** The integer a numeric argument stands for (rounded down); refuses non-finite numbers. */
const integer = (value: number, what: string): number => {
  if (!Number.isFinite(value)) throw new FunctionArgumentError(`The ${what} must be a finite number.`);
  return Math.floor(value);
};

function partition(this: Focus, array: unknown[] | undefined, size: number | undefined): unknown {
  if (array === undefined || size === undefined) return undefined;
  const chunk = integer(size, "chunk size of $partition");
  if (chunk < 1) throw new FunctionArgumentError("The chunk size of $partition must be a positive integer.");
  const chunks: unknown[][] = [];
  for (let start = 0; start < array.length; start += chunk) chunks.push(array.slice(start, start + chunk));
  return chunks;
}

function range(this: Focus, start: number | undefined, end: number | undefined, step: number | undefined): unknown {
  if (start === undefined || end === undefined || step === undefined) return undefined;
  const first = integer(start, "start of $range");
  const last = integer(end, "end of $range");
  const by = integer(step, "step of $range");
  if (by === 0) throw new FunctionArgumentError("The step of $range must not be zero.");
  const count = (last - first) / by < 0 ? 0 : Math.floor((last - first) / by) + 1;
  if (count > JSONATA_LIMITS.maxArrayLength) throw new LimitExceeded("memory");
  const items: number[] = [];
  for (let i = 0; i < count; i++) items.push(first + i * by);
  return asSequence(items);
}

function hash(this: Focus, text: string | undefined, algorithm: string | undefined): unknown {
  if (text === undefined || algorithm === undefined) return undefined;
  if (!isHashAlgorithm(algorithm)) {
    throw new FunctionArgumentError(`The hash algorithm '${algorithm}' is not supported; use one of ${HASH_ALGORITHMS.join(", ")}.`);
  }
  return hashHex(text, algorithm);
}

function random(this: Focus, seed: number | undefined): unknown {
  const run = runFor(this);
  return seed === undefined ? draw(run) : seededRandom(integer(seed, "seed of $random"));
}

function uuid(this: Focus): unknown {
  const run = runFor(this);
  return uuidV4(() => draw(run));
}

function parse(this: Focus, text: string | undefined): unknown {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    // JSON.parse defines every key as an own data property, `__proto__` included.
    value = JSON.parse(text);
  } catch {
    throw new FunctionArgumentError("The argument of $parse is not valid JSON text.");
  }
  if (nestedDeeperThan(value, MAX_DATA_DEPTH)) throw new FunctionArgumentError(`The argument of $parse is nested deeper than ${MAX_DATA_DEPTH} levels.`);
  return value;
}

function shuffle(this: Focus, array: unknown[] | undefined): unknown {
  if (array === undefined) return undefined;
  if (array.length <= 1) return array;
  const run = runFor(this);
  // the "inside-out" Fisher-Yates shuffle, as jsonata's own $shuffle, drawing from the run
  const result: unknown[] = new Array<unknown>(array.length);
  for (let i = 0; i < array.length; i++) {
    const j = Math.min(i, Math.floor(draw(run) * (i + 1)));
    if (i !== j) result[i] = result[j];
    result[j] = array[i];
  }
  return result;
}

const fromMillis = jsonata("$fromMillis($ms, $picture, $timezone)");

function now(this: Focus, picture: string | undefined, timezone: string | undefined): unknown {
  const run = runFor(this);
  return fromMillis.evaluate(undefined, { ms: run.nowMillis, picture, timezone });
}

function millis(this: Focus): unknown {
  return runFor(this).nowMillis;
}

/** Everything registered on each compiled expression, overriding any built-in of the same name. */
export const ADDED_FUNCTIONS: readonly AddedFunction[] = [
  { name: "partition", signature: "<an:a>", implementation: partition },
  { name: "range", signature: "<nnn:a<n>>", implementation: range },
  { name: "hash", signature: "<ss:s>", implementation: hash },
  { name: "random", signature: "<n?:n>", implementation: random },
  { name: "uuid", signature: "<:s>", implementation: uuid },
  { name: "parse", signature: "<s:x>", implementation: parse },
  { name: "shuffle", signature: "<a:a>", implementation: shuffle },
  { name: "now", signature: "<s?s?:s>", implementation: now },
  { name: "millis", signature: "<:n>", implementation: millis },
];
