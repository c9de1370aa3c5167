/**
 * Reading a CompiledPath: definite paths select one value (a miss is an error), indefinite paths a
 * list of matches in document order (a miss is never an error). Filter tests are evaluated by
 * `filter-eval.ts`, which reads the paths inside them with `readDefinite` and `selectAll` here.
 */
import { testFilter } from "./filter-eval.js";
import { fragment, jsonType, normalize, printNode } from "./messages.js";
import type { CompiledPath, PathDocuments, PathRead, PathSegment } from "./types.js";

/** A plain object (not null, not an array), whose own properties a path may read. */
export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Sets an own data property, so that a `__proto__` key is stored as data and never changes a prototype. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
/** A failed read or write, with its message. */
export const miss = (message: string): PathRead => ({ ok: false, message });

/**
 * Reads a path. A definite path yields its value, or `{ok:false}` with Jayway's words for the
 * miss, e.g. `No results for path: $['a']` or `Missing property in path $['a']` (only that part:
 * the caller adds its own prefix, such as "Invalid path '<source>' : "). An indefinite path always
 * yields an array of the matches in document order (possibly empty), never an error. Values are
 * returned as they are in the documents (not copied). An unknown variable or a missing context
 * object is an error.
 */
export function readPath(path: CompiledPath, documents: PathDocuments): PathRead {
  try {
    let document: unknown;
    if (path.root === "input") {
      document = documents.input;
    } else if (path.root === "context") {
      if (documents.context === undefined) return miss("No context object is available");
      document = documents.context;
    } else {
      const name = path.variable ?? "";
      const variables = documents.variables;
      if (variables === undefined || !Object.hasOwn(variables, name)) {
        return miss(`The variable '$${name}' is not defined`);
      }
      document = variables[name];
    }
    if (path.definite) return readDefinite(path.segments, document);
    return { ok: true, value: selectAll(path.segments, document, document) };
  } catch {
    // Only reachable on exotic host values (e.g. proxies that throw); JSON data never gets here.
    return miss(`The path ${path.normalized} could not be evaluated`);
  }
}

/** The hot path: one loop over single names and indexes, failing as Jayway does. */
export function readDefinite(segments: readonly PathSegment[], document: unknown): PathRead {
  let node = document;
  const lastIndex = segments.length - 1;
  for (let i = 0; i <= lastIndex; i++) {
    const segment = segments[i] as PathSegment;
    if (segment.kind === "name") {
      if (!isObject(node)) {
        return miss(
          `Expected to find an object with property ${fragment(segment)} in path ${normalize(segments, i)} but found '${jsonType(node)}'`,
        );
      }
      if (!Object.hasOwn(node, segment.name)) {
        return miss(
          i === lastIndex
            ? `No results for path: ${normalize(segments, segments.length)}`
            : `Missing property in path ${normalize(segments, i + 1)}`,
        );
      }
      node = node[segment.name];
    } else if (segment.kind === "index") {
      if (node === null) return miss(`The path ${normalize(segments, i)} is null`);
      if (!Array.isArray(node)) {
        let rest = "";
        for (let j = i; j <= lastIndex; j++) rest += fragment(segments[j] as PathSegment);
        return miss(`Filter: ${rest} can only be applied to arrays. Current context is: ${printNode(node)}`);
      }
      const at = segment.index < 0 ? node.length + segment.index : segment.index;
      if (at < 0 || at >= node.length) return miss(`No results for path: ${normalize(segments, segments.length)}`);
      node = node[at];
    } else if (segment.kind === "names") {
      if (!isObject(node)) {
        return miss(
          `Expected to find an object with property ${fragment(segment)} in path ${normalize(segments, i)} but found '${jsonType(node)}'`,
        );
      }
      node = pickNames(node, segment.names);
    } else if (segment.kind === "function") {
      return miss(`Path functions such as '${segment.name}()' are not supported`);
    } else {
      return miss(`No results for path: ${normalize(segments, segments.length)}`);
    }
  }
  return { ok: true, value: node };
}

/** Jayway's final name union: one object with the names that exist. */
function pickNames(node: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const name of names) if (Object.hasOwn(node, name)) setOwn(picked, name, node[name]);
  return picked;
}

/**
 * Evaluates an indefinite path segment by segment over the list of current nodes; each segment maps
 * a node to an ordered list, so the result keeps Jayway's depth-first document order.
 */
export function selectAll(segments: readonly PathSegment[], start: unknown, document: unknown): unknown[] {
  let current: unknown[] = [start];
  const lastIndex = segments.length - 1;
  for (let i = 0; i <= lastIndex; i++) {
    const segment = segments[i] as PathSegment;
    const next: unknown[] = [];
    if (segment.kind === "scan") {
      i += 1;
      const target = segments[i] as PathSegment;
      const last = i === lastIndex;
      for (const node of current) {
        if (!scan(node, target, last, document, next)) return [];
      }
    } else {
      const last = i === lastIndex;
      for (const node of current) {
        if (!applySegment(segment, node, last, document, next)) return [];
      }
    }
    current = next;
  }
  return current;
}

