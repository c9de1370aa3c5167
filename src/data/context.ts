/**
 * The Context Object: what `$$` (JSONPath) and `$states.context` (JSONata) read about the running
 * execution, the state machine and the current state.
 */

/** What the decider knows when a state is entered; everything the Context Object shows. */
export interface ContextFacts {
  readonly execution: {
    /** The execution ARN. */
    readonly id: string;
    readonly name: string;
    /** The execution's original input. */
    readonly input: unknown;
    readonly roleArn: string;
    /** ISO-8601 UTC, e.g. `2025-08-27T10:04:42.001Z`. */
    readonly startTime: string;
    /** Left out for Express executions, whose Context Object AWS shows without `RedriveCount`. */
    readonly redriveCount?: number;
    /** Only once the execution has been redriven. */
    readonly redriveTime?: string;
  };
  readonly stateMachine: { readonly id: string; readonly name: string };
  readonly state: {
    readonly name: string;
    readonly enteredTime: string;
    /** Only for Task, Parallel and Map states (AWS shows no RetryCount in the others). */
    readonly retryCount?: number;
  };
  /** Only for `.waitForTaskToken` tasks and activities. */
  readonly task?: { readonly token: string };
  /** Only while a Map state evaluates its ItemSelector (or deprecated Parameters). */
  readonly mapItem?: {
    readonly index: number;
    readonly value: unknown;
    /** The item's key when the Map iterates over an object. */
    readonly key?: string;
    /** Where the item came from, e.g. `STATE_DATA`. */
    readonly source?: string;
  };
}

/**
 * Builds the Context Object with AWS's key names, in the order AWS shows them
 * (`Execution`, `StateMachine`, `State`, then `Task` and `Map` when they apply). Optional facts that
 * are absent leave their keys out. The execution input is shared, not copied: the object is built
 * once per state entry and must be treated as read-only.
 */
export function contextObject(facts: ContextFacts): Record<string, unknown> {
  return stateContextObject(sharedContext(facts.execution, facts.stateMachine), facts);
}

/** The parts of the Context Object that are the same for every state of an execution. */
export interface SharedContext {
  readonly execution: Readonly<Record<string, unknown>>;
  readonly stateMachine: Readonly<Record<string, unknown>>;
}

/** `Execution` and `StateMachine`, built once and shared by the Context Objects of many states. */
export function sharedContext(execution: ContextFacts["execution"], stateMachine: ContextFacts["stateMachine"]): SharedContext {
  const executionObject: Record<string, unknown> = {
    Id: execution.id,
    Input: execution.input,
    StartTime: execution.startTime,
    Name: execution.name,
    RoleArn: execution.roleArn,
  };
  if (execution.redriveCount !== undefined) executionObject["RedriveCount"] = execution.redriveCount;
  if (execution.redriveTime !== undefined) executionObject["RedriveTime"] = execution.redriveTime;
  return { execution: executionObject, stateMachine: { Id: stateMachine.id, Name: stateMachine.name } };
}

/** The Context Object of one state, around the shared parts (which it holds, not copies). */
export function stateContextObject(shared: SharedContext, facts: Pick<ContextFacts, "state" | "task" | "mapItem">): Record<string, unknown> {
  const { state, task, mapItem } = facts;
  const stateObject: Record<string, unknown> = { Name: state.name, EnteredTime: state.enteredTime };
  if (state.retryCount !== undefined) stateObject["RetryCount"] = state.retryCount;

  const context: Record<string, unknown> = {
    Execution: shared.execution,
    StateMachine: shared.stateMachine,
    State: stateObject,
  };
  if (task !== undefined) context["Task"] = { Token: task.token };
  if (mapItem !== undefined) {
    const item: Record<string, unknown> = { Index: mapItem.index, Value: mapItem.value };
    if (mapItem.key !== undefined) item["Key"] = mapItem.key;
    if (mapItem.source !== undefined) item["Source"] = mapItem.source;
    context["Map"] = { Item: item };
  }
  return context;
}
