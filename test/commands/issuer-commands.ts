/**
 * The issuer commands on the in-process network: the command functions the tasks call, and the tasks
 * themselves (through Hardhat's task runner) for what they print and their exit codes. Each test registers
 * its own identity with fresh keys, as a key serves one issuer for good.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { Interface, keccak256, type ErrorFragment, toUtf8Bytes } from "ethers";
import hre from "hardhat";

import { openRegistry } from "../../scripts/cli/registry-context.js";
import { SENTENCES } from "../../scripts/cli/contract-errors.js";
import { CommandError } from "../../scripts/command-errors.js";
import { acceptControl, recoverControl, transferControl } from "../../scripts/commands/control.js";
import { changeIssuerStatus, changeOperator, registerIssuer, showIssuer } from "../../scripts/commands/issuer.js";
import { actingIssuer } from "../../scripts/commands/issuer-identity.js";
import { declareKeyCompromised } from "../../scripts/commands/key-compromise.js";
import { deployRegistry } from "../../scripts/deploy-registry.js";
import { CredentialRegistry__factory } from "../../types/ethers-contracts/index.js";
import { captureOutput, rejectionOf } from "../helpers/output.js";

const connection = await hre.network.getOrCreate();
const { ethers } = connection;
const signers = await ethers.getSigners();
const [deployer] = signers;
const { address: registry } = await deployRegistry(connection);
const as = (from: string) => openRegistry(hre, { registry, from });
const accreditor = await as(deployer.address);

let nextSigner = 1;
/** A key no issuer has used yet. */
function freshKey(): HardhatEthersSigner {
  const signer = signers[nextSigner++];
  if (!signer) throw new Error("the test network ran out of fresh accounts");
  return signer;
}

/** An address that signs nothing in the test (the network has only 20 accounts to sign with). */
const freshAddress = () => ethers.Wallet.createRandom().address;

let nextIssuer = 0;
/** A newly registered issuer with a controller and, when asked, an operator. */
async function newIssuer(options: { operator?: boolean; controllerSigns?: boolean } = {}) {
  const profileId = `did:web:issuer-${nextIssuer++}.example`;
  const controller = options.controllerSigns === false ? ({ address: freshAddress() } as HardhatEthersSigner) : freshKey();
  const { issuerId } = await registerIssuer(accreditor, profileId, controller.address);
  const operator = options.operator ? freshKey() : undefined;
  if (operator) await changeOperator(await as(controller.address), "add", operator.address);
  return { profileId, issuerId, controller, operator: operator! };
}

const blockNumber = () => ethers.provider.getBlockNumber();
const timeOf = async (block: number) => (await ethers.provider.getBlock(block))!.timestamp;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
const rootOf = (label: string) => keccak256(toUtf8Bytes(`root:${label}`));

async function anchorAs(key: HardhatEthersSigner, issuerId: string, label: string) {
  const receipt = await (await (await as(key.address)).registry.anchor(issuerId, rootOf(label), 3)).wait();
  return { root: rootOf(label), block: receipt!.blockNumber };
}

async function statusOf(issuerId: string, label: string) {
  return accreditor.registry.credentialStatus(issuerId, rootOf(label), 0);
}

