/**
 * Message digests as Step Functions offers them (`States.Hash`, JSONata `$hash`): the UTF-8 bytes
 * of a text, digested, as lowercase hexadecimal.
 */
import { md5, sha1 } from "@noble/hashes/legacy.js";
import { sha256, sha384, sha512 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";

/** The algorithm names Step Functions accepts, spelled (case-sensitively) as AWS spells them. */
export type HashAlgorithm = "MD5" | "SHA-1" | "SHA-256" | "SHA-384" | "SHA-512";

const DIGESTS: Readonly<Record<HashAlgorithm, (bytes: Uint8Array) => Uint8Array>> = {
  MD5: md5,
  "SHA-1": sha1,
  "SHA-256": sha256,
  "SHA-384": sha384,
  "SHA-512": sha512,
};

/** Every supported algorithm, in the order AWS's documentation lists them. */
export const HASH_ALGORITHMS: readonly HashAlgorithm[] = ["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"];

/** True when `name` is exactly one of {@link HASH_ALGORITHMS}. */
export function isHashAlgorithm(name: unknown): name is HashAlgorithm {
  return typeof name === "string" && (HASH_ALGORITHMS as readonly string[]).includes(name);
}

const utf8 = new TextEncoder();

/** The digest of the UTF-8 encoding of `text` in lowercase hex, e.g. MD5("") = `d41d8cd98f00b204e9800998ecf8427e`. */
export function hashHex(text: string, algorithm: HashAlgorithm): string {
  return bytesToHex(DIGESTS[algorithm](utf8.encode(text)));
}
