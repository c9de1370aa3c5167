/**
 * From a structurally checked definition to the Workflow: walks every scope and state, checks the
 * meaning of each field (paths, templates, expressions, transitions) and compiles it once.
 * Every problem is collected; nothing stops at the first.
 */
import { compileChoiceRule } from "../data/choice.js";
import { compileJsonata, compileJsonataTemplate, hasMalformedJsonataDelimiters, isJsonataString, type JsonataScope, type JsonataTemplate } from "../data/jsonata.js";
import { parseIntrinsic } from "../data/intrinsics/index.js";
import { parsePath, parseReferencePath, type CompiledPath } from "../data/path.js";
import { compilePayloadTemplate, type PayloadTemplate } from "../data/template.js";
import { checkScopeGraph } from "./graph.js";
import type {
  Catcher,
  ChoiceBranch,
  Dataflow,
  Dynamic,
  ItemBatcher,
  ItemReader,
  MapState,
  QueryLanguage,
  Retrier,
  ResultWriter,
  Scope,
  State,
  StateType,
  Transition,
  ValueTemplate,
} from "./model.js";
import { pointerJoin, type Problem, type ProblemCode } from "./problems.js";
import { isStatesResource, ITEM_READER_RESOURCES, readTaskResource } from "./resources.js";
import { checkStructure, STATE_TYPES, type ObjectKind } from "./schema.js";

type Raw = Record<string, unknown>;

/** What the walk carries: the problems found so far and what must be unique machine-wide. */
interface Context {
  readonly problems: Problem[];
  /** The machine's QueryLanguage: the default of every state, nested ones included. */
  readonly language: QueryLanguage;
  readonly stateNames: Set<string>;
  readonly labels: Set<string>;
  readonly allStates: Map<string, State>;
  /**
   * Compiled payload templates by their JSON text: states that write the same template share one
   * (a compiled template is immutable and does not know where it was written). A run then touches
   * one copy that stays in the CPU cache, not one per state: workload 3, whose 1,000 Pass states
   * mostly repeat one template, took 5 to 24% less time. A template with problems is not kept, so
   * each state that writes it reports them at its own place.
   */
  readonly templates: Map<string, PayloadTemplate>;
}

const NO_STATES_VALUES: JsonataScope = { result: false, errorOutput: false };
const MAX_NAME_LENGTH = 80;

const isObject = (value: unknown): value is Raw => value !== null && typeof value === "object" && !Array.isArray(value);
const has = (raw: Raw, key: string): boolean => Object.hasOwn(raw, key);

function report(ctx: Context, code: ProblemCode, pointer: string, message: string): void {
  ctx.problems.push({ code, pointer, message });
}

/** Compiles the whole machine (already known to be an object). */
export function compileMachine(
  definition: Raw,
  problems: Problem[],
): { readonly root: Scope | undefined; readonly states: ReadonlyMap<string, State>; readonly language: QueryLanguage } {
  const language: QueryLanguage = definition["QueryLanguage"] === "JSONata" ? "JSONata" : "JSONPath";
  const ctx: Context = { problems, language, stateNames: new Set(), labels: new Set(), allStates: new Map(), templates: new Map() };
  problems.push(...checkStructure(definition, "machine", language, ""));
  const root = compileScope(ctx, definition, "");
  return { root, states: ctx.allStates, language };
}

