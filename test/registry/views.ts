import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { network } from "hardhat";

import {
  deployRegistryWithIssuers,
  IssuerStatus,
  profileIdHash,
  rootOf,
  UNIVERSITY_PROFILE,
} from "../helpers/registry.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

const LEAF_TYPES = ["uint256", "bytes32"];

function treeOf(count: number) {
  const leaves: Array<[number, string]> = Array.from({ length: count }, (_, index) => [
    index,
    ethers.keccak256(ethers.toUtf8Bytes(`badge ${index}`)),
  ]);
  return StandardMerkleTree.of(leaves, LEAF_TYPES);
}

describe("CredentialRegistry: views", function () {
  const fixture = () => deployRegistryWithIssuers(connection);

  describe("credentialStatus", function () {
    it("answers all-false for a root never anchored", async function () {
      const { registry } = await networkHelpers.loadFixture(fixture);
      const status = await registry.credentialStatus(rootOf("never"), 0);
      expect(status.anchored).to.equal(false);
      expect(status.issuer).to.equal(ethers.ZeroAddress);
      expect(status.issuerStatus).to.equal(IssuerStatus.None);
    });

    it("answers anchor, leaf, batch and issuer facts in one call", async function () {
      const { registry, accreditor, university } = await networkHelpers.loadFixture(fixture);
      const root = rootOf("status");
      await registry.connect(university).anchor(root, 10);
      const anchoredAt = await networkHelpers.time.latest();
      await registry.connect(university).suspend(root, 0, 1n << 4n, 0);
      await registry.connect(accreditor).suspendIssuer(university.address, 7);
      const suspendedAt = await networkHelpers.time.latest();

      const status = await registry.credentialStatus(root, 4);
      expect(status.anchored).to.equal(true);
      expect(status.inRange).to.equal(true);
      expect(status.revoked).to.equal(false);
      expect(status.suspended).to.equal(true);
      expect(status.batchRevoked).to.equal(false);
      expect(status.issuer).to.equal(university.address);
      expect(status.anchoredAt).to.equal(anchoredAt);
      expect(status.count).to.equal(10n);
      expect(status.issuerStatus).to.equal(IssuerStatus.Suspended);
      expect(status.issuerStatusReason).to.equal(7n);
      expect(status.issuerStatusSince).to.equal(suspendedAt);
      expect(status.issuerProfileIdHash).to.equal(profileIdHash(UNIVERSITY_PROFILE));
    });

    it("flags an index at or beyond the batch's count as out of range", async function () {
      const { registry, university } = await networkHelpers.loadFixture(fixture);
      const root = rootOf("range");
      await registry.connect(university).anchor(root, 10);
      expect((await registry.credentialStatus(root, 9)).inRange).to.equal(true);
      expect((await registry.credentialStatus(root, 10)).inRange).to.equal(false);
      expect((await registry.credentialStatus(root, ethers.MaxUint256)).inRange).to.equal(false);
    });
  });

  describe("getAnchors and bitmapWords (batch views)", function () {
    it("answers each root as getAnchor does, unknown roots and whole-batch revocations included", async function () {
      const { registry, university, universityOperator } = await networkHelpers.loadFixture(fixture);
      const [small, large, revoked, unknown] = [rootOf("b1"), rootOf("b2"), rootOf("b3"), rootOf("never")];
      await registry.connect(university).anchor(small, 1);
      await registry.connect(universityOperator).anchor(large, 2n ** 40n - 1n);
      await registry.connect(university).anchor(revoked, 3);
      await registry.connect(university).revokeBatch(revoked, 0);
      const roots = [large, unknown, small, revoked, small];
      const anchors = await registry.getAnchors(roots);
      expect(anchors).to.have.length(roots.length);
      for (const [position, root] of roots.entries()) {
        expect([...anchors[position]]).to.deep.equal([...(await registry.getAnchor(root))]);
      }
      expect(anchors[0].count).to.equal(2n ** 40n - 1n);
      expect(anchors[1].issuer).to.equal(ethers.ZeroAddress);
      expect(anchors[3].batchRevoked).to.equal(true);
      expect(await registry.getAnchors([])).to.deep.equal([]);
    });

    it("answers the revocation and suspension word of each (root, word) pair", async function () {
      const { registry, university } = await networkHelpers.loadFixture(fixture);
      const root = rootOf("words");
      await registry.connect(university).anchor(root, 600);
      await registry.connect(university).revoke(root, 0, 0b101n, 1);
      await registry.connect(university).revoke(root, 2, 1n << 87n, 1);
      await registry.connect(university).suspend(root, 0, 0b10n, 7);
      const [revoked, suspended] = await registry.bitmapWords([root, root, root, rootOf("never")], [0, 1, 2, 0]);
      expect(revoked).to.deep.equal([0b101n, 0n, 1n << 87n, 0n]);
      expect(suspended).to.deep.equal([0b10n, 0n, 0n, 0n]);
      for (const wordIndex of [0, 1, 2]) {
        const [[r], [s]] = await registry.bitmapWords([root], [wordIndex]);
        expect(r).to.equal(await registry.revocationWord(root, wordIndex));
        expect(s).to.equal(await registry.suspensionWord(root, wordIndex));
      }
    });

    it("refuses roots and word indices that do not pair up", async function () {
      const { registry } = await networkHelpers.loadFixture(fixture);
      await expect(registry.bitmapWords([rootOf("a"), rootOf("b")], [0]))
        .to.be.revertedWithCustomError(registry, "InvalidArrayLength")
        .withArgs(2, 1);
      await expect(registry.bitmapWords([], [0])).to.be.revertedWithCustomError(registry, "InvalidArrayLength").withArgs(0, 1);
    });
  });

  describe("verifyLeaf", function () {
    it("accepts every proof of an @openzeppelin/merkle-tree StandardMerkleTree", async function () {
      const { registry } = await networkHelpers.loadFixture(fixture);
      const tree = treeOf(37);
      for (const [position, [index, credentialHash]] of tree.entries()) {
        const proof = tree.getProof(position);
        expect(await registry.verifyLeaf(tree.root, index, credentialHash, proof)).to.equal(true);
      }
    });

    it("accepts a batch of one, whose root is the leaf and whose proof is empty", async function () {
      const { registry } = await networkHelpers.loadFixture(fixture);
      const tree = treeOf(1);
      const [index, credentialHash] = tree.at(0)!;
      expect(tree.root).to.equal(tree.leafHash([index, credentialHash]));
      expect(await registry.verifyLeaf(tree.root, index, credentialHash, [])).to.equal(true);
    });

    it("rejects a proof presented with another index or another credential hash", async function () {
      const { registry } = await networkHelpers.loadFixture(fixture);
      const tree = treeOf(8);
      const [index, credentialHash] = tree.at(5)!;
      const proof = tree.getProof(5);
      expect(await registry.verifyLeaf(tree.root, 4, credentialHash, proof)).to.equal(false);
      expect(await registry.verifyLeaf(tree.root, index, ethers.ZeroHash, proof)).to.equal(false);
      expect(await registry.verifyLeaf(rootOf("other"), index, credentialHash, proof)).to.equal(false);
    });
  });
});

