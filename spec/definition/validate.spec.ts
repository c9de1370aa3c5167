import { describe, expect, it } from "vitest";
import { validate, type Problem } from "../../src/index.js";

/** A machine whose single state is `state` (named S), ending it unless the state says otherwise. */
const single = (state: Record<string, unknown>, top: Record<string, unknown> = {}) => ({
  ...top,
  StartAt: "S",
  States: { S: state },
});

const codesAndPointers = (problems: readonly Problem[]) => problems.map((p) => [p.code, p.pointer]);

describe("validate: input forms", () => {
  it("accepts a valid definition as an object and as JSON text", () => {
    const definition = single({ Type: "Pass", End: true });
    expect(validate(definition)).toEqual([]);
    expect(validate(JSON.stringify(definition))).toEqual([]);
  });

  it("reports text that is not JSON", () => {
    const problems = validate('{"StartAt": ');
    expect(codesAndPointers(problems)).toEqual([["INVALID_JSON_DESCRIPTION", ""]]);
    expect(problems[0]?.message).toMatch(/^The definition is not valid JSON: /);
  });

  it.each([[undefined], [null], [""], ["   "]])("reports a missing definition (%j)", (definition) => {
    expect(validate(definition)).toEqual([{ code: "MISSING_DESCRIPTION", pointer: "", message: "The definition is empty" }]);
  });

  it.each([[[]], [42], ["[1]"], ['"text"']])("reports a definition that is not an object (%j)", (definition) => {
    expect(validate(definition)).toEqual([{ code: "SCHEMA_VALIDATION_FAILED", pointer: "", message: "The definition must be a JSON object" }]);
  });

  it("reports data that is not JSON (a BigInt) instead of throwing", () => {
    expect(codesAndPointers(validate({ StartAt: "S", States: {}, n: 1n }))).toEqual([["INVALID_JSON_DESCRIPTION", ""]]);
  });

  it("reports a cyclic object instead of throwing", () => {
    const cyclic: Record<string, unknown> = { StartAt: "S" };
    cyclic["States"] = cyclic;
    expect(codesAndPointers(validate(cyclic))).toEqual([["INVALID_JSON_DESCRIPTION", ""]]);
  });

  it("never changes its argument", () => {
    const definition = single({ Type: "Pass", Parameters: { "a.$": "$.b" }, End: true });
    const before = JSON.stringify(definition);
    validate(definition);
    expect(JSON.stringify(definition)).toBe(before);
  });
});

describe("validate: top-level structure", () => {
  it("lists the missing required fields together, as AWS does", () => {
    expect(validate({ Comment: "x" })).toEqual([
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "", message: "These fields are required: [States, StartAt]" },
    ]);
  });

  it("rejects unknown top-level fields and bad field types", () => {
    expect(validate({ ...single({ Type: "Pass", End: true }), Extra: 1, TimeoutSeconds: 0, Version: 1 })).toEqual([
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "", message: "Field 'Extra' is not supported" },
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/Version", message: "'Version' must be a string" },
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/TimeoutSeconds", message: "'TimeoutSeconds' must be at least 1" },
    ]);
  });

  it("rejects an unknown QueryLanguage", () => {
    expect(validate(single({ Type: "Pass", End: true }, { QueryLanguage: "XPath" }))).toEqual([
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/QueryLanguage", message: "'QueryLanguage' must be one of: JSONPath, JSONata" },
    ]);
  });
});

