/**
 * Static checks on a parsed JSONata expression (the jsonata 2.0.6 AST), as Step Functions makes
 * them when a definition is created:
 * - no implicit input: a field name, `$` or `$$` read from the top-level context is refused
 *   (`Reference to 'total' at the top level is not supported.`, `Reference to '$$' is not supported.`).
 *   Only the first step of a path reads the top-level context; later steps, predicates, sort terms,
 *   groupings and transform patterns read the value in hand, so names there keep JSONata's meaning.
 *   A lambda body keeps the context of the place that defines it.
 * - `$states.result` / `$states.errorOutput` only where the state offers them.
 * - `$states` is reserved: it may not be rebound inside the expression.
 * It also lists the workflow variables an expression reads and the lambda bodies it defines
 * (the evaluator counts call depth on them).
 */

/** One node of jsonata's AST; only the fields read here are typed, all optional. */
export interface AstNode {
  readonly type?: unknown;
  readonly value?: unknown;
  readonly position?: unknown;
  readonly steps?: unknown;
  readonly stages?: unknown;
  readonly predicate?: unknown;
  readonly group?: unknown;
  readonly expressions?: unknown;
  readonly expression?: unknown;
  readonly lhs?: unknown;
  readonly rhs?: unknown;
  readonly procedure?: unknown;
  readonly arguments?: unknown;
  readonly body?: unknown;
  readonly condition?: unknown;
  readonly then?: unknown;
  readonly else?: unknown;
  readonly pattern?: unknown;
  readonly update?: unknown;
  readonly delete?: unknown;
  readonly terms?: unknown;
  readonly focus?: unknown;
  readonly index?: unknown;
}

/** Which `$states` fields the expression's place offers (besides `input` and `context`). */
export interface StatesFields {
  readonly result: boolean;
  readonly errorOutput: boolean;
}

/** A refused construct, with where it ends in the expression text (jsonata's token position). */
export interface AnalysisProblem {
  readonly message: string;
  readonly position: number;
}

/**
 * The parts of a value an expression reads, by field name: `true` for a part read whole. A path
 * `$states.context.Map.Item.Value` reads only that field; any other use of a part reads it whole.
 */
export type Selection = Map<string, Selection | true>;

/** What {@link analyseExpression} finds. */
export interface ExpressionAnalysis {
  /** Distinct refusals, in the order they are written. */
  readonly problems: readonly AnalysisProblem[];
  /** Workflow variables read, first occurrence first. */
  readonly variables: readonly string[];
  /** True when `$states` is read anywhere. */
  readonly readsStates: boolean;
  /** What of `$states` is read: `true` for all of it. */
  readonly statesSelection: Selection | true;
  /** Body nodes of every lambda in the expression. */
  readonly lambdaBodies: ReadonlySet<object>;
}

/**
 * Function names the evaluator provides: JSONata 2.0.6's built-ins (`$eval` included: it is
 * withheld, not a variable), `$now`/`$millis`, and the functions Step Functions adds. A `$name`
 * among these is never taken for a workflow variable.
 */
export const FUNCTION_NAMES: ReadonlySet<string> = new Set([
  "sum", "count", "max", "min", "average", "string", "substring", "substringBefore", "substringAfter",
  "lowercase", "uppercase", "length", "trim", "pad", "match", "contains", "replace", "split", "join",
  "formatNumber", "formatBase", "formatInteger", "parseInteger", "number", "floor", "ceil", "round",
  "abs", "sqrt", "power", "random", "boolean", "not", "map", "zip", "filter", "single", "reduce", "sift",
  "keys", "lookup", "append", "exists", "spread", "merge", "reverse", "each", "error", "assert", "type",
  "sort", "shuffle", "distinct", "base64encode", "base64decode", "encodeUrlComponent", "encodeUrl",
  "decodeUrlComponent", "decodeUrl", "eval", "toMillis", "fromMillis", "clone", "now", "millis",
  "partition", "range", "hash", "uuid", "parse",
]);

/** The reserved variable every JSONata field may read. */
const STATES = "states";

interface Scope {
  readonly names: Set<string>;
  readonly parent: Scope | undefined;
}

interface Context {
  /** True while the node is evaluated against the expression's (absent) top-level input. */
  readonly top: boolean;
  readonly scope: Scope;
}

const isNode = (value: unknown): value is AstNode => typeof value === "object" && value !== null;
const nodes = (value: unknown): readonly AstNode[] => (Array.isArray(value) ? value.filter(isNode) : []);
const positionOf = (node: AstNode): number => (typeof node.position === "number" ? node.position : 0);

