/**
 * The outcome of reading text in one of the data languages (a path, an intrinsic call, a JSONata
 * expression): the compiled value, or a plain-English message saying what is wrong with the text.
 * Data modules know nothing of workflows, so they return messages; the definition layer turns them
 * into problems with a pointer.
 */
export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly message: string };

/** A successful parse of `value`. */
export const parsed = <T>(value: T): Parsed<T> => ({ ok: true, value });
/** A failed parse, with what is wrong in plain English. */
export const rejected = <T = never>(message: string): Parsed<T> => ({ ok: false, message });
