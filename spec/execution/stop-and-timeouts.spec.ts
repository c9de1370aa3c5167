/**
 * How an execution is cut short: a task's TimeoutSeconds and HeartbeatSeconds, the machine's
 * TimeoutSeconds, and StopExecution (which aborts whatever is running).
 */
import { describe, expect, it } from "vitest";
import { advanceTime, completeTask, failTask, fireTimer, heartbeat, stopExecution } from "../../src/index.js";
import { after, briefs, chain, eventOf, expectEnded, expectFailed, expectRejected, given, located, pending, timers, types, when } from "../support/given.js";

const INVOKE = "arn:aws:states:::lambda:invoke";
const FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:fn";
const ACTIVITY = "arn:aws:states:us-east-1:123456789012:activity:act";
const task = (Resource: string, fields: Record<string, unknown>) => ({ StartAt: "T", States: { T: { Type: "Task", Resource, End: true, ...fields } } });

describe("a task's TimeoutSeconds", () => {
  it("records the timeout and starts its clock when the task starts", async () => {
    const step = await given(task(INVOKE, { TimeoutSeconds: 5 }));
    expect(eventOf(step, "TaskScheduled").taskScheduledEventDetails.timeoutInSeconds).toBe(5);
    expect(eventOf(step, "TaskStarted").timers).toEqual({ timeout: { id: "3:task:timeout", until: after(5) } });
    expect(pending(step)).toEqual([
      { kind: "task", id: "3:task", state: "T", resource: INVOKE, input: {}, timeoutSeconds: 5 },
      { kind: "timer", id: "3:task:timeout", state: "T", until: after(5), purpose: "task-timeout", task: "3:task" },
    ]);
  });

  it("fails the task with TaskTimedOut States.Timeout when its timer fires", async () => {
    const step = await when(await given(task(INVOKE, { TimeoutSeconds: 5 })), fireTimer("3:task:timeout"));
    expect(briefs(step)).toEqual(["TaskTimedOut 3:task States.Timeout", "ExecutionFailed States.Timeout"]);
    // A time-out has no cause, in the event and in the execution's failure alike.
    expect(eventOf(step, "TaskTimedOut").taskTimedOutEventDetails).toEqual({ resourceType: "lambda", resource: "invoke", error: "States.Timeout" });
    expect(eventOf(step, "ExecutionFailed").executionFailedEventDetails).toEqual({ error: "States.Timeout" });
    expect(step.events.map((e) => e.timestamp)).toEqual([after(5), after(5)]);
    expectFailed(step, "States.Timeout", undefined);
    expect(pending(step)).toEqual([]);
  });

  it("refuses a late answer once the task has timed out", async () => {
    const timedOut = await when(await given(withCatch()), fireTimer("3:task:timeout"));
    expect(timedOut.status).toBe("continue");
    await expectRejected(timedOut.execution, completeTask("3:task", {}, after(6)), "UNKNOWN_TASK");
  });

  it("cancels its timer when the task answers in time", async () => {
    const step = await when(await given(sequence()), completeTask("3:task", 1, after(2)));
    expect(timers(step)).toEqual([{ kind: "timer", id: "7:wait", state: "W", until: after(62), purpose: "wait" }]);
    await expectRejected(step.execution, fireTimer("3:task:timeout"), "UNKNOWN_TIMER");
  });

  it("writes LambdaFunctionTimedOut for a Lambda function ARN", async () => {
    const started = await given(task(FUNCTION, { TimeoutSeconds: 5 }));
    expect(eventOf(started, "LambdaFunctionStarted").timers).toEqual({ timeout: { id: "3:task:timeout", until: after(5) } });
    const step = await when(started, fireTimer("3:task:timeout"));
    expect(briefs(step)).toEqual(["LambdaFunctionTimedOut 3:task States.Timeout", "ExecutionFailed States.Timeout"]);
  });

  it("reads TimeoutSecondsPath from the state's input", async () => {
    const step = await given(task(INVOKE, { TimeoutSecondsPath: "$.limit" }), { input: { limit: 30 } });
    expect(eventOf(step, "TaskScheduled").taskScheduledEventDetails.timeoutInSeconds).toBe(30);
    expect(timers(step)).toEqual([{ kind: "timer", id: "3:task:timeout", state: "T", until: after(30), purpose: "task-timeout", task: "3:task" }]);
  });

  it("fails with States.Runtime when TimeoutSecondsPath selects nothing", async () => {
    const step = await given(task(INVOKE, { TimeoutSecondsPath: "$.limit" }), { input: {} });
    expect(types(step)).toEqual(["ExecutionStarted", "TaskStateEntered", "ExecutionFailed"]);
    expectFailed(step, "States.Runtime", located("T", 2, "Invalid path '$.limit' : No results for path: $['limit']"));
  });

  it("reports a Parameters failure before a TimeoutSecondsPath that selects nothing", async () => {
    const step = await given(task(INVOKE, { Parameters: { "x.$": "$.nope" }, TimeoutSecondsPath: "$.limit" }), { input: {} });
    expect(types(step)).toEqual(["ExecutionStarted", "TaskStateEntered", "ExecutionFailed"]);
    expectFailed(step, "States.Runtime", located("T", 2, "The JSONPath '$.nope' specified for the field 'x.$' could not be found in the input '{}'"));
  });

  it("fails with States.Runtime when HeartbeatSecondsPath selects a number that is not a positive integer", async () => {
    const step = await given(task(INVOKE, { TimeoutSeconds: 60, HeartbeatSecondsPath: "$.beat" }), { input: { beat: 0 } });
    expect(types(step)).toEqual(["ExecutionStarted", "TaskStateEntered", "ExecutionFailed"]);
    expectFailed(step, "States.Runtime", located("T", 2, "The HeartbeatSecondsPath field refers to value 0 which is not a valid positive integer: $.beat"));
  });

  it("starts a new clock for each retry", async () => {
    const definition = task(INVOKE, { TimeoutSeconds: 5, Retry: [{ ErrorEquals: ["States.Timeout"], IntervalSeconds: 1, MaxAttempts: 1 }] });
    const timedOut = await when(await given(definition), fireTimer("3:task:timeout"));
    expect(timers(timedOut)).toEqual([{ kind: "timer", id: "5:retry", state: "T", until: after(6), purpose: "retry" }]);
    const retried = await when(timedOut, fireTimer("5:retry"));
    expect(timers(retried)).toEqual([{ kind: "timer", id: "6:task:timeout", state: "T", until: after(11), purpose: "task-timeout", task: "6:task" }]);
  });

  /** A Task with a time-out whose States.Timeout is caught. */
  function withCatch() {
    return {
      StartAt: "T",
      States: {
        T: { Type: "Task", Resource: INVOKE, TimeoutSeconds: 5, Catch: [{ ErrorEquals: ["States.Timeout"], Next: "Hold" }], Next: "Hold" },
        Hold: { Type: "Wait", Seconds: 100, End: true },
      },
    };
  }

  /** A Task with a time-out, then a minute's Wait. */
  function sequence() {
    return {
      StartAt: "T",
      States: { T: { Type: "Task", Resource: INVOKE, TimeoutSeconds: 5, ResultPath: "$.r", Next: "W" }, W: { Type: "Wait", Seconds: 60, End: true } },
    };
  }
});

