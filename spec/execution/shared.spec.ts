/**
 * Nothing stepfold hands out shares a changeable object with what it keeps: a host that edits
 * what it got (adds a field to a task's input, redacts an event before shipping a log) changes
 * nothing that happens later.
 */
import { describe, expect, it } from "vitest";
import { completeTask, parse, recover, resume, start, type HistoryEvent, type Step } from "../../src/index.js";

const T0 = "2024-01-01T00:00:00.000Z";

const definition = {
  StartAt: "Prepare",
  States: {
    Prepare: { Type: "Pass", Result: { constant: { nested: [1, 2] } }, ResultPath: "$.prepared", Next: "Work" },
    Work: {
      Type: "Map",
      ItemsPath: "$.items",
      ItemSelector: { "item.$": "$$.Map.Item.Value", fixed: { a: 1 } },
      ItemProcessor: { StartAt: "Call", States: { Call: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { "Payload.$": "$", literal: { b: [2] } }, End: true } } },
      ResultPath: "$.results",
      End: true,
    },
  },
};

/** Tries to change every object reachable from `value`: new keys, every member replaced, arrays grown. */
function vandalize(value: unknown, seen = new Set<object>()): void {
  if (typeof value !== "object" || value === null || seen.has(value)) return;
  seen.add(value);
  let members: [string, unknown][] = [];
  try {
    members = Object.entries(value);
  } catch {
    return;
  }
  for (const [, member] of members) vandalize(member, seen);
  const attempt = (change: () => void): void => {
    try {
      change();
    } catch {
      // frozen or read-only: nothing to change
    }
  };
  attempt(() => ((value as Record<string, unknown>)["vandal"] = true));
  for (const [key] of members) attempt(() => ((value as Record<string, unknown>)[key] = "vandalized"));
  if (Array.isArray(value)) attempt(() => value.push("vandalized"));
}

/** Runs the definition to its end, answering tasks oldest first; `meddle` sees every Step before it is used. */
async function run(meddle: (step: Step) => void): Promise<{ events: HistoryEvent[]; output: unknown }> {
  const workflow = parse(definition);
  let step = await start(workflow, { input: { items: [1, 2, 3], keep: { x: 1 } }, at: T0, seed: 1 });
  const events: HistoryEvent[] = [];
  for (;;) {
    events.push(...JSON.parse(JSON.stringify(step.events)));
    if (step.status !== "continue") return { events, output: JSON.parse(JSON.stringify(step.status === "succeeded" ? step.output : null)) };
    const next = step.pending[0];
    if (next === undefined || next.kind !== "task") throw new Error("a task should be pending");
    const id = next.id;
    const answer = { Payload: JSON.parse(JSON.stringify(next.input)) };
    meddle(step);
    step = await resume(step.execution, completeTask(id, answer));
  }
}

describe("what stepfold hands out", () => {
  it("can be vandalized without changing anything later: the same events and output as a run left alone", async () => {
    const untouched = await run(() => undefined);
    const vandalized = await run((step) => {
      for (const part of [step.events, step.status === "continue" ? step.pending : [], step.added, step.removed, step.execution]) vandalize(part);
    });
    expect(vandalized).toEqual(untouched);
    // Later executions of the same definition are not changed either.
    expect(await run(() => undefined)).toEqual(untouched);
  });

  it("is frozen: events, the execution, pending work and its inputs, the workflow's literals", async () => {
    const workflow = parse(definition);
    const step = await start(workflow, { input: { items: [1], keep: { x: 1 } }, at: T0, seed: 1 });
    if (step.status !== "continue") throw new Error("the Map should wait");
    expect(Object.isFrozen(step.events[1])).toBe(true);
    expect(Object.isFrozen(step.pending[0])).toBe(true);
    expect(Object.isFrozen((step.pending[0] as { input: { literal: unknown } }).input.literal)).toBe(true);
    expect(Object.isFrozen(step.execution.root)).toBe(true);
    expect(Object.isFrozen(workflow.definition)).toBe(true);
  });

  it("recover keeps a copy of the log it is given: editing the log afterwards changes nothing", async () => {
    const workflow = parse(definition);
    const live = await start(workflow, { input: { items: [1], keep: { x: 1 } }, at: T0, seed: 1 });
    const log = JSON.parse(JSON.stringify(live.events)) as HistoryEvent[];
    const recovered = recover(workflow, log);
    const before = JSON.stringify(recovered.execution);
    vandalize(log);
    expect(JSON.stringify(recovered.execution)).toBe(before);
    expect(recovered.events).not.toBe(log);
  });
});
