import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, jsonEquals, safeObject, setOwn, stringifyJson } from "../../src/data/json.js";
import {
  evaluateIntrinsic,
  INTRINSIC_FAILURE_ERROR,
  INTRINSIC_NAMES,
  isIntrinsicName,
  parseIntrinsic,
  type IntrinsicArgument,
  type IntrinsicCall,
  type IntrinsicEnvironment,
  type IntrinsicResult,
} from "../../src/data/intrinsics/index.js";
import { parsePath, readPath as readEnginePath, type CompiledPath } from "../../src/data/path.js";

// ---------------------------------------------------------------- helpers

interface Documents {
  readonly input?: unknown;
  readonly context?: unknown;
  readonly variables?: Readonly<Record<string, unknown>>;
}

/** Reads a definite path by its steps, as the engine will. */
function readPath(path: CompiledPath, docs: Documents): { ok: true; value: unknown } | { ok: false; message: string } {
  let value: unknown;
  if (path.root === "input") value = docs.input;
  else if (path.root === "context") value = docs.context;
  else {
    const name = path.variable ?? "";
    if (!docs.variables || !Object.prototype.hasOwnProperty.call(docs.variables, name)) {
      return { ok: false, message: `The variable '${name}' is not defined` };
    }
    value = docs.variables[name];
  }
  for (const step of path.steps) {
    if (typeof step === "number" && Array.isArray(value)) {
      const index = step < 0 ? value.length + step : step;
      if (index < 0 || index >= value.length) return { ok: false, message: `The JSONPath '${path.source}' could not be found` };
      value = value[index];
    } else if (typeof step === "string" && typeof value === "object" && value !== null && !Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, step)) {
      value = (value as Record<string, unknown>)[step];
    } else {
      return { ok: false, message: `The JSONPath '${path.source}' could not be found` };
    }
  }
  return { ok: true, value };
}

/** An environment over fixed documents; `draws` are the numbers random() returns, in turn. */
function environment(docs: Documents = {}, draws: readonly number[] = [0.5]): IntrinsicEnvironment & { calls: number } {
  const env = {
    calls: 0,
    readPath: (path: CompiledPath) => readPath(path, docs),
    random: () => draws[env.calls++ % draws.length] ?? 0,
  };
  return env;
}

function parseOk(source: string): IntrinsicCall {
  const result = parseIntrinsic(source);
  if (!result.ok) throw new Error(`expected '${source}' to parse, got: ${result.message}`);
  return result.value;
}

function parseError(source: string): string {
  const result = parseIntrinsic(source);
  if (result.ok) throw new Error(`expected '${source}' to be rejected`);
  return result.message;
}

function run(source: string, input?: unknown, env?: IntrinsicEnvironment): IntrinsicResult {
  return evaluateIntrinsic(parseOk(source), env ?? environment({ input }));
}

function value(source: string, input?: unknown, env?: IntrinsicEnvironment): unknown {
  const result = run(source, input, env);
  if (!result.ok) throw new Error(`expected '${source}' to succeed, got ${result.error}: ${result.message}`);
  return result.value;
}

const failure = (message: string): IntrinsicResult => ({ ok: false, error: INTRINSIC_FAILURE_ERROR, message });

/** The arguments without their compiled paths, for compact expectations. */
function shape(args: readonly IntrinsicArgument[]): unknown[] {
  return args.map((arg) =>
    arg.kind === "literal"
      ? { literal: arg.value }
      : arg.kind === "path"
        ? { path: arg.path.source, root: arg.path.root }
        : { call: arg.call.name, source: arg.call.source, args: shape(arg.call.args) },
  );
}

// ---------------------------------------------------------------- parsing

describe("parseIntrinsic: valid calls", () => {
  it("knows all 18 functions", () => {
    expect(INTRINSIC_NAMES).toHaveLength(18);
    expect(new Set(INTRINSIC_NAMES).size).toBe(18);
    expect(isIntrinsicName("States.Format")).toBe(true);
    expect(isIntrinsicName("States.format")).toBe(false);
    expect(isIntrinsicName("toString")).toBe(false);
    expect(isIntrinsicName("__proto__")).toBe(false);
  });

  it.each<[string, unknown[]]>([
    ["States.UUID()", []],
    ["States.Array()", []],
    ["States.Array( )", []],
    ["States.Array(1)", [{ literal: 1 }]],
    ["States.Array(1,2)", [{ literal: 1 }, { literal: 2 }]],
    ["States.Array( 1 ,\t2\n, 3 )", [{ literal: 1 }, { literal: 2 }, { literal: 3 }]],
    ["States.Array(0, -0, -12, 1.5, -0.25, 1e3, 2E-2, 1.5e+2)", [0, 0, -12, 1.5, -0.25, 1000, 0.02, 150].map((literal) => ({ literal }))],
    ["States.Array(null, true, false)", [{ literal: null }, { literal: true }, { literal: false }]],
    ["States.Array('', 'a b', 'x,y)')", [{ literal: "" }, { literal: "a b" }, { literal: "x,y)" }]],
    ["States.Array('{\"k\": [1]}')", [{ literal: '{"k": [1]}' }]],
    ["States.Array('line\nbreak')", [{ literal: "line\nbreak" }]],
    [String.raw`States.Array('it\'s', '\{\}', 'a\\b', '\\\\')`, [{ literal: "it's" }, { literal: "{}" }, { literal: "a\\b" }, { literal: "\\\\" }]],
    ["States.Array($)", [{ path: "$", root: "input" }]],
    ["States.Array($.a.b)", [{ path: "$.a.b", root: "input" }]],
    ["States.Array($$)", [{ path: "$$", root: "context" }]],
    ["States.Array($$.Execution.Id)", [{ path: "$$.Execution.Id", root: "context" }]],
    ["States.Array($order.id, $x)", [{ path: "$order.id", root: "variable" }, { path: "$x", root: "variable" }]],
    ["States.Array($.a[0],$.b)", [{ path: "$.a[0]", root: "input" }, { path: "$.b", root: "input" }]],
  ])("%s", (source, args) => {
    const call = parseOk(source);
    expect(call.name).toBe("States.Array" === source.slice(0, 12) ? "States.Array" : call.name);
    expect(call.source).toBe(source);
    expect(shape(call.args)).toEqual(args);
  });

  it("keeps the raw text of string literals for States.Format", () => {
    const call = parseOk(String.raw`States.Format('\{\} {} it\'s', 'x')`);
    expect(call.args[0]).toEqual({ kind: "literal", value: "{} {} it's", raw: String.raw`\{\} {} it\'s` });
    expect(call.args[1]).toEqual({ kind: "literal", value: "x", raw: "x" });
  });

  it("parses nested calls with their own source text", () => {
    const call = parseOk("States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))");
    expect(call.name).toBe("States.ArrayGetItem");
    expect(shape(call.args)).toEqual([
      {
        call: "States.StringSplit",
        source: "States.StringSplit($$.StateMachine.Name, '-')",
        args: [{ path: "$$.StateMachine.Name", root: "context" }, { literal: "-" }],
      },
      {
        call: "States.MathAdd",
        source: "States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1)",
        args: [
          {
            call: "States.ArrayLength",
            source: "States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-'))",
            args: [
              {
                call: "States.StringSplit",
                source: "States.StringSplit($$.StateMachine.Name, '-')",
                args: [{ path: "$$.StateMachine.Name", root: "context" }, { literal: "-" }],
              },
            ],
          },
          { literal: -1 },
        ],
      },
    ]);
  });

  it("accepts nine nested calls in one field (the Developer Guide's example, with its missing third value added)", () => {
    const call = parseOk(
      "States.Format('{}.{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1), 'x')",
    );
    expect(call.args).toHaveLength(4);
    const env = environment({ input: { ImageRecipe: { Arn: "arn:aws:imagebuilder:us-east-1:123:image-recipe/my.recipe/1.0.0" } } });
    expect(evaluateIntrinsic(call, env)).toEqual({ ok: true, value: "1.0.x" });
  });

  it.each([
    ["States.Format('{} and {}', $.a)", "The template of States.Format has 2 placeholders '{}', but 1 value follows it"],
    ["States.Format('none', $.a)", "The template of States.Format has 0 placeholders '{}', but 1 value follows it"],
    ["States.Format('{}')", "The template of States.Format has 1 placeholder '{}', but 0 values follow it"],
    [String.raw`States.Format('\{} {}', $.a, $.b)`, "The template of States.Format has 1 placeholder '{}', but 2 values follow it"],
  ])("accepts %s, whose placeholders do not match its values, and fails it at run time as AWS does", (source, message) => {
    const result = evaluateIntrinsic(parseOk(source), environment({ input: { a: 1, b: 2 } }));
    expect(result).toEqual({ ok: false, error: "States.IntrinsicFailure", message });
  });

  it("allows nesting 10 deep and no deeper", () => {
    const nest = (depth: number): string => (depth === 1 ? "States.Array(1)" : `States.Array(${nest(depth - 1)})`);
    expect(parseOk(nest(10)).name).toBe("States.Array");
    expect(parseError(nest(11))).toBe(
      "Intrinsic functions can be nested at most 10 deep, but States.Array at character 131 is at depth 11",
    );
  });

  // These need the full JSONPath parser (src/data/path.ts); the scanner must hand over the whole path.
  describe("paths with brackets, quotes and filters (need the full path.ts)", () => {
    it.each([
      ["States.Array($.a['x,y'], 1)", "$.a['x,y']"],
      ["States.Array($['a b'], 1)", "$['a b']"],
      ['States.Array($["a)b"], 1)', '$["a)b"]'],
      ["States.Array($.a[0,1], 1)", "$.a[0,1]"],
      ["States.Array($.a[?(@.b == 1)], 1)", "$.a[?(@.b == 1)]"],
      ["States.Array($..x, 1)", "$..x"],
      ["States.Array($.a[*].b, 1)", "$.a[*].b"],
      ["States.Array($.a[-1:], 1)", "$.a[-1:]"],
    ])("%s", (source, path) => {
      const call = parseOk(source);
      expect(shape(call.args)).toEqual([{ path, root: "input" }, { literal: 1 }]);
    });
  });
});