describe("HeartbeatSeconds", () => {
  const beating = task(ACTIVITY, { TimeoutSeconds: 60, HeartbeatSeconds: 5 });

  it("sets a heartbeat timer beside the timeout", async () => {
    const step = await given(beating, { name: "n" });
    expect(eventOf(step, "ActivityScheduled").activityScheduledEventDetails).toEqual({ resource: ACTIVITY, input: {}, timeoutInSeconds: 60, heartbeatInSeconds: 5 });
    expect(eventOf(step, "ActivityStarted").timers).toEqual({ timeout: { id: "3:task:timeout", until: after(60) }, heartbeat: { id: "3:task:heartbeat", until: after(5) } });
    expect(timers(step)).toEqual([
      { kind: "timer", id: "3:task:heartbeat", state: "T", until: after(5), purpose: "heartbeat-timeout", task: "3:task" },
      { kind: "timer", id: "3:task:timeout", state: "T", until: after(60), purpose: "task-timeout", task: "3:task" },
    ]);
  });

  it("moves the heartbeat timer on each heartbeat; the old timer is gone", async () => {
    const started = await given(beating, { name: "n" });
    const step = await when(started, heartbeat("3:task", after(3)));
    expect(briefs(step)).toEqual(["TaskHeartbeat 3:task"]);
    expect(eventOf(step, "TaskHeartbeat").timer).toEqual({ id: "5:heartbeat", until: after(8) });
    expect(timers(step)).toEqual([
      { kind: "timer", id: "3:task:timeout", state: "T", until: after(60), purpose: "task-timeout", task: "3:task" },
      { kind: "timer", id: "5:heartbeat", state: "T", until: after(8), purpose: "heartbeat-timeout", task: "3:task" },
    ]);
    await expectRejected(step.execution, fireTimer("3:task:heartbeat"), "UNKNOWN_TIMER");
  });

  it("accepts a heartbeat by task token", async () => {
    const started = await given(beating, { name: "n" });
    const token = eventOf(started, "ActivityScheduled").token;
    const step = await when(started, heartbeat(token, after(4)));
    expect(eventOf(step, "TaskHeartbeat").timer).toEqual({ id: "5:heartbeat", until: after(9) });
  });

  it("times the task out with States.Timeout when a heartbeat is missed", async () => {
    const beat = await when(await given(beating, { name: "n" }), heartbeat("3:task", after(3)));
    const step = await when(beat, advanceTime(after(30)));
    expect(briefs(step)).toEqual(["ActivityTimedOut 3:task States.Timeout", "ExecutionFailed States.Timeout"]);
    expect(eventOf(step, "ActivityTimedOut").activityTimedOutEventDetails).toEqual({ error: "States.Timeout" });
    expect(step.events.map((e) => e.timestamp)).toEqual([after(8), after(8)]);
    expectFailed(step, "States.Timeout", undefined);
    expect(pending(step)).toEqual([]);
  });

  it("keeps the whole-task timeout whatever the heartbeats", async () => {
    let step = await given(beating, { name: "n" });
    for (let at = 4; at < 60; at += 4) step = await when(step, heartbeat("3:task", after(at)));
    step = await when(step, advanceTime(after(61)));
    expect(briefs(step)).toEqual(["ActivityTimedOut 3:task States.Timeout", "ExecutionFailed States.Timeout"]);
    expect(step.events[0]?.timestamp).toBe(after(60));
  });

  it("refuses a heartbeat once the task has timed out", async () => {
    const definition = {
      StartAt: "T",
      States: {
        T: { Type: "Task", Resource: ACTIVITY, HeartbeatSeconds: 5, Catch: [{ ErrorEquals: ["States.Timeout"], Next: "Hold" }], Next: "Hold" },
        Hold: { Type: "Wait", Seconds: 60, End: true },
      },
    };
    const timedOut = await when(await given(definition, { name: "n" }), fireTimer("3:task:heartbeat"));
    expect(briefs(timedOut)).toEqual(["ActivityTimedOut 3:task States.Timeout", "TaskStateExited T", "WaitStateEntered Hold"]);
    await expectRejected(timedOut.execution, heartbeat("3:task", after(6)), "UNKNOWN_TASK");
  });

  it("does nothing for a heartbeat to a task without HeartbeatSeconds", async () => {
    const started = await given(task(INVOKE, {}));
    const step = await when(started, heartbeat("3:task", after(1)));
    expect(step.events).toEqual([]);
    expect(pending(step)).toEqual(pending(started));
  });
});

