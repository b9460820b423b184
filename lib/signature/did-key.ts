/**
 * did:key for Ed25519 (the did:key method, Multikey form): the DID is the public key, so its document is
 * derived here, offline, and never fetched. Development and demo issuers use it (verifier-core checks it
 * offline too); production issuers use did:web (controller-document.ts).
 */
import type { JsonLdObject } from "./contexts.js";
import { decodePublicKeyMultibase, encodePublicKeyMultibase, KeyFormatError } from "./ed25519-keys.js";

const DID_KEY_PREFIX = "did:key:";

export function didKeyOf(publicKey: Uint8Array): string {
  return `${DID_KEY_PREFIX}${encodePublicKeyMultibase(publicKey)}`;
}

/** The multibase public key a did:key names (throws KeyFormatError for anything but an Ed25519 did:key). */
export function didKeyPublicKey(did: string): { fingerprint: string; publicKey: Uint8Array } {
  if (typeof did !== "string" || !did.startsWith(DID_KEY_PREFIX)) {
    throw new KeyFormatError(`${JSON.stringify(did)} is not a did:key`);
  }
  const fingerprint = did.slice(DID_KEY_PREFIX.length);
  if (fingerprint.includes("#") || fingerprint.includes(":")) {
    throw new KeyFormatError(`${JSON.stringify(did)} is not a bare did:key (no fragment, no version)`);
  }
  return { fingerprint, publicKey: decodePublicKeyMultibase(fingerprint) };
}

/** did:key:z6Mk…#z6Mk…, the one verification method of a did:key. */
export function didKeyVerificationMethod(did: string): string {
  return `${did}#${didKeyPublicKey(did).fingerprint}`;
}

/** The DID document of an Ed25519 did:key, as the did:key method derives it (its Multikey for every relationship). */
export function didKeyDocument(did: string): JsonLdObject {
  const { fingerprint } = didKeyPublicKey(did);
  const id = `${did}#${fingerprint}`;
  return {
    "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
    id: did,
    verificationMethod: [{ id, type: "Multikey", controller: did, publicKeyMultibase: fingerprint }],
    authentication: [id],
    assertionMethod: [id],
    capabilityDelegation: [id],
    capabilityInvocation: [id],
  };
}
