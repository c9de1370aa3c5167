/**
 * The states that decide where to go and when: Choice (rules or JSONata Conditions), Wait (a
 * timer, unless there is nothing to wait for) and Fail (the error and cause it ends with).
 */
import { evaluateChoiceRule } from "../../data/choice.js";
import { readDataPath } from "../../data/io.js";
import { evaluateJsonata } from "../../data/jsonata.js";
import { parseTimestamp } from "../../data/timestamp.js";
import type { ChoiceState, Dataflow, FailState, WaitState } from "../../definition/model.js";
import type { CompiledPath } from "../../data/path.js";
import { bindings, documents, evaluateDynamic, selectedInput, unexpectedResultType, type Eventually, type Failure, type Outcome, type StateData } from "../dataflow.js";
import type { Decision } from "../decide.js";
import type { ActiveState } from "../model.js";
import { BLOCKED, errorFields, fail, isoAt, MAX_CAUSE_LENGTH, MAX_ERROR_LENGTH, type StateOutcome } from "../outcome.js";

/** Choice: the first branch whose rule (or Condition) holds, else Default, else States.NoChoiceMatched. */
export function executeChoice(d: Decision, runId: string, state: ChoiceState, active: ActiveState): Eventually<StateOutcome> {
  const data = d.stateData(runId, state, active);
  const selected = selectedInput(state.dataflow, data);
  if (!selected.ok) return d.stateFailed(runId, active, selected.failure);
  return state.dataflow.language === "JSONPath"
    ? chooseByRules(d, runId, state, active, data, selected.value)
    : chooseByConditions(d, runId, state, active, data, selected.value);
}

/** JSONPath rules decide at once. */
function chooseByRules(d: Decision, runId: string, state: ChoiceState, active: ActiveState, data: StateData, selected: unknown): Eventually<StateOutcome> {
  const docs = documents(data, selected);
  const read = (path: CompiledPath) => readDataPath(path, docs);
  for (const branch of state.choices) {
    if (branch.language !== "JSONPath") continue;
    const verdict = evaluateChoiceRule(branch.rule, read);
    if (!verdict.ok) return d.stateFailed(runId, active, { error: verdict.error, cause: verdict.cause });
    if (!verdict.value) continue;
    const dataflow = { ...(state.dataflow as Extract<Dataflow, { language: "JSONPath" }>), assign: branch.assign };
    return d.finish(runId, state, active, data, selected, { assignInput: selected, offerResult: false }, { kind: "next", next: branch.next }, dataflow);
  }
  return chooseDefault(d, runId, state, active, data, selected);
}

/** JSONata Conditions are evaluated one after another (each may have to wait for JSONata). */
async function chooseByConditions(d: Decision, runId: string, state: ChoiceState, active: ActiveState, data: StateData, selected: unknown): Promise<StateOutcome> {
  for (const [index, branch] of state.choices.entries()) {
    if (branch.language !== "JSONata") continue;
    let matched: boolean;
    if (branch.condition.kind === "value") {
      matched = branch.condition.value;
    } else {
      const location = `Choices[${index}]/Condition`;
      const value = await evaluateJsonata(branch.condition.expression, location, bindings(data));
      if (!value.ok) return d.stateFailed(runId, active, { error: value.error, cause: value.cause, location: value.location });
      if (typeof value.value !== "boolean") {
        return d.stateFailed(runId, active, unexpectedResultType(branch.condition.expression, location, "boolean", value.value).failure);
      }
      matched = value.value;
    }
    if (!matched) continue;
    const dataflow: Dataflow = { ...(state.dataflow as Extract<Dataflow, { language: "JSONata" }>), output: branch.output, assign: branch.assign };
    return d.finish(runId, state, active, data, selected, { assignInput: selected, offerResult: false }, { kind: "next", next: branch.next }, dataflow);
  }
  return chooseDefault(d, runId, state, active, data, selected);
}

/** No rule matched: Default, with the state's own Output and Assign, else States.NoChoiceMatched. */
function chooseDefault(d: Decision, runId: string, state: ChoiceState, active: ActiveState, data: StateData, selected: unknown): Eventually<StateOutcome> {
  if (state.default === undefined) return d.stateFailed(runId, active, { error: "States.NoChoiceMatched", cause: "No Matches!" });
  return d.finish(runId, state, active, data, selected, { assignInput: selected, offerResult: false }, { kind: "next", next: state.default });
}

/** Wait: works out the time first (the Entered event carries the timer), then blocks or exits at once. */
export async function executeWait(d: Decision, runId: string, state: WaitState, input: unknown): Promise<StateOutcome> {
  // The wait is worked out before the Entered event, which carries its timer.
  const provisional: ActiveState = { name: state.name, enteredEventId: d.nextEventId, enteredTime: d.at, input, retryCount: 0, retriers: [], work: { kind: "none" } };
  const data = d.stateData(runId, state, provisional);
  const until = await waitUntil(d, state, data);
  const timer = until.ok && until.value > d.atMillis ? { id: `${d.nextEventId}:wait`, until: isoAt(until.value) } : undefined;
  const active = d.entered(runId, state, input, timer);
  if (!until.ok) return d.stateFailed(runId, active, until.failure);
  if (timer) return BLOCKED;
  return waitOver(d, runId, state, active);
}

