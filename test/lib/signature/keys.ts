import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import { base58 } from "@scure/base";
import { expect } from "chai";

import { didKeyDocument, didKeyOf, didKeyVerificationMethod } from "../../../lib/signature/did-key.js";
import {
  decodePublicKeyMultibase,
  decodeSecretKeyMultibase,
  encodePublicKeyMultibase,
  encodeSecretKeyMultibase,
  generateEd25519KeyPair,
  KeyFormatError,
} from "../../../lib/signature/ed25519-keys.js";
import { TEST_KEY_PAIR } from "./fixtures.js";

describe("lib/signature/ed25519-keys and did-key", function () {
  describe("multibase keys", function () {
    it("round-trips a generated key pair through z6Mk… and z3u2…", function () {
      const pair = generateEd25519KeyPair();
      const publicText = encodePublicKeyMultibase(pair.publicKey);
      const secretText = encodeSecretKeyMultibase(pair.secretKey);
      expect(publicText).to.match(/^z6Mk/);
      expect(secretText).to.match(/^z3u2/);
      expect(decodePublicKeyMultibase(publicText)).to.deep.equal(pair.publicKey);
      expect(decodeSecretKeyMultibase(secretText)).to.deep.equal(pair);
    });

    it("decodes a key it has seen before to the same bytes, and no caller can change them for the next", function () {
      const pair = generateEd25519KeyPair();
      const text = encodePublicKeyMultibase(pair.publicKey);
      const first = decodePublicKeyMultibase(text);
      first.fill(0);
      expect(decodePublicKeyMultibase(text)).to.deep.equal(pair.publicKey);
      const again = decodePublicKeyMultibase(text);
      again[0] ^= 1;
      expect(decodePublicKeyMultibase(text)).to.deep.equal(pair.publicKey);
      // A bad key is refused every time, not remembered.
      const bad = `${text.slice(0, -2)}0O`;
      expect(() => decodePublicKeyMultibase(bad)).to.throw(KeyFormatError);
      expect(() => decodePublicKeyMultibase(bad)).to.throw(KeyFormatError);
    });

    it("writes the same multibase texts as @digitalbazaar/ed25519-multikey for the same seed", async function () {
      const reference = await Ed25519Multikey.generate({ seed: TEST_KEY_PAIR.secretKey, controller: "did:example:1" });
      const exported = await reference.export({ publicKey: true, secretKey: true });
      expect(encodePublicKeyMultibase(TEST_KEY_PAIR.publicKey)).to.equal(exported.publicKeyMultibase);
      // The reference exports seed ‖ public key (64 bytes); ours is the 32-byte seed of the W3C vectors. Both read.
      expect(decodeSecretKeyMultibase(String(exported.secretKeyMultibase))).to.deep.equal(TEST_KEY_PAIR);
    });

    const bad: Array<[string, string, RegExp]> = [
      ["not multibase", "6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", /not base58btc multibase/],
      ["not base58", "z6Mk0OIl", /not valid base58btc/],
      ["another key type (secp256k1)", "zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme", /not an Ed25519 public key/],
      ["a secret key given as public", encodeSecretKeyMultibase(TEST_KEY_PAIR.secretKey), /not an Ed25519 public key/],
      ["too short", `z${base58.encode(Uint8Array.of(0xed, 0x01, ...new Uint8Array(31)))}`, /has 31 key bytes, not 32/],
    ];
    for (const [label, value, message] of bad) {
      it(`refuses a public key that is ${label}, saying so`, function () {
        expect(() => decodePublicKeyMultibase(value)).to.throw(KeyFormatError, message);
      });
    }

    it("refuses a 64-byte secret key whose public half is not its seed's", function () {
      const other = generateEd25519KeyPair();
      const mixed = `z${base58.encode(Uint8Array.of(0x80, 0x26, ...TEST_KEY_PAIR.secretKey, ...other.publicKey))}`;
      expect(() => decodeSecretKeyMultibase(mixed)).to.throw(KeyFormatError, /public half is not the public key of its seed/);
    });

    it("refuses a public key given as secret without echoing it", function () {
      const text = encodePublicKeyMultibase(TEST_KEY_PAIR.publicKey);
      expect(() => decodeSecretKeyMultibase(text)).to.throw(KeyFormatError, /not an Ed25519 secret key/);
    });

    it("never puts a secret key's text in its error message", function () {
      const secret = encodeSecretKeyMultibase(TEST_KEY_PAIR.secretKey);
      const broken = `${secret.slice(0, -3)}0OI`;
      let message = "";
      try {
        decodeSecretKeyMultibase(broken);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).to.match(/not valid base58btc/);
      expect(message).not.to.include(broken.slice(4, 20));
    });
  });

  describe("did:key", function () {
    const did = didKeyOf(TEST_KEY_PAIR.publicKey);

    it("names the key, with the key as the verification method's fragment", function () {
      expect(did).to.equal(`did:key:${encodePublicKeyMultibase(TEST_KEY_PAIR.publicKey)}`);
      expect(didKeyVerificationMethod(did)).to.equal(`${did}#${did.slice("did:key:".length)}`);
    });

    it("derives the document the did:key method gives (Multikey, for assertionMethod)", function () {
      const document = didKeyDocument(did);
      const id = didKeyVerificationMethod(did);
      expect(document.id).to.equal(did);
      expect(document.verificationMethod).to.deep.equal([{ id, type: "Multikey", controller: did, publicKeyMultibase: did.slice(8) }]);
      expect(document.assertionMethod).to.deep.equal([id]);
    });

    it("refuses what is not an Ed25519 did:key", function () {
      expect(() => didKeyDocument("did:web:uni.example")).to.throw(KeyFormatError, /not a did:key/);
      expect(() => didKeyDocument(`${did}#x`)).to.throw(KeyFormatError, /not a bare did:key/);
      expect(() => didKeyDocument("did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme")).to.throw(KeyFormatError, /not an Ed25519 public key/);
    });
  });
});
