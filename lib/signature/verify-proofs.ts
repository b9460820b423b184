/**
 * The `signature` check of DESIGN §5: every Data Integrity proof of a credential — DataIntegrityProof
 * with eddsa-rdfc-2022 or eddsa-jcs-2022, and Ed25519Signature2020 of older badges — must verify with an
 * assertion key of `issuer.id`. did:key documents are derived here; did:web and https controller
 * documents come from the shell's ControllerResolver (HTTPS, timeout, size limit, cache are its job).
 *
 * Outcome: pass when every such proof verifies; fail with status `tampered` (a signature that does not
 * match), `issuer-mismatch` (a key that is not an assertion key controlled by issuer.id) or `malformed`
 * (proof fields, or a credential that cannot be canonicalized); skip when there is no such proof, or —
 * status `unavailable` — when the issuer's document or a context cannot be had. Proofs of other kinds
 * (the anchor proof aside) are named in `warnings`. Never throws for any input.
 */
import { base58 } from "@scure/base";
import { LRUCache } from "lru-cache";

import { withoutProof } from "../credential/canonical.js";
import { CanonicalizationFailure, canonicalJcs, canonicalNQuads, sha256 } from "./canonize.js";
import { unheldContexts, type DocumentLoader, type JsonLdObject } from "./contexts.js";
import { assertionKeyOf } from "./controller-document.js";
import { concatBytes, CRYPTOSUITES, rdfcProofConfig, suiteHash, type Cryptosuite } from "./data-integrity.js";
import { didKeyDocument } from "./did-key.js";
import { ed25519Verify } from "./ed25519-keys.js";

/** Fetches a controller document (did:web, https profile id); throws with a reason when it cannot. */
export interface ControllerResolver {
  resolve(id: string): Promise<unknown>;
}

export interface SignatureOutcome {
  result: "pass" | "fail" | "skip";
  status?: "tampered" | "issuer-mismatch" | "malformed" | "unavailable";
  detail: string;
  warnings: string[];
  signers: Array<{ verificationMethod: string; controller: string; cryptosuite: string }>;
  /** The issuer's resolved document (for its blockchainAccountId); null for did:key or when none was read. */
  controllerDocument: unknown | null;
}

const ANCHOR_PROOF_TYPE = "CredentialRegistryAnchor2026";
const ED25519_SIGNATURE_2020 = "Ed25519Signature2020";
const SECURITY_V2_CONTEXT = "https://w3id.org/security/v2";
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

type SuiteName = Cryptosuite | typeof ED25519_SIGNATURE_2020;
interface CheckableProof {
  position: number;
  suite: SuiteName;
  proof: JsonLdObject;
  verificationMethod: string;
  signature: Uint8Array;
}

class Outcome extends Error {
  constructor(readonly outcome: Omit<SignatureOutcome, "warnings" | "signers" | "controllerDocument">) {
    super(outcome.detail);
  }
}

export async function verifyDataIntegrityProofs(
  credential: JsonLdObject,
  o: { resolver: ControllerResolver; loader: DocumentLoader },
): Promise<SignatureOutcome> {
  const warnings: string[] = [];
  let controllerDocument: unknown | null = null;
  try {
    const proofs = collectProofs(credential, warnings);
    if (proofs.length === 0) {
      return { result: "skip", detail: "carries no Data Integrity proof", warnings, signers: [], controllerDocument };
    }
    const issuerId = issuerIdOf(credential);
    for (const { position, verificationMethod } of proofs) {
      if (verificationMethod.split("#")[0] !== issuerId) {
        throw new Outcome({
          result: "fail",
          status: "issuer-mismatch",
          detail: `proof ${position}: the verification method ${verificationMethod} is not a key of the issuer ${issuerId}`,
        });
      }
    }
    const document = await controllerDocumentOf(issuerId, o.resolver);
    if (!issuerId.startsWith("did:key:")) controllerDocument = document;

    const unsigned = withoutProof(credential);
    const signers: SignatureOutcome["signers"] = [];
    const documentHashes = new Map<string, Promise<Uint8Array>>();
    const documentHash = (suite: Cryptosuite, value: object): Promise<Uint8Array> => {
      const key = `${suite}\u0000${suite === "eddsa-jcs-2022" ? JSON.stringify(value["@context" as keyof object]) : ""}`;
      let hash = documentHashes.get(key);
      if (hash === undefined) documentHashes.set(key, (hash = suiteHash(suite, value, o.loader)));
      return hash;
    };
    for (const checkable of proofs) {
      const key = assertionKeyOf(document, checkable.verificationMethod, issuerId);
      if (!key.ok) throw new Outcome({ result: "fail", status: "issuer-mismatch", detail: `proof ${checkable.position}: ${key.problem}` });
      const data = await signedData(checkable, unsigned, documentHash, o.loader);
      if (!ed25519Verify(key.publicKey, data, checkable.signature)) {
        throw new Outcome({
          result: "fail",
          status: "tampered",
          detail: `proof ${checkable.position} (${checkable.suite}, ${checkable.verificationMethod}): the signature does not match the credential — it was changed after signing`,
        });
      }
      signers.push({ verificationMethod: checkable.verificationMethod, controller: key.controller, cryptosuite: checkable.suite });
    }
    const suites = [...new Set(signers.map((signer) => signer.cryptosuite))].join(", ");
    return { result: "pass", detail: `signed by ${issuerId} (${suites})`, warnings, signers, controllerDocument };
  } catch (error) {
    const outcome: Omit<SignatureOutcome, "warnings" | "signers" | "controllerDocument"> =
      error instanceof Outcome
        ? error.outcome
        : error instanceof CanonicalizationFailure
          ? error.unknownContext !== undefined
            ? { result: "skip", status: "unavailable", detail: `cannot check the signature: ${error.message}` }
            : { result: "fail", status: "malformed", detail: `cannot check the signature: ${error.message}` }
          : { result: "fail", status: "malformed", detail: `cannot check the signature: ${(error as Error)?.message ?? String(error)}` };
    return { ...outcome, warnings, signers: [], controllerDocument };
  }
}

