/**
 * States.Format templates and the way AWS renders argument values into them.
 */
import { parsed, rejected, type Parsed } from "../parsed.js";
import { isJsonObject, stringifyJson } from "../json.js";

/**
 * AWS's cause text for a `{` that is not immediately closed by `}` (seen on real AWS in
 * aws-cdk issue #29261, raised at run time, not when the state machine was created).
 */
export const UNMATCHED_BRACE_MESSAGE = "Invalid template in States.Format: matching '}' not found for '{'.";

/**
 * Splits a template at its `{}` placeholders: the result has one more piece than placeholders.
 * With `escapes` (the raw text of a string literal) `\{`, `\}`, `\'` and `\\` stand for the
 * character itself, so an escaped brace is text; a template read from the input at run time has
 * no escapes: every backslash is text.
 * A `{` not immediately followed by `}` is an error; a lone `}` is text (AWS's handling of a lone
 * `}` is not recorded).
 */
export function splitTemplate(text: string, escapes: boolean): Parsed<readonly string[]> {
  const pieces: string[] = [];
  let piece = "";
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (escapes && char === "\\" && i + 1 < text.length) {
      piece += text.charAt(i + 1);
      i++;
    } else if (char === "{") {
      if (text.charAt(i + 1) !== "}") return rejected(UNMATCHED_BRACE_MESSAGE);
      pieces.push(piece);
      piece = "";
      i++;
    } else {
      piece += char;
    }
  }
  pieces.push(piece);
  return parsed(pieces);
}

/**
 * A value as States.Format writes it: strings without quotes, numbers and booleans as JSON,
 * `null` as `null`, objects and arrays the way AWS (Java) prints collections:
 * `{Arg1=1, Arg2=[]}` (recorded on AWS), `[1, 2, x]`.
 */
export function formatValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return `[${value.map(formatValue).join(", ")}]`;
  if (isJsonObject(value)) {
    return `{${Object.keys(value)
      .map((key) => `${key}=${formatValue(value[key])}`)
      .join(", ")}}`;
  }
  return stringifyJson(value);
}

/** Fills the placeholders of a split template with the rendered arguments, in order. */
export function renderTemplate(pieces: readonly string[], args: readonly unknown[], firstArg: number): string {
  let text = pieces[0] ?? "";
  for (let i = 1; i < pieces.length; i++) text += formatValue(args[firstArg + i - 1]) + pieces[i];
  return text;
}
