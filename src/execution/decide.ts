/**
 * The decider: turns a command into events. It reads the execution, evaluates what the workflow
 * says (paths, templates, expressions, rules), and emits events; after each event it folds it in
 * with `evolve`, so it always decides on the execution as the log describes it. It never reads a
 * clock, never draws an unseeded random number and never does I/O.
 *
 * Work that would otherwise recurse without bound (a Map finishing one iteration and starting the
 * next, a Parallel finishing and its run going on) goes through a queue, so stack depth depends on
 * how deeply states nest, never on how many iterations or loops an execution makes. What each
 * state type does is in states/: flow (Choice, Wait, Fail), task, compound (Parallel, Map).
 */
import { sharedContext, stateContextObject, type SharedContext } from "../data/context.js";
import { jsonByteLength } from "../data/size.js";
import { deepFreeze, MAX_DATA_DEPTH } from "../data/json.js";
import { parsePath } from "../data/path.js";
import type { Catcher, Dataflow, MapState, ParallelState, State, TaskState, WaitState, Workflow } from "../definition/model.js";
import { jsonPathEffectiveInput, selectedInput, shapeOutput, type Eventually, type Failure, type Outcome, type Shaped, type ShapeOptions, type StateData } from "./dataflow.js";
import type { HistoryEvent, NewEvent, RetryDecision, StateEnteredEvent, StateExitedEvent, TimerStart } from "./events.js";
import { evolve, iterationRunId, Ownership, pendingTaskOf, ROOT_RUN, runOf } from "./evolve.js";
import { PendingChanges } from "./pending.js";
import type { ActiveState, Execution, Run, TaskWork, TimerWork, Writable } from "./model.js";
import { BLOCKED, errorFields, errorMatches, isoAfter, MAX_RETRY_DELAY_SECONDS, TERMINAL_ERRORS, tolerated, type StateOutcome } from "./outcome.js";
import { randomCursor, type RandomCursor, type RandomState } from "./random.js";
import { attemptMap, attemptParallel, progress } from "./states/compound.js";
import { executeChoice, executeFail, executeWait, waitOver } from "./states/flow.js";
import { attemptTask, taskFailed } from "./states/task.js";
import { tableValues } from "./table.js";

/** Thrown (and caught by the driver) once an Execution* end event is written: nothing more happens. */
export class ExecutionOver {}

/** Deferred work, so long runs of iterations do not grow the stack. */
type Action =
  | { readonly kind: "enter"; readonly run: string; readonly state: string; readonly input: unknown }
  | { readonly kind: "progress"; readonly run: string };

const ENDS = new Set(["ExecutionSucceeded", "ExecutionFailed", "ExecutionAborted", "ExecutionTimedOut"]);

// Event types as literals, not built with a template: literal strings are interned, so every
// comparison with them (evolve's switch, the sets here) is a pointer comparison, not a scan.
const ENTERED_TYPE = {
  Pass: "PassStateEntered",
  Task: "TaskStateEntered",
  Choice: "ChoiceStateEntered",
  Wait: "WaitStateEntered",
  Succeed: "SucceedStateEntered",
  Fail: "FailStateEntered",
  Parallel: "ParallelStateEntered",
  Map: "MapStateEntered",
} as const satisfies Record<State["type"], StateEnteredEvent["type"]>;
const EXITED_TYPE = {
  Pass: "PassStateExited",
  Task: "TaskStateExited",
  Choice: "ChoiceStateExited",
  Wait: "WaitStateExited",
  Succeed: "SucceedStateExited",
  Parallel: "ParallelStateExited",
  Map: "MapStateExited",
} as const satisfies Record<Exclude<State["type"], "Fail">, StateExitedEvent["type"]>;
const ABORTED_TYPE = { Task: "TaskStateAborted", Parallel: "ParallelStateAborted", Map: "MapStateAborted" } as const;

/** What a state's context object shows beyond the execution and the state: a task token, a Map item. */
interface ContextExtra {
  readonly token?: string;
  readonly mapItem?: { readonly index: number; readonly value: unknown };
}

/** No token and no Map item. */
const NO_EXTRA: ContextExtra = {};

/**
 * A state's data. The context object is built the first time something reads `$$`, and the
 * random source the first time something asks for it: most states use neither.
 */
class LiveStateData implements StateData {
  private built: Record<string, unknown> | undefined;
  readonly input: unknown;

