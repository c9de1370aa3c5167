/**
 * History events. Types and detail fields follow AWS's execution history (GetExecutionHistory):
 * `ExecutionStarted` with `executionStartedEventDetails`, `PassStateEntered` with
 * `stateEnteredEventDetails`, ... Payloads are JSON values rather than JSON text. Fields AWS does
 * not have, which replay needs, are ours: `run` (the scope an event belongs to; absent for the
 * machine itself), `taskId`, `timer`, `next`, `retry`, `random`, ... Every evaluated value is in an
 * event, so `evolve` evaluates nothing. history.ts lists the fields each type must have, which
 * `recover` and the public `evolve` check before they fold an event.
 */
import type { ExecutionFacts, Limits } from "./model.js";
import type { RandomState } from "./random.js";

/** A timer an event starts. */
export interface TimerStart {
  readonly id: string;
  /** ISO 8601 time at which it fires. */
  readonly until: string;
}

/** The retry an error leads to: which retrier, the new retry count, and the timer to wait for. */
export interface RetryDecision {
  readonly retrier: number;
  readonly retryCount: number;
  readonly timer: TimerStart;
}

/** Fields every event has. */
export interface EventEnvelope {
  readonly id: number;
  readonly previousEventId: number;
  readonly timestamp: string;
  /** The run (Parallel branch or Map iteration) the event belongs to; absent for the machine. */
  readonly run?: string;
  /** The generator's state after this event drew random numbers. */
  readonly random?: RandomState;
  /**
   * Set on the events of a Distributed Map's iterations: AWS records them in the child executions'
   * own histories, not in this one (an AWS-shaped view leaves them out).
   */
  readonly child?: true;
}

type Event<T extends string, Body> = EventEnvelope & { readonly type: T } & Body;

/** The state types whose events are named after them. */
type StateTypeName = "Pass" | "Task" | "Choice" | "Wait" | "Succeed" | "Fail" | "Parallel" | "Map";
type ExitingType = Exclude<StateTypeName, "Fail">;
type AbortableType = "Task" | "Wait" | "Parallel" | "Map";

/** `<Type>StateEntered`. */
export type StateEnteredEvent = Event<
  `${StateTypeName}StateEntered`,
  {
    readonly stateEnteredEventDetails: { readonly name: string; readonly input: unknown };
    /** Wait: the timer it waits for (absent when there is nothing to wait). */
    readonly timer?: TimerStart;
  }
>;

/** `<Type>StateExited`. */
export type StateExitedEvent = Event<
  `${ExitingType}StateExited`,
  {
    readonly stateExitedEventDetails: {
      readonly name: string;
      readonly output: unknown;
      /** Variables the state assigned (JSON values, where AWS shows JSON text). */
      readonly assignedVariables?: Readonly<Record<string, unknown>>;
    };
    /** The state the run goes to; absent when the run ends here. */
    readonly next?: string;
  }
>;

/** `<Type>StateAborted`. */
export type StateAbortedEvent = Event<`${AbortableType}StateAborted`, object>;

/** The three families of task events: service integrations, Lambda function ARNs, activities. */
export type TaskFamily = "Task" | "LambdaFunction" | "Activity";

/** Details of a Scheduled event, per family (AWS's fields). */
export type TaskScheduledEvent =
  | Event<
      "TaskScheduled",
      {
        readonly taskScheduledEventDetails: {
          readonly resourceType: string;
          readonly resource: string;
          readonly region: string;
          readonly parameters: unknown;
          readonly timeoutInSeconds?: number;
          readonly heartbeatInSeconds?: number;
          readonly taskCredentials?: { readonly roleArn: unknown };
        };
        readonly taskId: string;
        readonly token?: string;
        /** The Resource as the definition writes it (AWS splits it into resourceType and resource). */
        readonly resourceArn: string;
      }
    >
  | Event<
      "LambdaFunctionScheduled",
      {
        readonly lambdaFunctionScheduledEventDetails: { readonly resource: string; readonly input: unknown; readonly timeoutInSeconds?: number };
        readonly taskId: string;
      }
    >
  | Event<
      "ActivityScheduled",
      {
        readonly activityScheduledEventDetails: {
          readonly resource: string;
          readonly input: unknown;
          readonly timeoutInSeconds?: number;
          readonly heartbeatInSeconds?: number;
        };
        readonly taskId: string;
        readonly token: string;
      }
    >;

