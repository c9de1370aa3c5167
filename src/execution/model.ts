/**
 * The state of an execution: plain JSON that `evolve` builds from events, `decide` reads, and a
 * host may store with `JSON.stringify` and resume after `JSON.parse`. An execution a Step returns
 * is sealed: frozen at its top, and known to `resume`, which trusts it without a look; one read
 * back from storage is checked through once (see stored.ts).
 */
import type { RandomState } from "./random.js";
import type { Table } from "./table.js";

/** Where an execution stands (AWS's execution statuses). */
export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "ABORTED" | "TIMED_OUT";

/** The limits an execution enforces, each a whole number from 1 to 1,000,000,000. */
export interface Limits {
  /** Largest state input, output or task result in UTF-8 bytes (AWS: 262,144). */
  readonly payloadBytes: number;
  /** Most events in the history (AWS: 25,000). */
  readonly historyEvents: number;
}

/** Facts about the execution that the context object (`$$`) shows. */
export interface ExecutionFacts {
  /** The execution ARN (`$$.Execution.Id`). */
  readonly id: string;
  readonly name: string;
  readonly input: unknown;
  readonly roleArn: string;
  readonly startTime: string;
  readonly stateMachine: { readonly id: string; readonly name: string };
  /** The state machine type; Express executions have no redrive count. */
  readonly type: "STANDARD" | "EXPRESS";
}

/** The version of the executions' shape that this build makes and resumes; one more whenever it changes. */
export const EXECUTION_VERSION = 5;
/** An execution's `format`: its shape's version, so that a stored one can be recognized. */
export const EXECUTION_FORMAT = `stepfold-execution/${EXECUTION_VERSION}` as const;

/** An execution: facts, where every run stands, and the work the host owes it. */
export interface Execution {
  /** The format of this object, so stored executions can be recognized. */
  readonly format: typeof EXECUTION_FORMAT;
  /** The fingerprint of the workflow it runs (a hash of the definition). */
  readonly workflow: string;
  /** The definition it runs, so that `resume` needs nothing but the execution. */
  readonly definition: Readonly<Record<string, unknown>>;
  readonly facts: ExecutionFacts;
  readonly status: ExecutionStatus;
  /** Time of the latest event (ISO 8601); commands may not go back before it. */
  readonly time: string;
  readonly lastEventId: number;
  readonly random: RandomState;
  readonly limits: Limits;
  /**
   * The machine's own run (id ""). It is kept out of `runs` because nearly every event touches it:
   * updating a field of the execution costs less than a copied path of a table.
   */
  readonly root: Run;
  /**
   * The other scopes that are running: Parallel branches and Map iterations, by run id. A task
   * handed to the host lives in its run's active state (its id names the run): answering it
   * changes that run alone, not a second table as well.
   */
  readonly runs: Table<Run>;
  /** Timers the host must fire, by timer id. */
  readonly timers: Table<TimerWork>;
  /**
   * The id of each pending task that has a task token, by token: a token is random, so it cannot
   * name its run as an id does, and without this a command sent with one searched every run.
   */
  readonly tokens: Table<string>;
  /**
   * The final output (SUCCEEDED) or error and cause (FAILED, ABORTED, TIMED_OUT); null while it
   * runs. Always present, so that every execution has one shape (V8 makes a new hidden class for
   * each object that gains a property by a spread).
   */
  readonly outcome: { readonly output: unknown } | { readonly error?: string; readonly cause?: string } | null;
}

/** One running `States` scope. */
export interface Run {
  readonly id: string;
  /** The run that holds the Parallel or Map state this run belongs to (null for the machine). */
  readonly parent: string | null;
  /** Which scope of the workflow: the machine, branch `index` of a Parallel, or an iteration of a Map. */
  readonly scope: { readonly kind: "root" } | { readonly kind: "branch" | "iteration"; readonly state: string; readonly index: number };
  /** Variables assigned in this scope (outer scopes are read through `parent`). */
  readonly variables: Readonly<Record<string, unknown>>;
  /** Id of the latest event of this run, for `previousEventId`. */
  readonly lastEventId: number;
  /** The state running now; null between states and once the run has ended. */
  readonly state: ActiveState | null;
  /** How the run ended; null while it runs. */
  readonly ended: { readonly output: unknown } | { readonly error?: string; readonly cause?: string } | null;
  /** The state the run goes to next, between an Exited event and the next Entered one; else null. */
  readonly next: string | null;
  /**
   * Set on a Map iteration once its Map has taken its result (MapIterationSucceeded, or a tolerated
   * MapIterationFailed): the run then only holds that result, in `ended`, until the Map collects
   * every result when it succeeds. Keeping results on their runs spares a table write per iteration.
   */
  readonly collected: boolean;
}