  constructor(
    private readonly decision: Decision,
    private readonly state: State,
    private readonly active: ActiveState,
    private readonly extra: ContextExtra,
    readonly variables: Readonly<Record<string, unknown>>,
    /** The decision's time when the state ran (`now` parses it when read). */
    private readonly at: string,
  ) {
    this.input = active.input;
  }

  private nowMillis: number | undefined;

  get now(): number {
    return (this.nowMillis ??= Date.parse(this.at));
  }

  get random(): () => number {
    return this.decision.draw;
  }

  get context(): Record<string, unknown> {
    return (this.built ??= this.build());
  }

  private build(): Record<string, unknown> {
    const { state, active, extra } = this;
    const retries = state.type === "Task" || state.type === "Parallel" || state.type === "Map";
    // Literals with absent facts as undefined (which the Context Object leaves out): spreads of
    // conditional objects cost an allocation each, per Map item.
    return stateContextObject(this.decision.sharedContext, {
      state: { name: active.name, enteredTime: active.enteredTime, retryCount: retries ? active.retryCount : undefined },
      task: extra.token !== undefined ? { token: extra.token } : undefined,
      mapItem: extra.mapItem ? { index: extra.mapItem.index, value: extra.mapItem.value, source: "STATE_DATA" } : undefined,
    });
  }
}

const distributedMaps = new WeakMap<Workflow, boolean>();

/** Whether a workflow has a Distributed Map anywhere (most have none, and skip the check per event). */
function hasDistributedMap(workflow: Workflow): boolean {
  let has = distributedMaps.get(workflow);
  if (has === undefined) {
    has = [...workflow.states.values()].some((state) => state.type === "Map" && state.mode === "DISTRIBUTED");
    distributedMaps.set(workflow, has);
  }
  return has;
}

/** Whether an object has no keys (without building the list of its keys). */
function isEmpty(object: object): boolean {
  for (const _ in object) return false;
  return true;
}

/** One decision: the execution as it evolves while events are emitted, and the events. */
export class Decision {
  readonly events: HistoryEvent[] = [];
  /** What this decision made itself and no one else has seen: evolve may update it in place. */
  private readonly owned: Ownership;
  /** Made on the first draw: most decisions draw nothing. */
  private drawing: RandomCursor | undefined;
  readonly queue: Action[] = [];
  /** Draws already recorded in an event. */
  private recordedDraws = 0;
  /** Whether the workflow has a Distributed Map, whose children's events are marked. */
  private readonly distributed: boolean;
  at: string;
  /** `at` in milliseconds, parsed on first use: Date.parse costs a few hundred nanoseconds, and most decisions set no timer. */
  private millis: number | undefined;

  constructor(
    readonly workflow: Workflow,
    public execution: Execution,
    at: string,
    /** Whether the execution was made by this decision (`start`): then it owns everything in it. */
    fresh = false,
    /** What the decision's events change in the pending work (start's includes its first event's). */
    readonly changes = new PendingChanges(),
  ) {
    this.owned = new Ownership(fresh);
    this.owned.changes = changes;
    this.at = at;
    this.distributed = hasDistributedMap(workflow);
  }

  /** The execution's random generator, from where the execution's state left it. */
  get cursor(): RandomCursor {
    return (this.drawing ??= randomCursor(this.execution.random));
  }

  private shared: SharedContext | undefined;

  /** The Context Object's `Execution` and `StateMachine`, the same for every state of the execution. */
  get sharedContext(): SharedContext {
    const facts = this.execution.facts;
    return (this.shared ??= sharedContext(
      { id: facts.id, name: facts.name, input: facts.input, roleArn: facts.roleArn, startTime: facts.startTime, ...(facts.type === "EXPRESS" ? {} : { redriveCount: 0 }) },
      facts.stateMachine,
    ));
  }

  private drawFunction: (() => number) | undefined;

  /** A function giving the next random number in [0, 1), for state data (made on first use: most states draw nothing). */
  get draw(): () => number {
    return (this.drawFunction ??= () => this.cursor.next());
  }

  /** Moves the decision's clock (advanceTime fires timers at their own times). */
  setTime(at: string): void {
    this.at = at;
    this.millis = undefined;
  }

  /** The decision's time in milliseconds since the epoch. */
  get atMillis(): number {
    return (this.millis ??= Date.parse(this.at));
  }

