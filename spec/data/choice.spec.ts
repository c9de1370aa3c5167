import { describe, expect, it } from "vitest";
import {
  CHOICE_PATH_ERROR,
  choicePathCause,
  compileChoiceRule,
  evaluateChoiceRule,
  type ChoiceOutcome,
  type ChoicePathRead,
  type ChoiceRule,
} from "../../src/data/choice.js";
import { parsePath, readPath, type CompiledPath } from "../../src/data/path.js";
import { jsonEquals } from "../../src/data/json.js";
import { loadConformanceCases, MISSING_CASES } from "../support/conformance.js";

// ---------------------------------------------------------------- helpers

function compile(raw: unknown): ChoiceRule {
  const compiled = compileChoiceRule(raw);
  if (!compiled.ok) throw new Error(`rule did not compile: ${JSON.stringify(compiled.problems)}`);
  return compiled.value;
}

interface Documents {
  readonly input: unknown;
  readonly context?: unknown;
  readonly variables?: Readonly<Record<string, unknown>>;
}

/** A reader over fixed documents that records which paths were read, in order. */
function reader(documents: Documents): { read: (path: CompiledPath) => ChoicePathRead; reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    read: (path) => {
      reads.push(path.source);
      return readPath(path, documents);
    },
  };
}

function evaluate(raw: unknown, input: unknown, extra: Omit<Documents, "input"> = {}): ChoiceOutcome {
  return evaluateChoiceRule(compile(raw), reader({ input, ...extra }).read);
}

function holds(raw: unknown, input: unknown, extra: Omit<Documents, "input"> = {}): boolean {
  const result = evaluate(raw, input, extra);
  if (!result.ok) throw new Error(`rule failed: ${result.cause}`);
  return result.value;
}