/** A `States` object with its `StartAt` (the machine, a branch or an item processor). */
function compileScope(ctx: Context, raw: Raw, pointer: string): Scope | undefined {
  const statesRaw = raw["States"];
  if (!isObject(statesRaw)) return undefined; // reported by the schema
  const states = new Map<string, State>();
  let complete = true;
  for (const [name, stateRaw] of Object.entries(statesRaw)) {
    const statePointer = pointerJoin(pointer, "States", name);
    // Code points, counted only when the UTF-16 length could exceed the limit.
    const length = name.length > MAX_NAME_LENGTH ? [...name].length : name.length;
    if (length === 0 || length > MAX_NAME_LENGTH) {
      report(ctx, "INVALID_STATE_NAME", statePointer, `State name must be 1 to ${MAX_NAME_LENGTH} characters long, not ${length}`);
    }
    if (ctx.stateNames.has(name)) {
      report(ctx, "DUPLICATE_STATE_NAME", statePointer, `Duplicate State name: ${name}`);
    }
    ctx.stateNames.add(name);
    const state = compileState(ctx, name, stateRaw, statePointer);
    if (state) {
      states.set(name, state);
      if (!ctx.allStates.has(name)) ctx.allStates.set(name, state);
    } else {
      complete = false;
    }
  }
  ctx.problems.push(...checkScopeGraph(pointer, raw["StartAt"], statesRaw));
  const startAt = raw["StartAt"];
  return complete && typeof startAt === "string" ? { startAt, states, pointer } : undefined;
}

/** A nested scope: a Parallel branch or a Map item processor. */
function compileNestedScope(ctx: Context, raw: unknown, kind: "branch" | "processor", pointer: string): Scope | undefined {
  if (!isObject(raw)) return undefined; // reported by the schema
  ctx.problems.push(...checkStructure(raw, kind, ctx.language, pointer));
  return compileScope(ctx, raw, pointer);
}

function compileState(ctx: Context, name: string, raw: unknown, pointer: string): State | undefined {
  if (!isObject(raw)) {
    report(ctx, "SCHEMA_VALIDATION_FAILED", pointer, "A state must be an object");
    return undefined;
  }
  const type = raw["Type"];
  if (!has(raw, "Type")) {
    report(ctx, "SCHEMA_VALIDATION_FAILED", pointer, "These fields are required: [Type]");
    return undefined;
  }
  if (typeof type !== "string" || !(STATE_TYPES as readonly string[]).includes(type)) {
    report(ctx, "SCHEMA_VALIDATION_FAILED", pointerJoin(pointer, "Type"), `'Type' must be one of: ${STATE_TYPES.join(", ")}`);
    return undefined;
  }
  const declared = raw["QueryLanguage"];
  const language: QueryLanguage = declared === "JSONata" || declared === "JSONPath" ? declared : ctx.language;
  if (ctx.language === "JSONata" && declared === "JSONPath") {
    report(ctx, "SCHEMA_VALIDATION_FAILED", pointer, "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine");
  }
  const before = ctx.problems.length;
  ctx.problems.push(...checkStructure(raw, type as ObjectKind, language, pointer));
  const state = new StateCompiler(ctx, name, raw, pointer, type as StateType, language).compile();
  return ctx.problems.length === before ? state : undefined;
}

/** Compiles the fields of one state; reports into the context and returns the state. */
class StateCompiler {
  constructor(
    private readonly ctx: Context,
    private readonly name: string,
    private readonly raw: Raw,
    private readonly pointer: string,
    private readonly type: StateType,
    private readonly language: QueryLanguage,
  ) {}

  private at(...tokens: (string | number)[]): string {
    return pointerJoin(this.pointer, ...tokens);
  }

  private report(code: ProblemCode, pointer: string, message: string): void {
    report(this.ctx, code, pointer, message);
  }

