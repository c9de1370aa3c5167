/**
 * Reading definition files: JSON, or YAML for `.yaml` / `.yml` files (and for standard input
 * that does not start like JSON).
 */
import { LineCounter, parseDocument, visit, type Document, type YAMLError } from "yaml";
import type { Problem } from "../definition/problems.js";

/**
 * How many aliases a YAML definition may hold, and how often one anchor may be expanded. Both are
 * needed: the cap per anchor stops exponential expansion (billion laughs), the total stops the
 * yaml package's scan of the document per alias from taking quadratic time.
 */
export const MAX_YAML_ALIASES = 100;

/** The definition text turned into what `validate` / `parse` take, or the problem that stops it. */
export function readDefinitionText(name: string, text: string): { definition: unknown } | { problem: Problem } {
  const yaml = /\.ya?ml$/i.test(name) || (name === "-" && !/^\s*[{[]/.test(text));
  return yaml ? readYaml(text) : { definition: text };
}

/**
 * YAML as JSON data, or the first reason it is not: every warning counts as an error, since a
 * tag the core schema does not know (`!Ref`, `!!binary`, ...) would otherwise be dropped silently.
 */
function readYaml(text: string): { definition: unknown } | { problem: Problem } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, {
    schema: "core",
    resolveKnownTags: false,
    uniqueKeys: true,
    stringKeys: true,
    prettyErrors: false,
    logLevel: "silent",
    lineCounter,
  });
  const first = document.errors[0] ?? document.warnings[0];
  if (first !== undefined) return invalidYaml(`${first.message}${where(first, lineCounter)}`);
  if (countAliases(document) > MAX_YAML_ALIASES) return invalidYaml(`more than ${MAX_YAML_ALIASES} aliases`);
  try {
    return { definition: document.toJS({ maxAliasCount: MAX_YAML_ALIASES }) as unknown };
  } catch (error) {
    return invalidYaml((error as Error).message);
  }
}

function where(error: YAMLError, lineCounter: LineCounter): string {
  if (error.pos[0] < 0) return "";
  const { line, col } = lineCounter.linePos(error.pos[0]);
  return ` at line ${line}, column ${col}`;
}

function countAliases(document: Document): number {
  let count = 0;
  visit(document, {
    Alias: () => {
      count += 1;
    },
  });
  return count;
}

function invalidYaml(reason: string): { problem: Problem } {
  return { problem: { code: "INVALID_JSON_DESCRIPTION", pointer: "", message: `The definition is not valid YAML: ${reason}` } };
}
