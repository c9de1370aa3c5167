/**
 * The limits an execution enforces, set small through `start` options: the payload size
 * (States.DataLimitExceeded, catchable when a task result is too large, fatal when a state's own
 * output is) and the number of history events (the last event is the failure).
 */
import { describe, expect, it } from "vitest";
import { completeTask, DEFAULT_LIMITS } from "../../src/index.js";
import { after, briefs, eventOf, expectFailed, expectSucceeded, given, pending, types, when } from "../support/given.js";

const INVOKE = "arn:aws:states:::lambda:invoke";
const FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:fn";
const small = { limits: { payloadBytes: 100 } };
const tooLarge = (what: string) => `The state/task '${what}' returned a result with a size exceeding the maximum number of bytes service limit.`;

describe("the payload limit", () => {
  it("defaults to AWS's 256 KiB and 25,000 events, recorded in ExecutionStarted", async () => {
    expect(DEFAULT_LIMITS).toEqual({ payloadBytes: 262_144, historyEvents: 25_000 });
    const step = await given({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });
    expect(eventOf(step, "ExecutionStarted").limits).toEqual({ payloadBytes: 262_144, historyEvents: 25_000 });
    expect(step.execution.limits).toEqual({ payloadBytes: 262_144, historyEvents: 25_000 });
  });

  it("takes a partial override", async () => {
    const step = await given({ StartAt: "P", States: { P: { Type: "Pass", End: true } } }, small);
    expect(eventOf(step, "ExecutionStarted").limits).toEqual({ payloadBytes: 100, historyEvents: 25_000 });
  });

  it("fails a task whose result is too large with States.DataLimitExceeded, and a catcher can catch it", async () => {
    const definition = {
      StartAt: "T",
      States: {
        T: { Type: "Task", Resource: FUNCTION, Catch: [{ ErrorEquals: ["States.DataLimitExceeded"], ResultPath: null, Next: "Handled" }], Next: "Handled" },
        Handled: { Type: "Pass", Result: "handled", End: true },
      },
    };
    const step = await when(await given(definition, { ...small, input: { a: 1 } }), completeTask("3:task", "x".repeat(200), after(1)));
    expect(briefs(step)).toEqual(["LambdaFunctionFailed 3:task States.DataLimitExceeded", "TaskStateExited T", "PassStateEntered Handled", "PassStateExited Handled", "ExecutionSucceeded"]);
    expect(eventOf(step, "LambdaFunctionFailed").lambdaFunctionFailedEventDetails).toEqual({ error: "States.DataLimitExceeded", cause: tooLarge(FUNCTION) });
    expect(eventOf(step, "TaskStateExited").stateExitedEventDetails.output).toEqual({ a: 1 });
    expectSucceeded(step, "handled");
  });

  it("lets States.ALL catch a task result that is too large", async () => {
    const definition = {
      StartAt: "T",
      States: {
        T: { Type: "Task", Resource: INVOKE, Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: null, Next: "Handled" }], Next: "Handled" },
        Handled: { Type: "Succeed" },
      },
    };
    const step = await when(await given(definition, small), completeTask("3:task", { big: "x".repeat(200) }, after(1)));
    expect(types(step)).toEqual(["TaskFailed", "TaskStateExited", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"]);
    expect(eventOf(step, "TaskFailed").taskFailedEventDetails).toMatchObject({ resourceType: "lambda", resource: "invoke", error: "States.DataLimitExceeded" });
  });

  it("fails the execution when an uncaught task result is too large", async () => {
    const step = await when(await given({ StartAt: "T", States: { T: { Type: "Task", Resource: FUNCTION, End: true } } }, small), completeTask("3:task", "x".repeat(200), after(1)));
    expect(briefs(step)).toEqual(["LambdaFunctionFailed 3:task States.DataLimitExceeded", "ExecutionFailed States.DataLimitExceeded"]);
    expectFailed(step, "States.DataLimitExceeded", tooLarge(FUNCTION));
  });

  it("counts UTF-8 bytes, not characters", async () => {
    const definition = { StartAt: "T", States: { T: { Type: "Task", Resource: FUNCTION, End: true } } };
    // 40 three-byte characters: 40 characters, but 122 bytes as JSON text.
    const step = await when(await given(definition, small), completeTask("3:task", "€".repeat(40), after(1)));
    expect(types(step)).toEqual(["LambdaFunctionFailed", "ExecutionFailed"]);
    // 30 of them (92 bytes) fit.
    expectSucceeded(await when(await given(definition, small), completeTask("3:task", "€".repeat(30), after(1))), "€".repeat(30));
  });

  it("accepts a result of exactly the limit", async () => {
    const definition = { StartAt: "T", States: { T: { Type: "Task", Resource: FUNCTION, End: true } } };
    const exactly = "x".repeat(98); // 100 bytes with its quotes
    expectSucceeded(await when(await given(definition, small), completeTask("3:task", exactly, after(1))), exactly);
    const over = await when(await given(definition, small), completeTask("3:task", `${exactly}x`, after(1)));
    expect(types(over)).toEqual(["LambdaFunctionFailed", "ExecutionFailed"]);
  });

  it("fails the execution outright when a Pass state's output is too large, without an exit event", async () => {
    const step = await given({ StartAt: "P", States: { P: { Type: "Pass", Result: "x".repeat(200), End: true } } }, small);
    expect(briefs(step)).toEqual(["ExecutionStarted", "PassStateEntered P", "ExecutionFailed States.DataLimitExceeded"]);
    expectFailed(step, "States.DataLimitExceeded", tooLarge("P"));
  });

  it("does not let a catcher on the state catch its own output being too large", async () => {
    const definition = {
      StartAt: "T",
      States: {
        T: { Type: "Task", Resource: INVOKE, ResultPath: "$.r", Catch: [{ ErrorEquals: ["States.ALL"], Next: "Handled" }], Next: "Handled" },
        Handled: { Type: "Succeed" },
      },
    };
    // The result fits, but the input with the result added does not.
    const step = await when(await given(definition, { ...small, input: { a: "y".repeat(60) } }), completeTask("3:task", "x".repeat(60), after(1)));
    expect(briefs(step)).toEqual(["TaskSucceeded 3:task", "ExecutionFailed States.DataLimitExceeded"]);
    expectFailed(step, "States.DataLimitExceeded", tooLarge("T"));
  });
});

