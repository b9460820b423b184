/** What verifyDataIntegrityProofs tells a user when a signature cannot be trusted: one case per failure. */
import { expect } from "chai";

import { contextLoader, type JsonLdObject } from "../../../lib/signature/contexts.js";
import { buildControllerDocument } from "../../../lib/signature/controller-document.js";
import { createBatchSigner, withProofs } from "../../../lib/signature/data-integrity.js";
import { didKeyOf, didKeyVerificationMethod } from "../../../lib/signature/did-key.js";
import { generateEd25519KeyPair } from "../../../lib/signature/ed25519-keys.js";
import { verifyDataIntegrityProofs, type ControllerResolver } from "../../../lib/signature/verify-proofs.js";
import { CREATED, EXAMPLE_BADGES, issuedBy, TEST_KEY_PAIR } from "./fixtures.js";

const loader = contextLoader();
const DID_WEB = "did:web:uni.example";
const KEY_ID = `${DID_WEB}#key-1`;
const webDocument = buildControllerDocument({ id: DID_WEB, publicKey: TEST_KEY_PAIR.publicKey });
const resolverOf = (documents: Record<string, unknown>): ControllerResolver => ({
  async resolve(id) {
    if (!(id in documents)) throw new Error(`${id}: 404 Not Found`);
    return documents[id];
  },
});
const badge = EXAMPLE_BADGES.find(({ name }) => name === "uni-sql-for-analysts.json")!.badge;

async function signedBy(verificationMethod: string, issuerId = DID_WEB, keyPair = TEST_KEY_PAIR): Promise<JsonLdObject> {
  const credential = issuedBy(badge, issuerId);
  const signer = createBatchSigner({ verificationMethod, keyPair }, { created: CREATED, loader });
  return withProofs(credential, await signer.sign(credential));
}
const proofOf = (credential: JsonLdObject): JsonLdObject => (credential.proof as JsonLdObject[])[0]!;

