/**
 * The auditor's core on a real 2.x history (test/helpers/audit-history.ts), built on the in-process chain
 * with the registry's own functions: the state rebuilt from events alone — identities with their
 * controller history, operator histories, compromise declarations and the anchors each cut off — must
 * equal what the batch views say, break no rule, and sum up right; its timeline must hold every event.
 * Rules the contract itself enforces are tested by feeding the rebuild crafted events, as a forged or
 * buggy log would read; a tampered view must be caught.
 */
import { expect } from "chai";
import { network } from "hardhat";

import {
  crossCheck,
  describeIdentities,
  rebuildState,
  summariseIssuers,
  summariseMonths,
  timelineEntries,
  type RegistryEvent,
  type RegistryEventBody,
  type RegistryViews,
} from "../../lib/audit/audit.js";
import { readRegistryEvents, registryViews } from "../../scripts/audit/registry-events.js";
import { buildAuditHistory } from "../helpers/audit-history.js";
import { rootOf } from "../helpers/registry.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

const history = () => buildAuditHistory(connection);

async function rebuilt() {
  const fixture = await networkHelpers.loadFixture(history);
  const events = await readRegistryEvents(fixture.registry, ethers.provider);
  return { ...fixture, events, state: rebuildState(events) };
}

/** The real history with crafted events after it, each in a transaction and block of its own, or all in one. */
function withForged(events: RegistryEvent[], forged: RegistryEventBody[], options: { oneTransaction?: boolean } = {}): RegistryEvent[] {
  const last = events.at(-1)!;
  const place = (offset: number) =>
    options.oneTransaction
      ? { blockNumber: last.blockNumber + 1, logIndex: offset, transactionHash: `0x${"ee".repeat(32)}`, timestamp: last.timestamp + 1 }
      : { blockNumber: last.blockNumber + 1 + offset, logIndex: 0, transactionHash: `0x${"ee".repeat(31)}${(offset + 1).toString(16).padStart(2, "0")}`, timestamp: last.timestamp + 1 + offset };
  return [...events, ...forged.map((body, offset) => ({ ...place(offset), ...body }) as RegistryEvent)];
}

const rulesOf = (events: RegistryEvent[]) => rebuildState(events).findings.map((finding) => finding.rule);