/** The timers a started task runs under. */
export interface TaskTimers {
  readonly timeout?: TimerStart;
  readonly heartbeat?: TimerStart;
}

/** `TaskStarted`, `LambdaFunctionStarted`, `ActivityStarted`: the task's clock starts. */
export type TaskStartedEvent =
  | Event<"TaskStarted", { readonly taskStartedEventDetails: { readonly resourceType: string; readonly resource: string }; readonly taskId: string; readonly timers?: TaskTimers }>
  | Event<"LambdaFunctionStarted", { readonly taskId: string; readonly timers?: TaskTimers }>
  | Event<"ActivityStarted", { readonly activityStartedEventDetails: { readonly workerName?: string }; readonly taskId: string; readonly timers?: TaskTimers }>;

/** `TaskSubmitted`: a `.sync` or `.waitForTaskToken` task was handed over and is being waited for. */
export type TaskSubmittedEvent = Event<
  "TaskSubmitted",
  { readonly taskSubmittedEventDetails: { readonly resourceType: string; readonly resource: string }; readonly taskId: string }
>;

/** A heartbeat from the host (ours: AWS records none, but it moves the heartbeat timer). */
export type TaskHeartbeatEvent = Event<"TaskHeartbeat", { readonly taskId: string; readonly timer: TimerStart }>;

/** A task's result. */
export type TaskSucceededEvent =
  | Event<"TaskSucceeded", { readonly taskSucceededEventDetails: { readonly resourceType: string; readonly resource: string; readonly output: unknown }; readonly taskId: string }>
  | Event<"LambdaFunctionSucceeded", { readonly lambdaFunctionSucceededEventDetails: { readonly output: unknown }; readonly taskId: string }>
  | Event<"ActivitySucceeded", { readonly activitySucceededEventDetails: { readonly output: unknown }; readonly taskId: string }>;

/** Error and cause, both optional as in AWS's details. */
export interface ErrorDetails {
  readonly error?: string;
  readonly cause?: string;
}

/** A task's failure or time-out, with the retry it leads to (if any). */
export type TaskFailedEvent =
  | Event<
      "TaskFailed" | "TaskTimedOut",
      {
        readonly taskFailedEventDetails?: { readonly resourceType: string; readonly resource: string } & ErrorDetails;
        readonly taskTimedOutEventDetails?: { readonly resourceType: string; readonly resource: string } & ErrorDetails;
        readonly taskId: string;
        readonly retry?: RetryDecision;
      }
    >
  | Event<
      "LambdaFunctionFailed" | "LambdaFunctionTimedOut" | "ActivityFailed" | "ActivityTimedOut",
      {
        readonly lambdaFunctionFailedEventDetails?: ErrorDetails;
        readonly lambdaFunctionTimedOutEventDetails?: ErrorDetails;
        readonly activityFailedEventDetails?: ErrorDetails;
        readonly activityTimedOutEventDetails?: ErrorDetails;
        readonly taskId: string;
        readonly retry?: RetryDecision;
      }
    >;

/** Parallel: the branches start (again, on a retry). */
export type ParallelStartedEvent = Event<"ParallelStateStarted", { readonly branches: number }>;
/** Map: every iteration succeeded. (AWS records no ParallelStateSucceeded: a Parallel exits straight away.) */
export type CompoundSucceededEvent = Event<"MapStateSucceeded", object>;
/** Parallel or Map: a branch or iteration failed (or the Map could not start); the retry it leads to. */
export type CompoundFailedEvent = Event<"ParallelStateFailed" | "MapStateFailed", ErrorDetails & { readonly retry?: RetryDecision }>;

