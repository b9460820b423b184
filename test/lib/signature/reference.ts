/**
 * The reference implementations (Digital Bazaar's @digitalbazaar/vc with its Data Integrity and
 * Ed25519Signature2020 suites) wired for offline tests and the bench: sign a credential with a seed and a
 * `created`, and verify one against a set of controller documents. Contexts come from our bundle (the
 * same npm packages the reference would use); controller documents and their keys from `documents`.
 */
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { createSignCryptosuite, createVerifyCryptosuite } from "@digitalbazaar/eddsa-jcs-2022-cryptosuite";
import { cryptosuite as rdfcCryptosuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import { Ed25519Signature2020 } from "@digitalbazaar/ed25519-signature-2020";
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import * as vc from "@digitalbazaar/vc";

import { contextLoader, type DocumentLoader, type JsonLdObject } from "../../../lib/signature/contexts.js";
import { encodeSecretKeyMultibase, encodePublicKeyMultibase, type Ed25519KeyPair } from "../../../lib/signature/ed25519-keys.js";

export type ReferenceSuite = "eddsa-rdfc-2022" | "eddsa-jcs-2022" | "Ed25519Signature2020";

/** A loader serving contexts and, by id and by `id#fragment`, the given controller documents and their methods. */
export function referenceLoader(documents: JsonLdObject[], extraContexts?: ReadonlyMap<string, JsonLdObject>): DocumentLoader {
  const contexts = contextLoader(extraContexts);
  return async (url: string) => {
    for (const document of documents) {
      if (document.id === url) return { contextUrl: null, documentUrl: url, document };
      const methods = Array.isArray(document.verificationMethod) ? (document.verificationMethod as JsonLdObject[]) : [];
      const method = methods.find((entry) => entry.id === url);
      if (method !== undefined) {
        return { contextUrl: null, documentUrl: url, document: { "@context": document["@context"], ...method } };
      }
    }
    return contexts(url);
  };
}

async function multikey(keyPair: Ed25519KeyPair, verificationMethod: string): Promise<Ed25519Multikey.Ed25519MultikeyPair> {
  return Ed25519Multikey.from({
    "@context": "https://w3id.org/security/multikey/v1",
    type: "Multikey",
    id: verificationMethod,
    controller: verificationMethod.split("#")[0],
    publicKeyMultibase: encodePublicKeyMultibase(keyPair.publicKey),
    secretKeyMultibase: encodeSecretKeyMultibase(keyPair.secretKey),
  });
}

/** The credential signed by the reference (a copy: the input is not changed). */
export async function referenceSign(
  credential: JsonLdObject,
  o: { suite: ReferenceSuite; keyPair: Ed25519KeyPair; verificationMethod: string; created: Date; loader: DocumentLoader },
): Promise<JsonLdObject> {
  const signer = (await multikey(o.keyPair, o.verificationMethod)).signer();
  const suite =
    o.suite === "Ed25519Signature2020"
      ? new Ed25519Signature2020({ signer, date: o.created })
      : new DataIntegrityProof({
          signer,
          date: o.created,
          cryptosuite: o.suite === "eddsa-rdfc-2022" ? rdfcCryptosuite : createSignCryptosuite(),
        });
  return vc.issue({ credential: structuredClone(credential), suite, documentLoader: o.loader, now: o.created });
}

/** Whether the reference verifies every proof of the credential (eddsa-rdfc-2022, eddsa-jcs-2022, Ed25519Signature2020). */
export async function referenceVerify(credential: JsonLdObject, loader: DocumentLoader): Promise<{ verified: boolean; error?: unknown }> {
  const suite = [
    new DataIntegrityProof({ cryptosuite: rdfcCryptosuite }),
    new DataIntegrityProof({ cryptosuite: createVerifyCryptosuite() }),
    new Ed25519Signature2020(),
  ];
  // Checked at its own validFrom: the reference also checks validity dates, not what is compared here.
  const now = new Date(String(credential.validFrom ?? credential.issuanceDate ?? new Date().toISOString()));
  const result = await vc.verifyCredential({ credential: structuredClone(credential), suite, documentLoader: loader, now });
  return { verified: result.verified, error: result.error ?? result.results?.find((entry) => !entry.verified)?.error };
}
