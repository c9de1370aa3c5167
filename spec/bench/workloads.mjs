/**
 * The workloads of `npm run bench`. Each pits a subject (stepfold) against a baseline (a peer tool,
 * a floor, or stepfold itself at another size or in another query language). Every engine loads
 * into a Case: an optional untimed `prepare`, the timed `run`, and a `check` that throws when the
 * answer is wrong, so that no time is ever reported for a wrong answer.
 */
import assert from "node:assert/strict";
import {
  brokenFiftyStateDefinition,
  callbackMapDefinition,
  counterLoopDefinition,
  fiftyStateDefinition,
  intrinsicMapDefinition,
  jsonataMapDefinition,
  taskMapDefinition,
  wideParallelDefinition,
} from "./definitions.mjs";
import { loadAslValidator, loadLocalStepFunctions } from "./peers.mjs";

/**
 * @typedef {object} Case
 * @property {() => unknown | Promise<unknown>} [prepare] untimed work before each run (its result goes to `run`)
 * @property {(prepared: any) => Promise<unknown> | unknown} run the timed work
 * @property {(result: any) => void} check throws when `run`'s result is wrong
 * @property {number} [opsPerRun] how many operations one run does (times are reported per operation)
 * @property {string} [size] what the run works on, for the table (e.g. "10,000 items")
 *
 * @typedef {object} Engine
 * @property {string} label what the table calls it
 * @property {(quick: boolean) => Promise<Case>} load builds the case (parses definitions, makes inputs)
 *
 * @typedef {{ kind: "faster", atLeast: number }
 *   | { kind: "floor", within: number }
 *   | { kind: "ceiling", row: string, atLeast: number }
 *   | { kind: "scaling", atMost: number }
 *   | { kind: "growth" }
 *   | { kind: "none" }} Target
 *   faster: baseline/subject ≥ atLeast; floor: subject ≤ within × baseline;
 *   scaling: subject/baseline ≤ atMost; growth: subject/baseline, reported only; none: baseline/subject,
 *   reported only. ceiling: the subject is work that
 *   row `row`'s subject must also do, so baseline/subject is the best ratio that row can reach.
 *
 * @typedef {object} Workload
 * @property {string} id the name `--only` and `--run` take
 * @property {string} number its number in the table
 * @property {string} title
 * @property {Target} target
 * @property {string} subject the key of the subject engine (the table's stepfold column)
 * @property {string} baseline the key of the baseline engine (the table's peer column)
 * @property {Record<string, Engine>} engines
 */

/** @type {typeof import("../../dist/index.js") | undefined} */
let loadedStepfold;

/**
 * The built library, imported on first use so that a child that runs only a peer never loads it
 * (its modules would count in the peer's peak memory).
 */
async function loadStepfold() {
  loadedStepfold ??= await import("../../dist/index.js");
  return loadedStepfold;
}

/**
 * The core's `evolve` (not public API): rows 3F and 4F time the fold of events alone, the part of
 * `start` and `resume` that evaluates nothing, to show how fast rows 3 and 4 could ever get.
 */
async function loadEvolve() {
  await loadStepfold();
  return import("../../dist/execution/evolve.js");
}

/**
 * Folds one decision's events into `execution` as the decision did: one ownership for all of them.
 * @param {any} core the evolve module
 * @param {any} execution undefined before ExecutionStarted
 * @param {readonly any[]} events
 * @param {Record<string, unknown>} [definition] for ExecutionStarted
 */
function foldDecision({ evolve, Ownership }, execution, events, definition) {
  const owned = new Ownership();
  for (const event of events) execution = evolve(execution, event, definition, owned);
  return execution;
}

/** The library that `loadStepfold` loaded; only engines that awaited it call this. */
function stepfold() {
  if (!loadedStepfold) throw new Error("stepfold is used before loadStepfold()");
  return loadedStepfold;
}

