/**
 * Issuing on a FakeChain for lib tests: anchor badges and pathways as the commands would (prepareBatch,
 * anchor proofs), without a node.
 */
import { buildBatch } from "../../lib/anchor/batch.js";
import { credentialHash, type Hex } from "../../lib/credential/canonical.js";
import { parseDraftCredential, type DraftCredential, type OpenBadgeCredential } from "../../lib/credential/credential.js";
import { anchoredCredential, prepareBatch } from "../../lib/anchor/issuance.js";
import { ANCHOR_PROOF_TYPE, attachAnchorProof } from "../../lib/anchor/proof.js";
import { exampleBadge, examplePathway } from "./badges.js";
import { FAKE_CHAIN_ID, FAKE_REGISTRY, type FakeChain } from "./fake-chain.js";

export const UNIVERSITY = { address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", profileId: "did:web:uni.example" };
export const EMPLOYER = { address: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", profileId: "https://security.employer.example/issuer" };

let counter = 0;

/** Anchors the drafts as one batch by `issuer`; returns the anchored credentials. */
export function issueOn(chain: FakeChain, issuer: { address: string; profileId: string }, drafts: unknown[]): OpenBadgeCredential[] {
  const parsed = drafts.map((draft) => {
    const result = parseDraftCredential(draft);
    if (!result.ok) throw new Error(`invalid draft: ${JSON.stringify(result.problems)}`);
    return result.credential as DraftCredential;
  });
  const prepared = prepareBatch(parsed, { profileId: issuer.profileId, newId: () => `urn:uuid:00000000-0000-4000-8000-${String(++counter).padStart(12, "0")}` });
  chain.anchor(prepared.batch.root, parsed.length, issuer.address);
  const facts = { chainId: FAKE_CHAIN_ID, registry: FAKE_REGISTRY, issuer: issuer.address, anchoredAt: "2026-06-01T00:00:00.000Z", transactionHash: `0x${"ab".repeat(32)}` as Hex };
  return parsed.map((_, index) => anchoredCredential(prepared, index, facts));
}

/** Publishes a pathway (anchors its hash as a batch of one) by `issuer`. */
export function publishOn(chain: FakeChain, issuer: { address: string }, pathway: Record<string, any>): Record<string, any> {
  const batch = buildBatch([credentialHash(pathway)]);
  chain.anchor(batch.root, 1, issuer.address);
  return attachAnchorProof(pathway, { type: ANCHOR_PROOF_TYPE, chainId: FAKE_CHAIN_ID, registry: FAKE_REGISTRY, root: batch.root, leafIndex: 0, merklePath: [] });
}

/** A fake chain with both sample issuers registered, Ada's five badges anchored and both pathways published. */
export function sampleStackWorld(chain: FakeChain) {
  chain.registerIssuer(UNIVERSITY.address, UNIVERSITY.profileId);
  chain.registerIssuer(EMPLOYER.address, EMPLOYER.profileId);
  const [foundations, sql, statistics, graceFoundations] = issueOn(chain, UNIVERSITY, [
    exampleBadge("uni-data-analytics-foundations"),
    exampleBadge("uni-sql-for-analysts"),
    exampleBadge("uni-statistical-modelling-python"),
    exampleBadge("uni-data-analytics-foundations-grace"),
  ]);
  const [secureCoding, incidentResponse] = issueOn(chain, EMPLOYER, [exampleBadge("meridian-secure-coding-practitioner"), exampleBadge("meridian-incident-response-fundamentals")]);
  return {
    badges: { foundations, sql, statistics, graceFoundations, secureCoding, incidentResponse },
    certificatePathway: publishOn(chain, UNIVERSITY, examplePathway("data-analyst-certificate")),
    diplomaPathway: publishOn(chain, UNIVERSITY, examplePathway("analytics-and-security-diploma")),
  };
}
