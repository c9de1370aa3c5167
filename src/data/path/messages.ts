/**
 * Messages in Jayway's words: the normalized form of a path (`$['a'][0]`) and how it prints the
 * values it found.
 */
import type { PathSegment } from "./types.js";

/** One segment in Jayway's normalized notation, e.g. `['a']`, `[0]`, `[*]`. */
export function fragment(segment: PathSegment): string {
  switch (segment.kind) {
    case "name":
      return `['${segment.name}']`;
    case "names":
      return `[${segment.names.map((n) => `'${n}'`).join(",")}]`;
    case "index":
      return `[${segment.index}]`;
    case "indexes":
      return `[${segment.indexes.join(",")}]`;
    case "slice":
      return `[${segment.start ?? ""}:${segment.end ?? ""}]`;
    case "wildcard":
      return "[*]";
    case "scan":
      return "..";
    case "filter":
      return "[?]";
    case "function":
      return `.${segment.name}()`;
  }
}

/** `$` + the fragments of the first `count` segments, e.g. `$['a'][0]`. */
export function normalize(segments: readonly PathSegment[], count: number): string {
  let out = "$";
  for (let i = 0; i < count; i++) out += fragment(segments[i] as PathSegment);
  return out;
}

/** The JSON type of a value as Jayway names it: `null`, `array`, `object`, `string`, … */
export function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** Jayway prints the offending node; strings as they are, the rest as JSON. Never throws. */
export function printNode(value: unknown): string {
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return jsonType(value);
  }
}
