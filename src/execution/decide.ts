/**
 * The decider: turns a command into events. It reads the execution, evaluates what the workflow
 * says (paths, templates, expressions, rules), and emits events; after each event it folds it in
 * with `evolve`, so it always decides on the execution as the log describes it. It never reads a
 * clock, never draws an unseeded random number and never does I/O.
 *
 * Work that would otherwise recurse without bound (a Map finishing one iteration and starting the
 * next, a Parallel finishing and its run going on) goes through a queue, so stack depth depends on
 * how deeply states nest, never on how many iterations or loops an execution makes.
 */
import { evaluateChoiceRule } from "../data/choice.js";
import { contextObject } from "../data/context.js";
import { readDataPath } from "../data/io.js";
import { evaluateJsonata, jsonTypeName } from "../data/jsonata.js";
import { jsonByteLength } from "../data/size.js";
import { parsePath } from "../data/path.js";
import { parseTimestamp } from "../data/timestamp.js";
import type { Catcher, ChoiceState, Dataflow, FailState, MapState, ParallelState, Scope, State, TaskState, WaitState, Workflow } from "../definition/model.js";
import { readTaskResource } from "../definition/resources.js";
import {
  bindings,
  documents,
  effectiveInput,
  evaluateDynamic,
  evaluateJsonataValue,
  evaluatePayload,
  selectedInput,
  shapeOutput,
  type Failure,
  type Outcome,
  type Shaped,
  type StateData,
} from "./dataflow.js";
import type { HistoryEvent, NewEvent, RetryDecision, TaskFamily, TimerStart } from "./events.js";
import { branchRunId, evolve, iterationRunId, ROOT_RUN } from "./evolve.js";
import type { ActiveState, Execution, Run, TaskWork, TimerWork } from "./model.js";
import { uuidV4 } from "../data/intrinsics/random.js";
import { randomCursor, type RandomCursor, type RandomState } from "./random.js";
import { tableGet, tableValues } from "./table.js";

/** Thrown (and caught by the driver) once an Execution* end event is written: nothing more happens. */
export class ExecutionOver {}

/** What a state's step leads to. */
type StateOutcome =
  | { readonly kind: "next"; readonly name: string; readonly input: unknown }
  | { readonly kind: "end"; readonly output: unknown }
  | { readonly kind: "blocked" }
  | { readonly kind: "failed"; readonly failure: Failure };

/** Deferred work, so long runs of iterations do not grow the stack. */
type Action =
  | { readonly kind: "enter"; readonly run: string; readonly state: string; readonly input: unknown }
  | { readonly kind: "progress"; readonly run: string };

const BLOCKED: StateOutcome = { kind: "blocked" };
const TERMINAL_ERRORS = new Set(["States.Runtime"]);
const ENDS = new Set(["ExecutionSucceeded", "ExecutionFailed", "ExecutionAborted", "ExecutionTimedOut"]);


const isoAfter = (atMillis: number, seconds: number): string => new Date(atMillis + Math.round(seconds * 1000)).toISOString();

/** What a state's context object shows beyond the execution and the state: a task token, a Map item. */
interface ContextExtra {
  readonly token?: string;
  readonly mapItem?: { readonly index: number; readonly value: unknown };
}

/** A state's data; the context object is built the first time something reads `$$`. */
class LiveStateData implements StateData {
  private built: Record<string, unknown> | undefined;
  readonly input: unknown;

  constructor(
    private readonly facts: Execution["facts"],
    private readonly state: State,
    private readonly active: ActiveState,
    private readonly extra: ContextExtra,
    readonly variables: Readonly<Record<string, unknown>>,
    readonly random: () => number,
    readonly now: number,
  ) {
    this.input = active.input;
  }

  get context(): Record<string, unknown> {
    return (this.built ??= this.build());
  }

