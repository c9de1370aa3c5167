/**
 * The three ways to move an execution: `startExecution` (from a workflow and options),
 * `resumeExecution` (an execution and a command) and `recoverExecution` (a workflow and its event
 * log). Each returns a Step: what happened, and what the host must do next. None trusts what it is
 * given: each either returns a Step or throws a typed error with a code (CommandRejected,
 * HistoryMismatch), and none changes its arguments.
 */
import { canonicalJson, copyJsonData, deepFreeze, describeError, MAX_DATA_DEPTH } from "../data/json.js";
import { hashHex } from "../data/hash.js";
import { jsonByteLength } from "../data/size.js";
import { parse } from "../definition/parse.js";
import type { State, Workflow } from "../definition/model.js";
import { flawText, isList, isRecord, shown, type Flaw } from "./checks.js";
import { failureOf, readCommand, type Command, type ReadCommand } from "./commands.js";
import { whenReady, type Eventually } from "./dataflow.js";
import { Decision, ExecutionOver } from "./decide.js";
import { taskFailed, taskSucceeded } from "./states/task.js";
import type { HistoryEvent } from "./events.js";
import { eventFlaw } from "./history.js";
import { checkSequence, evolve, Ownership, pendingTaskOf, ROOT_RUN, runOf } from "./evolve.js";
import { EXECUTION_FORMAT, EXECUTION_VERSION, type Execution, type Pending, type TaskWork } from "./model.js";
import { uuidV4 } from "../data/intrinsics/random.js";
import { checkOptions, readOptions, type StartOptions } from "./options.js";
import { addedItems, advanceIndex, listOf, PendingChanges, pendingView } from "./pending.js";
import { isoAfter } from "./outcome.js";
import { randomCursor, seedRandom } from "./random.js";
import { CommandRejected, HistoryMismatch } from "./rejections.js";
import { resumableFlaw, scopeOf, seal, soundnessFlaw, trustIn } from "./stored.js";
import { tableGet } from "./table.js";
import { readTime } from "./time.js";

export { DEFAULT_LIMITS, MAX_LIMIT, type StartOptions } from "./options.js";

/**
 * What a step changed in the work the host owes the execution, so that a host can keep its own set
 * of pending work in O(1) per change instead of reading the whole list after each command.
 */
export interface PendingChange {
  /** Work that became pending in this step, oldest first (after `recover`: all that is pending). */
  readonly added: readonly Pending[];
  /** Ids of work that stopped being pending in this step: answered, fired, timed out, aborted, or the execution ended. */
  readonly removed: readonly string[];
}

/** The outcome of a call: the new execution, the events it wrote, and what comes next. */
export type Step =
  | (PendingChange & {
      readonly status: "continue";
      readonly execution: Execution;
      readonly events: readonly HistoryEvent[];
      /**
       * All the work the host must do: tasks to run and timers to fire, oldest first. A read-only
       * view: an item or `length` costs O(log n) whatever the size, so reading `pending[0]` after
       * every command stays linear over a run.
       */
      readonly pending: readonly Pending[];
    })
  | (PendingChange & { readonly status: "succeeded"; readonly execution: Execution; readonly events: readonly HistoryEvent[]; readonly output: unknown })
  | (PendingChange & {
      readonly status: "failed" | "aborted" | "timed_out";
      readonly execution: Execution;
      readonly events: readonly HistoryEvent[];
      readonly error?: string;
      readonly cause?: string;
    });

const fingerprints = new WeakMap<Workflow, string>();
const workflowsByFingerprint = new Map<string, Workflow>();
const WORKFLOW_CACHE_SIZE = 64;

/** The fingerprint of a definition: a SHA-256 of it with keys sorted. */
const definitionFingerprint = (definition: Readonly<Record<string, unknown>>): string => hashHex(canonicalJson(definition), "SHA-256");

/** The fingerprint of a workflow: a SHA-256 of its definition with keys sorted. */
export function fingerprintOf(workflow: Workflow): string {
  let fingerprint = fingerprints.get(workflow);
  if (fingerprint === undefined) {
    fingerprint = definitionFingerprint(workflow.definition);
    fingerprints.set(workflow, fingerprint);
    remember(fingerprint, workflow);
  }
  return fingerprint;
}

