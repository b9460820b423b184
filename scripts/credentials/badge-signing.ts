/**
 * Signing badges as `credentials anchor` prepares them: each badge gets a DataIntegrityProof
 * (eddsa-rdfc-2022, by the issuer's verification method, purpose assertionMethod) over the completed
 * badge without proofs — the same bytes the credential hash covers, so the signature never changes the
 * hash. A job is the same for the whole batch (one key, one `created` time, one set of contexts), so each
 * thread builds one batch signer per job and reuses its proof configuration for every badge.
 *
 * `created` is fixed per batch and recorded in the journal, and Ed25519 signatures are deterministic: a
 * re-run after a crash signs every badge to the same bytes.
 */
import { contextLoader, unheldContexts, type JsonLdObject } from "../../lib/signature/contexts.js";
import { createBatchSigner, type BatchSigner, type CredentialSigner, type DataIntegrityProof } from "../../lib/signature/data-integrity.js";
import type { CredentialProblem } from "../../lib/credential/credential.js";

/** What signs a batch: the key, the proofs' `created` time, and contexts the issuer supplied (--context). */
export interface SigningJob {
  signer: CredentialSigner;
  created: string;
  contexts: Array<[url: string, document: JsonLdObject]>;
}

/** The advice every "unknown context" problem ends with. */
export const CONTEXT_HINT = "supply it with --context <url>=<file>";

/** One problem per @context URL of the badge this tool does not hold (nothing is fetched when issuing). */
export function contextProblems(credential: unknown, contexts: SigningJob["contexts"]): CredentialProblem[] {
  return unheldContexts(credential, new Map(contexts)).map((url) => ({
    path: "$[\"@context\"]",
    message: `names the context ${url}, which this tool does not hold (nothing is fetched when issuing); ${CONTEXT_HINT}`,
  }));
}

let cached: { job: SigningJob; signer: BatchSigner } | undefined;

/** The badge's DataIntegrityProof; throws (a jsonld error, say, for a term no context defines) when it cannot be signed. */
export function signBadge(credential: JsonLdObject, job: SigningJob): Promise<DataIntegrityProof> {
  // Jobs arrive by value in worker threads: the same batch is the same key, time and contexts.
  if (cached === undefined || !sameJob(cached.job, job)) {
    const signer = createBatchSigner(job.signer, { cryptosuite: "eddsa-rdfc-2022", created: new Date(job.created), loader: contextLoader(new Map(job.contexts)) });
    cached = { job, signer };
  }
  return cached.signer.sign(credential);
}

function sameJob(a: SigningJob, b: SigningJob): boolean {
  return (
    a === b ||
    (a.created === b.created &&
      a.signer.verificationMethod === b.signer.verificationMethod &&
      Buffer.from(a.signer.keyPair.secretKey).equals(Buffer.from(b.signer.keyPair.secretKey)) &&
      a.contexts.length === b.contexts.length &&
      a.contexts.every(([url], index) => b.contexts[index][0] === url))
  );
}
