/**
 * Typed rejections. A rejected command or a log that does not fit changes nothing: the caller
 * keeps the execution it had.
 */

/** Why a command was refused. */
export type CommandRejectionCode =
  /** The command is not a well-formed command (a missing id, output that is not JSON, ...). */
  | "MALFORMED_COMMAND"
  /** The execution has already ended. */
  | "EXECUTION_ENDED"
  /** No pending task has this id or token (never had one, or it was already answered). */
  | "UNKNOWN_TASK"
  /** No pending timer has this id (never had one, or it already fired). */
  | "UNKNOWN_TIMER"
  /** The command's time is before the execution's latest event. */
  | "TIME_WENT_BACKWARDS"
  /** The execution given is not one this library made (or it was changed by hand). */
  | "MALFORMED_EXECUTION"
  /** The execution input is larger than the payload limit. */
  | "INPUT_TOO_LARGE";

/** Thrown by `resume` (and `start`) for a command it will not carry out. */
export class CommandRejected extends Error {
  override readonly name = "CommandRejected";
  constructor(
    readonly code: CommandRejectionCode,
    message: string,
  ) {
    super(message);
  }
}

/** Thrown by `recover` (and `evolve`) for an event log that does not fit, naming the first event that does not. */
export class HistoryMismatch extends Error {
  override readonly name = "HistoryMismatch";
  constructor(
    /** Id of the offending event (0 when the log itself is empty or not a list). */
    readonly eventId: number,
    /** What is wrong with it. */
    readonly reason: string,
  ) {
    super(`Event ${eventId} does not fit: ${reason}`);
  }
}