  compile(): State {
    switch (this.type) {
      case "Pass": {
        const result = this.language === "JSONPath" && has(this.raw, "Result") ? { value: this.raw["Result"] } : undefined;
        return { name: this.name, pointer: this.pointer, queryLanguage: this.language, comment: this.stringField("Comment"), type: "Pass", transition: this.transition(), dataflow: this.dataflow(), result };
      }
      case "Task":
        return this.task();
      case "Choice":
        return { name: this.name, pointer: this.pointer, queryLanguage: this.language, comment: this.stringField("Comment"), type: "Choice", dataflow: this.dataflow(), choices: this.choices(), default: this.stringField("Default") };
      case "Wait":
        return { name: this.name, pointer: this.pointer, queryLanguage: this.language, comment: this.stringField("Comment"), type: "Wait", transition: this.transition(), dataflow: this.dataflow(), wait: this.wait() };
      case "Succeed":
        return { name: this.name, pointer: this.pointer, queryLanguage: this.language, comment: this.stringField("Comment"), type: "Succeed", dataflow: this.dataflow() };
      case "Fail":
        return {
          name: this.name,
          pointer: this.pointer,
          queryLanguage: this.language,
          comment: this.stringField("Comment"),
          type: "Fail",
          error: this.dynamicString("Error", "ErrorPath"),
          cause: this.dynamicString("Cause", "CausePath"),
        };
      case "Parallel": {
        const list = Array.isArray(this.raw["Branches"]) ? (this.raw["Branches"] as unknown[]) : [];
        const branches = list.map((branch, index) => compileNestedScope(this.ctx, branch, "branch", this.at("Branches", index)));
        return {
          name: this.name,
          pointer: this.pointer,
          queryLanguage: this.language,
          comment: this.stringField("Comment"),
          type: "Parallel",
          transition: this.transition(),
          dataflow: this.dataflow(),
          branches: branches.filter((b): b is Scope => b !== undefined),
          retry: this.retry(),
          catch: this.catchers(),
        };
      }
      case "Map":
        return this.map();
    }
  }

  private stringField(field: string): string | undefined {
    const value = this.raw[field];
    return typeof value === "string" ? value : undefined;
  }

  private transition(): Transition {
    const next = this.raw["Next"];
    const end = this.raw["End"] === true;
    if (typeof next === "string" && end) {
      this.report("SCHEMA_VALIDATION_FAILED", this.pointer, "A state can not have both 'Next' and 'End: true'");
    } else if (!has(this.raw, "Next") && !end) {
      this.report("SCHEMA_VALIDATION_FAILED", this.pointer, "A state must have either 'Next' or 'End: true'");
    }
    return typeof next === "string" ? { kind: "next", next } : { kind: "end" };
  }

  /** Whether `$states.result` exists for this state's Output and Assign. */
  private get producesResult(): boolean {
    return this.type === "Task" || this.type === "Map" || this.type === "Parallel";
  }

  private dataflow(): Dataflow {
    if (this.language === "JSONata") {
      const scope: JsonataScope = { result: this.producesResult, errorOutput: false };
      return {
        language: "JSONata",
        arguments: this.jsonataField("Arguments", NO_STATES_VALUES),
        output: this.jsonataField("Output", scope),
        assign: this.jsonataAssign(this.raw, [], scope),
      };
    }
    return {
      language: "JSONPath",
      inputPath: this.pathOrNull("InputPath"),
      parameters: this.type === "Map" ? undefined : this.payloadTemplate("Parameters"),
      resultSelector: this.payloadTemplate("ResultSelector"),
      resultPath: this.resultPath(this.raw, []),
      outputPath: this.pathOrNull("OutputPath"),
      assign: this.pathAssign(this.raw, []),
    };
  }

  private pathOrNull(field: string): CompiledPath | null {
    const value = this.raw[field];
    if (value === null) return null;
    return this.path(value, field, [field], false) ?? ROOT_PATH;
  }

  /** Parses a path field; `at` locates it below the state (the pointer is only built for a problem). */
  private path(value: unknown, field: string, at: readonly (string | number)[], reference: boolean): CompiledPath | undefined {
    if (value === undefined || typeof value !== "string") return undefined;
    const result = reference ? parseReferencePath(value) : parsePath(value);
    if (result.ok) return result.value;
    this.report(
      "SCHEMA_VALIDATION_FAILED",
      this.at(...at),
      `The value for the field '${field}' must be a valid ${reference ? "Reference Path" : "JSONPath"}: ${result.message}`,
    );
    return undefined;
  }

  /** ResultPath of the state or of a catcher: a Reference Path into the state's input. */
  private resultPath(raw: Raw, at: (string | number)[]): CompiledPath | null {
    const value = raw["ResultPath"];
    if (value === null) return null;
    const path = this.path(value, "ResultPath", [...at, "ResultPath"], true);
    if (path && path.root !== "input") {
      this.report("SCHEMA_VALIDATION_FAILED", this.at(...at, "ResultPath"), "The value for the field 'ResultPath' must start with '$', not refer to the context object or a variable");
    }
    return path ?? ROOT_PATH;
  }