/** Every execution starts at the same time with the same seed: runs are reproducible. */
const AT = "2024-01-01T00:00:00.000Z";
const SEED = 1;
/** The workloads write more than AWS's 25,000 events and 256 KiB payloads (10,000-item outputs). */
const NO_LIMITS = { historyEvents: 1e9, payloadBytes: 1e9 };

/** @param {number} n */
const count = (n) => n.toLocaleString("en-US");

/**
 * Calls `op` `times` times (one timed run of a fast operation does it many times); returns the last result.
 * @template T
 * @param {number} times
 * @param {() => T} op
 * @returns {T | undefined}
 */
function repeated(times, op) {
  let result;
  for (let i = 0; i < times; i++) result = op();
  return result;
}

/** @param {number} n @returns {number[]} 0, 3, 6, ... */
const itemValues = (n) => Array.from({ length: n }, (_, i) => i * 3);

/**
 * The output workloads 1 and 7 must give: item i (value 3i) becomes { sum: 4i, label: "item 3i" }.
 * @param {unknown} output
 * @param {number} n
 */
function checkShapedItems(output, n) {
  assert.ok(Array.isArray(output), "the Map output must be an array");
  assert.equal(output.length, n, "the Map output must have one entry per item");
  for (let i = 0; i < n; i++) {
    /** @type {any} */
    const item = output[i];
    if (item?.sum !== 4 * i || item?.label !== `item ${3 * i}` || Object.keys(item).length !== 2) {
      assert.fail(`Map output[${i}] is ${JSON.stringify(item)}, not ${JSON.stringify({ sum: 4 * i, label: `item ${3 * i}` })}`);
    }
  }
}

/**
 * The output of workload 4: item i becomes the task's answer { doubled: 2i }.
 * @param {unknown} output
 * @param {number} n
 */
function checkDoubledItems(output, n) {
  assert.ok(Array.isArray(output), "the Map output must be an array");
  assert.equal(output.length, n, "the Map output must have one entry per task");
  for (let i = 0; i < n; i++) {
    /** @type {any} */
    const item = output[i];
    if (item?.doubled !== 2 * i || Object.keys(item).length !== 1) assert.fail(`Map output[${i}] is ${JSON.stringify(item)}, not {"doubled":${2 * i}}`);
  }
}

/** @param {any} step a stepfold Step @returns {unknown} the output of a succeeded Step */
function succeededOutput(step) {
  if (step?.status !== "succeeded") assert.fail(`the execution must succeed, but its status is ${step?.status} (${step?.error ?? ""}: ${step?.cause ?? ""})`);
  return step.output;
}

/** What the task handler answers, for both engines: { doubled: 2 × input }. @param {unknown} input */
const doubled = (input) => ({ doubled: /** @type {number} */ (input) * 2 });

/**
 * A stepfold engine that runs `definition` to its end in one `start` call.
 * @param {(quick: boolean) => Record<string, unknown>} makeDefinition
 * @param {(quick: boolean) => { input: unknown, check: (output: unknown) => void, size: string }} makeRun
 * @param {string} [label]
 * @returns {Engine}
 */
function stepfoldStart(makeDefinition, makeRun, label = "stepfold") {
  return {
    label,
    async load(quick) {
      const { parse, start } = await loadStepfold();
      const workflow = parse(makeDefinition(quick));
      const { input, check, size } = makeRun(quick);
      return {
        size,
        run: () => start(workflow, { input, at: AT, seed: SEED, limits: NO_LIMITS }),
        check: (step) => check(succeededOutput(step)),
      };
    },
  };
}

/**
 * An aws-local-stepfunctions engine. The machine is built (and validated by the peer) once, outside
 * the timing, as stepfold's `parse` is.
 * @param {(quick: boolean) => Record<string, unknown>} makeDefinition
 * @param {(quick: boolean) => { input: unknown, check: (output: unknown) => void, size: string }} makeRun
 * @param {Record<string, (input: any) => unknown>} [taskHandlers]
 * @returns {Engine}
 */
