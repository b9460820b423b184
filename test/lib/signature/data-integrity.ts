import { expect } from "chai";

import { contextLoader, type JsonLdObject } from "../../../lib/signature/contexts.js";
import { createBatchSigner, proofDate, SigningError, withProofs } from "../../../lib/signature/data-integrity.js";
import { didKeyOf, didKeyVerificationMethod } from "../../../lib/signature/did-key.js";
import { generateEd25519KeyPair } from "../../../lib/signature/ed25519-keys.js";
import { verifyDataIntegrityProofs } from "../../../lib/signature/verify-proofs.js";
import { CREATED, EXAMPLE_BADGES, issuedBy, OLDER_BADGE, TEST_KEY_PAIR } from "./fixtures.js";

const loader = contextLoader();
const did = didKeyOf(TEST_KEY_PAIR.publicKey);
const verificationMethod = didKeyVerificationMethod(did);
const noResolver = { resolve: async (): Promise<unknown> => Promise.reject(new Error("offline")) };

describe("lib/signature/data-integrity: the batch signer", function () {
  it("writes the proof the spec describes, created to the second", async function () {
    const signer = createBatchSigner({ verificationMethod, keyPair: TEST_KEY_PAIR }, { created: new Date("2026-03-14T09:00:00.789Z"), loader });
    const proof = await signer.sign(issuedBy(EXAMPLE_BADGES[0]!.badge, did));
    expect(Object.keys(proof)).to.deep.equal(["type", "cryptosuite", "created", "verificationMethod", "proofPurpose", "proofValue"]);
    expect(proof).to.include({ type: "DataIntegrityProof", cryptosuite: "eddsa-rdfc-2022", created: "2026-03-14T09:00:00Z", proofPurpose: "assertionMethod" });
    expect(proof.proofValue).to.match(/^z[1-9A-HJ-NP-Za-km-z]{86,88}$/);
  });

  it("signs badges of different @contexts in one batch, each verifiable", async function () {
    const signer = createBatchSigner({ verificationMethod, keyPair: TEST_KEY_PAIR }, { created: CREATED, loader });
    for (const credential of [issuedBy(EXAMPLE_BADGES[0]!.badge, did), issuedBy(OLDER_BADGE, did), issuedBy(EXAMPLE_BADGES[1]!.badge, did)]) {
      const outcome = await verifyDataIntegrityProofs(withProofs(credential, await signer.sign(credential)), { resolver: noResolver, loader });
      expect(outcome.result, outcome.detail).to.equal("pass");
    }
  });

  it("does not change the credential it signs", async function () {
    const credential = issuedBy(EXAMPLE_BADGES[0]!.badge, did);
    const before = structuredClone(credential);
    await createBatchSigner({ verificationMethod, keyPair: TEST_KEY_PAIR }, { created: CREATED, loader }).sign(credential);
    expect(credential).to.deep.equal(before);
  });

  describe("refuses, with a clear error", function () {
    it("a did:key verification method that is not the signing key's", function () {
      const other = didKeyVerificationMethod(didKeyOf(generateEd25519KeyPair().publicKey));
      expect(() => createBatchSigner({ verificationMethod: other, keyPair: TEST_KEY_PAIR }, { created: CREATED, loader })).to.throw(SigningError, /not the key of/);
    });

    it("a key pair whose public key is not its seed's", function () {
      const keyPair = { secretKey: TEST_KEY_PAIR.secretKey, publicKey: generateEd25519KeyPair().publicKey };
      expect(() => createBatchSigner({ verificationMethod: "did:web:uni.example#key-1", keyPair }, { created: CREATED, loader })).to.throw(SigningError, /not derived from its secret key/);
    });

    it("a verification method without a fragment, an invalid date, an unknown cryptosuite", function () {
      expect(() => createBatchSigner({ verificationMethod: "did:web:uni.example", keyPair: TEST_KEY_PAIR }, { created: CREATED, loader })).to.throw(SigningError, /with a fragment/);
      expect(() => proofDate(new Date("nope"))).to.throw(SigningError, /not a valid date/);
      const cryptosuite = "ecdsa-rdfc-2019" as "eddsa-rdfc-2022";
      expect(() => createBatchSigner({ verificationMethod, keyPair: TEST_KEY_PAIR }, { cryptosuite, created: CREATED, loader })).to.throw(SigningError, /unsupported cryptosuite/);
    });

    it("a credential without @context, or naming a context not held (by URL)", async function () {
      const signer = createBatchSigner({ verificationMethod, keyPair: TEST_KEY_PAIR }, { created: CREATED, loader });
      const { "@context": _context, ...bare } = issuedBy(EXAMPLE_BADGES[0]!.badge, did);
      await signer.sign(bare).then(
        () => expect.fail("signed a credential without @context"),
        (error: Error) => expect(error).to.be.instanceOf(SigningError),
      );
      const unknown: JsonLdObject = { ...bare, "@context": ["https://www.w3.org/ns/credentials/v2", "https://contexts.example/x.jsonld"] };
      await signer.sign(unknown).then(
        () => expect.fail("signed under an unknown context"),
        (error: Error) => expect(error.message).to.match(/https:\/\/contexts\.example\/x\.jsonld is not bundled/),
      );
    });
  });
});
