/**
 * Issuing on a FakeChain for lib tests: anchor badges and pathways as the commands would (prepareBatch,
 * anchor proofs), without a node. An issuer is a profile id with a controller key (`address`); a batch is
 * anchored under the issuer's identity by its controller unless another acting key is named.
 */
import { buildBatch } from "../../lib/anchor/batch.js";
import { credentialHash, type Hex } from "../../lib/credential/canonical.js";
import { parseDraftCredential, type DraftCredential, type OpenBadgeCredential } from "../../lib/credential/credential.js";
import { anchoredCredential, prepareBatch } from "../../lib/anchor/issuance.js";
import { ANCHOR_PROOF_TYPE, attachAnchorProof } from "../../lib/anchor/proof.js";
import { exampleBadge, examplePathway } from "./badges.js";
import { FAKE_CHAIN_ID, FAKE_REGISTRY, type FakeChain } from "./fake-chain.js";

export interface FakeIssuer {
  /** The issuer's controller key. */
  address: string;
  profileId: string;
}

export const UNIVERSITY: FakeIssuer = { address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", profileId: "did:web:uni.example" };
export const EMPLOYER: FakeIssuer = { address: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", profileId: "https://security.employer.example/issuer" };
/** An operator (hot) key of the university. */
export const UNIVERSITY_OPERATOR = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

let counter = 0;

export interface IssueOptions {
  /** The key that anchors (default: the issuer's controller). */
  actingKey?: string;
  /** Unix time of the anchor. */
  anchoredAt?: number;
}

/** Anchors the drafts as one batch by `issuer`; returns the anchored credentials. */
export function issueOn(chain: FakeChain, issuer: FakeIssuer, drafts: unknown[], options: IssueOptions = {}): OpenBadgeCredential[] {
  const parsed = drafts.map((draft) => {
    const result = parseDraftCredential(draft);
    if (!result.ok) throw new Error(`invalid draft: ${JSON.stringify(result.problems)}`);
    return result.credential as DraftCredential;
  });
  const prepared = prepareBatch(parsed, { profileId: issuer.profileId, newId: () => `urn:uuid:00000000-0000-4000-8000-${String(++counter).padStart(12, "0")}` });
  chain.anchor(issuer.profileId, prepared.batch.root, parsed.length, options);
  const facts = { chainId: FAKE_CHAIN_ID, registry: FAKE_REGISTRY, anchoredAt: "2026-06-01T00:00:00.000Z", transactionHash: `0x${"ab".repeat(32)}` as Hex };
  return parsed.map((_, index) => anchoredCredential(prepared, index, facts));
}

/** Publishes a pathway (anchors its hash as a batch of one) by `issuer`. */
export function publishOn(chain: FakeChain, issuer: FakeIssuer, pathway: Record<string, any>): Record<string, any> {
  const batch = buildBatch([credentialHash(pathway)]);
  chain.anchor(issuer.profileId, batch.root, 1);
  return attachAnchorProof(pathway, { type: ANCHOR_PROOF_TYPE, chainId: FAKE_CHAIN_ID, registry: FAKE_REGISTRY, root: batch.root, leafIndex: 0, merklePath: [] });
}

/** A fake chain with both sample issuers registered, Ada's five badges anchored and both pathways published. */
export function sampleStackWorld(chain: FakeChain) {
  chain.registerIssuer(UNIVERSITY.profileId, UNIVERSITY.address);
  chain.registerIssuer(EMPLOYER.profileId, EMPLOYER.address);
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
