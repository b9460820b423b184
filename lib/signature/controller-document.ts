/**
 * Controller documents (W3C DID 1.0 / Controlled Identifiers): the did.json a did:web issuer hosts, or the
 * document an https profile id serves. It lists the issuer's Ed25519 key (Multikey) for `assertionMethod`
 * and, as CAIP-10 `blockchainAccountId`s, the registry controller accounts, so the DID and the registry name
 * each other. Verification asks of a document one question (assertionKeyOf): is this verification method
 * an assertion key of this controller, and which public key is it.
 *
 * Ids are written absolute (not "#key-1"): verifiers such as jsonld-signatures compare the proof's
 * verificationMethod with the `assertionMethod` entries as strings, without JSON-LD processing, when the
 * document's first context is DID v1.
 */
import type { JsonLdObject } from "./contexts.js";
import { decodePublicKeyMultibase, encodePublicKeyMultibase, KeyFormatError } from "./ed25519-keys.js";

const DID_V1_CONTEXT = "https://www.w3.org/ns/did/v1";
const MULTIKEY_V1_CONTEXT = "https://w3id.org/security/multikey/v1";
// Defines `blockchainAccountId` and EcdsaSecp256k1RecoveryMethod2020 (the W3C CCG's suite naming CAIP-10 accounts).
const SECP256K1_RECOVERY_CONTEXT = "https://w3id.org/security/suites/secp256k1recovery-2020/v2";
const ACCOUNT_METHOD_TYPE = "EcdsaSecp256k1RecoveryMethod2020";
const CAIP10_EIP155 = /^eip155:[1-9][0-9]*:0x[0-9a-fA-F]{40}$/;
/** Key types whose `publicKeyMultibase` is an Ed25519 multikey. */
const ED25519_KEY_TYPES = new Set(["Multikey", "Ed25519VerificationKey2020"]);

/** The controller document for `id` (a did:web or an https URL) with its Ed25519 assertion key. */
export function buildControllerDocument(o: {
  id: string;
  publicKey: Uint8Array;
  keyFragment?: string;
  blockchainAccountIds?: string[];
}): JsonLdObject {
  const keyId = `${o.id}#${o.keyFragment ?? "key-1"}`;
  const accounts = o.blockchainAccountIds ?? [];
  for (const account of accounts) {
    if (!CAIP10_EIP155.test(account)) {
      throw new KeyFormatError(`${JSON.stringify(account)} is not a CAIP-10 account id "eip155:<chainId>:<0x address>"`);
    }
  }
  const verificationMethod: JsonLdObject[] = [
    { id: keyId, type: "Multikey", controller: o.id, publicKeyMultibase: encodePublicKeyMultibase(o.publicKey) },
    ...accounts.map((blockchainAccountId, index) => ({
      id: `${o.id}#registry-controller-${index + 1}`,
      type: ACCOUNT_METHOD_TYPE,
      controller: o.id,
      blockchainAccountId,
    })),
  ];
  return {
    "@context": [DID_V1_CONTEXT, MULTIKEY_V1_CONTEXT, ...(accounts.length > 0 ? [SECP256K1_RECOVERY_CONTEXT] : [])],
    id: o.id,
    verificationMethod,
    assertionMethod: [keyId],
    authentication: [keyId],
  };
}

/** Not a did:web, or not one that names a host. */
export class DidWebError extends Error {
  override readonly name = "DidWebError";
}

/**
 * Where a did:web's document is served (did:web method spec): did:web:uni.example →
 * https://uni.example/.well-known/did.json; did:web:h:a:b → https://h/a/b/did.json; "%3A" in the host is a port.
 */
