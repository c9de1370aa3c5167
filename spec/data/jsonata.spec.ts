import { describe, expect, it } from "vitest";
import {
  compileJsonata,
  compileJsonataTemplate,
  evaluateJsonata,
  evaluateJsonataTemplate,
  hasMalformedJsonataDelimiters,
  isJsonataString,
  jsonataResultTypeError,
  jsonTypeName,
  JSONATA_LIMITS,
  type JsonataBindings,
  type JsonataExpression,
  type JsonataScope,
  type JsonataTemplate,
  type JsonataValue,
} from "../../src/data/jsonata.js";
import { copyAsJson, COPY_LIMITS } from "../../src/data/jsonata/copy.js";
import { uuidV4 } from "../../src/data/intrinsics/random.js";
import { seededRandom } from "../../src/data/jsonata/functions.js";
import { loadConformanceCases, MISSING_CASES, type ConformanceCase } from "../support/conformance.js";

const OUTPUT: JsonataScope = { result: false, errorOutput: false };
const TASK_OUTPUT: JsonataScope = { result: true, errorOutput: false };
const CATCH_OUTPUT: JsonataScope = { result: false, errorOutput: true };

/** Compiles or fails the test with the problems. */
const compile = (text: string, scope: JsonataScope = TASK_OUTPUT): JsonataExpression => {
  const compiled = compileJsonata(text, scope);
  if (!compiled.ok) throw new Error(`expected ${text} to compile: ${JSON.stringify(compiled.problems)}`);
  return compiled.value;
};

/** A small deterministic generator (mulberry32) standing in for the host's seeded random. */
const generator = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const bindings = (overrides: Partial<JsonataBindings> = {}): JsonataBindings => ({
  states: { input: { items: [{ price: 5 }, { price: 15 }, { price: 25 }], name: "Ann", n: 3 }, context: {} },
  variables: { total: 10, list: [1, 2, 3] },
  random: () => 0.5,
  ...overrides,
});

const run = (text: string, over: Partial<JsonataBindings> = {}, location = "Output"): Promise<JsonataValue> =>
  evaluateJsonata(compile(text), location, bindings(over));

/** The value of a successful evaluation, or the test fails with the cause. */
const valueOf = async (text: string, over: Partial<JsonataBindings> = {}): Promise<unknown> => {
  const result = await run(text, over);
  if (!result.ok) throw new Error(`expected ${text} to evaluate: ${result.cause}`);
  return result.value;
};

/** The cause of a failed evaluation, or the test fails with the value. */
const causeOf = async (text: string, over: Partial<JsonataBindings> = {}, location = "Output"): Promise<string> => {
  const result = await run(text, over, location);
  if (result.ok) throw new Error(`expected ${text} to fail, got ${JSON.stringify(result.value)}`);
  expect(result.error).toBe("States.QueryEvaluationError");
  expect(result.location).toBe(location);
  return result.cause;
};

const threw = (expr: string, detail: string, location = "Output"): string =>
  `The JSONata expression '${expr}' specified for the field '${location}' threw an error during evaluation. ${detail}`;

describe("delimiters", () => {
  it.each([
    ["{% $x %}", true],
    ["{%$x%}", true],
    ["{%%}", true],
    ["{% multi\nline %}", true],
    ["{%}", false],
    [" {% $x %}", false],
    ["{% $x %} ", false],
    ["{% $x", false],
    ["$x %}", false],
    ["plain", false],
    ["", false],
  ])("isJsonataString(%j) is %s", (text, expected) => {
    expect(isJsonataString(text)).toBe(expected);
  });

  it("is false for non-strings", () => {
    for (const value of [null, 1, true, ["{% $x %}"], { a: "{% $x %}" }, undefined]) expect(isJsonataString(value)).toBe(false);
  });

  it.each([
    ["{% $x", true],
    ["{% $x %} ", true],
    ["{%}", true],
    ["{%", true],
    ["{% $x %}", false],
    [" {% $x %} ", false],
    ["$x %}", false],
    ["100%}", false],
    ["plain", false],
  ])("hasMalformedJsonataDelimiters(%j) is %s", (text, expected) => {
    expect(hasMalformedJsonataDelimiters(text)).toBe(expected);
  });
});

