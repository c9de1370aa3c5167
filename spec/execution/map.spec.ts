/**
 * Map states: items from ItemsPath, each iteration's input from ItemSelector, results in item order,
 * MaxConcurrency, a failing iteration aborting the others, and the Distributed mode's Map Run.
 */
import { describe, expect, it } from "vitest";
import { completeTask, failTask, fireTimer, heartbeat, HistoryMismatch, parse, recover, type Pending, type Step } from "../../src/index.js";
import { tableValues } from "../../src/execution/table.js";
import { after, briefs, eventOf, eventsOf, expectFailed, expectRejected, expectSucceeded, exitOutput, given, located, onlyTask, pending, types, when, whenAll } from "../support/given.js";

const INVOKE = "arn:aws:states:::lambda:invoke";
const taskProcessor = { StartAt: "Work", States: { Work: { Type: "Task", Resource: INVOKE, End: true } } };
const map = (fields: Record<string, unknown>, extraStates: Record<string, unknown> = {}) => ({
  StartAt: "M",
  States: { M: { Type: "Map", End: true, ItemProcessor: taskProcessor, ...fields }, ...extraStates },
});
const taskIds = (step: Awaited<ReturnType<typeof given>>) => pending(step).filter((p) => p.kind === "task").map((p) => p.id);

