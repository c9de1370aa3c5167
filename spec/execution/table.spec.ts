/**
 * The persistent table behind an execution's runs and timers: it answers as a Map would,
 * never changes a table it was given (unless the caller owns it), and keeps keys as plain data.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Ownership } from "../../src/execution/evolve.js";
import { emptyTable, tableDelete, tableDeleteWhere, tableGet, tableSet, tableValues, type Table } from "../../src/execution/table.js";

type Op = { readonly kind: "set"; readonly key: string; readonly value: number } | { readonly kind: "delete"; readonly key: string };

// Few keys, so sets and deletes meet; many keys, so leaves hold several entries and buckets fill.
// Run ids (`3.<n>`, nested `3.5.<n>`) are placed by their number: with leading zeros, long numbers
// and bare dots they must still answer as a Map does.
const key = fc.oneof(
  fc.constantFrom("", "__proto__", "constructor", "toString", "0", "3.0", "3.00", "3.", ".5", "3.1234567890123", "3:wait"),
  fc.integer({ min: 0, max: 3000 }).map((n) => `3.${n}`),
  fc.integer({ min: 0, max: 99 }).map((n) => `3.5.0${n}`),
);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("set" as const), key, value: fc.integer() }),
  fc.record({ kind: fc.constant("delete" as const), key }),
);

function apply(table: Table<number>, model: Map<string, number>, step: Op, owned?: Ownership): Table<number> {
  if (step.kind === "set") {
    model.set(step.key, step.value);
    return tableSet(table, step.key, step.value, owned);
  }
  model.delete(step.key);
  return tableDelete(table, step.key, owned);
}

function expectSame(table: Table<number>, model: Map<string, number>, keys: readonly string[]): void {
  expect(table.size).toBe(model.size);
  for (const k of keys) expect(tableGet(table, k)).toBe(model.get(k));
  expect(tableValues(table).sort((a, b) => a - b)).toEqual([...model.values()].sort((a, b) => a - b));
}

describe("table", () => {
  it("answers as a Map does, after any sets and deletes", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const model = new Map<string, number>();
        let table = emptyTable<number>();
        for (const step of ops) table = apply(table, model, step);
        expectSame(table, model, ops.map((o) => o.key));
      }),
    );
  });

  it("leaves every earlier table as it was, unless the caller owns it", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), fc.array(op, { maxLength: 50 }), (before, after) => {
        const model = new Map<string, number>();
        let table = emptyTable<number>();
        for (const step of before) table = apply(table, model, step);
        const frozen = JSON.stringify(table);
        const kept = new Map(model);
        // One decision's worth of changes, owned (in place where it made the objects) and not.
        let owned = table;
        const ownership = new Ownership();
        let copied = table;
        const ownedModel = new Map(model);
        for (const step of after) {
          owned = apply(owned, ownedModel, step, ownership);
          copied = apply(copied, model, step);
        }
        expect(JSON.stringify(table)).toBe(frozen);
        const keys = [...before, ...after].map((o) => o.key);
        expectSame(table, kept, keys);
        expectSame(owned, ownedModel, keys);
        expectSame(copied, model, keys);
      }),
    );
  });

  it("drops every entry a predicate picks in one pass, sharing what it keeps and changing nothing it was given", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), fc.integer({ min: 1, max: 5 }), (ops, every) => {
        const model = new Map<string, number>();
        let table = emptyTable<number>();
        for (const step of ops) table = apply(table, model, step);
        const frozen = JSON.stringify(table);
        const picked = (k: string, value: number) => k.startsWith("3.") && value % every === 0;
        const rest = tableDeleteWhere(table, picked);
        const kept = new Map([...model].filter(([k, value]) => !picked(k, value)));
        expect(JSON.stringify(table)).toBe(frozen);
        expectSame(rest, kept, ops.map((o) => o.key));
        if (kept.size === model.size) expect(rest).toBe(table);
        // A bucket that lost nothing is the same object in both tables.
        table.buckets.forEach((bucket, top) => {
          const untouched = bucket?.every((leaf) => !leaf || leafEntries(leaf).every((entry) => !picked(entry.key, entry.value)));
          if (bucket && untouched) expect(rest.buckets[top]).toBe(bucket);
        });
      }),
    );
  });

  it("puts each eight consecutive runs of a Map in one leaf, and spreads the eights over the leaves evenly", () => {
    let table = emptyTable<number>();
    for (let i = 0; i < 10_000; i++) table = tableSet(table, `41.${i}`, i);
    const leaves = table.buckets.flatMap((bucket) => bucket ?? []).filter((leaf) => leaf !== null);
    const keysOf = (leaf: readonly unknown[]): string[] => leafEntries(leaf).map((entry) => entry.key);
    const leafOf = (k: string): readonly unknown[] | undefined => leaves.find((leaf) => keysOf(leaf).includes(k));
    expect(keysOf(leafOf("41.0") ?? []).slice(0, 8)).toEqual(["41.0", "41.1", "41.2", "41.3", "41.4", "41.5", "41.6", "41.7"]);
    expect(leafOf("41.8")).not.toBe(leafOf("41.7"));
    expect(keysOf(leafOf("41.8") ?? []).slice(0, 8)).toEqual(["41.8", "41.9", "41.10", "41.11", "41.12", "41.13", "41.14", "41.15"]);
    // 1,250 eights over 1,024 leaves: every leaf holds one or two of them.
    expect(leaves).toHaveLength(1024);
    expect(new Set(leaves.map((leaf) => leaf.length / 3))).toEqual(new Set([8, 16]));
  });

  it("survives a JSON round trip", () => {
    let table = emptyTable<{ n: number }>();
    for (let i = 0; i < 2000; i++) table = tableSet(table, `3.${i}`, { n: i });
    table = tableSet(table, "__proto__", { n: -1 });
    const copy = JSON.parse(JSON.stringify(table)) as Table<{ n: number }>;
    expect(tableGet(copy, "3.1234")).toEqual({ n: 1234 });
    expect(tableGet(copy, "__proto__")).toEqual({ n: -1 });
    expect(tableGet(copy, "constructor")).toBeUndefined();
    expect(copy.size).toBe(2001);
    expect(({} as Record<string, unknown>)["n"]).toBeUndefined();
  });
});

/** A leaf's entries (hash, key, value, ...) as keys and values. */
function leafEntries(leaf: readonly unknown[]): { key: string; value: number }[] {
  const entries: { key: string; value: number }[] = [];
  for (let i = 0; i < leaf.length; i += 3) entries.push({ key: leaf[i + 1] as string, value: leaf[i + 2] as number });
  return entries;
}
