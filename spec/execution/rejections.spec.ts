/**
 * Commands the execution refuses: each is a CommandRejected with its code, writes no events, and
 * leaves the execution it was sent to exactly as it was (the caller keeps using it).
 */
import { describe, expect, it } from "vitest";
import { advanceTime, CommandRejected, completeTask, failTask, fireTimer, heartbeat, parse, resume, start, stopExecution, type Command, type Execution } from "../../src/index.js";
import { after, expectRejected, expectSucceeded, given, pending, T0, when } from "../support/given.js";

const INVOKE = "arn:aws:states:::lambda:invoke";
const oneTask = { StartAt: "T", States: { T: { Type: "Task", Resource: INVOKE, End: true } } };
const taskThenWait = { StartAt: "T", States: { T: { Type: "Task", Resource: INVOKE, Next: "W" }, W: { Type: "Wait", Seconds: 10, End: true } } };

/** Sends a command that is not well typed (as a host reading JSON might). */
const raw = (value: unknown): Command => value as Command;

describe("commands about tasks", () => {
  it("refuses an id no task ever had", async () => {
    const { execution } = await given(oneTask);
    const message = await expectRejected(execution, completeTask("99:task", {}, after(1)), "UNKNOWN_TASK");
    expect(message).toBe(`No pending task has the id or token "99:task" (never, or it was already answered)`);
    await expectRejected(execution, failTask("99:task", "E", undefined, after(1)), "UNKNOWN_TASK");
    await expectRejected(execution, heartbeat("99:task", after(1)), "UNKNOWN_TASK");
  });

  it("refuses a second answer to the same task", async () => {
    const answered = await when(await given(taskThenWait), completeTask("3:task", 1, after(1)));
    expect(answered.status).toBe("continue");
    await expectRejected(answered.execution, completeTask("3:task", 2, after(2)), "UNKNOWN_TASK");
    await expectRejected(answered.execution, failTask("3:task", "E", "C", after(2)), "UNKNOWN_TASK");
  });

  it("refuses a task's answer sent to the execution as it was before the task was scheduled", async () => {
    const started = await given({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 1, Next: "T" }, T: { Type: "Task", Resource: INVOKE, End: true } } });
    await expectRejected(started.execution, completeTask("4:task", 1, after(2)), "UNKNOWN_TASK");
  });

  it("refuses a command without a task id", async () => {
    const { execution } = await given(oneTask);
    const message = await expectRejected(execution, raw({ type: "CompleteTask", output: 1, at: after(1) }), "MALFORMED_COMMAND");
    expect(message).toBe("A task command needs the task's id or token");
    await expectRejected(execution, raw({ type: "CompleteTask", id: 3, output: 1, at: after(1) }), "MALFORMED_COMMAND");
    await expectRejected(execution, raw({ type: "FailTask", at: after(1) }), "MALFORMED_COMMAND");
    await expectRejected(execution, raw({ type: "Heartbeat", id: null, at: after(1) }), "MALFORMED_COMMAND");
  });

  it("refuses an output that has no JSON form", async () => {
    const { execution } = await given(oneTask);
    const cyclic: Record<string, unknown> = {};
    cyclic["self"] = cyclic;
    expect(await expectRejected(execution, completeTask("3:task", 10n, after(1)), "MALFORMED_COMMAND")).toBe("The task output is not JSON data: a bigint has no JSON form");
    expect(await expectRejected(execution, completeTask("3:task", () => 1, after(1)), "MALFORMED_COMMAND")).toBe("The task output is not JSON data: a function has no JSON form");
    await expectRejected(execution, completeTask("3:task", undefined, after(1)), "MALFORMED_COMMAND");
    await expectRejected(execution, completeTask("3:task", { nested: [1, 2n] }, after(1)), "MALFORMED_COMMAND");
    await expectRejected(execution, completeTask("3:task", cyclic, after(1)), "MALFORMED_COMMAND");
  });

  it("keeps what JSON keeps of an output that is not plain JSON data (NaN becomes null, a Date its ISO text)", async () => {
    const { execution } = await given(oneTask);
    expectSucceeded(await resume(execution, completeTask("3:task", { n: Number.NaN, i: Number.POSITIVE_INFINITY }, after(1))), { n: null, i: null });
    expectSucceeded(await resume(execution, completeTask("3:task", new Date(0), after(1))), "1970-01-01T00:00:00.000Z");
  });

  it("refuses an error or cause that is not a string", async () => {
    const { execution } = await given(oneTask);
    expect(await expectRejected(execution, raw({ type: "FailTask", id: "3:task", error: 5, at: after(1) }), "MALFORMED_COMMAND")).toBe("'error' must be a string");
    expect(await expectRejected(execution, raw({ type: "FailTask", id: "3:task", cause: { why: 1 }, at: after(1) }), "MALFORMED_COMMAND")).toBe("'cause' must be a string");
    await expectRejected(execution, raw({ type: "StopExecution", error: ["E"], at: after(1) }), "MALFORMED_COMMAND");
  });

  it("treats keys such as __proto__ and constructor in an output as plain data", async () => {
    const { execution } = await given(oneTask);
    const output = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}') as unknown;
    const step = await resume(execution, completeTask("3:task", output, after(1)));
    expect(step.status).toBe("succeeded");
    if (step.status === "succeeded") {
      expect(Object.keys(step.output as object)).toEqual(["__proto__", "constructor"]);
      expect(Object.getPrototypeOf(step.output)).toBe(Object.prototype);
      expect(JSON.stringify(step.output)).toBe('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}');
    }
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });
});

