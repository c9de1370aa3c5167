/**
 * A state's data, in either query language: its effective input (InputPath + Parameters, or
 * Arguments), its output (ResultSelector + ResultPath + OutputPath, or Output) and its variable
 * assignments. Errors come back as values (AWS's error name and cause, plus the JSONata location
 * when an expression failed), never as exceptions.
 */
import { evaluateIntrinsic } from "../data/intrinsics/index.js";
import {
  evaluateAssign,
  evaluateTemplate,
  placeResult,
  readDataPath,
  selectInput,
  selectOutput,
  VARIABLE_LIMIT_ERROR,
  variableSizeProblem,
  type DataDocuments,
} from "../data/io.js";
import { evaluateJsonata, evaluateJsonataTemplate, jsonataResultTypeError, type JsonataBindings, type JsonataExpression, type JsonataTemplate } from "../data/jsonata.js";
import type { CompiledPath } from "../data/path.js";
import type { PayloadTemplate } from "../data/template.js";
import type { Dataflow, Dynamic } from "../definition/model.js";

/** An error raised while a state runs: AWS's name and cause; `location` when a JSONata expression failed. */
export interface Failure {
  readonly error: string;
  /** Absent when the error has none (a task failed without a cause, a time-out). */
  readonly cause?: string;
  /** Set for JSONata failures, which AWS records in an EvaluationFailed event. */
  readonly location?: string;
}

/** A value, or the failure that stopped it. */
export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: Failure };

/** A successful Outcome. */
export const success = <T>(value: T): Outcome<T> => ({ ok: true, value });
const failure = (error: string, cause: string, location?: string): Outcome<never> => ({
  ok: false,
  failure: location === undefined ? { error, cause } : { error, cause, location },
});

/** What a state's expressions may read. */
export interface StateData {
  /** The raw state input. */
  readonly input: unknown;
  readonly context: Record<string, unknown>;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly random: () => number;
  /** The time the state runs at, for JSONata's `$now()`. */
  readonly now: number;
}

/** The documents of a state's data with another `$` (a class: its getter costs no closure per call). */
class StateDocuments implements DataDocuments {
  constructor(
    readonly input: unknown,
    private readonly data: StateData,
  ) {}
  get context(): unknown {
    return this.data.context;
  }
  get variables(): Readonly<Record<string, unknown>> {
    return this.data.variables;
  }
}

/** What a path may read, with `input` as `$`; the context object is only built if a path reads `$$`. */
export const documents = (data: StateData, input: unknown): DataDocuments => new StateDocuments(input, data);

/** What a JSONata expression reads: `$states` (the context object built on first use), variables, randomness, time. */
export function bindings(data: StateData, extra: { result?: unknown; errorOutput?: unknown } = {}): JsonataBindings {
  return {
    states: {
      input: data.input,
      get context() {
        return data.context;
      },
      ...extra,
    },
    variables: data.variables,
    random: data.random,
    now: data.now,
  };
}

const fromData = <T>(result: { ok: true; value: T } | { ok: false; error: string; cause: string }): Outcome<T> =>
  result.ok ? success(result.value) : failure(result.error, result.cause);

const fromJsonata = (result: { ok: true; value: unknown } | { ok: false; error: string; cause: string; location: string }): Outcome<unknown> =>
  result.ok ? success(result.value) : failure(result.error, result.cause, result.location);

/** AWS's States.QueryEvaluationError for a JSONata expression whose value has the wrong type. */
export function unexpectedResultType(expression: JsonataExpression, location: string, expected: string, value: unknown): { readonly ok: false; readonly failure: Failure } {
  const { error, cause } = jsonataResultTypeError(expression, location, expected, value);
  return { ok: false, failure: { error, cause, location } };
}

/** Evaluates a payload template against `input` (JSONPath). */
export function evaluatePayload(template: PayloadTemplate, data: StateData, input: unknown): Outcome<unknown> {
  const result = evaluateTemplate(template, documents(data, input), data.random);
  // A success has the same shape in both: only a failure is rewrapped.
  return result.ok ? result : fromData(result);
}

