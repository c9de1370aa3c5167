/**
 * Wait states and the host's clock: every timer is pending work with an exact `until`; fireTimer
 * fires one, advanceTime fires all that are due, one at a time and each at its own time.
 */
import { describe, expect, it } from "vitest";
import { advanceTime, fireTimer } from "../../src/index.js";
import { after, briefs, chain, eventOf, expectFailed, expectSucceeded, given, located, pending, T0, timers, types, when } from "../support/given.js";

const wait = (fields: Record<string, unknown>, input?: unknown) => given({ StartAt: "W", States: { W: { Type: "Wait", End: true, ...fields } } }, input === undefined ? {} : { input });

describe("Wait with Seconds", () => {
  it("records its timer in WaitStateEntered and hands it to the host", async () => {
    const step = await wait({ Seconds: 30 }, { a: 1 });
    expect(briefs(step)).toEqual(["ExecutionStarted", "WaitStateEntered W"]);
    expect(eventOf(step, "WaitStateEntered")).toMatchObject({ stateEnteredEventDetails: { name: "W", input: { a: 1 } }, timer: { id: "2:wait", until: after(30) } });
    expect(pending(step)).toEqual([{ kind: "timer", id: "2:wait", state: "W", until: after(30), purpose: "wait" }]);
  });

  it("exits when its timer fires, at the timer's time", async () => {
    const step = await when(await wait({ Seconds: 30 }, { a: 1 }), fireTimer("2:wait"));
    expect(briefs(step)).toEqual(["WaitStateExited W", "ExecutionSucceeded"]);
    expect(step.events.map((e) => e.timestamp)).toEqual([after(30), after(30)]);
    expect(chain(step)).toEqual([2, 3]);
    expectSucceeded(step, { a: 1 });
  });

  it("exits at the given time when the host fires the timer late", async () => {
    const step = await when(await wait({ Seconds: 30 }), fireTimer("2:wait", after(45)));
    expect(step.events.map((e) => e.timestamp)).toEqual([after(45), after(45)]);
  });

  it("does not wait at all for Seconds 0", async () => {
    const step = await wait({ Seconds: 0 }, { a: 1 });
    expect(briefs(step)).toEqual(["ExecutionStarted", "WaitStateEntered W", "WaitStateExited W", "ExecutionSucceeded"]);
    expect(eventOf(step, "WaitStateEntered")).not.toHaveProperty("timer");
    expectSucceeded(step, { a: 1 });
  });

  it("applies InputPath and OutputPath to what it passes on", async () => {
    const step = await when(await wait({ Seconds: 1, InputPath: "$.in", OutputPath: "$.v" }, { in: { v: [1] } }), fireTimer("2:wait"));
    expectSucceeded(step, [1]);
  });

  it("fails with States.Runtime for a delay of 2^31 seconds or more", async () => {
    const step = await wait({ SecondsPath: "$.s" }, { s: 2 ** 31 });
    expectFailed(step, "States.Runtime", located("W", 2, "Wait state delay is too long."));
  });
});

describe("Wait with SecondsPath", () => {
  it("waits the number of seconds its path selects", async () => {
    const step = await wait({ SecondsPath: "$.s" }, { s: 7 });
    expect(timers(step)).toEqual([{ kind: "timer", id: "2:wait", state: "W", until: after(7), purpose: "wait" }]);
  });

  it("reads a variable", async () => {
    const step = await given({
      StartAt: "Set",
      States: { Set: { Type: "Pass", Assign: { delay: 4 }, Next: "W" }, W: { Type: "Wait", SecondsPath: "$delay", End: true } },
    });
    expect(timers(step)).toEqual([{ kind: "timer", id: "4:wait", state: "W", until: after(4), purpose: "wait" }]);
  });

  it("fails with States.Runtime for a negative value", async () => {
    const step = await wait({ SecondsPath: "$.s" }, { s: -1 });
    expect(types(step)).toEqual(["ExecutionStarted", "WaitStateEntered", "ExecutionFailed"]);
    expect(eventOf(step, "WaitStateEntered")).not.toHaveProperty("timer");
    expect(pending(step)).toEqual([]);
    expectFailed(step, "States.Runtime", located("W", 2, "The SecondsPath parameter references a negative value: $.s == -1"));
  });

  it("fails with States.Runtime for a fraction", async () => {
    const step = await wait({ SecondsPath: "$.s" }, { s: 1.5 });
    expectFailed(step, "States.Runtime", located("W", 2, "The SecondsPath parameter cannot be parsed as a long value: $.s == 1.5"));
  });
});