describe("commands about timers", () => {
  it("refuses a timer id that does not exist", async () => {
    const { execution } = await given({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 10, End: true } } });
    expect(await expectRejected(execution, fireTimer("nope"), "UNKNOWN_TIMER")).toBe(`No pending timer has the id "nope"`);
    await expectRejected(execution, fireTimer("3:wait"), "UNKNOWN_TIMER");
  });

  it("refuses a timer that has already fired", async () => {
    const definition = { StartAt: "W", States: { W: { Type: "Wait", Seconds: 10, Next: "X" }, X: { Type: "Wait", Seconds: 10, End: true } } };
    const fired = await when(await given(definition), fireTimer("2:wait"));
    expect(pending(fired).map((p) => p.id)).toEqual(["4:wait"]);
    await expectRejected(fired.execution, fireTimer("2:wait"), "UNKNOWN_TIMER");
  });

  it("refuses AdvanceTime without a time", async () => {
    const { execution } = await given(oneTask);
    expect(await expectRejected(execution, raw({ type: "AdvanceTime" }), "MALFORMED_COMMAND")).toBe("AdvanceTime needs 'at'");
  });
});

describe("time", () => {
  it("refuses a command dated before the execution's latest event", async () => {
    const later = await when(await given(taskThenWait), completeTask("3:task", 1, after(5)));
    expect(later.execution.time).toBe(after(5));
    const message = await expectRejected(later.execution, fireTimer("7:wait", after(4)), "TIME_WENT_BACKWARDS");
    expect(message).toBe(`'at' (${after(4)}) is before the execution's latest event (${after(5)})`);
    await expectRejected(later.execution, advanceTime(after(1)), "TIME_WENT_BACKWARDS");
    await expectRejected(later.execution, stopExecution("E", "C", T0), "TIME_WENT_BACKWARDS");
  });

  it("accepts a command dated exactly at the latest event", async () => {
    const started = await given(oneTask);
    expectSucceeded(await when(started, completeTask("3:task", "now", T0)), "now");
  });

  it("refuses a time that is not ISO 8601", async () => {
    const { execution } = await given(oneTask);
    expect(await expectRejected(execution, completeTask("3:task", 1, "yesterday"), "MALFORMED_COMMAND")).toBe(`'at' must be an ISO 8601 time with a UTC offset, such as 2024-01-01T00:00:00Z (a day and time that exist), not "yesterday"`);
    await expectRejected(execution, completeTask("3:task", 1, "1704067200000"), "MALFORMED_COMMAND");
    await expectRejected(execution, raw({ type: "AdvanceTime", at: 5 }), "MALFORMED_COMMAND");
  });

  it("normalizes a time with an offset to UTC", async () => {
    const step = await when(await given(oneTask), completeTask("3:task", 1, "2024-01-01T02:00:03+02:00"));
    expect(step.events.map((e) => e.timestamp)).toEqual([after(3), after(3), after(3)]);
  });
});

