/**
 * The three ways to move an execution: `startExecution` (from a workflow and options),
 * `resumeExecution` (an execution and a command) and `recoverExecution` (a workflow and its event
 * log). Each returns a Step: what happened, and what the host must do next.
 */
import { canonicalJson, copyJsonData } from "../data/json.js";
import { hashHex } from "../data/hash.js";
import { jsonByteLength } from "../data/size.js";
import { parse } from "../definition/parse.js";
import type { Scope, State, Workflow } from "../definition/model.js";
import type { Command } from "./commands.js";
import { whenReady, type Eventually } from "./dataflow.js";
import { Decision, ExecutionOver } from "./decide.js";
import { taskFailed, taskSucceeded } from "./states/task.js";
import type { HistoryEvent } from "./events.js";
import { checkSequence, evolve, Ownership, pendingTaskOf, pendingWork, ROOT_RUN, runOf } from "./evolve.js";
import { EXECUTION_FORMAT, EXECUTION_VERSION, type Execution, type Limits, type Pending, type Run, type TaskWork, type TimerWork, type Writable } from "./model.js";
import { uuidV4 } from "../data/intrinsics/random.js";
import { randomCursor, seedRandom } from "./random.js";
import { CommandRejected, HistoryMismatch } from "./rejections.js";
import { tableGet } from "./table.js";

/** AWS's limits: 256 KiB payloads, 25,000 history events. */
export const DEFAULT_LIMITS: Limits = { payloadBytes: 262_144, historyEvents: 25_000 };

/** The outcome of a call: the new execution, the events it wrote, and what comes next. */
export type Step =
  | {
      readonly status: "continue";
      readonly execution: Execution;
      readonly events: readonly HistoryEvent[];
      /** The work the host must do: tasks to run and timers to fire, oldest first. */
      readonly pending: readonly Pending[];
    }
  | { readonly status: "succeeded"; readonly execution: Execution; readonly events: readonly HistoryEvent[]; readonly output: unknown }
  | {
      readonly status: "failed" | "aborted" | "timed_out";
      readonly execution: Execution;
      readonly events: readonly HistoryEvent[];
      readonly error?: string;
      readonly cause?: string;
    };

/** How to start an execution; `at` and `seed` make it reproducible. */
export interface StartOptions {
  /** The execution input (default `{}`). */
  readonly input?: unknown;
  /** The execution name (default: a UUID drawn from the seed). */
  readonly name?: string;
  /** When the execution starts (ISO 8601). */
  readonly at: string;
  /** The seed of every random number the execution draws. */
  readonly seed: number;
  /** The state machine's ARN (its name is the ARN's last part). */
  readonly stateMachineArn?: string;
  /** The role the execution runs as (`$$.Execution.RoleArn`). */
  readonly roleArn?: string;
  /** STANDARD (default) or EXPRESS: the execution ARN and the context object differ. */
  readonly type?: "STANDARD" | "EXPRESS";
  /** Payload and history limits (default: AWS's, see DEFAULT_LIMITS). */
  readonly limits?: Partial<Limits>;
}

const fingerprints = new WeakMap<Workflow, string>();
const workflowsByFingerprint = new Map<string, Workflow>();
const WORKFLOW_CACHE_SIZE = 64;

