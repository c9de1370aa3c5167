/**
 * Readies a parsed expression (jsonata 2.0.6's AST) for evaluation, in place, once:
 * - each regex literal becomes a variable that an evaluation binds to a linear-time search
 *   (regex.ts), so that no expression ever runs the backtracking RegExp;
 * - each variable named like a member of Object.prototype (`$hasOwnProperty`, `$__proto__`, ...)
 *   gets a name jsonata's frames can hold, so that such variables read and bind as any other;
 * - the nodes whose evaluation costs more than a step are noted (runtime.ts charges them).
 */
import type { CostMarks } from "./runtime.js";
import { translateRegex, type LinearRegex } from "./regex.js";

/** A regex literal of the expression: its search is bound under `name` when it runs. */
export interface RegexBinding {
  readonly name: string;
  readonly regex: LinearRegex;
  readonly position: number;
}

/** What {@link prepareExpression} finds. */
export interface Preparation {
  readonly marks: CostMarks;
  readonly regexes: readonly RegexBinding[];
  /** Regex literals stepfold cannot run, with where each ends in the expression text. */
  readonly problems: readonly { readonly message: string; readonly position: number }[];
}

/**
 * Names bound under another name: those jsonata's frames (plain objects) cannot hold as their own,
 * and `clone`, which jsonata's transform operator looks up to copy what it changes (an expression
 * that rebinds `$clone` would make transforms change shared data in place).
 */
const RENAMED: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), "clone"]);

/**
 * The name a variable is bound under. JSONata names cannot contain a space, so a renamed variable
 * can clash with nothing an expression writes.
 */
export const bindingName = (name: string): string => (RENAMED.has(name) ? `stepfold variable ${name}` : name);

/** Most arguments in one call: jsonata checks them against a signature with a backtracking regex. */
const MAX_ARGUMENTS = 1000;

interface Node {
  type?: unknown;
  value?: unknown;
  position?: unknown;
  focus?: unknown;
  index?: unknown;
  [field: string]: unknown;
}

const isNode = (value: unknown): value is Node => typeof value === "object" && value !== null && !Array.isArray(value) && typeof (value as Node).type === "string";

/** Fields that hold no expression: a lambda's parsed signature, a literal's value, a parent slot. */
const SKIPPED_FIELDS: ReadonlySet<string> = new Set(["signature", "value", "slot", "tuple", "ancestor", "seekingParent"]);

/** Every node reachable from `root`, each once (the processed AST shares some nodes). */
function nodesOf(root: unknown): Node[] {
  const found: Node[] = [];
  const seen = new Set<object>();
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next !== "object" || next === null || seen.has(next)) continue;
    seen.add(next);
    if (Array.isArray(next)) {
      pending.push(...next);
      continue;
    }
    if (isNode(next)) found.push(next);
    for (const field of Object.keys(next)) if (!SKIPPED_FIELDS.has(field)) pending.push((next as Record<string, unknown>)[field]);
  }
  return found;
}

/**
 * Why a lambda's signature is refused: jsonata matches the types of a call's arguments against a
 * backtracking regex built from it, which takes exponential time with several `+` (one or more)
 * or many `?` (optional) parameters.
 */
function signatureProblem(signature: unknown): string | undefined {
  const text = typeof signature === "object" && signature !== null ? (signature as { definition?: unknown }).definition : undefined;
  if (typeof text !== "string") return undefined;
  const plus = text.split("+").length - 1;
  const optional = text.split("?").length - 1;
  if (plus <= 1 && optional <= 4) return undefined;
  return `The function signature ${text} is not supported: a signature may have at most one '+' and four '?' parameters.`;
}

const filterExpressions = (stages: unknown): unknown[] =>
  Array.isArray(stages) ? stages.filter(isNode).filter((stage) => stage.type === "filter").map((stage) => stage["expr"]) : [];

