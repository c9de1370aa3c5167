/**
 * Retry and Catch on Task states: back-off timers to the millisecond, per-retrier counters, the
 * first matching retrier only, seeded jitter, the error wildcards, States.Runtime (never handled),
 * and where a catcher puts the error output.
 */
import { describe, expect, it } from "vitest";
import { completeTask, failTask, fireTimer } from "../../src/index.js";
import { after, briefs, eventOf, expectFailed, expectSucceeded, exitOutput, given, located, onlyTask, pending, timers, types, when, whenAll } from "../support/given.js";

const INVOKE = "arn:aws:states:::lambda:invoke";

/** A Task with these fields; with a Catch, its catchers may go to the Pass state "Caught". */
const retrying = (fields: Record<string, unknown>) => ({
  StartAt: "T",
  States: {
    T: { Type: "Task", Resource: INVOKE, End: true, ...fields },
    ...("Catch" in fields ? { Caught: { Type: "Pass", End: true } } : {}),
  },
});

describe("Retry", () => {
  const backoff = retrying({
    Parameters: { "attempt.$": "$$.State.RetryCount" },
    Retry: [{ ErrorEquals: ["E"], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 3, MaxDelaySeconds: 10 }],
  });

  it("waits IntervalSeconds on a retry timer named after the failure event", async () => {
    const started = await given(backoff);
    const step = await when(started, failTask("3:task", "E", "c", after(1)));
    expect(briefs(step)).toEqual(["TaskFailed 3:task E"]);
    expect(step.status).toBe("continue");
    expect(eventOf(step, "TaskFailed").retry).toEqual({ retrier: 0, retryCount: 1, timer: { id: "5:retry", until: after(3) } });
    expect(pending(step)).toEqual([{ kind: "timer", id: "5:retry", state: "T", until: after(3), purpose: "retry" }]);
  });

  it("schedules the task again within the same state when the retry timer fires, at the timer's time", async () => {
    const failed = await when(await given(backoff), failTask("3:task", "E", "c", after(1)));
    const step = await when(failed, fireTimer("5:retry"));
    expect(briefs(step)).toEqual(["TaskScheduled 6:task", "TaskStarted 6:task"]);
    expect(step.events.map((e) => e.timestamp)).toEqual([after(3), after(3)]);
    expect(onlyTask(step)).toEqual({ kind: "task", id: "6:task", state: "T", resource: INVOKE, input: { attempt: 1 } });
  });

  it("multiplies the interval by BackoffRate and caps it at MaxDelaySeconds, then fails after MaxAttempts retries", async () => {
    let step = await given(backoff);
    expect(onlyTask(step).input).toEqual({ attempt: 0 });
    step = await when(step, failTask("3:task", "E", "c", after(1)));
    expect(timers(step)).toEqual([{ kind: "timer", id: "5:retry", state: "T", until: after(3), purpose: "retry" }]);

    step = await whenAll(step, fireTimer("5:retry"), failTask("6:task", "E", "c", after(4)));
    expect(timers(step)).toEqual([{ kind: "timer", id: "8:retry", state: "T", until: after(10), purpose: "retry" }]); // 2 × 3 = 6 s

    step = await whenAll(step, fireTimer("8:retry"));
    expect(onlyTask(step)).toMatchObject({ id: "9:task", input: { attempt: 2 } });
    step = await when(step, failTask("9:task", "E", "c", after(10)));
    expect(timers(step)).toEqual([{ kind: "timer", id: "11:retry", state: "T", until: after(20), purpose: "retry" }]); // 18 s capped at 10

    step = await whenAll(step, fireTimer("11:retry"));
    expect(onlyTask(step)).toMatchObject({ id: "12:task", input: { attempt: 3 } });
    step = await when(step, failTask("12:task", "E", "c", after(21)));
    expect(briefs(step)).toEqual(["TaskFailed 12:task E", "ExecutionFailed E"]);
    expect(eventOf(step, "TaskFailed")).not.toHaveProperty("retry");
    expect(step.status).toBe("failed");
    if (step.status === "failed") expect(step.error).toBe("E");
  });

  it("uses AWS's defaults: 1 s, then 2 s, then 4 s, three retries", async () => {
    let step = await given(retrying({ Retry: [{ ErrorEquals: ["States.ALL"] }] }));
    const untils: string[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      // Each attempt fails at once, at the time its retry timer fired.
      step = await when(step, failTask(onlyTask(step).id, "E", undefined, step.execution.time));
      const [timer] = timers(step);
      untils.push((timer as { until: string }).until);
      step = await when(step, fireTimer((timer as { id: string }).id));
    }
    expect(untils).toEqual([after(1), after(3), after(7)]);
    step = await when(step, failTask(onlyTask(step).id, "E", undefined, after(7)));
    expect(types(step)).toEqual(["TaskFailed", "ExecutionFailed"]);
  });

  it("never retries with MaxAttempts 0", async () => {
    const started = await given(retrying({ Retry: [{ ErrorEquals: ["States.ALL"], MaxAttempts: 0 }] }));
    const step = await when(started, failTask("3:task", "E", "c", after(1)));
    expect(briefs(step)).toEqual(["TaskFailed 3:task E", "ExecutionFailed E"]);
  });

  it("keeps a counter per retrier, while $$.State.RetryCount counts every retry", async () => {
    const definition = retrying({
      Parameters: { "attempt.$": "$$.State.RetryCount" },
      Retry: [
        { ErrorEquals: ["A"], MaxAttempts: 1, IntervalSeconds: 1 },
        { ErrorEquals: ["B"], MaxAttempts: 1, IntervalSeconds: 5 },
      ],
    });
    let step = await when(await given(definition), failTask("3:task", "A", undefined, after(0)));
    expect(eventOf(step, "TaskFailed").retry).toEqual({ retrier: 0, retryCount: 1, timer: { id: "5:retry", until: after(1) } });
    step = await whenAll(step, fireTimer("5:retry"), failTask("6:task", "B", undefined, after(2)));
    expect(eventOf(step, "TaskFailed").retry).toEqual({ retrier: 1, retryCount: 2, timer: { id: "8:retry", until: after(7) } });
    step = await when(step, fireTimer("8:retry"));
    expect(onlyTask(step).input).toEqual({ attempt: 2 });
    step = await when(step, failTask("9:task", "A", undefined, after(8)));
    expect(briefs(step)).toEqual(["TaskFailed 9:task A", "ExecutionFailed A"]);
  });

  it("uses the first retrier that matches, and does not fall through to later ones once it is used up", async () => {
    const definition = retrying({
      Retry: [
        { ErrorEquals: ["E"], MaxAttempts: 1 },
        { ErrorEquals: ["States.ALL"], MaxAttempts: 5 },
      ],
    });
    let step = await when(await given(definition), failTask("3:task", "E", undefined, after(0)));
    expect(eventOf(step, "TaskFailed").retry?.retrier).toBe(0);
    step = await whenAll(step, fireTimer("5:retry"), failTask("6:task", "E", undefined, after(2)));
    expect(briefs(step)).toEqual(["TaskFailed 6:task E", "ExecutionFailed E"]);
  });

  it("goes to a later retrier for an error the earlier ones do not match", async () => {
    const definition = retrying({
      Retry: [
        { ErrorEquals: ["E"], MaxAttempts: 1 },
        { ErrorEquals: ["States.ALL"], MaxAttempts: 5, IntervalSeconds: 9 },
      ],
    });
    const step = await when(await given(definition), failTask("3:task", "Other", undefined, after(0)));
    expect(eventOf(step, "TaskFailed").retry).toEqual({ retrier: 1, retryCount: 1, timer: { id: "5:retry", until: after(9) } });
  });

  it("shows the retry count to ResultSelector when an attempt finally succeeds", async () => {
    const definition = retrying({ Retry: [{ ErrorEquals: ["States.ALL"] }], ResultSelector: { "retries.$": "$$.State.RetryCount", "result.$": "$" } });
    const step = await whenAll(
      await given(definition),
      failTask("3:task", "E", undefined, after(1)),
      fireTimer("5:retry"),
      failTask("6:task", "E", undefined, after(3)),
      fireTimer("8:retry"),
      completeTask("9:task", "ok", after(6)),
    );
    expect(briefs(step)).toEqual(["TaskSucceeded 9:task", "TaskStateExited T", "ExecutionSucceeded"]);
    expectSucceeded(step, { retries: 2, result: "ok" });
  });

  it("resets its counters when the state is entered again", async () => {
    const definition = {
      StartAt: "T",
      States: {
        T: {
          Type: "Task",
          Resource: INVOKE,
          Parameters: { "attempt.$": "$$.State.RetryCount" },
          Retry: [{ ErrorEquals: ["E"], MaxAttempts: 1 }],
          ResultPath: "$.r",
          Next: "Again",
        },
        Again: { Type: "Choice", Choices: [{ Variable: "$.r", StringEquals: "again", Next: "T" }], Default: "Done" },
        Done: { Type: "Succeed" },
      },
    };
    let step = await when(await given(definition), failTask("3:task", "E", undefined, after(0)));
    step = await whenAll(step, fireTimer("5:retry"), completeTask("6:task", "again", after(2)));
    expect(briefs(step)).toEqual([
      "TaskSucceeded 6:task",
      "TaskStateExited T",
      "ChoiceStateEntered Again",
      "ChoiceStateExited Again",
      "TaskStateEntered T",
      "TaskScheduled 13:task",
      "TaskStarted 13:task",
    ]);
    expect(onlyTask(step).input).toEqual({ attempt: 0 });
    step = await when(step, failTask("13:task", "E", undefined, after(3)));
    expect(eventOf(step, "TaskFailed").retry).toEqual({ retrier: 0, retryCount: 1, timer: { id: "15:retry", until: after(4) } });
  });

  describe("with FULL jitter", () => {
    const jittered = retrying({ Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 10, JitterStrategy: "FULL" }] });
    const retryUntil = async (seed: number) => {
      const step = await when(await given(jittered, { seed }), failTask("3:task", "E", undefined, after(1)));
      return eventOf(step, "TaskFailed").retry?.timer.until as string;
    };

    it("waits a seeded random part of the interval, the same for the same seed", async () => {
      const until = await retryUntil(1);
      expect(until).toBe("2024-01-01T00:00:10.659Z");
      expect(await retryUntil(1)).toBe(until);
    });

    it("stays within [0, interval] for many seeds, and differs between them", async () => {
      const untils = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(retryUntil));
      for (const until of untils) {
        expect(Date.parse(until)).toBeGreaterThanOrEqual(Date.parse(after(1)));
        expect(Date.parse(until)).toBeLessThanOrEqual(Date.parse(after(11)));
      }
      expect(new Set(untils).size).toBeGreaterThan(4);
    });

    it("records the generator's state in the failure event, so replay draws the same numbers", async () => {
      const started = await given(jittered);
      const step = await when(started, failTask("3:task", "E", undefined, after(1)));
      expect(eventOf(step, "TaskFailed").random).toBeDefined();
      expect(eventOf(step, "TaskFailed").random).not.toEqual(started.execution.random);
    });
  });

  describe("error names", () => {
    const timing = (retry: string[]) => retrying({ TimeoutSeconds: 5, Retry: [{ ErrorEquals: retry, MaxAttempts: 1 }] });

    it("States.ALL retries a time-out", async () => {
      const step = await when(await given(timing(["States.ALL"])), fireTimer("3:task:timeout"));
      expect(briefs(step)).toEqual(["TaskTimedOut 3:task States.Timeout"]);
      expect(eventOf(step, "TaskTimedOut").retry).toEqual({ retrier: 0, retryCount: 1, timer: { id: "5:retry", until: after(6) } });
    });

    it("States.TaskFailed matches any task error but not States.Timeout", async () => {
      const failed = await when(await given(timing(["States.TaskFailed"])), failTask("3:task", "Anything.Else", undefined, after(1)));
      expect(eventOf(failed, "TaskFailed").retry?.retrier).toBe(0);
      const timedOut = await when(await given(timing(["States.TaskFailed"])), fireTimer("3:task:timeout"));
      expect(briefs(timedOut)).toEqual(["TaskTimedOut 3:task States.Timeout", "ExecutionFailed States.Timeout"]);
    });

    it("matches names exactly, case included", async () => {
      const step = await when(await given(retrying({ Retry: [{ ErrorEquals: ["error"] }] })), failTask("3:task", "Error", undefined, after(1)));
      expect(types(step)).toEqual(["TaskFailed", "ExecutionFailed"]);
    });

    it("never retries or catches States.Runtime, not even when named", async () => {
      const definition = retrying({
        Parameters: { "v.$": "$.missing" },
        Retry: [{ ErrorEquals: ["States.Runtime"] }, { ErrorEquals: ["States.ALL"] }],
        Catch: [{ ErrorEquals: ["States.Runtime"], Next: "Caught" }, { ErrorEquals: ["States.ALL"], Next: "Caught" }],
      });
      const step = await given(definition);
      expect(briefs(step)).toEqual(["ExecutionStarted", "TaskStateEntered T", "ExecutionFailed States.Runtime"]);
      expectFailed(step, "States.Runtime", located("T", 2, `The JSONPath '$.missing' specified for the field 'v.$' could not be found in the input '{}'`));
    });

    it("never retries or catches States.Runtime raised by shaping the result", async () => {
      const definition = retrying({
        ResultSelector: { "v.$": "$.missing" },
        Retry: [{ ErrorEquals: ["States.ALL"] }],
        Catch: [{ ErrorEquals: ["States.ALL"], Next: "Caught" }],
      });
      const step = await when(await given(definition), completeTask("3:task", {}, after(1)));
      expect(types(step)).toEqual(["TaskSucceeded", "ExecutionFailed"]);
      expect(step.status).toBe("failed");
      if (step.status === "failed") expect(step.error).toBe("States.Runtime");
    });
  });
});

