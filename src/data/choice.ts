/**
 * JSONPath Choice rules: parsed once from their ASL objects into a small tree, so evaluation is a
 * walk over typed nodes (no string dispatch over operator names at run time).
 */
import { parseTimestamp } from "./timestamp.js";
import { parseReferencePath, type CompiledPath } from "./path.js";

/** The value families a comparison operator belongs to. */
export type ComparisonFamily = "String" | "Numeric" | "Boolean" | "Timestamp";
/** How two values of a family are compared. */
export type Comparison = "Equals" | "LessThan" | "GreaterThan" | "LessThanEquals" | "GreaterThanEquals";
/** The type tests (`IsNull`, ...). */
export type TypeTest = "IsNull" | "IsPresent" | "IsNumeric" | "IsString" | "IsBoolean" | "IsTimestamp";

/** What a comparison compares the Variable with: a constant or another path's value. */
export type ComparisonOperand =
  | { readonly kind: "value"; readonly value: string | number | boolean }
  /** A Timestamp constant, pre-parsed. */
  | { readonly kind: "timestamp"; readonly text: string; readonly epochMillis: number }
  | { readonly kind: "path"; readonly path: CompiledPath };

/** A `StringMatches` pattern: literal pieces between `*` wildcards. */
export interface StringPattern {
  readonly source: string;
  readonly pieces: readonly string[];
}

/** A compiled Choice rule. */
export type ChoiceRule =
  | { readonly kind: "and"; readonly rules: readonly ChoiceRule[] }
  | { readonly kind: "or"; readonly rules: readonly ChoiceRule[] }
  | { readonly kind: "not"; readonly rule: ChoiceRule }
  | {
      readonly kind: "compare";
      readonly variable: CompiledPath;
      readonly operator: string;
      readonly family: ComparisonFamily;
      readonly comparison: Comparison;
      readonly operand: ComparisonOperand;
    }
  | { readonly kind: "matches"; readonly variable: CompiledPath; readonly pattern: StringPattern }
  | { readonly kind: "test"; readonly variable: CompiledPath; readonly test: TypeTest; readonly expected: boolean };

/** Something wrong at `path` (keys and indices below the rule). */
export interface ChoiceProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

const FAMILIES: readonly ComparisonFamily[] = ["String", "Numeric", "Boolean", "Timestamp"];
const COMPARISONS: readonly Comparison[] = ["Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals"];
const TYPE_TESTS: readonly TypeTest[] = ["IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"];

interface OperatorSpec {
  readonly family?: ComparisonFamily;
  readonly comparison?: Comparison;
  readonly usesPath?: boolean;
  readonly test?: TypeTest;
  readonly matches?: true;
}

/** Every operator name with what it means. */
const OPERATORS = new Map<string, OperatorSpec>();
for (const family of FAMILIES) {
  for (const comparison of COMPARISONS) {
    if (family === "Boolean" && comparison !== "Equals") continue;
    OPERATORS.set(`${family}${comparison}`, { family, comparison });
    OPERATORS.set(`${family}${comparison}Path`, { family, comparison, usesPath: true });
  }
}
for (const test of TYPE_TESTS) OPERATORS.set(test, { test });
OPERATORS.set("StringMatches", { matches: true });

/** Compiles one Choice rule (top-level or nested); returns the rule or every problem in it. */
export function compileChoiceRule(
  raw: unknown,
): { readonly ok: true; readonly value: ChoiceRule } | { readonly ok: false; readonly problems: readonly ChoiceProblem[] } {
  const problems: ChoiceProblem[] = [];
  const rule = compileRule(raw, [], problems);
  return rule && problems.length === 0 ? { ok: true, value: rule } : { ok: false, problems };
}

function compileRule(raw: unknown, at: (string | number)[], problems: ChoiceProblem[]): ChoiceRule | undefined {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    problems.push({ path: at, message: "A Choice rule must be an object" });
    return undefined;
  }
  const rule = raw as Record<string, unknown>;
  const has = (key: string) => Object.hasOwn(rule, key);
  const operators = Object.keys(rule).filter((key) => OPERATORS.has(key));
  const booleans = ["And", "Or", "Not"].filter(has);

  if (booleans.length > 1 || (booleans.length === 1 && (has("Variable") || operators.length > 0))) {
    problems.push({ path: at, message: `A Choice rule must have exactly one of 'And', 'Or', 'Not' or a 'Variable' with one comparison operator` });
    return undefined;
  }
  const combinator = booleans[0];
  if (combinator === "And" || combinator === "Or") {
    const list = rule[combinator];
    if (!Array.isArray(list) || list.length === 0) return undefined; // reported by the schema
    const rules = list.map((item, index) => compileRule(item, [...at, combinator, index], problems));
    if (!rules.every((r): r is ChoiceRule => r !== undefined)) return undefined;
    return { kind: combinator === "And" ? "and" : "or", rules };
  }
  if (combinator === "Not") {
    const inner = compileRule(rule["Not"], [...at, "Not"], problems);
    return inner && { kind: "not", rule: inner };
  }
  if (!has("Variable")) {
    problems.push({
      path: at,
      message: operators.length > 0
        ? `The comparison '${operators[0]}' needs a 'Variable'`
        : `A Choice rule must have one of 'And', 'Or', 'Not' or a 'Variable' with a comparison operator`,
    });
    return undefined;
  }
  if (operators.length !== 1) {
    problems.push({
      path: at,
      message: operators.length === 0
        ? "A Choice rule with a 'Variable' needs exactly one comparison operator"
        : `A Choice rule may have only one comparison operator, not ${operators.map((o) => `'${o}'`).join(", ")}`,
    });
    return undefined;
  }
  const variableText = rule["Variable"];
  if (typeof variableText !== "string") return undefined; // reported by the schema
  const variable = parseReferencePath(variableText);
  if (!variable.ok) {
    problems.push({ path: [...at, "Variable"], message: `The value for the field 'Variable' must be a valid JSONPath: ${variable.message}` });
  }
  const operator = operators[0] as string;
  const spec = OPERATORS.get(operator) as OperatorSpec;
  const operand = rule[operator];
  // An invalid Variable was reported; the operand is still checked so that every problem shows.
  const compiled = compileTest(operator, spec, operand, variable.ok ? variable.value : undefined, [...at, operator], problems);
  return variable.ok ? compiled : undefined;
}

