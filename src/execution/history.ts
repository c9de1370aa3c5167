/**
 * The shape of every event type: the envelope every event has, and per type the fields `evolve`
 * reads, with their JSON types. An event from a stored log is checked against it before it is
 * folded, so that a log edited by hand is refused naming the event and the field, never folded
 * into an execution that cannot go on.
 */
import {
  arrayOf,
  expected,
  finiteNumber,
  flaw,
  integer,
  isRecord,
  jsonObject,
  jsonValue,
  nonEmptyString,
  numberIn,
  oneOf,
  record,
  string,
  within,
  type Check,
  type Flaw,
} from "./checks.js";
import type { HistoryEventType } from "./events.js";
import { limitsCheck, seedCheck } from "./options.js";
import { canonicalTime } from "./time.js";

/** A count, an index or a previousEventId: a safe integer from 0. */
export const natural = integer(0);
/** An event id: a safe integer from 1. */
export const eventId = integer(1);

const randomItems = arrayOf(integer(-(2 ** 31), 2 ** 32 - 1));

/** The generator's state: four 32-bit integers (signed or not: the generator reads them modulo 2³²). */
export const randomState: Check = (value) => {
  const inner = randomItems(value);
  if (inner) return inner;
  return (value as unknown[]).length === 4 ? undefined : flaw(`must hold 4 integers, not ${(value as unknown[]).length}`);
};

/** A workflow's fingerprint: a SHA-256 in hexadecimal. */
export const fingerprint: Check = (value) => (typeof value === "string" && /^[0-9a-f]{64}$/.test(value) ? undefined : expected("a SHA-256 fingerprint (64 hexadecimal digits)", value));

/** A task's TimeoutSeconds or HeartbeatSeconds: AWS's bounds. */
export const taskSeconds = numberIn(0, 99_999_999, true);

/**
 * The most branches a Parallel may have, or retriers a state: a definition that large could not be
 * stored (AWS allows 1 MB), and an event that names more would make evolve build as many.
 */
export const MAX_LIST_LENGTH = 100_000;

const timerStart = record({ id: nonEmptyString, until: canonicalTime });
const retryDecision = record({ retrier: integer(0, MAX_LIST_LENGTH - 1), retryCount: integer(1), timer: timerStart });
const errorFields = { error: string, cause: string };
const errorDetails = record({}, errorFields);
const stateName = nonEmptyString;
const taskId = { taskId: nonEmptyString };
const iterationDetails = record({ name: stateName, index: natural });

/** The facts ExecutionStarted records and the context object shows. */
export const executionFacts = record({
  id: string,
  name: string,
  input: jsonValue,
  roleArn: string,
  startTime: canonicalTime,
  stateMachine: record({ id: string, name: string }),
  type: oneOf("STANDARD", "EXPRESS"),
});

/** The fields of each event type beyond the envelope: required ones, then optional ones. */
const EVENT_FIELDS: Readonly<Record<HistoryEventType, readonly [Readonly<Record<string, Check>>, Readonly<Record<string, Check>>?]>> = {
  ExecutionStarted: [{ execution: executionFacts, workflow: fingerprint, seed: seedCheck, limits: limitsCheck, random: randomState }, { timer: timerStart }],
  ExecutionSucceeded: [{ executionSucceededEventDetails: record({ output: jsonValue }) }],
  ExecutionFailed: [{ executionFailedEventDetails: errorDetails }],
  ExecutionAborted: [{ executionAbortedEventDetails: errorDetails }],
  ExecutionTimedOut: [{ executionTimedOutEventDetails: errorDetails }],
  ...entered(["Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"]),
  ...exited(["Pass", "Task", "Choice", "Wait", "Succeed", "Parallel", "Map"]),
  TaskStateAborted: [{}],
  WaitStateAborted: [{}],
  ParallelStateAborted: [{}],
  MapStateAborted: [{}],
  TaskScheduled: [
    {
      taskScheduledEventDetails: record(
        { resourceType: string, resource: string, parameters: jsonValue },
        { timeoutInSeconds: taskSeconds, heartbeatInSeconds: taskSeconds },
      ),
      ...taskId,
      resourceArn: string,
    },
    { token: nonEmptyString },
  ],
  LambdaFunctionScheduled: [{ lambdaFunctionScheduledEventDetails: record({ resource: string, input: jsonValue }, { timeoutInSeconds: taskSeconds }), ...taskId }],
  ActivityScheduled: [
    {
      activityScheduledEventDetails: record({ resource: string, input: jsonValue }, { timeoutInSeconds: taskSeconds, heartbeatInSeconds: taskSeconds }),
      ...taskId,
      token: nonEmptyString,
    },
  ],
  ...started(["TaskStarted", "LambdaFunctionStarted", "ActivityStarted"]),
  TaskSubmitted: [taskId],
  TaskHeartbeat: [{ ...taskId, timer: timerStart }],
  TaskSucceeded: [{ taskSucceededEventDetails: record({ output: jsonValue }), ...taskId }],
  LambdaFunctionSucceeded: [{ lambdaFunctionSucceededEventDetails: record({ output: jsonValue }), ...taskId }],
  ActivitySucceeded: [{ activitySucceededEventDetails: record({ output: jsonValue }), ...taskId }],
  ...failed(["TaskFailed", "TaskTimedOut", "LambdaFunctionFailed", "LambdaFunctionTimedOut", "ActivityFailed", "ActivityTimedOut"]),
  EvaluationFailed: [{ evaluationFailedEventDetails: record({ error: string, cause: string, state: stateName }, { location: string }) }, { retry: retryDecision }],
  ParallelStateStarted: [{ branches: integer(1, MAX_LIST_LENGTH) }],
  ParallelStateFailed: [{}, { ...errorFields, retry: retryDecision }],
  MapStateFailed: [{}, { ...errorFields, retry: retryDecision }],
  MapStateStarted: [
    { mapStateStartedEventDetails: record({ length: natural }), items: arrayOf(jsonValue), effectiveInput: jsonValue, maxConcurrency: natural },
    { tolerance: record({}, { count: finiteNumber, percentage: finiteNumber }), batched: oneOf(true) },
  ],
  MapStateSucceeded: [{}],
  MapIterationStarted: [{ mapIterationStartedEventDetails: iterationDetails, iteration: nonEmptyString }],
  MapIterationSucceeded: [{ mapIterationSucceededEventDetails: iterationDetails, iteration: nonEmptyString, output: jsonValue }],
  MapIterationFailed: [{ mapIterationFailedEventDetails: iterationDetails, iteration: nonEmptyString }, { output: jsonValue, retry: retryDecision, ...errorFields }],
  MapIterationAborted: [{ mapIterationAbortedEventDetails: iterationDetails, iteration: nonEmptyString }],
  MapRunStarted: [{}],
  MapRunSucceeded: [{}],
  MapRunFailed: [{}],
  MapRunAborted: [{}],
};