describe("validate: states", () => {
  it("requires a Type and knows the eight types", () => {
    expect(validate({ StartAt: "S", States: { S: { End: true } } })).toEqual([
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S", message: "These fields are required: [Type]" },
    ]);
    expect(validate(single({ Type: "Sleep", End: true }))).toEqual([
      {
        code: "SCHEMA_VALIDATION_FAILED",
        pointer: "/States/S/Type",
        message: "'Type' must be one of: Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map",
      },
    ]);
  });

  it("rejects a state that is not an object", () => {
    expect(codesAndPointers(validate({ StartAt: "S", States: { S: "Pass", E: { Type: "Succeed" } } }))).toEqual([
      ["SCHEMA_VALIDATION_FAILED", "/States/S"],
      ["MISSING_TRANSITION_TARGET", "/States/E"],
    ]);
  });

  it("rejects fields a state type does not have", () => {
    expect(validate(single({ Type: "Pass", TimeoutSeconds: 5, End: true }))).toEqual([
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S", message: "Field 'TimeoutSeconds' is not supported" },
    ]);
    expect(validate(single({ Type: "Succeed", End: true }))).toEqual([
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S", message: "Field 'End' is not supported" },
    ]);
    expect(validate(single({ Type: "Fail", InputPath: "$" }))).toEqual([
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S", message: "Field 'InputPath' is not supported" },
    ]);
  });

  it("names the language a field belongs to", () => {
    expect(validate(single({ Type: "Pass", Output: {}, End: true }))).toEqual([
      {
        code: "SCHEMA_VALIDATION_FAILED",
        pointer: "/States/S",
        message: "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage",
      },
    ]);
    expect(validate(single({ Type: "Pass", QueryLanguage: "JSONata", ResultPath: "$.x", End: true }))).toEqual([
      {
        code: "SCHEMA_VALIDATION_FAILED",
        pointer: "/States/S",
        message: "The QueryLanguage is set to 'JSONata', but field 'ResultPath' is only supported for the 'JSONPath' QueryLanguage",
      },
    ]);
  });

  it("forbids JSONPath states in a JSONata machine but allows JSONata states in a JSONPath machine", () => {
    expect(validate(single({ Type: "Pass", QueryLanguage: "JSONPath", End: true }, { QueryLanguage: "JSONata" }))).toEqual([
      {
        code: "SCHEMA_VALIDATION_FAILED",
        pointer: "/States/S",
        message: "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
      },
    ]);
    expect(validate(single({ Type: "Pass", QueryLanguage: "JSONata", Output: "{% $states.input %}", End: true }))).toEqual([]);
  });

  it("requires exactly one of Next and End: true", () => {
    expect(validate({ StartAt: "A", States: { A: { Type: "Pass", Next: "B", End: true }, B: { Type: "Pass" } } })).toEqual([
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/A", message: "A state can not have both 'Next' and 'End: true'" },
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/B", message: "A state must have either 'Next' or 'End: true'" },
    ]);
    expect(codesAndPointers(validate(single({ Type: "Pass", End: false })))).toEqual([
      ["SCHEMA_VALIDATION_FAILED", "/States/S"],
      ["MISSING_END_STATE", ""],
    ]);
  });

  it("checks state names: 1 to 80 characters, unique across the whole machine", () => {
    const long = "x".repeat(81);
    expect(validate({ StartAt: long, States: { [long]: { Type: "Succeed" } } })).toEqual([
      { code: "INVALID_STATE_NAME", pointer: `/States/${long}`, message: "State name must be 1 to 80 characters long, not 81" },
    ]);
    expect(validate({ StartAt: "x".repeat(80), States: { ["x".repeat(80)]: { Type: "Succeed" } } })).toEqual([]);
    expect(validate({ StartAt: "A b/c~d", States: { "A b/c~d": { Type: "Succeed" } } })).toEqual([]);
    const nested = {
      StartAt: "P",
      States: {
        P: { Type: "Parallel", Branches: [{ StartAt: "P", States: { P: { Type: "Succeed" } } }], End: true },
      },
    };
    expect(validate(nested)).toEqual([{ code: "DUPLICATE_STATE_NAME", pointer: "/States/P/Branches/0/States/P", message: "Duplicate State name: P" }]);
  });

  it("escapes state names in pointers", () => {
    const problems = validate({ StartAt: "a/b", States: { "a/b": { Type: "Pass", Next: "x~y" } } });
    expect(codesAndPointers(problems)).toEqual([
      ["MISSING_TRANSITION_TARGET", "/States/a~1b/Next"],
      ["MISSING_END_STATE", ""],
    ]);
  });

  it("treats __proto__ and constructor as plain state names and keys", () => {
    const definition = JSON.parse(
      '{"StartAt":"__proto__","States":{"__proto__":{"Type":"Pass","Result":{"__proto__":{"x":1}},"Next":"constructor"},"constructor":{"Type":"Succeed"}}}',
    );
    expect(validate(definition)).toEqual([]);
    expect(({} as Record<string, unknown>)["x"]).toBeUndefined();
  });
});

