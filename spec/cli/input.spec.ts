import { execFileSync } from "node:child_process";
import { closeSync, constants, createReadStream, existsSync, openSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputRefused, MAX_DEFINITION_BYTES, readDefinitionFile, readDefinitionStream } from "../../src/cli/input.js";
import { runCli } from "../../src/cli/run.js";

const valid = fileURLToPath(new URL("../../fixtures/definitions/valid/hello-world.json", import.meta.url));
const tooLarge = `larger than ${MAX_DEFINITION_BYTES} bytes, the definition size limit`;
let dir = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "stepfold-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs `stepfold validate` in-process with the real readers; `stdin` stands for standard input. */
async function validate(args: string[], stdin: AsyncIterable<Buffer> = (async function* () {})()) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(["validate", ...args], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readFile: (path) => readDefinitionFile(path),
    readStdin: () => readDefinitionStream(stdin),
  });
  return { code, stdout, stderr };
}

/** Bytes without end, counting how many were pulled and whether the reader let go. */
function endless() {
  const seen = { pulled: 0, closed: false };
  async function* chunks() {
    try {
      for (;;) {
        seen.pulled += 65_536;
        yield Buffer.alloc(65_536, 0x20);
      }
    } finally {
      seen.closed = true;
    }
  }
  return { seen, stream: chunks() };
}

describe("reading definition files", () => {
  it("reads a regular file", async () => {
    expect(JSON.parse(await readDefinitionFile(valid))).toHaveProperty("StartAt");
    expect(await validate([valid])).toEqual({ code: 0, stdout: `${valid}: valid\n`, stderr: "" });
  });

  it.skipIf(process.platform === "win32")("refuses a FIFO without opening it, with exit 2", async () => {
    const fifo = join(dir, "definition.fifo");
    execFileSync("mkfifo", [fifo]);
    // Should the CLI still wait in open(), a writer appearing lets it go on, so the test fails instead of hanging.
    const release = setTimeout(() => closeSync(openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK)), 2_000);
    try {
      await expect(readDefinitionFile(fifo)).rejects.toThrow(new InputRefused("not a regular file (a FIFO)"));
      expect(await validate([valid, fifo])).toEqual({
        code: 2,
        stdout: `${valid}: valid\n${fifo}: cannot read: not a regular file (a FIFO)\n`,
        stderr: "",
      });
    } finally {
      clearTimeout(release);
    }
  });

  it("refuses a directory with exit 2", async () => {
    expect(await validate([dir])).toMatchObject({ code: 2, stdout: `${dir}: cannot read: not a regular file (a directory)\n` });
  });

  it.skipIf(!existsSync("/dev/zero"))("refuses a device such as /dev/zero without reading it", async () => {
    expect(await validate(["/dev/zero"])).toMatchObject({ code: 2, stdout: "/dev/zero: cannot read: not a regular file (a device)\n" });
  });

  it("reads a file of exactly the size limit, and refuses one a byte larger with exit 2", async () => {
    const definition = '{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}';
    const atLimit = join(dir, "at-limit.json");
    const overLimit = join(dir, "over-limit.json");
    await writeFile(atLimit, definition.padEnd(MAX_DEFINITION_BYTES, " "));
    await writeFile(overLimit, definition.padEnd(MAX_DEFINITION_BYTES + 1, " "));
    expect(await validate([atLimit])).toMatchObject({ code: 0, stdout: `${atLimit}: valid\n` });
    expect(await validate([overLimit])).toMatchObject({ code: 2, stdout: `${overLimit}: cannot read: ${tooLarge}\n` });
  });

  it("counts the limit in bytes", async () => {
    const file = join(dir, "small.json");
    await writeFile(file, "ééé"); // 6 bytes
    expect(await readDefinitionFile(file, 6)).toBe("ééé");
    await expect(readDefinitionFile(file, 5)).rejects.toThrow(InputRefused);
  });
});

describe("reading standard input", () => {
  it("reads a definition within the limit", async () => {
    const stdin = (async function* () {
      yield Buffer.from('{"StartAt":"A",');
      yield Buffer.from('"States":{"A":{"Type":"Succeed"}}}');
    })();
    expect(await validate(["-"], stdin)).toEqual({ code: 0, stdout: "-: valid\n", stderr: "" });
  });

  it("stops reading an endless stream past the limit and exits 2", async () => {
    const { seen, stream } = endless();
    expect(await validate(["-"], stream)).toMatchObject({ code: 2, stdout: `-: cannot read: ${tooLarge}\n` });
    expect(seen.closed).toBe(true);
    expect(seen.pulled).toBeLessThanOrEqual(MAX_DEFINITION_BYTES + 65_536);
  });

  it.skipIf(!existsSync("/dev/zero"))("stops reading /dev/zero as standard input", async () => {
    const stream = createReadStream("/dev/zero");
    await expect(readDefinitionStream(stream)).rejects.toThrow(new InputRefused(tooLarge));
    expect(stream.destroyed).toBe(true);
    expect(stream.bytesRead).toBeLessThan(2 * MAX_DEFINITION_BYTES);
  });
});