describe("compileJsonata", () => {
  it("keeps the source as written between the delimiters, and accepts a bare expression", () => {
    expect(compile("{%  $states.input.n + 1 %}").source).toBe("  $states.input.n + 1 ");
    expect(compile("$states.input.n").source).toBe("$states.input.n");
  });

  describe("parse errors are INVALID_JSONATA_EXPRESSION with jsonata's message, code and position", () => {
    it.each([
      ["a[1,2)", 'Expected "]", got ","', "S0202", 4],
      ['"unterminated', "String literal must be terminated by a matching quote", "S0101", 13],
      ["1 +", "Unexpected end of expression", "S0207", 3],
      ['{"a":}', 'The symbol "}" cannot be used as a unary operator', "S0211", 6],
      ["$x :=", "Unexpected end of expression", "S0207", 5],
      ['$match("a", /abc', "No terminating / in regular expression", "S0302", 16],
      ["phone %.other", 'The symbol "." cannot be used as a unary operator', "S0211", 8],
      ["", "Unexpected end of expression", "S0207", 0],
      ["   ", "Unexpected end of expression", "S0207", 3],
    ])("%j", (text, message, jsonataCode, position) => {
      const compiled = compileJsonata(`{%${text}%}`, OUTPUT);
      expect(compiled).toEqual({
        ok: false,
        problem: { code: "INVALID_JSONATA_EXPRESSION", message, jsonataCode, position },
        problems: [{ code: "INVALID_JSONATA_EXPRESSION", message, jsonataCode, position }],
      });
    });

    it("reports a parse error without a position when jsonata gives none", () => {
      const compiled = compileJsonata("{% %.a %}", OUTPUT);
      expect(compiled.ok).toBe(false);
      if (!compiled.ok) {
        expect(compiled.problem).toEqual({
          code: "INVALID_JSONATA_EXPRESSION",
          message: "The object representing the 'parent' cannot be derived from this expression",
          jsonataCode: "S0217",
        });
      }
    });

    it("refuses an expression nested beyond the parser's reach instead of throwing", () => {
      const deep = `{% ${"(".repeat(30_000)}1${")".repeat(30_000)} %}`;
      const compiled = compileJsonata(deep, OUTPUT);
      expect(compiled.ok).toBe(false);
      if (!compiled.ok) expect(compiled.problem).toEqual({ code: "INVALID_JSONATA_EXPRESSION", message: "The expression is nested too deeply." });
    });
  });

  describe("references to the absent top-level input are UNSUPPORTED_JSONATA_EXPRESSION", () => {
    // Each of these names 'phone' where it is read against the top-level context.
    it.each([
      "phone",
      "phone[0].number",
      "phone.number.street",
      "-phone",
      "phone ? 1 : 2",
      "$states.input.a ? phone : 2",
      "phone & 'x'",
      "phone in $states.input.b",
      "$sum(phone)",
      "phone(1)",
      "phone ~> $string()",
      "[1..phone]",
      "(phone)",
      "(phone).other",
      "[phone].other",
      "[phone, 1]",
      "{phone: 1}",
      "($x := phone; $x)",
      "$map($states.input.a, function($y){ phone })",
      "$count(phone[inner])",
      "phone.**.deeper",
    ])("%s", (text) => {
      const compiled = compileJsonata(`{% ${text} %}`, OUTPUT);
      expect(compiled.ok).toBe(false);
      if (!compiled.ok) {
        expect(compiled.problems.map(({ code, message }) => ({ code, message }))).toEqual([
          { code: "UNSUPPORTED_JSONATA_EXPRESSION", message: "Reference to 'phone' at the top level is not supported." },
        ]);
      }
    });

    it.each(["$", "$.phone", "$[0]", "$string($)", "$map($states.input.a, function($x){ $ })"])("%s names '$'", (text) => {
      const compiled = compileJsonata(`{% ${text} %}`, OUTPUT);
      expect(compiled.ok ? [] : compiled.problems.map((p) => p.message)).toEqual(["Reference to '$' at the top level is not supported."]);
    });

    it.each(["$$", "$$.phone", "$states.input.a[$$.x]", "function($x){ $$ }"])("%s names '$$' wherever it is", (text) => {
      const compiled = compileJsonata(`{% ${text} %}`, OUTPUT);
      expect(compiled.ok ? [] : compiled.problems.map((p) => p.message)).toEqual(["Reference to '$$' is not supported."]);
    });

    it("reports every distinct reference once, in writing order, with positions", () => {
      const compiled = compileJsonata("{% aaa + bbb + $$ + $ + aaa %}", OUTPUT);
      expect(compiled.ok).toBe(false);
      if (!compiled.ok) {
        expect(compiled.problems).toEqual([
          { code: "UNSUPPORTED_JSONATA_EXPRESSION", message: "Reference to 'aaa' at the top level is not supported.", position: 4 },
          { code: "UNSUPPORTED_JSONATA_EXPRESSION", message: "Reference to 'bbb' at the top level is not supported.", position: 10 },
          { code: "UNSUPPORTED_JSONATA_EXPRESSION", message: "Reference to '$$' is not supported.", position: 15 },
          { code: "UNSUPPORTED_JSONATA_EXPRESSION", message: "Reference to '$' at the top level is not supported.", position: 19 },
        ]);
        expect(compiled.problem).toEqual(compiled.problems[0]);
      }
      const reordered = compileJsonata("{% [bbb, aaa] %}", OUTPUT);
      expect(reordered.ok ? [] : reordered.problems.map((p) => p.message)).toEqual([
        "Reference to 'bbb' at the top level is not supported.",
        "Reference to 'aaa' at the top level is not supported.",
      ]);
    });
  });

  describe("names read from a value in hand keep JSONata's meaning", () => {
    it.each([
      "$states.input.phone",
      "$states.input.a.phone",
      "$states.input.a[0].phone",
      "$states.input.a.phone[0]",
      "$states.input.items[phone > 3]",
      "$states.input.a^(phone)",
      "$states.input.a{'k': phone}",
      "$states.input.a.(phone)",
      "$states.input.a.$phone",
      "$phone",
      "$states.input.a ~> $string()",
      "$states.input ~> |phone|{'b': 1}|",
      "**.phone",
      "{'k': 1}.phone",
      "$states.input.a[0][phone]",
      "$states.input.a[$ > 1]",
      "function($x){ $x.phone }",
      "$map($states.input.a, function($x){ $x.phone })",
      "$states.input.a[function($x){ phone }(1)]",
      "'phone'",
      "1 + 1",
      "$now()",
      "$states",
      "$states.error",
      "$states.input.x.%",
    ])("%s compiles", (text) => {
      expect(compileJsonata(`{% ${text} %}`, OUTPUT).ok).toBe(true);
    });
  });

  describe("$states.result and $states.errorOutput only where the state offers them", () => {
    it.each([
      ["$states.result", OUTPUT, "Field '$states.result' does not exist."],
      ["$states.result.x", CATCH_OUTPUT, "Field '$states.result' does not exist."],
      ["$states.errorOutput", OUTPUT, "Field '$states.errorOutput' does not exist."],
      ["$states.errorOutput.Cause", TASK_OUTPUT, "Field '$states.errorOutput' does not exist."],
      ["[$states.errorOutput]", OUTPUT, "Field '$states.errorOutput' does not exist."],
      ["$states.errorOutput ? 1 : 2", OUTPUT, "Field '$states.errorOutput' does not exist."],
      ["$states.input.a[$states.result]", OUTPUT, "Field '$states.result' does not exist."],
      ["function($x){ $states.result }", OUTPUT, "Field '$states.result' does not exist."],
    ])("%s is refused", (text, scope, message) => {
      const compiled = compileJsonata(`{% ${text} %}`, scope);
      expect(compiled.ok ? [] : compiled.problems.map(({ code, message: m }) => [code, m])).toEqual([["UNSUPPORTED_JSONATA_EXPRESSION", message]]);
    });

    it.each([
      ["$states.result", TASK_OUTPUT],
      ["$states.result.Payload", { result: true, errorOutput: true }],
      ["$states.errorOutput", CATCH_OUTPUT],
      ["$states.errorOutput.Cause", CATCH_OUTPUT],
      ["$states.input.errorOutput", OUTPUT],
      ["$states.input.result", OUTPUT],
      ["$states.context.State.Name", OUTPUT],
    ])("%s is accepted", (text, scope) => {
      expect(compileJsonata(`{% ${text} %}`, scope).ok).toBe(true);
    });
  });

  it.each(["$states := 1", "function($states){ 1 }", "($f := function($a, $states){ $a }; 1)", "$states.input.a@$states.x", "$states.input.a#$states"])(
    "refuses rebinding the reserved $states: %s",
    (text) => {
      const compiled = compileJsonata(`{% ${text} %}`, OUTPUT);
      expect(compiled.ok ? [] : compiled.problems.map((p) => [p.code, p.message])).toEqual([
        ["UNSUPPORTED_JSONATA_EXPRESSION", "The reserved variable '$states' cannot be bound in an expression."],
      ]);
    },
  );

  describe("variables", () => {
    it.each([
      ["$total", ["total"]],
      ["$total + $total * $tax", ["total", "tax"]],
      ["$states.input.n + $states.context.x", []],
      ["$sum($list) + $count($list) + $string($n) + $partition($l, 2) + $uuid()", ["list", "n", "l"]],
      ["$x := 1", []],
      ["($x := 1; $x + $y)", ["y"]],
      ["($a := $a + 1; $a)", ["a"]],
      ["($x + 1; $x := 2)", ["x"]],
      ["function($p){ $p + $q }", ["q"]],
      ["$f := function(){ $g }", ["g"]],
      ["($f := function(){ $g }; $g := 1; $f())", []],
      ["($f := function($n){ $n = 0 ? 0 : $f($n - 1) }; $f(3))", []],
      ["$states.input.a#$i[$i > $j]", ["j"]],
      ["$states.input.a@$o.($o.x + $p)", ["p"]],
      ["$x.$y[$z]{$k: $v}^($s)", ["x", "y", "z", "k", "v", "s"]],
      ["$states.input.a ~> |b|{'c': $d}|", ["d"]],
      ["$map($xs, $string)", ["xs"]],
      ["$map($xs, function($v){ $v * $rate })", ["xs", "rate"]],
      ["$eval", []],
      ["($inner := $outer; $inner)", ["outer"]],
      ["$b + $a + $b", ["b", "a"]],
    ])("%s reads %j", (text, expected) => {
      expect(compile(`{% ${text} %}`).variables).toEqual(expected);
    });

    it("returns a frozen expression", () => {
      const expression = compile("{% $a %}");
      expect(Object.isFrozen(expression)).toBe(true);
      expect(Object.isFrozen(expression.variables)).toBe(true);
    });
  });
});

