/** The bounds on one JSONata evaluation, and what stops one that passes them. */

/** Bounds on one evaluation. */
export const JSONATA_LIMITS = {
  /**
   * Work units: one per AST node evaluated, {@link JSONATA_LIMITS.callCost} per lambda call (a call
   * costs jsonata a frame, argument checks and a trampoline turn), and the work on whole values:
   * the values and characters read and made (the rates below). Roughly 0.5–2 s of one core, and,
   * since making values costs more than reading them, a few hundred MB at most.
   */
  maxSteps: 1_000_000,
  /** Work units one lambda call counts for, on top of its body's node. */
  callCost: 4,
  /** Values (array items, members) read that count as one step. */
  valuesPerStep: 64,
  /** Values made (new arrays and objects, their members) that count as one step (about 0.5 µs each, sandbox included). */
  madePerStep: 2,
  /** Characters read (searched, copied) that count as one step. */
  charactersPerStep: 1024,
  /** Characters of new strings that count as one step: about 200 bytes. */
  charactersMadePerStep: 128,
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