/** The fingerprint of a workflow: a SHA-256 of its definition with keys sorted. */
export function fingerprintOf(workflow: Workflow): string {
  let fingerprint = fingerprints.get(workflow);
  if (fingerprint === undefined) {
    fingerprint = hashHex(canonicalJson(workflow.definition), "SHA-256");
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

/** The workflow an execution runs: from the cache, or parsed again from the definition it carries. */
function workflowOf(execution: Execution): Workflow {
  const cached = workflowsByFingerprint.get(execution.workflow);
  if (cached) return cached;
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

const isTime = (value: unknown): value is string => typeof value === "string" && !Number.isNaN(Date.parse(value)) && /^\d{4}-\d{2}-\d{2}T/.test(value);
const CANONICAL_TIME = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/** The number written by `count` ASCII digits of `text` from `from` on. */
function digitsAt(text: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) n = n * 10 + text.charCodeAt(i) - 48;
  return n;
}

/** True for a time already in the canonical form toISOString writes (a real calendar day included). */
function isCanonicalTime(value: string): boolean {
  // `test` and digit arithmetic: this runs once per command, and exec's match array is garbage.
  if (!CANONICAL_TIME.test(value)) return false;
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  const days = month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return day <= days;
}

/** A time in the canonical form toISOString writes, or undefined for what is no ISO 8601 time (canonical ones need no round trip through Date). */
function canonicalTime(value: unknown): string | undefined {
  if (typeof value === "string" && isCanonicalTime(value)) return value;
  return isTime(value) ? new Date(Date.parse(value)).toISOString() : undefined;
}

/** Starts an execution of `workflow`. */
export async function startExecution(workflow: Workflow, options: StartOptions): Promise<Step> {
  const at = canonicalTime(options.at);
  if (at === undefined) throw new CommandRejected("MALFORMED_COMMAND", `'at' must be an ISO 8601 time, not ${JSON.stringify(options.at)}`);
  if (typeof options.seed !== "number" || !Number.isFinite(options.seed)) throw new CommandRejected("MALFORMED_COMMAND", "'seed' must be a finite number");
  const copied = copyJsonData(options.input === undefined ? {} : options.input);
  if (!copied.ok) throw new CommandRejected("MALFORMED_COMMAND", `The input is not JSON data: ${copied.message}`);
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const input = copied.value;
  if (jsonByteLength(input, limits.payloadBytes) > limits.payloadBytes) {
    throw new CommandRejected("INPUT_TOO_LARGE", `The input is larger than ${limits.payloadBytes} bytes`);
  }
  const seed = options.seed;
  const cursor = randomCursor(seedRandom(seed));
  const name = options.name ?? uuidV4(cursor.next);
  if (typeof name !== "string" || name.length === 0 || name.length > 80) throw new CommandRejected("MALFORMED_COMMAND", "'name' must be 1 to 80 characters");
  const stateMachineArn = options.stateMachineArn ?? "arn:aws:states:us-east-1:123456789012:stateMachine:StateMachine";
  const roleArn = options.roleArn ?? "arn:aws:iam::123456789012:role/stepfold";
  const stateMachineName = stateMachineArn.slice(stateMachineArn.lastIndexOf(":") + 1);
  const type = options.type ?? "STANDARD";
  if (type !== "STANDARD" && type !== "EXPRESS") throw new CommandRejected("MALFORMED_COMMAND", "'type' must be STANDARD or EXPRESS");
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
    ...(workflow.timeoutSeconds !== undefined
      ? { timer: { id: "execution:timeout", until: new Date(Date.parse(at) + workflow.timeoutSeconds * 1000).toISOString() } }
      : {}),
    random: cursor.state(),
  };
  const execution = evolve(undefined, started, workflow.definition);
  const decision = new Decision(workflow, execution, at, true);
  decision.events.push(started);
  return run(decision, async () => {
    decision.enqueueEnter(ROOT_RUN, workflow.root.startAt, input);
    await decision.drain();
  });
}

/** Carries out one command on an execution. */
export async function resumeExecution(execution: Execution, command: Command): Promise<Step> {
  if (execution === null || typeof execution !== "object" || execution.format !== EXECUTION_FORMAT) {
    throw new CommandRejected("MALFORMED_EXECUTION", notAnExecution(execution));
  }
  if (execution.status !== "RUNNING") throw new CommandRejected("EXECUTION_ENDED", `The execution has already ended (${execution.status})`);
  if (command === null || typeof command !== "object") throw new CommandRejected("MALFORMED_COMMAND", "A command must be an object");
  const at = commandTime(execution, command);
  const workflow = workflowOf(execution);
  const decision = new Decision(workflow, execution, at);
  switch (command.type) {
    case "CompleteTask": {
      const task = pendingTask(execution, command.id);
      const output = copyJsonData(command.output);
      if (!output.ok || output.value === undefined) throw new CommandRejected("MALFORMED_COMMAND", `The task output is not JSON data${output.ok ? "" : `: ${output.message}`}`);
      return run(decision, () => whenReady(taskSucceeded(decision, task, output.value), () => decision.drain()));
    }
    case "FailTask": {
      const task = pendingTask(execution, command.id);
      for (const field of ["error", "cause"] as const) {
        if (command[field] !== undefined && typeof command[field] !== "string") throw new CommandRejected("MALFORMED_COMMAND", `'${field}' must be a string`);
      }
      const failure = { ...(command.error !== undefined ? { error: command.error } : {}), ...(command.cause !== undefined ? { cause: command.cause } : {}) };
      return run(decision, () => taskFailed(decision, task, failure as { error: string; cause: string }).then(() => decision.drain()));
    }
    case "Heartbeat": {
      const task = pendingTask(execution, command.id);
      if (task.heartbeatSeconds === undefined || task.heartbeatTimer === undefined) return run(decision, async () => {});
      const heartbeatSeconds = task.heartbeatSeconds;
      const until = new Date(Date.parse(at) + heartbeatSeconds * 1000).toISOString();
      return run(decision, async () => {
        decision.emit(task.run, { type: "TaskHeartbeat", taskId: task.id, timer: { id: `${decision.nextEventId}:heartbeat`, until } });
      });
    }
    case "FireTimer": {
      if (typeof command.id !== "string") throw new CommandRejected("MALFORMED_COMMAND", "FireTimer needs the timer's id");
      const timer = tableGet(execution.timers, command.id);
      if (!timer) throw new CommandRejected("UNKNOWN_TIMER", `No pending timer has the id ${JSON.stringify(command.id)}`);
      if (command.at === undefined && timer.until > execution.time) decision.setTime(timer.until);
      return run(decision, () => decision.timerFired(timer).then(() => decision.drain()));
    }
    case "AdvanceTime":
      if (command.at === undefined) throw new CommandRejected("MALFORMED_COMMAND", "AdvanceTime needs 'at'");
      return run(decision, async () => {
        // Timers fire one at a time, each at its own time; a firing may set new timers that are due too.
        for (let due = decision.dueTimers(at); due.length > 0; due = decision.dueTimers(at)) {
          const timer = due[0] as (typeof due)[number];
          decision.setTime(timer.until > decision.execution.time ? timer.until : decision.execution.time);
          await decision.timerFired(timer);
          await decision.drain();
        }
      });
    case "StopExecution":
      for (const field of ["error", "cause"] as const) {
        if (command[field] !== undefined && typeof command[field] !== "string") throw new CommandRejected("MALFORMED_COMMAND", `'${field}' must be a string`);
      }
      return run(decision, async () => {
        decision.abortRun(ROOT_RUN);
        decision.emit(
          ROOT_RUN,
          {
            type: "ExecutionAborted",
            executionAbortedEventDetails: {
              ...(command.error !== undefined ? { error: command.error } : {}),
              ...(command.cause !== undefined ? { cause: command.cause } : {}),
            },
          },
          0,
        );
      });
    default:
      throw new CommandRejected("MALFORMED_COMMAND", `Unknown command type ${JSON.stringify((command as { type?: unknown }).type)}`);
  }
}

/** Why `resume` refuses a value as an execution: one stored by another version of stepfold says which, and what to do. */
function notAnExecution(value: unknown): string {
  const format = value !== null && typeof value === "object" ? (value as { format?: unknown }).format : undefined;
  const version = typeof format === "string" ? /^stepfold-execution\/(\d+)$/.exec(format)?.[1] : undefined;
  if (version === undefined) return "This is not an execution made by stepfold";
  const stored = `${String(format)}; this one reads ${EXECUTION_FORMAT}`;
  return Number(version) < EXECUTION_VERSION
    ? `This execution was stored by an earlier version of stepfold (${stored}): rebuild it from its event log with recover`
    : `This execution was stored by a later version of stepfold (${stored})`;
}

function commandTime(execution: Execution, command: Command): string {
  const at = command.at;
  if (at === undefined) return execution.time;
  const normalized = canonicalTime(at);
  if (normalized === undefined) throw new CommandRejected("MALFORMED_COMMAND", `'at' must be an ISO 8601 time, not ${JSON.stringify(at)}`);
  if (normalized < execution.time) throw new CommandRejected("TIME_WENT_BACKWARDS", `'at' (${normalized}) is before the execution's latest event (${execution.time})`);
  return normalized;
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
function run(decision: Decision, work: () => Eventually<void>): Promise<Step> | Step {
  try {
    const done = work();
    if (done instanceof Promise) return done.then(() => stepOf(decision.execution, decision.events), (error: unknown) => overOrThrow(decision, error));
  } catch (error) {
    return overOrThrow(decision, error);
  }
  return stepOf(decision.execution, decision.events);
}

/** The Step after an Execution* end event stopped the work; any other error goes on up. */
function overOrThrow(decision: Decision, error: unknown): Step {
  if (!(error instanceof ExecutionOver)) throw error;
  return stepOf(decision.execution, decision.events);
}

/**
 * A continuing Step's `pending`: listed on first read, then kept as a plain property. One getter
 * serves every Step (a getter written in an object literal costs a closure and a slow object per Step).
 */
const LAZY_PENDING: PropertyDescriptor = {
  get(this: { readonly execution: Execution }): readonly Pending[] {
    const pending = pendingOf(this.execution);
    Object.defineProperty(this, "pending", { value: pending, enumerable: true });
    return pending;
  },
  enumerable: true,
  configurable: true,
};

/** The Step that describes an execution, with `events` as given. */
export function stepOf(execution: Execution, events: readonly HistoryEvent[]): Step {
  const outcome = execution.outcome ?? {};
  switch (execution.status) {
    case "RUNNING": {
      // `pending` is listed on first read: a host that follows new events need not pay for the whole list.
      const step = { status: "continue", execution, events };
      Object.defineProperty(step, "pending", LAZY_PENDING);
      return step as Step;
    }
    case "SUCCEEDED":
      return { status: "succeeded", execution, events, output: "output" in outcome ? outcome.output : null };
    default: {
      const status = execution.status === "FAILED" ? "failed" : execution.status === "ABORTED" ? "aborted" : "timed_out";
      const { error, cause } = outcome as { error?: string; cause?: string };
      return { status, execution, events, ...(error !== undefined ? { error } : {}), ...(cause !== undefined ? { cause } : {}) };
    }
  }
}

/** Every pending task and timer of an execution, oldest first (a task before a timer its event also made). */
export function pendingOf(execution: Execution): Pending[] {
  const { tasks, timers } = pendingWork(execution);
  // Both lists are oldest first already: a merge, not another sort.
  const pending: Pending[] = [];
  let t = 0;
  for (const timer of timers) {
    while (t < tasks.length && (tasks[t] as TaskWork).scheduledEventId <= timer.createdEventId) pending.push(taskItem(tasks[t++] as TaskWork));
    pending.push(timerItem(timer));
  }
  while (t < tasks.length) pending.push(taskItem(tasks[t++] as TaskWork));
  return pending;
}

/** A task as the host sees it. Literals with the usual fields, the rare ones added after: no spreads per task. */
function taskItem(task: TaskWork): Pending {
  const item: Writable<Extract<Pending, { kind: "task" }>> = { kind: "task", id: task.id, state: task.state, resource: task.resource, input: task.input };
  if (task.token !== undefined) item.token = task.token;
  if (task.timeoutSeconds !== undefined) item.timeoutSeconds = task.timeoutSeconds;
  if (task.heartbeatSeconds !== undefined) item.heartbeatSeconds = task.heartbeatSeconds;
  return item;
}

/** A timer as the host sees it. */
function timerItem(timer: TimerWork): Pending {
  const item: Writable<Extract<Pending, { kind: "timer" }>> =
    timer.state !== undefined
      ? { kind: "timer", id: timer.id, state: timer.state, until: timer.until, purpose: timer.purpose }
      : { kind: "timer", id: timer.id, until: timer.until, purpose: timer.purpose };
  if (timer.task !== undefined) item.task = timer.task;
  return item;
}

/**
 * Rebuilds an execution from its event log: the same execution, pending work, status and output
 * the live run had after its last event. Throws HistoryMismatch, naming the first event that does
 * not fit, for a log with a gap, an unknown state, an impossible transition or another definition.
 */
export function recoverExecution(workflow: Workflow, events: readonly HistoryEvent[]): Step {
  if (!Array.isArray(events) || events.length === 0) throw new HistoryMismatch(0, "the log is empty (or not a list of events)");
  const fingerprint = fingerprintOf(workflow);
  let execution: Execution | undefined;
  // The fold owns everything it builds, so evolve updates it in place instead of copying per event.
  const owned = new Ownership(true);
  for (const [index, event] of events.entries()) {
    const id = event !== null && typeof event === "object" && typeof event.id === "number" ? event.id : index + 1;
    try {
      if (event === null || typeof event !== "object" || typeof event.type !== "string" || typeof event.timestamp !== "string") {
        throw new HistoryMismatch(id, "it is not an event (an object with id, type and timestamp)");
      }
      if (event.type === "ExecutionStarted" && event.workflow !== fingerprint) {
        throw new HistoryMismatch(id, "the log was written by another state machine definition");
      }
      if (execution) {
        checkSequence(execution, event);
        checkFits(workflow, execution, event);
      }
      execution = evolve(execution, event, workflow.definition, owned);
    } catch (error) {
      if (error instanceof HistoryMismatch) throw error;
      throw new HistoryMismatch(id, `it is malformed (${(error as Error).message})`);
    }
  }
  return stepOf(execution as Execution, events);
}

/** The scope a run executes, in the workflow. */
function scopeOf(workflow: Workflow, run: Run): Scope | undefined {
  if (run.scope.kind === "root") return workflow.root;
  const owner = workflow.states.get(run.scope.state);
  if (owner?.type === "Parallel") return owner.branches[run.scope.index];
  if (owner?.type === "Map") return owner.processor;
  return undefined;
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
  if (event.type === "ParallelStateStarted") {
    const state = run?.state && workflow.states.get(run.state.name);
    if (state?.type !== "Parallel" || state.branches.length !== event.branches) mismatch("it does not match the Parallel state's branches");
  }
  if (event.type === "MapStateStarted") {
    const state = run?.state && workflow.states.get(run.state.name);
    if (state?.type !== "Map") mismatch("the run is not in a Map state");
  }
  if (event.type === "TaskScheduled" || event.type === "LambdaFunctionScheduled" || event.type === "ActivityScheduled") {
    const state = run?.state && workflow.states.get(run.state.name);
    if (state?.type !== "Task") mismatch("the run is not in a Task state");
  }
}