describe("compileJsonataTemplate", () => {
  it("keeps a value without expressions as one literal, the same value", () => {
    const value = { a: [1, "x", { b: null }], c: " {% states.input %} ", d: "$states.input", e: "100%}" };
    const compiled = compileJsonataTemplate(value, "Output", OUTPUT);
    expect(compiled).toEqual({ ok: true, value: { kind: "literal", value } });
    expect(compiled.ok && compiled.value.kind === "literal" && compiled.value.value).toBe(value);
    for (const scalar of [null, 0, 0.1, true, "text", []]) {
      expect(compileJsonataTemplate(scalar, "Output", OUTPUT)).toEqual({ ok: true, value: { kind: "literal", value: scalar } });
    }
  });

  it("compiles expressions anywhere inside, each with AWS's location", () => {
    const compiled = compileJsonataTemplate(
      { a: { b: ["{% $x %}", 2] }, c: "{% $states.input %}", d: "keep", e: [[{ f: "{% $y %}" }]] },
      "Output",
      OUTPUT,
    );
    expect(compiled.ok).toBe(true);
    if (!compiled.ok) return;
    const locations: string[] = [];
    const literals: unknown[] = [];
    const walk = (t: JsonataTemplate): void => {
      if (t.kind === "expression") locations.push(`${t.location} <- ${t.expression.source.trim()}`);
      else if (t.kind === "literal") literals.push(t.value);
      else if (t.kind === "array") t.items.forEach(walk);
      else t.entries.forEach(([, member]) => walk(member));
    };
    walk(compiled.value);
    expect(locations).toEqual(["Output/a/b[0] <- $x", "Output/c <- $states.input", "Output/e[0][0]/f <- $y"]);
    expect(literals).toEqual([2, "keep"]);
    expect(compiled.value.kind).toBe("object");
    if (compiled.value.kind === "object") expect(compiled.value.entries.map(([key]) => key)).toEqual(["a", "c", "d", "e"]);
  });

  it("gives a top-level expression the field's own location", () => {
    expect(compileJsonataTemplate("{% $x %}", "Catch[0]/Output", OUTPUT)).toMatchObject({
      ok: true,
      value: { kind: "expression", location: "Catch[0]/Output", expression: { source: " $x ", variables: ["x"] } },
    });
    expect(compileJsonataTemplate([1, "{% $x %}"], "Items", OUTPUT)).toMatchObject({
      ok: true,
      value: { kind: "array", items: [{ kind: "literal", value: 1 }, { kind: "expression", location: "Items[1]" }] },
    });
  });

  it("reports every bad expression with its path", () => {
    const compiled = compileJsonataTemplate(
      { ok: "{% $a %}", bad: "{% a[1,2) %}", deep: [{ top: "{% total %}" }], result: "{% $states.result %}", open: "{% $a" },
      "Output",
      OUTPUT,
    );
    expect(compiled).toEqual({
      ok: false,
      problems: [
        { code: "INVALID_JSONATA_EXPRESSION", message: 'Expected "]", got ","', jsonataCode: "S0202", position: 5, path: ["bad"] },
        { code: "UNSUPPORTED_JSONATA_EXPRESSION", message: "Reference to 'total' at the top level is not supported.", position: 6, path: ["deep", 0, "top"] },
        { code: "UNSUPPORTED_JSONATA_EXPRESSION", message: "Field '$states.result' does not exist.", position: 15, path: ["result"] },
        { code: "INVALID_JSONATA_EXPRESSION", message: "A JSONata expression that starts with '{%' must end with '%}'.", path: ["open"] },
      ],
    });
  });

  it("treats keys as literal text", () => {
    const compiled = compileJsonataTemplate({ "{% $k %}": 1, "a.$": "$.x" }, "Arguments", OUTPUT);
    expect(compiled).toEqual({ ok: true, value: { kind: "literal", value: { "{% $k %}": 1, "a.$": "$.x" } } });
  });

  it("keeps __proto__ keys as plain members", () => {
    const value = JSON.parse('{"__proto__": {"x": "{% $x %}"}}') as unknown;
    const compiled = compileJsonataTemplate(value, "Output", OUTPUT);
    expect(compiled).toMatchObject({ ok: true, value: { kind: "object", entries: [["__proto__", { kind: "object" }]] } });
  });

  it("accepts deep literal nesting and refuses expressions nested beyond 512 levels, without throwing", () => {
    const deepLiteral = JSON.parse(`${"[".repeat(20_000)}1${"]".repeat(20_000)}`) as unknown;
    expect(compileJsonataTemplate(deepLiteral, "Output", OUTPUT)).toEqual({ ok: true, value: { kind: "literal", value: deepLiteral } });
    const deepExpression = JSON.parse(`${"[".repeat(20_000)}"{% $x %}"${"]".repeat(20_000)}`) as unknown;
    const compiled = compileJsonataTemplate(deepExpression, "Output", OUTPUT);
    expect(compiled.ok).toBe(false);
    if (!compiled.ok) {
      expect(compiled.problems).toHaveLength(1);
      expect(compiled.problems[0]?.message).toBe("JSONata expressions nested deeper than 512 levels are not supported.");
      expect(compiled.problems[0]?.path).toHaveLength(512);
    }
    const shallowEnough = JSON.parse(`${"[".repeat(100)}"{% $x %}"${"]".repeat(100)}`) as unknown;
    expect(compileJsonataTemplate(shallowEnough, "Output", OUTPUT).ok).toBe(true);
  });
});