describe("the machine's TimeoutSeconds", () => {
  const limited = { TimeoutSeconds: 5, StartAt: "W", States: { W: { Type: "Wait", Seconds: 10, End: true } } };

  it("is a pending timer of the whole execution, from the start", async () => {
    const step = await given(limited);
    expect(eventOf(step, "ExecutionStarted").timer).toEqual({ id: "execution:timeout", until: after(5) });
    expect(pending(step)).toEqual([
      { kind: "timer", id: "execution:timeout", until: after(5), purpose: "execution-timeout" },
      { kind: "timer", id: "2:wait", state: "W", until: after(10), purpose: "wait" },
    ]);
  });

  it("ends the execution with ExecutionTimedOut (previousEventId 0) before later timers fire", async () => {
    const step = await when(await given(limited), advanceTime(after(20)));
    expect(briefs(step)).toEqual(["ExecutionTimedOut States.Timeout"]);
    expect(chain(step)).toEqual([0]);
    expect(step.events[0]?.timestamp).toBe(after(5));
    expect(step.status).toBe("timed_out");
    expect(step.execution.status).toBe("TIMED_OUT");
    if (step.status === "timed_out") expect(step.error).toBe("States.Timeout");
    expect(pending(step)).toEqual([]);
  });

  it("ends the execution while a task is running, and refuses its answer afterwards", async () => {
    const definition = { TimeoutSeconds: 60, StartAt: "T", States: { T: { Type: "Task", Resource: INVOKE, End: true } } };
    const step = await when(await given(definition), fireTimer("execution:timeout"));
    expect(briefs(step)).toEqual(["ExecutionTimedOut States.Timeout"]);
    await expectRejected(step.execution, completeTask("3:task", {}, after(61)), "EXECUTION_ENDED");
  });

  it("writes no aborted events for the states it interrupts", async () => {
    const definition = { TimeoutSeconds: 3, StartAt: "P", States: { P: { Type: "Parallel", End: true, Branches: [{ StartAt: "A", States: { A: { Type: "Task", Resource: INVOKE, End: true } } }] } } };
    const step = await when(await given(definition), advanceTime(after(4)));
    expect(briefs(step)).toEqual(["ExecutionTimedOut States.Timeout"]);
    expect(step.events[0]?.timestamp).toBe(after(3));
  });

  it("does not fire once the execution has succeeded", async () => {
    const definition = { TimeoutSeconds: 60, StartAt: "P", States: { P: { Type: "Pass", End: true } } };
    const step = await given(definition);
    expect(step.status).toBe("succeeded");
    await expectRejected(step.execution, fireTimer("execution:timeout"), "EXECUTION_ENDED");
  });
});

