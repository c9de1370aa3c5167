/**
 * `evolve` within one decision or recovery (an Ownership): it reuses one working copy for every
 * event and remembers the run it handled last. That memory must never leak into another execution.
 */
import { describe, expect, it } from "vitest";
import { evolve, Ownership } from "../../src/execution/evolve.js";
import type { Execution } from "../../src/execution/model.js";
import { completeTask, parse, resume, start, type HistoryEvent } from "../../src/index.js";

const AT = "2024-01-01T00:00:00.000Z";

const workflow = parse({
  StartAt: "Fan",
  States: {
    Fan: {
      Type: "Parallel",
      Branches: [0, 1].map((b) => ({ StartAt: `Work${b}`, States: { [`Work${b}`]: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true } } })),
      End: true,
    },
  },
});

/** An execution waiting for both branches' tasks, and the events that answer branch 0's. */
async function answeredBranch0(input: unknown): Promise<{ before: Execution; events: readonly HistoryEvent[] }> {
  const first = await start(workflow, { input, at: AT, seed: 1 });
  if (first.status !== "continue") throw new Error(`the Parallel ended: ${first.status}`);
  const task = first.pending.find((p) => p.kind === "task" && p.state === "Work0");
  if (!task) throw new Error("no task in branch 0");
  const answered = await resume(first.execution, completeTask(task.id, { from: input }));
  return { before: first.execution, events: answered.events };
}

const fold = (execution: Execution, events: readonly HistoryEvent[], owned?: Ownership): Execution =>
  events.reduce((current, event) => evolve(current, event, undefined, owned), execution);

describe("evolve with one Ownership", () => {
  it("folds a decision's events as event-by-event evolution does", async () => {
    const { before, events } = await answeredBranch0({ n: 1 });
    expect(events.map((e) => e.type)).toEqual(["TaskSucceeded", "TaskStateExited"]);
    expect(fold(before, events, new Ownership())).toEqual(fold(before, events));
  });

  it("does not carry the run it handled last into another execution", async () => {
    const one = await answeredBranch0({ n: 1 });
    const two = await answeredBranch0({ n: 2 });
    const owned = new Ownership();
    fold(one.before, one.events, owned);
    // The same run ids in another execution: what the working copy saw of the first must not answer.
    const folded = fold(two.before, two.events, owned);
    expect(folded).toEqual(fold(two.before, two.events));
    expect(folded.runs).not.toEqual(fold(one.before, one.events).runs);
  });
});