  /** The next event's id. */
  get nextEventId(): number {
    return this.execution.lastEventId + 1;
  }

  /**
   * Writes an event: id, previous id, time and random state are filled in; the execution evolves.
   * `partial` is a fresh literal of the caller's, which becomes the event without a second copy.
   */
  emit(runId: string, partial: NewEvent | HistoryEvent, previousEventId?: number): HistoryEvent {
    this.reserve(partial.type);
    const event = partial as Writable<HistoryEvent>;
    if (runId !== ROOT_RUN) event.run = runId;
    event.id = this.execution.lastEventId + 1;
    event.previousEventId = previousEventId ?? this.previousEventId(runId);
    event.timestamp = this.at;
    return this.record(runId, event as HistoryEvent);
  }

  /**
   * Makes room for an event of `type`: at the history limit the execution fails first (and the
   * ExecutionOver thrown ends the decision). Callers that fill an event's envelope themselves, in
   * its literal, call this before they take the next id, then `record`.
   */
  reserve(type: HistoryEvent["type"]): void {
    const execution = this.execution;
    if (execution.lastEventId + 1 >= execution.limits.historyEvents && !ENDS.has(type)) {
      this.emit(ROOT_RUN, {
        type: "ExecutionFailed",
        executionFailedEventDetails: {
          error: "States.Runtime",
          cause: `The execution reached the maximum number of history events (${execution.limits.historyEvents}).`,
        },
      });
    }
  }

  /** The previous event of a run: its latest (or the machine's, for a run that has none). */
  previousEventId(runId: string): number {
    return (this.run(runId) ?? this.execution.root).lastEventId;
  }

  /**
   * Records an event built whole by its caller (after `reserve`, with the next id, the run's
   * previous event and the time in its literal): the run if the literal has none, its random state
   * and child mark, then evolve and the log. The most frequent events are written this way, so that
   * their envelope is not stored through `emit`, whose stores see every kind of event.
   */
  record(runId: string, event: HistoryEvent): HistoryEvent {
    const filled = event as Writable<HistoryEvent> & { random?: RandomState; child?: true };
    if (runId !== ROOT_RUN && event.run === undefined) filled.run = runId;
    // The generator's state goes into the first event after a draw (most events draw nothing).
    if (this.drawing && this.drawing.drawn() !== this.recordedDraws) {
      this.recordedDraws = this.drawing.drawn();
      filled.random = this.drawing.state();
    }
    if (this.belongsToChild(runId, event)) filled.child = true;
    // What an event holds is handed out and kept (the execution refers to its values): no one may change it.
    deepFreeze(event);
    this.execution = evolve(this.execution, event, undefined, this.owned);
    this.events.push(event);
    // Only an Execution* end event ends the execution.
    if (this.execution.status !== "RUNNING") throw new ExecutionOver();
    return event;
  }

  /** Whether an event belongs to a Distributed Map's child execution rather than to this history. */
  private belongsToChild(runId: string, partial: NewEvent): boolean {
    if (!this.distributed) return false;
    if ("iteration" in partial) {
      const map = this.workflow.states.get(this.run(runId)?.state?.name ?? "");
      if (map?.type === "Map" && map.mode === "DISTRIBUTED") return true;
    }
    return runId !== ROOT_RUN && this.insideDistributed(runId);
  }

  private distributedRuns: Map<string, boolean> | undefined;

  private insideDistributed(runId: string): boolean {
    this.distributedRuns ??= new Map();
    let inside = this.distributedRuns.get(runId);
    if (inside === undefined) {
      const run = this.run(runId);
      const owner = run && run.scope.kind === "iteration" ? this.workflow.states.get(run.scope.state) : undefined;
      inside = (owner?.type === "Map" && owner.mode === "DISTRIBUTED") || (run !== undefined && run.parent !== null && this.insideDistributed(run.parent));
      this.distributedRuns.set(runId, inside);
    }
    return inside;
  }

  // ------------------------------------------------------------------------------------------ runs

  /** The run last looked up, and the execution's latest event then: runs change only with events. */
  private seenRun: Run | undefined;
  private seenRunId: string | undefined;
  private seenAtEvent = -1;

