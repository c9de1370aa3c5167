import { describe, expect, it } from "vitest";
import { completeTask, HistoryMismatch, parse, recover, resume, start, type HistoryEvent } from "../../src/index.js";

const T0 = "2024-01-01T00:00:00.000Z";
const T1 = "2024-01-01T00:00:05.000Z";

const definition = {
  StartAt: "Prepare",
  States: {
    Prepare: { Type: "Pass", Result: { ready: true }, Next: "Work" },
    Work: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", ResultPath: "$.work", Next: "Check" },
    Check: { Type: "Choice", Choices: [{ Variable: "$.work.ok", BooleanEquals: true, Next: "Done" }], Default: "Oops" },
    Done: { Type: "Succeed" },
    Oops: { Type: "Fail", Error: "NotOk" },
  },
};
const workflow = parse(definition);

async function liveRun() {
  const first = await start(workflow, { input: {}, at: T0, seed: 3 });
  if (first.status !== "continue") throw new Error("expected a task");
  const task = first.pending[0];
  if (task?.kind !== "task") throw new Error("expected a task");
  const last = await resume(first.execution, completeTask(task.id, { ok: true }, T1));
  return { first, last, log: [...first.events, ...last.events] };
}

/** The mismatch recover throws for a log, as plain fields. */
function mismatchOf(log: unknown, against = workflow): { eventId: number; reason: string } {
  try {
    recover(against, log as HistoryEvent[]);
  } catch (error) {
    expect(error).toBeInstanceOf(HistoryMismatch);
    const { eventId, reason } = error as HistoryMismatch;
    return { eventId, reason };
  }
  throw new Error("recover accepted the log");
}

const edit = (log: readonly HistoryEvent[], id: number, change: (event: Record<string, unknown>) => Record<string, unknown>) =>
  log.map((event) => (event.id === id ? (change(structuredClone(event) as unknown as Record<string, unknown>) as unknown as HistoryEvent) : event));

describe("recover", () => {
  it("rebuilds the execution, pending work and status the live run had after each step", async () => {
    const { first, last, log } = await liveRun();
    const middle = recover(workflow, first.events);
    expect(middle.execution).toEqual(first.execution);
    expect(middle.status).toBe("continue");
    if (middle.status === "continue" && first.status === "continue") expect(middle.pending).toEqual(first.pending);
    const end = recover(workflow, log);
    expect(end).toMatchObject({ status: "succeeded", output: { ready: true, work: { ok: true } } });
    expect(end.execution).toEqual(last.execution);
  });

  it("names the event after a gap", async () => {
    const { log } = await liveRun();
    expect(mismatchOf(log.filter((e) => e.id !== 4))).toEqual({ eventId: 5, reason: "expected event id 4: the log has a gap or is out of order" });
  });

  it("rejects events out of order and a log that does not begin with ExecutionStarted", async () => {
    const { log } = await liveRun();
    const swapped = [log[0], log[2], log[1], ...log.slice(3)];
    expect(mismatchOf(swapped).eventId).toBe(3);
    expect(mismatchOf(log.slice(1))).toEqual({ eventId: 2, reason: "the log must begin with ExecutionStarted, not PassStateEntered" });
  });

  it("names an event that enters a state the workflow does not have", async () => {
    const { log } = await liveRun();
    const changed = edit(log, 2, (e) => ({ ...e, stateEnteredEventDetails: { name: "Nowhere", input: {} } }));
    expect(mismatchOf(changed)).toEqual({ eventId: 2, reason: "the workflow has no state 'Nowhere'" });
  });

  it("names an event whose type does not match the state", async () => {
    const { log } = await liveRun();
    expect(mismatchOf(edit(log, 2, (e) => ({ ...e, type: "TaskStateEntered" })))).toEqual({
      eventId: 2,
      reason: "'Prepare' is a Pass state, not what TaskStateEntered reports",
    });
  });

  it("names an impossible transition, and a run that does not begin at StartAt", async () => {
    const { log } = await liveRun();
    expect(mismatchOf(edit(log, 3, (e) => ({ ...e, next: "Done" })))).toEqual({ eventId: 3, reason: "state 'Prepare' cannot go to 'Done'" });
    const started = edit(log, 2, (e) => ({ ...e, stateEnteredEventDetails: { name: "Work", input: {} }, type: "TaskStateEntered" }));
    expect(mismatchOf(started)).toEqual({ eventId: 2, reason: "run '' must start at 'Prepare', not 'Work'" });
  });

  it("rejects a log written by another definition", async () => {
    const { log } = await liveRun();
    const other = parse({ ...definition, Comment: "changed" });
    expect(mismatchOf(log, other)).toEqual({ eventId: 1, reason: "the log was written by another state machine definition" });
  });

  it("rejects a task answered twice and an answer to a task never scheduled", async () => {
    const { log } = await liveRun();
    const succeeded = log.find((e) => e.type === "TaskSucceeded") as HistoryEvent;
    const twice = [...log.slice(0, succeeded.id), { ...succeeded, id: succeeded.id + 1 }];
    expect(mismatchOf(twice)).toEqual({ eventId: succeeded.id + 1, reason: "task '5:task' is not pending" });
    expect(mismatchOf(edit(log, succeeded.id, (e) => ({ ...e, taskId: "99:task" })))).toEqual({ eventId: succeeded.id, reason: "task '99:task' is not pending" });
  });

  it("rejects a second task scheduled by a state that already waits for one", async () => {
    const { log } = await liveRun();
    const scheduled = log.find((e) => e.type === "TaskScheduled") as HistoryEvent;
    const again = [...log.slice(0, scheduled.id), { ...scheduled, id: scheduled.id + 1, taskId: `${scheduled.id + 1}:task` }];
    expect(mismatchOf(again)).toEqual({ eventId: scheduled.id + 1, reason: "state 'Work' already waits for task '5:task'" });
  });

  it("rejects events after the end", async () => {
    const { log } = await liveRun();
    const end = log[log.length - 1] as HistoryEvent;
    expect(mismatchOf([...log, { ...end, id: end.id + 1 }])).toEqual({ eventId: end.id + 1, reason: "the execution has already ended (SUCCEEDED)" });
  });

  it("turns corrupt events into a mismatch naming them, never a crash", async () => {
    const { log } = await liveRun();
    expect(mismatchOf(edit(log, 2, ({ stateEnteredEventDetails: _, ...rest }) => rest)).eventId).toBe(2);
    expect(mismatchOf(edit(log, 4, (e) => ({ ...e, timestamp: "1999-01-01T00:00:00.000Z" })))).toEqual({
      eventId: 4,
      reason: "its timestamp 1999-01-01T00:00:00.000Z is before 2024-01-01T00:00:00.000Z",
    });
    expect(mismatchOf([log[0], null])).toEqual({ eventId: 2, reason: "it is not an event (an object with id, type and timestamp)" });
    expect(mismatchOf([])).toEqual({ eventId: 0, reason: "the log is empty (or not a list of events)" });
    expect(mismatchOf("not a log")).toEqual({ eventId: 0, reason: "the log is empty (or not a list of events)" });
  });

  it("accepts the log after a JSON round trip", async () => {
    const { last, log } = await liveRun();
    expect(recover(workflow, JSON.parse(JSON.stringify(log))).execution).toEqual(JSON.parse(JSON.stringify(last.execution)));
  });
});