describe("Map", () => {
  it("starts an iteration per item (all at once with MaxConcurrency 0), each in its own run", async () => {
    const step = await given(map({}), { input: ["a", "b", "c"] });
    expect(briefs(step)).toEqual([
      "ExecutionStarted",
      "MapStateEntered M",
      "MapStateStarted",
      "MapIterationStarted #0",
      "MapIterationStarted #1",
      "MapIterationStarted #2",
      "TaskStateEntered Work",
      "TaskScheduled 3.0/8:task",
      "TaskStarted 3.0/8:task",
      "TaskStateEntered Work",
      "TaskScheduled 3.1/11:task",
      "TaskStarted 3.1/11:task",
      "TaskStateEntered Work",
      "TaskScheduled 3.2/14:task",
      "TaskStarted 3.2/14:task",
    ]);
    expect(eventOf(step, "MapStateStarted").mapStateStartedEventDetails).toEqual({ length: 3 });
    expect(eventsOf(step, "MapIterationStarted").map((e) => [e.iteration, e.mapIterationStartedEventDetails])).toEqual([
      ["3.0", { name: "M", index: 0 }],
      ["3.1", { name: "M", index: 1 }],
      ["3.2", { name: "M", index: 2 }],
    ]);
    expect(eventsOf(step, "MapIterationStarted").every((e) => e.run === undefined)).toBe(true);
    expect(eventsOf(step, "TaskStateEntered").map((e) => [e.run, e.stateEnteredEventDetails.input])).toEqual([
      ["3.0", "a"],
      ["3.1", "b"],
      ["3.2", "c"],
    ]);
    expect(taskIds(step)).toEqual(["3.0/8:task", "3.1/11:task", "3.2/14:task"]);
  });

  it("lists the results in item order, whatever order the iterations finish in", async () => {
    const started = await given(map({}), { input: ["a", "b", "c"] });
    let step = await whenAll(started, completeTask("3.2/14:task", "C", after(1)), completeTask("3.0/8:task", "A", after(2)));
    expect(briefs(step)).toEqual(["TaskSucceeded 3.0/8:task", "TaskStateExited Work", "MapIterationSucceeded #0"]);
    expect(eventOf(step, "MapIterationSucceeded").output).toBe("A");
    step = await when(step, completeTask("3.1/11:task", "B", after(3)));
    expect(briefs(step)).toEqual(["TaskSucceeded 3.1/11:task", "TaskStateExited Work", "MapIterationSucceeded #1", "MapStateSucceeded", "MapStateExited M", "ExecutionSucceeded"]);
    expectSucceeded(step, ["A", "B", "C"]);
  });

  it("runs one iteration at a time with MaxConcurrency 1, in item order", async () => {
    const started = await given(map({ MaxConcurrency: 1 }), { input: [10, 20, 30] });
    expect(briefs(started).slice(2)).toEqual(["MapStateStarted", "MapIterationStarted #0", "TaskStateEntered Work", "TaskScheduled 3.0/6:task", "TaskStarted 3.0/6:task"]);
    expect(onlyTask(started)).toMatchObject({ id: "3.0/6:task", input: 10 });

    const second = await when(started, completeTask("3.0/6:task", 1, after(1)));
    expect(briefs(second)).toEqual([
      "TaskSucceeded 3.0/6:task",
      "TaskStateExited Work",
      "MapIterationSucceeded #0",
      "MapIterationStarted #1",
      "TaskStateEntered Work",
      "TaskScheduled 3.1/13:task",
      "TaskStarted 3.1/13:task",
    ]);
    expect(onlyTask(second)).toMatchObject({ id: "3.1/13:task", input: 20 });
    const third = await when(second, completeTask("3.1/13:task", 2, after(2)));
    expect(onlyTask(third)).toMatchObject({ input: 30 });
    expectSucceeded(await when(third, completeTask(onlyTask(third).id, 3, after(3))), [1, 2, 3]);
  });

  it("keeps at most MaxConcurrency iterations running", async () => {
    const started = await given(map({ MaxConcurrency: 2 }), { input: ["a", "b", "c", "d"] });
    expect(pending(started).map((p) => (p.kind === "task" ? p.input : p.id))).toEqual(["a", "b"]);
    const next = await when(started, completeTask(pending(started)[1]?.id as string, "B", after(1)));
    expect(pending(next).map((p) => (p.kind === "task" ? p.input : p.id))).toEqual(["a", "c"]);
  });

  it("reads MaxConcurrencyPath from the input", async () => {
    const step = await given(map({ MaxConcurrencyPath: "$.limit", ItemsPath: "$.items" }), { input: { limit: 1, items: [1, 2] } });
    expect(eventOf(step, "MapStateStarted").maxConcurrency).toBe(1);
    expect(taskIds(step)).toHaveLength(1);
  });

  it("takes its items from ItemsPath and builds each input with ItemSelector ($ is the Map's input, $$.Map.Item the item)", async () => {
    const definition = map({
      ItemsPath: "$.items",
      ItemSelector: { "index.$": "$$.Map.Item.Index", "value.$": "$$.Map.Item.Value", "shared.$": "$.shared", fixed: "f" },
    });
    const step = await given(definition, { input: { items: [{ n: 1 }, { n: 2 }], shared: true } });
    expect(eventOf(step, "MapStateStarted").mapStateStartedEventDetails).toEqual({ length: 2 });
    expect(pending(step).map((p) => (p.kind === "task" ? p.input : undefined))).toEqual([
      { index: 0, value: { n: 1 }, shared: true, fixed: "f" },
      { index: 1, value: { n: 2 }, shared: true, fixed: "f" },
    ]);
  });

  it("applies InputPath before ItemsPath, and ResultSelector, ResultPath and OutputPath to the list of results", async () => {
    const definition = map({
      InputPath: "$.in",
      ItemsPath: "$.list",
      ItemProcessor: { StartAt: "Double", States: { Double: { Type: "Pass", Parameters: { "v.$": "States.MathAdd($, $)" }, End: true } } },
      ResultSelector: { "all.$": "$[*].v" },
      ResultPath: "$.out",
      OutputPath: "$.out.all",
    });
    expectSucceeded(await given(definition, { input: { in: { list: [1, 2, 3] }, other: 0 } }), [2, 4, 6]);
  });

  it("succeeds at once with an empty list", async () => {
    const step = await given(map({}), { input: [] });
    expect(briefs(step)).toEqual(["ExecutionStarted", "MapStateEntered M", "MapStateStarted", "MapStateSucceeded", "MapStateExited M", "ExecutionSucceeded"]);
    expect(eventOf(step, "MapStateStarted").mapStateStartedEventDetails).toEqual({ length: 0 });
    expectSucceeded(step, []);
  });

  it("fails with States.Runtime when ItemsPath does not select an array", async () => {
    const step = await given(map({ ItemsPath: "$.x" }), { input: { x: 1 } });
    expect(types(step)).toEqual(["ExecutionStarted", "MapStateEntered", "ExecutionFailed"]);
    expectFailed(step, "States.Runtime", located("M", 2, `Reference path "$.x" must point to array.`));
  });

  it("fails with States.Runtime when its input is not an array", async () => {
    expectFailed(await given(map({}), { input: { x: 1 } }), "States.Runtime", located("M", 2, `Reference path "$" must point to array.`));
  });

  it("fails with States.Runtime when ItemsPath selects nothing", async () => {
    expectFailed(await given(map({ ItemsPath: "$.y" }), { input: { x: 1 } }), "States.Runtime", located("M", 2, "Invalid path '$.y' : No results for path: $['y']"));
  });

  it("fails with States.QueryEvaluationError (after EvaluationFailed and MapStateFailed) when a JSONata Map's input is not an array", async () => {
    const step = await given({ QueryLanguage: "JSONata", ...map({}) }, { input: { x: 1 } });
    expect(types(step)).toEqual(["ExecutionStarted", "MapStateEntered", "EvaluationFailed", "MapStateFailed", "ExecutionFailed"]);
    expect(eventOf(step, "EvaluationFailed").evaluationFailedEventDetails).toMatchObject({ error: "States.QueryEvaluationError", location: "Items", state: "M" });
    expectFailed(step, "States.QueryEvaluationError", located("M", 2, `Map state input must be an array but was: {"x":1}`));
  });

  it("fails when an iteration fails: MapIterationFailed, the others aborted, MapStateFailed, with the error passed through", async () => {
    const started = await given(map({}), { input: [1, 2, 3] });
    const step = await when(started, failTask("3.1/11:task", "Boom", "bad", after(1)));
    expect(briefs(step)).toEqual([
      "TaskFailed 3.1/11:task Boom",
      "MapIterationFailed #1 Boom",
      "TaskStateAborted",
      "MapIterationAborted #0",
      "TaskStateAborted",
      "MapIterationAborted #2",
      "MapStateFailed Boom",
      "ExecutionFailed Boom",
    ]);
    expect(eventOf(step, "MapIterationFailed")).toMatchObject({ iteration: "3.1", error: "Boom", cause: "bad" });
    expect(eventsOf(step, "TaskStateAborted").map((e) => e.run)).toEqual(["3.0", "3.2"]);
    expect(eventOf(step, "MapStateFailed")).toMatchObject({ error: "Boom", cause: "bad" });
    expectFailed(step, "Boom", "bad");
  });

  it("aborts nothing when the failing iteration is the only one running (MaxConcurrency 1)", async () => {
    const started = await given(map({ MaxConcurrency: 1 }), { input: [1, 2, 3] });
    const step = await when(started, failTask("3.0/6:task", "E", "c", after(1)));
    expect(briefs(step)).toEqual(["TaskFailed 3.0/6:task E", "MapIterationFailed #0 E", "MapStateFailed E", "ExecutionFailed E"]);
    expect(pending(step)).toEqual([]);
  });

  it("is caught at the Map state, and refuses answers from aborted iterations", async () => {
    const definition = map(
      { ItemsPath: "$.items", Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.err", Next: "Hold" }], End: undefined, Next: "Hold" },
      { Hold: { Type: "Wait", Seconds: 60, End: true } },
    );
    const started = await given(definition, { input: { items: [1, 2] } });
    expect(taskIds(started)).toEqual(["3.0/7:task", "3.1/10:task"]);
    const step = await when(started, failTask("3.0/7:task", "Boom", "bad", after(1)));
    expect(briefs(step)).toEqual([
      "TaskFailed 3.0/7:task Boom",
      "MapIterationFailed #0 Boom",
      "TaskStateAborted",
      "MapIterationAborted #1",
      "MapStateFailed Boom",
      "MapStateExited M",
      "WaitStateEntered Hold",
    ]);
    expect(exitOutput(step, "M")).toEqual({ items: [1, 2], err: { Error: "Boom", Cause: "bad" } });
    expect(pending(step)).toEqual([{ kind: "timer", id: "18:wait", state: "Hold", until: after(61), purpose: "wait" }]);
    await expect(when(step, completeTask("3.1/10:task", "late", after(2)))).rejects.toMatchObject({ code: "UNKNOWN_TASK" });
  });

  it("re-runs every item on a retry, after MapIterationFailed and without MapStateFailed", async () => {
    const definition = {
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          End: true,
          MaxConcurrency: 1,
          Retry: [{ ErrorEquals: ["E"], MaxAttempts: 1 }],
          ItemProcessor: { StartAt: "Boom", States: { Boom: { Type: "Fail", Error: "E", Cause: "c" } } },
        },
      },
    };
    const started = await given(definition, { input: [1, 2] });
    expect(briefs(started).slice(1)).toEqual(["MapStateEntered M", "MapStateStarted", "MapIterationStarted #0", "FailStateEntered Boom", "MapIterationFailed #0 E"]);
    expect(eventOf(started, "MapIterationFailed").retry).toEqual({ retrier: 0, retryCount: 1, timer: { id: "6:retry", until: after(1) } });
    expect(pending(started)).toEqual([{ kind: "timer", id: "6:retry", state: "M", until: after(1), purpose: "retry" }]);

    const step = await when(started, fireTimer("6:retry"));
    expect(briefs(step)).toEqual(["MapStateStarted", "MapIterationStarted #0", "FailStateEntered Boom", "MapIterationFailed #0 E", "MapStateFailed E", "ExecutionFailed E"]);
    expect(eventOf(step, "MapIterationStarted").iteration).toBe("7.0");
    expectFailed(step, "E", "c");
  });
});

