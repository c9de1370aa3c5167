import { describe, expect, it } from "vitest";
import { DefinitionError, parse, validate, type MapState, type ParallelState, type PassState, type TaskState } from "../../src/index.js";

describe("parse", () => {
  it("throws DefinitionError listing every problem", () => {
    let error: unknown;
    try {
      parse({ StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, C: { Type: "Pass" } } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DefinitionError);
    const problems = (error as DefinitionError).problems;
    expect(problems.map((p) => p.pointer)).toEqual(["/States/C", "/States/A/Next", "/States/C", ""]);
    expect((error as Error).message).toBe("Invalid state machine definition: SCHEMA_VALIDATION_FAILED: A state must have either 'Next' or 'End: true' at '/States/C' (and 3 more)");
  });

  it("applies defaults and resolves the query language of every state", () => {
    const workflow = parse({
      QueryLanguage: "JSONata",
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          Branches: [{ StartAt: "Inner", States: { Inner: { Type: "Pass", End: true } } }],
          Retry: [{ ErrorEquals: ["States.ALL"] }],
          Next: "Old",
        },
        Old: { Type: "Pass", End: true },
      },
    });
    expect(workflow.queryLanguage).toBe("JSONata");
    expect(workflow.version).toBe("1.0");
    expect(workflow.timeoutSeconds).toBeUndefined();
    expect(workflow.root.startAt).toBe("P");
    expect([...workflow.root.states.keys()]).toEqual(["P", "Old"]);
    expect([...workflow.states.keys()]).toEqual(["Inner", "P", "Old"]);
    const parallel = workflow.states.get("P") as ParallelState;
    expect(parallel.retry).toEqual([{ errorEquals: ["States.ALL"], intervalSeconds: 1, maxAttempts: 3, backoffRate: 2, jitter: "NONE" }]);
    expect(parallel.transition).toEqual({ kind: "next", next: "Old" });
    expect(parallel.branches[0]?.pointer).toBe("/States/P/Branches/0");
    expect(workflow.states.get("Inner")).toMatchObject({ queryLanguage: "JSONata", pointer: "/States/P/Branches/0/States/Inner", transition: { kind: "end" } });
  });

  it("gives nested states the machine's language, not the enclosing state's", () => {
    const workflow = parse({
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          QueryLanguage: "JSONata",
          ItemProcessor: { StartAt: "I", States: { I: { Type: "Pass", End: true } } },
          End: true,
        },
      },
    });
    expect(workflow.states.get("M")?.queryLanguage).toBe("JSONata");
    expect(workflow.states.get("I")?.queryLanguage).toBe("JSONPath");
  });

  it("precompiles JSONPath dataflow: paths, templates (constants folded) and defaults", () => {
    const workflow = parse({
      StartAt: "T",
      States: {
        T: {
          Type: "Task",
          Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
          InputPath: "$.order",
          Parameters: { constant: { a: [1, 2] }, "id.$": "$.id", "token.$": "$$.Task.Token", "n.$": "States.MathAdd($.a, 1)" },
          ResultPath: null,
          Catch: [{ ErrorEquals: ["States.ALL"], Next: "T" }],
          End: true,
        },
      },
    });
    const task = workflow.states.get("T") as TaskState;
    expect(task.pattern).toBe("callback");
    expect(task.resource).toBe("arn:aws:states:::sqs:sendMessage.waitForTaskToken");
    if (task.dataflow.language !== "JSONPath") throw new Error("expected JSONPath");
    expect(task.dataflow.inputPath).toMatchObject({ source: "$.order", root: "input", steps: ["order"] });
    expect(task.dataflow.resultPath).toBeNull();
    expect(task.dataflow.outputPath).toMatchObject({ source: "$", steps: [] });
    expect(task.dataflow.parameters).toMatchObject({
      kind: "object",
      entries: [
        { key: "constant", value: { kind: "literal", value: { a: [1, 2] } } },
        { key: "id", value: { kind: "path", field: "id.$", path: { root: "input", steps: ["id"] } } },
        { key: "token", value: { kind: "path", field: "token.$", path: { root: "context", steps: ["Task", "Token"] } } },
        { key: "n", value: { kind: "intrinsic", field: "n.$", call: { name: "States.MathAdd" } } },
      ],
    });
    expect(task.catch[0]).toMatchObject({ errorEquals: ["States.ALL"], next: "T", dataflow: { language: "JSONPath", resultPath: { source: "$" } } });
  });

  it("compiles a template written the same way in several states once, for all of them", () => {
    const add = (n: number) => ({ "n.$": `States.MathAdd($.n, ${n})` });
    const workflow = parse({
      StartAt: "A",
      States: {
        A: { Type: "Pass", Parameters: add(1), Next: "B" },
        B: { Type: "Pass", Parameters: add(1), Next: "C" },
        C: { Type: "Pass", Parameters: add(2), Next: "D" },
        D: { Type: "Parallel", Branches: [{ StartAt: "E", States: { E: { Type: "Pass", Parameters: add(1), End: true } } }], ResultSelector: add(2), End: true },
      },
    });
    const template = (name: string, field: "parameters" | "resultSelector" = "parameters") => {
      const dataflow = (workflow.states.get(name) as PassState | ParallelState).dataflow;
      if (dataflow.language !== "JSONPath") throw new Error("expected JSONPath");
      return dataflow[field];
    };
    expect(template("B")).toBe(template("A"));
    expect(template("E")).toBe(template("A"));
    expect(template("C")).not.toBe(template("A"));
    // Another field, same text: the same template.
    expect(template("D", "resultSelector")).toBe(template("C"));
    expect(template("C")).toMatchObject({ kind: "object", entries: [{ key: "n", value: { kind: "intrinsic", call: { source: "States.MathAdd($.n, 2)" } } }] });
  });

  it("reports a broken template at every state that writes it", () => {
    const broken = { "n.$": "States.NoSuchFunction($.n)" };
    const problems = validate({
      StartAt: "A",
      States: { A: { Type: "Pass", Parameters: broken, Next: "B" }, B: { Type: "Pass", Parameters: broken, End: true } },
    });
    expect(problems.map((problem) => problem.pointer)).toEqual(["/States/A/Parameters/n.$", "/States/B/Parameters/n.$"]);
  });

  it("keeps Pass Result as given and Map defaults", () => {
    const workflow = parse({
      StartAt: "P",
      States: {
        P: { Type: "Pass", Result: null, Next: "M" },
        M: { Type: "Map", ItemProcessor: { StartAt: "I", States: { I: { Type: "Succeed" } } }, End: true },
      },
    });
    expect((workflow.states.get("P") as PassState).result).toEqual({ value: null });
    const map = workflow.states.get("M") as MapState;
    expect(map).toMatchObject({ mode: "INLINE", items: { kind: "input" }, maxConcurrency: { kind: "value", value: 0 } });
    expect(map.processor.startAt).toBe("I");
  });

  it("compiles JSONata expressions once, into the Workflow", () => {
    const workflow = parse({
      QueryLanguage: "JSONata",
      StartAt: "T",
      States: {
        T: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Arguments: { Payload: "{% $states.input.x %}", Fixed: 1 },
          TimeoutSeconds: "{% 3 %}",
          Output: "{% $states.result.Payload %}",
          End: true,
        },
      },
    });
    const task = workflow.states.get("T") as TaskState;
    expect(task.timeoutSeconds).toMatchObject({ kind: "jsonata", field: "TimeoutSeconds", expression: { source: " 3 " } });
    if (task.dataflow.language !== "JSONata") throw new Error("expected JSONata");
    expect(task.dataflow.arguments?.kind).toBe("object");
    expect(task.dataflow.output).toMatchObject({ kind: "expression", location: "Output" });
  });

  it("accepts JSON text, copies the definition and never changes its argument", () => {
    const definition = { StartAt: "S", States: { S: { Type: "Pass", Result: { a: 1 }, End: true } } };
    const workflow = parse(definition);
    (definition.States.S.Result as { a: number }).a = 2;
    expect((workflow.states.get("S") as PassState).result).toEqual({ value: { a: 1 } });
    expect(parse(JSON.stringify(definition)).definition).toEqual(definition);
  });
});