describe("the history limit", () => {
  const spin = {
    StartAt: "A",
    States: {
      A: { Type: "Pass", Next: "B" },
      B: { Type: "Choice", Choices: [{ Variable: "$.stop", IsPresent: true, Next: "Done" }], Default: "A" },
      Done: { Type: "Succeed" },
    },
  };

  it("fails the execution with States.Runtime as its last allowed event", async () => {
    const step = await given(spin, { limits: { historyEvents: 20 } });
    expect(step.events).toHaveLength(20);
    expect(step.events.map((e) => e.id)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(step.events[18]?.type).toBe("PassStateExited");
    expect(step.events[19]).toMatchObject({ id: 20, previousEventId: 19, type: "ExecutionFailed" });
    expectFailed(step, "States.Runtime", "The execution reached the maximum number of history events (20).");
    expect(pending(step)).toEqual([]);
  });

  it("counts the events of earlier steps", async () => {
    const definition = {
      StartAt: "T",
      States: {
        T: { Type: "Task", Resource: INVOKE, ResultPath: null, Next: "A" },
        ...spin.States,
      },
    };
    const started = await given(definition, { limits: { historyEvents: 12 } });
    expect(started.events).toHaveLength(4);
    const step = await when(started, completeTask("3:task", {}, after(1)));
    expect(step.events.map((e) => e.id)).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    expect(step.events.at(-1)?.type).toBe("ExecutionFailed");
    expectFailed(step, "States.Runtime", "The execution reached the maximum number of history events (12).");
  });

  it("lets an execution that ends within the limit succeed", async () => {
    const step = await given(spin, { input: { stop: true }, limits: { historyEvents: 8 } });
    expect(types(step)).toEqual(["ExecutionStarted", "PassStateEntered", "PassStateExited", "ChoiceStateEntered", "ChoiceStateExited", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"]);
    expectSucceeded(step, { stop: true });
  });
});
