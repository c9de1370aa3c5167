/**
 * Task states: the input is evaluated and handed to the host as pending work (with its event
 * family: Task*, LambdaFunction*, Activity*), then the host's answer is shaped or handled.
 */
import { uuidV4 } from "../../data/intrinsics/random.js";
import type { TaskState } from "../../definition/model.js";
import { readTaskResource } from "../../definition/resources.js";
import {
  effectiveInput,
  evaluateDynamic,
  evaluateJsonataValue,
  evaluatePayload,
  passesResultThrough,
  shapeOutput,
  success,
  unexpectedResultType,
  whenReady,
  type Eventually,
  type Failure,
  type Outcome,
  type Shaped,
  type StateData,
} from "../dataflow.js";
import type { Decision } from "../decide.js";
import type { HistoryEvent, TaskFamily, TaskScheduledEvent, TaskTimers } from "../events.js";
import { taskIdOf } from "../evolve.js";
import type { ActiveState, TaskWork, Writable } from "../model.js";
import { BLOCKED, credentialsOf, errorFields, fail, isoAfter, regionOf, type StateOutcome } from "../outcome.js";

/** A Task state's Resource, read and its region found once per state (the text is fixed). */
const resources = new WeakMap<TaskState, { readonly resource: ReturnType<typeof readTaskResource>; readonly region: string }>();

function resourceOf(state: TaskState): { readonly resource: ReturnType<typeof readTaskResource>; readonly region: string } {
  let read = resources.get(state);
  if (!read) {
    read = { resource: readTaskResource(state.resource), region: regionOf(state.resource) };
    resources.set(state, read);
  }
  return read;
}

/** A Scheduled event of one family. */
type Scheduled<T extends TaskScheduledEvent["type"]> = Extract<TaskScheduledEvent, { type: T }>;
type TaskScheduledDetails = Writable<Scheduled<"TaskScheduled">["taskScheduledEventDetails"]>;
type LambdaScheduledDetails = Writable<Scheduled<"LambdaFunctionScheduled">["lambdaFunctionScheduledEventDetails"]> & { taskCredentials?: { readonly roleArn: unknown } };
type ActivityScheduledDetails = Writable<Scheduled<"ActivityScheduled">["activityScheduledEventDetails"]>;

/** What a Task state evaluates before it hands its task to the host. */
interface TaskInputs {
  readonly parameters: unknown;
  readonly timeoutSeconds: number | undefined;
  readonly heartbeatSeconds: number | undefined;
  readonly credentials: unknown;
}

/**
 * Evaluates the task's input and hands it to the host (first attempt and retries): at once for a
 * JSONPath state, so that a Map of thousands of tasks costs no promise per task.
 */
export function attemptTask(d: Decision, runId: string, state: TaskState, active: ActiveState): Eventually<StateOutcome> {
  const { resource } = resourceOf(state);
  const kind = resource.ok ? resource.value.kind : "integration";
  const token = state.pattern === "callback" || kind === "activity" ? uuidV4(d.cursor.next) : undefined;
  const data = d.stateData(runId, state, active, token !== undefined ? { token } : undefined);
  return whenReady(taskInputs(state, data), (inputs) => {
    if (!inputs.ok) return d.evaluationError(runId, state, active, inputs.failure);
    const over = d.tooLarge(inputs.value.parameters, state.name);
    if (over) return d.handleError(runId, state, active, over, () => {});
    scheduleTask(d, runId, state, token, inputs.value);
    return BLOCKED;
  });
}

/** The task's input, TimeoutSeconds, HeartbeatSeconds and Credentials, in that order; the first failure stops. */
function taskInputs(state: TaskState, data: StateData): Eventually<Outcome<TaskInputs>> {
  return whenReady(effectiveInput(state.dataflow, data), (parameters) =>
    !parameters.ok
      ? parameters
      : whenReady(taskSeconds(state.timeoutSeconds, data, "TimeoutSeconds"), (timeout) =>
          !timeout.ok
            ? timeout
            : whenReady(taskSeconds(state.heartbeatSeconds, data, "HeartbeatSeconds"), (heartbeat) =>
                !heartbeat.ok
                  ? heartbeat
                  : whenReady(taskCredentials(state, data), (credentials): Outcome<TaskInputs> =>
                      !credentials.ok
                        ? credentials
                        : success({ parameters: parameters.value, timeoutSeconds: timeout.value, heartbeatSeconds: heartbeat.value, credentials: credentials.value }),
                    ),
              ),
        ),
  );
}

/** The Credentials of the state, evaluated (undefined without any). */
function taskCredentials(state: TaskState, data: StateData): Eventually<Outcome<unknown>> {
  if (!state.credentials) return NOTHING;
  return state.credentials.language === "JSONPath" ? evaluatePayload(state.credentials.template, data, data.input) : evaluateJsonataValue(state.credentials.template, data);
}

const NOTHING: Outcome<undefined> = success(undefined);