const deepFreeze = <T>(value: T): T => {
  if (typeof value === "object" && value !== null) {
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
};

const path = (source: string): CompiledPath => {
  const parsed = parsePath(source);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
};

// ---------------------------------------------------------------- comparisons

describe("evaluateChoiceRule: String comparisons", () => {
  const table: readonly [string, string, unknown, boolean][] = [
    ["StringEquals", "abc", "abc", true],
    ["StringEquals", "abc", "ABC", false],
    ["StringEquals", "", "", true],
    ["StringEquals", "1", 1, false],
    ["StringEquals", "true", true, false],
    ["StringEquals", "null", null, false],
    ["StringLessThan", "b", "a", true],
    ["StringLessThan", "a", "a", false],
    ["StringLessThan", "a", "B", true], // no case folding: "B" (0x42) < "a" (0x61)
    ["StringGreaterThan", "a", "B", false],
    ["StringLessThan", "ab", "a", true],
    ["StringGreaterThan", "a", "b", true],
    ["StringGreaterThan", "a", "a", false],
    ["StringLessThanEquals", "a", "a", true],
    ["StringLessThanEquals", "a", "b", false],
    ["StringGreaterThanEquals", "a", "a", true],
    ["StringGreaterThanEquals", "b", "a", false],
    // UTF-16 code units: U+FF5E (0xFF5E) sorts after U+1F600 (0xD83D 0xDE00), unlike code points.
    ["StringLessThan", "\uff5e", "\u{1f600}", true],
    ["StringGreaterThan", "\u{1f600}", "\uff5e", true],
  ];
  it.each(table)("%s %j against %j is %s", (operator, constant, value, expected) => {
    expect(holds({ Variable: "$.v", [operator]: constant }, { v: value })).toBe(expected);
  });
});

describe("evaluateChoiceRule: Numeric comparisons", () => {
  const table: readonly [string, number, unknown, boolean][] = [
    ["NumericEquals", 0, 0, true],
    ["NumericEquals", 0, -0, true],
    ["NumericEquals", 1, 1.0, true],
    ["NumericEquals", 1, "1", false],
    ["NumericEquals", 1, true, false],
    ["NumericEquals", 0, null, false],
    ["NumericEquals", 0.1, 0.1, true],
    ["NumericLessThan", 2, 1.5, true],
    ["NumericLessThan", 2, 2, false],
    ["NumericGreaterThan", 2, 2.5, true],
    ["NumericGreaterThan", 2, 2, false],
    ["NumericLessThanEquals", 2, 2, true],
    ["NumericLessThanEquals", 2, 3, false],
    ["NumericGreaterThanEquals", 2, 2, true],
    ["NumericGreaterThanEquals", -1, -2, false],
    ["NumericGreaterThan", 1e300, 1.7976931348623157e308, true],
  ];
  it.each(table)("%s %j against %j is %s", (operator, constant, value, expected) => {
    expect(holds({ Variable: "$.v", [operator]: constant }, { v: value })).toBe(expected);
  });
});

describe("evaluateChoiceRule: Boolean comparisons", () => {
  it.each([
    [true, true, true],
    [true, false, false],
    [false, false, true],
    [false, 0, false],
    [true, "true", false],
    [false, null, false],
  ] as const)("BooleanEquals %j against %j is %s", (constant, value, expected) => {
    expect(holds({ Variable: "$.v", BooleanEquals: constant }, { v: value })).toBe(expected);
  });
});

describe("evaluateChoiceRule: Timestamp comparisons", () => {
  const table: readonly [string, string, unknown, boolean][] = [
    ["TimestampEquals", "2016-03-14T01:59:00Z", "2016-03-14T01:59:00Z", true],
    // The same instant written with an offset and with fractional seconds.
    ["TimestampEquals", "2016-03-14T01:59:00Z", "2016-03-14T02:59:00+01:00", true],
    ["TimestampEquals", "2016-03-14T01:59:00Z", "2016-03-14T01:59:00.000Z", true],
    ["TimestampEquals", "2016-03-14T01:59:00Z", "2016-03-14T01:59:00.001Z", false],
    ["TimestampLessThan", "2016-03-14T01:59:00Z", "2016-03-14T01:58:59Z", true],
    ["TimestampLessThan", "2016-03-14T01:59:00Z", "2016-03-14T01:59:00Z", false],
    ["TimestampGreaterThan", "2016-03-14T01:59:00Z", "2016-03-14T01:59:01Z", true],
    ["TimestampLessThanEquals", "2016-03-14T01:59:00Z", "2016-03-14T01:59:00Z", true],
    ["TimestampGreaterThanEquals", "2016-03-14T01:59:00Z", "2016-03-14T01:58:00Z", false],
    // Not ASL timestamps: lowercase z, no zone, no T, a date only, not a string.
    ["TimestampEquals", "2016-03-14T01:59:00Z", "2016-03-14T01:59:00z", false],
    ["TimestampEquals", "2016-03-14T01:59:00Z", "2016-03-14T01:59:00", false],
    ["TimestampEquals", "2016-03-14T01:59:00Z", "2016-03-14 01:59:00Z", false],
    ["TimestampLessThanEquals", "2016-03-14T01:59:00Z", "2016-03-14", false],
    ["TimestampEquals", "2016-03-14T01:59:00Z", 1457920740000, false],
    ["TimestampEquals", "2016-03-14T01:59:00Z", null, false],
  ];
  it.each(table)("%s %j against %j is %s", (operator, constant, value, expected) => {
    expect(holds({ Variable: "$.v", [operator]: constant }, { v: value })).toBe(expected);
  });
});

describe("evaluateChoiceRule: …Path comparisons", () => {
  it("compares the Variable with the other path's value", () => {
    expect(holds({ Variable: "$.a", StringEqualsPath: "$.b" }, { a: "x", b: "x" })).toBe(true);
    expect(holds({ Variable: "$.a", StringEqualsPath: "$.b" }, { a: "x", b: "y" })).toBe(false);
    expect(holds({ Variable: "$.a", NumericLessThanPath: "$.b" }, { a: 1, b: 2 })).toBe(true);
    expect(holds({ Variable: "$.a", NumericGreaterThanEqualsPath: "$.b" }, { a: 1, b: 2 })).toBe(false);
    expect(holds({ Variable: "$.a", BooleanEqualsPath: "$.b" }, { a: false, b: false })).toBe(true);
    expect(holds({ Variable: "$.a", TimestampLessThanPath: "$.b" }, { a: "2020-01-01T00:00:00Z", b: "2020-01-01T00:00:00.5Z" })).toBe(true);
  });

  it("is false when the two values are not both of the operator's type", () => {
    expect(holds({ Variable: "$.a", NumericEqualsPath: "$.b" }, { a: 1, b: "1" })).toBe(false);
    expect(holds({ Variable: "$.a", StringEqualsPath: "$.b" }, { a: null, b: null })).toBe(false);
    expect(holds({ Variable: "$.a", BooleanEqualsPath: "$.b" }, { a: true, b: 1 })).toBe(false);
    expect(holds({ Variable: "$.a", TimestampEqualsPath: "$.b" }, { a: "2020-01-01T00:00:00Z", b: "2020-01-01" })).toBe(false);
    expect(holds({ Variable: "$.a", TimestampEqualsPath: "$.b" }, { a: "nope", b: "2020-01-01T00:00:00Z" })).toBe(false);
  });

  it("reads the operand path from the context and from variables", () => {
    const context = { Execution: { Name: "run-1" } };
    expect(holds({ Variable: "$.name", StringEqualsPath: "$$.Execution.Name" }, { name: "run-1" }, { context })).toBe(true);
    expect(holds({ Variable: "$guess", StringEqualsPath: "$answer" }, {}, { variables: { guess: "a", answer: "a" } })).toBe(true);
    expect(holds({ Variable: "$guess", StringEqualsPath: "$answer" }, {}, { variables: { guess: "a", answer: "b" } })).toBe(false);
  });

  it("fails with States.Runtime when the operand path selects nothing", () => {
    expect(evaluate({ Variable: "$.a", NumericEqualsPath: "$.missing" }, { a: 1 })).toEqual({
      ok: false,
      error: "States.Runtime",
      cause: "Invalid path '$.missing': The choice state's condition path references an invalid value.",
    });
  });
});

describe("evaluateChoiceRule: StringMatches", () => {
  it.each([
    ["log-*.txt", "log-2024.txt", true],
    ["log-*.txt", "log-.txt", true],
    ["log-*.txt", "log-2024.json", false],
    ["*", "", true],
    ["a*b*c", "abc", true],
    ["a*b*c", "aXbYc", true],
    ["a*b*c", "acb", false],
    ["literal\\*star", "literal*star", true],
    ["literal\\*star", "literalXstar", false],
    ["back\\\\slash", "back\\slash", true],
    ["exact", "exact", true],
    ["exact", "exactly", false],
  ] as const)("%j against %j is %s", (pattern, value, expected) => {
    expect(holds({ Variable: "$.v", StringMatches: pattern }, { v: value })).toBe(expected);
  });

  it("is false for values that are not strings", () => {
    expect(holds({ Variable: "$.v", StringMatches: "*" }, { v: 1 })).toBe(false);
    expect(holds({ Variable: "$.v", StringMatches: "*" }, { v: null })).toBe(false);
    expect(holds({ Variable: "$.v", StringMatches: "*" }, { v: ["a"] })).toBe(false);
  });
});

describe("evaluateChoiceRule: type tests", () => {
  const values: readonly unknown[] = [null, true, false, 0, 1.5, -0, "", "x", "2016-03-14T01:59:00Z", [], {}, [1], { a: 1 }];
  const expectations: Record<string, (value: unknown) => boolean> = {
    IsNull: (v) => v === null,
    IsPresent: () => true,
    IsNumeric: (v) => typeof v === "number",
    IsString: (v) => typeof v === "string",
    IsBoolean: (v) => typeof v === "boolean",
    IsTimestamp: (v) => v === "2016-03-14T01:59:00Z",
  };
  for (const [test, expectation] of Object.entries(expectations)) {
    it(`${test}: true and false are each other's negation on every kind of value`, () => {
      for (const value of values) {
        expect(holds({ Variable: "$.v", [test]: true }, { v: value }), `${test} on ${JSON.stringify(value)}`).toBe(expectation(value));
        expect(holds({ Variable: "$.v", [test]: false }, { v: value }), `${test}: false on ${JSON.stringify(value)}`).toBe(!expectation(value));
      }
    });
  }

  it("IsTimestamp follows the ASL profile: offsets and fractions yes; lowercase, no zone, no T, impossible dates no", () => {
    const accepted = ["2016-03-14T01:59:00+01:00", "2016-03-14T01:59:00-08:30", "2016-03-14T01:59:00.000000Z", "2016-02-29T23:59:59.9Z"];
    const rejected = ["2016-03-14t01:59:00Z", "2016-03-14T01:59:00z", "2016-03-14T01:59:00", "2016-03-14 01:59:00Z", "2016-03-14", "2015-02-29T00:00:00Z", "2016-03-14T24:00:00Z", ""];
    for (const value of accepted) expect(holds({ Variable: "$.v", IsTimestamp: true }, { v: value }), value).toBe(true);
    for (const value of rejected) expect(holds({ Variable: "$.v", IsTimestamp: true }, { v: value }), value).toBe(false);
  });

  it("IsPresent is false (IsPresent: false is true) when the Variable selects nothing, without error", () => {
    expect(evaluate({ Variable: "$.missing", IsPresent: true }, {})).toEqual({ ok: true, value: false });
    expect(evaluate({ Variable: "$.missing", IsPresent: false }, {})).toEqual({ ok: true, value: true });
    expect(evaluate({ Variable: "$.a.b.c", IsPresent: true }, { a: 1 })).toEqual({ ok: true, value: false });
    expect(evaluate({ Variable: "$$.Task.Token", IsPresent: true }, {}, { context: { State: {} } })).toEqual({ ok: true, value: false });
    expect(evaluate({ Variable: "$never", IsPresent: true }, {}, { variables: {} })).toEqual({ ok: true, value: false });
  });

  it("other type tests fail when the Variable selects nothing", () => {
    for (const test of ["IsNull", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"]) {
      expect(evaluate({ Variable: "$.missing", [test]: false }, {})).toEqual({
        ok: false,
        error: CHOICE_PATH_ERROR,
        cause: "Invalid path '$.missing': The choice state's condition path references an invalid value.",
      });
    }
  });
});

describe("evaluateChoiceRule: missing Variable", () => {
  it.each([
    [{ Variable: "$.value", NumericEquals: 42 }],
    [{ Variable: "$.value", StringEquals: "x" }],
    [{ Variable: "$.value", BooleanEquals: true }],
    [{ Variable: "$.value", TimestampEquals: "2020-01-01T00:00:00Z" }],
    [{ Variable: "$.value", StringMatches: "*" }],
    [{ Variable: "$.value", StringEqualsPath: "$.other" }],
  ])("%j fails with States.Runtime and AWS's cause", (rule) => {
    expect(evaluate(rule, { other: "x" })).toEqual({
      ok: false,
      error: "States.Runtime",
      cause: "Invalid path '$.value': The choice state's condition path references an invalid value.",
    });
  });

  it("names the path as written, for the context and variables too", () => {
    expect(evaluate({ Variable: "$$.Execution.Input.x", NumericEquals: 1 }, {}, { context: { Execution: { Input: {} } } })).toEqual({
      ok: false,
      error: "States.Runtime",
      cause: "Invalid path '$$.Execution.Input.x': The choice state's condition path references an invalid value.",
    });
    expect(evaluate({ Variable: "$order.total", NumericEquals: 1 }, {}, { variables: { order: {} } })).toEqual({
      ok: false,
      error: "States.Runtime",
      cause: "Invalid path '$order.total': The choice state's condition path references an invalid value.",
    });
    expect(choicePathCause(path("$['a b'][0]"))).toBe("Invalid path '$['a b'][0]': The choice state's condition path references an invalid value.");
  });

  it("treats a present null as a value, not a miss", () => {
    expect(evaluate({ Variable: "$.v", NumericEquals: 0 }, { v: null })).toEqual({ ok: true, value: false });
    expect(evaluate({ Variable: "$.v", IsNull: true }, { v: null })).toEqual({ ok: true, value: true });
  });
});

// ---------------------------------------------------------------- combinators

describe("evaluateChoiceRule: And, Or, Not", () => {
  const positive = { Variable: "$.n", NumericGreaterThan: 0 };
  const small = { Variable: "$.n", NumericLessThan: 10 };
  const missing = { Variable: "$.missing", NumericEquals: 1 };

  it("combines rules", () => {
    expect(holds({ And: [positive, small] }, { n: 5 })).toBe(true);
    expect(holds({ And: [positive, small] }, { n: 50 })).toBe(false);
    expect(holds({ Or: [positive, small] }, { n: -5 })).toBe(true);
    expect(holds({ Or: [{ Variable: "$.n", NumericGreaterThan: 100 }, { Variable: "$.n", NumericLessThan: -100 }] }, { n: 0 })).toBe(false);
    expect(holds({ Not: positive }, { n: 5 })).toBe(false);
    expect(holds({ Not: { Not: positive } }, { n: 5 })).toBe(true);
    expect(holds({ And: [{ Variable: "$.type", StringEquals: "Public" }] }, { type: "Public" })).toBe(true);
  });

  it("And stops at the first false rule, so later rules are neither read nor able to fail", () => {
    const { read, reads } = reader({ input: { n: -1 } });
    expect(evaluateChoiceRule(compile({ And: [positive, missing] }), read)).toEqual({ ok: true, value: false });
    expect(reads).toEqual(["$.n"]);
  });

  it("Or stops at the first true rule", () => {
    const { read, reads } = reader({ input: { n: 1 } });
    expect(evaluateChoiceRule(compile({ Or: [positive, missing] }), read)).toEqual({ ok: true, value: true });
    expect(reads).toEqual(["$.n"]);
  });

  it("reads rules in order and propagates the first failure through And, Or and Not", () => {
    const failure = { ok: false, error: "States.Runtime", cause: choicePathCause(path("$.missing")) };
    const { read, reads } = reader({ input: { n: 1 } });
    expect(evaluateChoiceRule(compile({ And: [positive, small, missing, positive] }), read)).toEqual(failure);
    expect(reads).toEqual(["$.n", "$.n", "$.missing"]);
    expect(evaluate({ Or: [{ Not: positive }, missing] }, { n: 1 })).toEqual(failure);
    expect(evaluate({ Not: missing }, {})).toEqual(failure);
  });

  it("nests deeply", () => {
    let rule: unknown = positive;
    for (let i = 0; i < 200; i++) rule = i % 2 === 0 ? { Not: rule } : { And: [rule] };
    expect(holds(rule, { n: 1 })).toBe(true);
  });
});

describe("evaluateChoiceRule: data safety", () => {
  it("never mutates the documents it reads", () => {
    const input = deepFreeze({ a: { b: [1, 2, { c: "x" }] }, s: "2020-01-01T00:00:00Z" });
    expect(holds({ And: [{ Variable: "$.a.b[2].c", StringEquals: "x" }, { Variable: "$.s", IsTimestamp: true }] }, input)).toBe(true);
  });

  it("reads __proto__ and constructor as plain own data only", () => {
    const input = JSON.parse('{"__proto__": {"polluted": 1}, "o": {}}') as unknown;
    expect(holds({ Variable: "$['__proto__'].polluted", NumericEquals: 1 }, input)).toBe(true);
    expect(holds({ Variable: "$.o.constructor", IsPresent: true }, input)).toBe(false);
    expect(holds({ Variable: "$.o.toString", IsPresent: true }, input)).toBe(false);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });
});

// ---------------------------------------------------------------- AWS recordings

const cases = loadConformanceCases();
const choiceCases = (cases ?? []).filter((c) => c.category === "choice-operators");

/** Runs a Choice state's rules in order as the engine does: the first rule that holds wins, else Default. */
function chooseBranch(state: Record<string, unknown>, input: unknown): string | undefined {
  const choices = state["Choices"] as Record<string, unknown>[];
  for (const choice of choices) {
    const { Next, ...rule } = choice;
    const result = evaluateChoiceRule(compile(rule), (p) => readPath(p, { input }));
    if (!result.ok) throw new Error(result.cause);
    if (result.value) return Next as string;
  }
  return state["Default"] as string | undefined;
}

describe.skipIf(cases === undefined)(`AWS conformance: choice operators${cases === undefined ? ` (${MISSING_CASES})` : ""}`, () => {
  it("has the 364 recorded choice-operator cases", () => {
    expect(choiceCases.length).toBe(364);
  });

  it.each(choiceCases.map((c) => [c.id, c] as const))("%s", (_id, recorded) => {
    const states = recorded.definition["States"] as Record<string, Record<string, unknown>>;
    const start = states[recorded.definition["StartAt"] as string] as Record<string, unknown>;
    expect(start["Type"]).toBe("Choice");
    // The branch AWS took is the Pass state whose Result is the recorded output.
    const taken = Object.keys(states).filter((name) => states[name]?.["Type"] === "Pass" && jsonEquals(states[name]?.["Result"], recorded.expected.output));
    expect(taken).toHaveLength(1);
    expect(chooseBranch(start, deepFreeze(recorded.input))).toBe(taken[0]);
  });
});