describe("parseIntrinsic: invalid text", () => {
  it.each([
    ["", "Expected an intrinsic function name such as States.Format at character 1"],
    ["States.Format", "Expected '(' after 'States.Format' at character 14"],
    ["States.Format ('x')", "Expected '(' after 'States.Format' at character 14"],
    [" States.UUID()", "Expected an intrinsic function name such as States.Format at character 1"],
    ["States.UUID() ", 'Unexpected " " after the end of the States.UUID call at character 14'],
    ["States.UUID()x", 'Unexpected "x" after the end of the States.UUID call at character 14'],
    ["States.Foo()", "'States.Foo' is not a known intrinsic function"],
    ["states.uuid()", "'states.uuid' is not a known intrinsic function"],
    ["toString()", "'toString' is not a known intrinsic function"],
    ["__proto__()", "'__proto__' is not a known intrinsic function"],
    ["States.Array(States.Nope(1))", "'States.Nope' is not a known intrinsic function"],
    ["States.Array(1", "The call of States.Array at character 1 has no closing ')'"],
    ["States.Array(1,", "Expected argument 2 of States.Array at character 16, but the text ends"],
    ["States.Array(1,)", "Unexpected ')' as argument 2 of States.Array at character 16"],
    ["States.Array(,1)", "Unexpected ',' as argument 1 of States.Array at character 14"],
    ["States.Array(1 2)", "Expected ',' or ')' after argument 1 of States.Array, but found '2' at character 16"],
    ["States.Array(1;2)", "Expected ',' or ')' after argument 1 of States.Array, but found ';' at character 15"],
    ["States.Array(abc)", "Unexpected 'abc' as argument 1 of States.Array at character 14: an argument is a quoted 'string', a number, true, false, null, a path or an intrinsic function call"],
    ["States.Array(True)", "Unexpected 'True' as argument 1 of States.Array at character 14: an argument is a quoted 'string', a number, true, false, null, a path or an intrinsic function call"],
    ['States.Array("x")', "Unexpected '\"' as argument 1 of States.Array at character 14"],
    ["States.Array(01)", "'01' at character 14 is not a valid number"],
    ["States.Array(1.)", "'1.' at character 14 is not a valid number"],
    ["States.Array(.5)", "Unexpected '.5' as argument 1 of States.Array at character 14: an argument is a quoted 'string', a number, true, false, null, a path or an intrinsic function call"],
    ["States.Array(+1)", "Unexpected '+' as argument 1 of States.Array at character 14"],
    ["States.Array(-)", "'-' at character 14 is not a valid number"],
    ["States.Array(1e)", "'1e' at character 14 is not a valid number"],
    ["States.Array(1-2)", "'1-2' at character 14 is not a valid number"],
    ["States.Array(1e999)", "The number '1e999' at character 14 is too large"],
    ["States.Array('abc)", "The string at character 14 has no closing quote"],
    ["States.Array('abc", "The string at character 14 has no closing quote"],
    ["States.Array('x''y')", "Expected ',' or ')' after argument 1 of States.Array, but found ''' at character 17"],
    ["States.Array($.a b)", "Expected ',' or ')' after argument 1 of States.Array, but found 'b' at character 18"],
    ["States.Array($.a[0)", "The path '$.a[0)' in argument 1 of States.Array is not closed: a quote, bracket or parenthesis is left open"],
    ["States.Array($['a)", "The path '$['a)' in argument 1 of States.Array is not closed: a quote, bracket or parenthesis is left open"],
  ])("%j", (source, message) => {
    expect(parseError(source)).toBe(message);
  });

  it("rejects text that is not a string without throwing", () => {
    expect(parseIntrinsic(42 as unknown as string)).toEqual({ ok: false, message: "An intrinsic function call must be a string" });
  });

  it("reports an invalid path with the path parser's reason", () => {
    const bad = parsePath("$.");
    expect(bad.ok).toBe(false);
    expect(parseError("States.Array($.)")).toBe(`Argument 1 of States.Array is not a valid path: ${bad.ok ? "" : bad.message}`);
  });
});

describe("parseIntrinsic: escapes in strings", () => {
  it.each([
    [String.raw`States.Format('a\nb')`, String.raw`Invalid escape '\n' in the string at character 15: only \', \{, \} and \\ may be escaped`],
    [String.raw`States.Format('\u0041')`, String.raw`Invalid escape '\u' in the string at character 15: only \', \{, \} and \\ may be escaped`],
    [String.raw`States.Format('a\"b')`, String.raw`Invalid escape '\"' in the string at character 15: only \', \{, \} and \\ may be escaped`],
    ["States.Format('abc\\", "The string at character 15 ends with an unpaired escape character '\\'"],
    [String.raw`States.Format('abc\')`, "The string at character 15 has no closing quote"],
    [String.raw`States.Format('\\\')`, "The string at character 15 has no closing quote"],
  ])("%s", (source, message) => {
    expect(parseError(source)).toBe(message);
  });

  it("decodes each of the four escapes", () => {
    expect(shape(parseOk(String.raw`States.Array('\'', '\{', '\}', '\\')`).args)).toEqual([
      { literal: "'" },
      { literal: "{" },
      { literal: "}" },
      { literal: "\\" },
    ]);
  });
});