describe("malformed commands and executions", () => {
  it("refuses a command that is not an object, or of an unknown type", async () => {
    const { execution } = await given(oneTask);
    expect(await expectRejected(execution, raw(null), "MALFORMED_COMMAND")).toBe("A command must be an object");
    await expectRejected(execution, raw("CompleteTask"), "MALFORMED_COMMAND");
    expect(await expectRejected(execution, raw({ type: "Explode" }), "MALFORMED_COMMAND")).toBe(`Unknown command type "Explode"`);
    await expectRejected(execution, raw({}), "MALFORMED_COMMAND");
  });

  it("refuses anything that is not an execution this library made", async () => {
    const command = completeTask("3:task", 1, after(1));
    for (const execution of [null, undefined, {}, { format: "stepfold-execution/0" }, "execution"]) {
      let caught: unknown;
      try {
        await resume(execution as unknown as Execution, command);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(CommandRejected);
      expect((caught as CommandRejected).code).toBe("MALFORMED_EXECUTION");
    }
  });

  it("refuses an execution stored in an earlier format (other run shapes; a table of tasks; no index of tokens; runs placed by another hash)", async () => {
    const { execution } = await given(oneTask);
    for (const format of ["stepfold-execution/1", "stepfold-execution/2", "stepfold-execution/3", "stepfold-execution/4"]) {
      const earlier = { ...execution, format } as unknown as Execution;
      expect(await expectRejected(earlier, completeTask("3:task", 1, after(1)), "MALFORMED_EXECUTION")).toBe(
        `This execution was stored by an earlier version of stepfold (${format}; this one reads stepfold-execution/5): rebuild it from its event log with recover`,
      );
    }
  });

  it("names a later version's format, and says nothing of versions for what is no execution", async () => {
    const { execution } = await given(oneTask);
    const later = { ...execution, format: "stepfold-execution/12" } as unknown as Execution;
    expect(await expectRejected(later, completeTask("3:task", 1, after(1)), "MALFORMED_EXECUTION")).toBe(
      "This execution was stored by a later version of stepfold (stepfold-execution/12; this one reads stepfold-execution/5)",
    );
    for (const format of ["stepfold-execution/", "stepfold-execution/5x", "other/4", 5]) {
      const odd = { ...execution, format } as unknown as Execution;
      expect(await expectRejected(odd, completeTask("3:task", 1, after(1)), "MALFORMED_EXECUTION")).toBe("This is not an execution made by stepfold");
    }
  });

  it("refuses an execution whose fingerprint does not match its definition", async () => {
    const { execution } = await given(oneTask);
    const tampered = { ...execution, workflow: "0".repeat(64) };
    expect(await expectRejected(tampered, completeTask("3:task", 1, after(1)), "MALFORMED_EXECUTION")).toBe("The execution's definition does not match its fingerprint");
    const invalid = { ...execution, workflow: "1".repeat(64), definition: { StartAt: "Nowhere", States: {} } };
    expect(await expectRejected(invalid, completeTask("3:task", 1, after(1)), "MALFORMED_EXECUTION")).toBe("The execution's definition is not a valid state machine definition");
  });

  it("refuses every command once the execution has ended, naming how it ended", async () => {
    const done = await when(await given(oneTask), completeTask("3:task", 1, after(1)));
    expect(done.status).toBe("succeeded");
    expect(await expectRejected(done.execution, completeTask("3:task", 1, after(2)), "EXECUTION_ENDED")).toBe("The execution has already ended (SUCCEEDED)");
    await expectRejected(done.execution, advanceTime(after(2)), "EXECUTION_ENDED");
    await expectRejected(done.execution, stopExecution(undefined, undefined, after(2)), "EXECUTION_ENDED");
  });
});

describe("start", () => {
  const pass = parse({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });
  const rejected = async (options: Parameters<typeof start>[1], code: string): Promise<string> => {
    let caught: unknown;
    try {
      await start(pass, options);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CommandRejected);
    expect((caught as CommandRejected).code).toBe(code);
    return (caught as CommandRejected).message;
  };

  it("refuses an input that is not JSON data", async () => {
    expect(await rejected({ input: 1n, at: T0, seed: 1 }, "MALFORMED_COMMAND")).toBe("The input is not JSON data: a bigint has no JSON form");
    await rejected({ input: { deep: [{ n: 2n }] }, at: T0, seed: 1 }, "MALFORMED_COMMAND");
  });

  it("refuses an input larger than the payload limit", async () => {
    expect(await rejected({ input: "x".repeat(200), at: T0, seed: 1, limits: { payloadBytes: 100 } }, "INPUT_TOO_LARGE")).toBe("The input is larger than 100 bytes");
  });

  it("starts with an empty object when no input is given", async () => {
    expectSucceeded(await start(pass, { at: T0, seed: 1 }), {});
  });

  it("refuses a bad time, seed or name", async () => {
    expect(await rejected({ at: "soon", seed: 1 }, "MALFORMED_COMMAND")).toBe(`'at' must be an ISO 8601 time with a UTC offset, such as 2024-01-01T00:00:00Z (a day and time that exist), not "soon"`);
    expect(await rejected({ at: T0, seed: Number.NaN }, "MALFORMED_COMMAND")).toBe("'seed' must be an integer from 0 to 4294967295, not NaN");
    expect(await rejected({ at: T0, seed: 1, name: "x".repeat(81) }, "MALFORMED_COMMAND")).toMatch(/^'name' must be 1 to 80 characters, not "x+\.\.\."$/);
    await rejected({ at: T0, seed: 1, name: "" }, "MALFORMED_COMMAND");
  });

  it("accepts a name of 80 characters", async () => {
    const step = await start(pass, { at: T0, seed: 1, name: "x".repeat(80) });
    expect(step.execution.facts.name).toBe("x".repeat(80));
  });
});

describe("command times", () => {
  const task = { StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true } } };

  it("are kept in canonical form, whatever ISO 8601 form they come in", async () => {
    const started = await given(task);
    const answered = await when(started, completeTask("3:task", {}, "2024-01-01T01:00:05+01:00"));
    expect(answered.events.map((e) => e.timestamp)).toEqual(["2024-01-01T00:00:05.000Z", "2024-01-01T00:00:05.000Z", "2024-01-01T00:00:05.000Z"]);
  });

  it("refuse a day or time that does not exist, rather than roll it over to the next one", async () => {
    const started = await given(task);
    for (const at of ["2024-02-30T00:00:00.000Z", "2023-02-29T00:00:00Z", "2024-06-31T00:00:00Z", "2024-01-01T24:00:00Z", "2024-12-31T23:59:60Z", "2024-13-01T00:00:00Z", "2024-01-01T00:60:00Z"]) {
      expect(await expectRejected(started.execution, completeTask("3:task", {}, at), "MALFORMED_COMMAND")).toBe(`'at' must be an ISO 8601 time with a UTC offset, such as 2024-01-01T00:00:00Z (a day and time that exist), not ${JSON.stringify(at)}`);
    }
    expect((await when(started, completeTask("3:task", {}, "2024-02-29T23:59:59.999Z"))).events[0]?.timestamp).toBe("2024-02-29T23:59:59.999Z");
  });
});

