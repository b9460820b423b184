/**
 * Signing with W3C Data Integrity EdDSA Cryptosuites v1.0: a `DataIntegrityProof` of cryptosuite
 * eddsa-rdfc-2022 (the one OB 3.0 names) or eddsa-jcs-2022, purpose assertionMethod. Per the spec
 * (§3.2 / §3.3): the proof configuration is the proof options with the document's `@context`; each is
 * canonicalized (RDFC-1.0 N-Quads, or JCS) and hashed with SHA-256; the Ed25519 signature is over
 * sha256(proofConfig) ‖ sha256(document), written base58btc multibase ("z…") in `proofValue`.
 *
 * Written on jsonld / rdf-canonize rather than through @digitalbazaar/vc for speed (bench/sign.ts): a
 * batch signer canonicalizes the proof configuration once per batch — it is the same for every badge of
 * a batch (same created, verificationMethod and @context) — where the reference does it per badge; tests
 * prove the proofValue identical to the reference's for the same key and `created`.
 *
 * A proof covers the credential without its `proof` (the proof set's other members, e.g. the anchor
 * proof, are not signed), so the credential hash does not depend on the signature and either proof can
 * be added first.
 */
import { base58 } from "@scure/base";

import { withoutProof } from "../credential/canonical.js";
import { canonicalJcs, canonicalNQuads, sha256 } from "./canonize.js";
import type { DocumentLoader, JsonLdObject } from "./contexts.js";
import { didKeyPublicKey } from "./did-key.js";
import { ed25519Signer, publicKeyOf, type Ed25519KeyPair } from "./ed25519-keys.js";

export type Cryptosuite = "eddsa-rdfc-2022" | "eddsa-jcs-2022";
export const CRYPTOSUITES: readonly Cryptosuite[] = ["eddsa-rdfc-2022", "eddsa-jcs-2022"];

export interface DataIntegrityProof {
  type: "DataIntegrityProof";
  cryptosuite: string;
  created: string;
  verificationMethod: string;
  proofPurpose: "assertionMethod";
  proofValue: string;
  /** eddsa-jcs-2022 only: the document's @context, which the spec puts in the proof. */
  "@context"?: unknown;
}

export interface CredentialSigner {
  verificationMethod: string;
  keyPair: Ed25519KeyPair;
}

export interface BatchSigner {
  /** A proof over `credential` without its `proof` (the credential is not changed). */
  sign(credential: JsonLdObject): Promise<DataIntegrityProof>;
}

/** The credential or the signer cannot give a proof (no @context, a key that is not the method's…). */
export class SigningError extends Error {
  override readonly name = "SigningError";
}

export const VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2";
export const DATA_INTEGRITY_V2_CONTEXT = "https://w3id.org/security/data-integrity/v2";
/** Distinct @context values whose hashed proof configuration a batch signer keeps (a batch has one). */
const PROOF_CONFIG_CACHE_SIZE = 16;

/** XSD dateTimeStamp to the second, as the reference writes `created` ("2026-01-02T03:04:05Z"). */
export function proofDate(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new SigningError("the proof's created date is not a valid date");
  return `${date.toISOString().slice(0, -5)}Z`;
}

/**
 * The proof configuration an eddsa-rdfc-2022 proof hashes: the proof without proofValue, under the
 * document's @context — plus the Data Integrity context when that names neither it nor VC 2.0 (as the
 * reference does, so a VC 1.1 credential's proof terms are defined).
 */
export function rdfcProofConfig(proof: JsonLdObject, documentContext: unknown): JsonLdObject {
  const { proofValue: _proofValue, ...options } = proof;
  const config: JsonLdObject = { "@context": documentContext, ...options };
  const context = config["@context"];
  const names = (url: string) => context === url || (Array.isArray(context) && context.includes(url));
  if (!names(DATA_INTEGRITY_V2_CONTEXT) && !names(VC_V2_CONTEXT)) {
    config["@context"] = Array.isArray(context) ? [...context, DATA_INTEGRITY_V2_CONTEXT] : [context ?? [], DATA_INTEGRITY_V2_CONTEXT].flat();
  }
  return config;
}

