/**
 * Task states: the input is evaluated and handed to the host as pending work (with its event
 * family: Task*, LambdaFunction*, Activity*), then the host's answer is shaped or handled.
 */
import { uuidV4 } from "../../data/intrinsics/random.js";
import type { TaskState } from "../../definition/model.js";
import { readTaskResource } from "../../definition/resources.js";
import { effectiveInput, evaluateDynamic, unexpectedResultType, evaluateJsonataValue, evaluatePayload, shapeOutput, type Eventually, type Failure, type Outcome, type Shaped, type StateData } from "../dataflow.js";
import type { Decision } from "../decide.js";
import type { TaskFamily } from "../events.js";
import type { ActiveState, TaskWork } from "../model.js";
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

/** Evaluates the task's input and hands it to the host (first attempt and retries). */
export async function attemptTask(d: Decision, runId: string, state: TaskState, active: ActiveState): Promise<StateOutcome> {
  const { resource, region: resourceRegion } = resourceOf(state);
  const kind = resource.ok ? resource.value.kind : "integration";
  const needsToken = state.pattern === "callback" || kind === "activity";
  const token = needsToken ? uuidV4(d.cursor.next) : undefined;
  const data = d.stateData(runId, state, active, token !== undefined ? { token } : {});
  const parameters = await effectiveInput(state.dataflow, data);
  if (!parameters.ok) return d.evaluationError(runId, state, active, parameters.failure);
  const timeout = state.timeoutSeconds ? await taskSeconds(state.timeoutSeconds, data, "TimeoutSeconds") : undefined;
  if (timeout && !timeout.ok) return d.evaluationError(runId, state, active, timeout.failure);
  const heartbeat = state.heartbeatSeconds ? await taskSeconds(state.heartbeatSeconds, data, "HeartbeatSeconds") : undefined;
  if (heartbeat && !heartbeat.ok) return d.evaluationError(runId, state, active, heartbeat.failure);
  const credentials = state.credentials
    ? state.credentials.language === "JSONPath"
      ? evaluatePayload(state.credentials.template, data, data.input)
      : await evaluateJsonataValue(state.credentials.template, data)
    : undefined;
  if (credentials && !credentials.ok) return d.evaluationError(runId, state, active, credentials.failure);
  const over = d.tooLarge(parameters.value, state.name);
  if (over) return d.handleError(runId, state, active, over, () => {});
  const taskCredentials = credentials?.ok ? credentialsOf(credentials.value) : undefined;

  const family: TaskFamily = kind === "lambda-function" ? "LambdaFunction" : kind === "activity" ? "Activity" : "Task";
  const taskId = `${d.nextEventId}:task`;
  const timeoutSeconds = timeout?.ok ? (timeout.value as number) : undefined;
  const heartbeatSeconds = heartbeat?.ok ? (heartbeat.value as number) : undefined;
  const region = resourceRegion || regionOf(d.execution.facts.stateMachine.id) || "us-east-1";
  const scope = runId; // the run the events belong to
  if (family === "Task") {
    const resourceType = resource.ok ? resource.value.resourceType : "unknown";
    const resourceName = resource.ok ? resource.value.resourceName : state.resource;
    d.emit(scope, {
      type: "TaskScheduled",
      taskScheduledEventDetails: {
        resourceType,
        resource: resourceName,
        region,
        parameters: parameters.value,
        ...(timeoutSeconds !== undefined ? { timeoutInSeconds: timeoutSeconds } : {}),
        ...(heartbeatSeconds !== undefined ? { heartbeatInSeconds: heartbeatSeconds } : {}),
        ...(taskCredentials ? { taskCredentials } : {}),
      },
      taskId,
      ...(token !== undefined ? { token } : {}),
      resourceArn: state.resource,
    });
  } else if (family === "LambdaFunction") {
    d.emit(scope, {
      type: "LambdaFunctionScheduled",
      lambdaFunctionScheduledEventDetails: {
        resource: state.resource,
        input: parameters.value,
        ...(timeoutSeconds !== undefined ? { timeoutInSeconds: timeoutSeconds } : {}),
        ...(taskCredentials ? { taskCredentials } : {}),
      },
      taskId,
    });
  } else {
    d.emit(scope, {
      type: "ActivityScheduled",
      activityScheduledEventDetails: {
        resource: state.resource,
        input: parameters.value,
        ...(timeoutSeconds !== undefined ? { timeoutInSeconds: timeoutSeconds } : {}),
        ...(heartbeatSeconds !== undefined ? { heartbeatInSeconds: heartbeatSeconds } : {}),
      },
      taskId,
      token: token as string,
    });
  }
  const timers = {
    ...(timeoutSeconds !== undefined ? { timeout: { id: `${taskId}:timeout`, until: isoAfter(d.atMillis, timeoutSeconds) } } : {}),
    ...(heartbeatSeconds !== undefined ? { heartbeat: { id: `${taskId}:heartbeat`, until: isoAfter(d.atMillis, heartbeatSeconds) } } : {}),
  };
  const withTimers = Object.keys(timers).length > 0 ? { timers } : {};
  if (family === "Task") {
    const details = { resourceType: resource.ok ? resource.value.resourceType : "unknown", resource: resource.ok ? resource.value.resourceName : state.resource };
    d.emit(scope, { type: "TaskStarted", taskStartedEventDetails: details, taskId, ...withTimers });
    if (state.pattern !== "request-response") d.emit(scope, { type: "TaskSubmitted", taskSubmittedEventDetails: details, taskId });
  } else if (family === "LambdaFunction") {
    d.emit(scope, { type: "LambdaFunctionStarted", taskId, ...withTimers });
  } else {
    d.emit(scope, { type: "ActivityStarted", activityStartedEventDetails: {}, taskId, ...withTimers });
  }
  return BLOCKED;
}

/** TimeoutSeconds or HeartbeatSeconds, which must come out a positive integer. */
async function taskSeconds(dynamic: NonNullable<TaskState["timeoutSeconds"]>, data: StateData, field: string): Promise<Outcome<unknown>> {
  const value = await evaluateDynamic(dynamic, data, data.input);
  if (!value.ok) return value;
  if (typeof value.value === "number" && Number.isInteger(value.value) && value.value > 0) return value;
  if (dynamic.kind === "jsonata") {
    return unexpectedResultType(dynamic.expression, field, "integer", value.value);
  }
  return fail("States.Runtime", `The ${field}Path field refers to value ${JSON.stringify(value.value)} which is not a valid positive integer: ${dynamic.kind === "path" ? dynamic.path.source : field}`);
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
    d.emit(scope, { type: "TaskSucceeded", taskSucceededEventDetails: { resourceType, resource, output }, taskId: task.id });
  } else if (family === "LambdaFunction") {
    d.emit(scope, { type: "LambdaFunctionSucceeded", lambdaFunctionSucceededEventDetails: { output }, taskId: task.id });
  } else {
    d.emit(scope, { type: "ActivitySucceeded", activitySucceededEventDetails: { output }, taskId: task.id });
  }
  const { active, state } = d.active(task.run);
  const data = d.stateData(task.run, state, active, task.token !== undefined ? { token: task.token } : {});
  const shaped = shapeOutput((state as TaskState).dataflow, data, output, { assignInput: output, offerResult: true });
  return shaped instanceof Promise ? shaped.then((later) => exitTask(d, task.run, state as TaskState, active, later)) : exitTask(d, task.run, state as TaskState, active, shaped);
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
