/**
 * An execution read back from storage may have been edited by hand. `resume` checks it through the
 * first time it sees it, and refuses one that does not fit (MALFORMED_EXECUTION, naming the first
 * field by its JSON pointer); it never throws an untyped error and never changes what it was given.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { advanceTime, CommandRejected, completeTask, failTask, fireTimer, resume, stopExecution, type Command, type Execution, type Step } from "../../src/index.js";
import { after, expectRejected, given, pending, whenAll } from "../support/given.js";

const INVOKE = "arn:aws:states:::lambda:invoke";
const CALLBACK = "arn:aws:states:::sqs:sendMessage.waitForTaskToken";

/** A Map of callback tasks with time-outs and heartbeats, beside a Wait and a retried task, under an execution time-out. */
const busy = {
  TimeoutSeconds: 3600,
  StartAt: "Fan",
  States: {
    Fan: {
      Type: "Parallel",
      Branches: [
        {
          StartAt: "Items",
          States: {
            Items: {
              Type: "Map",
              ItemsPath: "$.items",
              MaxConcurrency: 2,
              ItemProcessor: {
                StartAt: "Call",
                States: {
                  Call: { Type: "Task", Resource: CALLBACK, Parameters: { "token.$": "$$.Task.Token" }, TimeoutSeconds: 60, HeartbeatSeconds: 10, End: true },
                },
              },
              End: true,
            },
          },
        },
        { StartAt: "Pause", States: { Pause: { Type: "Wait", Seconds: 30, Next: "Flaky" }, Flaky: { Type: "Task", Resource: INVOKE, Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 5 }], End: true } } },
        { StartAt: "Keep", States: { Keep: { Type: "Pass", Assign: { kept: "yes" }, Next: "Solo" }, Solo: { Type: "Task", Resource: INVOKE, End: true } } },
      ],
      End: true,
    },
  },
};

/** Executions at rest in several shapes: Map iterations with tokens and timers, a Wait, a retry timer, variables. */
async function scenarios(): Promise<Step[]> {
  const started = await given(busy, { input: { items: [1, 2, 3] } });
  const tasks = pending(started).filter((p) => p.kind === "task");
  const first = tasks.find((t) => t.state === "Call");
  const waited = await whenAll(started, fireTimer(pending(started).find((p) => p.kind === "timer" && p.purpose === "wait")?.id ?? ""));
  const flaky = pending(waited).find((p) => p.kind === "task" && p.state === "Flaky");
  const retrying = await resume(waited.execution, failTask(flaky?.id ?? "", "Boom", "once", after(31)));
  const answered = await resume(retrying.execution, completeTask(first?.token ?? "", { done: 1 }, after(32)));
  return [started, retrying, answered];
}

/** The commands that fit an execution at rest: answer or fail each task, fire each timer, move time on, stop. */
function commandsFor(step: Step): Command[] {
  const commands: Command[] = [advanceTime(after(4000)), stopExecution("Stop", "by hand", after(4000))];
  for (const work of pending(step)) {
    if (work.kind === "task") commands.push(completeTask(work.id, { ok: true }, after(3000)), failTask(work.token ?? work.id, "E", "C", after(3000)));
    else commands.push(fireTimer(work.id));
  }
  return commands;
}

/** Every path to a field or item of a JSON value (the value itself excluded). */
function pathsOf(value: unknown, prefix: (string | number)[] = [], into: (string | number)[][] = []): (string | number)[][] {
  if (Array.isArray(value)) value.forEach((item, i) => (into.push([...prefix, i]), pathsOf(item, [...prefix, i], into)));
  else if (value !== null && typeof value === "object") for (const [key, item] of Object.entries(value)) into.push([...prefix, key]), pathsOf(item, [...prefix, key], into);
  return into;
}

type Edit = "delete" | "rename" | "null" | "minus" | "x" | "huge" | "array" | "object" | "true" | "fraction";
const EDITS: readonly Edit[] = ["delete", "rename", "null", "minus", "x", "huge", "array", "object", "true", "fraction"];

