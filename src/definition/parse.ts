/**
 * The two entry points of the definition room: `validate` lists every problem of a definition,
 * `parse` turns a valid one into a Workflow.
 */
import { copyJsonData, deepFreeze } from "../data/json.js";
import { compileMachine } from "./compile.js";
import { checkVariableScopes } from "./variables.js";
import type { Workflow } from "./model.js";
import { DefinitionError, type Problem } from "./problems.js";

/** The definition as a private JSON copy, or the problem that stops reading it. */
function readDefinition(definition: unknown): { copy: Record<string, unknown> } | { problem: Problem } {
  if (definition === undefined || definition === null || (typeof definition === "string" && definition.trim() === "")) {
    return { problem: { code: "MISSING_DESCRIPTION", pointer: "", message: "The definition is empty" } };
  }
  let parsed: unknown = definition;
  if (typeof definition === "string") {
    try {
      parsed = JSON.parse(definition);
    } catch (error) {
      return { problem: { code: "INVALID_JSON_DESCRIPTION", pointer: "", message: `The definition is not valid JSON: ${(error as Error).message}` } };
    }
  }
  // A private copy (the argument is never touched, and later changes to it never reach a
  // Workflow), nested no deeper than JSON data may be.
  const copied = copyJsonData(parsed);
  if (!copied.ok) {
    return { problem: { code: "INVALID_JSON_DESCRIPTION", pointer: "", message: `The definition is not JSON data: ${copied.message}` } };
  }
  // Frozen: the workflow's literals (a Pass state's Result, constant Parameters) are handed out as outputs and task inputs.
  const copy = deepFreeze(copied.value);
  if (copy === null || typeof copy !== "object" || Array.isArray(copy)) {
    return { problem: { code: "SCHEMA_VALIDATION_FAILED", pointer: "", message: "The definition must be a JSON object" } };
  }
  return { copy: copy as Record<string, unknown> };
}

function analyze(definition: unknown): { problems: Problem[]; workflow?: Workflow } {
  const read = readDefinition(definition);
  if ("problem" in read) return { problems: [read.problem] };
  const problems: Problem[] = [];
  const { root, states, language } = compileMachine(read.copy, problems);
  if (root) problems.push(...checkVariableScopes(root));
  if (problems.length > 0 || !root) return { problems };
  const { Comment: comment, Version: version, TimeoutSeconds: timeoutSeconds } = read.copy;
  return {
    problems,
    workflow: {
      queryLanguage: language,
      ...(typeof comment === "string" ? { comment } : {}),
      version: typeof version === "string" ? version : "1.0",
      ...(typeof timeoutSeconds === "number" ? { timeoutSeconds } : {}),
      root,
      states,
      definition: read.copy,
    },
  };
}

/**
 * Checks a state machine definition (an object, or JSON text) and returns every problem found:
 * structure, transitions, paths, templates, intrinsic calls and JSONata expressions.
 * Returns `[]` for a valid definition. Never throws and never changes its argument.
 */
export function validate(definition: unknown): Problem[] {
  return analyze(definition).problems;
}

/**
 * Turns a state machine definition (an object, or JSON text) into a validated, precompiled
 * Workflow. Throws `DefinitionError`, listing every problem, when the definition is invalid.
 * Never changes its argument.
 */
export function parse(definition: unknown): Workflow {
  const { problems, workflow } = analyze(definition);
  if (!workflow) throw new DefinitionError(problems);
  return workflow;
}