describe("parseIntrinsic: static checks", () => {
  it.each([
    // arity
    ["States.UUID(1)", "States.UUID takes no arguments, but 1 was given"],
    ["States.Format()", "States.Format takes at least 1 argument, but 0 were given"],
    ["States.ArrayLength()", "States.ArrayLength takes exactly 1 argument, but 0 were given"],
    ["States.ArrayLength($.a, $.b)", "States.ArrayLength takes exactly 1 argument, but 2 were given"],
    ["States.MathRandom(1)", "States.MathRandom takes 2 to 3 arguments, but 1 was given"],
    ["States.MathRandom(1, 2, 3, 4)", "States.MathRandom takes 2 to 3 arguments, but 4 were given"],
    ["States.ArrayRange(1, 2)", "States.ArrayRange takes exactly 3 arguments, but 2 were given"],
    ["States.JsonMerge($.a, $.b)", "States.JsonMerge takes exactly 3 arguments, but 2 were given"],
    // argument kinds
    ["States.JsonToString('x')", 'Argument 1 of States.JsonToString (data) must be a path, but it is the literal "x"'],
    ["States.JsonToString(States.Array(1))", "Argument 1 of States.JsonToString (data) must be a path, but it is a call of States.Array"],
    ["States.ArrayLength('x')", "Argument 1 of States.ArrayLength (array) must be an array, but it is a string"],
    ["States.ArrayLength(null)", "Argument 1 of States.ArrayLength (array) must be an array, but it is null"],
    ["States.ArrayLength(States.Format('x'))", "Argument 1 of States.ArrayLength (array) must be an array, but States.Format returns a string"],
    ["States.MathAdd('1', 2)", "Argument 1 of States.MathAdd (first number) must be a number, but it is a string"],
    ["States.MathAdd(1, true)", "Argument 2 of States.MathAdd (second number) must be a number, but it is a boolean"],
    ["States.MathAdd(States.ArrayLength($.a), States.UUID())", "Argument 2 of States.MathAdd (second number) must be a number, but States.UUID returns a string"],
    ["States.StringSplit(1, ',')", "Argument 1 of States.StringSplit (text) must be a string, but it is a number"],
    ["States.StringToJson(States.Array())", "Argument 1 of States.StringToJson (JSON text) must be a string, but States.Array returns an array"],
    ["States.Format(1)", "Argument 1 of States.Format (template) must be a string, but it is a number"],
    ["States.Base64Encode(States.ArrayContains($.a, 1))", "Argument 1 of States.Base64Encode (text) must be a string, but States.ArrayContains returns a boolean"],
    ["States.JsonMerge('a', $.b, false)", "Argument 1 of States.JsonMerge (first object) must be an object, but it is a string"],
    ["States.JsonMerge($.a, States.Array(), false)", "Argument 2 of States.JsonMerge (second object) must be an object, but States.Array returns an array"],
    // value rules on literals
    ["States.JsonMerge($.a, $.b, true)", "Argument 3 of States.JsonMerge (deep merge flag) must be false: Step Functions only supports a shallow merge"],
    ["States.JsonMerge($.a, $.b, 'false')", "Argument 3 of States.JsonMerge (deep merge flag) must be a boolean, but it is a string"],
    ["States.JsonMerge($.a, $.b, null)", "Argument 3 of States.JsonMerge (deep merge flag) must be a boolean, but it is null"],
    ["States.Hash($.a, 'sha-256')", 'Argument 2 of States.Hash (algorithm) must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512, but it is "sha-256"'],
    ["States.Hash($.a, 'SHA-224')", 'Argument 2 of States.Hash (algorithm) must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512, but it is "SHA-224"'],
    ["States.ArrayPartition($.a, 0)", "Argument 2 of States.ArrayPartition (chunk size) must be a positive integer, but it is 0"],
    ["States.ArrayPartition($.a, 0.49)", "Argument 2 of States.ArrayPartition (chunk size) must be a positive integer, but it is 0.49"],
    ["States.ArrayPartition($.a, -2)", "Argument 2 of States.ArrayPartition (chunk size) must be a positive integer, but it is -2"],
    ["States.ArrayRange(1, 5, 0)", "Argument 3 of States.ArrayRange (step) must not be 0 (after rounding), but it is 0"],
    ["States.ArrayRange(1, 5, 0.4)", "Argument 3 of States.ArrayRange (step) must not be 0 (after rounding), but it is 0.4"],
    ["States.ArrayRange(0, 1000, 1)", "States.ArrayRange would create 1001 elements, but an array it creates may have at most 1000"],
    ["States.ArrayGetItem($.a, -1)", "Argument 2 of States.ArrayGetItem (index) must not be negative, but it is -1"],
    ["States.MathAdd(2147483648, 0)", "Argument 1 of States.MathAdd (first number) must be an integer from -2147483648 to 2147483647, but it is 2147483648"],
    ["States.MathAdd(0, -2147483648.6)", "Argument 2 of States.MathAdd (second number) must be an integer from -2147483648 to 2147483647, but it is -2147483648.6"],
    ["States.MathRandom(5, 5)", "The end (argument 2) of States.MathRandom must be greater than its start (argument 1), but the range is [5, 5)"],
    ["States.MathRandom(5.4, 4.6)", "The end (argument 2) of States.MathRandom must be greater than its start (argument 1), but the range is [5, 5)"],
    ["States.MathRandom(1, 5, 'seed')", "Argument 3 of States.MathRandom (seed) must be a number, but it is a string"],
    // errors inside nested calls surface as they are
    ["States.Array(States.ArrayLength('x'))", "Argument 1 of States.ArrayLength (array) must be an array, but it is a string"],
  ])("%s", (source, message) => {
    expect(parseError(source)).toBe(message);
  });

  it.each([
    "States.JsonMerge($.a, $.b, false)",
    "States.JsonMerge($.a, $.b, $.deep)",
    "States.JsonToString($$.Execution.Input)",
    "States.JsonToString($var)",
    "States.ArrayLength(States.ArrayGetItem($.a, 0))",
    "States.MathAdd(States.ArrayGetItem($.a, 0), States.StringToJson('1'))",
    "States.Format($.template, $.a, $.b)",
    "States.Format(States.ArrayGetItem($.t, 0), 1)",
    String.raw`States.Format('\{\}', )`.replace(", )", ")"),
    String.raw`States.Format('{} \{ {} \}', 1, 2)`,
    "States.ArrayRange(0, 999, 1)",
    "States.ArrayRange(1000, 1, -1)",
    "States.ArrayRange($.a, 1000000, 1)",
    "States.MathRandom(1, 2)",
    "States.MathRandom(4.6, 5.5, 7)",
    "States.MathAdd(2147483647, -2147483648)",
    "States.Hash(States.Array(1), 'SHA-512')",
    "States.ArrayPartition($.a, 0.5)",
  ])("accepts %s", (source) => {
    expect(parseIntrinsic(source).ok).toBe(true);
  });

  it("leaves a template with an unclosed '{' to run time, as AWS does", () => {
    const call = parseOk("States.Format('{ \"name\": {} }', $.a)");
    expect(evaluateIntrinsic(call, environment({ input: { a: 1 } }))).toEqual(
      failure("Invalid template in States.Format: matching '}' not found for '{'."),
    );
  });
});

// ---------------------------------------------------------------- evaluation

describe("States.Format", () => {
  it.each<[unknown, string]>([
    ["", "Formatting argument ."],
    [" ", "Formatting argument  ."],
    ["HelloWorld", "Formatting argument HelloWorld."],
    [null, "Formatting argument null."],
    [1, "Formatting argument 1."],
    [1.1, "Formatting argument 1.1."],
    [-0.5, "Formatting argument -0.5."],
    [true, "Formatting argument true."],
    ['{"Arg1": 1, "Arg2": []}', 'Formatting argument {"Arg1": 1, "Arg2": []}.'],
    [{ Arg1: 1, Arg2: [] }, "Formatting argument {Arg1=1, Arg2=[]}."],
    [[1, "two", null, [3], { k: "v" }], "Formatting argument [1, two, null, [3], {k=v}]."],
    [{}, "Formatting argument {}."],
    [[], "Formatting argument []."],
  ])("renders %j", (input, expected) => {
    expect(value("States.Format('Formatting argument {}.', $.v)", { v: input })).toBe(expected);
  });

  it("fills placeholders in order and treats escaped braces as text", () => {
    expect(value(String.raw`States.Format('\{\} {}-{} \{x\} it\'s \\ {}', 1, 'b', $.c)`, { c: [1] })).toBe(
      "{} 1-b {x} it's \\ [1]",
    );
    expect(value("States.Format('{}{}{}', 'a', 'b', 'c')")).toBe("abc");
    expect(value("States.Format('no placeholders')")).toBe("no placeholders");
    expect(value("States.Format('a } b {}', 1)")).toBe("a } b 1");
  });

  it("takes its template from a path or a call, where every brace is real and backslashes are text", () => {
    expect(value("States.Format($.t, $.a)", { t: "It's {}!", a: "Pikachu" })).toBe("It's Pikachu!");
    expect(value("States.Format($.t, $.a)", { t: String.raw`\{}`, a: 1 })).toBe("\\1");
    expect(value("States.Format(States.ArrayGetItem($.t, 0), 2)", { t: ["{}+2=4", 0] })).toBe("2+2=4");
    expect(run("States.Format(States.ArrayGetItem($.t, 0), 2)", { t: ["{}+{}=4", 0] })).toEqual(
      failure("The template of States.Format has 2 placeholders '{}', but 1 value follows it"),
    );
  });

  it("fails at run time on a template from the data that does not fit", () => {
    expect(run("States.Format($.t, $.a)", { t: "{} and {}", a: 1 })).toEqual(
      failure("The template of States.Format has 2 placeholders '{}', but 1 value follows it"),
    );
    expect(run("States.Format($.t)", { t: "{ }" })).toEqual(failure("Invalid template in States.Format: matching '}' not found for '{'."));
    expect(run("States.Format($.t)", { t: "x {" })).toEqual(failure("Invalid template in States.Format: matching '}' not found for '{'."));
    expect(run("States.Format($.t)", { t: 7 })).toEqual(
      failure("Argument 1 of States.Format (template) must be a string, but it is a number"),
    );
  });

  it("fails at run time on an unclosed '{' in a literal template (AWS: aws-cdk#29261)", () => {
    expect(run(String.raw`States.Format('Hello {}, for example: \\{ "name": "Bob" \\}', $.n)`, { n: "x" })).toEqual(
      failure("Invalid template in States.Format: matching '}' not found for '{'."),
    );
    // The intended spelling works:
    expect(value(String.raw`States.Format('Hello {}, for example: \{ "name": "Bob" \}', $.n)`, { n: "x" })).toBe(
      'Hello x, for example: { "name": "Bob" }',
    );
  });
});

