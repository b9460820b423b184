/**
 * The registry's deployment, roles and issuer identities (2.x): who may register an issuer, the lifecycle of
 * its accreditation (active, suspended, withdrawn), and the freeze that follows a withdrawal — nothing of a
 * withdrawn issuer changes any more but by the accreditor.
 */
import { expect } from "chai";
import { network } from "hardhat";

import {
  deployRegistryWithIssuers,
  EMPLOYER_PROFILE,
  issuerIdOf,
  IssuerStatus,
  KeyRole,
  rootOf,
  signDelegation,
  UNIVERSITY_PROFILE,
} from "../helpers/registry.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

describe("CredentialRegistry: deployment and roles", function () {
  const fixture = () => deployRegistryWithIssuers(connection);

  it("grants the admin and accreditor roles given to the constructor", async function () {
    const { registry, admin, accreditor } = await networkHelpers.loadFixture(fixture);
    expect(await registry.hasRole(await registry.DEFAULT_ADMIN_ROLE(), admin.address)).to.equal(true);
    expect(await registry.hasRole(await registry.ACCREDITOR_ROLE(), accreditor.address)).to.equal(true);
    expect(await registry.hasRole(await registry.ACCREDITOR_ROLE(), admin.address)).to.equal(false);
    expect(await registry.ACCREDITOR_ROLE()).to.equal(ethers.id("ACCREDITOR_ROLE"));
  });

  it("rejects a zero admin or accreditor", async function () {
    const { registry, admin } = await networkHelpers.loadFixture(fixture);
    const factory = await ethers.getContractFactory("CredentialRegistry");
    await expect(factory.deploy(ethers.ZeroAddress, admin.address)).to.be.revertedWithCustomError(registry, "ZeroAddress");
    await expect(factory.deploy(admin.address, ethers.ZeroAddress)).to.be.revertedWithCustomError(registry, "ZeroAddress");
  });

  it("reports version 2.0.0 and the EIP-712 domain (\"CredentialRegistry\", \"2\")", async function () {
    const { registry } = await networkHelpers.loadFixture(fixture);
    expect(await registry.version()).to.equal("2.0.0");
    const domain = await registry.eip712Domain();
    expect(domain.name).to.equal("CredentialRegistry");
    expect(domain.version).to.equal("2");
    expect(domain.chainId).to.equal((await ethers.provider.getNetwork()).chainId);
    expect(domain.verifyingContract).to.equal(await registry.getAddress());
    expect(await registry.DOMAIN_SEPARATOR()).to.equal(
      ethers.TypedDataEncoder.hashDomain({
        name: "CredentialRegistry",
        version: "2",
        chainId: domain.chainId,
        verifyingContract: domain.verifyingContract,
      }),
    );
  });

  it("supports the AccessControl and ERC-165 interfaces", async function () {
    const { registry } = await networkHelpers.loadFixture(fixture);
    expect(await registry.supportsInterface("0x7965db0b")).to.equal(true); // IAccessControl
    expect(await registry.supportsInterface("0x01ffc9a7")).to.equal(true); // IERC165
    expect(await registry.supportsInterface("0xffffffff")).to.equal(false);
  });

  it("lets the admin appoint another accreditor and revoke one", async function () {
    const { registry, admin, accreditor, stranger } = await networkHelpers.loadFixture(fixture);
    const role = await registry.ACCREDITOR_ROLE();
    await registry.connect(admin).grantRole(role, stranger.address);
    await expect(registry.connect(stranger).registerIssuer("did:web:second.example", stranger.address)).to.emit(
      registry,
      "IssuerRegistered",
    );
    await registry.connect(admin).revokeRole(role, accreditor.address);
    await expect(registry.connect(accreditor).registerIssuer("did:web:third.example", admin.address))
      .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
      .withArgs(accreditor.address, role);
  });

  it("refuses role management by anyone but the admin", async function () {
    const { registry, accreditor, stranger } = await networkHelpers.loadFixture(fixture);
    await expect(registry.connect(accreditor).grantRole(await registry.ACCREDITOR_ROLE(), stranger.address))
      .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
      .withArgs(accreditor.address, await registry.DEFAULT_ADMIN_ROLE());
  });

  it("refuses a role renunciation that does not confirm the caller", async function () {
    const { registry, accreditor, stranger } = await networkHelpers.loadFixture(fixture);
    const role = await registry.ACCREDITOR_ROLE();
    await expect(registry.connect(accreditor).renounceRole(role, stranger.address)).to.be.revertedWithCustomError(
      registry,
      "AccessControlBadConfirmation",
    );
    await registry.connect(accreditor).renounceRole(role, accreditor.address);
    expect(await registry.hasRole(role, accreditor.address)).to.equal(false);
  });
});

