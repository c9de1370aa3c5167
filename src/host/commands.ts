/**
 * `start`: the one public entry point that may read the clock and draw a random number. It fills in
 * the start time and the seed when the caller leaves them out; the pure core never reads either.
 */
import type { Workflow } from "../definition/model.js";
import { startExecution, type StartOptions, type Step } from "../execution/drive.js";
import { readOptions, type ReadOptions } from "../execution/options.js";

const now = (): string => new Date().toISOString();

/** A seed drawn at random: an integer from 0 to 2³² − 1, as `start` takes. */
const randomSeed = (): number => Math.floor(Math.random() * 2 ** 32);

/** Options of `start`: as StartOptions, but `at` defaults to now and `seed` to a random number. */
export type StartInput = Omit<StartOptions, "at" | "seed"> & { readonly at?: string; readonly seed?: number };

/**
 * Starts an execution of `workflow`. Pass `at` and `seed` for a reproducible execution; without
 * them the clock and Math.random choose (and ExecutionStarted records both). Rejects only with
 * CommandRejected: MALFORMED_COMMAND for a workflow that `parse` did not make or options that do
 * not fit (see StartOptions), INPUT_TOO_LARGE, or INTERNAL_ERROR for what stepfold did not foresee.
 */
export function start(workflow: Workflow, options: StartInput = {}): Promise<Step> {
  let read: ReadOptions;
  try {
    // Read once here, so that the defaults are chosen for the very options that are then checked.
    read = readOptions(options);
  } catch (error) {
    return Promise.reject(error);
  }
  return startExecution(workflow, { ...read, at: read.at === undefined ? now() : read.at, seed: read.seed === undefined ? randomSeed() : read.seed } as StartOptions);
}