  run(id: string): Run | undefined {
    const execution = this.execution;
    // A state looks up its run several times between two events: once per event is enough.
    if (id === this.seenRunId && execution.lastEventId === this.seenAtEvent) return this.seenRun;
    const run = this.owned.evolution?.knownRun(execution, id) ?? runOf(execution, id);
    this.seenRun = run;
    this.seenRunId = id;
    this.seenAtEvent = execution.lastEventId;
    return run;
  }

  /** A Map iteration's run while it still runs (not once its Map has taken its result). */
  runningIteration(id: string): Run | undefined {
    const run = this.run(id);
    return run && !run.collected ? run : undefined;
  }

  /**
   * Variables visible in a run: its own over those of the runs around it. A Distributed Map's
   * iterations are child executions and see no outer variables.
   */
  private variablesOf(runId: string): Readonly<Record<string, unknown>> {
    const run = this.run(runId);
    if (!run) return {};
    if (run.parent === null) return run.variables;
    if (run.scope.kind === "iteration") {
      const owner = this.workflow.states.get(run.scope.state);
      if (owner?.type === "Map" && owner.mode === "DISTRIBUTED") return run.variables;
    }
    const outer = this.variablesOf(run.parent);
    return isEmpty(run.variables) ? outer : { ...outer, ...run.variables };
  }

  stateData(runId: string, state: State, active: ActiveState, extra: ContextExtra = NO_EXTRA): StateData {
    return new LiveStateData(this, state, active, extra, this.variablesOf(runId), this.at);
  }

  /** The state a run is in, without its definition (and without the object `active` returns). */
  activeState(runId: string): ActiveState {
    const active = this.run(runId)?.state;
    if (!active) throw new Error(`run '${runId}' has no active state`);
    return active;
  }

  active(runId: string): { run: Run; active: ActiveState; state: State } {
    const run = this.run(runId);
    const active = run?.state;
    const state = active && this.workflow.states.get(active.name);
    if (!run || !active || !state) throw new Error(`run '${runId}' has no active state`);
    return { run, active, state };
  }

  /** Starts (or continues) a run at `name` with `input`. */
  enqueueEnter(run: string, state: string, input: unknown): void {
    this.queue.push({ kind: "enter", run, state, input });
  }

  /**
   * Carries out queued work (from entry `from` on) until nothing more can happen without the host.
   * Returns at once while the work is synchronous (JSONPath states).
   */
  drain(from = 0): Eventually<void> {
    for (let i = from; i < this.queue.length; i++) {
      const action = this.queue[i] as Action;
      const done = action.kind === "enter" ? this.runFrom(action.run, action.state, action.input) : progress(this, action.run);
      if (done instanceof Promise) return done.then(() => this.drain(i + 1));
    }
    this.queue.length = 0;
  }

  /**
   * Runs states one after another until the run blocks, ends or fails. Returns at once while the
   * states are JSONPath ones; a promise only when something waits for JSONata (or a failure).
   */
  runFrom(runId: string, first: string, firstInput: unknown): Eventually<void> {
    let name = first;
    let input = firstInput;
    for (;;) {
      if (!this.run(runId)) return;
      const outcome = this.executeState(runId, name, input);
      if (outcome instanceof Promise) return outcome.then((later) => (later.kind === "next" ? this.runFrom(runId, later.name, later.input) : this.follow(runId, later)));
      if (outcome.kind !== "next") return this.follow(runId, outcome);
      name = outcome.name;
      input = outcome.input;
    }
  }

  /** Acts on a state's outcome, once the run does not go on to a next state. */
  private follow(runId: string, outcome: StateOutcome): Eventually<void> {
    if (outcome.kind === "end") this.runEnded(runId, outcome.output);
    else if (outcome.kind === "failed") return this.runFailed(runId, outcome.failure);
  }

  /** Continues a run after a state finished outside `runFrom` (a task result, a timer, children). */
  continueWith(runId: string, outcome: StateOutcome): Eventually<void> {
    if (outcome.kind === "next") this.enqueueEnter(runId, outcome.name, outcome.input);
    else return this.follow(runId, outcome);
  }

  private runEnded(runId: string, output: unknown): void {
    const run = this.run(runId) as Run;
    if (run.scope.kind === "root") {
      this.emit(ROOT_RUN, { type: "ExecutionSucceeded", executionSucceededEventDetails: { output } });
      return;
    }
    const parent = run.parent as string;
    if (run.scope.kind === "iteration") {
      const { state: owner, index } = run.scope;
      this.reserve("MapIterationSucceeded");
      this.record(parent, {
        type: "MapIterationSucceeded",
        id: this.nextEventId,
        previousEventId: this.previousEventId(parent),
        timestamp: this.at,
        mapIterationSucceededEventDetails: { name: owner, index },
        iteration: runId,
        output,
      });
    }
    this.queue.push({ kind: "progress", run: parent });
  }