describe("CredentialRegistry: registerIssuer", function () {
  const fixture = () => deployRegistryWithIssuers(connection);

  it("records an active issuer under keccak256(profileId) with its controller, and emits the profile id", async function () {
    const { registry, accreditor, stranger } = await networkHelpers.loadFixture(fixture);
    const profileId = "did:web:new.example";
    const issuerId = issuerIdOf(profileId);
    expect(await registry.connect(accreditor).registerIssuer.staticCall(profileId, stranger.address)).to.equal(issuerId);
    await expect(registry.connect(accreditor).registerIssuer(profileId, stranger.address))
      .to.emit(registry, "IssuerRegistered")
      .withArgs(issuerId, profileId, stranger.address, accreditor.address);
    const now = await networkHelpers.time.latest();
    const issuer = await registry.getIssuer(issuerId);
    expect(issuer.controller).to.equal(stranger.address);
    expect(issuer.status).to.equal(IssuerStatus.Active);
    expect(issuer.statusReason).to.equal(0n);
    expect(issuer.statusSince).to.equal(now);
    expect(issuer.registeredAt).to.equal(now);
    const key = await registry.getKey(issuerId, stranger.address);
    expect(key.role).to.equal(KeyRole.Controller);
    expect(key.addedAt).to.equal(now);
    expect(key.compromisedSince).to.equal(0n);
    expect(await registry.issuerOfKey(stranger.address)).to.equal(issuerId);
  });

  it("computes the same id on chain as off chain, for URLs and DIDs alike", async function () {
    const { registry, universityId, employerId } = await networkHelpers.loadFixture(fixture);
    expect(await registry.issuerIdOf(UNIVERSITY_PROFILE)).to.equal(universityId);
    expect(await registry.issuerIdOf(EMPLOYER_PROFILE)).to.equal(employerId);
    expect((await registry.getIssuer(employerId)).status).to.equal(IssuerStatus.Active);
  });

  it("is for accreditors only", async function () {
    const { registry, admin, university, stranger } = await networkHelpers.loadFixture(fixture);
    for (const account of [admin, university, stranger]) {
      await expect(registry.connect(account).registerIssuer("did:web:x.example", stranger.address))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(account.address, await registry.ACCREDITOR_ROLE());
    }
  });

  it("rejects an empty profile id and a zero controller", async function () {
    const { registry, accreditor, stranger } = await networkHelpers.loadFixture(fixture);
    await expect(registry.connect(accreditor).registerIssuer("", stranger.address)).to.be.revertedWithCustomError(
      registry,
      "EmptyProfileId",
    );
    await expect(
      registry.connect(accreditor).registerIssuer("did:web:x.example", ethers.ZeroAddress),
    ).to.be.revertedWithCustomError(registry, "ZeroAddress");
  });

  it("rejects a profile id already registered, even once withdrawn", async function () {
    const { registry, accreditor, stranger, universityId } = await networkHelpers.loadFixture(fixture);
    await expect(registry.connect(accreditor).registerIssuer(UNIVERSITY_PROFILE, stranger.address))
      .to.be.revertedWithCustomError(registry, "IssuerAlreadyRegistered")
      .withArgs(universityId);
    await registry.connect(accreditor).withdrawIssuer(universityId, 3);
    await expect(registry.connect(accreditor).registerIssuer(UNIVERSITY_PROFILE, stranger.address))
      .to.be.revertedWithCustomError(registry, "IssuerAlreadyRegistered")
      .withArgs(universityId);
  });

  it("rejects a controller that is already a key of another issuer (controller, operator or retired)", async function () {
    const { registry, accreditor, university, universityOperator, employer, universityId, employerId } =
      await networkHelpers.loadFixture(fixture);
    await registry.connect(university).removeOperator(universityId, universityOperator.address);
    for (const [key, owner] of [
      [university, universityId],
      [universityOperator, universityId],
      [employer, employerId],
    ] as const) {
      await expect(registry.connect(accreditor).registerIssuer("did:web:squatter.example", key.address))
        .to.be.revertedWithCustomError(registry, "KeyOfAnotherIssuer")
        .withArgs(key.address, owner);
    }
  });
});

