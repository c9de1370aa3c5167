/**
 * The JSONPath data pipeline of a state: InputPath, payload templates (Parameters, ResultSelector,
 * ItemSelector, Assign...), ResultPath and OutputPath. Each step is a small pure function that the
 * decider composes; none keeps workflow state, none throws on bad data, and none mutates what it
 * is given: results share every sub-value they do not change.
 *
 * Failures carry AWS's error name and cause text, without the "An error occurred while executing
 * the state ..." prefix, which the decider adds because only it knows the state and event id.
 */
import { evaluateIntrinsic, type IntrinsicCall, type IntrinsicEnvironment } from "./intrinsics/index.js";
import { isJsonObject, MAX_DATA_DEPTH, setOwn } from "./json.js";
import { readPath, writePath, type CompiledPath, type PathRead } from "./path.js";
import { jsonByteLength, MAX_PAYLOAD_BYTES } from "./size.js";
import type { PayloadTemplate } from "./template.js";

/** Everything a JSONPath expression may read while a state runs. */
export interface DataDocuments {
  /** What `$` reads. */
  readonly input: unknown;
  /** What `$$` reads: the Context Object. */
  readonly context: unknown;
  /** What `$name` reads: the workflow variables in scope, as they were when the state was entered. */
  readonly variables: Readonly<Record<string, unknown>>;
}

/** A failure in AWS's terms: error name + cause text (without the "An error occurred while executing the state ..." prefix; the decider adds it). */
export type DataFailure = { readonly ok: false; readonly error: string; readonly cause: string };

/** A value, or the failure that prevented it. */
export type DataResult<T = unknown> = { readonly ok: true; readonly value: T } | DataFailure;

/**
 * The error of every path that selects nothing (InputPath, OutputPath, `.$` values, intrinsic
 * arguments): AWS reports them as `States.Runtime`, which no Retry or Catch handles.
 */
export const PATH_MISS_ERROR = "States.Runtime";

/**
 * The error when ResultPath cannot be applied to the raw input (e.g. the input is a string and
 * ResultPath is `$.x`). No AWS recording shows this case; the name is the SPEC's, kept here in one
 * place to be switched if a recording turns up.
 */
export const RESULT_PATH_FAILURE_ERROR = "States.ResultPathMatchFailure";

/**
 * The error when the values of an Assign break the variable size limits. AWS's exact name and
 * text for this are not recorded; `States.Runtime` matches the other data errors AWS raises
 * while it processes a state's data.
 */
export const VARIABLE_LIMIT_ERROR = "States.Runtime";

/** The largest value one variable may hold, as UTF-8 JSON text (256 KiB). */
export const MAX_VARIABLE_BYTES = MAX_PAYLOAD_BYTES;

/** The largest combined size of all values assigned by one Assign, as UTF-8 JSON text (256 KiB). */
export const MAX_ASSIGN_BYTES = MAX_PAYLOAD_BYTES;

const succeeded = <T>(value: T): DataResult<T> => ({ ok: true, value });
const failed = (error: string, cause: string): DataFailure => ({ ok: false, error, cause });

// ---------------------------------------------------------------------------------------------
// Reading paths
// ---------------------------------------------------------------------------------------------

/** Reads a path from the documents: `$` from the input, `$$` from the context, `$name` from the variables. */
export function readDataPath(path: CompiledPath, documents: DataDocuments): PathRead {
  // `$` alone is by far the most common path (every default InputPath/OutputPath/ResultPath).
  if (path.root === "input" && path.segments.length === 0) return { ok: true, value: documents.input };
  return readPath(path, documents);
}

/** AWS's cause for an InputPath/OutputPath (or other plain path field) that selects nothing. */
export function invalidPathCause(path: CompiledPath, message: string): string {
  return `Invalid path '${path.source}' : ${message}`;
}

/**
 * InputPath: the part of the raw state input (`documents.input`) the state works on. `null`
 * gives an empty object; a definite path that selects nothing fails with `States.Runtime`, e.g.
 * `Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']`.
 */
export function selectInput(inputPath: CompiledPath | null, documents: DataDocuments): DataResult {
  return selectPath(inputPath, documents);
}

/**
 * OutputPath: the part of `value` (the state's output after ResultPath) passed on. `$$` and
 * variables read `documents`; their `input` is not used. `null` gives an empty object; a miss fails
 * as for InputPath.
 */
export function selectOutput(outputPath: CompiledPath | null, value: unknown, documents: Omit<DataDocuments, "input">): DataResult {
  return selectPath(outputPath, new OutputDocuments(value, documents));
}

