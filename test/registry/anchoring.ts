/**
 * Anchors and the bits of a batch (2.x): `anchor(issuerId, root, count)` per issuer, and revoke, suspend,
 * unsuspend, revokeBatch on (issuerId, root). The controller does everything; an operator anchors and
 * suspends / unsuspends only the batches it anchored; only the controller revokes.
 */
import { expect } from "chai";
import { network } from "hardhat";

import { deployRegistryWithIssuers, issuerIdOf, IssuerStatus, masksFor, rootOf } from "../helpers/registry.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

const UINT40_MAX = 2n ** 40n - 1n;

describe("CredentialRegistry: anchor", function () {
  const fixture = () => deployRegistryWithIssuers(connection);

  it("records the acting key, time and count under (issuerId, root) and emits it", async function () {
    const { registry, university, universityId } = await networkHelpers.loadFixture(fixture);
    const root = rootOf("batch-1");
    await expect(registry.connect(university).anchor(universityId, root, 1000))
      .to.emit(registry, "Anchored")
      .withArgs(universityId, root, university.address, 1000);
    const anchor = await registry.getAnchor(universityId, root);
    expect(anchor.actingKey).to.equal(university.address);
    expect(anchor.anchoredAt).to.equal(await networkHelpers.time.latest());
    expect(anchor.count).to.equal(1000n);
    expect(anchor.batchRevoked).to.equal(false);
  });

  it("anchors for the issuer when its operator sends the transaction, naming the operator", async function () {
    const { registry, universityOperator, universityId } = await networkHelpers.loadFixture(fixture);
    const root = rootOf("by-operator");
    await expect(registry.connect(universityOperator).anchor(universityId, root, 3))
      .to.emit(registry, "Anchored")
      .withArgs(universityId, root, universityOperator.address, 3);
    expect((await registry.getAnchor(universityId, root)).actingKey).to.equal(universityOperator.address);
  });

  it("accepts the largest count an anchor can hold and refuses one more", async function () {
    const { registry, university, universityId } = await networkHelpers.loadFixture(fixture);
    await registry.connect(university).anchor(universityId, rootOf("max"), UINT40_MAX);
    expect((await registry.getAnchor(universityId, rootOf("max"))).count).to.equal(UINT40_MAX);
    await expect(registry.connect(university).anchor(universityId, rootOf("too-many"), UINT40_MAX + 1n))
      .to.be.revertedWithCustomError(registry, "CountTooLarge")
      .withArgs(UINT40_MAX + 1n, UINT40_MAX);
  });

  it("refuses a zero root or a zero count", async function () {
    const { registry, university, universityId } = await networkHelpers.loadFixture(fixture);
    await expect(registry.connect(university).anchor(universityId, ethers.ZeroHash, 1)).to.be.revertedWithCustomError(
      registry,
      "ZeroRoot",
    );
    await expect(registry.connect(university).anchor(universityId, rootOf("empty"), 0)).to.be.revertedWithCustomError(
      registry,
      "ZeroCount",
    );
  });

  it("never changes an anchor: the issuer's keys cannot anchor the same root again", async function () {
    const { registry, university, universityOperator, universityId } = await networkHelpers.loadFixture(fixture);
    const root = rootOf("once");
    await registry.connect(university).anchor(universityId, root, 5);
    const before = await registry.getAnchor(universityId, root);
    for (const key of [university, universityOperator]) {
      await expect(registry.connect(key).anchor(universityId, root, 9))
        .to.be.revertedWithCustomError(registry, "AlreadyAnchored")
        .withArgs(universityId, root);
    }
    expect(await registry.getAnchor(universityId, root)).to.deep.equal(before);
  });

  it("keeps the same root of two issuers as two anchors", async function () {
    const { registry, university, employer, universityId, employerId } = await networkHelpers.loadFixture(fixture);
    const root = rootOf("shared");
    await registry.connect(university).anchor(universityId, root, 5);
    await registry.connect(employer).anchor(employerId, root, 7);
    expect((await registry.getAnchor(universityId, root)).count).to.equal(5n);
    expect((await registry.getAnchor(employerId, root)).count).to.equal(7n);
  });

  it("refuses accounts that are not a key of the issuer: strangers, the accreditor, another issuer's keys", async function () {
    const { registry, stranger, accreditor, employer, universityId } = await networkHelpers.loadFixture(fixture);
    for (const account of [stranger, accreditor, employer]) {
      await expect(registry.connect(account).anchor(universityId, rootOf("x"), 1))
        .to.be.revertedWithCustomError(registry, "NotIssuerKey")
        .withArgs(universityId, account.address);
    }
  });

  it("refuses an unknown issuer", async function () {
    const { registry, university } = await networkHelpers.loadFixture(fixture);
    const unknown = issuerIdOf("did:web:nobody.example");
    await expect(registry.connect(university).anchor(unknown, rootOf("x"), 1))
      .to.be.revertedWithCustomError(registry, "UnknownIssuer")
      .withArgs(unknown);
  });

  it("refuses a suspended or withdrawn issuer's keys", async function () {
    const { registry, accreditor, university, universityOperator, universityId } = await networkHelpers.loadFixture(fixture);
    await registry.connect(accreditor).suspendIssuer(universityId, 0);
    await expect(registry.connect(universityOperator).anchor(universityId, rootOf("s"), 1))
      .to.be.revertedWithCustomError(registry, "IssuerNotActive")
      .withArgs(universityId, IssuerStatus.Suspended);
    await registry.connect(accreditor).withdrawIssuer(universityId, 0);
    await expect(registry.connect(university).anchor(universityId, rootOf("w"), 1))
      .to.be.revertedWithCustomError(registry, "IssuerNotActive")
      .withArgs(universityId, IssuerStatus.Withdrawn);
  });
});

