import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // README examples import the package by name; in tests that is the source.
    alias: { stepfold: fileURLToPath(new URL("./src/index.ts", import.meta.url)) },
  },
  test: {
    include: ["spec/**/*.spec.ts"],
    setupFiles: ["./spec/support/fast-check-seed.ts"],
    reporters: ["default", "./spec/support/summary-reporter.ts"],
  },
});
