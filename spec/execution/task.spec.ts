/**
 * Task states: the three event families (service integrations, Lambda function ARNs, activities),
 * the three integration patterns (request-response, .sync, .waitForTaskToken), and how a result is
 * shaped (ResultSelector → ResultPath → OutputPath).
 */
import { describe, expect, it } from "vitest";
import { completeTask, failTask, fireTimer } from "../../src/index.js";
import { after, briefs, chain, eventOf, expectFailed, expectRejected, expectSucceeded, exitOutput, given, located, onlyTask, pending, T0, timers, types, when } from "../support/given.js";

const task = (Resource: string, fields: Record<string, unknown> = {}) => ({ StartAt: "T", States: { T: { Type: "Task", Resource, End: true, ...fields } } });
const INVOKE = "arn:aws:states:::lambda:invoke";
const FUNCTION = "arn:aws:lambda:eu-west-1:123456789012:function:fn";
const ACTIVITY = "arn:aws:states:us-east-1:123456789012:activity:act";

/** The first UUID seed 1 draws: the task token when the execution is given a name (else the name takes it). */
const FIRST_TOKEN = "23dc96d2-137e-425c-9611-6ab06ccab086";

describe("a request-response service integration", () => {
  it("lists the pending task once, as a plain property of the Step (in JSON and in spreads too)", async () => {
    const step = await given(task(INVOKE), { input: { x: 1 } });
    if (step.status !== "continue") throw new Error("the task must wait for the host");
    const listed = [{ kind: "task", id: "3:task", state: "T", resource: INVOKE, input: { x: 1 } }];
    expect(Object.keys(step)).toEqual(["status", "execution", "events", "pending", "added", "removed"]);
    expect(step.pending).toEqual(listed);
    expect(step.added).toEqual(listed);
    expect(step.removed).toEqual([]);
    expect(step.pending).toBe(step.pending);
    expect({ ...step }.pending).toBe(step.pending);
    expect(JSON.parse(JSON.stringify(step)).pending).toEqual(listed);
  });

  it("schedules and starts the task, then waits for the host", async () => {
    const step = await given(task(INVOKE), { input: { x: 1 } });
    expect(briefs(step)).toEqual(["ExecutionStarted", "TaskStateEntered T", "TaskScheduled 3:task", "TaskStarted 3:task"]);
    expect(chain(step)).toEqual([0, 1, 2, 3]);
    expect(step.status).toBe("continue");
    expect(eventOf(step, "TaskScheduled")).toMatchObject({
      taskScheduledEventDetails: { resourceType: "lambda", resource: "invoke", region: "us-east-1", parameters: { x: 1 } },
      taskId: "3:task",
      resourceArn: INVOKE,
    });
    expect(eventOf(step, "TaskScheduled").taskScheduledEventDetails).not.toHaveProperty("timeoutInSeconds");
    expect(eventOf(step, "TaskScheduled").taskScheduledEventDetails).not.toHaveProperty("heartbeatInSeconds");
    expect(eventOf(step, "TaskStarted").taskStartedEventDetails).toEqual({ resourceType: "lambda", resource: "invoke" });
    expect(pending(step)).toEqual([{ kind: "task", id: "3:task", state: "T", resource: INVOKE, input: { x: 1 } }]);
  });

  it("records the result and exits when the host completes it", async () => {
    const started = await given(task(INVOKE), { input: { x: 1 } });
    const step = await when(started, completeTask("3:task", { Payload: 42 }, after(1)));
    expect(briefs(step)).toEqual(["TaskSucceeded 3:task", "TaskStateExited T", "ExecutionSucceeded"]);
    expect(step.events.map((e) => e.id)).toEqual([5, 6, 7]);
    expect(chain(step)).toEqual([4, 5, 6]);
    expect(step.events.every((e) => e.timestamp === after(1))).toBe(true);
    expect(eventOf(step, "TaskSucceeded").taskSucceededEventDetails).toEqual({ resourceType: "lambda", resource: "invoke", output: { Payload: 42 } });
    expectSucceeded(step, { Payload: 42 });
  });

  it("sends the InputPath selection through Parameters as the task's input", async () => {
    const step = await given(task(INVOKE, { InputPath: "$.in", Parameters: { "FunctionName.$": "$.fn", Payload: { "v.$": "$.v", fixed: true } } }), {
      input: { in: { fn: "f", v: [1] }, v: "outer" },
    });
    expect(onlyTask(step).input).toEqual({ FunctionName: "f", Payload: { v: [1], fixed: true } });
    expect(eventOf(step, "TaskScheduled").taskScheduledEventDetails.parameters).toEqual({ FunctionName: "f", Payload: { v: [1], fixed: true } });
  });

  it("splits an AWS SDK integration's Resource into resourceType and resource", async () => {
    const step = await given(task("arn:aws:states:::aws-sdk:s3:getObject"));
    expect(eventOf(step, "TaskScheduled").taskScheduledEventDetails).toMatchObject({ resourceType: "aws-sdk:s3", resource: "getObject" });
  });

  it("fails the execution with States.Runtime before scheduling anything when a Parameters path misses", async () => {
    const step = await given(task(INVOKE, { Parameters: { "v.$": "$.missing" } }), { input: { a: 1 } });
    expect(types(step)).toEqual(["ExecutionStarted", "TaskStateEntered", "ExecutionFailed"]);
    expectFailed(step, "States.Runtime", located("T", 2, `The JSONPath '$.missing' specified for the field 'v.$' could not be found in the input '{"a":1}'`));
  });

  it("records TaskFailed with the host's error and cause", async () => {
    const started = await given(task(INVOKE));
    const step = await when(started, failTask("3:task", "Lambda.Unknown", "boom", after(2)));
    expect(briefs(step)).toEqual(["TaskFailed 3:task Lambda.Unknown", "ExecutionFailed Lambda.Unknown"]);
    expect(eventOf(step, "TaskFailed").taskFailedEventDetails).toEqual({ resourceType: "lambda", resource: "invoke", error: "Lambda.Unknown", cause: "boom" });
    // A task's cause is passed through as it is, with no state prefix.
    expect(eventOf(step, "ExecutionFailed").executionFailedEventDetails).toEqual({ error: "Lambda.Unknown", cause: "boom" });
    expectFailed(step, "Lambda.Unknown", "boom");
  });

  it("records TaskFailed without error or cause when the host gives none", async () => {
    const started = await given(task(INVOKE));
    const step = await when(started, failTask("3:task", undefined, undefined, after(2)));
    expect(eventOf(step, "TaskFailed").taskFailedEventDetails).toEqual({ resourceType: "lambda", resource: "invoke" });
    expect(eventOf(step, "ExecutionFailed").executionFailedEventDetails).toEqual({});
    expectFailed(step, undefined, undefined);
  });
});