describe("Map: where iteration results are kept", () => {
  const held = (fields: Record<string, unknown> = {}) =>
    map({ End: undefined, Next: "Hold", ...fields }, { Hold: { Type: "Wait", Seconds: 60, End: true } });
  const runs = (step: Step) => [step.execution.root, ...tableValues(step.execution.runs)];
  const runIds = (step: Step) => runs(step).map((run) => run.id).sort();

  it("keeps a finished iteration's result on its run until the Map succeeds, then drops every iteration run", async () => {
    const started = await given(held(), { input: [1, 2] });
    let step = await when(started, completeTask("3.0/7:task", "A", after(1)));
    expect(runIds(step)).toEqual(["", "3.0", "3.1"]);
    expect(runs(step).find((run) => run.id === "3.0")).toEqual({
      id: "3.0",
      parent: "",
      scope: { kind: "iteration", state: "M", index: 0 },
      variables: {},
      lastEventId: 13,
      state: null,
      ended: { output: "A" },
      next: null,
      collected: true,
    });
    step = await when(step, completeTask("3.1/10:task", "B", after(2)));
    expect(exitOutput(step, "M")).toEqual(["A", "B"]);
    expect(runIds(step)).toEqual([""]);
  });

  it("drops the results of finished iterations when the Map fails and is caught", async () => {
    const started = await given(held({ Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: null, Next: "Hold" }] }), { input: [1, 2, 3] });
    expect(taskIds(started)).toEqual(["3.0/8:task", "3.1/11:task", "3.2/14:task"]);
    const step = await whenAll(started, completeTask("3.0/8:task", "A", after(1)), failTask("3.1/11:task", "Boom", "bad", after(2)));
    expect(briefs(step)).toEqual(["TaskFailed 3.1/11:task Boom", "MapIterationFailed #1 Boom", "TaskStateAborted", "MapIterationAborted #2", "MapStateFailed Boom", "MapStateExited M", "WaitStateEntered Hold"]);
    expect(runIds(step)).toEqual([""]);
  });

  // A Map drops its iteration runs in one pass over the table when they are a good part of it, and one
  // by one when the table holds many other runs (here, the Parallel's other branches): both ways
  // must keep the results in item order and take each aborted iteration's timers and token with it.
  const callbackWork = {
    StartAt: "Work",
    States: { Work: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken", Parameters: { "token.$": "$$.Task.Token" }, HeartbeatSeconds: 5, End: true } },
  };
  const caughtMap = { Type: "Map", ItemProcessor: callbackWork, Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: null, Next: "Hold" }], Next: "Hold" };
  const hold = { Type: "Wait", Seconds: 60, End: true };
  const besideBranches = (others: number) => ({
    StartAt: "P",
    States: {
      P: {
        Type: "Parallel",
        End: true,
        Branches: [
          { StartAt: "M", States: { M: caughtMap, Hold: hold } },
          ...Array.from({ length: others }, (_, i) => ({ StartAt: `Other${i}`, States: { [`Other${i}`]: { Type: "Task", Resource: INVOKE, End: true } } })),
        ],
      },
    },
  });
  const cases = [
    { way: "in one pass (the Map alone)", definition: { StartAt: "M", States: { M: caughtMap, Hold: hold } }, otherRuns: 0 },
    { way: "one by one (beside eleven Parallel branches)", definition: besideBranches(11), otherRuns: 12 },
  ];
  const mapTasks = (step: Step) => pending(step).filter((work): work is Extract<Pending, { kind: "task" }> => work.kind === "task" && work.state === "Work");

  for (const { way, definition, otherRuns } of cases) {
    it(`drops the iteration runs ${way}, with the results in item order`, async () => {
      const started = await given(definition, { input: ["a", "b"] });
      const [first, second] = mapTasks(started);
      expect(started.execution.runs.size).toBe(otherRuns + 2);
      const step = await whenAll(started, completeTask(second?.id ?? "", "B", after(1)), completeTask(first?.id ?? "", "A", after(2)));
      expect(exitOutput(step, "M")).toEqual(["A", "B"]);
      expect(step.execution.runs.size).toBe(otherRuns);
    });

    it(`drops the iteration runs ${way} when the Map fails, with the aborted iteration's timers and token`, async () => {
      const started = await given(definition, { input: ["a", "b", "c"] });
      const [first, second, third] = mapTasks(started);
      const done = await when(started, completeTask(first?.id ?? "", "A", after(1)));
      expect(done.execution.tokens.size).toBe(2);
      expect(done.execution.timers.size).toBe(2);
      const step = await when(done, failTask(second?.id ?? "", "Boom", "bad", after(2)));
      expect(briefs(step)).toEqual([`TaskFailed ${second?.id} Boom`, "MapIterationFailed #1 Boom", "TaskStateAborted", "MapIterationAborted #2", "MapStateFailed Boom", "MapStateExited M", "WaitStateEntered Hold"]);
      expect(step.execution.runs.size).toBe(otherRuns);
      expect(step.execution.tokens.size).toBe(0);
      expect(tableValues(step.execution.timers).map((timer) => timer.purpose)).toEqual(["wait"]);
      await expect(when(step, completeTask(third?.token ?? "", "late", after(3)))).rejects.toMatchObject({ code: "UNKNOWN_TASK" });
    });
  }

  it("takes a running iteration's timers and token with its run when a log aborts the Map without aborting its iterations", async () => {
    const definition = {
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          Catch: [{ ErrorEquals: ["States.ALL"], Next: "Hold" }],
          Next: "Hold",
          Branches: [
            { StartAt: "M", States: { M: { Type: "Map", ItemProcessor: callbackWork, End: true } } },
            { StartAt: "Solo", States: { Solo: { Type: "Task", Resource: INVOKE, End: true } } },
          ],
        },
        Hold: hold,
      },
    };
    const started = await given(definition, { input: [1, 2, 3] });
    const solo = pending(started).find((work) => work.state === "Solo");
    const failed = await when(started, failTask(solo?.id ?? "", "Boom", "bad", after(1)));
    expect(briefs(failed).slice(0, 3)).toEqual([`TaskFailed ${solo?.id} Boom`, "TaskStateAborted", "MapIterationAborted #0"]);
    // The same log without the iterations' own aborts: the Map's abort must end them itself.
    const kept = [...started.events, ...failed.events].filter((event) => event.type !== "TaskStateAborted" && event.type !== "MapIterationAborted");
    const renumbered = new Map(kept.map((event, i) => [event.id, i + 1]));
    const log = kept.map((event) => ({ ...event, id: renumbered.get(event.id) ?? 0, previousEventId: renumbered.get(event.previousEventId) ?? 0 }));
    const recovered = recover(parse(definition), log as typeof kept);
    expect(recovered.execution.runs.size).toBe(0);
    expect(recovered.execution.tokens.size).toBe(0);
    expect(tableValues(recovered.execution.timers).map((timer) => timer.purpose)).toEqual(["wait"]);
  });

  it("drops the results of the attempt before when the Map is retried", async () => {
    const started = await given(held({ Retry: [{ ErrorEquals: ["Boom"], MaxAttempts: 1 }] }), { input: [1, 2] });
    let step = await whenAll(started, completeTask("3.0/7:task", "A", after(1)), failTask("3.1/10:task", "Boom", "bad", after(2)));
    expect(briefs(step)).toEqual(["TaskFailed 3.1/10:task Boom", "MapIterationFailed #1 Boom"]);
    step = await when(step, fireTimer(eventOf(step, "MapIterationFailed").retry?.timer.id ?? ""));
    expect(briefs(step).slice(0, 3)).toEqual(["MapStateStarted", "MapIterationStarted #0", "MapIterationStarted #1"]);
    const restarted = eventOf(step, "MapStateStarted").id;
    expect(runIds(step)).toEqual(["", `${restarted}.0`, `${restarted}.1`]);
  });

  it("rejects a log that reports an iteration's success twice, naming the second report", async () => {
    const definition = held();
    const started = await given(definition, { input: [1, 2] });
    const step = await when(started, completeTask("3.0/7:task", "A", after(1)));
    const log = [...started.events, ...step.events];
    const report = eventOf(step, "MapIterationSucceeded");
    const again = { ...report, id: report.id + 1, previousEventId: report.id };
    let error: unknown;
    try {
      recover(parse(definition), [...log, again]);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(HistoryMismatch);
    expect(error).toMatchObject({ eventId: report.id + 1, reason: "iteration 0 is not running" });
  });
});

