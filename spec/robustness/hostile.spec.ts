/**
 * The short, deterministic run of the hostile-input fuzz (the long one is `npm run fuzz`): every
 * kind of case, a fixed seed, and no violation of what must hold whatever stepfold is given.
 */
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain JavaScript module, shared with the long run under Node.
import { fuzz, kinds } from "./hostile.mjs";

interface Result {
  readonly outcomes: Map<string, number>;
  readonly violations: { outcome: string; value: unknown }[];
}

const all = kinds() as Record<string, { arbitrary: unknown; run: (value: unknown) => Promise<string> }>;
const RUNS: Record<string, number> = { definitions: 150, logs: 150, executions: 150, jsonata: 300 };

describe("hostile input, generated", () => {
  it.each(Object.keys(all))("%s: only typed errors, bounded time, nothing changed, recover equals live", async (name) => {
    const result = (await fuzz(all[name], { runs: RUNS[name] ?? 100, seed: 20_261_205 })) as Result;
    expect(result.violations.map(({ outcome, value }) => `${outcome}\n${JSON.stringify(value).slice(0, 2000)}`)).toEqual([]);
    // Each kind must reach past its first check, or the run proves little.
    expect([...result.outcomes.keys()].some((outcome) => outcome.startsWith("Step:"))).toBe(true);
  }, 300_000);
});
