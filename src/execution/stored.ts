/**
 * What stepfold checks of an execution it is given before trusting it. A stored execution may have
 * been edited by hand; one stepfold made itself (a Step's) is known good, and sealed: frozen at its
 * top, so that nothing there can change. One stepfold has not seen before is checked through, once:
 * every field's type and shape, how its parts refer to one another (runs, timers, task tokens) and
 * to its workflow, and that it is at rest (every running state waits for something the host can
 * give it); from then on only its top, which the caller may still change, is looked at again. Each
 * check names the first field that does not fit by its JSON pointer.
 */
import type { Scope, State, Workflow } from "../definition/model.js";
import {
  allOf,
  arrayOf,
  boolean,
  expected,
  finiteNumber,
  isRecord,
  jsonData,
  jsonObject,
  nonEmptyString,
  nullable,
  oneOf,
  record,
  string,
  variant,
  within,
  type Check,
  type Flaw,
} from "./checks.js";
import { eventId, executionFacts, MAX_LIST_LENGTH, natural, randomState, taskSeconds } from "./history.js";
import { EXECUTION_FORMAT, type ActiveState, type Execution, type Run, type TaskWork, type TimerWork } from "./model.js";
import { limitsCheck } from "./options.js";
import { entryPointer, tableFlaw, tableGet, tableKeys, tableValues } from "./table.js";
import { canonicalTime } from "./time.js";

/** A base class whose constructor returns the object it is given: a subclass then adds its private fields to that object. */
class Returning {
  constructor(value: object) {
    return value as Returning;
  }
}

/**
 * The seal of an execution stepfold made: a private field, which no copy carries (JSON,
 * structuredClone, a spread) and no caller can forge. It costs a few nanoseconds per execution,
 * where a WeakSet cost 200.
 */
class Seal extends Returning {
  #sealed = true;

  /** Whether an object bears the seal. */
  static on(value: object): boolean {
    return #sealed in value;
  }
}

/** Executions checked through against their workflow (the caller's objects, which are never sealed). */
const checked = new WeakSet<object>();
/** Executions whose shape and inner references are known good (evolve's results): `evolve` looks only at their top. */
const sound = new WeakSet<object>();

/** Seals an execution stepfold made: its top is frozen, and `resume` trusts it without a look. */
export function seal(execution: Execution): void {
  if (!Seal.on(execution)) new Seal(execution);
  Object.freeze(execution);
}

/** Marks an execution evolve made from a sound one. */
export function markSound(execution: Execution): void {
  sound.add(execution);
}

/**
 * How far `resume` may trust an execution: `sealed` (stepfold made it, nothing of it to check),
 * `checked` (checked through before; its top may have changed since), or `unknown`.
 */
export function trustIn(execution: object): "sealed" | "checked" | "unknown" {
  return Seal.on(execution) ? "sealed" : checked.has(execution) ? "checked" : "unknown";
}

const STATUSES = ["RUNNING", "SUCCEEDED", "FAILED", "ABORTED", "TIMED_OUT"] as const;
const anObject: Check = (value) => (isRecord(value) ? undefined : expected("an object", value));
const aTable: Check = (value) => (isRecord(value) && typeof value["size"] === "number" && Array.isArray(value["buckets"]) ? undefined : expected("a table (an object with size and buckets)", value));

/** The fields of an execution's top, each with the check of its type (what lies below is not looked at). */
const TOP_FIELDS: Readonly<Record<keyof Execution, Check>> = {
  format: oneOf(EXECUTION_FORMAT),
  // A string is enough here: the definition is hashed and compared with it before an execution is trusted.
  workflow: string,
  definition: anObject,
  facts: anObject,
  status: oneOf(...STATUSES),
  time: canonicalTime,
  lastEventId: eventId,
  random: randomState,
  limits: limitsCheck,
  root: anObject,
  runs: aTable,
  timers: aTable,
  tokens: aTable,
  outcome: nullable(anObject),
};

/** The top of an execution: every field present with the right type. Run on every call, so it does not look for unknown fields. */
const topCheck = record(TOP_FIELDS);

const succeeded = record({ output: jsonData }, {}, true);
const failed = record({}, { error: string, cause: string }, true);

/** How a run or the execution ended: its output, or its error and cause. */
const endedCheck: Check = (value) => (isRecord(value) && "output" in value ? succeeded(value) : failed(value));

