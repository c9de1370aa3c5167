/**
 * The structure of ASL objects as JSON Schemas, one per kind of object (the machine, a branch, an
 * item processor, each state type in each query language), generated from field tables and
 * compiled by ajv once per process, on first use. Meaning beyond structure (transitions, paths,
 * expressions) is checked in compile.ts and graph.ts.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { isTimestamp } from "../data/timestamp.js";
import type { Problem } from "./problems.js";
import type { QueryLanguage, StateType } from "./model.js";

type Schema = Record<string, unknown>;
type Languages = readonly QueryLanguage[];

const BOTH: Languages = ["JSONPath", "JSONata"];
const JSONPATH: Languages = ["JSONPath"];
const JSONATA: Languages = ["JSONata"];

/** The largest number AWS accepts in most second and count fields. */
const MAX_SECONDS = 99_999_999;

const jsonataText: Schema = { type: "string", pattern: "^\\{%[\\s\\S]*%\\}$" };
const string: Schema = { type: "string" };
const boolean: Schema = { type: "boolean" };
const object: Schema = { type: "object" };
const states: Schema = { type: "object", minProperties: 1 };
const anything: Schema = {};
const pathOrNull: Schema = { type: ["string", "null"] };
const integer = (minimum: number, maximum = MAX_SECONDS): Schema => ({ type: "integer", minimum, maximum });
const stringArray: Schema = { type: "array", items: string };

/** In JSONata states a field may also hold a `{% %}` expression. */
const orExpression = (schema: Schema, what: string): Schema => ({
  anyOf: [schema, jsonataText],
  description: `must be ${what} or a JSONata expression`,
});

/** A field's value schema in each language it is allowed in. */
interface Field {
  readonly languages: Languages;
  readonly schema: (language: QueryLanguage) => Schema;
}
const field = (languages: Languages, schema: Schema | ((language: QueryLanguage) => Schema)): Field => ({
  languages,
  schema: typeof schema === "function" ? schema : () => schema,
});
const expressionIn = (schema: Schema, what: string) => (language: QueryLanguage) =>
  language === "JSONata" ? orExpression(schema, what) : schema;

const retrier: Schema = {
  type: "object",
  required: ["ErrorEquals"],
  properties: {
    ErrorEquals: { type: "array", minItems: 1, items: string },
    IntervalSeconds: integer(1),
    MaxAttempts: integer(0),
    BackoffRate: { type: "number", minimum: 1 },
    MaxDelaySeconds: integer(1, 31_622_400),
    JitterStrategy: { enum: ["FULL", "NONE"] },
    Comment: string,
  },
  additionalProperties: false,
};

const catcherFields: Record<string, Field> = {
  ErrorEquals: field(BOTH, { type: "array", minItems: 1, items: string }),
  Next: field(BOTH, string),
  Comment: field(BOTH, string),
  ResultPath: field(JSONPATH, pathOrNull),
  Output: field(JSONATA, anything),
  Assign: field(BOTH, object),
};

const COMPARATORS: Record<string, Schema> = {};
for (const relation of ["Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals"]) {
  COMPARATORS[`String${relation}`] = string;
  COMPARATORS[`Numeric${relation}`] = { type: "number" };
  COMPARATORS[`Timestamp${relation}`] = { type: "string", format: "rfc3339" };
  for (const family of ["String", "Numeric", "Timestamp"]) COMPARATORS[`${family}${relation}Path`] = string;
}
COMPARATORS["BooleanEquals"] = boolean;
COMPARATORS["BooleanEqualsPath"] = string;
COMPARATORS["StringMatches"] = string;
for (const test of ["IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"]) COMPARATORS[test] = boolean;

/** Nested Choice rules refer to themselves; ajv holds this schema under this name. */
const NESTED_RULE = "stepfold:choice-rule";
const nestedChoiceRule: Schema = {
  type: "object",
  properties: {
    Variable: string,
    And: { type: "array", minItems: 1, items: { $ref: NESTED_RULE } },
    Or: { type: "array", minItems: 1, items: { $ref: NESTED_RULE } },
    Not: { $ref: NESTED_RULE },
    Comment: string,
    ...COMPARATORS,
  },
  additionalProperties: false,
};