const isBound = (name: string, scope: Scope | undefined): boolean => {
  for (let s = scope; s !== undefined; s = s.parent) if (s.names.has(name)) return true;
  return false;
};

/** What the walk accumulates. */
interface Findings {
  readonly problems: Map<string, number>;
  readonly variables: Map<string, number>;
  readonly deferred: { readonly lambda: AstNode; readonly context: Context }[];
  readonly lambdaBodies: Set<object>;
  readsStates: boolean;
  statesSelection: Selection | true;
  /** `$states` variables at the head of a path whose selection was noted. */
  readonly selectedHeads: Set<object>;
  /** A parent step (`%`) appears: it may read what a path went through, beyond the names it wrote. */
  readsParent: boolean;
}

/** Keeps the earliest position seen for `key`. */
const note = (entries: Map<string, number>, key: string, position: number): void => {
  const known = entries.get(key);
  if (known === undefined || position < known) entries.set(key, position);
};

const bind = (found: Findings, name: string, scope: Scope, position: number): void => {
  if (name === STATES) note(found.problems, "The reserved variable '$states' cannot be bound in an expression.", position);
  scope.names.add(name);
};

const walk = (found: Findings, fields: StatesFields, node: AstNode, context: Context): void => {
  if (node.type === "path") {
    walkPath(found, fields, node, context);
    return;
  }
  walkCore(found, fields, node, context);
  walkAnnotations(found, fields, node, { top: false, scope: context.scope });
};

/** Predicates, filters and groupings attached to a node: evaluated against the node's value. */
const walkAnnotations = (found: Findings, fields: StatesFields, node: AstNode, nested: Context): void => {
  for (const stage of [...nodes(node.stages), ...nodes(node.predicate)]) {
    const expr = (stage as { readonly expr?: unknown }).expr;
    if (isNode(expr)) walk(found, fields, expr, nested);
  }
  if (isNode(node.group)) walkPairs(found, fields, node.group.lhs, nested);
};

const walkPairs = (found: Findings, fields: StatesFields, pairs: unknown, context: Context): void => {
  if (!Array.isArray(pairs)) return;
  for (const pair of pairs) for (const part of nodes(pair)) walk(found, fields, part, context);
};

const walkPath = (found: Findings, fields: StatesFields, path: AstNode, context: Context): void => {
  const steps = nodes(path.steps);
  const head = steps[0];
  if (head?.type === "variable" && head.value === STATES && !isBound(STATES, context.scope)) {
    found.selectedHeads.add(head);
    selectStates(found, steps);
  }
  // Tuple bindings (`@$o`, `#$i`) are visible to the rest of the path only.
  const scope: Scope = { names: new Set(), parent: context.scope };
  steps.forEach((step, index) => {
    walkCore(found, fields, step, { top: context.top && index === 0, scope });
    if (typeof step.focus === "string") bind(found, step.focus, scope, positionOf(step));
    if (typeof step.index === "string") bind(found, step.index, scope, positionOf(step));
    walkAnnotations(found, fields, step, { top: false, scope });
    const next = steps[index + 1];
    if (step.type === "variable" && step.value === STATES && next?.type === "name") checkStatesField(found, fields, next);
  });
  walkAnnotations(found, fields, path, { top: false, scope });
};

/**
 * Notes what a path starting at `$states` reads: its name steps, up to the first step that is not a
 * plain name (a predicate, a wildcard, a parent `%` or a tuple binding reads the part whole).
 */
const selectStates = (found: Findings, steps: readonly AstNode[]): void => {
  if (found.statesSelection === true) return;
  const annotated = (step: AstNode): boolean => step.stages !== undefined || step.predicate !== undefined || step.group !== undefined;
  if (steps.some((step) => step.type === "parent" || step.focus !== undefined || step.index !== undefined) || (steps[0] && annotated(steps[0]))) {
    found.statesSelection = true;
    return;
  }
  let parent: Selection | undefined;
  let key = "";
  let level: Selection = found.statesSelection;
  const readWhole = (): void => {
    if (parent === undefined) found.statesSelection = true;
    else parent.set(key, true);
  };
  for (let i = 1; i < steps.length; i++) {
    const step = steps[i] as AstNode;
    if (step.type !== "name" || typeof step.value !== "string") return readWhole();
    const known = level.get(step.value);
    if (known === true) return;
    if (i === steps.length - 1 || annotated(step)) {
      level.set(step.value, true);
      return;
    }
    const below: Selection = known ?? new Map();
    level.set(step.value, below);
    parent = level;
    key = step.value;
    level = below;
  }
  readWhole();
};