/** The Wait state's time is up: it exits. */
export async function waitOver(d: Decision, runId: string, state: WaitState, active: ActiveState): Promise<StateOutcome> {
  const data = d.stateData(runId, state, active);
  const selected = selectedInput(state.dataflow, data);
  if (!selected.ok) return d.stateFailed(runId, active, selected.failure);
  return d.finish(runId, state, active, data, selected.value, { assignInput: selected.value, offerResult: false }, state.transition);
}

/** When a Wait state ends (epoch milliseconds): from Seconds, SecondsPath, Timestamp or TimestampPath. */
async function waitUntil(d: Decision, state: WaitState, data: StateData): Promise<Outcome<number>> {
  const selected = selectedInput(state.dataflow, data);
  if (!selected.ok) return selected;
  if (state.wait.kind === "seconds") {
    const source = state.wait.seconds;
    if (source.kind === "path") {
      const where = source.path.source;
      const read = readDataPath(source.path, documents(data, selected.value));
      if (!read.ok) return fail("States.Runtime", `The SecondsPath parameter does not reference an input value: ${where}`);
      const value = read.value;
      if (typeof value !== "number" || !Number.isInteger(value)) {
        return fail("States.Runtime", `The SecondsPath parameter cannot be parsed as a long value: ${where} == ${typeof value === "string" ? value : JSON.stringify(value)}`);
      }
      if (value < 0) return fail("States.Runtime", `The SecondsPath parameter references a negative value: ${where} == ${value}`);
      if (value >= 2 ** 31) return fail("States.Runtime", "Wait state delay is too long.");
      return { ok: true, value: d.atMillis + value * 1000 };
    }
    const seconds = await evaluateDynamic(source, data, selected.value);
    if (!seconds.ok) return seconds;
    const value = seconds.value;
    if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 99_999_999) return { ok: true, value: d.atMillis + value * 1000 };
    // Only JSONata can get here with a bad value: a constant Seconds is checked when the definition is parsed.
    return source.kind === "jsonata"
      ? unexpectedResultType(source.expression, "Seconds", "integer", value)
      : fail("States.Runtime", `Wait state Seconds must be an integer from 0 to 99999999: ${JSON.stringify(value)}`);
  }
  const stamp = await evaluateDynamic(state.wait.timestamp, data, selected.value);
  if (!stamp.ok) return stamp;
  const text = stamp.value;
  const parsed = typeof text === "string" ? parseTimestamp(text) : undefined;
  if (parsed === undefined) {
    const source = state.wait.timestamp;
    return source.kind === "jsonata"
      ? fail("States.QueryEvaluationError", `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${String(text)}`, "Timestamp")
      : fail(
          "States.Runtime",
          `The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${source.kind === "path" ? source.path.source : "Timestamp"} == ${typeof text === "string" ? text : JSON.stringify(text)}`,
        );
  }
  // AWS honours timestamps to the second.
  return { ok: true, value: Math.floor(parsed / 1000) * 1000 };
}

/** Fail: the error and cause (given, from paths or intrinsic calls, or from JSONata) end the run. */
export async function executeFail(d: Decision, runId: string, state: FailState, input: unknown): Promise<StateOutcome> {
  const provisional: ActiveState = { name: state.name, enteredEventId: d.nextEventId, enteredTime: d.at, input, retryCount: 0, retriers: [], work: { kind: "none" } };
  const data = d.stateData(runId, state, provisional);
  const error = state.error ? await evaluateDynamic(state.error, data, input) : ({ ok: true, value: undefined } as const);
  const cause = error.ok && state.cause ? await evaluateDynamic(state.cause, data, input) : ({ ok: true, value: undefined } as const);
  const active = d.entered(runId, state, input);
  if (!error.ok) return d.stateFailed(runId, active, error.failure);
  if (!cause.ok) return d.stateFailed(runId, active, cause.failure);
  for (const [field, value] of [["Error", error.value], ["Cause", cause.value]] as const) {
    if (value !== undefined && typeof value !== "string") {
      return d.stateFailed(runId, active, { error: "States.Runtime", cause: `The value of the field '${field}' must be a string, but was ${JSON.stringify(value)}` });
    }
  }
  // AWS's history holds an error of 256 characters and a cause of 32,768 at most.
  const failure: Failure = { error: truncated(error.value as string | undefined, MAX_ERROR_LENGTH) as string, cause: truncated(cause.value as string | undefined, MAX_CAUSE_LENGTH) as string };
  return { kind: "failed", failure: errorFields(failure) as Failure };
}

const truncated = (value: string | undefined, length: number): string | undefined => (value !== undefined && value.length > length ? value.slice(0, length) : value);

// ------------------------------------------------------------------------------------ tasks
