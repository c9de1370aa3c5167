import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const path = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

export default defineConfig({
  resolve: {
    // README examples import the package by name; in tests that is the source.
    alias: { stepfold: path("./src/index.ts") },
  },
  test: {
    include: ["spec/**/*.spec.ts"],
    setupFiles: ["./spec/support/fast-check-seed.ts"],
    reporters: ["default", "./spec/support/summary-reporter.ts"],
    projects: [
      { extends: true, test: { name: "default" } },
      {
        // The whole suite again, with every value crossing the public API deep-frozen both ways.
        extends: true,
        test: { name: "frozen", exclude: ["spec/bench/**", "spec/cli/**"] },
        resolve: {
          alias: [
            { find: /^(?:\.\.\/)+src\/index\.js$/, replacement: path("./spec/support/frozen-api.ts") },
            { find: /^stepfold$/, replacement: path("./spec/support/frozen-api.ts") },
          ],
        },
      },
    ],
  },
});
