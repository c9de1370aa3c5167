/**
 * Parallel and Map states: their branches and iterations run as runs of their own; the state
 * starts them (Map: as many as MaxConcurrency allows), and exits with their outputs in order.
 */
import { readDataPath } from "../../data/io.js";
import { jsonTypeName } from "../../data/jsonata.js";
import { jsonByteLength } from "../../data/size.js";
import { uuidV4 } from "../../data/intrinsics/random.js";
import type { MapState, ParallelState, State } from "../../definition/model.js";
import {
  documents,
  effectiveInput,
  evaluateDynamic,
  evaluateJsonataValue,
  evaluatePayload,
  shapeOutput,
  unexpectedResultType,
  type Eventually,
  type Failure,
  type Outcome,
  type StateData,
} from "../dataflow.js";
import type { Decision } from "../decide.js";
import { branchRunId, iterationRunId } from "../evolve.js";
import type { ActiveState } from "../model.js";
import { BLOCKED, fail, type StateOutcome } from "../outcome.js";

/** Starts (or, on a retry, restarts) a Parallel state: every branch gets the effective input. */
export async function attemptParallel(d: Decision, runId: string, state: ParallelState, active: ActiveState): Promise<StateOutcome> {
  const data = d.stateData(runId, state, active);
  const input = await effectiveInput(state.dataflow, data);
  if (!input.ok) return d.evaluationError(runId, state, active, input.failure);
  const started = d.emit(runId, { type: "ParallelStateStarted", branches: state.branches.length });
  state.branches.forEach((branch, index) => d.enqueueEnter(branchRunId(started.id, index), branch.startAt, input.value));
  return BLOCKED;
}

/** Starts (or, on a retry, restarts) a Map state: its items, concurrency and thresholds, then the first iterations. */
export async function attemptMap(d: Decision, runId: string, state: MapState, active: ActiveState): Promise<StateOutcome> {
  const data = d.stateData(runId, state, active);
  const effective = await effectiveInput(state.dataflow, data);
  const handle = (failure: Failure) => d.evaluationError(runId, state, active, failure);
  if (!effective.ok) return handle(effective.failure);
  const found = await mapItems(state, data, effective.value);
  if (!found.ok) return handle(found.failure);
  const items = state.itemBatcher && state.mode === "DISTRIBUTED" ? await batches(d, runId, state, data, effective.value, found.value) : found;
  if (!items.ok) return handle(items.failure);
  const maxConcurrency = await mapNumber(state.maxConcurrency, data, effective.value, "MaxConcurrency", "integer");
  if (!maxConcurrency.ok) return handle(maxConcurrency.failure);
  if (maxConcurrency.value < 0) return handle({ error: "States.Runtime", cause: "MaxConcurrency cannot be negative." });
  // AWS reads the tolerated-failure thresholds after MapStateStarted; a bad one fails the execution there.
  const count = state.toleratedFailureCount && (await mapNumber(state.toleratedFailureCount, data, effective.value, "ToleratedFailureCount", "integer"));
  const percentage =
    state.toleratedFailurePercentage && (await mapNumber(state.toleratedFailurePercentage, data, effective.value, "ToleratedFailurePercentage", "float"));
  const tolerance = {
    ...(count?.ok ? { count: count.value } : {}),
    ...(percentage?.ok ? { percentage: percentage.value } : {}),
  };
  d.emit(runId, {
    type: "MapStateStarted",
    mapStateStartedEventDetails: { length: items.value.length },
    items: items.value,
    effectiveInput: effective.value,
    maxConcurrency: maxConcurrency.value,
    ...(Object.keys(tolerance).length > 0 ? { tolerance } : {}),
    ...(state.itemBatcher && state.mode === "DISTRIBUTED" ? { batched: true as const } : {}),
  });
  for (const threshold of [count, percentage]) {
    if (threshold && !threshold.ok) return handle(threshold.failure);
  }
  if (count?.ok && count.value < 0) return handle({ error: "States.Runtime", cause: "ToleratedFailureCount cannot be negative." });
  if (percentage?.ok && (percentage.value < 0 || percentage.value > 100)) {
    return handle({ error: "States.Runtime", cause: "ToleratedFailurePercentage must be between 0 and 100." });
  }
  if (state.mode === "DISTRIBUTED") {
    const { facts } = d.execution;
    const arn = facts.stateMachine.id.replace(":stateMachine:", ":mapRun:");
    d.emit(runId, { type: "MapRunStarted", mapRunStartedEventDetails: { mapRunArn: `${arn}/${state.label ?? state.name}:${uuidV4(d.cursor.next)}` } });
  }
  d.queue.push({ kind: "progress", run: runId });
  return BLOCKED;
}

/**
 * A Map's numeric setting (MaxConcurrency, ToleratedFailure*): a number, or for `…Path` fields a
 * string that holds one, as AWS accepts.
 */