  /** A run failed with an error nothing in it handled: its owner fails in turn. */
  async runFailed(runId: string, failure: Failure): Promise<void> {
    const run = this.run(runId);
    if (!run) return;
    if (run.scope.kind === "root") {
      this.emit(ROOT_RUN, { type: "ExecutionFailed", executionFailedEventDetails: errorFields(failure) });
      return;
    }
    const parentId = run.parent as string;
    const { active, state } = this.active(parentId);
    if (state.type === "Map" && run.scope.kind === "iteration") return this.iterationFailed(parentId, state, active, run.scope.index, runId, failure);
    const parallel = state as ParallelState;
    // The siblings still running are aborted; the failing branch itself has already stopped.
    if (active.work.kind === "parallel") for (const branch of active.work.branches) if (branch !== runId) this.abortRun(branch);
    const retry = this.retryFor(parallel, active, failure);
    this.emit(parentId, { type: "ParallelStateFailed", ...errorFields(failure), ...(retry ? { retry } : {}) });
    if (!retry) await this.continueWith(parentId, await this.catchOrFail(parentId, parallel, active, failure));
  }

  /**
   * A Map iteration failed. A Distributed Map may tolerate it; otherwise the other iterations are
   * aborted and the Map retries (recorded on MapIterationFailed: AWS writes no MapStateFailed
   * before a retry), catches or fails.
   */
  private async iterationFailed(runId: string, map: MapState, active: ActiveState, index: number, iteration: string, failure: Failure): Promise<void> {
    const work = active.work;
    if (work.kind !== "map") return;
    const details = { mapIterationFailedEventDetails: { name: map.name, index }, iteration, ...errorFields(failure) };
    if (map.mode === "DISTRIBUTED" && tolerated(work, work.failures + 1)) {
      this.emit(runId, { type: "MapIterationFailed", ...details, output: { Error: failure.error, Cause: failure.cause ?? null } });
      this.queue.push({ kind: "progress", run: runId });
      return;
    }
    const mapFailure: Failure =
      map.mode === "DISTRIBUTED" ? { error: "States.ExceedToleratedFailureThreshold", cause: "The specified tolerated failure threshold was exceeded" } : failure;
    const retry = this.retryFor(map, active, mapFailure);
    this.emit(runId, { type: "MapIterationFailed", ...details, ...(retry ? { retry } : {}) });
    for (let i = 0; i < work.nextIndex; i++) {
      const sibling = iterationRunId(work.startedEventId, i);
      if (!this.runningIteration(sibling)) continue;
      this.abortRun(sibling);
      this.emit(runId, { type: "MapIterationAborted", mapIterationAbortedEventDetails: { name: map.name, index: i }, iteration: sibling });
    }
    if (retry) return;
    if (map.mode === "DISTRIBUTED") this.emit(runId, { type: "MapRunFailed", mapRunFailedEventDetails: errorFields(mapFailure) });
    this.emit(runId, { type: "MapStateFailed", ...errorFields(mapFailure) });
    await this.continueWith(runId, await this.catchOrFail(runId, map, active, mapFailure));
  }

  /** Aborts what a run is doing: its state's children first, then the state itself. */
  abortRun(runId: string): void {
    const run = this.run(runId);
    const active = run?.state;
    if (!active) return;
    const state = this.workflow.states.get(active.name);
    const work = active.work;
    if (work.kind === "parallel") for (const branch of work.branches) this.abortRun(branch);
    if (work.kind === "map" && state) {
      for (let i = 0; i < work.nextIndex; i++) {
        const child = iterationRunId(work.startedEventId, i);
        if (!this.runningIteration(child)) continue;
        this.abortRun(child);
        this.emit(runId, { type: "MapIterationAborted", mapIterationAbortedEventDetails: { name: active.name, index: i }, iteration: child });
      }
    }
    // AWS records no Aborted event for a Wait state that is stopped (nor for Pass, Choice, ...).
    if (state?.type === "Task" || state?.type === "Parallel" || state?.type === "Map") {
      this.emit(runId, { type: ABORTED_TYPE[state.type] });
    }
  }

