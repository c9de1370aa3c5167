import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
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
} from "../../src/index.js";

/**
 * Golden event logs: recorded executions of representative machines, kept in fixtures/executions.
 * recover must keep accepting every one of them as the code changes, and replaying their commands
 * must write the same events. Regenerate (after a deliberate change) with
 * `UPDATE_GOLDEN=1 npx vitest run spec/execution/golden.spec.ts`.
 */
const root = fileURLToPath(new URL("../../", import.meta.url));
const folder = `${root}fixtures/executions/`;

interface Golden {
  readonly definition: string;
  readonly input: unknown;
  readonly at: string;
  readonly seed: number;
  readonly commands: readonly Command[];
  readonly events: readonly HistoryEvent[];
}

type Driver = (step: Extract<Step, { status: "continue" }>, turn: number) => Command;

const readDefinition = (path: string): unknown => {
  const text = readFileSync(root + path, "utf8");
  return path.endsWith(".yaml") ? parseYaml(text) : JSON.parse(text);
};

const time = (seconds: number) => new Date(Date.parse("2024-03-01T09:00:00.000Z") + seconds * 1000).toISOString();
/** A little after the execution's latest event. */
const soon = (step: Step, seconds = 1) => new Date(Date.parse(step.execution.time) + seconds * 1000).toISOString();

/** Each scenario: a definition, an input, and how the host answers. */
const SCENARIOS: Record<string, { definition: string; input: unknown; drive: Driver }> = {
  "order-processing": {
    definition: "fixtures/definitions/valid/order-processing.json",
    input: { order: { id: "o-17", total: 42, delaySeconds: 30 } },
    drive: (step, turn) => {
      // Tasks first, then the Wait and retry timers; never the execution's own time-out.
      const next = step.pending.find((p) => p.kind === "task") ?? step.pending.find((p) => p.kind === "timer" && p.purpose !== "execution-timeout");
      if (!next) throw new Error("nothing pending");
      if (next.kind === "timer") return fireTimer(next.id);
      if (turn === 0) return failTask(next.id, "Lambda.TooManyRequestsException", "Rate exceeded", soon(step));
      return completeTask(next.id, next.state === "ValidateOrder" ? { ok: true } : { Payload: { receipt: "r-9" } }, soon(step, 5));
    },
  },
  "parallel-branches": {
    definition: "fixtures/definitions/valid/parallel-branches.json",
    input: { n: 21 },
    drive: () => {
      throw new Error("the parallel machine never waits");
    },
  },
  "map-callbacks": {
    definition: "fixtures/definitions/valid/map-inline.json",
    input: { batchId: "b-1", items: ["a", "b", "c"] },
    drive: (step) => {
      // Answer the callbacks by their task tokens, newest first.
      const tasks = step.pending.filter((p) => p.kind === "task");
      const last = tasks[tasks.length - 1];
      if (!last || last.kind !== "task" || last.token === undefined) throw new Error("expected a callback task");
      return completeTask(last.token, { handled: last.input }, soon(step));
    },
  },
  "jsonata-caught": {
    definition: "fixtures/definitions/valid/jsonata-variables.json",
    input: { items: [{ price: 10 }, { price: 20 }] },
    drive: (step) => {
      const [next] = step.pending;
      if (next?.kind !== "task") throw new Error("expected a task");
      return failTask(next.id, "Notify.Down", "no route", soon(step, 5));
    },
  },
  "wait-stopped": {
    definition: "fixtures/definitions/valid/wait-until.yaml",
    input: {},
    drive: (_step, turn) => (turn === 0 ? advanceTime(time(60)) : stopExecution("Operator.Stop", "stopped by hand", time(120))),
  },
};

async function play(scenario: (typeof SCENARIOS)[string]): Promise<Golden> {
  const workflow = parse(readDefinition(scenario.definition));
  const at = time(0);
  let step = await start(workflow, { input: scenario.input, at, seed: 2024, name: "golden" });
  const events: HistoryEvent[] = [...step.events];
  const commands: Command[] = [];
  for (let turn = 0; step.status === "continue" && turn < 50; turn++) {
    const command = scenario.drive(step, turn);
    commands.push(command);
    step = await resume(step.execution, command);
    events.push(...step.events);
  }
  return { definition: scenario.definition, input: scenario.input, at, seed: 2024, commands, events };
}

describe("golden event logs", () => {
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    const file = `${folder}${name}.json`;
    it(`${name}: recover accepts the log and replaying its commands writes it again`, async () => {
      if (process.env["UPDATE_GOLDEN"]) {
        mkdirSync(folder, { recursive: true });
        writeFileSync(file, `${JSON.stringify(await play(scenario), null, 2)}\n`);
      }
      expect(existsSync(file)).toBe(true);
      const golden = JSON.parse(readFileSync(file, "utf8")) as Golden;
      const workflow = parse(readDefinition(golden.definition));

      const recovered = recover(workflow, golden.events);
      expect(["succeeded", "failed", "aborted", "timed_out"]).toContain(recovered.status);

      let step = await start(workflow, { input: golden.input, at: golden.at, seed: golden.seed, name: "golden" });
      const events: HistoryEvent[] = [...step.events];
      for (const command of golden.commands) {
        step = await resume(step.execution, command);
        events.push(...step.events);
      }
      expect(JSON.parse(JSON.stringify(events))).toEqual(golden.events);
      expect(recovered.execution).toEqual(JSON.parse(JSON.stringify(step.execution)));
    });
  }
});
