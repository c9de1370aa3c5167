/**
 * The shapes of a compiled intrinsic function call and of its evaluation.
 */
import type { CompiledPath } from "../path.js";

/** The 18 intrinsic functions of the Amazon States Language. */
export type IntrinsicName =
  | "States.Format"
  | "States.StringToJson"
  | "States.JsonToString"
  | "States.Array"
  | "States.ArrayPartition"
  | "States.ArrayContains"
  | "States.ArrayRange"
  | "States.ArrayGetItem"
  | "States.ArrayLength"
  | "States.ArrayUnique"
  | "States.Base64Encode"
  | "States.Base64Decode"
  | "States.Hash"
  | "States.JsonMerge"
  | "States.MathRandom"
  | "States.MathAdd"
  | "States.StringSplit"
  | "States.UUID";

/** One argument of a call, as written: a literal, a path to read, or a nested call. */
export type IntrinsicArgument =
  | {
      readonly kind: "literal";
      readonly value: string | number | boolean | null;
      /**
       * For a string literal: the text between the quotes exactly as written, escapes intact.
       * `States.Format` needs it to tell an escaped brace (`\{`, literal text) from a placeholder.
       */
      readonly raw?: string;
    }
  | { readonly kind: "path"; readonly path: CompiledPath }
  | { readonly kind: "call"; readonly call: IntrinsicCall };

/** A parsed and statically checked intrinsic function call. */
export interface IntrinsicCall {
  readonly name: IntrinsicName;
  readonly args: readonly IntrinsicArgument[];
  /** The call as written, e.g. `States.Format('{}', $.a)`. */
  readonly source: string;
}

/** What evaluation needs from the running execution. */
export interface IntrinsicEnvironment {
  /** Reads a path argument (the caller resolves `$`, `$$` and variables). */
  readPath(path: CompiledPath): { ok: true; value: unknown } | { ok: false; message: string };
  /** Next number in [0, 1) from the execution's seeded generator (States.UUID, States.MathRandom without seed). */
  random(): number;
}

/** The value of a call, or the AWS error name and cause text it fails with. */
export type IntrinsicResult = { ok: true; value: unknown } | { ok: false; error: string; message: string };

/**
 * The error an intrinsic function raises when its arguments are unusable (wrong type, out of
 * range, unparsable text). The SPEC names it `States.IntrinsicFailure`; no AWS recording shows
 * which name AWS really uses, so it lives here, in one place, to be switched if one turns up.
 */
export const INTRINSIC_FAILURE_ERROR = "States.IntrinsicFailure";

/** The error for a path argument that selects nothing: AWS reports path misses as `States.Runtime`. */
export const PATH_FAILURE_ERROR = "States.Runtime";

/** How deep calls may nest inside one field (AWS Developer Guide: up to 10 intrinsic functions). */
export const MAX_INTRINSIC_NESTING = 10;
