import { expect } from "chai";

import {
  assertionKeyOf,
  blockchainAccountIdsOf,
  buildControllerDocument,
  didWebDocumentUrl,
  DidWebError,
} from "../../../lib/signature/controller-document.js";
import { encodePublicKeyMultibase, KeyFormatError } from "../../../lib/signature/ed25519-keys.js";
import { TEST_KEY_PAIR } from "./fixtures.js";

const DID = "did:web:uni.example";
const ACCOUNT = "eip155:31337:0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

describe("lib/signature/controller-document", function () {
  describe("buildControllerDocument", function () {
    const document = buildControllerDocument({ id: DID, publicKey: TEST_KEY_PAIR.publicKey, blockchainAccountIds: [ACCOUNT] });

    it("lists the Ed25519 Multikey for assertionMethod with an absolute id", function () {
      const key = assertionKeyOf(document, `${DID}#key-1`, DID);
      expect(key).to.deep.equal({ ok: true, verificationMethod: `${DID}#key-1`, controller: DID, publicKey: TEST_KEY_PAIR.publicKey });
      expect(document.assertionMethod).to.deep.equal([`${DID}#key-1`]);
    });

    it("names the registry controller as a CAIP-10 blockchainAccountId, under a context defining it", function () {
      expect(blockchainAccountIdsOf(document)).to.deep.equal([ACCOUNT]);
      expect(document["@context"]).to.include("https://w3id.org/security/suites/secp256k1recovery-2020/v2");
    });

    it("has no account context when there is no account", function () {
      const plain = buildControllerDocument({ id: "https://uni.example/issuer", publicKey: TEST_KEY_PAIR.publicKey, keyFragment: "signing" });
      expect(plain["@context"]).to.deep.equal(["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]);
      expect(blockchainAccountIdsOf(plain)).to.deep.equal([]);
      expect(assertionKeyOf(plain, "https://uni.example/issuer#signing", "https://uni.example/issuer").ok).to.equal(true);
    });

    it("refuses an account that is not CAIP-10 eip155", function () {
      expect(() => buildControllerDocument({ id: DID, publicKey: TEST_KEY_PAIR.publicKey, blockchainAccountIds: ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8"] })).to.throw(
        KeyFormatError,
        /not a CAIP-10 account id/,
      );
    });
  });

  describe("assertionKeyOf", function () {
    it("accepts relative ids (#key-1) as written by hand in many did.json files", function () {
      const document = {
        id: DID,
        verificationMethod: [{ id: "#key-1", type: "Ed25519VerificationKey2020", controller: DID, publicKeyMultibase: encodePublicKeyMultibase(TEST_KEY_PAIR.publicKey) }],
        assertionMethod: ["#key-1"],
      };
      expect(assertionKeyOf(document, `${DID}#key-1`, DID).ok).to.equal(true);
    });

    it("refuses a key of another type, and a document that is not an object", function () {
      const document = { id: DID, verificationMethod: [{ id: `${DID}#k`, type: "JsonWebKey2020", controller: DID }], assertionMethod: [`${DID}#k`] };
      expect(assertionKeyOf(document, `${DID}#k`, DID)).to.deep.equal({ ok: false, problem: `${DID}#k is of type "JsonWebKey2020", not an Ed25519 Multikey` });
      expect(assertionKeyOf("nope", `${DID}#k`, DID).ok).to.equal(false);
    });
  });

  describe("didWebDocumentUrl", function () {
    const cases: Array<[string, string]> = [
      ["did:web:uni.example", "https://uni.example/.well-known/did.json"],
      ["did:web:uni.example:issuers:data-academy", "https://uni.example/issuers/data-academy/did.json"],
      ["did:web:localhost%3A8443", "https://localhost:8443/.well-known/did.json"],
      ["did:web:Uni.Example", "https://uni.example/.well-known/did.json"],
    ];
    for (const [did, url] of cases) {
      it(`${did} → ${url}`, function () {
        expect(didWebDocumentUrl(did)).to.equal(url);
      });
    }

    for (const did of ["did:key:z6Mk", "did:web:", "did:web:uni.example::a", "did:web:uni.example/evil", "did:web:user@host"]) {
      it(`refuses ${did}`, function () {
        expect(() => didWebDocumentUrl(did)).to.throw(DidWebError);
      });
    }
  });
});
