/**
 * Parallel states: every branch gets the same input, the result lists branch outputs in branch
 * order whatever order they finish in, a failing branch aborts the others and fails (or is caught
 * or retried at) the Parallel state.
 */
import { describe, expect, it } from "vitest";
import { completeTask, failTask, fireTimer } from "../../src/index.js";
import { after, briefs, eventOf, eventsOf, expectFailed, expectSucceeded, exitOutput, given, pending, types, when, whenAll } from "../support/given.js";

const INVOKE = "arn:aws:states:::lambda:invoke";
const taskBranch = (name: string) => ({ StartAt: name, States: { [name]: { Type: "Task", Resource: INVOKE, End: true } } });
const parallel = (fields: Record<string, unknown>, extraStates: Record<string, unknown> = {}) => ({
  StartAt: "Par",
  States: { Par: { Type: "Parallel", End: true, ...fields }, ...extraStates },
});

describe("Parallel", () => {
  it("starts every branch with the same input, each in its own run", async () => {
    const step = await given(parallel({ Branches: [taskBranch("A"), taskBranch("B")] }), { input: { a: 1 } });
    expect(briefs(step)).toEqual([
      "ExecutionStarted",
      "ParallelStateEntered Par",
      "ParallelStateStarted",
      "TaskStateEntered A",
      "TaskScheduled 3.0/5:task",
      "TaskStarted 3.0/5:task",
      "TaskStateEntered B",
      "TaskScheduled 3.1/8:task",
      "TaskStarted 3.1/8:task",
    ]);
    expect(eventOf(step, "ParallelStateStarted").branches).toBe(2);
    expect(step.events.slice(3).map((e) => e.run)).toEqual(["3.0", "3.0", "3.0", "3.1", "3.1", "3.1"]);
    // Each branch chains to ParallelStateStarted, then to its own events.
    expect(step.events.slice(3).map((e) => e.previousEventId)).toEqual([3, 4, 5, 3, 7, 8]);
    expect(pending(step)).toEqual([
      { kind: "task", id: "3.0/5:task", state: "A", resource: INVOKE, input: { a: 1 } },
      { kind: "task", id: "3.1/8:task", state: "B", resource: INVOKE, input: { a: 1 } },
    ]);
  });

  it("lists the branch outputs in branch order, whatever order the branches finish in", async () => {
    const started = await given(parallel({ Branches: [taskBranch("A"), taskBranch("B")] }), { input: {} });
    const second = await when(started, completeTask("3.1/8:task", "from B", after(1)));
    expect(briefs(second)).toEqual(["TaskSucceeded 3.1/8:task", "TaskStateExited B"]);
    expect(second.status).toBe("continue");
    const step = await when(second, completeTask("3.0/5:task", "from A", after(2)));
    expect(briefs(step)).toEqual(["TaskSucceeded 3.0/5:task", "TaskStateExited A", "ParallelStateExited Par", "ExecutionSucceeded"]);
    expect(step.events[2]).not.toHaveProperty("run");
    expectSucceeded(step, ["from A", "from B"]);
  });

  it("drops its branch runs once it exits, so the execution keeps no finished branch", async () => {
    const definition = parallel({ Branches: [taskBranch("A"), taskBranch("B")], End: undefined, Next: "After" }, { After: { Type: "Task", Resource: INVOKE, End: true } });
    const started = await given(definition);
    expect(started.execution.runs.size).toBe(2);
    const step = await whenAll(started, completeTask("3.0/5:task", "a", after(1)), completeTask("3.1/8:task", "b", after(2)));
    expect(briefs(step).slice(-4)).toEqual(["ParallelStateExited Par", "TaskStateEntered After", "TaskScheduled 16:task", "TaskStarted 16:task"]);
    expect(step.execution.runs.size).toBe(0);
  });

  it("finishes at once when every branch finishes without waiting", async () => {
    const step = await given(
      parallel({
        Branches: [
          { StartAt: "One", States: { One: { Type: "Pass", Result: 1, End: true } } },
          { StartAt: "Two", States: { Two: { Type: "Pass", Result: 2, Next: "Three" }, Three: { Type: "Pass", End: true } } },
        ],
      }),
    );
    expect(types(step)).toEqual([
      "ExecutionStarted",
      "ParallelStateEntered",
      "ParallelStateStarted",
      "PassStateEntered",
      "PassStateExited",
      "PassStateEntered",
      "PassStateExited",
      "PassStateEntered",
      "PassStateExited",
      "ParallelStateExited",
      "ExecutionSucceeded",
    ]);
    expectSucceeded(step, [1, 2]);
  });

  it("applies InputPath and Parameters to the branches' input, and ResultSelector, ResultPath, OutputPath to the result", async () => {
    const definition = parallel({
      InputPath: "$.in",
      Parameters: { "v.$": "$.v", "ctx.$": "$$.State.Name" },
      ResultSelector: { "first.$": "$[0]", "second.$": "$[1].v" },
      ResultPath: "$.out",
      OutputPath: "$.out",
      Branches: [
        { StartAt: "One", States: { One: { Type: "Pass", Result: "r1", End: true } } },
        { StartAt: "Two", States: { Two: { Type: "Pass", End: true } } },
      ],
    });
    const step = await given(definition, { input: { in: { v: 5 } } });
    expect(eventOf(step, "PassStateEntered").stateEnteredEventDetails.input).toEqual({ v: 5, ctx: "Par" });
    expectSucceeded(step, { first: "r1", second: 5 });
  });

  it("passes an error of a branch through unchanged and aborts the branches still running", async () => {
    const definition = parallel({
      Branches: [taskBranch("A"), taskBranch("B"), { StartAt: "W", States: { W: { Type: "Wait", Seconds: 10, End: true } } }],
    });
    const started = await given(definition, { input: { a: 1 } });
    expect(pending(started).map((p) => p.id)).toEqual(["3.0/5:task", "3.1/8:task", "10:wait"]);
    const step = await when(started, failTask("3.1/8:task", "Boom", "bad", after(1)));
    expect(step.events[0]).toMatchObject({ type: "TaskFailed", run: "3.1", id: 11 });
    // The sibling task is aborted (a Wait is stopped without an event).
    expect(eventsOf(step, "TaskStateAborted").filter((e) => e.run === "3.0")).toHaveLength(1);
    expect(eventsOf(step, "WaitStateAborted")).toEqual([]);
    expect(eventOf(step, "ParallelStateFailed")).toMatchObject({ error: "Boom", cause: "bad" });
    expect(eventOf(step, "ParallelStateFailed")).not.toHaveProperty("run");
    expect(types(step).slice(-2)).toEqual(["ParallelStateFailed", "ExecutionFailed"]);
    expectFailed(step, "Boom", "bad");
  });

  it("fails with the Error and Cause of a Fail state in a branch", async () => {
    const definition = parallel({
      Branches: [
        { StartAt: "Ok", States: { Ok: { Type: "Pass", End: true } } },
        { StartAt: "No", States: { No: { Type: "Fail", Error: "FailureType", Cause: "why" } } },
      ],
    });
    const step = await given(definition);
    expect(briefs(step)).toEqual([
      "ExecutionStarted",
      "ParallelStateEntered Par",
      "ParallelStateStarted",
      "PassStateEntered Ok",
      "PassStateExited Ok",
      "FailStateEntered No",
      "ParallelStateFailed FailureType",
      "ExecutionFailed FailureType",
    ]);
    expectFailed(step, "FailureType", "why");
  });

  it("is caught at the Parallel state, with the branch's error output placed by the catcher", async () => {
    const definition = parallel(
      { Branches: [taskBranch("A"), taskBranch("B")], Catch: [{ ErrorEquals: ["Boom"], ResultPath: "$.err", Next: "Handled" }], End: undefined, Next: "Handled" },
      { Handled: { Type: "Pass", End: true } },
    );
    const started = await given(definition, { input: { a: 1 } });
    const step = await when(started, failTask("3.0/5:task", "Boom", "bad", after(1)));
    expect(types(step).slice(-5)).toEqual(["ParallelStateFailed", "ParallelStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]);
    expect(eventOf(step, "ParallelStateExited")).toMatchObject({ next: "Handled" });
    expect(exitOutput(step, "Par")).toEqual({ a: 1, err: { Error: "Boom", Cause: "bad" } });
    expect(pending(step)).toEqual([]);
  });

  it("refuses an answer from a branch that was aborted", async () => {
    const definition = parallel(
      { Branches: [taskBranch("A"), taskBranch("B")], Catch: [{ ErrorEquals: ["States.ALL"], Next: "Hold" }], End: undefined, Next: "Hold" },
      { Hold: { Type: "Wait", Seconds: 60, End: true } },
    );
    const caught = await when(await given(definition), failTask("3.0/5:task", "Boom", "bad", after(1)));
    expect(caught.status).toBe("continue");
    await expect(when(caught, completeTask("3.1/8:task", "late", after(2)))).rejects.toMatchObject({ code: "UNKNOWN_TASK" });
  });

  it("re-runs every branch on a retry, in new runs with a new ParallelStateStarted", async () => {
    const definition = parallel({
      Branches: [taskBranch("A"), taskBranch("B")],
      Retry: [{ ErrorEquals: ["Again"], IntervalSeconds: 3, MaxAttempts: 1 }],
    });
    const started = await given(definition, { input: { a: 1 } });
    const failed = await whenAll(started, completeTask("3.0/5:task", "A done", after(1)), failTask("3.1/8:task", "Again", "x", after(2)));
    const failure = eventOf(failed, "ParallelStateFailed");
    expect(failure).toMatchObject({ error: "Again", cause: "x", retry: { retrier: 0, retryCount: 1, timer: { until: after(5) } } });
    expect(failed.status).toBe("continue");
    expect(pending(failed)).toEqual([{ kind: "timer", id: failure.retry?.timer.id, state: "Par", until: after(5), purpose: "retry" }]);

    const retried = await when(failed, fireTimer(failure.retry?.timer.id as string));
    expect(types(retried)).toEqual(["ParallelStateStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted"]);
    const restart = retried.events[0]?.id as number;
    expect(retried.events.slice(1).map((e) => e.run)).toEqual([`${restart}.0`, `${restart}.0`, `${restart}.0`, `${restart}.1`, `${restart}.1`, `${restart}.1`]);
    expect(pending(retried).map((p) => (p.kind === "task" ? p.state : p.id))).toEqual(["A", "B"]);

    const [a, b] = pending(retried);
    const step = await whenAll(retried, completeTask(a?.id as string, 1, after(6)), completeTask(b?.id as string, 2, after(7)));
    expectSucceeded(step, [1, 2]);
  });

  it("runs nested Parallel states", async () => {
    const definition = parallel({
      Branches: [
        {
          StartAt: "Inner",
          States: { Inner: { Type: "Parallel", End: true, Branches: [{ StartAt: "X", States: { X: { Type: "Pass", Result: "x", End: true } } }, taskBranch("Y")] } },
        },
        { StartAt: "Z", States: { Z: { Type: "Pass", Result: "z", End: true } } },
      ],
    });
    const started = await given(definition);
    const [task] = pending(started);
    expect(task).toMatchObject({ kind: "task", state: "Y" });
    const step = await when(started, completeTask(task?.id as string, "y", after(1)));
    expectSucceeded(step, [["x", "y"], "z"]);
  });
});