function remember(fingerprint: string, workflow: Workflow): void {
  workflowsByFingerprint.delete(fingerprint);
  workflowsByFingerprint.set(fingerprint, workflow);
  if (workflowsByFingerprint.size > WORKFLOW_CACHE_SIZE) {
    const oldest = workflowsByFingerprint.keys().next().value as string;
    workflowsByFingerprint.delete(oldest);
  }
}

/** The workflow parse made of each value start or recover was given (and of each such workflow, itself). */
const parsedWorkflows = new WeakMap<object, Workflow>();

/**
 * The Workflow to run for a value given as one: what `parse` makes of its definition, so that
 * nothing compiled elsewhere is ever run. Undefined for a value that is not shaped as a Workflow
 * or whose definition `parse` refuses.
 */
function parsedWorkflow(value: unknown): Workflow | undefined {
  if (!isRecord(value)) return undefined;
  const known = parsedWorkflows.get(value);
  if (known) return known;
  let workflow: Workflow;
  try {
    if (!(value["states"] instanceof Map) || !isRecord(value["root"]) || !isRecord(value["definition"])) return undefined;
    workflow = parse(value["definition"]);
  } catch {
    return undefined;
  }
  parsedWorkflows.set(value, workflow);
  parsedWorkflows.set(workflow, workflow);
  return workflow;
}

/**
 * The workflow an execution runs: from the cache, or parsed again from the definition it carries.
 * `known` says the execution is stepfold's own, whose definition matches its fingerprint.
 */
function workflowOf(execution: Execution, known: boolean): Workflow {
  const cached = workflowsByFingerprint.get(execution.workflow);
  if (cached && (known || definitionFingerprint(execution.definition) === execution.workflow)) return cached;
  let workflow: Workflow;
  try {
    workflow = parse(execution.definition);
  } catch {
    throw new CommandRejected("MALFORMED_EXECUTION", "The execution's definition is not a valid state machine definition");
  }
  if (fingerprintOf(workflow) !== execution.workflow) {
    throw new CommandRejected("MALFORMED_EXECUTION", "The execution's definition does not match its fingerprint");
  }
  return workflow;
}

/**
 * A promise of what `work` gives; what it throws becomes a typed error (`typed`), whether it throws
 * at once or later. Synchronous work costs no promise but the one returned.
 */
function settled(work: () => Step | Promise<Step>, typed: (error: unknown) => unknown): Promise<Step> {
  try {
    const step = work();
    return step instanceof Promise ? step.then(undefined, (error: unknown) => Promise.reject(typed(error))) : Promise.resolve(step);
  } catch (error) {
    return Promise.reject(typed(error));
  }
}

/** A CommandRejected as it is; anything else, which stepfold did not foresee, as an INTERNAL_ERROR holding it. */
function asRejection(error: unknown): CommandRejected {
  if (error instanceof CommandRejected) return error;
  return new CommandRejected("INTERNAL_ERROR", `stepfold failed unexpectedly and changed nothing (please report it): ${describeError(error)}`, { cause: error });
}

/**
 * Starts an execution of `workflow`. Refuses (CommandRejected MALFORMED_COMMAND) a workflow that
 * `parse` did not make, and options that do not fit (see StartOptions).
 */
export function startExecution(workflow: Workflow, options: StartOptions): Promise<Step> {
  return settled(() => startChecked(workflow, options), asRejection);
}

