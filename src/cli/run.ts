/** The `stepfold` command: argv in, exit code out. */
import { runValidate } from "./validate.js";
import { EXIT_OK, EXIT_USAGE, type CliIO } from "./io.js";

/** The top-level help text. */
export const USAGE = `Usage: stepfold <command> [options]

Commands:
  validate FILE...   check state machine definitions (JSON or YAML; - reads stdin)

Run 'stepfold <command> --help' for a command's options.`;

/** Runs the CLI with the arguments after the program name; resolves to the exit code. */
export async function runCli(args: readonly string[], io: CliIO): Promise<number> {
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
      io.stderr(`${command === undefined ? "No command given." : `Unknown command: ${command}`}\n${USAGE}\n`);
      return EXIT_USAGE;
  }
}
