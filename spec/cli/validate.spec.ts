import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { MAX_YAML_ALIASES } from "../../src/cli/definition-file.js";
import { readDefinitionFile } from "../../src/cli/input.js";
import type { CliIO } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/run.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const valid = "fixtures/definitions/valid/hello-world.json";
const invalid = "fixtures/definitions/invalid/missing-transition-target.asl.json";

/** Runs the CLI in-process against the repository's files and a given stdin; `io` replaces parts. */
async function run(args: string[], stdin = "", io: Partial<CliIO> = {}) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readFile: (path) => readDefinitionFile(resolve(root, path)),
    readStdin: async () => stdin,
    ...io,
  });
  return { code, stdout, stderr };
}

/** Any character that may not reach a terminal raw from the input (the CLI's own newlines aside). */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

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

  it("escapes control characters and bidi overrides from the input in its report", async () => {
    const evil = "Evil\u001b[31m\u202e\u009b\u007f\n  /States/Fake";
    const definition = JSON.stringify({
      StartAt: "A",
      States: { A: { Type: "Pass", Next: "Nowhere\u001b[31m\u202e" }, [evil]: { Type: "Succeed" } },
    });
    const file = "odd\u001b]0;title\u0007\u2066.json";
    const result = await run(["validate", file], "", { readFile: async () => definition });
    expect(result.code).toBe(1);
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toMatch(/^odd\\u001b\]0;title\\u0007\\u2066\.json: \d+ problems$/);
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}\/States\/A\/Next +MISSING_TRANSITION_TARGET {2}Missing 'Next' target: Nowhere\\u001b\[31m\\u202e$/));
    const escaped = "Evil\\u001b[31m\\u202e\\u009b\\u007f\\u000a  /States/Fake";
    expect(lines).toContainEqual(expect.stringContaining(`  /States/${escaped.replace("/States/Fake", "~1States~1Fake")} `));
    expect(lines).toContainEqual(expect.stringContaining(`State "${escaped}" is not reachable.`));
  });

  it("escapes them in usage errors too", async () => {
    expect((await run(["frobnicate\u001b[2J"])).stderr).toMatch(/^Unknown command: frobnicate\\u001b\[2J\n/);
    expect((await run(["validate", "--x\u202e", valid])).stderr).toMatch(/^Unknown option: --x\\u202e\n/);
  });

  it("keeps --json valid JSON with the input's values, and no raw control characters", async () => {
    const name = "Evil\u001b[31m\u202e\u009b";
    const definition = JSON.stringify({ StartAt: "A", States: { A: { Type: "Pass", Next: name } } });
    const result = await run(["validate", "--json", "-"], definition);
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    const [report] = JSON.parse(result.stdout) as [{ problems: { message: string }[] }];
    expect(report.problems.map((p) => p.message)).toContain(`Missing 'Next' target: ${name}`);
  });

  it.each([
    ["!Ref", "StartAt: A\nStates:\n  A:\n    Type: !Ref x\n", "Unresolved tag: !Ref at line 4, column 11"],
    ["!GetAtt", "StartAt: !GetAtt a.b\nStates: {}\n", "Unresolved tag: !GetAtt at line 1, column 10"],
    ["!!js/function", "StartAt: !!js/function 'function () {}'\n", "Unresolved tag: tag:yaml.org,2002:js/function at line 1, column 10"],
    ["a custom tag", "StartAt: A\nStates: !mine\n  A: {Type: Succeed}\n", "Unresolved tag: !mine at line 2, column 9"],
    ["!!binary", "StartAt: A\nComment: !!binary aGk=\nStates: {A: {Type: Succeed}}\n", "Unresolved tag: tag:yaml.org,2002:binary at line 2, column 10"],
    ["an unknown directive", "%FOO bar\n---\nStartAt: A\nStates: {A: {Type: Succeed}}\n", "Unknown directive %FOO at line 1, column 1"],
  ])("refuses YAML with %s, naming it and its line", async (_, yaml, reason) => {
    const result = await run(["validate", "-"], yaml);
    expect(result).toEqual({
      code: 1,
      stdout: `-: 1 problem\n  /  INVALID_JSON_DESCRIPTION  The definition is not valid YAML: ${reason}\n`,
      stderr: "",
    });
  });

  it("accepts YAML aliases within the cap, expanded", async () => {
    const task = "Type: Task, Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f'";
    const yaml = [
      "StartAt: A",
      "States:",
      `  A: {${task}, Next: B, Retry: &retry [{ErrorEquals: [States.ALL], MaxAttempts: 2}]}`,
      `  B: {${task}, End: true, Retry: *retry}`,
    ].join("\n");
    expect(await run(["validate", "-"], yaml)).toEqual({ code: 0, stdout: "-: valid\n", stderr: "" });
  });

  it("refuses a billion laughs without expanding it", async () => {
    const levels = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
    for (let i = 1; i < 10; i++) levels.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]`);
    const result = await run(["validate", "-"], `${levels.join("\n")}\n`);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/INVALID_JSON_DESCRIPTION {2}The definition is not valid YAML: Excessive alias count/);
  });

  it(`refuses YAML with more than ${MAX_YAML_ALIASES} aliases`, async () => {
    const anchors = (count: number) => Array.from({ length: count }, (_, i) => `  - &x${i} ${i}\n`).join("");
    const aliases = (count: number) => Array.from({ length: count }, (_, i) => `  - *x${i}\n`).join("");
    const yaml = (count: number) => `StartAt: A\nStates: {A: {Type: Succeed}}\nx:\n${anchors(count)}Comment:\n${aliases(count)}`;
    expect((await run(["validate", "-"], yaml(MAX_YAML_ALIASES))).stdout).not.toMatch(/not valid YAML/);
    const result = await run(["validate", "-"], yaml(MAX_YAML_ALIASES + 1));
    expect(result.stdout).toMatch(new RegExp(`The definition is not valid YAML: more than ${MAX_YAML_ALIASES} aliases\n$`));
  });

  it("reports anything thrown as a one-line, escaped error with exit 2", async () => {
    const thrown = await run(["validate", valid], "", {
      stdout: () => {
        throw new Error("boom\u001b[31m\nsecond line");
      },
    });
    expect(thrown).toEqual({ code: 2, stdout: "", stderr: "stepfold: unexpected error: boom\\u001b[31m\n" });
    const rejected = await run(["validate", "x.json"], "", { readFile: () => Promise.reject("odd\u001b") });
    expect(rejected).toMatchObject({ code: 2, stdout: "x.json: cannot read: odd\\u001b\n" });
  });

  it("survives a definition nested deep enough to overflow the stack", async () => {
    const depth = 200_000;
    const definition = `{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":${'{"a":'.repeat(depth)}1${"}".repeat(depth)},"End":true}}}`;
    const result = await run(["validate", "-"], definition);
    expect([1, 2]).toContain(result.code);
    if (result.code === 2) expect(result.stdout).toMatch(/^-: cannot check: [^\n]*\n$/);
  });

  const built = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));
  it.skipIf(!existsSync(built))("runs as a real process from the build (dist/cli/main.js)", async () => {
    const exec = promisify(execFile);
    const ok = await exec(process.execPath, [built, "validate", valid], { cwd: root });
    expect(ok.stdout).toBe(`${valid}: valid\n`);
    await expect(exec(process.execPath, [built, "validate", invalid], { cwd: root })).rejects.toMatchObject({ code: 1 });
  });
});
