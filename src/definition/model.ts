/**
 * The Workflow: a state machine definition after validation, normalized (defaults applied, query
 * language resolved per state) and precompiled (paths, templates, intrinsic calls, JSONata
 * expressions and choice rules parsed once), so execution never reads ASL text again.
 */
import type { ChoiceRule } from "../data/choice.js";
import type { JsonataExpression, JsonataTemplate } from "../data/jsonata.js";
import type { IntrinsicCall } from "../data/intrinsics/index.js";
import type { CompiledPath } from "../data/path.js";
import type { PayloadTemplate } from "../data/template.js";

/** The two languages a state may use to read and shape its data. */
export type QueryLanguage = "JSONPath" | "JSONata";

/** The eight state types. */
export type StateType = "Task" | "Pass" | "Choice" | "Wait" | "Succeed" | "Fail" | "Parallel" | "Map";

/** Where a state goes when it is done. */
export type Transition = { readonly kind: "next"; readonly next: string } | { readonly kind: "end" };

/**
 * A value given in the definition either directly, through a Reference Path (`…Path` fields),
 * through an intrinsic call (Fail ErrorPath/CausePath) or as a JSONata expression.
 */
export type Dynamic<T> =
  | { readonly kind: "value"; readonly value: T }
  | { readonly kind: "path"; readonly path: CompiledPath; readonly field: string }
  | { readonly kind: "intrinsic"; readonly call: IntrinsicCall; readonly field: string }
  | { readonly kind: "jsonata"; readonly expression: JsonataExpression; readonly field: string };

/** A template in the state's language: a payload template (JSONPath) or a JSONata template. */
export type ValueTemplate =
  | { readonly language: "JSONPath"; readonly template: PayloadTemplate }
  | { readonly language: "JSONata"; readonly template: JsonataTemplate };

/**
 * How a state reads its input and shapes its output.
 * JSONPath: InputPath → Parameters → (work) → ResultSelector → ResultPath → OutputPath.
 * JSONata: Arguments → (work) → Output. Both: Assign.
 * Fields a state type does not have are left at their no-op defaults (`$`, absent).
 */
export type Dataflow =
  | {
      readonly language: "JSONPath";
      /** `null` (InputPath: null) gives the state an empty object. */
      readonly inputPath: CompiledPath | null;
      readonly parameters?: PayloadTemplate;
      readonly resultSelector?: PayloadTemplate;
      /** `null` discards the result and passes the raw input on. */
      readonly resultPath: CompiledPath | null;
      /** `null` (OutputPath: null) makes the output an empty object. */
      readonly outputPath: CompiledPath | null;
      readonly assign?: PayloadTemplate;
    }
  | {
      readonly language: "JSONata";
      readonly arguments?: JsonataTemplate;
      /** Absent: the result (Task, Map, Parallel) or the input (the other states). */
      readonly output?: JsonataTemplate;
      readonly assign?: JsonataTemplate;
    };

/** A Retry entry with AWS's defaults applied. */
export interface Retrier {
  readonly errorEquals: readonly string[];
  readonly intervalSeconds: number;
  readonly maxAttempts: number;
  readonly backoffRate: number;
  readonly maxDelaySeconds?: number;
  readonly jitter: "FULL" | "NONE";
}

/** A Catch entry: where an error goes and how the error output is placed. */
export interface Catcher {
  readonly errorEquals: readonly string[];
  readonly next: string;
  readonly dataflow:
    | { readonly language: "JSONPath"; readonly resultPath: CompiledPath | null; readonly assign?: PayloadTemplate }
    | { readonly language: "JSONata"; readonly output?: JsonataTemplate; readonly assign?: JsonataTemplate };
}

/** A `States` object with its `StartAt`: the machine itself, a Parallel branch or a Map item processor. */
export interface Scope {
  readonly startAt: string;
  /** The states of this scope by name (a Map, so names such as `__proto__` are plain keys). */
  readonly states: ReadonlyMap<string, State>;
  /** JSON pointer of the object holding `StartAt` and `States`. */
  readonly pointer: string;
}

interface StateCommon {
  readonly name: string;
  /** JSON pointer of the state object in the definition, e.g. `/States/Lookup`. */
  readonly pointer: string;
  readonly queryLanguage: QueryLanguage;
  readonly comment?: string;
}

/** Pass: passes its input (or `Result`) to its output. */
export interface PassState extends StateCommon {
  readonly type: "Pass";
  readonly transition: Transition;
  readonly dataflow: Dataflow;
  /** JSONPath `Result`, when given. */
  readonly result?: { readonly value: unknown };
}

/** How a Task waits for its work, from the Resource's suffix. */
export type IntegrationPattern = "request-response" | "sync" | "callback";

/** Task: hands work to the host. */
export interface TaskState extends StateCommon {
  readonly type: "Task";
  readonly transition: Transition;
  readonly dataflow: Dataflow;
  readonly resource: string;
  readonly pattern: IntegrationPattern;
  readonly timeoutSeconds?: Dynamic<number>;
  readonly heartbeatSeconds?: Dynamic<number>;
  readonly credentials?: ValueTemplate;
  readonly retry: readonly Retrier[];
  readonly catch: readonly Catcher[];
}

