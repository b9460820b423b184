import { expect } from "chai";

import { anchoredCredential, prepareBatch, type PreparedBatch } from "../../../lib/anchor/issuance.js";
import { attachAnchorProof, findAnchorProof, type AnchorProof } from "../../../lib/anchor/proof.js";
import type { Hex } from "../../../lib/credential/canonical.js";
import { parseDraftCredential, type DraftCredential } from "../../../lib/credential/credential.js";
import type { ControllerResolver } from "../../../lib/signature/verify-proofs.js";
import { verifyCredential, type VerificationResult, type VerifyOptions } from "../../../lib/verify/verify.js";
import { exampleBadge } from "../../helpers/badges.js";
import { FAKE_CHAIN_ID, FAKE_REGISTRY, FakeChain } from "../../helpers/fake-chain.js";
import { didKeyIssuer, hostedIssuer, signWithReference, type ReferenceIssuer } from "../../helpers/reference-signing.js";

const NOW = new Date("2026-07-01T12:00:00Z");
const CONTROLLER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const OTHER_ACCOUNT = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const FACTS = { chainId: FAKE_CHAIN_ID, registry: FAKE_REGISTRY, anchoredAt: "2026-06-01T00:00:00.000Z", transactionHash: `0x${"ab".repeat(32)}` as Hex };

function drafts(): DraftCredential[] {
  return ["uni-data-analytics-foundations", "uni-sql-for-analysts"].map((name) => {
    const parsed = parseDraftCredential(exampleBadge(name));
    if (!parsed.ok) throw new Error(`example ${name} is invalid`);
    return parsed.credential as DraftCredential;
  });
}

/** The two example badges issued by `issuer`: prepared (issuer.id set, ids given) for one batch. */
function prepared(issuer: ReferenceIssuer): PreparedBatch {
  let counter = 0;
  return prepareBatch(drafts(), { profileId: issuer.id, newId: () => `urn:uuid:00000000-0000-4000-8000-00000000010${++counter}` });
}

/** Badge `index` of the batch, signed by `signer` (default: its issuer) and then anchored, as `credentials anchor` does. */
async function signedAndAnchored(issuer: ReferenceIssuer, batch: PreparedBatch, index = 0, signer = issuer): Promise<Record<string, any>> {
  const signed = await signWithReference(batch.credentials[index] as unknown as Record<string, unknown>, signer);
  const anchorProof = findAnchorProof(anchoredCredential(batch, index, FACTS)).kind === "found" ? (findAnchorProof(anchoredCredential(batch, index, FACTS)) as { proof: AnchorProof }).proof : undefined;
  return attachAnchorProof(signed, anchorProof!) as Record<string, any>;
}

/** A resolver that knows `documents` by id and counts its calls; an id it does not know cannot be fetched. */
function resolverOf(documents: Record<string, unknown>): ControllerResolver & { calls: number } {
  return {
    calls: 0,
    async resolve(id: string) {
      this.calls++;
      const document = documents[id.split("#")[0]];
      if (document === undefined) throw new Error(`${id} did not answer within 3000 ms`);
      return document;
    },
  };
}

function checksOf(result: VerificationResult): Record<string, string> {
  return Object.fromEntries(result.checks.map((check) => [check.name, check.result]));
}

function detailOf(result: VerificationResult, name: string): string {
  return result.checks.find((check) => check.name === name)!.detail;
}