describe("lib/audit: rebuilding the registry (2.x) from its events", function () {
  it("rebuilds identities, keys, anchors, revocations and keyed nonces, breaking no rule", async function () {
    const { state, university, universityOperator, universityId, employerId, hotOperator, newUniversityController } = await rebuilt();
    expect(state.findings).to.deep.equal([]);
    const uni = state.issuers[state.issuerIndex.get(universityId.toLowerCase())!];
    expect(uni.profileId).to.equal("did:web:uni.example");
    expect(uni.statusHistory.map((period) => period.status)).to.deep.equal(["active", "suspended", "active"]);
    expect(uni.controller).to.equal(newUniversityController.address);
    expect(uni.operators.size).to.equal(0);
    expect(uni.operatorHistory.map((span) => [span.operator, span.added.by, span.removed?.how, span.removed?.by])).to.deep.equal([
      [universityOperator.address, university.address, "removed", university.address],
      [hotOperator.address, university.address, "compromised", university.address],
    ]);
    expect(state.issuers[state.issuerIndex.get(employerId.toLowerCase())!].status).to.equal("withdrawn");

    const { anchors } = state;
    const cohort = uni.roots.get(rootOf("cohort-a"))!;
    expect(state.addressNames[anchors.actingKey.get(cohort)]).to.equal(universityOperator.address);
    expect(anchors.role.get(cohort)).to.equal(2); // an operator when it anchored
    expect(anchors.count.get(cohort)).to.equal(600);
    expect(state.revokedWords.get(cohort)!.get(0)).to.equal(0b1011n);
    expect(state.suspendedWords.get(cohort)!.get(2)).to.equal(0b10n);
    const relayed = uni.roots.get(rootOf("relayed"))!;
    expect(state.addressNames[anchors.actingKey.get(relayed)]).to.equal(university.address);
    expect(anchors.role.get(relayed)).to.equal(1); // the controller
    expect(state.nonces.get(`${university.address.toLowerCase()}:7`)).to.equal(1n);
  });

  it("gives each identity its controller history, saying how each change happened, and the proposals", async function () {
    const { state, accreditor, university, employer, newUniversityController, newEmployerController } = await rebuilt();
    const [uni, meridian] = describeIdentities(state);
    expect(uni.controllerHistory.map((change) => [change.previous, change.controller, change.how, change.actor])).to.deep.equal([
      [null, university.address, "registered", accreditor.address],
      [university.address, newUniversityController.address, "accepted-transfer", newUniversityController.address],
    ]);
    expect(uni.proposals.map((proposal) => proposal.proposed)).to.deep.equal([newUniversityController.address, null, newUniversityController.address]);
    expect(meridian.controllerHistory.map((change) => [change.previous, change.controller, change.how])).to.deep.equal([
      [null, employer.address, "registered"],
      [employer.address, null, "cleared-by-compromise"],
      [null, newEmployerController.address, "recovered-by-accreditor"],
    ]);
  });

  it("says which anchors each compromise declaration cut off, and which of the key's anchors stay valid", async function () {
    const { state, university, hotOperator, employer, accreditor, forgedAt } = await rebuilt();
    const [uni, meridian] = describeIdentities(state);
    expect(uni.compromises).to.have.length(1);
    const [theft] = uni.compromises;
    expect(theft).to.include({ key: hotOperator.address, since: forgedAt, actor: university.address, actorRole: "controller", keyRole: "operator", anchorsKept: 1, credentialsCutOff: 1 });
    expect(theft.anchorsCutOff.map((anchor) => anchor.root)).to.deep.equal([rootOf("forged")]);
    const [stolenController] = meridian.compromises;
    expect(stolenController).to.include({ key: employer.address, actor: accreditor.address, actorRole: "accreditor", keyRole: "controller" });
    expect(stolenController.anchorsCutOff.map((anchor) => anchor.root)).to.deep.equal([rootOf("security-1")]);
    const summary = summariseIssuers(state).find((issuer) => issuer.profileId === "did:web:uni.example")!;
    expect(summary.cutOff).to.equal(1);
  });

  it("has every event in its timeline, in chain order — the operator additions too (1.x left them out)", async function () {
    const { registry, state, events } = await rebuilt();
    const logs = (await ethers.provider.send("eth_getLogs", [{ address: await registry.getAddress(), fromBlock: "0x0", toBlock: "latest" }])) as unknown[];
    const entries = [...timelineEntries(state)];
    expect(entries).to.have.length(events.length);
    // Every registry log but the two that carry no registry state (EIP-712 domain, role admin) is an event.
    expect(events.length).to.be.at.least(logs.length - 2);
    const kinds = new Set(entries.map((entry) => entry.what));
    for (const what of ["issuer registered", "operator added", "operator removed", "operator removed (compromised)", "key declared compromised", "control transfer proposed", "control transfer cancelled", "controller changed", "nonce used", "batch anchored", "credentials revoked", "credentials suspended", "suspension lifted", "batch revoked", "issuer suspended", "issuer withdrawn", "accreditor granted"]) {
      expect(kinds, what).to.include(what);
    }
    const places = entries.map((entry) => entry.blockNumber * 10_000 + entry.logIndex);
    expect(places).to.deep.equal([...places].sort((a, b) => a - b));
  });

  it("agrees with every batch view of the contract, all anchors or a sample", async function () {
    const { registry, state } = await rebuilt();
    expect(await crossCheck(state, registryViews(registry))).to.deep.equal([]);
    expect(await crossCheck(state, registryViews(registry), { sample: 2, anchorsPerCall: 1, wordsPerCall: 1 })).to.deep.equal([]);
  });

  it("catches views that disagree with the events, a revocation undone among them", async function () {
    const { registry, state } = await rebuilt();
    const honest = registryViews(registry);
    const tampered: RegistryViews = {
      ...honest,
      getAnchors: async (ids, roots) => (await honest.getAnchors(ids, roots)).map((anchor, position) => (roots[position] === rootOf("relayed") ? { ...anchor, count: 1 } : anchor)),
      bitmapWords: async (ids, roots, words) => {
        const answer = await honest.bitmapWords(ids, roots, words);
        return { ...answer, revoked: answer.revoked.map((bits, position) => (roots[position] === rootOf("cohort-a") ? bits & ~1n : bits)) };
      },
      getKeys: async (ids, keys) => (await honest.getKeys(ids, keys)).map((key) => ({ ...key, compromisedSince: 0 })),
    };
    const findings = await crossCheck(state, tampered);
    expect(findings.some((finding) => finding.subject === rootOf("relayed") && finding.detail.startsWith("anchor count"))).to.equal(true);
    expect(findings.some((finding) => finding.rule === "no-revocation-undone" && finding.subject === rootOf("cohort-a"))).to.equal(true);
    expect(findings.some((finding) => finding.detail.startsWith("compromised since"))).to.equal(true);
  });

  it("sums up per issuer and per month", async function () {
    const { state } = await rebuilt();
    const [uni, meridian] = summariseIssuers(state);
    // cohort-a 600, genuine 20, relayed 10, forged 1 (cut off), after-rotation 5.
    expect(uni).to.include({ anchors: 5, credentials: 636, revoked: 4, cutOff: 1, suspended: 1, status: "active" });
    expect(uni.revokedPercent).to.equal(0.63);
    expect(meridian).to.include({ anchors: 1, credentials: 3, revoked: 3, revokedPercent: 100, status: "withdrawn" });
    const months = summariseMonths(state);
    expect(months.reduce((sum, month) => sum + month.anchors, 0)).to.equal(6);
    expect(months.reduce((sum, month) => sum + month.credentials, 0)).to.equal(639);
    expect(months.reduce((sum, month) => sum + month.revoked, 0)).to.equal(6);
    expect(months.length).to.be.at.least(2);
  });
});