describe("CredentialRegistry: revoke, suspend, unsuspend, revokeBatch", function () {
  const ROOT = rootOf("cohort-2026"); // anchored by the controller
  const OPERATOR_ROOT = rootOf("cohort-2026-hot"); // anchored by the operator
  const COUNT = 600; // three bitmap words: 0..255, 256..511, 512..599

  async function anchoredBatches() {
    const context = await deployRegistryWithIssuers(connection);
    const { registry, university, universityOperator, universityId } = context;
    await registry.connect(university).anchor(universityId, ROOT, COUNT);
    await registry.connect(universityOperator).anchor(universityId, OPERATOR_ROOT, COUNT);
    return context;
  }

  describe("revoke", function () {
    it("revokes the selected credentials for good and emits the newly revoked bits", async function () {
      const { registry, university, universityId } = await networkHelpers.loadFixture(anchoredBatches);
      const [{ wordIndex, mask }] = masksFor([3, 7]);
      await expect(registry.connect(university).revoke(universityId, ROOT, wordIndex, mask, 2))
        .to.emit(registry, "CredentialsRevoked")
        .withArgs(universityId, ROOT, wordIndex, mask, 2, university.address);
      expect(await registry.revocationWord(universityId, ROOT, 0)).to.equal(mask);
      expect((await registry.credentialStatus(universityId, ROOT, 3)).revoked).to.equal(true);
      expect((await registry.credentialStatus(universityId, ROOT, 4)).revoked).to.equal(false);
    });

    it("emits only the bits not already revoked when a mask overlaps earlier revocations", async function () {
      const { registry, university, universityId } = await networkHelpers.loadFixture(anchoredBatches);
      await registry.connect(university).revoke(universityId, ROOT, 1, 0b0011n, 0);
      await expect(registry.connect(university).revoke(universityId, ROOT, 1, 0b0110n, 1))
        .to.emit(registry, "CredentialsRevoked")
        .withArgs(universityId, ROOT, 1, 0b0100n, 1, university.address);
      expect(await registry.revocationWord(universityId, ROOT, 1)).to.equal(0b0111n);
    });

    it("refuses a mask whose every credential is already revoked", async function () {
      const { registry, university, universityId } = await networkHelpers.loadFixture(anchoredBatches);
      await registry.connect(university).revoke(universityId, ROOT, 0, 0b11n, 0);
      await expect(registry.connect(university).revoke(universityId, ROOT, 0, 0b01n, 0))
        .to.be.revertedWithCustomError(registry, "AlreadyRevoked")
        .withArgs(ROOT, 0, 0b01n);
    });

    it("revokes all 256 credentials of a word in one transaction", async function () {
      const { registry, university, universityId } = await networkHelpers.loadFixture(anchoredBatches);
      await registry.connect(university).revoke(universityId, ROOT, 0, ethers.MaxUint256, 0);
      for (const index of [0, 128, 255]) {
        expect((await registry.credentialStatus(universityId, ROOT, index)).revoked).to.equal(true);
      }
      expect((await registry.credentialStatus(universityId, ROOT, 256)).revoked).to.equal(false);
    });

    it("is the controller's, on any batch of the issuer, also while the issuer is suspended", async function () {
      const { registry, accreditor, university, universityId } = await networkHelpers.loadFixture(anchoredBatches);
      await expect(registry.connect(university).revoke(universityId, OPERATOR_ROOT, 0, 1n, 0))
        .to.emit(registry, "CredentialsRevoked")
        .withArgs(universityId, OPERATOR_ROOT, 0, 1n, 0, university.address);
      await registry.connect(accreditor).suspendIssuer(universityId, 0);
      await expect(registry.connect(university).revoke(universityId, ROOT, 0, 2n, 0)).to.emit(registry, "CredentialsRevoked");
    });

    it("refuses operators (even on their own batch), other issuers, the accreditor and the admin", async function () {
      const { registry, admin, accreditor, universityOperator, employer, universityId } =
        await networkHelpers.loadFixture(anchoredBatches);
      for (const account of [universityOperator, employer, accreditor, admin]) {
        for (const root of [ROOT, OPERATOR_ROOT]) {
          await expect(registry.connect(account).revoke(universityId, root, 0, 1n, 0))
            .to.be.revertedWithCustomError(registry, "NotController")
            .withArgs(universityId, account.address);
        }
      }
    });

    it("refuses an unknown issuer, an unknown root and an empty mask", async function () {
      const { registry, university, universityId, employerId } = await networkHelpers.loadFixture(anchoredBatches);
      const unknown = issuerIdOf("did:web:nobody.example");
      await expect(registry.connect(university).revoke(unknown, ROOT, 0, 1n, 0))
        .to.be.revertedWithCustomError(registry, "UnknownIssuer")
        .withArgs(unknown);
      await expect(registry.connect(university).revoke(universityId, rootOf("never"), 0, 1n, 0))
        .to.be.revertedWithCustomError(registry, "UnknownAnchor")
        .withArgs(universityId, rootOf("never"));
      // The university's root is not the employer's.
      await expect(registry.connect(university).revoke(employerId, ROOT, 0, 1n, 0))
        .to.be.revertedWithCustomError(registry, "UnknownAnchor")
        .withArgs(employerId, ROOT);
      await expect(registry.connect(university).revoke(universityId, ROOT, 0, 0n, 0)).to.be.revertedWithCustomError(
        registry,
        "EmptyMask",
      );
    });

    it("refuses indices beyond the batch, in the last word or beyond it", async function () {
      const { registry, university, universityId } = await networkHelpers.loadFixture(anchoredBatches);
      const [{ wordIndex, mask }] = masksFor([COUNT]); // index 600: word 2, bit 88
      await expect(registry.connect(university).revoke(universityId, ROOT, wordIndex, mask, 0))
        .to.be.revertedWithCustomError(registry, "IndexOutOfRange")
        .withArgs(ROOT, wordIndex, mask, COUNT);
      await expect(registry.connect(university).revoke(universityId, ROOT, 3, 1n, 0))
        .to.be.revertedWithCustomError(registry, "IndexOutOfRange")
        .withArgs(ROOT, 3, 1n, COUNT);
      await expect(
        registry.connect(university).revoke(universityId, ROOT, ethers.MaxUint256, 1n, 0),
      ).to.be.revertedWithCustomError(registry, "IndexOutOfRange");
      const [last] = masksFor([COUNT - 1]);
      await expect(registry.connect(university).revoke(universityId, ROOT, last.wordIndex, last.mask, 0)).to.emit(
        registry,
        "CredentialsRevoked",
      );
    });

    it("accepts a full last word when the count is a multiple of 256", async function () {
      const { registry, university, universityId } = await networkHelpers.loadFixture(anchoredBatches);
      const root = rootOf("512");
      await registry.connect(university).anchor(universityId, root, 512);
      await expect(registry.connect(university).revoke(universityId, root, 1, ethers.MaxUint256, 0)).to.emit(
        registry,
        "CredentialsRevoked",
      );
      await expect(registry.connect(university).revoke(universityId, root, 2, 1n, 0)).to.be.revertedWithCustomError(
        registry,
        "IndexOutOfRange",
      );
    });
  });

  describe("suspend and unsuspend", function () {
    it("suspends reversibly, emitting only the bits that change", async function () {
      const { registry, university, universityId } = await networkHelpers.loadFixture(anchoredBatches);
      await expect(registry.connect(university).suspend(universityId, ROOT, 2, 0b101n, 7))
        .to.emit(registry, "CredentialsSuspended")
        .withArgs(universityId, ROOT, 2, 0b101n, 7, university.address);
      expect((await registry.credentialStatus(universityId, ROOT, 512)).suspended).to.equal(true);
      await expect(registry.connect(university).suspend(universityId, ROOT, 2, 0b111n, 7))
        .to.emit(registry, "CredentialsSuspended")
        .withArgs(universityId, ROOT, 2, 0b010n, 7, university.address);
      await expect(registry.connect(university).unsuspend(universityId, ROOT, 2, 0b1001n, 0))
        .to.emit(registry, "CredentialsUnsuspended")
        .withArgs(universityId, ROOT, 2, 0b0001n, 0, university.address);
      expect(await registry.suspensionWord(universityId, ROOT, 2)).to.equal(0b110n);
      expect((await registry.credentialStatus(universityId, ROOT, 512)).suspended).to.equal(false);
    });

    it("refuses to suspend what is suspended or lift what is not", async function () {
      const { registry, university, universityId } = await networkHelpers.loadFixture(anchoredBatches);
      await expect(registry.connect(university).unsuspend(universityId, ROOT, 0, 1n, 0))
        .to.be.revertedWithCustomError(registry, "NotSuspended")
        .withArgs(ROOT, 0, 1n);
      await registry.connect(university).suspend(universityId, ROOT, 0, 1n, 0);
      await expect(registry.connect(university).suspend(universityId, ROOT, 0, 1n, 0))
        .to.be.revertedWithCustomError(registry, "AlreadySuspended")
        .withArgs(ROOT, 0, 1n);
    });

    it("lets an operator suspend and unsuspend the batches it anchored", async function () {
      const { registry, universityOperator, universityId } = await networkHelpers.loadFixture(anchoredBatches);
      await expect(registry.connect(universityOperator).suspend(universityId, OPERATOR_ROOT, 0, 1n, 7))
        .to.emit(registry, "CredentialsSuspended")
        .withArgs(universityId, OPERATOR_ROOT, 0, 1n, 7, universityOperator.address);
      await expect(registry.connect(universityOperator).unsuspend(universityId, OPERATOR_ROOT, 0, 1n, 0))
        .to.emit(registry, "CredentialsUnsuspended")
        .withArgs(universityId, OPERATOR_ROOT, 0, 1n, 0, universityOperator.address);
    });

    it("refuses an operator on a batch another key anchored, and after its removal", async function () {
      const { registry, university, universityOperator, stranger, universityId } =
        await networkHelpers.loadFixture(anchoredBatches);
      for (const change of [registry.connect(universityOperator).suspend, registry.connect(universityOperator).unsuspend]) {
        await expect(change(universityId, ROOT, 0, 1n, 0))
          .to.be.revertedWithCustomError(registry, "NotAnchoringKey")
          .withArgs(universityId, ROOT, universityOperator.address, university.address);
      }
      await registry.connect(university).addOperator(universityId, stranger.address);
      await expect(registry.connect(stranger).suspend(universityId, OPERATOR_ROOT, 0, 1n, 0))
        .to.be.revertedWithCustomError(registry, "NotAnchoringKey")
        .withArgs(universityId, OPERATOR_ROOT, stranger.address, universityOperator.address);
      await registry.connect(university).removeOperator(universityId, universityOperator.address);
      await expect(registry.connect(universityOperator).suspend(universityId, OPERATOR_ROOT, 0, 1n, 0))
        .to.be.revertedWithCustomError(registry, "NotAnchoringKey")
        .withArgs(universityId, OPERATOR_ROOT, universityOperator.address, universityOperator.address);
    });

    it("checks issuer, batch and range like revoke", async function () {
      const { registry, university, employer, universityId } = await networkHelpers.loadFixture(anchoredBatches);
      await expect(registry.connect(employer).suspend(universityId, ROOT, 0, 1n, 0))
        .to.be.revertedWithCustomError(registry, "NotAnchoringKey")
        .withArgs(universityId, ROOT, employer.address, university.address);
      await expect(registry.connect(university).suspend(universityId, rootOf("never"), 0, 1n, 0))
        .to.be.revertedWithCustomError(registry, "UnknownAnchor")
        .withArgs(universityId, rootOf("never"));
      await expect(registry.connect(university).unsuspend(universityId, ROOT, 0, 0n, 0)).to.be.revertedWithCustomError(
        registry,
        "EmptyMask",
      );
      await expect(registry.connect(university).suspend(universityId, ROOT, 3, 1n, 0)).to.be.revertedWithCustomError(
        registry,
        "IndexOutOfRange",
      );
    });

    it("never lifts a revocation: unsuspending a revoked credential leaves it revoked", async function () {
      const { registry, university, universityId } = await networkHelpers.loadFixture(anchoredBatches);
      await registry.connect(university).revoke(universityId, ROOT, 0, 1n, 0);
      await registry.connect(university).suspend(universityId, ROOT, 0, 1n, 0);
      await registry.connect(university).unsuspend(universityId, ROOT, 0, 1n, 0);
      const status = await registry.credentialStatus(universityId, ROOT, 0);
      expect(status.revoked).to.equal(true);
      expect(status.suspended).to.equal(false);
    });
  });

  describe("revokeBatch", function () {
    it("revokes the whole batch for the controller and emits it", async function () {
      const { registry, university, universityId } = await networkHelpers.loadFixture(anchoredBatches);
      await expect(registry.connect(university).revokeBatch(universityId, OPERATOR_ROOT, 6))
        .to.emit(registry, "BatchRevoked")
        .withArgs(universityId, OPERATOR_ROOT, 6, university.address);
      expect((await registry.getAnchor(universityId, OPERATOR_ROOT)).batchRevoked).to.equal(true);
      expect((await registry.credentialStatus(universityId, OPERATOR_ROOT, 599)).batchRevoked).to.equal(true);
    });

    it("refuses twice, an unknown issuer or root, operators and other issuers", async function () {
      const { registry, university, universityOperator, employer, universityId } =
        await networkHelpers.loadFixture(anchoredBatches);
      for (const account of [universityOperator, employer]) {
        await expect(registry.connect(account).revokeBatch(universityId, OPERATOR_ROOT, 0))
          .to.be.revertedWithCustomError(registry, "NotController")
          .withArgs(universityId, account.address);
      }
      await expect(registry.connect(university).revokeBatch(universityId, rootOf("never"), 0))
        .to.be.revertedWithCustomError(registry, "UnknownAnchor")
        .withArgs(universityId, rootOf("never"));
      const unknown = issuerIdOf("did:web:nobody.example");
      await expect(registry.connect(university).revokeBatch(unknown, ROOT, 0))
        .to.be.revertedWithCustomError(registry, "UnknownIssuer")
        .withArgs(unknown);
      await registry.connect(university).revokeBatch(universityId, ROOT, 0);
      await expect(registry.connect(university).revokeBatch(universityId, ROOT, 0))
        .to.be.revertedWithCustomError(registry, "BatchAlreadyRevoked")
        .withArgs(universityId, ROOT);
    });
  });
});
