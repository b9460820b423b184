import { expect } from "chai";

import { contextLoader } from "../../../lib/signature/contexts.js";
import { createBatchSigner } from "../../../lib/signature/data-integrity.js";
import { verifyDataIntegrityProofs } from "../../../lib/signature/verify-proofs.js";
import {
  VECTOR_CONTEXTS,
  VECTOR_CONTROLLER_DOCUMENT,
  VECTOR_ISSUER,
  VECTOR_KEY_PAIR,
  VECTOR_PUBLIC_KEY_MULTIBASE,
  vectorCredential,
} from "./fixtures.js";
import { encodePublicKeyMultibase } from "../../../lib/signature/ed25519-keys.js";

const loader = contextLoader(VECTOR_CONTEXTS);
const resolver = {
  async resolve(id: string) {
    if (id !== VECTOR_ISSUER) throw new Error(`no document for ${id}`);
    return VECTOR_CONTROLLER_DOCUMENT;
  },
};

describe("lib/signature: the W3C Data Integrity EdDSA test vectors (../shared/fixtures/vc-di-eddsa)", function () {
  it("decodes the spec's secret key to the spec's public key", function () {
    expect(encodePublicKeyMultibase(VECTOR_KEY_PAIR.publicKey)).to.equal(VECTOR_PUBLIC_KEY_MULTIBASE);
  });

  for (const suite of ["eddsa-rdfc-2022", "eddsa-jcs-2022"] as const) {
    describe(suite, function () {
      it("verifies the signed credential with the issuer's controller document", async function () {
        const outcome = await verifyDataIntegrityProofs(vectorCredential(suite), { resolver, loader });
        expect(outcome.result, outcome.detail).to.equal("pass");
        expect(outcome.signers).to.deep.equal([
          { verificationMethod: `${VECTOR_ISSUER}#${VECTOR_PUBLIC_KEY_MULTIBASE}`, controller: VECTOR_ISSUER, cryptosuite: suite },
        ]);
        expect(outcome.controllerDocument).to.deep.equal(VECTOR_CONTROLLER_DOCUMENT);
      });

      it("fails as tampered when one character of `name` changes", async function () {
        const credential = vectorCredential(suite);
        credential.name = "Alumni Credentiak";
        const outcome = await verifyDataIntegrityProofs(credential, { resolver, loader });
        expect(outcome.result).to.equal("fail");
        expect(outcome.status).to.equal("tampered");
        expect(outcome.detail).to.match(/signature does not match/);
      });

      it("signs the vector's credential to the vector's proofValue (same key, same created)", async function () {
        const signed = vectorCredential(suite);
        const { proof, ...credential } = signed;
        const expected = proof as { created: string; verificationMethod: string; proofValue: string };
        const signer = createBatchSigner(
          { verificationMethod: expected.verificationMethod, keyPair: VECTOR_KEY_PAIR },
          { cryptosuite: suite, created: new Date(expected.created), loader },
        );
        const ours = await signer.sign(credential);
        expect(ours.proofValue).to.equal(expected.proofValue);
        expect(ours.created).to.equal(expected.created);
      });
    });
  }
});