/** Writes the events that hand the task to the host: Scheduled, Started (with its timers), Submitted. */
function scheduleTask(d: Decision, runId: string, state: TaskState, token: string | undefined, inputs: TaskInputs): void {
  const { resource, region: resourceRegion } = resourceOf(state);
  const kind = resource.ok ? resource.value.kind : "integration";
  const family: TaskFamily = kind === "lambda-function" ? "LambdaFunction" : kind === "activity" ? "Activity" : "Task";
  // AWS's split of an integration's Resource (`lambda` and `invoke`, `aws-sdk:s3` and `getObject`).
  const resourceType = resource.ok ? resource.value.resourceType : "unknown";
  const resourceName = resource.ok ? resource.value.resourceName : state.resource;
  const { parameters, timeoutSeconds, heartbeatSeconds } = inputs;
  const taskCredentials = inputs.credentials !== undefined ? credentialsOf(inputs.credentials) : undefined;
  const taskId = taskIdOf(runId, d.nextEventId);
  const region = resourceRegion || regionOf(d.execution.facts.stateMachine.id) || "us-east-1";
  // Literals with the usual fields, the rare ones added after: no object spread per task.
  if (family === "Task") {
    const details: TaskScheduledDetails = { resourceType, resource: resourceName, region, parameters };
    if (timeoutSeconds !== undefined) details.timeoutInSeconds = timeoutSeconds;
    if (heartbeatSeconds !== undefined) details.heartbeatInSeconds = heartbeatSeconds;
    if (taskCredentials) details.taskCredentials = taskCredentials;
    d.reserve("TaskScheduled");
    const scheduled: Writable<Scheduled<"TaskScheduled">> = {
      type: "TaskScheduled",
      id: d.nextEventId,
      previousEventId: d.previousEventId(runId),
      timestamp: d.at,
      taskScheduledEventDetails: details,
      taskId,
      resourceArn: state.resource,
    };
    if (token !== undefined) scheduled.token = token;
    d.record(runId, scheduled);
  } else if (family === "LambdaFunction") {
    const details: LambdaScheduledDetails = { resource: state.resource, input: parameters };
    if (timeoutSeconds !== undefined) details.timeoutInSeconds = timeoutSeconds;
    if (taskCredentials) details.taskCredentials = taskCredentials;
    d.emit(runId, { type: "LambdaFunctionScheduled", lambdaFunctionScheduledEventDetails: details, taskId });
  } else {
    const details: ActivityScheduledDetails = { resource: state.resource, input: parameters };
    if (timeoutSeconds !== undefined) details.timeoutInSeconds = timeoutSeconds;
    if (heartbeatSeconds !== undefined) details.heartbeatInSeconds = heartbeatSeconds;
    d.emit(runId, { type: "ActivityScheduled", activityScheduledEventDetails: details, taskId, token: token as string });
  }
  const timers: Writable<TaskTimers> | undefined = timeoutSeconds !== undefined || heartbeatSeconds !== undefined ? {} : undefined;
  if (timers && timeoutSeconds !== undefined) timers.timeout = { id: `${taskId}:timeout`, until: isoAfter(d.atMillis, timeoutSeconds) };
  if (timers && heartbeatSeconds !== undefined) timers.heartbeat = { id: `${taskId}:heartbeat`, until: isoAfter(d.atMillis, heartbeatSeconds) };
  if (family === "Task") {
    const details = { resourceType, resource: resourceName };
    d.reserve("TaskStarted");
    const started: Writable<Extract<HistoryEvent, { type: "TaskStarted" }>> = {
      type: "TaskStarted",
      id: d.nextEventId,
      previousEventId: d.previousEventId(runId),
      timestamp: d.at,
      taskStartedEventDetails: details,
      taskId,
    };
    if (timers) started.timers = timers;
    d.record(runId, started);
    if (state.pattern !== "request-response") d.emit(runId, { type: "TaskSubmitted", taskSubmittedEventDetails: details, taskId });
  } else if (family === "LambdaFunction") {
    d.emit(runId, timers ? { type: "LambdaFunctionStarted", taskId, timers } : { type: "LambdaFunctionStarted", taskId });
  } else {
    d.emit(runId, timers ? { type: "ActivityStarted", activityStartedEventDetails: {}, taskId, timers } : { type: "ActivityStarted", activityStartedEventDetails: {}, taskId });
  }
}

/** The largest TimeoutSeconds or HeartbeatSeconds AWS accepts. */
const MAX_TASK_SECONDS = 99_999_999;

