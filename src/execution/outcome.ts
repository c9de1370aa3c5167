/**
 * What a state's step leads to, and the small helpers the decider and the state modules share
 * to build outcomes, failures and times.
 */
import type { ActiveState } from "./model.js";
import type { Failure, Outcome } from "./dataflow.js";

/** What a state's step leads to. */
export type StateOutcome =
  | { readonly kind: "next"; readonly name: string; readonly input: unknown }
  | { readonly kind: "end"; readonly output: unknown }
  | { readonly kind: "blocked" }
  | { readonly kind: "failed"; readonly failure: Failure };

/** The step waits for the host (a task, a timer, children). */
export const BLOCKED: StateOutcome = { kind: "blocked" };

/** Errors no Retry or Catch ever handles. */
export const TERMINAL_ERRORS: ReadonlySet<string> = new Set(["States.Runtime"]);

/**
 * The latest time an event or timer names: the last millisecond of year 9999, past which ISO 8601
 * needs an expanded year (`+010000-...`) that no longer sorts as text.
 */
export const LATEST_MILLIS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** The longest error name an execution history holds (AWS's API limit). */
export const MAX_ERROR_LENGTH = 256;

/** The longest cause an execution history holds (AWS's API limit). */
export const MAX_CAUSE_LENGTH = 32_768;

/** The largest retry interval: AWS's upper bound on MaxDelaySeconds (31,622,400 s, 366 days). */
export const MAX_RETRY_DELAY_SECONDS = 31_622_400;

/** ISO 8601 text of a time in epoch milliseconds, no later than {@link LATEST_MILLIS}. */
export const isoAt = (millis: number): string => new Date(Number.isFinite(millis) ? Math.min(millis, LATEST_MILLIS) : LATEST_MILLIS).toISOString();

/** ISO 8601 time `seconds` after `atMillis` (to the millisecond), no later than {@link LATEST_MILLIS}. */
export const isoAfter = (atMillis: number, seconds: number): string => isoAt(atMillis + Math.round(seconds * 1000));

/** A failed Outcome. */
export function fail(error: string, cause: string, location?: string): Outcome<never> {
  return { ok: false, failure: location === undefined ? { error, cause } : { error, cause, location } };
}

/** An error and cause without the ones that are undefined (for an event, or a Fail state's failure). */
export function errorFields(failure: { error?: string | undefined; cause?: string | undefined }): { error?: string; cause?: string } {
  return { ...(failure.error !== undefined ? { error: failure.error } : {}), ...(failure.cause !== undefined ? { cause: failure.cause } : {}) };
}

/** Whether a Distributed Map tolerates `failures` failed items (either threshold breached fails it; none set tolerates none). */
export function tolerated(work: Extract<ActiveState["work"], { kind: "map" }>, failures: number): boolean {
  const { count, percentage } = work.tolerance ?? {};
  if (count === undefined && percentage === undefined) return false;
  if (count !== undefined && failures > count) return false;
  if (percentage !== undefined && (failures / Math.max(work.items.length, 1)) * 100 > percentage) return false;
  return true;
}

/** The region part of an ARN (`arn:aws:states:eu-west-1:...`), empty when it has none. */
export const regionOf = (arn: string): string => /^arn:[^:]+:[^:]+:([^:]*):/.exec(arn)?.[1] ?? "";

/** The evaluated Credentials as AWS records them: `{ roleArn }`. */
export function credentialsOf(value: unknown): { roleArn: unknown } | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const record = value as Record<string, unknown>;
  return Object.hasOwn(record, "RoleArn") ? { roleArn: record["RoleArn"] } : undefined;
}

/** Whether an ErrorEquals list matches an error name (States.ALL, States.TaskFailed wildcards). */
export function errorMatches(errorEquals: readonly string[], error: string | undefined): boolean {
  for (const name of errorEquals) {
    if (name === error) return true;
    if (name === "States.ALL") return true;
    if (name === "States.TaskFailed" && error !== "States.Timeout") return true;
  }
  return false;
}
