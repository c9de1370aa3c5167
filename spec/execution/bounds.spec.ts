/**
 * Values at and past the bounds AWS sets: durations, retry backoff, nesting depth. Each fails the
 * state or the definition with a typed, AWS-shaped error; none throws out of `start` or `resume`.
 */
import { describe, expect, it } from "vitest";
import { completeTask, failTask, parse, resume, start, validate, type Step } from "../../src/index.js";

const T0 = "2024-01-01T00:00:00.000Z";
const TASK = "arn:aws:states:::lambda:invoke";

const startAt = (definition: Record<string, unknown>, input: unknown = {}): Promise<Step> => start(parse(definition), { input, at: T0, seed: 1 });

function waiting(step: Step): Extract<Step, { status: "continue" }> {
  if (step.status !== "continue") throw new Error(`expected the execution to wait, but it is ${step.status}`);
  return step;
}

const nested = (depth: number): unknown => JSON.parse(`${"[".repeat(depth)}${"]".repeat(depth)}`);

describe("task durations", () => {
  it.each(["TimeoutSecondsPath", "HeartbeatSecondsPath"])("%s past 99,999,999 fails the state with States.Runtime", async (field) => {
    for (const seconds of [1e13, 100_000_000]) {
      const step = await startAt({ StartAt: "T", States: { T: { Type: "Task", Resource: TASK, [field]: "$.t", End: true } } }, { t: seconds });
      expect(step).toMatchObject({
        status: "failed",
        error: "States.Runtime",
        cause: expect.stringContaining(`The ${field.replace("Path", "")}Path field refers to value ${seconds} which is greater than the maximum of 99999999: $.t`),
      });
    }
    const edge = await startAt({ StartAt: "T", States: { T: { Type: "Task", Resource: TASK, [field]: "$.t", End: true } } }, { t: 99_999_999 });
    expect(edge.status).toBe("continue");
  });

  it("a JSONata TimeoutSeconds past 99,999,999 fails the state with States.QueryEvaluationError", async () => {
    const step = await startAt({ QueryLanguage: "JSONata", StartAt: "T", States: { T: { Type: "Task", Resource: TASK, TimeoutSeconds: "{% 1e13 %}", End: true } } });
    expect(step).toMatchObject({
      status: "failed",
      error: "States.QueryEvaluationError",
      cause: expect.stringContaining("The JSONata expression '1e13' specified for the field 'TimeoutSeconds' returned 10000000000000, which is not an integer from 1 to 99999999."),
    });
  });

  it("a duration read from a task's output fails the next state instead of making the answer throw", async () => {
    const started = waiting(
      await startAt({
        StartAt: "A",
        States: { A: { Type: "Task", Resource: TASK, Next: "B" }, B: { Type: "Task", Resource: TASK, TimeoutSecondsPath: "$.t", End: true } },
      }),
    );
    const task = started.pending[0] as { id: string };
    const done = await resume(started.execution, completeTask(task.id, { t: 1e13 }, T0));
    expect(done).toMatchObject({ status: "failed", error: "States.Runtime" });
  });
});

describe("retry backoff", () => {
  it("an ordinary retrier keeps retrying past the point where the backoff would leave the date range", async () => {
    const definition = {
      StartAt: "T",
      States: { T: { Type: "Task", Resource: TASK, Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 100 }], End: true } },
    };
    let step = waiting(await startAt(definition));
    for (let failure = 1; failure <= 60; failure++) {
      const task = step.pending.find((item) => item.kind === "task") as { id: string };
      step = waiting(await resume(step.execution, failTask(task.id, "Boom", undefined, step.execution.time)));
      const timer = step.pending.find((item) => item.kind === "timer") as { id: string; until: string };
      const delay = (Date.parse(timer.until) - Date.parse(step.execution.time)) / 1000;
      expect(delay).toBe(Math.min(2 ** (failure - 1), 31_622_400));
      step = waiting(await resume(step.execution, { type: "FireTimer", id: timer.id }));
    }
  });

  it("BackoffRate 1e308 is valid, as on AWS, and its second retry waits the largest interval", async () => {
    const definition = {
      StartAt: "T",
      States: { T: { Type: "Task", Resource: TASK, Retry: [{ ErrorEquals: ["States.ALL"], BackoffRate: 1e308, MaxAttempts: 3 }], End: true } },
    };
    expect(validate(definition)).toEqual([]);
    let step = waiting(await startAt(definition));
    const delays: number[] = [];
    for (let failure = 0; failure < 3; failure++) {
      const task = step.pending.find((item) => item.kind === "task") as { id: string };
      step = waiting(await resume(step.execution, failTask(task.id, "Boom", undefined, step.execution.time)));
      const timer = step.pending.find((item) => item.kind === "timer") as { id: string; until: string };
      delays.push((Date.parse(timer.until) - Date.parse(step.execution.time)) / 1000);
      step = waiting(await resume(step.execution, { type: "FireTimer", id: timer.id }));
    }
    expect(delays).toEqual([1, 31_622_400, 31_622_400]);
  });

  it("AWS's bounds on retrier fields are checked when the definition is read", () => {
    const retry = (fields: Record<string, unknown>) =>
      validate({ StartAt: "T", States: { T: { Type: "Task", Resource: TASK, Retry: [{ ErrorEquals: ["States.ALL"], ...fields }], End: true } } });
    for (const fields of [{ IntervalSeconds: 0 }, { IntervalSeconds: 100_000_000 }, { MaxAttempts: -1 }, { MaxAttempts: 100_000_000 }, { BackoffRate: 0.5 }, { MaxDelaySeconds: 0 }, { MaxDelaySeconds: 31_622_401 }]) {
      expect(retry(fields)).toEqual([expect.objectContaining({ code: "SCHEMA_VALIDATION_FAILED" })]);
    }
    expect(retry({ IntervalSeconds: 99_999_999, MaxAttempts: 99_999_999, MaxDelaySeconds: 31_622_400, BackoffRate: 1 })).toEqual([]);
  });
});