describe("evaluateJsonata", () => {
  it("reads $states and the workflow variables", async () => {
    const everything = compile("{% [$states.result.ok, $states.errorOutput.Error, $states.context.State.Name] %}", { result: true, errorOutput: true });
    expect(await valueOf("{% $states.input.items[price > 10].price %}")).toEqual([15, 25]);
    expect(await valueOf("{% $sum($states.input.items.price) + $total %}")).toBe(55);
    expect(await valueOf("{% $map($list, function($v){ $v * $total }) %}")).toEqual([10, 20, 30]);
    expect(await valueOf("{% $states.input.name & '!' %}")).toBe("Ann!");
    expect(
      await evaluateJsonata(everything, "Output", bindings({
        states: { input: {}, context: { State: { Name: "S" } }, result: { ok: 1 }, errorOutput: { Error: "E", Cause: "c" } },
      })),
    ).toEqual({ ok: true, value: [1, "E", "S"] });
  });

  it("keeps JSON null as a value", async () => {
    expect(await run("{% $states.input.bar %}", { states: { input: { bar: null }, context: {} } })).toEqual({ ok: true, value: null });
  });

  it("offers $states.result and $states.errorOutput only when given", async () => {
    expect(await causeOf("{% $states.result %}")).toBe("The JSONata expression '$states.result' specified for the field 'Output' returned nothing (undefined).");
    expect(await valueOf("{% $keys($states) %}", { states: { input: 1, context: {}, result: 2 } })).toEqual(["input", "context", "result"]);
  });

  it("reports an undefined result with AWS's cause, quoting the trimmed expression", async () => {
    expect(await causeOf("{%   $states.input.missing  %}", {}, "Output/a/b[0]")).toBe(
      "The JSONata expression '$states.input.missing' specified for the field 'Output/a/b[0]' returned nothing (undefined).",
    );
    expect(await causeOf("{% $undefinedVariable %}")).toBe(
      "The JSONata expression '$undefinedVariable' specified for the field 'Output' returned nothing (undefined).",
    );
  });

  it("reports thrown errors as '<code>: <message>'", async () => {
    expect(await causeOf("{% $states.input.name() %}")).toBe(threw("$states.input.name()", "T1006: Attempted to invoke a non-function"));
    expect(await causeOf("{% $states.input.name + 1 %}")).toBe(
      threw("$states.input.name + 1", 'T2001: The left side of the "+" operator must evaluate to a number'),
    );
    expect(await causeOf("{% $error('boom') %}")).toBe(threw("$error('boom')", "D3137: boom"));
    expect(await causeOf("{% $partition('x') %}")).toBe(
      threw("$partition('x')", 'T0410: Argument 2 of function "partition" does not match function signature'),
    );
  });

  it("refuses $eval", async () => {
    expect(await causeOf("{% $eval('1 + 1') %}")).toBe(threw("$eval('1 + 1')", "T1006: Attempted to invoke a non-function"));
    expect(await causeOf("{% $eval %}")).toBe("The JSONata expression '$eval' specified for the field 'Output' returned nothing (undefined).");
  });

  it("reports a function result as an unsupported result type", async () => {
    for (const text of ["$fn := function($x){$x}", "$string", "{'f': function(){1}}", "[1, $sum]", "/abc/"]) {
      expect(await causeOf(`{% ${text} %}`)).toBe(`The JSONata expression '${text}' specified for the field 'Output' returned an unsupported result type.`);
    }
  });

  it("never throws, whatever the bindings", async () => {
    const expression = compile("{% $states.input %}");
    const cyclic: Record<string, unknown> = {};
    cyclic["self"] = cyclic;
    expect(await evaluateJsonata(expression, "Output", bindings({ states: { input: cyclic, context: {} } }))).toEqual({
      ok: false,
      error: "States.QueryEvaluationError",
      cause: threw("$states.input", "The data given to the expression is not JSON."),
      location: "Output",
    });
    expect(await evaluateJsonata(compile("{% $random() %}"), "Output", bindings({ random: () => 1 }))).toEqual({
      ok: false,
      error: "States.QueryEvaluationError",
      cause: threw("$random()", "The random source returned a number outside [0, 1)."),
      location: "Output",
    });
  });

  it("evaluates an expression object that was copied, by compiling its source again", async () => {
    const copy = { ...compile("{% $total * 2 %}") };
    expect(await evaluateJsonata(copy, "Output", bindings())).toEqual({ ok: true, value: 20 });
    expect(await evaluateJsonata({ source: "$$", variables: [] }, "Output", bindings())).toMatchObject({
      ok: false,
      cause: threw("$$", "The expression does not compile."),
    });
  });

  describe("functions Step Functions adds", () => {
    it("$partition chunks an array, rounding the size down", async () => {
      expect(await valueOf("{% $partition([1,2,3,4,5], 2) %}")).toEqual([[1, 2], [3, 4], [5]]);
      expect(await valueOf("{% $partition([1,2,3], 2.9) %}")).toEqual([[1, 2], [3]]);
      expect(await valueOf("{% $partition([1,2], 5) %}")).toEqual([[1, 2]]);
      expect(await valueOf("{% $partition([], 5) %}")).toEqual([]);
      expect(await causeOf("{% $partition([1], 0.5) %}")).toBe(
        threw("$partition([1], 0.5)", "The chunk size of $partition must be a positive integer."),
      );
      expect(await causeOf("{% $partition($states.input.missing, 2) %}")).toContain("returned nothing (undefined).");
    });

    it("$range counts inclusively either way, rounding down", async () => {
      expect(await valueOf("{% $range(0, 10, 2) %}")).toEqual([0, 2, 4, 6, 8, 10]);
      expect(await valueOf("{% $range(10, 1, -3) %}")).toEqual([10, 7, 4, 1]);
      expect(await valueOf("{% $range(0.9, 3.5, 1.7) %}")).toEqual([0, 1, 2, 3]);
      expect(await valueOf("{% $range(-1.5, 0, 1) %}")).toEqual([-2, -1, 0]);
      // a one-item range is a bare number, an empty one nothing, as JSONata sequences go
      expect(await valueOf("{% $range(4, 4, 1) %}")).toBe(4);
      expect(await causeOf("{% $range(5, 1, 1) %}")).toBe("The JSONata expression '$range(5, 1, 1)' specified for the field 'Output' returned nothing (undefined).");
      expect(await causeOf("{% $range(0, 5, 0) %}")).toBe(threw("$range(0, 5, 0)", "The step of $range must not be zero."));
      expect(await causeOf("{% $range(0, 5) %}")).toContain("T0410");
    });

    it("$hash digests UTF-8 text in lowercase hex", async () => {
      expect(await valueOf("{% $hash('abc', 'SHA-256') %}")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
      expect(await valueOf("{% $hash('', 'MD5') %}")).toBe("d41d8cd98f00b204e9800998ecf8427e");
      expect(await valueOf("{% $hash('abc', 'SHA-1') %}")).toBe("a9993e364706816aba3e25717850c26c9cd0d89d");
      expect(await causeOf("{% $hash('abc', 'sha-256') %}")).toBe(
        threw("$hash('abc', 'sha-256')", "The hash algorithm 'sha-256' is not supported; use one of MD5, SHA-1, SHA-256, SHA-384, SHA-512."),
      );
      expect(await causeOf("{% $hash(1, 'MD5') %}")).toContain("T0410");
    });

    it("$random draws from the evaluation's source; a seed fixes the number", async () => {
      expect(await valueOf("{% $random() %}", { random: () => 0.125 })).toBe(0.125);
      const seeded = await valueOf("{% $random(42) %}", { random: () => 0.125 });
      expect(seeded).toBe(seededRandom(42));
      expect(seeded).toBe(0.6275841609797915);
      expect(await valueOf("{% $random(42.7) %}", { random: () => 0.9 })).toBe(seeded);
      expect(await valueOf("{% $random(43) %}")).not.toBe(seeded);
      for (const seed of [0, -1, 1, 2 ** 40, -(2 ** 52), 123456789]) {
        const value = seededRandom(seed);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThan(1);
        expect(seededRandom(seed)).toBe(value);
      }
      expect(new Set([0, 1, 2, 3, 4, 5, 6, 7].map(seededRandom)).size).toBe(8);
    });

    it("$uuid is a version 4 UUID drawn from the evaluation's source", async () => {
      expect(await valueOf("{% $uuid() %}")).toBe("80808080-8080-4080-8080-808080808080");
      const first = await valueOf("{% [$uuid(), $uuid()] %}", { random: generator(7) });
      const again = await valueOf("{% [$uuid(), $uuid()] %}", { random: generator(7) });
      const other = await valueOf("{% [$uuid(), $uuid()] %}", { random: generator(8) });
      expect(first).toEqual(again);
      expect(first).not.toEqual(other);
      const [a, b] = first as [string, string];
      expect(a).not.toBe(b);
      for (const id of [a, b]) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(uuidV4(() => 0)).toBe("00000000-0000-4000-8000-000000000000");
      expect(uuidV4(() => 0.999999)).toBe("ffffffff-ffff-4fff-bfff-ffffffffffff");
    });

    it("$parse reads JSON text", async () => {
      expect(await valueOf(`{% $parse('{"a":[1,{"b":null}]}') %}`)).toEqual({ a: [1, { b: null }] });
      expect(await valueOf("{% $parse('3') %}")).toBe(3);
      expect(await causeOf("{% $parse('{oops') %}")).toBe(threw("$parse('{oops')", "The argument of $parse is not valid JSON text."));
      expect(await causeOf("{% $parse($states.input.missing) %}")).toContain("returned nothing (undefined).");
    });

    it("$shuffle draws from the evaluation's source", async () => {
      expect(await valueOf("{% $shuffle([1,2,3,4]) %}", { random: () => 0 })).toEqual([4, 1, 2, 3]);
      expect(await valueOf("{% $shuffle([1,2,3,4]) %}", { random: () => 0.999 })).toEqual([1, 2, 3, 4]);
      const once = await valueOf("{% $shuffle([1..20]) %}", { random: generator(3) });
      expect(await valueOf("{% $shuffle([1..20]) %}", { random: generator(3) })).toEqual(once);
      expect([...(once as number[])].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });
  });

  describe("the clock", () => {
    it("$now and $millis report bindings.now", async () => {
      const now = Date.UTC(2024, 0, 2, 3, 4, 5, 678);
      expect(await valueOf("{% $now() %}", { now })).toBe("2024-01-02T03:04:05.678Z");
      expect(await valueOf("{% $millis() %}", { now })).toBe(now);
      expect(await valueOf("{% $now('[Y0001]-[M01]', '-0500') %}", { now })).toBe("2024-01");
      // missing date parts default to the same fixed reading
      expect(await valueOf("{% $toMillis('10', '[H]') %}", { now })).toBe(Date.UTC(2024, 0, 2, 10));
    });

    it("falls back to the context's State.EnteredTime, then Execution.StartTime, then 0", async () => {
      const context = { State: { EnteredTime: "2025-08-27T10:04:42.001Z" }, Execution: { StartTime: "2025-08-27T10:00:00Z" } };
      expect(await valueOf("{% $now() %}", { states: { input: {}, context } })).toBe("2025-08-27T10:04:42.001Z");
      expect(await valueOf("{% $now() %}", { states: { input: {}, context: { Execution: context.Execution } } })).toBe("2025-08-27T10:00:00.000Z");
      expect(await valueOf("{% $millis() %}", { states: { input: {}, context: { State: { EnteredTime: "bad" } } } })).toBe(0);
    });
  });

  describe("limits", () => {
    it("stops an endless loop with AWS's timeout message", async () => {
      const text = "(function($f){ $f($f) })(function($f){ $f($f) })";
      const started = Date.now();
      expect(await causeOf(`{% ${text} %}`)).toBe(threw(text, "Expression evaluation timeout"));
      expect(Date.now() - started).toBeLessThan(10_000);
    }, 20_000);

    it("stops deep recursion with AWS's stack overflow message, and allows moderate depth", async () => {
      const recurse = "($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(DEPTH))";
      expect(await causeOf(`{% ${recurse.replace("DEPTH", "100000")} %}`)).toBe(
        threw(recurse.replace("DEPTH", "100000"), "Stack overflow error"),
      );
      expect(await valueOf(`{% ${recurse.replace("DEPTH", "5000")} %}`)).toBe(5000);
      expect(JSONATA_LIMITS.maxCallDepth).toBe(10_000);
    }, 20_000);

    it("stops oversized values with AWS's memory message", async () => {
      for (const text of ["[1..2000000]", "$pad('', 20000000)", "$range(0, 2000000, 1)", "$reduce([1..40], function($acc, $i){ {'l': $acc, 'r': $acc} }, {})"]) {
        expect(await causeOf(`{% ${text} %}`)).toBe(threw(text, "Expression evaluation memory limit exceeded"));
      }
      expect(await valueOf("{% $count([1..100000]) %}")).toBe(100_000);
    }, 20_000);

    it("stops a transform that makes a value contain itself", async () => {
      expect(await causeOf("{% $states.input ~> |$|{'self': $}| %}")).toBe(
        threw("$states.input ~> |$|{'self': $}|", "The expression made a value that contains itself."),
      );
    });

    it("keeps concurrent evaluations of one expression apart", async () => {
      const expression = compile("{% [$states.input.n, $random(), $millis(), $sum($map([1..200], function($v){ $v }))] %}");
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          evaluateJsonata(expression, "Output", bindings({ states: { input: { n: i }, context: {} }, random: () => i / 8, now: i * 1000 })),
        ),
      );
      expect(results).toEqual(Array.from({ length: 8 }, (_, i) => ({ ok: true, value: [i, i / 8, i * 1000, 20100] })));
    });

    it("lets each evaluation start with a fresh budget", async () => {
      const expression = compile("{% $sum($map([1..50000], function($v){ $v })) %}");
      for (let i = 0; i < 3; i++) expect(await evaluateJsonata(expression, "Output", bindings())).toEqual({ ok: true, value: 1250025000 });
    });
  });

  describe("results are plain JSON", () => {
    it("turns sequences into plain arrays and keeps singleton arrays from the input", async () => {
      const input = { a: [1, 2, 3], one: [5], nested: [[1, 2], [3]] };
      const over = { states: { input, context: {} } };
      for (const [text, expected] of [
        ["$states.input.a", [1, 2, 3]],
        ["$states.input.one", [5]],
        ["$states.input.a[]", [1, 2, 3]],
        ["$states.input.a[$ > 1]", [2, 3]],
        ["$states.input.a[$ > 2]", 3],
        ["$states.input.a[$ > 2][]", [3]],
        ["$states.input.nested", [[1, 2], [3]]],
        ["$states.input", input],
      ] as const) {
        const value = await valueOf(`{% ${text} %}`, over);
        expect(value).toEqual(expected);
        if (Array.isArray(value)) {
          expect(Object.keys(value)).toEqual(value.map((_, i) => String(i)));
          expect(Object.getPrototypeOf(value)).toBe(Array.prototype);
        }
      }
    });

    it("returns copies, never the caller's objects", async () => {
      const input = { a: { b: 1 } };
      const value = await valueOf("{% $states.input.a %}", { states: { input, context: {} } });
      expect(value).toEqual({ b: 1 });
      expect(value).not.toBe(input.a);
    });

    it("renders non-finite numbers as text and -0 as 0", async () => {
      expect(await valueOf("{% 1/0 %}")).toBe("Infinity");
      expect(await valueOf("{% -1/0 %}")).toBe("-Infinity");
      expect(await valueOf("{% [0 * -1] %}")).toEqual([0]);
      expect(Object.is(await valueOf("{% 0 * -1 %}"), 0)).toBe(true);
    });

    it("copyAsJson: undefined members, holes, functions, cycles and size", () => {
      expect(copyAsJson({ a: undefined, b: [undefined, 1, , 2] })).toEqual({ ok: true, value: { b: [null, 1, null, 2] } });
      expect(copyAsJson(undefined)).toEqual({ ok: true, value: undefined });
      expect(copyAsJson({ f: () => 1 })).toEqual({ ok: false, reason: "function" });
      expect(copyAsJson([1n])).toEqual({ ok: false, reason: "function" });
      expect(copyAsJson({ _jsonata_lambda: true, environment: "data" })).toEqual({ ok: true, value: { _jsonata_lambda: true, environment: "data" } });
      const shared = { x: 1 };
      expect(copyAsJson([shared, shared])).toEqual({ ok: true, value: [{ x: 1 }, { x: 1 }] });
      const cyclic: unknown[] = [];
      cyclic.push([cyclic]);
      expect(copyAsJson(cyclic)).toEqual({ ok: false, reason: "cycle" });
      const chunk = "x".repeat(1_000_000);
      const chunks = Math.floor(COPY_LIMITS.maxStringChars / chunk.length);
      expect(copyAsJson(new Array<string>(chunks).fill(chunk)).ok).toBe(true);
      expect(copyAsJson(new Array<string>(chunks + 1).fill(chunk))).toEqual({ ok: false, reason: "size" });
      expect(copyAsJson(new Array<number>(COPY_LIMITS.maxValues).fill(0))).toEqual({ ok: false, reason: "size" });
      const deep = JSON.parse(`${"[".repeat(100_000)}1${"]".repeat(100_000)}`) as unknown;
      const copy = copyAsJson(deep);
      expect(copy.ok).toBe(true);
      let original = deep;
      let copied = copy.ok ? copy.value : undefined;
      for (let level = 0; level < 100_000; level++) {
        expect(Array.isArray(copied) && copied.length === 1 && copied !== original).toBe(true);
        original = (original as unknown[])[0];
        copied = (copied as unknown[])[0];
      }
      expect(copied).toBe(1);
    });

    it("jsonTypeName names types as AWS's causes do", () => {
      expect([null, [], {}, "s", 1, true].map(jsonTypeName)).toEqual(["null", "array", "object", "string", "number", "boolean"]);
    });
  });

  describe("data safety", () => {
    const protoInput = (): unknown => JSON.parse('{"__proto__": {"polluted": true}, "a": 1, "constructor": {"prototype": 2}}');

    it("keeps __proto__ keys in input data as plain data, through evaluation and in results", async () => {
      const over = { states: { input: protoInput(), context: {} } };
      const whole = await valueOf("{% $states.input %}", over);
      expect(Object.keys(whole as object)).toEqual(["__proto__", "a", "constructor"]);
      expect(Object.getPrototypeOf(whole)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(whole, "__proto__")?.value).toEqual({ polluted: true });
      expect(await valueOf("{% $states.input.__proto__.polluted %}", over)).toBe(true);
      expect(await valueOf("{% $keys($states.input) %}", over)).toEqual(["__proto__", "a", "constructor"]);
      expect(await valueOf("{% $states.input.constructor.prototype %}", over)).toBe(2);
      expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    });

    it("cannot reach or change Object.prototype", async () => {
      const over = { states: { input: { a: 1 }, context: {} } };
      // Data has no prototype to reach: the patterns match nothing.
      expect(await valueOf("{% $states.input ~> |__proto__|{'polluted': true}| %}", over)).toEqual({ a: 1 });
      expect(await valueOf("{% $states.input ~> |constructor|{'polluted': true}| %}", over)).toEqual({ a: 1 });
      expect(await valueOf("{% {'__proto__': {'polluted': true}} %}", over)).toEqual({});
      expect(await valueOf("{% $merge([{'a': 1}, {'__proto__': {'polluted': true}}]) %}", over)).toEqual({ a: 1 });
      expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
      expect(Object.prototype.hasOwnProperty.call(Object.prototype, "polluted")).toBe(false);
    });

    it("reads variables named like Object.prototype members as any other", async () => {
      const variables = JSON.parse('{"__proto__": {"p": 1}, "hasOwnProperty": 1, "constructor": 3, "toString": 4, "v": 10}') as Record<string, unknown>;
      expect(await valueOf("{% $v + $constructor + $hasOwnProperty + $toString %}", { variables })).toBe(18);
      expect(await valueOf("{% $__proto__ %}", { variables })).toEqual({ p: 1 });
      expect(await valueOf("{% $exists($p) %}", { variables })).toBe(false);
      expect(await causeOf("{% $valueOf %}", { variables })).toContain("returned nothing (undefined).");
    });

    it("binds names like Object.prototype members inside an expression as any other", async () => {
      expect(await valueOf("{% ($hasOwnProperty := 1; $hasOwnProperty + $total) %}")).toBe(11);
      expect(await valueOf("{% ($__proto__ := {'polluted': true}; $__proto__.polluted) %}")).toBe(true);
      expect(await valueOf("{% $map([1, 2], function($constructor, $toString){ $constructor + $toString }) %}")).toEqual([1, 3]);
      expect(await valueOf("{% $states.input.items@$valueOf.$valueOf.price %}")).toEqual([5, 15, 25]);
      expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    });

    it("does not let a variable named states replace $states", async () => {
      expect(await valueOf("{% $states.input.n %}", { variables: { states: { input: { n: 99 } } } })).toBe(3);
    });

    it("works on frozen data and leaves the caller's data untouched", async () => {
      const freeze = <T>(value: T): T => {
        if (typeof value === "object" && value !== null) {
          Object.values(value).forEach(freeze);
          Object.freeze(value);
        }
        return value;
      };
      const input = freeze({ a: [1, 2, 3], one: [5] });
      const variables = freeze({ list: [4, 5] });
      expect(
        await valueOf("{% {'a': $states.input.a[], 'one': $states.input.one[], 'list': $list[]} %}", { states: { input, context: {} }, variables }),
      ).toEqual({ a: [1, 2, 3], one: [5], list: [4, 5] });
      const plain = { a: [1, 2, 3] };
      expect(await valueOf("{% $states.input.a[] %}", { states: { input: plain, context: {} } })).toEqual([1, 2, 3]);
      expect(Object.keys(plain.a)).toEqual(["0", "1", "2"]);
    });
  });
});

