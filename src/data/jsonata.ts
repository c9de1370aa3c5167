/**
 * JSONata as Step Functions runs it (jsonata 2.0.6): `{% %}` strings compiled once when a
 * definition is read, then evaluated against `$states` and the workflow variables.
 *
 * Definition time: parse errors are INVALID_JSONATA_EXPRESSION with jsonata's own message (as AWS
 * reports them); references to the absent top-level input, `$$`, misplaced `$states.result` /
 * `$states.errorOutput` and rebinding `$states` are UNSUPPORTED_JSONATA_EXPRESSION.
 *
 * Run time: evaluation is deterministic and bounded (see {@link JSONATA_LIMITS}); every failure is a
 * `States.QueryEvaluationError` whose cause is worded as AWS words it; results are plain JSON.
 */
import jsonata from "jsonata";
import { setOwn, stringifyJson, type JsonObject } from "./json.js";
import { analyseExpression, type AstNode, type Selection } from "./jsonata/analysis.js";
import { BUILT_IN_DEFINITIONS, builtInsReady } from "./jsonata/builtins.js";
import { copyAsJson, type CopyFailure } from "./jsonata/copy.js";
import { FunctionArgumentError } from "./jsonata/functions.js";
import { bindingName, prepareExpression, type RegexBinding } from "./jsonata/prepare.js";
import { regexSearch, type RegexMatch } from "./jsonata/regex.js";
import { charge, enterNode, exitNode, LIMIT_MESSAGES, LimitExceeded, RUN_BINDING, type CostMarks, type Run } from "./jsonata/runtime.js";
import { allowFunction, dataObject, NotData } from "./jsonata/sandbox.js";

export { JSONATA_LIMITS } from "./jsonata/runtime.js";

/** Where in a state an expression sits, which decides what `$states` offers it. */
export interface JsonataScope {
  /** `$states.result` is available (a Task, Map or Parallel state's top-level Output and Assign). */
  readonly result: boolean;
  /** `$states.errorOutput` is available (a Catcher's Output and Assign). */
  readonly errorOutput: boolean;
}

/** A compiled `{% %}` expression. The compiled jsonata object is kept out of sight. */
export interface JsonataExpression {
  /** The text between `{%` and `%}`, as written. */
  readonly source: string;
  /**
   * Workflow variables it reads: free `$name` references, in writing order, leaving out `$states`,
   * JSONata's and Step Functions' function names, and names the expression binds itself. Only
   * these are bound when it runs; a function name always means the function, never a variable.
   */
  readonly variables: readonly string[];
}

/** Why an expression cannot be used, in AWS's vocabulary. */
export interface JsonataProblem {
  readonly code: "INVALID_JSONATA_EXPRESSION" | "UNSUPPORTED_JSONATA_EXPRESSION";
  /** AWS's text: jsonata's parser message, or e.g. `Reference to 'total' at the top level is not supported.` */
  readonly message: string;
  /** jsonata's error code for a parse error, e.g. `S0202`. */
  readonly jsonataCode?: string;
  /**
   * Where jsonata located the problem: the offset just past the offending token in `source` (the
   * text between the delimiters), for a message that wants "at column N".
   */
  readonly position?: number;
}

/** The outcome of {@link compileJsonata}: `problem` is the first of `problems`. */
export type JsonataCompilation =
  | { readonly ok: true; readonly value: JsonataExpression }
  | { readonly ok: false; readonly problem: JsonataProblem; readonly problems: readonly JsonataProblem[] };

/** A JSON value whose strings may be `{% %}` expressions anywhere inside. */
export type JsonataTemplate =
  /** No expression inside: returned as-is. */
  | { readonly kind: "literal"; readonly value: unknown }
  | { readonly kind: "expression"; readonly expression: JsonataExpression; readonly location: string }
  | { readonly kind: "object"; readonly entries: readonly (readonly [string, JsonataTemplate])[] }
  | { readonly kind: "array"; readonly items: readonly JsonataTemplate[] };

/** A bad expression inside a template, with the keys and indices leading to it. */
export type JsonataTemplateProblem = JsonataProblem & { readonly path: readonly (string | number)[] };

/** The outcome of {@link compileJsonataTemplate}: every bad expression, not only the first. */
export type JsonataTemplateCompilation =
  | { readonly ok: true; readonly value: JsonataTemplate }
  | { readonly ok: false; readonly problems: readonly JsonataTemplateProblem[] };

