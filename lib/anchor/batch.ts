/**
 * A batch of credentials as one Merkle tree, exactly OpenZeppelin's StandardMerkleTree over leaves
 * `[index, credentialHash]` typed ["uint256","bytes32"] (so the registry's `verifyLeaf` and
 * `StandardMerkleTree.verify` both accept its proofs). `index` is the credential's position in the batch
 * and its revocation bit.
 *
 * Why not build it with @openzeppelin/merkle-tree: for 100,000 credentials the library spends ~14 s hashing
 * leaves through a generic ABI encoder, ~17 s building the tree over hex strings, and ~31 s in `getProof`,
 * which re-verifies every proof — far beyond the 30 s target for issuing the whole batch. This module
 * reproduces its layout (leaves sorted by hash, stored root-first in one array, pairs hashed in sorted
 * order) on bytes, in about a second. Tests compare roots and every proof with StandardMerkleTree itself.
 */
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";

import type { Hex } from "../credential/canonical.js";
import { keccak256 } from "../credential/keccak.js";

export const LEAF_TYPES = ["uint256", "bytes32"] as const;

export class EmptyBatchError extends Error {
  override readonly name = "EmptyBatchError";
  constructor() {
    super("a batch needs at least one credential");
  }
}

/** StandardMerkleTree's leaf hash of `[index, credentialHash]`: keccak256(keccak256(abi.encode(index, hash))). */
export function leafHash(index: number | bigint, credentialHash: Hex): Hex {
  return toHex(leafHashBytes(index, credentialHash));
}

export interface Batch {
  root: Hex;
  count: number;
  /** The Merkle path of credential `index`, leaf to root, as `verifyLeaf` and StandardMerkleTree expect. */
  proof(index: number): Hex[];
}

/** Builds the batch of the given credential hashes, credential i at index i. */
export function buildBatch(credentialHashes: readonly Hex[]): Batch {
  const count = credentialHashes.length;
  if (count === 0) throw new EmptyBatchError();
  const leaves = credentialHashes.map((credentialHash, index) => ({ index, hash: leafHashBytes(index, credentialHash) }));
  leaves.sort((a, b) => compareBytes(a.hash, b.hash));

  // Node i has children 2i+1 and 2i+2; the sorted leaves fill the end of the array, last to first.
  const nodes = new Array<Uint8Array>(2 * count - 1);
  const nodeOfIndex = new Uint32Array(count);
  leaves.forEach((leaf, position) => {
    const node = nodes.length - 1 - position;
    nodes[node] = leaf.hash;
    nodeOfIndex[leaf.index] = node;
  });
  for (let node = nodes.length - 1 - count; node >= 0; node--) nodes[node] = hashPair(nodes[2 * node + 1], nodes[2 * node + 2]);
  // Each node appears in many proofs: convert each to hex once.
  const hexNodes = nodes.map(toHex);

  return {
    root: hexNodes[0],
    count,
    proof(index: number): Hex[] {
      if (!Number.isInteger(index) || index < 0 || index >= count) {
        throw new RangeError(`no credential at index ${index} in a batch of ${count}`);
      }
      const path: Hex[] = [];
      for (let node = nodeOfIndex[index]; node > 0; node = (node - 1) >> 1) {
        path.push(hexNodes[node % 2 === 1 ? node + 1 : node - 1]);
      }
      return path;
    },
  };
}

/** Recomputes the root from a credential hash, its index and its Merkle path. */
export function rootFromProof(index: number | bigint, credentialHash: Hex, merklePath: readonly Hex[]): Hex {
  let node = leafHashBytes(index, credentialHash);
  for (const sibling of merklePath) node = hashPair(node, hexToBytes(sibling.slice(2)));
  return toHex(node);
}

function leafHashBytes(index: number | bigint, credentialHash: Hex): Uint8Array {
  const encoded = new Uint8Array(64);
  let value = BigInt(index);
  for (let byte = 31; byte >= 0 && value > 0n; byte--) {
    encoded[byte] = Number(value & 0xffn);
    value >>= 8n;
  }
  encoded.set(hexToBytes(credentialHash.slice(2)), 32);
  return keccak256(keccak256(encoded));
}

function hashPair(a: Uint8Array, b: Uint8Array): Uint8Array {
  const pair = new Uint8Array(64);
  const [first, second] = compareBytes(a, b) <= 0 ? [a, b] : [b, a];
  pair.set(first, 0);
  pair.set(second, 32);
  return keccak256(pair);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function toHex(bytes: Uint8Array): Hex {
  return `0x${bytesToHex(bytes)}`;
}
