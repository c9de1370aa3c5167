/**
 * The options of `start`, read once and checked: each field is read a single time (a getter or a
 * Proxy cannot show one value to the check and another to the run), and anything that does not fit
 * is a CommandRejected (MALFORMED_COMMAND) naming the field.
 */
import { describeError } from "../data/json.js";
import { expected, flaw, integer, isRecord, record, shown, type Check, type Flaw } from "./checks.js";
import type { Limits } from "./model.js";
import { CommandRejected } from "./rejections.js";
import { readTime } from "./time.js";

/** How to start an execution; `at` and `seed` make it reproducible. */
export interface StartOptions {
  /** The execution input (default `{}`). */
  readonly input?: unknown;
  /**
   * The execution name (default: a UUID drawn from the seed). As AWS's StartExecution: 1 to 80
   * characters, no white space, none of `< > { } [ ] ? * " # % \ ^ | ~ ` $ & , ; : /`, no control
   * characters, no unpaired surrogates, no U+FFFE or U+FFFF.
   */
  readonly name?: string;
  /** When the execution starts: ISO 8601 with `Z` or a `±hh:mm` offset. */
  readonly at: string;
  /** The seed of every random number the execution draws: an integer from 0 to 2³² − 1. */
  readonly seed: number;
  /** The state machine's ARN (its name is the ARN's last part); 1 to 2,048 characters. */
  readonly stateMachineArn?: string;
  /** The role the execution runs as (`$$.Execution.RoleArn`); 1 to 2,048 characters. */
  readonly roleArn?: string;
  /** STANDARD (default) or EXPRESS: the execution ARN and the context object differ. */
  readonly type?: "STANDARD" | "EXPRESS";
  /** Payload and history limits (default: AWS's, see DEFAULT_LIMITS); each a whole number from 1 to MAX_LIMIT. */
  readonly limits?: Partial<Limits>;
}

/** AWS's limits: 256 KiB payloads, 25,000 history events. */
export const DEFAULT_LIMITS: Limits = { payloadBytes: 262_144, historyEvents: 25_000 };

/**
 * The largest limit `start` takes: far above AWS's, and far above what fits in memory (a billion
 * events, a payload of a gigabyte), but finite, so that a loop always ends.
 */
export const MAX_LIMIT = 1_000_000_000;

/** The largest seed, plus one: the generator takes 32 bits. */
const SEEDS = 2 ** 32;

const limit = integer(1, MAX_LIMIT);

/** Limits as an execution keeps them: both present, each a whole number from 1 to MAX_LIMIT. */
export const limitsCheck: Check = record({ payloadBytes: limit, historyEvents: limit });

/** A seed: an integer from 0 to 2³² − 1. */
export const seedCheck: Check = integer(0, SEEDS - 1);

/** What AWS refuses in an execution name: white space, these characters, control characters, surrogates, U+FFFE and U+FFFF. */
const NOT_IN_NAMES = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f\ud800-\udfff\ufffe\uffff]/;

/** An execution name as AWS's StartExecution takes it. */
const nameCheck: Check = (value) => {
  if (typeof value !== "string" || value.length === 0 || value.length > 80) return expected("1 to 80 characters", value);
  const bad = NOT_IN_NAMES.exec(value);
  return bad ? flaw(`must not contain ${JSON.stringify(bad[0])} (white space, control characters and < > { } [ ] ? * " # % \\ ^ | ~ \` $ & , ; : / are not allowed)`) : undefined;
};

/** An ARN as `start` takes it. */
const arnCheck: Check = (value) => (typeof value === "string" && value.length > 0 && value.length <= 2048 ? undefined : expected("an ARN of 1 to 2,048 characters", value));

const typeCheck: Check = (value) => (value === "STANDARD" || value === "EXPRESS" ? undefined : expected('"STANDARD" or "EXPRESS"', value));

/** The fields of StartOptions. */
const FIELDS = ["input", "name", "at", "seed", "stateMachineArn", "roleArn", "type", "limits"] as const;
type Field = (typeof FIELDS)[number];

/** The options as read: each field once, absent ones left out. */
export type ReadOptions = { -readonly [K in Field]?: unknown };

const refused = (message: string): CommandRejected => new CommandRejected("MALFORMED_COMMAND", message);

/**
 * Reads `start`'s options once into a plain object (limits included), so that what is checked is
 * what runs. Refuses what is not an object, or cannot be read.
 */
export function readOptions(options: unknown): ReadOptions {
  try {
    if (options === undefined) return {};
    if (!isRecord(options)) throw refused(`The options must be an object, not ${shown(options)}`);
    const read: ReadOptions = {};
    for (const field of FIELDS) {
      const value = options[field];
      if (value !== undefined) read[field] = field === "limits" ? readLimits(value) : value;
    }
    return read;
  } catch (error) {
    // A getter, a toJSON or a Proxy (even a revoked one) may throw anything, anywhere in here.
    if (error instanceof CommandRejected) throw error;
    throw refused(`The options cannot be read: ${describeError(error)}`);
  }
}

/** The limits given, each read once; unknown names are refused. */
function readLimits(value: unknown): Partial<Limits> {
  if (!isRecord(value)) throw refused(`'limits' must be an object, not ${shown(value)}`);
  const read: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key !== "payloadBytes" && key !== "historyEvents") throw refused(`'limits' has no limit named ${JSON.stringify(key)} (there are payloadBytes and historyEvents)`);
    const field = value[key];
    if (field !== undefined) read[key] = field;
  }
  return read;
}

/** Options that passed every check, with the defaults filled in (the name is drawn later, from the seed). */
export interface CheckedOptions {
  readonly input: unknown;
  readonly name: string | undefined;
  readonly at: string;
  readonly seed: number;
  readonly stateMachineArn: string;
  readonly roleArn: string;
  readonly type: "STANDARD" | "EXPRESS";
  readonly limits: Limits;
}

const optionChecks: Readonly<Record<Exclude<Field, "input" | "at" | "limits">, Check>> = {
  name: nameCheck,
  seed: seedCheck,
  stateMachineArn: arnCheck,
  roleArn: arnCheck,
  type: typeCheck,
};

/** Checks options read by readOptions and fills in the defaults. */
export function checkOptions(read: ReadOptions): CheckedOptions {
  const at = readTime(read.at, "'at'");
  if (!at.ok) throw refused(at.problem);
  if (read.seed === undefined) throw refused("'seed' is missing (an integer from 0 to 4294967295)");
  for (const [field, check] of Object.entries(optionChecks)) {
    const value = read[field as Field];
    const found = value === undefined ? undefined : check(value);
    if (found) throw refused(`'${field}' ${found.message}`);
  }
  const limits = { ...DEFAULT_LIMITS, ...(read.limits as Partial<Limits> | undefined) };
  const badLimit: Flaw | undefined = limitsCheck(limits);
  if (badLimit) throw refused(`'limits.${badLimit.pointer.slice(1)}' ${badLimit.message}`);
  return {
    input: read.input,
    name: read.name as string | undefined,
    at: at.time,
    // -0 is 0, and is written as 0.
    seed: (read.seed as number) + 0,
    stateMachineArn: (read.stateMachineArn as string | undefined) ?? "arn:aws:states:us-east-1:123456789012:stateMachine:StateMachine",
    roleArn: (read.roleArn as string | undefined) ?? "arn:aws:iam::123456789012:role/stepfold",
    type: (read.type as "STANDARD" | "EXPRESS" | undefined) ?? "STANDARD",
    limits,
  };
}