describe("CredentialRegistry: suspendIssuer, reinstateIssuer, withdrawIssuer", function () {
  const fixture = () => deployRegistryWithIssuers(connection);

  it("moves an issuer through its lifecycle, recording and emitting each transition with its reason", async function () {
    const { registry, accreditor, universityId } = await networkHelpers.loadFixture(fixture);
    await expect(registry.connect(accreditor).suspendIssuer(universityId, 7))
      .to.emit(registry, "IssuerStatusChanged")
      .withArgs(universityId, IssuerStatus.Active, IssuerStatus.Suspended, 7, accreditor.address);
    let issuer = await registry.getIssuer(universityId);
    expect(issuer.status).to.equal(IssuerStatus.Suspended);
    expect(issuer.statusReason).to.equal(7n);
    expect(issuer.statusSince).to.equal(await networkHelpers.time.latest());

    await expect(registry.connect(accreditor).reinstateIssuer(universityId, 0))
      .to.emit(registry, "IssuerStatusChanged")
      .withArgs(universityId, IssuerStatus.Suspended, IssuerStatus.Active, 0, accreditor.address);
    await networkHelpers.time.increase(60);
    await expect(registry.connect(accreditor).withdrawIssuer(universityId, 6))
      .to.emit(registry, "IssuerStatusChanged")
      .withArgs(universityId, IssuerStatus.Active, IssuerStatus.Withdrawn, 6, accreditor.address);
    issuer = await registry.getIssuer(universityId);
    expect(issuer.status).to.equal(IssuerStatus.Withdrawn);
    expect(issuer.statusReason).to.equal(6n);
    expect(issuer.statusSince).to.equal(await networkHelpers.time.latest());
    expect(issuer.registeredAt).to.be.lessThan(issuer.statusSince);
  });

  it("withdraws a suspended issuer", async function () {
    const { registry, accreditor, universityId } = await networkHelpers.loadFixture(fixture);
    await registry.connect(accreditor).suspendIssuer(universityId, 7);
    await expect(registry.connect(accreditor).withdrawIssuer(universityId, 3))
      .to.emit(registry, "IssuerStatusChanged")
      .withArgs(universityId, IssuerStatus.Suspended, IssuerStatus.Withdrawn, 3, accreditor.address);
  });

  it("refuses transitions that make no sense", async function () {
    const { registry, accreditor, universityId } = await networkHelpers.loadFixture(fixture);
    await expect(registry.connect(accreditor).reinstateIssuer(universityId, 0))
      .to.be.revertedWithCustomError(registry, "InvalidIssuerTransition")
      .withArgs(universityId, IssuerStatus.Active, IssuerStatus.Active);
    await registry.connect(accreditor).suspendIssuer(universityId, 0);
    await expect(registry.connect(accreditor).suspendIssuer(universityId, 0))
      .to.be.revertedWithCustomError(registry, "InvalidIssuerTransition")
      .withArgs(universityId, IssuerStatus.Suspended, IssuerStatus.Suspended);
    await registry.connect(accreditor).withdrawIssuer(universityId, 0);
    for (const [change, to] of [
      [registry.connect(accreditor).suspendIssuer, IssuerStatus.Suspended],
      [registry.connect(accreditor).reinstateIssuer, IssuerStatus.Active],
      [registry.connect(accreditor).withdrawIssuer, IssuerStatus.Withdrawn],
    ] as const) {
      await expect(change(universityId, 0))
        .to.be.revertedWithCustomError(registry, "InvalidIssuerTransition")
        .withArgs(universityId, IssuerStatus.Withdrawn, to);
    }
  });

  it("refuses an unknown issuer", async function () {
    const { registry, accreditor } = await networkHelpers.loadFixture(fixture);
    const unknown = issuerIdOf("did:web:nobody.example");
    for (const change of [
      registry.connect(accreditor).suspendIssuer,
      registry.connect(accreditor).reinstateIssuer,
      registry.connect(accreditor).withdrawIssuer,
    ]) {
      await expect(change(unknown, 0)).to.be.revertedWithCustomError(registry, "UnknownIssuer").withArgs(unknown);
    }
  });

  it("is for accreditors only: not the admin, not the issuer's own controller", async function () {
    const { registry, admin, university, universityId } = await networkHelpers.loadFixture(fixture);
    const role = await registry.ACCREDITOR_ROLE();
    for (const account of [admin, university]) {
      for (const change of [
        registry.connect(account).suspendIssuer,
        registry.connect(account).reinstateIssuer,
        registry.connect(account).withdrawIssuer,
      ]) {
        await expect(change(universityId, 0))
          .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
          .withArgs(account.address, role);
      }
    }
  });

  it("stops a suspended issuer's anchors, but its keys still revoke, suspend and manage operators", async function () {
    const { registry, accreditor, university, universityOperator, stranger, universityId } =
      await networkHelpers.loadFixture(fixture);
    const root = rootOf("before-suspension");
    await registry.connect(universityOperator).anchor(universityId, root, 4);
    await registry.connect(accreditor).suspendIssuer(universityId, 7);
    for (const key of [university, universityOperator]) {
      await expect(registry.connect(key).anchor(universityId, rootOf("during"), 1))
        .to.be.revertedWithCustomError(registry, "IssuerNotActive")
        .withArgs(universityId, IssuerStatus.Suspended);
    }
    await expect(registry.connect(universityOperator).suspend(universityId, root, 0, 1n, 7)).to.emit(
      registry,
      "CredentialsSuspended",
    );
    await expect(registry.connect(university).revoke(universityId, root, 0, 2n, 3)).to.emit(registry, "CredentialsRevoked");
    await expect(registry.connect(university).addOperator(universityId, stranger.address)).to.emit(registry, "OperatorAdded");
    await registry.connect(accreditor).reinstateIssuer(universityId, 0);
    await expect(registry.connect(universityOperator).anchor(universityId, rootOf("after"), 1)).to.emit(registry, "Anchored");
  });
});