async function mapNumber(dynamic: NonNullable<MapState["maxConcurrency"]>, data: StateData, input: unknown, field: string, kind: "integer" | "float"): Promise<Outcome<number>> {
  const value = await evaluateDynamic(dynamic, data, input);
  if (!value.ok) return value;
  const raw = value.value;
  const number = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : Number.NaN;
  if (Number.isFinite(number) && (kind === "float" || Number.isInteger(number))) return { ok: true, value: number };
  if (dynamic.kind === "jsonata") {
    return unexpectedResultType(dynamic.expression, field, kind === "float" ? "number" : "integer", raw);
  }
  const shown = typeof raw === "string" ? raw : JSON.stringify(raw);
  const where = dynamic.kind === "path" ? dynamic.path.source : field;
  return fail("States.Runtime", `The ${field}Path field refers to value "${shown}" which is not a valid ${kind}: ${where}`);
}

/** The items a Map iterates over: ItemsPath (JSONPath), Items (JSONata), or the effective input itself. */
async function mapItems(state: MapState, data: StateData, effective: unknown): Promise<Outcome<readonly unknown[]>> {
  if (state.items.kind === "jsonata") {
    const value = await evaluateJsonataValue(state.items.template, data);
    if (!value.ok) return value;
    if (!Array.isArray(value.value)) {
      const template = state.items.template;
      const source = template.kind === "expression" ? template.expression.source.trim() : JSON.stringify(value.value);
      return fail(
        "States.QueryEvaluationError",
        `The JSONata expression '${source}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '${jsonTypeName(value.value)}' for value: ${JSON.stringify(value.value)}`,
        "Items",
      );
    }
    return { ok: true, value: value.value };
  }
  if (state.items.kind === "input") {
    if (Array.isArray(effective)) return { ok: true, value: effective };
    return state.queryLanguage === "JSONata"
      ? fail("States.QueryEvaluationError", `Map state input must be an array but was: ${JSON.stringify(effective)}`, "Items")
      : fail("States.Runtime", `Reference path "$" must point to array.`);
  }
  const read = readDataPath(state.items.path, documents(data, effective));
  if (!read.ok) return fail("States.Runtime", `Invalid path '${state.items.path.source}' : ${read.message}`);
  if (!Array.isArray(read.value)) return fail("States.Runtime", `Reference path "${state.items.path.source}" must point to array.`);
  return { ok: true, value: read.value };
}

/** A Parallel or Map state checks on its children: start more iterations, or finish. */
export function progress(d: Decision, runId: string): Eventually<void> {
  const run = d.run(runId);
  const active = run?.state;
  if (!active) return;
  const state = d.workflow.states.get(active.name) as State;
  const work = active.work;
  if (work.kind === "parallel") {
    // From the last branch back: branches that run at once end in order, so each check but the
    // last stops at its first look (a scan from the front made a wide Parallel quadratic).
    const outputs: unknown[] = new Array(work.branches.length);
    for (let i = work.branches.length - 1; i >= 0; i--) {
      const ended = d.run(work.branches[i] as string)?.ended;
      if (!ended || !("output" in ended)) return;
      outputs[i] = ended.output;
    }
    // AWS writes no ParallelStateSucceeded: the Parallel state exits with its branches' outputs.
    return compoundDone(d, runId, state as ParallelState, outputs);
  }
  if (work.kind !== "map" || work.retryTimer !== undefined) return;
  return startIterations(d, runId, state as MapState);
}

/** Starts as many iterations as MaxConcurrency allows (at once, unless ItemSelector is JSONata); finishes the Map when all are done. */
function startIterations(d: Decision, runId: string, map: MapState): Eventually<void> {
  for (;;) {
    const work = d.activeState(runId).work;
    if (work.kind !== "map") return;
    const limit = work.maxConcurrency === 0 ? Number.POSITIVE_INFINITY : work.maxConcurrency;
    if (work.running >= limit || work.nextIndex >= work.items.length) break;
    const index = work.nextIndex;
    const input = iterationInput(d, runId, map, work.effectiveInput, index, work.items[index]);
    if (input instanceof Promise) {
      return input.then((ready) => (ready.ok ? (startIteration(d, runId, map, index, ready.value), startIterations(d, runId, map)) : iterationInputFailed(d, runId, map, index, ready.failure)));
    }
    if (!input.ok) return iterationInputFailed(d, runId, map, index, input.failure);
    startIteration(d, runId, map, index, input.value);
  }
  const work = d.activeState(runId).work;
  if (work.kind !== "map" || work.running > 0 || work.nextIndex < work.items.length) return;
  if (map.mode === "DISTRIBUTED") d.emit(runId, { type: "MapRunSucceeded" });
  d.emit(runId, { type: "MapStateSucceeded" });
  const done = d.activeState(runId).work;
  return compoundDone(d, runId, map, done.kind === "done" ? done.result : []);
}

/** Writes MapIterationStarted and queues the iteration's first state. */
function startIteration(d: Decision, runId: string, map: MapState, index: number, input: unknown): void {
  const work = d.activeState(runId).work as Extract<ActiveState["work"], { kind: "map" }>;
  const iteration = iterationRunId(work.startedEventId, index);
  d.reserve("MapIterationStarted");
  d.record(runId, {
    type: "MapIterationStarted",
    id: d.nextEventId,
    previousEventId: d.previousEventId(runId),
    timestamp: d.at,
    mapIterationStartedEventDetails: { name: map.name, index },
    iteration,
  });
  d.enqueueEnter(iteration, map.processor.startAt, input);
}

