import { afterEach, describe, expect, it, vi } from "vitest";
import { advanceTime, completeTask, failTask, fireTimer, heartbeat, parse, resume, start, stopExecution, type Step } from "../../src/index.js";

const NOW = "2026-11-21T12:00:00.000Z";
const T0 = "2024-01-01T00:00:00.000Z";

describe("start: the one entry point that may read the clock", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it("reads the clock and draws a seed when they are left out, and records both", async () => {
    vi.useFakeTimers({ now: new Date(NOW) });
    vi.spyOn(Math, "random").mockReturnValue(0.25);
    const step = await start(parse({ StartAt: "P", States: { P: { Type: "Pass", End: true } } }));
    expect(step.events[0]).toMatchObject({ type: "ExecutionStarted", timestamp: NOW, seed: 2 ** 30 });
  });
});

describe("command constructors read no clock", () => {
  it("leave `at` out unless it is given", () => {
    vi.useFakeTimers({ now: new Date(NOW) });
    expect(completeTask("t", { ok: true })).toEqual({ type: "CompleteTask", id: "t", output: { ok: true } });
    expect(failTask("t")).toEqual({ type: "FailTask", id: "t" });
    expect(failTask("t", "E", "c", "2020-01-01T00:00:00Z")).toEqual({ type: "FailTask", id: "t", error: "E", cause: "c", at: "2020-01-01T00:00:00Z" });
    expect(heartbeat("t")).toEqual({ type: "Heartbeat", id: "t" });
    expect(stopExecution()).toEqual({ type: "StopExecution" });
    expect(fireTimer("3:wait")).toEqual({ type: "FireTimer", id: "3:wait" });
    expect(fireTimer("3:wait", NOW)).toEqual({ type: "FireTimer", id: "3:wait", at: NOW });
    expect(advanceTime("2030-01-01T00:00:00Z")).toEqual({ type: "AdvanceTime", at: "2030-01-01T00:00:00Z" });
    vi.useRealTimers();
  });

  it("so the first loop a host writes (fail a task, fire its retry timer, complete it) runs on virtual time and is never refused", async () => {
    const workflow = parse({
      StartAt: "T",
      States: { T: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 3 }], End: true } },
    });
    let step: Step = await start(workflow, { at: T0, seed: 1 });
    const times: string[] = [];
    for (const command of ["fail", "fire", "complete"] as const) {
      if (step.status !== "continue") throw new Error("the execution should wait");
      const [work] = step.pending;
      if (work === undefined) throw new Error("something should be pending");
      step = await resume(step.execution, command === "fail" ? failTask(work.id, "Boom") : command === "fire" ? fireTimer(work.id) : completeTask(work.id, { done: true }));
      times.push(step.events[0]?.timestamp ?? "");
    }
    expect(step).toMatchObject({ status: "succeeded", output: { done: true } });
    // The failure happens when the execution last moved; the retry when its timer is due, and the answer then.
    expect(times).toEqual([T0, "2024-01-01T00:00:03.000Z", "2024-01-01T00:00:03.000Z"]);
  });
});
