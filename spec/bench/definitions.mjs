/**
 * The state machine definitions the benchmark suite runs. Plain JavaScript so that `npm run bench`
 * needs no compiler.
 */

/** Any Lambda ARN will do: neither engine calls it (stepfold hands tasks to the host, the peer to a local handler). */
export const TASK_RESOURCE = "arn:aws:lambda:us-east-1:123456789012:function:work";

/**
 * A 50-state JSONPath machine with a realistic mix: Tasks with Retry/Catch and templates, Choices,
 * Waits, Passes with intrinsic calls, a Parallel and a Map, ending in Succeed/Fail.
 * @returns {Record<string, unknown>}
 */
export function fiftyStateDefinition() {
  /** @type {Record<string, unknown>} */
  const states = {};
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

/**
 * The 50-state machine with one transition pointing nowhere: both validators must reject it
 * (proof that they are really checking, not skipping the work).
 * @returns {Record<string, unknown>}
 */
export function brokenFiftyStateDefinition() {
  const definition = fiftyStateDefinition();
  const states = /** @type {Record<string, Record<string, unknown>>} */ (definition.States);
  states["Step10"] = { ...states["Step10"], Next: "Nowhere" };
  return definition;
}

/**
 * Workload 1: an inline Map whose iteration is one Pass state with intrinsic calls. Item i of
 * `items` (value v) becomes `{ sum: v + i, label: "item v" }`.
 * @returns {Record<string, unknown>}
 */
export function intrinsicMapDefinition() {
  return {
    StartAt: "Each",
    States: {
      Each: {
        Type: "Map",
        ItemsPath: "$.items",
        ItemSelector: { "value.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index" },
        ItemProcessor: {
          ProcessorConfig: { Mode: "INLINE" },
          StartAt: "Shape",
          States: {
            Shape: {
              Type: "Pass",
              Parameters: { "sum.$": "States.MathAdd($.value, $.index)", "label.$": "States.Format('item {}', $.value)" },
              End: true,
            },
          },
        },
        End: true,
      },
    },
  };
}

/**
 * Workload 7: workload 1's Map written in JSONata; it gives the same output as its JSONPath twin.
 * @returns {Record<string, unknown>}
 */
export function jsonataMapDefinition() {
  return {
    QueryLanguage: "JSONata",
    StartAt: "Each",
    States: {
      Each: {
        Type: "Map",
        Items: "{% $states.input.items %}",
        ItemSelector: { value: "{% $states.context.Map.Item.Value %}", index: "{% $states.context.Map.Item.Index %}" },
        ItemProcessor: {
          ProcessorConfig: { Mode: "INLINE" },
          StartAt: "Shape",
          States: {
            Shape: {
              Type: "Pass",
              Output: { sum: "{% $states.input.value + $states.input.index %}", label: "{% 'item ' & $string($states.input.value) %}" },
              End: true,
            },
          },
        },
        End: true,
      },
    },
  };
}

/**
 * Workloads 2 and 6: a Pass/Choice loop that counts `$.count` up to `$.limit` with States.MathAdd.
 * Each turn writes four events (Pass entered/exited, Choice entered/exited); the whole run writes
 * 4 × limit + 4.
 * @returns {Record<string, unknown>}
 */
export function counterLoopDefinition() {
  return {
    StartAt: "Increment",
    States: {
      Increment: {
        Type: "Pass",
        Parameters: { "count.$": "States.MathAdd($.count, 1)", "limit.$": "$.limit" },
        Next: "Check",
      },
      Check: {
        Type: "Choice",
        Choices: [{ Variable: "$.count", NumericLessThanPath: "$.limit", Next: "Increment" }],
        Default: "Done",
      },
      Done: { Type: "Succeed" },
    },
  };
}

/**
 * Workload 3: a Parallel of `branchCount` branches of `passCount` Pass states each. Branch b's first
 * Pass adds b to `$.n`, every later one adds 1, so branch b ends with `{ n: n0 + b + passCount - 1 }`.
 * @param {number} branchCount
 * @param {number} passCount
 * @returns {Record<string, unknown>}
 */
export function wideParallelDefinition(branchCount, passCount) {
  const branches = [];
  for (let b = 0; b < branchCount; b++) {
    /** @type {Record<string, unknown>} */
    const states = {};
    for (let p = 0; p < passCount; p++) {
      const last = p + 1 === passCount;
      states[`B${b}P${p}`] = {
        Type: "Pass",
        Parameters: { "n.$": `States.MathAdd($.n, ${p === 0 ? b : 1})` },
        ...(last ? { End: true } : { Next: `B${b}P${p + 1}` }),
      };
    }
    branches.push({ StartAt: `B${b}P0`, States: states });
  }
  return { StartAt: "Fan", States: { Fan: { Type: "Parallel", Branches: branches, End: true } } };
}

/**
 * Workload 4 and the scaling check: an inline Map whose iteration is one Task state; every item
 * becomes one task for the host (stepfold) or the local handler (the peer).
 * @returns {Record<string, unknown>}
 */
export function taskMapDefinition() {
  return {
    StartAt: "Each",
    States: {
      Each: {
        Type: "Map",
        ItemsPath: "$.items",
        ItemProcessor: {
          ProcessorConfig: { Mode: "INLINE" },
          StartAt: "Work",
          States: { Work: { Type: "Task", Resource: TASK_RESOURCE, End: true } },
        },
        End: true,
      },
    },
  };
}

/**
 * The token scaling check: workload 4's Map, its task a callback (`.waitForTaskToken`) that the
 * host answers by its task token, as SendTaskSuccess does.
 * @returns {Record<string, unknown>}
 */
export function callbackMapDefinition() {
  const definition = taskMapDefinition();
  /** @type {any} */ (definition.States).Each.ItemProcessor.States.Work = {
    Type: "Task",
    Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    Parameters: { QueueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/work", MessageBody: { "item.$": "$", "token.$": "$$.Task.Token" } },
    End: true,
  };
  return definition;
}
