/**
 * Badges carrying Bitstring Status List entries, and their lists, made with lib/status and lib/signature —
 * the lists as `credentials status publish` makes them — for the verifier's status-list tests: a batch
 * whose badge i has entries at index i, signed (or not) by the issuer's key, and list credentials of any
 * bits, signed or not. The badges carry, by default, one entry per purpose (an array, as VC 2.0 allows and
 * other issuers write — and as our badges did before issue 16): the form with the most for the verifier to
 * compare. `statusEntry` (lib/status) gives the one entry `credentials anchor --status-base-url` writes.
 */
import { anchoredCredential, completeCredential, type AnchorFacts } from "../../lib/anchor/issuance.js";
import { buildBatch, type Batch } from "../../lib/anchor/batch.js";
import { credentialHash } from "../../lib/credential/canonical.js";
import { parseDraftCredential, type DraftCredential } from "../../lib/credential/credential.js";
import { contextLoader, type JsonLdObject } from "../../lib/signature/contexts.js";
import { createBatchSigner, withProofs, type CredentialSigner } from "../../lib/signature/data-integrity.js";
import { didKeyOf, didKeyVerificationMethod } from "../../lib/signature/did-key.js";
import { generateEd25519KeyPair } from "../../lib/signature/ed25519-keys.js";
import { STATUS_ENTRY_TYPE, STATUS_PURPOSES, statusListCredential, statusListUrls, type StatusPurpose } from "../../lib/status/status-list.js";
import { exampleBadge } from "./badges.js";

export const LIST_VALID_FROM = "2026-06-02T00:00:00Z";

/** A did:key issuer with its signing key. */
export function didKeySigner(): { id: string; signer: CredentialSigner } {
  const keyPair = generateEd25519KeyPair();
  const id = didKeyOf(keyPair.publicKey);
  return { id, signer: { verificationMethod: didKeyVerificationMethod(id), keyPair } };
}

/** One BitstringStatusListEntry per purpose at `index`, an array: another issuer's form (VC 2.0 §4.10), not ours. */
export function entryPerPurpose(base: string, batchId: string, index: number): object[] {
  const urls = statusListUrls(base, batchId);
  return STATUS_PURPOSES.map((purpose) => ({ id: `${urls[purpose]}#${index}`, type: STATUS_ENTRY_TYPE, statusPurpose: purpose, statusListIndex: String(index), statusListCredential: urls[purpose] }));
}

export interface StatusBatch {
  batch: Batch;
  /** Badge i, anchored (and signed, when a signer was given), with entries at index i. */
  badges: JsonLdObject[];
}

/**
 * `count` example badges of `profileId` as one batch, each with `credentialStatus` (default: the two
 * Bitstring entries under `base`/`batchId` at its index, entryPerPurpose), signed by `signer` when given,
 * anchored with `facts`.
 */
export async function statusBatch(o: {
  profileId: string;
  base: string;
  batchId: string;
  count: number;
  facts: AnchorFacts;
  signer?: CredentialSigner;
  credentialStatus?: (index: number) => object | object[];
}): Promise<StatusBatch> {
  const parsed = parseDraftCredential(exampleBadge("uni-sql-for-analysts"));
  if (!parsed.ok) throw new Error("example invalid");
  const draft = parsed.credential as DraftCredential;
  const credentials = Array.from({ length: o.count }, (_, index) =>
    completeCredential(
      { ...draft, id: `urn:uuid:00000000-0000-4000-8000-${String(index + 1).padStart(12, "0")}` },
      { profileId: o.profileId, newId: () => "", credentialStatus: (o.credentialStatus ?? ((i) => entryPerPurpose(o.base, o.batchId, i)))(index) },
    ),
  );
  const hashes = credentials.map((credential) => credentialHash(credential));
  const batch = buildBatch(hashes);
  const prepared = { credentials, credentialHashes: hashes, batch };
  const batchSigner = o.signer ? createBatchSigner(o.signer, { created: new Date(LIST_VALID_FROM), loader: contextLoader() }) : undefined;
  const badges = await Promise.all(
    credentials.map(async (credential, index) => {
      const anchored = anchoredCredential(prepared, index, o.facts) as unknown as JsonLdObject;
      return batchSigner ? withProofs(anchored, await batchSigner.sign(credential as unknown as JsonLdObject)) : anchored;
    }),
  );
  return { batch, badges };
}

/** The list credential at `url` with `set` indexes set, signed by `signer` when given. */
export async function listCredential(o: { url: string; issuer: string; purpose: StatusPurpose; set?: number[]; signer?: CredentialSigner }): Promise<JsonLdObject> {
  const bits = new Uint8Array(Math.max(0, ...(o.set ?? []).map((index) => index + 1)));
  for (const index of o.set ?? []) bits[index] = 1;
  const unsigned = statusListCredential({ url: o.url, issuer: o.issuer, purpose: o.purpose, bits, validFrom: LIST_VALID_FROM });
  return o.signer ? signList(unsigned, o.signer) : unsigned;
}

/** `list` (without proof) signed by `signer`, as `credentials status publish` signs it. */
export async function signList(list: JsonLdObject, signer: CredentialSigner): Promise<JsonLdObject> {
  const { proof: _proof, ...unsigned } = list;
  const batchSigner = createBatchSigner(signer, { cryptosuite: "eddsa-rdfc-2022", created: new Date(LIST_VALID_FROM), loader: contextLoader() });
  return withProofs(unsigned, await batchSigner.sign(unsigned));
}