/** Rewrites `root` in place (see the module comment) and notes its costly nodes. */
export function prepareExpression(root: unknown): Preparation {
  const lambdaBodies = new Set<object>();
  const wholeValues = new Set<object>();
  const comparedValues = new Set<object>();
  const groupOwners = new Set<object>();
  const groupKeys = new Map<object, object>();
  const constructorItems = new Map<object, number>();
  const concatenations = new Set<object>();
  const sortTerms = new Map<object, object>();
  const objectValues = new Set<object>();
  const transformUpdates = new Set<object>();
  const values = (pairs: unknown): void => {
    if (!Array.isArray(pairs)) return;
    for (const pair of pairs) if (Array.isArray(pair) && isNode(pair[1])) objectValues.add(pair[1]);
  };
  const regexes: RegexBinding[] = [];
  const problems: { message: string; position: number }[] = [];
  const whole = (value: unknown): void => {
    if (isNode(value)) wholeValues.add(value);
  };

  for (const node of nodesOf(root)) {
    const position = typeof node.position === "number" ? node.position : 0;
    switch (node.type) {
      case "regex": {
        const literal = node.value;
        if (!(literal instanceof RegExp)) break;
        const translated = translateRegex(literal.source, literal.flags);
        if (!translated.ok) {
          problems.push({ message: translated.message, position });
          break;
        }
        const name = `stepfold regex ${regexes.length}`;
        regexes.push({ name, regex: translated.value, position });
        node.type = "variable";
        node.value = name;
        break;
      }
      case "variable":
        if (typeof node.value === "string") node.value = bindingName(node.value);
        break;
      case "lambda": {
        if (isNode(node["body"])) lambdaBodies.add(node["body"]);
        const problem = signatureProblem(node["signature"]);
        if (problem !== undefined) problems.push({ message: problem, position });
        break;
      }
      case "function":
      case "partial":
        if (Array.isArray(node["arguments"]) && node["arguments"].length > MAX_ARGUMENTS) {
          problems.push({ message: `A function call with more than ${MAX_ARGUMENTS} arguments is not supported.`, position });
        }
        break;
      case "binary":
        if (node.value === "=" || node.value === "!=") {
          for (const operand of [node["lhs"], node["rhs"]]) if (isNode(operand)) comparedValues.add(operand);
        }
        if (node.value === "&" || node.value === "and" || node.value === "or" || node.value === "in") {
          whole(node["lhs"]);
          whole(node["rhs"]);
        }
        if (node.value === "&") concatenations.add(node);
        break;
      case "condition":
        whole(node["condition"]);
        break;
      case "transform":
        if (isNode(node["update"])) transformUpdates.add(node["update"]);
        break;
      case "sort": {
        const first = Array.isArray(node["terms"]) ? (node["terms"][0] as Node | undefined)?.["expression"] : undefined;
        if (isNode(first)) sortTerms.set(first, node);
        break;
      }
      case "unary":
        if (node.value === "{") values(node["lhs"]);
        if (node.value === "[" && Array.isArray(node["expressions"])) {
          const items = node["expressions"].filter(isNode);
          for (const item of items) constructorItems.set(item, items.length);
        }
        break;
    }
    if (typeof node.focus === "string") node.focus = bindingName(node.focus);
    if (typeof node.index === "string") node.index = bindingName(node.index);
    for (const expression of [...filterExpressions(node["predicate"]), ...filterExpressions(node["stages"])]) whole(expression);
    const group = node["group"];
    if (typeof group === "object" && group !== null && Array.isArray((group as Node)["lhs"])) {
      groupOwners.add(node);
      values((group as Node)["lhs"]);
      for (const pair of (group as Node)["lhs"] as unknown[]) {
        if (Array.isArray(pair) && isNode(pair[0])) groupKeys.set(pair[0], node);
      }
    }
  }
  return {
    marks: { lambdaBodies, wholeValues, comparedValues, groupOwners, groupKeys, constructorItems, concatenations, objectValues, transformUpdates, sortTerms },
    regexes,
    problems,
  };
}