const timerIdCheck = nonEmptyString;

const taskCheck = record(
  {
    id: nonEmptyString,
    run: string,
    state: nonEmptyString,
    resource: string,
    family: oneOf("Task", "LambdaFunction", "Activity"),
    input: jsonData,
    scheduledEventId: eventId,
  },
  {
    resourceType: string,
    resourceName: string,
    token: nonEmptyString,
    timeoutSeconds: taskSeconds,
    heartbeatSeconds: taskSeconds,
    timeoutTimer: timerIdCheck,
    heartbeatTimer: timerIdCheck,
  },
  true,
);

const workCheck = variant("kind", {
  none: record({ kind: string }, {}, true),
  task: record({ kind: string, task: taskCheck }, {}, true),
  wait: record({ kind: string, timerId: timerIdCheck }, {}, true),
  retry: record({ kind: string, timerId: timerIdCheck }, {}, true),
  parallel: record({ kind: string, branches: arrayOf(nonEmptyString, MAX_LIST_LENGTH) }, {}, true),
  map: record(
    {
      kind: string,
      items: arrayOf(jsonData),
      effectiveInput: jsonData,
      maxConcurrency: natural,
      nextIndex: natural,
      running: natural,
      startedEventId: eventId,
      failures: natural,
    },
    { tolerance: record({}, { count: finiteNumber, percentage: finiteNumber }, true), retryTimer: timerIdCheck, batched: oneOf(true) },
    true,
  ),
  done: record({ kind: string, result: jsonData }, {}, true),
});

const activeStateCheck = record(
  {
    name: nonEmptyString,
    enteredEventId: eventId,
    enteredTime: canonicalTime,
    input: jsonData,
    retryCount: natural,
    retriers: arrayOf(natural, MAX_LIST_LENGTH),
    work: workCheck,
  },
  {},
  true,
);

const scopeCheck = variant("kind", {
  root: record({ kind: string }, {}, true),
  branch: record({ kind: string, state: nonEmptyString, index: natural }, {}, true),
  iteration: record({ kind: string, state: nonEmptyString, index: natural }, {}, true),
});

const runCheck = record(
  {
    id: string,
    parent: nullable(string),
    scope: scopeCheck,
    variables: jsonObject,
    lastEventId: eventId,
    state: nullable(activeStateCheck),
    ended: nullable(endedCheck),
    next: nullable(nonEmptyString),
    collected: boolean,
  },
  {},
  true,
);

const timerCheck = record(
  {
    id: timerIdCheck,
    purpose: oneOf("wait", "retry", "task-timeout", "heartbeat-timeout", "execution-timeout"),
    until: canonicalTime,
    createdEventId: eventId,
  },
  { run: string, state: nonEmptyString, task: nonEmptyString },
  true,
);

/** An entry whose value names its own key in `field`. */
const keyed =
  (check: Check, field: string) =>
  (key: string, value: unknown): Flaw | undefined =>
    check(value) ?? ((value as Record<string, unknown>)[field] === key ? undefined : within(field, expected(`its key in the table, ${JSON.stringify(key)}`, (value as Record<string, unknown>)[field])));

/** Every field of an execution, through and through (but not how they refer to one another). */
const shapeCheck = allOf(
  record(TOP_FIELDS, {}, true),
  record({
    definition: jsonObject,
    facts: allOf(executionFacts, record({ input: jsonData })),
    root: runCheck,
    runs: (runs) => tableFlaw(runs, keyed(runCheck, "id")),
    timers: (timers) => tableFlaw(timers, keyed(timerCheck, "id")),
    tokens: (tokens) => tableFlaw(tokens, (_token, id) => nonEmptyString(id)),
    outcome: nullable(endedCheck),
  }),
);

/**
 * The first flaw of an execution's shape or of how its parts refer to one another (not to a
 * workflow): none for a sealed one, its top for one known good before, every field of a new one.
 */
export function soundnessFlaw(execution: unknown): Flaw | undefined {
  if (isRecord(execution)) {
    if (Seal.on(execution)) return undefined;
    if (checked.has(execution) || sound.has(execution)) return topCheck(execution);
  }
  const found = shapeCheck(execution) ?? new References(execution as Execution).flaw();
  if (!found) sound.add(execution as Execution);
  return found;
}

