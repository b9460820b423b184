/**
 * An issuer's keys (2.x): operators added and removed by the controller, control handed over in two steps
 * (transfer, accept; a pending transfer cancellable), control recovered by the accreditor, and keys declared
 * compromised since a time — which cuts off that key's later anchors and takes away its authority. A key is
 * bound to one issuer for good.
 */
import { expect } from "chai";
import { network } from "hardhat";

import { deployRegistryWithIssuers, issuerIdOf, KeyRole, rootOf } from "../helpers/registry.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

const fixture = () => deployRegistryWithIssuers(connection);

describe("CredentialRegistry: operators", function () {
  it("adds an operator bound to the issuer, with its start, and emits it", async function () {
    const { registry, university, stranger, universityId } = await networkHelpers.loadFixture(fixture);
    await expect(registry.connect(university).addOperator(universityId, stranger.address))
      .to.emit(registry, "OperatorAdded")
      .withArgs(universityId, stranger.address, university.address);
    const key = await registry.getKey(universityId, stranger.address);
    expect(key.role).to.equal(KeyRole.Operator);
    expect(key.addedAt).to.equal(await networkHelpers.time.latest());
    expect(await registry.issuerOfKey(stranger.address)).to.equal(universityId);
  });

  it("removes an operator, which keeps its start and can no longer anchor", async function () {
    const { registry, university, universityOperator, universityId } = await networkHelpers.loadFixture(fixture);
    const addedAt = (await registry.getKey(universityId, universityOperator.address)).addedAt;
    await expect(registry.connect(university).removeOperator(universityId, universityOperator.address))
      .to.emit(registry, "OperatorRemoved")
      .withArgs(universityId, universityOperator.address, university.address);
    const key = await registry.getKey(universityId, universityOperator.address);
    expect(key.role).to.equal(KeyRole.Retired);
    expect(key.addedAt).to.equal(addedAt);
    await expect(registry.connect(universityOperator).anchor(universityId, rootOf("after-removal"), 1))
      .to.be.revertedWithCustomError(registry, "NotIssuerKey")
      .withArgs(universityId, universityOperator.address);
  });

  it("re-adds a removed operator of the same issuer, keeping its first start", async function () {
    const { registry, university, universityOperator, universityId } = await networkHelpers.loadFixture(fixture);
    const addedAt = (await registry.getKey(universityId, universityOperator.address)).addedAt;
    await registry.connect(university).removeOperator(universityId, universityOperator.address);
    await networkHelpers.time.increase(100);
    await registry.connect(university).addOperator(universityId, universityOperator.address);
    const key = await registry.getKey(universityId, universityOperator.address);
    expect(key.role).to.equal(KeyRole.Operator);
    expect(key.addedAt).to.equal(addedAt);
  });

  it("is managed by the controller only: not by an operator, another issuer or the accreditor", async function () {
    const { registry, accreditor, universityOperator, employer, stranger, universityId } =
      await networkHelpers.loadFixture(fixture);
    for (const account of [universityOperator, employer, accreditor]) {
      await expect(registry.connect(account).addOperator(universityId, stranger.address))
        .to.be.revertedWithCustomError(registry, "NotController")
        .withArgs(universityId, account.address);
      await expect(registry.connect(account).removeOperator(universityId, universityOperator.address))
        .to.be.revertedWithCustomError(registry, "NotController")
        .withArgs(universityId, account.address);
    }
  });

  it("refuses the zero address, the controller, an operator twice, and an unknown issuer", async function () {
    const { registry, university, universityOperator, universityId } = await networkHelpers.loadFixture(fixture);
    await expect(registry.connect(university).addOperator(universityId, ethers.ZeroAddress)).to.be.revertedWithCustomError(
      registry,
      "ZeroAddress",
    );
    await expect(registry.connect(university).addOperator(universityId, university.address))
      .to.be.revertedWithCustomError(registry, "KeyIsController")
      .withArgs(universityId, university.address);
    await expect(registry.connect(university).addOperator(universityId, universityOperator.address))
      .to.be.revertedWithCustomError(registry, "AlreadyOperator")
      .withArgs(universityId, universityOperator.address);
    const unknown = issuerIdOf("did:web:nobody.example");
    await expect(registry.connect(university).addOperator(unknown, universityOperator.address))
      .to.be.revertedWithCustomError(registry, "UnknownIssuer")
      .withArgs(unknown);
  });

  it("refuses to remove a key that is not an operator", async function () {
    const { registry, university, employer, stranger, universityId } = await networkHelpers.loadFixture(fixture);
    for (const key of [stranger, employer, university]) {
      await expect(registry.connect(university).removeOperator(universityId, key.address))
        .to.be.revertedWithCustomError(registry, "NotOperator")
        .withArgs(universityId, key.address);
    }
  });

  it("binds a key to one issuer for good: another issuer cannot take it, even once removed", async function () {
    const { registry, university, universityOperator, employer, universityId, employerId } =
      await networkHelpers.loadFixture(fixture);
    await expect(registry.connect(employer).addOperator(employerId, university.address))
      .to.be.revertedWithCustomError(registry, "KeyOfAnotherIssuer")
      .withArgs(university.address, universityId);
    await registry.connect(university).removeOperator(universityId, universityOperator.address);
    await expect(registry.connect(employer).addOperator(employerId, universityOperator.address))
      .to.be.revertedWithCustomError(registry, "KeyOfAnotherIssuer")
      .withArgs(universityOperator.address, universityId);
    await expect(registry.connect(employer).transferControl(employerId, universityOperator.address))
      .to.be.revertedWithCustomError(registry, "KeyOfAnotherIssuer")
      .withArgs(universityOperator.address, universityId);
  });

  it("never lets a key declared compromised back in", async function () {
    const { registry, university, universityOperator, universityId } = await networkHelpers.loadFixture(fixture);
    const since = await networkHelpers.time.latest();
    await registry.connect(university).declareKeyCompromised(universityId, universityOperator.address, since);
    await expect(registry.connect(university).addOperator(universityId, universityOperator.address))
      .to.be.revertedWithCustomError(registry, "KeyIsCompromised")
      .withArgs(universityId, universityOperator.address, since);
    await expect(registry.connect(university).transferControl(universityId, universityOperator.address))
      .to.be.revertedWithCustomError(registry, "KeyIsCompromised")
      .withArgs(universityId, universityOperator.address, since);
  });
});

