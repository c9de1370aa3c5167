/**
 * Pass, Choice, Succeed and Fail: the states that finish in the same step they are entered, with
 * AWS's JSONPath pipeline (InputPath → Parameters → Result → ResultPath → OutputPath).
 */
import { describe, expect, it } from "vitest";
import { after, briefs, chain, eventOf, expectFailed, expectSucceeded, given, located, T0, types } from "../support/given.js";

const pass = (fields: Record<string, unknown>) => ({ StartAt: "P", States: { P: { Type: "Pass", End: true, ...fields } } });

describe("Pass", () => {
  it("passes its input on unchanged, with Entered and Exited events chained to ExecutionStarted", async () => {
    const step = await given(pass({}), { input: { a: 1 } });
    expect(briefs(step)).toEqual(["ExecutionStarted", "PassStateEntered P", "PassStateExited P", "ExecutionSucceeded"]);
    expect(step.events.map((e) => e.id)).toEqual([1, 2, 3, 4]);
    expect(chain(step)).toEqual([0, 1, 2, 3]);
    expect(step.events.every((e) => e.timestamp === T0)).toBe(true);
    expect(eventOf(step, "PassStateEntered").stateEnteredEventDetails).toEqual({ name: "P", input: { a: 1 } });
    expect(eventOf(step, "PassStateExited").stateExitedEventDetails).toEqual({ name: "P", output: { a: 1 } });
    expect(eventOf(step, "ExecutionSucceeded").executionSucceededEventDetails).toEqual({ output: { a: 1 } });
    expectSucceeded(step, { a: 1 });
  });

  it("gives an empty object when no input is given", async () => {
    expectSucceeded(await given(pass({})), {});
  });

  it("replaces its input with Result (ResultPath defaults to $)", async () => {
    expectSucceeded(await given(pass({ Result: { r: [1, 2] } }), { input: { a: 1 } }), { r: [1, 2] });
  });

  it("places Result into the raw input at ResultPath, creating intermediate objects", async () => {
    expectSucceeded(await given(pass({ Result: "x", ResultPath: "$.b.c" }), { input: { a: 1 } }), { a: 1, b: { c: "x" } });
  });

  it("places Result into the raw input, not into the InputPath selection", async () => {
    const step = await given(pass({ InputPath: "$.inner", Result: 7, ResultPath: "$.r" }), { input: { inner: { i: 1 }, a: 2 } });
    expectSucceeded(step, { inner: { i: 1 }, a: 2, r: 7 });
  });

  it("discards the result with ResultPath null", async () => {
    expectSucceeded(await given(pass({ Result: "dropped", ResultPath: null }), { input: { a: 1 } }), { a: 1 });
  });

  it("selects the output with OutputPath after ResultPath", async () => {
    expectSucceeded(await given(pass({ Result: { x: 1 }, ResultPath: "$.r", OutputPath: "$.r" }), { input: { a: 1 } }), { x: 1 });
  });

  it("turns InputPath null into an empty effective input", async () => {
    expectSucceeded(await given(pass({ InputPath: null }), { input: { a: 1 } }), {});
  });

  it("turns OutputPath null into an empty output", async () => {
    expectSucceeded(await given(pass({ OutputPath: null }), { input: { a: 1 } }), {});
  });

  it("builds its result from Parameters: paths, intrinsics, literals and the context object", async () => {
    const step = await given(
      pass({
        Parameters: {
          "fromInput.$": "$.a",
          literal: "$.not-a-path",
          "sum.$": "States.MathAdd($.a, 10)",
          "text.$": "States.Format('a is {}', $.a)",
          "name.$": "$$.Execution.Name",
          "state.$": "$$.State.Name",
          "entered.$": "$$.State.EnteredTime",
          "nested": { "arr.$": "States.Array($.a, 'b')" },
        },
      }),
      { input: { a: 5 }, name: "run-1" },
    );
    expectSucceeded(step, {
      fromInput: 5,
      literal: "$.not-a-path",
      sum: 15,
      text: "a is 5",
      name: "run-1",
      state: "P",
      entered: T0,
      nested: { arr: [5, "b"] },
    });
  });

  it("shows no RetryCount in a Pass state's context object", async () => {
    const step = await given(pass({ Parameters: { "state.$": "$$.State" } }));
    expectSucceeded(step, { state: { Name: "P", EnteredTime: T0 } });
  });

  it("applies Parameters to the InputPath selection", async () => {
    expectSucceeded(await given(pass({ InputPath: "$.in", Parameters: { "v.$": "$.v" } }), { input: { in: { v: 3 }, v: 9 } }), { v: 3 });
  });

  it("uses Result over Parameters when it has both", async () => {
    expectSucceeded(await given(pass({ Parameters: { "v.$": "$.v" }, Result: "r" }), { input: { v: 1 } }), "r");
  });

  it("follows Next through several states, each Entered chained to the previous Exited", async () => {
    const step = await given(
      { StartAt: "A", States: { A: { Type: "Pass", Result: 1, ResultPath: "$.a", Next: "B" }, B: { Type: "Pass", Result: 2, ResultPath: "$.b", End: true } } },
      { input: {} },
    );
    expect(briefs(step)).toEqual(["ExecutionStarted", "PassStateEntered A", "PassStateExited A", "PassStateEntered B", "PassStateExited B", "ExecutionSucceeded"]);
    expect(chain(step)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(eventOf(step, "PassStateExited")).toMatchObject({ next: "B" });
    expect(step.events[4]).not.toHaveProperty("next");
    expectSucceeded(step, { a: 1, b: 2 });
  });

  it("fails the execution with States.Runtime when InputPath selects nothing", async () => {
    const step = await given(pass({ InputPath: "$.missing" }), { input: { a: 1 } });
    expect(briefs(step)).toEqual(["ExecutionStarted", "PassStateEntered P", "ExecutionFailed States.Runtime"]);
    expectFailed(step, "States.Runtime", located("P", 2, "Invalid path '$.missing' : No results for path: $['missing']"));
  });

  it("fails the execution with States.Runtime when OutputPath selects nothing", async () => {
    const step = await given(pass({ OutputPath: "$.missing" }), { input: { a: 1 } });
    expect(types(step)).toEqual(["ExecutionStarted", "PassStateEntered", "ExecutionFailed"]);
    expectFailed(step, "States.Runtime", located("P", 2, "Invalid path '$.missing' : No results for path: $['missing']"));
  });

  it("fails the execution with States.Runtime when a Parameters path selects nothing", async () => {
    const step = await given(pass({ Parameters: { "v.$": "$.missing" } }), { input: { a: 1 } });
    expectFailed(step, "States.Runtime", located("P", 2, `The JSONPath '$.missing' specified for the field 'v.$' could not be found in the input '{"a":1}'`));
  });

  it("gives an indefinite Parameters path that matches nothing an empty list, not an error", async () => {
    expectSucceeded(await given(pass({ Parameters: { "v.$": "$.items[*].x" } }), { input: {} }), { v: [] });
  });
});

describe("Choice", () => {
  const choice = {
    StartAt: "C",
    States: {
      C: {
        Type: "Choice",
        Choices: [
          { Variable: "$.n", NumericGreaterThan: 10, Next: "Big" },
          { And: [{ Variable: "$.n", NumericGreaterThanEquals: 0 }, { Variable: "$.s", StringMatches: "a*" }], Next: "SmallA" },
          { Variable: "$.n", NumericGreaterThan: 5, Next: "Medium" },
        ],
        Default: "Other",
      },
      Big: { Type: "Pass", Result: "big", End: true },
      SmallA: { Type: "Pass", Result: "small-a", End: true },
      Medium: { Type: "Pass", Result: "medium", End: true },
      Other: { Type: "Pass", Result: "other", End: true },
    },
  };

  it("takes the first rule that matches, exiting with its input and Next", async () => {
    const step = await given(choice, { input: { n: 11, s: "abc" } });
    expect(briefs(step)).toEqual(["ExecutionStarted", "ChoiceStateEntered C", "ChoiceStateExited C", "PassStateEntered Big", "PassStateExited Big", "ExecutionSucceeded"]);
    expect(eventOf(step, "ChoiceStateExited")).toMatchObject({ stateExitedEventDetails: { name: "C", output: { n: 11, s: "abc" } }, next: "Big" });
    expectSucceeded(step, "big");
  });

  it("evaluates And rules", async () => {
    expectSucceeded(await given(choice, { input: { n: 3, s: "axe" } }), "small-a");
  });

  it("does not look past the first match: n = 11 with s = 'a' matches rule 0 and rule 1", async () => {
    expectSucceeded(await given(choice, { input: { n: 11, s: "a" } }), "big");
  });

  it("treats a type mismatch as no match, not an error", async () => {
    expectSucceeded(await given(choice, { input: { n: "11", s: 1 } }), "other");
  });

  it("goes to Default when no rule matches", async () => {
    const step = await given(choice, { input: { n: 3, s: "bcd" } });
    expect(eventOf(step, "ChoiceStateExited")).toMatchObject({ next: "Other" });
    expectSucceeded(step, "other");
  });

  it("fails with States.NoChoiceMatched when no rule matches and there is no Default", async () => {
    const step = await given(
      { StartAt: "C", States: { C: { Type: "Choice", Choices: [{ Variable: "$.n", NumericEquals: 1, Next: "End" }] }, End: { Type: "Succeed" } } },
      { input: { n: 2 } },
    );
    expect(briefs(step)).toEqual(["ExecutionStarted", "ChoiceStateEntered C", "ExecutionFailed States.NoChoiceMatched"]);
    expect(step.status).toBe("failed");
    if (step.status === "failed") expect(step.error).toBe("States.NoChoiceMatched");
  });

  it("applies InputPath before the rules and OutputPath to what it passes on", async () => {
    const step = await given(
      {
        StartAt: "C",
        States: {
          C: { Type: "Choice", InputPath: "$.in", OutputPath: "$.v", Choices: [{ Variable: "$.v", StringEquals: "x", Next: "Done" }] },
          Done: { Type: "Succeed" },
        },
      },
      { input: { in: { v: "x" }, v: "outer" } },
    );
    expectSucceeded(step, "x");
  });
});

describe("Succeed", () => {
  it("ends the execution with its input, through InputPath and OutputPath", async () => {
    const step = await given({ StartAt: "S", States: { S: { Type: "Succeed", InputPath: "$.a", OutputPath: "$.b" } } }, { input: { a: { b: [1] } } });
    expect(briefs(step)).toEqual(["ExecutionStarted", "SucceedStateEntered S", "SucceedStateExited S", "ExecutionSucceeded"]);
    expectSucceeded(step, [1]);
  });
});

describe("Fail", () => {
  const fail = (fields: Record<string, unknown>) => ({ StartAt: "F", States: { F: { Type: "Fail", ...fields } } });

  it("fails the execution with its Error and Cause, with no Exited event", async () => {
    const step = await given(fail({ Error: "MyError", Cause: "it broke" }), { input: { a: 1 } });
    expect(briefs(step)).toEqual(["ExecutionStarted", "FailStateEntered F", "ExecutionFailed MyError"]);
    expect(chain(step)).toEqual([0, 1, 2]);
    expect(eventOf(step, "ExecutionFailed").executionFailedEventDetails).toEqual({ error: "MyError", cause: "it broke" });
    expectFailed(step, "MyError", "it broke");
  });

  it("fails with neither error nor cause when it names none", async () => {
    const step = await given(fail({}));
    expect(eventOf(step, "ExecutionFailed").executionFailedEventDetails).toEqual({});
    expectFailed(step, undefined, undefined);
  });

  it("reads ErrorPath and CausePath from its input, and CausePath may be an intrinsic", async () => {
    const step = await given(fail({ ErrorPath: "$.e", CausePath: "States.Format('code {}', $.code)" }), { input: { e: "Custom", code: 42 } });
    expectFailed(step, "Custom", "code 42");
  });

  it("reads ErrorPath from the context object", async () => {
    expectFailed(await given(fail({ ErrorPath: "$$.State.Name", Cause: "c" })), "F", "c");
  });

  it("fails with States.Runtime when ErrorPath finds nothing", async () => {
    const step = await given(fail({ ErrorPath: "$.missing", Cause: "c" }), { input: { a: 1 } });
    expect(types(step)).toEqual(["ExecutionStarted", "FailStateEntered", "ExecutionFailed"]);
    expectFailed(step, "States.Runtime", located("F", 2, `The JSONPath '$.missing' specified for the field 'ErrorPath' could not be found in the input '{"a":1}'`));
  });

  it("fails with States.Runtime when CausePath finds nothing", async () => {
    const step = await given(fail({ Error: "E", CausePath: "$.missing" }), { input: {} });
    expectFailed(step, "States.Runtime", located("F", 2, `The JSONPath '$.missing' specified for the field 'CausePath' could not be found in the input '{}'`));
  });

  it("keeps the time of the start in every event", async () => {
    const step = await given(fail({ Error: "E" }), { at: after(5) });
    expect(step.events.map((e) => e.timestamp)).toEqual([after(5), after(5), after(5)]);
  });
});
