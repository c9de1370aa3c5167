/**
 * Payload sizes. Step Functions limits state inputs and outputs, task results and variable values
 * to 256 KiB of UTF-8 JSON text; measuring that must not build the text, since the check runs on
 * every state transition.
 */

/** The 256 KiB (262,144 bytes) that AWS allows for a state's input or output, a task result or a variable. */
export const MAX_PAYLOAD_BYTES = 262_144;

/** Exact powers of ten up to 10^21 (all representable as doubles), to count an integer's digits. */
const POWERS_OF_TEN: readonly number[] = Array.from({ length: 22 }, (_, k) => 10 ** k);

/**
 * Values waiting to be measured. Shared between calls to avoid allocating a stack per call; each
 * call only touches the part above where it started, so even a nested call would be safe.
 */
const pending: unknown[] = [];

/**
 * The UTF-8 byte length of the compact JSON text of `value`, exactly as
 * `new TextEncoder().encode(JSON.stringify(value)).length` would give it, computed without building
 * the text. Once the count passes `limit` it stops and returns some number greater than `limit`
 * (not the full length), so checking a huge payload against a limit costs only about the limit.
 *
 * `value` is JSON data (what `JSON.parse` produces); as in `JSON.stringify`, members whose value is
 * undefined, a function or a symbol are left out of objects and written as `null` in arrays,
 * non-finite numbers are written as `null`, and a value with no JSON text at all counts as 0 bytes.
 * `toJSON` methods are not called. The walk uses no recursion, so deep nesting cannot overflow the
 * stack; `value` must not be cyclic (JSON data never is). A value nested deeper than `maxDepth`
 * measures `Infinity`.
 */
export function jsonByteLength(value: unknown, limit: number = Number.POSITIVE_INFINITY, maxDepth: number = Number.POSITIVE_INFINITY): number {
  if (isOmitted(value)) return 0;
  const base = pending.length;
  pending.push(value);
  let total = 0;
  let depth = 0;
  while (pending.length > base) {
    const node = pending.pop();
    if (node === CLOSE) {
      depth--;
      continue;
    }
    total += scalarLength(node, limit - total);
    if (typeof node === "object" && node !== null) {
      if (++depth > maxDepth) {
        pending.length = base;
        return Number.POSITIVE_INFINITY;
      }
      // Popped once the container's members have been: the walk then leaves it.
      pending.push(CLOSE);
      if (Array.isArray(node)) {
        // Brackets plus one comma between items.
        total += node.length === 0 ? 2 : node.length + 1;
        for (let i = 0; i < node.length; i++) {
          const item: unknown = node[i];
          if (isOmitted(item)) total += 4;
          else pending.push(item);
        }
      } else {
        total += 2;
        let first = true;
        for (const key in node) {
          if (!Object.hasOwn(node, key)) continue;
          const item = (node as Record<string, unknown>)[key];
          if (isOmitted(item)) continue;
          // The key's text, a colon, and a comma before every member but the first.
          total += stringLength(key) + (first ? 1 : 2);
          first = false;
          pending.push(item);
          if (total > limit) break;
        }
      }
    }
    if (total > limit) {
      pending.length = base;
      return total;
    }
  }
  return total;
}

/** True when JSON data nests containers deeper than `maxDepth` (a walk without recursion). */
export const nestedDeeperThan = (value: unknown, maxDepth: number): boolean => jsonByteLength(value, Number.POSITIVE_INFINITY, maxDepth) === Number.POSITIVE_INFINITY;

/** Marks where the walk leaves a container. */
const CLOSE: unique symbol = Symbol("close");

/** True for what JSON.stringify leaves out of objects (and writes as null in arrays). */
const isOmitted = (value: unknown): boolean => value === undefined || typeof value === "function" || typeof value === "symbol";

/** The length of a scalar's JSON text; 0 for objects and arrays (their parts are counted by the walk). */
function scalarLength(value: unknown, room: number): number {
  switch (typeof value) {
    case "string":
      // Every code unit takes at least one byte: a string that cannot fit is not scanned.
      return value.length + 2 > room ? value.length + 2 : stringLength(value);
    case "number":
      return numberLength(value);
    case "boolean":
      return value ? 4 : 5;
    case "bigint":
      // JSON.stringify refuses BigInts; a JSON text would need their digits.
      return value.toString().length;
    case "object":
      return value === null ? 4 : 0;
    default:
      return 4;
  }
}

/** The length of a number as JSON.stringify writes it (`-0` as `0`, non-finite as `null`). */
function numberLength(value: number): number {
  if (!Number.isFinite(value)) return 4;
  const magnitude = Math.abs(value);
  if (Number.isInteger(value) && magnitude < 1e21) {
    let digits = 1;
    while (digits < 21 && magnitude >= (POWERS_OF_TEN[digits] as number)) digits++;
    return value < 0 ? digits + 1 : digits;
  }
  // Fractions and exponent forms: the shortest round-trip text is what JavaScript prints.
  return String(value).length;
}

/** UTF-8 bytes of a string's JSON text, quotes and escapes included. */
function stringLength(text: string): number {
  let bytes = 2;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      if (code >= 0x20) {
        bytes += code === 0x22 || code === 0x5c ? 2 : 1;
      } else {
        // \b \t \n \f \r have short escapes; other control characters are written \u00XX.
        bytes += code === 0x08 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d ? 2 : 6;
      }
    } else if (code < 0x800) {
      bytes += 2;
    } else if (code >= 0xd800 && code <= 0xdbff) {
      const next = i + 1 < length ? text.charCodeAt(i + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else {
        bytes += 6; // A lone surrogate is escaped as \uXXXX.
      }
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      bytes += 6;
    } else {
      bytes += 3;
    }
  }
  return bytes;
}
