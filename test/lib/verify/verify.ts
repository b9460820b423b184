import { expect } from "chai";

import type { Hex } from "../../../lib/credential/canonical.js";
import { issuerIdOfProfile } from "../../../lib/credential/profile-id.js";
import { parseDraftCredential, type DraftCredential } from "../../../lib/credential/credential.js";
import { anchoredCredential, prepareBatch } from "../../../lib/anchor/issuance.js";
import {
  CHECK_ORDER,
  verifyCredential,
  type OnChainCredentialStatus,
  type RegistryReader,
  type VerifyOptions,
} from "../../../lib/verify/verify.js";
import { exampleBadge } from "../../helpers/badges.js";
import { DEFAULT_ANCHORED_AT, FakeChain } from "../../helpers/fake-chain.js";
import { EMPLOYER, UNIVERSITY, UNIVERSITY_OPERATOR, issueOn } from "../../helpers/stacks.js";

const CHAIN_ID = 31337;
const REGISTRY = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const CONTROLLER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const OPERATOR = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
const PROFILE = "did:web:uni.example";
const ISSUER_ID = issuerIdOfProfile(PROFILE);
const ANCHORED_AT = Date.parse("2026-02-01T10:00:00Z") / 1000;
const NOW = new Date("2026-06-01T12:00:00Z");

/**
 * A registry as a verifier would read it, with the one batch the university's operator anchored; each test
 * changes what it needs. It answers only for the university's issuer id: a read under any other id is a
 * read of nothing.
 */
class FakeRegistry implements RegistryReader {
  statusOf: (issuerId: Hex, root: Hex, index: bigint) => OnChainCredentialStatus;
  reads = 0;

  constructor(root: Hex, count: number) {
    this.statusOf = (issuerId, askedRoot, index) => {
      const ours = issuerId === ISSUER_ID && askedRoot === root;
      return {
        anchored: ours,
        inRange: ours && index < BigInt(count),
        revoked: false,
        suspended: false,
        batchRevoked: false,
        keyCompromised: false,
        actingKey: ours ? OPERATOR : "0x0000000000000000000000000000000000000000",
        anchoredAt: ours ? ANCHORED_AT : 0,
        count: ours ? count : 0,
        keyCompromisedSince: 0,
        issuerStatus: issuerId === ISSUER_ID ? "active" : "none",
        issuerStatusReason: 0,
        issuerStatusSince: ANCHORED_AT - 86_400,
        controller: issuerId === ISSUER_ID ? CONTROLLER : "0x0000000000000000000000000000000000000000",
      };
    };
  }

  async credentialStatus(issuerId: Hex, root: Hex, index: bigint): Promise<OnChainCredentialStatus> {
    this.reads++;
    return this.statusOf(issuerId, root, index);
  }

  change(changes: Partial<OnChainCredentialStatus>): void {
    const previous = this.statusOf;
    this.statusOf = (issuerId, root, index) => ({ ...previous(issuerId, root, index), ...changes });
  }
}

function anchoredBatch() {
  const drafts = ["uni-data-analytics-foundations", "uni-sql-for-analysts", "uni-statistical-modelling-python"].map((name) => {
    const parsed = parseDraftCredential(exampleBadge(name));
    if (!parsed.ok) throw new Error(`example ${name} is invalid`);
    return parsed.credential as DraftCredential;
  });
  let counter = 0;
  const prepared = prepareBatch(drafts, { profileId: PROFILE, newId: () => `urn:uuid:00000000-0000-4000-8000-00000000000${++counter}` });
  const facts = { chainId: CHAIN_ID, registry: REGISTRY, anchoredAt: "2026-02-01T10:00:00.000Z", transactionHash: `0x${"ab".repeat(32)}` as Hex };
  const credentials = drafts.map((_, index) => anchoredCredential(prepared, index, facts)) as Array<Record<string, any>>;
  const registry = new FakeRegistry(prepared.batch.root, drafts.length);
  const options: VerifyOptions = {
    readerFor: (chainId, address) => (chainId === CHAIN_ID && address.toLowerCase() === REGISTRY.toLowerCase() ? registry : undefined),
    now: () => NOW,
  };
  return { credentials, registry, options, root: prepared.batch.root };
}

