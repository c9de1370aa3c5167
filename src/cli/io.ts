/** What the CLI needs from the outside world, so commands can be run in tests without a process. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Reads a file as UTF-8 text; rejects when it cannot be read. */
  readonly readFile: (path: string) => Promise<string>;
  /** Reads all of standard input as UTF-8 text. */
  readonly readStdin: () => Promise<string>;
}

/** Exit codes: success, a finding (an invalid definition, a failed execution), a usage or I/O error. */
export const EXIT_OK = 0;
export const EXIT_FINDING = 1;
export const EXIT_USAGE = 2;
