/**
 * Runs a conformance case recorded against AWS on stepfold and judges the result against the
 * recording, as ../shared/conformance/README.md says: tasks are played from the case's `tasks`,
 * timers fire on a virtual clock, and outputs are compared under the recording's masks.
 */
import { completeTask, failTask, fireTimer, parse, resume, start } from "../../src/index.js";
import type { Command, Execution, HistoryEvent, Pending, Step } from "../../src/index.js";
import type { ConformanceCase } from "./conformance.js";

/** A place where the recording replaced a value (an ARN, a time, a UUID...). */
export interface RecordedMask {
  /** Where, as `$` followed by `["key"]` (a JSON string) and `[0]` (an array index) steps. */
  readonly path: string;
  /** The value in the recording. */
  readonly snapshotValue?: unknown;
  /** The text any real value must match; null when only the key name was masked (`keyMasked`). */
  readonly pattern: string | null;
  readonly wholeValue?: boolean;
  readonly keyMasked?: boolean;
  readonly reason?: string;
}

/** How AWS answered one task it scheduled. */
export type RecordedOutcome =
  | { readonly output: unknown }
  | { readonly error?: string; readonly cause?: string }
  | { readonly timedOut: true }
  | null;

/** One task AWS scheduled during the recorded execution. */
export interface RecordedTask {
  readonly state: string;
  readonly resource: string;
  /** What AWS sent to the resource. */
  readonly parameters: unknown;
  readonly masks?: readonly RecordedMask[];
  readonly outcome: RecordedOutcome;
  /** Id of the answering event in AWS's history: the order in which AWS got the answers. */
  readonly outcomeEventId: number;
}

/** A conformance case with every field the execution harness reads. */
export interface ExecutionCase extends ConformanceCase {
  readonly tasks?: readonly RecordedTask[];
  readonly executionType?: string;
  readonly expected: ConformanceCase["expected"] & {
    readonly events?: readonly string[];
    readonly eventOrderStrict?: boolean;
    readonly masks?: readonly RecordedMask[];
    readonly causePattern?: string;
    readonly causeReconstructed?: boolean;
  };
}

/** AWS's name for how an execution stands; RUNNING when stepfold stopped short of an end. */
export type RunStatus = "SUCCEEDED" | "FAILED" | "ABORTED" | "TIMED_OUT" | "RUNNING";

/** What running a case produced. */
export interface CaseRun {
  readonly status: RunStatus;
  /** The execution's output, when it succeeded. */
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  /** Types of the events AWS would show in this execution's history (child executions' left out). */
  readonly events: readonly string[];
  /** Why the run could not be driven to its end as AWS's was (no task entry left, engine threw...). */
  readonly problems: readonly string[];
  /** Indexes of `tasks` entries that no task of the run used. */
  readonly unusedTasks: readonly number[];
  /** Observations that do not fail a case but help explain one (task inputs that differ from AWS's). */
  readonly notes: readonly string[];
  /** Commands sent after `start`. */
  readonly commands: number;
}

/** What a mismatch is about. */
export type MismatchKind = "harness" | "status" | "output" | "error" | "cause" | "events" | "tasks";

/** One way a run differs from AWS's recording. */
export interface Mismatch {
  readonly kind: MismatchKind;
  readonly message: string;
}

/** When every execution starts, on the virtual clock. */
export const START_TIME = "2024-01-01T00:00:00.000Z";

/** Most commands a case may take before the harness gives up (an endless loop, most likely). */
export const MAX_COMMANDS = 20_000;

// ---------------------------------------------------------------------------------------------
// Masked JSON comparison
// ---------------------------------------------------------------------------------------------

/** One step of a mask path: an object key or an array index. */
export type PathSegment = string | number;

/**
 * Reads a mask path such as `$["a"]["b"][0]`: `$`, then steps that are either a JSON string in
 * brackets (an object key, escapes and all) or a non-negative integer in brackets (an array index).
 */
export function parseMaskPath(path: string): PathSegment[] | undefined {
  if (!path.startsWith("$")) return undefined;
  const segments: PathSegment[] = [];
  let at = 1;
  while (at < path.length) {
    if (path[at] !== "[") return undefined;
    if (path[at + 1] === '"') {
      // The key runs to the first unescaped quote.
      let end = at + 2;
      while (end < path.length && path[end] !== '"') end += path[end] === "\\" ? 2 : 1;
      if (end >= path.length || path[end + 1] !== "]") return undefined;
      let key: unknown;
      try {
        key = JSON.parse(path.slice(at + 1, end + 1));
      } catch {
        return undefined;
      }
      if (typeof key !== "string") return undefined;
      segments.push(key);
      at = end + 2;
    } else {
      const match = /^\[(0|[1-9]\d*)\]/.exec(path.slice(at));
      if (!match) return undefined;
      segments.push(Number(match[1]));
      at += match[0].length;
    }
  }
  return segments;
}

