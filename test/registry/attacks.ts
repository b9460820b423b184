/**
 * The attacks of issue 13, each played against the 2.x registry as an attacker would. Every one of them
 * succeeded against 1.x (the test names say what 1.x did); each test here fails if the attack works again.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { network } from "hardhat";

import { deployRegistryWithIssuers, keyedNonce, KeyRole, rootOf, signDelegation } from "../helpers/registry.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

const LEAF_TYPES = ["uint256", "bytes32"];

/** The two issuers of the fixture, plus an operator (hot key) of the employer: a key a thief may hold. */
async function issuersWithHotKeys() {
  const context = await deployRegistryWithIssuers(connection);
  const employerOperator = (await ethers.getSigners())[10];
  await context.registry.connect(context.employer).addOperator(context.employerId, employerOperator.address);
  return { ...context, employerOperator };
}

describe("Attacks of issue 13 against CredentialRegistry 2.x", function () {
  describe("root squatting (1.x: anchors keyed by root alone; the university's anchor reverted, its badges read issuer-mismatch)", function () {
    it("another issuer anchoring the university's root first does not stop the university's anchor", async function () {
      const { registry, university, employer, universityId, employerId } = await networkHelpers.loadFixture(issuersWithHotKeys);
      const root = rootOf("university-cohort");
      await registry.connect(employer).anchor(employerId, root, 1); // front-runs the pending transaction
      await expect(registry.connect(university).anchor(universityId, root, 120))
        .to.emit(registry, "Anchored")
        .withArgs(universityId, root, university.address, 120);
      const status = await registry.credentialStatus(universityId, root, 119);
      expect(status.anchored).to.equal(true);
      expect(status.inRange).to.equal(true);
      expect(status.actingKey).to.equal(university.address);
      expect(status.count).to.equal(120n);
    });

    it("a stolen operator key of another issuer can squat only under its own issuer, never under the university's id", async function () {
      const { registry, university, employerOperator, universityId, employerId } =
        await networkHelpers.loadFixture(issuersWithHotKeys);
      const root = rootOf("university-cohort");
      await expect(registry.connect(employerOperator).anchor(universityId, root, 1))
        .to.be.revertedWithCustomError(registry, "NotIssuerKey")
        .withArgs(universityId, employerOperator.address);
      await registry.connect(employerOperator).anchor(employerId, root, 1);
      await expect(registry.connect(university).anchor(universityId, root, 120)).to.emit(registry, "Anchored");
      expect((await registry.getAnchor(universityId, root)).actingKey).to.equal(university.address);
      expect((await registry.getAnchor(employerId, root)).actingKey).to.equal(employerOperator.address);
    });

    it("leafHash(0, hash) anchored as a batch of one by another issuer leaves the university's (issuerId, root) record as it was (1.x: GET /v1/hashes answered valid for a revoked badge)", async function () {
      const { registry, university, employer, universityId, employerId } = await networkHelpers.loadFixture(issuersWithHotKeys);
      const hashes = Array.from({ length: 4 }, (_, index) => ethers.keccak256(ethers.toUtf8Bytes(`badge ${index}`)));
      const tree = StandardMerkleTree.of(
        hashes.map((hash, index) => [index, hash]),
        LEAF_TYPES,
      );
      await registry.connect(university).anchor(universityId, tree.root, hashes.length);
      await registry.connect(university).revoke(universityId, tree.root, 0, 1n << 2n, 3); // badge 2 revoked
      const before = await registry.credentialStatus(universityId, tree.root, 2);
      expect(before.revoked).to.equal(true);

      // The attacker anchors the revoked badge's hash alone: a tree of one whose root is the leaf.
      const single = StandardMerkleTree.of([[0, hashes[2]]], LEAF_TYPES);
      expect(single.root).to.equal(single.leafHash([0, hashes[2]]));
      await registry.connect(employer).anchor(employerId, single.root, 1);

      expect(await registry.credentialStatus(universityId, tree.root, 2)).to.deep.equal(before);
      expect((await registry.getAnchor(universityId, single.root)).actingKey, "nothing under the university's id").to.equal(
        ethers.ZeroAddress,
      );
      expect((await registry.credentialStatus(employerId, single.root, 0)).actingKey).to.equal(employer.address);
    });
  });

  describe("a stolen operator key revoking (1.x: one multicall of revokeBatch revoked every batch of its issuer for good)", function () {
    async function batchesOfBothKeys() {
      const context = await issuersWithHotKeys();
      const { registry, university, universityOperator, universityId } = context;
      await registry.connect(university).anchor(universityId, rootOf("cold"), 300);
      await registry.connect(universityOperator).anchor(universityId, rootOf("hot"), 300);
      return context;
    }

    it("cannot revoke credentials or batches, its own or the controller's: only the controller revokes", async function () {
      const { registry, universityOperator, universityId } = await networkHelpers.loadFixture(batchesOfBothKeys);
      const thief = registry.connect(universityOperator);
      for (const root of [rootOf("cold"), rootOf("hot")]) {
        await expect(thief.revoke(universityId, root, 0, ethers.MaxUint256, 3))
          .to.be.revertedWithCustomError(registry, "NotController")
          .withArgs(universityId, universityOperator.address);
        await expect(thief.revokeBatch(universityId, root, 3))
          .to.be.revertedWithCustomError(registry, "NotController")
          .withArgs(universityId, universityOperator.address);
      }
      const everything = [rootOf("cold"), rootOf("hot")].map((root) =>
        registry.interface.encodeFunctionData("revokeBatch", [universityId, root, 3]),
      );
      await expect(thief.multicall(everything)).to.be.revertedWithCustomError(registry, "NotController");
      for (const root of [rootOf("cold"), rootOf("hot")]) {
        expect((await registry.getAnchor(universityId, root)).batchRevoked).to.equal(false);
        expect(await registry.revocationWord(universityId, root, 0)).to.equal(0n);
      }
    });

    it("can only suspend the batches it anchored, and the controller lifts the suspension", async function () {
      const { registry, university, universityOperator, universityId } = await networkHelpers.loadFixture(batchesOfBothKeys);
      await expect(registry.connect(universityOperator).suspend(universityId, rootOf("cold"), 0, ethers.MaxUint256, 7))
        .to.be.revertedWithCustomError(registry, "NotAnchoringKey")
        .withArgs(universityId, rootOf("cold"), universityOperator.address, university.address);
      await registry.connect(universityOperator).suspend(universityId, rootOf("hot"), 0, ethers.MaxUint256, 7);
      await registry.connect(university).removeOperator(universityId, universityOperator.address);
      await registry.connect(university).unsuspend(universityId, rootOf("hot"), 0, ethers.MaxUint256, 0);
      const status = await registry.credentialStatus(universityId, rootOf("hot"), 17);
      expect(status.suspended).to.equal(false);
      expect(status.revoked).to.equal(false);
    });
  });

  it("an operator after its issuer's withdrawal can change nothing (1.x: it unsuspended a badge of a withdrawn issuer)", async function () {
    const { registry, accreditor, universityOperator, relayer, universityId } = await networkHelpers.loadFixture(issuersWithHotKeys);
    const root = rootOf("under-investigation");
    await registry.connect(universityOperator).anchor(universityId, root, 10);
    await registry.connect(universityOperator).suspend(universityId, root, 0, 1n, 7);
    await registry.connect(accreditor).withdrawIssuer(universityId, 6); // cessation of operation
    const operator = registry.connect(universityOperator);
    for (const attempt of [
      () => operator.unsuspend(universityId, root, 0, 1n, 0),
      () => operator.suspend(universityId, root, 0, 2n, 0),
    ]) {
      await expect(attempt()).to.be.revertedWithCustomError(registry, "IssuerWithdrawn").withArgs(universityId);
    }
    const fields = { issuerId: universityId, root, wordIndex: 0n, mask: 1n, reason: 0 };
    const signed = await signDelegation({ registry, action: "Unsuspend", key: universityOperator, fields });
    await expect(registry.connect(relayer).unsuspendBySig(universityId, root, 0n, 1n, 0, signed))
      .to.be.revertedWithCustomError(registry, "IssuerWithdrawn")
      .withArgs(universityId);
    await expect(operator.anchor(universityId, rootOf("after"), 1)).to.be.revertedWithCustomError(registry, "IssuerNotActive");
    expect((await registry.credentialStatus(universityId, root, 0)).suspended).to.equal(true);
  });

  it("a signature replayed onto another issuer is refused (1.x: the signed Anchor did not name the issuer)", async function () {
    const { registry, university, universityOperator, relayer, universityId, employerId } =
      await networkHelpers.loadFixture(issuersWithHotKeys);
    const root = rootOf("pending");
    const anchor = await signDelegation({
      registry,
      action: "Anchor",
      key: universityOperator,
      fields: { issuerId: universityId, root, count: 5 },
    });
    await expect(registry.connect(relayer).anchorBySig(employerId, root, 5, anchor))
      .to.be.revertedWithCustomError(registry, "InvalidSignature")
      .withArgs(universityOperator.address);
    const revoke = await signDelegation({
      registry,
      action: "RevokeBatch",
      key: university,
      fields: { issuerId: universityId, root, reason: 1 },
    });
    await expect(registry.connect(relayer).revokeBatchBySig(employerId, root, 1, revoke))
      .to.be.revertedWithCustomError(registry, "InvalidSignature")
      .withArgs(university.address);
    // Relayed as signed, it does what it says, for the issuer it names.
    await expect(registry.connect(relayer).anchorBySig(universityId, root, 5, anchor))
      .to.emit(registry, "Anchored")
      .withArgs(universityId, root, universityOperator.address, 5);
  });

  it("a withheld nonce blocks only its own key (1.x: sequential nonces let a relayer block every later signature)", async function () {
    const { registry, university, relayer, universityId } = await networkHelpers.loadFixture(issuersWithHotKeys);
    const signAnchor = (label: string, nonceKey: bigint) =>
      signDelegation({
        registry,
        action: "Anchor",
        key: university,
        fields: { issuerId: universityId, root: rootOf(label), count: 1 },
        nonceKey,
      });
    const withheld = await signAnchor("withheld", 1n); // the relayer sits on this one
    expect(withheld.nonce).to.equal(keyedNonce(1n, 0n));
    for (const [position, key] of [2n, 3n, 4n].entries()) {
      const delegation = await signAnchor(`next-${position}`, key);
      await expect(registry.connect(relayer).anchorBySig(universityId, rootOf(`next-${position}`), 1, delegation)).to.emit(
        registry,
        "Anchored",
      );
    }
    // The signer gives up on the withheld one: cancelled, it can never be relayed.
    await registry.connect(university).invalidateNonce(1n);
    await expect(registry.connect(relayer).anchorBySig(universityId, rootOf("withheld"), 1, withheld))
      .to.be.revertedWithCustomError(registry, "InvalidAccountNonce")
      .withArgs(university.address, keyedNonce(1n, 1n));
  });

  it("the stolen-key scene: forged anchors read keyCompromised, the genuine ones stay valid, through a rotation (1.x: forgeries verified like genuine badges)", async function () {
    const { registry, university, universityOperator, universityId } = await networkHelpers.loadFixture(issuersWithHotKeys);
    const [newController] = (await ethers.getSigners()).slice(11, 12);

    // Monday: the operator anchors genuine badges.
    await registry.connect(universityOperator).anchor(universityId, rootOf("genuine"), 50);
    await networkHelpers.time.increase(86_400);
    // Tuesday: the key is stolen; the thief anchors a forged batch and suspends a genuine badge.
    const theft = BigInt(await networkHelpers.time.latest()) + 1n;
    await networkHelpers.time.setNextBlockTimestamp(theft);
    await registry.connect(universityOperator).anchor(universityId, rootOf("forged"), 1);
    await registry.connect(universityOperator).suspend(universityId, rootOf("genuine"), 0, 1n << 9n, 7);
    await networkHelpers.time.increase(3600);

    // The controller declares the key compromised since the theft.
    await expect(registry.connect(university).declareKeyCompromised(universityId, universityOperator.address, theft))
      .to.emit(registry, "KeyCompromised")
      .withArgs(universityId, universityOperator.address, theft, university.address);
    const forged = await registry.credentialStatus(universityId, rootOf("forged"), 0);
    expect(forged.keyCompromised).to.equal(true);
    expect(forged.keyCompromisedSince).to.equal(theft);
    const genuine = await registry.credentialStatus(universityId, rootOf("genuine"), 9);
    expect(genuine.keyCompromised).to.equal(false);
    // The thief can do nothing more; the controller lifts the thief's suspension.
    await expect(registry.connect(universityOperator).anchor(universityId, rootOf("forged-2"), 1)).to.be.revertedWithCustomError(
      registry,
      "NotIssuerKey",
    );
    await registry.connect(university).unsuspend(universityId, rootOf("genuine"), 0, 1n << 9n, 0);

    // The controller rotates to a new key; the old badges read as before, under the new controller.
    await registry.connect(university).transferControl(universityId, newController.address);
    await registry.connect(newController).acceptControl(universityId);
    const after = await registry.credentialStatus(universityId, rootOf("genuine"), 9);
    expect(after.anchored && after.inRange).to.equal(true);
    expect([after.revoked, after.suspended, after.batchRevoked, after.keyCompromised]).to.deep.equal([false, false, false, false]);
    expect(after.controller).to.equal(newController.address);
    expect((await registry.credentialStatus(universityId, rootOf("forged"), 0)).keyCompromised).to.equal(true);
    expect((await registry.getKey(universityId, university.address)).role).to.equal(KeyRole.Retired);
  });
});