const choiceRuleFields = (language: QueryLanguage): Schema => {
  if (language === "JSONata") {
    return objectSchema(
      {
        Condition: field(JSONATA, { anyOf: [boolean, jsonataText], description: "must be a boolean or a JSONata expression" }),
        Next: field(BOTH, string),
        Assign: field(BOTH, object),
        Output: field(JSONATA, anything),
        Comment: field(BOTH, string),
        Variable: field(JSONPATH, string),
        And: field(JSONPATH, anything),
        Or: field(JSONPATH, anything),
        Not: field(JSONPATH, anything),
      },
      language,
      ["Condition", "Next"],
    );
  }
  return objectSchema(
    {
      ...(nestedChoiceRule["properties"] as Record<string, Schema>),
      Next: field(BOTH, string),
      Assign: field(BOTH, object),
      Condition: field(JSONATA, anything),
      Output: field(JSONATA, anything),
    },
    language,
    ["Next"],
  );
};

const flowFields: Record<string, Field> = {
  Next: field(BOTH, string),
  End: field(BOTH, boolean),
};
const commonFields: Record<string, Field> = {
  Type: field(BOTH, string),
  Comment: field(BOTH, string),
  QueryLanguage: field(BOTH, { enum: ["JSONPath", "JSONata"] }),
};
const pathIoFields: Record<string, Field> = {
  InputPath: field(JSONPATH, pathOrNull),
  OutputPath: field(JSONPATH, pathOrNull),
};
const outputField: Record<string, Field> = { Output: field(JSONATA, anything) };
const assignField: Record<string, Field> = { Assign: field(BOTH, object) };
const resultFields: Record<string, Field> = {
  Parameters: field(JSONPATH, object),
  ResultSelector: field(JSONPATH, object),
  ResultPath: field(JSONPATH, pathOrNull),
};
const errorHandlingFields = (): Record<string, Field> => ({
  Retry: field(BOTH, { type: "array", items: retrier }),
  Catch: field(BOTH, (language) => ({ type: "array", items: objectSchema(catcherFields, language, ["ErrorEquals", "Next"]) })),
});
const argumentsField: Record<string, Field> = {
  Arguments: field(JSONATA, { anyOf: [object, jsonataText], description: "must be an object or a JSONata expression" }),
};

const itemReaderFields: Record<string, Field> = {
  Resource: field(BOTH, string),
  Parameters: field(JSONPATH, object),
  Arguments: field(JSONATA, { anyOf: [object, jsonataText], description: "must be an object or a JSONata expression" }),
  ReaderConfig: field(BOTH, (language) =>
    objectSchema(
      {
        InputType: field(BOTH, { enum: ["CSV", "JSON", "JSONL", "PARQUET", "MANIFEST"] }),
        CSVHeaderLocation: field(BOTH, { enum: ["FIRST_ROW", "GIVEN"] }),
        CSVHeaders: field(BOTH, stringArray),
        CSVDelimiter: field(BOTH, { enum: ["COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB"] }),
        MaxItems: field(BOTH, expressionIn(integer(0, 100_000_000), "an integer from 0 to 100000000")),
        MaxItemsPath: field(JSONPATH, string),
        ItemsPointer: field(BOTH, string),
        Transformation: field(BOTH, { enum: ["NONE", "LOAD_AND_FLATTEN"] }),
        ManifestType: field(BOTH, { enum: ["ATHENA_DATA", "S3_INVENTORY"] }),
      },
      language,
      [],
      [["MaxItems", "MaxItemsPath"]],
    ),
  ),
};

const itemBatcherFields: Record<string, Field> = {
  MaxItemsPerBatch: field(BOTH, expressionIn(integer(1), "a positive integer")),
  MaxItemsPerBatchPath: field(JSONPATH, string),
  MaxInputBytesPerBatch: field(BOTH, expressionIn(integer(1, 262_144), "an integer from 1 to 262144")),
  MaxInputBytesPerBatchPath: field(JSONPATH, string),
  BatchInput: field(BOTH, (language) =>
    language === "JSONata" ? { anyOf: [object, jsonataText], description: "must be an object or a JSONata expression" } : object,
  ),
};

const resultWriterFields: Record<string, Field> = {
  Resource: field(BOTH, string),
  Parameters: field(JSONPATH, object),
  Arguments: field(JSONATA, { anyOf: [object, jsonataText], description: "must be an object or a JSONata expression" }),
  WriterConfig: field(BOTH, (language) =>
    objectSchema(
      {
        Transformation: field(BOTH, { enum: ["NONE", "COMPACT", "FLATTEN"] }),
        OutputType: field(BOTH, { enum: ["JSON", "JSONL"] }),
      },
      language,
      [],
    ),
  ),
};