function checkResults(result: { checks: Array<{ name: string; result: string }> }): Record<string, string> {
  return Object.fromEntries(result.checks.map((check) => [check.name, check.result]));
}

describe("lib/verify/verify: the verification pipeline", function () {
  it("hashes the credential as given, not the schema library's copy: a member it drops (__proto__) makes the badge tampered", async function () {
    const { credentials, options } = anchoredBatch();
    // JSON.parse makes "__proto__" an own member, which the schema library leaves out of what it hands back.
    const smuggled = JSON.parse(JSON.stringify(credentials[1]).replace('"credentialSubject":{', '"credentialSubject":{"__proto__":{"name":"Doctor of Medicine"},'));
    expect(Object.keys(smuggled.credentialSubject)).to.include("__proto__");
    const result = await verifyCredential(smuggled, options);
    expect(result.status).to.equal("tampered");
    expect(checkResults(result).integrity).to.equal("fail");
  });

  it("says valid when every check passes, with each check named in order", async function () {
    const { credentials, options, root } = anchoredBatch();
    const result = await verifyCredential(credentials[1], options);
    expect(result.status).to.equal("valid");
    expect(result.verified).to.equal(true);
    expect(result.checks.map((check) => check.name)).to.deep.equal([...CHECK_ORDER]);
    expect(result.checks.filter((check) => check.name !== "stack" && check.name !== "signature").every((check) => check.result === "pass")).to.equal(true);
    expect(result.checks.find((check) => check.name === "stack")).to.deep.equal({ name: "stack", result: "skip", detail: "not a stacked credential" });
    // An unsigned badge (as these are) stays valid on its anchor; the signature check is skipped, with a warning.
    expect(result.checks.find((check) => check.name === "signature")).to.deep.equal({ name: "signature", result: "skip", detail: "carries no Data Integrity proof" });
    expect(result.warnings).to.have.length(1);
    expect(result.stack).to.equal(null);
    expect(result.errors).to.deep.equal([]);
    expect(result.anchor).to.deep.equal({
      chainId: CHAIN_ID,
      registry: REGISTRY,
      root,
      leafIndex: 1,
      issuerId: ISSUER_ID,
      actingKey: OPERATOR,
      anchoredAt: "2026-02-01T10:00:00.000Z",
      count: 3,
      batchRevoked: false,
      keyCompromised: false,
      keyCompromisedSince: null,
    });
    expect(result.issuer).to.deep.include({ profileId: PROFILE, issuerId: ISSUER_ID, controller: CONTROLLER, status: "active" });
    expect(result.issuer).to.not.have.property("address");
    expect(result.credential!.achievementName).to.equal("SQL for Analysts");
  });

  it("says tampered when any content changed after anchoring", async function () {
    const { credentials, options } = anchoredBatch();
    credentials[0].credentialSubject.achievement.name = "Data Analytics Mastery";
    const result = await verifyCredential(credentials[0], options);
    expect(result.status).to.equal("tampered");
    expect(result.verified).to.equal(false);
    expect(checkResults(result)).to.include({ format: "pass", proof: "pass", integrity: "fail" });
  });

  it("says tampered for an edit of whitespace alone: the hash is of the credential exactly as given", async function () {
    const { credentials, options } = anchoredBatch();
    credentials[0].credentialSubject.achievement.name += " ";
    expect((await verifyCredential(credentials[0], options)).status).to.equal("tampered");
  });

  it("says tampered when a proof claims an index beyond the batch", async function () {
    const { credentials, options, registry } = anchoredBatch();
    registry.change({ inRange: false });
    const result = await verifyCredential(credentials[2], options);
    expect(result.status).to.equal("tampered");
    expect(checkResults(result).anchor).to.equal("fail");
  });

  it("says revoked for a revoked credential, a revoked batch, or an issuer withdrawn for cause", async function () {
    for (const change of [
      { revoked: true },
      { batchRevoked: true },
      { issuerStatus: "withdrawn" as const, issuerStatusReason: 3, issuerStatusSince: ANCHORED_AT + 10 },
    ]) {
      const { credentials, options, registry } = anchoredBatch();
      registry.change(change);
      const result = await verifyCredential(credentials[0], options);
      expect(result.status, JSON.stringify(change)).to.equal("revoked");
    }
  });

  it("keeps credentials anchored before an issuer ceased operation valid, with a warning", async function () {
    const { credentials, options, registry } = anchoredBatch();
    registry.change({ issuerStatus: "withdrawn", issuerStatusReason: 6, issuerStatusSince: ANCHORED_AT + 3600 });
    const result = await verifyCredential(credentials[0], options);
    expect(result.status).to.equal("valid");
    expect(result.warnings[0]).to.contain("ceased operation");
  });

  it("says suspended for a suspended credential or a suspended issuer", async function () {
    for (const change of [{ suspended: true }, { issuerStatus: "suspended" as const, issuerStatusReason: 7 }]) {
      const { credentials, options, registry } = anchoredBatch();
      registry.change(change);
      expect((await verifyCredential(credentials[0], options)).status, JSON.stringify(change)).to.equal("suspended");
    }
  });

  it("says revoked, naming the acting key and since when, when the key was declared compromised at or before the anchor", async function () {
    const { credentials, options, registry } = anchoredBatch();
    const since = ANCHORED_AT - 3600;
    registry.change({ keyCompromised: true, keyCompromisedSince: since });
    const result = await verifyCredential(credentials[0], options);
    expect(result.status).to.equal("revoked");
    expect(result.verified).to.equal(false);
    expect(checkResults(result)).to.include({ anchor: "pass", issuer: "fail", status: "pass" });
    const detail = result.checks.find((check) => check.name === "issuer")!.detail;
    expect(detail).to.contain(OPERATOR);
    expect(detail).to.contain(`compromised since ${new Date(since * 1000).toISOString()}`);
    expect(detail).to.contain("key-compromise");
    expect(result.anchor).to.deep.include({ actingKey: OPERATOR, keyCompromised: true, keyCompromisedSince: new Date(since * 1000).toISOString() });
  });

  it("keeps a badge valid whose key was declared compromised only after its anchor", async function () {
    const { credentials, options, registry } = anchoredBatch();
    // The registry's own judgement: the cut-off lies after the anchor, so keyCompromised is false.
    registry.change({ keyCompromised: false, keyCompromisedSince: ANCHORED_AT + 3600 });
    const result = await verifyCredential(credentials[0], options);
    expect(result.status).to.equal("valid");
    expect(result.anchor).to.deep.include({ keyCompromised: false, keyCompromisedSince: new Date((ANCHORED_AT + 3600) * 1000).toISOString() });
  });

  it("prefers revoked to suspended when both hold", async function () {
    const { credentials, options, registry } = anchoredBatch();
    registry.change({ suspended: true, revoked: true });
    expect((await verifyCredential(credentials[0], options)).status).to.equal("revoked");
  });

  it("says expired after validUntil and not-yet-valid before validFrom, from the clock it is given", async function () {
    const { credentials, options } = anchoredBatch();
    const later = await verifyCredential(credentials[0], { ...options, now: () => new Date("2099-01-01T00:00:00Z") });
    expect(later.status).to.equal("valid");
    const withWindow = { ...credentials[0], validUntil: "2026-03-01T00:00:00Z" };
    // validUntil is covered by the hash, so this copy is also tampered; tampered must win over expired.
    expect((await verifyCredential(withWindow, options)).status).to.equal("tampered");

    const meridian = anchoredBatchWith("meridian-secure-coding-practitioner");
    const expired = await verifyCredential(meridian.credential, { ...meridian.options, now: () => new Date("2030-01-01T00:00:00Z") });
    expect(expired.status).to.equal("expired");
    const early = await verifyCredential(meridian.credential, { ...meridian.options, now: () => new Date("2020-01-01T00:00:00Z") });
    expect(early.status).to.equal("not-yet-valid");
  });

  it("reads the anchor under the issuer id of the badge's issuer.id: keccak256 of the profile id", async function () {
    const { credentials, options, registry } = anchoredBatch();
    const asked: Hex[] = [];
    const answer = registry.statusOf;
    registry.statusOf = (issuerId, root, index) => (asked.push(issuerId), answer(issuerId, root, index));
    expect((await verifyCredential(credentials[0], options)).status).to.equal("valid");
    expect(asked).to.deep.equal([ISSUER_ID]);
  });

  it("says unknown-anchor for a root the registry never anchored, or a credential with no anchor proof", async function () {
    const { credentials, options, registry } = anchoredBatch();
    registry.change({ anchored: false });
    const notAnchored = await verifyCredential(credentials[0], options);
    expect(notAnchored.status).to.equal("unknown-anchor");
    expect(checkResults(notAnchored)).to.include({ anchor: "fail", issuer: "skip", status: "skip" });
    expect(notAnchored.errors[0]).to.contain(`not anchored by ${PROFILE}`);
    const { proof: _proof, ...unanchored } = credentials[0];
    const result = await verifyCredential(unanchored, options);
    expect(result.status).to.equal("unknown-anchor");
    expect(checkResults(result)).to.include({ proof: "fail", integrity: "skip", anchor: "skip", validity: "pass" });
  });

  it("says unsupported-chain for a registry or chain it does not trust, without reading any chain", async function () {
    const { credentials, options, registry } = anchoredBatch();
    const result = await verifyCredential(credentials[0], { ...options, readerFor: () => undefined });
    expect(result.status).to.equal("unsupported-chain");
    expect(registry.reads).to.equal(0);
  });

  it("says unavailable, never valid, when the chain cannot be read", async function () {
    const { credentials, options, registry } = anchoredBatch();
    registry.statusOf = () => {
      throw new Error("connect ECONNREFUSED 127.0.0.1:8545");
    };
    const result = await verifyCredential(credentials[0], options);
    expect(result.status).to.equal("unavailable");
    expect(result.verified).to.equal(false);
    expect(result.errors[0]).to.contain("ECONNREFUSED");
  });

  it("says malformed for a bad shape, a malformed or doubled anchor proof, or too large a credential", async function () {
    const { credentials, options } = anchoredBatch();
    const { validFrom: _validFrom, ...noValidFrom } = credentials[0];
    expect((await verifyCredential(noValidFrom, options)).status).to.equal("malformed");
    expect((await verifyCredential("not a badge", options)).status).to.equal("malformed");

    const badProof = structuredClone(credentials[0]);
    badProof.proof[0].root = "0x1234";
    expect((await verifyCredential(badProof, options)).status).to.equal("malformed");

    const doubled = structuredClone(credentials[0]);
    doubled.proof.push(structuredClone(doubled.proof[0]));
    expect((await verifyCredential(doubled, options)).status).to.equal("malformed");

    const tooBig = await verifyCredential(credentials[0], { ...options, maxBytes: 1000 });
    expect(tooBig.status).to.equal("malformed");
    expect(tooBig.checks[0].detail).to.match(/limit is 1000/);

    // The size the caller read it from, when given, is the one checked (the service passes its body's).
    const saidBig = await verifyCredential(credentials[0], { ...options, inputBytes: 300 * 1024 });
    expect(saidBig.status).to.equal("malformed");
    expect(saidBig.checks[0].detail).to.equal(`is ${300 * 1024} bytes; the limit is ${256 * 1024}`);
    expect((await verifyCredential(credentials[0], { ...options, maxBytes: 1000, inputBytes: 900 })).status).to.equal("valid");
  });

  it("accepts another proof (a DataIntegrityProof) beside the anchor proof", async function () {
    const { credentials, options } = anchoredBatch();
    const signed = { ...credentials[0], proof: [{ type: "DataIntegrityProof", cryptosuite: "eddsa-rdf-2022" }, ...credentials[0].proof] };
    expect((await verifyCredential(signed, options)).status).to.equal("valid");
  });
});

