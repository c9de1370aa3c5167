/** The bounds on one JSONata evaluation, and what stops one that passes them. */

/** Bounds on one evaluation. */
export const JSONATA_LIMITS = {
  /**
   * Work units: one per AST node evaluated, {@link JSONATA_LIMITS.callCost} per lambda call (a call
   * costs jsonata a frame, argument checks and a trampoline turn), one per
   * {@link JSONATA_LIMITS.valuesPerStep} values and {@link JSONATA_LIMITS.charactersPerStep}
   * characters that work on whole values touches. Roughly 0.5–1.5 s of one core.
   */
  maxSteps: 1_000_000,
  /** Work units one lambda call counts for, on top of its body's node. */
  callCost: 4,
  /** Values (array items, members) of work that count as one step. */
  valuesPerStep: 64,
  /** Characters of work (searching, building strings) that count as one step. */
  charactersPerStep: 1024,
  /**
   * Lambda bodies active at once. Counted across concurrently evaluated siblings too (jsonata
   * evaluates array items and object values concurrently), hence generous.
   */
  maxCallDepth: 10_000,
  /** Characters of one intermediate string. */
  maxStringLength: 10_000_000,
  /** Items of one intermediate array. */
  maxArrayLength: 1_000_000,
  /** Values in one intermediate value, counted as if it were written out (shared parts each time). */
  maxValues: 5_000_000,
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
