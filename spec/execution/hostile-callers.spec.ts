/**
 * Whatever a caller passes to `start`, `resume`, `recover` or `evolve`, the answer is a Step or a
 * typed error with a code (CommandRejected, HistoryMismatch), never a TypeError or RangeError, and
 * what the caller passed is left as it was.
 */
import { describe, expect, it } from "vitest";
import {
  CommandRejected,
  completeTask,
  evolve,
  failTask,
  HistoryMismatch,
  parse,
  recover,
  resume,
  start,
  stopExecution,
  type Command,
  type Execution,
  type HistoryEvent,
  type Workflow,
} from "../../src/index.js";
import { MAX_LIMIT } from "../../src/execution/drive.js";
import { after, expectRejected, given, T0 } from "../support/given.js";

const INVOKE = "arn:aws:states:::lambda:invoke";
const pass = parse({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });
const oneTask = { StartAt: "T", States: { T: { Type: "Task", Resource: INVOKE, End: true } } };
/** A Pass/Choice loop that never ends by itself: only the history limit stops it. */
const loop = parse({
  StartAt: "A",
  States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Choice", Choices: [{ Variable: "$.stop", IsPresent: true, Next: "Done" }], Default: "A" }, Done: { Type: "Succeed" } },
});

/** The CommandRejected a call rejects with (fails the spec for anything else). */
async function rejection(call: () => Promise<unknown>, code = "MALFORMED_COMMAND"): Promise<string> {
  let caught: unknown;
  try {
    await call();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(CommandRejected);
  expect((caught as CommandRejected).code).toBe(code);
  return (caught as CommandRejected).message;
}

const startWith = (options: unknown) => () => start(pass, options as Parameters<typeof start>[1]);

describe("start: limits", () => {
  it("refuses a limit that is not a whole number from 1 to MAX_LIMIT, at once (NaN and Infinity made a loop run for ever)", async () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, -1, 0, 1.5, "abc", "100", null, MAX_LIMIT + 1, 2 ** 53, {}]) {
      for (const name of ["historyEvents", "payloadBytes"]) {
        const message = await rejection(() => start(loop, { at: T0, seed: 1, limits: { [name]: bad } as never }));
        expect(message).toMatch(new RegExp(`^'limits\\.${name}' must be an integer from 1 to 1000000000, not `));
      }
    }
  });

  it("refuses a limit it does not know, and limits that are not an object", async () => {
    expect(await rejection(startWith({ at: T0, seed: 1, limits: { historyEvent: 10 } }))).toBe(`'limits' has no limit named "historyEvent" (there are payloadBytes and historyEvents)`);
    expect(await rejection(startWith({ at: T0, seed: 1, limits: 5 }))).toBe("'limits' must be an object, not 5");
    await rejection(startWith({ at: T0, seed: 1, limits: [] }));
  });

  it("keeps the defaults for limits left out (or undefined), and takes MAX_LIMIT", async () => {
    const step = await start(pass, { at: T0, seed: 1, limits: { historyEvents: undefined, payloadBytes: MAX_LIMIT } });
    expect(step.execution.limits).toEqual({ historyEvents: 25_000, payloadBytes: MAX_LIMIT });
    expect((await start(pass, { at: T0, seed: 1, limits: {} })).execution.limits).toEqual({ historyEvents: 25_000, payloadBytes: 262_144 });
  });
});

describe("start: seeds", () => {
  it("refuses a seed that is not an integer from 0 to 2³² − 1 (1, 1.5 and 2³² + 1 were the same seed)", async () => {
    for (const seed of [1.5, -1, 2 ** 32, 2 ** 32 + 1, Number.NaN, Number.POSITIVE_INFINITY, "1", null]) {
      expect(await rejection(startWith({ at: T0, seed }))).toMatch(/^'seed' must be an integer from 0 to 4294967295, not /);
    }
  });

  it("takes every seed in range, each its own", async () => {
    const names = new Set<string>();
    for (const seed of [0, 1, 2, 2 ** 31, 2 ** 32 - 1]) names.add((await start(pass, { at: T0, seed })).execution.facts.name);
    expect(names.size).toBe(5);
    expect((await start(pass, { at: T0, seed: -0 })).events[0]).toMatchObject({ seed: 0 });
  });

  it("draws a seed in range when none is given", async () => {
    for (let i = 0; i < 20; i++) {
      const { seed } = (await start(pass, { at: T0 })).events[0] as Extract<HistoryEvent, { type: "ExecutionStarted" }>;
      expect(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32).toBe(true);
    }
  });
});