/**
 * The first flaw of an execution given to `resume` or rebuilt by `recover`, or undefined (and the
 * execution is trusted from then on). `workflow` is the one its definition gives (its fingerprint
 * checked by the caller).
 */
export function resumableFlaw(execution: Execution, workflow: Workflow): Flaw | undefined {
  const found = soundnessFlaw(execution) ?? workflowFlaw(execution, workflow) ?? restlessFlaw(execution);
  if (!found) checked.add(execution);
  return found;
}

/** A Flaw at this pointer below the execution. */
const at = (pointer: string, message: string): Flaw => ({ pointer, message });

/** Every run of an execution with the pointer of its place: the machine's, then the others. */
function* runsOf(execution: Execution): Generator<{ run: Run; pointer: string }> {
  yield { run: execution.root, pointer: "/root" };
  for (const run of tableValues(execution.runs)) yield { run, pointer: `/runs${entryPointer(execution.runs, run.id)}` };
}

/** How the parts of a well-shaped execution refer to one another: runs to their parents, work to its timers, tokens to their tasks. */
class References {
  private readonly tasks = new Map<string, TaskWork>();

  constructor(private readonly execution: Execution) {}

  flaw(): Flaw | undefined {
    // An ended execution keeps its runs as they were, with nothing left to wait for: only its outcome matters.
    if (this.execution.status !== "RUNNING") return this.outcomeFlaw();
    const { root } = this.execution;
    if (root.id !== "" || root.parent !== null || root.scope.kind !== "root") return at("/root", "must be the machine's run (id \"\", no parent, the root scope)");
    for (const { run, pointer } of runsOf(this.execution)) {
      const found = this.runFlaw(run) ?? this.stateFlaw(run);
      if (found) return { pointer: pointer + found.pointer, message: found.message };
    }
    return this.timersFlaw() ?? this.tokensFlaw() ?? this.outcomeFlaw();
  }

  private runFlaw(run: Run): Flaw | undefined {
    const { execution } = this;
    if (run.lastEventId > execution.lastEventId) return at("/lastEventId", `must not be after the execution's latest event (${execution.lastEventId})`);
    if (run.collected && (run.scope.kind !== "iteration" || run.state !== null || run.ended === null || !("output" in run.ended))) {
      return at("/collected", "only an ended Map iteration with an output can be collected");
    }
    if (run.id === "") return undefined;
    if (run.scope.kind === "root") return at("/scope/kind", "only the machine's run has the root scope");
    if (run.parent === null) return at("/parent", "must name the run this one belongs to");
    const parent = this.run(run.parent);
    const owner = parent?.state;
    if (!parent || !owner || owner.name !== run.scope.state) return at("/parent", `run '${run.parent}' must be running state '${run.scope.state}'`);
    const work = owner.work;
    const listed =
      run.scope.kind === "branch"
        ? work.kind === "parallel" && work.branches[run.scope.index] === run.id
        : work.kind === "map" && run.scope.index < work.nextIndex && run.id === `${work.startedEventId}.${run.scope.index}`;
    if (!listed) return at("/scope", `run '${run.parent}' did not start this run as its ${run.scope.kind} ${run.scope.index}`);
    return this.cycleFlaw(run);
  }

  /** Runs known to lead to the machine's run through their parents (each is walked once). */
  private readonly rooted = new Set<string>([""]);

  /** A run's parents must lead to the machine's run. */
  private cycleFlaw(run: Run): Flaw | undefined {
    const path: string[] = [];
    for (let current: Run | undefined = run; current && !this.rooted.has(current.id); current = current.parent === null ? undefined : this.run(current.parent)) {
      if (path.length > this.execution.runs.size) return at("/parent", "the runs this run belongs to go round in a circle");
      path.push(current.id);
    }
    for (const id of path) this.rooted.add(id);
    return undefined;
  }