/** A copy of `value` with one edit at `path`. */
function edited(value: unknown, path: readonly (string | number)[], edit: Edit): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const key = path[path.length - 1] as string | number;
  const replacement: Record<Exclude<Edit, "delete" | "rename">, unknown> = { null: null, minus: -1, x: "x", huge: 1e308, array: [], object: {}, true: true, fraction: 0.5 };
  if (edit === "delete") {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else if (edit === "rename") {
    if (Array.isArray(parent)) parent.push(parent[key as number]);
    else {
      parent[`${String(key)}_`] = parent[key];
      delete parent[key];
    }
  } else {
    parent[key] = replacement[edit];
  }
  return copy;
}

/** What resume makes of an execution: a Step, or the code it was refused with (anything else fails the spec). */
async function outcomeOf(execution: unknown, command: Command): Promise<string> {
  try {
    const step = await resume(execution as Execution, command);
    return `step ${step.status}`;
  } catch (error) {
    if (!(error instanceof CommandRejected)) throw error;
    // An INTERNAL_ERROR would mean the check let through an execution that then broke stepfold.
    if (error.code === "INTERNAL_ERROR") throw error;
    return error.code;
  }
}

describe("an execution edited by hand", () => {
  it("is refused naming the first field that does not fit, and left as it was", async () => {
    const [started] = await scenarios();
    const stored = JSON.parse(JSON.stringify((started as Step).execution)) as Record<string, unknown> & { root: Record<string, unknown> };
    const command = stopExecution("Stop", undefined, after(1));
    const refused = (execution: unknown) => expectRejected(execution as Execution, command, "MALFORMED_EXECUTION");
    expect(await refused({ ...stored, lastEventId: "x" })).toBe(`The execution is malformed: /lastEventId must be an integer of at least 1 (a safe integer), not "x"`);
    expect(await refused({ ...stored, random: [1, 2, 3] })).toBe("The execution is malformed: /random must hold 4 integers, not 3");
    expect(await refused({ ...stored, limits: { historyEvents: null, payloadBytes: 1 } })).toBe("The execution is malformed: /limits/historyEvents must be an integer from 1 to 1000000000, not null");
    expect(await refused({ ...stored, time: "2024-01-01T00:00:00Z" })).toBe(`The execution is malformed: /time must be a time such as 2024-01-01T00:00:00.000Z, not "2024-01-01T00:00:00Z"`);
    expect(await refused({ ...stored, extra: 1 })).toBe("The execution is malformed: /extra is not a field stepfold knows here");
    const { facts: _facts, ...noFacts } = stored;
    expect(await refused(noFacts)).toBe("The execution is malformed: /facts is missing (it must be an object)");
    expect(await refused({ ...stored, root: { ...stored.root, state: { ...(stored.root["state"] as object), work: { kind: "none" } } } })).toMatch(
      /^The execution is malformed: \/runs\/buckets\/\d+\/\d+\/\d+\/scope run '' did not start this run as its branch 0$/,
    );
    expect(await refused({ ...stored, timers: { size: 0, buckets: [] } })).toMatch(/must name a (wait|task-timeout|heartbeat-timeout) timer of this run and state in the execution's timers$/);
    expect(await refused({ ...stored, tokens: { size: 0, buckets: [] } })).toMatch(/\/token must be in the execution's table of tokens$/);
    expect(await refused({ ...stored, runs: { ...(stored["runs"] as object), size: 99 } })).toMatch(/^The execution is malformed: \/runs\/size must be the number of entries \(\d+\), not 99$/);
  });

  it("is refused when it names a state its workflow does not have", async () => {
    const step = await given({ StartAt: "T", States: { T: { Type: "Task", Resource: INVOKE, End: true } } });
    const stored = JSON.parse(JSON.stringify(step.execution)) as Execution & { root: { state: { name: string; work: { task: { state: string } } } } };
    stored.root.state.name = "Renamed";
    stored.root.state.work.task.state = "Renamed";
    expect(await expectRejected(stored, completeTask("3:task", 1, after(1)), "MALFORMED_EXECUTION")).toBe("The execution is malformed: /root/state/name the run's scope has no state 'Renamed'");
  });

  it("is refused when its definition no longer matches its fingerprint", async () => {
    const [started] = await scenarios();
    const stored = JSON.parse(JSON.stringify((started as Step).execution)) as Execution;
    const changed = { ...stored, definition: { ...stored.definition, TimeoutSeconds: 7200 } };
    expect(await expectRejected(changed, stopExecution(undefined, undefined, after(1)), "MALFORMED_EXECUTION")).toBe("The execution's definition does not match its fingerprint");
  });

  it("is refused when it waits for nothing (a Wait state without its timer would wait for ever)", async () => {
    const step = await given({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 10, End: true } } });
    const stored = JSON.parse(JSON.stringify(step.execution)) as { root: { state: { work: unknown } }; timers: unknown };
    stored.root.state.work = { kind: "none" };
    stored.timers = { size: 0, buckets: [] };
    expect(await expectRejected(stored as unknown as Execution, advanceTime(after(20)), "MALFORMED_EXECUTION")).toBe(
      "The execution is malformed: /root/state/work state 'W' (entered by event 2) waits for nothing: its task or timer is missing",
    );
  });

  it("resumes as the live one does once it has passed the check (JSON round trip)", async () => {
    for (const step of await scenarios()) {
      for (const command of commandsFor(step)) {
        const live = await resume(step.execution, command);
        const stored = await resume(JSON.parse(JSON.stringify(step.execution)) as Execution, command);
        expect(stored.events).toEqual(live.events);
      }
    }
  });

  it("made by stepfold is sealed: frozen at its top; one given by the caller is never frozen, even by a command that writes nothing", async () => {
    const [started] = await scenarios();
    const execution = (started as Step).execution;
    expect(Object.isFrozen(execution)).toBe(true);
    expect(() => {
      (execution as { lastEventId: number }).lastEventId = 1;
    }).toThrow(TypeError);
    const stored = JSON.parse(JSON.stringify(execution)) as Execution;
    const quiet = await resume(stored, advanceTime(after(1)));
    expect(quiet.events).toEqual([]);
    expect(Object.isFrozen(stored)).toBe(false);
    expect(Object.isFrozen((await resume(stored, stopExecution(undefined, undefined, after(1)))).execution)).toBe(true);
  });

  it("handed out by stepfold cannot be changed in place; edited as a copy, it is checked through and refused", async () => {
    const [started] = await scenarios();
    const execution = (started as Step).execution as unknown as { root: { state: { work: unknown } } };
    expect(() => {
      execution.root.state.work = null;
    }).toThrow(TypeError);
    expect(Object.isFrozen(execution.root.state)).toBe(true);
    const copy = JSON.parse(JSON.stringify(execution)) as typeof execution;
    copy.root.state.work = null;
    await expectRejected(copy as unknown as Execution, stopExecution(undefined, undefined, after(1)), "MALFORMED_EXECUTION");
    expect((await resume(execution as unknown as Execution, stopExecution(undefined, undefined, after(1)))).status).toBe("aborted");
  });

  it("with any one field deleted, renamed or replaced gives a Step or a typed refusal, never another error, and is left as it was", async () => {
    const bases = (await scenarios()).map((step) => ({ execution: JSON.parse(JSON.stringify(step.execution)) as unknown, commands: commandsFor(step) }));
    const cases = bases.flatMap((base) => pathsOf(base.execution).map((path) => ({ base, path })));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...cases), fc.constantFrom(...EDITS), fc.nat(), async ({ base, path }, edit, pick) => {
        const execution = edited(base.execution, path, edit);
        const before = structuredClone(execution);
        const command = base.commands[pick % base.commands.length] as Command;
        const outcome = await outcomeOf(execution, command);
        expect(outcome).toMatch(/^(step \w+|[A-Z_]+)$/);
        expect(execution).toEqual(before);
      }),
      { numRuns: Number(process.env["FUZZ_RUNS"] ?? 400) },
    );
  }, 600_000);
});