describe("jsonataResultTypeError", () => {
  it("words a wrong result type as AWS does", () => {
    expect(jsonataResultTypeError(compile("{% {'foo': 'bar'} %}"), "Items", "array", { foo: "bar" })).toEqual({
      ok: false,
      error: "States.QueryEvaluationError",
      cause: `The JSONata expression '{'foo': 'bar'}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'object' for value: {"foo":"bar"}`,
      location: "Items",
    });
  });
});

describe("evaluateJsonataTemplate", () => {
  const template = (value: unknown, location = "Output", scope: JsonataScope = TASK_OUTPUT): JsonataTemplate => {
    const compiled = compileJsonataTemplate(value, location, scope);
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    return compiled.value;
  };

  it("rebuilds objects and arrays around the evaluated expressions", async () => {
    const t = template({
      literal: { x: [1, "two"] },
      name: "{% $states.input.name %}",
      list: [0, "{% $total %}", { deep: "{% $states.input.items[0] %}" }],
      none: null,
    });
    expect(await evaluateJsonataTemplate(t, bindings())).toEqual({
      ok: true,
      value: { literal: { x: [1, "two"] }, name: "Ann", list: [0, 10, { deep: { price: 5 } }], none: null },
    });
  });

  it("returns a literal as it is", async () => {
    const value = { a: [1] };
    const result = await evaluateJsonataTemplate(template(value), bindings());
    expect(result.ok && result.value).toBe(value);
  });

  it("fails on the first expression that fails, undefined included, naming its location", async () => {
    const t = template({ ok: "{% 1 %}", error: "{% $stateError %}", later: "{% $error('not reached') %}" });
    expect(await evaluateJsonataTemplate(t, bindings())).toEqual({
      ok: false,
      error: "States.QueryEvaluationError",
      cause: "The JSONata expression '$stateError' specified for the field 'Output/error' returned nothing (undefined).",
      location: "Output/error",
    });
    const inArray = template(["{% 1 %}", ["{% $states.input.name() %}"]], "Items");
    expect(await evaluateJsonataTemplate(inArray, bindings())).toMatchObject({
      ok: false,
      location: "Items[1][0]",
      cause: threw("$states.input.name()", "T1006: Attempted to invoke a non-function", "Items[1][0]"),
    });
  });

  it("keeps __proto__ keys of the template as plain members", async () => {
    const t = template(JSON.parse('{"__proto__": "{% $total %}", "b": "{% 2 %}"}'));
    const result = await evaluateJsonataTemplate(t, bindings());
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(Object.keys(result.value as object)).toEqual(["__proto__", "b"]);
      expect(Object.getOwnPropertyDescriptor(result.value, "__proto__")?.value).toBe(10);
      expect(Object.getPrototypeOf(result.value)).toBe(Object.prototype);
    }
  });

  it("hands every expression the same data and gives each its own budget", async () => {
    const t = template({
      a: "{% $sum($map([1..40000], function($v){ $v })) %}",
      b: "{% $sum($map([1..40000], function($v){ $v })) %}",
      c: "{% $states.input.n %}",
    });
    expect(await evaluateJsonataTemplate(t, bindings())).toEqual({ ok: true, value: { a: 800020000, b: 800020000, c: 3 } });
  });
});