function startChecked(given: Workflow, options: StartOptions): Promise<Step> {
  const workflow = parsedWorkflow(given);
  if (!workflow) throw new CommandRejected("MALFORMED_COMMAND", "The workflow is not a Workflow made by parse");
  const { input: givenInput, at, seed, name: givenName, stateMachineArn, roleArn, type, limits } = checkOptions(readOptions(options));
  const copied = copyJsonData(givenInput === undefined ? {} : givenInput);
  if (!copied.ok) throw new CommandRejected("MALFORMED_COMMAND", `The input is not JSON data: ${copied.message}`);
  const input = copied.value;
  if (jsonByteLength(input, limits.payloadBytes) > limits.payloadBytes) {
    throw new CommandRejected("INPUT_TOO_LARGE", `The input is larger than ${limits.payloadBytes} bytes`);
  }
  const cursor = randomCursor(seedRandom(seed));
  const name = givenName ?? uuidV4(cursor.next);
  const stateMachineName = stateMachineArn.slice(stateMachineArn.lastIndexOf(":") + 1);
  const executionArn =
    type === "EXPRESS"
      ? `${stateMachineArn.replace(":stateMachine:", ":express:")}:${name}:${uuidV4(cursor.next)}`
      : `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${name}`;
  const fingerprint = fingerprintOf(workflow);
  const started: HistoryEvent = {
    id: 1,
    previousEventId: 0,
    timestamp: at,
    type: "ExecutionStarted",
    executionStartedEventDetails: { input, roleArn, stateMachineArn },
    execution: { id: executionArn, name, input, roleArn, startTime: at, stateMachine: { id: stateMachineArn, name: stateMachineName }, type },
    workflow: fingerprint,
    seed,
    limits,
    ...(workflow.timeoutSeconds !== undefined ? { timer: { id: "execution:timeout", until: isoAfter(Date.parse(at), workflow.timeoutSeconds) } } : {}),
    random: cursor.state(),
  };
  const changes = new PendingChanges();
  const owned = new Ownership(true);
  owned.changes = changes;
  const execution = evolve(undefined, deepFreeze(started), workflow.definition, owned);
  const decision = new Decision(workflow, execution, at, true, changes);
  decision.events.push(started);
  return run(decision, undefined, async () => {
    decision.enqueueEnter(ROOT_RUN, workflow.root.startAt, input);
    await decision.drain();
  }) as Promise<Step>;
}

/**
 * Carries out one command on an execution. Refuses a command that does not fit (CommandRejected,
 * with its code), an execution stepfold did not make or that was edited (MALFORMED_EXECUTION,
 * naming the first field that does not fit); an execution stepfold has not seen before is checked
 * through once, then trusted. What stepfold did not foresee is an INTERNAL_ERROR.
 */
export function resumeExecution(execution: Execution, command: Command): Promise<Step> {
  return settled(() => resumeChecked(execution, command), asRejection);
}

const malformedExecution = (found: Flaw): CommandRejected => new CommandRejected("MALFORMED_EXECUTION", `The execution is malformed: ${flawText(found)}`);

function resumeChecked(execution: Execution, given: Command): Step | Promise<Step> {
  if (!isRecord(execution) || execution.format !== EXECUTION_FORMAT) throw new CommandRejected("MALFORMED_EXECUTION", notAnExecution(execution));
  // A sealed execution (stepfold's own) needs no look; one checked before, a look at its top; a new one, a check through.
  const trust = trustIn(execution);
  const flawed = soundnessFlaw(execution);
  if (flawed) throw malformedExecution(flawed);
  if (execution.status !== "RUNNING") throw new CommandRejected("EXECUTION_ENDED", `The execution has already ended (${execution.status})`);
  const command = readCommand(given);
  const at = commandTime(execution, command.at);
  const workflow = workflowOf(execution, trust === "sealed");
  const unfit = trust === "unknown" ? resumableFlaw(execution, workflow) : undefined;
  if (unfit) throw malformedExecution(unfit);
  // An execution stepfold did not hand out (a stored one, read back) is the caller's: the new one
  // must share nothing with it, so the decision works on a frozen copy.
  const before = trust === "sealed" ? execution : frozenCopy(execution);
  const decision = new Decision(workflow, before, at);
  switch (command.type) {
    case "CompleteTask": {
      const task = pendingTask(execution, command.id);
      const output = copyJsonData(command.output);
      if (!output.ok || output.value === undefined) throw new CommandRejected("MALFORMED_COMMAND", `The task output is not JSON data${output.ok ? "" : `: ${output.message}`}`);
      return run(decision, before, () => whenReady(taskSucceeded(decision, task, output.value), () => decision.drain()));
    }
    case "FailTask": {
      const task = pendingTask(execution, command.id);
      const failure = failureOf(command);
      return run(decision, before, () => taskFailed(decision, task, failure as { error: string; cause: string }).then(() => decision.drain()));
    }
    case "Heartbeat": {
      const task = pendingTask(execution, command.id);
      if (task.heartbeatSeconds === undefined || task.heartbeatTimer === undefined) return run(decision, before, async () => {});
      const until = isoAfter(Date.parse(at), task.heartbeatSeconds);
      return run(decision, before, async () => {
        decision.emit(task.run, { type: "TaskHeartbeat", taskId: task.id, timer: { id: `${decision.nextEventId}:heartbeat`, until } });
      });
    }
    case "FireTimer": {
      if (typeof command.id !== "string") throw new CommandRejected("MALFORMED_COMMAND", "FireTimer needs the timer's id");
      const timer = tableGet(execution.timers, command.id);
      if (!timer) throw new CommandRejected("UNKNOWN_TIMER", `No pending timer has the id ${JSON.stringify(command.id)}`);
      if (command.at === undefined && timer.until > execution.time) decision.setTime(timer.until);
      return run(decision, before, () => decision.timerFired(timer).then(() => decision.drain()));
    }
    case "AdvanceTime":
      if (command.at === undefined) throw new CommandRejected("MALFORMED_COMMAND", "AdvanceTime needs 'at'");
      return run(decision, before, async () => {
        // Timers fire one at a time, each at its own time; a firing may set new timers that are due too.
        for (let due = decision.dueTimers(at); due.length > 0; due = decision.dueTimers(at)) {
          const timer = due[0] as (typeof due)[number];
          decision.setTime(timer.until > decision.execution.time ? timer.until : decision.execution.time);
          await decision.timerFired(timer);
          await decision.drain();
        }
      });
    case "StopExecution": {
      const failure = failureOf(command);
      return run(decision, before, async () => {
        decision.abortRun(ROOT_RUN);
        decision.emit(ROOT_RUN, { type: "ExecutionAborted", executionAbortedEventDetails: failure }, 0);
      });
    }
    default:
      throw new CommandRejected("MALFORMED_COMMAND", command.type === undefined ? "The command has no type" : `Unknown command type ${shown(command.type)}`);
  }
}

