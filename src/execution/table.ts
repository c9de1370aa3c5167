/**
 * A persistent table keyed by string, as plain JSON: a two-level hash trie (32 x 32 buckets) whose
 * leaves are short flat lists of entries, each its key's hash, the key and the value (no object
 * per entry; a scan compares small integers, and strings only where the hashes match, which
 * matters for a missing key). Setting or deleting a key copies one bucket path (at most 64 slots
 * plus one leaf) instead of the whole table, while old Executions stay valid. A leaf holds about
 * one entry per 1,024 keys, a Map's runs in eights (see `hash`): an
 * execution's runs (10,000 Map iterations, each holding its pending task), timers and task tokens
 * are updated per command at a cost that grows only as the table outgrows the processor's caches
 * (a trie that grew deeper to keep leaves short was no faster at 100,000 keys, nor was one of
 * 64 x 64 at 10,000). Keys are data only: `__proto__` is a key like any other.
 *
 * Within one decision (or one recovery) the tables may be updated in place: `owned` holds the
 * objects that decision made itself, which no one else can see yet, so they need no copy.
 */

import { arrayOf, expected, flaw, isRecord, nullable, within, type Flaw } from "./checks.js";
import type { Writable } from "./model.js";

/** A leaf: the entries whose keys hash to it, in insertion order, each as its hash, key and value. */
type Leaf<T> = readonly (number | string | T)[];

/** The table: `size` and up to 32 top buckets of up to 32 leaves each (absent ones are null). */
export interface Table<T> {
  readonly size: number;
  readonly buckets: readonly (readonly (Leaf<T> | null)[] | null)[];
}

/** A table with nothing in it. */
export const emptyTable = <T>(): Table<T> => ({ size: 0, buckets: [] });

/** A key that ends in `.<n>` is placed with the other keys of its eight: n / 8 picks the leaf. */
const GROUP_BITS = 3;
/** A longer number is hashed like any other key (correct, only not grouped). */
const MAX_INDEX_DIGITS = 9;

/**
 * Where a key goes: a 30-bit number (so that V8 stores it in a leaf as a small integer rather
 * than a boxed number) whose low 10 bits pick the leaf, the same for the same key on every
 * machine. A key is hashed with FNV-1a over its UTF-16 code units, except that a key ending in
 * `.<n>` (a Parallel's branch or a Map's iteration, `<started event id>.<index>`) is placed by the
 * hash of what comes before `n` plus n / 8, with n itself in the upper bits: each eight consecutive
 * runs share a leaf, and their groups fill the leaves evenly. Hosts answer a Map's tasks mostly in
 * the order they were started, so the next run's leaf is already in the cache and fewer leaf
 * copies outlive a scavenge (answering 10,000 tasks measured 6% faster, 1,000 tasks 4%).
 */
function hash(key: string): number {
  // One pass: the hash of the whole key, and of the key up to its last dot with the number after it.
  let h = 0x811c9dc5;
  let beforeNumber = 0;
  let index = -1; // the number after the last dot so far; -1 when there is none
  let digits = 0;
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    h = Math.imul(h ^ code, 0x01000193);
    if (code === 46 /* . */) {
      beforeNumber = h;
      index = 0;
      digits = 0;
    } else if (index >= 0) {
      if (code >= 48 && code <= 57 && digits < MAX_INDEX_DIGITS) {
        index = index * 10 + code - 48;
        digits += 1;
      } else {
        index = -1;
      }
    }
  }
  if (index < 0 || digits === 0) return h & 0x3fffffff;
  return ((beforeNumber + (index >>> GROUP_BITS)) & 1023) | ((index & 0xfffff) << 10);
}

function leafOf<T>(table: Table<T>, h: number): Leaf<T> | null | undefined {
  return table.buckets[h & 31]?.[(h >>> 5) & 31];
}

/**
 * The position of the entry for `key` (hash `h`) in a leaf (its key and value follow), or -1.
 * A Map's runs are usually set in order, so run n sits n mod 8 entries into its leaf (see `hash`):
 * the search starts there and wraps around.
 */
function indexIn<T>(leaf: Leaf<T>, h: number, key: string): number {
  const length = leaf.length;
  let start = ((h >>> 10) & 7) * 3;
  if (start >= length) start = 0;
  for (let i = start; i < length; i += 3) if (leaf[i] === h && leaf[i + 1] === key) return i;
  for (let i = 0; i < start; i += 3) if (leaf[i] === h && leaf[i + 1] === key) return i;
  return -1;
}