/** What an evaluation reads. */
export interface JsonataBindings {
  /** `$states`; `result` and `errorOutput` are offered only when given (not `undefined`). */
  readonly states: { input: unknown; context: unknown; result?: unknown; errorOutput?: unknown };
  /** Workflow variables visible to the state, by name. */
  readonly variables: Readonly<Record<string, unknown>>;
  /** A seeded source of numbers in [0, 1): `$random()`, `$uuid()` and `$shuffle()` draw from it. */
  readonly random: () => number;
  /**
   * Milliseconds since the epoch that `$now()` and `$millis()` report. When absent: the context's
   * `State.EnteredTime`, else its `Execution.StartTime`, else 0.
   */
  readonly now?: number;
}

/** The outcome of an evaluation: a JSON value, or AWS's `States.QueryEvaluationError`. */
export type JsonataValue =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: "States.QueryEvaluationError"; readonly cause: string; readonly location: string };

/** The failing side of {@link JsonataValue}. */
export type JsonataFailure = Extract<JsonataValue, { ok: false }>;

// ---------------------------------------------------------------------------------------------
// Delimiters

/** True when `value` is a JSONata expression string: it starts with `{%` and ends with `%}` exactly. */
export function isJsonataString(value: unknown): value is string {
  return typeof value === "string" && value.length >= 4 && value.startsWith("{%") && value.endsWith("%}");
}

/**
 * True when `value` opens a JSONata expression (`{%` as its first characters) without closing it
 * (`%}` as its last ones), e.g. `"{% $x"` or `"{% $x %} "`: a definition problem. A string with
 * anything before `{%` (even a space) is a plain string and never malformed.
 */
export function hasMalformedJsonataDelimiters(value: string): boolean {
  return value.startsWith("{%") && !isJsonataString(value);
}

// ---------------------------------------------------------------------------------------------
// Compilation

/** The parts of a jsonata expression object used here (its typings describe jsonata 1.7). */
interface Evaluator {
  evaluate(input: unknown, bindings?: Record<string, unknown>): Promise<unknown>;
  assign(name: string | symbol, value: unknown): void;
  registerFunction(name: string, implementation: (...args: never[]) => unknown, signature?: string): void;
  ast(): unknown;
}

interface Compiled {
  readonly evaluator: Evaluator;
  /** The expression text as causes quote it: trimmed. */
  readonly quoted: string;
  readonly variables: readonly string[];
  readonly readsStates: boolean;
  /** What of `$states` the expression reads; only that is copied for it. */
  readonly statesSelection: Selection | true;
  readonly marks: CostMarks;
  readonly regexes: readonly RegexBinding[];
}



const compiledExpressions = new WeakMap<JsonataExpression, Compiled>();

/** Reads an own property of something thrown, without trusting its shape. */
const ownField = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null && Object.prototype.hasOwnProperty.call(value, key)
    ? (value as Record<string, unknown>)[key]
    : undefined;

const parseProblem = (error: unknown): JsonataProblem => {
  const message = ownField(error, "message") ?? (error instanceof Error ? error.message : undefined);
  const code = ownField(error, "code");
  const position = ownField(error, "position");
  return {
    code: "INVALID_JSONATA_EXPRESSION",
    message: error instanceof RangeError ? "The expression is nested too deeply." : typeof message === "string" ? message : "The expression does not parse.",
    ...(typeof code === "string" ? { jsonataCode: code } : {}),
    ...(typeof position === "number" ? { position } : {}),
  };
};

const refuse = (problems: readonly JsonataProblem[]): JsonataCompilation => ({
  ok: false,
  problem: problems[0] as JsonataProblem,
  problems,
});

/**
 * Compiles one expression for a place in a state. `text` is the field's string with its `{% %}`
 * delimiters, or the bare expression between them.
 */
export function compileJsonata(text: string, scope: JsonataScope): JsonataCompilation {
  const source = isJsonataString(text) ? text.slice(2, -2) : text;
  let evaluator: Evaluator;
  try {
    evaluator = jsonata(source) as unknown as Evaluator;
  } catch (error) {
    return refuse([parseProblem(error)]);
  }
  let analysis: ReturnType<typeof analyseExpression>;
  try {
    analysis = analyseExpression(evaluator.ast() as AstNode, scope);
  } catch (error) {
    return refuse([parseProblem(error)]);
  }
  // Regex literals are translated and variables renamed in the AST after the names were checked.
  const preparation = prepareExpression(evaluator.ast());
  const problems = [...analysis.problems, ...preparation.problems];
  if (problems.length > 0) {
    return refuse(problems.map(({ message, position }) => ({ code: "UNSUPPORTED_JSONATA_EXPRESSION", message, position })));
  }
  for (const [name, definition] of BUILT_IN_DEFINITIONS) {
    evaluator.assign(name, definition);
    // A renamed function name (`$clone`) is called by its new name; jsonata's transform still finds it by its own.
    if (bindingName(name) !== name) evaluator.assign(bindingName(name), definition);
  }
  // Step Functions withholds $eval: calling it fails as calling any non-function does (T1006).
  evaluator.assign("eval", undefined);
  evaluator.assign(Symbol.for("jsonata.__evaluate_entry"), enterNode);
  evaluator.assign(Symbol.for("jsonata.__evaluate_exit"), exitNode);
  const expression: JsonataExpression = Object.freeze({ source, variables: Object.freeze([...analysis.variables]) });
  compiledExpressions.set(expression, {
    evaluator,
    quoted: source.trim(),
    variables: expression.variables,
    readsStates: analysis.readsStates,
    statesSelection: analysis.statesSelection,
    marks: preparation.marks,
    regexes: preparation.regexes,
  });
  return { ok: true, value: expression };
}

