#!/usr/bin/env node
/** The process around the CLI: real files, real streams, the exit code. */
import { readDefinitionFile, readDefinitionStream } from "./input.js";
import { EXIT_USAGE } from "./io.js";
import { runCli } from "./run.js";

// A reader that leaves early (`stepfold validate ... | head`) fails our writes with EPIPE: stop
// quietly rather than die on an unhandled 'error' event.
for (const stream of [process.stdout, process.stderr]) stream.on("error", () => process.exit(EXIT_USAGE));

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readDefinitionFile(path),
  readStdin: () => readDefinitionStream(process.stdin),
});
