/**
 * keccak256 (Ethereum's, not SHA3-256), synchronous once the module has loaded.
 *
 * Why hash-wasm and not @noble/hashes or ethers: hashing is most of the work of issuing a large batch, and
 * on a 3 KB credential hash-wasm's WebAssembly keccak takes ~14 µs where the pure-JavaScript ones take
 * 90–190 µs (measured here; see bench/README.md). Tests check it against ethers' keccak256.
 */
import { createKeccak } from "hash-wasm";

const hasher = await createKeccak(256);

export function keccak256(bytes: Uint8Array): Uint8Array {
  hasher.init();
  hasher.update(bytes);
  return hasher.digest("binary");
}