/** The value under `key`, if any. */
export function tableGet<T>(table: Table<T>, key: string): T | undefined {
  const h = hash(key);
  const leaf = leafOf(table, h);
  if (!leaf) return undefined;
  const i = indexIn(leaf, h, key);
  return i < 0 ? undefined : (leaf[i + 2] as T);
}

/**
 * The objects one decision (or one recovery) made itself. A plain Set, dropped with the decision:
 * a WeakSet's ephemeron table costs the garbage collector more than the references it saves.
 */
export interface Owned {
  has(value: object): boolean;
  add(value: object): unknown;
}

/** The leaf for hash `h` in a table this decision owns, copying (once) whatever it does not own yet. */
function ownedLeaf<T>(
  table: Table<T>,
  h: number,
  owned: Owned,
): { table: Writable<Table<T>>; bucket: (Leaf<T> | null)[]; low: number; leaf: (number | string | T)[] } {
  let mine = table as Writable<Table<T>>;
  if (!owned.has(mine)) {
    mine = { size: table.size, buckets: table.buckets.slice() };
    owned.add(mine);
  }
  const buckets = mine.buckets as (readonly (Leaf<T> | null)[] | null)[];
  const top = h & 31;
  const low = (h >>> 5) & 31;
  let bucket = buckets[top] as (Leaf<T> | null)[] | null | undefined;
  if (!bucket || !owned.has(bucket)) {
    bucket = bucket ? bucket.slice() : [];
    owned.add(bucket);
    while (buckets.length < top) buckets.push(null);
    buckets[top] = bucket;
  }
  let leaf = bucket[low] as (number | string | T)[] | null | undefined;
  if (!leaf || !owned.has(leaf)) {
    leaf = leaf ? leaf.slice() : [];
    owned.add(leaf);
    while (bucket.length < low) bucket.push(null);
    bucket[low] = leaf;
  }
  return { table: mine, bucket, low, leaf };
}

/** A table with `leaf` at hash `h`; `table` is unchanged. */
function withLeaf<T>(table: Table<T>, h: number, leaf: Leaf<T> | null, size: number): Table<T> {
  const top = h & 31;
  const low = (h >>> 5) & 31;
  const bucket = table.buckets[top] ?? [];
  const newBucket = bucket.slice();
  while (newBucket.length < low) newBucket.push(null);
  newBucket[low] = leaf;
  const buckets = table.buckets.slice();
  while (buckets.length < top) buckets.push(null);
  buckets[top] = newBucket;
  return { size, buckets };
}

/** A table with `key` set to `value`: a new one, or `table` itself when the decision owns it. */
export function tableSet<T>(table: Table<T>, key: string, value: T, owned?: Owned): Table<T> {
  const h = hash(key);
  if (owned) {
    const { table: mine, leaf } = ownedLeaf(table, h, owned);
    const i = indexIn(leaf, h, key);
    if (i < 0) {
      leaf.push(h, key, value);
      mine.size += 1;
    } else {
      leaf[i + 2] = value;
    }
    return mine;
  }
  const leaf = leafOf(table, h) ?? [];
  const i = indexIn(leaf, h, key);
  const newLeaf = leaf.slice();
  if (i < 0) newLeaf.push(h, key, value);
  else newLeaf[i + 2] = value;
  return withLeaf(table, h, newLeaf, i < 0 ? table.size + 1 : table.size);
}

/** A table without `key` (a new one, or `table` itself when owned); the same table when the key is absent. */
export function tableDelete<T>(table: Table<T>, key: string, owned?: Owned): Table<T> {
  const h = hash(key);
  const leaf = leafOf(table, h);
  const i = leaf ? indexIn(leaf, h, key) : -1;
  if (!leaf || i < 0) return table;
  if (owned) {
    const mine = ownedLeaf(table, h, owned);
    removeEntry(mine.leaf, i);
    if (mine.leaf.length === 0) mine.bucket[mine.low] = null;
    mine.table.size -= 1;
    return mine.table;
  }
  const newLeaf = leaf.slice();
  removeEntry(newLeaf, i);
  return withLeaf(table, h, newLeaf.length > 0 ? newLeaf : null, table.size - 1);
}

/**
 * A table without the entries `drop` picks, in one pass over every entry: for removing many keys at
 * once, where a delete per key would shift its leaf each time (at 10,000 keys a leaf holds about
 * ten entries, so deleting them all one by one grows with the square of the count). Leaves and
 * buckets with nothing to drop are shared with `table`, which is unchanged.
 */
