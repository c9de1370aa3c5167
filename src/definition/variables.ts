/**
 * Workflow variable scopes. Every `States` object (the machine, each Parallel branch, each Map item
 * processor) is a scope; an inner scope reads the variables of the scopes around it but must not
 * assign a name that an outer scope assigns (AWS rejects such a definition).
 */
import type { JsonataTemplate } from "../data/jsonata.js";
import type { PayloadTemplate } from "../data/template.js";
import type { Scope, State } from "./model.js";
import { pointerJoin, type Problem } from "./problems.js";

/** A variable assignment and where it is written. */
interface Assignment {
  readonly name: string;
  readonly pointer: string;
}

type AnyTemplate = PayloadTemplate | JsonataTemplate;

/** The variable names an Assign template assigns. */
function assignedNames(template: AnyTemplate | undefined): string[] {
  if (!template) return [];
  if (template.kind === "object") return template.entries.map((entry) => (Array.isArray(entry) ? (entry[0] as string) : (entry as { key: string }).key));
  if (template.kind === "literal" && template.value !== null && typeof template.value === "object") return Object.keys(template.value);
  return [];
}

/** Every assignment the states of one scope make (their own, their rules' and their catchers'). */
function assignmentsOf(state: State): Assignment[] {
  const found: Assignment[] = [];
  const add = (template: AnyTemplate | undefined, ...at: (string | number)[]) => {
    for (const name of assignedNames(template)) {
      // The JSONPath key may carry the `.$` suffix in the definition; point at the Assign object.
      found.push({ name, pointer: pointerJoin(state.pointer, ...at, "Assign") });
    }
  };
  if ("dataflow" in state) add(state.dataflow.assign);
  if (state.type === "Choice") state.choices.forEach((branch, i) => add(branch.assign, "Choices", i));
  if (state.type === "Task" || state.type === "Parallel" || state.type === "Map") {
    state.catch.forEach((catcher, i) => add(catcher.dataflow.assign, "Catch", i));
  }
  return found;
}

/** The scopes nested directly in a state. */
const innerScopes = (state: State): readonly Scope[] => (state.type === "Parallel" ? state.branches : state.type === "Map" ? [state.processor] : []);

/** Problems for inner scopes that assign variables an outer scope assigns. */
export function checkVariableScopes(root: Scope): Problem[] {
  const problems: Problem[] = [];
  const visit = (scope: Scope, outer: ReadonlySet<string>): void => {
    const assignments = [...scope.states.values()].flatMap(assignmentsOf);
    for (const { name, pointer } of assignments) {
      if (outer.has(name)) {
        problems.push({
          code: "SCHEMA_VALIDATION_FAILED",
          pointer,
          message: `The variable '${name}' is assigned in an outer scope, so it can not be assigned inside a Parallel branch or Map iteration`,
        });
      }
    }
    const visible = new Set([...outer, ...assignments.map((a) => a.name)]);
    for (const state of scope.states.values()) for (const inner of innerScopes(state)) visit(inner, visible);
  };
  visit(root, new Set());
  return problems;
}
