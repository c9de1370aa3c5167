/**
 * A persistent table keyed by string, as plain JSON: a two-level hash trie (32 x 32 buckets).
 * Setting or deleting a key copies one bucket path (at most 64 slots plus one small leaf) instead
 * of the whole table, so an execution with 10,000 running Map iterations or pending tasks can be
 * updated per command in near-constant time while old Executions stay valid.
 */

/** The table: `size` and up to 32 top buckets of up to 32 leaves each (absent ones are null). */
export interface Table<T> {
  readonly size: number;
  readonly buckets: readonly (readonly (Readonly<Record<string, T>> | null)[] | null)[];
}

/** A table with nothing in it. */
export const emptyTable = <T>(): Table<T> => ({ size: 0, buckets: [] });

/** FNV-1a over UTF-16 code units: the same bucket for the same key, on every machine. */
function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The value under `key`, if any. */
export function tableGet<T>(table: Table<T>, key: string): T | undefined {
  const h = hash(key);
  const leaf = table.buckets[h & 31]?.[(h >>> 5) & 31];
  return leaf && Object.hasOwn(leaf, key) ? leaf[key] : undefined;
}

/** True when `key` is in the table. */
export function tableHas<T>(table: Table<T>, key: string): boolean {
  const h = hash(key);
  const leaf = table.buckets[h & 31]?.[(h >>> 5) & 31];
  return leaf ? Object.hasOwn(leaf, key) : false;
}

/** A new table with `key` set to `value`; `table` is unchanged. */
export function tableSet<T>(table: Table<T>, key: string, value: T): Table<T> {
  const h = hash(key);
  const top = h & 31;
  const low = (h >>> 5) & 31;
  const bucket = table.buckets[top] ?? [];
  const leaf = bucket[low] ?? null;
  const existed = leaf !== null && Object.hasOwn(leaf, key);
  const newLeaf: Record<string, T> = { ...leaf };
  // A defined property, so that keys such as "__proto__" are plain data.
  Object.defineProperty(newLeaf, key, { value, enumerable: true, writable: true, configurable: true });
  const newBucket = bucket.slice();
  while (newBucket.length < low) newBucket.push(null);
  newBucket[low] = newLeaf;
  const buckets = table.buckets.slice();
  while (buckets.length < top) buckets.push(null);
  buckets[top] = newBucket;
  return { size: existed ? table.size : table.size + 1, buckets };
}

/** A new table without `key`; the same table when the key is absent. */
export function tableDelete<T>(table: Table<T>, key: string): Table<T> {
  const h = hash(key);
  const top = h & 31;
  const low = (h >>> 5) & 31;
  const bucket = table.buckets[top];
  const leaf = bucket?.[low];
  if (!bucket || !leaf || !Object.hasOwn(leaf, key)) return table;
  const newLeaf: Record<string, T> = {};
  for (const k of Object.keys(leaf)) {
    if (k !== key) Object.defineProperty(newLeaf, k, { value: leaf[k], enumerable: true, writable: true, configurable: true });
  }
  const newBucket = bucket.slice();
  newBucket[low] = Object.keys(newLeaf).length > 0 ? newLeaf : null;
  const buckets = table.buckets.slice();
  buckets[top] = newBucket;
  return { size: table.size - 1, buckets };
}

/** Every value, in a fixed order (by bucket, then by insertion within a bucket). */
export function tableValues<T>(table: Table<T>): T[] {
  const values: T[] = [];
  for (const bucket of table.buckets) {
    if (!bucket) continue;
    for (const leaf of bucket) {
      if (!leaf) continue;
      for (const key of Object.keys(leaf)) values.push(leaf[key] as T);
    }
  }
  return values;
}
