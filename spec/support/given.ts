/**
 * Given/when/then helpers for the execution specs, in the style of Emmett's DeciderSpecification:
 * given a definition (and a started execution), when a command, then exactly these events, this
 * output or this typed rejection. Every time and seed is fixed, so every id and token is too.
 */
import { expect } from "vitest";
import {
  CommandRejected,
  parse,
  resume,
  start,
  type Command,
  type CommandRejectionCode,
  type Execution,
  type HistoryEvent,
  type HistoryEventType,
  type Pending,
  type Step,
  type Workflow,
} from "../../src/index.js";
import type { StartInput } from "../../src/host/commands.js";

/** The time every execution starts at. */
export const T0 = "2024-01-01T00:00:00.000Z";

/** T0 plus `seconds` (fractions allowed), as ISO 8601. */
export const after = (seconds: number): string => new Date(Date.parse(T0) + Math.round(seconds * 1000)).toISOString();

/** The seed every execution uses unless a spec says otherwise. */
export const SEED = 1;

/** Given this definition: starts it at T0 with seed 1 (options override both). */
export function given(definition: Record<string, unknown> | Workflow, options: StartInput = {}): Promise<Step> {
  const parsed = isWorkflow(definition) ? definition : parse(definition);
  return start(parsed, { at: T0, seed: SEED, ...options });
}

const isWorkflow = (value: Record<string, unknown> | Workflow): value is Workflow => "root" in value && "states" in value && value.states instanceof Map;

/** When the host sends `command` to the execution a step left behind. */
export const when = (step: Step, command: Command): Promise<Step> => resume(step.execution, command);

/** When the host sends several commands in turn; the last step. */
export async function whenAll(step: Step, ...commands: Command[]): Promise<Step> {
  let current = step;
  for (const command of commands) current = await when(current, command);
  return current;
}

/**
 * One event in a line: its type and the detail that tells it apart. State events show the state's
 * name, task events the task id, Map iterations `#index`, and any event that reports an error the
 * error, e.g. `TaskFailed 5:task Boom`, `MapIterationFailed #1 Boom`, `ExecutionFailed Boom`.
 */
export function brief(event: HistoryEvent): string {
  const e = event as HistoryEvent & Record<string, unknown>;
  const parts: string[] = [event.type];
  if ("stateEnteredEventDetails" in event) parts.push(event.stateEnteredEventDetails.name);
  if ("stateExitedEventDetails" in event) parts.push(event.stateExitedEventDetails.name);
  for (const key of ["mapIterationStartedEventDetails", "mapIterationSucceededEventDetails", "mapIterationFailedEventDetails", "mapIterationAbortedEventDetails"]) {
    const details = e[key] as { index: number } | undefined;
    if (details) parts.push(`#${details.index}`);
  }
  if (typeof e["taskId"] === "string") parts.push(e["taskId"]);
  const error = errorOf(event);
  if (error !== undefined) parts.push(error);
  return parts.join(" ");
}

/** The error an event reports, wherever its type keeps it. */
export function errorOf(event: HistoryEvent): string | undefined {
  const e = event as unknown as Record<string, unknown>;
  if (typeof e["error"] === "string") return e["error"];
  for (const [key, value] of Object.entries(e)) {
    if (key.endsWith("EventDetails") && value !== null && typeof value === "object" && typeof (value as { error?: unknown }).error === "string") {
      return (value as { error: string }).error;
    }
  }
  return undefined;
}

/** The events of a step, one line each (see `brief`). */
export const briefs = (step: Step): string[] => step.events.map(brief);

/** The event types of a step, in order. */
export const types = (step: Step): string[] => step.events.map((e) => e.type);

/** The pending work of a step (none once the execution has ended). */
export const pending = (step: Step): readonly Pending[] => (step.status === "continue" ? step.pending : []);

/** The one pending task of a step (fails the spec when there is not exactly one). */
export function onlyTask(step: Step): Extract<Pending, { kind: "task" }> {
  const tasks = pending(step).filter((p): p is Extract<Pending, { kind: "task" }> => p.kind === "task");
  expect(tasks).toHaveLength(1);
  return tasks[0] as Extract<Pending, { kind: "task" }>;
}

/** The pending timers of a step. */
export const timers = (step: Step): Extract<Pending, { kind: "timer" }>[] =>
  pending(step).filter((p): p is Extract<Pending, { kind: "timer" }> => p.kind === "timer");

/**
 * The event of type T. Some event kinds share one shape for several types (`PassStateEntered`,
 * `TaskStateEntered`, ... are one union member), so a plain Extract would give `never`.
 */
export type EventOf<T extends HistoryEventType> = HistoryEvent extends infer E ? (E extends HistoryEvent ? (T extends E["type"] ? E & { readonly type: T } : never) : never) : never;

/** The first event of a step with this type (fails the spec when there is none). */
export function eventOf<T extends HistoryEventType>(step: Step, type: T): EventOf<T> {
  const found = step.events.find((e) => e.type === type);
  expect(found, `no ${type} event in ${JSON.stringify(briefs(step))}`).toBeDefined();
  return found as EventOf<T>;
}

/** Every event of a step with this type. */
export const eventsOf = <T extends HistoryEventType>(step: Step, type: T): EventOf<T>[] => step.events.filter((e): e is EventOf<T> => e.type === type);

/** The output a state's Exited event carries (the first one for that state in the step). */
export function exitOutput(step: Step, state: string): unknown {
  const exited = step.events.find((e) => "stateExitedEventDetails" in e && e.stateExitedEventDetails.name === state);
  expect(exited, `state '${state}' did not exit in ${JSON.stringify(briefs(step))}`).toBeDefined();
  return (exited as Extract<HistoryEvent, { stateExitedEventDetails: unknown }>).stateExitedEventDetails.output;
}

/** Then the execution succeeded with exactly this output. */
export function expectSucceeded(step: Step, output: unknown): void {
  expect(step.status).toBe("succeeded");
  if (step.status === "succeeded") expect(step.output).toEqual(output);
}

/** Then the execution ended with this status and exactly this error and cause (absent when undefined). */
export function expectEnded(step: Step, status: "failed" | "aborted" | "timed_out", error?: string, cause?: string): void {
  expect(step.status).toBe(status);
  if (step.status === "failed" || step.status === "aborted" || step.status === "timed_out") {
    expect({ error: step.error, cause: step.cause }).toEqual({ error, cause });
    expect("error" in step).toBe(error !== undefined);
    expect("cause" in step).toBe(cause !== undefined);
  }
}

/** Then the execution failed with exactly this error and cause. */
export const expectFailed = (step: Step, error?: string, cause?: string): void => expectEnded(step, "failed", error, cause);

/**
 * Then the command is rejected with this code, and the execution it was sent to is left exactly as
 * it was (a rejection changes nothing). Returns the rejection's message.
 */
export async function expectRejected(execution: Execution, command: Command, code: CommandRejectionCode): Promise<string> {
  const before = JSON.stringify(execution);
  let caught: unknown;
  try {
    await resume(execution, command);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(CommandRejected);
  expect((caught as CommandRejected).code).toBe(code);
  expect(JSON.stringify(execution)).toBe(before);
  return (caught as CommandRejected).message;
}

/** AWS's prefix of an interpreter-raised cause. */
export const located = (state: string, enteredEventId: number, detail: string): string =>
  `An error occurred while executing the state '${state}' (entered at the event id #${enteredEventId}). ${detail}`;

/** The previousEventId of each event of a step, in order. */
export const chain = (step: Step): number[] => step.events.map((e) => e.previousEventId);