/** The proofs this verifier checks, their fields checked; other kinds become warnings. */
function collectProofs(credential: JsonLdObject, warnings: string[]): CheckableProof[] {
  const proofs = credential.proof === undefined ? [] : Array.isArray(credential.proof) ? credential.proof : [credential.proof];
  const checkable: CheckableProof[] = [];
  proofs.forEach((proof: unknown, index) => {
    const position = index + 1;
    if (!isObject(proof)) throw malformed(`proof ${position} is not an object`);
    const suite = suiteOf(proof);
    if (suite === undefined) {
      if (proof.type !== ANCHOR_PROOF_TYPE) {
        const kind = proof.type === "DataIntegrityProof" ? `a DataIntegrityProof of cryptosuite ${JSON.stringify(proof.cryptosuite)}` : `a proof of type ${JSON.stringify(proof.type)}`;
        warnings.push(`proof ${position} is ${kind}, which this verifier cannot check: not checked`);
      }
      return;
    }
    const method = isObject(proof.verificationMethod) ? proof.verificationMethod.id : proof.verificationMethod;
    if (typeof method !== "string" || !method.includes("#")) {
      throw malformed(`proof ${position} (${suite}) has no verificationMethod of the form <controller>#<key>`);
    }
    if (proof.proofPurpose !== "assertionMethod") {
      throw malformed(`proof ${position} (${suite}) has proofPurpose ${JSON.stringify(proof.proofPurpose)}, not "assertionMethod"`);
    }
    if (proof.created !== undefined && (typeof proof.created !== "string" || !DATE_TIME.test(proof.created))) {
      throw malformed(`proof ${position} (${suite}) has a "created" that is not an XSD dateTime: ${JSON.stringify(proof.created)}`);
    }
    checkable.push({ position, suite, proof, verificationMethod: method, signature: signatureOf(proof, position, suite) });
  });
  return checkable;
}

function suiteOf(proof: JsonLdObject): SuiteName | undefined {
  if (proof.type === ED25519_SIGNATURE_2020) return ED25519_SIGNATURE_2020;
  if (proof.type === "DataIntegrityProof" && CRYPTOSUITES.includes(proof.cryptosuite as Cryptosuite)) return proof.cryptosuite as Cryptosuite;
  return undefined;
}

function signatureOf(proof: JsonLdObject, position: number, suite: SuiteName): Uint8Array {
  const value = proof.proofValue;
  if (typeof value !== "string" || !value.startsWith("z")) {
    throw malformed(`proof ${position} (${suite}) has no proofValue in base58btc multibase ("z…")`);
  }
  let signature: Uint8Array;
  try {
    signature = base58.decode(value.slice(1));
  } catch {
    throw malformed(`proof ${position} (${suite}) has a proofValue that is not base58btc`);
  }
  if (signature.length !== 64) throw malformed(`proof ${position} (${suite}) has a proofValue of ${signature.length} bytes, not a 64-byte Ed25519 signature`);
  return signature;
}

function issuerIdOf(credential: JsonLdObject): string {
  const issuer = credential.issuer;
  const id = isObject(issuer) ? issuer.id : issuer;
  if (typeof id !== "string" || id === "") throw malformed("the credential has no issuer id to check its signature against");
  return id;
}

