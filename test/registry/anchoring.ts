import { expect } from "chai";
import { network } from "hardhat";

import { deployRegistryWithIssuers, IssuerStatus, masksFor, rootOf } from "../helpers/registry.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

const UINT40_MAX = 2n ** 40n - 1n;

describe("CredentialRegistry: anchor", function () {
  const fixture = () => deployRegistryWithIssuers(connection);

  it("records the issuer, time and count in the anchor and emits it", async function () {
    const { registry, university } = await networkHelpers.loadFixture(fixture);
    const root = rootOf("batch-1");
    await expect(registry.connect(university).anchor(root, 1000))
      .to.emit(registry, "Anchored")
      .withArgs(root, university.address, university.address, 1000);
    const anchor = await registry.getAnchor(root);
    expect(anchor.issuer).to.equal(university.address);
    expect(anchor.anchoredAt).to.equal(await networkHelpers.time.latest());
    expect(anchor.count).to.equal(1000n);
    expect(anchor.batchRevoked).to.equal(false);
  });

  it("anchors for the issuer when its operator sends the transaction", async function () {
    const { registry, university, universityOperator } = await networkHelpers.loadFixture(fixture);
    const root = rootOf("by-operator");
    await expect(registry.connect(universityOperator).anchor(root, 3))
      .to.emit(registry, "Anchored")
      .withArgs(root, university.address, universityOperator.address, 3);
    expect((await registry.getAnchor(root)).issuer).to.equal(university.address);
  });

  it("accepts the largest count an anchor can hold and refuses one more", async function () {
    const { registry, university } = await networkHelpers.loadFixture(fixture);
    await registry.connect(university).anchor(rootOf("max"), UINT40_MAX);
    expect((await registry.getAnchor(rootOf("max"))).count).to.equal(UINT40_MAX);
    await expect(registry.connect(university).anchor(rootOf("too-many"), UINT40_MAX + 1n))
      .to.be.revertedWithCustomError(registry, "CountTooLarge")
      .withArgs(UINT40_MAX + 1n, UINT40_MAX);
  });

  it("refuses a zero root or a zero count", async function () {
    const { registry, university } = await networkHelpers.loadFixture(fixture);
    await expect(registry.connect(university).anchor(ethers.ZeroHash, 1)).to.be.revertedWithCustomError(
      registry,
      "ZeroRoot",
    );
    await expect(registry.connect(university).anchor(rootOf("empty"), 0)).to.be.revertedWithCustomError(
      registry,
      "ZeroCount",
    );
  });

  it("never changes an anchor: re-anchoring a root reverts, whoever tries", async function () {
    const { registry, university, employer } = await networkHelpers.loadFixture(fixture);
    const root = rootOf("once");
    await registry.connect(university).anchor(root, 5);
    const before = await registry.getAnchor(root);
    for (const issuer of [university, employer]) {
      await expect(registry.connect(issuer).anchor(root, 9))
        .to.be.revertedWithCustomError(registry, "AlreadyAnchored")
        .withArgs(root, university.address);
    }
    expect(await registry.getAnchor(root)).to.deep.equal(before);
  });

  it("refuses accounts that are neither issuer nor operator", async function () {
    const { registry, stranger, accreditor } = await networkHelpers.loadFixture(fixture);
    for (const account of [stranger, accreditor]) {
      await expect(registry.connect(account).anchor(rootOf("x"), 1))
        .to.be.revertedWithCustomError(registry, "NotIssuerOrOperator")
        .withArgs(account.address);
    }
  });

  it("refuses a suspended or withdrawn issuer and its operators", async function () {
    const { registry, accreditor, university, universityOperator, employer } =
      await networkHelpers.loadFixture(fixture);
    await registry.connect(accreditor).suspendIssuer(university.address, 0);
    await expect(registry.connect(university).anchor(rootOf("s"), 1))
      .to.be.revertedWithCustomError(registry, "IssuerNotActive")
      .withArgs(university.address, IssuerStatus.Suspended);
    await expect(registry.connect(universityOperator).anchor(rootOf("s"), 1))
      .to.be.revertedWithCustomError(registry, "IssuerNotActive")
      .withArgs(university.address, IssuerStatus.Suspended);

    await registry.connect(accreditor).reinstateIssuer(university.address, 0);
    await expect(registry.connect(universityOperator).anchor(rootOf("s"), 1)).to.emit(registry, "Anchored");

    await registry.connect(accreditor).withdrawIssuer(employer.address, 0);
    await expect(registry.connect(employer).anchor(rootOf("w"), 1))
      .to.be.revertedWithCustomError(registry, "IssuerNotActive")
      .withArgs(employer.address, IssuerStatus.Withdrawn);
  });

  it("refuses an operator once removed", async function () {
    const { registry, university, universityOperator } = await networkHelpers.loadFixture(fixture);
    await registry.connect(university).removeOperator(universityOperator.address);
    await expect(registry.connect(universityOperator).anchor(rootOf("r"), 1))
      .to.be.revertedWithCustomError(registry, "NotIssuerOrOperator")
      .withArgs(universityOperator.address);
  });
});

