/** What the CLI needs from the outside world, so commands can be run in tests without a process. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Reads a file as UTF-8 text; rejects when it cannot be read, is not a regular file or is too large. */
  readonly readFile: (path: string) => Promise<string>;
  /** Reads all of standard input as UTF-8 text; rejects when it is too large. */
  readonly readStdin: () => Promise<string>;
}

/** Exit code: everything is fine. */
export const EXIT_OK = 0;
/** Exit code: a finding (an invalid definition, a failed execution). */
export const EXIT_FINDING = 1;
/** Exit code: a usage error or a file that cannot be read. */
export const EXIT_USAGE = 2;