function localStepFunctions(makeDefinition, makeRun, taskHandlers) {
  return {
    label: "aws-local-stepfunctions",
    async load(quick) {
      const StateMachine = await loadLocalStepFunctions();
      const machine = new StateMachine(/** @type {any} */ (makeDefinition(quick)));
      const { input, check, size } = makeRun(quick);
      const options = taskHandlers ? { overrides: { taskResourceLocalHandlers: taskHandlers } } : {};
      return {
        size,
        run: () => machine.run(/** @type {any} */ (input), /** @type {any} */ (options)).result,
        check,
      };
    },
  };
}

/** @param {boolean} quick */
function shapedItemsRun(quick) {
  const n = quick ? 500 : 10_000;
  return { input: { items: itemValues(n) }, check: (/** @type {unknown} */ output) => checkShapedItems(output, n), size: `${count(n)} items` };
}

/** @param {boolean} quick */
function counterLoopRun(quick) {
  const limit = quick ? 200 : 5_000;
  return {
    input: { count: 0, limit },
    check: (/** @type {unknown} */ output) => assert.deepEqual(output, { count: limit, limit }, "the loop must end with the counter at its limit"),
    size: `${count(limit)} turns`,
  };
}

/** @param {boolean} quick */
const parallelShape = (quick) => (quick ? { branches: 10, passes: 5 } : { branches: 50, passes: 20 });

/** @param {boolean} quick */
function wideParallelFor(quick) {
  const { branches, passes } = parallelShape(quick);
  return wideParallelDefinition(branches, passes);
}

/** @param {boolean} quick */
function wideParallelRun(quick) {
  const { branches, passes } = parallelShape(quick);
  const expected = Array.from({ length: branches }, (_, b) => ({ n: b + passes - 1 }));
  return {
    input: { n: 0 },
    check: (/** @type {unknown} */ output) => assert.deepEqual(output, expected, "branch b must end with n = b + passes - 1"),
    size: `${branches} × ${passes} Pass`,
  };
}

/** @param {boolean} quick */
function taskMapRun(quick) {
  const n = quick ? 500 : 10_000;
  return {
    input: { items: Array.from({ length: n }, (_, i) => i) },
    check: (/** @type {unknown} */ output) => checkDoubledItems(output, n),
    size: `${count(n)} tasks`,
  };
}

/**
 * Starts the task Map and returns the Step and its pending tasks: `pending` is read once, here.
 * @param {import("../../dist/index.js").Workflow} workflow
 * @param {number} n
 */
async function startTaskMap(workflow, n) {
  const { start } = stepfold();
  const first = await start(workflow, { input: { items: Array.from({ length: n }, (_, i) => i) }, at: AT, seed: SEED, limits: NO_LIMITS });
  if (first.status !== "continue") assert.fail(`the task Map must wait for its tasks, but its status is ${first.status}`);
  const tasks = first.pending;
  if (tasks.length !== n || tasks.some((work) => work.kind !== "task")) assert.fail(`the task Map must schedule ${n} tasks at once, not ${tasks.length}`);
  return { first, tasks };
}

/**
 * Answers every task, one `resume` each, in the order they were scheduled; never reads `pending`
 * again. A callback task is answered by its token (as SendTaskSuccess does), with its item doubled.
 * @param {{ first: any, tasks: readonly any[] }} started
 */
async function completeAll({ first, tasks }) {
  const { completeTask, resume } = stepfold();
  let step = first;
  for (const task of tasks) {
    step = await resume(step.execution, task.token === undefined ? completeTask(task.id, doubled(task.input), AT) : completeTask(task.token, doubled(task.input.MessageBody.item), AT));
  }
  return step;
}

/**
 * The natural host loop: after each resume, read `pending[0]` and answer it, until the execution ends.
 * @param {any} first
 */
