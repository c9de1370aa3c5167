import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CommandRejected, parse, resume, start, validate, type Step } from "../../src/index.js";

/** Arbitrary JSON shaped loosely like ASL, so that generated values reach deep into the checks. */
const word = fc.constantFrom(
  "Type", "Next", "End", "Resource", "Choices", "Branches", "ItemProcessor", "Iterator", "States", "StartAt", "Parameters",
  "ResultPath", "InputPath", "Variable", "StringEquals", "And", "Not", "Retry", "Catch", "ErrorEquals", "Seconds", "Timestamp",
  "Assign", "Output", "Arguments", "QueryLanguage", "__proto__", "constructor", "a.$", "Pass", "Task", "Map", "Parallel",
  "Choice", "Wait", "JSONata", "$.a", "$$.Execution.Id", "States.Format('{}', $.a)", "{% $states.input %}", "x",
);
const value = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: "small" },
    word,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("node"), { maxLength: 3 }),
    fc.dictionary(word, tie("node"), { maxKeys: 5 }),
  ),
})).node;
const definition = fc.record({ StartAt: word, States: fc.dictionary(word, fc.dictionary(word, value, { maxKeys: 6 }), { maxKeys: 4 }) });

describe("no definition crashes validate or parse", () => {
  it("validate returns problems (never throws) for arbitrary ASL-like JSON and text", () => {
    fc.assert(
      fc.property(fc.oneof(definition, value, fc.string()), (input) => {
        const problems = validate(input);
        expect(Array.isArray(problems)).toBe(true);
        for (const p of problems) expect(typeof p.code === "string" && typeof p.pointer === "string" && typeof p.message === "string").toBe(true);
        expect(({} as Record<string, unknown>)["x"]).toBeUndefined();
      }),
      { numRuns: 1500 },
    );
  });

  it("parse either returns a Workflow or throws DefinitionError, exactly when validate finds problems", () => {
    fc.assert(
      fc.property(definition, (input) => {
        const problems = validate(input);
        let threw: unknown;
        try {
          parse(input);
        } catch (error) {
          threw = error;
        }
        if (problems.length === 0) expect(threw).toBeUndefined();
        else expect((threw as Error).name).toBe("DefinitionError");
      }),
      { numRuns: 800 },
    );
  });
});

describe("no command crashes resume", () => {
  const workflow = parse({
    StartAt: "W",
    States: {
      W: { Type: "Wait", Seconds: 5, Next: "T" },
      T: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", HeartbeatSeconds: 10, End: true },
    },
  });

  it("a command either moves the execution on or throws CommandRejected, and never changes the execution it is sent to", async () => {
    const first = await start(workflow, { at: "2024-01-01T00:00:00.000Z", seed: 1 });
    const command = fc.record(
      {
        type: fc.constantFrom("CompleteTask", "FailTask", "Heartbeat", "FireTimer", "AdvanceTime", "StopExecution", "Nope"),
        id: fc.oneof(fc.constantFrom("2:wait", "5:task", "x"), value),
        output: value,
        error: fc.oneof(fc.string(), value),
        cause: fc.oneof(fc.string(), value),
        at: fc.oneof(fc.constantFrom("2024-01-01T00:00:07.000Z", "2023-01-01T00:00:00Z", "not a time"), value),
      },
      { requiredKeys: ["type"] },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 6 }), async (commands) => {
        let step: Step = first;
        for (const c of commands) {
          if (step.status !== "continue") break;
          const sent = step.execution;
          const before = JSON.stringify(sent);
          try {
            step = await resume(sent, c as never);
          } catch (error) {
            expect(error).toBeInstanceOf(CommandRejected);
          }
          expect(JSON.stringify(sent)).toBe(before);
        }
      }),
      { numRuns: 400 },
    );
  });
});