  private payloadTemplate(field: string, raw: Raw = this.raw, at: (string | number)[] = []): PayloadTemplate | undefined {
    const value = raw[field];
    if (!isObject(value)) return undefined;
    const text = JSON.stringify(value);
    const known = this.ctx.templates.get(text);
    if (known) return known;
    const compiled = compilePayloadTemplate(value);
    if (compiled.ok) {
      this.ctx.templates.set(text, compiled.value);
      return compiled.value;
    }
    for (const problem of compiled.problems) {
      this.report("SCHEMA_VALIDATION_FAILED", this.at(...at, field, ...problem.path), problem.message);
    }
    return undefined;
  }

  private jsonataField(field: string, scope: JsonataScope, raw: Raw = this.raw, at: (string | number)[] = []): JsonataTemplate | undefined {
    if (!has(raw, field)) return undefined;
    const location = [...at, field].map((token, i) => (typeof token === "number" ? `[${token}]` : i === 0 ? token : `/${token}`)).join("");
    const compiled = compileJsonataTemplate(raw[field], location, scope);
    if (compiled.ok) return compiled.value;
    for (const problem of compiled.problems) {
      this.report(problem.code, this.at(...at, field, ...problem.path), problem.message);
    }
    return undefined;
  }

  private checkVariableNames(assign: Raw, pointer: string, stripSuffix: boolean): void {
    for (const key of Object.keys(assign)) {
      const name = stripSuffix && key.endsWith(".$") ? key.slice(0, -2) : key;
      const problem = variableNameProblem(name);
      if (problem) this.report("SCHEMA_VALIDATION_FAILED", pointerJoin(pointer, key), problem);
    }
  }

  private pathAssign(raw: Raw, at: (string | number)[]): PayloadTemplate | undefined {
    const value = raw["Assign"];
    if (!isObject(value)) return undefined;
    this.checkVariableNames(value, this.at(...at, "Assign"), true);
    return this.payloadTemplate("Assign", raw, at);
  }

  private jsonataAssign(raw: Raw, at: (string | number)[], scope: JsonataScope): JsonataTemplate | undefined {
    const value = raw["Assign"];
    if (!isObject(value)) return undefined;
    this.checkVariableNames(value, this.at(...at, "Assign"), false);
    return this.jsonataField("Assign", scope, raw, at);
  }

  /** A template field in the state's language (Credentials, ItemSelector, ItemReader Parameters/Arguments, ...). */
  private valueTemplate(raw: Raw, at: (string | number)[], pathField: string, jsonataField: string): ValueTemplate | undefined {
    if (this.language === "JSONata") {
      const template = this.jsonataField(jsonataField, NO_STATES_VALUES, raw, at);
      return template && { language: "JSONata", template };
    }
    const template = this.payloadTemplate(pathField, raw, at);
    return template && { language: "JSONPath", template };
  }

  /**
   * A number given directly, by a `…Path` field, or (JSONata) as an expression.
   * `raw` and `at` locate the object holding the fields (the state or a nested object).
   */
  private dynamicNumber(field: string, pathField: string | undefined, raw: Raw = this.raw, at: (string | number)[] = []): Dynamic<number> | undefined {
    const value = raw[field];
    if (typeof value === "number") return { kind: "value", value };
    if (typeof value === "string" && this.language === "JSONata" && isJsonataString(value)) {
      return this.jsonataDynamic(value, field, at);
    }
    if (pathField !== undefined && typeof raw[pathField] === "string") {
      const path = this.path(raw[pathField], pathField, [...at, pathField], true);
      return path && { kind: "path", path, field: pathField };
    }
    return undefined;
  }

  private jsonataDynamic<T>(text: string, field: string, at: (string | number)[]): Dynamic<T> | undefined {
    const compiled = compileJsonata(text, NO_STATES_VALUES);
    if (compiled.ok) return { kind: "jsonata", expression: compiled.value, field };
    this.report(compiled.problem.code, this.at(...at, field), compiled.problem.message);
    return undefined;
  }

