/**
 * The public API with every value that crosses `parse`, `validate`, `start`, `resume`, `recover`
 * and `evolve` deep-frozen, both ways: what a caller gives (definitions, options, inputs,
 * executions, commands, events) and what it gets back. The "frozen" test project runs the whole
 * suite against it (vitest.config.ts), so that stepfold is seen never to change what it is given
 * and to work on what it handed out, frozen.
 */
// `src/./index.js`: the frozen project's alias takes `src/index.js` to this module.
import * as api from "../../src/./index.js";
import { deepFreeze } from "../../src/data/json.js";

export * from "../../src/./index.js";

/**
 * What a call is given, frozen: a frozen copy, so that the caller's own value stays as it was (a
 * spec may go on changing the log it passed). A Workflow is passed as parse made it (its Maps hold
 * compiled parts), an execution stepfold made (frozen already) as it is, and a value that cannot be
 * copied (a Proxy or getter that throws, as hostile-input specs pass) as it is.
 */
function given<T>(value: T): T {
  try {
    if (value === null || typeof value !== "object" || Object.isFrozen(value)) return value;
    if ("states" in value && value.states instanceof Map) return value;
    return isPlainData(value) ? deepFreeze(structuredClone(value)) : value;
  } catch {
    return value;
  }
}

/** True for plain objects and arrays all the way down, with data properties only (what a copy keeps as it is). */
function isPlainData(value: unknown): boolean {
  const pending: unknown[] = [value];
  const seen = new Set<object>();
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === "function" || typeof next === "symbol" || typeof next === "bigint") return false;
    if (next === null || typeof next !== "object") continue;
    // Shared or cyclic values are no tree of data: passed as they are.
    if (seen.has(next) || seen.size > 100_000) return false;
    seen.add(next);
    const prototype = Object.getPrototypeOf(next) as unknown;
    if (prototype !== Object.prototype && prototype !== Array.prototype && prototype !== null) return false;
    for (const descriptor of Object.values(Object.getOwnPropertyDescriptors(next))) {
      if (!("value" in descriptor)) return false;
      pending.push(descriptor.value);
    }
  }
  return true;
}

const freezeStep = (step: api.Step): api.Step => {
  for (const key of ["execution", "events", "added", "removed", "output"] as const) deepFreeze((step as unknown as Record<string, unknown>)[key]);
  return Object.freeze(step);
};

export const parse: typeof api.parse = (definition) => api.parse(given(definition));
export const validate: typeof api.validate = (definition) => deepFreeze(api.validate(given(definition)));
export const start: typeof api.start = (workflow, options) => api.start(workflow, given(options)).then(freezeStep);
export const resume: typeof api.resume = (execution, command) => api.resume(given(execution), given(command)).then(freezeStep);
export const recover: typeof api.recover = (workflow, events) => freezeStep(api.recover(workflow, given(events)));
export const evolve: typeof api.evolve = (execution, event, definition) => deepFreeze(api.evolve(given(execution), given(event), given(definition)));
