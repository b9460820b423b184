/**
 * Governance as the README recommends it: ACCREDITOR_ROLE held by an OpenZeppelin TimelockController whose
 * proposer and canceller is a Safe (here one account stands for it), so every accreditor decision is public
 * for the timelock's delay before it takes effect, and can be cancelled meanwhile; the admin (another Safe)
 * can take the role back.
 */
import { expect } from "chai";
import { network } from "hardhat";

import { deployRegistryWithIssuers, issuerIdOf, IssuerStatus } from "../helpers/registry.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

const DELAY_SECONDS = 2 * 24 * 3600;
const PROFILE = "did:web:college.example";

async function registryBehindTimelock() {
  const context = await deployRegistryWithIssuers(connection);
  const { registry, admin, accreditor } = context;
  const [accreditorSafe, executor, college] = (await ethers.getSigners()).slice(12, 15);
  // No timelock admin: its own roles change only through its own delay.
  const timelock = await ethers.deployContract("GovernanceTimelock", [
    DELAY_SECONDS,
    [accreditorSafe.address],
    [executor.address],
    ethers.ZeroAddress,
  ]);
  const timelockAddress = await timelock.getAddress();
  const role = await registry.ACCREDITOR_ROLE();
  await registry.connect(admin).grantRole(role, timelockAddress);
  await registry.connect(admin).revokeRole(role, accreditor.address);
  const call = registry.interface.encodeFunctionData("registerIssuer", [PROFILE, college.address]);
  const operation = {
    target: await registry.getAddress(),
    value: 0n,
    data: call,
    predecessor: ethers.ZeroHash,
    salt: ethers.id("register college"),
  };
  const operationId = await timelock.hashOperation(
    operation.target,
    operation.value,
    operation.data,
    operation.predecessor,
    operation.salt,
  );
  return { ...context, timelock, timelockAddress, accreditorSafe, executor, college, operation, operationId };
}

describe("CredentialRegistry: governance by a TimelockController as accreditor", function () {
  it("registers an issuer through schedule, the delay, and execute", async function () {
    const { registry, timelock, timelockAddress, accreditorSafe, executor, college, operation, operationId } =
      await networkHelpers.loadFixture(registryBehindTimelock);
    const { target, value, data, predecessor, salt } = operation;
    await expect(timelock.connect(accreditorSafe).schedule(target, value, data, predecessor, salt, DELAY_SECONDS))
      .to.emit(timelock, "CallScheduled")
      .withArgs(operationId, 0, target, value, data, predecessor, DELAY_SECONDS);
    expect(await timelock.isOperationPending(operationId)).to.equal(true);

    await networkHelpers.time.increase(DELAY_SECONDS);
    await expect(timelock.connect(executor).execute(target, value, data, predecessor, salt))
      .to.emit(registry, "IssuerRegistered")
      .withArgs(issuerIdOf(PROFILE), PROFILE, college.address, timelockAddress);
    expect(await timelock.isOperationDone(operationId)).to.equal(true);
    expect((await registry.getIssuer(issuerIdOf(PROFILE))).status).to.equal(IssuerStatus.Active);
  });

  it("refuses execution before the delay has passed", async function () {
    const { registry, timelock, accreditorSafe, executor, operation, operationId } =
      await networkHelpers.loadFixture(registryBehindTimelock);
    const { target, value, data, predecessor, salt } = operation;
    await timelock.connect(accreditorSafe).schedule(target, value, data, predecessor, salt, DELAY_SECONDS);
    await networkHelpers.time.increase(DELAY_SECONDS - 10);
    await expect(timelock.connect(executor).execute(target, value, data, predecessor, salt))
      .to.be.revertedWithCustomError(timelock, "TimelockUnexpectedOperationState")
      .withArgs(operationId, ethers.toBeHex(1n << 2n, 32)); // expected state: Ready
    expect((await registry.getIssuer(issuerIdOf(PROFILE))).status).to.equal(IssuerStatus.None);
  });

  it("refuses a delay shorter than the timelock's minimum", async function () {
    const { timelock, accreditorSafe, operation } = await networkHelpers.loadFixture(registryBehindTimelock);
    const { target, value, data, predecessor, salt } = operation;
    await expect(timelock.connect(accreditorSafe).schedule(target, value, data, predecessor, salt, 60))
      .to.be.revertedWithCustomError(timelock, "TimelockInsufficientDelay")
      .withArgs(60, DELAY_SECONDS);
  });

  it("lets the canceller cancel a scheduled decision, which then never executes", async function () {
    const { registry, timelock, accreditorSafe, executor, operation, operationId } =
      await networkHelpers.loadFixture(registryBehindTimelock);
    const { target, value, data, predecessor, salt } = operation;
    await timelock.connect(accreditorSafe).schedule(target, value, data, predecessor, salt, DELAY_SECONDS);
    await expect(timelock.connect(accreditorSafe).cancel(operationId)).to.emit(timelock, "Cancelled").withArgs(operationId);
    await networkHelpers.time.increase(DELAY_SECONDS);
    await expect(timelock.connect(executor).execute(target, value, data, predecessor, salt)).to.be.revertedWithCustomError(
      timelock,
      "TimelockUnexpectedOperationState",
    );
    expect((await registry.getIssuer(issuerIdOf(PROFILE))).status).to.equal(IssuerStatus.None);
  });

  it("leaves no shortcut: the Safe, the executor and the former accreditor cannot act on the registry directly", async function () {
    const { registry, accreditor, timelock, accreditorSafe, executor, college, operationId } =
      await networkHelpers.loadFixture(registryBehindTimelock);
    const role = await registry.ACCREDITOR_ROLE();
    for (const account of [accreditorSafe, executor, accreditor]) {
      await expect(registry.connect(account).registerIssuer(PROFILE, college.address))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(account.address, role);
    }
    const proposer = await timelock.PROPOSER_ROLE();
    await expect(timelock.connect(executor).cancel(operationId))
      .to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount")
      .withArgs(executor.address, await timelock.CANCELLER_ROLE());
    expect(await timelock.hasRole(proposer, accreditorSafe.address)).to.equal(true);
  });

  it("lets the admin take ACCREDITOR_ROLE back from the timelock", async function () {
    const { registry, admin, timelock, timelockAddress, accreditorSafe, executor, operation } =
      await networkHelpers.loadFixture(registryBehindTimelock);
    const { target, value, data, predecessor, salt } = operation;
    await timelock.connect(accreditorSafe).schedule(target, value, data, predecessor, salt, DELAY_SECONDS);
    await registry.connect(admin).revokeRole(await registry.ACCREDITOR_ROLE(), timelockAddress);
    await networkHelpers.time.increase(DELAY_SECONDS);
    await expect(timelock.connect(executor).execute(target, value, data, predecessor, salt)).to.be.revertedWithCustomError(
      registry,
      "AccessControlUnauthorizedAccount",
    );
  });
});