/** A mask path written back, for messages: `$["a"][0]`. */
export function formatPath(segments: readonly PathSegment[]): string {
  return "$" + segments.map((s) => (typeof s === "number" ? `[${s}]` : `[${JSON.stringify(s)}]`)).join("");
}

const pathKey = (segments: readonly PathSegment[]): string => JSON.stringify(segments);

/** Masks ready to use: by path, each with its compiled pattern. */
interface CompiledMasks {
  readonly byPath: ReadonlyMap<string, readonly { readonly mask: RecordedMask; readonly pattern: RegExp }[]>;
  /** Masks that could not be used (a path or pattern that does not parse). */
  readonly problems: readonly string[];
}

function compileMasks(masks: readonly RecordedMask[] | undefined): CompiledMasks {
  const byPath = new Map<string, { mask: RecordedMask; pattern: RegExp }[]>();
  const problems: string[] = [];
  for (const mask of masks ?? []) {
    // A masked key name constrains nothing here: the value mask at the same path does the work.
    if (mask.pattern === null) continue;
    const segments = parseMaskPath(mask.path);
    if (!segments) {
      problems.push(`mask path ${JSON.stringify(mask.path)} does not parse`);
      continue;
    }
    let pattern: RegExp;
    try {
      pattern = new RegExp(mask.pattern);
    } catch {
      problems.push(`mask pattern ${JSON.stringify(mask.pattern)} at ${mask.path} is not a regular expression`);
      continue;
    }
    const key = pathKey(segments);
    const list = byPath.get(key) ?? [];
    list.push({ mask, pattern });
    byPath.set(key, list);
  }
  return { byPath, problems };
}

/** A value as a pattern sees it: strings as they are, anything else as JSON text. */
const textOf = (value: unknown): string => (typeof value === "string" ? value : (JSON.stringify(value) ?? "undefined"));