/** One branch of a Choice state. */
export type ChoiceBranch =
  | {
      readonly language: "JSONPath";
      readonly rule: ChoiceRule;
      readonly next: string;
      readonly assign?: PayloadTemplate;
    }
  | {
      readonly language: "JSONata";
      readonly condition: { readonly kind: "value"; readonly value: boolean } | { readonly kind: "jsonata"; readonly expression: JsonataExpression };
      readonly next: string;
      readonly assign?: JsonataTemplate;
      readonly output?: JsonataTemplate;
    };

/** Choice: picks the first branch whose rule holds, else Default. */
export interface ChoiceState extends StateCommon {
  readonly type: "Choice";
  readonly dataflow: Dataflow;
  readonly choices: readonly ChoiceBranch[];
  readonly default?: string;
}

/** Wait: pauses for a number of seconds or until a time. */
export interface WaitState extends StateCommon {
  readonly type: "Wait";
  readonly transition: Transition;
  readonly dataflow: Dataflow;
  readonly wait:
    | { readonly kind: "seconds"; readonly seconds: Dynamic<number> }
    | { readonly kind: "timestamp"; readonly timestamp: Dynamic<string> };
}

/** Succeed: ends the machine, branch or iteration successfully. */
export interface SucceedState extends StateCommon {
  readonly type: "Succeed";
  readonly dataflow: Dataflow;
}

/** Fail: ends the machine, branch or iteration with an error. */
export interface FailState extends StateCommon {
  readonly type: "Fail";
  readonly error?: Dynamic<string>;
  readonly cause?: Dynamic<string>;
}

/** Parallel: runs every branch on the same input; the result is the array of branch outputs. */
export interface ParallelState extends StateCommon {
  readonly type: "Parallel";
  readonly transition: Transition;
  readonly dataflow: Dataflow;
  readonly branches: readonly Scope[];
  readonly retry: readonly Retrier[];
  readonly catch: readonly Catcher[];
}

/** Where a Map's items come from: the state's data, or an ItemReader (distributed mode). */
export interface ItemReader {
  readonly resource: string;
  readonly arguments?: ValueTemplate;
  readonly readerConfig: { readonly [key: string]: unknown };
  readonly maxItems?: Dynamic<number>;
}

/** Distributed Map: groups items into batches. */
export interface ItemBatcher {
  readonly maxItemsPerBatch?: Dynamic<number>;
  readonly maxInputBytesPerBatch?: Dynamic<number>;
  readonly batchInput?: ValueTemplate;
}

/** Distributed Map: where results are written. */
export interface ResultWriter {
  readonly resource?: string;
  readonly arguments?: ValueTemplate;
  readonly writerConfig?: { readonly transformation?: string; readonly outputType?: string };
}

/** Map: runs its item processor once per item; the result is the array of outputs in item order. */
export interface MapState extends StateCommon {
  readonly type: "Map";
  readonly transition: Transition;
  readonly dataflow: Dataflow;
  /** JSONPath ItemsPath (default `$`) or JSONata Items (default: the state input). */
  readonly items:
    | { readonly kind: "path"; readonly path: CompiledPath }
    | { readonly kind: "jsonata"; readonly template: JsonataTemplate }
    | { readonly kind: "input" };
  readonly itemSelector?: ValueTemplate;
  readonly processor: Scope;
  readonly mode: "INLINE" | "DISTRIBUTED";
  readonly executionType?: "STANDARD" | "EXPRESS";
  /** 0 means as many as possible. */
  readonly maxConcurrency: Dynamic<number>;
  readonly toleratedFailureCount?: Dynamic<number>;
  readonly toleratedFailurePercentage?: Dynamic<number>;
  readonly itemReader?: ItemReader;
  readonly itemBatcher?: ItemBatcher;
  readonly resultWriter?: ResultWriter;
  readonly label?: string;
  readonly retry: readonly Retrier[];
  readonly catch: readonly Catcher[];
}

/** Any state, discriminated by `type`. */
export type State =
  | PassState
  | TaskState
  | ChoiceState
  | WaitState
  | SucceedState
  | FailState
  | ParallelState
  | MapState;

/** A validated, normalized and precompiled state machine. */
export interface Workflow {
  readonly queryLanguage: QueryLanguage;
  readonly comment?: string;
  readonly version: string;
  /** The whole-execution budget in seconds, when set. */
  readonly timeoutSeconds?: number;
  /** The top-level `States` with its `StartAt`. */
  readonly root: Scope;
  /** Every state of the machine, nested ones included, by name (names are unique machine-wide). */
  readonly states: ReadonlyMap<string, State>;
  /** The definition as given (a private deep copy), for hashing and display. */
  readonly definition: Readonly<Record<string, unknown>>;
}
