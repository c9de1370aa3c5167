/** `stepfold validate FILE... [--json]`: checks definition files and reports every problem. */
import { validate } from "../definition/parse.js";
import type { Problem } from "../definition/problems.js";
import { readDefinitionText } from "./definition-file.js";
import { EXIT_FINDING, EXIT_OK, EXIT_USAGE, type CliIO } from "./io.js";
import { InputRefused } from "./input.js";
import { escapeControls, escapeJsonControls, firstLine } from "./safe-text.js";

/** The outcome for one file: its problems, or why it could not be read. */
export type FileReport =
  | { readonly file: string; readonly valid: boolean; readonly problems: readonly Problem[] }
  | { readonly file: string; readonly error: string };

/** The help text of `stepfold validate`. */
export const VALIDATE_USAGE = `Usage: stepfold validate [--json] FILE...

Checks Amazon States Language definitions (JSON, or YAML for .yaml/.yml files) and lists
every problem with its JSON pointer. Use - to read standard input.

Exit status: 0 all valid, 1 some definition is invalid, 2 usage error or unreadable file.`;

/** Runs `validate` over the arguments after the command name; returns the exit code. */
export async function runValidate(args: readonly string[], io: CliIO): Promise<number> {
  const json = args.includes("--json");
  const unknown = args.filter((a) => a.startsWith("-") && a !== "-" && a !== "--json");
  if (args.includes("--help") || args.includes("-h")) {
    io.stdout(`${VALIDATE_USAGE}\n`);
    return EXIT_OK;
  }
  const files = args.filter((a) => a === "-" || !a.startsWith("-"));
  if (unknown.length > 0 || files.length === 0) {
    io.stderr(`${unknown.length > 0 ? `Unknown option: ${escapeControls(unknown[0] ?? "")}\n` : "No file given.\n"}${VALIDATE_USAGE}\n`);
    return EXIT_USAGE;
  }

  const reports: FileReport[] = [];
  for (const file of files) reports.push(await checkFile(file, io));

  io.stdout(json ? `${escapeJsonControls(JSON.stringify(reports, null, 2))}\n` : formatReports(reports));
  if (reports.some((r) => "error" in r)) return EXIT_USAGE;
  return reports.every((r) => "valid" in r && r.valid) ? EXIT_OK : EXIT_FINDING;
}

async function checkFile(file: string, io: CliIO): Promise<FileReport> {
  let text: string;
  try {
    text = file === "-" ? await io.readStdin() : await io.readFile(file);
  } catch (error) {
    return { file, error: `cannot read: ${readFailure(error)}` };
  }
  try {
    const read = readDefinitionText(file, text);
    const problems = "problem" in read ? [read.problem] : validate(read.definition);
    return { file, valid: problems.length === 0, problems };
  } catch (error) {
    // validate should never throw; should it still (a stack overflow on deep nesting), the other files get checked.
    return { file, error: `cannot check: ${firstLine(error)}` };
  }
}

function readFailure(error: unknown): string {
  if (error instanceof InputRefused) return error.message;
  return (error as NodeJS.ErrnoException | undefined)?.code ?? firstLine(error);
}

/**
 * The human-readable report: a line per file, then its problems aligned in columns. Everything
 * from the input (file names, pointers, messages) has its control characters escaped.
 */
export function formatReports(reports: readonly FileReport[]): string {
  const lines: string[] = [];
  for (const report of reports) {
    const file = escapeControls(report.file);
    if ("error" in report) {
      lines.push(`${file}: ${escapeControls(report.error)}`);
      continue;
    }
    if (report.valid) {
      lines.push(`${file}: valid`);
      continue;
    }
    const count = report.problems.length;
    lines.push(`${file}: ${count} problem${count === 1 ? "" : "s"}`);
    const rows = report.problems.map((p) => ({
      pointer: escapeControls(p.pointer || "/"),
      code: escapeControls(p.code),
      message: escapeControls(p.message),
    }));
    const width = widest(rows.map((row) => row.pointer));
    const codeWidth = widest(rows.map((row) => row.code));
    for (const row of rows) lines.push(`  ${row.pointer.padEnd(width)}  ${row.code.padEnd(codeWidth)}  ${row.message}`);
  }
  return `${lines.join("\n")}\n`;
}

// Not Math.max(...lengths): spreading a list of many problems overflows the stack.
function widest(texts: readonly string[]): number {
  return texts.reduce((max, text) => Math.max(max, text.length), 0);
}
