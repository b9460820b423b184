/**
 * A batch of credentials as one Merkle tree, exactly OpenZeppelin's StandardMerkleTree over leaves
 * `[index, credentialHash]` typed ["uint256","bytes32"] (so the registry's `verifyLeaf` and
 * `StandardMerkleTree.verify` both accept its proofs). `index` is the credential's position in the batch
 * and its revocation bit.
 *
 * Why not `StandardMerkleTree.of` directly: for 100,000 credentials it spends ~14 s hashing leaves through a
 * generic ABI encoder and ~31 s in `getProof`, which re-verifies every proof. We hash each leaf ourselves
 * (the ABI encoding of a uint256 and a bytes32 is just their 64 bytes), let the library's
 * SimpleMerkleTree build the tree from those leaf hashes (same sorted-pair node hash, same leaf order, so the
 * same tree and root), and read each proof off the tree by walking siblings to the root without re-checking
 * it. Tests check roots and proofs against StandardMerkleTree itself.
 */
import { SimpleMerkleTree } from "@openzeppelin/merkle-tree";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";

import type { Hex } from "./canonical.js";

export const LEAF_TYPES = ["uint256", "bytes32"] as const;

export class EmptyBatchError extends Error {
  override readonly name = "EmptyBatchError";
  constructor() {
    super("a batch needs at least one credential");
  }
}

/** StandardMerkleTree's leaf hash of `[index, credentialHash]`: keccak256(keccak256(abi.encode(index, hash))). */
export function leafHash(index: number | bigint, credentialHash: Hex): Hex {
  const encoded = new Uint8Array(64);
  let value = BigInt(index);
  for (let byte = 31; byte >= 0 && value > 0n; byte--) {
    encoded[byte] = Number(value & 0xffn);
    value >>= 8n;
  }
  encoded.set(hexToBytes(credentialHash.slice(2)), 32);
  return `0x${bytesToHex(keccak_256(keccak_256(encoded)))}`;
}

export interface Batch {
  root: Hex;
  count: number;
  /** The Merkle path of credential `index`, leaf to root, as `verifyLeaf` and StandardMerkleTree expect. */
  proof(index: number): Hex[];
}

/** Builds the batch of the given credential hashes, credential i at index i. */
export function buildBatch(credentialHashes: readonly Hex[]): Batch {
  if (credentialHashes.length === 0) throw new EmptyBatchError();
  const leaves = credentialHashes.map((credentialHash, index) => leafHash(index, credentialHash));
  const tree = SimpleMerkleTree.of(leaves);
  const { tree: nodes, values } = tree.dump();
  return {
    root: tree.root as Hex,
    count: credentialHashes.length,
    proof(index: number): Hex[] {
      const entry = values[index];
      if (entry === undefined) throw new RangeError(`no credential at index ${index} in a batch of ${values.length}`);
      const path: Hex[] = [];
      // Nodes are stored root-first in one array: node i has children 2i+1 and 2i+2.
      for (let node = entry.treeIndex; node > 0; node = Math.floor((node - 1) / 2)) {
        path.push(nodes[node % 2 === 1 ? node + 1 : node - 1] as Hex);
      }
      return path;
    },
  };
}

/** Recomputes the root from a credential hash, its index and its Merkle path. */
export function rootFromProof(index: number | bigint, credentialHash: Hex, merklePath: readonly Hex[]): Hex {
  let node = hexToBytes(leafHash(index, credentialHash).slice(2));
  for (const sibling of merklePath) {
    const other = hexToBytes(sibling.slice(2));
    const pair = new Uint8Array(64);
    const [first, second] = compareBytes(node, other) <= 0 ? [node, other] : [other, node];
    pair.set(first, 0);
    pair.set(second, 32);
    node = keccak_256(pair);
  }
  return `0x${bytesToHex(node)}`;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