/** An iteration's input could not be made: the iterations started are aborted and the Map fails. */
async function iterationInputFailed(d: Decision, runId: string, map: MapState, index: number, failure: Failure): Promise<void> {
  const active = d.activeState(runId);
  const work = active.work as Extract<ActiveState["work"], { kind: "map" }>;
  for (let i = 0; i < index; i++) {
    const child = iterationRunId(work.startedEventId, i);
    if (!d.runningIteration(child)) continue;
    d.abortRun(child);
    d.emit(runId, { type: "MapIterationAborted", mapIterationAbortedEventDetails: { name: map.name, index: i }, iteration: child });
  }
  return d.continueWith(runId, await d.evaluationError(runId, map, active, failure));
}

/**
 * ItemBatcher (Distributed Map): each item through ItemSelector, then groups of at most
 * MaxItemsPerBatch items and MaxInputBytesPerBatch bytes, each `{ BatchInput?, Items }`.
 */
async function batches(d: Decision, runId: string, state: MapState, data: StateData, effective: unknown, items: readonly unknown[]): Promise<Outcome<unknown[]>> {
  const batcher = state.itemBatcher as NonNullable<MapState["itemBatcher"]>;
  const maxItems = batcher.maxItemsPerBatch && (await mapNumber(batcher.maxItemsPerBatch, data, effective, "MaxItemsPerBatch", "integer"));
  if (maxItems && !maxItems.ok) return maxItems;
  const maxBytes = batcher.maxInputBytesPerBatch && (await mapNumber(batcher.maxInputBytesPerBatch, data, effective, "MaxInputBytesPerBatch", "integer"));
  if (maxBytes && !maxBytes.ok) return maxBytes;
  for (const [field, limit] of [["MaxItemsPerBatch", maxItems], ["MaxInputBytesPerBatch", maxBytes]] as const) {
    if (limit && limit.value < 1) return fail("States.Runtime", `${field} must be positive.`);
  }
  const batchInput = batcher.batchInput
    ? batcher.batchInput.language === "JSONPath"
      ? evaluatePayload(batcher.batchInput.template, data, effective)
      : await evaluateJsonataValue(batcher.batchInput.template, data)
    : undefined;
  if (batchInput && !batchInput.ok) return batchInput;
  const itemLimit = maxItems ? maxItems.value : Number.POSITIVE_INFINITY;
  const byteLimit = maxBytes ? maxBytes.value : Number.POSITIVE_INFINITY;
  const head = batchInput ? jsonByteLength({ BatchInput: batchInput.value }) : 0;
  const batches: unknown[] = [];
  let batch: unknown[] = [];
  let bytes = head + 12; // {"Items":[]}, plus a comma when BatchInput comes first
  for (const [index, item] of items.entries()) {
    const selected = await iterationInput(d, runId, state, effective, index, item);
    if (!selected.ok) return selected;
    const size = jsonByteLength(selected.value) + (batch.length > 0 ? 1 : 0);
    if (batch.length > 0 && (batch.length + 1 > itemLimit || bytes + size > byteLimit)) {
      batches.push(batch);
      batch = [];
      bytes = head + 12;
    }
    batch.push(selected.value);
    bytes += jsonByteLength(selected.value) + (batch.length > 1 ? 1 : 0);
  }
  if (batch.length > 0) batches.push(batch);
  return { ok: true, value: batches.map((group) => (batchInput ? { BatchInput: batchInput.value, Items: group } : { Items: group })) };
}

/** An iteration's input: the item, or what ItemSelector makes of it (with `$$.Map.Item`). */
function iterationInput(d: Decision, runId: string, state: MapState, effective: unknown, index: number, value: unknown): Eventually<Outcome<unknown>> {
  if (!state.itemSelector) return { ok: true, value };
  const work = d.run(runId)?.state?.work;
  if (work?.kind === "map" && work.batched) return { ok: true, value };
  const active = d.activeState(runId);
  const data = d.stateData(runId, state, active, { mapItem: { index, value } });
  return state.itemSelector.language === "JSONPath"
    ? evaluatePayload(state.itemSelector.template, data, effective)
    : evaluateJsonataValue(state.itemSelector.template, data);
}

/** A Parallel or Map state has its result: it shapes its output and exits. */
async function compoundDone(d: Decision, runId: string, state: ParallelState | MapState, result: unknown): Promise<void> {
  const active = d.activeState(runId);
  const data = d.stateData(runId, state, active);
  const shaped = await shapeOutput(state.dataflow, data, result, { assignInput: result, offerResult: true });
  if (!shaped.ok) {
    const failure = shaped.failure;
    return d.continueWith(runId, await d.evaluationError(runId, state, active, failure));
  }
  const over = d.tooLarge(shaped.value.output, state.name);
  if (over) return d.runFailed(runId, over);
  return d.continueWith(runId, d.exited(runId, state, shaped.value, state.transition.kind === "next" ? state.transition.next : undefined));
}

// --------------------------------------------------------------------------------- timers