describe("a Lambda function ARN", () => {
  it("writes LambdaFunction* events, not Task* ones", async () => {
    const started = await given(task(FUNCTION), { input: { x: 1 } });
    expect(briefs(started)).toEqual(["ExecutionStarted", "TaskStateEntered T", "LambdaFunctionScheduled 3:task", "LambdaFunctionStarted 3:task"]);
    expect(eventOf(started, "LambdaFunctionScheduled").lambdaFunctionScheduledEventDetails).toEqual({ resource: FUNCTION, input: { x: 1 } });
    expect(pending(started)).toEqual([{ kind: "task", id: "3:task", state: "T", resource: FUNCTION, input: { x: 1 } }]);

    const step = await when(started, completeTask("3:task", "done", after(1)));
    expect(briefs(step)).toEqual(["LambdaFunctionSucceeded 3:task", "TaskStateExited T", "ExecutionSucceeded"]);
    expect(eventOf(step, "LambdaFunctionSucceeded").lambdaFunctionSucceededEventDetails).toEqual({ output: "done" });
    expectSucceeded(step, "done");
  });

  it("writes LambdaFunctionFailed when the function fails", async () => {
    const started = await given(task(FUNCTION));
    const step = await when(started, failTask("3:task", "Exception", "{}", after(1)));
    expect(briefs(step)).toEqual(["LambdaFunctionFailed 3:task Exception", "ExecutionFailed Exception"]);
    expect(eventOf(step, "LambdaFunctionFailed").lambdaFunctionFailedEventDetails).toEqual({ error: "Exception", cause: "{}" });
  });

  it("records TimeoutSeconds in LambdaFunctionScheduled", async () => {
    const step = await given(task(FUNCTION, { TimeoutSeconds: 30 }));
    expect(eventOf(step, "LambdaFunctionScheduled").lambdaFunctionScheduledEventDetails).toEqual({ resource: FUNCTION, input: {}, timeoutInSeconds: 30 });
  });
});

