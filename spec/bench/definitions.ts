/** Definitions the benchmarks share. */

/**
 * A 50-state JSONPath machine with a realistic mix: Tasks with Retry/Catch and templates, Choices,
 * Waits, Passes with intrinsic calls, a Parallel and a Map, ending in Succeed/Fail.
 */
export function fiftyStateDefinition(): Record<string, unknown> {
  const states: Record<string, unknown> = {};
  const count = 44; // + Parallel (2 inner), Map (1 inner), Done, Failed = 50
  for (let i = 0; i < count; i++) {
    const name = `Step${i}`;
    const next = i + 1 < count ? `Step${i + 1}` : "Fan";
    switch (i % 4) {
      case 0:
        states[name] = {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Parameters: { FunctionName: `fn-${i}`, "Payload.$": "$", "id.$": "$$.Execution.Id" },
          ResultSelector: { "body.$": "$.Payload" },
          ResultPath: `$.results.step${i}`,
          TimeoutSeconds: 30,
          Retry: [{ ErrorEquals: ["Lambda.ServiceException"], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 }],
          Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Failed" }],
          Next: next,
        };
        break;
      case 1:
        states[name] = {
          Type: "Choice",
          Choices: [
            { And: [{ Variable: "$.count", NumericGreaterThan: 10 }, { Variable: "$.kind", StringEquals: "big" }], Next: next },
            { Variable: "$.name", StringMatches: "test-*", Next: next },
          ],
          Default: next,
        };
        break;
      case 2:
        states[name] = {
          Type: "Pass",
          Parameters: { "label.$": "States.Format('step {} of {}', $.index, $.total)", "items.$": "States.ArrayPartition($.items, 2)" },
          ResultPath: "$.pass",
          Next: next,
        };
        break;
      default:
        states[name] = { Type: "Wait", SecondsPath: "$.delay", Next: next };
    }
  }
  states["Fan"] = {
    Type: "Parallel",
    Branches: [
      { StartAt: "BranchA", States: { BranchA: { Type: "Pass", End: true } } },
      { StartAt: "BranchB", States: { BranchB: { Type: "Pass", Result: 1, End: true } } },
    ],
    Next: "Each",
  };
  states["Each"] = {
    Type: "Map",
    ItemsPath: "$.items",
    ItemSelector: { "value.$": "$$.Map.Item.Value" },
    ItemProcessor: { StartAt: "Item", States: { Item: { Type: "Pass", End: true } } },
    Next: "Done",
  };
  states["Done"] = { Type: "Succeed" };
  states["Failed"] = { Type: "Fail", Error: "StepFailed" };
  return { Comment: "50 states", StartAt: "Step0", States: states };
}