  /** Fail's Error / Cause: a string, an expression (JSONata), or a path or intrinsic call (`…Path`). */
  private dynamicString(field: string, pathField: string): Dynamic<string> | undefined {
    const value = this.raw[field];
    if (typeof value === "string") {
      if (this.language === "JSONata" && hasMalformedJsonataDelimiters(value)) {
        this.report("INVALID_JSONATA_EXPRESSION", this.at(field), `The value for the field '${field}' starts with '{%' but does not end with '%}'`);
        return undefined;
      }
      return this.language === "JSONata" && isJsonataString(value) ? this.jsonataDynamic(value, field, []) : { kind: "value", value };
    }
    const text = this.raw[pathField];
    if (typeof text !== "string") return undefined;
    if (text.startsWith("$")) {
      const path = this.path(text, pathField, [pathField], true);
      return path && { kind: "path", path, field: pathField };
    }
    const call = parseIntrinsic(text);
    if (call.ok) return { kind: "intrinsic", call: call.value, field: pathField };
    this.report(
      "SCHEMA_VALIDATION_FAILED",
      this.at(pathField),
      `The value for the field '${pathField}' must be a valid JSONPath or a valid intrinsic function call: ${call.message}`,
    );
    return undefined;
  }

  private wait(): { kind: "seconds"; seconds: Dynamic<number> } | { kind: "timestamp"; timestamp: Dynamic<string> } {
    if (has(this.raw, "Timestamp") || has(this.raw, "TimestampPath")) {
      const value = this.raw["Timestamp"];
      let timestamp: Dynamic<string> | undefined;
      if (typeof value === "string") {
        timestamp = this.language === "JSONata" && isJsonataString(value) ? this.jsonataDynamic(value, "Timestamp", []) : { kind: "value", value };
      } else {
        const path = this.path(this.raw["TimestampPath"], "TimestampPath", ["TimestampPath"], true);
        timestamp = path && { kind: "path", path, field: "TimestampPath" };
      }
      return { kind: "timestamp", timestamp: timestamp ?? { kind: "value", value: "" } };
    }
    return { kind: "seconds", seconds: this.dynamicNumber("Seconds", "SecondsPath") ?? { kind: "value", value: 0 } };
  }

  private retry(): Retrier[] {
    const list = this.raw["Retry"];
    if (!Array.isArray(list)) return [];
    this.checkErrorEquals(list, "Retry");
    return list.filter(isObject).map((entry) => ({
      errorEquals: stringList(entry["ErrorEquals"]),
      intervalSeconds: typeof entry["IntervalSeconds"] === "number" ? entry["IntervalSeconds"] : 1,
      maxAttempts: typeof entry["MaxAttempts"] === "number" ? entry["MaxAttempts"] : 3,
      backoffRate: typeof entry["BackoffRate"] === "number" ? entry["BackoffRate"] : 2,
      ...(typeof entry["MaxDelaySeconds"] === "number" ? { maxDelaySeconds: entry["MaxDelaySeconds"] } : {}),
      jitter: entry["JitterStrategy"] === "FULL" ? "FULL" : "NONE",
    }));
  }

  private catchers(): Catcher[] {
    const list = this.raw["Catch"];
    if (!Array.isArray(list)) return [];
    this.checkErrorEquals(list, "Catch");
    const errorScope: JsonataScope = { result: false, errorOutput: true };
    return list.filter(isObject).map((entry, index) => ({
      errorEquals: stringList(entry["ErrorEquals"]),
      next: typeof entry["Next"] === "string" ? entry["Next"] : "",
      dataflow:
        this.language === "JSONata"
          ? {
              language: "JSONata",
              output: this.jsonataField("Output", errorScope, entry, ["Catch", index]),
              assign: this.jsonataAssign(entry, ["Catch", index], errorScope),
            }
          : {
              language: "JSONPath",
              resultPath: this.resultPath(entry, ["Catch", index]),
              assign: this.pathAssign(entry, ["Catch", index]),
            },
    }));
  }