async function completeByPending(first) {
  const { completeTask, resume } = stepfold();
  let step = first;
  while (step.status === "continue") {
    const task = step.pending[0];
    step = await resume(step.execution, completeTask(task.id, doubled(task.input), AT));
  }
  return step;
}

/**
 * The host loop that follows each Step's changes: its own queue of pending work, updated by
 * `added` and `removed`, answered oldest first.
 * @param {any} first
 */
async function completeByChanges(first) {
  const { completeTask, resume } = stepfold();
  /** @type {Map<string, any>} */
  const queue = new Map();
  for (const work of first.added) queue.set(work.id, work);
  let step = first;
  while (step.status === "continue") {
    const task = queue.values().next().value;
    step = await resume(step.execution, completeTask(task.id, doubled(task.input), AT));
    for (const id of step.removed) queue.delete(id);
    for (const work of step.added) queue.set(work.id, work);
  }
  return step;
}

/**
 * A host loop's engine: start the task Map of `full` (or `quick`) tasks (untimed), then `loop` to
 * its end; `whole` times the start too (against the peer, which runs the whole Map).
 * @param {number} full
 * @param {number} quickSize
 * @param {(first: any) => Promise<any>} loop
 * @param {boolean} [whole]
 * @returns {Engine}
 */
function hostLoop(full, quickSize, loop, whole = false) {
  return {
    label: "stepfold",
    async load(quick) {
      const n = quick ? quickSize : full;
      const { parse } = await loadStepfold();
      const workflow = parse(taskMapDefinition());
      const started = async () => (await startTaskMap(workflow, n)).first;
      return {
        size: whole ? `${count(n)} tasks` : `N = ${count(n)}`,
        ...(whole ? { run: async () => loop(await started()) } : { prepare: started, run: loop }),
        check: (step) => checkDoubledItems(succeededOutput(step), n),
      };
    },
  };
}

/**
 * The scaling checks' engine: completing `full` (or `quick`) pending tasks one by one, by id, or
 * by task token for the callback Map. Only the completions are timed; starting the Map (which
 * schedules them) is `prepare`.
 * @param {number} full
 * @param {number} quickSize
 * @param {() => Record<string, unknown>} [makeDefinition]
 * @returns {Engine}
 */
function completionScaling(full, quickSize, makeDefinition = taskMapDefinition) {
  return {
    label: "stepfold",
    async load(quick) {
      const n = quick ? quickSize : full;
      const { parse } = await loadStepfold();
      const workflow = parse(makeDefinition());
      return {
        size: `N = ${count(n)}`,
        prepare: () => startTaskMap(workflow, n),
        run: completeAll,
        check: (step) => checkDoubledItems(succeededOutput(step), n),
      };
    },
  };
}

/**
 * Row SE's baseline: the same number of completions as `completionScaling(full)`, spread over
 * `executions` executions of `full / executions` tasks, started beforehand and answered one after
 * the other in one timed run. Both sides allocate alike and so meet the collector alike: the ratio
 * is what the size of one execution costs, which a single run of 1,000 tasks (row S) measures
 * without ever meeting it.
 * @param {number} full
 * @param {number} quickSize
 * @param {number} executions
 * @returns {Engine}
 */
function completionsSpread(full, quickSize, executions) {
  return {
    label: "stepfold",
    async load(quick) {
      const n = (quick ? quickSize : full) / executions;
      const { parse } = await loadStepfold();
      const workflow = parse(taskMapDefinition());
      return {
        size: `${executions} × N = ${count(n)}`,
        prepare: async () => {
          const started = [];
          for (let i = 0; i < executions; i++) started.push(await startTaskMap(workflow, n));
          return started;
        },
        run: async (/** @type {Awaited<ReturnType<typeof startTaskMap>>[]} */ started) => {
          const steps = [];
          for (const execution of started) steps.push(await completeAll(execution));
          return steps;
        },
        check: (/** @type {any[]} */ steps) => {
          assert.equal(steps.length, executions);
          for (const step of steps) checkDoubledItems(succeededOutput(step), n);
        },
      };
    },
  };
}