describe("States.StringToJson", () => {
  it.each<[string, unknown]>([
    ["", null],
    [" ", null],
    ["\n\t ", null],
    ["null", null],
    ["-0", 0],
    ["1", 1],
    ["1.1", 1.1],
    ["true", true],
    ['"HelloWorld"', "HelloWorld"],
    ['[1, 2, "HelloWorld"]', [1, 2, "HelloWorld"]],
    ['{"Arg1": 1, "Arg2": []}', { Arg1: 1, Arg2: [] }],
    [' {"a":1} ', { a: 1 }],
  ])("parses %j", (text, expected) => {
    const result = value("States.StringToJson($.s)", { s: text });
    expect(result).toEqual(expected);
    if (text === "-0") expect(Object.is(result, 0)).toBe(true);
  });

  it.each([["{"], ["{'a':1}"], ["[1,]"], ["NaN"], ["1 2"], ["undefined"]])("fails on %j", (text) => {
    expect(run("States.StringToJson($.s)", { s: text })).toEqual(
      failure(`States.StringToJson could not parse ${JSON.stringify(text)} as JSON`),
    );
  });

  it("decodes a literal with escaped quotes (recorded: JsonMerge escaped argument)", () => {
    expect(value(`States.StringToJson('{"constant_in_literal": "false"}')`)).toEqual({ constant_in_literal: "false" });
  });

  it("keeps __proto__ as a plain key", () => {
    const parsedValue = value("States.StringToJson($.s)", { s: '{"__proto__": {"polluted": 1}}' }) as Record<string, unknown>;
    expect(Object.keys(parsedValue)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(parsedValue)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("rejects a non-string argument", () => {
    expect(run("States.StringToJson($.s)", { s: { a: 1 } })).toEqual(
      failure("Argument 1 of States.StringToJson (JSON text) must be a string, but it is an object"),
    );
  });
});

describe("States.JsonToString", () => {
  it.each<[unknown, string]>([
    [null, "null"],
    [0, "0"],
    [-0, "0"],
    [1, "1"],
    [1.1, "1.1"],
    [true, "true"],
    ["HelloWorld", '"HelloWorld"'],
    [[1, 2, "HelloWorld"], '[1,2,"HelloWorld"]'],
    [{ Arg1: 1, Arg2: [] }, '{"Arg1":1,"Arg2":[]}'],
    [{ q: 'say "hi"\n' }, '{"q":"say \\"hi\\"\\n"}'],
  ])("renders %j compactly", (input, expected) => {
    expect(value("States.JsonToString($.v)", { v: input })).toBe(expected);
  });

  it("reads the context object and variables", () => {
    const env = environment({ context: { Execution: { Input: { a: [1] } } }, variables: { v: { b: null } } });
    expect(value("States.JsonToString($$.Execution.Input)", undefined, env)).toBe('{"a":[1]}');
    expect(value("States.JsonToString($v)", undefined, env)).toBe('{"b":null}');
  });
});

describe("States.Array", () => {
  it("collects values of every kind, in order", () => {
    expect(value("States.Array()")).toEqual([]);
    expect(value("States.Array($.a, 'x', 1, null, true, States.Array(2), $.b)", { a: { k: 1 }, b: [3] })).toEqual([
      { k: 1 },
      "x",
      1,
      null,
      true,
      [2],
      [3],
    ]);
  });
});

describe("States.ArrayPartition", () => {
  const partitions: Array<[unknown[], number, unknown[]]> = [];
  for (let length = 0; length < 5; length++) {
    const items = Array.from({ length }, (_, i) => i);
    for (let size = 1; size < 6; size++) {
      const chunks: unknown[][] = [];
      for (let i = 0; i < length; i += size) chunks.push(items.slice(i, i + size));
      partitions.push([items, size, chunks]);
    }
  }

  it.each(partitions)("%j in chunks of %i", (items, size, chunks) => {
    expect(value("States.ArrayPartition($.a, $.n)", { a: items, n: size })).toEqual(chunks);
  });

  it("rounds the chunk size", () => {
    expect(value("States.ArrayPartition($.a, 1.5)", { a: [1, 2, 3, 4, 5] })).toEqual([[1, 2], [3, 4], [5]]);
    expect(value("States.ArrayPartition($.a, 2.49)", { a: [1, 2, 3] })).toEqual([[1, 2], [3]]);
    expect(value("States.ArrayPartition($.a, 0.5)", { a: [1, 2] })).toEqual([[1], [2]]);
  });

  it("fails on a chunk size below 1 and on a non-array", () => {
    expect(run("States.ArrayPartition($.a, $.n)", { a: [1], n: 0 })).toEqual(
      failure("Argument 2 of States.ArrayPartition (chunk size) must be a positive integer, but it is 0"),
    );
    expect(run("States.ArrayPartition($.a, $.n)", { a: [1], n: -0.6 })).toEqual(
      failure("Argument 2 of States.ArrayPartition (chunk size) must be a positive integer, but it is -0.6"),
    );
    expect(run("States.ArrayPartition($.a, 1)", { a: "abc" })).toEqual(
      failure("Argument 1 of States.ArrayPartition (array) must be an array, but it is a string"),
    );
  });
});

describe("States.ArrayContains", () => {
  it.each<[unknown[], unknown, boolean]>([
    [[], null, false],
    [[], [], false],
    [[], 1, false],
    [[[1, 2, 3], 2], null, false],
    [[[1, 2, 3], 2], [1, 2, 3], true],
    [[{ "1": 2, "2": [] }], [], false],
    [[{ "1": 2, "2": [] }], { "1": 2, "2": [] }, true],
    [[{ a: 1, b: 2 }], { b: 2, a: 1 }, true],
    [[true, false], true, true],
    [[true, false], false, true],
    [[1, 2], 2.0, true],
    [[1, 2], "2", false],
    [[null], null, true],
    [[[1, 2]], [2, 1], false],
  ])("%j contains %j: %s", (items, needle, expected) => {
    expect(value("States.ArrayContains($.a, $.v)", { a: items, v: needle })).toBe(expected);
  });

  it("accepts literals as the value", () => {
    expect(value("States.ArrayContains($.a, 5)", { a: [1, 5] })).toBe(true);
    expect(value("States.ArrayContains($.a, 'x')", { a: ["x"] })).toBe(true);
  });
});

describe("States.ArrayRange", () => {
  it.each<[number, number, number, number[]]>([
    [0, 9, 3, [0, 3, 6, 9]],
    [0, 10, 3, [0, 3, 6, 9]],
    [1, 9, 9, [1]],
    [1, 9, 2, [1, 3, 5, 7, 9]],
    [1, 10, 2, [1, 3, 5, 7, 9]],
    [5, 5, 1, [5]],
    [5, 1, 1, []],
    [10, 0, -3, [10, 7, 4, 1]],
    [0, 10, -1, []],
    [-3, 3, 2, [-3, -1, 1, 3]],
    [0.5, 2.5, 1.5, [1, 3]],
    [-0.5, 1.4, 0.6, [0, 1]],
  ])("(%d, %d, %d)", (start, end, step, expected) => {
    expect(value("States.ArrayRange($.s, $.e, $.p)", { s: start, e: end, p: step })).toEqual(expected);
  });

  it("creates at most 1000 elements", () => {
    expect(value("States.ArrayRange(1, 1000, 1)")).toHaveLength(1000);
    expect(value("States.ArrayRange(0, -999, -1)")).toHaveLength(1000);
    expect(run("States.ArrayRange($.s, $.e, 1)", { s: 0, e: 1000 })).toEqual(
      failure("States.ArrayRange would create 1001 elements, but an array it creates may have at most 1000"),
    );
    expect(run("States.ArrayRange($.s, $.e, 1)", { s: 0, e: 1e15 })).toEqual(
      failure("States.ArrayRange would create 1000000000000001 elements, but an array it creates may have at most 1000"),
    );
  });

  it("fails on a zero step and on non-numbers", () => {
    expect(run("States.ArrayRange(1, 2, $.p)", { p: 0.49 })).toEqual(
      failure("Argument 3 of States.ArrayRange (step) must not be 0 (after rounding), but it is 0.49"),
    );
    expect(run("States.ArrayRange($.s, 2, 1)", { s: "1" })).toEqual(
      failure("Argument 1 of States.ArrayRange (start) must be a number, but it is a string"),
    );
  });
});

describe("States.ArrayGetItem", () => {
  it("returns the element at a zero-based index", () => {
    expect(value("States.ArrayGetItem($.a, $.i)", { a: [1, 2, 3, 4, 5, 6, 7, 8, 9], i: 5 })).toBe(6);
    expect(value("States.ArrayGetItem($.a, 0)", { a: [{ x: [1] }] })).toEqual({ x: [1] });
    expect(value("States.ArrayGetItem($.a, 1.5)", { a: ["a", "b", "c"] })).toBe("c");
    expect(value("States.ArrayGetItem($.a, -0.5)", { a: ["a"] })).toBe("a");
    expect(value("States.ArrayGetItem($.a, 1)", { a: [1, null] })).toBeNull();
  });

  it("fails outside the array", () => {
    expect(run("States.ArrayGetItem($.a, 3)", { a: [1, 2, 3] })).toEqual(
      failure("The index 3 (argument 2) of States.ArrayGetItem is out of bounds for an array of length 3"),
    );
    expect(run("States.ArrayGetItem($.a, 0)", { a: [] })).toEqual(
      failure("The index 0 (argument 2) of States.ArrayGetItem is out of bounds for an array of length 0"),
    );
    expect(run("States.ArrayGetItem($.a, $.i)", { a: [1], i: -1 })).toEqual(
      failure("Argument 2 of States.ArrayGetItem (index) must not be negative, but it is -1"),
    );
    expect(run("States.ArrayGetItem($.a, 0)", { a: { "0": 1 } })).toEqual(
      failure("Argument 1 of States.ArrayGetItem (array) must be an array, but it is an object"),
    );
  });
});

describe("States.ArrayLength", () => {
  it("counts elements", () => {
    expect(value("States.ArrayLength($.a)", { a: [1, 2, 3, 4, 5, 6, 7, 8, 9] })).toBe(9);
    expect(value("States.ArrayLength($.a)", { a: [] })).toBe(0);
    expect(value("States.ArrayLength(States.Array(1, 2))")).toBe(2);
  });

  it("fails on a string or an object", () => {
    expect(run("States.ArrayLength($.a)", { a: "abc" })).toEqual(
      failure("Argument 1 of States.ArrayLength (array) must be an array, but it is a string"),
    );
    expect(run("States.ArrayLength($.a)", { a: { length: 3 } })).toEqual(
      failure("Argument 1 of States.ArrayLength (array) must be an array, but it is an object"),
    );
  });
});

describe("States.ArrayUnique", () => {
  it("drops later duplicates by deep equality, keeping first occurrences in order", () => {
    const input = [null, null, true, true, false, false, 1, 1, 1.1, 0, -0, "HelloWorld", "HelloWorld", [], [], [null], [null], { a: 1, b: 2 }, { b: 2, a: 1 }, { a: 1, b: 1 }, "1", [1], ["1"]];
    expect(value("States.ArrayUnique($.a)", { a: input })).toEqual([null, true, false, 1, 1.1, 0, "HelloWorld", [], [null], { a: 1, b: 2 }, { a: 1, b: 1 }, "1", [1], ["1"]]);
    expect(value("States.ArrayUnique($.a)", { a: [1, 2, 1, 3, 2] })).toEqual([1, 2, 3]);
    expect(value("States.ArrayUnique($.a)", { a: [] })).toEqual([]);
  });

  it("fails on a non-array", () => {
    expect(run("States.ArrayUnique($.a)", { a: null })).toEqual(
      failure("Argument 1 of States.ArrayUnique (array) must be an array, but it is null"),
    );
  });
});

describe("States.Base64Encode and States.Base64Decode", () => {
  it.each([
    ["", ""],
    ["Data to encode", "RGF0YSB0byBlbmNvZGU="],
    ["Hello World", "SGVsbG8gV29ybGQ="],
    ["f", "Zg=="],
    ["fo", "Zm8="],
    ["foo", "Zm9v"],
    ["é😀", "w6nwn5iA"],
    ["\u0000\u00ff", "AMO/"],
  ])("%j <-> %j", (text, base64) => {
    expect(value("States.Base64Encode($.s)", { s: text })).toBe(base64);
    expect(value("States.Base64Decode($.s)", { s: base64 })).toBe(text);
  });

  it("round-trips a long text", () => {
    const text = "Ünïcödé ".repeat(1250); // exactly 10,000 characters
    const encoded = value("States.Base64Encode($.s)", { s: text }) as string;
    expect(encoded).toBe(Buffer.from(text, "utf8").toString("base64"));
    expect(value("States.Base64Decode($.s)", { s: encoded.slice(0, 10000) })).toBe(Buffer.from(encoded.slice(0, 10000), "base64").toString("utf8"));
  });

  it("decodes without padding and across line breaks", () => {
    expect(value("States.Base64Decode($.s)", { s: "Zm8" })).toBe("fo");
    expect(value("States.Base64Decode($.s)", { s: "Zg" })).toBe("f");
    expect(value("States.Base64Decode($.s)", { s: "Zm9v\r\nYmFy" })).toBe("foobar");
  });

  it("replaces malformed UTF-8 with U+FFFD and keeps a byte-order mark", () => {
    expect(value("States.Base64Decode($.s)", { s: "/w==" })).toBe("\ufffd");
    expect(value("States.Base64Decode($.s)", { s: "77u/YQ==" })).toBe("\ufeffa");
  });

  it.each([
    ["Zm9v!", "States.Base64Decode could not decode its argument: '!' at position 4 is not a Base64 character"],
    ["Zm-9", "States.Base64Decode could not decode its argument: '-' at position 2 is not a Base64 character"],
    ["Zg==Zg==", "States.Base64Decode could not decode its argument: Base64 data continues after its '=' padding at position 4"],
    ["Zm9vY", "States.Base64Decode could not decode its argument: Base64 data cannot end with a single character in its last group of four"],
    ["é", "States.Base64Decode could not decode its argument: 'é' at position 0 is not a Base64 character"],
  ])("fails to decode %j", (text, message) => {
    expect(run("States.Base64Decode($.s)", { s: text })).toEqual(failure(message));
  });

  it("limits both to 10,000 characters", () => {
    expect(run("States.Base64Encode($.s)", { s: "a".repeat(10001) })).toEqual(
      failure("Argument 1 of States.Base64Encode (text) must be at most 10000 characters long, but it has 10001"),
    );
    expect(run("States.Base64Decode($.s)", { s: "A".repeat(10004) })).toEqual(
      failure("Argument 1 of States.Base64Decode (Base64 text) must be at most 10000 characters long, but it has 10004"),
    );
    expect(run("States.Base64Encode($.s)", { s: 1 })).toEqual(
      failure("Argument 1 of States.Base64Encode (text) must be a string, but it is a number"),
    );
  });
});

describe("States.Hash", () => {
  it.each([
    ["MD5", "812f45842bc6d66ee14572ce20db8e86"],
    ["SHA-1", "aaff4a450a104cd177d28d18d74485e8cae074b7"],
    ["SHA-256", "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"],
    ["SHA-384", "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562"],
    ["SHA-512", "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4"],
  ])("%s of 'input data' (recorded on AWS)", (algorithm, digest) => {
    expect(value("States.Hash($.d, $.a)", { d: "input data", a: algorithm })).toBe(digest);
  });

  it("hashes other JSON values by their compact JSON text", () => {
    expect(value("States.Hash($.d, 'MD5')", { d: { a: [1] } })).toBe(value("States.Hash('{\"a\":[1]}', 'MD5')"));
    expect(value("States.Hash(1, 'SHA-1')")).toBe("356a192b7913b04c54574d18c28d46e6395428ab");
  });

  it("fails on an unknown algorithm and on long data", () => {
    expect(run("States.Hash('x', $.a)", { a: "sha256" })).toEqual(
      failure('Argument 2 of States.Hash (algorithm) must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512, but it is "sha256"'),
    );
    expect(run("States.Hash($.d, 'MD5')", { d: "x".repeat(10001) })).toEqual(
      failure("Argument 1 of States.Hash (data) must be at most 10000 characters long, but it has 10001"),
    );
    expect(value("States.Hash($.d, 'MD5')", { d: "x".repeat(10000) })).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe("States.JsonMerge", () => {
  it("merges shallowly: the second object's keys win, nested objects are replaced", () => {
    expect(
      value("States.JsonMerge($.f, $.s, false)", {
        f: { a: { a1: 1, a2: 2 }, b: 2, d: 3 },
        s: { a: { a3: 1, a4: 2 }, c: 3, d: 4 },
      }),
    ).toEqual({ a: { a3: 1, a4: 2 }, b: 2, c: 3, d: 4 });
    expect(value("States.JsonMerge($.f, $.s, $.deep)", { f: {}, s: {}, deep: false })).toEqual({});
  });

  it("does not change its inputs", () => {
    const input = { f: { a: 1 }, s: { b: 2 } };
    value("States.JsonMerge($.f, $.s, false)", input);
    expect(input).toEqual({ f: { a: 1 }, s: { b: 2 } });
  });

  it("keeps __proto__ and constructor as plain keys", () => {
    const input = JSON.parse('{"f": {"__proto__": {"x": 1}}, "s": {"constructor": 2, "__proto__": {"y": 2}}}') as unknown;
    const merged = value("States.JsonMerge($.f, $.s, false)", input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.keys(merged)).toEqual(["__proto__", "constructor"]);
    expect(JSON.stringify(merged)).toBe('{"__proto__":{"y":2},"constructor":2}');
    expect(({} as Record<string, unknown>).y).toBeUndefined();
  });

  it("fails on a deep merge and on non-objects", () => {
    expect(run("States.JsonMerge($.f, $.s, $.deep)", { f: {}, s: {}, deep: true })).toEqual(
      failure("Argument 3 of States.JsonMerge (deep merge flag) must be false: Step Functions only supports a shallow merge"),
    );
    expect(run("States.JsonMerge($.f, $.s, false)", { f: [], s: {} })).toEqual(
      failure("Argument 1 of States.JsonMerge (first object) must be an object, but it is an array"),
    );
    expect(run("States.JsonMerge($.f, $.s, false)", { f: {}, s: null })).toEqual(
      failure("Argument 2 of States.JsonMerge (second object) must be an object, but it is null"),
    );
  });
});

describe("States.MathRandom", () => {
  it("draws an integer in [start, end) from the environment's generator", () => {
    expect(value("States.MathRandom(1, 10)", undefined, environment({}, [0]))).toBe(1);
    expect(value("States.MathRandom(1, 10)", undefined, environment({}, [0.999999]))).toBe(9);
    expect(value("States.MathRandom(-99999, -9999)", undefined, environment({}, [0.5]))).toBe(-54999);
    expect(value("States.MathRandom(12.5, 44.51)", undefined, environment({}, [0]))).toBe(13);
    expect(value("States.MathRandom(12.5, 44.51)", undefined, environment({}, [0.9999999]))).toBe(44);
    // A generator misbehaving (1 or NaN) still yields a number in range:
    expect(value("States.MathRandom(3, 5)", undefined, environment({}, [1]))).toBe(3);
    expect(value("States.MathRandom(3, 5)", undefined, environment({}, [Number.NaN]))).toBe(3);
  });

  it("with a seed, gives the same number every time and leaves the generator alone", () => {
    const env = environment({ input: { seed: 3 } });
    const first = value("States.MathRandom(0, 999, $.seed)", undefined, env);
    for (let i = 0; i < 5; i++) expect(value("States.MathRandom(0, 999, $.seed)", undefined, env)).toBe(first);
    expect(env.calls).toBe(0);
    expect(Number.isInteger(first)).toBe(true);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(999);
    // Rounded seeds are the same seed:
    expect(value("States.MathRandom(0, 999, 3.4)", undefined, env)).toBe(first);
  });

  it("spreads seeds over the range", () => {
    const results = new Set<unknown>();
    for (let seed = -50; seed < 50; seed++) {
      const n = value("States.MathRandom(0, 1000, $.s)", { s: seed }) as number;
      expect(n).toBeGreaterThanOrEqual(0);
      expect(n).toBeLessThan(1000);
      results.add(n);
    }
    expect(results.size).toBeGreaterThan(90);
    expect(value("States.MathRandom(0, 1000000, $.s)", { s: 2 ** 40 })).not.toBe(value("States.MathRandom(0, 1000000, $.s)", { s: 2 ** 40 + 1 }));
  });

  it("draws exactly once without a seed", () => {
    const env = environment({}, [0.25, 0.75]);
    expect(value("States.MathRandom(0, 100)", undefined, env)).toBe(25);
    expect(value("States.MathRandom(0, 100)", undefined, env)).toBe(75);
    expect(env.calls).toBe(2);
  });

  it("fails when the range is empty or an argument is not a number", () => {
    expect(run("States.MathRandom($.s, $.e)", { s: 10, e: 1 })).toEqual(
      failure("The end (argument 2) of States.MathRandom must be greater than its start (argument 1), but the range is [10, 1)"),
    );
    expect(run("States.MathRandom($.s, $.e)", { s: 1, e: "9" })).toEqual(
      failure("Argument 2 of States.MathRandom (end) must be a number, but it is a string"),
    );
    expect(run("States.MathRandom(1, 9, $.seed)", { seed: null })).toEqual(
      failure("Argument 3 of States.MathRandom (seed) must be a number, but it is null"),
    );
  });
});

describe("States.MathAdd", () => {
  // Every pair LocalStack recorded on AWS (rounding is half toward +infinity, per argument).
  it.each<[number, number, number]>([
    [-9, 3, -6],
    [1.49, 1.5, 3],
    [1.5, 1.51, 4],
    [-1.49, -1.5, -2],
    [-1.5, -1.51, -3],
    [1.49, 0, 1],
    [1.49, -1.49, 0],
    [1.5, 0, 2],
    [1.51, 0, 2],
    [-1.49, 0, -1],
    [-1.5, 0, -1],
    [-1.51, 0, -2],
    [0.5, 0, 1],
    [1.5, 0, 2],
    [2.5, 0, 3],
    [3.5, 0, 4],
    [-0.5, 0.5, 1],
    [-0.5, 0, 0],
    [-1.5, 0, -1],
    [-2.5, 0, -2],
    [-3.5, 0, -3],
  ])("%d + %d = %d", (a, b, sum) => {
    const result = value("States.MathAdd($.a, $.b)", { a, b });
    expect(result).toBe(sum);
    expect(Object.is(result, -0)).toBe(false);
  });

  it("works on the int32 range and literals", () => {
    expect(value("States.MathAdd(2147483647, -2147483648)")).toBe(-1);
    expect(value("States.MathAdd(5, 3)")).toBe(8);
    expect(value("States.MathAdd(-0.4, -0.4)")).toBe(0);
    expect(Object.is(value("States.MathAdd(-0.4, -0.4)"), -0)).toBe(false);
  });

  it("fails outside the int32 range", () => {
    expect(run("States.MathAdd($.a, 1)", { a: 2147483647 })).toEqual(
      failure("The sum 2147483648 computed by States.MathAdd is outside the range -2147483648 to 2147483647"),
    );
    expect(run("States.MathAdd($.a, -1)", { a: -2147483648 })).toEqual(
      failure("The sum -2147483649 computed by States.MathAdd is outside the range -2147483648 to 2147483647"),
    );
    expect(run("States.MathAdd($.a, 0)", { a: 1e10 })).toEqual(
      failure("Argument 1 of States.MathAdd (first number) must be an integer from -2147483648 to 2147483647, but it is 10000000000"),
    );
    expect(run("States.MathAdd($.a, 0)", { a: 2147483647.5 })).toEqual(
      failure("Argument 1 of States.MathAdd (first number) must be an integer from -2147483648 to 2147483647, but it is 2147483647.5"),
    );
  });
});

describe("States.StringSplit", () => {
  it.each<[string, string, string[]]>([
    [" ", ",", [" "]],
    [" , ", ",", [" ", " "]],
    [", , ,", ",", [" ", " "]],
    [",,,,", ",", []],
    ["1,2,3,4,5", ",", ["1", "2", "3", "4", "5"]],
    ["This.is+a,test=string", ".+,=", ["This", "is", "a", "test", "string"]],
    ["split on T and \nnew line", "T\n", ["split on ", " and ", "new line"]],
    ["a,b,c,d,e", ",", ["a", "b", "c", "d", "e"]],
    ["", ",", []],
    ["abc", "", ["abc"]],
    ["a😀b😀", "😀", ["a", "b"]],
  ])("%j on %j", (text, delimiters, pieces) => {
    expect(value("States.StringSplit($.t, $.d)", { t: text, d: delimiters })).toEqual(pieces);
  });

  it("splits a literal with a real newline (recorded)", () => {
    expect(value("States.StringSplit('Hello\nWorld', '\n')")).toEqual(["Hello", "World"]);
  });

  it("fails on non-strings", () => {
    expect(run("States.StringSplit($.t, ',')", { t: ["a,b"] })).toEqual(
      failure("Argument 1 of States.StringSplit (text) must be a string, but it is an array"),
    );
    expect(run("States.StringSplit('a', $.d)", { d: 1 })).toEqual(
      failure("Argument 2 of States.StringSplit (delimiter characters) must be a string, but it is a number"),
    );
  });
});

describe("States.UUID", () => {
  it("builds a version 4 UUID from 16 draws", () => {
    expect(value("States.UUID()", undefined, environment({}, [0]))).toBe("00000000-0000-4000-8000-000000000000");
    expect(value("States.UUID()", undefined, environment({}, [0.9999]))).toBe("ffffffff-ffff-4fff-bfff-ffffffffffff");
    const env = environment({}, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65]);
    expect(value("States.UUID()", undefined, env)).toBe("19334c66-8099-43cc-a60c-264059738ca6");
    expect(env.calls).toBe(16);
  });

  it("gives different UUIDs as the generator moves on", () => {
    let state = 1;
    const env = { readPath: () => ({ ok: true as const, value: null }), random: () => ((state = (state * 48271) % 2147483647) / 2147483647) };
    const seen = new Set<unknown>();
    for (let i = 0; i < 50; i++) {
      const uuid = value("States.UUID()", undefined, env);
      expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      seen.add(uuid);
    }
    expect(seen.size).toBe(50);
  });
});

describe("evaluateIntrinsic: paths and failures", () => {
  it("fails with States.Runtime and the environment's message when a path selects nothing", () => {
    expect(run("States.Format('{}', $.missing)", { a: 1 })).toEqual({
      ok: false,
      error: "States.Runtime",
      message: "The JSONPath '$.missing' could not be found",
    });
    expect(run("States.Array(States.Array($undefinedVar))")).toEqual({
      ok: false,
      error: "States.Runtime",
      message: "The variable 'undefinedVar' is not defined",
    });
  });

  it("evaluates arguments left to right and stops at the first failure", () => {
    const env = environment({ input: {} }, [0]);
    expect(evaluateIntrinsic(parseOk("States.Array(States.UUID(), $.nope, States.UUID())"), env)).toEqual({
      ok: false,
      error: "States.Runtime",
      message: "The JSONPath '$.nope' could not be found",
    });
    expect(env.calls).toBe(16);
  });

  it("passes nested failures through unchanged", () => {
    expect(run("States.Format('{}', States.ArrayGetItem($.a, 5))", { a: [] })).toEqual(
      failure("The index 5 (argument 2) of States.ArrayGetItem is out of bounds for an array of length 0"),
    );
  });

  it("evaluates the recorded nested calls on the state machine name", () => {
    const env = environment({ context: { StateMachine: { Name: "my-state-machine-abc" } } });
    expect(value("States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), 0)", undefined, env)).toBe("my");
    expect(
      value(
        "States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))",
        undefined,
        env,
      ),
    ).toBe("abc");
  });

  it("rejects values that are not JSON", () => {
    const env = { readPath: () => ({ ok: true as const, value: undefined }), random: () => 0 };
    expect(evaluateIntrinsic(parseOk("States.Array($.a)"), env)).toEqual(failure("Argument 1 of States.Array (element) is not a JSON value"));
    const nan = { readPath: () => ({ ok: true as const, value: Number.NaN }), random: () => 0 };
    expect(evaluateIntrinsic(parseOk("States.MathAdd($.a, 1)"), nan)).toEqual(failure("Argument 1 of States.MathAdd (first number) is not a JSON value"));
  });

  it("survives hand-made calls", () => {
    const env = environment();
    expect(evaluateIntrinsic({ name: "States.Nope" as never, args: [], source: "" }, env)).toEqual(failure("'States.Nope' is not a known intrinsic function"));
    expect(evaluateIntrinsic({ name: "toString" as never, args: [], source: "" }, env)).toEqual(failure("'toString' is not a known intrinsic function"));
    expect(evaluateIntrinsic({ name: "States.ArrayLength", args: [], source: "" }, env)).toEqual(
      failure("States.ArrayLength takes exactly 1 argument, but 0 were given"),
    );
    expect(
      evaluateIntrinsic({ name: "States.Format", args: [{ kind: "literal", value: "{}" }, { kind: "literal", value: 1 }], source: "" }, env),
    ).toEqual({ ok: true, value: "1" });
  });

  it("turns an overflow on absurdly deep data into a failure instead of throwing", () => {
    let deep: unknown = [];
    for (let i = 0; i < 200000; i++) deep = [deep];
    const env = { readPath: () => ({ ok: true as const, value: deep }), random: () => 0 };
    const result = evaluateIntrinsic(parseOk("States.ArrayUnique(States.Array($.a, $.a))"), env);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.error).toBe(INTRINSIC_FAILURE_ERROR);
  });
});

describe("evaluateIntrinsic with the engine's path reader", () => {
  const documents = {
    input: { a: [{ b: 1, n: "x" }, { b: 2, n: "y" }, { b: 1, n: "z" }], "x,y": { "k)": 7 }, s: "a,b" },
    context: { Execution: { Id: "arn:aws:states:us-east-1:1:execution:m:e" } },
    variables: { order: { items: [5, 6] } },
  };
  const engine: IntrinsicEnvironment = { readPath: (path) => readEnginePath(path, documents), random: () => 0 };

  it.each<[string, unknown]>([
    ["States.ArrayLength($.a[?(@.b == 1)])", 2],
    ["States.JsonToString($.a[*].n)", '["x","y","z"]'],
    ["States.JsonToString($['x,y'])", '{"k)":7}'],
    ["States.Format('{}', $['x,y']['k)'])", "7"],
    ["States.ArrayContains($..n, 'z')", true],
    ["States.Array($.a[0,2].n, $.a[-1:].b)", [["x", "z"], [1]]],
    ["States.ArrayGetItem($order.items, 1)", 6],
    ["States.StringSplit($$.Execution.Id, ':')", ["arn", "aws", "states", "us-east-1", "1", "execution", "m", "e"]],
    ["States.ArrayLength($.none[*])", 0],
  ])("%s", (source, expected) => {
    expect(evaluateIntrinsic(parseOk(source), engine)).toEqual({ ok: true, value: expected });
  });

  it("reports a definite path miss as States.Runtime with the path reader's words", () => {
    const result = evaluateIntrinsic(parseOk("States.Format('{}', $.missing)"), engine);
    expect(result.ok).toBe(false);
    expect(result.ok ? undefined : result.error).toBe("States.Runtime");
  });
});

describe("properties", () => {
  const escape = (text: string): string => text.replace(/[\\'{}]/g, (char) => `\\${char}`);

  it("a string written with escapes reads back as itself", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 40 }), (text) => {
        const call = parseOk(`States.Array('${escape(text)}')`);
        expect(call.args[0]).toEqual({ kind: "literal", value: text, raw: escape(text) });
        // With every brace escaped, a Format template is plain text.
        expect(evaluateIntrinsic(parseOk(`States.Format('${escape(text)}')`), environment())).toEqual({ ok: true, value: text });
      }),
    );
  });

  it("parseIntrinsic never throws, whatever the text", () => {
    const pieces = fc.constantFrom("States.Format(", "States.Array(", "States.MathAdd(", "$.a", "$$", "$v", "'", "\\", "{}", "(", ")", ",", " ", "1", "-2.5e3", "null", "true", "[", "]", "?(@.x==1)");
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(pieces, { maxLength: 12 }).map((parts) => parts.join(""))), (text) => {
        const result = parseIntrinsic(text);
        expect(typeof result.ok).toBe("boolean");
      }),
      { numRuns: 2000 },
    );
  });

  it("evaluation never throws and fails only with the two known error names, whatever the data", () => {
    const sources = [
      "States.Format('{} {}', $.a, $.b)",
      "States.Format($.a, $.b)",
      "States.StringToJson($.a)",
      "States.JsonToString($.a)",
      "States.ArrayPartition($.a, $.b)",
      "States.ArrayContains($.a, $.b)",
      "States.ArrayRange($.a, $.b, $.b)",
      "States.ArrayGetItem($.a, $.b)",
      "States.ArrayLength($.a)",
      "States.ArrayUnique($.a)",
      "States.Base64Encode($.a)",
      "States.Base64Decode($.a)",
      "States.Hash($.a, $.b)",
      "States.JsonMerge($.a, $.b, false)",
      "States.MathRandom($.a, $.b, $.a)",
      "States.MathAdd($.a, $.b)",
      "States.StringSplit($.a, $.b)",
    ].map(parseOk);
    fc.assert(
      fc.property(fc.constantFrom(...sources), fc.jsonValue(), fc.jsonValue(), (call, a, b) => {
        const result = evaluateIntrinsic(call, environment({ input: { a, b } }));
        if (!result.ok) expect(["States.Runtime", INTRINSIC_FAILURE_ERROR]).toContain(result.error);
      }),
      { numRuns: 3000 },
    );
  });
});