describe("StopExecution", () => {
  it("aborts a running task and ends with ExecutionAborted carrying the error and cause", async () => {
    const started = await given(task(INVOKE, {}));
    const step = await when(started, stopExecution("Stopped", "by the operator", after(2)));
    expect(briefs(step)).toEqual(["TaskStateAborted", "ExecutionAborted Stopped"]);
    expect(chain(step)).toEqual([4, 0]);
    expect(eventOf(step, "ExecutionAborted").executionAbortedEventDetails).toEqual({ error: "Stopped", cause: "by the operator" });
    expect(step.events.map((e) => e.timestamp)).toEqual([after(2), after(2)]);
    expectEnded(step, "aborted", "Stopped", "by the operator");
    expect(step.execution.status).toBe("ABORTED");
    expect(pending(step)).toEqual([]);
  });

  it("aborts a task that waits to be retried, and drops its retry timer", async () => {
    const definition = task(INVOKE, { Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 30 }] });
    const waiting = await when(await given(definition), failTask("3:task", "E", undefined, after(1)));
    expect(pending(waiting).map((p) => p.id)).toEqual(["5:retry"]);
    const step = await when(waiting, stopExecution("S", undefined, after(2)));
    expect(briefs(step)).toEqual(["TaskStateAborted", "ExecutionAborted S"]);
    expect(pending(step)).toEqual([]);
    await expectRejected(step.execution, fireTimer("5:retry"), "EXECUTION_ENDED");
  });

  it("writes no WaitStateAborted for a Wait, and empty details without error or cause", async () => {
    const started = await given({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 10, End: true } } });
    const step = await when(started, stopExecution(undefined, undefined, after(2)));
    expect(briefs(step)).toEqual(["ExecutionAborted"]);
    expect(eventOf(step, "ExecutionAborted").executionAbortedEventDetails).toEqual({});
    expectEnded(step, "aborted", undefined, undefined);
  });

  it("aborts every branch of a Parallel, then the Parallel", async () => {
    const definition = {
      StartAt: "Par",
      States: {
        Par: {
          Type: "Parallel",
          End: true,
          Branches: [
            { StartAt: "A", States: { A: { Type: "Task", Resource: INVOKE, End: true } } },
            { StartAt: "B", States: { B: { Type: "Wait", Seconds: 10, End: true } } },
          ],
        },
      },
    };
    const started = await given(definition);
    expect(pending(started).map((p) => p.id)).toEqual(["3.0/5:task", "7:wait"]);
    const step = await when(started, stopExecution("E", "C", after(1)));
    expect(briefs(step)).toEqual(["TaskStateAborted", "ParallelStateAborted", "ExecutionAborted E"]);
    expect(step.events[0]).toMatchObject({ run: "3.0", previousEventId: 6 });
    expect(step.events[1]).not.toHaveProperty("run");
    expect(pending(step)).toEqual([]);
  });

  it("aborts every running Map iteration, then the Map", async () => {
    const definition = { StartAt: "M", States: { M: { Type: "Map", End: true, ItemProcessor: { StartAt: "A", States: { A: { Type: "Task", Resource: INVOKE, End: true } } } } } };
    const started = await given(definition, { input: [1, 2] });
    const step = await when(started, stopExecution(undefined, "C", after(1)));
    expect(briefs(step)).toEqual(["TaskStateAborted", "MapIterationAborted #0", "TaskStateAborted", "MapIterationAborted #1", "MapStateAborted", "ExecutionAborted"]);
    expectEnded(step, "aborted", undefined, "C");
  });

  it("refuses every command once the execution has ended", async () => {
    const stopped = await when(await given(task(INVOKE, {})), stopExecution("E", "C", after(1)));
    const { execution } = stopped;
    await expectRejected(execution, completeTask("3:task", {}, after(2)), "EXECUTION_ENDED");
    await expectRejected(execution, failTask("3:task", "E", "C", after(2)), "EXECUTION_ENDED");
    await expectRejected(execution, heartbeat("3:task", after(2)), "EXECUTION_ENDED");
    await expectRejected(execution, advanceTime(after(2)), "EXECUTION_ENDED");
    await expectRejected(execution, stopExecution("again", undefined, after(2)), "EXECUTION_ENDED");
  });

  it("keeps time moving forward: a stop before the latest event is refused", async () => {
    const waiting = await given({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 5, Next: "T" }, T: { Type: "Task", Resource: INVOKE, End: true } } });
    const later = await when(waiting, fireTimer("2:wait"));
    expect(later.execution.time).toBe(after(5));
    await expectRejected(later.execution, stopExecution("E", "C", after(4)), "TIME_WENT_BACKWARDS");
  });
});