/**
 * A ceiling row: the fold alone (`load` builds its case) against the peer running row `row`, whose
 * subject must also do that fold, so the ratio is the best that row could reach.
 * @param {{ id: string, number: string, title: string, row: string, atLeast: number, load: Engine["load"], peer: Engine }} row
 * @returns {Workload}
 */
function foldWorkload({ id, number, title, row, atLeast, load, peer }) {
  return {
    id,
    number,
    title,
    target: { kind: "ceiling", row, atLeast },
    subject: "fold",
    baseline: "peer",
    engines: { fold: { label: "stepfold evolve", load }, peer },
  };
}

/** The number of events of the counter loop log that workload 6 recovers (4 per turn + 4). */
const recoverLogSize = (/** @type {boolean} */ quick) => (quick ? 2_500 : 25_000);

/**
 * Runs the counter loop long enough to write exactly `events` events and returns the workflow,
 * the live Step and the log as JSON text.
 * @param {number} events
 */
async function counterLoopLog(events) {
  const limit = (events - 4) / 4;
  assert.ok(Number.isInteger(limit) && limit > 0, "the log size must be 4 × turns + 4");
  const { parse, start } = await loadStepfold();
  const workflow = parse(counterLoopDefinition());
  const live = await start(workflow, { input: { count: 0, limit }, at: AT, seed: SEED, limits: NO_LIMITS });
  assert.deepEqual(succeededOutput(live), { count: limit, limit });
  assert.equal(live.events.length, events, "the loop must write the expected number of events");
  return { workflow, live, text: JSON.stringify(live.events) };
}

