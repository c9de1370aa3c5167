import { describe, expect, it } from "vitest";
import { contextObject, type ContextFacts } from "../../src/data/context.js";
import {
  evaluateAssign,
  evaluateTemplate,
  intrinsicCause,
  invalidPathCause,
  MAX_ASSIGN_BYTES,
  MAX_VARIABLE_BYTES,
  PATH_MISS_ERROR,
  placeResult,
  readDataPath,
  RESULT_PATH_FAILURE_ERROR,
  selectInput,
  selectOutput,
  templatePathCause,
  VARIABLE_LIMIT_ERROR,
  variableSizeProblem,
  type DataDocuments,
  type DataResult,
} from "../../src/data/io.js";
import { INTRINSIC_FAILURE_ERROR } from "../../src/data/intrinsics/index.js";
import { parsePath, parseReferencePath, type CompiledPath } from "../../src/data/path.js";
import { compilePayloadTemplate, type PayloadTemplate } from "../../src/data/template.js";
import { loadConformanceCases, MISSING_CASES, type ConformanceCase } from "../support/conformance.js";

// ---------------------------------------------------------------- helpers

function path(source: string): CompiledPath {
  const parsed = parsePath(source);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

function referencePath(source: string): CompiledPath {
  const parsed = parseReferencePath(source);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

function template(raw: unknown): PayloadTemplate {
  const compiled = compilePayloadTemplate(raw);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
  return compiled.value;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

const CONTEXT = deepFreeze({
  Execution: { Id: "arn:aws:states:us-east-1:111111111111:execution:Machine:run-1", Input: { start: true }, Name: "run-1" },
  State: { Name: "S", EnteredTime: "2024-01-01T00:00:00Z" },
  Map: { Item: { Index: 0, Value: { id: 7 } } },
});

function documents(input: unknown, variables: Record<string, unknown> = {}, context: unknown = CONTEXT): DataDocuments {
  return deepFreeze({ input: deepFreeze(input), context, variables: deepFreeze(variables) });
}

/** A random source that yields the given numbers in turn. */
function draws(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
}

const ok = <T>(value: T): DataResult<T> => ({ ok: true, value });
const runtime = (cause: string): DataResult => ({ ok: false, error: "States.Runtime", cause });

// ---------------------------------------------------------------- InputPath / OutputPath

describe("selectInput (InputPath)", () => {
  const input = deepFreeze({ a: { b: [1, 2, { c: 3 }] }, items: [{ x: 1 }, { x: 2 }, {}], s: "str", n: null });

  it("null gives a fresh empty object", () => {
    const first = selectInput(null, documents(input));
    expect(first).toEqual(ok({}));
    const second = selectInput(null, documents(input));
    expect(first.ok && second.ok && first.value !== second.value).toBe(true);
  });

  it("$ is the input itself, and selections share the input's values", () => {
    const docs = documents(input);
    const whole = selectInput(path("$"), docs);
    expect(whole.ok && whole.value).toBe(input);
    const part = selectInput(path("$.a.b"), docs);
    expect(part.ok && part.value).toBe(input.a.b);
  });

  it.each([
    ["$.a.b[2].c", 3],
    ["$.a.b[-1]", { c: 3 }],
    ["$.n", null],
    ["$['s']", "str"],
    ["$.items[*].x", [1, 2]],
    ["$.items[1:]", [{ x: 2 }, {}]],
    ["$.missing[*]", []],
    ["$..c", [3]],
    ["$.items[?(@.x > 1)]", [{ x: 2 }]],
  ])("%s selects %j", (source, expected) => {
    expect(selectInput(path(source), documents(input))).toEqual(ok(expected));
  });

  it("reads the context with $$ and variables with $name", () => {
    expect(selectInput(path("$$.Execution.Input"), documents(input))).toEqual(ok({ start: true }));
    expect(selectInput(path("$$"), documents(input))).toEqual(ok(CONTEXT));
    expect(selectInput(path("$theAnswer"), documents(input, { theAnswer: 42 }))).toEqual(ok(42));
    expect(selectInput(path("$order.items[0]"), documents(input, { order: { items: ["a"] } }))).toEqual(ok("a"));
  });

  it("fails with States.Runtime and AWS's cause when a definite path selects nothing", () => {
    expect(selectInput(path("$.NoSuchInputPath"), documents(input))).toEqual(
      runtime("Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']"),
    );
    expect(selectInput(path("$.no.such"), documents(input))).toEqual(runtime("Invalid path '$.no.such' : Missing property in path $['no']"));
    expect(selectInput(path("$.a.b[7]"), documents(input))).toEqual(runtime("Invalid path '$.a.b[7]' : No results for path: $['a']['b'][7]"));
    expect(selectInput(path("$$.Task.Token"), documents(input))).toEqual(
      runtime("Invalid path '$$.Task.Token' : Missing property in path $['Task']"),
    );
    expect(selectInput(path("$nope"), documents(input))).toEqual(runtime("Invalid path '$nope' : The variable '$nope' is not defined"));
  });

  it("reads __proto__ and constructor as own data only", () => {
    const parsed = deepFreeze(JSON.parse('{"__proto__": {"x": 1}}') as unknown);
    expect(selectInput(path("$['__proto__'].x"), documents(parsed))).toEqual(ok(1));
    expect(selectInput(path("$.constructor"), documents({}))).toEqual(runtime("Invalid path '$.constructor' : No results for path: $['constructor']"));
    expect(selectInput(path("$.toString"), documents({})).ok).toBe(false);
  });
});

describe("selectOutput (OutputPath)", () => {
  it("selects from the value, not from the documents' input", () => {
    const value = deepFreeze({ result: { Payload: [1, 2] } });
    const docs = documents({ result: "the raw input, not read" });
    const selected = selectOutput(path("$.result.Payload"), value, docs);
    expect(selected.ok && selected.value).toBe(value.result.Payload);
    expect(selectOutput(path("$"), value, docs)).toEqual(ok(value));
  });

  it("null gives an empty object", () => {
    expect(selectOutput(null, { a: 1 }, documents({}))).toEqual(ok({}));
  });

  it("reads the context and variables", () => {
    expect(selectOutput(path("$$.Execution.Input"), {}, documents({}))).toEqual(ok({ start: true }));
    expect(selectOutput(path("$theAnswer"), {}, { context: CONTEXT, variables: { theAnswer: 42 } })).toEqual(ok(42));
  });

  it("fails as InputPath does", () => {
    expect(selectOutput(path("$.Payload"), { ExecutedVersion: "$LATEST" }, documents({}))).toEqual(
      runtime("Invalid path '$.Payload' : No results for path: $['Payload']"),
    );
  });
});

describe("readDataPath and invalidPathCause", () => {
  it("reads $ without walking and names misses as AWS does", () => {
    const input = { a: 1 };
    expect(readDataPath(path("$"), documents(input))).toEqual({ ok: true, value: input });
    expect(readDataPath(path("$$.State.Name"), documents(input))).toEqual({ ok: true, value: "S" });
    expect(invalidPathCause(path("$['a b']"), "No results for path: $['a b']")).toBe("Invalid path '$['a b']' : No results for path: $['a b']");
  });
});

// ---------------------------------------------------------------- payload templates

describe("evaluateTemplate", () => {
  it("copies literals and evaluates .$ paths, with the .$ removed from keys", () => {
    const input = { user: { name: "Ana", tags: ["a", "b"] }, n: 0 };
    const result = evaluateTemplate(
      template({
        literal: "$.user",
        "name.$": "$.user.name",
        nested: { "tags.$": "$.user.tags", list: [1, { "n.$": "$.n" }, "x"] },
        "all.$": "$",
        "ctx.$": "$$.Execution.Name",
        "item.$": "$$.Map.Item.Value.id",
        "var.$": "$answer",
      }),
      documents(input, { answer: [42] }),
      draws(0.5),
    );
    expect(result).toEqual(
      ok({
        literal: "$.user",
        name: "Ana",
        nested: { tags: ["a", "b"], list: [1, { n: 0 }, "x"] },
        all: input,
        ctx: "run-1",
        item: 7,
        var: [42],
      }),
    );
  });

  it("shares the values it reads (no copies) and never mutates the documents", () => {
    const input = deepFreeze({ big: { deep: [1, 2, 3] } });
    const docs = documents(input, { v: { w: 1 } });
    const result = evaluateTemplate(template({ "a.$": "$.big", "b.$": "$v" }), docs, draws(0));
    expect(result.ok).toBe(true);
    const value = (result as { value: Record<string, unknown> }).value;
    expect(value["a"]).toBe(input.big);
    expect(value["b"]).toBe(docs.variables["v"]);
  });

  it("returns a fully literal template's value as it is", () => {
    const raw = deepFreeze({ Comment: "Comment text", comment: "comment text", constant: "constant text" });
    expect(evaluateTemplate(template(raw), documents({}), draws(0))).toEqual(ok(raw));
  });

  it("an indefinite path that matches nothing gives [] (no error)", () => {
    for (const source of ["$[*]", "$.items[*]", "$.items[1:]", "$.items[:1]", "$.item.items[1:5].itemValue"]) {
      expect(evaluateTemplate(template({ "item.$": source }), documents({}), draws(0))).toEqual(ok({ item: [] }));
    }
  });

  it("reads names with quotes and backslashes (AWS's escape recording)", () => {
    const input = { 'Test\\""Name"': 'Value"\\' };
    expect(evaluateTemplate(template({ "value.$": "$['Test\\\"\"Name\"']" }), documents(input), draws(0))).toEqual(ok({ value: 'Value"\\' }));
  });

  it("keeps __proto__ and constructor keys as plain data", () => {
    const result = evaluateTemplate(
      template(JSON.parse('{"__proto__.$": "$.a", "constructor": 1, "inner": {"__proto__": {"polluted": true}}}')),
      documents({ a: { polluted: true } }),
      draws(0),
    );
    expect(result.ok).toBe(true);
    const value = (result as { value: Record<string, unknown> }).value;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(["__proto__", "constructor", "inner"]);
    expect(Object.getOwnPropertyDescriptor(value, "__proto__")?.value).toEqual({ polluted: true });
    expect(JSON.stringify(value)).toBe('{"__proto__":{"polluted":true},"constructor":1,"inner":{"__proto__":{"polluted":true}}}');
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("runs intrinsic functions, reading $, $$ and variables, with the given randomness", () => {
    const result = evaluateTemplate(
      template({
        "greeting.$": "States.Format('Hello {} from {}', $.name, $$.Execution.Name)",
        "sum.$": "States.MathAdd($x, 2)",
        "random.$": "States.MathRandom(0, 10)",
        "copy.$": "States.JsonToString($.obj)",
      }),
      documents({ name: "Ana", obj: { a: [1] } }, { x: 40 }),
      draws(0.75),
    );
    expect(result).toEqual(ok({ greeting: "Hello Ana from run-1", sum: 42, random: 7, copy: '{"a":[1]}' }));
  });

  it("States.UUID draws from the random source", () => {
    const first = evaluateTemplate(template({ "id.$": "States.UUID()" }), documents({}), draws(0.1, 0.2, 0.3));
    const again = evaluateTemplate(template({ "id.$": "States.UUID()" }), documents({}), draws(0.1, 0.2, 0.3));
    expect(first).toEqual(again);
    expect(first.ok && (first.value as { id: string }).id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  describe("failures", () => {
    it("a $ path miss names the path, the field and the compact input", () => {
      expect(evaluateTemplate(template({ "JobName.$": "$.JobName" }), documents({}), draws(0))).toEqual(
        runtime("The JSONPath '$.JobName' specified for the field 'JobName.$' could not be found in the input '{}'"),
      );
      expect(evaluateTemplate(template({ a: { "address.$": "$.application.address" } }), documents({ flagged: false }), draws(0))).toEqual(
        runtime("The JSONPath '$.application.address' specified for the field 'address.$' could not be found in the input '{\"flagged\":false}'"),
      );
    });

    it("a $$ path miss shows the context object", () => {
      const context = deepFreeze({ Execution: { Id: "e" }, Map: { Item: { Index: 0, Value: {} } } });
      expect(evaluateTemplate(template({ "checkId.$": "$$.Map.Item.Value.checkId" }), documents({ a: 1 }, {}, context), draws(0))).toEqual(
        runtime(
          "The JSONPath '$$.Map.Item.Value.checkId' specified for the field 'checkId.$' could not be found in the input '{\"Execution\":{\"Id\":\"e\"},\"Map\":{\"Item\":{\"Index\":0,\"Value\":{}}}}'",
        ),
      );
    });

    it("a variable path miss shows the variable's value, or says the variable is not assigned", () => {
      expect(evaluateTemplate(template({ "v.$": "$order.total" }), documents({}, { order: { id: 1 } }), draws(0))).toEqual(
        runtime("The JSONPath '$order.total' specified for the field 'v.$' could not be found in the input '{\"id\":1}'"),
      );
      expect(evaluateTemplate(template({ "v.$": "$never" }), documents({}), draws(0))).toEqual(
        runtime("The JSONPath '$never' specified for the field 'v.$' could not be found: The variable '$never' is not defined"),
      );
    });

    it("stops at the first failure, in template order", () => {
      expect(evaluateTemplate(template({ ok: 1, "first.$": "$.a", "second.$": "$.b" }), documents({}), draws(0))).toEqual(
        runtime("The JSONPath '$.a' specified for the field 'first.$' could not be found in the input '{}'"),
      );
      expect(evaluateTemplate(template({ list: [{ "x.$": "$.x" }] }), documents({ y: 1 }), draws(0))).toEqual(
        runtime("The JSONPath '$.x' specified for the field 'x.$' could not be found in the input '{\"y\":1}'"),
      );
    });

    it("an intrinsic path argument miss names the whole call, the argument and the input", () => {
      expect(evaluateTemplate(template({ "v.$": "States.Format('{}', $.nope)" }), documents({ other: 1 }), draws(0))).toEqual(
        runtime("The function 'States.Format('{}', $.nope)' had the following error: The JsonPath argument for the field '$.nope' could not be found in the input '{\"other\":1}'"),
      );
      expect(evaluateTemplate(template({ "v.$": "States.Format('{}', States.Format('{}', $.a.b))" }), documents({ other: 1 }), draws(0))).toEqual(
        runtime(
          "The function 'States.Format('{}', States.Format('{}', $.a.b))' had the following error: The JsonPath argument for the field '$.a.b' could not be found in the input '{\"other\":1}'",
        ),
      );
    });

    it("an intrinsic $$ argument miss names the path relative to the context and shows the state input", () => {
      expect(evaluateTemplate(template({ "v.$": "States.Format('{}', $$.Nope.Deep)" }), documents({ other: 1 }), draws(0))).toEqual(
        runtime("The function 'States.Format('{}', $$.Nope.Deep)' had the following error: The JsonPath argument for the field '$.Nope.Deep' could not be found in the input '{\"other\":1}'"),
      );
    });

    it("an intrinsic variable argument miss shows the variable's value or says it is not assigned", () => {
      expect(evaluateTemplate(template({ "v.$": "States.ArrayLength($list.items)" }), documents({}, { list: [] }), draws(0))).toEqual(
        runtime("The function 'States.ArrayLength($list.items)' had the following error: The JsonPath argument for the field '$list.items' could not be found in the input '[]'"),
      );
      expect(evaluateTemplate(template({ "v.$": "States.ArrayLength($nothing)" }), documents({}), draws(0))).toEqual(
        runtime("The function 'States.ArrayLength($nothing)' had the following error: The JsonPath argument for the field '$nothing' could not be found: The variable '$nothing' is not defined"),
      );
    });

    it("an intrinsic argument of the wrong kind fails with the intrinsic error and the function's reason", () => {
      expect(evaluateTemplate(template({ "v.$": "States.ArrayGetItem($.arr, 5)" }), documents({ arr: [1] }), draws(0))).toEqual({
        ok: false,
        error: INTRINSIC_FAILURE_ERROR,
        cause:
          "The function 'States.ArrayGetItem($.arr, 5)' had the following error: The index 5 (argument 2) of States.ArrayGetItem is out of bounds for an array of length 1",
      });
    });

    it("intrinsicCause and templatePathCause are the texts used above", () => {
      const call = { name: "States.UUID", args: [], source: "States.UUID()" } as const;
      expect(intrinsicCause(call, "boom")).toBe("The function 'States.UUID()' had the following error: boom");
      expect(templatePathCause(path("$.x"), "x.$", "No results for path: $['x']", documents([1]))).toBe(
        "The JSONPath '$.x' specified for the field 'x.$' could not be found in the input '[1]'",
      );
    });
  });
});

// ---------------------------------------------------------------- ResultPath

describe("placeResult (ResultPath)", () => {
  const raw = deepFreeze({ keep: { deep: [1] }, a: { b: 1, c: { d: 2 } }, list: [{ x: 1 }, { x: 2 }] });

  it("null passes the raw input on and $ replaces it with the result", () => {
    const result = deepFreeze({ r: 1 });
    const discarded = placeResult(raw, null, result);
    expect(discarded.ok && discarded.value).toBe(raw);
    const replaced = placeResult(raw, referencePath("$"), result);
    expect(replaced.ok && replaced.value).toBe(result);
  });

  it("writes into a copy that shares everything off the path", () => {
    const placed = placeResult(raw, referencePath("$.a.c.e"), "new");
    expect(placed).toEqual(ok({ keep: { deep: [1] }, a: { b: 1, c: { d: 2, e: "new" } }, list: [{ x: 1 }, { x: 2 }] }));
    const value = (placed as { value: typeof raw }).value;
    expect(value).not.toBe(raw);
    expect(value.keep).toBe(raw.keep);
    expect(value.list).toBe(raw.list);
    expect(value.a).not.toBe(raw.a);
  });

  it("overwrites existing values and creates missing objects", () => {
    expect(placeResult({ a: 1 }, referencePath("$.a"), { b: 2 })).toEqual(ok({ a: { b: 2 } }));
    expect(placeResult({}, referencePath("$.x.y.z"), 1)).toEqual(ok({ x: { y: { z: 1 } } }));
    expect(placeResult(raw, referencePath("$.list[1].x"), 9)).toEqual(ok({ ...raw, list: [{ x: 1 }, { x: 9 }] }));
  });

  it("keeps a __proto__ step as data", () => {
    const placed = placeResult({}, referencePath("$['__proto__'].polluted"), true);
    expect(placed.ok).toBe(true);
    const value = (placed as { value: Record<string, unknown> }).value;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(JSON.stringify(value)).toBe('{"__proto__":{"polluted":true}}');
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("fails with States.ResultPathMatchFailure when the raw input cannot take the result", () => {
    expect(RESULT_PATH_FAILURE_ERROR).toBe("States.ResultPathMatchFailure");
    expect(placeResult("foo", referencePath("$.x"), 1)).toEqual({
      ok: false,
      error: "States.ResultPathMatchFailure",
      cause: "Unable to apply ResultPath '$.x' to the input '\"foo\"': $ is a string, not an object",
    });
    expect(placeResult({ a: [1] }, referencePath("$.a.b"), 1)).toEqual({
      ok: false,
      error: "States.ResultPathMatchFailure",
      cause: "Unable to apply ResultPath '$.a.b' to the input '{\"a\":[1]}': $['a'] is an array, not an object",
    });
    expect(placeResult({ a: [1] }, referencePath("$.a[3]"), 1)).toEqual({
      ok: false,
      error: "States.ResultPathMatchFailure",
      cause: "Unable to apply ResultPath '$.a[3]' to the input '{\"a\":[1]}': index [3] is out of bounds for $['a'] (length 1)",
    });
  });
});

// ---------------------------------------------------------------- Assign

describe("evaluateAssign", () => {
  it("maps variable names to values, literals and paths alike", () => {
    expect(
      evaluateAssign(template({ x: 42, "y.$": "$.answer", literal: "$.answer", "z.$": "States.Array($x, $.answer)" }), documents({ answer: "a" }, { x: 1 }), draws(0)),
    ).toEqual(ok({ x: 42, y: "a", literal: "$.answer", z: [1, "a"] }));
  });

  it("evaluates every right-hand side with the values on entry (swap)", () => {
    expect(evaluateAssign(template({ "x.$": "$a", "nextX.$": "$x" }), documents({}, { x: 3, a: 6 }), draws(0))).toEqual(ok({ x: 6, nextX: 3 }));
  });

  it("fails as templates do when a path selects nothing", () => {
    expect(evaluateAssign(template({ "v.$": "$.missing" }), documents({ a: 1 }), draws(0))).toEqual(
      runtime("The JSONPath '$.missing' specified for the field 'v.$' could not be found in the input '{\"a\":1}'"),
    );
  });

  it("accepts values up to the limits exactly", () => {
    // "x" + 262,142 characters makes 262,144 bytes with the quotes.
    const fits = "x".repeat(MAX_VARIABLE_BYTES - 2);
    expect(evaluateAssign(template({ "v.$": "$.s" }), documents({ s: fits }), draws(0))).toEqual(ok({ v: fits }));
    const half = "y".repeat(MAX_ASSIGN_BYTES / 2 - 2);
    expect(evaluateAssign(template({ "a.$": "$.h", "b.$": "$.h" }), documents({ h: half }), draws(0)).ok).toBe(true);
  });

  it("fails when one value is larger than 256 KiB", () => {
    const tooBig = "x".repeat(MAX_VARIABLE_BYTES - 1);
    expect(evaluateAssign(template({ small: 1, "big.$": "$.s" }), documents({ s: tooBig }), draws(0))).toEqual({
      ok: false,
      error: VARIABLE_LIMIT_ERROR,
      cause: "The value assigned to the variable 'big' exceeds the maximum size of 262144 bytes",
    });
  });

  it("fails when the values together are larger than 256 KiB", () => {
    const half = "y".repeat(MAX_ASSIGN_BYTES / 2 - 1);
    expect(evaluateAssign(template({ "a.$": "$.h", "b.$": "$.h" }), documents({ h: half }), draws(0))).toEqual({
      ok: false,
      error: "States.Runtime",
      cause: "The values assigned in one Assign exceed the maximum combined size of 262144 bytes",
    });
  });

  it("counts multi-byte characters as UTF-8", () => {
    // 87,382 three-byte characters: 262,146 + 2 bytes, although only 87,382 UTF-16 units.
    expect(variableSizeProblem({ v: "€".repeat(87_382) })).toBe("The value assigned to the variable 'v' exceeds the maximum size of 262144 bytes");
    expect(variableSizeProblem({ v: "€".repeat(87_380) })).toBeUndefined();
  });

  it("keeps a variable named __proto__ as data", () => {
    const result = evaluateAssign(template(JSON.parse('{"__proto__": {"polluted": true}}')), documents({}), draws(0));
    expect(result.ok).toBe(true);
    const value = (result as { value: Record<string, unknown> }).value;
    expect(Object.keys(value)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("refuses a template that does not produce an object", () => {
    expect(evaluateAssign({ kind: "literal", value: [1] }, documents({}), draws(0))).toEqual({
      ok: false,
      error: "States.Runtime",
      cause: "The Assign field must produce an object of variable names and values, not [1]",
    });
  });

  it("exports the limits as AWS documents them", () => {
    expect([MAX_VARIABLE_BYTES, MAX_ASSIGN_BYTES, PATH_MISS_ERROR]).toEqual([262_144, 262_144, "States.Runtime"]);
  });
});

// ---------------------------------------------------------------- AWS recordings: Pass-only machines

const cases = loadConformanceCases();

/** JSONPath machines made only of Pass states: the whole pipeline of each state is this module's. */
const passMachines = (cases ?? []).filter((c) => {
  if (c.kind !== "execution" || c.definition["QueryLanguage"] === "JSONata") return false;
  const states = Object.values(c.definition["States"] as Record<string, Record<string, unknown>>);
  return states.every((state) => state["Type"] === "Pass" && state["QueryLanguage"] !== "JSONata");
});

const optionalPath = (raw: unknown, reference: boolean): CompiledPath | null =>
  raw === null ? null : reference ? referencePath((raw as string | undefined) ?? "$") : path((raw as string | undefined) ?? "$");

/** Runs a Pass-only machine as the decider will: InputPath, Parameters, Result, Assign, ResultPath, OutputPath. */
function runPassMachine(recorded: ConformanceCase): DataResult {
  const definition = recorded.definition;
  const states = definition["States"] as Record<string, Record<string, unknown>>;
  const express = recorded.id.startsWith("express/");
  let variables: Record<string, unknown> = {};
  let name = definition["StartAt"] as string;
  let data: unknown = deepFreeze(recorded.input ?? {});
  for (let step = 0; step < 100; step++) {
    const state = states[name] as Record<string, unknown>;
    const facts: ContextFacts = {
      execution: {
        id: `arn:aws:states:us-east-1:111111111111:${express ? "express" : "execution"}:Machine:run-1${express ? ":abc" : ""}`,
        name: "run-1",
        input: recorded.input ?? {},
        roleArn: "arn:aws:iam::111111111111:role/sfn",
        startTime: "2024-01-01T00:00:00.123Z",
        ...(express ? {} : { redriveCount: 0 }),
      },
      stateMachine: { id: "arn:aws:states:us-east-1:111111111111:stateMachine:Machine", name: "Machine" },
      state: { name, enteredTime: "2024-01-01T00:00:01Z" },
    };
    const docs: DataDocuments = deepFreeze({ input: data, context: contextObject(facts), variables });
    const selected = selectInput(optionalPath(state["InputPath"], false), docs);
    if (!selected.ok) return selected;
    let effective = selected.value;
    if (state["Parameters"] !== undefined) {
      const parameters = evaluateTemplate(template(state["Parameters"]), { ...docs, input: effective }, draws(0.42, 0.17, 0.93));
      if (!parameters.ok) return parameters;
      effective = parameters.value;
    }
    const result = "Result" in state ? state["Result"] : effective;
    if (state["Assign"] !== undefined) {
      const assigned = evaluateAssign(template(state["Assign"]), { ...docs, input: result }, draws(0.3));
      if (!assigned.ok) return assigned;
      variables = { ...variables, ...assigned.value };
    }
    const placed = placeResult(data, optionalPath(state["ResultPath"], true), result);
    if (!placed.ok) return placed;
    const output = selectOutput(optionalPath(state["OutputPath"], false), placed.value, docs);
    if (!output.ok) return output;
    data = deepFreeze(output.value);
    if (state["End"] === true) return ok(data);
    name = state["Next"] as string;
  }
  throw new Error("the machine did not end");
}

/** Replaces, in both values, each masked place whose actual value matches the recorded pattern. */
function applyMasks(actual: unknown, expected: unknown, masks: readonly { path: string; pattern: string }[]): [unknown, unknown] {
  const a = JSON.parse(JSON.stringify(actual)) as unknown;
  const e = JSON.parse(JSON.stringify(expected)) as unknown;
  for (const mask of masks) {
    const keys = [...mask.path.matchAll(/\["((?:[^"\\]|\\.)*)"\]|\[(\d+)\]/g)].map((m) => (m[1] !== undefined ? (JSON.parse(`"${m[1]}"`) as string) : Number(m[2])));
    const last = keys.pop();
    let actualParent = a as Record<string | number, unknown> | undefined;
    let expectedParent = e as Record<string | number, unknown> | undefined;
    for (const key of keys) {
      actualParent = actualParent?.[key] as Record<string | number, unknown> | undefined;
      expectedParent = expectedParent?.[key] as Record<string | number, unknown> | undefined;
    }
    if (last === undefined || actualParent === undefined || expectedParent === undefined) continue;
    const value = actualParent[last];
    const text = typeof value === "string" ? value : JSON.stringify(value);
    if (text !== undefined && new RegExp(mask.pattern).test(text)) {
      actualParent[last] = "<masked>";
      expectedParent[last] = "<masked>";
    }
  }
  return [a, e];
}

describe.skipIf(cases === undefined)(`AWS conformance: Pass-only JSONPath machines${cases === undefined ? ` (${MISSING_CASES})` : ""}`, () => {
  it("finds the recorded Pass-only machines", () => {
    expect(passMachines.length).toBeGreaterThanOrEqual(100);
  });

  it.each(passMachines.map((c) => [c.id, c] as const))("%s", (_id, recorded) => {
    const outcome = runPassMachine(recorded);
    const expected = recorded.expected as ConformanceCase["expected"] & { masks?: { path: string; pattern: string }[] };
    if (expected.status === "FAILED") {
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) {
        expect(outcome.error).toBe(expected.error);
        expect(expected.cause?.endsWith(outcome.cause)).toBe(true);
      }
      return;
    }
    expect(expected.status).toBe("SUCCEEDED");
    if (!outcome.ok) throw new Error(`${outcome.error}: ${outcome.cause}`);
    const [actual, wanted] = applyMasks(outcome.value, expected.output, expected.masks ?? []);
    expect(actual).toEqual(wanted);
  });
});

// ---------------------------------------------------------------- the Context Object

describe("contextObject", () => {
  const facts: ContextFacts = {
    execution: {
      id: "arn:aws:states:us-east-1:111111111111:execution:Machine:run-1",
      name: "run-1",
      input: { a: 1 },
      roleArn: "arn:aws:iam::111111111111:role/sfn",
      startTime: "2024-01-01T00:00:00.5Z",
      redriveCount: 0,
    },
    stateMachine: { id: "arn:aws:states:us-east-1:111111111111:stateMachine:Machine", name: "Machine" },
    state: { name: "Pass", enteredTime: "2024-01-01T00:00:01Z" },
  };

  it("has AWS's keys in AWS's order, and no optional part that does not apply", () => {
    const context = contextObject(facts);
    expect(JSON.stringify(context)).toBe(
      '{"Execution":{"Id":"arn:aws:states:us-east-1:111111111111:execution:Machine:run-1","Input":{"a":1},"StartTime":"2024-01-01T00:00:00.5Z","Name":"run-1","RoleArn":"arn:aws:iam::111111111111:role/sfn","RedriveCount":0},' +
        '"StateMachine":{"Id":"arn:aws:states:us-east-1:111111111111:stateMachine:Machine","Name":"Machine"},' +
        '"State":{"Name":"Pass","EnteredTime":"2024-01-01T00:00:01Z"}}',
    );
  });

  it("shares the execution input", () => {
    expect((contextObject(facts)["Execution"] as Record<string, unknown>)["Input"]).toBe(facts.execution.input);
  });

  it("adds RetryCount, RedriveTime, Task.Token and Map.Item when they apply", () => {
    const context = contextObject({
      ...facts,
      execution: { ...facts.execution, redriveCount: 1, redriveTime: "2024-01-02T00:00:00Z" },
      state: { ...facts.state, retryCount: 2 },
      task: { token: "tok" },
      mapItem: { index: 3, value: { v: 1 }, key: "k", source: "STATE_DATA" },
    });
    expect(context["Execution"]).toEqual({ ...(contextObject(facts)["Execution"] as object), RedriveCount: 1, RedriveTime: "2024-01-02T00:00:00Z" });
    expect(context["State"]).toEqual({ Name: "Pass", EnteredTime: "2024-01-01T00:00:01Z", RetryCount: 2 });
    expect(context["Task"]).toEqual({ Token: "tok" });
    expect(JSON.stringify(context["Map"])).toBe('{"Item":{"Index":3,"Value":{"v":1},"Key":"k","Source":"STATE_DATA"}}');
    expect(Object.keys(context)).toEqual(["Execution", "StateMachine", "State", "Task", "Map"]);
  });

  it("shows RetryCount 0 (Task, Parallel, Map) and a Map item without key or source", () => {
    const context = contextObject({ ...facts, state: { ...facts.state, retryCount: 0 }, mapItem: { index: 0, value: null } });
    expect(context["State"]).toEqual({ Name: "Pass", EnteredTime: "2024-01-01T00:00:01Z", RetryCount: 0 });
    expect(context["Map"]).toEqual({ Item: { Index: 0, Value: null } });
  });

  it("leaves RedriveCount out for Express executions", () => {
    const { redriveCount: _ignored, ...express } = facts.execution;
    expect(Object.keys(contextObject({ ...facts, execution: express })["Execution"] as object)).toEqual(["Id", "Input", "StartTime", "Name", "RoleArn"]);
  });

  it("is what $$ paths read", () => {
    const docs = documents({}, {}, contextObject({ ...facts, mapItem: { index: 4, value: "v" } }));
    expect(selectInput(path("$$.Map.Item.Index"), docs)).toEqual(ok(4));
    expect(selectInput(path("$$.Execution.RedriveCount"), docs)).toEqual(ok(0));
    expect(selectInput(path("$$.State.RetryCount"), docs)).toEqual(runtime("Invalid path '$$.State.RetryCount' : No results for path: $['State']['RetryCount']"));
  });
});
