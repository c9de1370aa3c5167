/**
 * Times as the core takes and keeps them. Callers give RFC 3339 times with an offset; the core
 * keeps them in the canonical form toISOString writes (`2024-01-01T00:00:00.000Z`), which sorts as
 * text. A time is never read in the machine's own time zone, so the same commands give the same
 * events on every machine.
 */
import { parseTimestamp } from "../data/timestamp.js";
import { expected, shown, type Check } from "./checks.js";
import { LATEST_MILLIS } from "./outcome.js";

const CANONICAL_TIME = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;
/** A date and time without a UTC offset, which Date would read in the machine's time zone. */
const WITHOUT_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

/** The first millisecond that toISOString writes with a four-digit year (earlier ones do not sort as text). */
const EARLIEST_MILLIS = Date.parse("0000-01-01T00:00:00.000Z");

/** The number written by `count` ASCII digits of `text` from `from` on. */
function digitsAt(text: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) n = n * 10 + text.charCodeAt(i) - 48;
  return n;
}

/** True for a time already in the canonical form toISOString writes (a real calendar day included). */
function isCanonicalTime(value: string): boolean {
  // `test` and digit arithmetic: this runs once per command, and exec's match array is garbage.
  if (!CANONICAL_TIME.test(value)) return false;
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  const days = month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return day <= days;
}

/** A time as stepfold writes it: toISOString's form, a day that exists. */
export const canonicalTime: Check = (value) => (typeof value === "string" && isCanonicalTime(value) ? undefined : expected("a time such as 2024-01-01T00:00:00.000Z", value));

/** A time read from a caller, in canonical form, or why it cannot be one. */
export type TimeReading = { readonly ok: true; readonly time: string } | { readonly ok: false; readonly problem: string };

/**
 * Reads a caller's time: RFC 3339 (`2024-01-01T12:00:00Z`, `2024-01-01T13:00:00.5+01:00`), a date
 * and time that exist (no 30 February, no 24:00, no leap second), with `Z` or a `±hh:mm` offset,
 * within the years 0000 to 9999 in UTC. `what` names it in the problem (`'at'`).
 */
export function readTime(value: unknown, what: string): TimeReading {
  if (typeof value === "string" && isCanonicalTime(value)) return { ok: true, time: value };
  const millis = typeof value === "string" ? parseTimestamp(value) : undefined;
  if (millis !== undefined && millis >= EARLIEST_MILLIS && millis <= LATEST_MILLIS) return { ok: true, time: new Date(millis).toISOString() };
  if (typeof value === "string" && WITHOUT_OFFSET.test(value)) {
    return { ok: false, problem: `${what} must say its UTC offset, or it would be read in the machine's time zone: add Z (UTC) or an offset such as +01:00 to ${JSON.stringify(value)}` };
  }
  if (millis !== undefined) return { ok: false, problem: `${what} must fall within the years 0000 to 9999 (UTC), not ${JSON.stringify(value)}` };
  return { ok: false, problem: `${what} must be an ISO 8601 time with a UTC offset, such as 2024-01-01T00:00:00Z (a day and time that exist), not ${shown(value)}` };
}