/** The compiled form; an expression object that was copied is compiled again from its source. */
const compiledFor = (expression: JsonataExpression): Compiled | undefined => {
  const known = compiledExpressions.get(expression);
  if (known !== undefined) return known;
  if (typeof expression.source !== "string") return undefined;
  const again = compileJsonata(expression.source, { result: true, errorOutput: true });
  if (!again.ok) return undefined;
  const compiled = compiledExpressions.get(again.value);
  if (compiled !== undefined) compiledExpressions.set(expression, compiled);
  return compiled;
};

// ---------------------------------------------------------------------------------------------
// Templates

/** Deeper than this, a template must be a literal: keeps compilation and evaluation off the stack limit. */
const MAX_TEMPLATE_DEPTH = 512;

/** True when some string inside `value` opens a `{%` expression (walked without recursion). */
const containsExpressionText = (value: unknown): boolean => {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === "string") {
      if (next.startsWith("{%")) return true;
    } else if (Array.isArray(next)) {
      pending.push(...next);
    } else if (typeof next === "object" && next !== null) {
      for (const key of Object.keys(next)) pending.push((next as JsonObject)[key]);
    }
  }
  return false;
};

/** AWS's slash path of a member: `Output/a`, `Output/a/b[0]`, `Items[1]`. */
const childLocation = (location: string, step: string | number): string =>
  typeof step === "number" ? `${location}[${step}]` : `${location}/${step}`;

/**
 * Compiles a field value whose strings may be expressions (Output, Arguments, Assign, Items...).
 * `location` is the field's name as runtime causes give it (`Output`, `Catch[0]/Output`,
 * `Assign/x`); each expression's location extends it per key (`/key`) and index (`[i]`).
 * Strings that open `{%` without closing `%}` are reported as invalid expressions.
 */
export function compileJsonataTemplate(value: unknown, location: string, scope: JsonataScope): JsonataTemplateCompilation {
  const problems: JsonataTemplateProblem[] = [];
  const build = (node: unknown, path: readonly (string | number)[], where: string): JsonataTemplate => {
    if (typeof node === "string") {
      if (isJsonataString(node)) {
        const compiled = compileJsonata(node, scope);
        if (compiled.ok) return { kind: "expression", expression: compiled.value, location: where };
        for (const problem of compiled.problems) problems.push({ ...problem, path });
      } else if (hasMalformedJsonataDelimiters(node)) {
        problems.push({
          code: "INVALID_JSONATA_EXPRESSION",
          message: "A JSONata expression that starts with '{%' must end with '%}'.",
          path,
        });
      }
      return { kind: "literal", value: node };
    }
    if (typeof node !== "object" || node === null) return { kind: "literal", value: node };
    if (path.length >= MAX_TEMPLATE_DEPTH) {
      if (containsExpressionText(node)) {
        problems.push({
          code: "UNSUPPORTED_JSONATA_EXPRESSION",
          message: `JSONata expressions nested deeper than ${MAX_TEMPLATE_DEPTH} levels are not supported.`,
          path,
        });
      }
      return { kind: "literal", value: node };
    }
    if (Array.isArray(node)) {
      const items = node.map((item, index) => build(item, [...path, index], childLocation(where, index)));
      return items.every((item) => item.kind === "literal") ? { kind: "literal", value: node } : { kind: "array", items };
    }
    const entries = Object.keys(node).map(
      (key) => [key, build((node as JsonObject)[key], [...path, key], childLocation(where, key))] as const,
    );
    return entries.every(([, item]) => item.kind === "literal") ? { kind: "literal", value: node } : { kind: "object", entries };
  };
  const template = build(value, [], location);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: template };
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** The JSON type names AWS's causes use. */
export type JsonTypeName = "null" | "array" | "object" | "string" | "number" | "boolean";

