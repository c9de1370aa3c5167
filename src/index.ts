/**
 * stepfold: a pure, event-sourced interpreter for the Amazon States Language.
 * @packageDocumentation
 */
export { parse, validate } from "./definition/parse.js";
export { DefinitionError } from "./definition/problems.js";
export type { Problem, ProblemCode } from "./definition/problems.js";
export type {
  Catcher,
  ChoiceBranch,
  ChoiceState,
  Dataflow,
  Dynamic,
  FailState,
  IntegrationPattern,
  ItemBatcher,
  ItemReader,
  MapState,
  ParallelState,
  PassState,
  QueryLanguage,
  ResultWriter,
  Retrier,
  Scope,
  State,
  StateType,
  SucceedState,
  TaskState,
  Transition,
  ValueTemplate,
  WaitState,
  Workflow,
} from "./definition/model.js";

export { resumeExecution as resume, recoverExecution as recover, DEFAULT_LIMITS, MAX_LIMIT } from "./execution/drive.js";
export type { Step, StartOptions } from "./execution/drive.js";
export { evolve } from "./execution/evolve.js";
export { CommandRejected, HistoryMismatch } from "./execution/rejections.js";
export type { CommandRejectionCode, HistoryMismatchCode } from "./execution/rejections.js";
export type { Command, CompleteTask, FailTask, Heartbeat, FireTimer, AdvanceTime, StopExecution } from "./execution/commands.js";
export type { HistoryEvent, HistoryEventType } from "./execution/events.js";
export type { Execution, ExecutionStatus, Limits, Pending, TimerPurpose } from "./execution/model.js";

export { start } from "./host/commands.js";
export { completeTask, failTask, heartbeat, fireTimer, advanceTime, stopExecution } from "./execution/commands.js";
export type { StartInput } from "./host/commands.js";
