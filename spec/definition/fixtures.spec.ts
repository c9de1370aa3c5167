import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { validate, type Problem } from "../../src/index.js";

const folder = (name: string) => fileURLToPath(new URL(`../../fixtures/definitions/${name}/`, import.meta.url));
const read = (path: string): unknown => {
  const text = readFileSync(path, "utf8");
  return path.endsWith(".yaml") ? parseYaml(text) : JSON.parse(text);
};

describe("fixtures: valid definitions", () => {
  const files = readdirSync(folder("valid")).sort();
  it("ships valid fixtures", () => expect(files.length).toBeGreaterThanOrEqual(6));
  it.each(files)("%s has no problem", (file) => {
    expect(validate(read(folder("valid") + file))).toEqual([]);
  });
});

describe("fixtures: invalid definitions", () => {
  const names = readdirSync(folder("invalid"))
    .filter((f) => f.endsWith(".asl.json"))
    .map((f) => f.slice(0, -".asl.json".length))
    .sort();
  it("ships invalid fixtures", () => expect(names.length).toBeGreaterThanOrEqual(15));
  it.each(names)("%s gives exactly its listed problems", (name) => {
    const expected = read(`${folder("invalid")}${name}.problems.json`) as Problem[];
    expect(expected.length).toBeGreaterThan(0);
    expect(validate(read(`${folder("invalid")}${name}.asl.json`))).toEqual(expected);
  });
});
