/**
 * Intrinsic functions of JSONPath states (`States.Format(...)` and the other 17): parse once
 * when the definition is read, evaluate on every use.
 */
export { parseIntrinsic } from "./parse.js";
export { evaluateIntrinsic } from "./evaluate.js";
export { INTRINSIC_NAMES, isIntrinsicName } from "./functions.js";
export {
  INTRINSIC_FAILURE_ERROR,
  MAX_INTRINSIC_NESTING,
  PATH_FAILURE_ERROR,
  type IntrinsicArgument,
  type IntrinsicCall,
  type IntrinsicEnvironment,
  type IntrinsicName,
  type IntrinsicResult,
} from "./types.js";