  /** `States.ALL` must stand alone in its ErrorEquals, in the last retrier or catcher. */
  private checkErrorEquals(list: readonly unknown[], field: "Retry" | "Catch"): void {
    list.forEach((entry, index) => {
      if (!isObject(entry)) return;
      const errors = stringList(entry["ErrorEquals"]);
      if (!errors.includes("States.ALL")) return;
      if (errors.length > 1) {
        this.report("SCHEMA_VALIDATION_FAILED", this.at(field, index, "ErrorEquals"), "'States.ALL' must appear alone in 'ErrorEquals'");
      }
      if (index !== list.length - 1) {
        this.report("SCHEMA_VALIDATION_FAILED", this.at(field, index), `The ${field} entry with 'States.ALL' must be the last one`);
      }
    });
  }

  private choices(): ChoiceBranch[] {
    const list = this.raw["Choices"];
    if (!Array.isArray(list)) return [];
    const branches: ChoiceBranch[] = [];
    list.forEach((entry, index) => {
      if (!isObject(entry)) return;
      const next = typeof entry["Next"] === "string" ? entry["Next"] : "";
      const at = ["Choices", index];
      if (this.language === "JSONata") {
        const condition = entry["Condition"];
        const compiled =
          typeof condition === "boolean"
            ? ({ kind: "value", value: condition } as const)
            : typeof condition === "string"
              ? this.conditionExpression(condition, at)
              : undefined;
        if (!compiled) return;
        branches.push({
          language: "JSONata",
          condition: compiled,
          next,
          assign: this.jsonataAssign(entry, at, NO_STATES_VALUES),
          output: this.jsonataField("Output", NO_STATES_VALUES, entry, at),
        });
        return;
      }
      const rule = compileChoiceRule(entry);
      if (!rule.ok) {
        for (const problem of rule.problems) this.report("SCHEMA_VALIDATION_FAILED", this.at(...at, ...problem.path), problem.message);
        return;
      }
      branches.push({ language: "JSONPath", rule: rule.value, next, assign: this.pathAssign(entry, at) });
    });
    return branches;
  }

  private conditionExpression(text: string, at: (string | number)[]) {
    const compiled = compileJsonata(text, NO_STATES_VALUES);
    if (compiled.ok) return { kind: "jsonata", expression: compiled.value } as const;
    this.report(compiled.problem.code, this.at(...at, "Condition"), compiled.problem.message);
    return undefined;
  }

  private task(): State {
    const resourceText = typeof this.raw["Resource"] === "string" ? this.raw["Resource"] : "";
    const resource = readTaskResource(resourceText);
    if (!resource.ok && has(this.raw, "Resource") && typeof this.raw["Resource"] === "string") {
      this.report(resource.notArn ? "INVALID_RESOURCE" : "SCHEMA_VALIDATION_FAILED", this.at("Resource"), resource.message);
    }
    const timeoutSeconds = this.dynamicNumber("TimeoutSeconds", "TimeoutSecondsPath");
    const heartbeatSeconds = this.dynamicNumber("HeartbeatSeconds", "HeartbeatSecondsPath");
    if (timeoutSeconds?.kind === "value" && heartbeatSeconds?.kind === "value" && heartbeatSeconds.value >= timeoutSeconds.value) {
      this.report("SCHEMA_VALIDATION_FAILED", this.at("HeartbeatSeconds"), "HeartbeatSeconds must be smaller than TimeoutSeconds");
    }
    const credentials = this.language === "JSONata" ? this.jsonataField("Credentials", NO_STATES_VALUES) : this.payloadTemplate("Credentials");
    return {
      name: this.name,
      pointer: this.pointer,
      queryLanguage: this.language,
      comment: this.stringField("Comment"),
      type: "Task",
      transition: this.transition(),
      dataflow: this.dataflow(),
      resource: resourceText,
      pattern: resource.ok ? resource.value.pattern : "request-response",
      timeoutSeconds: timeoutSeconds,
      heartbeatSeconds: heartbeatSeconds,
      credentials: credentials && ({ language: this.language, template: credentials } as ValueTemplate),
      retry: this.retry(),
      catch: this.catchers(),
    };
  }