/** TimeoutSeconds or HeartbeatSeconds, which must come out an integer from 1 to 99,999,999 (undefined when the state has none). */
function taskSeconds(dynamic: TaskState["timeoutSeconds"], data: StateData, field: string): Eventually<Outcome<number | undefined>> {
  if (!dynamic) return NOTHING;
  return whenReady(evaluateDynamic(dynamic, data, data.input), (value): Outcome<number | undefined> => {
    if (!value.ok) return value;
    const seconds = value.value;
    const integer = typeof seconds === "number" && Number.isInteger(seconds);
    if (integer && seconds > 0 && seconds <= MAX_TASK_SECONDS) return success(seconds);
    if (dynamic.kind === "jsonata") {
      return integer
        ? fail("States.QueryEvaluationError", `The JSONata expression '${dynamic.expression.source.trim()}' specified for the field '${field}' returned ${seconds}, which is not an integer from 1 to ${MAX_TASK_SECONDS}.`, field)
        : unexpectedResultType(dynamic.expression, field, "integer", seconds);
    }
    const path = dynamic.kind === "path" ? dynamic.path.source : field;
    if (integer && seconds > MAX_TASK_SECONDS) return fail("States.Runtime", `The ${field}Path field refers to value ${seconds} which is greater than the maximum of ${MAX_TASK_SECONDS}: ${path}`);
    return fail("States.Runtime", `The ${field}Path field refers to value ${JSON.stringify(seconds)} which is not a valid positive integer: ${path}`);
  });
}

/** The host answered a task with its result (at once, unless the Task state's output is JSONata). */
export function taskSucceeded(d: Decision, task: TaskWork, output: unknown): Eventually<void> {
  // AWS names the service for an integration (`lambda`) and the function for a Lambda ARN.
  const over = d.tooLarge(output, task.resourceType ?? task.resource);
  if (over) return taskFailed(d, task, over);
  const family = task.family;
  const scope = task.run; // the run the events belong to
  if (family === "Task") {
    const { resourceType = "", resourceName: resource = "" } = task;
    d.reserve("TaskSucceeded");
    d.record(scope, {
      type: "TaskSucceeded",
      id: d.nextEventId,
      previousEventId: d.previousEventId(scope),
      timestamp: d.at,
      taskSucceededEventDetails: { resourceType, resource, output },
      taskId: task.id,
    });
  } else if (family === "LambdaFunction") {
    d.emit(scope, { type: "LambdaFunctionSucceeded", lambdaFunctionSucceededEventDetails: { output }, taskId: task.id });
  } else {
    d.emit(scope, { type: "ActivitySucceeded", activitySucceededEventDetails: { output }, taskId: task.id });
  }
  const active = d.activeState(task.run);
  const state = d.workflow.states.get(active.name) as TaskState;
  // The usual Task passes its result through untouched: no state data to build, nothing to shape.
  if (passesResultThrough(state.dataflow)) return exitTask(d, task.run, state, active, success({ output }));
  const data = d.stateData(task.run, state, active, task.token !== undefined ? { token: task.token } : undefined);
  const shaped = shapeOutput(state.dataflow, data, output, { assignInput: output, offerResult: true });
  return shaped instanceof Promise ? shaped.then((later) => exitTask(d, task.run, state, active, later)) : exitTask(d, task.run, state, active, shaped);
}

/** A Task state with its output shaped exits (or fails, when shaping failed or the output is too large). */
function exitTask(d: Decision, runId: string, state: TaskState, active: ActiveState, shaped: Outcome<Shaped>): Eventually<void> {
  if (!shaped.ok) return d.evaluationError(runId, state, active, shaped.failure).then((outcome) => d.continueWith(runId, outcome));
  const over = d.tooLarge(shaped.value.output, state.name);
  if (over) return d.runFailed(runId, over);
  return d.continueWith(runId, d.exited(runId, state, shaped.value, state.transition.kind === "next" ? state.transition.next : undefined));
}

/** The task failed (or timed out): the failure event, then Retry, Catch, or the run fails. */
export async function taskFailed(d: Decision, task: TaskWork, failure: Failure, timedOut = false): Promise<void> {
  const family = task.family;
  const scope = task.run; // the run the events belong to
  const details = errorFields(failure);
  const { active, state } = d.active(task.run);
  const outcome = await d.handleError(task.run, state as TaskState, active, failure, (retry) => {
    const extra = { taskId: task.id, ...(retry ? { retry } : {}) };
    if (family === "Task") {
      const body = { resourceType: task.resourceType ?? "", resource: task.resourceName ?? "", ...details };
      d.emit(scope, timedOut ? { type: "TaskTimedOut", taskTimedOutEventDetails: body, ...extra } : { type: "TaskFailed", taskFailedEventDetails: body, ...extra });
    } else if (family === "LambdaFunction") {
      d.emit(
        scope,
        timedOut
          ? { type: "LambdaFunctionTimedOut", lambdaFunctionTimedOutEventDetails: details, ...extra }
          : { type: "LambdaFunctionFailed", lambdaFunctionFailedEventDetails: details, ...extra },
      );
    } else {
      d.emit(
        scope,
        timedOut
          ? { type: "ActivityTimedOut", activityTimedOutEventDetails: details, ...extra }
          : { type: "ActivityFailed", activityFailedEventDetails: details, ...extra },
      );
    }
  });
  await d.continueWith(task.run, outcome);
}

// --------------------------------------------------------------------------- error handling