/** The JSON type name of a value, as AWS's causes spell it. */
export function jsonTypeName(value: unknown): JsonTypeName {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  switch (typeof value) {
    case "string":
      return "string";
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    default:
      return "object";
  }
}

const causePrefix = (quoted: string, location: string): string =>
  `The JSONata expression '${quoted}' specified for the field '${location}'`;

const quotedSource = (expression: JsonataExpression): string =>
  compiledExpressions.get(expression)?.quoted ?? String(expression.source).trim();

const failure = (cause: string, location: string): JsonataFailure => ({
  ok: false,
  error: "States.QueryEvaluationError",
  cause,
  location,
});

/**
 * The failure for a result of the wrong type for its field, worded as AWS words it:
 * `... returned an unexpected result type. Expected 'array', but was 'number' for value: 1`.
 */
export function jsonataResultTypeError(
  expression: JsonataExpression,
  location: string,
  expected: string,
  value: unknown,
): JsonataFailure {
  return failure(
    `${causePrefix(quotedSource(expression), location)} returned an unexpected result type. Expected '${expected}', but was '${jsonTypeName(value)}' for value: ${stringifyJson(value)}`,
    location,
  );
}

/** Words a thrown value as AWS's cause does: `<jsonata code>: <message>`, or the message alone. */
const describeThrown = (error: unknown): string => {
  if (error instanceof LimitExceeded || error instanceof FunctionArgumentError || error instanceof NotData) return error.message;
  if (error instanceof RangeError) {
    return /call stack/i.test(error.message) ? LIMIT_MESSAGES.depth : LIMIT_MESSAGES.memory;
  }
  const code = ownField(error, "code");
  const message = ownField(error, "message") ?? (error instanceof Error ? error.message : undefined);
  if (typeof code === "string" && typeof message === "string") return `${code}: ${message}`;
  if (typeof message === "string") return message;
  return "The expression could not be evaluated.";
};

/** Copies of the data one template evaluation hands to its expressions, made once each. */
interface DataCopies {
  /** `$states` copies, by the selection they were made for. */
  readonly states: Map<Selection | true, unknown>;
  readonly variables: Map<string, unknown>;
}

const copyFailureMessage = (reason: CopyFailure): string =>
  reason === "size" ? LIMIT_MESSAGES.memory : "The data given to the expression is not JSON.";

/** A data copy, or the reason it failed. */
type DataCopy = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

/** A copy of `value` for an expression: made of data objects (see sandbox.ts). */
const copyData = (value: unknown): DataCopy => {
  const copy = copyAsJson(value, "expression");
  return copy.ok ? copy : { ok: false, message: copyFailureMessage(copy.reason) };
};

/**
 * A copy of the parts of `value` that `selection` names (an array: of each item), for an
 * expression that reads only those: an ItemSelector reading `$states.context.Map.Item.Value` must
 * not copy the whole execution input for every item.
 */
function copySelected(value: unknown, selection: Selection | true): DataCopy {
  if (selection === true || typeof value !== "object" || value === null) return copyData(value);
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const item of value) {
      const copy = copySelected(item, selection);
      if (!copy.ok) return copy;
      items.push(copy.value === undefined ? null : copy.value);
    }
    return { ok: true, value: items };
  }
  const result = dataObject();
  for (const [key, below] of selection) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const copy = copySelected((value as JsonObject)[key], below);
    if (!copy.ok) return copy;
    if (copy.value !== undefined) setOwn(result, key, copy.value);
  }
  return { ok: true, value: result };
}

const statesCopy = (states: JsonataBindings["states"], selection: Selection | true, copies: DataCopies): DataCopy => {
  if (copies.states.has(selection)) return { ok: true, value: copies.states.get(selection) };
  const offered = dataObject();
  for (const field of ["input", "context", "result", "errorOutput"] as const) {
    if (Object.prototype.hasOwnProperty.call(states, field) && states[field] !== undefined) offered[field] = states[field];
  }
  const copy = copySelected(offered, selection);
  if (copy.ok) copies.states.set(selection, copy.value);
  return copy;
};

const variableCopy = (variables: JsonataBindings["variables"], name: string, copies: DataCopies): DataCopy => {
  if (copies.variables.has(name)) return { ok: true, value: copies.variables.get(name) };
  const copy = copyData(ownField(variables, name));
  if (copy.ok) copies.variables.set(name, copy.value);
  return copy;
};

/** A regex match as expressions see it: data, with its `next` allowed to be called. */
const matchValue = (match: RegexMatch): RegexMatch => Object.assign(dataObject(), match, { next: allowFunction(match.next) }) as RegexMatch;