  private map(): MapState {
    const processorField = has(this.raw, "ItemProcessor") ? "ItemProcessor" : "Iterator";
    const processorRaw = this.raw[processorField];
    const config = isObject(processorRaw) && isObject(processorRaw["ProcessorConfig"]) ? processorRaw["ProcessorConfig"] : {};
    const mode = config["Mode"] === "DISTRIBUTED" ? "DISTRIBUTED" : "INLINE";
    const executionType: MapState["executionType"] = config["ExecutionType"] === "STANDARD" ? "STANDARD" : config["ExecutionType"] === "EXPRESS" ? "EXPRESS" : undefined;
    if (mode === "DISTRIBUTED" && executionType === undefined) {
      this.report("SCHEMA_VALIDATION_FAILED", this.at(processorField, "ProcessorConfig"), "These fields are required: [ExecutionType]");
    }
    if (mode === "INLINE") {
      for (const field of DISTRIBUTED_ONLY) {
        if (has(this.raw, field)) {
          this.report("SCHEMA_VALIDATION_FAILED", this.at(field), `Field '${field}' is only supported for Map states in DISTRIBUTED mode`);
        }
      }
    }
    const processor = compileNestedScope(this.ctx, processorRaw, "processor", this.at(processorField));
    this.checkLabel();

    const selectorField = has(this.raw, "ItemSelector") ? "ItemSelector" : "Parameters";
    return {
      name: this.name,
      pointer: this.pointer,
      queryLanguage: this.language,
      comment: this.stringField("Comment"),
      type: "Map",
      transition: this.transition(),
      dataflow: this.dataflow(),
      items: this.mapItems(),
      itemSelector: this.valueTemplate(this.raw, [], selectorField, "ItemSelector"),
      processor: processor ?? { startAt: "", states: new Map(), pointer: this.at(processorField) },
      mode,
      executionType: executionType,
      maxConcurrency: this.dynamicNumber("MaxConcurrency", "MaxConcurrencyPath") ?? { kind: "value", value: 0 },
      toleratedFailureCount: this.dynamicNumber("ToleratedFailureCount", "ToleratedFailureCountPath"),
      toleratedFailurePercentage: this.dynamicNumber("ToleratedFailurePercentage", "ToleratedFailurePercentagePath"),
      itemReader: this.itemReader(),
      itemBatcher: this.itemBatcher(),
      resultWriter: this.resultWriter(),
      label: this.stringField("Label"),
      retry: this.retry(),
      catch: this.catchers(),
    };
  }

  private mapItems(): MapState["items"] {
    if (this.language === "JSONata") {
      const template = this.jsonataField("Items", NO_STATES_VALUES);
      return template ? { kind: "jsonata", template } : { kind: "input" };
    }
    const path = this.path(this.raw["ItemsPath"], "ItemsPath", ["ItemsPath"], true);
    return path ? { kind: "path", path } : { kind: "input" };
  }

  private checkLabel(): void {
    const label = this.raw["Label"];
    if (typeof label !== "string") return;
    if (label.length === 0 || label.length > 40 || LABEL_FORBIDDEN.test(label)) {
      this.report(
        "SCHEMA_VALIDATION_FAILED",
        this.at("Label"),
        "A Map Label must be 1 to 40 characters long without white space, wildcards, brackets, or the characters : ; , \\ ^ ~ $ # % & \" | `",
      );
    }
    if (this.ctx.labels.has(label)) this.report("SCHEMA_VALIDATION_FAILED", this.at("Label"), `Duplicate Map Label: ${label}`);
    this.ctx.labels.add(label);
  }

  private itemReader(): ItemReader | undefined {
    const raw = this.raw["ItemReader"];
    if (!isObject(raw)) return undefined;
    const resource = typeof raw["Resource"] === "string" ? raw["Resource"] : "";
    if (!isStatesResource(resource, ITEM_READER_RESOURCES)) {
      this.report(
        "SCHEMA_VALIDATION_FAILED",
        this.at("ItemReader", "Resource"),
        `The ItemReader resource must be arn:aws:states:::s3:getObject or arn:aws:states:::s3:listObjectsV2, not ${resource}`,
      );
    }
    const config = isObject(raw["ReaderConfig"]) ? raw["ReaderConfig"] : {};
    const maxItems = this.dynamicNumber("MaxItems", "MaxItemsPath", config, ["ItemReader", "ReaderConfig"]);
    return {
      resource,
      arguments: this.valueTemplate(raw, ["ItemReader"], "Parameters", "Arguments"),
      readerConfig: config,
      maxItems: maxItems,
    };
  }

