/**
 * Making text from definitions safe to print: control characters and bidi overrides would let a
 * definition move the cursor, recolour or rewrite what the terminal shows, or reorder a line.
 */

/** C0 controls, DEL, C1 controls, and the bidi embeddings, overrides and isolates. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

/** What JSON.stringify leaves raw: it escapes C0 controls in strings already. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

function escapeChar(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** The text with every control character and bidi override shown as `\uXXXX`, newlines included. */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/**
 * JSON text (from `JSON.stringify`) with the characters it leaves raw written as `\uXXXX` escapes
 * instead; those occur only inside strings, so it stays the same JSON.
 */
export function escapeJsonControls(json: string): string {
  return json.replace(UNSAFE_IN_JSON, escapeChar);
}

/** The first line of the message of what was thrown, which may be anything. */
export function firstLine(thrown: unknown): string {
  const text = thrown instanceof Error ? thrown.message : String(thrown);
  return text.split("\n", 1)[0] ?? "";
}
