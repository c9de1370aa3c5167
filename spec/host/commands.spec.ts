import { afterEach, describe, expect, it, vi } from "vitest";
import { advanceTime, completeTask, failTask, fireTimer, heartbeat, parse, start, stopExecution } from "../../src/index.js";

const NOW = "2026-11-21T12:00:00.000Z";

describe("command constructors and start: the entry points that may read the clock", () => {
  afterEach(() => vi.useRealTimers());

  it("fill in the current time when none is given, and keep the one given", () => {
    vi.useFakeTimers({ now: new Date(NOW) });
    expect(completeTask("t", { ok: true })).toEqual({ type: "CompleteTask", id: "t", output: { ok: true }, at: NOW });
    expect(failTask("t")).toEqual({ type: "FailTask", id: "t", at: NOW });
    expect(failTask("t", "E", "c", "2020-01-01T00:00:00Z")).toEqual({ type: "FailTask", id: "t", error: "E", cause: "c", at: "2020-01-01T00:00:00Z" });
    expect(heartbeat("t")).toEqual({ type: "Heartbeat", id: "t", at: NOW });
    expect(stopExecution()).toEqual({ type: "StopExecution", at: NOW });
    expect(advanceTime("2030-01-01T00:00:00Z")).toEqual({ type: "AdvanceTime", at: "2030-01-01T00:00:00Z" });
  });

  it("fire a timer at its own time when no time is given", () => {
    expect(fireTimer("3:wait")).toEqual({ type: "FireTimer", id: "3:wait" });
    expect(fireTimer("3:wait", NOW)).toEqual({ type: "FireTimer", id: "3:wait", at: NOW });
  });

  it("start reads the clock and draws a seed when they are left out, and records both", async () => {
    vi.useFakeTimers({ now: new Date(NOW) });
    vi.spyOn(Math, "random").mockReturnValue(0.25);
    const step = await start(parse({ StartAt: "P", States: { P: { Type: "Pass", End: true } } }));
    expect(step.events[0]).toMatchObject({ type: "ExecutionStarted", timestamp: NOW, seed: 2 ** 30 });
    vi.restoreAllMocks();
  });
});