describe("an activity", () => {
  it("writes Activity* events and hands the host a task token", async () => {
    const started = await given(task(ACTIVITY), { input: { job: 1 }, name: "fixed" });
    expect(briefs(started)).toEqual(["ExecutionStarted", "TaskStateEntered T", "ActivityScheduled 3:task", "ActivityStarted 3:task"]);
    const scheduled = eventOf(started, "ActivityScheduled");
    expect(scheduled.activityScheduledEventDetails).toEqual({ resource: ACTIVITY, input: { job: 1 } });
    expect(scheduled.token).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(onlyTask(started)).toEqual({ kind: "task", id: "3:task", state: "T", resource: ACTIVITY, input: { job: 1 }, token: scheduled.token });
  });

  it("is completed by its token as well as by its id", async () => {
    const started = await given(task(ACTIVITY), { name: "fixed" });
    const token = onlyTask(started).token as string;
    const byToken = await when(started, completeTask(token, { ok: 1 }, after(1)));
    expect(briefs(byToken)).toEqual(["ActivitySucceeded 3:task", "TaskStateExited T", "ExecutionSucceeded"]);
    expect(eventOf(byToken, "ActivitySucceeded").activitySucceededEventDetails).toEqual({ output: { ok: 1 } });
    const byId = await when(started, completeTask("3:task", { ok: 1 }, after(1)));
    expect(byId.events).toEqual(byToken.events);
  });

  it("writes ActivityFailed when the worker fails it", async () => {
    const started = await given(task(ACTIVITY), { name: "fixed" });
    const step = await when(started, failTask(onlyTask(started).token as string, "Worker.Error", "c", after(1)));
    expect(briefs(step)).toEqual(["ActivityFailed 3:task Worker.Error", "ExecutionFailed Worker.Error"]);
    expect(eventOf(step, "ActivityFailed").activityFailedEventDetails).toEqual({ error: "Worker.Error", cause: "c" });
  });
});

describe(".waitForTaskToken", () => {
  const callback = task("arn:aws:states:::sqs:sendMessage.waitForTaskToken", {
    Parameters: { QueueUrl: "q", MessageBody: { "token.$": "$$.Task.Token", "input.$": "$" } },
  });

  it("puts the task token in the parameters ($$.Task.Token) and in the pending task, and is submitted", async () => {
    const step = await given(callback, { input: { a: 1 }, name: "fixed" });
    expect(briefs(step)).toEqual(["ExecutionStarted", "TaskStateEntered T", "TaskScheduled 3:task", "TaskStarted 3:task", "TaskSubmitted 3:task"]);
    const scheduled = eventOf(step, "TaskScheduled");
    expect(scheduled.token).toBe(FIRST_TOKEN);
    expect(scheduled.taskScheduledEventDetails).toMatchObject({
      resourceType: "sqs",
      resource: "sendMessage.waitForTaskToken",
      parameters: { QueueUrl: "q", MessageBody: { token: FIRST_TOKEN, input: { a: 1 } } },
    });
    expect(eventOf(step, "TaskSubmitted").taskSubmittedEventDetails).toEqual({ resourceType: "sqs", resource: "sendMessage.waitForTaskToken" });
    expect(onlyTask(step)).toEqual({
      kind: "task",
      id: "3:task",
      state: "T",
      resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      input: { QueueUrl: "q", MessageBody: { token: FIRST_TOKEN, input: { a: 1 } } },
      token: FIRST_TOKEN,
    });
  });

  it("draws the same token for the same seed whatever the execution is named", async () => {
    const a = await given(callback, { name: "one" });
    const b = await given(callback, { name: "two" });
    expect(onlyTask(a).token).toBe(onlyTask(b).token);
    const other = await given(callback, { name: "one", seed: 2 });
    expect(onlyTask(other).token).not.toBe(onlyTask(a).token);
  });

  it("is completed by its token (SendTaskSuccess)", async () => {
    const started = await given(callback, { name: "fixed" });
    const step = await when(started, completeTask(FIRST_TOKEN, { reply: true }, after(60)));
    expect(briefs(step)).toEqual(["TaskSucceeded 3:task", "TaskStateExited T", "ExecutionSucceeded"]);
    expect(chain(step)).toEqual([5, 6, 7]);
    expectSucceeded(step, { reply: true });
  });

  it("is failed by its token (SendTaskFailure)", async () => {
    const started = await given(callback, { name: "fixed" });
    const step = await when(started, failTask(FIRST_TOKEN, "Rejected", "no", after(60)));
    expect(briefs(step)).toEqual(["TaskFailed 3:task Rejected", "ExecutionFailed Rejected"]);
  });

  it("indexes the tokens of pending tasks: a token leaves when its task is answered, times out or is aborted", async () => {
    const callbacks = {
      StartAt: "Each",
      States: {
        Each: {
          Type: "Map",
          ItemsPath: "$.items",
          ItemProcessor: {
            StartAt: "Call",
            States: {
              Call: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken", Parameters: { QueueUrl: "q", "MessageBody.$": "$$.Task.Token" }, TimeoutSeconds: 10, End: true },
            },
          },
          Catch: [{ ErrorEquals: ["States.ALL"], Next: "Later" }],
          End: true,
        },
        Later: { Type: "Wait", Seconds: 100, End: true },
      },
    };
    const started = await given(callbacks, { input: { items: [1, 2, 3, 4] } });
    const tasks = pending(started).filter((work) => work.kind === "task");
    const tokens = tasks.map((work) => work.token as string);
    expect(new Set(tokens).size).toBe(4);
    expect(started.execution.tokens.size).toBe(4);
    // Answered by its token: the iteration's task, found through the index, and the token is gone.
    const answered = await when(started, completeTask(tokens[0] as string, "ok", after(1)));
    expect(briefs(answered).slice(0, 2)).toEqual([`TaskSucceeded ${tasks[0]?.id}`, "TaskStateExited Call"]);
    expect(answered.execution.tokens.size).toBe(3);
    expect(await expectRejected(answered.execution, completeTask(tokens[0] as string, "again", after(2)), "UNKNOWN_TASK")).toContain(tokens[0]);
    // The second task times out: its iteration fails, the Map aborts the other two and is caught.
    const timeout = timers(answered).find((timer) => timer.id.startsWith(`${tasks[1]?.id}`));
    const caught = await when(answered, fireTimer(timeout?.id as string));
    expect(types(caught)).toContain("MapIterationAborted");
    expect(caught.status).toBe("continue");
    expect(caught.execution.tokens.size).toBe(0);
    for (const token of tokens.slice(2)) await expectRejected(caught.execution, completeTask(token, "late", after(20)), "UNKNOWN_TASK");
  });
});