describe("times past year 9999", () => {
  it("a wait until the last minute of year 9999 in a negative offset is set to the last time an event can name", async () => {
    const step = waiting(await startAt({ StartAt: "W", States: { W: { Type: "Wait", TimestampPath: "$.t", End: true } } }, { t: "9999-12-31T23:59:59-23:59" }));
    expect(step.pending).toEqual([expect.objectContaining({ kind: "timer", until: "9999-12-31T23:59:59.999Z" })]);
  });
});

describe("nesting depth", () => {
  it("a definition nested deeper than 1,000 levels is refused, as text and as an object", () => {
    const text = `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":${"[".repeat(100_000)}${"]".repeat(100_000)},"End":true}}}`;
    expect(validate(text)).toEqual([{ code: "INVALID_JSON_DESCRIPTION", pointer: "", message: "The definition is not JSON data: it is cyclic or nested too deeply" }]);
    expect(() => parse(text)).toThrow(expect.objectContaining({ name: "DefinitionError" }));
    expect(validate({ StartAt: "P", States: { P: { Type: "Pass", Result: nested(2000), End: true } } })).toHaveLength(1);
    expect(validate({ StartAt: "P", States: { P: { Type: "Pass", Result: nested(990), End: true } } })).toEqual([]);
  });

  it("States.StringToJson of text nested deeper than 1,000 levels fails the state with States.IntrinsicFailure", async () => {
    const definition = { StartAt: "P", States: { P: { Type: "Pass", Parameters: { "v.$": "States.StringToJson($.s)" }, End: true } } };
    const deep = await startAt(definition, { s: `${"[".repeat(100_000)}${"]".repeat(100_000)}` });
    expect(deep).toMatchObject({ status: "failed", error: "States.IntrinsicFailure", cause: expect.stringContaining("nested deeper than 1000 levels") });
    expect(() => JSON.stringify(deep.execution)).not.toThrow();
    expect(await startAt(definition, { s: `${"[".repeat(900)}${"]".repeat(900)}` })).toMatchObject({ status: "succeeded" });
  });

  it("$parse of text nested deeper than 1,000 levels fails the state with States.QueryEvaluationError", async () => {
    const definition = { QueryLanguage: "JSONata", StartAt: "P", States: { P: { Type: "Pass", Output: "{% $parse($states.input.s) %}", End: true } } };
    const deep = await startAt(definition, { s: `${"[".repeat(100_000)}${"]".repeat(100_000)}` });
    expect(deep).toMatchObject({ status: "failed", error: "States.QueryEvaluationError", cause: expect.stringContaining("nested deeper than 1000 levels") });
    expect(() => JSON.stringify(deep.execution)).not.toThrow();
  });

  it("a state output that grows deeper than 1,000 levels fails the state with States.DataLimitExceeded", async () => {
    const path = `$${".a".repeat(1200)}`;
    const step = await startAt({ StartAt: "P", States: { P: { Type: "Pass", Result: 1, ResultPath: path, End: true } } });
    expect(step).toMatchObject({ status: "failed", error: "States.DataLimitExceeded", cause: "The state/task 'P' returned a result nested deeper than 1000 levels." });
  });
});

describe("definitions that are not plain data", () => {
  const plain = { StartAt: "P", States: { P: { Type: "Succeed" } } };
  it.each([
    ["an object whose prototype is a Date", () => Object.setPrototypeOf({ ...plain }, Date.prototype)],
    ["a toJSON that throws", () => ({ ...plain, toJSON: () => { throw new Error("boom"); } })],
    ["a getter that throws", () => Object.defineProperty({ ...plain }, "StartAt", { enumerable: true, get: () => { throw new Error("boom"); } })],
    ["a Proxy that throws", () => new Proxy(plain, { ownKeys: () => { throw new Error("boom"); } })],
  ])("%s: validate lists a problem and parse throws DefinitionError", (_, make) => {
    expect(validate(make())).toEqual([expect.objectContaining({ code: "INVALID_JSON_DESCRIPTION" })]);
    expect(() => parse(make())).toThrow(expect.objectContaining({ name: "DefinitionError" }));
  });
});

describe("error and cause lengths", () => {
  it("a Fail state's error and cause are cut to AWS's 256 and 32,768 characters", async () => {
    const step = await startAt({ StartAt: "F", States: { F: { Type: "Fail", ErrorPath: "$.e", CausePath: "$.c" } } }, { e: "E".repeat(1000), c: "C".repeat(100_000) });
    expect(step).toMatchObject({ status: "failed", error: "E".repeat(256), cause: "C".repeat(32_768) });
    const edge = await startAt({ StartAt: "F", States: { F: { Type: "Fail", ErrorPath: "$.e", CausePath: "$.c" } } }, { e: "E".repeat(256), c: "C".repeat(32_768) });
    expect(edge).toMatchObject({ status: "failed", error: "E".repeat(256), cause: "C".repeat(32_768) });
  });
});