/** A value for a message, cut short when long. */
export function preview(value: unknown, max = 300): string {
  if (value === undefined) return "(absent)";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

const typeName = (value: unknown): string =>
  value === undefined ? "absent" : value === null ? "null" : Array.isArray(value) ? "array" : typeof value;

/**
 * The differences between `actual` and the recorded `expected` JSON value (key order is not
 * significant; numbers compare by value). At a masked path the recorded value, or any value whose
 * text matches every mask's pattern, is accepted, but a value must be there. At most `limit` differences are listed.
 */
export function diffJson(expected: unknown, actual: unknown, masks?: readonly RecordedMask[], limit = 10): string[] {
  const compiled = compileMasks(masks);
  const diffs: string[] = [...compiled.problems];
  const walk = (e: unknown, a: unknown, at: PathSegment[]): void => {
    if (diffs.length >= limit) return;
    const masked = compiled.byPath.get(pathKey(at));
    if (masked) {
      if (a === undefined) {
        diffs.push(`${formatPath(at)}: expected a value matching ${masked[0]?.mask.pattern ?? ""} (recorded ${preview(e)}), got nothing`);
        return;
      }
      // The recorded value itself is always accepted: placeholders pass through verbatim, and some
      // patterns are over-masked (a literal word "date" turned into a timestamp pattern).
      if (jsonEqual(e, a)) return;
      const failing = masked.find((m) => !m.pattern.test(textOf(a)));
      if (failing) diffs.push(`${formatPath(at)}: expected a value matching ${failing.mask.pattern ?? ""} (recorded ${preview(e)}), got ${preview(a)}`);
      return;
    }
    if (Array.isArray(e)) {
      if (!Array.isArray(a)) {
        diffs.push(`${formatPath(at)}: expected ${preview(e)}, got ${typeName(a)} ${preview(a)}`);
        return;
      }
      if (e.length !== a.length) {
        diffs.push(`${formatPath(at)}: expected an array of ${e.length} items ${preview(e)}, got ${a.length} items ${preview(a)}`);
        return;
      }
      e.forEach((item, index) => walk(item, a[index], [...at, index]));
      return;
    }
    if (isPlainObject(e)) {
      if (!isPlainObject(a)) {
        diffs.push(`${formatPath(at)}: expected ${preview(e)}, got ${typeName(a)} ${preview(a)}`);
        return;
      }
      for (const key of Object.keys(e)) {
        if (!Object.hasOwn(a, key)) {
          // A masked value that is missing is reported at its own path above.
          if (compiled.byPath.has(pathKey([...at, key]))) walk(e[key], undefined, [...at, key]);
          else if (diffs.length < limit) diffs.push(`${formatPath([...at, key])}: expected ${preview(e[key])}, got nothing`);
          continue;
        }
        walk(e[key], a[key], [...at, key]);
      }
      for (const key of Object.keys(a)) {
        if (!Object.hasOwn(e, key) && diffs.length < limit) diffs.push(`${formatPath([...at, key])}: unexpected key, value ${preview(a[key])}`);
      }
      return;
    }
    if (e !== a) {
      diffs.push(`${formatPath(at)}: expected ${preview(e)}, got ${typeName(a) === typeName(e) ? "" : `${typeName(a)} `}${preview(a)}`);
    }
  };
  walk(expected, actual, []);
  return diffs.slice(0, limit);
}

/** Deep equality of JSON values (key order not significant). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, index) => jsonEqual(item, b[index]));
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]));
  }
  return false;
}

/** True when `actual` equals `expected` under `masks`. */
export const jsonMatches = (expected: unknown, actual: unknown, masks?: readonly RecordedMask[]): boolean =>
  diffJson(expected, actual, masks, 1).length === 0;

// ---------------------------------------------------------------------------------------------
// Running a case
// ---------------------------------------------------------------------------------------------

const STATUS_OF_STEP: Record<Step["status"], RunStatus> = {
  continue: "RUNNING",
  succeeded: "SUCCEEDED",
  failed: "FAILED",
  aborted: "ABORTED",
  timed_out: "TIMED_OUT",
};

/** The timers that guard each pending task, from the pending timers that name their task. */
function taskTimersOf(pending: readonly Pending[]): Map<string, { timeout?: string; heartbeat?: string }> {
  const timers = new Map<string, { timeout?: string; heartbeat?: string }>();
  for (const item of pending) {
    if (item.kind !== "timer" || item.task === undefined) continue;
    const guard = timers.get(item.task) ?? {};
    if (item.purpose === "task-timeout") guard.timeout = item.id;
    if (item.purpose === "heartbeat-timeout") guard.heartbeat = item.id;
    timers.set(item.task, guard);
  }
  return timers;
}

const errorText = (error: unknown): string =>
  error instanceof Error ? `${error.constructor.name}: ${error.message}` : `non-Error thrown: ${preview(error)}`;

const laterOf = (a: string, b: string): string => (a > b ? a : b);

type PendingTask = Extract<Pending, { kind: "task" }>;
type PendingTimer = Extract<Pending, { kind: "timer" }>;

/**
 * Drives one case to its end as ../shared/conformance/README.md says: pending tasks are answered
 * from `tasks` (matched by state and parameters under masks) in `outcomeEventId` order before any
 * timer fires; when no task can be answered the earliest timer fires (timers guarding tasks AWS
 * never finished fire only when nothing else is left). Never throws: what went wrong is in
 * `problems`.
 */
export async function runCase(c: ExecutionCase): Promise<CaseRun> {
  const events: HistoryEvent[] = [];
  const problems: string[] = [];
  const notes: string[] = [];
  const entries = c.tasks ?? [];
  const used = new Set<number>();
  /** Which entry answers each task, by task id (assigned when the task first shows up). */
  const assigned = new Map<string, number>();
  let step: Step | undefined;
  let commands = 0;
  let now = START_TIME;

  const send = async (execution: Execution, command: Command): Promise<Step> => {
    commands += 1;
    return resume(execution, command);
  };

  /** The entry for a task that has just shown up, or undefined when none is left. */
  const assign = (task: PendingTask): number | undefined => {
    let fallback: number | undefined;
    for (const [index, entry] of entries.entries()) {
      if (used.has(index) || entry.state !== task.state) continue;
      if (jsonMatches(entry.parameters, task.input, entry.masks)) return index;
      fallback ??= index;
    }
    if (fallback !== undefined) {
      const entry = entries[fallback] as RecordedTask;
      notes.push(
        `task of state '${task.state}' took entry #${fallback} although its input differs from what AWS sent: ${diffJson(entry.parameters, task.input, entry.masks, 3).join("; ")}`,
      );
    }
    return fallback;
  };

  try {
    const workflow = parse(c.definition);
    step = await start(workflow, {
      input: c.input === undefined ? {} : c.input,
      at: START_TIME,
      seed: 1,
      ...(c.executionType === "EXPRESS" ? { type: "EXPRESS" as const } : {}),
    });
    events.push(...step.events);
    while (step.status === "continue") {
      if (commands >= MAX_COMMANDS) {
        problems.push(`gave up after ${MAX_COMMANDS} commands (an endless loop?)`);
        break;
      }
      now = laterOf(now, step.execution.time);
      const pending = step.pending;
      const tasks = pending.filter((p): p is PendingTask => p.kind === "task");
      const timers = pending.filter((p): p is PendingTimer => p.kind === "timer");

      let lost: PendingTask | undefined;
      for (const task of tasks) {
        if (assigned.has(task.id)) continue;
        const index = assign(task);
        if (index === undefined) {
          lost = task;
          break;
        }
        used.add(index);
        assigned.set(task.id, index);
      }
      if (lost) {
        problems.push(
          `no task entry left for a task of state '${lost.state}' (input ${preview(lost.input, 200)}): the execution went where AWS's did not`,
        );
        break;
      }

      // Answer the task AWS answered first, if any can be answered.
      const answerable = tasks
        .map((task) => ({ task, entry: entries[assigned.get(task.id) as number] as RecordedTask }))
        .filter(({ entry }) => entry.outcome !== null && !("timedOut" in entry.outcome))
        .sort((x, y) => x.entry.outcomeEventId - y.entry.outcomeEventId);
      const next = answerable[0];
      if (next) {
        const outcome = next.entry.outcome as Exclude<RecordedOutcome, null>;
        const command =
          "output" in outcome
            ? completeTask(next.task.id, outcome.output, now)
            : failTask(next.task.id, "error" in outcome ? outcome.error : undefined, "cause" in outcome ? outcome.cause : undefined, now);
        step = await send(step.execution, command);
        events.push(...step.events);
        continue;
      }

      // No task can be answered: fire a timer.
      const guards = taskTimersOf(step.pending);
      const deferred = new Set<string>();
      for (const task of tasks) {
        const entry = entries[assigned.get(task.id) as number] as RecordedTask;
        const guard = guards.get(task.id);
        const timedOut = entry.outcome !== null && "timedOut" in entry.outcome;
        // A task that timed out at AWS times out here by its TimeoutSeconds timer; every other
        // timer guarding a task that is still out waits until nothing else is left.
        if (guard?.heartbeat !== undefined) deferred.add(guard.heartbeat);
        if (guard?.timeout !== undefined && !timedOut) deferred.add(guard.timeout);
        if (timedOut && guard?.timeout === undefined) {
          notes.push(`the task of state '${task.state}' timed out at AWS, but stepfold set it no task-timeout timer`);
        }
      }
      const byTime = [...timers].sort((x, y) => (x.until < y.until ? -1 : x.until > y.until ? 1 : 0));
      const timer = byTime.find((t) => !deferred.has(t.id)) ?? byTime[0];
      if (!timer) {
        problems.push(
          tasks.length > 0
            ? `stuck: the execution waits on ${tasks.length} task(s) AWS never answered (${tasks.map((t) => `'${t.state}'`).join(", ")}) and has no timer to fire`
            : "stuck: the execution is RUNNING with nothing pending",
        );
        break;
      }
      step = await send(step.execution, fireTimer(timer.id, laterOf(now, timer.until)));
      events.push(...step.events);
    }
  } catch (error) {
    problems.push(`stepfold threw ${errorText(error)}`);
  }

  const unusedTasks = entries.map((_, index) => index).filter((index) => !used.has(index));
  const base = {
    events: events.filter((event) => event.child !== true).map((event) => event.type),
    problems,
    unusedTasks,
    notes,
    commands,
  };
  if (!step) return { status: "RUNNING", ...base };
  const status = STATUS_OF_STEP[step.status];
  if (step.status === "succeeded") return { status, output: step.output, ...base };
  if (step.status === "continue") return { status, ...base };
  return {
    status,
    ...(step.error !== undefined ? { error: step.error } : {}),
    ...(step.cause !== undefined ? { cause: step.cause } : {}),
    ...base,
  };
}

// ---------------------------------------------------------------------------------------------
// Judging a run
// ---------------------------------------------------------------------------------------------

/** How two lists of event types differ, in order. */
function diffEventsInOrder(expected: readonly string[], actual: readonly string[]): string | undefined {
  const length = Math.max(expected.length, actual.length);
  for (let index = 0; index < length; index++) {
    if (expected[index] !== actual[index]) {
      const around = (list: readonly string[]): string => JSON.stringify(list.slice(Math.max(0, index - 2), index + 4));
      return (
        `first difference at #${index}: expected ${expected[index] ?? "(end)"}, got ${actual[index] ?? "(end)"} ` +
        `(expected …${around(expected)}…, got …${around(actual)}…; ${expected.length} vs ${actual.length} events)`
      );
    }
  }
  return undefined;
}

/** How two lists of event types differ, as multisets. */
function diffEventsAsMultiset(expected: readonly string[], actual: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const type of expected) counts.set(type, (counts.get(type) ?? 0) + 1);
  for (const type of actual) counts.set(type, (counts.get(type) ?? 0) - 1);
  const missing: string[] = [];
  const extra: string[] = [];
  for (const [type, count] of [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (count > 0) missing.push(`${type}×${count}`);
    if (count < 0) extra.push(`${type}×${-count}`);
  }
  if (missing.length === 0 && extra.length === 0) return undefined;
  return `as a multiset: missing [${missing.join(", ")}], extra [${extra.join(", ")}] (${expected.length} vs ${actual.length} events)`;
}

/** Compares an optional string field exactly: absent in the recording means absent here too. */
function diffField(name: string, expected: string | undefined, actual: string | undefined): string | undefined {
  if (expected === actual) return undefined;
  return `expected ${name} ${preview(expected, 400)}, got ${preview(actual, 400)}`;
}

/** Every way `run` differs from the case's recording; empty when it conforms. */
export function judgeCase(c: ExecutionCase, run: CaseRun): Mismatch[] {
  const mismatches: Mismatch[] = run.problems.map((message) => ({ kind: "harness", message }));
  const expected = c.expected;
  if (run.status !== expected.status) {
    const detail = run.status === "FAILED" ? ` (error ${preview(run.error)}, cause ${preview(run.cause, 200)})` : "";
    mismatches.push({ kind: "status", message: `expected status ${expected.status}, got ${run.status}${detail}` });
  }
  if (expected.status === "SUCCEEDED" && run.status === "SUCCEEDED" && Object.hasOwn(expected, "output")) {
    const diffs = diffJson(expected.output, run.output, expected.masks);
    if (diffs.length > 0) mismatches.push({ kind: "output", message: `output differs: ${diffs.join("; ")}` });
  }
  if (expected.status === "FAILED" && run.status === "FAILED") {
    const error = diffField("error", expected.error, run.error);
    if (error) mismatches.push({ kind: "error", message: error });
    // The recorded cause itself is accepted too (see the masks above for why).
    if (expected.causePattern !== undefined && !(expected.cause !== undefined && run.cause === expected.cause)) {
      let pattern: RegExp | undefined;
      try {
        pattern = new RegExp(expected.causePattern);
      } catch {
        mismatches.push({ kind: "harness", message: `causePattern ${JSON.stringify(expected.causePattern)} is not a regular expression` });
      }
      if (pattern && (run.cause === undefined || !pattern.test(run.cause))) {
        mismatches.push({ kind: "cause", message: `expected a cause matching ${expected.causePattern}, got ${preview(run.cause, 400)}` });
      }
    } else if (expected.causePattern === undefined) {
      const cause = diffField("cause", expected.cause, run.cause);
      if (cause) mismatches.push({ kind: "cause", message: cause });
    }
  }
  if (expected.events !== undefined) {
    const diff =
      expected.eventOrderStrict === false ? diffEventsAsMultiset(expected.events, run.events) : diffEventsInOrder(expected.events, run.events);
    if (diff) mismatches.push({ kind: "events", message: `events differ: ${diff}` });
  }
  if (run.unusedTasks.length > 0 && run.problems.length === 0) {
    const states = run.unusedTasks.map((index) => `#${index} '${c.tasks?.[index]?.state ?? "?"}'`);
    mismatches.push({ kind: "tasks", message: `AWS scheduled tasks stepfold never did: ${states.join(", ")}` });
  }
  return mismatches;
}

/** True for cases that use JSONata or variables (the rest use JSONPath only). */
export function usesJsonataOrVariables(c: ConformanceCase): boolean {
  const features = c.features ?? [];
  return features.includes("jsonata") || features.includes("field:Assign") || /jsonata|variables/.test(c.category);
}