/** `value` as `$` over the other documents, whose context object is read only if a `$$` path asks. */
class OutputDocuments implements DataDocuments {
  constructor(
    readonly input: unknown,
    private readonly others: Omit<DataDocuments, "input">,
  ) {}
  get context(): unknown {
    return this.others.context;
  }
  get variables(): Readonly<Record<string, unknown>> {
    return this.others.variables;
  }
}

function selectPath(path: CompiledPath | null, documents: DataDocuments): DataResult {
  if (path === null) return succeeded({});
  const read = readDataPath(path, documents);
  return read.ok ? read : failed(PATH_MISS_ERROR, invalidPathCause(path, read.message));
}

// ---------------------------------------------------------------------------------------------
// Payload templates
// ---------------------------------------------------------------------------------------------

/**
 * Evaluates a payload template (Parameters, ResultSelector, ItemSelector, BatchInput,
 * Credentials, ...) against the documents: `.$` paths read `$`/`$$`/`$name`, intrinsic calls run
 * with `random` as their source of randomness, literal parts are used as they are. Objects are
 * built so that keys such as `__proto__` stay plain data; values read by paths are shared, not
 * copied. A path that selects nothing fails with `States.Runtime`, e.g.
 * `The JSONPath '$.x' specified for the field 'value.$' could not be found in the input '{"a":1}'`.
 */
export function evaluateTemplate(template: PayloadTemplate, documents: DataDocuments, random: () => number): DataResult {
  const environment = new TemplateEnvironment(documents, random);
  const outcome = evaluateNode(template, documents, environment);
  return outcome instanceof TemplateFailure ? failed(outcome.error, outcome.cause) : succeeded(outcome);
}

/** Marks a failed template node; a class so a failure can never be mistaken for data. */
class TemplateFailure {
  constructor(
    readonly error: string,
    readonly cause: string,
  ) {}
}

function evaluateNode(template: PayloadTemplate, documents: DataDocuments, environment: IntrinsicEnvironment): unknown {
  switch (template.kind) {
    case "literal":
      return template.value;
    case "path": {
      const read = readDataPath(template.path, documents);
      if (read.ok) return read.value;
      return new TemplateFailure(PATH_MISS_ERROR, templatePathCause(template.path, template.field, read.message, documents));
    }
    case "intrinsic": {
      const result = evaluateIntrinsic(template.call, environment);
      return result.ok ? result.value : new TemplateFailure(result.error, intrinsicCause(template.call, result.message));
    }
    case "array": {
      const items = new Array<unknown>(template.items.length);
      for (let i = 0; i < template.items.length; i++) {
        const item = evaluateNode(template.items[i] as PayloadTemplate, documents, environment);
        if (item instanceof TemplateFailure) return item;
        items[i] = item;
      }
      return items;
    }
    case "object": {
      const object: Record<string, unknown> = {};
      for (const entry of template.entries) {
        const value = evaluateNode(entry.value, documents, environment);
        if (value instanceof TemplateFailure) return value;
        setOwn(object, entry.key, value);
      }
      return object;
    }
  }
}

/**
 * AWS's cause for a `.$` path that selects nothing. AWS shows the document the path searched:
 * the template's input for `$`, the Context Object for `$$` (recorded in a real AWS failure on
 * `$$.Map.Item.Value.checkId`), and here the variable's value for `$name`.
 */
export function templatePathCause(path: CompiledPath, field: string, message: string, documents: DataDocuments): string {
  const head = `The JSONPath '${path.source}' specified for the field '${field}' could not be found`;
  const searched = searchedDocument(path, documents);
  return searched.found ? `${head} in the input '${compactJson(searched.document)}'` : `${head}: ${message}`;
}

/** The document a path was applied to, or nothing for an unassigned variable. */
function searchedDocument(path: CompiledPath, documents: DataDocuments): { found: true; document: unknown } | { found: false } {
  if (path.root === "input") return { found: true, document: documents.input };
  if (path.root === "context") return { found: true, document: documents.context };
  const name = path.variable ?? "";
  return Object.hasOwn(documents.variables, name) ? { found: true, document: documents.variables[name] } : { found: false };
}

/**
 * AWS's cause for a failed intrinsic call: the whole call as written, then what went wrong, e.g.
 * `The function 'States.Format('{}', $.nope)' had the following error: The JsonPath argument for
 * the field '$.nope' could not be found in the input '{"other":1}'`.
 */
export function intrinsicCause(call: IntrinsicCall, message: string): string {
  return `The function '${call.source}' had the following error: ${message}`;
}

/**
 * What intrinsic calls read their path arguments with. A miss reads as AWS words it. For `$$`
 * arguments, Step Functions Local (AWS's own emulator) names the path relative to the context
 * (`$.Task.Token` for `$$.Task.Token`) and shows the state input; that wording is followed here.
 */