describe("CredentialRegistry: a withdrawn issuer is frozen", function () {
  const ROOT = rootOf("frozen");

  async function withdrawnUniversity() {
    const context = await deployRegistryWithIssuers(connection);
    const { registry, accreditor, university, universityOperator, universityId } = context;
    await registry.connect(universityOperator).anchor(universityId, ROOT, 10);
    await registry.connect(universityOperator).suspend(universityId, ROOT, 0, 1n, 7);
    await registry.connect(university).transferControl(universityId, context.stranger.address);
    await registry.connect(accreditor).withdrawIssuer(universityId, 6);
    return context;
  }

  it("refuses every action of its controller with IssuerWithdrawn", async function () {
    const { registry, university, stranger, universityOperator, universityId } =
      await networkHelpers.loadFixture(withdrawnUniversity);
    const controller = registry.connect(university);
    const now = await networkHelpers.time.latest();
    const attempts = [
      () => controller.revoke(universityId, ROOT, 0, 2n, 0),
      () => controller.suspend(universityId, ROOT, 0, 2n, 0),
      () => controller.unsuspend(universityId, ROOT, 0, 1n, 0),
      () => controller.revokeBatch(universityId, ROOT, 0),
      () => controller.addOperator(universityId, ethers.Wallet.createRandom().address),
      () => controller.removeOperator(universityId, universityOperator.address),
      () => controller.transferControl(universityId, ethers.ZeroAddress),
      () => controller.declareKeyCompromised(universityId, universityOperator.address, now),
      () => registry.connect(stranger).acceptControl(universityId),
    ];
    for (const attempt of attempts) {
      await expect(attempt()).to.be.revertedWithCustomError(registry, "IssuerWithdrawn").withArgs(universityId);
    }
  });

  it("refuses every action of its operators with IssuerWithdrawn (anchoring: IssuerNotActive, withdrawn)", async function () {
    const { registry, universityOperator, universityId } = await networkHelpers.loadFixture(withdrawnUniversity);
    const operator = registry.connect(universityOperator);
    for (const attempt of [
      () => operator.suspend(universityId, ROOT, 0, 2n, 0),
      () => operator.unsuspend(universityId, ROOT, 0, 1n, 0),
    ]) {
      await expect(attempt()).to.be.revertedWithCustomError(registry, "IssuerWithdrawn").withArgs(universityId);
    }
    await expect(operator.anchor(universityId, rootOf("late"), 1))
      .to.be.revertedWithCustomError(registry, "IssuerNotActive")
      .withArgs(universityId, IssuerStatus.Withdrawn);
  });

  it("refuses the same actions by signature", async function () {
    const { registry, university, universityOperator, relayer, universityId } =
      await networkHelpers.loadFixture(withdrawnUniversity);
    const fields = { issuerId: universityId, root: ROOT, wordIndex: 0n, mask: 1n, reason: 0 };
    const unsuspend = await signDelegation({ registry, action: "Unsuspend", key: universityOperator, fields });
    await expect(registry.connect(relayer).unsuspendBySig(universityId, ROOT, 0n, 1n, 0, unsuspend))
      .to.be.revertedWithCustomError(registry, "IssuerWithdrawn")
      .withArgs(universityId);
    const revoke = await signDelegation({ registry, action: "Revoke", key: university, fields });
    await expect(registry.connect(relayer).revokeBySig(universityId, ROOT, 0n, 1n, 0, revoke))
      .to.be.revertedWithCustomError(registry, "IssuerWithdrawn")
      .withArgs(universityId);
  });

  it("still lets the accreditor recover control and declare keys compromised", async function () {
    const { registry, accreditor, universityOperator, universityId } = await networkHelpers.loadFixture(withdrawnUniversity);
    const since = (await registry.getKey(universityId, universityOperator.address)).addedAt;
    await expect(registry.connect(accreditor).declareKeyCompromised(universityId, universityOperator.address, since))
      .to.emit(registry, "KeyCompromised")
      .withArgs(universityId, universityOperator.address, since, accreditor.address);
    const replacement = ethers.Wallet.createRandom().address;
    await expect(registry.connect(accreditor).recoverControl(universityId, replacement)).to.emit(registry, "ControllerChanged");
    expect((await registry.getIssuer(universityId)).controller).to.equal(replacement);
    expect((await registry.getIssuer(universityId)).status).to.equal(IssuerStatus.Withdrawn);
  });

  it("keeps its anchors and bits readable as they were", async function () {
    const { registry, universityOperator, universityId } = await networkHelpers.loadFixture(withdrawnUniversity);
    const status = await registry.credentialStatus(universityId, ROOT, 0);
    expect(status.anchored).to.equal(true);
    expect(status.suspended).to.equal(true);
    expect(status.actingKey).to.equal(universityOperator.address);
    expect(status.issuerStatus).to.equal(IssuerStatus.Withdrawn);
    expect(status.issuerStatusReason).to.equal(6n);
  });
});