describe("CredentialRegistry: transferControl, acceptControl", function () {
  it("hands control over in two steps; the old controller is retired and the anchors carry on", async function () {
    const { registry, university, universityId } = await networkHelpers.loadFixture(fixture);
    const root = rootOf("before-rotation");
    await registry.connect(university).anchor(universityId, root, 3);
    const [next] = (await ethers.getSigners()).slice(10, 11);
    await expect(registry.connect(university).transferControl(universityId, next.address))
      .to.emit(registry, "ControlTransferProposed")
      .withArgs(universityId, university.address, next.address);
    expect(await registry.proposedController(universityId)).to.equal(next.address);
    expect((await registry.getIssuer(universityId)).controller).to.equal(university.address);

    await expect(registry.connect(next).acceptControl(universityId))
      .to.emit(registry, "ControllerChanged")
      .withArgs(universityId, university.address, next.address, next.address);
    expect((await registry.getIssuer(universityId)).controller).to.equal(next.address);
    expect(await registry.proposedController(universityId)).to.equal(ethers.ZeroAddress);
    expect((await registry.getKey(universityId, university.address)).role).to.equal(KeyRole.Retired);
    expect((await registry.getKey(universityId, next.address)).role).to.equal(KeyRole.Controller);
    expect(await registry.issuerOfKey(next.address)).to.equal(universityId);

    // The new controller acts on the batches the old one anchored; the old one can do nothing any more.
    await expect(registry.connect(next).revoke(universityId, root, 0, 1n, 2)).to.emit(registry, "CredentialsRevoked");
    await expect(registry.connect(university).anchor(universityId, rootOf("old-key"), 1))
      .to.be.revertedWithCustomError(registry, "NotIssuerKey")
      .withArgs(universityId, university.address);
    const status = await registry.credentialStatus(universityId, root, 1);
    expect(status.actingKey).to.equal(university.address);
    expect(status.keyCompromised).to.equal(false);
    expect(status.controller).to.equal(next.address);
  });

  it("cancels a pending transfer with the zero address", async function () {
    const { registry, university, stranger, universityId } = await networkHelpers.loadFixture(fixture);
    await registry.connect(university).transferControl(universityId, stranger.address);
    await expect(registry.connect(university).transferControl(universityId, ethers.ZeroAddress))
      .to.emit(registry, "ControlTransferProposed")
      .withArgs(universityId, university.address, ethers.ZeroAddress);
    expect(await registry.proposedController(universityId)).to.equal(ethers.ZeroAddress);
    await expect(registry.connect(stranger).acceptControl(universityId))
      .to.be.revertedWithCustomError(registry, "NotProposedController")
      .withArgs(universityId, stranger.address, ethers.ZeroAddress);
  });

  it("replaces a pending proposal with a new one", async function () {
    const { registry, university, stranger, relayer, universityId } = await networkHelpers.loadFixture(fixture);
    await registry.connect(university).transferControl(universityId, stranger.address);
    await registry.connect(university).transferControl(universityId, relayer.address);
    await expect(registry.connect(stranger).acceptControl(universityId))
      .to.be.revertedWithCustomError(registry, "NotProposedController")
      .withArgs(universityId, stranger.address, relayer.address);
  });

  it("promotes the issuer's own operator to controller", async function () {
    const { registry, university, universityOperator, universityId } = await networkHelpers.loadFixture(fixture);
    await registry.connect(university).transferControl(universityId, universityOperator.address);
    await registry.connect(universityOperator).acceptControl(universityId);
    expect((await registry.getKey(universityId, universityOperator.address)).role).to.equal(KeyRole.Controller);
  });

  it("is proposed by the controller only, never to itself or to another issuer's key", async function () {
    const { registry, university, universityOperator, employer, stranger, universityId, employerId } =
      await networkHelpers.loadFixture(fixture);
    await expect(registry.connect(universityOperator).transferControl(universityId, stranger.address))
      .to.be.revertedWithCustomError(registry, "NotController")
      .withArgs(universityId, universityOperator.address);
    await expect(registry.connect(university).transferControl(universityId, university.address))
      .to.be.revertedWithCustomError(registry, "KeyIsController")
      .withArgs(universityId, university.address);
    await expect(registry.connect(university).transferControl(universityId, employer.address))
      .to.be.revertedWithCustomError(registry, "KeyOfAnotherIssuer")
      .withArgs(employer.address, employerId);
  });

  it("refuses to complete a transfer to a key another issuer bound in the meantime", async function () {
    const { registry, university, employer, stranger, universityId, employerId } = await networkHelpers.loadFixture(fixture);
    await registry.connect(university).transferControl(universityId, stranger.address);
    await registry.connect(employer).addOperator(employerId, stranger.address);
    await expect(registry.connect(stranger).acceptControl(universityId))
      .to.be.revertedWithCustomError(registry, "KeyOfAnotherIssuer")
      .withArgs(stranger.address, employerId);
  });

  it("refuses an acceptance by anyone but the proposed controller, and for an unknown issuer", async function () {
    const { registry, university, stranger, relayer, universityId } = await networkHelpers.loadFixture(fixture);
    await registry.connect(university).transferControl(universityId, stranger.address);
    await expect(registry.connect(relayer).acceptControl(universityId))
      .to.be.revertedWithCustomError(registry, "NotProposedController")
      .withArgs(universityId, relayer.address, stranger.address);
    const unknown = issuerIdOf("did:web:nobody.example");
    await expect(registry.connect(stranger).acceptControl(unknown))
      .to.be.revertedWithCustomError(registry, "UnknownIssuer")
      .withArgs(unknown);
  });
});

