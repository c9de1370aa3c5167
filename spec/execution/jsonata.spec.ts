import { describe, expect, it } from "vitest";
import { completeTask, failTask, parse, resume, start, type HistoryEvent, type Step } from "../../src/index.js";

const T0 = "2024-01-01T00:00:00.000Z";
const T1 = "2024-01-01T00:00:01.000Z";

const jsonata = (states: Record<string, unknown>, startAt = Object.keys(states)[0] as string) => parse({ QueryLanguage: "JSONata", StartAt: startAt, States: states });
const types = (events: readonly HistoryEvent[]) => events.map((e) => e.type);
const exited = (events: readonly HistoryEvent[], name: string) =>
  events.find((e) => "stateExitedEventDetails" in e && e.stateExitedEventDetails.name === name) as Extract<HistoryEvent, { stateExitedEventDetails: unknown }>;

function pendingTask(step: Step) {
  if (step.status !== "continue") throw new Error(`expected the execution to wait, but it is ${step.status}`);
  const task = step.pending.find((p) => p.kind === "task");
  if (task?.kind !== "task") throw new Error("expected a pending task");
  return task;
}

describe("JSONata states", () => {
  it("sends Arguments to the task and outputs the result by default", async () => {
    const workflow = jsonata({
      Call: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Arguments: { FunctionName: "f", Payload: "{% $states.input.order %}" }, End: true },
    });
    const started = await start(workflow, { input: { order: { id: 7 } }, at: T0, seed: 1 });
    expect(pendingTask(started).input).toEqual({ FunctionName: "f", Payload: { id: 7 } });
    const done = await resume(started.execution, completeTask(pendingTask(started).id, { Payload: "ok" }, T1));
    expect(done).toMatchObject({ status: "succeeded", output: { Payload: "ok" } });
  });

  it("evaluates Output and Assign with the values from before the state, and Assign is visible from the next state on", async () => {
    const workflow = jsonata({
      Init: { Type: "Pass", Assign: { x: 3, a: 6 }, Next: "Swap" },
      Swap: { Type: "Pass", Assign: { x: "{% $a %}", nextX: "{% $x %}" }, Output: { seen: "{% $x %}" }, Next: "Show" },
      Show: { Type: "Pass", Output: { x: "{% $x %}", nextX: "{% $nextX %}", name: "{% $states.context.State.Name %}" }, End: true },
    });
    const step = await start(workflow, { at: T0, seed: 1 });
    expect(step).toMatchObject({ status: "succeeded", output: { x: 6, nextX: 3, name: "Show" } });
    expect(exited(step.events, "Swap").stateExitedEventDetails).toEqual({ name: "Swap", output: { seen: 3 }, assignedVariables: { x: 6, nextX: 3 } });
  });

  it("offers $states.result to a Task's Output and Assign", async () => {
    const workflow = jsonata({
      Call: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        Output: { total: "{% $states.result.Payload.n + $states.input.base %}" },
        Assign: { last: "{% $states.result.Payload.n %}" },
        End: true,
      },
    });
    const started = await start(workflow, { input: { base: 100 }, at: T0, seed: 1 });
    const done = await resume(started.execution, completeTask(pendingTask(started).id, { Payload: { n: 5 } }, T1));
    expect(done).toMatchObject({ status: "succeeded", output: { total: 105 } });
    expect(exited(done.events, "Call").stateExitedEventDetails.assignedVariables).toEqual({ last: 5 });
  });

  it("catches with $states.errorOutput, and the catcher's Output defaults to the error output", async () => {
    const workflow = jsonata({
      Call: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        Catch: [{ ErrorEquals: ["States.ALL"], Assign: { why: "{% $states.errorOutput.Cause %}" }, Next: "Report" }],
        End: true,
      },
      Report: { Type: "Pass", Output: { error: "{% $states.input %}", why: "{% $why %}" }, End: true },
    });
    const started = await start(workflow, { at: T0, seed: 1 });
    const done = await resume(started.execution, failTask(pendingTask(started).id, "Boom", "it broke", T1));
    expect(done).toMatchObject({ status: "succeeded", output: { error: { Error: "Boom", Cause: "it broke" }, why: "it broke" } });
  });

  it("fails with States.QueryEvaluationError and an EvaluationFailed event when an expression returns nothing", async () => {
    const workflow = jsonata({ Shape: { Type: "Pass", Output: { v: "{% $states.input.missing %}" }, End: true } });
    const step = await start(workflow, { input: {}, at: T0, seed: 1 });
    expect(types(step.events)).toEqual(["ExecutionStarted", "PassStateEntered", "EvaluationFailed", "ExecutionFailed"]);
    const cause =
      "The JSONata expression '$states.input.missing' specified for the field 'Output/v' returned nothing (undefined).";
    expect(step.events[2]).toMatchObject({ evaluationFailedEventDetails: { error: "States.QueryEvaluationError", cause, location: "Output/v", state: "Shape" } });
    expect(step).toMatchObject({
      status: "failed",
      error: "States.QueryEvaluationError",
      cause: `An error occurred while executing the state 'Shape' (entered at the event id #2). ${cause}`,
    });
  });

  it("retries a QueryEvaluationError in a task's Arguments, recording the retry on EvaluationFailed", async () => {
    const workflow = jsonata({
      Call: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        Arguments: { n: "{% $states.input.n %}" },
        Retry: [{ ErrorEquals: ["States.QueryEvaluationError"], MaxAttempts: 1, IntervalSeconds: 2 }],
        End: true,
      },
    });
    const step = await start(workflow, { input: {}, at: T0, seed: 1 });
    expect(types(step.events)).toEqual(["ExecutionStarted", "TaskStateEntered", "EvaluationFailed"]);
    expect(step.events[2]).toMatchObject({ retry: { retrier: 0, retryCount: 1, timer: { id: "3:retry", until: "2024-01-01T00:00:02.000Z" } } });
    if (step.status !== "continue") throw new Error("expected a retry");
    expect(step.pending).toEqual([{ kind: "timer", id: "3:retry", state: "Call", until: "2024-01-01T00:00:02.000Z", purpose: "retry" }]);
  });

  it("requires a Choice Condition to be a boolean", async () => {
    const workflow = jsonata({
      Pick: { Type: "Choice", Choices: [{ Condition: "{% $states.input.n %}", Next: "Done" }], Default: "Done" },
      Done: { Type: "Succeed" },
    });
    const step = await start(workflow, { input: { n: 1 }, at: T0, seed: 1 });
    expect(step).toMatchObject({
      status: "failed",
      error: "States.QueryEvaluationError",
      cause:
        "An error occurred while executing the state 'Pick' (entered at the event id #2). The JSONata expression '$states.input.n' specified for the field 'Choices[0]/Condition' returned an unexpected result type. Expected 'boolean', but was 'number' for value: 1",
    });
  });

  it.each([
    ["Wait Seconds", { Type: "Wait", Seconds: "{% $states.input.v %}", End: true }, "Seconds", "integer", -5, "number"],
    ["Task TimeoutSeconds", { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", TimeoutSeconds: "{% $states.input.v %}", End: true }, "TimeoutSeconds", "integer", "ten", "string"],
    ["Map MaxConcurrency", { Type: "Map", Items: [1], MaxConcurrency: "{% $states.input.v %}", ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } }, End: true }, "MaxConcurrency", "integer", 1.5, "number"],
  ])("requires %s to come out of JSONata with the right type", async (_, state, field, expected, v, actual) => {
    const step = await start(jsonata({ S: state }), { input: { v }, at: T0, seed: 1 });
    expect(step).toMatchObject({
      status: "failed",
      error: "States.QueryEvaluationError",
      cause: `An error occurred while executing the state 'S' (entered at the event id #2). The JSONata expression '$states.input.v' specified for the field '${field}' returned an unexpected result type. Expected '${expected}', but was '${actual}' for value: ${JSON.stringify(v)}`,
    });
  });

  it("uses a matched rule's Output and Assign instead of the state's", async () => {
    const workflow = jsonata({
      Pick: {
        Type: "Choice",
        Choices: [{ Condition: "{% $states.input.n > 1 %}", Output: { big: true }, Assign: { size: "big" }, Next: "Done" }],
        Default: "Done",
        Output: { big: false },
        Assign: { size: "small" },
      },
      Done: { Type: "Pass", Output: { out: "{% $states.input %}", size: "{% $size %}" }, End: true },
    });
    expect(await start(workflow, { input: { n: 2 }, at: T0, seed: 1 })).toMatchObject({ output: { out: { big: true }, size: "big" } });
    expect(await start(workflow, { input: { n: 0 }, at: T0, seed: 1 })).toMatchObject({ output: { out: { big: false }, size: "small" } });
  });

  it("maps over Items with ItemSelector reading $states.context.Map.Item", async () => {
    const workflow = jsonata({
      Each: {
        Type: "Map",
        Items: "{% $states.input.list %}",
        ItemSelector: { i: "{% $states.context.Map.Item.Index %}", v: "{% $states.context.Map.Item.Value * 10 %}" },
        ItemProcessor: { StartAt: "Id", States: { Id: { Type: "Pass", End: true } } },
        End: true,
      },
    });
    expect(await start(workflow, { input: { list: [1, 2] }, at: T0, seed: 1 })).toMatchObject({
      status: "succeeded",
      output: [
        { i: 0, v: 10 },
        { i: 1, v: 20 },
      ],
    });
  });

  it("waits for Seconds given by an expression and fails a Fail state with computed Error and Cause", async () => {
    const workflow = jsonata({
      Pause: { Type: "Wait", Seconds: "{% $states.input.s %}", Next: "Stop" },
      Stop: { Type: "Fail", Error: "{% 'E' & $states.input.s %}", Cause: "{% 'waited ' & $states.input.s %}" },
    });
    const step = await start(workflow, { input: { s: 5 }, at: T0, seed: 1 });
    if (step.status !== "continue") throw new Error("expected a wait");
    expect(step.pending).toEqual([{ kind: "timer", id: "2:wait", state: "Pause", until: "2024-01-01T00:00:05.000Z", purpose: "wait" }]);
  });

  it("draws $uuid and $random from the execution's seed", async () => {
    const workflow = jsonata({ Draw: { Type: "Pass", Output: { id: "{% $uuid() %}", r: "{% $random() %}" }, End: true } });
    const a = await start(workflow, { at: T0, seed: 9 });
    const b = await start(workflow, { at: T0, seed: 9 });
    const c = await start(workflow, { at: T0, seed: 10 });
    expect(a.events).toEqual(b.events);
    expect((a as { output: { id: string } }).output.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect((c as { output: unknown }).output).not.toEqual((a as { output: unknown }).output);
  });
});

describe("variables across scopes", () => {
  it("lets branches read outer variables, and keeps Distributed Map iterations from seeing them", async () => {
    const inner = (name: string) => ({ StartAt: name, States: { [name]: { Type: "Pass", Output: { seen: "{% $exists($outer) ? $outer : 'nothing' %}" }, End: true } } });
    const workflow = jsonata({
      Init: { Type: "Pass", Assign: { outer: "hello" }, Next: "Both" },
      Both: { Type: "Parallel", Branches: [inner("B")], Next: "Far" },
      Far: {
        Type: "Map",
        Items: [1],
        ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, ...inner("D") },
        Output: { parallel: "{% $states.input %}", distributed: "{% $states.result %}" },
        End: true,
      },
    });
    expect(await start(workflow, { at: T0, seed: 1 })).toMatchObject({
      status: "succeeded",
      output: { parallel: [{ seen: "hello" }], distributed: [{ seen: "nothing" }] },
    });
  });
});