const cases = loadConformanceCases();

describe.skipIf(cases === undefined)(`AWS conformance recordings${cases === undefined ? ` (${MISSING_CASES})` : ""}`, () => {
  const all = cases ?? [];
  const expressionStrings = (value: unknown): string[] => {
    if (isJsonataString(value)) return [value];
    if (Array.isArray(value)) return value.flatMap(expressionStrings);
    if (typeof value === "object" && value !== null) return Object.values(value).flatMap(expressionStrings);
    return [];
  };
  /** The text after AWS's "An error occurred while executing the state ..." prefix. */
  const detail = (cause: string | undefined): string => (cause ?? "").replace(/^An error occurred while executing the state '[^']*' \(entered at the event id #\d+\)\. /, "");
  const byId = (fragment: string): ConformanceCase => {
    const found = all.find((c) => c.id.includes(fragment));
    if (found === undefined) throw new Error(`no case ${fragment}`);
    return found;
  };

  it("compiles every expression of every definition AWS accepted", () => {
    const accepted = all.filter((c) => c.expected.status !== "INVALID_DEFINITION").flatMap((c) => expressionStrings(c.definition));
    expect(accepted.length).toBeGreaterThan(40);
    for (const text of accepted) expect(compileJsonata(text, { result: true, errorOutput: true })).toMatchObject({ ok: true });
  });

  it("words Items type mismatches exactly as recorded", () => {
    const recorded = all.filter((c) => /items_(eval_jsonata_fail|variable_sampling)\[(number|string|boolean|object|null)\]/.test(c.id));
    expect(recorded).toHaveLength(10);
    for (const c of recorded) {
      const states = c.definition["States"] as Record<string, Record<string, unknown>>;
      const items = states["MapIterateState"]?.["Items"] as string;
      const assigned = (states["Start"]?.["Assign"] as Record<string, unknown> | undefined)?.["ItemsVar"];
      const value = items.includes("$ItemsVar") ? assigned : (JSON.parse(compile(items).source.trim().replace(/'/g, '"')) as unknown);
      expect(jsonataResultTypeError(compile(items), "Items", "array", value).cause).toBe(detail(c.expected.cause));
    }
  });

  it("words a function result and an undefined variable exactly as recorded", async () => {
    const fn = byId("items_eval_jsonata_fail[function]");
    const items = (fn.definition["States"] as Record<string, Record<string, unknown>>)["MapIterateState"]?.["Items"] as string;
    const result = await evaluateJsonata(compile(items), "Items", bindings());
    expect(result.ok ? "" : result.cause).toBe(detail(fn.expected.cause));

    const undefinedVariable = byId("MAP_CATCH_ERROR_OUTPUT_WITH_RETRY]");
    const t = compileJsonataTemplate({ error: "{% $stateError %}" }, "Output", OUTPUT);
    expect(t.ok).toBe(true);
    if (t.ok) {
      const evaluated = await evaluateJsonataTemplate(t.value, bindings({ variables: {} }));
      expect(evaluated.ok ? "" : evaluated.cause).toBe(detail(undefinedVariable.expected.cause));
    }
  });

  it("reproduces the recorded output of single Pass states with a JSONata Output", async () => {
    const singles = all.filter((c) => {
      const states = Object.values((c.definition["States"] ?? {}) as Record<string, Record<string, unknown>>);
      const state = states[0];
      return (
        states.length === 1 &&
        state?.["Type"] === "Pass" &&
        "Output" in state &&
        (state["QueryLanguage"] ?? c.definition["QueryLanguage"]) === "JSONata" &&
        c.expected.status === "SUCCEEDED" &&
        !JSON.stringify(state["Output"]).includes("$states.context")
      );
    });
    expect(singles.length).toBeGreaterThanOrEqual(8);
    for (const c of singles) {
      const state = Object.values(c.definition["States"] as Record<string, Record<string, unknown>>)[0] as Record<string, unknown>;
      const compiled = compileJsonataTemplate(state["Output"], "Output", OUTPUT);
      expect(compiled.ok).toBe(true);
      if (!compiled.ok) continue;
      const result = await evaluateJsonataTemplate(compiled.value, { states: { input: c.input, context: {} }, variables: {}, random: () => 0 });
      expect(result, c.id).toEqual({ ok: true, value: c.expected.output });
    }
  });
});
