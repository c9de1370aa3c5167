import { writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { loadConformanceCases, MISSING_CASES } from "../support/conformance.js";
import {
  diffJson,
  judgeCase,
  parseMaskPath,
  runCase,
  usesJsonataOrVariables,
  type CaseRun,
  type ExecutionCase,
  type Mismatch,
  type RecordedMask,
} from "../support/execution-harness.js";
import { KNOWN_GAPS } from "./known-gaps.js";

const anyText: RecordedMask = { path: '$["id"]', pattern: "^arn:[\\s\\S]*$", wholeValue: false };

/** A run that did everything right, to vary one field at a time. */
const cleanRun = (overrides: Partial<CaseRun>): CaseRun => ({
  status: "SUCCEEDED",
  events: [],
  problems: [],
  unusedTasks: [],
  notes: [],
  commands: 0,
  ...overrides,
});

const syntheticCase = (expected: ExecutionCase["expected"], extra: Partial<ExecutionCase> = {}): ExecutionCase => ({
  id: "synthetic",
  category: "other",
  kind: "execution",
  definition: {},
  input: {},
  expected,
  ...extra,
});

describe("execution harness: mask paths", () => {
  it("reads quoted keys (escapes included) and array indexes", () => {
    expect(parseMaskPath('$["a"]["b\\"c"][0][12]["__proto__"]')).toEqual(["a", 'b"c', 0, 12, "__proto__"]);
    expect(parseMaskPath("$")).toEqual([]);
  });

  it("rejects anything else", () => {
    for (const path of ["$.a", '$["a"', "$[01]", "$[-1]", '$["a"]x', "a", '$[\'a\']']) expect(parseMaskPath(path)).toBeUndefined();
  });
});

describe("execution harness: comparing JSON under masks", () => {
  it("ignores key order and reports each difference with its path", () => {
    expect(diffJson({ a: 1, b: [1, { c: "x" }] }, { b: [1, { c: "x" }], a: 1 })).toEqual([]);
    expect(diffJson({ a: 1, b: [1, { c: "x" }] }, { a: 2, b: [1, { c: "y" }], d: true })).toEqual([
      '$["a"]: expected 1, got 2',
      '$["b"][1]["c"]: expected "x", got "y"',
      '$["d"]: unexpected key, value true',
    ]);
    expect(diffJson({ a: null }, {})).toEqual(['$["a"]: expected null, got nothing']);
    expect(diffJson([1, 2], [1])).toEqual(["$: expected an array of 2 items [1,2], got 1 items [1]"]);
    expect(diffJson({ a: "1" }, { a: 1 })).toEqual(['$["a"]: expected "1", got number 1']);
  });

  it("accepts at a masked path any value matching the pattern, and only such a value", () => {
    const expected = { id: "arn:<partition>:x", n: 1 };
    expect(diffJson(expected, { id: "arn:aws:states:us-east-1", n: 1 }, [anyText])).toEqual([]);
    expect(diffJson(expected, { id: "urn:x", n: 1 }, [anyText])).toEqual([
      '$["id"]: expected a value matching ^arn:[\\s\\S]*$ (recorded "arn:<partition>:x"), got "urn:x"',
    ]);
    // The recorded value itself passes even where the pattern would not accept it.
    expect(diffJson({ t: "date" }, { t: "date" }, [{ path: '$["t"]', pattern: "^\\d{4}$", wholeValue: true }])).toEqual([]);
    expect(diffJson(expected, { n: 1 }, [anyText])).toEqual([
      '$["id"]: expected a value matching ^arn:[\\s\\S]*$ (recorded "arn:<partition>:x"), got nothing',
    ]);
    // Non-strings are matched as JSON text; a key-name mask (pattern null) constrains nothing.
    const wholeValue: RecordedMask = { path: '$["n"]', pattern: "^\\d+$", wholeValue: true };
    expect(diffJson({ n: "<n>" }, { n: 42 }, [wholeValue, { path: '$["n"]', pattern: null, keyMasked: true }])).toEqual([]);
    expect(diffJson({ n: "<n>" }, { n: { x: 1 } }, [wholeValue])).toHaveLength(1);
  });

  it("reports a mask it cannot use", () => {
    expect(diffJson({ a: 1 }, { a: 1 }, [{ path: "$.a", pattern: "^1$" }])).toEqual(['mask path "$.a" does not parse']);
  });
});

describe("execution harness: judging a run", () => {
  it("compares status, error and cause exactly, absent meaning absent", () => {
    const failed = syntheticCase({ status: "FAILED", error: "E" });
    expect(judgeCase(failed, cleanRun({ status: "FAILED", error: "E" }))).toEqual([]);
    expect(judgeCase(failed, cleanRun({ status: "FAILED", error: "E", cause: "c" }))).toEqual([
      { kind: "cause", message: 'expected cause (absent), got "c"' },
    ]);
    expect(judgeCase(failed, cleanRun({ status: "FAILED", error: "F" }))).toEqual([{ kind: "error", message: 'expected error "E", got "F"' }]);
    expect(judgeCase(failed, cleanRun({ status: "SUCCEEDED", output: {} }))).toEqual([{ kind: "status", message: "expected status FAILED, got SUCCEEDED" }]);
  });

  it("matches a masked cause with causePattern", () => {
    const failed = syntheticCase({ status: "FAILED", error: "E", cause: "id <uuid>", causePattern: "^id [0-9a-f-]+$" });
    expect(judgeCase(failed, cleanRun({ status: "FAILED", error: "E", cause: "id 12ab-3" }))).toEqual([]);
    expect(judgeCase(failed, cleanRun({ status: "FAILED", error: "E", cause: "id xyz" }))).toEqual([
      { kind: "cause", message: 'expected a cause matching ^id [0-9a-f-]+$, got "id xyz"' },
    ]);
    expect(judgeCase(failed, cleanRun({ status: "FAILED", error: "E" }))).toEqual([
      { kind: "cause", message: "expected a cause matching ^id [0-9a-f-]+$, got (absent)" },
    ]);
    // The recorded text itself is accepted (some recordings over-mask words such as "date").
    expect(judgeCase(failed, cleanRun({ status: "FAILED", error: "E", cause: "id <uuid>" }))).toEqual([]);
  });

  it("compares events in order, or as a multiset when the order is not strict", () => {
    const strict = syntheticCase({ status: "SUCCEEDED", output: 1, events: ["A", "B", "C"], eventOrderStrict: true } as ExecutionCase["expected"]);
    const loose = syntheticCase({ status: "SUCCEEDED", output: 1, events: ["A", "B", "B", "C"], eventOrderStrict: false } as ExecutionCase["expected"]);
    expect(judgeCase(strict, cleanRun({ output: 1, events: ["A", "B", "C"] }))).toEqual([]);
    expect(judgeCase(strict, cleanRun({ output: 1, events: ["A", "C", "B"] }))[0]?.message).toMatch(/^events differ: first difference at #1: expected B, got C/);
    expect(judgeCase(loose, cleanRun({ output: 1, events: ["C", "B", "A", "B"] }))).toEqual([]);
    expect(judgeCase(loose, cleanRun({ output: 1, events: ["C", "B", "A", "D"] }))).toEqual([
      { kind: "events", message: "events differ: as a multiset: missing [B×1], extra [D×1] (4 vs 4 events)" },
    ]);
  });

  it("compares the output under the case's masks", () => {
    const c = syntheticCase({ status: "SUCCEEDED", output: { id: "arn:x" }, masks: [anyText] } as ExecutionCase["expected"]);
    expect(judgeCase(c, cleanRun({ output: { id: "arn:aws:1" } }))).toEqual([]);
    expect(judgeCase(c, cleanRun({ output: { id: "nope" } }))).toHaveLength(1);
  });
});

describe("execution harness: playing tasks", () => {
  const definition = {
    StartAt: "Both",
    States: {
      Both: {
        Type: "Parallel",
        End: true,
        Branches: [
          { StartAt: "A", States: { A: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { "n.$": "$.n" }, End: true } } },
          { StartAt: "B", States: { B: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { m: 2 }, End: true } } },
        ],
      },
    },
  };

  it("answers each task with the entry of its state and parameters", async () => {
    const c = syntheticCase(
      { status: "SUCCEEDED", output: ["a", "b"] },
      {
        definition,
        input: { n: 1 },
        tasks: [
          { state: "B", resource: "r", parameters: { m: 2 }, outcome: { output: "b" }, outcomeEventId: 9 },
          { state: "A", resource: "r", parameters: { n: 1 }, outcome: { output: "a" }, outcomeEventId: 8 },
        ],
      },
    );
    const run = await runCase(c);
    expect(run.problems).toEqual([]);
    expect(run.notes).toEqual([]);
    expect(run.commands).toBe(2);
    expect(judgeCase(c, run)).toEqual([]);
  });

  it("fails a run that schedules a task AWS did not, and one that leaves a recorded task out", async () => {
    const missing = syntheticCase(
      { status: "SUCCEEDED", output: ["a", "b"] },
      { definition, input: { n: 1 }, tasks: [{ state: "A", resource: "r", parameters: { n: 1 }, outcome: { output: "a" }, outcomeEventId: 8 }] },
    );
    const run = await runCase(missing);
    expect(run.problems).toEqual([`no task entry left for a task of state 'B' (input {"m":2}): the execution went where AWS's did not`]);
    expect(judgeCase(missing, run).map((m) => m.kind)).toEqual(["harness", "status"]);

    const extra = syntheticCase(
      { status: "SUCCEEDED", output: { n: 1 } },
      {
        definition: { StartAt: "P", States: { P: { Type: "Pass", End: true } } },
        input: { n: 1 },
        tasks: [{ state: "A", resource: "r", parameters: {}, outcome: { output: 1 }, outcomeEventId: 3 }],
      },
    );
    expect(judgeCase(extra, await runCase(extra))).toEqual([{ kind: "tasks", message: "AWS scheduled tasks stepfold never did: #0 'A'" }]);
  });

  it("fires Wait timers on the virtual clock and reports a definition stepfold rejects", async () => {
    const wait = syntheticCase(
      { status: "SUCCEEDED", output: { t: 1 } },
      { definition: { StartAt: "W", States: { W: { Type: "Wait", Seconds: 3600, End: true } } }, input: { t: 1 } },
    );
    const run = await runCase(wait);
    expect(run.commands).toBe(1);
    expect(judgeCase(wait, run)).toEqual([]);

    const broken = syntheticCase({ status: "SUCCEEDED", output: {} }, { definition: { StartAt: "Nowhere", States: {} } });
    const brokenRun = await runCase(broken);
    expect(brokenRun.status).toBe("RUNNING");
    expect(brokenRun.problems).toHaveLength(1);
    expect(brokenRun.problems[0]).toMatch(/^stepfold threw /);
  });
});