describe("validate: transitions", () => {
  it("reports a StartAt, Next, Default or Catch Next that names no state", () => {
    const problems = validate({
      StartAt: "Missing",
      States: {
        C: { Type: "Choice", Choices: [{ Variable: "$.a", IsPresent: true, Next: "Nope1" }], Default: "Nope2" },
        T: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Catch: [{ ErrorEquals: ["States.ALL"], Next: "Nope3" }], End: true },
      },
    });
    expect(problems.filter((p) => p.message.startsWith("Missing"))).toEqual([
      { code: "MISSING_TRANSITION_TARGET", pointer: "/StartAt", message: "Missing 'Next' target: Missing" },
      { code: "MISSING_TRANSITION_TARGET", pointer: "/States/C/Default", message: "Missing 'Next' target: Nope2" },
      { code: "MISSING_TRANSITION_TARGET", pointer: "/States/C/Choices/0/Next", message: "Missing 'Next' target: Nope1" },
      { code: "MISSING_TRANSITION_TARGET", pointer: "/States/T/Catch/0/Next", message: "Missing 'Next' target: Nope3" },
    ]);
  });

  it("reports unreachable states, counting Choice and Catch edges as reachable paths", () => {
    expect(
      validate({
        StartAt: "C",
        States: {
          C: { Type: "Choice", Choices: [{ Variable: "$.a", IsPresent: true, Next: "T" }], Default: "Done" },
          T: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Catch: [{ ErrorEquals: ["States.ALL"], Next: "Recover" }], Next: "Done" },
          Recover: { Type: "Pass", Next: "Done" },
          Done: { Type: "Succeed" },
          Island: { Type: "Pass", Next: "Done" },
        },
      }),
    ).toEqual([{ code: "MISSING_TRANSITION_TARGET", pointer: "/States/Island", message: 'State "Island" is not reachable.' }]);
  });

  it("keeps transitions inside their scope: no jumps into or out of a branch", () => {
    const problems = validate({
      StartAt: "P",
      States: {
        P: { Type: "Parallel", Branches: [{ StartAt: "In", States: { In: { Type: "Pass", Next: "Out" } } }], Next: "In" },
        Out: { Type: "Succeed" },
      },
    });
    expect(problems).toEqual([
      { code: "MISSING_TRANSITION_TARGET", pointer: "/States/P/Branches/0/States/In/Next", message: "Missing 'Next' target: Out" },
      { code: "MISSING_END_STATE", pointer: "/States/P/Branches/0", message: "Workflow has no terminal state" },
      { code: "MISSING_TRANSITION_TARGET", pointer: "/States/P/Next", message: "Missing 'Next' target: In" },
      { code: "MISSING_TRANSITION_TARGET", pointer: "/States/Out", message: 'State "Out" is not reachable.' },
    ]);
  });

  it("requires a terminal state in every scope", () => {
    expect(validate({ StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", Next: "A" } } })).toEqual([
      { code: "MISSING_END_STATE", pointer: "", message: "Workflow has no terminal state" },
    ]);
  });
});

describe("validate: Retry and Catch", () => {
  const task = (extra: Record<string, unknown>) => single({ Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true, ...extra });

  it("applies ranges to retrier fields", () => {
    expect(
      validate(task({ Retry: [{ ErrorEquals: [], IntervalSeconds: 0, MaxAttempts: -1, BackoffRate: 0.5, MaxDelaySeconds: 31622401, JitterStrategy: "SOME" }] })),
    ).toEqual([
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S/Retry/0/ErrorEquals", message: "'ErrorEquals' must not be empty" },
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S/Retry/0/IntervalSeconds", message: "'IntervalSeconds' must be at least 1" },
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S/Retry/0/MaxAttempts", message: "'MaxAttempts' must be at least 0" },
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S/Retry/0/BackoffRate", message: "'BackoffRate' must be at least 1" },
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S/Retry/0/MaxDelaySeconds", message: "'MaxDelaySeconds' must be at most 31622400" },
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S/Retry/0/JitterStrategy", message: "'JitterStrategy' must be one of: FULL, NONE" },
    ]);
  });

  it("requires States.ALL to stand alone, in the last entry", () => {
    expect(
      validate(task({ Retry: [{ ErrorEquals: ["States.ALL", "X"] }, { ErrorEquals: ["Y"] }], Catch: [{ ErrorEquals: ["States.ALL"], Next: "S" }] })),
    ).toEqual([
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S/Retry/0/ErrorEquals", message: "'States.ALL' must appear alone in 'ErrorEquals'" },
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S/Retry/0", message: "The Retry entry with 'States.ALL' must be the last one" },
    ]);
  });

  it("requires ErrorEquals and Next in a catcher, and no unknown fields", () => {
    expect(validate(task({ Catch: [{ ResultPath: "$.e", Output: 1 }] }))).toEqual([
      {
        code: "SCHEMA_VALIDATION_FAILED",
        pointer: "/States/S/Catch/0",
        message: "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage",
      },
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S/Catch/0", message: "These fields are required: [ErrorEquals, Next]" },
    ]);
  });

  it("allows Retry and Catch only on Task, Parallel and Map", () => {
    expect(validate(single({ Type: "Wait", Seconds: 1, Retry: [], End: true }))).toEqual([
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S", message: "Field 'Retry' is not supported" },
    ]);
  });
});