describe("Catch", () => {
  const catching = (catcher: Record<string, unknown>, fields: Record<string, unknown> = {}) =>
    retrying({ Catch: [{ ErrorEquals: ["States.ALL"], Next: "Caught", ...catcher }], ...fields });

  it("replaces the input with the error output by default, and goes to the catcher's Next", async () => {
    const started = await given(catching({}), { input: { a: 1 } });
    const step = await when(started, failTask("3:task", "E", "c", after(1)));
    expect(briefs(step)).toEqual(["TaskFailed 3:task E", "TaskStateExited T", "PassStateEntered Caught", "PassStateExited Caught", "ExecutionSucceeded"]);
    expect(eventOf(step, "TaskStateExited")).toMatchObject({ next: "Caught" });
    expect(exitOutput(step, "T")).toEqual({ Error: "E", Cause: "c" });
    expect(eventOf(step, "TaskFailed")).not.toHaveProperty("retry");
  });

  it("places the error output at the catcher's ResultPath in the raw input", async () => {
    const step = await when(await given(catching({ ResultPath: "$.error" }, { InputPath: "$.in" }), { input: { in: 1, a: 2 } }), failTask("3:task", "E", "c", after(1)));
    expect(exitOutput(step, "T")).toEqual({ in: 1, a: 2, error: { Error: "E", Cause: "c" } });
  });

  it("keeps the raw input with ResultPath null", async () => {
    const step = await when(await given(catching({ ResultPath: null }), { input: { a: 1 } }), failTask("3:task", "E", "c", after(1)));
    expectSucceeded(step, { a: 1 });
  });

  it("ignores the state's ResultSelector, ResultPath and OutputPath", async () => {
    const definition = catching({ ResultPath: "$.error" }, { ResultSelector: { "x.$": "$.nothing" }, ResultPath: "$.r", OutputPath: "$.no.such.path" });
    const step = await when(await given(definition, { input: { a: 1 } }), failTask("3:task", "E", "c", after(1)));
    expect(step.status).toBe("succeeded");
    expect(exitOutput(step, "T")).toEqual({ a: 1, error: { Error: "E", Cause: "c" } });
  });

  it("gives a null Error and Cause in the error output when the task names neither (SendTaskFailure without them)", async () => {
    const step = await when(await given(catching({})), failTask("3:task", undefined, undefined, after(1)));
    expect(exitOutput(step, "T")).toEqual({ Error: null, Cause: null });
  });

  it("passes the task's cause through unchanged, with no state prefix", async () => {
    const cause = JSON.stringify({ errorMessage: "boom", errorType: "Exception" });
    const step = await when(await given(catching({ ResultPath: "$.e" }), { input: {} }), failTask("3:task", "Exception", cause, after(1)));
    expectSucceeded(step, { e: { Error: "Exception", Cause: cause } });
  });

  it("assigns variables from the error output ($ is the error output in a catcher's Assign)", async () => {
    const definition = {
      StartAt: "T",
      States: {
        T: { Type: "Task", Resource: INVOKE, Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.err", Assign: { "kind.$": "$.Error", fixed: 1 }, Next: "Use" }], End: true },
        Use: { Type: "Pass", Parameters: { "kind.$": "$kind", "fixed.$": "$fixed" }, End: true },
      },
    };
    const step = await when(await given(definition, { input: { a: 1 } }), failTask("3:task", "Boom", "c", after(1)));
    expect(eventOf(step, "TaskStateExited").stateExitedEventDetails.assignedVariables).toEqual({ kind: "Boom", fixed: 1 });
    expectSucceeded(step, { kind: "Boom", fixed: 1 });
  });

  it("uses the first catcher that matches", async () => {
    const definition = {
      StartAt: "T",
      States: {
        T: {
          Type: "Task",
          Resource: INVOKE,
          Catch: [
            { ErrorEquals: ["Other"], Next: "First" },
            { ErrorEquals: ["E", "F"], Next: "Second" },
            { ErrorEquals: ["States.ALL"], Next: "Third" },
          ],
          End: true,
        },
        First: { Type: "Pass", Result: 1, End: true },
        Second: { Type: "Pass", Result: 2, End: true },
        Third: { Type: "Pass", Result: 3, End: true },
      },
    };
    const started = await given(definition);
    expectSucceeded(await when(started, failTask("3:task", "F", undefined, after(1))), 2);
    expectSucceeded(await when(started, failTask("3:task", "Z", undefined, after(1))), 3);
  });

  it("fails the execution when no catcher matches", async () => {
    const step = await when(await given(retrying({ Catch: [{ ErrorEquals: ["Other"], Next: "Caught" }] })), failTask("3:task", "E", "c", after(1)));
    expect(briefs(step)).toEqual(["TaskFailed 3:task E", "ExecutionFailed E"]);
  });

  it("catches only after the matching retrier is used up", async () => {
    const definition = retrying({ Retry: [{ ErrorEquals: ["E"], MaxAttempts: 1 }], Catch: [{ ErrorEquals: ["E"], ResultPath: "$.err", Next: "Caught" }] });
    let step = await when(await given(definition, { input: {} }), failTask("3:task", "E", "c", after(0)));
    expect(briefs(step)).toEqual(["TaskFailed 3:task E"]);
    step = await whenAll(step, fireTimer("5:retry"), failTask("6:task", "E", "c", after(2)));
    expect(briefs(step)).toEqual(["TaskFailed 6:task E", "TaskStateExited T", "PassStateEntered Caught", "PassStateExited Caught", "ExecutionSucceeded"]);
    expect(exitOutput(step, "T")).toEqual({ err: { Error: "E", Cause: "c" } });
  });

  it("catches a time-out with States.Timeout, whose error output has an empty Cause", async () => {
    const definition = retrying({ TimeoutSeconds: 5, Catch: [{ ErrorEquals: ["States.TaskFailed"], Next: "Caught" }, { ErrorEquals: ["States.Timeout"], ResultPath: "$.t", Next: "Caught" }] });
    const step = await when(await given(definition, { input: { a: 1 } }), fireTimer("3:task:timeout"));
    expect(briefs(step)).toEqual(["TaskTimedOut 3:task States.Timeout", "TaskStateExited T", "PassStateEntered Caught", "PassStateExited Caught", "ExecutionSucceeded"]);
    expect(exitOutput(step, "T")).toEqual({ a: 1, t: { Error: "States.Timeout", Cause: "" } });
  });
});