  private itemBatcher(): ItemBatcher | undefined {
    const raw = this.raw["ItemBatcher"];
    if (!isObject(raw)) return undefined;
    const at = ["ItemBatcher"];
    const maxItemsPerBatch = this.dynamicNumber("MaxItemsPerBatch", "MaxItemsPerBatchPath", raw, at);
    const maxInputBytesPerBatch = this.dynamicNumber("MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath", raw, at);
    if (!["MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath"].some((f) => has(raw, f))) {
      this.report("SCHEMA_VALIDATION_FAILED", this.at("ItemBatcher"), "ItemBatcher needs 'MaxItemsPerBatch' or 'MaxInputBytesPerBatch' (or their Path forms)");
    }
    return {
      maxItemsPerBatch: maxItemsPerBatch,
      maxInputBytesPerBatch: maxInputBytesPerBatch,
      batchInput: this.valueTemplate(raw, at, "BatchInput", "BatchInput"),
    };
  }

  private resultWriter(): ResultWriter | undefined {
    const raw = this.raw["ResultWriter"];
    if (!isObject(raw)) return undefined;
    const at = ["ResultWriter"];
    const resource = typeof raw["Resource"] === "string" ? raw["Resource"] : undefined;
    const argumentsField = this.language === "JSONata" ? "Arguments" : "Parameters";
    if (resource !== undefined && !isStatesResource(resource, ["s3:putObject"])) {
      this.report("SCHEMA_VALIDATION_FAILED", this.at(...at, "Resource"), `The ResultWriter resource must be arn:aws:states:::s3:putObject, not ${resource}`);
    }
    if (!has(raw, "WriterConfig") && (resource === undefined || !has(raw, argumentsField))) {
      this.report("SCHEMA_VALIDATION_FAILED", this.at(...at), `ResultWriter needs 'WriterConfig', or 'Resource' with '${argumentsField}'`);
    }
    const config = isObject(raw["WriterConfig"]) ? raw["WriterConfig"] : undefined;
    return {
      resource,
      arguments: this.valueTemplate(raw, at, "Parameters", "Arguments"),
      writerConfig: config && {
        transformation: typeof config["Transformation"] === "string" ? config["Transformation"] : undefined,
        outputType: typeof config["OutputType"] === "string" ? config["OutputType"] : undefined,
      },
    };
  }
}

/**
 * The Map fields that only a DISTRIBUTED Map may have (the tolerated-failure fields are accepted
 * on inline Maps too: AWS ran such a definition, where they have no effect).
 */
const DISTRIBUTED_ONLY = ["ItemReader", "ItemBatcher", "ResultWriter", "Label"] as const;

const LABEL_FORBIDDEN = /[\s?*<>{}[\]:;,\\^~$#%&"|`\u0000-\u001f\u007f-\u009f]/;

const ROOT_PATH: CompiledPath = (() => {
  const root = parsePath("$");
  if (!root.ok) throw new Error("'$' must parse");
  return root.value;
})();

const stringList = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);

const VARIABLE_NAME = /^[\p{ID_Start}_][\p{ID_Continue}]*$/u;

/** Why a workflow variable name is not allowed, or `undefined` when it is fine. */
export function variableNameProblem(name: string): string | undefined {
  if (name === "states") return "The variable name 'states' is reserved";
  if ([...name].length > MAX_NAME_LENGTH) return `The variable name '${name}' is longer than ${MAX_NAME_LENGTH} characters`;
  if (!VARIABLE_NAME.test(name)) return `The variable name '${name}' is not valid: it must be an identifier (a letter or '_', then letters, digits or '_')`;
  return undefined;
}