describe("start: names, ARNs and types", () => {
  // Surrogates are refused whole, as the rule says: a character outside the Basic Multilingual Plane too.
  it("refuses a name AWS's StartExecution refuses", async () => {
    const bad = ["", "x".repeat(81), "a b", "tab\there", "new\nline", "nbsp\u00a0", "a<b", "a>b", "a{b", "a}b", "a[b", "a]b", "a?b", "a*b", 'a"b', "a#b", "a%b", "a\\b", "a^b", "a|b", "a~b", "a`b", "a$b", "a&b", "a,b", "a;b", "a:b", "a/b", "nul\u0000", "del\u007f", "c1\u0085", "lone\ud800", "\ufffe", "\uffff", "emoji-😀", 7, null, {}];
    for (const name of bad) expect(await rejection(startWith({ at: T0, seed: 1, name }))).toMatch(/^'name' must/);
  });

  it("accepts names AWS accepts", async () => {
    for (const name of ["x".repeat(80), "order-17_retry.2", "é-ü-名前", "(parens)!@+='"]) {
      expect((await start(pass, { at: T0, seed: 1, name })).execution.facts.name).toBe(name);
    }
  });

  it("refuses ARNs and types of the wrong kind", async () => {
    expect(await rejection(startWith({ at: T0, seed: 1, stateMachineArn: 5 }))).toBe("'stateMachineArn' must be an ARN of 1 to 2,048 characters, not 5");
    expect(await rejection(startWith({ at: T0, seed: 1, roleArn: {} }))).toBe("'roleArn' must be an ARN of 1 to 2,048 characters, not an object");
    await rejection(startWith({ at: T0, seed: 1, stateMachineArn: "" }));
    expect(await rejection(startWith({ at: T0, seed: 1, type: "X" }))).toBe(`'type' must be "STANDARD" or "EXPRESS", not "X"`);
  });
});

describe("start: values that are not what they seem", () => {
  it("refuses a workflow that parse did not make", async () => {
    for (const workflow of [null, undefined, {}, [], "workflow", 5, { definition: pass.definition }, { ...pass, definition: { StartAt: "Nowhere", States: {} } }]) {
      expect(await rejection(() => start(workflow as Workflow, { at: T0, seed: 1 }))).toBe("The workflow is not a Workflow made by parse");
    }
  });

  it("runs a workflow's own definition, never compiled parts changed after parse", async () => {
    const tampered = { ...pass, states: new Map(), root: { startAt: "Nowhere", states: new Map() } };
    const step = await start(tampered as unknown as Workflow, { at: T0, seed: 1, input: { a: 1 } });
    expect(step).toMatchObject({ status: "succeeded", output: { a: 1 } });
  });

  it("refuses options that are not an object", async () => {
    for (const options of [null, 5, "options", []]) expect(await rejection(startWith(options))).toMatch(/^The options must be an object, not /);
  });

  it("refuses options whose getters throw, and Proxies that throw, and reads each field once", async () => {
    const throwing = Object.defineProperty({ seed: 1 }, "at", {
      get() {
        throw new TypeError("no time for you");
      },
      enumerable: true,
    });
    expect(await rejection(startWith(throwing))).toBe("The options cannot be read: no time for you");
    const proxy = new Proxy({}, { get: () => { throw new RangeError("trap"); } }); // prettier-ignore
    expect(await rejection(startWith(proxy))).toBe("The options cannot be read: trap");
    const limits = new Proxy({}, { ownKeys: () => { throw new Error("keys"); } }); // prettier-ignore
    expect(await rejection(startWith({ at: T0, seed: 1, limits }))).toBe("The options cannot be read: keys");
    let reads = 0;
    const shifty = Object.defineProperty({ seed: 1 }, "at", {
      get: () => (reads++ === 0 ? T0 : "not a time"),
      enumerable: true,
    });
    expect((await start(pass, shifty as never)).events[0]?.timestamp).toBe(T0);
    expect(reads).toBe(1);
  });

  it("refuses an input that cannot be read as JSON (a toJSON or getter that throws, a Proxy), and leaves the input as it was", async () => {
    const toJSON = { toJSON: () => { throw new Error("nope"); } }; // prettier-ignore
    expect(await rejection(startWith({ at: T0, seed: 1, input: toJSON }))).toMatch(/^The input is not JSON data: /);
    const proxy = new Proxy({ a: 1 }, { ownKeys: () => { throw new Error("keys"); } }); // prettier-ignore
    expect(await rejection(startWith({ at: T0, seed: 1, input: proxy }))).toMatch(/^The input is not JSON data: /);
    const input = { keep: [1, { deep: true }] };
    const before = structuredClone(input);
    await start(pass, { at: T0, seed: 1, input });
    expect(input).toEqual(before);
  });
});

