/** The `stepfold` command: argv in, exit code out. */
import { runValidate } from "./validate.js";
import { EXIT_OK, EXIT_USAGE, type CliIO } from "./io.js";
import { escapeControls, firstLine } from "./safe-text.js";

/** The top-level help text. */
export const USAGE = `Usage: stepfold <command> [options]

Commands:
  validate FILE...   check state machine definitions (JSON or YAML; - reads stdin)

Run 'stepfold <command> --help' for a command's options.`;

/**
 * Runs the CLI with the arguments after the program name; resolves to the exit code. It does not
 * reject: anything thrown is reported as a one-line error with exit code 2.
 */
export async function runCli(args: readonly string[], io: CliIO): Promise<number> {
  try {
    return await dispatch(args, io);
  } catch (error) {
    io.stderr(`stepfold: unexpected error: ${escapeControls(firstLine(error))}\n`);
    return EXIT_USAGE;
  }
}

async function dispatch(args: readonly string[], io: CliIO): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case "validate":
      return runValidate(rest, io);
    case "--help":
    case "-h":
    case "help":
      io.stdout(`${USAGE}\n`);
      return EXIT_OK;
    default:
      io.stderr(`${command === undefined ? "No command given." : `Unknown command: ${escapeControls(command)}`}\n${USAGE}\n`);
      return EXIT_USAGE;
  }
}
