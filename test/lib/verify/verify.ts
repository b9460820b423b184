import { expect } from "chai";
import { keccak256, toUtf8Bytes } from "ethers";

import type { Hex } from "../../../lib/credential/canonical.js";
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

const CHAIN_ID = 31337;
const REGISTRY = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const ISSUER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const PROFILE = "did:web:uni.example";
const ANCHORED_AT = Date.parse("2026-02-01T10:00:00Z") / 1000;
const NOW = new Date("2026-06-01T12:00:00Z");

/** A registry as a verifier would read it, with the one batch the test anchored; each test changes what it needs. */
class FakeRegistry implements RegistryReader {
  statusOf: (root: Hex, index: bigint) => OnChainCredentialStatus;
  reads = 0;

  constructor(root: Hex, count: number) {
    this.statusOf = (askedRoot, index) => ({
      anchored: askedRoot === root,
      inRange: askedRoot === root && index < BigInt(count),
      revoked: false,
      suspended: false,
      batchRevoked: false,
      issuer: askedRoot === root ? ISSUER : "0x0000000000000000000000000000000000000000",
      anchoredAt: askedRoot === root ? ANCHORED_AT : 0,
      count: askedRoot === root ? count : 0,
      issuerStatus: askedRoot === root ? "active" : "none",
      issuerStatusReason: 0,
      issuerStatusSince: ANCHORED_AT - 86_400,
      issuerProfileIdHash: keccak256(toUtf8Bytes(PROFILE)) as Hex,
    });
  }

  async credentialStatus(root: Hex, index: bigint): Promise<OnChainCredentialStatus> {
    this.reads++;
    return this.statusOf(root, index);
  }

  change(changes: Partial<OnChainCredentialStatus>): void {
    const previous = this.statusOf;
    this.statusOf = (root, index) => ({ ...previous(root, index), ...changes });
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
  const facts = { chainId: CHAIN_ID, registry: REGISTRY, issuer: ISSUER, anchoredAt: "2026-02-01T10:00:00.000Z", transactionHash: `0x${"ab".repeat(32)}` as Hex };
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
  it("says valid when every check passes, with each check named in order", async function () {
    const { credentials, options, root } = anchoredBatch();
    const result = await verifyCredential(credentials[1], options);
    expect(result.status).to.equal("valid");
    expect(result.verified).to.equal(true);
    expect(result.checks.map((check) => check.name)).to.deep.equal([...CHECK_ORDER]);
    expect(result.checks.filter((check) => check.name !== "stack").every((check) => check.result === "pass")).to.equal(true);
    expect(result.checks.find((check) => check.name === "stack")).to.deep.equal({ name: "stack", result: "skip", detail: "not a stacked credential" });
    expect(result.stack).to.equal(null);
    expect(result.errors).to.deep.equal([]);
    expect(result.anchor).to.deep.include({ chainId: CHAIN_ID, root, leafIndex: 1, issuer: ISSUER, count: 3 });
    expect(result.anchor!.anchoredAt).to.equal("2026-02-01T10:00:00.000Z");
    expect(result.issuer).to.deep.include({ address: ISSUER, profileId: PROFILE, status: "active" });
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

  it("says issuer-mismatch when issuer.id is not the anchoring issuer's registered profile", async function () {
    const { credentials, options, registry } = anchoredBatch();
    registry.change({ issuerProfileIdHash: keccak256(toUtf8Bytes("did:web:impostor.example")) as Hex });
    const result = await verifyCredential(credentials[0], options);
    expect(result.status).to.equal("issuer-mismatch");
    expect(checkResults(result).issuer).to.equal("fail");
  });

  it("says unknown-anchor for a root the registry never anchored, or a credential with no anchor proof", async function () {
    const { credentials, options, registry } = anchoredBatch();
    registry.change({ anchored: false });
    expect((await verifyCredential(credentials[0], options)).status).to.equal("unknown-anchor");
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
  const credential = anchoredCredential(prepared, 0, {
    chainId: CHAIN_ID,
    registry: REGISTRY,
    issuer: ISSUER,
    anchoredAt: "2026-02-01T10:00:00.000Z",
    transactionHash: `0x${"cd".repeat(32)}` as Hex,
  });
  const registry = new FakeRegistry(prepared.batch.root, 1);
  const options: VerifyOptions = { readerFor: () => registry, now: () => NOW };
  return { credential, options };
}