describe("time zones", () => {
  const task = parse({ StartAt: "T", States: { T: { Type: "Task", Resource: INVOKE, End: true } } });

  /** Runs `work` with the process in time zone `zone` (Node reads TZ again when it is set). */
  async function inZone<T>(zone: string, work: () => Promise<T>): Promise<T> {
    const before = process.env["TZ"];
    process.env["TZ"] = zone;
    try {
      return await work();
    } finally {
      if (before === undefined) delete process.env["TZ"];
      else process.env["TZ"] = before;
    }
  }

  /** Whatever start and resume make of these times: the events, or the rejection. */
  async function outcome(startAt: string, answerAt: string): Promise<unknown> {
    try {
      const started = await start(task, { at: startAt, seed: 1 });
      const answered = await resume(started.execution, completeTask("3:task", {}, answerAt));
      return [...started.events, ...answered.events];
    } catch (error) {
      return error instanceof CommandRejected ? { code: error.code, message: error.message } : error;
    }
  }

  it("are never the machine's: the same start and resume give the same events under TZ=UTC and TZ=America/New_York", async () => {
    for (const [startAt, answerAt] of [
      ["2024-01-01T12:00:00Z", "2024-01-01T08:00:05-05:00"],
      ["2024-01-01T12:00:00", "2024-01-01T12:00:05Z"],
      ["2024-01-01T12:00:00Z", "2024-01-01T12:00:05"],
    ] as const) {
      const utc = await inZone("UTC", async () => {
        expect(new Date(2024, 0, 1).getTimezoneOffset()).toBe(0);
        return outcome(startAt, answerAt);
      });
      const newYork = await inZone("America/New_York", async () => {
        expect(new Date(2024, 0, 1).getTimezoneOffset()).toBe(300);
        return outcome(startAt, answerAt);
      });
      expect(newYork).toEqual(utc);
    }
  });

  it("refuse a time without a UTC offset, saying to add Z", async () => {
    const message = `'at' must say its UTC offset, or it would be read in the machine's time zone: add Z (UTC) or an offset such as +01:00 to "2024-01-01T12:00:00"`;
    expect(await outcome("2024-01-01T12:00:00", "2024-01-01T12:00:05Z")).toEqual({ code: "MALFORMED_COMMAND", message });
    const { execution } = await start(task, { at: T0, seed: 1 });
    expect(await expectRejected(execution, completeTask("3:task", {}, "2024-01-01T12:00:00"), "MALFORMED_COMMAND")).toBe(message);
    await expectRejected(execution, completeTask("3:task", {}, "2024-01-01T12:00"), "MALFORMED_COMMAND");
    await expectRejected(execution, advanceTime("2024-01-01"), "MALFORMED_COMMAND");
  });

  it("keep times within the years 0000 to 9999, which sort as text", async () => {
    const { execution } = await start(task, { at: T0, seed: 1 });
    expect(await expectRejected(execution, completeTask("3:task", {}, "9999-12-31T23:00:00-05:00"), "MALFORMED_COMMAND")).toBe(`'at' must fall within the years 0000 to 9999 (UTC), not "9999-12-31T23:00:00-05:00"`);
    expect((await resume(execution, completeTask("3:task", {}, "9999-12-31T23:59:59.999Z"))).execution.time).toBe("9999-12-31T23:59:59.999Z");
  });
});