describe("Map: the tasks of iterations", () => {
  const recoverLog = (definition: Record<string, unknown>, log: readonly unknown[]) => recover(parse(definition), log as never);
  const mismatch = (definition: Record<string, unknown>, log: readonly unknown[]) => {
    try {
      recoverLog(definition, log);
    } catch (error) {
      expect(error).toBeInstanceOf(HistoryMismatch);
      return { eventId: (error as HistoryMismatch).eventId, reason: (error as HistoryMismatch).reason };
    }
    throw new Error("recover accepted the log");
  };

  it("names each task after its iteration's run, and refuses an id that names another run or no run", async () => {
    const started = await given(map({}), { input: [1, 2] });
    expect(taskIds(started)).toEqual(["3.0/7:task", "3.1/10:task"]);
    for (const id of ["7:task", "3.1/7:task", "9.9/7:task", "3.0/", "/7:task"]) {
      expect(await expectRejected(started.execution, completeTask(id, "A", after(1)), "UNKNOWN_TASK")).toBe(`No pending task has the id or token ${JSON.stringify(id)} (never, or it was already answered)`);
    }
  });

  it("still answers a task of a log written before ids named their run (found by a search of every run)", async () => {
    const definition = map({});
    const started = await given(definition, { input: [1, 2] });
    const earlier = started.events.map((event) => ("taskId" in event ? { ...event, taskId: event.taskId.replace(/^.*\//, "") } : event));
    const recovered = recoverLog(definition, earlier);
    expect(pending(recovered).map((work) => work.id)).toEqual(["7:task", "10:task"]);
    const step = await whenAll(recovered, completeTask("10:task", "B", after(1)), completeTask("7:task", "A", after(2)));
    expect(briefs(step).slice(0, 3)).toEqual(["TaskSucceeded 7:task", "TaskStateExited Work", "MapIterationSucceeded #0"]);
    expectSucceeded(step, ["A", "B"]);
  });

  it("keeps an iteration's task timers with its task: a heartbeat moves one, a heartbeat timeout fails that iteration", async () => {
    const guarded = { StartAt: "Work", States: { Work: { Type: "Task", Resource: INVOKE, TimeoutSeconds: 60, HeartbeatSeconds: 5, End: true } } };
    const started = await given(map({ ItemProcessor: guarded }), { input: [1, 2] });
    expect(taskIds(started)).toEqual(["3.0/7:task", "3.1/10:task"]);
    const beat = await when(started, heartbeat("3.1/10:task", after(3)));
    expect(briefs(beat)).toEqual(["TaskHeartbeat 3.1/10:task"]);
    expect(pending(beat).filter((work) => work.kind === "timer" && work.purpose === "heartbeat-timeout")).toEqual([
      { kind: "timer", id: "3.0/7:task:heartbeat", state: "Work", until: after(5), purpose: "heartbeat-timeout", task: "3.0/7:task" },
      { kind: "timer", id: "12:heartbeat", state: "Work", until: after(8), purpose: "heartbeat-timeout", task: "3.1/10:task" },
    ]);
    // The answer takes the task's timers with it, the moved heartbeat timer included.
    const answered = await when(beat, completeTask("3.1/10:task", "B", after(4)));
    expect(pending(answered).map((work) => work.id)).toEqual(["3.0/7:task", "3.0/7:task:heartbeat", "3.0/7:task:timeout"]);
    const timedOut = await when(answered, fireTimer("3.0/7:task:heartbeat", after(5)));
    expect(briefs(timedOut)).toEqual(["TaskTimedOut 3.0/7:task States.Timeout", "MapIterationFailed #0 States.Timeout", "MapStateFailed States.Timeout", "ExecutionFailed States.Timeout"]);
  });

  it("refuses a log whose answer names a task that its run does not wait for", async () => {
    const definition = map({});
    const started = await given(definition, { input: [1, 2] });
    const step = await when(started, completeTask("3.1/10:task", "B", after(1)));
    const answer = eventOf(step, "TaskSucceeded");
    const log = [...started.events, ...step.events];
    const misplaced = log.map((event) => (event.id === answer.id ? { ...event, run: "3.0" } : event));
    expect(mismatch(definition, misplaced)).toEqual({ eventId: answer.id, reason: "task '3.1/10:task' is not pending" });
  });
});

describe("Distributed Map", () => {
  const distributed = {
    StartAt: "M",
    States: {
      M: { Type: "Map", End: true, ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, ...taskProcessor } },
    },
  };

  it("starts a Map Run and marks the iterations' events as the child executions' own", async () => {
    const step = await given(distributed, { input: [1] });
    expect(briefs(step).slice(1)).toEqual(["MapStateEntered M", "MapStateStarted", "MapRunStarted", "MapIterationStarted #0", "TaskStateEntered Work", "TaskScheduled 3.0/7:task", "TaskStarted 3.0/7:task"]);
    expect(eventOf(step, "MapRunStarted").mapRunStartedEventDetails.mapRunArn).toMatch(
      /^arn:aws:states:us-east-1:123456789012:mapRun:StateMachine\/M:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(step.events.map((e) => e.child === true)).toEqual([false, false, false, false, true, true, true, true]);
  });

  it("ends the Map Run before the Map state succeeds", async () => {
    const started = await given(distributed, { input: [1] });
    const step = await when(started, completeTask("3.0/7:task", "r", after(1)));
    expect(briefs(step)).toEqual(["TaskSucceeded 3.0/7:task", "TaskStateExited Work", "MapIterationSucceeded #0", "MapRunSucceeded", "MapStateSucceeded", "MapStateExited M", "ExecutionSucceeded"]);
    expect(step.events.map((e) => e.child === true)).toEqual([true, true, true, false, false, false, false]);
    expectSucceeded(step, ["r"]);
  });

  it("keeps a tolerated failure's error as its iteration's result", async () => {
    const tolerant = { ...distributed, States: { M: { ...distributed.States.M, ToleratedFailureCount: 1 } } };
    const started = await given(tolerant, { input: [1, 2] });
    let step = await when(started, failTask("3.0/8:task", "Boom", "bad", after(1)));
    expect(briefs(step)).toEqual(["TaskFailed 3.0/8:task Boom", "MapIterationFailed #0 Boom"]);
    expect(tableValues(step.execution.runs).find((run) => run.id === "3.0")).toMatchObject({ ended: { output: { Error: "Boom", Cause: "bad" } }, collected: true });
    step = await when(step, completeTask("3.1/11:task", "B", after(2)));
    expectSucceeded(step, [{ Error: "Boom", Cause: "bad" }, "B"]);
  });

  it("fails the Map Run when an item fails (no failures are tolerated by default)", async () => {
    const started = await given(distributed, { input: [1] });
    const step = await when(started, failTask("3.0/7:task", "Boom", "bad", after(1)));
    expect(briefs(step)).toEqual([
      "TaskFailed 3.0/7:task Boom",
      "MapIterationFailed #0 Boom",
      "MapRunFailed States.ExceedToleratedFailureThreshold",
      "MapStateFailed States.ExceedToleratedFailureThreshold",
      "ExecutionFailed States.ExceedToleratedFailureThreshold",
    ]);
    expect(step.events.map((e) => e.child === true)).toEqual([true, true, false, false, false]);
    expect(step.status).toBe("failed");
    if (step.status === "failed") expect(step.cause).toBe("The specified tolerated failure threshold was exceeded");
  });
});

describe("Distributed Map: ItemBatcher", () => {
  it("runs one iteration per batch of { BatchInput, Items }, items first through ItemSelector", async () => {
    const step = await given(
      {
        StartAt: "Batches",
        States: {
          Batches: {
            Type: "Map",
            ItemsPath: "$.items",
            ItemSelector: { "v.$": "$$.Map.Item.Value" },
            ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { "tag.$": "$.tag" } },
            ItemProcessor: {
              ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" },
              StartAt: "Count",
              States: { Count: { Type: "Pass", Parameters: { "tag.$": "$.BatchInput.tag", "n.$": "States.ArrayLength($.Items)", "items.$": "$.Items" }, End: true } },
            },
            End: true,
          },
        },
      },
      { input: { tag: "t", items: [1, 2, 3, 4, 5] } },
    );
    expectSucceeded(step, [
      { tag: "t", n: 2, items: [{ v: 1 }, { v: 2 }] },
      { tag: "t", n: 2, items: [{ v: 3 }, { v: 4 }] },
      { tag: "t", n: 1, items: [{ v: 5 }] },
    ]);
  });

  it("keeps each batch within MaxInputBytesPerBatch", async () => {
    const step = await given(
      {
        StartAt: "Batches",
        States: {
          Batches: {
            Type: "Map",
            ItemBatcher: { MaxInputBytesPerBatch: 30 },
            ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "Id", States: { Id: { Type: "Pass", End: true } } },
            End: true,
          },
        },
      },
      { input: ["aaaa", "bbbb", "cccc", "dddd"] },
    );
    // {"Items":["aaaa","bbbb"]} is 25 bytes; a third item would make it 32.
    expectSucceeded(step, [{ Items: ["aaaa", "bbbb"] }, { Items: ["cccc", "dddd"] }]);
  });
});