describe("commands: fields", () => {
  it("refuses an error longer than 256 characters and a cause longer than 32,768 (AWS's limits), in FailTask and StopExecution", async () => {
    const { execution } = await given(oneTask);
    const long = { error: "E".repeat(257), cause: "C".repeat(32_769) };
    expect(await expectRejected(execution, failTask("3:task", long.error, undefined, after(1)), "MALFORMED_COMMAND")).toBe("'error' must be at most 256 characters, not 257");
    expect(await expectRejected(execution, failTask("3:task", "E", long.cause, after(1)), "MALFORMED_COMMAND")).toBe("'cause' must be at most 32768 characters, not 32769");
    await expectRejected(execution, stopExecution(long.error, undefined, after(1)), "MALFORMED_COMMAND");
    await expectRejected(execution, stopExecution(undefined, long.cause, after(1)), "MALFORMED_COMMAND");
    const atTheLimit = await resume(execution, failTask("3:task", "E".repeat(256), "C".repeat(32_768), after(1)));
    expect(atTheLimit).toMatchObject({ status: "failed", error: "E".repeat(256), cause: "C".repeat(32_768) });
  });

  it("refuses a command whose getters throw or that is a Proxy, and an output whose toJSON throws", async () => {
    const { execution } = await given(oneTask);
    const getter = Object.defineProperty({ type: "CompleteTask", output: 1 }, "id", {
      get() {
        throw new TypeError("boom");
      },
      enumerable: true,
    });
    expect(await expectRejected(execution, getter as Command, "MALFORMED_COMMAND")).toBe("The command cannot be read: boom");
    const proxy = new Proxy({}, { get: () => { throw new Error("trap"); } }); // prettier-ignore
    expect(await expectRejected(execution, proxy as Command, "MALFORMED_COMMAND")).toBe("The command cannot be read: trap");
    const output = { toJSON: () => { throw new Error("no JSON"); } }; // prettier-ignore
    expect(await expectRejected(execution, completeTask("3:task", output, after(1)), "MALFORMED_COMMAND")).toMatch(/^The task output is not JSON data: /);
  });
});