describe("CredentialRegistry: recoverControl", function () {
  it("gives the issuer a new controller, retires the old one and cancels a pending transfer", async function () {
    const { registry, accreditor, university, stranger, relayer, universityId } = await networkHelpers.loadFixture(fixture);
    await registry.connect(university).transferControl(universityId, relayer.address);
    await expect(registry.connect(accreditor).recoverControl(universityId, stranger.address))
      .to.emit(registry, "ControllerChanged")
      .withArgs(universityId, university.address, stranger.address, accreditor.address);
    expect((await registry.getIssuer(universityId)).controller).to.equal(stranger.address);
    expect(await registry.proposedController(universityId)).to.equal(ethers.ZeroAddress);
    expect((await registry.getKey(universityId, university.address)).role).to.equal(KeyRole.Retired);
    await expect(registry.connect(relayer).acceptControl(universityId)).to.be.revertedWithCustomError(
      registry,
      "NotProposedController",
    );
  });

  it("is for the accreditor only", async function () {
    const { registry, admin, university, stranger, universityId } = await networkHelpers.loadFixture(fixture);
    for (const account of [admin, university]) {
      await expect(registry.connect(account).recoverControl(universityId, stranger.address))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(account.address, await registry.ACCREDITOR_ROLE());
    }
  });

  it("refuses an unknown issuer, the zero address, the controller itself, another issuer's key, a compromised key", async function () {
    const { registry, accreditor, university, universityOperator, employer, universityId, employerId } =
      await networkHelpers.loadFixture(fixture);
    const unknown = issuerIdOf("did:web:nobody.example");
    await expect(registry.connect(accreditor).recoverControl(unknown, university.address))
      .to.be.revertedWithCustomError(registry, "UnknownIssuer")
      .withArgs(unknown);
    await expect(registry.connect(accreditor).recoverControl(universityId, ethers.ZeroAddress)).to.be.revertedWithCustomError(
      registry,
      "ZeroAddress",
    );
    await expect(registry.connect(accreditor).recoverControl(universityId, university.address))
      .to.be.revertedWithCustomError(registry, "KeyIsController")
      .withArgs(universityId, university.address);
    await expect(registry.connect(accreditor).recoverControl(universityId, employer.address))
      .to.be.revertedWithCustomError(registry, "KeyOfAnotherIssuer")
      .withArgs(employer.address, employerId);
    const since = await networkHelpers.time.latest();
    await registry.connect(accreditor).declareKeyCompromised(universityId, universityOperator.address, since);
    await expect(registry.connect(accreditor).recoverControl(universityId, universityOperator.address))
      .to.be.revertedWithCustomError(registry, "KeyIsCompromised")
      .withArgs(universityId, universityOperator.address, since);
  });
});