  private stateFlaw(run: Run): Flaw | undefined {
    const state = run.state;
    if (!state) return undefined;
    const { execution } = this;
    if (state.enteredEventId > execution.lastEventId) return at("/state/enteredEventId", "must not be after the execution's latest event");
    if (state.enteredTime > execution.time) return at("/state/enteredTime", "must not be after the execution's time");
    const work = state.work;
    switch (work.kind) {
      case "task":
        return this.taskFlaw(run, state, work.task);
      case "wait":
      case "retry":
        return this.timerRefFlaw(work.timerId, work.kind, run, "/state/work/timerId");
      case "parallel":
        for (const [index, branch] of work.branches.entries()) {
          if (this.run(branch)?.parent !== run.id) return at(`/state/work/branches/${index}`, `run '${branch}' must be a branch of this run`);
        }
        return undefined;
      case "map":
        if (work.nextIndex > work.items.length) return at("/state/work/nextIndex", `must not be more than the number of items (${work.items.length})`);
        if (work.running > work.nextIndex || work.failures > work.nextIndex) return at("/state/work/running", "must not count more iterations than have started");
        if (work.startedEventId > execution.lastEventId) return at("/state/work/startedEventId", "must not be after the execution's latest event");
        return work.retryTimer === undefined ? undefined : this.timerRefFlaw(work.retryTimer, "retry", run, "/state/work/retryTimer");
      default:
        return undefined;
    }
  }

  private taskFlaw(run: Run, state: ActiveState, task: TaskWork): Flaw | undefined {
    const where = "/state/work/task";
    if (task.run !== run.id) return at(`${where}/run`, `must be the id of the run that holds it, ${JSON.stringify(run.id)}`);
    if (task.state !== state.name) return at(`${where}/state`, `must be the name of the state that holds it, ${JSON.stringify(state.name)}`);
    if (task.scheduledEventId > this.execution.lastEventId) return at(`${where}/scheduledEventId`, "must not be after the execution's latest event");
    if (this.tasks.has(task.id)) return at(`${where}/id`, `another pending task has the id ${JSON.stringify(task.id)}`);
    this.tasks.set(task.id, task);
    if (task.token !== undefined && tableGet(this.execution.tokens, task.token) !== task.id) return at(`${where}/token`, "must be in the execution's table of tokens");
    const timers: [string | undefined, TimerWork["purpose"], string][] = [
      [task.timeoutTimer, "task-timeout", "timeoutTimer"],
      [task.heartbeatTimer, "heartbeat-timeout", "heartbeatTimer"],
    ];
    for (const [id, purpose, field] of timers) {
      if (id === undefined) continue;
      const found = this.timerRefFlaw(id, purpose, run, `${where}/${field}`);
      if (found) return found;
      if (tableGet(this.execution.timers, id)?.task !== task.id) return at(`${where}/${field}`, `timer '${id}' must guard this task`);
    }
    return undefined;
  }

  /** A timer that work refers to: it exists, for this purpose, in this run and state. */
  private timerRefFlaw(id: string, purpose: TimerWork["purpose"], run: Run, pointer: string): Flaw | undefined {
    const timer = tableGet(this.execution.timers, id);
    if (timer?.purpose !== purpose || timer.run !== run.id || timer.state !== run.state?.name) {
      return at(pointer, `must name a ${purpose} timer of this run and state in the execution's timers`);
    }
    return undefined;
  }

  /** Each timer belongs to what waits for it. */
  private timersFlaw(): Flaw | undefined {
    const { execution } = this;
    for (const timer of tableValues(execution.timers)) {
      const pointer = `/timers${entryPointer(execution.timers, timer.id)}`;
      if (timer.createdEventId > execution.lastEventId) return at(`${pointer}/createdEventId`, "must not be after the execution's latest event");
      if (timer.purpose === "execution-timeout") {
        if (timer.run !== undefined || timer.state !== undefined || timer.task !== undefined) return at(pointer, "the execution's time-out belongs to no run, state or task");
        continue;
      }
      const state = timer.run === undefined ? undefined : this.run(timer.run)?.state;
      const work = state?.name === timer.state ? state?.work : undefined;
      const waited =
        timer.purpose === "wait" || timer.purpose === "retry"
          ? (work?.kind === timer.purpose && work.timerId === timer.id) || (timer.purpose === "retry" && work?.kind === "map" && work.retryTimer === timer.id)
          : work?.kind === "task" && work.task.id === timer.task && (timer.purpose === "task-timeout" ? work.task.timeoutTimer : work.task.heartbeatTimer) === timer.id;
      if (!waited) return at(pointer, `no state waits for ${timer.purpose} timer '${timer.id}'`);
    }
    return undefined;
  }