/** A frozen deep copy of data already checked to be JSON (an execution, an event). */
function frozenCopy<T>(value: T): T {
  // Nesting: JSON data may be MAX_DATA_DEPTH deep inside the structure around it.
  const copy = copyJsonData(value, MAX_DATA_DEPTH + 64);
  if (!copy.ok) throw new CommandRejected("MALFORMED_EXECUTION", `It cannot be copied: ${copy.message}`);
  return deepFreeze(copy.value as T);
}

/** Why `resume` refuses a value as an execution: one stored by another version of stepfold says which, and what to do. */
function notAnExecution(value: unknown): string {
  const format = isRecord(value) ? value["format"] : undefined;
  const version = typeof format === "string" ? /^stepfold-execution\/(\d+)$/.exec(format)?.[1] : undefined;
  if (version === undefined) return "This is not an execution made by stepfold";
  const stored = `${String(format)}; this one reads ${EXECUTION_FORMAT}`;
  return Number(version) < EXECUTION_VERSION
    ? `This execution was stored by an earlier version of stepfold (${stored}): rebuild it from its event log with recover`
    : `This execution was stored by a later version of stepfold (${stored})`;
}

/** The time a command happens: its `at`, or the execution's latest event's time without one. */
function commandTime(execution: Execution, at: ReadCommand["at"]): string {
  if (at === undefined) return execution.time;
  const read = readTime(at, "'at'");
  if (!read.ok) throw new CommandRejected("MALFORMED_COMMAND", read.problem);
  if (read.time < execution.time) throw new CommandRejected("TIME_WENT_BACKWARDS", `'at' (${read.time}) is before the execution's latest event (${execution.time})`);
  return read.time;
}

/** The pending task with this id or task token. */
function pendingTask(execution: Execution, id: unknown): TaskWork {
  if (typeof id !== "string") throw new CommandRejected("MALFORMED_COMMAND", "A task command needs the task's id or token");
  const task = pendingTaskOf(execution, id);
  if (!task) throw new CommandRejected("UNKNOWN_TASK", `No pending task has the id or token ${JSON.stringify(id)} (never, or it was already answered)`);
  return task;
}

/**
 * Carries out a decision's work and describes where it left the execution. Synchronous work (all
 * JSONPath) costs no promise until the caller's own.
 */
function run(decision: Decision, before: Execution | undefined, work: () => Eventually<void>): Promise<Step> | Step {
  try {
    const done = work();
    if (done instanceof Promise) return done.then(() => madeStep(decision, before), (error: unknown) => overOrThrow(decision, before, error));
  } catch (error) {
    return overOrThrow(decision, before, error);
  }
  return madeStep(decision, before);
}

