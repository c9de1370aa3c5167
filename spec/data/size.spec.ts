import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonByteLength, MAX_PAYLOAD_BYTES } from "../../src/data/size.js";

/** What jsonByteLength must equal: the UTF-8 bytes of JSON.stringify's text. */
const reference = (value: unknown): number => {
  const text = JSON.stringify(value);
  return text === undefined ? 0 : new TextEncoder().encode(text).length;
};

/** Strings mixing ASCII, escapes, control characters, multi-byte characters and (lone) surrogates. */
const trickyString = fc.string({
  unit: fc.oneof(
    fc.constantFrom('"', "\\", "\b", "\f", "\n", "\r", "\t", "\u0000", "\u001f", "\u007f", "\u0080", "\u07ff", "\u0800", "\uffff", "\u2028", "é", "€", "😀"),
    fc.constantFrom("\ud800", "\udbff", "\udc00", "\udfff"),
    fc.string({ unit: "grapheme", maxLength: 2 }),
    fc.string({ unit: "binary", maxLength: 2 }),
  ),
  maxLength: 30,
});

/** Numbers including the forms whose text is not obvious. */
const trickyNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(0, -0, 0.1, 1e21, 1e-7, 1e20, 999999999999999999999, 123456789012345680000, -1e21, 5e-324, Number.MAX_VALUE, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1.5, -2.5e-10, Infinity, -Infinity, NaN),
);

const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    trickyNumber,
    trickyString,
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(trickyString, tie("value"), { maxKeys: 5 }),
  ),
})).value;

describe("jsonByteLength", () => {
  it.each([
    [null, 4],
    [true, 4],
    [false, 5],
    [0, 1],
    [-0, 1],
    [-1, 2],
    [0.1, 3],
    [1e21, 5],
    [1e20, 21],
    [123456789, 9],
    [-1.5e-7, 7],
    [NaN, 4],
    [Infinity, 4],
    ["", 2],
    ["abc", 5],
    ['"', 4],
    ["\\", 4],
    ["\n", 4],
    ["\u0001", 8],
    ["\u007f", 3],
    ["é", 4],
    ["€", 5],
    ["😀", 6],
    ["\ud800", 8],
    ["\udc00x", 9],
    [[], 2],
    [[1], 3],
    [[1, 2, 3], 7],
    [{}, 2],
    [{ a: 1 }, 7],
    [{ a: 1, b: [true, null] }, 23],
    [{ "é": "€" }, 12],
  ])("%j takes %d bytes", (value, bytes) => {
    expect(reference(value)).toBe(bytes);
    expect(jsonByteLength(value)).toBe(bytes);
  });

  it("leaves out what JSON.stringify leaves out", () => {
    const values: unknown[] = [
      undefined,
      () => 1,
      Symbol("s"),
      { a: undefined, b: () => 1, c: Symbol("s"), d: 1 },
      [undefined, () => 1, Symbol("s"), 1],
      { [Symbol("hidden")]: 1, shown: 2 },
    ];
    for (const value of values) expect(jsonByteLength(value)).toBe(reference(value));
    expect(jsonByteLength({ a: undefined, d: 1 })).toBe(7);
    expect(jsonByteLength([undefined, 1])).toBe(8);
    expect(jsonByteLength(undefined)).toBe(0);
  });

  it("counts own keys only, __proto__ included as data", () => {
    const parsed = JSON.parse('{"__proto__": {"x": 1}, "constructor": 2}') as unknown;
    expect(jsonByteLength(parsed)).toBe(reference(parsed));
    expect(jsonByteLength(parsed)).toBe(37);
    const inherited = Object.create({ inheritedKey: "not counted" }) as Record<string, unknown>;
    inherited["own"] = 1;
    expect(jsonByteLength(inherited)).toBe(9);
  });

  it("equals the UTF-8 length of JSON.stringify on random JSON", () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(jsonByteLength(value)).toBe(reference(value));
      }),
      { numRuns: 2000 },
    );
  });

  it("with a limit: exact when within it, some number above it otherwise", () => {
    fc.assert(
      fc.property(json, fc.nat({ max: 400 }), (value, limit) => {
        const exact = reference(value);
        const measured = jsonByteLength(value, limit);
        if (exact <= limit) expect(measured).toBe(exact);
        else expect(measured).toBeGreaterThan(limit);
      }),
      { numRuns: 2000 },
    );
  });

  it("stops early on large payloads", () => {
    const big = { items: Array.from({ length: 200_000 }, (_, i) => ({ id: i, name: `item ${i}` })) };
    const exact = reference(big);
    expect(exact).toBeGreaterThan(MAX_PAYLOAD_BYTES);
    expect(jsonByteLength(big)).toBe(exact);
    const limited = jsonByteLength(big, MAX_PAYLOAD_BYTES);
    expect(limited).toBeGreaterThan(MAX_PAYLOAD_BYTES);
    expect(limited).toBeLessThan(exact);
    // A single huge string is not scanned once it cannot fit.
    const text = "x".repeat(1_000_000);
    expect(jsonByteLength(text, 10)).toBeGreaterThan(10);
    expect(jsonByteLength(text)).toBe(1_000_002);
  });

  it("exactly at the limit is within it", () => {
    const value = { s: "x".repeat(100) };
    const exact = reference(value);
    expect(jsonByteLength(value, exact)).toBe(exact);
    expect(jsonByteLength(value, exact - 1)).toBeGreaterThan(exact - 1);
  });

  it("measures nesting deeper than the call stack", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(jsonByteLength(deep)).toBe(400_001);
    let deepObject: unknown = null;
    for (let i = 0; i < 100_000; i++) deepObject = { k: deepObject };
    expect(jsonByteLength(deepObject)).toBe(100_000 * 6 + 4);
  });

  it("is not thrown off by a measurement stopped part way (the shared stack is reset)", () => {
    const big = Array.from({ length: 1000 }, () => ({ a: [1, 2, 3] }));
    expect(jsonByteLength(big, 50)).toBeGreaterThan(50);
    expect(jsonByteLength({ a: 1 })).toBe(7);
    expect(jsonByteLength(big)).toBe(reference(big));
  });
});