/** A state of a run, from its Entered event until it exits. */
export interface ActiveState {
  readonly name: string;
  readonly enteredEventId: number;
  readonly enteredTime: string;
  /** The raw state input. */
  readonly input: unknown;
  /** Retries so far (`$$.State.RetryCount`). */
  readonly retryCount: number;
  /** Attempts used per retrier, by index. */
  readonly retriers: readonly number[];
  readonly work: Work;
}

/** What a state is waiting for. */
export type Work =
  /** Nothing yet (between Entered and the state's first step). */
  | { readonly kind: "none" }
  /** A task handed to the host and not yet answered. */
  | { readonly kind: "task"; readonly task: TaskWork }
  | { readonly kind: "wait"; readonly timerId: string }
  | { readonly kind: "retry"; readonly timerId: string }
  | {
      readonly kind: "parallel";
      /** Run ids of the branches, by index (a branch has ended when its run has `ended`). */
      readonly branches: readonly string[];
    }
  | {
      readonly kind: "map";
      /** The items, as evaluated when the Map started. */
      readonly items: readonly unknown[];
      /** The Map state's effective input (ItemSelector reads it). */
      readonly effectiveInput: unknown;
      readonly maxConcurrency: number;
      /** Index of the next item to start. */
      readonly nextIndex: number;
      /** Iterations running now. */
      readonly running: number;
      /** The event that started this attempt of the Map; iteration run ids derive from it. */
      readonly startedEventId: number;
      /** Distributed Map: the failed items it may tolerate, and how many have failed. */
      readonly tolerance?: { readonly count?: number; readonly percentage?: number };
      readonly failures: number;
      /** Set once an iteration failed and the Map waits to retry: the retry timer. */
      readonly retryTimer?: string;
      /** The items are ItemBatcher batches, already through ItemSelector. */
      readonly batched?: true;
    }
  /** The state has finished its work and is shaping its output (Map and Parallel between Succeeded and Exited). */
  | { readonly kind: "done"; readonly result: unknown };

/** A task handed to the host. */
export interface TaskWork {
  /** `<scheduled event id>:task` in the machine's run, `<run id>/<scheduled event id>:task` in others (see taskIdOf). */
  readonly id: string;
  readonly run: string;
  readonly state: string;
  /** The Resource as the definition writes it. */
  readonly resource: string;
  /** Which family of events the task writes (Task*, LambdaFunction*, Activity*). */
  readonly family: "Task" | "LambdaFunction" | "Activity";
  /** AWS's split of the Resource (service integrations): `lambda` and `invoke`, `aws-sdk:s3` and `getObject`. */
  readonly resourceType?: string;
  readonly resourceName?: string;
  readonly input: unknown;
  readonly token?: string;
  readonly timeoutSeconds?: number;
  readonly heartbeatSeconds?: number;
  /** Event id of the Scheduled event, which orders pending work. */
  readonly scheduledEventId: number;
  /** Timers guarding the task, when it has a timeout or heartbeat. */
  readonly timeoutTimer?: string;
  readonly heartbeatTimer?: string;
}

/** Why a timer exists. */
export type TimerPurpose = "wait" | "retry" | "task-timeout" | "heartbeat-timeout" | "execution-timeout";

/** A timer the host must fire at `until`. */
export interface TimerWork {
  readonly id: string;
  readonly purpose: TimerPurpose;
  /** The run and state it belongs to (absent for the execution timeout). */
  readonly run?: string;
  readonly state?: string;
  /** ISO 8601 time at which it fires. */
  readonly until: string;
  /** The task it guards (timeouts). */
  readonly task?: string;
  /** Event id that created it, which orders pending work. */
  readonly createdEventId: number;
}

/** Work the host must do for the execution to go on. */
export type Pending =
  | {
      readonly kind: "task";
      readonly id: string;
      readonly state: string;
      readonly resource: string;
      readonly input: unknown;
      readonly token?: string;
      readonly timeoutSeconds?: number;
      readonly heartbeatSeconds?: number;
    }
  | {
      readonly kind: "timer";
      readonly id: string;
      readonly state?: string;
      readonly until: string;
      readonly purpose: TimerPurpose;
      /** The task a time-out timer guards. */
      readonly task?: string;
    };

/** A writable view of a model object or an event, while it is being built or changed in place. */
export type Writable<T> = { -readonly [K in keyof T]: T[K] };
