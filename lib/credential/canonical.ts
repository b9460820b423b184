/**
 * The credential hash, the only thing about a credential that goes on chain:
 * `keccak256(utf8(JCS(credential without "proof")))`, JCS being RFC 8785's JSON Canonicalization Scheme
 * (via the `canonicalize` package). Leaving `proof` out lets the anchor proof, which contains the root
 * built from this hash, be attached afterwards; every other property, extensions included, is covered.
 */
import canonicalize from "canonicalize";
import { bytesToHex } from "@noble/hashes/utils.js";

import { keccak256 } from "./keccak.js";

export type Hex = `0x${string}`;

/** The value cannot be put in canonical JSON (NaN, Infinity, a lone surrogate, a cycle, undefined at top). */
export class CanonicalizationError extends Error {
  override readonly name = "CanonicalizationError";
}

const utf8 = new TextEncoder();

/** RFC 8785 canonical JSON of `value`. */
export function canonicalJson(value: unknown): string {
  let canonical: string | undefined;
  try {
    canonical = canonicalize(value);
  } catch (error) {
    throw new CanonicalizationError(`cannot canonicalize: ${(error as Error).message}`);
  }
  if (canonical === undefined) throw new CanonicalizationError("cannot canonicalize: the value is not JSON");
  return canonical;
}

/** The credential without its `proof` property (a shallow copy; the input is not changed). */
export function withoutProof<T extends object>(credential: T): Omit<T, "proof"> {
  const { proof: _proof, ...rest } = credential as T & { proof?: unknown };
  return rest;
}

/** keccak256 of bytes, as 0x-prefixed lowercase hex. */
export function keccak256Hex(bytes: Uint8Array): Hex {
  return `0x${bytesToHex(keccak256(bytes))}`;
}

/** The credential's hash: keccak256 of the UTF-8 bytes of its canonical JSON without `proof`. */
export function credentialHash(credential: object): Hex {
  return keccak256Hex(utf8.encode(canonicalJson(withoutProof(credential))));
}
