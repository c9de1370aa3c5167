import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it, vi } from "vitest";

const readme = readFileSync(fileURLToPath(new URL("../README.md", import.meta.url)), "utf8");
const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
const folder = fileURLToPath(new URL("../node_modules/.cache/stepfold-readme/", import.meta.url));

describe("README", () => {
  it("has TypeScript examples", () => expect(examples.length).toBeGreaterThan(0));

  it.each(examples.map((code, index) => [index + 1, code] as const))("example %i runs as shown", async (index, code) => {
    mkdirSync(folder, { recursive: true });
    const file = `${folder}example-${index}.ts`;
    writeFileSync(file, code);
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      await import(/* @vite-ignore */ file);
    } finally {
      log.mockRestore();
    }
  });
});
