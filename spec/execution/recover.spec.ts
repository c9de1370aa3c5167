import { describe, expect, it } from "vitest";
import { completeTask, failTask, fireTimer, HistoryMismatch, parse, recover, resume, start, type HistoryEvent } from "../../src/index.js";

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
  const { eventId, reason } = codedMismatchOf(log, against);
  return { eventId, reason };
}

/** The mismatch recover throws for a log, with its code. */
function codedMismatchOf(log: unknown, against = workflow): { eventId: number; reason: string; code: string } {
  try {
    recover(against, log as HistoryEvent[]);
  } catch (error) {
    expect(error).toBeInstanceOf(HistoryMismatch);
    const { eventId, reason, code } = error as HistoryMismatch;
    return { eventId, reason, code };
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

  it("refuses event types it does not write, at the first one (even among 100,000)", async () => {
    const { log } = await liveRun();
    const unknown = (id: number) => ({ id, previousEventId: id - 1, timestamp: T1, type: "TaskExploded" });
    const flood = [...log.slice(0, 4), ...Array.from({ length: 100_000 }, (_, i) => unknown(5 + i))];
    const began = Date.now();
    expect(codedMismatchOf(flood)).toEqual({ eventId: 5, reason: `/type must be an event type stepfold writes, not "TaskExploded"`, code: "MALFORMED_EVENT" });
    expect(Date.now() - began).toBeLessThan(1000);
    expect(codedMismatchOf([...log.slice(0, 4), { ...unknown(5), type: 5 }])).toMatchObject({ eventId: 5, code: "MALFORMED_EVENT" });
  });

  it("refuses ids that do not start at 1, and a previousEventId that is not an earlier event", async () => {
    const { log } = await liveRun();
    const shifted = log.map((event) => ({ ...event, id: event.id + 1, previousEventId: event.previousEventId + 1 }));
    expect(codedMismatchOf(shifted)).toEqual({ eventId: 2, reason: "ExecutionStarted must be event 1, after event 0", code: "MALFORMED_EVENT" });
    expect(codedMismatchOf(edit(log, 3, (e) => ({ ...e, previousEventId: 3 })))).toEqual({ eventId: 3, reason: "/previousEventId must be the id of an earlier event", code: "MALFORMED_EVENT" });
    expect(codedMismatchOf(edit(log, 3, (e) => ({ ...e, id: 3.5 })))).toMatchObject({ eventId: 3, reason: "/id must be an integer of at least 1 (a safe integer), not 3.5" });
  });

  it("refuses an ExecutionStarted without the facts, limits, seed or random state it must record", async () => {
    const { log } = await liveRun();
    for (const field of ["execution", "limits", "seed", "random", "workflow"]) {
      const { eventId, reason, code } = codedMismatchOf(edit(log, 1, (e) => ({ ...e, [field]: undefined })));
      expect({ eventId, code }).toEqual({ eventId: 1, code: "MALFORMED_EVENT" });
      expect(reason).toMatch(new RegExp(`^/${field} is missing`));
    }
    expect(codedMismatchOf(edit(log, 1, (e) => ({ ...e, limits: { payloadBytes: 100, historyEvents: "many" } })))).toMatchObject({ reason: `/limits/historyEvents must be an integer from 1 to 1000000000, not "many"` });
    expect(codedMismatchOf(edit(log, 1, (e) => ({ ...e, seed: 1.5 })))).toMatchObject({ reason: "/seed must be an integer from 0 to 4294967295, not 1.5" });
    expect(codedMismatchOf(edit(log, 1, (e) => ({ ...e, execution: { ...(e["execution"] as object), startTime: 0 } })))).toMatchObject({ reason: "/execution/startTime must be a time such as 2024-01-01T00:00:00.000Z, not 0" });
  });

  it("refuses events whose fields are missing or of the wrong type, naming the field", async () => {
    const { log } = await liveRun();
    const scheduled = (log.find((e) => e.type === "TaskScheduled") as HistoryEvent).id;
    const succeeded = (log.find((e) => e.type === "TaskSucceeded") as HistoryEvent).id;
    expect(codedMismatchOf(edit(log, scheduled, ({ taskId: _, ...rest }) => rest))).toEqual({ eventId: scheduled, reason: "/taskId is missing (it must be a non-empty string)", code: "MALFORMED_EVENT" });
    expect(codedMismatchOf(edit(log, succeeded, (e) => ({ ...e, taskId: 5 })))).toMatchObject({ eventId: succeeded, reason: "/taskId must be a non-empty string, not 5" });
    expect(codedMismatchOf(edit(log, 2, (e) => ({ ...e, stateEnteredEventDetails: { name: ["Prepare"], input: {} } })))).toMatchObject({ eventId: 2, reason: "/stateEnteredEventDetails/name must be a non-empty string, not an array" });
    expect(codedMismatchOf(edit(log, 2, (e) => ({ ...e, run: 0 })))).toMatchObject({ eventId: 2, reason: "/run must be a string, not 0" });
    expect(codedMismatchOf(edit(log, 2, (e) => ({ ...e, random: [1, 2] })))).toMatchObject({ eventId: 2, reason: "/random must hold 4 integers, not 2" });
  });

  it("refuses a time that is not canonical, as well as one that goes back", async () => {
    const { log } = await liveRun();
    expect(codedMismatchOf(edit(log, 4, (e) => ({ ...e, timestamp: "2024-01-01T00:00:05Z" })))).toEqual({
      eventId: 4,
      reason: `/timestamp must be a time such as 2024-01-01T00:00:00.000Z, not "2024-01-01T00:00:05Z"`,
      code: "MALFORMED_EVENT",
    });
    expect(codedMismatchOf(edit(log, 4, (e) => ({ ...e, timestamp: "2024-02-30T00:00:00.000Z" })))).toMatchObject({ eventId: 4, code: "MALFORMED_EVENT" });
    expect(codedMismatchOf(edit(log, 4, (e) => ({ ...e, timestamp: "1999-01-01T00:00:00.000Z" })))).toMatchObject({ eventId: 4, code: "MALFORMED_EVENT" });
  });

  it("refuses a Wait state entered without its timer, a timer on another state, and a retrier the state does not have", async () => {
    const waiting = parse({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 10, Next: "T" }, T: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Retry: [{ ErrorEquals: ["E"] }], End: true } } });
    const started = await start(waiting, { at: T0, seed: 1 });
    const noTimer = edit(started.events, 2, ({ timer: _, ...rest }) => rest);
    expect(codedMismatchOf(noTimer, waiting)).toEqual({
      eventId: 2,
      reason: "the log leaves the execution unable to go on: /root/state/work state 'W' (entered by event 2) waits for nothing: its task or timer is missing",
      code: "DOES_NOT_FIT",
    });
    const { log } = await liveRun();
    expect(codedMismatchOf(edit(log, 2, (e) => ({ ...e, timer: { id: "2:wait", until: T1 } })))).toEqual({ eventId: 2, reason: "only a Wait state's Entered event starts a timer", code: "DOES_NOT_FIT" });
    const fired = await resume(started.execution, fireTimer("2:wait"));
    const task = fired.status === "continue" ? fired.pending.find((p) => p.kind === "task") : undefined;
    const failed = await resume(fired.execution, failTask(task?.id ?? "", "E", "once", "2024-01-01T00:00:11.000Z"));
    const retried = [...started.events, ...fired.events, ...failed.events];
    const failure = (retried.find((e) => e.type === "LambdaFunctionFailed" || e.type === "TaskFailed") as HistoryEvent).id;
    expect(recover(waiting, retried).status).toBe("continue");
    expect(codedMismatchOf(edit(retried, failure, (e) => ({ ...e, retry: { ...(e["retry"] as object), retrier: 1 } })), waiting)).toEqual({ eventId: failure, reason: "the state has no retrier 1", code: "DOES_NOT_FIT" });
  });

  it("refuses a log that stops between the events of one step (a state waiting for nothing)", async () => {
    const { log } = await liveRun();
    expect(codedMismatchOf(log.slice(0, 1))).toMatchObject({ eventId: 1, code: "DOES_NOT_FIT" });
    expect(codedMismatchOf(log.slice(0, 4))).toMatchObject({ eventId: 4, code: "DOES_NOT_FIT" });
  });

  it("gives each mismatch a code", async () => {
    const { log } = await liveRun();
    expect(codedMismatchOf(log.filter((e) => e.id !== 4)).code).toBe("MALFORMED_EVENT");
    expect(codedMismatchOf(edit(log, 2, (e) => ({ ...e, stateEnteredEventDetails: { name: "Nowhere", input: {} } }))).code).toBe("DOES_NOT_FIT");
    expect(codedMismatchOf(log, parse({ ...definition, Comment: "changed" })).code).toBe("DOES_NOT_FIT");
  });
});
