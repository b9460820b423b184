/**
 * The two forms of `credentialStatus` the verifier reads (lib/verify/status-entries.ts, status-lists.ts):
 * the one object our badges carry (the revocation list's entry: OB 3.0 allows one credentialStatus), and
 * an array of one entry per purpose, as VC 2.0 allows and other issuers — and our badges before issue 16 —
 * write. With our form the chain still decides suspension (no list is named for it, none is fetched); with
 * the array both lists are compared. Pipeline with a fake fetcher and an in-memory registry.
 */
import { expect } from "chai";

import type { Hex } from "../../../lib/credential/canonical.js";
import type { JsonLdObject } from "../../../lib/signature/contexts.js";
import type { CredentialSigner } from "../../../lib/signature/data-integrity.js";
import { statusEntry, statusListUrls, type StatusPurpose } from "../../../lib/status/status-list.js";
import type { StatusListFetcher } from "../../../lib/verify/status-lists.js";
import { verifyCredential, type VerifyOptions } from "../../../lib/verify/verify.js";
import { FAKE_CHAIN_ID, FAKE_REGISTRY, FakeChain } from "../../helpers/fake-chain.js";
import { didKeySigner, entryPerPurpose, listCredential, statusBatch, type StatusBatch } from "../../helpers/status-lists.js";

const NOW = new Date("2026-07-01T12:00:00Z");
const CONTROLLER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const FACTS = { chainId: FAKE_CHAIN_ID, registry: FAKE_REGISTRY, anchoredAt: "2026-06-01T00:00:00.000Z", transactionHash: `0x${"cd".repeat(32)}` as Hex };
const BASE = "https://uni.example/status";
const OURS = statusListUrls(BASE, "ours");
const THEIRS = statusListUrls(BASE, "theirs");

class FakeFetcher implements StatusListFetcher {
  readonly documents = new Map<string, unknown>();
  readonly fetched: string[] = [];
  async fetch(url: string): Promise<unknown> {
    this.fetched.push(url);
    if (!this.documents.has(url)) throw new Error(`${url} answered 404`);
    return this.documents.get(url);
  }
}

describe("lib/verify: credentialStatus as one object (ours) and as an array (other issuers')", function () {
  let issuer: { id: string; signer: CredentialSigner };
  let ours: StatusBatch;
  let theirs: StatusBatch;
  let chain: FakeChain;
  let fetcher: FakeFetcher;
  let options: VerifyOptions;

  before(async function () {
    issuer = didKeySigner();
    const made = { profileId: issuer.id, base: BASE, count: 2, facts: FACTS, signer: issuer.signer };
    ours = await statusBatch({ ...made, batchId: "ours", credentialStatus: (index) => statusEntry(BASE, "ours", index) });
    theirs = await statusBatch({ ...made, batchId: "theirs", credentialStatus: (index) => entryPerPurpose(BASE, "theirs", index) });
  });

  beforeEach(async function () {
    chain = new FakeChain();
    chain.registerIssuer(issuer.id, CONTROLLER);
    chain.anchor(issuer.id, ours.batch.root, 2);
    chain.anchor(issuer.id, theirs.batch.root, 2);
    fetcher = new FakeFetcher();
    options = { readerFor: chain.readerFor, now: () => NOW, statusLists: fetcher };
    await publish({});
  });

  /** Both batches' two lists, as `credentials status publish` writes them, with these indexes set. */
  async function publish(set: Partial<Record<StatusPurpose, number[]>>) {
    for (const urls of [OURS, THEIRS]) {
      for (const purpose of ["revocation", "suspension"] as const) {
        fetcher.documents.set(urls[purpose], await listCredential({ url: urls[purpose], issuer: issuer.id, purpose, set: set[purpose], signer: issuer.signer }));
      }
    }
  }

  it("our badge carries one object, and the verifier compares it with the revocation list only", async function () {
    const badge = ours.badges[0] as JsonLdObject & { credentialStatus: unknown };
    expect(Array.isArray(badge.credentialStatus)).to.equal(false);
    const result = await verifyCredential(badge, options);
    expect(result.status).to.equal("valid");
    expect(result.warnings).to.deep.equal([]);
    expect(result.statusLists).to.deep.equal([
      { url: OURS.revocation, purpose: "revocation", index: 0, listSays: false, chainSays: false, agrees: true, listSignature: "verified", note: null },
    ]);
    expect(fetcher.fetched).to.deep.equal([OURS.revocation]);
  });

  it("our badge revoked on chain: revoked; the republished list agrees, the stale one is warned of", async function () {
    chain.revoke(issuer.id, ours.batch.root, 1);
    let result = await verifyCredential(ours.badges[1], options);
    expect(result.status).to.equal("revoked");
    expect(result.statusLists[0]).to.include({ purpose: "revocation", listSays: false, chainSays: true, agrees: false });
    expect(result.warnings).to.deep.equal([
      `the status list ${OURS.revocation} says not revoked; the chain says revoked: the issuer has not republished its list, and verifiers reading it will accept this badge`,
    ]);
    await publish({ revocation: [1] });
    result = await verifyCredential(ours.badges[1], options);
    expect(result.status).to.equal("revoked");
    expect(result.statusLists[0]).to.include({ listSays: true, chainSays: true, agrees: true });
    expect(result.warnings).to.deep.equal([]);
  });

  it("our badge suspended on chain: suspended, though it names no suspension list (the chain decides; none is fetched)", async function () {
    chain.suspend(issuer.id, ours.batch.root, 0);
    const result = await verifyCredential(ours.badges[0], options);
    expect(result.status).to.equal("suspended");
    expect(result.verified).to.equal(false);
    expect(result.statusLists.map((list) => list.purpose)).to.deep.equal(["revocation"]);
    expect(result.warnings).to.deep.equal([]);
    expect(fetcher.fetched).to.not.include(OURS.suspension);
  });

  it("another issuer's array of one entry per purpose: both lists compared, a stale suspension list warned of", async function () {
    chain.suspend(issuer.id, theirs.batch.root, 1);
    const result = await verifyCredential(theirs.badges[1], options);
    expect(result.status).to.equal("suspended");
    expect(result.statusLists.map((list) => [list.purpose, list.listSays, list.chainSays, list.agrees])).to.deep.equal([
      ["revocation", false, false, true],
      ["suspension", false, true, false],
    ]);
    expect(result.warnings).to.deep.equal([
      `the status list ${THEIRS.suspension} says not suspended; the chain says suspended: the issuer has not republished its list, and verifiers reading it will accept this badge`,
    ]);
    expect([...fetcher.fetched].sort()).to.deep.equal([THEIRS.revocation, THEIRS.suspension]);
  });

  it("another issuer's single object for suspension is compared with the suspension list", async function () {
    const single = await statusBatch({
      profileId: issuer.id, base: BASE, batchId: "theirs", count: 1, facts: FACTS, signer: issuer.signer,
      credentialStatus: (index) => entryPerPurpose(BASE, "theirs", index)[1],
    });
    chain.anchor(issuer.id, single.batch.root, 1);
    await publish({ suspension: [0] });
    const result = await verifyCredential(single.badges[0], options);
    expect(result.status).to.equal("valid");
    expect(result.statusLists).to.deep.equal([
      { url: THEIRS.suspension, purpose: "suspension", index: 0, listSays: true, chainSays: false, agrees: false, listSignature: "verified", note: null },
    ]);
    expect(result.warnings[0]).to.contain(`the status list ${THEIRS.suspension} says suspended; the chain says not suspended`);
  });
});