  /** Each token names a pending task that has it. */
  private tokensFlaw(): Flaw | undefined {
    const { tokens } = this.execution;
    for (const token of tableKeys(tokens)) {
      const id = tableGet(tokens, token) as string;
      if (this.tasks.get(id)?.token !== token) return at(`/tokens${entryPointer(tokens, token)}`, `task '${id}' is not pending with this token`);
    }
    return undefined;
  }

  private outcomeFlaw(): Flaw | undefined {
    const { status, outcome } = this.execution;
    if (status === "RUNNING") return outcome === null ? undefined : at("/outcome", "must be null while the execution runs");
    if (outcome === null || (status === "SUCCEEDED") !== ("output" in outcome)) return at("/outcome", `must say how the execution ended (${status})`);
    return undefined;
  }

  private run(id: string): Run | undefined {
    return id === "" ? this.execution.root : tableGet(this.execution.runs, id);
  }
}

/** The scope a run executes, in the workflow. */
export function scopeOf(workflow: Workflow, run: Run): Scope | undefined {
  if (run.scope.kind === "root") return workflow.root;
  const owner = workflow.states.get(run.scope.state);
  if (owner?.type === "Parallel" && run.scope.kind === "branch") return owner.branches[run.scope.index];
  if (owner?.type === "Map" && run.scope.kind === "iteration") return owner.processor;
  return undefined;
}

/** The kinds of work each type of state may wait for. */
const WORK_OF: Readonly<Record<State["type"], readonly ActiveState["work"]["kind"][]>> = {
  Pass: ["none"],
  Choice: ["none"],
  Succeed: ["none"],
  Fail: ["none"],
  Wait: ["none", "wait"],
  Task: ["none", "task", "retry", "done"],
  Parallel: ["none", "parallel", "retry", "done"],
  Map: ["none", "map", "retry", "done"],
};

/** How an execution's runs refer to its workflow: scopes, states, the work each state type has. */
function workflowFlaw(execution: Execution, workflow: Workflow): Flaw | undefined {
  if (execution.status !== "RUNNING") return undefined;
  for (const { run, pointer } of runsOf(execution)) {
    const found = runInWorkflowFlaw(run, workflow);
    if (found) return { pointer: pointer + found.pointer, message: found.message };
  }
  return undefined;
}

function runInWorkflowFlaw(run: Run, workflow: Workflow): Flaw | undefined {
  const scope = scopeOf(workflow, run);
  if (!scope) return at("/scope", run.scope.kind === "root" ? "the machine has no scope" : `the workflow has no ${run.scope.kind} ${run.scope.index} of a state '${run.scope.state}'`);
  if (run.next !== null && !scope.states.has(run.next)) return at("/next", `the run's scope has no state '${run.next}'`);
  const active = run.state;
  if (!active) return undefined;
  const state = scope.states.get(active.name);
  if (!state) return at("/state/name", `the run's scope has no state '${active.name}'`);
  if (!WORK_OF[state.type].includes(active.work.kind)) return at("/state/work/kind", `a ${state.type} state cannot wait for ${active.work.kind}`);
  const retriers = "retry" in state ? state.retry.length : 0;
  if (active.retriers.length > retriers) return at("/state/retriers", `state '${state.name}' has ${retriers} retriers`);
  if (active.work.kind === "parallel" && state.type === "Parallel" && active.work.branches.length !== state.branches.length) {
    return at("/state/work/branches", `state '${state.name}' has ${state.branches.length} branches`);
  }
  return undefined;
}

/**
 * An execution at rest, as every Step leaves it: while it runs, each run that has not ended is in a
 * state that waits for a task, a timer or its children (a Wait entered without its timer would wait
 * for ever).
 */
function restlessFlaw(execution: Execution): Flaw | undefined {
  if (execution.status !== "RUNNING") return undefined;
  for (const { run, pointer } of runsOf(execution)) {
    const state = run.state;
    if (state === null) {
      if (run.ended === null || run.next !== null || run.id === "") return at(pointer, `run '${run.id}' is between states: an execution at rest waits in one`);
    } else if (state.work.kind === "none" || state.work.kind === "done") {
      return at(`${pointer}/state/work`, `state '${state.name}' (entered by event ${state.enteredEventId}) waits for nothing: its task or timer is missing`);
    }
  }
  return undefined;
}
