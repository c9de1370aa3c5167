/**
 * Payload templates (JSONPath states): Parameters, ResultSelector, ItemSelector, Assign, Credentials,
 * BatchInput and the Parameters of ItemReader / ResultWriter. A key ending in `.$` takes the value
 * of a path or an intrinsic call; other keys are copied as they are.
 */
import { parseIntrinsic, type IntrinsicCall } from "./intrinsics/index.js";
import { parsePath, type CompiledPath } from "./path.js";

/** A payload template, parsed once: constant parts are folded into literals. */
export type PayloadTemplate =
  | { readonly kind: "literal"; readonly value: unknown }
  | { readonly kind: "object"; readonly entries: readonly TemplateEntry[] }
  | { readonly kind: "array"; readonly items: readonly PayloadTemplate[] }
  /** `field` is the key as written (with `.$`), for AWS's error texts. */
  | { readonly kind: "path"; readonly path: CompiledPath; readonly field: string }
  | { readonly kind: "intrinsic"; readonly call: IntrinsicCall; readonly field: string };

/** One key of an object template; `key` is the output key (`.$` removed). */
export interface TemplateEntry {
  readonly key: string;
  readonly value: PayloadTemplate;
}

/** Something wrong at `path` (keys and indices below the template's root). */
export interface TemplateProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** A compiled template, or every problem found in it. */
export type TemplateCompilation =
  | { readonly ok: true; readonly value: PayloadTemplate }
  | { readonly ok: false; readonly problems: readonly TemplateProblem[] };

/** Compiles a payload template; every `.$` value must be a valid path or intrinsic call. */
export function compilePayloadTemplate(value: unknown): TemplateCompilation {
  const problems: TemplateProblem[] = [];
  const template = compileValue(value, [], problems);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: template };
}

/** Compiles the value of one `.$` key: a path when it starts with `$`, else an intrinsic call. */
export function compileDynamicValue(
  field: string,
  text: unknown,
): { readonly ok: true; readonly value: PayloadTemplate } | { readonly ok: false; readonly message: string } {
  const invalid = `The value for the field '${field}' must be a valid JSONPath or a valid intrinsic function call`;
  if (typeof text !== "string") return { ok: false, message: `${invalid}, and it is not a string` };
  if (text.startsWith("$")) {
    const path = parsePath(text);
    return path.ok ? { ok: true, value: { kind: "path", path: path.value, field } } : { ok: false, message: `${invalid}: ${path.message}` };
  }
  const call = parseIntrinsic(text);
  return call.ok ? { ok: true, value: { kind: "intrinsic", call: call.value, field } } : { ok: false, message: `${invalid}: ${call.message}` };
}

function compileValue(value: unknown, at: (string | number)[], problems: TemplateProblem[]): PayloadTemplate {
  if (Array.isArray(value)) {
    const items = value.map((item, index) => compileValue(item, [...at, index], problems));
    return items.every(isLiteral) ? { kind: "literal", value } : { kind: "array", items };
  }
  if (value === null || typeof value !== "object") return { kind: "literal", value };
  const entries: TemplateEntry[] = [];
  const seen = new Map<string, string>();
  for (const [key, child] of Object.entries(value)) {
    const dynamic = key.endsWith(".$");
    const outputKey = dynamic ? key.slice(0, -2) : key;
    const earlier = seen.get(outputKey);
    if (earlier !== undefined) {
      problems.push({ path: [...at, key], message: `The field '${outputKey}' is given twice, as '${earlier}' and as '${key}'` });
      continue;
    }
    seen.set(outputKey, key);
    if (!dynamic) {
      entries.push({ key: outputKey, value: compileValue(child, [...at, key], problems) });
      continue;
    }
    const compiled = compileDynamicValue(key, child);
    if (compiled.ok) entries.push({ key: outputKey, value: compiled.value });
    else problems.push({ path: [...at, key], message: compiled.message });
  }
  const constant = entries.every((entry) => isLiteral(entry.value)) && !Object.keys(value).some((key) => key.endsWith(".$"));
  return constant ? { kind: "literal", value } : { kind: "object", entries };
}

const isLiteral = (template: PayloadTemplate): template is { kind: "literal"; value: unknown } => template.kind === "literal";