describe("validate: Task", () => {
  const task = (extra: Record<string, unknown>) => single({ Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true, ...extra });

  it("requires a Resource that Step Functions recognizes", () => {
    expect(validate(single({ Type: "Task", End: true }))).toEqual([
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S", message: "These fields are required: [Resource]" },
    ]);
    expect(validate(task({ Resource: "arn:aws:states:::dynamodb:query" }))).toEqual([
      {
        code: "SCHEMA_VALIDATION_FAILED",
        pointer: "/States/S/Resource",
        message:
          "The resource provided arn:aws:states:::dynamodb:query is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.",
      },
    ]);
    expect(validate(task({ Resource: "my-handler" }))).toEqual([
      { code: "INVALID_RESOURCE", pointer: "/States/S/Resource", message: "The resource provided my-handler is not a valid ARN." },
    ]);
  });

  it.each([
    "arn:aws:lambda:us-east-1:123456789012:function:my-fn",
    "arn:aws:lambda:us-east-1:123456789012:function:my-fn:live",
    "arn:aws:states:us-east-1:123456789012:activity:review",
    "arn:aws:states:::lambda:invoke.waitForTaskToken",
    "arn:aws:states:::states:startExecution.sync:2",
    "arn:aws:states:::ecs:runTask.sync",
    "arn:aws:states:::aws-sdk:s3:getObject",
    "arn:aws:states:::aws-sdk:dynamodb:query",
    "arn:aws:states:::aws-sdk:sfn:sendTaskSuccess.waitForTaskToken",
    "arn:aws:states:::http:invoke",
    "arn:aws-cn:states:::sqs:sendMessage",
  ])("accepts the resource %s", (resource) => {
    expect(validate(task({ Resource: resource }))).toEqual([]);
  });

  it.each([
    "arn:aws:states:::lambda:invoke.sync",
    "arn:aws:states:::dynamodb:putItem.waitForTaskToken",
    "arn:aws:states:::aws-sdk:s3:getObject.sync",
    "arn:aws:states:::batch:submitJob.sync:2",
    "arn:aws:states:::nosuchservice:doIt",
    "arn:aws:sns:us-east-1:123456789012:topic",
  ])("rejects the resource %s", (resource) => {
    expect(codesAndPointers(validate(task({ Resource: resource })))).toEqual([["SCHEMA_VALIDATION_FAILED", "/States/S/Resource"]]);
  });

  it("allows at most one of TimeoutSeconds and TimeoutSecondsPath, and a heartbeat below the timeout", () => {
    expect(validate(task({ TimeoutSeconds: 10, TimeoutSecondsPath: "$.t" }))).toEqual([
      {
        code: "SCHEMA_VALIDATION_FAILED",
        pointer: "/States/S",
        message: "Only one of 'TimeoutSeconds', 'TimeoutSecondsPath' may be given, not 'TimeoutSeconds', 'TimeoutSecondsPath' together",
      },
    ]);
    expect(validate(task({ TimeoutSeconds: 10, HeartbeatSeconds: 10 }))).toEqual([
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S/HeartbeatSeconds", message: "HeartbeatSeconds must be smaller than TimeoutSeconds" },
    ]);
    expect(validate(task({ TimeoutSeconds: 0 }))).toEqual([
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S/TimeoutSeconds", message: "'TimeoutSeconds' must be at least 1" },
    ]);
    expect(validate(task({ TimeoutSeconds: 10, HeartbeatSeconds: 9 }))).toEqual([]);
  });

  it("accepts JSONata expressions for the timeouts of JSONata tasks only", () => {
    expect(validate(task({ QueryLanguage: "JSONata", TimeoutSeconds: "{% 5 %}", HeartbeatSeconds: "{% 2 %}" }))).toEqual([]);
    expect(validate(task({ TimeoutSeconds: "{% 5 %}" }))).toEqual([
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S/TimeoutSeconds", message: "'TimeoutSeconds' must be an integer" },
    ]);
    expect(validate(task({ QueryLanguage: "JSONata", TimeoutSeconds: "5" }))).toEqual([
      {
        code: "SCHEMA_VALIDATION_FAILED",
        pointer: "/States/S/TimeoutSeconds",
        message: "'TimeoutSeconds' must be a positive integer or a JSONata expression",
      },
    ]);
  });
});

