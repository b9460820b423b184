import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { network } from "hardhat";
import { keccak256, toUtf8Bytes } from "ethers";

import { buildBatch, EmptyBatchError, LEAF_TYPES, leafHash, rootFromProof } from "../../../lib/anchor/batch.js";
import type { Hex } from "../../../lib/credential/canonical.js";

const { ethers } = await network.create();

function hashes(count: number, label = "credential"): Hex[] {
  return Array.from({ length: count }, (_, index) => keccak256(toUtf8Bytes(`${label} ${index}`)) as Hex);
}

describe("lib/anchor/batch: Merkle batches compatible with StandardMerkleTree", function () {
  it("hashes a leaf exactly as StandardMerkleTree does", function () {
    const [credential] = hashes(1);
    for (const index of [0, 1, 255, 256, 2 ** 40 - 1]) {
      const reference = StandardMerkleTree.of([[index, credential]], [...LEAF_TYPES]);
      expect(leafHash(index, credential)).to.equal(reference.root);
    }
  });

  for (const count of [1, 2, 3, 7, 64, 257]) {
    it(`gives StandardMerkleTree's root and proofs for a batch of ${count}`, function () {
      const credentialHashes = hashes(count);
      const batch = buildBatch(credentialHashes);
      const reference = StandardMerkleTree.of(
        credentialHashes.map((credentialHash, index) => [index, credentialHash]),
        [...LEAF_TYPES],
      );
      expect(batch.root).to.equal(reference.root);
      expect(batch.count).to.equal(count);
      for (let index = 0; index < count; index++) {
        expect(batch.proof(index)).to.deep.equal(reference.getProof(index));
        expect(StandardMerkleTree.verify(batch.root, [...LEAF_TYPES], [index, credentialHashes[index]], batch.proof(index))).to.equal(true);
        expect(rootFromProof(index, credentialHashes[index], batch.proof(index))).to.equal(batch.root);
      }
    });
  }

  it("gives proofs the registry's own verifyLeaf accepts", async function () {
    const [admin] = await ethers.getSigners();
    const registry = await ethers.deployContract("CredentialRegistry", [admin.address, admin.address]);
    const credentialHashes = hashes(21, "on chain");
    const batch = buildBatch(credentialHashes);
    for (let index = 0; index < credentialHashes.length; index++) {
      expect(await registry.verifyLeaf(batch.root, index, credentialHashes[index], batch.proof(index))).to.equal(true);
    }
    expect(await registry.verifyLeaf(batch.root, 1, credentialHashes[0], batch.proof(0))).to.equal(false);
  });

  it("builds 100,000 leaves and proves any of them", function () {
    this.timeout(120_000);
    const credentialHashes = hashes(100_000, "large");
    const batch = buildBatch(credentialHashes);
    for (const index of [0, 1, 49_999, 99_999]) {
      expect(rootFromProof(index, credentialHashes[index], batch.proof(index))).to.equal(batch.root);
      expect(batch.proof(index).length).to.be.within(16, 17);
    }
  });

  it("refuses an empty batch and an index outside the batch", function () {
    expect(() => buildBatch([])).to.throw(EmptyBatchError);
    expect(() => buildBatch(hashes(2)).proof(2)).to.throw(RangeError);
  });

  it("does not give the root for a wrong index or a wrong hash", function () {
    const credentialHashes = hashes(8);
    const batch = buildBatch(credentialHashes);
    expect(rootFromProof(3, credentialHashes[2], batch.proof(2))).to.not.equal(batch.root);
    expect(rootFromProof(2, credentialHashes[3], batch.proof(2))).to.not.equal(batch.root);
  });
});
