/**
 * The core is pure: the same definition, input, seed and times give the same events; an execution
 * stored as JSON and read back resumes exactly as the live one does; a step never changes the
 * execution it was given.
 */
import { describe, expect, it } from "vitest";
import { advanceTime, completeTask, failTask, fireTimer, resume, type Command, type Execution, type Step } from "../../src/index.js";
import { after, given, pending } from "../support/given.js";

const INVOKE = "arn:aws:states:::lambda:invoke";

/** A machine that uses everything that draws random numbers or reads time. */
const busy = {
  StartAt: "Prepare",
  States: {
    Prepare: { Type: "Pass", Parameters: { "id.$": "States.UUID()", "n.$": "States.MathRandom(1, 1000)", "at.$": "$$.State.EnteredTime" }, Next: "Callback" },
    Callback: {
      Type: "Task",
      Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      Parameters: { "token.$": "$$.Task.Token" },
      Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 4, JitterStrategy: "FULL" }],
      ResultPath: "$.reply",
      Next: "Fan",
    },
    Fan: {
      Type: "Map",
      ItemsPath: "$.reply.items",
      ItemProcessor: {
        StartAt: "Pause",
        States: { Pause: { Type: "Wait", SecondsPath: "$", Next: "Work" }, Work: { Type: "Task", Resource: INVOKE, End: true } },
      },
      End: true,
    },
  },
};

/** Runs the commands in turn; each is built from the step before it (task ids and tokens come from pending work). */
async function play(first: Step, ...commands: ((step: Step) => Command)[]): Promise<Step[]> {
  const steps = [first];
  for (const command of commands) steps.push(await resume((steps.at(-1) as Step).execution, command(steps.at(-1) as Step)));
  return steps;
}

const firstTask = (step: Step) => {
  const task = pending(step).find((p) => p.kind === "task");
  if (!task) throw new Error("no pending task");
  return task;
};
const firstTimer = (step: Step) => {
  const timer = pending(step).find((p) => p.kind === "timer");
  if (!timer) throw new Error("no pending timer");
  return timer;
};

const script = [
  (step: Step) => failTask(firstTask(step).token as string, "Flaky", "try again", after(1)),
  (step: Step) => fireTimer(firstTimer(step).id),
  (step: Step) => completeTask(firstTask(step).token as string, { items: [2, 1] }, after(10)),
  () => advanceTime(after(20)),
  (step: Step) => completeTask(firstTask(step).id, "second", after(21)),
  (step: Step) => completeTask(firstTask(step).id, "first", after(22)),
];

describe("determinism", () => {
  it("writes identical events for the same definition, input, seed and times", async () => {
    const one = await play(await given(busy, { input: { x: 1 } }), ...script);
    const two = await play(await given(busy, { input: { x: 1 } }), ...script);
    expect(one.map((s) => s.events)).toEqual(two.map((s) => s.events));
    expect(one.at(-1)?.status).toBe("succeeded");
    expect(two.at(-1)).toMatchObject({ status: "succeeded", output: ["first", "second"] });
  });

  it("draws different numbers for another seed", async () => {
    const one = await given(busy, { seed: 1 });
    const two = await given(busy, { seed: 2 });
    expect(one.events[2]).not.toEqual(two.events[2]);
    expect(firstTask(one).token).not.toBe(firstTask(two).token);
  });
});

describe("a JSON round trip", () => {
  it("resumes with the same events, status and pending work at every step", async () => {
    const live = await play(await given(busy, { input: { x: 1 } }), ...script);
    for (let i = 0; i < script.length; i++) {
      const before = live[i] as Step;
      const stored = JSON.parse(JSON.stringify(before.execution)) as Execution;
      const command = (script[i] as (step: Step) => Command)(before);
      const revived = await resume(stored, command);
      const expected = live[i + 1] as Step;
      expect(revived.events).toEqual(expected.events);
      expect(revived.status).toBe(expected.status);
      expect(pending(revived)).toEqual(pending(expected));
      expect(JSON.parse(JSON.stringify(revived.execution))).toEqual(JSON.parse(JSON.stringify(expected.execution)));
    }
  });

  it("is plain JSON data already: a round trip gives a strictly equal object (no undefined, functions or class instances)", async () => {
    const steps = await play(await given(busy, { input: { x: 1 } }), ...script);
    for (const step of steps) expect(JSON.parse(JSON.stringify(step.execution))).toStrictEqual(step.execution);
  });
});

describe("immutability", () => {
  it("never changes the execution a command is sent to, so an older one can be resumed again", async () => {
    const started = await given(busy, { input: { x: 1 } });
    const snapshot = JSON.stringify(started.execution);
    const token = firstTask(started).token as string;
    const failed = await resume(started.execution, failTask(token, "Flaky", undefined, after(1)));
    const succeeded = await resume(started.execution, completeTask(token, { items: [] }, after(1)));
    expect(JSON.stringify(started.execution)).toBe(snapshot);
    expect(failed.status).toBe("continue");
    expect(succeeded).toMatchObject({ status: "succeeded", output: [] });
    expect(failed.events[0]?.id).toBe(succeeded.events[0]?.id);
  });
});