describe("validate: Wait", () => {
  it("requires exactly one of Seconds, SecondsPath, Timestamp, TimestampPath", () => {
    expect(validate(single({ Type: "Wait", End: true }))).toEqual([
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S", message: "Exactly one of 'Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath' is required" },
    ]);
    expect(codesAndPointers(validate(single({ Type: "Wait", Seconds: 1, SecondsPath: "$.s", End: true })))).toEqual([
      ["SCHEMA_VALIDATION_FAILED", "/States/S"],
    ]);
  });

  it.each(["2016-12-05 21:29:29Z", "2016-12-05T21:29:29", "2016-13-05T21:29:29Z", "2016-12-05T25:29:29Z", "05-12-2016T21:29:29Z", "2016-02-30T00:00:00Z", "2016-03-14t01:59:00z", "{% '2016-03-14T01:59:00Z' %}"])(
    "rejects the timestamp %s as AWS does",
    (timestamp) => {
      expect(validate(single({ Type: "Wait", Timestamp: timestamp, End: true }))).toEqual([
        { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S/Timestamp", message: "String does not match RFC3339 timestamp" },
      ]);
    },
  );

  it.each(["2016-03-14T01:59:00Z", "2016-03-14T01:59:00.123456Z", "2016-03-14T01:59:00+05:30", "2016-02-29T00:00:00-01:00"])("accepts the timestamp %s", (timestamp) => {
    expect(validate(single({ Type: "Wait", Timestamp: timestamp, End: true }))).toEqual([]);
  });

  it("takes a JSONata expression for Seconds and Timestamp in JSONata states", () => {
    expect(validate(single({ Type: "Wait", Seconds: "{% $states.input.s %}", End: true }, { QueryLanguage: "JSONata" }))).toEqual([]);
    expect(validate(single({ Type: "Wait", Seconds: -1, End: true }))).toEqual([
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S/Seconds", message: "'Seconds' must be at least 0" },
    ]);
  });
});

describe("validate: Fail", () => {
  it("allows Error or ErrorPath, Cause or CausePath", () => {
    expect(validate(single({ Type: "Fail", ErrorPath: "$.e", CausePath: "States.Format('{}', $.c)" }))).toEqual([]);
    expect(codesAndPointers(validate(single({ Type: "Fail", Error: "E", ErrorPath: "$.e" })))).toEqual([["SCHEMA_VALIDATION_FAILED", "/States/S"]]);
    expect(codesAndPointers(validate(single({ Type: "Fail", ErrorPath: "not a path" })))).toEqual([["SCHEMA_VALIDATION_FAILED", "/States/S/ErrorPath"]]);
  });
});

describe("validate: Parallel and Map", () => {
  it("requires at least one branch, each a complete sub-machine", () => {
    expect(validate(single({ Type: "Parallel", Branches: [], End: true }))).toEqual([
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S/Branches", message: "'Branches' must not be empty" },
    ]);
    expect(validate(single({ Type: "Parallel", Branches: [{ States: { X: { Type: "Succeed" } }, Extra: 1 }], End: true }))).toEqual([
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S/Branches/0", message: "Field 'Extra' is not supported" },
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S/Branches/0", message: "These fields are required: [StartAt]" },
    ]);
  });

  it("requires exactly one of ItemProcessor and Iterator", () => {
    expect(validate(single({ Type: "Map", End: true }))).toEqual([
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S", message: "Exactly one of 'ItemProcessor', 'Iterator' is required" },
    ]);
    const processor = { StartAt: "I", States: { I: { Type: "Succeed" } } };
    expect(validate(single({ Type: "Map", Iterator: processor, End: true }))).toEqual([]);
    expect(validate(single({ Type: "Map", ItemProcessor: processor, Parameters: { "x.$": "$$.Map.Item.Value" }, End: true }))).toEqual([]);
  });

  it("keeps distributed-only fields off inline maps and requires ExecutionType in distributed mode", () => {
    const processor = (config: Record<string, unknown>) => ({ ProcessorConfig: config, StartAt: "I", States: { I: { Type: "Succeed" } } });
    expect(
      validate(single({ Type: "Map", ItemProcessor: processor({ Mode: "INLINE" }), ItemBatcher: { MaxItemsPerBatch: 2 }, End: true })),
    ).toEqual([
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S/ItemBatcher", message: "Field 'ItemBatcher' is only supported for Map states in DISTRIBUTED mode" },
    ]);
    // AWS runs inline Maps with tolerated-failure fields (they have no effect there).
    expect(validate(single({ Type: "Map", ItemProcessor: processor({ Mode: "INLINE" }), ToleratedFailureCount: 1, End: true }))).toEqual([]);
    expect(validate(single({ Type: "Map", ItemProcessor: processor({ Mode: "DISTRIBUTED" }), End: true }))).toEqual([
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S/ItemProcessor/ProcessorConfig", message: "These fields are required: [ExecutionType]" },
    ]);
    expect(
      validate(single({ Type: "Map", ItemProcessor: processor({ Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }), ToleratedFailurePercentage: 101, End: true })),
    ).toEqual([
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S/ToleratedFailurePercentage", message: "'ToleratedFailurePercentage' must be at most 100" },
    ]);
  });

  it("checks Labels, ItemBatcher and ResultWriter of distributed maps", () => {
    const processor = { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" }, StartAt: "I", States: { I: { Type: "Succeed" } } };
    const map = (extra: Record<string, unknown>) => ({ Type: "Map", ItemProcessor: processor, End: true, ...extra });
    expect(validate(single(map({ Label: "has space", ItemBatcher: {}, ResultWriter: { Resource: "arn:aws:states:::s3:getObject" } })))).toEqual([
      {
        code: "SCHEMA_VALIDATION_FAILED",
        pointer: "/States/S/Label",
        message: 'A Map Label must be 1 to 40 characters long without white space, wildcards, brackets, or the characters : ; , \\ ^ ~ $ # % & " | `',
      },
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S/ItemBatcher", message: "ItemBatcher needs 'MaxItemsPerBatch' or 'MaxInputBytesPerBatch' (or their Path forms)" },
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S/ResultWriter/Resource", message: "The ResultWriter resource must be arn:aws:states:::s3:putObject, not arn:aws:states:::s3:getObject" },
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S/ResultWriter", message: "ResultWriter needs 'WriterConfig', or 'Resource' with 'Parameters'" },
    ]);
  });

  it("rejects a repeated Map Label", () => {
    const processor = { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" }, StartAt: "I", States: { I: { Type: "Succeed" } } };
    const processor2 = { ...processor, States: { J: { Type: "Succeed" } }, StartAt: "J" };
    expect(
      validate({
        StartAt: "A",
        States: {
          A: { Type: "Map", Label: "L", ItemProcessor: processor, Next: "B" },
          B: { Type: "Map", Label: "L", ItemProcessor: processor2, End: true },
        },
      }),
    ).toEqual([{ code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/B/Label", message: "Duplicate Map Label: L" }]);
  });
});

describe("validate: Choice", () => {
  const choice = (rules: unknown[], extra: Record<string, unknown> = {}) => ({
    StartAt: "C",
    States: { C: { Type: "Choice", Choices: rules, ...extra }, D: { Type: "Succeed" } },
  });

  it("accepts every comparison operator with its value type", () => {
    const rules = [
      { Variable: "$.s", StringEquals: "a", Next: "D" },
      { Variable: "$.s", StringLessThanEqualsPath: "$.t", Next: "D" },
      { Variable: "$.n", NumericGreaterThan: 1.5, Next: "D" },
      { Variable: "$.b", BooleanEquals: false, Next: "D" },
      { Variable: "$.b", BooleanEqualsPath: "$$.Execution.Input.b", Next: "D" },
      { Variable: "$.t", TimestampLessThan: "2020-01-01T00:00:00Z", Next: "D" },
      { Variable: "$.s", StringMatches: "log-*.txt", Next: "D" },
      { Variable: "$myVar", IsNull: false, Next: "D" },
      { Or: [{ Variable: "$.a", IsPresent: true }, { Not: { Variable: "$.a", IsString: true } }], Next: "D" },
    ];
    expect(validate(choice(rules))).toEqual([]);
  });

  it("reports a rule without a comparison, with two comparisons, or a nested Next", () => {
    const problems = validate(
      choice([
        { Variable: "$.a", Next: "D" },
        { Variable: "$.a", StringEquals: "x", NumericEquals: 1, Next: "D" },
        { Not: { Variable: "$.a", IsNull: true, Next: "D" }, Next: "D" },
        { StringEquals: "x", Next: "D" },
        { And: [], Next: "D" },
      ]),
    );
    expect(problems).toEqual([
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/C/Choices/2/Not", message: "Field 'Next' is not supported" },
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/C/Choices/4/And", message: "'And' must not be empty" },
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/C/Choices/0", message: "A Choice rule with a 'Variable' needs exactly one comparison operator" },
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/C/Choices/1", message: "A Choice rule may have only one comparison operator, not 'StringEquals', 'NumericEquals'" },
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/C/Choices/3", message: "The comparison 'StringEquals' needs a 'Variable'" },
    ]);
  });

  it("checks operand types and StringMatches escapes", () => {
    expect(validate(choice([{ Variable: "$.a", NumericEquals: "1", Next: "D" }]))).toEqual([
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/C/Choices/0/NumericEquals", message: "'NumericEquals' must be a number" },
    ]);
    expect(validate(choice([{ Variable: "$.a", StringMatches: "a\\b", Next: "D" }]))).toEqual([
      {
        code: "SCHEMA_VALIDATION_FAILED",
        pointer: "/States/C/Choices/0/StringMatches",
        message: "The StringMatches pattern 'a\\b' has a backslash that escapes neither '*' nor '\\'",
      },
    ]);
    expect(validate(choice([{ Variable: "$.a", StringMatches: "a\\*b\\\\*", Next: "D" }]))).toEqual([]);
  });

  it("keeps JSONPath rule fields out of JSONata rules and back", () => {
    expect(validate(choice([{ Variable: "$.a", IsNull: true, Next: "D" }], { QueryLanguage: "JSONata" }))).toEqual([
      {
        code: "SCHEMA_VALIDATION_FAILED",
        pointer: "/States/C/Choices/0",
        message: "The QueryLanguage is set to 'JSONata', but field 'Variable' is only supported for the 'JSONPath' QueryLanguage",
      },
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/C/Choices/0", message: "Field 'IsNull' is not supported" },
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/C/Choices/0", message: "These fields are required: [Condition]" },
    ]);
    expect(validate(choice([{ Condition: true, Next: "D" }]))).toEqual([
      {
        code: "SCHEMA_VALIDATION_FAILED",
        pointer: "/States/C/Choices/0",
        message: "The QueryLanguage is set to 'JSONPath', but field 'Condition' is only supported for the 'JSONata' QueryLanguage",
      },
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/C/Choices/0", message: "A Choice rule must have one of 'And', 'Or', 'Not' or a 'Variable' with a comparison operator" },
    ]);
  });
});

describe("validate: paths, templates and variables", () => {
  it("reports each bad path and template value with its pointer", () => {
    const problems = validate(
      single({ Type: "Pass", InputPath: "$.a[", Parameters: { b: { "c.$": "no path" } }, ResultPath: "$.items[*]", OutputPath: 5, End: true }),
    );
    expect(codesAndPointers(problems)).toEqual([
      ["SCHEMA_VALIDATION_FAILED", "/States/S/OutputPath"],
      ["SCHEMA_VALIDATION_FAILED", "/States/S/InputPath"],
      ["SCHEMA_VALIDATION_FAILED", "/States/S/Parameters/b/c.$"],
      ["SCHEMA_VALIDATION_FAILED", "/States/S/ResultPath"],
    ]);
    expect(problems[2]?.message).toMatch(/^The value for the field 'c\.\$' must be a valid JSONPath or a valid intrinsic function call/);
  });

  it("keeps ResultPath off the context object and variables", () => {
    expect(validate(single({ Type: "Pass", ResultPath: "$$.Execution", End: true }))).toEqual([
      {
        code: "SCHEMA_VALIDATION_FAILED",
        pointer: "/States/S/ResultPath",
        message: "The value for the field 'ResultPath' must start with '$', not refer to the context object or a variable",
      },
    ]);
  });

  it("rejects a key given both plainly and with .$", () => {
    expect(validate(single({ Type: "Pass", Parameters: { a: 1, "a.$": "$.a" }, End: true }))).toEqual([
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S/Parameters/a.$", message: "The field 'a' is given twice, as 'a' and as 'a.$'" },
    ]);
  });

  it("checks variable names in Assign", () => {
    expect(validate(single({ Type: "Pass", Assign: { states: 1, "two words": 2, ok_1: 3, "été.$": "$.x" }, End: true }))).toEqual([
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S/Assign/states", message: "The variable name 'states' is reserved" },
      {
        code: "SCHEMA_VALIDATION_FAILED",
        pointer: "/States/S/Assign/two words",
        message: "The variable name 'two words' is not valid: it must be an identifier (a letter or '_', then letters, digits or '_')",
      },
    ]);
  });

  it("treats {% %} strings in JSONPath states as literals", () => {
    expect(validate(single({ Type: "Pass", Parameters: { a: "{% broken (" }, Result: "{% 1 + %}", End: true }))).toEqual([]);
  });
});

describe("validate: scopes", () => {
  it("requires at least one state in every States object", () => {
    expect(validate({ StartAt: "Nowhere", States: {} })).toEqual([
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States", message: "'States' must not be empty" },
      { code: "MISSING_TRANSITION_TARGET", pointer: "/StartAt", message: "Missing 'Next' target: Nowhere" },
    ]);
    expect(validate(single({ Type: "Parallel", Branches: [{ StartAt: "X", States: {} }], End: true }))).toEqual([
      { code: "SCHEMA_VALIDATION_FAILED", pointer: "/States/S/Branches/0/States", message: "'States' must not be empty" },
      { code: "MISSING_TRANSITION_TARGET", pointer: "/States/S/Branches/0/StartAt", message: "Missing 'Next' target: X" },
    ]);
  });
});

describe("validate: variable scopes", () => {
  const branch = (assign: Record<string, unknown>, name = "In") => ({ StartAt: name, States: { [name]: { Type: "Pass", Assign: assign, End: true } } });

  it("rejects an inner scope that assigns a variable an outer scope assigns, wherever the outer one does", () => {
    const definition = {
      StartAt: "P",
      States: {
        P: { Type: "Parallel", Branches: [branch({ total: 1, own: 2 })], Next: "After" },
        After: { Type: "Pass", Assign: { total: 0 }, End: true },
      },
    };
    expect(validate(definition)).toEqual([
      {
        code: "SCHEMA_VALIDATION_FAILED",
        pointer: "/States/P/Branches/0/States/In/Assign",
        message: "The variable 'total' is assigned in an outer scope, so it can not be assigned inside a Parallel branch or Map iteration",
      },
    ]);
  });

  it("lets sibling scopes reuse a name, and the Map's own Assign and Catch belong to the outer scope", () => {
    const definition = {
      StartAt: "P",
      States: {
        P: { Type: "Parallel", Branches: [branch({ x: 1 }, "A"), branch({ x: 2 }, "B")], Assign: { y: 1 }, Next: "M" },
        M: {
          Type: "Map",
          ItemProcessor: branch({ "z.$": "$" }, "C"),
          Assign: { y: 2 },
          Catch: [{ ErrorEquals: ["States.ALL"], Assign: { y: 3 }, Next: "Done" }],
          Next: "Done",
        },
        Done: { Type: "Succeed" },
      },
    };
    expect(validate(definition)).toEqual([]);
  });

  it("checks JSONata assignments and nested scopes two levels down", () => {
    const definition = {
      QueryLanguage: "JSONata",
      StartAt: "Init",
      States: {
        Init: { Type: "Pass", Assign: { counter: 0 }, Next: "Outer" },
        Outer: {
          Type: "Map",
          Items: [1],
          ItemProcessor: {
            StartAt: "Inner",
            States: { Inner: { Type: "Parallel", Branches: [branch({ counter: "{% 1 %}" })], End: true } },
          },
          End: true,
        },
      },
    };
    expect(validate(definition).map((p) => p.pointer)).toEqual(["/States/Outer/ItemProcessor/States/Inner/Branches/0/States/In/Assign"]);
  });
});