/** The fields of each state type; which are required; which may not appear together. */
interface StateShape {
  readonly fields: Record<string, Field>;
  readonly required: readonly string[];
  readonly exactlyOne?: readonly (readonly string[])[];
  readonly atMostOne?: readonly (readonly string[])[];
}

/** The fields Task and Parallel share: they take input, produce a result, and handle errors. */
const workerFields = (): Record<string, Field> => ({
  ...commonFields,
  ...flowFields,
  ...pathIoFields,
  ...resultFields,
  ...argumentsField,
  ...outputField,
  ...assignField,
  ...errorHandlingFields(),
});

const STATE_SHAPES: Record<StateType, StateShape> = {
  Pass: {
    fields: {
      ...commonFields,
      ...flowFields,
      ...pathIoFields,
      Parameters: field(JSONPATH, object),
      Result: field(JSONPATH, anything),
      ResultPath: field(JSONPATH, pathOrNull),
      ...outputField,
      ...assignField,
    },
    required: [],
  },
  Task: {
    fields: {
      ...workerFields(),
      Resource: field(BOTH, string),
      TimeoutSeconds: field(BOTH, expressionIn(integer(1), "a positive integer")),
      TimeoutSecondsPath: field(JSONPATH, string),
      HeartbeatSeconds: field(BOTH, expressionIn(integer(1), "a positive integer")),
      HeartbeatSecondsPath: field(JSONPATH, string),
      Credentials: field(BOTH, object),
    },
    required: ["Resource"],
    atMostOne: [
      ["TimeoutSeconds", "TimeoutSecondsPath"],
      ["HeartbeatSeconds", "HeartbeatSecondsPath"],
    ],
  },
  Choice: {
    fields: {
      ...commonFields,
      ...pathIoFields,
      ...outputField,
      ...assignField,
      Choices: field(BOTH, (language) => ({ type: "array", minItems: 1, items: choiceRuleFields(language) })),
      Default: field(BOTH, string),
    },
    required: ["Choices"],
  },
  Wait: {
    fields: {
      ...commonFields,
      ...flowFields,
      ...pathIoFields,
      ...outputField,
      ...assignField,
      Seconds: field(BOTH, expressionIn(integer(0), "an integer from 0 to 99999999")),
      SecondsPath: field(JSONPATH, string),
      Timestamp: field(BOTH, expressionIn({ type: "string", format: "rfc3339" }, "an RFC 3339 timestamp")),
      TimestampPath: field(JSONPATH, string),
    },
    required: [],
    exactlyOne: [["Seconds", "SecondsPath", "Timestamp", "TimestampPath"]],
  },
  Succeed: {
    fields: { ...commonFields, ...pathIoFields, ...outputField },
    required: [],
  },
  Fail: {
    fields: {
      ...commonFields,
      Error: field(BOTH, expressionIn(string, "a string")),
      ErrorPath: field(JSONPATH, string),
      Cause: field(BOTH, expressionIn(string, "a string")),
      CausePath: field(JSONPATH, string),
    },
    required: [],
    atMostOne: [
      ["Error", "ErrorPath"],
      ["Cause", "CausePath"],
    ],
  },
  Parallel: {
    fields: {
      ...workerFields(),
      Branches: field(BOTH, { type: "array", minItems: 1, items: object }),
    },
    required: ["Branches"],
  },
  Map: {
    fields: {
      ...commonFields,
      ...flowFields,
      ...pathIoFields,
      ...resultFields,
      ...outputField,
      ...assignField,
      ...errorHandlingFields(),
      ItemProcessor: field(BOTH, object),
      Iterator: field(BOTH, object),
      ItemsPath: field(JSONPATH, string),
      Items: field(JSONATA, { anyOf: [{ type: "array" }, jsonataText], description: "must be an array or a JSONata expression" }),
      ItemSelector: field(BOTH, (language) =>
        language === "JSONata" ? { anyOf: [object, jsonataText], description: "must be an object or a JSONata expression" } : object,
      ),
      MaxConcurrency: field(BOTH, expressionIn(integer(0), "a non-negative integer")),
      MaxConcurrencyPath: field(JSONPATH, string),
      ToleratedFailureCount: field(BOTH, expressionIn(integer(0), "a non-negative integer")),
      ToleratedFailureCountPath: field(JSONPATH, string),
      ToleratedFailurePercentage: field(BOTH, expressionIn({ type: "number", minimum: 0, maximum: 100 }, "a number from 0 to 100")),
      ToleratedFailurePercentagePath: field(JSONPATH, string),
      ItemReader: field(BOTH, (language) => objectSchema(itemReaderFields, language, ["Resource"])),
      ItemBatcher: field(BOTH, (language) => objectSchema(itemBatcherFields, language, [], [
        ["MaxItemsPerBatch", "MaxItemsPerBatchPath"],
        ["MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath"],
      ])),
      ResultWriter: field(BOTH, (language) => objectSchema(resultWriterFields, language, [])),
      Label: field(BOTH, string),
    },
    required: [],
    exactlyOne: [["ItemProcessor", "Iterator"]],
    atMostOne: [
      ["ItemSelector", "Parameters"],
      ["MaxConcurrency", "MaxConcurrencyPath"],
      ["ToleratedFailureCount", "ToleratedFailureCountPath"],
      ["ToleratedFailurePercentage", "ToleratedFailurePercentagePath"],
    ],
  },
};