describe("lib/audit: every rule of issue 13, broken by crafted events", function () {
  it("anchors only by the controller or an operator of that issuer at that time, while active", async function () {
    const { events, universityId, stranger, universityOperator, employer, newUniversityController } = await rebuilt();
    expect(rulesOf(withForged(events, [{ kind: "Anchored", issuerId: universityId, root: rootOf("x1"), actingKey: stranger.address, count: 1 }]))).to.deep.equal(["anchor-by-key"]);
    // A removed operator, and another issuer's key.
    expect(rulesOf(withForged(events, [{ kind: "Anchored", issuerId: universityId, root: rootOf("x2"), actingKey: universityOperator.address, count: 1 }]))).to.deep.equal(["anchor-by-key"]);
    expect(rulesOf(withForged(events, [{ kind: "Anchored", issuerId: universityId, root: rootOf("x3"), actingKey: employer.address, count: 1 }]))).to.include("anchor-by-key");
    expect(
      rulesOf(
        withForged(events, [
          { kind: "IssuerStatusChanged", issuerId: universityId, previousStatus: 1, newStatus: 2, reason: 7, accreditor: (await ethers.getSigners())[1].address },
          { kind: "Anchored", issuerId: universityId, root: rootOf("x4"), actingKey: newUniversityController.address, count: 1 },
        ]),
      ),
    ).to.deep.equal(["anchor-by-active-issuer"]);
  });

  it("revoke and revokeBatch only by the controller", async function () {
    const { events, universityId, university } = await rebuilt();
    // The former controller, after the rotation.
    expect(rulesOf(withForged(events, [{ kind: "CredentialsRevoked", issuerId: universityId, root: rootOf("cohort-a"), wordIndex: 1n, mask: 1n, reason: 0, actor: university.address }]))).to.deep.equal(["revoke-by-controller"]);
    expect(rulesOf(withForged(events, [{ kind: "BatchRevoked", issuerId: universityId, root: rootOf("relayed"), reason: 0, actor: university.address }]))).to.deep.equal(["revoke-by-controller"]);
  });

  it("suspend and unsuspend by the controller or the operator that anchored the batch", async function () {
    const { events, universityId, university, newUniversityController, stranger } = await rebuilt();
    const forged = withForged(events, [
      { kind: "OperatorAdded", issuerId: universityId, operator: stranger.address, actor: newUniversityController.address },
      { kind: "CredentialsSuspended", issuerId: universityId, root: rootOf("cohort-a"), wordIndex: 1n, mask: 1n, reason: 7, actor: stranger.address },
    ]);
    expect(rulesOf(forged)).to.deep.equal(["suspend-by-controller-or-anchoring-operator"]);
    expect(rulesOf(withForged(events, [{ kind: "CredentialsUnsuspended", issuerId: universityId, root: rootOf("cohort-a"), wordIndex: 2n, mask: 0b10n, reason: 0, actor: university.address }]))).to.deep.equal([
      "suspend-by-controller-or-anchoring-operator",
    ]);
    const byController = withForged(events, [{ kind: "CredentialsSuspended", issuerId: universityId, root: rootOf("cohort-a"), wordIndex: 1n, mask: 1n, reason: 7, actor: newUniversityController.address }]);
    expect(rulesOf(byController)).to.deep.equal([]);
  });

  it("nothing of a withdrawn issuer changes except by the accreditor", async function () {
    const { events, employerId, newEmployerController, accreditor, stranger } = await rebuilt();
    expect(rulesOf(withForged(events, [{ kind: "CredentialsSuspended", issuerId: employerId, root: rootOf("security-1"), wordIndex: 0n, mask: 1n, reason: 7, actor: newEmployerController.address }]))).to.deep.equal([
      "withdrawn-frozen",
    ]);
    expect(rulesOf(withForged(events, [{ kind: "OperatorAdded", issuerId: employerId, operator: stranger.address, actor: newEmployerController.address }]))).to.deep.equal(["withdrawn-frozen"]);
    // The accreditor may still declare a key compromised after the withdrawal.
    const start = rebuildState(events).keys.get(`1:${newEmployerController.address.toLowerCase()}`)!.addedAt;
    expect(
      rulesOf(
        withForged(events, [
          { kind: "KeyCompromised", issuerId: employerId, key: newEmployerController.address, since: start, actor: accreditor.address },
          { kind: "ControllerChanged", issuerId: employerId, previousController: newEmployerController.address, newController: ethers.ZeroAddress, actor: accreditor.address },
        ], { oneTransaction: true }),
      ),
    ).to.deep.equal([]);
  });

  it("a key serves one issuer", async function () {
    const { events, universityId, newUniversityController, employer } = await rebuilt();
    expect(rulesOf(withForged(events, [{ kind: "OperatorAdded", issuerId: universityId, operator: employer.address, actor: newUniversityController.address }]))).to.deep.equal(["key-one-issuer"]);
  });

  it("compromise since-times lie within the key's life and only ever move earlier", async function () {
    const { events, universityId, newUniversityController, hotOperator, forgedAt } = await rebuilt();
    const declare = (since: number, key = hotOperator.address): RegistryEventBody => ({ kind: "KeyCompromised", issuerId: universityId, key, since, actor: newUniversityController.address });
    expect(rulesOf(withForged(events, [declare(forgedAt + 5)]))).to.deep.equal(["compromise-only-earlier"]);
    expect(rulesOf(withForged(events, [declare(forgedAt - 1)]))).to.deep.equal([]);
    expect(rulesOf(withForged(events, [declare(1)]))).to.deep.equal(["compromise-within-key-life"]);
    expect(rulesOf(withForged(events, [declare(events.at(-1)!.timestamp + 10_000, newUniversityController.address)]))).to.include("compromise-within-key-life");
  });

  it("a change of controller is an accepted transfer, a recovery by the accreditor or a compromise declaration", async function () {
    const { events, universityId, newUniversityController, stranger } = await rebuilt();
    expect(rulesOf(withForged(events, [{ kind: "ControllerChanged", issuerId: universityId, previousController: newUniversityController.address, newController: stranger.address, actor: stranger.address }]))).to.deep.equal([
      "controller-change-explained",
    ]);
    // Cleared without a compromise declaration of that key just before it, in the same transaction.
    const cleared: RegistryEventBody = { kind: "ControllerChanged", issuerId: universityId, previousController: newUniversityController.address, newController: ethers.ZeroAddress, actor: newUniversityController.address };
    expect(rulesOf(withForged(events, [cleared]))).to.deep.equal(["controller-change-explained"]);
    const start = rebuildState(events).keys.get(`0:${newUniversityController.address.toLowerCase()}`)!.addedAt;
    const declared: RegistryEventBody = { kind: "KeyCompromised", issuerId: universityId, key: newUniversityController.address, since: start, actor: newUniversityController.address };
    expect(rulesOf(withForged(events, [declared, cleared]))).to.deep.equal(["controller-change-explained"]);
    expect(rulesOf(withForged(events, [declared, cleared], { oneTransaction: true }))).to.deep.equal([]);
  });

  it("indices within the batch, no revocation undone or repeated, keyed nonces in order per (signer, key)", async function () {
    const { events, universityId, newUniversityController, university } = await rebuilt();
    const revoke = (root: string, wordIndex: bigint, mask: bigint): RegistryEventBody => ({ kind: "CredentialsRevoked", issuerId: universityId, root, wordIndex, mask, reason: 0, actor: newUniversityController.address });
    expect(rulesOf(withForged(events, [revoke(rootOf("relayed"), 0n, 1n << 10n)]))).to.deep.equal(["index-in-batch"]);
    expect(rulesOf(withForged(events, [revoke(rootOf("cohort-a"), 0n, 0b1n)]))).to.deep.equal(["change-is-new"]);
    // Key 7 of the university's signer was used once: sequence 1 is next; another key starts at 0.
    const nonce = (key: bigint, sequence: bigint): RegistryEventBody => ({ kind: "NonceUsed", signer: university.address, keyNonce: (key << 64n) | sequence });
    expect(rulesOf(withForged(events, [nonce(7n, 2n)]))).to.deep.equal(["nonces-in-order"]);
    expect(rulesOf(withForged(events, [nonce(7n, 1n), nonce(9n, 0n)]))).to.deep.equal([]);
  });
});