class TemplateEnvironment implements IntrinsicEnvironment {
  // A class rather than a literal of closures: one object per template, its methods shared.
  constructor(
    private readonly documents: DataDocuments,
    private readonly randomSource: () => number,
  ) {}

  random(): number {
    return this.randomSource();
  }

  readPath(path: CompiledPath): PathRead {
    const documents = this.documents;
    const read = readDataPath(path, documents);
    if (read.ok) return read;
    if (path.root === "variable") {
      const searched = searchedDocument(path, documents);
      return {
        ok: false,
        message: searched.found
          ? `The JsonPath argument for the field '${path.source}' could not be found in the input '${compactJson(searched.document)}'`
          : `The JsonPath argument for the field '${path.source}' could not be found: ${read.message}`,
      };
    }
    const field = path.root === "context" ? path.query : path.source;
    return { ok: false, message: `The JsonPath argument for the field '${field}' could not be found in the input '${compactJson(documents.input)}'` };
  }
}

/** Compact JSON text for a cause; never throws (a value JSON cannot express shows as `null`). */
function compactJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "null";
  } catch {
    return "null";
  }
}

// ---------------------------------------------------------------------------------------------
// ResultPath
// ---------------------------------------------------------------------------------------------

/**
 * ResultPath: places the (effective) result into the **raw** state input. `null` discards the
 * result (the raw input goes on), `$` replaces the input with the result, and `$.a.b` writes
 * into a copy of the raw input that shares everything off the path, creating missing objects on
 * the way. When the raw input cannot take the result there (e.g. it is a string), the state fails
 * with {@link RESULT_PATH_FAILURE_ERROR}.
 */
export function placeResult(rawInput: unknown, resultPath: CompiledPath | null, result: unknown): DataResult {
  if (resultPath === null) return succeeded(rawInput);
  if (resultPath.root === "input" && resultPath.segments.length === 0) return succeeded(result);
  const written = writePath(rawInput, resultPath, result);
  if (written.ok) return written;
  const prefix = `Cannot write to '${resultPath.source}': `;
  const reason = written.message.startsWith(prefix) ? written.message.slice(prefix.length) : written.message;
  return failed(
    RESULT_PATH_FAILURE_ERROR,
    `Unable to apply ResultPath '${resultPath.source}' to the input '${compactJson(rawInput)}': ${reason}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Assign
// ---------------------------------------------------------------------------------------------

/**
 * Evaluates a JSONPath Assign (a payload template whose top-level keys, `.$` already removed, are
 * variable names) and checks the size limits: each value at most {@link MAX_VARIABLE_BYTES}, all
 * values together at most {@link MAX_ASSIGN_BYTES}. The result maps each variable name to its new
 * value; it is an own-keys-only object, so a variable named `__proto__` stays plain data.
 * Every right-hand side reads `documents` as they were on entry; assigning is the caller's job.
 */
export function evaluateAssign(template: PayloadTemplate, documents: DataDocuments, random: () => number): DataResult<Record<string, unknown>> {
  const evaluated = evaluateTemplate(template, documents, random);
  if (!evaluated.ok) return evaluated;
  const values = evaluated.value;
  if (!isJsonObject(values)) {
    return failed(VARIABLE_LIMIT_ERROR, `The Assign field must produce an object of variable names and values, not ${compactJson(values)}`);
  }
  const problem = variableSizeProblem(values);
  return problem === undefined ? succeeded(values) : failed(VARIABLE_LIMIT_ERROR, problem);
}

/**
 * Checks the variable size limits on the values of one Assign; returns the cause text of the
 * first limit broken, or `undefined` when every value fits. Stops measuring as soon as a limit
 * is passed.
 */
export function variableSizeProblem(values: Readonly<Record<string, unknown>>): string | undefined {
  let combined = 0;
  for (const name of Object.keys(values)) {
    const size = jsonByteLength(values[name], MAX_VARIABLE_BYTES, MAX_DATA_DEPTH);
    if (size === Number.POSITIVE_INFINITY) return `The value assigned to the variable '${name}' is nested deeper than ${MAX_DATA_DEPTH} levels`;
    if (size > MAX_VARIABLE_BYTES) {
      return `The value assigned to the variable '${name}' exceeds the maximum size of ${MAX_VARIABLE_BYTES} bytes`;
    }
    combined += size;
    if (combined > MAX_ASSIGN_BYTES) {
      return `The values assigned in one Assign exceed the maximum combined size of ${MAX_ASSIGN_BYTES} bytes`;
    }
  }
  return undefined;
}