/** @type {readonly Workload[]} */
export const WORKLOADS = [
  {
    id: "map-pass",
    number: "1",
    title: "inline Map, Pass with intrinsics",
    target: { kind: "faster", atLeast: 10 },
    subject: "stepfold",
    baseline: "peer",
    engines: {
      stepfold: stepfoldStart(intrinsicMapDefinition, shapedItemsRun),
      peer: localStepFunctions(intrinsicMapDefinition, shapedItemsRun),
    },
  },
  {
    id: "loop",
    number: "2",
    title: "Pass/Choice counter loop",
    target: { kind: "faster", atLeast: 10 },
    subject: "stepfold",
    baseline: "peer",
    engines: {
      stepfold: stepfoldStart(counterLoopDefinition, counterLoopRun),
      peer: localStepFunctions(counterLoopDefinition, counterLoopRun),
    },
  },
  {
    id: "parallel",
    number: "3",
    title: "Parallel of Pass branches",
    target: { kind: "faster", atLeast: 10 },
    subject: "stepfold",
    baseline: "peer",
    engines: {
      stepfold: stepfoldStart(wideParallelFor, wideParallelRun),
      peer: localStepFunctions(wideParallelFor, wideParallelRun),
    },
  },
  {
    id: "map-tasks",
    number: "4",
    title: "Map of Tasks via resume",
    target: { kind: "faster", atLeast: 3 },
    subject: "stepfold",
    baseline: "peer",
    engines: {
      stepfold: {
        label: "stepfold",
        async load(quick) {
          const { parse } = await loadStepfold();
          const workflow = parse(taskMapDefinition());
          const { check, size } = taskMapRun(quick);
          const n = quick ? 500 : 10_000;
          return {
            size,
            // Timed as a whole, as the peer's run is: start (which schedules every task), then one resume per task.
            run: async () => completeAll(await startTaskMap(workflow, n)),
            check: (step) => check(succeededOutput(step)),
          };
        },
      },
      peer: localStepFunctions(taskMapDefinition, taskMapRun, { Work: async (input) => doubled(input) }),
    },
  },
  foldWorkload({
    id: "fold-parallel",
    number: "3F",
    title: "the fold alone of workload 3",
    row: "3",
    atLeast: 10,
    async load(quick) {
      const { parse, start } = await loadStepfold();
      const core = await loadEvolve();
      const workflow = parse(wideParallelFor(quick));
      const { input, check, size } = wideParallelRun(quick);
      const live = await start(workflow, { input, at: AT, seed: SEED, limits: NO_LIMITS });
      check(succeededOutput(live));
      const events = live.events;
      return {
        size: `${count(events.length)} events of ${size}`,
        // What `start` does besides evaluating: fold each event, owning what it builds.
        run: () => foldDecision(core, undefined, events, workflow.definition),
        check: (execution) => assert.deepEqual(execution, live.execution, "the fold must rebuild the live execution"),
      };
    },
    peer: localStepFunctions(wideParallelFor, wideParallelRun),
  }),
  foldWorkload({
    id: "fold-tasks",
    number: "4F",
    title: "the folds alone of workload 4",
    row: "4",
    atLeast: 3,
    async load(quick) {
      const { parse, resume, completeTask } = await loadStepfold();
      const core = await loadEvolve();
      const workflow = parse(taskMapDefinition());
      const n = quick ? 500 : 10_000;
      const { first, tasks } = await startTaskMap(workflow, n);
      /** @type {any[][]} */
      const batches = [];
      let step = first;
      for (const task of tasks) {
        step = await resume(step.execution, completeTask(task.id, doubled(task.input), AT));
        batches.push(step.events);
      }
      checkDoubledItems(succeededOutput(step), n);
      const final = step.execution;
      return {
        size: `${count(n)} tasks`,
        // What start and each resume do besides evaluating: fold their events. A resume owns only
        // what it builds, since every Execution it was given or returned stays valid.
        run: () => {
          let execution = foldDecision(core, undefined, first.events, workflow.definition);
          for (const events of batches) execution = foldDecision(core, execution, events);
          return execution;
        },
        check: (execution) => assert.deepEqual(execution, final, "the folds must rebuild the live execution"),
      };
    },
    peer: localStepFunctions(taskMapDefinition, taskMapRun, { Work: async (input) => doubled(input) }),
  }),
  {
    id: "validate",
    number: "5",
    title: "validate a 50-state definition",
    target: { kind: "faster", atLeast: 100 },
    subject: "stepfold",
    baseline: "peer",
    engines: {
      stepfold: {
        label: "stepfold",
        async load(quick) {
          const { validate } = await loadStepfold();
          const definition = fiftyStateDefinition();
          const problems = validate(brokenFiftyStateDefinition());
          assert.ok(
            problems.some((problem) => problem.code === "MISSING_TRANSITION_TARGET"),
            `validate must find the broken transition, but found ${JSON.stringify(problems)}`,
          );
          const opsPerRun = quick ? 20 : 200;
          return {
            size: "50 states",
            opsPerRun,
            run: () => repeated(opsPerRun, () => validate(definition)),
            check: (problems) => assert.deepEqual(problems, [], "the 50-state definition must be valid"),
          };
        },
      },
      peer: {
        label: "asl-validator",
        async load(quick) {
          const aslValidator = await loadAslValidator();
          const definition = fiftyStateDefinition();
          assert.equal(aslValidator(brokenFiftyStateDefinition()).isValid, false, "asl-validator must reject the broken transition");
          const opsPerRun = quick ? 1 : 2;
          return {
            size: "50 states",
            opsPerRun,
            run: () => repeated(opsPerRun, () => aslValidator(definition)),
            check: (verdict) => assert.equal(verdict?.isValid, true, `asl-validator must accept the definition: ${JSON.stringify(verdict?.errors)}`),
          };
        },
      },
    },
  },
  {
    id: "recover",
    number: "6",
    title: "recover an event log",
    target: { kind: "floor", within: 3 },
    subject: "stepfold",
    baseline: "floor",
    engines: {
      stepfold: {
        label: "stepfold",
        async load(quick) {
          const { recover } = await loadStepfold();
          const { workflow, live, text } = await counterLoopLog(recoverLogSize(quick));
          // The host has read its stored log: recover folds the parsed events (the floor is the parsing).
          const events = JSON.parse(text);
          return {
            size: `${count(events.length)} events`,
            run: () => recover(workflow, events),
            check: (step) => {
              assert.equal(step.status, live.status, "recover must give the live run's status");
              assert.deepEqual(succeededOutput(step), succeededOutput(live), "recover must give the live run's output");
              assert.deepEqual(step.execution, live.execution, "recover must give the live run's execution");
            },
          };
        },
      },
      floor: {
        label: "JSON.parse",
        async load(quick) {
          const events = recoverLogSize(quick);
          const { text } = await counterLoopLog(events);
          return {
            size: `${count(events)} events (${(text.length / 2 ** 20).toFixed(1)} MiB)`,
            run: () => JSON.parse(text),
            check: (parsed) => assert.equal(parsed.length, events),
          };
        },
      },
    },
  },
  {
    id: "jsonata",
    number: "7",
    title: "workload 1 in JSONata vs JSONPath",
    target: { kind: "none" },
    subject: "jsonata",
    baseline: "jsonpath",
    engines: {
      jsonata: stepfoldStart(jsonataMapDefinition, shapedItemsRun, "stepfold JSONata"),
      jsonpath: stepfoldStart(intrinsicMapDefinition, shapedItemsRun, "stepfold JSONPath"),
    },
  },
  {
    id: "scaling",
    number: "S",
    title: "complete N tasks one by one",
    target: { kind: "scaling", atMost: 12 },
    subject: "large",
    baseline: "small",
    engines: {
      large: completionScaling(10_000, 1_000),
      small: completionScaling(1_000, 100),
    },
  },
  {
    id: "scaling-equal",
    number: "SE",
    title: "complete N tasks in one execution vs in ten",
    target: { kind: "growth" },
    subject: "large",
    baseline: "spread",
    engines: {
      large: completionScaling(10_000, 1_000),
      spread: completionsSpread(10_000, 1_000, 10),
    },
  },
  {
    id: "host-pending",
    number: "P",
    title: "host loop reading pending[0] after each resume",
    target: { kind: "scaling", atMost: 12 },
    subject: "large",
    baseline: "small",
    engines: {
      large: hostLoop(10_000, 1_000, completeByPending),
      small: hostLoop(1_000, 100, completeByPending),
    },
  },
  {
    id: "host-changes",
    number: "PC",
    title: "host loop following added / removed",
    target: { kind: "scaling", atMost: 12 },
    subject: "large",
    baseline: "small",
    engines: {
      large: hostLoop(10_000, 1_000, completeByChanges),
      small: hostLoop(1_000, 100, completeByChanges),
    },
  },
  {
    id: "host-pending-peer",
    number: "PP",
    title: "host loop reading pending[0], whole Map of Tasks",
    target: { kind: "faster", atLeast: 3 },
    subject: "stepfold",
    baseline: "peer",
    engines: {
      stepfold: hostLoop(10_000, 500, completeByPending, true),
      peer: localStepFunctions(taskMapDefinition, taskMapRun, { Work: async (input) => doubled(input) }),
    },
  },
  {
    id: "scaling-tokens",
    number: "ST",
    title: "complete N callback tasks by token",
    target: { kind: "scaling", atMost: 12 },
    subject: "large",
    baseline: "small",
    engines: {
      large: completionScaling(10_000, 1_000, callbackMapDefinition),
      small: completionScaling(1_000, 100, callbackMapDefinition),
    },
  },
];

/**
 * The workload named `name` (its id or its number), or undefined.
 * @param {string} name
 * @returns {Workload | undefined}
 */
export function workloadNamed(name) {
  return WORKLOADS.find((workload) => workload.id === name || workload.number.toLowerCase() === name.toLowerCase());
}