/** sha256 of the canonical form of a proof configuration or of a document, per cryptosuite. */
export async function suiteHash(cryptosuite: Cryptosuite, value: object, loader: DocumentLoader): Promise<Uint8Array> {
  return sha256(cryptosuite === "eddsa-jcs-2022" ? canonicalJcs(value) : await canonicalNQuads(value, loader));
}

/**
 * A signer for many credentials with one key, cryptosuite and `created`: it hashes the proof
 * configuration once per distinct @context (once per batch), then per credential only the document.
 */
export function createBatchSigner(
  signer: CredentialSigner,
  o: { cryptosuite?: Cryptosuite; created: Date; loader: DocumentLoader },
): BatchSigner {
  const cryptosuite = o.cryptosuite ?? "eddsa-rdfc-2022";
  if (!CRYPTOSUITES.includes(cryptosuite)) throw new SigningError(`unsupported cryptosuite ${JSON.stringify(cryptosuite)}`);
  assertKeyOfMethod(signer);
  const created = proofDate(o.created);
  const signBytes = ed25519Signer(signer.keyPair);
  const options = {
    type: "DataIntegrityProof" as const,
    cryptosuite,
    created,
    verificationMethod: signer.verificationMethod,
    proofPurpose: "assertionMethod" as const,
  };
  const configHashes = new Map<string, Promise<Uint8Array>>();

  const configHash = (context: unknown): Promise<Uint8Array> => {
    const key = JSON.stringify(context);
    let hash = configHashes.get(key);
    if (hash === undefined) {
      const config = cryptosuite === "eddsa-jcs-2022" ? { ...options, "@context": context } : rdfcProofConfig(options, context);
      hash = suiteHash(cryptosuite, config, o.loader);
      if (configHashes.size >= PROOF_CONFIG_CACHE_SIZE) configHashes.clear();
      configHashes.set(key, hash);
      hash.catch(() => configHashes.delete(key)); // a failure is the caller's to see, not to cache
    }
    return hash;
  };

  return {
    async sign(credential) {
      const document = withoutProof(credential);
      const context = document["@context"];
      if (context === undefined) throw new SigningError("the credential has no @context: it cannot be signed as JSON-LD");
      const [proofHash, documentHash] = await Promise.all([configHash(context), suiteHash(cryptosuite, document, o.loader)]);
      const proofValue = `z${base58.encode(signBytes(concatBytes(proofHash, documentHash)))}`;
      return cryptosuite === "eddsa-jcs-2022" ? { ...options, "@context": context, proofValue } : { ...options, proofValue };
    },
  };
}

/** The credential with `proofs` appended to its proof set (an existing `proof`, object or array, is kept first). */
export function withProofs(credential: JsonLdObject, ...proofs: object[]): JsonLdObject {
  const existing = credential.proof;
  const kept = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
  const { proof: _proof, ...rest } = credential;
  return { ...rest, proof: [...kept, ...proofs] };
}

export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * Refuse to sign badges nobody could verify: a key pair whose public key is not its seed's, or (a did:key
 * names its key) a key that is not the did:key's.
 */
function assertKeyOfMethod(signer: CredentialSigner): void {
  const { verificationMethod, keyPair } = signer;
  if (!sameBytes(publicKeyOf(keyPair.secretKey), keyPair.publicKey)) {
    throw new SigningError("the key pair's public key is not derived from its secret key");
  }
  if (typeof verificationMethod !== "string" || !/^[a-z][a-z0-9+.-]*:[^\s#]+#[^\s#]+$/i.test(verificationMethod)) {
    throw new SigningError(`the verification method ${JSON.stringify(verificationMethod)} is not a URL with a fragment (did…#key)`);
  }
  if (!verificationMethod.startsWith("did:key:")) return;
  const { publicKey } = didKeyPublicKey(verificationMethod.slice(0, verificationMethod.indexOf("#")));
  if (!sameBytes(publicKey, keyPair.publicKey)) {
    throw new SigningError(`the signing key is not the key of ${verificationMethod}`);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}
