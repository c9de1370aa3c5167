/**
 * Commands: what a host tells an execution. Plain serializable objects, named in the imperative.
 * `at` is the time the command happens (ISO 8601, with `Z` or a `±hh:mm` offset); the core never
 * reads a clock.
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

/** A timer fires; without `at`, at its own time (or now, if that has passed). */
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
