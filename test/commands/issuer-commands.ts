/**
 * The issuer commands on the in-process network: the command functions the tasks call, and the tasks
 * themselves (through Hardhat's task runner) for what they print and their exit codes.
 */
import { expect } from "chai";
import hre from "hardhat";

import { openRegistry } from "../../scripts/cli/registry-context.js";
import { CommandError } from "../../scripts/command-errors.js";
import { actingIssuer, changeIssuerStatus, changeOperator, registerIssuer, showIssuer } from "../../scripts/commands/issuer.js";
import { deployRegistry } from "../../scripts/deploy-registry.js";
import { captureOutput, rejectionOf } from "../helpers/output.js";

const connection = await hre.network.getOrCreate();
const { ethers } = connection;
const [deployer, university, operator, stranger] = await ethers.getSigners();
const { address: registry } = await deployRegistry(connection);
const as = (from: string) => openRegistry(hre, { registry, from });

describe("issuer commands", function () {
  it("register, then show the issuer with its profile id, status and operators", async function () {
    const accreditor = await as(deployer.address);
    const registration = await registerIssuer(accreditor, university.address, "did:web:uni.example");
    expect(registration).to.include({ issuer: university.address, profileId: "did:web:uni.example", accreditor: deployer.address });
    expect(registration.transactionHash).to.match(/^0x[0-9a-f]{64}$/);

    await changeOperator(await as(university.address), "add", operator.address);
    const report = await showIssuer(accreditor, university.address);
    expect(report).to.include({ registered: true, profileId: "did:web:uni.example", status: "active", statusReason: "unspecified" });
    expect(report.operators).to.deep.equal([operator.address]);
    expect((await actingIssuer(await as(operator.address))).issuer).to.equal(university.address);
  });

  it("suspends, reinstates and withdraws with a named reason", async function () {
    const accreditor = await as(deployer.address);
    await registerIssuer(accreditor, stranger.address, "did:web:short-lived.example");
    const suspended = await changeIssuerStatus(accreditor, "suspend", stranger.address, "under investigation");
    expect(suspended).to.include({ status: "suspended", reason: "under-investigation" });
    const refusal = await rejectionOf(actingIssuer(await as(stranger.address)));
    expect(refusal).to.be.instanceOf(CommandError);
    expect(refusal.message).to.match(/is suspended, so it cannot anchor/);
    await changeIssuerStatus(accreditor, "reinstate", stranger.address, "0");
    const withdrawn = await changeIssuerStatus(accreditor, "withdraw", stranger.address, "cessation-of-operation");
    expect(withdrawn.status).to.equal("withdrawn");
    expect((await showIssuer(accreditor, stranger.address)).statusReason).to.equal("cessation-of-operation");
  });

  it("explains refusals in a sentence with a stable code", async function () {
    const outsider = await as(stranger.address);
    const refusal = await rejectionOf(registerIssuer(outsider, operator.address, "did:web:x.example"));
    expect(refusal).to.be.instanceOf(CommandError);
    expect((refusal as CommandError).code).to.equal("registry-access-control-unauthorized-account");
    expect((refusal as CommandError).message).to.contain("lacks the role");
    expect((await rejectionOf(changeIssuerStatus(outsider, "suspend", university.address, "bogus"))).message).to.match(/unknown reason "bogus"/);
    expect((await rejectionOf(registerIssuer(outsider, "0x123", "did:web:x.example"))).message).to.match(/must be an address/);
  });

  it("refuses a profile id that is not an absolute URI, which would make every badge of the issuer malformed", async function () {
    const accreditor = await as(deployer.address);
    for (const profile of ["uni.example", "uni example"]) {
      const refusal = await rejectionOf(registerIssuer(accreditor, stranger.address, profile));
      expect((refusal as CommandError).code, profile).to.equal("bad-profile");
      expect(refusal.message).to.contain("must be an absolute URI");
    }
  });

  describe("as tasks", function () {
    it("prints what it did, or one JSON object with --json", async function () {
      const shown = await captureOutput(() =>
        hre.tasks.getTask(["issuer", "show"]).run({ address: university.address, registry, from: "", json: false }),
      );
      expect(shown.stdout).to.contain("profile id   did:web:uni.example");
      const json = await captureOutput(() =>
        hre.tasks.getTask(["issuer", "show"]).run({ address: university.address, registry, from: "", json: true }),
      );
      expect(JSON.parse(json.stdout).status).to.equal("active");
    });

    it("sets a non-zero exit code and prints no stack trace on a refusal", async function () {
      const output = await captureOutput(() =>
        hre.tasks.getTask(["issuer", "register"]).run({ address: university.address, profile: "did:web:again.example", registry, from: "", json: false }),
      );
      expect(output.exitCode).to.equal(1);
      expect(output.stderr).to.contain(`${university.address} is already a registered issuer`);
      expect(output.stderr).not.to.contain("    at ");
    });

    it("refuses an unknown registry address with advice", async function () {
      const output = await captureOutput(() =>
        hre.tasks.getTask(["issuer", "show"]).run({ address: university.address, registry: stranger.address, from: "", json: true }),
      );
      expect(output.exitCode).to.equal(2);
      expect(JSON.parse(output.stdout).error.code).to.equal("no-registry");
    });
  });
});
