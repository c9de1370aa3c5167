import { describe, expect, it } from "vitest";
import { validate } from "../../src/index.js";
import { loadConformanceCases, MISSING_CASES } from "../support/conformance.js";

const cases = loadConformanceCases();

describe.skipIf(!cases)(cases ? "conformance: definitions AWS accepted and rejected" : MISSING_CASES, () => {
  const all = cases ?? [];
  const accepted = all.filter((c) => c.expected.status !== "INVALID_DEFINITION");
  const rejected = all.filter((c) => c.expected.status === "INVALID_DEFINITION");

  it("has cases of both kinds", () => {
    expect(accepted.length).toBeGreaterThan(0);
    expect(rejected.length).toBeGreaterThan(0);
  });

  it.each(accepted.map((c) => [c.id, c] as const))("accepts %s", (_id, c) => {
    expect(validate(c.definition)).toEqual([]);
  });

  it.each(rejected.map((c) => [c.id, c] as const))("rejects %s with AWS's code and location", (_id, c) => {
    const problems = validate(c.definition);
    expect(problems.length).toBeGreaterThan(0);
    // AWS's text reads "...Definition: '<CODE>: <message> at <location>'"; the first problem must match it.
    const match = /Invalid State Machine Definition: '([A-Z_]+): (.*) at (\/\S*)'/.exec(c.expected.cause ?? "");
    expect(match).not.toBeNull();
    const [, code, message, location] = match as RegExpExecArray;
    expect(problems[0]).toMatchObject({ code, pointer: location });
    expect(problems[0]?.message.replace(/arn:aws:/g, "arn:<partition>:")).toBe(message);
  });
});