/**
 * Applies `target` at `root` and at every object or array below it, in pre-order (Jayway's walk),
 * where Jayway's scan predicate lets it. Iterative, so deep documents cannot overflow the stack.
 */
function scan(root: unknown, target: PathSegment, last: boolean, document: unknown, out: unknown[]): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      if (scanMatches(target, node, last, document) && !applySegment(target, node, last, document, out)) return false;
      for (let k = node.length - 1; k >= 0; k--) pushContainer(stack, node[k]);
    } else if (isObject(node)) {
      if (scanMatches(target, node, last, document) && !applySegment(target, node, last, document, out)) return false;
      const keys = Object.keys(node);
      for (let k = keys.length - 1; k >= 0; k--) pushContainer(stack, node[keys[k] as string]);
    }
  }
  return true;
}

function pushContainer(stack: unknown[], value: unknown): void {
  if (typeof value === "object" && value !== null) stack.push(value);
}

/** Jayway's scan predicates: which nodes the segment after `..` is tried on. */
function scanMatches(target: PathSegment, node: unknown, last: boolean, document: unknown): boolean {
  switch (target.kind) {
    case "name":
      return isObject(node) && Object.hasOwn(node, target.name);
    case "names":
      return isObject(node) && (!last || target.names.every((n) => Object.hasOwn(node, n)));
    case "index":
    case "indexes":
    case "slice":
      return Array.isArray(node);
    case "wildcard":
      return true;
    case "filter":
      return testFilter(target.test, node, document);
    default:
      return false;
  }
}

/**
 * Pushes what `segment` selects from `node` onto `out`; nodes of the wrong type select nothing.
 * Returns false when Jayway would abort the whole read (a non-final wildcard on a scalar), which
 * AWS reports as no match at all.
 */
function applySegment(segment: PathSegment, node: unknown, last: boolean, document: unknown, out: unknown[]): boolean {
  switch (segment.kind) {
    case "name":
      if (isObject(node) && Object.hasOwn(node, segment.name)) out.push(node[segment.name]);
      return true;
    case "names":
      if (!isObject(node)) return true;
      if (last) {
        out.push(pickNames(node, segment.names));
      } else {
        for (const name of segment.names) if (Object.hasOwn(node, name)) out.push(node[name]);
      }
      return true;
    case "index":
      if (Array.isArray(node)) pushIndex(node, segment.index, out);
      return true;
    case "indexes":
      if (Array.isArray(node)) for (const index of segment.indexes) pushIndex(node, index, out);
      return true;
    case "slice":
      if (Array.isArray(node)) pushSlice(node, segment.start, segment.end, out);
      return true;
    case "wildcard":
      if (Array.isArray(node)) {
        for (const item of node) out.push(item);
      } else if (isObject(node)) {
        for (const key of Object.keys(node)) out.push(node[key]);
      } else if (!last) {
        return false;
      }
      return true;
    case "filter":
      if (Array.isArray(node)) {
        for (const item of node) if (testFilter(segment.test, item, document)) out.push(item);
      } else if (isObject(node)) {
        // Jayway tests an object itself rather than its members.
        if (testFilter(segment.test, node, document)) out.push(node);
      }
      return true;
    default:
      return true;
  }
}

function pushIndex(array: readonly unknown[], index: number, out: unknown[]): void {
  const at = index < 0 ? array.length + index : index;
  if (at >= 0 && at < array.length) out.push(array[at]);
}

/**
 * Jayway's slices: `[a:]` and `[:b]` count negative bounds from the end; `[a:b]` clamps `b` to the
 * length and walks `a` to `b - 1`, each negative index counting from the end (so `[1:-1]` is empty).
 */
function pushSlice(array: readonly unknown[], start: number | undefined, end: number | undefined, out: unknown[]): void {
  const length = array.length;
  if (length === 0) return;
  if (end === undefined) {
    const from = Math.max(0, (start ?? 0) < 0 ? length + (start ?? 0) : (start ?? 0));
    for (let i = from; i < length; i++) out.push(array[i]);
  } else if (start === undefined) {
    const to = Math.min(length, end < 0 ? length + end : end);
    for (let i = 0; i < to; i++) out.push(array[i]);
  } else {
    const to = Math.min(length, end);
    // Indexes below -length select nothing; starting there keeps huge negative bounds cheap.
    for (let i = Math.max(start, -length); i < to; i++) pushIndex(array, i, out);
  }
}
