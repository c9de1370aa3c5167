/**
 * JSONPath as Step Functions uses it (Jayway flavour): parsed once into a CompiledPath, then read
 * (InputPath, OutputPath, `.$` values, intrinsic arguments, Choice variables) and written
 * (ResultPath) without ever parsing text again.
 *
 * AWS evaluates paths with Jayway JsonPath; its error texts ("No results for path: $['a']",
 * "Missing property in path $['a']") and its evaluation rules are mirrored here:
 * - a *definite* path (only single names, single indexes, and possibly a final name union) selects
 *   one value and a miss is an error;
 * - an *indefinite* path (wildcard, slice, index union, filter, deep scan) selects a list of
 *   values in document order; a miss anywhere is never an error (AWS answers `[]`);
 * - a final name union `['a','b']` is definite in Jayway: it yields one object holding the names
 *   that exist (`{"a":1,"b":2}`), not an array.
 *
 * No JavaScript is ever evaluated: filters are parsed into a small AST at definition time.
 * Only own properties are read, and objects are built so that `__proto__` stays plain data.
 */

export { parsePath, parseReferencePath } from "./parse.js";
export { readPath } from "./read.js";
export { writePath } from "./write.js";
export type {
  CompiledPath,
  FilterExpression,
  FilterLiteral,
  FilterOperand,
  FilterOperator,
  FilterPath,
  PathDocuments,
  PathRead,
  PathRoot,
  PathSegment,
  PathStep,
} from "./types.js";
