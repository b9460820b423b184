import { expect } from "chai";
import { network } from "hardhat";

import {
  deployRegistryWithIssuers,
  rootOf,
  signDelegation,
} from "../helpers/registry.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

const ROOT = rootOf("signed-batch");

async function registryWithBatch() {
  const context = await deployRegistryWithIssuers(connection);
  await context.registry.connect(context.university).anchor(ROOT, 300);
  return context;
}

describe("CredentialRegistry: issuer actions by EIP-712 signature", function () {
  describe("each action, signed by the issuer and relayed by a third party", function () {
    it("anchorBySig anchors for the signer's issuer", async function () {
      const { registry, university, relayer } = await networkHelpers.loadFixture(registryWithBatch);
      const root = rootOf("relayed");
      const delegation = await signDelegation({ registry, action: "Anchor", key: university, fields: { root, count: 12 } });
      await expect(registry.connect(relayer).anchorBySig(root, 12, delegation))
        .to.emit(registry, "Anchored")
        .withArgs(root, university.address, university.address, 12)
        .and.to.emit(registry, "NonceUsed")
        .withArgs(university.address, 0n);
      expect(await registry.nonces(university.address)).to.equal(1n);
    });

    it("revokeBySig, suspendBySig and unsuspendBySig change the bits", async function () {
      const { registry, university, relayer } = await networkHelpers.loadFixture(registryWithBatch);
      const fields = { root: ROOT, wordIndex: 1n, mask: 0b11n, reason: 3 };
      const revoke = await signDelegation({ registry, action: "Revoke", key: university, fields });
      await expect(registry.connect(relayer).revokeBySig(ROOT, 1n, 0b11n, 3, revoke))
        .to.emit(registry, "CredentialsRevoked")
        .withArgs(ROOT, university.address, 1n, 0b11n, 3);
      const suspend = await signDelegation({ registry, action: "Suspend", key: university, fields });
      await expect(registry.connect(relayer).suspendBySig(ROOT, 1n, 0b11n, 3, suspend))
        .to.emit(registry, "CredentialsSuspended")
        .withArgs(ROOT, university.address, 1n, 0b11n, 3);
      const unsuspend = await signDelegation({ registry, action: "Unsuspend", key: university, fields });
      await expect(registry.connect(relayer).unsuspendBySig(ROOT, 1n, 0b11n, 3, unsuspend))
        .to.emit(registry, "CredentialsUnsuspended")
        .withArgs(ROOT, university.address, 1n, 0b11n, 3);
      expect(await registry.revocationWord(ROOT, 1n)).to.equal(0b11n);
      expect(await registry.suspensionWord(ROOT, 1n)).to.equal(0n);
    });

    it("revokeBatchBySig revokes the batch", async function () {
      const { registry, university, relayer } = await networkHelpers.loadFixture(registryWithBatch);
      const delegation = await signDelegation({ registry, action: "RevokeBatch", key: university, fields: { root: ROOT, reason: 1 } });
      await expect(registry.connect(relayer).revokeBatchBySig(ROOT, 1, delegation))
        .to.emit(registry, "BatchRevoked")
        .withArgs(ROOT, university.address, 1);
    });

    it("authorizeOperatorBySig and removeOperatorBySig manage the signer's operators", async function () {
      const { registry, employer, relayer, stranger } = await networkHelpers.loadFixture(registryWithBatch);
      const fields = { operator: stranger.address };
      const add = await signDelegation({ registry, action: "AuthorizeOperator", key: employer, fields });
      await expect(registry.connect(relayer).authorizeOperatorBySig(stranger.address, add))
        .to.emit(registry, "OperatorAuthorized")
        .withArgs(employer.address, stranger.address);
      const remove = await signDelegation({ registry, action: "RemoveOperator", key: employer, fields });
      await expect(registry.connect(relayer).removeOperatorBySig(stranger.address, remove))
        .to.emit(registry, "OperatorRemoved")
        .withArgs(employer.address, stranger.address);
      expect(await registry.nonces(employer.address)).to.equal(2n);
    });

    it("lets an operator's signature act for its issuer", async function () {
      const { registry, university, universityOperator, relayer } = await networkHelpers.loadFixture(registryWithBatch);
      const root = rootOf("operator-signed");
      const delegation = await signDelegation({ registry, action: "Anchor", key: universityOperator, fields: { root, count: 1 } });
      await expect(registry.connect(relayer).anchorBySig(root, 1, delegation))
        .to.emit(registry, "Anchored")
        .withArgs(root, university.address, universityOperator.address, 1);
    });

    it("still applies the action's own rules to the signer", async function () {
      const { registry, employer, relayer } = await networkHelpers.loadFixture(registryWithBatch);
      const fields = { root: ROOT, wordIndex: 0n, mask: 1n, reason: 0 };
      const delegation = await signDelegation({ registry, action: "Revoke", key: employer, fields });
      await expect(registry.connect(relayer).revokeBySig(ROOT, 0n, 1n, 0, delegation)).to.be.revertedWithCustomError(
        registry,
        "NotIssuerOfRoot",
      );
    });
  });

  describe("refusals", function () {
    it("refuses a replayed signature: its nonce is used", async function () {
      const { registry, university, relayer } = await networkHelpers.loadFixture(registryWithBatch);
      const fields = { root: ROOT, wordIndex: 0n, mask: 1n, reason: 0 };
      const delegation = await signDelegation({ registry, action: "Suspend", key: university, fields });
      await registry.connect(relayer).suspendBySig(ROOT, 0n, 1n, 0, delegation);
      await registry.connect(university).unsuspend(ROOT, 0n, 1n, 0);
      await expect(registry.connect(relayer).suspendBySig(ROOT, 0n, 1n, 0, delegation))
        .to.be.revertedWithCustomError(registry, "InvalidAccountNonce")
        .withArgs(university.address, 1n);
    });

    it("refuses a signature whose nonce its signer invalidated before it was relayed", async function () {
      const { registry, university, relayer } = await networkHelpers.loadFixture(registryWithBatch);
      const root = rootOf("cancelled");
      const delegation = await signDelegation({ registry, action: "Anchor", key: university, fields: { root, count: 1 } });
      await expect(registry.connect(university).invalidateNonce())
        .to.emit(registry, "NonceUsed")
        .withArgs(university.address, 0n);
      expect(await registry.nonces(university.address)).to.equal(1n);
      await expect(registry.connect(relayer).anchorBySig(root, 1, delegation))
        .to.be.revertedWithCustomError(registry, "InvalidAccountNonce")
        .withArgs(university.address, 1n);
    });

    it("refuses a nonce from the future", async function () {
      const { registry, university, relayer } = await networkHelpers.loadFixture(registryWithBatch);
      const root = rootOf("future");
      const delegation = await signDelegation({ registry, action: "Anchor", key: university, fields: { root, count: 1 }, nonce: 5n });
      await expect(registry.connect(relayer).anchorBySig(root, 1, delegation))
        .to.be.revertedWithCustomError(registry, "InvalidAccountNonce")
        .withArgs(university.address, 0n);
    });

    it("refuses an expired signature, and accepts one at its deadline", async function () {
      const { registry, university, relayer } = await networkHelpers.loadFixture(registryWithBatch);
      const root = rootOf("deadline");
      const deadline = BigInt((await networkHelpers.time.latest()) + 60);
      const delegation = await signDelegation({ registry, action: "Anchor", key: university, fields: { root, count: 1 }, deadline });
      await networkHelpers.time.setNextBlockTimestamp(deadline + 1n);
      await expect(registry.connect(relayer).anchorBySig(root, 1, delegation))
        .to.be.revertedWithCustomError(registry, "ExpiredSignature")
        .withArgs(deadline);

      const later = BigInt((await networkHelpers.time.latest()) + 60);
      const onTime = await signDelegation({ registry, action: "Anchor", key: university, fields: { root, count: 1 }, deadline: later });
      await networkHelpers.time.setNextBlockTimestamp(later);
      await expect(registry.connect(relayer).anchorBySig(root, 1, onTime)).to.emit(registry, "Anchored");
    });

    it("refuses a signature made for another chain", async function () {
      const { registry, university, relayer } = await networkHelpers.loadFixture(registryWithBatch);
      const root = rootOf("other-chain");
      const delegation = await signDelegation({ registry, action: "Anchor", key: university, fields: { root, count: 1 }, chainId: 1n });
      await expect(registry.connect(relayer).anchorBySig(root, 1, delegation))
        .to.be.revertedWithCustomError(registry, "InvalidSignature")
        .withArgs(university.address);
    });

    it("refuses a signature by another key than the signer named", async function () {
      const { registry, university, stranger, relayer } = await networkHelpers.loadFixture(registryWithBatch);
      const root = rootOf("forged");
      const delegation = await signDelegation({
        registry,
        action: "Anchor",
        key: stranger,
        signer: university.address,
        fields: { root, count: 1 },
      });
      await expect(registry.connect(relayer).anchorBySig(root, 1, delegation))
        .to.be.revertedWithCustomError(registry, "InvalidSignature")
        .withArgs(university.address);
    });

    it("refuses a signature of other values than those relayed", async function () {
      const { registry, university, relayer } = await networkHelpers.loadFixture(registryWithBatch);
      const root = rootOf("tampered");
      const delegation = await signDelegation({ registry, action: "Anchor", key: university, fields: { root, count: 1 } });
      await expect(registry.connect(relayer).anchorBySig(root, 1000, delegation)).to.be.revertedWithCustomError(
        registry,
        "InvalidSignature",
      );
    });

    it("refuses a signature of one action relayed as another", async function () {
      const { registry, university, relayer } = await networkHelpers.loadFixture(registryWithBatch);
      const fields = { root: ROOT, wordIndex: 0n, mask: 1n, reason: 0 };
      const suspend = await signDelegation({ registry, action: "Suspend", key: university, fields });
      await expect(registry.connect(relayer).revokeBySig(ROOT, 0n, 1n, 0, suspend)).to.be.revertedWithCustomError(
        registry,
        "InvalidSignature",
      );
    });
  });

  describe("an ERC-1271 contract wallet as issuer", function () {
    async function walletIssuer() {
      const context = await deployRegistryWithIssuers(connection);
      const [, , , , , , , walletOwner] = await ethers.getSigners();
      const wallet = await ethers.deployContract("ERC1271WalletMock", [walletOwner.address]);
      await context.registry.connect(context.accreditor).registerIssuer(await wallet.getAddress(), "did:web:safe.example");
      return { ...context, wallet, walletOwner };
    }

    it("anchors with the wallet owner's signature checked through isValidSignature", async function () {
      const { registry, wallet, walletOwner, relayer } = await networkHelpers.loadFixture(walletIssuer);
      const walletAddress = await wallet.getAddress();
      const root = rootOf("safe");
      const delegation = await signDelegation({ registry, action: "Anchor", key: walletOwner, signer: walletAddress, fields: { root, count: 4 } });
      await expect(registry.connect(relayer).anchorBySig(root, 4, delegation))
        .to.emit(registry, "Anchored")
        .withArgs(root, walletAddress, walletAddress, 4);
      expect(await registry.nonces(walletAddress)).to.equal(1n);
    });

    it("refuses a signature the wallet does not accept", async function () {
      const { registry, wallet, stranger, relayer } = await networkHelpers.loadFixture(walletIssuer);
      const walletAddress = await wallet.getAddress();
      const root = rootOf("safe-forged");
      const delegation = await signDelegation({ registry, action: "Anchor", key: stranger, signer: walletAddress, fields: { root, count: 4 } });
      await expect(registry.connect(relayer).anchorBySig(root, 4, delegation))
        .to.be.revertedWithCustomError(registry, "InvalidSignature")
        .withArgs(walletAddress);
    });

    it("rejects a malformed signature without reverting inside the wallet", async function () {
      const { registry, wallet, relayer } = await networkHelpers.loadFixture(walletIssuer);
      const walletAddress = await wallet.getAddress();
      const root = rootOf("garbage");
      const delegation = { signer: walletAddress, nonce: 0n, deadline: ethers.MaxUint256, signature: "0x1234" };
      await expect(registry.connect(relayer).anchorBySig(root, 1, delegation)).to.be.revertedWithCustomError(
        registry,
        "InvalidSignature",
      );
    });
  });
});