export function tableDeleteWhere<T>(table: Table<T>, drop: (key: string, value: T) => boolean): Table<T> {
  let size = table.size;
  let buckets: (readonly (Leaf<T> | null)[] | null)[] | undefined;
  for (let top = 0; top < table.buckets.length; top++) {
    const bucket = table.buckets[top];
    if (!bucket) continue;
    let newBucket: (Leaf<T> | null)[] | undefined;
    for (let low = 0; low < bucket.length; low++) {
      const leaf = bucket[low];
      if (!leaf) continue;
      let kept: (number | string | T)[] | undefined;
      for (let i = 0; i < leaf.length; i += 3) {
        if (drop(leaf[i + 1] as string, leaf[i + 2] as T)) {
          kept ??= leaf.slice(0, i);
          size -= 1;
        } else if (kept) {
          kept.push(leaf[i] as number, leaf[i + 1] as string, leaf[i + 2] as T);
        }
      }
      if (!kept) continue;
      newBucket ??= bucket.slice();
      newBucket[low] = kept.length > 0 ? kept : null;
    }
    if (!newBucket) continue;
    buckets ??= table.buckets.slice();
    buckets[top] = newBucket;
  }
  return buckets ? { size, buckets } : table;
}

/**
 * Removes the entry at `i` from a leaf of this decision's: the rest shift down in a plain loop
 * (splice would also build an array of what it removes; copyWithin takes a generic, slower path).
 */
function removeEntry<T>(leaf: (number | string | T)[], i: number): void {
  const last = leaf.length - 3;
  for (let j = i; j < last; j++) leaf[j] = leaf[j + 3] as number | string | T;
  leaf.length = last;
}

/** Every value, in a fixed order (by bucket, then by insertion within a bucket). */
export function tableValues<T>(table: Table<T>): T[] {
  const values: T[] = [];
  for (const bucket of table.buckets) {
    if (!bucket) continue;
    for (const leaf of bucket) {
      if (!leaf) continue;
      for (let i = 2; i < leaf.length; i += 3) values.push(leaf[i] as T);
    }
  }
  return values;
}

/** Every key, in the order of tableValues. */
export function tableKeys<T>(table: Table<T>): string[] {
  const keys: string[] = [];
  for (const bucket of table.buckets) {
    if (!bucket) continue;
    for (const leaf of bucket) {
      if (!leaf) continue;
      for (let i = 1; i < leaf.length; i += 3) keys.push(leaf[i] as string);
    }
  }
  return keys;
}

/** Where the value under `key` sits in a table, as a JSON pointer below the table (for messages). */
export function entryPointer<T>(table: Table<T>, key: string): string {
  const h = hash(key);
  const leaf = leafOf(table, h);
  const i = leaf ? indexIn(leaf, h, key) : -1;
  return `/buckets/${h & 31}/${(h >>> 5) & 31}/${i < 0 ? "-" : i + 2}`;
}

/**
 * The first flaw of a value that should be a table (one read from storage): its buckets and leaves,
 * each entry under the hash of its key and in the place that hash gives it, no key twice, a true
 * size; and each value, as `entry` checks it with its key.
 */
export function tableFlaw(table: unknown, entry: (key: string, value: unknown) => Flaw | undefined): Flaw | undefined {
  if (!isRecord(table)) return expected("a table (an object with size and buckets)", table);
  const { size, buckets } = table;
  const top = arrayOf(nullable(arrayOf(nullable(arrayOf(always)), 32)), 32)(buckets);
  if (top) return within("buckets", top);
  let count = 0;
  for (const [t, bucket] of (buckets as (unknown[] | null)[]).entries()) {
    if (!bucket) continue;
    for (const [low, leaf] of (bucket as (unknown[] | null)[]).entries()) {
      if (!leaf) continue;
      const at = (i: number, inner: Flaw): Flaw => within("buckets", within(t, within(low, within(i, inner))));
      if (leaf.length % 3 !== 0) return at(leaf.length, flaw("a leaf must hold its entries as hash, key and value, three items each"));
      for (let i = 0; i < leaf.length; i += 3) {
        const key = leaf[i + 1];
        if (typeof key !== "string") return at(i + 1, expected("a key (a string)", key));
        const h = hash(key);
        if (leaf[i] !== h || (h & 31) !== t || ((h >>> 5) & 31) !== low) return at(i, flaw(`must be the hash of the key ${JSON.stringify(key)} (${h}), in the place it gives`));
        if (indexIn(leaf as Leaf<unknown>, h, key) !== i) return at(i + 1, flaw(`the key ${JSON.stringify(key)} is in the table twice`));
        const inner = entry(key, leaf[i + 2]);
        if (inner) return at(i + 2, inner);
        count += 1;
      }
    }
  }
  return size === count ? undefined : within("size", expected(`the number of entries (${count})`, size));
}

const always = (): undefined => undefined;