/** `bindings.now`, else the context's State.EnteredTime, else its Execution.StartTime, else 0. */
const clockReading = (bindings: JsonataBindings): number => {
  if (typeof bindings.now === "number" && Number.isFinite(bindings.now)) return bindings.now;
  const context = ownField(bindings.states, "context");
  for (const [section, field] of [["State", "EnteredTime"], ["Execution", "StartTime"]] as const) {
    const text = ownField(ownField(context, section), field);
    const millis = typeof text === "string" ? Date.parse(text) : Number.NaN;
    if (Number.isFinite(millis)) return millis;
  }
  return 0;
};

const evaluateWith = async (
  expression: JsonataExpression,
  location: string,
  bindings: JsonataBindings,
  copies: DataCopies,
): Promise<JsonataValue> => {
  const compiled = compiledFor(expression);
  const prefix = causePrefix(compiled?.quoted ?? quotedSource(expression), location);
  const threw = (detail: string): JsonataFailure => failure(`${prefix} threw an error during evaluation. ${detail}`, location);
  if (compiled === undefined) return threw("The expression does not compile.");

  await builtInsReady();
  const run: Run = {
    random: bindings.random,
    nowMillis: clockReading(bindings),
    marks: compiled.marks,
    groups: new Map(),
    sorts: new WeakMap(),
    steps: 0,
    depth: 0,
    started: false,
    finished: false,
  };
  // A prototype-less object: jsonata copies its own keys into the evaluation's frame.
  const frameBindings = Object.create(null) as Record<string, unknown>;
  if (compiled.readsStates) {
    const states = statesCopy(bindings.states, compiled.statesSelection, copies);
    if (!states.ok) return threw(states.message);
    frameBindings["states"] = states.value;
  }
  for (const name of compiled.variables) {
    if (name === "states" || !Object.prototype.hasOwnProperty.call(bindings.variables, name)) continue;
    const value = variableCopy(bindings.variables, name, copies);
    if (!value.ok) return threw(value.message);
    frameBindings[bindingName(name)] = value.value;
  }
  const meter = { charge: (steps: number) => charge(run, steps) };
  for (const { name, regex, position } of compiled.regexes) {
    frameBindings[name] = allowFunction(regexSearch(regex, meter, matchValue, position));
  }
  frameBindings[RUN_BINDING] = run;

  let raw: unknown;
  try {
    raw = await compiled.evaluator.evaluate(undefined, frameBindings);
  } catch (error) {
    return threw(describeThrown(error));
  } finally {
    run.finished = true;
  }
  if (raw === undefined) return failure(`${prefix} returned nothing (undefined).`, location);
  const result = copyAsJson(raw);
  if (result.ok) return { ok: true, value: result.value };
  if (result.reason === "size") return threw(LIMIT_MESSAGES.memory);
  return failure(`${prefix} returned an unsupported result type.`, location);
};

/**
 * Evaluates one expression at `location` (AWS's slash path of the field, e.g. `Items`,
 * `Choices[1]/Condition`). Undefined results, thrown errors and limits all come back as
 * `States.QueryEvaluationError` with AWS's cause text; a function result is "an unsupported result
 * type". Never throws.
 */
export async function evaluateJsonata(expression: JsonataExpression, location: string, bindings: JsonataBindings): Promise<JsonataValue> {
  return evaluateWith(expression, location, bindings, { states: new Map(), variables: new Map() });
}

/**
 * Evaluates a template: literals as they are, expressions in key order, objects and arrays
 * rebuilt. The first failing expression (including one that returns nothing) fails the whole
 * template, as on AWS. Never throws.
 */
export async function evaluateJsonataTemplate(template: JsonataTemplate, bindings: JsonataBindings): Promise<JsonataValue> {
  const copies: DataCopies = { states: new Map(), variables: new Map() };
  const evaluate = async (node: JsonataTemplate): Promise<JsonataValue> => {
    switch (node.kind) {
      case "literal":
        return { ok: true, value: node.value };
      case "expression":
        return evaluateWith(node.expression, node.location, bindings, copies);
      case "array": {
        const items: unknown[] = [];
        for (const item of node.items) {
          const value = await evaluate(item);
          if (!value.ok) return value;
          items.push(value.value);
        }
        return { ok: true, value: items };
      }
      case "object": {
        const result: JsonObject = {};
        for (const [key, member] of node.entries) {
          const value = await evaluate(member);
          if (!value.ok) return value;
          setOwn(result, key, value.value);
        }
        return { ok: true, value: result };
      }
    }
  };
  return evaluate(template);
}
