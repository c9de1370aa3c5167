/** Details of AWS behaviour: abort scope, Wait texts, regions, limits, credentials, malformed commands. */
import { describe, expect, it } from "vitest";
import { completeTask, failTask } from "../../src/index.js";
import { after, briefs, eventOf, expectFailed, expectRejected, given, located, when } from "../support/given.js";

const INVOKE = "arn:aws:states:::lambda:invoke";
const FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:fn";
const taskBranch = (name: string) => ({ StartAt: name, States: { [name]: { Type: "Task", Resource: INVOKE, End: true } } });
const wait = (fields: Record<string, unknown>, input: unknown) => given({ StartAt: "W", States: { W: { Type: "Wait", End: true, ...fields } } }, { input });

describe("AWS details", () => {
  it("Parallel: the failing branch's own state is not aborted, only its siblings", async () => {
    const started = await given({ StartAt: "Par", States: { Par: { Type: "Parallel", End: true, Branches: [taskBranch("A"), taskBranch("B")] } } });
    const step = await when(started, failTask("3.1/8:task", "Boom", "bad", after(1)));
    expect(briefs(step)).toEqual(["TaskFailed 3.1/8:task Boom", "TaskStateAborted", "ParallelStateFailed Boom", "ExecutionFailed Boom"]);
    expect(step.events[1]).toMatchObject({ run: "3.0", previousEventId: 6 });
  });

  it("SecondsPath that selects nothing: 'does not reference an input value'", async () => {
    expectFailed(await wait({ SecondsPath: "$.s" }, {}), "States.Runtime", located("W", 2, "The SecondsPath parameter does not reference an input value: $.s"));
  });

  it("SecondsPath that selects a string: 'cannot be parsed as a long value'", async () => {
    expectFailed(await wait({ SecondsPath: "$.s" }, { s: "abc" }), "States.Runtime", located("W", 2, "The SecondsPath parameter cannot be parsed as a long value: $.s == abc"));
  });

  it("TaskScheduled.region is the state machine's region for an optimized integration", async () => {
    const step = await given({ StartAt: "T", States: { T: { Type: "Task", Resource: INVOKE, End: true } } }, { stateMachineArn: "arn:aws:states:eu-west-1:123456789012:stateMachine:M" });
    expect(eventOf(step, "TaskScheduled").taskScheduledEventDetails.region).toBe("eu-west-1");
  });

  it("DataLimitExceeded on an optimized integration's result names the service ('lambda')", async () => {
    const started = await given({ StartAt: "T", States: { T: { Type: "Task", Resource: INVOKE, End: true } } }, { limits: { payloadBytes: 100 } });
    const step = await when(started, completeTask("3:task", "x".repeat(200), after(1)));
    expectFailed(step, "States.DataLimitExceeded", "The state/task 'lambda' returned a result with a size exceeding the maximum number of bytes service limit.");
  });

  it("FireTimer without an id is a malformed command", async () => {
    const { execution } = await wait({ Seconds: 5 }, {});
    await expectRejected(execution, { type: "FireTimer" } as never, "MALFORMED_COMMAND");
  });

  it("taskCredentials has AWS's shape { roleArn }", async () => {
    const step = await given({ StartAt: "T", States: { T: { Type: "Task", Resource: INVOKE, Credentials: { "RoleArn.$": "$.role" }, End: true } } }, { input: { role: "arn:aws:iam::111122223333:role/r" } });
    expect(eventOf(step, "TaskScheduled").taskScheduledEventDetails.taskCredentials).toEqual({ roleArn: "arn:aws:iam::111122223333:role/r" });
  });

  it("LambdaFunctionScheduled records taskCredentials", async () => {
    const step = await given({ StartAt: "T", States: { T: { Type: "Task", Resource: FUNCTION, Credentials: { RoleArn: "arn:aws:iam::111122223333:role/r" }, End: true } } });
    expect(eventOf(step, "LambdaFunctionScheduled").lambdaFunctionScheduledEventDetails).toMatchObject({ taskCredentials: { roleArn: "arn:aws:iam::111122223333:role/r" } });
  });
});