  // ---------------------------------------------------------------------------------- states

  entered(runId: string, state: State, input: unknown, timer?: TimerStart): ActiveState {
    const type = ENTERED_TYPE[state.type];
    this.reserve(type);
    const stateEnteredEventDetails = { name: state.name, input };
    // The envelope is filled in the literal: every event of these, the most frequent kinds, is
    // built in its final shape, and no store into it goes through a polymorphic `emit`.
    const id = this.nextEventId;
    const previousEventId = this.previousEventId(runId);
    const timestamp = this.at;
    const event: Writable<StateEnteredEvent> =
      runId === ROOT_RUN
        ? { type, id, previousEventId, timestamp, stateEnteredEventDetails }
        : { type, run: runId, id, previousEventId, timestamp, stateEnteredEventDetails };
    if (timer) event.timer = timer;
    this.record(runId, event);
    return this.activeState(runId);
  }

  /** Writes the Exited event and says where the run goes. */
  exited(runId: string, state: State, shaped: Shaped, next: string | undefined): StateOutcome {
    if (state.type === "Fail") throw new Error("a Fail state does not exit");
    const type = EXITED_TYPE[state.type];
    this.reserve(type);
    const stateExitedEventDetails: Writable<StateExitedEvent["stateExitedEventDetails"]> = { name: state.name, output: shaped.output };
    if (shaped.assigned && !isEmpty(shaped.assigned)) stateExitedEventDetails.assignedVariables = shaped.assigned;
    // As in `entered`: the envelope in the literal, one literal per shape.
    const id = this.nextEventId;
    const previousEventId = this.previousEventId(runId);
    const timestamp = this.at;
    const root = runId === ROOT_RUN;
    const event: StateExitedEvent =
      next === undefined
        ? root
          ? { type, id, previousEventId, timestamp, stateExitedEventDetails }
          : { type, run: runId, id, previousEventId, timestamp, stateExitedEventDetails }
        : root
          ? { type, id, previousEventId, timestamp, stateExitedEventDetails, next }
          : { type, run: runId, id, previousEventId, timestamp, stateExitedEventDetails, next };
    this.record(runId, event);
    return next !== undefined ? { kind: "next", name: next, input: shaped.output } : { kind: "end", output: shaped.output };
  }

  /** Prefixes an interpreter-raised cause with the state it happened in, as AWS does (task and Fail causes pass through). */
  private located(failure: Failure, active: ActiveState): Failure {
    return {
      ...failure,
      cause: `An error occurred while executing the state '${active.name}' (entered at the event id #${active.enteredEventId}). ${failure.cause ?? ""}`,
    };
  }

  /**
   * An evaluation failed in a Task, Parallel or Map state. A JSONata failure is recorded in an
   * EvaluationFailed event (which carries the retry, if any); the cause is prefixed. A Map that
   * will not retry records MapStateFailed for a handled error (not for States.Runtime).
   */
  evaluationError(runId: string, state: TaskState | ParallelState | MapState, active: ActiveState, failure: Failure): Promise<StateOutcome> {
    const located = this.located(failure, active);
    return this.handleError(runId, state, active, located, (retry) => {
      this.evaluationFailed(runId, active, failure, retry);
      if (state.type === "Map" && !retry && !TERMINAL_ERRORS.has(failure.error)) {
        this.emit(runId, { type: "MapStateFailed", error: located.error, ...(located.cause !== undefined ? { cause: located.cause } : {}) });
      }
    });
  }

  /** A failure in a state without Retry or Catch (or that none handles): recorded, then the run fails. */
  stateFailed(runId: string, active: ActiveState, failure: Failure): StateOutcome {
    this.evaluationFailed(runId, active, failure, undefined);
    return { kind: "failed", failure: this.located(failure, active) };
  }

  private evaluationFailed(runId: string, active: ActiveState, failure: Failure, retry: RetryDecision | undefined): void {
    if (failure.location === undefined) return;
    this.emit(runId, {
      type: "EvaluationFailed",
      evaluationFailedEventDetails: { error: failure.error, cause: failure.cause ?? "", location: failure.location, state: active.name },
      ...(retry ? { retry } : {}),
    });
  }

  /**
   * The last object found within the payload limit. A value is often checked twice (a task's
   * result, then the same object as the state's output), and values are never changed in place.
   */
  private withinLimit: unknown;

