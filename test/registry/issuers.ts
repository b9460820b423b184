import { expect } from "chai";
import { network } from "hardhat";

import {
  deployRegistryWithIssuers,
  EMPLOYER_PROFILE,
  IssuerStatus,
  profileIdHash,
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
  });

  it("rejects a zero admin or accreditor", async function () {
    const { registry, admin } = await networkHelpers.loadFixture(fixture);
    const factory = await ethers.getContractFactory("CredentialRegistry");
    await expect(factory.deploy(ethers.ZeroAddress, admin.address)).to.be.revertedWithCustomError(
      registry,
      "ZeroAddress",
    );
    await expect(factory.deploy(admin.address, ethers.ZeroAddress)).to.be.revertedWithCustomError(
      registry,
      "ZeroAddress",
    );
  });

  it("fits a chain's contract size limit (EIP-170, 24,576 bytes), even as the coverage run instruments it", async function () {
    // `npm test` deploys the coverage-instrumented build — larger than the real one — and the end-to-end
    // tests deploy it on Anvil, which enforces the limit: this says so plainly before Anvil fails obscurely.
    const { registry } = await networkHelpers.loadFixture(fixture);
    const code = await ethers.provider.getCode(await registry.getAddress());
    const bytes = (code.length - 2) / 2;
    expect(bytes, `runtime code is ${bytes} bytes`).to.be.at.most(24_576);
  });

  it("reports its version and EIP-712 domain", async function () {
    const { registry } = await networkHelpers.loadFixture(fixture);
    expect(await registry.version()).to.equal("1.1.0");
    const domain = await registry.eip712Domain();
    expect(domain.name).to.equal("CredentialRegistry");
    expect(domain.version).to.equal("1");
    expect(domain.chainId).to.equal((await ethers.provider.getNetwork()).chainId);
    expect(domain.verifyingContract).to.equal(await registry.getAddress());
    expect(await registry.DOMAIN_SEPARATOR()).to.equal(
      ethers.TypedDataEncoder.hashDomain({
        name: "CredentialRegistry",
        version: "1",
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

  it("lets the admin appoint another accreditor", async function () {
    const { registry, admin, stranger } = await networkHelpers.loadFixture(fixture);
    await registry.connect(admin).grantRole(await registry.ACCREDITOR_ROLE(), stranger.address);
    await expect(registry.connect(stranger).registerIssuer(ethers.Wallet.createRandom().address, "did:web:new.example"))
      .to.emit(registry, "IssuerRegistered");
  });

  it("refuses a role renunciation that does not confirm the caller", async function () {
    const { registry, accreditor, stranger } = await networkHelpers.loadFixture(fixture);
    await expect(
      registry.connect(accreditor).renounceRole(await registry.ACCREDITOR_ROLE(), stranger.address),
    ).to.be.revertedWithCustomError(registry, "AccessControlBadConfirmation");
  });
});

describe("CredentialRegistry: issuers", function () {
  const fixture = () => deployRegistryWithIssuers(connection);

  describe("registerIssuer", function () {
    it("records an active issuer with its profile id hash and emits the profile id", async function () {
      const { registry, accreditor, stranger } = await networkHelpers.loadFixture(fixture);
      const profileId = "did:web:college.example";
      await expect(registry.connect(accreditor).registerIssuer(stranger.address, profileId))
        .to.emit(registry, "IssuerRegistered")
        .withArgs(stranger.address, profileIdHash(profileId), profileId, accreditor.address);
      const now = await networkHelpers.time.latest();
      const record = await registry.getIssuer(stranger.address);
      expect(record.status).to.equal(IssuerStatus.Active);
      expect(record.registeredAt).to.equal(now);
      expect(record.statusSince).to.equal(now);
      expect(record.profileIdHash).to.equal(profileIdHash(profileId));
      expect(await registry.issuerByProfileIdHash(profileIdHash(profileId))).to.equal(stranger.address);
    });

    it("is for accreditors only", async function () {
      const { registry, university, stranger } = await networkHelpers.loadFixture(fixture);
      await expect(registry.connect(university).registerIssuer(stranger.address, "did:web:x.example"))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(university.address, await registry.ACCREDITOR_ROLE());
    });

    it("rejects the zero address and an empty profile id", async function () {
      const { registry, accreditor, stranger } = await networkHelpers.loadFixture(fixture);
      await expect(
        registry.connect(accreditor).registerIssuer(ethers.ZeroAddress, "did:web:x.example"),
      ).to.be.revertedWithCustomError(registry, "ZeroAddress");
      await expect(registry.connect(accreditor).registerIssuer(stranger.address, "")).to.be.revertedWithCustomError(
        registry,
        "EmptyProfileId",
      );
    });

    it("rejects an address already registered, even once withdrawn", async function () {
      const { registry, accreditor, university } = await networkHelpers.loadFixture(fixture);
      await expect(registry.connect(accreditor).registerIssuer(university.address, "did:web:other.example"))
        .to.be.revertedWithCustomError(registry, "IssuerAlreadyRegistered")
        .withArgs(university.address);
      await registry.connect(accreditor).withdrawIssuer(university.address, 0);
      await expect(
        registry.connect(accreditor).registerIssuer(university.address, "did:web:other.example"),
      ).to.be.revertedWithCustomError(registry, "IssuerAlreadyRegistered");
    });

    it("rejects a profile id another issuer holds", async function () {
      const { registry, accreditor, university, stranger } = await networkHelpers.loadFixture(fixture);
      await expect(registry.connect(accreditor).registerIssuer(stranger.address, UNIVERSITY_PROFILE))
        .to.be.revertedWithCustomError(registry, "ProfileIdTaken")
        .withArgs(profileIdHash(UNIVERSITY_PROFILE), university.address);
    });

    it("rejects an operator key as an issuer", async function () {
      const { registry, accreditor, university, universityOperator } = await networkHelpers.loadFixture(fixture);
      await expect(registry.connect(accreditor).registerIssuer(universityOperator.address, "did:web:op.example"))
        .to.be.revertedWithCustomError(registry, "AccountIsOperator")
        .withArgs(universityOperator.address, university.address);
    });
  });

  describe("suspendIssuer, reinstateIssuer, withdrawIssuer", function () {
    it("moves an issuer through its lifecycle, recording and emitting each transition with its reason", async function () {
      const { registry, accreditor, employer } = await networkHelpers.loadFixture(fixture);
      await expect(registry.connect(accreditor).suspendIssuer(employer.address, 7))
        .to.emit(registry, "IssuerStatusChanged")
        .withArgs(employer.address, IssuerStatus.Active, IssuerStatus.Suspended, 7, accreditor.address);
      const suspendedAt = await networkHelpers.time.latest();
      let record = await registry.getIssuer(employer.address);
      expect(record.status).to.equal(IssuerStatus.Suspended);
      expect(record.statusReason).to.equal(7n);
      expect(record.statusSince).to.equal(suspendedAt);

      await expect(registry.connect(accreditor).reinstateIssuer(employer.address, 0))
        .to.emit(registry, "IssuerStatusChanged")
        .withArgs(employer.address, IssuerStatus.Suspended, IssuerStatus.Active, 0, accreditor.address);
      expect((await registry.getIssuer(employer.address)).status).to.equal(IssuerStatus.Active);

      await expect(registry.connect(accreditor).withdrawIssuer(employer.address, 6))
        .to.emit(registry, "IssuerStatusChanged")
        .withArgs(employer.address, IssuerStatus.Active, IssuerStatus.Withdrawn, 6, accreditor.address);
      record = await registry.getIssuer(employer.address);
      expect(record.status).to.equal(IssuerStatus.Withdrawn);
      expect(record.statusReason).to.equal(6n);
      expect(record.profileIdHash).to.equal(profileIdHash(EMPLOYER_PROFILE));
    });

    it("withdraws a suspended issuer", async function () {
      const { registry, accreditor, employer } = await networkHelpers.loadFixture(fixture);
      await registry.connect(accreditor).suspendIssuer(employer.address, 7);
      await expect(registry.connect(accreditor).withdrawIssuer(employer.address, 3))
        .to.emit(registry, "IssuerStatusChanged")
        .withArgs(employer.address, IssuerStatus.Suspended, IssuerStatus.Withdrawn, 3, accreditor.address);
    });

    it("refuses transitions that make no sense", async function () {
      const { registry, accreditor, employer } = await networkHelpers.loadFixture(fixture);
      await expect(registry.connect(accreditor).reinstateIssuer(employer.address, 0))
        .to.be.revertedWithCustomError(registry, "InvalidIssuerTransition")
        .withArgs(employer.address, IssuerStatus.Active, IssuerStatus.Active);
      await registry.connect(accreditor).suspendIssuer(employer.address, 0);
      await expect(registry.connect(accreditor).suspendIssuer(employer.address, 0))
        .to.be.revertedWithCustomError(registry, "InvalidIssuerTransition")
        .withArgs(employer.address, IssuerStatus.Suspended, IssuerStatus.Suspended);
      await registry.connect(accreditor).withdrawIssuer(employer.address, 0);
      for (const action of ["suspendIssuer", "reinstateIssuer", "withdrawIssuer"] as const) {
        await expect(registry.connect(accreditor)[action](employer.address, 0)).to.be.revertedWithCustomError(
          registry,
          "InvalidIssuerTransition",
        );
      }
    });

    it("refuses an unknown issuer", async function () {
      const { registry, accreditor, stranger } = await networkHelpers.loadFixture(fixture);
      for (const action of ["suspendIssuer", "reinstateIssuer", "withdrawIssuer"] as const) {
        await expect(registry.connect(accreditor)[action](stranger.address, 0))
          .to.be.revertedWithCustomError(registry, "UnknownIssuer")
          .withArgs(stranger.address);
      }
    });

    it("is for accreditors only", async function () {
      const { registry, admin, employer } = await networkHelpers.loadFixture(fixture);
      for (const action of ["suspendIssuer", "reinstateIssuer", "withdrawIssuer"] as const) {
        await expect(registry.connect(admin)[action](employer.address, 0)).to.be.revertedWithCustomError(
          registry,
          "AccessControlUnauthorizedAccount",
        );
      }
    });
  });
});

describe("CredentialRegistry: operators", function () {
  const fixture = () => deployRegistryWithIssuers(connection);

  it("authorises an operator for one issuer and emits it", async function () {
    const { registry, employer, stranger } = await networkHelpers.loadFixture(fixture);
    await expect(registry.connect(employer).authorizeOperator(stranger.address))
      .to.emit(registry, "OperatorAuthorized")
      .withArgs(employer.address, stranger.address);
    expect(await registry.issuerOfOperator(stranger.address)).to.equal(employer.address);
  });

  it("refuses operator management by anyone but a registered issuer", async function () {
    const { registry, universityOperator, stranger, relayer } = await networkHelpers.loadFixture(fixture);
    await expect(registry.connect(universityOperator).authorizeOperator(stranger.address))
      .to.be.revertedWithCustomError(registry, "NotIssuer")
      .withArgs(universityOperator.address);
    await expect(registry.connect(stranger).removeOperator(relayer.address))
      .to.be.revertedWithCustomError(registry, "NotIssuer")
      .withArgs(stranger.address);
  });

  it("refuses new operators for an issuer that is not active", async function () {
    const { registry, accreditor, employer, stranger } = await networkHelpers.loadFixture(fixture);
    await registry.connect(accreditor).suspendIssuer(employer.address, 0);
    await expect(registry.connect(employer).authorizeOperator(stranger.address))
      .to.be.revertedWithCustomError(registry, "IssuerNotActive")
      .withArgs(employer.address, IssuerStatus.Suspended);
  });

  it("refuses the zero address, an issuer, or another issuer's operator as operator", async function () {
    const { registry, university, universityOperator, employer } = await networkHelpers.loadFixture(fixture);
    await expect(registry.connect(employer).authorizeOperator(ethers.ZeroAddress)).to.be.revertedWithCustomError(
      registry,
      "ZeroAddress",
    );
    await expect(registry.connect(employer).authorizeOperator(university.address))
      .to.be.revertedWithCustomError(registry, "AccountIsIssuer")
      .withArgs(university.address);
    await expect(registry.connect(employer).authorizeOperator(universityOperator.address))
      .to.be.revertedWithCustomError(registry, "AccountIsOperator")
      .withArgs(universityOperator.address, university.address);
  });

  it("removes an operator, even while the issuer is suspended", async function () {
    const { registry, accreditor, university, universityOperator } = await networkHelpers.loadFixture(fixture);
    await registry.connect(accreditor).suspendIssuer(university.address, 0);
    await expect(registry.connect(university).removeOperator(universityOperator.address))
      .to.emit(registry, "OperatorRemoved")
      .withArgs(university.address, universityOperator.address);
    expect(await registry.issuerOfOperator(universityOperator.address)).to.equal(ethers.ZeroAddress);
  });

  it("lets an operator renounce, so no issuer can hold an address against its will", async function () {
    const { registry, accreditor, university, universityOperator } = await networkHelpers.loadFixture(fixture);
    await expect(registry.connect(universityOperator).renounceOperator())
      .to.emit(registry, "OperatorRemoved")
      .withArgs(university.address, universityOperator.address);
    expect(await registry.issuerOfOperator(universityOperator.address)).to.equal(ethers.ZeroAddress);
    await expect(registry.connect(accreditor).registerIssuer(universityOperator.address, "did:web:free.example")).to.emit(
      registry,
      "IssuerRegistered",
    );
  });

  it("refuses a renunciation by an account that operates for no issuer", async function () {
    const { registry, stranger, university } = await networkHelpers.loadFixture(fixture);
    for (const account of [stranger, university]) {
      await expect(registry.connect(account).renounceOperator())
        .to.be.revertedWithCustomError(registry, "NotOperator")
        .withArgs(account.address);
    }
  });

  it("lets an accreditor expel a compromised operator key", async function () {
    const { registry, accreditor, university, universityOperator } = await networkHelpers.loadFixture(fixture);
    await expect(registry.connect(accreditor).expelOperator(universityOperator.address))
      .to.emit(registry, "OperatorRemoved")
      .withArgs(university.address, universityOperator.address);
    await expect(registry.connect(accreditor).expelOperator(universityOperator.address))
      .to.be.revertedWithCustomError(registry, "NotOperator")
      .withArgs(universityOperator.address);
  });

  it("keeps expulsion for accreditors", async function () {
    const { registry, university, universityOperator } = await networkHelpers.loadFixture(fixture);
    await expect(registry.connect(university).expelOperator(universityOperator.address))
      .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
      .withArgs(university.address, await registry.ACCREDITOR_ROLE());
  });

  it("refuses to remove an operator of another issuer", async function () {
    const { registry, universityOperator, employer } = await networkHelpers.loadFixture(fixture);
    await expect(registry.connect(employer).removeOperator(universityOperator.address))
      .to.be.revertedWithCustomError(registry, "NotOperatorOf")
      .withArgs(universityOperator.address, employer.address);
  });
});