const cases = loadConformanceCases() as readonly ExecutionCase[] | undefined;

describe.skipIf(!cases)(cases ? "conformance: executions recorded against AWS" : MISSING_CASES, () => {
  const executions = (cases ?? []).filter((c) => c.expected.status !== "INVALID_DEFINITION");
  const results = new Map<string, { readonly c: ExecutionCase; readonly run: CaseRun; readonly mismatches: readonly Mismatch[] }>();

  afterAll(() => {
    const groups = { "JSONPath only": [0, 0, 0, 0], "JSONata/variables": [0, 0, 0, 0] };
    for (const { c, mismatches } of results.values()) {
      const counts = groups[usesJsonataOrVariables(c) ? "JSONata/variables" : "JSONPath only"];
      const gap = Object.hasOwn(KNOWN_GAPS, c.id);
      const index = mismatches.length === 0 ? (gap ? 3 : 0) : gap ? 1 : 2;
      counts[index] = (counts[index] ?? 0) + 1;
    }
    const line = (name: string, [passed, gaps, failed, fixed]: number[]) =>
      `  ${name}: ${passed} passed, ${gaps} known gaps, ${failed} failed${fixed ? `, ${fixed} known gaps that pass now` : ""}`;
    console.log(
      [`execution conformance (${results.size} of ${executions.length} cases run):`, ...Object.entries(groups).map(([name, counts]) => line(name, counts))].join("\n"),
    );
    // Opt-in machine-readable report of every mismatch, for whoever fixes the engine.
    const reportPath = process.env["CONFORMANCE_REPORT"];
    if (reportPath) {
      const report = [...results.values()].map(({ c, run, mismatches }) => ({ id: c.id, category: c.category, features: c.features, mismatches, notes: run.notes }));
      writeFileSync(reportPath, JSON.stringify(report, null, 1));
    }
  });

  it("every known gap names an execution case", () => {
    const ids = new Set(executions.map((c) => c.id));
    expect(Object.keys(KNOWN_GAPS).filter((id) => !ids.has(id))).toEqual([]);
  });

  it.each(executions.map((c) => [c.id, c] as const))("%s", async (_id, c) => {
    const run = await runCase(c);
    const mismatches = judgeCase(c, run);
    results.set(c.id, { c, run, mismatches });
    const gap = Object.hasOwn(KNOWN_GAPS, c.id) ? KNOWN_GAPS[c.id] : undefined;
    if (gap === undefined) {
      expect(mismatches.map((m) => `[${m.kind}] ${m.message}`), run.notes.join("\n")).toEqual([]);
    } else {
      expect(mismatches, `listed in KNOWN_GAPS (${gap}) but it passes now: take it off the list`).not.toEqual([]);
    }
  });
});
