import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  advanceTime,
  completeTask,
  failTask,
  fireTimer,
  parse,
  recover,
  resume,
  start,
  stopExecution,
  type Command,
  type HistoryEvent,
  type Step,
  type Workflow,
} from "../../src/index.js";

/** A generated scope: a chain of states, each of one of these kinds. */
type Shape =
  | { kind: "pass" }
  | { kind: "task"; retry: boolean; catchErrors: boolean; timeout: boolean }
  | { kind: "wait"; seconds: number }
  | { kind: "choice" }
  | { kind: "parallel"; branches: Shape[][] }
  | { kind: "map"; processor: Shape[]; maxConcurrency: number };

const shape = fc.letrec<{ state: Shape; chain: Shape[] }>((tie) => ({
  state: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant<Shape>({ kind: "pass" }),
    fc.record({ kind: fc.constant("task" as const), retry: fc.boolean(), catchErrors: fc.boolean(), timeout: fc.boolean() }),
    fc.record({ kind: fc.constant("wait" as const), seconds: fc.integer({ min: 0, max: 3 }) }),
    fc.constant<Shape>({ kind: "choice" }),
    fc.record({ kind: fc.constant("parallel" as const), branches: fc.array(tie("chain"), { minLength: 1, maxLength: 2 }) }),
    fc.record({ kind: fc.constant("map" as const), processor: tie("chain"), maxConcurrency: fc.integer({ min: 0, max: 2 }) }),
  ),
  chain: fc.array(tie("state"), { minLength: 1, maxLength: 3 }),
}));

/** Turns a chain of shapes into an ASL scope with machine-wide unique names. */
function scopeOf(chain: Shape[], names: { next: number }): Record<string, unknown> {
  const states: Record<string, unknown> = {};
  const ids = chain.map(() => `S${names.next++}`);
  let handled: string | undefined;
  chain.forEach((s, i) => {
    const flow = i + 1 < chain.length ? { Next: ids[i + 1] } : { End: true };
    const name = ids[i] as string;
    switch (s.kind) {
      case "pass":
        states[name] = { Type: "Pass", Parameters: { "items.$": "$.items", "at.$": "$$.State.EnteredTime" }, ...flow };
        break;
      case "task": {
        if (s.catchErrors) handled ??= `H${names.next++}`;
        states[name] = {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Parameters: { "items.$": "$.items", "attempt.$": "$$.State.RetryCount" },
          ResultPath: "$.result",
          ...(s.timeout ? { TimeoutSeconds: 5 } : {}),
          ...(s.retry ? { Retry: [{ ErrorEquals: ["Boom", "States.Timeout"], IntervalSeconds: 1, MaxAttempts: 2, JitterStrategy: "FULL" }] } : {}),
          ...(s.catchErrors ? { Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: handled }] } : {}),
          ...flow,
        };
        break;
      }
      case "wait":
        states[name] = { Type: "Wait", Seconds: s.seconds, ...flow };
        break;
      case "choice":
        states[name] = {
          Type: "Choice",
          Choices: [{ Variable: "$.result", IsPresent: true, Next: i + 1 < chain.length ? ids[i + 1] : (handled ??= `H${names.next++}`) }],
          Default: i + 1 < chain.length ? (ids[i + 1] as string) : (handled ??= `H${names.next++}`),
        };
        break;
      case "parallel":
        states[name] = { Type: "Parallel", Branches: s.branches.map((b) => scopeOf(b, names)), ResultPath: "$.parallel", ...flow };
        break;
      case "map":
        states[name] = {
          Type: "Map",
          ItemsPath: "$.items",
          ItemSelector: { "items.$": "$.items", "value.$": "$$.Map.Item.Value" },
          MaxConcurrency: s.maxConcurrency,
          ItemProcessor: scopeOf(s.processor, names),
          ResultPath: "$.mapped",
          ...flow,
        };
        break;
    }
  });
  if (handled) states[handled] = { Type: "Succeed" };
  return { StartAt: ids[0], States: states };
}

const T0 = Date.parse("2024-01-01T00:00:00.000Z");

/** Picks the next command from the pending work, driven by a generated number. */
function nextCommand(step: Extract<Step, { status: "continue" }>, choice: number, clock: { ms: number }): Command {
  clock.ms += 1000;
  const at = new Date(clock.ms).toISOString();
  const pending = step.pending;
  const pick = choice % (pending.length + 2);
  const item = pending[pick];
  if (item?.kind === "task") return choice % 3 === 2 ? failTask(item.id, "Boom", "generated", at) : completeTask(item.id, { done: choice }, at);
  if (item?.kind === "timer") {
    if (item.until > at) clock.ms = Date.parse(item.until);
    return fireTimer(item.id);
  }
  if (pick === pending.length) {
    clock.ms += 3000;
    return advanceTime(new Date(clock.ms).toISOString());
  }
  return choice % 7 === 0 ? stopExecution("Stopped", "generated", at) : advanceTime(at);
}

async function check(workflow: Workflow, choices: readonly number[]): Promise<void> {
  const clock = { ms: T0 };
  let step = await start(workflow, { input: { items: [1, 2] }, at: new Date(T0).toISOString(), seed: 42 });
  const log: HistoryEvent[] = [...step.events];
  for (const choice of choices) {
    const recovered = recover(workflow, log);
    expect(recovered.execution).toEqual(step.execution);
    expect(recovered.status).toBe(step.status);
    if (step.status !== "continue" || recovered.status !== "continue") break;
    expect(recovered.pending).toEqual(step.pending);
    const command = nextCommand(step, choice, clock);
    const next = await resume(step.execution, command);
    // The execution is plain JSON: a round trip resumes the same way.
    const roundTrip = await resume(JSON.parse(JSON.stringify(step.execution)), command);
    expect(roundTrip.events).toEqual(next.events);
    expect(roundTrip.execution).toEqual(next.execution);
    log.push(...next.events);
    step = next;
  }
}

describe("recovery", () => {
  it("rebuilds the live execution from every step's log, and a JSON round trip resumes the same way", async () => {
    await fc.assert(
      fc.asyncProperty(shape.chain, fc.array(fc.nat(1000), { minLength: 1, maxLength: 30 }), async (chain, choices) => {
        const workflow = parse(scopeOf(chain, { next: 0 }));
        await check(workflow, choices);
      }),
      { numRuns: 150 },
    );
  });
});