/** The data test of one operator (built with `variable` as given; the caller drops it when that is invalid). */
function compileTest(
  operator: string,
  spec: OperatorSpec,
  operand: unknown,
  variableOrNothing: CompiledPath | undefined,
  at: (string | number)[],
  problems: ChoiceProblem[],
): ChoiceRule | undefined {
  const variable = variableOrNothing as CompiledPath;
  if (spec.test) {
    return typeof operand === "boolean" ? { kind: "test", variable, test: spec.test, expected: operand } : undefined;
  }
  if (spec.matches) {
    if (typeof operand !== "string") return undefined;
    const pattern = compileStringPattern(operand);
    if (typeof pattern === "string") {
      problems.push({ path: at, message: pattern });
      return undefined;
    }
    return { kind: "matches", variable, pattern };
  }
  const family = spec.family as ComparisonFamily;
  const comparison = spec.comparison as Comparison;
  if (spec.usesPath) {
    if (typeof operand !== "string") return undefined;
    const path = parseReferencePath(operand);
    if (!path.ok) {
      problems.push({ path: at, message: `The value for the field '${operator}' must be a valid JSONPath: ${path.message}` });
      return undefined;
    }
    return { kind: "compare", variable, operator, family, comparison, operand: { kind: "path", path: path.value } };
  }
  if (family === "Timestamp") {
    const epochMillis = typeof operand === "string" ? parseTimestamp(operand) : undefined;
    if (epochMillis === undefined) return undefined; // reported by the schema
    return { kind: "compare", variable, operator, family, comparison, operand: { kind: "timestamp", text: operand as string, epochMillis } };
  }
  const expectedType = family === "String" ? "string" : family === "Numeric" ? "number" : "boolean";
  if (typeof operand !== expectedType) return undefined; // reported by the schema
  return { kind: "compare", variable, operator, family, comparison, operand: { kind: "value", value: operand as string | number | boolean } };
}

/**
 * Splits a StringMatches pattern into the literal pieces between unescaped `*`s.
 * `\*` is a literal star and `\\` a literal backslash; any other backslash is an error (a string).
 */
export function compileStringPattern(source: string): StringPattern | string {
  const pieces: string[] = [];
  let piece = "";
  for (let i = 0; i < source.length; i++) {
    const ch = source[i] as string;
    if (ch === "\\") {
      const next = source[i + 1];
      if (next !== "*" && next !== "\\") {
        return `The StringMatches pattern '${source}' has a backslash that escapes neither '*' nor '\\'`;
      }
      piece += next;
      i++;
    } else if (ch === "*") {
      pieces.push(piece);
      piece = "";
    } else {
      piece += ch;
    }
  }
  pieces.push(piece);
  return { source, pieces };
}

