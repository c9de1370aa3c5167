/**
 * Task resources: which ARNs Step Functions recognizes as a Task's `Resource`, and how each one
 * appears in the history (`resourceType` / `resource` of TaskScheduled and friends).
 */
import type { IntegrationPattern } from "./model.js";

/** What kind of worker a Task resource names; it decides the history events a Task writes. */
export type ResourceKind = "lambda-function" | "activity" | "integration";

/** A recognized Task resource. */
export interface TaskResource {
  readonly kind: ResourceKind;
  readonly pattern: IntegrationPattern;
  /** For integrations, e.g. `lambda`, `aws-sdk:s3`, `states` (AWS's `resourceType`). */
  readonly resourceType: string;
  /** For integrations, e.g. `invoke`, `getObject`, `startExecution.sync:2` (AWS's `resource`). */
  readonly resourceName: string;
}

type Patterns = readonly IntegrationPattern[];
const RR: Patterns = ["request-response"];
const RR_SYNC: Patterns = ["request-response", "sync"];
const RR_CALLBACK: Patterns = ["request-response", "callback"];
const ALL: Patterns = ["request-response", "sync", "callback"];

/**
 * The optimized integrations (AWS Developer Guide, "Integrating optimized services"): the patterns
 * each service supports and, where the list is short and stable, the exact API actions.
 * Services whose action lists are long accept any action name.
 */
const OPTIMIZED: Readonly<Record<string, { readonly patterns: Patterns; readonly actions?: readonly string[] }>> = {
  apigateway: { patterns: RR_CALLBACK, actions: ["invoke"] },
  athena: { patterns: RR_SYNC },
  batch: { patterns: RR_SYNC },
  bedrock: { patterns: ALL },
  codebuild: { patterns: RR_SYNC },
  databrew: { patterns: RR_SYNC, actions: ["startJobRun"] },
  dynamodb: { patterns: RR, actions: ["getItem", "putItem", "updateItem", "deleteItem"] },
  ecs: { patterns: ALL, actions: ["runTask"] },
  eks: { patterns: ALL },
  elasticmapreduce: { patterns: RR_SYNC },
  "emr-containers": { patterns: RR_SYNC },
  "emr-serverless": { patterns: RR_SYNC },
  events: { patterns: RR_CALLBACK, actions: ["putEvents"] },
  glue: { patterns: RR_SYNC },
  http: { patterns: RR, actions: ["invoke"] },
  lambda: { patterns: RR_CALLBACK, actions: ["invoke"] },
  mediaconvert: { patterns: RR_SYNC, actions: ["createJob"] },
  sagemaker: { patterns: RR_SYNC },
  sns: { patterns: RR_CALLBACK, actions: ["publish"] },
  sqs: { patterns: RR_CALLBACK, actions: ["sendMessage"] },
  states: { patterns: ALL, actions: ["startExecution"] },
};

const INTEGRATION = /^arn:[a-z-]+:states:::([a-z0-9-]+):(.+)$/;
const ACTION = /^([A-Za-z0-9-]+)(\.sync(?::2)?|\.waitForTaskToken)?$/;
const SDK_ACTION = /^([a-z0-9-]+):([A-Za-z][A-Za-z0-9]*)(\.waitForTaskToken)?$/;
const LAMBDA_FUNCTION = /^arn:[a-z-]+:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(?::[A-Za-z0-9_$-]+)?$/;
const ACTIVITY = /^arn:[a-z-]+:states:[a-z0-9-]+:\d{12}:activity:[^:\s]+$/;
const ARN = /^arn:[^:\s]+:[^:\s]+:/;

const patternOf = (suffix: string | undefined): IntegrationPattern =>
  suffix === undefined ? "request-response" : suffix === ".waitForTaskToken" ? "callback" : "sync";

/**
 * Reads a Task resource. Returns a message (AWS's wording) when Step Functions would not
 * recognize it, with `notArn` set when the text is not an ARN at all.
 */
export function readTaskResource(
  text: string,
): { readonly ok: true; readonly value: TaskResource } | { readonly ok: false; readonly notArn: boolean; readonly message: string } {
  const unrecognized = {
    ok: false,
    notArn: false,
    message: `The resource provided ${text} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.`,
  } as const;
  if (!ARN.test(text)) return { ok: false, notArn: true, message: `The resource provided ${text} is not a valid ARN.` };
  if (LAMBDA_FUNCTION.test(text)) {
    return { ok: true, value: { kind: "lambda-function", pattern: "request-response", resourceType: "lambda", resourceName: text } };
  }
  if (ACTIVITY.test(text)) {
    return { ok: true, value: { kind: "activity", pattern: "callback", resourceType: "activity", resourceName: text } };
  }
  const integration = INTEGRATION.exec(text);
  if (!integration) return unrecognized;
  const service = integration[1] as string;
  const rest = integration[2] as string;
  if (service === "aws-sdk") {
    const sdk = SDK_ACTION.exec(rest);
    if (!sdk) return unrecognized;
    const pattern = patternOf(sdk[3]);
    return { ok: true, value: { kind: "integration", pattern, resourceType: `aws-sdk:${sdk[1]}`, resourceName: `${sdk[2]}${sdk[3] ?? ""}` } };
  }
  const action = ACTION.exec(rest);
  const spec = Object.hasOwn(OPTIMIZED, service) ? OPTIMIZED[service] : undefined;
  if (!action || !spec) return unrecognized;
  const pattern = patternOf(action[2]);
  if (!spec.patterns.includes(pattern)) return unrecognized;
  if (spec.actions && !spec.actions.includes(action[1] as string)) return unrecognized;
  if (action[2] === ".sync:2" && service !== "states") return unrecognized;
  return { ok: true, value: { kind: "integration", pattern, resourceType: service, resourceName: rest } };
}

/** The resources a Distributed Map's ItemReader may read from. */
export const ITEM_READER_RESOURCES: readonly string[] = ["s3:getObject", "s3:listObjectsV2"];

/** True when `text` is `arn:<partition>:states:::<one of actions>`. */
export function isStatesResource(text: string, actions: readonly string[]): boolean {
  const m = /^arn:[a-z-]+:states:::(.+)$/.exec(text);
  return m !== null && actions.includes(m[1] as string);
}