describe("issuer commands", function () {
  this.timeout(60_000);

  describe("register", function () {
    it("registers a profile id with its controller, and show gives its issuerId, controller and operators", async function () {
      const controller = freshKey();
      const operator = freshKey();
      const registration = await registerIssuer(accreditor, "did:web:uni.example", controller.address);
      expect(registration).to.include({
        issuerId: keccak256(toUtf8Bytes("did:web:uni.example")),
        profileId: "did:web:uni.example",
        controller: controller.address,
        accreditor: deployer.address,
      });
      expect(registration.transactionHash).to.match(/^0x[0-9a-f]{64}$/);
      await changeOperator(await as(controller.address), "add", operator.address);

      for (const ref of ["did:web:uni.example", registration.issuerId, operator.address]) {
        const report = await showIssuer(accreditor, ref);
        expect(report, ref).to.include({ issuerId: registration.issuerId, profileId: "did:web:uni.example", controller: controller.address, proposedController: null, status: "active" });
        expect(report.operators).to.deep.equal([operator.address]);
        expect(report.compromisedKeys).to.deep.equal([]);
      }
      expect(await actingIssuer(await as(operator.address))).to.include({ issuerId: registration.issuerId, role: "operator", profileId: "did:web:uni.example" });
      expect(await actingIssuer(await as(controller.address))).to.include({ role: "controller" });
    });

    const nonCanonical: Array<[string, string, RegExp]> = [
      ["upper-case https host", "https://Uni.Example/issuer", /canonical form .*: https:\/\/uni\.example\/issuer/],
      ["trailing slash", "https://uni.example/issuer/", /canonical form .*: https:\/\/uni\.example\/issuer;/],
      ["default port", "https://uni.example:443/issuer", /canonical form .*: https:\/\/uni\.example\/issuer;/],
      ["upper-case did:web host", "did:web:Uni.Example", /host in lower case: did:web:uni\.example/],
      ["non-ASCII look-alike", "did:web:un\u0456.example", /printable ASCII/],
      ["http, not https", "http://uni.example", /must be a DID or an https:\/\/ URL/],
      ["neither DID nor URL", "uni.example", /must be a DID \(such as did:web:uni\.example\) or an https:\/\/ URL/],
      ["query", "https://uni.example/issuer?v=1", /must not have a query or fragment/],
      ["user information", "https://admin@uni.example", /must not carry user information/],
      ["malformed DID", "did:Web:uni.example", /is not a DID/],
    ];
    for (const [rule, profileId, sentence] of nonCanonical) {
      it(`refuses a profile id with ${rule} before sending anything, naming the fix`, async function () {
        const before = await blockNumber();
        const refusal = await rejectionOf(registerIssuer(accreditor, profileId, freshAddress()));
        expect((refusal as CommandError).code).to.equal("bad-profile");
        expect(refusal.message).to.match(sentence);
        expect(refusal.message).to.contain("nothing was sent");
        expect(await blockNumber()).to.equal(before);
      });
    }

    it("refuses a missing or malformed controller, and an empty profile id", async function () {
      expect(((await rejectionOf(registerIssuer(accreditor, "did:web:c.example", ""))) as CommandError).code).to.equal("missing-controller");
      expect((await rejectionOf(registerIssuer(accreditor, "did:web:c.example", "0x123"))).message).to.match(/--controller must be an address/);
      expect(((await rejectionOf(registerIssuer(accreditor, " ", freshAddress()))) as CommandError).code).to.equal("missing-profile");
    });

    it("explains the registry's refusals in a sentence with a stable code", async function () {
      const outsider = await as(freshKey().address);
      const refusal = await rejectionOf(registerIssuer(outsider, "did:web:x.example", freshAddress()));
      expect((refusal as CommandError).code).to.equal("registry-access-control-unauthorized-account");
      expect(refusal.message).to.contain("lacks the role");
      const taken = await newIssuer({ controllerSigns: false });
      const again = await rejectionOf(registerIssuer(accreditor, taken.profileId, freshAddress()));
      expect((again as CommandError).code).to.equal("registry-issuer-already-registered");
    });
  });

  describe("status", function () {
    it("suspends, reinstates and withdraws by profile id or issuerId, with a named reason", async function () {
      const issuer = await newIssuer();
      const suspended = await changeIssuerStatus(accreditor, "suspend", issuer.profileId, "under investigation");
      expect(suspended).to.include({ issuerId: issuer.issuerId, status: "suspended", reason: "under-investigation" });
      expect((await rejectionOf(actingIssuer(await as(issuer.controller.address)))).message).to.match(/is suspended, so it cannot anchor/);
      await changeIssuerStatus(accreditor, "reinstate", issuer.issuerId, "0");
      const withdrawn = await changeIssuerStatus(accreditor, "withdraw", issuer.profileId, "cessation-of-operation");
      expect(withdrawn.status).to.equal("withdrawn");
      expect(await showIssuer(accreditor, issuer.issuerId)).to.include({ status: "withdrawn", statusReason: "cessation-of-operation" });
      expect((await rejectionOf(changeIssuerStatus(accreditor, "suspend", issuer.profileId, "bogus"))).message).to.match(/unknown reason "bogus"/);
    });

    it("says an issuer is not registered and how to register one", async function () {
      const refusal = await rejectionOf(changeIssuerStatus(accreditor, "suspend", "did:web:nobody.example", "0"));
      expect((refusal as CommandError).code).to.equal("unknown-issuer");
      expect(refusal.message).to.contain("issuer register <profile id> --controller <address>");
      const misspelt = await rejectionOf(showIssuer(accreditor, "https://Nobody.Example/"));
      expect(misspelt.message).to.match(/note: that profile id is not in canonical form .*: https:\/\/nobody\.example/);
    });
  });

  describe("operators", function () {
    it("lets the controller add and remove operators, and refuses an operator doing it", async function () {
      const issuer = await newIssuer({ operator: true });
      const other = { address: freshAddress() };
      const before = await blockNumber();
      const refusal = await rejectionOf(changeOperator(await as(issuer.operator.address), "add", other.address));
      expect((refusal as CommandError).code).to.equal("not-controller");
      expect(refusal.message).to.contain(`only the controller ${issuer.controller.address} of ${issuer.profileId} can add operators`);
      expect(await blockNumber()).to.equal(before);
      await changeOperator(await as(issuer.controller.address), "add", other.address, { issuer: issuer.profileId });
      await changeOperator(await as(issuer.controller.address), "remove", issuer.operator.address);
      expect((await showIssuer(accreditor, issuer.profileId)).operators).to.deep.equal([other.address]);
      const retired = await rejectionOf(actingIssuer(await as(issuer.operator.address), { issuer: issuer.profileId }));
      expect((retired as CommandError).code).to.equal("retired-key");
    });
  });

  describe("transfer, accept, cancel, recover", function () {
    it("rotates the controller in two steps; the old key is retired and its anchors stay valid", async function () {
      const issuer = await newIssuer();
      await anchorAs(issuer.controller, issuer.issuerId, "before-rotation");
      const next = freshKey();
      const byStranger = await rejectionOf(transferControl(await as(next.address), issuer.profileId, { to: next.address }));
      expect((byStranger as CommandError).code).to.equal("not-controller");

      const proposed = await transferControl(await as(issuer.controller.address), issuer.profileId, { to: next.address });
      expect(proposed).to.include({ action: "propose", controller: next.address, previousController: issuer.controller.address });
      expect((await showIssuer(accreditor, issuer.profileId)).proposedController).to.equal(next.address);
      const wrongKey = await rejectionOf(acceptControl(accreditor, issuer.profileId));
      expect(wrongKey.message).to.contain(`control of ${issuer.profileId} was offered to ${next.address}`);

      const accepted = await acceptControl(await as(next.address), issuer.profileId);
      expect(accepted).to.include({ action: "accept", controller: next.address });
      expect(await showIssuer(accreditor, issuer.issuerId)).to.include({ controller: next.address, proposedController: null });
      expect(((await rejectionOf(actingIssuer(await as(issuer.controller.address), { issuer: issuer.profileId }))) as CommandError).code).to.equal("retired-key");
      const status = await statusOf(issuer.issuerId, "before-rotation");
      expect([status.anchored, status.revoked, status.keyCompromised]).to.deep.equal([true, false, false]);
      await anchorAs(next, issuer.issuerId, "after-rotation");
    });

    it("cancels a pending transfer, after which nothing can be accepted", async function () {
      const issuer = await newIssuer();
      const next = freshKey();
      const controller = await as(issuer.controller.address);
      expect(((await rejectionOf(transferControl(controller, issuer.profileId, { cancel: true }))) as CommandError).code).to.equal("nothing-pending");
      expect(((await rejectionOf(transferControl(controller, issuer.profileId, {}))) as CommandError).code).to.equal("missing-to");
      await transferControl(controller, issuer.profileId, { to: next.address });
      const cancelled = await transferControl(controller, issuer.profileId, { cancel: true });
      expect(cancelled).to.include({ action: "cancel", controller: null });
      const refusal = await rejectionOf(acceptControl(await as(next.address), issuer.profileId));
      expect((refusal as CommandError).code).to.equal("nothing-pending");
      expect(refusal.message).to.contain(`issuer transfer ${issuer.profileId} --to ${next.address}`);
    });

    it("lets the accreditor, and no one else, recover control to a new key", async function () {
      const issuer = await newIssuer();
      const replacement = { address: freshAddress() };
      const refusal = await rejectionOf(recoverControl(await as(issuer.controller.address), issuer.profileId, replacement.address));
      expect((refusal as CommandError).code).to.equal("registry-access-control-unauthorized-account");
      const recovered = await recoverControl(accreditor, issuer.profileId, replacement.address);
      expect(recovered).to.include({ action: "recover", controller: replacement.address, previousController: issuer.controller.address });
      expect((await showIssuer(accreditor, issuer.profileId)).controller).to.equal(replacement.address);
      expect(((await rejectionOf(recoverControl(accreditor, issuer.profileId, ""))) as CommandError).code).to.equal("missing-controller");
    });
  });

  describe("key compromised", function () {
    it("cuts off a stolen operator key from the theft's block: its later anchors read revoked, earlier ones stay valid", async function () {
      const issuer = await newIssuer({ operator: true });
      await anchorAs(issuer.operator, issuer.issuerId, "genuine");
      const theft = await anchorAs(issuer.operator, issuer.issuerId, "forged");
      const declared = await declareKeyCompromised(await as(issuer.controller.address), issuer.operator.address, String(theft.block));
      expect(declared).to.include({ issuerId: issuer.issuerId, role: "operator", since: iso(await timeOf(theft.block)), declaredBy: "controller", keptValid: 1 });
      expect(declared.cutOff.map((anchor) => anchor.root)).to.deep.equal([theft.root]);
      expect((await statusOf(issuer.issuerId, "forged")).keyCompromised).to.equal(true);
      expect((await statusOf(issuer.issuerId, "genuine")).keyCompromised).to.equal(false);
      const report = await showIssuer(accreditor, issuer.profileId);
      expect(report.compromisedKeys).to.deep.equal([{ key: issuer.operator.address, since: declared.since, declaredBy: issuer.controller.address }]);
      expect(report.operators).to.deep.equal([]);
    });

    it("takes an ISO time, and lets the accreditor declare one too", async function () {
      const issuer = await newIssuer({ operator: true });
      const theft = await anchorAs(issuer.operator, issuer.issuerId, "forged-iso");
      const declared = await declareKeyCompromised(accreditor, issuer.operator.address, iso(await timeOf(theft.block)), { issuer: issuer.profileId });
      expect(declared).to.include({ declaredBy: "accreditor", since: iso(await timeOf(theft.block)) });
      expect((await statusOf(issuer.issuerId, "forged-iso")).keyCompromised).to.equal(true);
    });

    it("refuses, before sending and with the reason, a time in the future, before the key's start, or not earlier than a declared one", async function () {
      const issuer = await newIssuer({ operator: true });
      const controller = await as(issuer.controller.address);
      const start = Number((await accreditor.registry.getKey(issuer.issuerId, issuer.operator.address)).addedAt);
      const before = await blockNumber();

      // The chain's clock, not the wall clock: other tests move the shared chain's time forward.
      const future = await rejectionOf(declareKeyCompromised(controller, issuer.operator.address, iso((await timeOf(before)) + 3600)));
      expect((future as CommandError).code).to.equal("future-time");
      expect(future.message).to.match(/is in the future/);
      const futureBlock = await rejectionOf(declareKeyCompromised(controller, issuer.operator.address, String(before + 100)));
      expect(futureBlock.message).to.match(/is not mined yet/);
      const early = await rejectionOf(declareKeyCompromised(controller, issuer.operator.address, iso(start - 60)));
      expect((early as CommandError).code).to.equal("before-key-start");
      expect(early.message).to.contain(`is before ${issuer.operator.address} became a key of ${issuer.profileId} (${iso(start)})`);
      const noZone = await rejectionOf(declareKeyCompromised(controller, issuer.operator.address, "2026-03-01 09:30"));
      expect((noZone as CommandError).code).to.equal("bad-time");
      const byOperator = await rejectionOf(declareKeyCompromised(await as(issuer.operator.address), issuer.operator.address, iso(start)));
      expect((byOperator as CommandError).code).to.equal("not-controller-or-accreditor");
      expect(await blockNumber()).to.equal(before);

      await declareKeyCompromised(controller, issuer.operator.address, iso(start));
      const again = await rejectionOf(declareKeyCompromised(controller, issuer.operator.address, iso(start)));
      expect((again as CommandError).code).to.equal("already-declared");
    });

    it("refuses a key that was never the issuer's", async function () {
      const issuer = await newIssuer({ controllerSigns: false });
      const outsider = { address: freshAddress() };
      expect(((await rejectionOf(declareKeyCompromised(accreditor, outsider.address, "1"))) as CommandError).code).to.equal("unknown-key");
      const other = await rejectionOf(declareKeyCompromised(accreditor, outsider.address, "1", { issuer: issuer.profileId }));
      expect(other.message).to.contain(`has never been a key of issuer ${issuer.profileId}`);
    });
  });

  describe("errors", function () {
    it("has a sentence for every custom error the registry can revert with", function () {
      const errors = new Interface(CredentialRegistry__factory.abi).fragments.filter((fragment) => fragment.type === "error").map((fragment) => (fragment as ErrorFragment).name);
      expect(errors.length).to.be.greaterThan(30);
      expect(errors.filter((name) => !(name in SENTENCES))).to.deep.equal([]);
    });
  });

  describe("as tasks", function () {
    it("prints what it did, or one JSON object with --json", async function () {
      const issuer = await newIssuer({ operator: true });
      const shown = await captureOutput(() => hre.tasks.getTask(["issuer", "show"]).run({ issuer: issuer.profileId, registry, from: "", json: false }));
      expect(shown.stdout).to.contain(`Issuer ${issuer.profileId}`);
      expect(shown.stdout).to.contain(`issuerId    ${issuer.issuerId}`);
      expect(shown.stdout).to.contain(`controller  ${issuer.controller.address}`);
      expect(shown.stdout).to.contain(`operators   ${issuer.operator.address}`);
      const json = await captureOutput(() => hre.tasks.getTask(["issuer", "show"]).run({ issuer: issuer.issuerId, registry, from: "", json: true }));
      expect(JSON.parse(json.stdout)).to.include({ status: "active", profileId: issuer.profileId });

      const theft = await anchorAs(issuer.operator, issuer.issuerId, "forged-task");
      const declared = await captureOutput(() =>
        hre.tasks.getTask(["issuer", "key", "compromised"]).run({ key: issuer.operator.address, since: String(theft.block), issuer: "", registry, from: issuer.controller.address, json: false }),
      );
      expect(declared.exitCode).to.equal(0);
      expect(declared.stdout).to.contain(`Declared operator key ${issuer.operator.address} of ${issuer.profileId} compromised since ${iso(await timeOf(theft.block))}`);
      expect(declared.stdout).to.contain(theft.root);
    });

    it("exits 2 on bad input and 1 on a refusal, one line, no stack trace", async function () {
      const register = (profileId: string, controller: string) =>
        captureOutput(() => hre.tasks.getTask(["issuer", "register"]).run({ profileId, controller, registry, from: "", json: false }));
      const bad = await register("https://Uni.Example/", freshAddress());
      expect(bad.exitCode).to.equal(2);
      expect(bad.stderr).to.contain("https://uni.example");
      const issuer = await newIssuer({ controllerSigns: false });
      const taken = await register(issuer.profileId, freshAddress());
      expect(taken.exitCode).to.equal(1);
      expect(taken.stderr).to.contain(`issuer ${issuer.issuerId} is already registered`);
      expect(taken.stderr).not.to.contain("    at ");
    });

    it("refuses an unknown registry address with advice", async function () {
      const output = await captureOutput(() => hre.tasks.getTask(["issuer", "show"]).run({ issuer: "did:web:uni.example", registry: freshAddress(), from: "", json: true }));
      expect(output.exitCode).to.equal(2);
      expect(JSON.parse(output.stdout).error.code).to.equal("no-registry");
    });
  });
});