async function controllerDocumentOf(issuerId: string, resolver: ControllerResolver): Promise<unknown> {
  if (issuerId.startsWith("did:key:")) {
    try {
      return didKeyDocument(issuerId);
    } catch (error) {
      throw malformed(`the issuer ${issuerId}: ${(error as Error).message}`);
    }
  }
  let document: unknown;
  try {
    document = await resolver.resolve(issuerId);
  } catch (error) {
    throw new Outcome({
      result: "skip",
      status: "unavailable",
      detail: `the controller document of ${issuerId} could not be read: ${(error as Error)?.message ?? String(error)}`,
    });
  }
  if (!isObject(document)) {
    throw new Outcome({ result: "skip", status: "unavailable", detail: `the controller document of ${issuerId} is not a JSON object` });
  }
  return document;
}

/** The bytes the proof's signature covers: hash(proof configuration) ‖ hash(document), per suite. */
async function signedData(
  checkable: CheckableProof,
  unsigned: JsonLdObject,
  documentHash: (suite: Cryptosuite, value: object) => Promise<Uint8Array>,
  loader: DocumentLoader,
): Promise<Uint8Array> {
  const { proof, suite, position } = checkable;
  if (suite === ED25519_SIGNATURE_2020) {
    // jsonld-signatures' LinkedDataSignature: the proof without jws/signatureValue/proofValue, under the document's context.
    const { jws: _jws, signatureValue: _signatureValue, proofValue: _proofValue, ...options } = proof;
    const config = { "@context": unsigned["@context"] ?? SECURITY_V2_CONTEXT, ...options };
    return concatBytes(sha256(await canonicalNQuads(config, loader)), await documentHash("eddsa-rdfc-2022", unsigned));
  }
  if (suite === "eddsa-rdfc-2022") {
    return concatBytes(await rdfcConfigHash(rdfcProofConfig(proof, unsigned["@context"]), loader), await documentHash(suite, unsigned));
  }
  // eddsa-jcs-2022 §3.3.2: a proof @context must be a prefix of the document's, and replaces it.
  const { proofValue: _proofValue, ...config } = proof;
  let document = unsigned;
  if (proof["@context"] !== undefined) {
    const proofContext = asArray(proof["@context"]);
    const documentContext = asArray(unsigned["@context"]);
    if (proofContext.some((entry, index) => JSON.stringify(entry) !== JSON.stringify(documentContext[index]))) {
      throw new Outcome({
        result: "fail",
        status: "tampered",
        detail: `proof ${position} (eddsa-jcs-2022): the credential's @context does not start with the proof's @context`,
      });
    }
    document = { ...unsigned, "@context": proof["@context"] };
  }
  return concatBytes(sha256(canonicalJcs(config)), await documentHash(suite, document));
}

/**
 * The hashed proof configurations of recent eddsa-rdfc-2022 proofs. Every badge of a batch carries the
 * same one (one key, one `created`, one @context), so a verifier checking a portfolio or a batch would
 * otherwise canonicalize the same small document again for each badge — about a third of a signature
 * check's CPU. Only configurations that name bundled contexts alone are kept (their hash cannot depend
 * on the loader), keyed by a digest of their JSON, a bounded number of them (least recently used
 * evicted: lru-cache), each a 44-character key and a 32-byte hash — CONFIG_HASH_BYTES with the promise
 * and the slots, some 150 KB in all; failures are not kept.
 */
const CONFIG_HASHES_KEPT = 512;
const CONFIG_HASH_BYTES = 300;
let configHashEvictions = 0;
const configHashes = new LRUCache<string, Promise<Uint8Array>>({
  max: CONFIG_HASHES_KEPT,
  dispose: (_hash, _key, reason) => {
    if (reason === "evict") configHashEvictions++;
  },
});

/** The memo's estimated size and evictions so far, for the service's metrics. */
export function proofConfigMemoUsage(): { bytes: number; entries: number; evictions: number } {
  return { bytes: configHashes.size * CONFIG_HASH_BYTES, entries: configHashes.size, evictions: configHashEvictions };
}

function rdfcConfigHash(config: JsonLdObject, loader: DocumentLoader): Promise<Uint8Array> {
  if (unheldContexts(config).length > 0) return suiteHash("eddsa-rdfc-2022", config, loader);
  const key = Buffer.from(sha256(JSON.stringify(config))).toString("base64");
  let hash = configHashes.get(key);
  if (hash === undefined) {
    const computing = suiteHash("eddsa-rdfc-2022", config, loader);
    configHashes.set(key, computing);
    computing.catch(() => {
      if (configHashes.peek(key) === computing) configHashes.delete(key);
    });
    hash = computing;
  }
  return hash;
}

function malformed(detail: string): Outcome {
  return new Outcome({ result: "fail", status: "malformed", detail });
}

function isObject(value: unknown): value is JsonLdObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}
