/**
 * Runs a parsed intrinsic call against the execution's data. Pure: paths and randomness come
 * from the environment, failures come back as values.
 */
import { argumentFailure, arityProblem, SIGNATURES, valueProblem, type IntrinsicSignature } from "./functions.js";
import { PATH_FAILURE_ERROR, type IntrinsicCall, type IntrinsicEnvironment, type IntrinsicResult } from "./types.js";

/** The table by name, as a Map: a name's hash is cached in the string, so lookups stay cheap. */
const BY_NAME: ReadonlyMap<string, IntrinsicSignature> = new Map(Object.entries(SIGNATURES));

/**
 * Evaluates a call: arguments left to right (paths read through `env`, nested calls first), each
 * checked against its parameter, then the function itself. A path that selects nothing fails
 * with `States.Runtime` and the environment's message; unusable arguments fail with
 * `INTRINSIC_FAILURE_ERROR` (`States.IntrinsicFailure`). Never throws on bad data.
 */
export function evaluateIntrinsic(call: IntrinsicCall, env: IntrinsicEnvironment): IntrinsicResult {
  // The call normally comes from parseIntrinsic, but a hand-made one must not crash either.
  const signature = BY_NAME.get(call.name);
  if (signature === undefined) return argumentFailure(`'${String(call.name)}' is not a known intrinsic function`);
  const arity = arityProblem(signature, call.args.length);
  if (arity !== undefined) return argumentFailure(arity);
  const values = new Array<unknown>(call.args.length);
  for (let i = 0; i < call.args.length; i++) {
    const arg = call.args[i];
    let value: unknown;
    if (arg === undefined) {
      value = undefined;
    } else if (arg.kind === "literal") {
      value = arg.value;
    } else if (arg.kind === "path") {
      const read = env.readPath(arg.path);
      if (!read.ok) return { ok: false, error: PATH_FAILURE_ERROR, message: read.message };
      value = read.value;
    } else {
      const inner = evaluateIntrinsic(arg.call, env);
      if (!inner.ok) return inner;
      value = inner.value;
    }
    const problem = valueProblem(signature, i, value);
    if (problem !== undefined) return argumentFailure(problem);
    values[i] = value;
  }
  try {
    return signature.evaluate(values, call, env);
  } catch (error) {
    // Last line of defence, e.g. a stack overflow comparing absurdly deep data.
    return argumentFailure(`${call.name} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