const checkStatesField = (found: Findings, fields: StatesFields, field: AstNode): void => {
  if (field.value === "result" && !fields.result) {
    note(found.problems, "Field '$states.result' does not exist.", positionOf(field));
  }
  if (field.value === "errorOutput" && !fields.errorOutput) {
    note(found.problems, "Field '$states.errorOutput' does not exist.", positionOf(field));
  }
};

const walkCore = (found: Findings, fields: StatesFields, node: AstNode, context: Context): void => {
  const nested: Context = { top: false, scope: context.scope };
  const each = (children: unknown, ctx: Context = context): void => {
    for (const child of nodes(children)) walk(found, fields, child, ctx);
  };
  const one = (child: unknown, ctx: Context = context): void => {
    if (isNode(child)) walk(found, fields, child, ctx);
  };
  switch (node.type) {
    case "path":
      walkPath(found, fields, node, context);
      return;
    case "name":
      if (context.top) {
        note(found.problems, `Reference to '${String(node.value)}' at the top level is not supported.`, positionOf(node));
      }
      return;
    case "variable":
      visitVariable(found, node, context);
      return;
    case "unary":
      if (node.value === "[") each(node.expressions);
      else if (node.value === "{") walkPairs(found, fields, node.lhs, context);
      else one(node.expression);
      return;
    case "binary":
    case "apply":
      one(node.lhs);
      one(node.rhs);
      return;
    case "function":
    case "partial":
      one(node.procedure);
      each(node.arguments);
      return;
    case "lambda":
      if (isNode(node.body)) found.lambdaBodies.add(node.body);
      found.deferred.push({ lambda: node, context });
      return;
    case "condition":
      one(node.condition);
      one(node.then);
      one(node.else);
      return;
    case "block":
      each(node.expressions, { top: context.top, scope: { names: new Set(), parent: context.scope } });
      return;
    case "bind":
      one(node.rhs);
      if (isNode(node.lhs) && typeof node.lhs.value === "string") bind(found, node.lhs.value, context.scope, positionOf(node.lhs));
      return;
    case "transform":
      // The pattern, update and delete clauses read the object being transformed.
      one(node.pattern, nested);
      one(node.update, nested);
      one(node.delete, nested);
      return;
    case "sort":
      for (const term of nodes(node.terms)) one((term as { readonly expression?: unknown }).expression, nested);
      return;
    case "parent":
      found.readsParent = true;
      return;
    default:
      // string, number, value, regex, wildcard, descendant: no names to check
      return;
  }
};

const visitVariable = (found: Findings, node: AstNode, context: Context): void => {
  const name = node.value;
  if (typeof name !== "string") return;
  const position = positionOf(node);
  if (name === "") {
    if (context.top) note(found.problems, "Reference to '$' at the top level is not supported.", position);
  } else if (name === "$") {
    // `$$` parses as a variable named "$": it always means the absent top-level input.
    note(found.problems, "Reference to '$$' is not supported.", position);
  } else if (name === STATES) {
    found.readsStates = true;
    if (!found.selectedHeads.has(node)) found.statesSelection = true;
  } else if (!isBound(name, context.scope) && !FUNCTION_NAMES.has(name)) {
    note(found.variables, name, position);
  }
};

const byPosition = (entries: ReadonlyMap<string, number>): string[] =>
  [...entries.entries()].sort((a, b) => a[1] - b[1]).map(([key]) => key);

/** Checks a parsed expression against the restrictions of a place offering `fields`. */
export function analyseExpression(root: AstNode, fields: StatesFields): ExpressionAnalysis {
  const found: Findings = {
    problems: new Map(),
    variables: new Map(),
    deferred: [],
    lambdaBodies: new Set(),
    readsStates: false,
    statesSelection: new Map(),
    selectedHeads: new Set(),
    readsParent: false,
  };
  walk(found, fields, root, { top: true, scope: { names: new Set(), parent: undefined } });
  // Closures run after the code around them: a name bound anywhere in an enclosing block counts.
  for (let i = 0; i < found.deferred.length; i++) {
    const { lambda, context } = found.deferred[i] as (typeof found.deferred)[number];
    const scope: Scope = { names: new Set(), parent: context.scope };
    for (const parameter of nodes(lambda.arguments)) {
      if (typeof parameter.value === "string") bind(found, parameter.value, scope, positionOf(parameter));
    }
    if (isNode(lambda.body)) walk(found, fields, lambda.body, { top: context.top, scope });
  }
  return {
    problems: byPosition(found.problems).map((message) => ({ message, position: found.problems.get(message) ?? 0 })),
    variables: byPosition(found.variables),
    readsStates: found.readsStates,
    statesSelection: found.readsParent ? true : found.statesSelection,
    lambdaBodies: found.lambdaBodies,
  };
}