describe("lib/signature/verify-proofs: the signature check", function () {
  it("passes a did:web badge whose key the issuer's document lists, and returns that document", async function () {
    const outcome = await verifyDataIntegrityProofs(await signedBy(KEY_ID), { resolver: resolverOf({ [DID_WEB]: webDocument }), loader });
    expect(outcome).to.include({ result: "pass" });
    expect(outcome.controllerDocument).to.deep.equal(webDocument);
    expect(outcome.signers).to.deep.equal([{ verificationMethod: KEY_ID, controller: DID_WEB, cryptosuite: "eddsa-rdfc-2022" }]);
  });

  it("skips a badge without a Data Integrity proof", async function () {
    const outcome = await verifyDataIntegrityProofs(issuedBy(badge, DID_WEB), { resolver: resolverOf({}), loader });
    expect(outcome).to.include({ result: "skip", detail: "carries no Data Integrity proof" });
    expect(outcome.status).to.equal(undefined);
  });

  describe("tampered", function () {
    it("fails a badge whose signature was made by another key than the listed one", async function () {
      const outcome = await verifyDataIntegrityProofs(await signedBy(KEY_ID, DID_WEB, generateEd25519KeyPair()), {
        resolver: resolverOf({ [DID_WEB]: webDocument }),
        loader,
      });
      expect(outcome).to.include({ result: "fail", status: "tampered" });
    });

    it("fails a badge whose proof's created was changed", async function () {
      const credential = await signedBy(KEY_ID);
      proofOf(credential).created = "2026-03-14T09:00:01Z";
      const outcome = await verifyDataIntegrityProofs(credential, { resolver: resolverOf({ [DID_WEB]: webDocument }), loader });
      expect(outcome).to.include({ result: "fail", status: "tampered" });
    });
  });

  describe("issuer-mismatch", function () {
    it("fails when the verification method is not in the issuer's document", async function () {
      const outcome = await verifyDataIntegrityProofs(await signedBy(`${DID_WEB}#key-2`), { resolver: resolverOf({ [DID_WEB]: webDocument }), loader });
      expect(outcome).to.include({ result: "fail", status: "issuer-mismatch" });
      expect(outcome.detail).to.match(/lists no verification method did:web:uni\.example#key-2/);
    });

    it("fails when the key's controller is not issuer.id", async function () {
      const document = structuredClone(webDocument);
      (document.verificationMethod as JsonLdObject[])[0]!.controller = "did:web:other.example";
      const outcome = await verifyDataIntegrityProofs(await signedBy(KEY_ID), { resolver: resolverOf({ [DID_WEB]: document }), loader });
      expect(outcome).to.include({ result: "fail", status: "issuer-mismatch" });
      expect(outcome.detail).to.match(/controlled by "did:web:other\.example", not by the issuer did:web:uni\.example/);
    });

    it("fails when the document served is another DID's", async function () {
      const other = buildControllerDocument({ id: "did:web:other.example", publicKey: TEST_KEY_PAIR.publicKey });
      const outcome = await verifyDataIntegrityProofs(await signedBy(KEY_ID), { resolver: resolverOf({ [DID_WEB]: other }), loader });
      expect(outcome).to.include({ result: "fail", status: "issuer-mismatch" });
      expect(outcome.detail).to.match(/is that of did:web:other\.example/);
    });

    it("fails when the key is listed but not for assertionMethod", async function () {
      const document = { ...structuredClone(webDocument), assertionMethod: [] };
      const outcome = await verifyDataIntegrityProofs(await signedBy(KEY_ID), { resolver: resolverOf({ [DID_WEB]: document }), loader });
      expect(outcome).to.include({ result: "fail", status: "issuer-mismatch" });
      expect(outcome.detail).to.match(/not listed for assertionMethod/);
    });

    it("fails a badge signed by another DID's key than issuer.id, without fetching anything", async function () {
      const did = didKeyOf(TEST_KEY_PAIR.publicKey);
      const outcome = await verifyDataIntegrityProofs(await signedBy(didKeyVerificationMethod(did), DID_WEB), { resolver: resolverOf({}), loader });
      expect(outcome).to.include({ result: "fail", status: "issuer-mismatch" });
      expect(outcome.detail).to.match(/is not a key of the issuer did:web:uni\.example/);
    });

    it("fails a did:key badge whose issuer is another did:key", async function () {
      const signerDid = didKeyOf(TEST_KEY_PAIR.publicKey);
      const issuerDid = didKeyOf(generateEd25519KeyPair().publicKey);
      const outcome = await verifyDataIntegrityProofs(await signedBy(didKeyVerificationMethod(signerDid), issuerDid), { resolver: resolverOf({}), loader });
      expect(outcome).to.include({ result: "fail", status: "issuer-mismatch" });
    });
  });

  describe("unavailable", function () {
    it("skips with the resolver's reason when the issuer's document cannot be fetched", async function () {
      const outcome = await verifyDataIntegrityProofs(await signedBy(KEY_ID), { resolver: resolverOf({}), loader });
      expect(outcome).to.include({ result: "skip", status: "unavailable" });
      expect(outcome.detail).to.match(/controller document of did:web:uni\.example could not be read: did:web:uni\.example: 404 Not Found/);
    });

    it("skips when the resolver returns something that is not a JSON object", async function () {
      const outcome = await verifyDataIntegrityProofs(await signedBy(KEY_ID), { resolver: resolverOf({ [DID_WEB]: "<html>" }), loader });
      expect(outcome).to.include({ result: "skip", status: "unavailable" });
      expect(outcome.detail).to.match(/is not a JSON object/);
    });

    it("skips naming the URL when the credential names a context the loader does not hold", async function () {
      const credential = await signedBy(KEY_ID);
      credential["@context"] = [...(credential["@context"] as string[]), "https://contexts.example/unknown.jsonld"];
      const outcome = await verifyDataIntegrityProofs(credential, { resolver: resolverOf({ [DID_WEB]: webDocument }), loader });
      expect(outcome).to.include({ result: "skip", status: "unavailable" });
      expect(outcome.detail).to.match(/https:\/\/contexts\.example\/unknown\.jsonld is not bundled/);
    });
  });

  describe("warnings", function () {
    it("warns of a proof of a cryptosuite it cannot check, and checks the others", async function () {
      const credential = await signedBy(KEY_ID);
      const foreign = { type: "DataIntegrityProof", cryptosuite: "ecdsa-rdfc-2019", verificationMethod: KEY_ID, proofPurpose: "assertionMethod", proofValue: "z1" };
      const outcome = await verifyDataIntegrityProofs(withProofs(credential, foreign), { resolver: resolverOf({ [DID_WEB]: webDocument }), loader });
      expect(outcome.result).to.equal("pass");
      expect(outcome.warnings).to.deep.equal(['proof 2 is a DataIntegrityProof of cryptosuite "ecdsa-rdfc-2019", which this verifier cannot check: not checked']);
    });

    it("skips, with a warning, a badge whose only proof is of a type it cannot check", async function () {
      const credential = withProofs(issuedBy(badge, DID_WEB), { type: "JsonWebSignature2020", jws: "e30..x" });
      const outcome = await verifyDataIntegrityProofs(credential, { resolver: resolverOf({}), loader });
      expect(outcome.result).to.equal("skip");
      expect(outcome.warnings[0]).to.match(/type "JsonWebSignature2020", which this verifier cannot check/);
    });
  });

  describe("malformed", function () {
    const cases: Array<[string, (proof: JsonLdObject) => void, RegExp]> = [
      ["no proofValue", (proof) => delete proof.proofValue, /no proofValue in base58btc multibase/],
      ["a proofValue not base58btc", (proof) => (proof.proofValue = "z0OIl"), /not base58btc/],
      ["a proofValue of the wrong length", (proof) => (proof.proofValue = "z3yMApqCuCjXDWPrbjfR5mjCPTHqFG8Pux1TxQrEM35jj"), /not a 64-byte Ed25519 signature/],
      ["a proofValue in base64url", (proof) => (proof.proofValue = `u${"A".repeat(86)}`), /base58btc multibase/],
      ["no verificationMethod", (proof) => delete proof.verificationMethod, /no verificationMethod/],
      ["another proofPurpose", (proof) => (proof.proofPurpose = "authentication"), /proofPurpose "authentication", not "assertionMethod"/],
      ["a created that is not a date", (proof) => (proof.created = "yesterday"), /"created" that is not an XSD dateTime/],
    ];
    for (const [label, edit, detail] of cases) {
      it(`fails a proof with ${label}`, async function () {
        const credential = await signedBy(KEY_ID);
        edit(proofOf(credential));
        const outcome = await verifyDataIntegrityProofs(credential, { resolver: resolverOf({ [DID_WEB]: webDocument }), loader });
        expect(outcome).to.include({ result: "fail", status: "malformed" });
        expect(outcome.detail).to.match(detail);
      });
    }

    it("fails a proof that is not an object", async function () {
      const credential = { ...issuedBy(badge, DID_WEB), proof: ["not a proof"] };
      const outcome = await verifyDataIntegrityProofs(credential, { resolver: resolverOf({}), loader });
      expect(outcome).to.include({ result: "fail", status: "malformed", detail: "proof 1 is not an object" });
    });

    it("fails a credential with no issuer id", async function () {
      const credential = await signedBy(KEY_ID);
      delete credential.issuer;
      const outcome = await verifyDataIntegrityProofs(credential, { resolver: resolverOf({}), loader });
      expect(outcome).to.include({ result: "fail", status: "malformed" });
      expect(outcome.detail).to.match(/no issuer id/);
    });

    it("fails, naming the term, a credential with a term no context defines (JSON-LD safe mode)", async function () {
      const credential = await signedBy(KEY_ID);
      credential.undefinedTerm = "x";
      const outcome = await verifyDataIntegrityProofs(credential, { resolver: resolverOf({ [DID_WEB]: webDocument }), loader });
      expect(outcome).to.include({ result: "fail", status: "malformed" });
      expect(outcome.detail).to.match(/safe mode.*undefinedTerm/);
    });

    it("fails a did:key issuer that is not an Ed25519 did:key", async function () {
      const credential = await signedBy("did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme#zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme", DID_WEB).catch(() => null);
      expect(credential).to.equal(null); // the signer refuses a did:key that is not its key…
      const signed = await signedBy(KEY_ID);
      const secp = "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme";
      const forged = { ...issuedBy(signed, secp), proof: [{ ...proofOf(signed), verificationMethod: `${secp}#${secp.slice(8)}` }] };
      const outcome = await verifyDataIntegrityProofs(forged, { resolver: resolverOf({}), loader });
      expect(outcome).to.include({ result: "fail", status: "malformed" }); // …and the verifier names the key format
      expect(outcome.detail).to.match(/not an Ed25519 public key/);
    });
  });
});