function anchoredBatchWith(name: string) {
  const parsed = parseDraftCredential(exampleBadge(name));
  if (!parsed.ok) throw new Error(`example ${name} is invalid`);
  const prepared = prepareBatch([parsed.credential], {
    profileId: PROFILE,
    newId: () => "urn:uuid:00000000-0000-4000-8000-0000000000aa",
  });
  const facts = { chainId: CHAIN_ID, registry: REGISTRY, anchoredAt: "2026-02-01T10:00:00.000Z", transactionHash: `0x${"cd".repeat(32)}` as Hex };
  const credential = anchoredCredential(prepared, 0, facts);
  const registry = new FakeRegistry(prepared.batch.root, 1);
  const options: VerifyOptions = { readerFor: () => registry, now: () => NOW };
  return { credential, options };
}

describe("lib/verify/verify on a registry of several issuers: stolen keys and squatted roots", function () {
  const now = () => new Date("2026-09-01T00:00:00Z");

  function world() {
    const chain = new FakeChain();
    chain.registerIssuer(UNIVERSITY.profileId, UNIVERSITY.address);
    chain.registerIssuer(EMPLOYER.profileId, EMPLOYER.address);
    return { chain, options: { readerFor: chain.readerFor, now } };
  }

  it("separates a stolen operator key's forgery (revoked) from the badges it anchored before the theft (valid)", async function () {
    const { chain, options } = world();
    const theft = DEFAULT_ANCHORED_AT + 86_400;
    const [genuine] = issueOn(chain, UNIVERSITY, [exampleBadge("uni-sql-for-analysts")], { actingKey: UNIVERSITY_OPERATOR, anchoredAt: DEFAULT_ANCHORED_AT });
    const [forgery] = issueOn(chain, UNIVERSITY, [exampleBadge("uni-data-analytics-foundations")], { actingKey: UNIVERSITY_OPERATOR, anchoredAt: theft + 60 });
    const [byController] = issueOn(chain, UNIVERSITY, [exampleBadge("uni-statistical-modelling-python")], { anchoredAt: theft + 120 });
    expect((await verifyCredential(forgery, options)).status).to.equal("valid"); // before anyone knows

    chain.declareKeyCompromised(UNIVERSITY_OPERATOR, theft);
    const cutOff = await verifyCredential(forgery, options);
    expect(cutOff.status).to.equal("revoked");
    expect(cutOff.errors.join(" ")).to.contain(`key ${UNIVERSITY_OPERATOR}`);
    expect(cutOff.errors.join(" ")).to.contain(`compromised since ${new Date(theft * 1000).toISOString()}`);
    expect((await verifyCredential(genuine, options)).status).to.equal("valid");
    expect((await verifyCredential(byController, options)).status).to.equal("valid");
  });

  it("root squatting: another issuer anchoring the same root changes nothing for the university's badge", async function () {
    const { chain, options } = world();
    const [badge] = issueOn(chain, UNIVERSITY, [exampleBadge("uni-sql-for-analysts")]);
    const { root } = (badge.proof as unknown as Array<{ root: Hex }>)[0];
    // The employer (or a thief of its key) anchors the very same root under its own identity, and revokes it there.
    chain.anchor(EMPLOYER.profileId, root, 1);
    chain.revokeBatch(EMPLOYER.profileId, root);
    const result = await verifyCredential(badge, options);
    expect(result.status).to.equal("valid");
    expect(result.anchor).to.deep.include({ issuerId: issuerIdOfProfile(UNIVERSITY.profileId), actingKey: UNIVERSITY.address, batchRevoked: false });
  });

  it("a badge claiming the university's issuer.id but anchored only by another issuer is unknown-anchor", async function () {
    const { chain, options } = world();
    // Badges whose issuer.id says the university, prepared off this chain; the employer's key anchors their
    // root under the only identity it can act for, its own.
    const [forged] = issueOn(new FakeChain(), UNIVERSITY, [exampleBadge("uni-sql-for-analysts")]);
    const { root } = (forged.proof as unknown as Array<{ root: Hex }>)[0];
    chain.anchor(EMPLOYER.profileId, root, 1);
    const result = await verifyCredential(forged, options);
    expect(result.status).to.equal("unknown-anchor");
    expect(result.errors[0]).to.contain(`not anchored by ${UNIVERSITY.profileId}`);
  });
});
