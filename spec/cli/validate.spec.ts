import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const valid = "fixtures/definitions/valid/hello-world.json";
const invalid = "fixtures/definitions/invalid/missing-transition-target.asl.json";

/** Runs the CLI in-process against the repository's files and a given stdin. */
async function run(args: string[], stdin = "") {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readFile: (path) => readFile(root + path, "utf8"),
    readStdin: async () => stdin,
  });
  return { code, stdout, stderr };
}

describe("stepfold validate", () => {
  it("exits 0 and says valid for valid files, JSON and YAML", async () => {
    const result = await run(["validate", valid, "fixtures/definitions/valid/wait-until.yaml"]);
    expect(result).toEqual({
      code: 0,
      stdout: `${valid}: valid\nfixtures/definitions/valid/wait-until.yaml: valid\n`,
      stderr: "",
    });
  });

  it("exits 1 and lists pointer, code and message for an invalid file", async () => {
    const result = await run(["validate", valid, invalid]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      `${valid}: valid\n` +
        `${invalid}: 2 problems\n` +
        `  /States/First/Next  MISSING_TRANSITION_TARGET  Missing 'Next' target: Nowhere\n` +
        `  /States/Last        MISSING_TRANSITION_TARGET  State "Last" is not reachable.\n`,
    );
  });

  it("reports JSON for machines with --json", async () => {
    const result = await run(["validate", "--json", invalid]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual([
      {
        file: invalid,
        valid: false,
        problems: [
          { code: "MISSING_TRANSITION_TARGET", pointer: "/States/First/Next", message: "Missing 'Next' target: Nowhere" },
          { code: "MISSING_TRANSITION_TARGET", pointer: "/States/Last", message: 'State "Last" is not reachable.' },
        ],
      },
    ]);
  });

  it("reads standard input for -, as JSON or YAML", async () => {
    expect((await run(["validate", "-"], '{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}')).code).toBe(0);
    expect((await run(["validate", "-"], "StartAt: A\nStates:\n  A:\n    Type: Succeed\n")).code).toBe(0);
    const broken = await run(["validate", "-"], '{"StartAt": ');
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^-: 1 problem\n {2}\/ {2}INVALID_JSON_DESCRIPTION {2}The definition is not valid JSON: /);
  });

  it("reports YAML that does not parse as an invalid definition", async () => {
    const result = await run(["validate", "-"], "StartAt: [unclosed\n");
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/INVALID_JSON_DESCRIPTION {2}The definition is not valid YAML: /);
  });

  it("exits 2 for an unreadable file, after reporting the others", async () => {
    const result = await run(["validate", valid, "no/such/file.json"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe(`${valid}: valid\nno/such/file.json: cannot read: ENOENT\n`);
  });

  it("exits 2 for usage errors", async () => {
    expect(await run(["validate"])).toMatchObject({ code: 2, stdout: "" });
    expect((await run(["validate"])).stderr).toMatch(/^No file given\.\nUsage: stepfold validate/);
    expect((await run(["validate", "--yaml", valid])).stderr).toMatch(/^Unknown option: --yaml\n/);
    expect((await run(["frobnicate"])).stderr).toMatch(/^Unknown command: frobnicate\nUsage: stepfold <command>/);
    expect((await run([])).code).toBe(2);
  });

  it("prints help with exit 0", async () => {
    expect(await run(["--help"])).toMatchObject({ code: 0, stderr: "" });
    expect((await run(["validate", "--help"])).stdout).toMatch(/^Usage: stepfold validate \[--json\] FILE\.\.\./);
  });

  const built = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));
  it.skipIf(!existsSync(built))("runs as a real process from the build (dist/cli/main.js)", async () => {
    const exec = promisify(execFile);
    const ok = await exec(process.execPath, [built, "validate", valid], { cwd: root });
    expect(ok.stdout).toBe(`${valid}: valid\n`);
    await expect(exec(process.execPath, [built, "validate", invalid], { cwd: root })).rejects.toMatchObject({ code: 1 });
  });
});