describe("Wait with Timestamp and TimestampPath", () => {
  it("waits until the timestamp", async () => {
    const step = await wait({ Timestamp: "2024-01-01T01:00:00Z" });
    expect(timers(step)).toEqual([{ kind: "timer", id: "2:wait", state: "W", until: "2024-01-01T01:00:00.000Z", purpose: "wait" }]);
  });

  it("honours a timestamp only to the second (milliseconds are dropped)", async () => {
    const step = await wait({ Timestamp: "2024-01-01T00:00:10.900Z" });
    expect(timers(step)).toEqual([{ kind: "timer", id: "2:wait", state: "W", until: after(10), purpose: "wait" }]);
  });

  it("converts a numeric offset to UTC", async () => {
    const step = await wait({ Timestamp: "2024-01-01T02:00:05+02:00" });
    expect(timers(step)[0]?.until).toBe(after(5));
  });

  it("does not wait for a timestamp in the past, nor for one within the current second", async () => {
    for (const Timestamp of ["2023-06-01T00:00:00Z", "2024-01-01T00:00:00.500Z"]) {
      const step = await wait({ Timestamp });
      expect(briefs(step)).toEqual(["ExecutionStarted", "WaitStateEntered W", "WaitStateExited W", "ExecutionSucceeded"]);
      expect(eventOf(step, "WaitStateEntered")).not.toHaveProperty("timer");
    }
  });

  it("reads the timestamp from TimestampPath", async () => {
    const step = await wait({ TimestampPath: "$.when" }, { when: "2024-01-01T00:02:00Z" });
    expect(timers(step)).toEqual([{ kind: "timer", id: "2:wait", state: "W", until: after(120), purpose: "wait" }]);
  });

  it("fails with States.Runtime when TimestampPath selects something that is not a timestamp", async () => {
    const text = await wait({ TimestampPath: "$.t" }, { t: "tomorrow" });
    expectFailed(text, "States.Runtime", located("W", 2, "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.t == tomorrow"));
    const noZone = await wait({ TimestampPath: "$.t" }, { t: "2024-01-01T00:00:00" });
    expectFailed(noZone, "States.Runtime", located("W", 2, "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.t == 2024-01-01T00:00:00"));
    const number = await wait({ TimestampPath: "$.t" }, { t: 5 });
    expectFailed(number, "States.Runtime", located("W", 2, "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.t == 5"));
  });
});

describe("the host's clock", () => {
  /** Two branches: one waits 10 s then 1 s, the other 5 s. */
  const branches = {
    StartAt: "Par",
    States: {
      Par: {
        Type: "Parallel",
        End: true,
        Branches: [
          { StartAt: "Ten", States: { Ten: { Type: "Wait", Seconds: 10, Next: "One" }, One: { Type: "Wait", Seconds: 1, End: true } } },
          { StartAt: "Five", States: { Five: { Type: "Wait", Seconds: 5, End: true } } },
        ],
      },
    },
  };

  it("lists every pending timer, oldest first", async () => {
    const step = await given(branches);
    expect(pending(step)).toEqual([
      { kind: "timer", id: "4:wait", state: "Ten", until: after(10), purpose: "wait" },
      { kind: "timer", id: "5:wait", state: "Five", until: after(5), purpose: "wait" },
    ]);
  });

  it("advanceTime fires every due timer in time order, each at its own time, including timers set on the way", async () => {
    const step = await when(await given(branches, { input: { a: 1 } }), advanceTime(after(20)));
    expect(briefs(step)).toEqual([
      "WaitStateExited Five",
      "WaitStateExited Ten",
      "WaitStateEntered One",
      "WaitStateExited One",
      "ParallelStateExited Par",
      "ExecutionSucceeded",
    ]);
    expect(step.events.map((e) => e.timestamp)).toEqual([after(5), after(10), after(10), after(11), after(11), after(11)]);
    expect(eventOf(step, "WaitStateEntered").timer).toEqual({ id: "8:wait", until: after(11) });
    expectSucceeded(step, [{ a: 1 }, { a: 1 }]);
  });

  it("advanceTime fires only what is due by then", async () => {
    const step = await when(await given(branches), advanceTime(after(10)));
    expect(briefs(step)).toEqual(["WaitStateExited Five", "WaitStateExited Ten", "WaitStateEntered One"]);
    expect(pending(step)).toEqual([{ kind: "timer", id: "8:wait", state: "One", until: after(11), purpose: "wait" }]);
  });

  it("advanceTime with nothing due writes no events and leaves the work as it was", async () => {
    const started = await given(branches);
    const step = await when(started, advanceTime(after(4)));
    expect(step.events).toEqual([]);
    expect(step.status).toBe("continue");
    expect(pending(step)).toEqual(pending(started));
  });

  it("fireTimer fires one timer, even before its time", async () => {
    const step = await when(await given(branches), fireTimer("5:wait", after(1)));
    expect(briefs(step)).toEqual(["WaitStateExited Five"]);
    expect(step.events[0]?.timestamp).toBe(after(1));
    expect(pending(step)).toEqual([{ kind: "timer", id: "4:wait", state: "Ten", until: after(10), purpose: "wait" }]);
  });

  it("keeps the execution's time at its latest event", async () => {
    const started = await given(branches);
    expect(started.execution.time).toBe(T0);
    const step = await when(started, fireTimer("5:wait"));
    expect(step.execution.time).toBe(after(5));
  });
});
