/**
 * Commands: what a host tells an execution. Plain serializable objects, named in the imperative.
 * `at` is the time the command happens (ISO 8601); the core never reads a clock.
 */

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
  readonly error?: string;
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
  readonly error?: string;
  readonly cause?: string;
  readonly at?: string;
}

/** Any command. */
export type Command = CompleteTask | FailTask | Heartbeat | FireTimer | AdvanceTime | StopExecution;
