/**
 * Reading definition files: JSON, or YAML for `.yaml` / `.yml` files (and for standard input
 * that does not start like JSON).
 */
import { parse as parseYaml } from "yaml";
import type { Problem } from "../definition/problems.js";

/** The definition text turned into what `validate` / `parse` take, or the problem that stops it. */
export function readDefinitionText(name: string, text: string): { definition: unknown } | { problem: Problem } {
  const yaml = /\.ya?ml$/i.test(name) || (name === "-" && !/^\s*[{[]/.test(text));
  if (!yaml) return { definition: text };
  try {
    return { definition: parseYaml(text, { schema: "core", uniqueKeys: true }) as unknown };
  } catch (error) {
    return { problem: { code: "INVALID_JSON_DESCRIPTION", pointer: "", message: `The definition is not valid YAML: ${(error as Error).message.split("\n")[0]}` } };
  }
}
