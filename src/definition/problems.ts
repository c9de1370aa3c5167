/**
 * Problems found in a state machine definition, coded in AWS's vocabulary
 * (the codes CreateStateMachine and ValidateStateMachineDefinition report).
 */

/** What kind of problem a definition has; AWS's own codes. */
export type ProblemCode =
  /** The definition is not JSON text that parses. */
  | "INVALID_JSON_DESCRIPTION"
  /** The definition is null, empty or not an object. */
  | "MISSING_DESCRIPTION"
  /** A field is missing, unknown, of the wrong type or out of range. */
  | "SCHEMA_VALIDATION_FAILED"
  /** StartAt, Next, Default or a Catcher's Next names no state in its scope, or a state is unreachable. */
  | "MISSING_TRANSITION_TARGET"
  /** Two states anywhere in the machine share a name. */
  | "DUPLICATE_STATE_NAME"
  /** A States object has no terminal state. */
  | "MISSING_END_STATE"
  /** A `{% %}` expression does not compile. */
  | "INVALID_JSONATA_EXPRESSION"
  /** A `{% %}` expression uses something JSONata states may not use there. */
  | "UNSUPPORTED_JSONATA_EXPRESSION"
  /** A state name that breaks AWS's naming rules (1 to 80 characters). */
  | "INVALID_STATE_NAME"
  /** A Task Resource that is not an ARN. */
  | "INVALID_RESOURCE";

/** One thing wrong with a definition. */
export interface Problem {
  readonly code: ProblemCode;
  /** JSON pointer (RFC 6901) into the definition; `""` for the whole document. */
  readonly pointer: string;
  /** Plain English. */
  readonly message: string;
}

/** Thrown by `parse` when a definition has problems; `problems` lists every one of them. */
export class DefinitionError extends Error {
  override readonly name = "DefinitionError";
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    const first = problems[0];
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
    super(
      first
        ? `Invalid state machine definition: ${first.code}: ${first.message} at '${first.pointer}'${more}`
        : "Invalid state machine definition",
    );
    this.problems = problems;
  }
}

/** Escapes one reference token of a JSON pointer (RFC 6901). */
export const pointerToken = (token: string | number): string =>
  typeof token === "number" ? String(token) : /[~/]/.test(token) ? token.replace(/~/g, "~0").replace(/\//g, "~1") : token;

/** Appends tokens to a JSON pointer. */
export const pointerJoin = (base: string, ...tokens: ReadonlyArray<string | number>): string =>
  tokens.reduce<string>((pointer, token) => `${pointer}/${pointerToken(token)}`, base);
