/**
 * The auditor's core on a real history, built on the in-process chain with the registry's own
 * functions: issuers suspended and reinstated, operators added and removed, batches revoked in part
 * and whole, a relayed signature. The state rebuilt from events alone must equal what the views say,
 * break no rule, and sum up right; forged events and a tampered view must be caught.
 */
import { expect } from "chai";
import { keccak256, toUtf8Bytes } from "ethers";
import { network } from "hardhat";

import { crossCheck, currentStatus, rebuildState, summariseIssuers, summariseMonths, type RegistryEvent, type RegistryViews } from "../../lib/audit/audit.js";
import { batchedRegistryViews, ethersRegistryViews, readRegistryEvents } from "../../scripts/audit/registry-events.js";
import { buildAuditHistory } from "../helpers/audit-history.js";
import { rootOf } from "../helpers/registry.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const profileIdHash = (profileId: string) => keccak256(toUtf8Bytes(profileId));

const history = () => buildAuditHistory(connection);

describe("lib/audit/audit: rebuilding the registry from its events", function () {
  it("rebuilds issuers, operators, anchors, revocations and nonces, breaking no rule", async function () {
    const { registry, university, universityOperator, employer } = await networkHelpers.loadFixture(history);
    const state = rebuildState(await readRegistryEvents(registry, ethers.provider));
    expect(state.findings).to.deep.equal([]);

    const uni = state.issuers.get(university.address.toLowerCase())!;
    expect(uni.profileId).to.equal("did:web:uni.example");
    expect(uni.timeline.map((period) => period.status)).to.deep.equal(["active", "suspended", "active"]);
    expect(uni.operators.size).to.equal(0);
    expect(uni.operatorHistory[0].operator).to.equal(universityOperator.address);
    expect(uni.operatorHistory[0].removedAt).to.be.a("number");
    expect(currentStatus(state.issuers.get(employer.address.toLowerCase())!)).to.equal("withdrawn");

    const cohort = state.anchors.get(rootOf("cohort-a"))!;
    expect(cohort).to.include({ issuer: university.address, actor: universityOperator.address, count: 600 });
    expect(cohort.revokedWords.get(0n)).to.equal(0b1011n);
    expect(cohort.suspendedWords.get(2n)).to.equal(0b10n);
    expect(cohort.changes.map((change) => change.kind)).to.deep.equal(["revoke", "suspend", "unsuspend"]);
    expect(cohort.changes[0].indices).to.deep.equal([0, 1, 3]);
    expect(cohort.changes[0].reason).to.equal("issued-in-error");
    expect(state.anchors.get(rootOf("security-1"))!.batchRevoked).to.equal(true);
    expect(state.anchors.get(rootOf("relayed"))!.actor).to.equal(university.address);
    expect(state.nonces.get(university.address.toLowerCase())).to.equal(1n);
  });

  it("agrees with every view of the contract", async function () {
    const { registry } = await networkHelpers.loadFixture(history);
    const state = rebuildState(await readRegistryEvents(registry, ethers.provider));
    expect(await crossCheck(state, ethersRegistryViews(registry), { profileIdHash })).to.deep.equal([]);
    expect(await crossCheck(state, ethersRegistryViews(registry), { profileIdHash, sample: 1 })).to.deep.equal([]);
    expect(await crossCheck(state, batchedRegistryViews(registry, { maxBatch: 3 }), { profileIdHash })).to.deep.equal([]);
  });

  it("cross-checks a registry from before the batch views (1.0.0) through multicall alone", async function () {
    const { registry } = await networkHelpers.loadFixture(history);
    const state = rebuildState(await readRegistryEvents(registry, ethers.provider));
    const batchSelectors = (["getAnchors", "bitmapWords"] as const).map((name) => registry.interface.getFunction(name)!.selector);
    const asked: string[] = [];
    // A node in front of an older registry: the batch views' selectors revert, as an unknown function does.
    const olderNode = {
      send: async (method: string, params: Array<{ data?: string }>) => {
        const selector = params[0]?.data?.slice(0, 10) ?? "";
        asked.push(selector);
        if (method === "eth_call" && batchSelectors.includes(selector)) throw Object.assign(new Error("execution reverted"), { code: "CALL_EXCEPTION" });
        return ethers.provider.send(method, params);
      },
    };
    const older = registry.connect({ provider: olderNode } as never) as typeof registry;
    expect(await crossCheck(state, batchedRegistryViews(older, { maxBatch: 3 }), { profileIdHash })).to.deep.equal([]);
    expect(asked.filter((selector) => batchSelectors.includes(selector))).to.have.length(1); // asked once, then multicall
    expect(asked).to.include(registry.interface.getFunction("multicall")!.selector);
  });

  it("catches a view answer that disagrees with the events", async function () {
    const { registry } = await networkHelpers.loadFixture(history);
    const state = rebuildState(await readRegistryEvents(registry, ethers.provider));
    const honest = ethersRegistryViews(registry);
    const tampered: RegistryViews = {
      ...honest,
      getAnchor: async (root) => ({ ...(await honest.getAnchor(root)), count: 1 }),
      revocationWord: async (root, word) => (await honest.revocationWord(root, word)) & ~1n,
    };
    const findings = await crossCheck(state, tampered, { profileIdHash });
    expect(findings.some((finding) => finding.detail.startsWith("anchor count"))).to.equal(true);
    expect(findings.some((finding) => finding.subject === rootOf("cohort-a") && finding.detail.includes("revocation bits"))).to.equal(true);
  });

  it("flags events that break the rules: an outsider's revocation, an anchor by a suspended issuer, a revocation undone", async function () {
    const { registry, university, stranger } = await networkHelpers.loadFixture(history);
    const events = await readRegistryEvents(registry, ethers.provider);
    const last = events.at(-1)!;
    const at = (offset: number) => ({ blockNumber: last.blockNumber + offset, logIndex: 0, transactionHash: `0x${"ee".repeat(32)}`, timestamp: last.timestamp + offset });
    const forged: RegistryEvent[] = [
      ...events,
      { ...at(1), kind: "CredentialsRevoked", root: rootOf("cohort-a"), actor: stranger.address, wordIndex: 1n, mask: 1n, reason: 0 },
      { ...at(2), kind: "IssuerStatusChanged", issuer: university.address, previousStatus: 1, newStatus: 2, reason: 3, accreditor: stranger.address },
      { ...at(3), kind: "Anchored", root: rootOf("while-suspended"), issuer: university.address, actor: university.address, count: 5 },
      { ...at(4), kind: "CredentialsRevoked", root: rootOf("cohort-a"), actor: university.address, wordIndex: 0n, mask: 0b1n, reason: 0 },
      { ...at(5), kind: "CredentialsSuspended", root: rootOf("cohort-a"), actor: university.address, wordIndex: 9n, mask: 1n, reason: 0 },
    ];
    const rules = rebuildState(forged).findings.map((finding) => finding.rule);
    expect(rules).to.include.members(["change-by-issuer-or-operator", "anchor-by-active-issuer", "change-is-new", "index-in-batch"]);
  });

  it("sums up per issuer and per month", async function () {
    const { registry, university, employer } = await networkHelpers.loadFixture(history);
    const state = rebuildState(await readRegistryEvents(registry, ethers.provider));
    const issuers = summariseIssuers(state);
    const uni = issuers.find((summary) => summary.issuer === university.address)!;
    expect(uni).to.include({ anchors: 2, credentials: 610, revoked: 3, suspended: 1, status: "active" });
    expect(uni.revokedPercent).to.equal(0.49);
    const meridian = issuers.find((summary) => summary.issuer === employer.address)!;
    expect(meridian).to.include({ anchors: 1, credentials: 3, revoked: 3, revokedPercent: 100, status: "withdrawn" });
    const months = summariseMonths(state);
    expect(months.reduce((sum, month) => sum + month.anchors, 0)).to.equal(3);
    expect(months.reduce((sum, month) => sum + month.credentials, 0)).to.equal(613);
    expect(months.length).to.be.at.least(2);
  });
});
