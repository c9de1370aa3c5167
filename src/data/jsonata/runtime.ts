/**
 * What one evaluation carries beside the data: its random source, its clock reading, and the
 * budgets that stop a runaway expression. JSONata can loop forever (`function($f){$f($f)}`), so
 * every evaluation is bounded by counts, never by wall-clock time, to stay deterministic:
 * - steps: AST nodes jsonata evaluates, lambda calls weighing more (AWS stops at 1 s:
 *   "Expression evaluation timeout");
 * - call depth: lambda bodies entered and not yet left ("Stack overflow error");
 * - size: any intermediate string or array past a bound ("Expression evaluation memory limit exceeded").
 */

/** Bounds on one evaluation. */
export const JSONATA_LIMITS = {
  /**
   * Work units: one per AST node evaluated, {@link JSONATA_LIMITS.callCost} per lambda call (a call
   * costs jsonata a frame, argument checks and a trampoline turn). Roughly 0.5–1.5 s of one core.
   */
  maxSteps: 1_000_000,
  /** Work units one lambda call counts for, on top of its body's node. */
  callCost: 4,
  /**
   * Lambda bodies active at once. Counted across concurrently evaluated siblings too (jsonata
   * evaluates array items and object values concurrently), hence generous.
   */
  maxCallDepth: 10_000,
  /** Characters of one intermediate string. */
  maxStringLength: 10_000_000,
  /** Items of one intermediate array. */
  maxArrayLength: 1_000_000,
} as const;

/** The messages AWS gives for an evaluation stopped by a limit (DG). */
export const LIMIT_MESSAGES = {
  timeout: "Expression evaluation timeout",
  depth: "Stack overflow error",
  memory: "Expression evaluation memory limit exceeded",
} as const;

/** Which limit stopped an evaluation. */
export type LimitKind = keyof typeof LIMIT_MESSAGES;

/** Thrown from inside an evaluation when a limit is reached; never escapes `evaluateJsonata`. */
export class LimitExceeded extends Error {
  readonly kind: LimitKind;
  constructor(kind: LimitKind) {
    super(LIMIT_MESSAGES[kind]);
    this.kind = kind;
  }
}

/** Per-evaluation state, reachable from jsonata's environment under {@link RUN_BINDING}. */
export interface Run {
  /** Returns 0 ≤ n < 1; the evaluation's only source of randomness. */
  readonly random: () => number;
  /** Milliseconds since the epoch that `$now()`/`$millis()` report. */
  readonly nowMillis: number;
  readonly lambdaBodies: ReadonlySet<object>;
  steps: number;
  depth: number;
  started: boolean;
  /** Set when the evaluation has returned: stray concurrent branches stop at their next step. */
  finished: boolean;
}

/**
 * The binding name under which the {@link Run} travels. JSONata variable names cannot contain a
 * space, so no expression can read or rebind it.
 */
export const RUN_BINDING = "stepfold run";

/** jsonata's environment (frame) as the hooks and registered functions see it. */
export interface Frame {
  lookup(name: string | symbol): unknown;
  timestamp?: unknown;
}

/** The Run of the evaluation `frame` belongs to. */
export const runOf = (frame: Frame | undefined): Run | undefined => {
  const run = frame?.lookup(RUN_BINDING);
  return typeof run === "object" && run !== null ? (run as Run) : undefined;
};

/** jsonata's `__evaluate_entry` hook: counts a step, enters a lambda body, fixes the clock once. */
export function enterNode(node: unknown, _input: unknown, frame: Frame): void {
  const run = runOf(frame);
  if (run === undefined) return;
  if (run.finished) throw new LimitExceeded("timeout");
  if (!run.started) {
    run.started = true;
    // jsonata read the wall clock for this evaluation; replace it before any frame copies it.
    frame.timestamp = new Date(run.nowMillis);
  }
  const call = typeof node === "object" && node !== null && run.lambdaBodies.has(node);
  run.steps += call ? 1 + JSONATA_LIMITS.callCost : 1;
  if (run.steps > JSONATA_LIMITS.maxSteps) throw new LimitExceeded("timeout");
  if (call && ++run.depth > JSONATA_LIMITS.maxCallDepth) throw new LimitExceeded("depth");
}

/** jsonata's `__evaluate_exit` hook: leaves a lambda body, bounds the size of what was computed. */
export function exitNode(node: unknown, _input: unknown, frame: Frame, result: unknown): void {
  const run = runOf(frame);
  if (run === undefined) return;
  if (typeof node === "object" && node !== null && run.lambdaBodies.has(node)) run.depth--;
  if (typeof result === "string" && result.length > JSONATA_LIMITS.maxStringLength) throw new LimitExceeded("memory");
  if (Array.isArray(result) && result.length > JSONATA_LIMITS.maxArrayLength) throw new LimitExceeded("memory");
}
