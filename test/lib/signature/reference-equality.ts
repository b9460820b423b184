/**
 * Our suite against the reference (@digitalbazaar/vc + data-integrity + the eddsa cryptosuites): Ed25519
 * is deterministic, so with the same key and `created` both must produce the same proofValue, and each
 * must verify the other's credentials.
 */
import { expect } from "chai";

import { credentialHash } from "../../../lib/credential/canonical.js";
import { contextLoader, type JsonLdObject } from "../../../lib/signature/contexts.js";
import { createBatchSigner, withProofs, type Cryptosuite } from "../../../lib/signature/data-integrity.js";
import { didKeyDocument, didKeyOf, didKeyVerificationMethod } from "../../../lib/signature/did-key.js";
import { verifyDataIntegrityProofs } from "../../../lib/signature/verify-proofs.js";
import { CREATED, EXAMPLE_BADGES, issuedBy, OLDER_BADGE, TEST_KEY_PAIR } from "./fixtures.js";
import { referenceLoader, referenceSign, referenceVerify } from "./reference.js";

const did = didKeyOf(TEST_KEY_PAIR.publicKey);
const verificationMethod = didKeyVerificationMethod(did);
const loader = contextLoader();
const refLoader = referenceLoader([didKeyDocument(did)]);
const noResolver = {
  async resolve(id: string): Promise<unknown> {
    throw new Error(`no network in this test (asked for ${id})`);
  },
};
const anchorProof = {
  type: "CredentialRegistryAnchor2026",
  chainId: 31337,
  registry: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  root: `0x${"ab".repeat(32)}`,
  leafIndex: 0,
  merklePath: [],
  anchoredAt: "2026-03-14T09:00:05Z",
  transactionHash: `0x${"cd".repeat(32)}`,
};

describe("lib/signature: our suite equals the reference (@digitalbazaar/vc)", function () {
  it("has example badges to compare", function () {
    expect(EXAMPLE_BADGES.length).to.be.at.least(6);
  });

  for (const cryptosuite of ["eddsa-rdfc-2022", "eddsa-jcs-2022"] as Cryptosuite[]) {
    describe(cryptosuite, function () {
      const signer = createBatchSigner({ verificationMethod, keyPair: TEST_KEY_PAIR }, { cryptosuite, created: CREATED, loader });

      for (const { name, badge } of EXAMPLE_BADGES) {
        const credential = issuedBy(badge, did);

        it(`${name}: the same proofValue as the reference, and each verifies the other's`, async function () {
          const theirs = await referenceSign(credential, { suite: cryptosuite, keyPair: TEST_KEY_PAIR, verificationMethod, created: CREATED, loader: refLoader });
          const ourProof = await signer.sign(credential);
          const theirProof = theirs.proof as JsonLdObject;
          expect(ourProof.proofValue).to.equal(theirProof.proofValue);
          expect(ourProof.created).to.equal(theirProof.created);

          const ours = withProofs(credential, ourProof);
          const theirsVerified = await referenceVerify(ours, refLoader);
          expect(theirsVerified.verified, String(theirsVerified.error)).to.equal(true);
          const oursVerified = await verifyDataIntegrityProofs(theirs, { resolver: noResolver, loader });
          expect(oursVerified.result, oursVerified.detail).to.equal("pass");
          expect(oursVerified.controllerDocument).to.equal(null);
        });
      }
    });
  }

  describe("proof sets and the credential hash", function () {
    const signer = createBatchSigner({ verificationMethod, keyPair: TEST_KEY_PAIR }, { created: CREATED, loader });
    const credential = issuedBy(EXAMPLE_BADGES[0]!.badge, did);

    it("gives the credential the same hash with and without its proofs", async function () {
      const signed = withProofs(credential, await signer.sign(credential), anchorProof);
      expect(credentialHash(signed)).to.equal(credentialHash(credential));
    });

    it("verifies a proof set [DataIntegrityProof, CredentialRegistryAnchor2026], in ours and in the reference", async function () {
      const signed = withProofs(credential, await signer.sign(credential), anchorProof);
      expect((signed.proof as JsonLdObject[]).map((proof) => proof.type)).to.deep.equal(["DataIntegrityProof", "CredentialRegistryAnchor2026"]);
      const outcome = await verifyDataIntegrityProofs(signed, { resolver: noResolver, loader });
      expect(outcome.result, outcome.detail).to.equal("pass");
      expect(outcome.warnings).to.deep.equal([]);
      // The reference has no suite for the anchor proof; it must still verify the signature beside it.
      const reference = await referenceVerify(withProofs(credential, await signer.sign(credential)), refLoader);
      expect(reference.verified, String(reference.error)).to.equal(true);
    });

    it("signs the credential without its existing proofs, keeping them in the set", async function () {
      const anchored = withProofs(credential, anchorProof);
      const proof = await signer.sign(anchored);
      expect(proof.proofValue).to.equal((await signer.sign(credential)).proofValue);
      const signed = withProofs(anchored, proof);
      expect((signed.proof as JsonLdObject[]).map((entry) => entry.type)).to.deep.equal(["CredentialRegistryAnchor2026", "DataIntegrityProof"]);
      expect((await verifyDataIntegrityProofs(signed, { resolver: noResolver, loader })).result).to.equal("pass");
    });
  });

  describe("Ed25519Signature2020 (older badges), signed by @digitalbazaar/ed25519-signature-2020", function () {
    const variants: Array<{ label: string; credential: JsonLdObject }> = [
      {
        label: "VC 2.0 + OB 3.0.3",
        credential: issuedBy({ ...EXAMPLE_BADGES[0]!.badge, "@context": [...(EXAMPLE_BADGES[0]!.badge["@context"] as string[]), "https://w3id.org/security/suites/ed25519-2020/v1"] }, did),
      },
      {
        label: "VC 1.1 + OB 3.0.0",
        credential: issuedBy(OLDER_BADGE, did),
      },
    ];
    for (const { label, credential } of variants) {
      it(`${label}: verifies in ours; a one-character edit fails as tampered`, async function () {
        const signed = await referenceSign(credential, { suite: "Ed25519Signature2020", keyPair: TEST_KEY_PAIR, verificationMethod, created: CREATED, loader: refLoader });
        expect((signed.proof as JsonLdObject).type).to.equal("Ed25519Signature2020");
        const outcome = await verifyDataIntegrityProofs(signed, { resolver: noResolver, loader });
        expect(outcome.result, outcome.detail).to.equal("pass");
        expect(outcome.signers[0]!.cryptosuite).to.equal("Ed25519Signature2020");
        const edited = structuredClone(signed);
        edited.name = `${String(edited.name)}.`;
        const failed = await verifyDataIntegrityProofs(edited, { resolver: noResolver, loader });
        expect(failed.status, failed.detail).to.equal("tampered");
      });
    }
  });
});
