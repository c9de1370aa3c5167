/**
 * Writing a value at a Reference Path (ResultPath semantics) without mutating the document.
 */
import { jsonType, normalize } from "./messages.js";
import { isObject, miss, setOwn } from "./read.js";
import type { CompiledPath, PathRead, PathStep } from "./types.js";

/**
 * Places `value` at a Reference Path inside a copy of `document` (ResultPath semantics). `$`
 * replaces the document; otherwise only the objects and arrays along the path are copied
 * (everything else is shared) and missing objects on the way are created. An array index must
 * already exist: arrays are never created or extended (AWS's behaviour there is unrecorded; this
 * is the conservative choice). A name step on a value that is not an object, an index step on a
 * value that is not an array, a path that is not a Reference Path, or one on `$$` or a variable,
 * yields `{ok:false}` with a plain message; `document` is never mutated.
 */
export function writePath(document: unknown, path: CompiledPath, value: unknown): PathRead {
  if (path.root !== "input") {
    return miss(`Cannot write to '${path.source}': only paths on the state's data ('$') can be written`);
  }
  if (!path.reference) return miss(`Cannot write to '${path.source}': it is not a Reference Path`);
  const steps = path.steps;
  const count = steps.length;
  // Walk down first (remembering each parent), then rebuild upwards: no recursion on long paths.
  const parents: unknown[] = new Array<unknown>(count);
  let node: unknown = document;
  for (let i = 0; i < count; i++) {
    const step = steps[i] as PathStep;
    parents[i] = node;
    if (typeof step === "string") {
      if (node === undefined) continue;
      if (!isObject(node)) {
        return miss(
          `Cannot write to '${path.source}': ${normalize(path.segments, i)} is ${describeValue(node)}, not an object`,
        );
      }
      node = Object.hasOwn(node, step) ? node[step] : undefined;
    } else {
      if (node === undefined) {
        return miss(
          `Cannot write to '${path.source}': ${normalize(path.segments, i)} does not exist, so its index [${step}] cannot be set`,
        );
      }
      if (!Array.isArray(node)) {
        return miss(
          `Cannot write to '${path.source}': ${normalize(path.segments, i)} is ${describeValue(node)}, not an array`,
        );
      }
      if (step >= node.length) {
        return miss(
          `Cannot write to '${path.source}': index [${step}] is out of bounds for ${normalize(path.segments, i)} (length ${node.length})`,
        );
      }
      node = node[step];
    }
  }
  let built = value;
  for (let i = count - 1; i >= 0; i--) {
    const step = steps[i] as PathStep;
    const parent = parents[i];
    if (typeof step === "string") {
      const copy: Record<string, unknown> = parent === undefined ? {} : { ...(parent as Record<string, unknown>) };
      setOwn(copy, step, built);
      built = copy;
    } else {
      const copy = (parent as readonly unknown[]).slice();
      copy[step] = built;
      built = copy;
    }
  }
  return { ok: true, value: built };
}

function describeValue(value: unknown): string {
  const type = jsonType(value);
  return type === "null" ? "null" : type === "array" || type === "object" ? `an ${type}` : `a ${type}`;
}
