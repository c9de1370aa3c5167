/**
 * The conformance cases recorded against AWS live in ../shared/conformance beside the repository;
 * they are read from there, never copied in. Specs skip with a clear message when they are absent.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** One recorded case (only the fields the specs read). */
export interface ConformanceCase {
  readonly id: string;
  readonly category: string;
  readonly kind: string;
  readonly features?: readonly string[];
  readonly definition: Record<string, unknown>;
  readonly input?: unknown;
  readonly expected: {
    readonly status: "SUCCEEDED" | "FAILED" | "INVALID_DEFINITION";
    readonly output?: unknown;
    readonly error?: string;
    readonly cause?: string;
  };
}

/** Where the cases are expected: ../shared/conformance/cases.json next to the repository. */
export const CASES_PATH = fileURLToPath(new URL("../../../shared/conformance/cases.json", import.meta.url));

/** The cases, or `undefined` when the shared folder is not there. */
export function loadConformanceCases(): readonly ConformanceCase[] | undefined {
  if (!existsSync(CASES_PATH)) return undefined;
  const file = JSON.parse(readFileSync(CASES_PATH, "utf8")) as { cases: ConformanceCase[] };
  return file.cases;
}

/** The message a spec shows when it skips for want of the cases. */
export const MISSING_CASES = `conformance cases not found at ${CASES_PATH}: skipped (they live in ../shared beside the repository)`;