describe("CredentialRegistry: revoke, suspend, unsuspend, revokeBatch", function () {
  const ROOT = rootOf("cohort-2026");
  const COUNT = 600; // three bitmap words: 0..255, 256..511, 512..599

  async function anchoredBatch() {
    const context = await deployRegistryWithIssuers(connection);
    await context.registry.connect(context.university).anchor(ROOT, COUNT);
    return context;
  }

  describe("revoke", function () {
    it("revokes the selected credentials for good and emits the newly revoked bits", async function () {
      const { registry, university } = await networkHelpers.loadFixture(anchoredBatch);
      const [{ wordIndex, mask }] = masksFor([3, 7]);
      await expect(registry.connect(university).revoke(ROOT, wordIndex, mask, 2))
        .to.emit(registry, "CredentialsRevoked")
        .withArgs(ROOT, university.address, wordIndex, mask, 2);
      expect(await registry.revocationWord(ROOT, 0)).to.equal(mask);
      expect((await registry.credentialStatus(ROOT, 3)).revoked).to.equal(true);
      expect((await registry.credentialStatus(ROOT, 4)).revoked).to.equal(false);
    });

    it("emits only the bits not already revoked when a mask overlaps earlier revocations", async function () {
      const { registry, university } = await networkHelpers.loadFixture(anchoredBatch);
      await registry.connect(university).revoke(ROOT, 1, 0b0011n, 0);
      await expect(registry.connect(university).revoke(ROOT, 1, 0b0110n, 1))
        .to.emit(registry, "CredentialsRevoked")
        .withArgs(ROOT, university.address, 1, 0b0100n, 1);
      expect(await registry.revocationWord(ROOT, 1)).to.equal(0b0111n);
    });

    it("refuses a mask whose every credential is already revoked", async function () {
      const { registry, university } = await networkHelpers.loadFixture(anchoredBatch);
      await registry.connect(university).revoke(ROOT, 0, 0b11n, 0);
      await expect(registry.connect(university).revoke(ROOT, 0, 0b01n, 0))
        .to.be.revertedWithCustomError(registry, "AlreadyRevoked")
        .withArgs(ROOT, 0, 0b01n);
    });

    it("revokes all 256 credentials of a word in one transaction", async function () {
      const { registry, university } = await networkHelpers.loadFixture(anchoredBatch);
      await registry.connect(university).revoke(ROOT, 0, ethers.MaxUint256, 0);
      for (const index of [0, 128, 255]) expect((await registry.credentialStatus(ROOT, index)).revoked).to.equal(true);
      expect((await registry.credentialStatus(ROOT, 256)).revoked).to.equal(false);
    });

    it("lets an operator revoke, and a suspended or withdrawn issuer still revoke its own", async function () {
      const { registry, accreditor, university, universityOperator } = await networkHelpers.loadFixture(anchoredBatch);
      await expect(registry.connect(universityOperator).revoke(ROOT, 0, 1n, 0))
        .to.emit(registry, "CredentialsRevoked")
        .withArgs(ROOT, universityOperator.address, 0, 1n, 0);
      await registry.connect(accreditor).suspendIssuer(university.address, 0);
      await expect(registry.connect(university).revoke(ROOT, 0, 2n, 0)).to.emit(registry, "CredentialsRevoked");
      await registry.connect(accreditor).withdrawIssuer(university.address, 0);
      await expect(registry.connect(universityOperator).revoke(ROOT, 0, 4n, 0)).to.emit(registry, "CredentialsRevoked");
    });

    it("refuses anyone but the anchoring issuer and its operators", async function () {
      const { registry, university, employer, accreditor, admin } = await networkHelpers.loadFixture(anchoredBatch);
      const employerOperator = (await ethers.getSigners())[8];
      await registry.connect(employer).authorizeOperator(employerOperator.address);
      for (const account of [employer, employerOperator, accreditor, admin]) {
        await expect(registry.connect(account).revoke(ROOT, 0, 1n, 0))
          .to.be.revertedWithCustomError(registry, "NotIssuerOfRoot")
          .withArgs(account.address, ROOT, university.address);
      }
    });

    it("refuses an unknown root and an empty mask", async function () {
      const { registry, university } = await networkHelpers.loadFixture(anchoredBatch);
      await expect(registry.connect(university).revoke(rootOf("never"), 0, 1n, 0))
        .to.be.revertedWithCustomError(registry, "UnknownRoot")
        .withArgs(rootOf("never"));
      await expect(registry.connect(university).revoke(ROOT, 0, 0n, 0)).to.be.revertedWithCustomError(
        registry,
        "EmptyMask",
      );
    });

    it("refuses indices beyond the batch, in the last word or beyond it", async function () {
      const { registry, university } = await networkHelpers.loadFixture(anchoredBatch);
      const [{ wordIndex, mask }] = masksFor([COUNT]); // index 600: word 2, bit 88
      await expect(registry.connect(university).revoke(ROOT, wordIndex, mask, 0))
        .to.be.revertedWithCustomError(registry, "IndexOutOfRange")
        .withArgs(ROOT, wordIndex, mask, COUNT);
      await expect(registry.connect(university).revoke(ROOT, 3, 1n, 0))
        .to.be.revertedWithCustomError(registry, "IndexOutOfRange")
        .withArgs(ROOT, 3, 1n, COUNT);
      await expect(registry.connect(university).revoke(ROOT, ethers.MaxUint256, 1n, 0)).to.be.revertedWithCustomError(
        registry,
        "IndexOutOfRange",
      );
      const [last] = masksFor([COUNT - 1]);
      await expect(registry.connect(university).revoke(ROOT, last.wordIndex, last.mask, 0)).to.emit(
        registry,
        "CredentialsRevoked",
      );
    });
  });

  describe("suspend and unsuspend", function () {
    it("suspends reversibly, emitting only the bits that change", async function () {
      const { registry, university } = await networkHelpers.loadFixture(anchoredBatch);
      await expect(registry.connect(university).suspend(ROOT, 2, 0b101n, 7))
        .to.emit(registry, "CredentialsSuspended")
        .withArgs(ROOT, university.address, 2, 0b101n, 7);
      expect((await registry.credentialStatus(ROOT, 512)).suspended).to.equal(true);
      await expect(registry.connect(university).suspend(ROOT, 2, 0b111n, 7))
        .to.emit(registry, "CredentialsSuspended")
        .withArgs(ROOT, university.address, 2, 0b010n, 7);
      await expect(registry.connect(university).unsuspend(ROOT, 2, 0b1001n, 0))
        .to.emit(registry, "CredentialsUnsuspended")
        .withArgs(ROOT, university.address, 2, 0b0001n, 0);
      expect(await registry.suspensionWord(ROOT, 2)).to.equal(0b110n);
      expect((await registry.credentialStatus(ROOT, 512)).suspended).to.equal(false);
    });

    it("refuses to suspend what is suspended or lift what is not", async function () {
      const { registry, university } = await networkHelpers.loadFixture(anchoredBatch);
      await expect(registry.connect(university).unsuspend(ROOT, 0, 1n, 0))
        .to.be.revertedWithCustomError(registry, "NotSuspended")
        .withArgs(ROOT, 0, 1n);
      await registry.connect(university).suspend(ROOT, 0, 1n, 0);
      await expect(registry.connect(university).suspend(ROOT, 0, 1n, 0))
        .to.be.revertedWithCustomError(registry, "AlreadySuspended")
        .withArgs(ROOT, 0, 1n);
    });

    it("checks caller and range like revoke", async function () {
      const { registry, university, employer, universityOperator } = await networkHelpers.loadFixture(anchoredBatch);
      await expect(registry.connect(employer).suspend(ROOT, 0, 1n, 0)).to.be.revertedWithCustomError(
        registry,
        "NotIssuerOfRoot",
      );
      await expect(registry.connect(employer).unsuspend(ROOT, 0, 1n, 0)).to.be.revertedWithCustomError(
        registry,
        "NotIssuerOfRoot",
      );
      await expect(registry.connect(university).suspend(ROOT, 3, 1n, 0)).to.be.revertedWithCustomError(
        registry,
        "IndexOutOfRange",
      );
      await expect(registry.connect(universityOperator).suspend(ROOT, 0, 1n, 0)).to.emit(
        registry,
        "CredentialsSuspended",
      );
      await expect(registry.connect(universityOperator).unsuspend(ROOT, 0, 1n, 0)).to.emit(
        registry,
        "CredentialsUnsuspended",
      );
    });

    it("never lifts a revocation: unsuspending a revoked credential leaves it revoked", async function () {
      const { registry, university } = await networkHelpers.loadFixture(anchoredBatch);
      await registry.connect(university).revoke(ROOT, 0, 1n, 0);
      await registry.connect(university).suspend(ROOT, 0, 1n, 0);
      await registry.connect(university).unsuspend(ROOT, 0, 1n, 0);
      const status = await registry.credentialStatus(ROOT, 0);
      expect(status.revoked).to.equal(true);
      expect(status.suspended).to.equal(false);
    });
  });

  describe("revokeBatch", function () {
    it("revokes the whole batch and emits it", async function () {
      const { registry, universityOperator } = await networkHelpers.loadFixture(anchoredBatch);
      await expect(registry.connect(universityOperator).revokeBatch(ROOT, 6))
        .to.emit(registry, "BatchRevoked")
        .withArgs(ROOT, universityOperator.address, 6);
      expect((await registry.getAnchor(ROOT)).batchRevoked).to.equal(true);
      expect((await registry.credentialStatus(ROOT, 599)).batchRevoked).to.equal(true);
    });

    it("refuses twice, an unknown root, and other issuers", async function () {
      const { registry, university, employer } = await networkHelpers.loadFixture(anchoredBatch);
      await expect(registry.connect(employer).revokeBatch(ROOT, 0))
        .to.be.revertedWithCustomError(registry, "NotIssuerOfRoot")
        .withArgs(employer.address, ROOT, university.address);
      await expect(registry.connect(university).revokeBatch(rootOf("never"), 0)).to.be.revertedWithCustomError(
        registry,
        "UnknownRoot",
      );
      await registry.connect(university).revokeBatch(ROOT, 0);
      await expect(registry.connect(university).revokeBatch(ROOT, 0))
        .to.be.revertedWithCustomError(registry, "BatchAlreadyRevoked")
        .withArgs(ROOT);
    });
  });
});