  private build(): Record<string, unknown> {
    const { facts, state, active, extra } = this;
    const retries = state.type === "Task" || state.type === "Parallel" || state.type === "Map";
    return contextObject({
      execution: {
        id: facts.id,
        name: facts.name,
        input: facts.input,
        roleArn: facts.roleArn,
        startTime: facts.startTime,
        ...(facts.type === "EXPRESS" ? {} : { redriveCount: 0 }),
      },
      stateMachine: facts.stateMachine,
      state: { name: active.name, enteredTime: active.enteredTime, ...(retries ? { retryCount: active.retryCount } : {}) },
      ...(extra.token !== undefined ? { task: { token: extra.token } } : {}),
      ...(extra.mapItem ? { mapItem: { ...extra.mapItem, source: "STATE_DATA" } } : {}),
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

/** One decision: the execution as it evolves while events are emitted, and the events. */
export class Decision {
  readonly events: HistoryEvent[] = [];
  /** What this decision made itself and no one else has seen: evolve may update it in place. */
  private readonly owned = new WeakSet<object>();
  private readonly cursor: RandomCursor;
  private readonly queue: Action[] = [];
  /** Draws already recorded in an event. */
  private recordedDraws = 0;
  private at: string;
  private atMillis: number;

  constructor(
    readonly workflow: Workflow,
    public execution: Execution,
    at: string,
  ) {
    this.at = at;
    this.atMillis = Date.parse(at);
    this.cursor = randomCursor(execution.random);
  }

  /** Moves the decision's clock (advanceTime fires timers at their own times). */
  setTime(at: string): void {
    this.at = at;
    this.atMillis = Date.parse(at);
  }

  /** The next event's id. */
  get nextEventId(): number {
    return this.execution.lastEventId + 1;
  }

  /** Writes an event: id, previous id, time and random state are filled in; the execution evolves. */
  emit(partial: NewEvent, previousEventId?: number): HistoryEvent {
    const { execution } = this;
    if (!ENDS.has(partial.type) && this.nextEventId >= execution.limits.historyEvents) {
      this.emit({
        type: "ExecutionFailed",
        executionFailedEventDetails: {
          error: "States.Runtime",
          cause: `The execution reached the maximum number of history events (${execution.limits.historyEvents}).`,
        },
      });
    }
    const run = partial.run === undefined ? undefined : tableGet(execution.runs, partial.run);
    const previous = previousEventId ?? (run ?? tableGet(execution.runs, ROOT_RUN))?.lastEventId ?? 0;
    const event = Object.assign({ id: this.nextEventId, previousEventId: previous, timestamp: this.at }, partial) as HistoryEvent & {
      random?: RandomState;
      child?: true;
    };
    // The generator's state goes into the first event after a draw (most events draw nothing).
    if (this.cursor.drawn() !== this.recordedDraws) {
      this.recordedDraws = this.cursor.drawn();
      event.random = this.cursor.state();
    }
    if (this.belongsToChild(partial)) event.child = true;
    this.execution = evolve(execution, event, undefined, this.owned);
    this.events.push(event);
    if (ENDS.has(event.type)) throw new ExecutionOver();
    return event;
  }

  /** Whether an event belongs to a Distributed Map's child execution rather than to this history. */
  private belongsToChild(partial: NewEvent): boolean {
    if (!hasDistributedMap(this.workflow)) return false;
    if ("iteration" in partial) {
      const map = this.workflow.states.get(this.run(partial.run ?? ROOT_RUN)?.state?.name ?? "");
      if (map?.type === "Map" && map.mode === "DISTRIBUTED") return true;
    }
    return partial.run !== undefined && this.insideDistributed(partial.run);
  }

  private readonly distributedRuns = new Map<string, boolean>();

  private insideDistributed(runId: string): boolean {
    let inside = this.distributedRuns.get(runId);
    if (inside === undefined) {
      const run = this.run(runId);
      const owner = run && run.scope.kind === "iteration" ? this.workflow.states.get(run.scope.state) : undefined;
      inside = (owner?.type === "Map" && owner.mode === "DISTRIBUTED") || (run?.parent !== undefined && this.insideDistributed(run.parent));
      this.distributedRuns.set(runId, inside);
    }
    return inside;
  }

  // ------------------------------------------------------------------------------------------ runs

  private run(id: string): Run | undefined {
    return tableGet(this.execution.runs, id);
  }

  private runEvent(run: string): { run?: string } {
    return run === ROOT_RUN ? {} : { run };
  }

  /** The scope a run executes. */
  private scopeOf(run: Run): Scope {
    if (run.scope.kind === "root") return this.workflow.root;
    const owner = this.workflow.states.get(run.scope.state);
    if (owner?.type === "Parallel") return owner.branches[run.scope.index] as Scope;
    if (owner?.type === "Map") return owner.processor;
    throw new Error(`run '${run.id}' has no scope`);
  }

  /**
   * Variables visible in a run: its own over those of the runs around it. A Distributed Map's
   * iterations are child executions and see no outer variables.
   */
  private variablesOf(runId: string): Readonly<Record<string, unknown>> {
    const run = this.run(runId);
    if (!run) return {};
    if (run.parent === undefined) return run.variables;
    if (run.scope.kind === "iteration") {
      const owner = this.workflow.states.get(run.scope.state);
      if (owner?.type === "Map" && owner.mode === "DISTRIBUTED") return run.variables;
    }
    const outer = this.variablesOf(run.parent);
    return Object.keys(run.variables).length === 0 ? outer : { ...outer, ...run.variables };
  }

  private stateData(runId: string, state: State, active: ActiveState, extra: ContextExtra = {}): StateData {
    return new LiveStateData(this.execution.facts, state, active, extra, this.variablesOf(runId), this.cursor.next, this.atMillis);
  }

  private active(runId: string): { run: Run; active: ActiveState; state: State } {
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

  /** Carries out queued work until nothing more can happen without the host. */
  async drain(): Promise<void> {
    for (let i = 0; i < this.queue.length; i++) {
      const action = this.queue[i] as Action;
      if (action.kind === "enter") await this.runFrom(action.run, action.state, action.input);
      else await this.progress(action.run);
    }
    this.queue.length = 0;
  }

  /** Runs states one after another until the run blocks, ends or fails. */
  async runFrom(runId: string, first: string, firstInput: unknown): Promise<void> {
    let name = first;
    let input = firstInput;
    for (;;) {
      if (!this.run(runId)) return;
      const outcome = await this.executeState(runId, name, input);
      if (!(await this.follow(runId, outcome))) return;
      if (outcome.kind !== "next") return;
      name = outcome.name;
      input = outcome.input;
    }
  }

  /** Acts on a state's outcome; true when the run goes on to the next state. */
  private async follow(runId: string, outcome: StateOutcome): Promise<boolean> {
    switch (outcome.kind) {
      case "next":
        return true;
      case "blocked":
        return false;
      case "end":
        this.runEnded(runId, outcome.output);
        return false;
      case "failed":
        await this.runFailed(runId, outcome.failure);
        return false;
    }
  }

  /** Continues a run after a state finished outside `runFrom` (a task result, a timer, children). */
  async continueWith(runId: string, outcome: StateOutcome): Promise<void> {
    if ((await this.follow(runId, outcome)) && outcome.kind === "next") this.enqueueEnter(runId, outcome.name, outcome.input);
  }

  private runEnded(runId: string, output: unknown): void {
    const run = this.run(runId) as Run;
    if (run.scope.kind === "root") {
      this.emit({ type: "ExecutionSucceeded", executionSucceededEventDetails: { output } });
      return;
    }
    const parent = run.parent as string;
    if (run.scope.kind === "iteration") {
      const { state: owner, index } = run.scope;
      this.emit({
        type: "MapIterationSucceeded",
        ...this.runEvent(parent),
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
      this.emit({ type: "ExecutionFailed", executionFailedEventDetails: errorFields(failure) });
      return;
    }
    const parentId = run.parent as string;
    const { active, state } = this.active(parentId);
    if (state.type === "Map" && run.scope.kind === "iteration") return this.iterationFailed(parentId, state, active, run.scope.index, runId, failure);
    const parallel = state as ParallelState;
    // The siblings still running are aborted; the failing branch itself has already stopped.
    if (active.work.kind === "parallel") for (const branch of active.work.branches) if (branch !== runId) this.abortRun(branch);
    const retry = this.retryFor(parallel, active, failure);
    this.emit({ type: "ParallelStateFailed", ...this.runEvent(parentId), ...errorFields(failure), ...(retry ? { retry } : {}) });
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
    const details = { ...this.runEvent(runId), mapIterationFailedEventDetails: { name: map.name, index }, iteration, ...errorFields(failure) };
    if (map.mode === "DISTRIBUTED" && tolerated(work, work.failures + 1)) {
      this.emit({ type: "MapIterationFailed", ...details, output: { Error: failure.error, Cause: failure.cause ?? null } });
      this.queue.push({ kind: "progress", run: runId });
      return;
    }
    const mapFailure: Failure =
      map.mode === "DISTRIBUTED" ? { error: "States.ExceedToleratedFailureThreshold", cause: "The specified tolerated failure threshold was exceeded" } : failure;
    const retry = this.retryFor(map, active, mapFailure);
    this.emit({ type: "MapIterationFailed", ...details, ...(retry ? { retry } : {}) });
    for (let i = 0; i < work.nextIndex; i++) {
      const sibling = iterationRunId(work.startedEventId, i);
      if (!this.run(sibling)) continue;
      this.abortRun(sibling);
      this.emit({ type: "MapIterationAborted", ...this.runEvent(runId), mapIterationAbortedEventDetails: { name: map.name, index: i }, iteration: sibling });
    }
    if (retry) return;
    if (map.mode === "DISTRIBUTED") this.emit({ type: "MapRunFailed", ...this.runEvent(runId), mapRunFailedEventDetails: errorFields(mapFailure) });
    this.emit({ type: "MapStateFailed", ...this.runEvent(runId), ...errorFields(mapFailure) });
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
        if (!this.run(child)) continue;
        this.abortRun(child);
        this.emit({ type: "MapIterationAborted", ...this.runEvent(runId), mapIterationAbortedEventDetails: { name: active.name, index: i }, iteration: child });
      }
    }
    // AWS records no Aborted event for a Wait state that is stopped (nor for Pass, Choice, ...).
    if (state?.type === "Task" || state?.type === "Parallel" || state?.type === "Map") {
      this.emit({ type: `${state.type}StateAborted`, ...this.runEvent(runId) });
    }
  }

  // ---------------------------------------------------------------------------------- states

  private entered(runId: string, state: State, input: unknown, timer?: TimerStart): ActiveState {
    this.emit({
      type: `${state.type}StateEntered`,
      ...this.runEvent(runId),
      stateEnteredEventDetails: { name: state.name, input },
      ...(timer ? { timer } : {}),
    });
    return this.active(runId).active;
  }

  /** Writes the Exited event and says where the run goes. */
  private exited(runId: string, state: State, shaped: Shaped, next: string | undefined): StateOutcome {
    if (state.type === "Fail") throw new Error("a Fail state does not exit");
    this.emit({
      type: `${state.type}StateExited`,
      ...this.runEvent(runId),
      stateExitedEventDetails: {
        name: state.name,
        output: shaped.output,
        ...(shaped.assigned && Object.keys(shaped.assigned).length > 0 ? { assignedVariables: shaped.assigned } : {}),
      },
      ...(next !== undefined ? { next } : {}),
    });
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
  private evaluationError(runId: string, state: TaskState | ParallelState | MapState, active: ActiveState, failure: Failure): Promise<StateOutcome> {
    const located = this.located(failure, active);
    return this.handleError(runId, state, active, located, (retry) => {
      this.evaluationFailed(runId, active, failure, retry);
      if (state.type === "Map" && !retry && !TERMINAL_ERRORS.has(failure.error)) {
        this.emit({ type: "MapStateFailed", ...this.runEvent(runId), error: located.error, ...(located.cause !== undefined ? { cause: located.cause } : {}) });
      }
    });
  }

  /** A failure in a state without Retry or Catch (or that none handles): recorded, then the run fails. */
  private stateFailed(runId: string, active: ActiveState, failure: Failure): StateOutcome {
    this.evaluationFailed(runId, active, failure, undefined);
    return { kind: "failed", failure: this.located(failure, active) };
  }

  private evaluationFailed(runId: string, active: ActiveState, failure: Failure, retry: RetryDecision | undefined): void {
    if (failure.location === undefined) return;
    this.emit({
      type: "EvaluationFailed",
      ...this.runEvent(runId),
      evaluationFailedEventDetails: { error: failure.error, cause: failure.cause ?? "", location: failure.location, state: active.name },
      ...(retry ? { retry } : {}),
    });
  }

  /** A payload over the limit fails the state with States.DataLimitExceeded. */
  private tooLarge(value: unknown, what: string): Failure | undefined {
    const limit = this.execution.limits.payloadBytes;
    if (jsonByteLength(value, limit) <= limit) return undefined;
    return { error: "States.DataLimitExceeded", cause: `The state/task '${what}' returned a result with a size exceeding the maximum number of bytes service limit.` };
  }

  private async executeState(runId: string, name: string, input: unknown): Promise<StateOutcome> {
    const state = this.workflow.states.get(name);
    if (!state) throw new Error(`no state '${name}'`);
    switch (state.type) {
      case "Pass": {
        const active = this.entered(runId, state, input);
        const data = this.stateData(runId, state, active);
        let result: unknown = input;
        if (state.dataflow.language === "JSONPath") {
          const effective = await effectiveInput(state.dataflow, data);
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
        return this.choice(runId, state, this.entered(runId, state, input));
      case "Wait":
        return this.wait(runId, state, input);
      case "Fail":
        return this.fail(runId, state, input);
      case "Task":
        return this.attemptTask(runId, state, this.entered(runId, state, input));
      case "Parallel":
        return this.attemptParallel(runId, state, this.entered(runId, state, input));
      case "Map":
        return this.attemptMap(runId, state, this.entered(runId, state, input));
    }
  }

  /** Shapes the output, checks its size, and exits to the transition. */
  private async finish(
    runId: string,
    state: State,
    active: ActiveState,
    data: StateData,
    result: unknown,
    options: { assignInput: unknown; offerResult: boolean },
    transition: { kind: "next"; next: string } | { kind: "end" },
    dataflow: Dataflow = (state as { dataflow: Dataflow }).dataflow,
  ): Promise<StateOutcome> {
    const shaped = await shapeOutput(dataflow, data, result, options);
    if (!shaped.ok) return this.stateFailed(runId, active, shaped.failure);
    const over = this.tooLarge(shaped.value.output, state.name);
    if (over) return { kind: "failed", failure: over };
    return this.exited(runId, state, shaped.value, transition.kind === "next" ? transition.next : undefined);
  }

  private async choice(runId: string, state: ChoiceState, active: ActiveState): Promise<StateOutcome> {
    const data = this.stateData(runId, state, active);
    const selected = selectedInput(state.dataflow, data);
    if (!selected.ok) return this.stateFailed(runId, active, selected.failure);
    const docs = documents(data, selected.value);
    for (const [index, branch] of state.choices.entries()) {
      let matched: boolean;
      if (branch.language === "JSONPath") {
        const verdict = evaluateChoiceRule(branch.rule, (path) => readDataPath(path, docs));
        if (!verdict.ok) return this.stateFailed(runId, active, { error: verdict.error, cause: verdict.cause });
        matched = verdict.value;
      } else if (branch.condition.kind === "value") {
        matched = branch.condition.value;
      } else {
        const location = `Choices[${index}]/Condition`;
        const value = await evaluateJsonata(branch.condition.expression, location, bindings(data));
        if (!value.ok) return this.stateFailed(runId, active, { error: value.error, cause: value.cause, location: value.location });
        if (typeof value.value !== "boolean") {
          const cause = `The JSONata expression '${branch.condition.expression.source.trim()}' specified for the field '${location}' returned an unexpected result type. Expected 'boolean', but was '${jsonTypeName(value.value)}' for value: ${JSON.stringify(value.value)}`;
          return this.stateFailed(runId, active, { error: "States.QueryEvaluationError", cause, location });
        }
        matched = value.value;
      }
      if (!matched) continue;
      const dataflow: Dataflow =
        branch.language === "JSONPath" || state.dataflow.language === "JSONPath"
          ? { ...(state.dataflow as Extract<Dataflow, { language: "JSONPath" }>), assign: branch.language === "JSONPath" ? branch.assign : undefined }
          : { ...state.dataflow, output: branch.output, assign: branch.assign };
      return this.finish(runId, state, active, data, selected.value, { assignInput: selected.value, offerResult: false }, { kind: "next", next: branch.next }, dataflow);
    }
    if (state.default === undefined) {
      return this.stateFailed(runId, active, { error: "States.NoChoiceMatched", cause: "No Matches!" });
    }
    return this.finish(runId, state, active, data, selected.value, { assignInput: selected.value, offerResult: false }, { kind: "next", next: state.default });
  }

  private async wait(runId: string, state: WaitState, input: unknown): Promise<StateOutcome> {
    // The wait is worked out before the Entered event, which carries its timer.
    const provisional: ActiveState = { name: state.name, enteredEventId: this.nextEventId, enteredTime: this.at, input, retryCount: 0, retriers: [], work: { kind: "none" } };
    const data = this.stateData(runId, state, provisional);
    const until = await this.waitUntil(state, data);
    const timer = until.ok && until.value > this.atMillis ? { id: `${this.nextEventId}:wait`, until: new Date(until.value).toISOString() } : undefined;
    const active = this.entered(runId, state, input, timer);
    if (!until.ok) return this.stateFailed(runId, active, until.failure);
    if (timer) return BLOCKED;
    return this.waitOver(runId, state, active);
  }

  /** The Wait state's time is up: it exits. */
  async waitOver(runId: string, state: WaitState, active: ActiveState): Promise<StateOutcome> {
    const data = this.stateData(runId, state, active);
    const selected = selectedInput(state.dataflow, data);
    if (!selected.ok) return this.stateFailed(runId, active, selected.failure);
    return this.finish(runId, state, active, data, selected.value, { assignInput: selected.value, offerResult: false }, state.transition);
  }

  private async waitUntil(state: WaitState, data: StateData): Promise<Outcome<number>> {
    const selected = selectedInput(state.dataflow, data);
    if (!selected.ok) return selected;
    if (state.wait.kind === "seconds") {
      const source = state.wait.seconds;
      if (source.kind === "path") {
        const where = source.path.source;
        const read = readDataPath(source.path, documents(data, selected.value));
        if (!read.ok) return fail("States.Runtime", `The SecondsPath parameter does not reference an input value: ${where}`);
        const value = read.value;
        if (typeof value !== "number" || !Number.isInteger(value)) {
          return fail("States.Runtime", `The SecondsPath parameter cannot be parsed as a long value: ${where} == ${typeof value === "string" ? value : JSON.stringify(value)}`);
        }
        if (value < 0) return fail("States.Runtime", `The SecondsPath parameter references a negative value: ${where} == ${value}`);
        if (value >= 2 ** 31) return fail("States.Runtime", "Wait state delay is too long.");
        return { ok: true, value: this.atMillis + value * 1000 };
      }
      const seconds = await evaluateDynamic(source, data, selected.value);
      if (!seconds.ok) return seconds;
      const value = seconds.value;
      if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 99_999_999) {
        return fail(
          "States.QueryEvaluationError",
          `The JSONata expression '${source.kind === "jsonata" ? source.expression.source.trim() : ""}' specified for the field 'Seconds' returned an unexpected result type. Expected 'integer', but was '${jsonTypeName(value)}' for value: ${JSON.stringify(value)}`,
          "Seconds",
        );
      }
      if ((value as number) >= 2 ** 31) return fail("States.Runtime", "Wait state delay is too long.");
      return { ok: true, value: this.atMillis + (value as number) * 1000 };
    }
    const stamp = await evaluateDynamic(state.wait.timestamp, data, selected.value);
    if (!stamp.ok) return stamp;
    const text = stamp.value;
    const parsed = typeof text === "string" ? parseTimestamp(text) : undefined;
    if (parsed === undefined) {
      const source = state.wait.timestamp;
      return source.kind === "jsonata"
        ? fail("States.QueryEvaluationError", `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${String(text)}`, "Timestamp")
        : fail(
            "States.Runtime",
            `The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${source.kind === "path" ? source.path.source : "Timestamp"} == ${typeof text === "string" ? text : JSON.stringify(text)}`,
          );
    }
    // AWS honours timestamps to the second.
    return { ok: true, value: Math.floor(parsed / 1000) * 1000 };
  }

  private async fail(runId: string, state: FailState, input: unknown): Promise<StateOutcome> {
    const provisional: ActiveState = { name: state.name, enteredEventId: this.nextEventId, enteredTime: this.at, input, retryCount: 0, retriers: [], work: { kind: "none" } };
    const data = this.stateData(runId, state, provisional);
    const error = state.error ? await evaluateDynamic(state.error, data, input) : ({ ok: true, value: undefined } as const);
    const cause = error.ok && state.cause ? await evaluateDynamic(state.cause, data, input) : ({ ok: true, value: undefined } as const);
    const active = this.entered(runId, state, input);
    if (!error.ok) return this.stateFailed(runId, active, error.failure);
    if (!cause.ok) return this.stateFailed(runId, active, cause.failure);
    for (const [field, value] of [["Error", error.value], ["Cause", cause.value]] as const) {
      if (value !== undefined && typeof value !== "string") {
        return this.stateFailed(runId, active, { error: "States.Runtime", cause: `The value of the field '${field}' must be a string, but was ${JSON.stringify(value)}` });
      }
    }
    const failure: Failure = { error: error.value as string, cause: cause.value as string };
    return { kind: "failed", failure: dropUndefined(failure) };
  }

  // ------------------------------------------------------------------------------------ tasks

  /** Evaluates the task's input and hands it to the host (first attempt and retries). */
  async attemptTask(runId: string, state: TaskState, active: ActiveState): Promise<StateOutcome> {
    const resource = readTaskResource(state.resource);
    const kind = resource.ok ? resource.value.kind : "integration";
    const needsToken = state.pattern === "callback" || kind === "activity";
    const token = needsToken ? uuidV4(this.cursor.next) : undefined;
    const data = this.stateData(runId, state, active, token !== undefined ? { token } : {});
    const parameters = await effectiveInput(state.dataflow, data);
    if (!parameters.ok) return this.evaluationError(runId, state, active, parameters.failure);
    const timeout = state.timeoutSeconds ? await this.taskSeconds(state.timeoutSeconds, data, "TimeoutSeconds") : undefined;
    if (timeout && !timeout.ok) return this.evaluationError(runId, state, active, timeout.failure);
    const heartbeat = state.heartbeatSeconds ? await this.taskSeconds(state.heartbeatSeconds, data, "HeartbeatSeconds") : undefined;
    if (heartbeat && !heartbeat.ok) return this.evaluationError(runId, state, active, heartbeat.failure);
    const credentials = state.credentials
      ? state.credentials.language === "JSONPath"
        ? evaluatePayload(state.credentials.template, data, data.input)
        : await evaluateJsonataValue(state.credentials.template, data)
      : undefined;
    if (credentials && !credentials.ok) return this.evaluationError(runId, state, active, credentials.failure);
    const over = this.tooLarge(parameters.value, state.name);
    if (over) return this.handleError(runId, state, active, over, () => {});
    const taskCredentials = credentials?.ok ? credentialsOf(credentials.value) : undefined;

    const family: TaskFamily = kind === "lambda-function" ? "LambdaFunction" : kind === "activity" ? "Activity" : "Task";
    const taskId = `${this.nextEventId}:task`;
    const timeoutSeconds = timeout?.ok ? (timeout.value as number) : undefined;
    const heartbeatSeconds = heartbeat?.ok ? (heartbeat.value as number) : undefined;
    const region = regionOf(state.resource) || regionOf(this.execution.facts.stateMachine.id) || "us-east-1";
    const scope = this.runEvent(runId);
    if (family === "Task") {
      const resourceType = resource.ok ? resource.value.resourceType : "unknown";
      const resourceName = resource.ok ? resource.value.resourceName : state.resource;
      this.emit({
        type: "TaskScheduled",
        ...scope,
        taskScheduledEventDetails: {
          resourceType,
          resource: resourceName,
          region,
          parameters: parameters.value,
          ...(timeoutSeconds !== undefined ? { timeoutInSeconds: timeoutSeconds } : {}),
          ...(heartbeatSeconds !== undefined ? { heartbeatInSeconds: heartbeatSeconds } : {}),
          ...(taskCredentials ? { taskCredentials } : {}),
        },
        taskId,
        ...(token !== undefined ? { token } : {}),
        resourceArn: state.resource,
      });
    } else if (family === "LambdaFunction") {
      this.emit({
        type: "LambdaFunctionScheduled",
        ...scope,
        lambdaFunctionScheduledEventDetails: {
          resource: state.resource,
          input: parameters.value,
          ...(timeoutSeconds !== undefined ? { timeoutInSeconds: timeoutSeconds } : {}),
          ...(taskCredentials ? { taskCredentials } : {}),
        },
        taskId,
      });
    } else {
      this.emit({
        type: "ActivityScheduled",
        ...scope,
        activityScheduledEventDetails: {
          resource: state.resource,
          input: parameters.value,
          ...(timeoutSeconds !== undefined ? { timeoutInSeconds: timeoutSeconds } : {}),
          ...(heartbeatSeconds !== undefined ? { heartbeatInSeconds: heartbeatSeconds } : {}),
        },
        taskId,
        token: token as string,
      });
    }
    const timers = {
      ...(timeoutSeconds !== undefined ? { timeout: { id: `${taskId}:timeout`, until: isoAfter(this.atMillis, timeoutSeconds) } } : {}),
      ...(heartbeatSeconds !== undefined ? { heartbeat: { id: `${taskId}:heartbeat`, until: isoAfter(this.atMillis, heartbeatSeconds) } } : {}),
    };
    const withTimers = Object.keys(timers).length > 0 ? { timers } : {};
    if (family === "Task") {
      const details = { resourceType: resource.ok ? resource.value.resourceType : "unknown", resource: resource.ok ? resource.value.resourceName : state.resource };
      this.emit({ type: "TaskStarted", ...scope, taskStartedEventDetails: details, taskId, ...withTimers });
      if (state.pattern !== "request-response") this.emit({ type: "TaskSubmitted", ...scope, taskSubmittedEventDetails: details, taskId });
    } else if (family === "LambdaFunction") {
      this.emit({ type: "LambdaFunctionStarted", ...scope, taskId, ...withTimers });
    } else {
      this.emit({ type: "ActivityStarted", ...scope, activityStartedEventDetails: {}, taskId, ...withTimers });
    }
    return BLOCKED;
  }

  private async taskSeconds(dynamic: NonNullable<TaskState["timeoutSeconds"]>, data: StateData, field: string): Promise<Outcome<unknown>> {
    const value = await evaluateDynamic(dynamic, data, data.input);
    if (!value.ok) return value;
    if (typeof value.value === "number" && Number.isInteger(value.value) && value.value > 0) return value;
    if (dynamic.kind === "jsonata") {
      return fail(
        "States.QueryEvaluationError",
        `The JSONata expression '${dynamic.expression.source.trim()}' specified for the field '${field}' returned an unexpected result type. Expected 'integer', but was '${jsonTypeName(value.value)}' for value: ${JSON.stringify(value.value)}`,
        field,
      );
    }
    return fail("States.Runtime", `The ${field}Path field refers to value ${JSON.stringify(value.value)} which is not a valid positive integer: ${dynamic.kind === "path" ? dynamic.path.source : field}`);
  }

  /** The host answered a task with its result. */
  async taskSucceeded(task: TaskWork, output: unknown): Promise<void> {
    // AWS names the service for an integration (`lambda`) and the function for a Lambda ARN.
    const over = this.tooLarge(output, task.resourceType ?? task.resource);
    if (over) return this.taskFailed(task, over);
    const family = task.family;
    const scope = this.runEvent(task.run);
    if (family === "Task") {
      const { resourceType = "", resourceName: resource = "" } = task;
      this.emit({ type: "TaskSucceeded", ...scope, taskSucceededEventDetails: { resourceType, resource, output }, taskId: task.id });
    } else if (family === "LambdaFunction") {
      this.emit({ type: "LambdaFunctionSucceeded", ...scope, lambdaFunctionSucceededEventDetails: { output }, taskId: task.id });
    } else {
      this.emit({ type: "ActivitySucceeded", ...scope, activitySucceededEventDetails: { output }, taskId: task.id });
    }
    const { active, state } = this.active(task.run);
    const data = this.stateData(task.run, state, active, task.token !== undefined ? { token: task.token } : {});
    const shaped = await shapeOutput((state as TaskState).dataflow, data, output, { assignInput: output, offerResult: true });
    if (!shaped.ok) {
      const failure = shaped.failure;
      await this.continueWith(task.run, await this.evaluationError(task.run, state as TaskState, active, failure));
      return;
    }
    const over2 = this.tooLarge(shaped.value.output, state.name);
    if (over2) return this.runFailed(task.run, over2);
    const transition = (state as TaskState).transition;
    await this.continueWith(task.run, this.exited(task.run, state, shaped.value, transition.kind === "next" ? transition.next : undefined));
  }

  /** The task failed (or timed out): the failure event, then Retry, Catch, or the run fails. */
  async taskFailed(task: TaskWork, failure: Failure, timedOut = false): Promise<void> {
    const family = task.family;
    const scope = this.runEvent(task.run);
    const details = dropUndefined({ error: failure.error, cause: failure.cause });
    const { active, state } = this.active(task.run);
    const outcome = await this.handleError(task.run, state as TaskState, active, failure, (retry) => {
      const extra = { taskId: task.id, ...(retry ? { retry } : {}) };
      if (family === "Task") {
        const body = { resourceType: task.resourceType ?? "", resource: task.resourceName ?? "", ...details };
        this.emit(timedOut ? { type: "TaskTimedOut", ...scope, taskTimedOutEventDetails: body, ...extra } : { type: "TaskFailed", ...scope, taskFailedEventDetails: body, ...extra });
      } else if (family === "LambdaFunction") {
        this.emit(
          timedOut
            ? { type: "LambdaFunctionTimedOut", ...scope, lambdaFunctionTimedOutEventDetails: details, ...extra }
            : { type: "LambdaFunctionFailed", ...scope, lambdaFunctionFailedEventDetails: details, ...extra },
        );
      } else {
        this.emit(
          timedOut
            ? { type: "ActivityTimedOut", ...scope, activityTimedOutEventDetails: details, ...extra }
            : { type: "ActivityFailed", ...scope, activityFailedEventDetails: details, ...extra },
        );
      }
    });
    await this.continueWith(task.run, outcome);
  }

  // --------------------------------------------------------------------------- error handling

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
    let delay = retrier.intervalSeconds * retrier.backoffRate ** attempt;
    if (retrier.maxDelaySeconds !== undefined) delay = Math.min(delay, retrier.maxDelaySeconds);
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

  // ------------------------------------------------------------------------------- compounds

  async attemptParallel(runId: string, state: ParallelState, active: ActiveState): Promise<StateOutcome> {
    const data = this.stateData(runId, state, active);
    const input = await effectiveInput(state.dataflow, data);
    if (!input.ok) return this.evaluationError(runId, state, active, input.failure);
    const started = this.emit({ type: "ParallelStateStarted", ...this.runEvent(runId), branches: state.branches.length });
    state.branches.forEach((branch, index) => this.enqueueEnter(branchRunId(started.id, index), branch.startAt, input.value));
    return BLOCKED;
  }

  async attemptMap(runId: string, state: MapState, active: ActiveState): Promise<StateOutcome> {
    const data = this.stateData(runId, state, active);
    const effective = await effectiveInput(state.dataflow, data);
    const handle = (failure: Failure) => this.evaluationError(runId, state, active, failure);
    if (!effective.ok) return handle(effective.failure);
    const found = await this.mapItems(state, data, effective.value);
    if (!found.ok) return handle(found.failure);
    const items = state.itemBatcher && state.mode === "DISTRIBUTED" ? await this.batches(runId, state, data, effective.value, found.value) : found;
    if (!items.ok) return handle(items.failure);
    const maxConcurrency = await this.mapNumber(state.maxConcurrency, data, effective.value, "MaxConcurrency", "integer");
    if (!maxConcurrency.ok) return handle(maxConcurrency.failure);
    if (maxConcurrency.value < 0) return handle({ error: "States.Runtime", cause: "MaxConcurrency cannot be negative." });
    // AWS reads the tolerated-failure thresholds after MapStateStarted; a bad one fails the execution there.
    const count = state.toleratedFailureCount && (await this.mapNumber(state.toleratedFailureCount, data, effective.value, "ToleratedFailureCount", "integer"));
    const percentage =
      state.toleratedFailurePercentage && (await this.mapNumber(state.toleratedFailurePercentage, data, effective.value, "ToleratedFailurePercentage", "float"));
    const tolerance = {
      ...(count?.ok ? { count: count.value } : {}),
      ...(percentage?.ok ? { percentage: percentage.value } : {}),
    };
    this.emit({
      type: "MapStateStarted",
      ...this.runEvent(runId),
      mapStateStartedEventDetails: { length: items.value.length },
      items: items.value,
      effectiveInput: effective.value,
      maxConcurrency: maxConcurrency.value,
      ...(Object.keys(tolerance).length > 0 ? { tolerance } : {}),
      ...(state.itemBatcher && state.mode === "DISTRIBUTED" ? { batched: true as const } : {}),
    });
    for (const threshold of [count, percentage]) {
      if (threshold && !threshold.ok) return handle(threshold.failure);
    }
    if (count?.ok && count.value < 0) return handle({ error: "States.Runtime", cause: "ToleratedFailureCount cannot be negative." });
    if (percentage?.ok && (percentage.value < 0 || percentage.value > 100)) {
      return handle({ error: "States.Runtime", cause: "ToleratedFailurePercentage must be between 0 and 100." });
    }
    if (state.mode === "DISTRIBUTED") {
      const { facts } = this.execution;
      const arn = facts.stateMachine.id.replace(":stateMachine:", ":mapRun:");
      this.emit({ type: "MapRunStarted", ...this.runEvent(runId), mapRunStartedEventDetails: { mapRunArn: `${arn}/${state.label ?? state.name}:${uuidV4(this.cursor.next)}` } });
    }
    this.queue.push({ kind: "progress", run: runId });
    return BLOCKED;
  }

  /**
   * A Map's numeric setting (MaxConcurrency, ToleratedFailure*): a number, or for `…Path` fields a
   * string that holds one, as AWS accepts.
   */
  private async mapNumber(dynamic: NonNullable<MapState["maxConcurrency"]>, data: StateData, input: unknown, field: string, kind: "integer" | "float"): Promise<Outcome<number>> {
    const value = await evaluateDynamic(dynamic, data, input);
    if (!value.ok) return value;
    const raw = value.value;
    const number = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : Number.NaN;
    if (Number.isFinite(number) && (kind === "float" || Number.isInteger(number))) return { ok: true, value: number };
    if (dynamic.kind === "jsonata") {
      return fail(
        "States.QueryEvaluationError",
        `The JSONata expression '${dynamic.expression.source.trim()}' specified for the field '${field}' returned an unexpected result type. Expected '${kind === "float" ? "number" : "integer"}', but was '${jsonTypeName(raw)}' for value: ${JSON.stringify(raw)}`,
        field,
      );
    }
    const shown = typeof raw === "string" ? raw : JSON.stringify(raw);
    const where = dynamic.kind === "path" ? dynamic.path.source : field;
    return fail("States.Runtime", `The ${field}Path field refers to value "${shown}" which is not a valid ${kind}: ${where}`);
  }

  private async mapItems(state: MapState, data: StateData, effective: unknown): Promise<Outcome<readonly unknown[]>> {
    if (state.items.kind === "jsonata") {
      const value = await evaluateJsonataValue(state.items.template, data);
      if (!value.ok) return value;
      if (!Array.isArray(value.value)) {
        const template = state.items.template;
        const source = template.kind === "expression" ? template.expression.source.trim() : JSON.stringify(value.value);
        return fail(
          "States.QueryEvaluationError",
          `The JSONata expression '${source}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '${jsonTypeName(value.value)}' for value: ${JSON.stringify(value.value)}`,
          "Items",
        );
      }
      return { ok: true, value: value.value };
    }
    if (state.items.kind === "input") {
      if (Array.isArray(effective)) return { ok: true, value: effective };
      return state.queryLanguage === "JSONata"
        ? fail("States.QueryEvaluationError", `Map state input must be an array but was: ${JSON.stringify(effective)}`, "Items")
        : fail("States.Runtime", `Reference path "$" must point to array.`);
    }
    const read = readDataPath(state.items.path, documents(data, effective));
    if (!read.ok) return fail("States.Runtime", `Invalid path '${state.items.path.source}' : ${read.message}`);
    if (!Array.isArray(read.value)) return fail("States.Runtime", `Reference path "${state.items.path.source}" must point to array.`);
    return { ok: true, value: read.value };
  }

  /** A Parallel or Map state checks on its children: start more iterations, or finish. */
  private async progress(runId: string): Promise<void> {
    const run = this.run(runId);
    const active = run?.state;
    if (!active) return;
    const state = this.workflow.states.get(active.name) as State;
    const work = active.work;
    if (work.kind === "parallel") {
      const outputs: unknown[] = [];
      for (const id of work.branches) {
        const ended = this.run(id)?.ended;
        if (!ended || !("output" in ended)) return;
        outputs.push(ended.output);
      }
      // AWS writes no ParallelStateSucceeded: the Parallel state exits with its branches' outputs.
      return this.compoundDone(runId, state as ParallelState, outputs);
    }
    if (work.kind !== "map" || work.retryTimer !== undefined) return;
    const map = state as MapState;
    const limit = work.maxConcurrency === 0 ? Number.POSITIVE_INFINITY : work.maxConcurrency;
    let { running, nextIndex } = work;
    while (running < limit && nextIndex < work.items.length) {
      const index = nextIndex;
      const value = work.items[index];
      const input = await this.iterationInput(runId, map, work.effectiveInput, index, value);
      if (!input.ok) {
        const { active: current } = this.active(runId);
        for (let i = 0; i < index; i++) {
          const child = iterationRunId(work.startedEventId, i);
          if (!this.run(child)) continue;
          this.abortRun(child);
          this.emit({ type: "MapIterationAborted", ...this.runEvent(runId), mapIterationAbortedEventDetails: { name: map.name, index: i }, iteration: child });
        }
        return this.continueWith(runId, await this.evaluationError(runId, map, current, input.failure));
      }
      const iteration = iterationRunId(work.startedEventId, index);
      this.emit({ type: "MapIterationStarted", ...this.runEvent(runId), mapIterationStartedEventDetails: { name: map.name, index }, iteration });
      this.enqueueEnter(iteration, map.processor.startAt, input.value);
      running += 1;
      nextIndex += 1;
    }
    if (running > 0 || nextIndex < work.items.length) return;
    if (map.mode === "DISTRIBUTED") this.emit({ type: "MapRunSucceeded", ...this.runEvent(runId) });
    this.emit({ type: "MapStateSucceeded", ...this.runEvent(runId) });
    const done = this.active(runId).active.work;
    return this.compoundDone(runId, map, done.kind === "done" ? done.result : []);
  }

  /**
   * ItemBatcher (Distributed Map): each item through ItemSelector, then groups of at most
   * MaxItemsPerBatch items and MaxInputBytesPerBatch bytes, each `{ BatchInput?, Items }`.
   */
  private async batches(runId: string, state: MapState, data: StateData, effective: unknown, items: readonly unknown[]): Promise<Outcome<unknown[]>> {
    const batcher = state.itemBatcher as NonNullable<MapState["itemBatcher"]>;
    const maxItems = batcher.maxItemsPerBatch && (await this.mapNumber(batcher.maxItemsPerBatch, data, effective, "MaxItemsPerBatch", "integer"));
    if (maxItems && !maxItems.ok) return maxItems;
    const maxBytes = batcher.maxInputBytesPerBatch && (await this.mapNumber(batcher.maxInputBytesPerBatch, data, effective, "MaxInputBytesPerBatch", "integer"));
    if (maxBytes && !maxBytes.ok) return maxBytes;
    for (const [field, limit] of [["MaxItemsPerBatch", maxItems], ["MaxInputBytesPerBatch", maxBytes]] as const) {
      if (limit && limit.value < 1) return fail("States.Runtime", `${field} must be positive.`);
    }
    const batchInput = batcher.batchInput
      ? batcher.batchInput.language === "JSONPath"
        ? evaluatePayload(batcher.batchInput.template, data, effective)
        : await evaluateJsonataValue(batcher.batchInput.template, data)
      : undefined;
    if (batchInput && !batchInput.ok) return batchInput;
    const itemLimit = maxItems ? maxItems.value : Number.POSITIVE_INFINITY;
    const byteLimit = maxBytes ? maxBytes.value : Number.POSITIVE_INFINITY;
    const head = batchInput ? jsonByteLength({ BatchInput: batchInput.value }) : 0;
    const batches: unknown[] = [];
    let batch: unknown[] = [];
    let bytes = head + 12; // {"Items":[]}, plus a comma when BatchInput comes first
    for (const [index, item] of items.entries()) {
      const selected = await this.iterationInput(runId, state, effective, index, item);
      if (!selected.ok) return selected;
      const size = jsonByteLength(selected.value) + (batch.length > 0 ? 1 : 0);
      if (batch.length > 0 && (batch.length + 1 > itemLimit || bytes + size > byteLimit)) {
        batches.push(batch);
        batch = [];
        bytes = head + 12;
      }
      batch.push(selected.value);
      bytes += jsonByteLength(selected.value) + (batch.length > 1 ? 1 : 0);
    }
    if (batch.length > 0) batches.push(batch);
    return { ok: true, value: batches.map((group) => (batchInput ? { BatchInput: batchInput.value, Items: group } : { Items: group })) };
  }

  private async iterationInput(runId: string, state: MapState, effective: unknown, index: number, value: unknown): Promise<Outcome<unknown>> {
    if (!state.itemSelector) return { ok: true, value };
    const work = this.run(runId)?.state?.work;
    if (work?.kind === "map" && work.batched) return { ok: true, value };
    const { active } = this.active(runId);
    const data = this.stateData(runId, state, active, { mapItem: { index, value } });
    return state.itemSelector.language === "JSONPath"
      ? evaluatePayload(state.itemSelector.template, data, effective)
      : evaluateJsonataValue(state.itemSelector.template, data);
  }

  /** A Parallel or Map state has its result: it shapes its output and exits. */
  private async compoundDone(runId: string, state: ParallelState | MapState, result: unknown): Promise<void> {
    const { active } = this.active(runId);
    const data = this.stateData(runId, state, active);
    const shaped = await shapeOutput(state.dataflow, data, result, { assignInput: result, offerResult: true });
    if (!shaped.ok) {
      const failure = shaped.failure;
      return this.continueWith(runId, await this.evaluationError(runId, state, active, failure));
    }
    const over = this.tooLarge(shaped.value.output, state.name);
    if (over) return this.runFailed(runId, over);
    return this.continueWith(runId, this.exited(runId, state, shaped.value, state.transition.kind === "next" ? state.transition.next : undefined));
  }

  // --------------------------------------------------------------------------------- timers

  /** A timer fires. */
  async timerFired(timer: TimerWork): Promise<void> {
    switch (timer.purpose) {
      case "execution-timeout":
        this.emit({ type: "ExecutionTimedOut", executionTimedOutEventDetails: { error: "States.Timeout", cause: "The execution timed out (TimeoutSeconds)." } }, 0);
        return;
      case "task-timeout":
      case "heartbeat-timeout": {
        const task = tableGet(this.execution.tasks, timer.task as string) as TaskWork;
        return this.taskFailed(task, { error: "States.Timeout" }, true);
      }
      case "wait": {
        const { active, state } = this.active(timer.run as string);
        return this.continueWith(timer.run as string, await this.waitOver(timer.run as string, state as WaitState, active));
      }
      case "retry": {
        const runId = timer.run as string;
        const { active, state } = this.active(runId);
        const outcome =
          state.type === "Task"
            ? await this.attemptTask(runId, state, active)
            : state.type === "Parallel"
              ? await this.attemptParallel(runId, state, active)
              : await this.attemptMap(runId, state as MapState, active);
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

function fail(error: string, cause: string, location?: string): Outcome<never> {
  return { ok: false, failure: location === undefined ? { error, cause } : { error, cause, location } };
}

function dropUndefined(failure: { error?: string | undefined; cause?: string | undefined }): Failure {
  return { ...(failure.error !== undefined ? { error: failure.error } : {}), ...(failure.cause !== undefined ? { cause: failure.cause } : {}) } as Failure;
}

/** An error's fields for an event, leaving out those it does not have. */
function errorFields(failure: { error?: string | undefined; cause?: string | undefined }): { error?: string; cause?: string } {
  return dropUndefined(failure);
}

/** Whether a Distributed Map tolerates `failures` failed items (either threshold breached fails it; none set tolerates none). */
function tolerated(work: Extract<ActiveState["work"], { kind: "map" }>, failures: number): boolean {
  const { count, percentage } = work.tolerance ?? {};
  if (count === undefined && percentage === undefined) return false;
  if (count !== undefined && failures > count) return false;
  if (percentage !== undefined && (failures / Math.max(work.items.length, 1)) * 100 > percentage) return false;
  return true;
}

/** The region part of an ARN (`arn:aws:states:eu-west-1:...`), empty when it has none. */
const regionOf = (arn: string): string => /^arn:[^:]+:[^:]+:([^:]*):/.exec(arn)?.[1] ?? "";

/** The evaluated Credentials as AWS records them: `{ roleArn }`. */
function credentialsOf(value: unknown): { roleArn: unknown } | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const record = value as Record<string, unknown>;
  return Object.hasOwn(record, "RoleArn") ? { roleArn: record["RoleArn"] } : undefined;
}

/** Whether an ErrorEquals list matches an error name (States.ALL, States.TaskFailed wildcards). */
export function errorMatches(errorEquals: readonly string[], error: string | undefined): boolean {
  for (const name of errorEquals) {
    if (name === error) return true;
    if (name === "States.ALL") return true;
    if (name === "States.TaskFailed" && error !== "States.Timeout") return true;
  }
  return false;
}