describe("CredentialRegistry: multicall", function () {
  const fixture = () => deployRegistryWithIssuers(connection);

  it("runs several issuer actions in one transaction", async function () {
    const { registry, university } = await networkHelpers.loadFixture(fixture);
    const [first, second] = [rootOf("m1"), rootOf("m2")];
    const calls = [
      registry.interface.encodeFunctionData("anchor", [first, 300]),
      registry.interface.encodeFunctionData("anchor", [second, 2]),
      registry.interface.encodeFunctionData("revoke", [first, 0, 1n, 0]),
      registry.interface.encodeFunctionData("revoke", [first, 1, 1n, 0]),
    ];
    await expect(registry.connect(university).multicall(calls))
      .to.emit(registry, "Anchored")
      .withArgs(second, university.address, university.address, 2);
    expect((await registry.credentialStatus(first, 256)).revoked).to.equal(true);
  });

  it("reverts as a whole with the failing call's own error", async function () {
    const { registry, university } = await networkHelpers.loadFixture(fixture);
    const calls = [
      registry.interface.encodeFunctionData("anchor", [rootOf("ok"), 1]),
      registry.interface.encodeFunctionData("anchor", [ethers.ZeroHash, 1]),
    ];
    await expect(registry.connect(university).multicall(calls)).to.be.revertedWithCustomError(registry, "ZeroRoot");
    expect((await registry.getAnchor(rootOf("ok"))).issuer).to.equal(ethers.ZeroAddress);
  });

  it("reports a call to no function as a failed call", async function () {
    const { registry, university } = await networkHelpers.loadFixture(fixture);
    await expect(registry.connect(university).multicall(["0xdeadbeef"])).to.be.revertedWithCustomError(
      registry,
      "FailedCall",
    );
  });

  it("answers several views in one eth_call", async function () {
    const { registry, university } = await networkHelpers.loadFixture(fixture);
    await registry.connect(university).anchor(rootOf("v"), 4);
    const results = await registry.multicall.staticCall([
      registry.interface.encodeFunctionData("credentialStatus", [rootOf("v"), 1]),
      registry.interface.encodeFunctionData("getIssuer", [university.address]),
    ]);
    const [status] = registry.interface.decodeFunctionResult("credentialStatus", results[0]);
    const [issuer] = registry.interface.decodeFunctionResult("getIssuer", results[1]);
    expect(status.anchored).to.equal(true);
    expect(issuer.status).to.equal(IssuerStatus.Active);
  });
});