// ---------------------------------------------------------------- json helpers

describe("json helpers", () => {
  it("jsonEquals compares deeply, ignoring key order", () => {
    expect(jsonEquals({ a: [1, { b: null }], c: "x" }, { c: "x", a: [1.0, { b: null }] })).toBe(true);
    expect(jsonEquals(0, -0)).toBe(true);
    expect(jsonEquals({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(jsonEquals([1, 2], [2, 1])).toBe(false);
    expect(jsonEquals([], {})).toBe(false);
    expect(jsonEquals({}, [])).toBe(false);
    expect(jsonEquals(null, {})).toBe(false);
    expect(jsonEquals("1", 1)).toBe(false);
    expect(jsonEquals({ a: 1 }, { b: 1 })).toBe(false);
    expect(jsonEquals(JSON.parse('{"__proto__": 1}'), JSON.parse('{"__proto__": 1}'))).toBe(true);
    expect(jsonEquals(JSON.parse('{"__proto__": 1}'), {})).toBe(false);
  });

  it("canonicalJson is equal exactly when jsonEquals says so", () => {
    expect(canonicalJson({ b: [1, { d: 1, c: 2 }], a: "x" })).toBe('{"a":"x","b":[1,{"c":2,"d":1}]}');
    expect(canonicalJson(-0)).toBe("0");
    expect(canonicalJson("1")).not.toBe(canonicalJson(1));
    expect(canonicalJson([null])).not.toBe(canonicalJson(["null"]));
  });

  it("setOwn and safeObject keep __proto__ and constructor as data", () => {
    const built = safeObject([
      ["__proto__", { polluted: true }],
      ["constructor", 1],
      ["a", 1],
      ["a", 2],
    ]);
    expect(Object.keys(built)).toEqual(["__proto__", "constructor", "a"]);
    expect(Object.getPrototypeOf(built)).toBe(Object.prototype);
    expect(built.a).toBe(2);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(setOwn({}, "__proto__", 5)).toEqual(JSON.parse('{"__proto__": 5}'));
  });

  it("stringifyJson writes compact text", () => {
    expect(stringifyJson({ a: [1, "x", null], b: {} })).toBe('{"a":[1,"x",null],"b":{}}');
    expect(stringifyJson(undefined)).toBe("null");
  });
});

// ---------------------------------------------------------------- conformance

interface ConformanceCase {
  readonly id: string;
  readonly category: string;
  readonly definition: { readonly StartAt: string; readonly States: Record<string, Record<string, unknown>> };
  readonly input: unknown;
  readonly expected: {
    readonly status: string;
    readonly output?: unknown;
    readonly error?: string;
    readonly cause?: string;
    readonly masks?: ReadonlyArray<{ readonly path: string; readonly pattern: string }>;
  };
}

const CASES_FILE = fileURLToPath(new URL("../../../shared/conformance/cases.json", import.meta.url));
const intrinsicCases: ConformanceCase[] = existsSync(CASES_FILE)
  ? (JSON.parse(readFileSync(CASES_FILE, "utf8")) as { cases: ConformanceCase[] }).cases.filter((c) => c.category === "intrinsic-functions")
  : [];

/** Evaluates a `.$` value (path or intrinsic) as the payload template will. */
function evaluateDollarValue(text: string, env: IntrinsicEnvironment): IntrinsicResult {
  if (text.startsWith("$")) {
    const path = parsePath(text);
    if (!path.ok) throw new Error(path.message);
    const read = env.readPath(path.value);
    return read.ok ? { ok: true, value: read.value } : { ok: false, error: "States.Runtime", message: read.message };
  }
  return evaluateIntrinsic(parseOk(text), env);
}

function stepsOf(pathText: string): readonly (string | number)[] {
  const path = parsePath(pathText);
  if (!path.ok) throw new Error(path.message);
  return path.value.steps;
}

/** Replaces the value at each mask path by the expected one when the actual one matches the pattern. */
function applyMasks(actual: unknown, expected: unknown, masks: ConformanceCase["expected"]["masks"]): unknown {
  let result = structuredClone(actual);
  for (const mask of masks ?? []) {
    const keys = [...mask.path.matchAll(/\["([^"]*)"\]/g)].map((m) => m[1] ?? "");
    let actualAt: unknown = result;
    let expectedAt: unknown = expected;
    for (const key of keys) {
      actualAt = (actualAt as Record<string, unknown>)[key];
      expectedAt = (expectedAt as Record<string, unknown>)[key];
    }
    expect(String(actualAt)).toMatch(new RegExp(mask.pattern));
    if (keys.length === 0) {
      result = expectedAt;
    } else {
      let parent = result as Record<string, unknown>;
      for (const key of keys.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
      parent[keys[keys.length - 1] ?? ""] = expectedAt;
    }
  }
  return result;
}

describe("conformance: intrinsic-functions cases recorded on AWS", () => {
  if (intrinsicCases.length === 0) {
    it.skip(`skipped: the conformance cases are absent (${CASES_FILE} not found)`, () => {});
    return;
  }

  it("covers all 82 recorded cases", () => {
    expect(intrinsicCases).toHaveLength(82);
  });

  it.each(intrinsicCases.map((c) => [c.id, c] as const))("%s", (_id, testCase) => {
    const state = testCase.definition.States[testCase.definition.StartAt] ?? {};
    const context = {
      Execution: { Id: "arn:aws:states:us-east-1:111111111111:execution:intrinsic-test-machine:run", Input: testCase.input, Name: "run" },
      StateMachine: { Id: "arn:aws:states:us-east-1:111111111111:stateMachine:intrinsic-test-machine", Name: "intrinsic-test-machine" },
      State: { Name: testCase.definition.StartAt },
    };
    const env = environment({ input: testCase.input, context }, [0.42]);

    if (state.Type === "Fail") {
      const error = evaluateDollarValue(state.ErrorPath as string, env);
      const cause = evaluateDollarValue(state.CausePath as string, env);
      expect(testCase.expected.status).toBe("FAILED");
      expect(error).toEqual({ ok: true, value: testCase.expected.error });
      expect(cause).toEqual({ ok: true, value: testCase.expected.cause });
      return;
    }

    expect(state.Type).toBe("Pass");
    const parameters = state.Parameters as Record<string, unknown>;
    const result: Record<string, unknown> = {};
    for (const [key, template] of Object.entries(parameters)) {
      if (!key.endsWith(".$")) {
        result[key] = template;
        continue;
      }
      const evaluated = evaluateDollarValue(template as string, env);
      if (!evaluated.ok) throw new Error(`${evaluated.error}: ${evaluated.message}`);
      result[key.slice(0, -2)] = evaluated.value;
    }
    // ResultPath / OutputPath, for the one case that uses them (simple dotted paths).
    let output: unknown = result;
    if (typeof state.ResultPath === "string") {
      const steps = stepsOf(state.ResultPath);
      const root = structuredClone(testCase.input) as Record<string, unknown>;
      let target = root;
      for (const step of steps.slice(0, -1)) target = (target[step as string] ??= {}) as Record<string, unknown>;
      target[steps[steps.length - 1] as string] = result;
      output = root;
    }
    if (typeof state.OutputPath === "string") {
      for (const step of stepsOf(state.OutputPath)) output = (output as Record<string, unknown>)[step as string];
    }
    expect(testCase.expected.status).toBe("SUCCEEDED");
    expect(jsonEquals(applyMasks(output, testCase.expected.output, testCase.expected.masks), testCase.expected.output)).toBe(true);
  });
});