/** Map: the iterations start (again, on a retry) over these items. */
export type MapStartedEvent = Event<
  "MapStateStarted",
  {
    readonly mapStateStartedEventDetails: { readonly length: number };
    readonly items: readonly unknown[];
    readonly effectiveInput: unknown;
    readonly maxConcurrency: number;
    /** Distributed Map: the evaluated tolerated-failure thresholds. */
    readonly tolerance?: { readonly count?: number; readonly percentage?: number };
    /** Distributed Map with ItemBatcher: the items are batches, already through ItemSelector. */
    readonly batched?: true;
  }
>;

/** Map iteration events; `iteration` is the iteration's run id. */
export type MapIterationEvent =
  | Event<"MapIterationStarted", { readonly mapIterationStartedEventDetails: { readonly name: string; readonly index: number }; readonly iteration: string }>
  | Event<"MapIterationSucceeded", { readonly mapIterationSucceededEventDetails: { readonly name: string; readonly index: number }; readonly iteration: string; readonly output: unknown }>
  | Event<
      "MapIterationFailed",
      {
        readonly mapIterationFailedEventDetails: { readonly name: string; readonly index: number };
        readonly iteration: string;
        /** A failure a Distributed Map tolerates: the item's result is its error output. */
        readonly output?: unknown;
        /** The Map retries (AWS writes no MapStateFailed before a retry). */
        readonly retry?: RetryDecision;
      } & ErrorDetails
    >
  | Event<"MapIterationAborted", { readonly mapIterationAbortedEventDetails: { readonly name: string; readonly index: number }; readonly iteration: string }>;

/** Distributed Map: the Map Run that stands for the child executions. */
export type MapRunEvent =
  | Event<"MapRunStarted", { readonly mapRunStartedEventDetails: { readonly mapRunArn: string } }>
  | Event<"MapRunSucceeded", object>
  | Event<"MapRunFailed", { readonly mapRunFailedEventDetails: ErrorDetails }>
  | Event<"MapRunAborted", object>;

/** A JSONata expression failed (before the state fails or its error is handled). */
export type EvaluationFailedEvent = Event<
  "EvaluationFailed",
  {
    readonly evaluationFailedEventDetails: { readonly error: string; readonly cause: string; readonly location?: string; readonly state: string };
    readonly retry?: RetryDecision;
  }
>;

/** The execution begins: everything replay needs to rebuild it. */
export type ExecutionStartedEvent = Event<
  "ExecutionStarted",
  {
    readonly executionStartedEventDetails: { readonly input: unknown; readonly roleArn: string; readonly stateMachineArn: string };
    readonly execution: ExecutionFacts;
    /** Fingerprint of the workflow definition. */
    readonly workflow: string;
    readonly seed: number;
    readonly limits: Limits;
    /** The machine's TimeoutSeconds, as a timer. */
    readonly timer?: TimerStart;
  }
>;

/** The execution ends. */
export type ExecutionEndedEvent =
  | Event<"ExecutionSucceeded", { readonly executionSucceededEventDetails: { readonly output: unknown } }>
  | Event<"ExecutionFailed", { readonly executionFailedEventDetails: ErrorDetails }>
  | Event<"ExecutionAborted", { readonly executionAbortedEventDetails: ErrorDetails }>
  | Event<"ExecutionTimedOut", { readonly executionTimedOutEventDetails: ErrorDetails }>;

/** Every event of a history. */
export type HistoryEvent =
  | ExecutionStartedEvent
  | ExecutionEndedEvent
  | StateEnteredEvent
  | StateExitedEvent
  | StateAbortedEvent
  | TaskScheduledEvent
  | TaskStartedEvent
  | TaskSubmittedEvent
  | TaskHeartbeatEvent
  | TaskSucceededEvent
  | TaskFailedEvent
  | ParallelStartedEvent
  | CompoundSucceededEvent
  | CompoundFailedEvent
  | MapStartedEvent
  | MapIterationEvent
  | MapRunEvent
  | EvaluationFailedEvent;

/** Every event type. */
export type HistoryEventType = HistoryEvent["type"];

/** An event before the history gives it its id, previousEventId and timestamp. */
export type NewEvent = HistoryEvent extends infer E ? (E extends HistoryEvent ? Omit<E, "id" | "previousEventId" | "timestamp"> : never) : never;