describe("CredentialRegistry: declareKeyCompromised", function () {
  /** The university's operator anchors three batches an hour apart: at t0, t1 and t2. */
  async function threeAnchorsByOperator() {
    const context = await deployRegistryWithIssuers(connection);
    const { registry, universityOperator, universityId } = context;
    const times: number[] = [];
    for (const label of ["a", "b", "c"]) {
      await networkHelpers.time.increase(3600);
      await registry.connect(universityOperator).anchor(universityId, rootOf(label), 4);
      times.push(await networkHelpers.time.latest());
    }
    return { ...context, times };
  }

  it("cuts off the key's anchors made at or after the time given, and only those", async function () {
    const { registry, university, universityOperator, universityId, times } =
      await networkHelpers.loadFixture(threeAnchorsByOperator);
    await expect(registry.connect(university).declareKeyCompromised(universityId, universityOperator.address, times[1]))
      .to.emit(registry, "KeyCompromised")
      .withArgs(universityId, universityOperator.address, times[1], university.address)
      .and.to.emit(registry, "OperatorRemoved")
      .withArgs(universityId, universityOperator.address, university.address);
    const read = async (label: string) => registry.credentialStatus(universityId, rootOf(label), 0);
    expect((await read("a")).keyCompromised).to.equal(false);
    expect((await read("b")).keyCompromised, "anchored exactly at T").to.equal(true);
    expect((await read("c")).keyCompromised).to.equal(true);
    expect((await read("a")).keyCompromisedSince).to.equal(times[1]);
    const key = await registry.getKey(universityId, universityOperator.address);
    expect(key.role).to.equal(KeyRole.Retired);
    expect(key.compromisedSince).to.equal(times[1]);
  });

  it("takes the key's authority away: it can neither anchor nor suspend its own batches", async function () {
    const { registry, university, universityOperator, universityId, times } =
      await networkHelpers.loadFixture(threeAnchorsByOperator);
    await registry.connect(university).declareKeyCompromised(universityId, universityOperator.address, times[2]);
    await expect(registry.connect(universityOperator).anchor(universityId, rootOf("d"), 1))
      .to.be.revertedWithCustomError(registry, "NotIssuerKey")
      .withArgs(universityId, universityOperator.address);
    await expect(registry.connect(universityOperator).suspend(universityId, rootOf("a"), 0, 1n, 0))
      .to.be.revertedWithCustomError(registry, "NotAnchoringKey")
      .withArgs(universityId, rootOf("a"), universityOperator.address, universityOperator.address);
  });

  it("lets the controller lift suspensions the key made from the time of the compromise", async function () {
    const { registry, university, universityOperator, universityId, times } =
      await networkHelpers.loadFixture(threeAnchorsByOperator);
    await registry.connect(universityOperator).suspend(universityId, rootOf("a"), 0, 0b1111n, 7);
    await registry.connect(university).declareKeyCompromised(universityId, universityOperator.address, times[2]);
    await expect(registry.connect(university).unsuspend(universityId, rootOf("a"), 0, 0b1111n, 0))
      .to.emit(registry, "CredentialsUnsuspended")
      .withArgs(universityId, rootOf("a"), 0, 0b1111n, 0, university.address);
    expect(await registry.suspensionWord(universityId, rootOf("a"), 0)).to.equal(0n);
  });

  it("is declared by the accreditor too, in any issuer status", async function () {
    const { registry, accreditor, universityOperator, universityId, times } =
      await networkHelpers.loadFixture(threeAnchorsByOperator);
    await registry.connect(accreditor).suspendIssuer(universityId, 3);
    await expect(registry.connect(accreditor).declareKeyCompromised(universityId, universityOperator.address, times[0]))
      .to.emit(registry, "KeyCompromised")
      .withArgs(universityId, universityOperator.address, times[0], accreditor.address)
      .and.to.emit(registry, "OperatorRemoved")
      .withArgs(universityId, universityOperator.address, accreditor.address);
    expect((await registry.credentialStatus(universityId, rootOf("a"), 0)).keyCompromised).to.equal(true);
  });

  it("refuses anyone but the controller or the accreditor", async function () {
    const { registry, universityOperator, employer, stranger, universityId, times } =
      await networkHelpers.loadFixture(threeAnchorsByOperator);
    for (const account of [universityOperator, employer, stranger]) {
      await expect(registry.connect(account).declareKeyCompromised(universityId, universityOperator.address, times[0]))
        .to.be.revertedWithCustomError(registry, "NotControllerOrAccreditor")
        .withArgs(universityId, account.address);
    }
  });

  it("refuses an unknown issuer (for the accreditor and anyone else) and a key the issuer never had", async function () {
    const { registry, accreditor, university, employer, universityId, times } =
      await networkHelpers.loadFixture(threeAnchorsByOperator);
    const unknown = issuerIdOf("did:web:nobody.example");
    for (const account of [accreditor, university]) {
      await expect(registry.connect(account).declareKeyCompromised(unknown, university.address, times[0]))
        .to.be.revertedWithCustomError(registry, "UnknownIssuer")
        .withArgs(unknown);
    }
    await expect(registry.connect(university).declareKeyCompromised(universityId, employer.address, times[0]))
      .to.be.revertedWithCustomError(registry, "UnknownKey")
      .withArgs(universityId, employer.address);
  });

  it("refuses a time in the future or before the key's start", async function () {
    const { registry, university, universityOperator, universityId } = await networkHelpers.loadFixture(threeAnchorsByOperator);
    const start = (await registry.getKey(universityId, universityOperator.address)).addedAt;
    const now = BigInt(await networkHelpers.time.latest());
    // The declaration is mined one second later, which is the "now" the contract sees.
    const future = now + 100n;
    await networkHelpers.time.setNextBlockTimestamp(now + 1n);
    await expect(registry.connect(university).declareKeyCompromised(universityId, universityOperator.address, future))
      .to.be.revertedWithCustomError(registry, "InvalidCompromiseTime")
      .withArgs(universityId, universityOperator.address, future, start, now + 1n);
    await networkHelpers.time.setNextBlockTimestamp(now + 2n);
    await expect(registry.connect(university).declareKeyCompromised(universityId, universityOperator.address, start - 1n))
      .to.be.revertedWithCustomError(registry, "InvalidCompromiseTime")
      .withArgs(universityId, universityOperator.address, start - 1n, start, now + 2n);
    await networkHelpers.time.setNextBlockTimestamp(now + 3n);
    await expect(
      registry.connect(university).declareKeyCompromised(universityId, universityOperator.address, now + 3n),
    ).to.emit(registry, "KeyCompromised");
  });

  it("only moves the cut-off earlier, never later nor again to the same time", async function () {
    const { registry, accreditor, university, universityOperator, universityId, times } =
      await networkHelpers.loadFixture(threeAnchorsByOperator);
    await registry.connect(university).declareKeyCompromised(universityId, universityOperator.address, times[2]);
    for (const since of [times[2], times[2] + 1]) {
      await expect(registry.connect(accreditor).declareKeyCompromised(universityId, universityOperator.address, since))
        .to.be.revertedWithCustomError(registry, "CompromiseAlreadyDeclared")
        .withArgs(universityId, universityOperator.address, times[2]);
    }
    // Earlier: the key is already retired, so only KeyCompromised is emitted.
    await expect(registry.connect(accreditor).declareKeyCompromised(universityId, universityOperator.address, times[0]))
      .to.emit(registry, "KeyCompromised")
      .withArgs(universityId, universityOperator.address, times[0], accreditor.address)
      .and.not.to.emit(registry, "OperatorRemoved");
    expect((await registry.credentialStatus(universityId, rootOf("a"), 0)).keyCompromised).to.equal(true);
  });

  it("declares a retired key compromised (its anchors before retirement can still be cut off)", async function () {
    const { registry, university, universityOperator, universityId, times } =
      await networkHelpers.loadFixture(threeAnchorsByOperator);
    await registry.connect(university).removeOperator(universityId, universityOperator.address);
    await expect(registry.connect(university).declareKeyCompromised(universityId, universityOperator.address, times[1]))
      .to.emit(registry, "KeyCompromised")
      .and.not.to.emit(registry, "OperatorRemoved");
    expect((await registry.credentialStatus(universityId, rootOf("b"), 0)).keyCompromised).to.equal(true);
  });

  describe("of the controller", function () {
    it("leaves the issuer without a controller, cancels a pending transfer, until the accreditor recovers control", async function () {
      const { registry, accreditor, university, universityOperator, stranger, universityId } =
        await networkHelpers.loadFixture(threeAnchorsByOperator);
      await registry.connect(university).anchor(universityId, rootOf("by-controller"), 2);
      const anchoredAt = await networkHelpers.time.latest();
      await registry.connect(university).transferControl(universityId, stranger.address);
      await expect(registry.connect(accreditor).declareKeyCompromised(universityId, university.address, anchoredAt))
        .to.emit(registry, "KeyCompromised")
        .withArgs(universityId, university.address, anchoredAt, accreditor.address)
        .and.to.emit(registry, "ControllerChanged")
        .withArgs(universityId, university.address, ethers.ZeroAddress, accreditor.address);
      expect((await registry.getIssuer(universityId)).controller).to.equal(ethers.ZeroAddress);
      expect(await registry.proposedController(universityId)).to.equal(ethers.ZeroAddress);
      expect((await registry.credentialStatus(universityId, rootOf("by-controller"), 0)).keyCompromised).to.equal(true);
      expect((await registry.credentialStatus(universityId, rootOf("a"), 0)).keyCompromised).to.equal(false);

      // Nobody controls the issuer: the old controller is refused, operators keep their own powers.
      await expect(registry.connect(university).revoke(universityId, rootOf("a"), 0, 1n, 0))
        .to.be.revertedWithCustomError(registry, "NotController")
        .withArgs(universityId, university.address);
      await expect(registry.connect(stranger).acceptControl(universityId)).to.be.revertedWithCustomError(
        registry,
        "NotProposedController",
      );
      await expect(registry.connect(universityOperator).anchor(universityId, rootOf("d"), 1)).to.emit(registry, "Anchored");

      await expect(registry.connect(accreditor).recoverControl(universityId, stranger.address))
        .to.emit(registry, "ControllerChanged")
        .withArgs(universityId, ethers.ZeroAddress, stranger.address, accreditor.address);
      await expect(registry.connect(stranger).revoke(universityId, rootOf("a"), 0, 1n, 4)).to.emit(registry, "CredentialsRevoked");
      expect((await registry.getKey(universityId, university.address)).role).to.equal(KeyRole.Retired);
    });

    it("can be declared by the controller itself", async function () {
      const { registry, university, universityId } = await networkHelpers.loadFixture(fixture);
      const now = await networkHelpers.time.latest();
      await expect(registry.connect(university).declareKeyCompromised(universityId, university.address, now))
        .to.emit(registry, "ControllerChanged")
        .withArgs(universityId, university.address, ethers.ZeroAddress, university.address);
    });
  });
});
