import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HASH_ALGORITHMS, hashHex, isHashAlgorithm, type HashAlgorithm } from "../../src/data/hash.js";

// Known-answer vectors: FIPS 180 / RFC 1321 test strings, and "input data" as recorded on real AWS.
const VECTORS: ReadonlyArray<readonly [HashAlgorithm, string, string]> = [
  ["MD5", "", "d41d8cd98f00b204e9800998ecf8427e"],
  ["MD5", "abc", "900150983cd24fb0d6963f7d28e17f72"],
  ["MD5", "input data", "812f45842bc6d66ee14572ce20db8e86"],
  ["SHA-1", "", "da39a3ee5e6b4b0d3255bfef95601890afd80709"],
  ["SHA-1", "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"],
  ["SHA-1", "input data", "aaff4a450a104cd177d28d18d74485e8cae074b7"],
  ["SHA-256", "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
  ["SHA-256", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
  ["SHA-256", "input data", "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"],
  ["SHA-256", "Hash this string", "1cac63f39fd68d8c531f27b807610fb3d50f0fc3f186995767fb6316e7200a3e"],
  [
    "SHA-384",
    "",
    "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b",
  ],
  [
    "SHA-384",
    "abc",
    "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
  ],
  [
    "SHA-384",
    "input data",
    "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562",
  ],
  [
    "SHA-512",
    "",
    "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
  ],
  [
    "SHA-512",
    "abc",
    "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
  ],
  [
    "SHA-512",
    "input data",
    "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4",
  ],
];

const NODE_NAMES: Record<HashAlgorithm, string> = {
  MD5: "md5",
  "SHA-1": "sha1",
  "SHA-256": "sha256",
  "SHA-384": "sha384",
  "SHA-512": "sha512",
};

describe("hashHex", () => {
  it.each(VECTORS)("%s(%j) = %s", (algorithm, text, digest) => {
    expect(hashHex(text, algorithm)).toBe(digest);
  });

  it("hashes the UTF-8 bytes of the text, not its UTF-16 code units", () => {
    // "é" is C3 A9 in UTF-8; the digest of those two bytes:
    expect(hashHex("é", "MD5")).toBe(createHash("md5").update(Buffer.from([0xc3, 0xa9])).digest("hex"));
    expect(hashHex("😀", "SHA-1")).toBe(createHash("sha1").update(Buffer.from([0xf0, 0x9f, 0x98, 0x80])).digest("hex"));
  });

  it("agrees with node:crypto on arbitrary text for every algorithm", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), fc.constantFrom(...HASH_ALGORITHMS), (text, algorithm) => {
        expect(hashHex(text, algorithm)).toBe(createHash(NODE_NAMES[algorithm]).update(text, "utf8").digest("hex"));
      }),
      { numRuns: 200 },
    );
  });
});

describe("isHashAlgorithm", () => {
  it("accepts exactly AWS's five names, case-sensitively", () => {
    expect(HASH_ALGORITHMS).toEqual(["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"]);
    for (const name of HASH_ALGORITHMS) expect(isHashAlgorithm(name)).toBe(true);
  });

  it.each([["md5"], ["SHA1"], ["sha-256"], ["SHA-224"], ["SHA-512 "], [""], [null], [256], ["toString"], ["__proto__"]])(
    "rejects %j",
    (name) => {
      expect(isHashAlgorithm(name)).toBe(false);
    },
  );
});