function entered<T extends string>(types: readonly T[]): Record<`${T}StateEntered`, readonly [Record<string, Check>, Record<string, Check>]> {
  const fields = [{ stateEnteredEventDetails: record({ name: stateName, input: jsonValue }) }, { timer: timerStart }] as const;
  return Object.fromEntries(types.map((type) => [`${type}StateEntered`, fields])) as Record<`${T}StateEntered`, typeof fields>;
}

function exited<T extends string>(types: readonly T[]): Record<`${T}StateExited`, readonly [Record<string, Check>, Record<string, Check>]> {
  const fields = [{ stateExitedEventDetails: record({ name: stateName, output: jsonValue }, { assignedVariables: jsonObject }) }, { next: stateName }] as const;
  return Object.fromEntries(types.map((type) => [`${type}StateExited`, fields])) as Record<`${T}StateExited`, typeof fields>;
}

function started<T extends string>(types: readonly T[]): Record<T, readonly [Record<string, Check>, Record<string, Check>]> {
  const fields = [taskId, { timers: record({}, { timeout: timerStart, heartbeat: timerStart }) }] as const;
  return Object.fromEntries(types.map((type) => [type, fields])) as Record<T, typeof fields>;
}

function failed<T extends string>(types: readonly T[]): Record<T, readonly [Record<string, Check>, Record<string, Check>]> {
  const fields = [taskId, { retry: retryDecision }] as const;
  return Object.fromEntries(types.map((type) => [type, fields])) as Record<T, typeof fields>;
}

/** A Flaw found in field `key`, as a Flaw of the event. */
const inField = (key: string, found: Flaw | undefined): Flaw | undefined => (found ? within(key, found) : undefined);

const isTrue = oneOf(true);

/**
 * The envelope every event has. Its fields are read by name, not through `record`: this runs for
 * every event of a log. `checkedTime` is a time already found canonical (the event before's, which
 * most events share), whose check is not repeated.
 */
function envelopeFlaw(event: Record<string, unknown>, checkedTime: string | undefined): Flaw | undefined {
  const { id, previousEventId, timestamp, run, random, child } = event;
  return (
    inField("id", eventId(id)) ??
    inField("previousEventId", natural(previousEventId)) ??
    (timestamp === checkedTime ? undefined : inField("timestamp", canonicalTime(timestamp))) ??
    (run === undefined ? undefined : inField("run", string(run))) ??
    (random === undefined ? undefined : inField("random", randomState(random))) ??
    (child === undefined ? undefined : inField("child", isTrue(child))) ??
    ((previousEventId as number) < (id as number) ? undefined : within("previousEventId", flaw("must be the id of an earlier event")))
  );
}

/** The check of each event type's own fields. */
const EVENT_CHECKS: ReadonlyMap<string, Check> = new Map(Object.entries(EVENT_FIELDS).map(([type, [required, optional]]) => [type, record(required, optional ?? {})] as const));

/**
 * The first thing wrong with an event's shape (its type, envelope or the fields of its type), or
 * undefined. `previousEventId` must be an earlier event's id. `checkedTime`: see envelopeFlaw.
 */
export function eventFlaw(event: unknown, checkedTime?: string): Flaw | undefined {
  if (!isRecord(event)) return expected("an event (an object with id, type and timestamp)", event);
  const type = event["type"];
  const check = typeof type === "string" ? EVENT_CHECKS.get(type) : undefined;
  if (!check) return within("type", expected("an event type stepfold writes", type));
  return envelopeFlaw(event, checkedTime) ?? check(event);
}
