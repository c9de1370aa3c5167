/**
 * Checks on the shape of a scope's transition graph: StartAt and every Next, Default and Catcher
 * Next name a state of the same scope, every state is reachable from StartAt, and at least one
 * state ends the scope. Works on the raw state objects, so it reports even when states are malformed.
 */
import { pointerJoin, type Problem } from "./problems.js";

interface Edge {
  readonly target: string;
  /** Where the transition is written, below the scope (the pointer is only built for a problem). */
  readonly at: readonly (string | number)[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** The transitions a raw state object declares, each with where it is written. */
function edgesOf(state: Record<string, unknown>, name: string): Edge[] {
  const edges: Edge[] = [];
  const add = (value: unknown, at: readonly (string | number)[]) => {
    if (typeof value === "string") edges.push({ target: value, at });
  };
  add(state["Next"], ["States", name, "Next"]);
  add(state["Default"], ["States", name, "Default"]);
  for (const list of ["Choices", "Catch"] as const) {
    const entries = state[list];
    if (!Array.isArray(entries)) continue;
    entries.forEach((entry, index) => {
      if (isObject(entry)) add(entry["Next"], ["States", name, list, index, "Next"]);
    });
  }
  return edges;
}

const isTerminal = (state: Record<string, unknown>): boolean =>
  state["Type"] === "Succeed" || state["Type"] === "Fail" || state["End"] === true;

/** Every graph problem of one scope (`States` with its `StartAt`, at `scopePointer`). */
export function checkScopeGraph(scopePointer: string, startAt: unknown, states: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const names = new Set(Object.keys(states));
  const edges = new Map<string, Edge[]>();
  for (const name of names) {
    const state = states[name];
    edges.set(name, isObject(state) ? edgesOf(state, name) : []);
  }

  if (typeof startAt === "string" && !names.has(startAt)) {
    problems.push({ code: "MISSING_TRANSITION_TARGET", pointer: pointerJoin(scopePointer, "StartAt"), message: `Missing 'Next' target: ${startAt}` });
  }
  for (const list of edges.values()) {
    for (const edge of list) {
      if (!names.has(edge.target)) {
        problems.push({ code: "MISSING_TRANSITION_TARGET", pointer: pointerJoin(scopePointer, ...edge.at), message: `Missing 'Next' target: ${edge.target}` });
      }
    }
  }

  if (typeof startAt === "string" && names.has(startAt)) {
    const reached = new Set<string>([startAt]);
    const queue = [startAt];
    for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
      for (const edge of edges.get(name) ?? []) {
        if (names.has(edge.target) && !reached.has(edge.target)) {
          reached.add(edge.target);
          queue.push(edge.target);
        }
      }
    }
    for (const name of names) {
      if (!reached.has(name)) {
        problems.push({ code: "MISSING_TRANSITION_TARGET", pointer: pointerJoin(scopePointer, "States", name), message: `State "${name}" is not reachable.` });
      }
    }
  }

  if (names.size > 0 && ![...names].some((name) => isObject(states[name]) && isTerminal(states[name] as Record<string, unknown>))) {
    problems.push({ code: "MISSING_END_STATE", pointer: scopePointer, message: "Workflow has no terminal state" });
  }
  return problems;
}
