/**
 * The registry's views (2.x): `credentialStatus(issuerId, root, index)` — everything a verifier needs in one
 * call — the single-record views, the batch views auditors use, `verifyLeaf` against a real
 * StandardMerkleTree, and multicall for actions and views alike.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { network } from "hardhat";

import { deployRegistryWithIssuers, issuerIdOf, IssuerStatus, KeyRole, rootOf, signDelegation } from "../helpers/registry.js";

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

const fixture = () => deployRegistryWithIssuers(connection);

describe("CredentialRegistry: views", function () {
  describe("credentialStatus", function () {
    it("answers not anchored, with the issuer's facts, for a root the issuer never anchored", async function () {
      const { registry, university, universityId } = await networkHelpers.loadFixture(fixture);
      const status = await registry.credentialStatus(universityId, rootOf("never"), 0);
      expect(status.anchored).to.equal(false);
      expect(status.inRange).to.equal(false);
      expect(status.actingKey).to.equal(ethers.ZeroAddress);
      expect(status.issuerStatus).to.equal(IssuerStatus.Active);
      expect(status.controller).to.equal(university.address);
      const unknown = await registry.credentialStatus(issuerIdOf("did:web:nobody.example"), rootOf("never"), 0);
      expect(unknown.issuerStatus).to.equal(IssuerStatus.None);
      expect(unknown.controller).to.equal(ethers.ZeroAddress);
    });

    it("answers anchor, leaf, batch, key and issuer facts in one call", async function () {
      const { registry, accreditor, university, universityOperator, universityId } = await networkHelpers.loadFixture(fixture);
      const root = rootOf("status");
      await registry.connect(universityOperator).anchor(universityId, root, 10);
      const anchoredAt = await networkHelpers.time.latest();
      await registry.connect(universityOperator).suspend(universityId, root, 0, 1n << 4n, 0);
      await registry.connect(university).revoke(universityId, root, 0, 1n << 5n, 0);
      await registry.connect(accreditor).suspendIssuer(universityId, 7);
      const suspendedAt = await networkHelpers.time.latest();

      const status = await registry.credentialStatus(universityId, root, 4);
      expect(status.anchored).to.equal(true);
      expect(status.inRange).to.equal(true);
      expect(status.revoked).to.equal(false);
      expect(status.suspended).to.equal(true);
      expect(status.batchRevoked).to.equal(false);
      expect(status.keyCompromised).to.equal(false);
      expect(status.actingKey).to.equal(universityOperator.address);
      expect(status.anchoredAt).to.equal(anchoredAt);
      expect(status.count).to.equal(10n);
      expect(status.keyCompromisedSince).to.equal(0n);
      expect(status.issuerStatus).to.equal(IssuerStatus.Suspended);
      expect(status.issuerStatusReason).to.equal(7n);
      expect(status.issuerStatusSince).to.equal(suspendedAt);
      expect(status.controller).to.equal(university.address);
      expect((await registry.credentialStatus(universityId, root, 5)).revoked).to.equal(true);
      expect((await registry.credentialStatus(universityId, root, 5)).suspended).to.equal(false);
    });

    it("answers batchRevoked for every index of a revoked batch", async function () {
      const { registry, university, universityId } = await networkHelpers.loadFixture(fixture);
      const root = rootOf("batch");
      await registry.connect(university).anchor(universityId, root, 3);
      await registry.connect(university).revokeBatch(universityId, root, 1);
      for (const index of [0, 2]) expect((await registry.credentialStatus(universityId, root, index)).batchRevoked).to.equal(true);
    });

    it("flags an index at or beyond the batch's count as out of range", async function () {
      const { registry, university, universityId } = await networkHelpers.loadFixture(fixture);
      const root = rootOf("range");
      await registry.connect(university).anchor(universityId, root, 10);
      expect((await registry.credentialStatus(universityId, root, 9)).inRange).to.equal(true);
      expect((await registry.credentialStatus(universityId, root, 10)).inRange).to.equal(false);
      expect((await registry.credentialStatus(universityId, root, ethers.MaxUint256)).inRange).to.equal(false);
    });

    it("reads a root under the issuer that anchored it only", async function () {
      const { registry, university, universityId, employerId } = await networkHelpers.loadFixture(fixture);
      const root = rootOf("mine");
      await registry.connect(university).anchor(universityId, root, 1);
      expect((await registry.credentialStatus(employerId, root, 0)).anchored).to.equal(false);
    });
  });

  describe("single records", function () {
    it("getIssuer, getKey, issuerOfKey and proposedController answer the issuer's identity and keys", async function () {
      const { registry, university, universityOperator, stranger, universityId } = await networkHelpers.loadFixture(fixture);
      await registry.connect(university).transferControl(universityId, stranger.address);
      expect(await registry.proposedController(universityId)).to.equal(stranger.address);
      expect((await registry.getIssuer(universityId)).controller).to.equal(university.address);
      expect((await registry.getKey(universityId, universityOperator.address)).role).to.equal(KeyRole.Operator);
      expect((await registry.getKey(universityId, stranger.address)).role).to.equal(KeyRole.None);
      expect(await registry.issuerOfKey(universityOperator.address)).to.equal(universityId);
      expect(await registry.issuerOfKey(stranger.address)).to.equal(ethers.ZeroHash);
      expect((await registry.getIssuer(issuerIdOf("did:web:nobody.example"))).status).to.equal(IssuerStatus.None);
    });

    it("getAnchor, revocationWord and suspensionWord answer zero for what was never written", async function () {
      const { registry, universityId } = await networkHelpers.loadFixture(fixture);
      const anchor = await registry.getAnchor(universityId, rootOf("never"));
      expect(anchor.actingKey).to.equal(ethers.ZeroAddress);
      expect(anchor.count).to.equal(0n);
      expect(await registry.revocationWord(universityId, rootOf("never"), 0)).to.equal(0n);
      expect(await registry.suspensionWord(universityId, rootOf("never"), 0)).to.equal(0n);
    });
  });

  describe("batch views", function () {
    it("getIssuers answers each issuer as getIssuer does", async function () {
      const { registry, accreditor, universityId, employerId } = await networkHelpers.loadFixture(fixture);
      await registry.connect(accreditor).withdrawIssuer(employerId, 3);
      const ids = [employerId, issuerIdOf("did:web:nobody.example"), universityId];
      const issuers = await registry.getIssuers(ids);
      expect(issuers).to.have.length(3);
      for (const [position, id] of ids.entries()) {
        expect([...issuers[position]]).to.deep.equal([...(await registry.getIssuer(id))]);
      }
      expect(issuers[0].status).to.equal(IssuerStatus.Withdrawn);
      expect(await registry.getIssuers([])).to.deep.equal([]);
    });

    it("getKeys answers each (issuer, key) pair as getKey does", async function () {
      const { registry, university, universityOperator, employer, universityId, employerId } =
        await networkHelpers.loadFixture(fixture);
      const since = await networkHelpers.time.latest();
      await registry.connect(university).declareKeyCompromised(universityId, universityOperator.address, since);
      const ids = [universityId, universityId, employerId, employerId];
      const keys = [university.address, universityOperator.address, employer.address, university.address];
      const states = await registry.getKeys(ids, keys);
      for (const position of ids.keys()) {
        expect([...states[position]]).to.deep.equal([...(await registry.getKey(ids[position], keys[position]))]);
      }
      expect(states[1].compromisedSince).to.equal(since);
      expect(states[3].role).to.equal(KeyRole.None);
    });

    it("getAnchors answers each (issuer, root) pair as getAnchor does", async function () {
      const { registry, university, universityOperator, employer, universityId, employerId } =
        await networkHelpers.loadFixture(fixture);
      const [small, large, revoked, unknown] = [rootOf("b1"), rootOf("b2"), rootOf("b3"), rootOf("never")];
      await registry.connect(university).anchor(universityId, small, 1);
      await registry.connect(universityOperator).anchor(universityId, large, 2n ** 40n - 1n);
      await registry.connect(employer).anchor(employerId, revoked, 3);
      await registry.connect(employer).revokeBatch(employerId, revoked, 0);
      const ids = [universityId, universityId, employerId, universityId, employerId];
      const roots = [large, unknown, revoked, small, small];
      const anchors = await registry.getAnchors(ids, roots);
      expect(anchors).to.have.length(roots.length);
      for (const position of roots.keys()) {
        expect([...anchors[position]]).to.deep.equal([...(await registry.getAnchor(ids[position], roots[position]))]);
      }
      expect(anchors[0].count).to.equal(2n ** 40n - 1n);
      expect(anchors[1].actingKey).to.equal(ethers.ZeroAddress);
      expect(anchors[2].batchRevoked).to.equal(true);
      expect(anchors[4].actingKey, "the university's root is not the employer's").to.equal(ethers.ZeroAddress);
    });

    it("bitmapWords answers the revocation and suspension word of each (issuer, root, word)", async function () {
      const { registry, university, universityId, employerId } = await networkHelpers.loadFixture(fixture);
      const root = rootOf("words");
      await registry.connect(university).anchor(universityId, root, 600);
      await registry.connect(university).revoke(universityId, root, 0, 0b101n, 1);
      await registry.connect(university).revoke(universityId, root, 2, 1n << 87n, 1);
      await registry.connect(university).suspend(universityId, root, 0, 0b10n, 7);
      const [revoked, suspended] = await registry.bitmapWords(
        [universityId, universityId, universityId, employerId],
        [root, root, root, root],
        [0, 1, 2, 0],
      );
      expect(revoked).to.deep.equal([0b101n, 0n, 1n << 87n, 0n]);
      expect(suspended).to.deep.equal([0b10n, 0n, 0n, 0n]);
      for (const wordIndex of [0, 1, 2]) {
        const [[r], [s]] = await registry.bitmapWords([universityId], [root], [wordIndex]);
        expect(r).to.equal(await registry.revocationWord(universityId, root, wordIndex));
        expect(s).to.equal(await registry.suspensionWord(universityId, root, wordIndex));
      }
    });

    it("refuses arrays that do not pair up, naming both lengths", async function () {
      const { registry, university, universityId } = await networkHelpers.loadFixture(fixture);
      const two = [universityId, universityId];
      await expect(registry.getKeys(two, [university.address]))
        .to.be.revertedWithCustomError(registry, "InvalidArrayLength")
        .withArgs(2, 1);
      await expect(registry.getAnchors([universityId], [rootOf("a"), rootOf("b")]))
        .to.be.revertedWithCustomError(registry, "InvalidArrayLength")
        .withArgs(1, 2);
      await expect(registry.bitmapWords(two, [rootOf("a")], [0, 0]))
        .to.be.revertedWithCustomError(registry, "InvalidArrayLength")
        .withArgs(2, 1);
      await expect(registry.bitmapWords(two, [rootOf("a"), rootOf("b")], [0]))
        .to.be.revertedWithCustomError(registry, "InvalidArrayLength")
        .withArgs(2, 1);
    });
  });

  describe("verifyLeaf", function () {
    it("accepts every proof of an @openzeppelin/merkle-tree StandardMerkleTree", async function () {
      const { registry } = await networkHelpers.loadFixture(fixture);
      const tree = treeOf(37);
      for (const [position, [index, credentialHash]] of tree.entries()) {
        expect(await registry.verifyLeaf(tree.root, index, credentialHash, tree.getProof(position))).to.equal(true);
      }
    });

    it("accepts a batch of one, whose root is the leaf and whose proof is empty", async function () {
      const { registry } = await networkHelpers.loadFixture(fixture);
      const tree = treeOf(1);
      const [index, credentialHash] = tree.at(0)!;
      expect(tree.root).to.equal(tree.leafHash([index, credentialHash]));
      expect(await registry.verifyLeaf(tree.root, index, credentialHash, [])).to.equal(true);
    });

    it("rejects a proof presented with another index, another credential hash or another root", async function () {
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
  it("runs several issuer actions in one transaction as the caller", async function () {
    const { registry, university, universityId } = await networkHelpers.loadFixture(fixture);
    const [first, second] = [rootOf("m1"), rootOf("m2")];
    const calls = [
      registry.interface.encodeFunctionData("anchor", [universityId, first, 300]),
      registry.interface.encodeFunctionData("anchor", [universityId, second, 2]),
      registry.interface.encodeFunctionData("revoke", [universityId, first, 0, 1n, 0]),
      registry.interface.encodeFunctionData("revoke", [universityId, first, 1, 1n, 0]),
    ];
    await expect(registry.connect(university).multicall(calls))
      .to.emit(registry, "Anchored")
      .withArgs(universityId, second, university.address, 2);
    expect((await registry.credentialStatus(universityId, first, 256)).revoked).to.equal(true);
  });

  it("relays several signed actions in one transaction", async function () {
    const { registry, university, universityOperator, relayer, universityId } = await networkHelpers.loadFixture(fixture);
    const [first, second] = [rootOf("s1"), rootOf("s2")];
    const byController = await signDelegation({
      registry,
      action: "Anchor",
      key: university,
      fields: { issuerId: universityId, root: first, count: 1 },
    });
    const byOperator = await signDelegation({
      registry,
      action: "Anchor",
      key: universityOperator,
      fields: { issuerId: universityId, root: second, count: 1 },
    });
    await registry.connect(relayer).multicall([
      registry.interface.encodeFunctionData("anchorBySig", [universityId, first, 1, byController]),
      registry.interface.encodeFunctionData("anchorBySig", [universityId, second, 1, byOperator]),
    ]);
    expect((await registry.getAnchor(universityId, first)).actingKey).to.equal(university.address);
    expect((await registry.getAnchor(universityId, second)).actingKey).to.equal(universityOperator.address);
  });

  it("reverts as a whole with the failing call's own error", async function () {
    const { registry, university, universityId } = await networkHelpers.loadFixture(fixture);
    const calls = [
      registry.interface.encodeFunctionData("anchor", [universityId, rootOf("ok"), 1]),
      registry.interface.encodeFunctionData("anchor", [universityId, ethers.ZeroHash, 1]),
    ];
    await expect(registry.connect(university).multicall(calls)).to.be.revertedWithCustomError(registry, "ZeroRoot");
    expect((await registry.getAnchor(universityId, rootOf("ok"))).actingKey).to.equal(ethers.ZeroAddress);
  });

  it("reports a call to no function as a failed call", async function () {
    const { registry, university } = await networkHelpers.loadFixture(fixture);
    await expect(registry.connect(university).multicall(["0xdeadbeef"])).to.be.revertedWithCustomError(registry, "FailedCall");
  });

  it("answers several views in one eth_call", async function () {
    const { registry, university, universityId } = await networkHelpers.loadFixture(fixture);
    await registry.connect(university).anchor(universityId, rootOf("v"), 4);
    const results = await registry.multicall.staticCall([
      registry.interface.encodeFunctionData("credentialStatus", [universityId, rootOf("v"), 1]),
      registry.interface.encodeFunctionData("getIssuer", [universityId]),
    ]);
    const [status] = registry.interface.decodeFunctionResult("credentialStatus", results[0]);
    const [issuer] = registry.interface.decodeFunctionResult("getIssuer", results[1]);
    expect(status.anchored).to.equal(true);
    expect(issuer.status).to.equal(IssuerStatus.Active);
  });
});