describe("recover and evolve: values that are not what they seem", () => {
  it("refuse a workflow parse did not make, and a log that is not a list, with HistoryMismatch codes", async () => {
    const { events } = await given(oneTask);
    for (const workflow of [null, {}, "wf", { definition: {} }]) {
      expect(() => recover(workflow as unknown as Workflow, events)).toThrow(expect.objectContaining({ name: "HistoryMismatch", eventId: 0, code: "NOT_A_WORKFLOW" }));
    }
    for (const log of [null, undefined, {}, "log", []]) {
      expect(() => recover(parse(oneTask), log as unknown as HistoryEvent[])).toThrow(expect.objectContaining({ eventId: 0, code: "MALFORMED_EVENT" }));
    }
  });

  it("evolve refuses a malformed event or execution with a HistoryMismatch, and changes neither", async () => {
    const started = await given(oneTask);
    const event = { id: 5, previousEventId: 4, timestamp: after(1), type: "TaskSucceeded", taskId: "3:task", taskSucceededEventDetails: {} };
    const before = structuredClone(started.execution);
    const caught = (call: () => unknown): HistoryMismatch => {
      try {
        call();
      } catch (error) {
        expect(error).toBeInstanceOf(HistoryMismatch);
        return error as HistoryMismatch;
      }
      throw new Error("evolve accepted it");
    };
    expect(caught(() => evolve(started.execution, event as unknown as HistoryEvent))).toMatchObject({ eventId: 5, code: "MALFORMED_EVENT", reason: "/taskSucceededEventDetails/output is missing (it must be JSON data)" });
    expect(caught(() => evolve(started.execution, null as unknown as HistoryEvent))).toMatchObject({ eventId: 0, code: "MALFORMED_EVENT" });
    const edited = { ...started.execution, lastEventId: "x" } as unknown as Execution;
    const fine = { ...event, taskSucceededEventDetails: { output: 1 } } as unknown as HistoryEvent;
    expect(caught(() => evolve(edited, fine))).toMatchObject({ code: "MALFORMED_EXECUTION", reason: `the execution is malformed: /lastEventId must be an integer of at least 1 (a safe integer), not "x"` });
    expect(caught(() => evolve(started.execution, { ...fine, id: 9 } as HistoryEvent))).toMatchObject({ code: "MALFORMED_EVENT" });
    expect(started.execution).toEqual(before);
    expect(evolve(started.execution, fine).lastEventId).toBe(5);
    expect(started.execution).toEqual(before);
  });

  it("a revoked Proxy anywhere is a typed error, never the TypeError it throws on every touch", async () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const started = await given(oneTask);
    const typed = async (call: () => unknown): Promise<string> => {
      try {
        await call();
      } catch (error) {
        expect(error instanceof CommandRejected || error instanceof HistoryMismatch).toBe(true);
        return (error as CommandRejected | HistoryMismatch).code;
      }
      throw new Error("accepted a revoked Proxy");
    };
    expect(await typed(() => start(proxy as Workflow, { at: T0, seed: 1 }))).toBe("MALFORMED_COMMAND");
    expect(await typed(() => start(pass, proxy as never))).toBe("MALFORMED_COMMAND");
    expect(await typed(() => start(pass, { at: T0, seed: 1, input: proxy }))).toBe("MALFORMED_COMMAND");
    expect(await typed(() => start(pass, { at: T0, seed: 1, limits: proxy as never }))).toBe("MALFORMED_COMMAND");
    expect(await typed(() => resume(proxy as Execution, completeTask("3:task", 1, after(1))))).toBe("MALFORMED_EXECUTION");
    expect(await typed(() => resume(started.execution, proxy as Command))).toBe("MALFORMED_COMMAND");
    expect(await typed(() => resume(started.execution, completeTask("3:task", proxy, after(1))))).toBe("MALFORMED_COMMAND");
    expect(await typed(() => recover(proxy as Workflow, started.events))).toBe("NOT_A_WORKFLOW");
    expect(await typed(() => recover(parse(oneTask), proxy as HistoryEvent[]))).toBe("MALFORMED_EVENT");
    expect(await typed(() => recover(parse(oneTask), [started.events[0], proxy] as HistoryEvent[]))).toBe("MALFORMED_EVENT");
    expect(await typed(() => evolve(started.execution, proxy as HistoryEvent))).toBe("MALFORMED_EVENT");
    expect(await typed(() => evolve(proxy as Execution, started.events[1] as HistoryEvent))).toBe("MALFORMED_EXECUTION");
  });
});
