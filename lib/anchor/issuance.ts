/**
 * Issuing a batch, the pure part: give each draft credential its id (a `urn:uuid:`, which also salts the
 * hash of an otherwise guessable badge) and its issuer's registered profile id, hash them, build the
 * batch, and — once the root is anchored — attach to each credential its anchor proof.
 * The anchor command adds files, the journal and the transaction around this.
 *
 * lib/anchor/: putting credentials on chain — batches as Merkle trees (batch.ts), the anchor proof (proof.ts),
 * issuing (this) and the EIP-712 types of issuer actions by signature (delegation.ts). It needs lib/credential/.
 */
import { buildBatch, type Batch } from "./batch.js";
import { credentialHash, type Hex } from "../credential/canonical.js";
import { withIssuerId, type DraftCredential, type OpenBadgeCredential } from "../credential/credential.js";
import { ANCHOR_PROOF_TYPE, attachAnchorProof } from "./proof.js";

export interface PrepareOptions {
  /** The issuer's profile id as registered on chain; it becomes every credential's `issuer.id`. */
  profileId: string;
  /** Makes a fresh `urn:uuid:…` for a credential without an id. */
  newId(): string;
  /**
   * The credential's `credentialStatus` (its BitstringStatusListEntry, lib/status): set before
   * hashing and signing, since both cover it. Absent: the draft's own `credentialStatus`, if any, stays.
   */
  credentialStatus?: object | object[];
}

export interface PreparedBatch {
  credentials: OpenBadgeCredential[];
  credentialHashes: Hex[];
  batch: Batch;
}

/** Completes every draft (id, issuer id) and builds the batch over their hashes, credential i at index i. */
export function prepareBatch(drafts: readonly DraftCredential[], options: PrepareOptions): PreparedBatch {
  const credentials = drafts.map((draft) => completeCredential(draft, options));
  const credentialHashes = credentials.map((credential) => credentialHash(credential));
  return { credentials, credentialHashes, batch: buildBatch(credentialHashes) };
}

/** A draft with its id filled in when missing and its issuer id set to the registered profile id. */
export function completeCredential(draft: DraftCredential, options: PrepareOptions): OpenBadgeCredential {
  const withId = draft.id === undefined ? { ...draft, id: options.newId() } : draft;
  const withStatus = options.credentialStatus === undefined ? withId : { ...withId, credentialStatus: options.credentialStatus };
  return withIssuerId(withStatus as OpenBadgeCredential, options.profileId);
}

/** Where and when the batch was anchored. Its issuer is not among them: the registry finds the anchor by the
 * badge's own `issuer.id` (issuerId = keccak256 of it) and the root, so a proof cannot name another issuer. */
export interface AnchorFacts {
  chainId: number;
  registry: string;
  anchoredAt: string;
  transactionHash: Hex;
}

/** Credential `index` of the batch, carrying its anchor proof. */
export function anchoredCredential(prepared: PreparedBatch, index: number, facts: AnchorFacts): OpenBadgeCredential {
  return attachAnchorProof(prepared.credentials[index], {
    type: ANCHOR_PROOF_TYPE,
    chainId: facts.chainId,
    registry: facts.registry,
    root: prepared.batch.root,
    leafIndex: index,
    merklePath: prepared.batch.proof(index),
    anchoredAt: facts.anchoredAt,
    transactionHash: facts.transactionHash,
  }) as OpenBadgeCredential;
}