/** The state types, in the order messages list them. */
export const STATE_TYPES = Object.keys(STATE_SHAPES) as readonly StateType[];

/**
 * An object schema from a field table: fields of the other language are left out of `properties`
 * and named in `languageOnly`, so their error says which language they belong to.
 */
function objectSchema(
  fields: Record<string, Field | Schema>,
  language: QueryLanguage,
  required: readonly string[],
  atMostOne: readonly (readonly string[])[] = [],
  exactlyOne: readonly (readonly string[])[] = [],
): Schema {
  const properties: Record<string, Schema> = {};
  const languageOnly: Record<string, QueryLanguage> = {};
  for (const [name, spec] of Object.entries(fields)) {
    if (!isField(spec)) properties[name] = spec;
    else if (spec.languages.includes(language)) properties[name] = spec.schema(language);
    else languageOnly[name] = spec.languages[0] ?? language;
  }
  return {
    type: "object",
    required,
    properties,
    additionalProperties: false,
    ...(Object.keys(languageOnly).length > 0 ? { languageOnly } : {}),
    ...(atMostOne.length > 0 ? { atMostOneOf: atMostOne } : {}),
    ...(exactlyOne.length > 0 ? { exactlyOneOf: exactlyOne } : {}),
  };
}

const isField = (spec: Field | Schema): spec is Field =>
  typeof (spec as Field).schema === "function" && Array.isArray((spec as Field).languages);

/** The kinds of object with a schema of their own. */
export type ObjectKind = "machine" | "branch" | "processor" | StateType;

function schemaFor(kind: ObjectKind, language: QueryLanguage): Schema {
  switch (kind) {
    case "machine":
      return objectSchema(
        {
          StartAt: string,
          States: states,
          Comment: string,
          Version: string,
          TimeoutSeconds: integer(1),
          QueryLanguage: { enum: ["JSONPath", "JSONata"] },
        },
        language,
        ["States", "StartAt"],
      );
    case "branch":
      return objectSchema({ StartAt: string, States: states, Comment: string }, language, ["States", "StartAt"]);
    case "processor":
      return objectSchema(
        {
          StartAt: string,
          States: states,
          Comment: string,
          ProcessorConfig: {
            type: "object",
            properties: {
              Mode: { enum: ["INLINE", "DISTRIBUTED"] },
              ExecutionType: { enum: ["STANDARD", "EXPRESS"] },
            },
            additionalProperties: false,
          },
        },
        language,
        ["States", "StartAt"],
      );
    default: {
      const shape = STATE_SHAPES[kind];
      return objectSchema(shape.fields, language, shape.required, shape.atMostOne, shape.exactlyOne);
    }
  }
}

const quoteList = (names: readonly string[]): string => names.map((n) => `'${n}'`).join(", ");

function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
  ajv.addFormat("rfc3339", { type: "string", validate: isTimestamp });
  ajv.addKeyword({ keyword: "languageOnly", schemaType: "object" });
  const groupKeyword = (keyword: "atMostOneOf" | "exactlyOneOf") =>
    ajv.addKeyword({
      keyword,
      type: "object",
      schemaType: "array",
      errors: true,
      validate: function check(groups: readonly (readonly string[])[], data: Record<string, unknown>): boolean {
        const errors: Partial<ErrorObject>[] = [];
        for (const group of groups) {
          const present = group.filter((name) => Object.hasOwn(data, name));
          if (present.length > 1) {
            errors.push({ keyword, params: { group, present }, message: `Only one of ${quoteList(group)} may be given, not ${quoteList(present)} together` });
          } else if (keyword === "exactlyOneOf" && present.length === 0) {
            errors.push({ keyword, params: { group, present }, message: `Exactly one of ${quoteList(group)} is required` });
          }
        }
        (check as { errors?: Partial<ErrorObject>[] }).errors = errors;
        return errors.length === 0;
      },
    });
  groupKeyword("atMostOneOf");
  groupKeyword("exactlyOneOf");
  ajv.addSchema(nestedChoiceRule, NESTED_RULE);
  return ajv;
}