/** Evaluates a JSONata template with `$states` as given. */
export async function evaluateJsonataValue(template: JsonataTemplate, data: StateData, extra: { result?: unknown; errorOutput?: unknown } = {}): Promise<Outcome<unknown>> {
  return fromJsonata(await evaluateJsonataTemplate(template, bindings(data, extra)));
}

/** A value now (JSONPath), or later (JSONata evaluates asynchronously). */
export type Eventually<T> = T | Promise<T>;

/** `next` applied to `value`: at once when the value is there (JSONPath), else once it settles. */
export function whenReady<T, U>(value: Eventually<T>, next: (value: T) => Eventually<U>): Eventually<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}

/**
 * The effective input: InputPath then Parameters (JSONPath, at once), or Arguments (JSONata, a
 * promise; default: the input).
 */
export function effectiveInput(dataflow: Dataflow, data: StateData): Eventually<Outcome<unknown>> {
  if (dataflow.language === "JSONata") {
    return dataflow.arguments ? evaluateJsonataValue(dataflow.arguments, data) : success(data.input);
  }
  return jsonPathEffectiveInput(dataflow, data);
}

/** The effective input of a JSONPath state: InputPath, then Parameters. */
export function jsonPathEffectiveInput(dataflow: Extract<Dataflow, { language: "JSONPath" }>, data: StateData): Outcome<unknown> {
  let selected: unknown = data.input;
  // `$` (the default) selects the input itself: no documents, no result objects.
  if (!isWholeInput(dataflow.inputPath)) {
    const read = selectInput(dataflow.inputPath, documents(data, data.input));
    if (!read.ok) return fromData(read);
    selected = read.value;
  }
  return dataflow.parameters ? evaluatePayload(dataflow.parameters, data, selected) : success(selected);
}

/** True for the path `$`, which reads (or, as ResultPath, replaces) the whole document. */
const isWholeInput = (path: CompiledPath | null): boolean => path !== null && path.root === "input" && path.segments.length === 0;

/**
 * Whether a state's output is its result as it is: JSONPath with no ResultSelector and no Assign,
 * and ResultPath and OutputPath `$` (the defaults), which is what shapeOutput would then give.
 */
export function passesResultThrough(dataflow: Dataflow): boolean {
  return dataflow.language === "JSONPath" && !dataflow.assign && !dataflow.resultSelector && isWholeInput(dataflow.resultPath) && isWholeInput(dataflow.outputPath);
}

/** The InputPath selection alone (JSONPath), e.g. for Choice and Wait; the input itself in JSONata. */
export function selectedInput(dataflow: Dataflow, data: StateData): Outcome<unknown> {
  return dataflow.language === "JSONata" ? success(data.input) : fromData(selectInput(dataflow.inputPath, documents(data, data.input)));
}

/** A state's output and the variables it assigns. */
export interface Shaped {
  readonly output: unknown;
  readonly assigned?: Record<string, unknown>;
}

/**
 * Shapes a state's output from its result. JSONPath (at once): ResultSelector, ResultPath into the
 * raw input, OutputPath; Assign reads `assignInput` as `$`. JSONata (a promise): Output (default:
 * the result) and Assign, with `$states.result` when `offerResult`, or `$states.errorOutput` for a
 * catcher.
 */
export function shapeOutput(dataflow: Dataflow, data: StateData, result: unknown, options: ShapeOptions): Eventually<Outcome<Shaped>> {
  return dataflow.language === "JSONata" ? shapeJsonataOutput(dataflow, data, result, options) : shapeJsonPathOutput(dataflow, data, result, options);
}

/** What shaping an output needs besides the result. */
export interface ShapeOptions {
  /** What Assign reads as `$` (JSONPath). */
  readonly assignInput: unknown;
  /** Whether `$states.result` exists (JSONata: Task, Map, Parallel). */
  readonly offerResult: boolean;
  /** A catcher's Error Output, offered as `$states.errorOutput` (JSONata). */
  readonly errorOutput?: unknown;
}

