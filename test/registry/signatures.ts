/**
 * Issuer actions by EIP-712 signature (2.x): every `…BySig` relayed by a third party, the domain
 * ("CredentialRegistry", "2"), keyed nonces (a withheld signature blocks only its own nonce key),
 * `invalidateNonce(key)`, deadlines, and an ERC-1271 contract wallet as a controller.
 */
import { expect } from "chai";
import { network } from "hardhat";

import { deployRegistryWithIssuers, keyedNonce, KeyRole, rootOf, signDelegation } from "../helpers/registry.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

const ROOT = rootOf("signed-batch");
const OPERATOR_ROOT = rootOf("signed-batch-hot");

async function registryWithBatches() {
  const context = await deployRegistryWithIssuers(connection);
  const { registry, university, universityOperator, universityId } = context;
  await registry.connect(university).anchor(universityId, ROOT, 300);
  await registry.connect(universityOperator).anchor(universityId, OPERATOR_ROOT, 300);
  return context;
}

describe("CredentialRegistry: issuer actions by EIP-712 signature", function () {
  describe("each action, signed by a key of the issuer and relayed by a third party", function () {
    it("anchorBySig anchors for the issuer named in the message, and consumes the nonce", async function () {
      const { registry, university, relayer, universityId } = await networkHelpers.loadFixture(registryWithBatches);
      const root = rootOf("relayed");
      const delegation = await signDelegation({
        registry,
        action: "Anchor",
        key: university,
        fields: { issuerId: universityId, root, count: 12 },
      });
      await expect(registry.connect(relayer).anchorBySig(universityId, root, 12, delegation))
        .to.emit(registry, "Anchored")
        .withArgs(universityId, root, university.address, 12)
        .and.to.emit(registry, "NonceUsed")
        .withArgs(university.address, 0n);
      expect(await registry["nonces(address)"](university.address)).to.equal(1n);
      expect(await registry["nonces(address,uint192)"](university.address, 0n)).to.equal(1n);
    });

    it("lets an operator's signature anchor, and suspend / unsuspend the batches it anchored", async function () {
      const { registry, universityOperator, relayer, universityId } = await networkHelpers.loadFixture(registryWithBatches);
      const root = rootOf("operator-signed");
      const anchor = await signDelegation({
        registry,
        action: "Anchor",
        key: universityOperator,
        fields: { issuerId: universityId, root, count: 1 },
      });
      await expect(registry.connect(relayer).anchorBySig(universityId, root, 1, anchor))
        .to.emit(registry, "Anchored")
        .withArgs(universityId, root, universityOperator.address, 1);
      const fields = { issuerId: universityId, root: OPERATOR_ROOT, wordIndex: 0n, mask: 1n, reason: 7 };
      const suspend = await signDelegation({ registry, action: "Suspend", key: universityOperator, fields });
      await expect(registry.connect(relayer).suspendBySig(universityId, OPERATOR_ROOT, 0n, 1n, 7, suspend))
        .to.emit(registry, "CredentialsSuspended")
        .withArgs(universityId, OPERATOR_ROOT, 0n, 1n, 7, universityOperator.address);
      const unsuspend = await signDelegation({ registry, action: "Unsuspend", key: universityOperator, fields });
      await expect(registry.connect(relayer).unsuspendBySig(universityId, OPERATOR_ROOT, 0n, 1n, 7, unsuspend))
        .to.emit(registry, "CredentialsUnsuspended")
        .withArgs(universityId, OPERATOR_ROOT, 0n, 1n, 7, universityOperator.address);
    });

    it("revokeBySig and revokeBatchBySig act for the controller", async function () {
      const { registry, university, relayer, universityId } = await networkHelpers.loadFixture(registryWithBatches);
      const fields = { issuerId: universityId, root: ROOT, wordIndex: 1n, mask: 0b11n, reason: 3 };
      const revoke = await signDelegation({ registry, action: "Revoke", key: university, fields });
      await expect(registry.connect(relayer).revokeBySig(universityId, ROOT, 1n, 0b11n, 3, revoke))
        .to.emit(registry, "CredentialsRevoked")
        .withArgs(universityId, ROOT, 1n, 0b11n, 3, university.address);
      expect(await registry.revocationWord(universityId, ROOT, 1n)).to.equal(0b11n);
      const batch = await signDelegation({
        registry,
        action: "RevokeBatch",
        key: university,
        fields: { issuerId: universityId, root: OPERATOR_ROOT, reason: 1 },
      });
      await expect(registry.connect(relayer).revokeBatchBySig(universityId, OPERATOR_ROOT, 1, batch))
        .to.emit(registry, "BatchRevoked")
        .withArgs(universityId, OPERATOR_ROOT, 1, university.address);
    });

    it("addOperatorBySig and removeOperatorBySig manage the issuer's operators", async function () {
      const { registry, employer, relayer, stranger, employerId } = await networkHelpers.loadFixture(registryWithBatches);
      const fields = { issuerId: employerId, operator: stranger.address };
      const add = await signDelegation({ registry, action: "AddOperator", key: employer, fields });
      await expect(registry.connect(relayer).addOperatorBySig(employerId, stranger.address, add))
        .to.emit(registry, "OperatorAdded")
        .withArgs(employerId, stranger.address, employer.address);
      const remove = await signDelegation({ registry, action: "RemoveOperator", key: employer, fields });
      await expect(registry.connect(relayer).removeOperatorBySig(employerId, stranger.address, remove))
        .to.emit(registry, "OperatorRemoved")
        .withArgs(employerId, stranger.address, employer.address);
      expect(await registry["nonces(address)"](employer.address)).to.equal(2n);
    });

    it("transferControlBySig and acceptControlBySig rotate the controller", async function () {
      const { registry, employer, relayer, stranger, employerId } = await networkHelpers.loadFixture(registryWithBatches);
      const transfer = await signDelegation({
        registry,
        action: "TransferControl",
        key: employer,
        fields: { issuerId: employerId, newController: stranger.address },
      });
      await expect(registry.connect(relayer).transferControlBySig(employerId, stranger.address, transfer))
        .to.emit(registry, "ControlTransferProposed")
        .withArgs(employerId, employer.address, stranger.address);
      const accept = await signDelegation({ registry, action: "AcceptControl", key: stranger, fields: { issuerId: employerId } });
      await expect(registry.connect(relayer).acceptControlBySig(employerId, accept))
        .to.emit(registry, "ControllerChanged")
        .withArgs(employerId, employer.address, stranger.address, stranger.address);
      expect((await registry.getKey(employerId, stranger.address)).role).to.equal(KeyRole.Controller);
    });

    it("declareKeyCompromisedBySig declares for the controller; the accreditor acts directly", async function () {
      const { registry, accreditor, university, universityOperator, relayer, universityId } =
        await networkHelpers.loadFixture(registryWithBatches);
      const since = (await registry.getAnchor(universityId, OPERATOR_ROOT)).anchoredAt;
      const fields = { issuerId: universityId, key: universityOperator.address, since };
      const byAccreditor = await signDelegation({ registry, action: "DeclareKeyCompromised", key: accreditor, fields });
      await expect(registry.connect(relayer).declareKeyCompromisedBySig(universityId, universityOperator.address, since, byAccreditor))
        .to.be.revertedWithCustomError(registry, "NotController")
        .withArgs(universityId, accreditor.address);
      const delegation = await signDelegation({ registry, action: "DeclareKeyCompromised", key: university, fields });
      await expect(registry.connect(relayer).declareKeyCompromisedBySig(universityId, universityOperator.address, since, delegation))
        .to.emit(registry, "KeyCompromised")
        .withArgs(universityId, universityOperator.address, since, university.address)
        .and.to.emit(registry, "OperatorRemoved")
        .withArgs(universityId, universityOperator.address, university.address);
      expect((await registry.credentialStatus(universityId, OPERATOR_ROOT, 0)).keyCompromised).to.equal(true);
    });

    it("still applies the action's own rules to the signer", async function () {
      const { registry, universityOperator, relayer, universityId } = await networkHelpers.loadFixture(registryWithBatches);
      const fields = { issuerId: universityId, root: OPERATOR_ROOT, wordIndex: 0n, mask: 1n, reason: 0 };
      const delegation = await signDelegation({ registry, action: "Revoke", key: universityOperator, fields });
      await expect(registry.connect(relayer).revokeBySig(universityId, OPERATOR_ROOT, 0n, 1n, 0, delegation))
        .to.be.revertedWithCustomError(registry, "NotController")
        .withArgs(universityId, universityOperator.address);
    });
  });

  describe("keyed nonces", function () {
    it("keeps each nonce key's sequence apart: a signature of key A withheld does not block key B", async function () {
      const { registry, university, relayer, universityId } = await networkHelpers.loadFixture(registryWithBatches);
      const anchorFields = (label: string) => ({ issuerId: universityId, root: rootOf(label), count: 1 });
      const withheld = await signDelegation({ registry, action: "Anchor", key: university, fields: anchorFields("a0"), nonceKey: 1n });
      expect(withheld.nonce).to.equal(keyedNonce(1n, 0n));
      // The next of key 1 (sequence 1) waits for the withheld one; key 2 goes through.
      const blocked = await signDelegation({
        registry,
        action: "Anchor",
        key: university,
        fields: anchorFields("a1"),
        nonce: keyedNonce(1n, 1n),
      });
      await expect(registry.connect(relayer).anchorBySig(universityId, rootOf("a1"), 1, blocked))
        .to.be.revertedWithCustomError(registry, "InvalidAccountNonce")
        .withArgs(university.address, keyedNonce(1n, 0n));
      const other = await signDelegation({ registry, action: "Anchor", key: university, fields: anchorFields("b0"), nonceKey: 2n });
      await expect(registry.connect(relayer).anchorBySig(universityId, rootOf("b0"), 1, other))
        .to.emit(registry, "NonceUsed")
        .withArgs(university.address, keyedNonce(2n, 0n));
      expect(await registry["nonces(address,uint192)"](university.address, 2n)).to.equal(keyedNonce(2n, 1n));
      expect(await registry["nonces(address,uint192)"](university.address, 1n)).to.equal(keyedNonce(1n, 0n));
      // Relayed late, the withheld one and its successor still go through, in order.
      await registry.connect(relayer).anchorBySig(universityId, rootOf("a0"), 1, withheld);
      await expect(registry.connect(relayer).anchorBySig(universityId, rootOf("a1"), 1, blocked)).to.emit(registry, "Anchored");
    });

    it("invalidateNonce(key) cancels that key's pending signature only, and emits the nonce", async function () {
      const { registry, university, relayer, universityId } = await networkHelpers.loadFixture(registryWithBatches);
      const fields = { issuerId: universityId, root: rootOf("cancelled"), count: 1 };
      const cancelled = await signDelegation({ registry, action: "Anchor", key: university, fields, nonceKey: 7n });
      const kept = await signDelegation({ registry, action: "Anchor", key: university, fields, nonceKey: 8n });
      expect(await registry.connect(university).invalidateNonce.staticCall(7n)).to.equal(keyedNonce(7n, 0n));
      await expect(registry.connect(university).invalidateNonce(7n))
        .to.emit(registry, "NonceUsed")
        .withArgs(university.address, keyedNonce(7n, 0n));
      await expect(registry.connect(relayer).anchorBySig(universityId, rootOf("cancelled"), 1, cancelled))
        .to.be.revertedWithCustomError(registry, "InvalidAccountNonce")
        .withArgs(university.address, keyedNonce(7n, 1n));
      await expect(registry.connect(relayer).anchorBySig(universityId, rootOf("cancelled"), 1, kept)).to.emit(
        registry,
        "Anchored",
      );
    });

    it("invalidateNonce(0) cancels the default key's next nonce", async function () {
      const { registry, university } = await networkHelpers.loadFixture(registryWithBatches);
      await expect(registry.connect(university).invalidateNonce(0n)).to.emit(registry, "NonceUsed").withArgs(university.address, 0n);
      expect(await registry["nonces(address)"](university.address)).to.equal(1n);
    });

    it("refuses a replayed signature: its nonce is used", async function () {
      const { registry, university, relayer, universityId } = await networkHelpers.loadFixture(registryWithBatches);
      const fields = { issuerId: universityId, root: ROOT, wordIndex: 0n, mask: 1n, reason: 0 };
      const delegation = await signDelegation({ registry, action: "Suspend", key: university, fields, nonceKey: 3n });
      await registry.connect(relayer).suspendBySig(universityId, ROOT, 0n, 1n, 0, delegation);
      await registry.connect(university).unsuspend(universityId, ROOT, 0n, 1n, 0);
      await expect(registry.connect(relayer).suspendBySig(universityId, ROOT, 0n, 1n, 0, delegation))
        .to.be.revertedWithCustomError(registry, "InvalidAccountNonce")
        .withArgs(university.address, keyedNonce(3n, 1n));
    });

    it("refuses a nonce from the future on the default key", async function () {
      const { registry, university, relayer, universityId } = await networkHelpers.loadFixture(registryWithBatches);
      const root = rootOf("future");
      const delegation = await signDelegation({
        registry,
        action: "Anchor",
        key: university,
        fields: { issuerId: universityId, root, count: 1 },
        nonce: 5n,
      });
      await expect(registry.connect(relayer).anchorBySig(universityId, root, 1, delegation))
        .to.be.revertedWithCustomError(registry, "InvalidAccountNonce")
        .withArgs(university.address, 0n);
    });
  });

  describe("refusals", function () {
    it("refuses an expired signature, and accepts one at its deadline", async function () {
      const { registry, university, relayer, universityId } = await networkHelpers.loadFixture(registryWithBatches);
      const root = rootOf("deadline");
      const fields = { issuerId: universityId, root, count: 1 };
      const deadline = BigInt((await networkHelpers.time.latest()) + 60);
      const delegation = await signDelegation({ registry, action: "Anchor", key: university, fields, deadline });
      await networkHelpers.time.setNextBlockTimestamp(deadline + 1n);
      await expect(registry.connect(relayer).anchorBySig(universityId, root, 1, delegation))
        .to.be.revertedWithCustomError(registry, "ExpiredSignature")
        .withArgs(deadline);

      const later = BigInt((await networkHelpers.time.latest()) + 60);
      const onTime = await signDelegation({ registry, action: "Anchor", key: university, fields, deadline: later });
      await networkHelpers.time.setNextBlockTimestamp(later);
      await expect(registry.connect(relayer).anchorBySig(universityId, root, 1, onTime)).to.emit(registry, "Anchored");
    });

    it("refuses a signature made for another chain", async function () {
      const { registry, university, relayer, universityId } = await networkHelpers.loadFixture(registryWithBatches);
      const root = rootOf("other-chain");
      const delegation = await signDelegation({
        registry,
        action: "Anchor",
        key: university,
        fields: { issuerId: universityId, root, count: 1 },
        chainId: 1n,
      });
      await expect(registry.connect(relayer).anchorBySig(universityId, root, 1, delegation))
        .to.be.revertedWithCustomError(registry, "InvalidSignature")
        .withArgs(university.address);
    });

    it("refuses a signature by another key than the signer named", async function () {
      const { registry, university, stranger, relayer, universityId } = await networkHelpers.loadFixture(registryWithBatches);
      const root = rootOf("forged");
      const delegation = await signDelegation({
        registry,
        action: "Anchor",
        key: stranger,
        signer: university.address,
        fields: { issuerId: universityId, root, count: 1 },
      });
      await expect(registry.connect(relayer).anchorBySig(universityId, root, 1, delegation))
        .to.be.revertedWithCustomError(registry, "InvalidSignature")
        .withArgs(university.address);
    });

    it("refuses a signature of other values than those relayed", async function () {
      const { registry, university, relayer, universityId } = await networkHelpers.loadFixture(registryWithBatches);
      const root = rootOf("tampered");
      const delegation = await signDelegation({
        registry,
        action: "Anchor",
        key: university,
        fields: { issuerId: universityId, root, count: 1 },
      });
      await expect(registry.connect(relayer).anchorBySig(universityId, root, 1000, delegation)).to.be.revertedWithCustomError(
        registry,
        "InvalidSignature",
      );
    });

    it("refuses a signature of one action relayed as another", async function () {
      const { registry, university, relayer, universityId } = await networkHelpers.loadFixture(registryWithBatches);
      const fields = { issuerId: universityId, root: ROOT, wordIndex: 0n, mask: 1n, reason: 0 };
      const suspend = await signDelegation({ registry, action: "Suspend", key: university, fields });
      await expect(registry.connect(relayer).revokeBySig(universityId, ROOT, 0n, 1n, 0, suspend)).to.be.revertedWithCustomError(
        registry,
        "InvalidSignature",
      );
    });

    it("refuses a signer of the zero address: no signature is ever the zero address's", async function () {
      const { registry, accreditor, university, relayer, universityId } = await networkHelpers.loadFixture(registryWithBatches);
      // With its controller declared compromised the issuer's controller is zero: a forged "zero signer"
      // must not act as that controller.
      await registry.connect(accreditor).declareKeyCompromised(universityId, university.address, await networkHelpers.time.latest());
      const fields = { issuerId: universityId, root: ROOT, reason: 0 };
      const delegation = await signDelegation({
        registry,
        action: "RevokeBatch",
        key: relayer,
        signer: ethers.ZeroAddress,
        fields,
      });
      await expect(registry.connect(relayer).revokeBatchBySig(universityId, ROOT, 0, delegation))
        .to.be.revertedWithCustomError(registry, "InvalidSignature")
        .withArgs(ethers.ZeroAddress);
    });
  });

  describe("an ERC-1271 contract wallet as controller", function () {
    async function walletIssuer() {
      const context = await deployRegistryWithIssuers(connection);
      const walletOwner = (await ethers.getSigners())[9];
      const wallet = await ethers.deployContract("ERC1271WalletMock", [walletOwner.address]);
      const walletAddress = await wallet.getAddress();
      const profileId = "did:web:safe.example";
      await context.registry.connect(context.accreditor).registerIssuer(profileId, walletAddress);
      return { ...context, wallet, walletAddress, walletOwner, safeId: await context.registry.issuerIdOf(profileId) };
    }

    it("anchors and revokes with the wallet owner's signature, checked through isValidSignature", async function () {
      const { registry, walletAddress, walletOwner, relayer, safeId } = await networkHelpers.loadFixture(walletIssuer);
      const root = rootOf("safe");
      const anchor = await signDelegation({
        registry,
        action: "Anchor",
        key: walletOwner,
        signer: walletAddress,
        fields: { issuerId: safeId, root, count: 4 },
        nonceKey: 42n,
      });
      await expect(registry.connect(relayer).anchorBySig(safeId, root, 4, anchor))
        .to.emit(registry, "Anchored")
        .withArgs(safeId, root, walletAddress, 4);
      const revoke = await signDelegation({
        registry,
        action: "Revoke",
        key: walletOwner,
        signer: walletAddress,
        fields: { issuerId: safeId, root, wordIndex: 0n, mask: 0b1000n, reason: 1 },
      });
      await expect(registry.connect(relayer).revokeBySig(safeId, root, 0n, 0b1000n, 1, revoke))
        .to.emit(registry, "CredentialsRevoked")
        .withArgs(safeId, root, 0n, 0b1000n, 1, walletAddress);
      expect(await registry["nonces(address,uint192)"](walletAddress, 42n)).to.equal(keyedNonce(42n, 1n));
      expect(await registry["nonces(address)"](walletAddress)).to.equal(1n);
    });

    it("accepts the wallet as a proposed controller by its own signature", async function () {
      const { registry, employer, walletOwner, relayer, employerId } = await networkHelpers.loadFixture(walletIssuer);
      const second = await ethers.deployContract("ERC1271WalletMock", [walletOwner.address]);
      const secondAddress = await second.getAddress();
      await registry.connect(employer).transferControl(employerId, secondAddress);
      const accept = await signDelegation({
        registry,
        action: "AcceptControl",
        key: walletOwner,
        signer: secondAddress,
        fields: { issuerId: employerId },
      });
      await expect(registry.connect(relayer).acceptControlBySig(employerId, accept))
        .to.emit(registry, "ControllerChanged")
        .withArgs(employerId, employer.address, secondAddress, secondAddress);
    });

    it("refuses a signature the wallet does not accept", async function () {
      const { registry, walletAddress, stranger, relayer, safeId } = await networkHelpers.loadFixture(walletIssuer);
      const root = rootOf("safe-forged");
      const delegation = await signDelegation({
        registry,
        action: "Anchor",
        key: stranger,
        signer: walletAddress,
        fields: { issuerId: safeId, root, count: 4 },
      });
      await expect(registry.connect(relayer).anchorBySig(safeId, root, 4, delegation))
        .to.be.revertedWithCustomError(registry, "InvalidSignature")
        .withArgs(walletAddress);
    });

    it("rejects a malformed signature without reverting inside the wallet", async function () {
      const { registry, walletAddress, relayer, safeId } = await networkHelpers.loadFixture(walletIssuer);
      const delegation = { signer: walletAddress, nonce: 0n, deadline: ethers.MaxUint256, signature: "0x1234" };
      await expect(registry.connect(relayer).anchorBySig(safeId, rootOf("garbage"), 1, delegation))
        .to.be.revertedWithCustomError(registry, "InvalidSignature")
        .withArgs(walletAddress);
    });
  });
});
