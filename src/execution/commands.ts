/**
 * Commands: what a host tells an execution. Plain serializable objects, named in the imperative.
 * `at` is the time the command happens (ISO 8601, with `Z` or a `±hh:mm` offset); the core never
 * reads a clock. One rule for a command without `at`: it happens when the execution last moved
 * (its latest event), or, for a FireTimer, when its timer is due if that is later. So a host that
 * never passes `at` runs on virtual time, and its commands are never refused for going back in time.
 */
import { describeError } from "../data/json.js";
import { MAX_CAUSE_LENGTH, MAX_ERROR_LENGTH } from "./outcome.js";
import { CommandRejected } from "./rejections.js";

/** The host finished a task; `output` is its result. */
export interface CompleteTask {
  readonly type: "CompleteTask";
  /** The task's id, or its task token. */
  readonly id: string;
  readonly output: unknown;
  readonly at?: string;
}

/** The host's task failed with this error and cause (both optional, as with SendTaskFailure). */
export interface FailTask {
  readonly type: "FailTask";
  readonly id: string;
  /** At most 256 characters. */
  readonly error?: string;
  /** At most 32,768 characters. */
  readonly cause?: string;
  readonly at?: string;
}

/** The task is still alive: its heartbeat timer starts again. */
export interface Heartbeat {
  readonly type: "Heartbeat";
  readonly id: string;
  readonly at?: string;
}

/** A timer fires; without `at`, when it is due (or when the execution last moved, if that is later). */
export interface FireTimer {
  readonly type: "FireTimer";
  readonly id: string;
  readonly at?: string;
}

/** Time moves on to `at`: every timer due by then fires, in order. */
export interface AdvanceTime {
  readonly type: "AdvanceTime";
  readonly at: string;
}

/** Stops the execution (StopExecution): everything still running is aborted. */
export interface StopExecution {
  readonly type: "StopExecution";
  /** At most 256 characters. */
  readonly error?: string;
  /** At most 32,768 characters. */
  readonly cause?: string;
  readonly at?: string;
}

/** Any command. */
export type Command = CompleteTask | FailTask | Heartbeat | FireTimer | AdvanceTime | StopExecution;

/** `{ at }` when a time is given, else nothing: a command without `at` follows the rule above. */
const when = (at: string | undefined): { at?: string } => (at === undefined ? {} : { at });

/** The host finished task `id` (its id or task token) with `output`. */
export const completeTask = (id: string, output: unknown, at?: string): CompleteTask => ({ type: "CompleteTask", id, output, ...when(at) });

/** Task `id` failed with `error` and `cause` (both optional, as with SendTaskFailure). */
export const failTask = (id: string, error?: string, cause?: string, at?: string): FailTask => ({
  type: "FailTask",
  id,
  ...(error !== undefined ? { error } : {}),
  ...(cause !== undefined ? { cause } : {}),
  ...when(at),
});

/** Task `id` is alive: its heartbeat timer starts again. */
export const heartbeat = (id: string, at?: string): Heartbeat => ({ type: "Heartbeat", id, ...when(at) });

/** Timer `id` fires: without `at`, when it is due. */
export const fireTimer = (id: string, at?: string): FireTimer => ({ type: "FireTimer", id, ...when(at) });

/** Time moves on to `at`: every timer due by then fires, in order. */
export const advanceTime = (at: string): AdvanceTime => ({ type: "AdvanceTime", at });

/** Stops the execution, as StopExecution does. */
export const stopExecution = (error?: string, cause?: string, at?: string): StopExecution => ({
  type: "StopExecution",
  ...(error !== undefined ? { error } : {}),
  ...(cause !== undefined ? { cause } : {}),
  ...when(at),
});

/** A command as read: each field a single time, so that what is checked is what runs. */
export interface ReadCommand {
  readonly type: unknown;
  readonly id: unknown;
  readonly output: unknown;
  readonly error: unknown;
  readonly cause: unknown;
  readonly at: unknown;
}

const malformed = (message: string): CommandRejected => new CommandRejected("MALFORMED_COMMAND", message);

/** Reads a command's fields once; a command that is no object, or cannot be read (a throwing getter, a Proxy), is refused. */
export function readCommand(command: unknown): ReadCommand {
  if (command === null || typeof command !== "object") throw malformed("A command must be an object");
  try {
    const { type, id, output, error, cause, at } = command as Record<string, unknown>;
    return { type, id, output, error, cause, at };
  } catch (thrown) {
    throw malformed(`The command cannot be read: ${describeError(thrown)}`);
  }
}

/**
 * A command's error and cause, each absent or a string within AWS's lengths for SendTaskFailure and
 * StopExecution (256 and 32,768 characters; AWS answers longer ones with a ValidationException).
 */
export function failureOf(command: ReadCommand): { error?: string; cause?: string } {
  const failure: { error?: string; cause?: string } = {};
  for (const [field, longest] of [
    ["error", MAX_ERROR_LENGTH],
    ["cause", MAX_CAUSE_LENGTH],
  ] as const) {
    const value = command[field];
    if (value === undefined) continue;
    if (typeof value !== "string") throw malformed(`'${field}' must be a string`);
    if (value.length > longest) throw malformed(`'${field}' must be at most ${longest} characters, not ${value.length}`);
    failure[field] = value;
  }
  return failure;
}