  /** A payload over the limit, or nested deeper than JSON data may be, fails the state with States.DataLimitExceeded. */
  tooLarge(value: unknown, what: string): Failure | undefined {
    if (value === this.withinLimit) return undefined;
    const limit = this.execution.limits.payloadBytes;
    const size = jsonByteLength(value, limit, MAX_DATA_DEPTH);
    if (size <= limit) {
      if (typeof value === "object") this.withinLimit = value;
      return undefined;
    }
    if (size === Number.POSITIVE_INFINITY) {
      return { error: "States.DataLimitExceeded", cause: `The state/task '${what}' returned a result nested deeper than ${MAX_DATA_DEPTH} levels.` };
    }
    return { error: "States.DataLimitExceeded", cause: `The state/task '${what}' returned a result with a size exceeding the maximum number of bytes service limit.` };
  }

  private executeState(runId: string, name: string, input: unknown): Eventually<StateOutcome> {
    const state = this.workflow.states.get(name);
    if (!state) throw new Error(`no state '${name}'`);
    switch (state.type) {
      case "Pass": {
        const active = this.entered(runId, state, input);
        const data = this.stateData(runId, state, active);
        let result: unknown = input;
        if (state.dataflow.language === "JSONPath") {
          const effective = jsonPathEffectiveInput(state.dataflow, data);
          if (!effective.ok) return this.stateFailed(runId, active, effective.failure);
          result = state.result ? state.result.value : effective.value;
        }
        return this.finish(runId, state, active, data, result, { assignInput: result, offerResult: false }, state.transition);
      }
      case "Succeed": {
        const active = this.entered(runId, state, input);
        const data = this.stateData(runId, state, active);
        const selected = selectedInput(state.dataflow, data);
        if (!selected.ok) return this.stateFailed(runId, active, selected.failure);
        return this.finish(runId, state, active, data, selected.value, { assignInput: selected.value, offerResult: false }, { kind: "end" });
      }
      case "Choice":
        return executeChoice(this, runId, state, this.entered(runId, state, input));
      case "Wait":
        return executeWait(this, runId, state, input);
      case "Fail":
        return executeFail(this, runId, state, input);
      case "Task":
        return attemptTask(this, runId, state, this.entered(runId, state, input));
      case "Parallel":
        return attemptParallel(this, runId, state, this.entered(runId, state, input));
      case "Map":
        return attemptMap(this, runId, state, this.entered(runId, state, input));
    }
  }

  /** Shapes the output, checks its size, and exits to the transition (at once for JSONPath states). */
  finish(
    runId: string,
    state: State,
    active: ActiveState,
    data: StateData,
    result: unknown,
    options: ShapeOptions,
    transition: { kind: "next"; next: string } | { kind: "end" },
    dataflow: Dataflow = (state as { dataflow: Dataflow }).dataflow,
  ): Eventually<StateOutcome> {
    const shaped = shapeOutput(dataflow, data, result, options);
    return shaped instanceof Promise
      ? shaped.then((outcome) => this.exitShaped(runId, state, active, outcome, transition))
      : this.exitShaped(runId, state, active, shaped, transition);
  }

  private exitShaped(runId: string, state: State, active: ActiveState, shaped: Outcome<Shaped>, transition: { kind: "next"; next: string } | { kind: "end" }): StateOutcome {
    if (!shaped.ok) return this.stateFailed(runId, active, shaped.failure);
    const over = this.tooLarge(shaped.value.output, state.name);
    if (over) return { kind: "failed", failure: over };
    return this.exited(runId, state, shaped.value, transition.kind === "next" ? transition.next : undefined);
  }

  /**
   * Handles an error of a Task, Parallel or Map state: the first matching retrier retries (unless it
   * is used up), else the first matching catcher catches, else the run fails. `record` writes the
   * event that reports the error, with the retry decision when there is one.
   */
  async handleError(
    runId: string,
    state: TaskState | ParallelState | MapState,
    active: ActiveState,
    failure: Failure,
    record: (retry: RetryDecision | undefined) => void,
  ): Promise<StateOutcome> {
    const retry = this.retryFor(state, active, failure);
    record(retry);
    return retry ? BLOCKED : this.catchOrFail(runId, state, active, failure);
  }

