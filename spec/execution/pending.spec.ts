/**
 * What a Step says of the work the host owes: the whole list (`pending`, a read-only view) and what
 * the step changed (`added`, `removed`).
 */
import { describe, expect, it } from "vitest";
import { completeTask, failTask, heartbeat, parse, resume, start, stopExecution, type Step } from "../../src/index.js";

const T0 = "2024-01-01T00:00:00.000Z";
const INVOKE = "arn:aws:states:::lambda:invoke";

const taskMap = (extra: Record<string, unknown> = {}) =>
  parse({
    StartAt: "M",
    States: { M: { Type: "Map", ItemsPath: "$.items", ItemProcessor: { StartAt: "T", States: { T: { Type: "Task", Resource: INVOKE, ...extra, End: true } } }, End: true } },
  });

const begin = async (tasks: number, extra: Record<string, unknown> = {}): Promise<Extract<Step, { status: "continue" }>> => {
  const step = await start(taskMap(extra), { input: { items: Array.from({ length: tasks }, (_, i) => i) }, at: T0, seed: 1 });
  if (step.status !== "continue") throw new Error(`expected the Map to wait, not ${step.status}`);
  return step;
};

const ids = (items: readonly { id: string }[]): string[] => items.map((item) => item.id);

describe("added and removed", () => {
  it("start adds all the work it makes; each answer removes its task; the end removes the rest", async () => {
    const first = await begin(3);
    expect(ids(first.added)).toEqual(["3.0/8:task", "3.1/11:task", "3.2/14:task"]);
    expect(first.added).toEqual([...first.pending]);
    expect(first.removed).toEqual([]);
    const second = await resume(first.execution, completeTask("3.1/11:task", 1));
    expect(second).toMatchObject({ status: "continue", added: [], removed: ["3.1/11:task"] });
    const stopped = await resume(second.execution, stopExecution("Stop"));
    expect(stopped.status).toBe("aborted");
    expect([...stopped.removed].sort()).toEqual(["3.0/8:task", "3.2/14:task"]);
    expect(stopped.added).toEqual([]);
  });

  it("a heartbeat replaces the task's heartbeat timer; a failure with a retry adds the retry timer", async () => {
    const first = await begin(1, { HeartbeatSeconds: 10, Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 2 }] });
    expect(first.added.map((work) => `${work.kind} ${work.id}`)).toEqual(["task 3.0/6:task", "timer 3.0/6:task:heartbeat"]);
    const beat = await resume(first.execution, heartbeat("3.0/6:task", "2024-01-01T00:00:05Z"));
    expect(beat).toMatchObject({ added: [{ kind: "timer", id: "8:heartbeat", until: "2024-01-01T00:00:15.000Z" }], removed: ["3.0/6:task:heartbeat"] });
    const failed = await resume(beat.execution, failTask("3.0/6:task", "Boom"));
    expect(failed).toMatchObject({ added: [{ kind: "timer", id: "9:retry", purpose: "retry" }] });
    expect([...failed.removed].sort()).toEqual(["3.0/6:task", "8:heartbeat"]);
  });

  it("a step that writes nothing changes nothing", async () => {
    const first = await begin(1);
    const same = await resume(first.execution, heartbeat("3.0/6:task"));
    expect(same).toMatchObject({ events: [], added: [], removed: [] });
  });
});

describe("the pending view", () => {
  it("reads like a frozen array: items, length, iteration, helpers and JSON agree", async () => {
    const step = await begin(4);
    const list = JSON.parse(JSON.stringify(step.pending)) as { id: string }[];
    expect(ids(list)).toEqual(["3.0/9:task", "3.1/12:task", "3.2/15:task", "3.3/18:task"]);
    expect(Array.isArray(step.pending)).toBe(true);
    expect(step.pending.length).toBe(4);
    expect(step.pending[2]).toEqual(list[2]);
    expect(step.pending[4]).toBeUndefined();
    expect(ids([...step.pending])).toEqual(ids(list));
    expect(step.pending.map((work) => work.id)).toEqual(ids(list));
    expect(step.pending.find((work) => work.id === "3.3/18:task")).toEqual(list[3]);
    expect(step.pending).toEqual(list);
    expect(Object.keys(step.pending)).toEqual(["0", "1", "2", "3"]);
  });

  it("cannot be changed, nor can its items", async () => {
    const step = await begin(2);
    expect(() => (step.pending as unknown[]).push({})).toThrow(TypeError);
    expect(() => {
      (step.pending as unknown[])[0] = {};
    }).toThrow(TypeError);
    expect(() => {
      (step.pending[0] as { id: string }).id = "x";
    }).toThrow(TypeError);
    expect(step.pending[0]?.id).toBe("3.0/7:task");
  });

  it("reads its own step's work after later steps moved the execution on", async () => {
    const first = await begin(300);
    const all = ids(first.added);
    let step: Step = first;
    const steps: Extract<Step, { status: "continue" }>[] = [];
    while (step.status === "continue") {
      steps.push(step);
      const next = step.pending[0];
      if (next === undefined) throw new Error("work should be pending");
      step = await resume(step.execution, completeTask(next.id, 0));
    }
    expect(step.status).toBe("succeeded");
    // Every step, read again afterwards, still lists what it had (300 - k items, the first being task k).
    for (const [k, earlier] of steps.entries()) {
      expect(earlier.pending.length).toBe(300 - k);
      expect(earlier.pending[0]?.id).toBe(all[k]);
      expect(earlier.pending[299 - k]?.id).toBe(all[299]);
    }
  });
});