/** The Step after an Execution* end event stopped the work; any other error goes on up. */
function overOrThrow(decision: Decision, before: Execution | undefined, error: unknown): Step {
  if (!(error instanceof ExecutionOver)) throw error;
  return madeStep(decision, before);
}

const NO_WORK: readonly Pending[] = Object.freeze([]);
const NO_CHANGE: PendingChange = Object.freeze({ added: NO_WORK, removed: Object.freeze([]) as readonly string[] });

/**
 * The Step a decision ends in, from `before` (undefined for `start`). An execution it made is
 * sealed, for `resume` to trust; one that wrote no events left the execution it was given, which is
 * the caller's, as it was.
 */
function madeStep(decision: Decision, before: Execution | undefined): Step {
  const after = decision.execution;
  if (decision.events.length === 0) return stepOf(after, decision.events, NO_CHANGE);
  // Handed out and kept: what the decision made is frozen (what it shares with `before` already was).
  deepFreeze(after);
  seal(after);
  const { changes } = decision;
  const added = changes.added.size === 0 ? [] : addedItems(after, changes, (id) => pendingTaskOf(after, id));
  advanceIndex(before, after, added, changes.removed);
  return stepOf(after, decision.events, { added: added.length === 0 ? NO_WORK : added.map((entry) => entry.item), removed: [...changes.removed] });
}

/**
 * The Step that describes an execution, with `events` as given and `change` (by default, as if all
 * its pending work had just become pending: what `recover` reports).
 */
export function stepOf(execution: Execution, events: readonly HistoryEvent[], change?: PendingChange): Step {
  const outcome = execution.outcome ?? {};
  switch (execution.status) {
    case "RUNNING":
      return { status: "continue", execution, events, pending: pendingView(execution), added: change?.added ?? Object.freeze(listOf(execution)), removed: change?.removed ?? [] };
    case "SUCCEEDED":
      return { status: "succeeded", execution, events, output: "output" in outcome ? outcome.output : null, added: [], removed: change?.removed ?? [] };
    default: {
      const status = execution.status === "FAILED" ? "failed" : execution.status === "ABORTED" ? "aborted" : "timed_out";
      const { error, cause } = outcome as { error?: string; cause?: string };
      return { status, execution, events, added: [], removed: change?.removed ?? [], ...(error !== undefined ? { error } : {}), ...(cause !== undefined ? { cause } : {}) };
    }
  }
}

/**
 * Rebuilds an execution from its event log: the same execution, pending work, status and output
 * the live run had after its last event. Throws HistoryMismatch, naming the first event that does
 * not fit and with a code: MALFORMED_EVENT for an event that is not well-formed (an unknown type, a
 * field missing or of the wrong type, ids not 1, 2, 3, ..., a previousEventId that is not earlier,
 * a time that is not canonical or goes back), DOES_NOT_FIT for one the workflow does not allow (an
 * unknown state, an impossible transition, another definition, a log that leaves a state waiting
 * for nothing), NOT_A_WORKFLOW (event 0) for a workflow `parse` did not make, INTERNAL_ERROR for
 * what stepfold did not foresee.
 */
export function recoverExecution(given: Workflow, events: readonly HistoryEvent[]): Step {
  let id = 0;
  try {
    const workflow = parsedWorkflow(given);
    if (!workflow) throw new HistoryMismatch(0, "the workflow is not a Workflow made by parse", "NOT_A_WORKFLOW");
    if (!isList(events) || events.length === 0) throw new HistoryMismatch(0, "the log is empty (or not a list of events)", "MALFORMED_EVENT");
    const fingerprint = fingerprintOf(workflow);
    let execution: Execution | undefined;
    // The fold owns everything it builds, so evolve updates it in place instead of copying per event.
    const owned = new Ownership(true);
    const log: HistoryEvent[] = [];
    for (let index = 0; index < events.length; index++) {
      const given: unknown = events[index];
      id = index + 1;
      checkShape(given, id, execution?.time);
      id = given.id;
      // The recovered execution keeps what events hold: it keeps a frozen copy, not the caller's.
      const event = frozenCopy(given);
      log.push(event);
      if (event.type === "ExecutionStarted" && event.workflow !== fingerprint) throw new HistoryMismatch(id, "the log was written by another state machine definition");
      if (execution) {
        checkSequence(execution, event);
        checkFits(workflow, execution, event);
      }
      execution = evolve(execution, event, workflow.definition, owned);
    }
    const recovered = execution as Execution;
    const unfit = resumableFlaw(recovered, workflow);
    if (unfit) throw new HistoryMismatch(id, `the log leaves the execution unable to go on: ${flawText(unfit)}`);
    deepFreeze(recovered);
    seal(recovered);
    return stepOf(recovered, log);
  } catch (error) {
    if (error instanceof HistoryMismatch) throw error;
    throw new HistoryMismatch(id, `recovering it failed unexpectedly (${describeError(error)})`, "INTERNAL_ERROR", { cause: error });
  }
}