describe(".sync", () => {
  it("is submitted after it starts, and succeeds with the job's result", async () => {
    const started = await given(task("arn:aws:states:::states:startExecution.sync:2", { Parameters: { "Input.$": "$" } }), { input: { x: 1 } });
    expect(briefs(started)).toEqual(["ExecutionStarted", "TaskStateEntered T", "TaskScheduled 3:task", "TaskStarted 3:task", "TaskSubmitted 3:task"]);
    expect(eventOf(started, "TaskScheduled").taskScheduledEventDetails).toMatchObject({ resourceType: "states", resource: "startExecution.sync:2" });
    expect(eventOf(started, "TaskScheduled")).not.toHaveProperty("token");
    expect(onlyTask(started)).not.toHaveProperty("token");
    const step = await when(started, completeTask("3:task", { Status: "SUCCEEDED" }, after(5)));
    expect(briefs(step)).toEqual(["TaskSucceeded 3:task", "TaskStateExited T", "ExecutionSucceeded"]);
    expectSucceeded(step, { Status: "SUCCEEDED" });
  });
});

describe("shaping a task's result", () => {
  const shaped = (fields: Record<string, unknown>) => task(INVOKE, fields);
  const run = async (fields: Record<string, unknown>, input: unknown, result: unknown) =>
    when(await given(shaped(fields), { input }), completeTask("3:task", result, after(1)));

  it("replaces the input with the result by default", async () => {
    expectSucceeded(await run({}, { a: 1 }, { r: 2 }), { r: 2 });
  });

  it("applies ResultSelector to the result, with the context object available", async () => {
    const step = await run({ ResultSelector: { "p.$": "$.Payload", "state.$": "$$.State.Name", "retries.$": "$$.State.RetryCount" } }, {}, { Payload: 7, StatusCode: 200 });
    expectSucceeded(step, { p: 7, state: "T", retries: 0 });
  });

  it("places the selected result with ResultPath into the raw input", async () => {
    const step = await run({ InputPath: "$.in", ResultSelector: { "p.$": "$.Payload" }, ResultPath: "$.out" }, { in: 1, keep: true }, { Payload: "x" });
    expectSucceeded(step, { in: 1, keep: true, out: { p: "x" } });
  });

  it("discards the result with ResultPath null", async () => {
    expectSucceeded(await run({ ResultPath: null }, { a: 1 }, { ignored: true }), { a: 1 });
  });

  it("selects the output with OutputPath last", async () => {
    expectSucceeded(await run({ ResultPath: "$.r", OutputPath: "$.r.Payload" }, { a: 1 }, { Payload: [1, 2] }), [1, 2]);
  });

  it("shows the shaped output in TaskStateExited while TaskSucceeded keeps the raw result", async () => {
    const step = await run({ ResultSelector: { "p.$": "$.Payload" } }, {}, { Payload: 1, Extra: 2 });
    expect(eventOf(step, "TaskSucceeded").taskSucceededEventDetails.output).toEqual({ Payload: 1, Extra: 2 });
    expect(exitOutput(step, "T")).toEqual({ p: 1 });
  });

  it("accepts any JSON value as a result: null, strings, arrays", async () => {
    expectSucceeded(await run({}, {}, null), null);
    expectSucceeded(await run({}, {}, "text"), "text");
    expectSucceeded(await run({ ResultPath: "$.list" }, { a: 1 }, [1, "2"]), { a: 1, list: [1, "2"] });
  });

  it("fails with States.Runtime when ResultSelector's path misses the result", async () => {
    const step = await run({ ResultSelector: { "p.$": "$.missing" } }, {}, { a: 1 });
    expect(types(step)).toEqual(["TaskSucceeded", "ExecutionFailed"]);
    expectFailed(step, "States.Runtime", located("T", 2, `The JSONPath '$.missing' specified for the field 'p.$' could not be found in the input '{"a":1}'`));
  });

  it("fails with States.Runtime when OutputPath misses, even though a catcher matches States.ALL", async () => {
    const definition = {
      StartAt: "T",
      States: {
        T: { Type: "Task", Resource: INVOKE, OutputPath: "$.missing", Catch: [{ ErrorEquals: ["States.ALL"], Next: "C" }], End: true },
        C: { Type: "Pass", End: true },
      },
    };
    const step = await when(await given(definition), completeTask("3:task", { a: 1 }, after(1)));
    expect(types(step)).toEqual(["TaskSucceeded", "ExecutionFailed"]);
    expectFailed(step, "States.Runtime", located("T", 2, "Invalid path '$.missing' : No results for path: $['missing']"));
  });

  it("goes on to Next with the shaped output as the next state's input", async () => {
    const definition = {
      StartAt: "T",
      States: { T: { Type: "Task", Resource: INVOKE, ResultPath: "$.r", Next: "P" }, P: { Type: "Pass", End: true } },
    };
    const step = await when(await given(definition, { input: { a: 1 } }), completeTask("3:task", 2, after(1)));
    expect(briefs(step)).toEqual(["TaskSucceeded 3:task", "TaskStateExited T", "PassStateEntered P", "PassStateExited P", "ExecutionSucceeded"]);
    expect(eventOf(step, "TaskStateExited")).toMatchObject({ next: "P" });
    expect(eventOf(step, "PassStateEntered").stateEnteredEventDetails.input).toEqual({ a: 1, r: 2 });
    expect(step.events.every((e) => e.timestamp === after(1))).toBe(true);
  });
});

describe("tasks in sequence", () => {
  it("gives each task the id of its Scheduled event", async () => {
    const definition = {
      StartAt: "A",
      States: { A: { Type: "Task", Resource: INVOKE, Next: "B" }, B: { Type: "Task", Resource: INVOKE, End: true } },
    };
    const first = await given(definition);
    expect(onlyTask(first).id).toBe("3:task");
    const second = await when(first, completeTask("3:task", 1, after(1)));
    expect(briefs(second)).toEqual(["TaskSucceeded 3:task", "TaskStateExited A", "TaskStateEntered B", "TaskScheduled 8:task", "TaskStarted 8:task"]);
    expect(onlyTask(second)).toEqual({ kind: "task", id: "8:task", state: "B", resource: INVOKE, input: 1 });
    expectSucceeded(await when(second, completeTask("8:task", 2, after(2))), 2);
  });

  it("never reads a clock: every event of a start has the start's time", async () => {
    const step = await given(task(INVOKE));
    expect(step.events.map((e) => e.timestamp)).toEqual([T0, T0, T0, T0]);
  });
});
