/**
 * Typed rejections. A rejected command or a log that does not fit changes nothing: the caller
 * keeps the execution it had.
 */

/** Why a command was refused. */
export type CommandRejectionCode =
  /**
   * The command is not a well-formed command (a missing id, output that is not JSON, an error
   * longer than 256 characters, a time without a UTC offset, ...); for `start`, options that do
   * not fit (a bad seed, name, limit or time), or a workflow that `parse` did not make.
   */
  | "MALFORMED_COMMAND"
  /** The execution has already ended. */
  | "EXECUTION_ENDED"
  /** No pending task has this id or token (never had one, or it was already answered). */
  | "UNKNOWN_TASK"
  /** No pending timer has this id (never had one, or it already fired). */
  | "UNKNOWN_TIMER"
  /** The command's time is before the execution's latest event. */
  | "TIME_WENT_BACKWARDS"
  /**
   * The execution given is not one this library made (or it was changed by hand): the message
   * names the first field that does not fit, as a JSON pointer.
   */
  | "MALFORMED_EXECUTION"
  /** The execution input is larger than the payload limit. */
  | "INPUT_TOO_LARGE"
  /**
   * stepfold failed in a way it did not foresee (a bug, or an execution changed in place after
   * stepfold made it). Nothing was changed; `cause` holds what was thrown.
   */
  | "INTERNAL_ERROR";

/** Thrown by `resume` (and `start`) for a command it will not carry out. */
export class CommandRejected extends Error {
  override readonly name = "CommandRejected";
  constructor(
    readonly code: CommandRejectionCode,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Why an event log (or an event given to `evolve`) was refused. */
export type HistoryMismatchCode =
  /** An event is not well-formed: an unknown type, a field missing or of the wrong type, ids or times out of sequence (or the log is not a list). */
  | "MALFORMED_EVENT"
  /** A well-formed event does not fit the workflow or the execution so far (an unknown state, a transition the workflow does not allow, another definition). */
  | "DOES_NOT_FIT"
  /** `recover` was given something that is not a Workflow made by `parse` (event id 0). */
  | "NOT_A_WORKFLOW"
  /** `evolve` was given something that is not an execution made by stepfold. */
  | "MALFORMED_EXECUTION"
  /** stepfold failed in a way it did not foresee (a bug); `cause` holds what was thrown. */
  | "INTERNAL_ERROR";

/** Thrown by `recover` (and `evolve`) for an event log that does not fit, naming the first event that does not. */
export class HistoryMismatch extends Error {
  override readonly name = "HistoryMismatch";
  constructor(
    /** Id of the offending event (0 when the log itself is empty or not a list, or the workflow is not one). */
    readonly eventId: number,
    /** What is wrong with it. */
    readonly reason: string,
    /** What kind of problem it is. */
    readonly code: HistoryMismatchCode = "DOES_NOT_FIT",
    options?: { readonly cause?: unknown },
  ) {
    super(`Event ${eventId} does not fit: ${reason}`, options);
  }
}