/**
 * An event of a log must be well-formed: its type known, and every field evolve reads of that type
 * there, with its type. `checkedTime` is the time of the event before, known canonical.
 */
function checkShape(event: unknown, id: number, checkedTime: string | undefined): asserts event is HistoryEvent {
  if (!isRecord(event)) throw new HistoryMismatch(id, "it is not an event (an object with id, type and timestamp)", "MALFORMED_EVENT");
  const found = eventFlaw(event, checkedTime);
  if (found) throw new HistoryMismatch(typeof event["id"] === "number" && Number.isSafeInteger(event["id"]) ? event["id"] : id, flawText(found), "MALFORMED_EVENT");
}

/** The states a state may go to next. */
function targetsOf(state: State): string[] {
  const targets: string[] = [];
  if ("transition" in state && state.transition.kind === "next") targets.push(state.transition.next);
  if (state.type === "Choice") {
    for (const branch of state.choices) targets.push(branch.next);
    if (state.default !== undefined) targets.push(state.default);
  }
  if (state.type === "Task" || state.type === "Parallel" || state.type === "Map") for (const c of state.catch) targets.push(c.next);
  return targets;
}

/** Checks that an event is one the workflow allows at this point (evolve checks the rest). */
function checkFits(workflow: Workflow, execution: Execution, event: HistoryEvent): void {
  const runId = event.run ?? ROOT_RUN;
  const run = runOf(execution, runId);
  const mismatch = (reason: string): never => {
    throw new HistoryMismatch(event.id, reason);
  };
  if ("stateEnteredEventDetails" in event) {
    if (!run) return; // evolve reports the unknown run
    const name = event.stateEnteredEventDetails.name;
    const state = workflow.states.get(name) ?? mismatch(`the workflow has no state '${name}'`);
    if (event.type !== `${state.type}StateEntered`) mismatch(`'${name}' is a ${state.type} state, not what ${event.type} reports`);
    const scope = scopeOf(workflow, run) ?? mismatch(`run '${runId}' has no scope in the workflow`);
    if (!scope.states.has(name)) mismatch(`state '${name}' is not in the scope of run '${runId}'`);
    if (!run.state && run.next === null && !run.ended && name !== scope.startAt) {
      mismatch(`run '${runId}' must start at '${scope.startAt}', not '${name}'`);
    }
  }
  if ("stateExitedEventDetails" in event && event.next !== undefined) {
    const state = workflow.states.get(event.stateExitedEventDetails.name);
    if (state && !targetsOf(state).includes(event.next)) mismatch(`state '${state.name}' cannot go to '${event.next}'`);
  }
  // The state the run is in, for the events a state writes while it runs.
  const active = run?.state ? workflow.states.get(run.state.name) : undefined;
  if (event.type === "ParallelStateStarted" && (active?.type !== "Parallel" || active.branches.length !== event.branches)) mismatch("it does not match the Parallel state's branches");
  if (event.type === "MapStateStarted" && active?.type !== "Map") mismatch("the run is not in a Map state");
  if ((event.type === "TaskScheduled" || event.type === "LambdaFunctionScheduled" || event.type === "ActivityScheduled") && active?.type !== "Task") {
    mismatch("the run is not in a Task state");
  }
  if ("stateEnteredEventDetails" in event && event.timer !== undefined && event.type !== "WaitStateEntered") mismatch("only a Wait state's Entered event starts a timer");
  const retry = "retry" in event ? event.retry : undefined;
  if (retry && !(active && "retry" in active && retry.retrier < active.retry.length)) mismatch(`the state has no retrier ${retry.retrier}`);
}
