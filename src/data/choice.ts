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