  /** The retry an error leads to: the first retrier that matches it, unless that one is used up. */
  private retryFor(state: TaskState | ParallelState | MapState, active: ActiveState, failure: Failure): RetryDecision | undefined {
    if (TERMINAL_ERRORS.has(failure.error)) return undefined;
    const index = state.retry.findIndex((r) => errorMatches(r.errorEquals, failure.error));
    const retrier = state.retry[index];
    const attempt = active.retriers[index] ?? 0;
    if (!retrier || attempt >= retrier.maxAttempts) return undefined;
    // Without MaxDelaySeconds the backoff still stops at its largest allowed value (over a year,
    // longer than an execution may run), so that a long run of retries never leaves the date range.
    let delay = Math.min(retrier.intervalSeconds * retrier.backoffRate ** attempt, retrier.maxDelaySeconds ?? MAX_RETRY_DELAY_SECONDS);
    if (retrier.jitter === "FULL") delay *= this.cursor.next();
    return { retrier: index, retryCount: active.retryCount + 1, timer: { id: `${this.nextEventId}:retry`, until: isoAfter(this.atMillis, delay) } };
  }

  /** The first catcher that matches the error catches it; else the run fails. */
  private catchOrFail(runId: string, state: TaskState | ParallelState | MapState, active: ActiveState, failure: Failure): Promise<StateOutcome> | StateOutcome {
    const catcher = TERMINAL_ERRORS.has(failure.error) ? undefined : state.catch.find((c) => errorMatches(c.errorEquals, failure.error));
    return catcher ? this.caught(runId, state, active, catcher, failure) : { kind: "failed", failure };
  }

  private async caught(runId: string, state: State, active: ActiveState, catcher: Catcher, failure: Failure): Promise<StateOutcome> {
    // AWS shows a caught time-out with an empty Cause, a task failed without a cause with null.
    const errorOutput = { Error: failure.error ?? null, Cause: failure.cause ?? (failure.error === "States.Timeout" ? "" : null) };
    const data = this.stateData(runId, state, active);
    const dataflow: Dataflow =
      catcher.dataflow.language === "JSONata"
        ? { language: "JSONata", output: catcher.dataflow.output, assign: catcher.dataflow.assign }
        : { language: "JSONPath", inputPath: null, resultPath: catcher.dataflow.resultPath, outputPath: ROOT_OUTPUT, assign: catcher.dataflow.assign };
    const shaped = await shapeOutput(dataflow, data, errorOutput, { assignInput: errorOutput, offerResult: false, errorOutput });
    if (!shaped.ok) return this.stateFailed(runId, active, shaped.failure);
    return this.exited(runId, state, shaped.value, catcher.next);
  }

  // --------------------------------------------------------------------------------- timers

  /** A timer fires. */
  async timerFired(timer: TimerWork): Promise<void> {
    switch (timer.purpose) {
      case "execution-timeout":
        this.emit(ROOT_RUN, { type: "ExecutionTimedOut", executionTimedOutEventDetails: { error: "States.Timeout", cause: "The execution timed out (TimeoutSeconds)." } }, 0);
        return;
      case "task-timeout":
      case "heartbeat-timeout": {
        const task = pendingTaskOf(this.execution, timer.task as string) as TaskWork;
        return taskFailed(this, task, { error: "States.Timeout" }, true);
      }
      case "wait": {
        const { active, state } = this.active(timer.run as string);
        return this.continueWith(timer.run as string, await waitOver(this, timer.run as string, state as WaitState, active));
      }
      case "retry": {
        const runId = timer.run as string;
        const { active, state } = this.active(runId);
        const outcome =
          state.type === "Task"
            ? await attemptTask(this, runId, state, active)
            : state.type === "Parallel"
              ? await attemptParallel(this, runId, state, active)
              : await attemptMap(this, runId, state as MapState, active);
        return this.continueWith(runId, outcome);
      }
    }
  }

  /** Every pending timer due by `at`, soonest first. */
  dueTimers(at: string): TimerWork[] {
    return tableValues(this.execution.timers)
      .filter((t) => t.until <= at)
      .sort((a, b) => (a.until < b.until ? -1 : a.until > b.until ? 1 : a.createdEventId - b.createdEventId));
  }
}

/** OutputPath `$`, for shaping a catcher's output. */
const ROOT_OUTPUT = (() => {
  const root = parsePath("$");
  if (!root.ok) throw new Error("'$' must parse");
  return root.value;
})();