/** True when `text` matches the pattern: the first piece starts it, the last ends it, the rest follow in order. */
export function matchesStringPattern(pattern: StringPattern, text: string): boolean {
  const { pieces } = pattern;
  const first = pieces[0] as string;
  if (pieces.length === 1) return text === first;
  const last = pieces[pieces.length - 1] as string;
  if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false;
  let from = first.length;
  const end = text.length - last.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const found = text.indexOf(pieces[i] as string, from);
    if (found < 0 || found + (pieces[i] as string).length > end) return false;
    from = found + (pieces[i] as string).length;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

/** What reading a path gives: its value, or why it selected nothing (the shape of path.ts's PathRead). */
export type ChoicePathRead = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

/** The outcome of a rule: whether it holds, or the error that stopped the Choice state. */
export type ChoiceOutcome = { readonly ok: true; readonly value: boolean } | { readonly ok: false; readonly error: string; readonly cause: string };

/**
 * The error when a rule's Variable (or a `…Path` operand) selects nothing, for every operator but
 * `IsPresent`. Real AWS executions report `States.Runtime` (which no Catch handles), with the cause
 * `Invalid path '$.x': The choice state's condition path references an invalid value.`
 */
export const CHOICE_PATH_ERROR = "States.Runtime";

/** AWS's cause for a rule path that selects nothing. */
export function choicePathCause(path: CompiledPath): string {
  return `Invalid path '${path.source}': The choice state's condition path references an invalid value.`;
}

const TRUE: ChoiceOutcome = { ok: true, value: true };
const FALSE: ChoiceOutcome = { ok: true, value: false };
const outcome = (value: boolean): ChoiceOutcome => (value ? TRUE : FALSE);
const pathMissing = (path: CompiledPath): ChoiceOutcome => ({ ok: false, error: CHOICE_PATH_ERROR, cause: choicePathCause(path) });

/**
 * Evaluates a compiled rule; `read` resolves `$`, `$$` and `$name` paths against the state's
 * effective input, the Context Object and the variables. `And`/`Or` stop at the first rule that
 * decides them, so later rules are not read. A comparison whose values are not both of the
 * operator's type is false (no error); String comparisons use UTF-16 code units, Timestamp ones
 * compare instants of ASL timestamps (a value that is not one makes the comparison false).
 * `IsPresent` is false on a miss; for every other operator a Variable or `…Path` operand that
 * selects nothing fails with {@link CHOICE_PATH_ERROR}.
 */
export function evaluateChoiceRule(rule: ChoiceRule, read: (path: CompiledPath) => ChoicePathRead): ChoiceOutcome {
  switch (rule.kind) {
    case "and":
      for (const inner of rule.rules) {
        const result = evaluateChoiceRule(inner, read);
        if (!result.ok || !result.value) return result;
      }
      return TRUE;
    case "or":
      for (const inner of rule.rules) {
        const result = evaluateChoiceRule(inner, read);
        if (!result.ok || result.value) return result;
      }
      return FALSE;
    case "not": {
      const result = evaluateChoiceRule(rule.rule, read);
      return result.ok ? outcome(!result.value) : result;
    }
    case "test": {
      const variable = read(rule.variable);
      if (!variable.ok) return rule.test === "IsPresent" ? outcome(!rule.expected) : pathMissing(rule.variable);
      return outcome(passesTypeTest(rule.test, variable.value) === rule.expected);
    }
    case "matches": {
      const variable = read(rule.variable);
      if (!variable.ok) return pathMissing(rule.variable);
      return outcome(typeof variable.value === "string" && matchesStringPattern(rule.pattern, variable.value));
    }
    case "compare": {
      const variable = read(rule.variable);
      if (!variable.ok) return pathMissing(rule.variable);
      const operand = rule.operand;
      if (operand.kind === "path") {
        const other = read(operand.path);
        if (!other.ok) return pathMissing(operand.path);
        return outcome(compareValues(rule.family, rule.comparison, variable.value, other.value));
      }
      if (operand.kind === "timestamp") {
        const instant = typeof variable.value === "string" ? parseTimestamp(variable.value) : undefined;
        return outcome(instant !== undefined && holds(rule.comparison, instant, operand.epochMillis));
      }
      return outcome(compareValues(rule.family, rule.comparison, variable.value, operand.value));
    }
  }
}

/** The type tests on a value that exists (IsPresent is then always true). */
function passesTypeTest(test: TypeTest, value: unknown): boolean {
  switch (test) {
    case "IsNull":
      return value === null;
    case "IsPresent":
      return true;
    case "IsNumeric":
      return typeof value === "number";
    case "IsString":
      return typeof value === "string";
    case "IsBoolean":
      return typeof value === "boolean";
    case "IsTimestamp":
      return typeof value === "string" && parseTimestamp(value) !== undefined;
  }
}

/** Compares two values of one family; false when either is not of the family's type. */
function compareValues(family: ComparisonFamily, comparison: Comparison, left: unknown, right: unknown): boolean {
  switch (family) {
    case "String":
      return typeof left === "string" && typeof right === "string" && holds(comparison, left, right);
    case "Numeric":
      return typeof left === "number" && typeof right === "number" && holds(comparison, left, right);
    case "Boolean":
      return typeof left === "boolean" && typeof right === "boolean" && left === right;
    case "Timestamp": {
      if (typeof left !== "string" || typeof right !== "string") return false;
      const leftInstant = parseTimestamp(left);
      const rightInstant = parseTimestamp(right);
      return leftInstant !== undefined && rightInstant !== undefined && holds(comparison, leftInstant, rightInstant);
    }
  }
}

/** `left <comparison> right` for two numbers or two strings (strings by UTF-16 code units, as Java's compareTo). */
function holds<T extends number | string>(comparison: Comparison, left: T, right: T): boolean {
  switch (comparison) {
    case "Equals":
      return left === right;
    case "LessThan":
      return left < right;
    case "GreaterThan":
      return left > right;
    case "LessThanEquals":
      return left <= right;
    case "GreaterThanEquals":
      return left >= right;
  }
}