let ajv: Ajv | undefined;
const validators: Record<QueryLanguage, Partial<Record<ObjectKind, ValidateFunction>>> = { JSONPath: {}, JSONata: {} };

/** The compiled validator for one kind of object in one language, compiled on first use. */
function validatorFor(kind: ObjectKind, language: QueryLanguage): ValidateFunction {
  const cache = validators[language];
  let validate = cache[kind];
  if (!validate) {
    ajv ??= createAjv();
    validate = ajv.compile(schemaFor(kind, language));
    cache[kind] = validate;
  }
  return validate;
}

/**
 * Checks one ASL object against its schema and returns a problem per error, with pointers
 * based at `pointer` and AWS-style messages.
 */
export function checkStructure(
  value: unknown,
  kind: ObjectKind,
  language: QueryLanguage,
  pointer: string,
): Problem[] {
  const validate = validatorFor(kind, language);
  if (validate(value)) return [];
  return describeErrors(validate.errors ?? [], language, pointer);
}

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  integer: "an integer",
  boolean: "a boolean",
  object: "an object",
  array: "an array",
  null: "null",
};

function describeErrors(errors: readonly ErrorObject[], language: QueryLanguage, base: string): Problem[] {
  // An anyOf reports its own failure after those of each alternative; keep only its own.
  const anyOfPaths = errors.filter((e) => e.keyword === "anyOf").map((e) => `${e.schemaPath}/`);
  const problems: Problem[] = [];
  const missing = new Map<string, string[]>();
  for (const error of errors) {
    if (anyOfPaths.some((prefix) => error.schemaPath.startsWith(prefix))) continue;
    const pointer = base + error.instancePath;
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
      case "required": {
        const list = missing.get(pointer) ?? [];
        list.push(String(params["missingProperty"]));
        missing.set(pointer, list);
        break;
      }
      case "additionalProperties": {
        const name = String(params["additionalProperty"]);
        const languageOnly = (error.parentSchema as Schema | undefined)?.["languageOnly"] as Record<string, string> | undefined;
        const other = languageOnly && Object.hasOwn(languageOnly, name) ? languageOnly[name] : undefined;
        problems.push({
          code: "SCHEMA_VALIDATION_FAILED",
          pointer,
          message: other
            ? `The QueryLanguage is set to '${language}', but field '${name}' is only supported for the '${other}' QueryLanguage`
            : `Field '${name}' is not supported`,
        });
        break;
      }
      default:
        problems.push({ code: "SCHEMA_VALIDATION_FAILED", pointer, message: describeError(error, pointer) });
    }
  }
  for (const [pointer, names] of missing) {
    problems.push({ code: "SCHEMA_VALIDATION_FAILED", pointer, message: `These fields are required: [${names.join(", ")}]` });
  }
  return problems;
}

function describeError(error: ErrorObject, pointer: string): string {
  const params = error.params as Record<string, unknown>;
  const last = pointer.slice(pointer.lastIndexOf("/") + 1).replace(/~1/g, "/").replace(/~0/g, "~");
  const subject = last === "" || /^\d+$/.test(last) ? "Value" : `'${last}'`;
  switch (error.keyword) {
    case "type": {
      const types = ([] as unknown[]).concat(params["type"]).map((t) => TYPE_NAMES[String(t)] ?? String(t));
      return `${subject} must be ${types.join(" or ")}`;
    }
    case "format":
      return "String does not match RFC3339 timestamp";
    case "minimum":
      return `${subject} must be at least ${String(params["limit"])}`;
    case "maximum":
      return `${subject} must be at most ${String(params["limit"])}`;
    case "minItems":
    case "minProperties":
      return `${subject} must not be empty`;
    case "enum":
      return `${subject} must be one of: ${(params["allowedValues"] as unknown[]).map(String).join(", ")}`;
    case "anyOf":
    case "pattern": {
      const description = (error.parentSchema as Schema | undefined)?.["description"];
      return typeof description === "string" ? `${subject} ${description}` : `${subject} is not valid`;
    }
    default:
      return error.message ?? `${subject} is not valid`;
  }
}
