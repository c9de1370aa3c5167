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