async function shapeJsonataOutput(dataflow: Extract<Dataflow, { language: "JSONata" }>, data: StateData, result: unknown, options: ShapeOptions): Promise<Outcome<Shaped>> {
  // A catcher offers `$states.errorOutput`; a Task, Map or Parallel offers `$states.result`.
  const extra = options.errorOutput !== undefined ? { errorOutput: options.errorOutput } : options.offerResult ? { result } : {};
  const output = dataflow.output ? await evaluateJsonataValue(dataflow.output, data, extra) : success(result);
  if (!output.ok) return output;
  return withAssign(output.value, dataflow.assign ? await evaluateJsonataValue(dataflow.assign, data, extra) : undefined);
}

function shapeJsonPathOutput(dataflow: Extract<Dataflow, { language: "JSONPath" }>, data: StateData, result: unknown, options: ShapeOptions): Outcome<Shaped> {
  const assigned = dataflow.assign ? fromData(evaluateAssign(dataflow.assign, documents(data, options.assignInput), data.random)) : undefined;
  if (assigned && !assigned.ok) return assigned;
  let value = result;
  if (dataflow.resultSelector) {
    const selected = evaluatePayload(dataflow.resultSelector, data, result);
    if (!selected.ok) return selected;
    value = selected.value;
  }
  // ResultPath `$` and OutputPath `$` (the defaults) pass the value through untouched.
  let output = value;
  if (!isWholeInput(dataflow.resultPath)) {
    const placed = placeResult(data.input, dataflow.resultPath, value);
    if (!placed.ok) return fromData(placed);
    output = placed.value;
  }
  if (!isWholeInput(dataflow.outputPath)) {
    const selected = selectOutput(dataflow.outputPath, output, documents(data, undefined));
    if (!selected.ok) return fromData(selected);
    output = selected.value;
  }
  return withAssign(output, assigned);
}

function withAssign(output: unknown, assigned: Outcome<unknown> | undefined): Outcome<Shaped> {
  if (!assigned) return success({ output });
  if (!assigned.ok) return assigned;
  const values = assigned.value as Record<string, unknown>;
  // JSONPath assignments are checked by evaluateAssign; JSONata ones here, with the same limits.
  const tooLarge = variableSizeProblem(values);
  return tooLarge === undefined ? success({ output, assigned: values }) : failure(VARIABLE_LIMIT_ERROR, tooLarge);
}

/** Evaluates a Dynamic value: a constant, a Reference Path, an intrinsic call or a JSONata expression. */
export function evaluateDynamic<T>(dynamic: Dynamic<T>, data: StateData, pathInput: unknown): Eventually<Outcome<unknown>> {
  switch (dynamic.kind) {
    case "value":
      return success(dynamic.value);
    case "path": {
      const read = readDataPath(dynamic.path, documents(data, pathInput));
      return read.ok ? success(read.value) : failure("States.Runtime", pathMissCause(dynamic.path, dynamic.field, pathInput, read.message));
    }
    case "intrinsic": {
      const docs = documents(data, pathInput);
      const result = evaluateIntrinsic(dynamic.call, { readPath: (path) => readDataPath(path, docs), random: data.random });
      return result.ok ? success(result.value) : failure(result.error, result.message);
    }
    case "jsonata":
      return evaluateJsonata(dynamic.expression as JsonataExpression, dynamic.field, bindings(data)).then(fromJsonata);
  }
}

/** AWS's cause for a `…Path` field that reads nothing. */
export function pathMissCause(path: CompiledPath, field: string, input: unknown, message: string): string {
  if (field === "ErrorPath" || field === "CausePath") {
    return `The JSONPath '${path.source}' specified for the field '${field}' could not be found in the input '${JSON.stringify(input)}'`;
  }
  return `Invalid path '${path.source}' : ${message}`;
}