describe("lib/verify/verify: the signature check", function () {
  let didKey: ReferenceIssuer;
  let chain: FakeChain;
  let options: VerifyOptions;
  let batch: PreparedBatch;

  before(async function () {
    didKey = await didKeyIssuer(new Uint8Array(32).fill(7));
  });

  beforeEach(function () {
    chain = new FakeChain();
    chain.registerIssuer(didKey.id, CONTROLLER);
    batch = prepared(didKey);
    chain.anchor(didKey.id, batch.batch.root, batch.credentials.length);
    options = { readerFor: chain.readerFor, now: () => NOW };
  });

  it("says valid for a badge signed by its did:key issuer and anchored, naming the signer", async function () {
    const badge = await signedAndAnchored(didKey, batch);
    const result = await verifyCredential(badge, options);
    expect(result.status).to.equal("valid");
    expect(checksOf(result)).to.include({ format: "pass", signature: "pass", proof: "pass", integrity: "pass", anchor: "pass" });
    expect(result.signature).to.deep.equal({
      signers: [{ verificationMethod: didKey.verificationMethod, controller: didKey.id, cryptosuite: "eddsa-rdfc-2022" }],
      signerName: null,
    });
    expect(result.warnings).to.deep.equal([]);
  });

  it("says tampered after a one-character edit, seen by both the signature and the integrity checks", async function () {
    const badge = await signedAndAnchored(didKey, batch);
    badge.credentialSubject.achievement.name = badge.credentialSubject.achievement.name.replace(/.$/, "X");
    const result = await verifyCredential(badge, options);
    expect(result.status).to.equal("tampered");
    expect(result.verified).to.equal(false);
    expect(checksOf(result)).to.include({ signature: "fail", integrity: "fail" });
    expect(detailOf(result, "signature")).to.contain("does not match");
    expect(result.signature).to.equal(null);
  });

  it("says tampered for a badge whose signature was made over other content, even with its anchor intact", async function () {
    const badge = await signedAndAnchored(didKey, batch, 0);
    const other = await signedAndAnchored(didKey, batch, 1);
    badge.proof[0] = other.proof[0];
    const result = await verifyCredential(badge, options);
    expect(checksOf(result)).to.include({ signature: "fail", integrity: "pass", anchor: "pass" });
    expect(result.status).to.equal("tampered");
  });

  it("says unanchored for a badge another platform signed with @digitalbazaar/vc and anchored nowhere", async function () {
    const foreign = await didKeyIssuer(new Uint8Array(32).fill(9));
    const badge = await signWithReference(prepared(foreign).credentials[0] as unknown as Record<string, unknown>, foreign);
    const result = await verifyCredential(badge, options);
    expect(result.status).to.equal("unanchored");
    expect(result.verified).to.equal(false);
    expect(checksOf(result)).to.include({ signature: "pass", proof: "fail" });
    expect(detailOf(result, "proof")).to.equal(`signed by ${foreign.id}, but not recorded in a registry this verifier trusts (it carries no anchor proof)`);
    expect(result.signature!.signers[0].verificationMethod).to.equal(foreign.verificationMethod);
    expect(result.anchor).to.equal(null);
    expect(chain.roundTrips).to.equal(0);
  });

  it("says tampered, not unanchored, for an edited badge that was only signed", async function () {
    const badge = (await signWithReference(batch.credentials[0] as unknown as Record<string, unknown>, didKey)) as Record<string, any>;
    badge.validFrom = badge.validFrom.replace("2", "1");
    const result = await verifyCredential(badge, options);
    expect(result.status).to.equal("tampered");
  });

  it("says issuer-mismatch for a badge signed by the key of another DID", async function () {
    const stranger = await didKeyIssuer(new Uint8Array(32).fill(3));
    const badge = await signedAndAnchored(didKey, batch, 0, stranger);
    const result = await verifyCredential(badge, options);
    expect(result.status).to.equal("issuer-mismatch");
    expect(checksOf(result)).to.include({ signature: "fail", integrity: "pass", anchor: "pass" });
    expect(detailOf(result, "signature")).to.contain(stranger.verificationMethod).and.to.contain(`not a key of the issuer ${didKey.id}`);
  });

  it("keeps an unsigned anchored badge valid, with a warning that other verifiers will refuse it", async function () {
    const badge = anchoredCredential(batch, 0, FACTS);
    const result = await verifyCredential(badge, options);
    expect(result.status).to.equal("valid");
    expect(checksOf(result).signature).to.equal("skip");
    expect(result.warnings).to.deep.equal(["carries no Data Integrity proof: verifiers other than this registry's (wallets, verifier-core) will refuse this badge"]);
  });

  it("still says unknown-anchor for a badge neither signed nor anchored", async function () {
    const result = await verifyCredential(batch.credentials[0], options);
    expect(result.status).to.equal("unknown-anchor");
    expect(checksOf(result)).to.include({ signature: "skip", proof: "fail" });
  });

  describe("a did:web issuer", function () {
    const DID = "did:web:uni.example";
    let uni: ReferenceIssuer;
    let uniBatch: PreparedBatch;

    beforeEach(async function () {
      uni = await hostedIssuer(DID, { blockchainAccountIds: [`eip155:${FAKE_CHAIN_ID}:${CONTROLLER}`], name: "Northfield University", seed: new Uint8Array(32).fill(5) });
      chain.registerIssuer(DID, CONTROLLER);
      uniBatch = prepared(uni);
      chain.anchor(DID, uniBatch.batch.root, uniBatch.credentials.length);
    });

    it("is valid when its DID document lists the key and names the registry's controller, whatever the case", async function () {
      const document = structuredClone(uni.document!) as Record<string, any>;
      const account = document.verificationMethod.find((method: Record<string, string>) => method.blockchainAccountId);
      account.blockchainAccountId = account.blockchainAccountId.toLowerCase();
      const badge = await signedAndAnchored(uni, uniBatch);
      const result = await verifyCredential(badge, { ...options, resolver: resolverOf({ [DID]: document }) });
      expect(result.status).to.equal("valid");
      expect(result.signature).to.deep.include({ signerName: "Northfield University" });
    });

    it("says issuer-mismatch when its DID document names another account as its controller on the anchor's chain", async function () {
      const other = await hostedIssuer(DID, { blockchainAccountIds: [`eip155:${FAKE_CHAIN_ID}:${OTHER_ACCOUNT}`], seed: new Uint8Array(32).fill(5) });
      const badge = await signedAndAnchored(uni, uniBatch);
      const result = await verifyCredential(badge, { ...options, resolver: resolverOf({ [DID]: other.document }) });
      expect(result.status).to.equal("issuer-mismatch");
      expect(detailOf(result, "signature")).to.equal(
        `the DID document of ${DID} names eip155:${FAKE_CHAIN_ID}:${OTHER_ACCOUNT} as its controller on chain ${FAKE_CHAIN_ID}, but the registry's controller of ${DID} is ${CONTROLLER}`,
      );
    });

    it("compares accounts only for the anchor's chain", async function () {
      const elsewhere = await hostedIssuer(DID, { blockchainAccountIds: [`eip155:1:${OTHER_ACCOUNT}`], seed: new Uint8Array(32).fill(5) });
      const badge = await signedAndAnchored(uni, uniBatch);
      const result = await verifyCredential(badge, { ...options, resolver: resolverOf({ [DID]: elsewhere.document }) });
      expect(result.status).to.equal("valid");
    });

    it("says issuer-mismatch when its DID document lists no key for the proof", async function () {
      const rotated = await hostedIssuer(DID, { seed: new Uint8Array(32).fill(6) });
      (rotated.document!.verificationMethod as Array<Record<string, string>>)[0].id = `${DID}#key-2`;
      rotated.document!.assertionMethod = [`${DID}#key-2`];
      const badge = await signedAndAnchored(uni, uniBatch);
      const result = await verifyCredential(badge, { ...options, resolver: resolverOf({ [DID]: rotated.document }) });
      expect(result.status).to.equal("issuer-mismatch");
      expect(detailOf(result, "signature")).to.contain(`${DID}#key-1`);
    });

    it("says tampered when the document lists the key id but with another public key", async function () {
      const impostor = await hostedIssuer(DID, { blockchainAccountIds: [`eip155:${FAKE_CHAIN_ID}:${CONTROLLER}`], seed: new Uint8Array(32).fill(8) });
      const badge = await signedAndAnchored(uni, uniBatch);
      const result = await verifyCredential(badge, { ...options, resolver: resolverOf({ [DID]: impostor.document }) });
      expect(result.status).to.equal("tampered");
    });

    it("skips the signature with a warning when the DID document cannot be fetched but the anchor reads fine", async function () {
      const badge = await signedAndAnchored(uni, uniBatch);
      const result = await verifyCredential(badge, { ...options, resolver: resolverOf({}) });
      expect(result.status).to.equal("valid");
      expect(checksOf(result).signature).to.equal("skip");
      expect(result.warnings).to.have.length(1);
      expect(result.warnings[0]).to.contain("did not answer within 3000 ms").and.to.contain("the registry's anchor vouches for the content");
    });

    it("says unavailable when the DID document cannot be fetched and there is no anchor to fall back on", async function () {
      const badge = await signWithReference(uniBatch.credentials[0] as unknown as Record<string, unknown>, uni);
      const result = await verifyCredential(badge, { ...options, resolver: resolverOf({}) });
      expect(result.status).to.equal("unavailable");
      expect(result.verified).to.equal(false);
      expect(detailOf(result, "signature")).to.contain(`the controller document of ${DID} could not be read`);
    });

    it("says unanchored, naming the issuer as its own DID document does, when signed but anchored nowhere", async function () {
      // The badge calls its issuer something else: the page names the signer as the DID document does.
      const claiming = structuredClone(uniBatch.credentials[0]) as unknown as Record<string, any>;
      claiming.issuer = { ...claiming.issuer, name: "Harvard University" };
      const badge = await signWithReference(claiming, uni);
      const result = await verifyCredential(badge, { ...options, resolver: resolverOf({ [DID]: uni.document }) });
      expect(result.status).to.equal("unanchored");
      expect(detailOf(result, "proof")).to.equal(`signed by Northfield University (${DID}), but not recorded in a registry this verifier trusts (it carries no anchor proof)`);
    });

    it("without a resolver (the command line, offline) checks did:key only, and says why not for a did:web", async function () {
      const badge = await signedAndAnchored(uni, uniBatch);
      const result = await verifyCredential(badge, options);
      expect(result.status).to.equal("valid");
      expect(result.warnings[0]).to.contain("this verifier resolves did:key only");
    });
  });
});