export function didWebDocumentUrl(did: string): string {
  if (typeof did !== "string" || !did.startsWith("did:web:")) throw new DidWebError(`${JSON.stringify(did)} is not a did:web`);
  const [host, ...path] = did.slice("did:web:".length).split(":");
  if (host === undefined || host === "" || path.some((segment) => segment === "")) {
    throw new DidWebError(`${JSON.stringify(did)} is not a did:web of the form did:web:<host>[:<path>…]`);
  }
  const hostAndPort = decodeURIComponent(host);
  if (!/^[A-Za-z0-9.-]+(:[0-9]{1,5})?$/.test(hostAndPort) || /[#?/]/.test(did)) {
    throw new DidWebError(`${JSON.stringify(did)} does not name a host (did:web:<host>, "%3A" before a port)`);
  }
  const url = new URL(`https://${hostAndPort}`);
  url.pathname = path.length === 0 ? "/.well-known/did.json" : `/${path.map(decodeURIComponent).join("/")}/did.json`;
  return url.href;
}

export type AssertionKey =
  | { ok: true; verificationMethod: string; controller: string; publicKey: Uint8Array }
  | { ok: false; problem: string };

/**
 * Whether `verificationMethodId` is, in `document`, an Ed25519 key controlled by `expectedController` and
 * listed for `assertionMethod`; `problem` says which of these fails, in words for the verification page.
 */
export function assertionKeyOf(document: unknown, verificationMethodId: string, expectedController: string): AssertionKey {
  if (!isObject(document) || typeof document.id !== "string") {
    return { ok: false, problem: `the controller document of ${expectedController} has no "id"` };
  }
  const documentId = document.id;
  if (documentId !== expectedController) {
    return { ok: false, problem: `the controller document is that of ${documentId}, not of the issuer ${expectedController}` };
  }
  const absolute = (id: unknown): unknown => (typeof id === "string" && id.startsWith("#") ? `${documentId}${id}` : id);
  const assertionMethods = asArray(document.assertionMethod);
  const listed = assertionMethods.some((entry) => absolute(isObject(entry) ? entry.id : entry) === verificationMethodId);
  const method = [...asArray(document.verificationMethod), ...assertionMethods].find(
    (entry): entry is JsonLdObject => isObject(entry) && absolute(entry.id) === verificationMethodId,
  );
  if (method === undefined) {
    return { ok: false, problem: `the controller document of ${expectedController} lists no verification method ${verificationMethodId}` };
  }
  if (!listed) {
    return { ok: false, problem: `${verificationMethodId} is not listed for assertionMethod in the document of ${expectedController}` };
  }
  const controller = absolute(method.controller);
  if (controller !== expectedController) {
    return { ok: false, problem: `${verificationMethodId} is controlled by ${JSON.stringify(controller)}, not by the issuer ${expectedController}` };
  }
  if (typeof method.type !== "string" || !ED25519_KEY_TYPES.has(method.type)) {
    return { ok: false, problem: `${verificationMethodId} is of type ${JSON.stringify(method.type)}, not an Ed25519 Multikey` };
  }
  if (typeof method.publicKeyMultibase !== "string") {
    return { ok: false, problem: `${verificationMethodId} has no publicKeyMultibase` };
  }
  try {
    return { ok: true, verificationMethod: verificationMethodId, controller, publicKey: decodePublicKeyMultibase(method.publicKeyMultibase) };
  } catch (error) {
    return { ok: false, problem: `${verificationMethodId}: ${(error as Error).message}` };
  }
}

/** The CAIP-10 `blockchainAccountId`s a controller document lists (in its verification methods), as written. */
export function blockchainAccountIdsOf(document: unknown): string[] {
  if (!isObject(document)) return [];
  const accounts: string[] = [];
  for (const entry of [...asArray(document.verificationMethod), ...asArray(document.assertionMethod)]) {
    if (isObject(entry) && typeof entry.blockchainAccountId === "string" && !accounts.includes(entry.blockchainAccountId)) {
      accounts.push(entry.blockchainAccountId);
    }
  }
  return accounts;
}

function isObject(value: unknown): value is JsonLdObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
