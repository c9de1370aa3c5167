/**
 * Reading definitions from files and standard input with bounds: only regular files, and never
 * more than the definition size limit, so a FIFO, a device or an endless stream cannot stall or
 * exhaust the CLI.
 */
import { constants, type Stats } from "node:fs";
import { open, stat, type FileHandle } from "node:fs/promises";

/** The largest definition read, in bytes: AWS's definition size limit (1 MB). */
export const MAX_DEFINITION_BYTES = 1_048_576;

/** An input refused before or while reading it; its message says why, for the user. */
export class InputRefused extends Error {
  override readonly name = "InputRefused";
}

/** What a file is, in words; `undefined` for a regular file. */
function irregularKind(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  if (stats.isSocket()) return "a socket";
  return "a special file";
}

function refuseIrregular(stats: Stats): void {
  const kind = irregularKind(stats);
  if (kind !== undefined) throw new InputRefused(`not a regular file (${kind})`);
}

function tooLarge(limit: number): InputRefused {
  return new InputRefused(`larger than ${limit} bytes, the definition size limit`);
}

/**
 * Reads a regular file as UTF-8 text. Rejects with `InputRefused` when the path is not a regular
 * file (checked before opening it, since opening a FIFO waits for a writer) or holds more than
 * `limit` bytes, and with the system's error when it cannot be read.
 */
export async function readDefinitionFile(path: string, limit = MAX_DEFINITION_BYTES): Promise<string> {
  refuseIrregular(await stat(path));
  // Non-blocking, and checked again once open: the path may have been swapped for a FIFO since.
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    refuseIrregular(await handle.stat());
    const bytes = await readAtMost(handle, limit + 1);
    if (bytes.length > limit) throw tooLarge(limit);
    return bytes.toString("utf8");
  } finally {
    await handle.close();
  }
}

async function readAtMost(handle: FileHandle, max: number): Promise<Buffer> {
  const buffer = Buffer.alloc(max);
  let length = 0;
  while (length < max) {
    const { bytesRead } = await handle.read(buffer, length, max - length, null);
    if (bytesRead === 0) break;
    length += bytesRead;
  }
  return buffer.subarray(0, length);
}

/**
 * Reads a stream (standard input) as UTF-8 text. Rejects with `InputRefused` as soon as it has
 * given more than `limit` bytes, and stops reading it then.
 */
export async function readDefinitionStream(stream: AsyncIterable<Buffer | string>, limit = MAX_DEFINITION_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    length += bytes.length;
    if (length > limit) throw tooLarge(limit);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString("utf8");
}
