/**
 * The anchor proof (DESIGN.md §3): what a credential carries, in its `proof`, to be checked against the
 * registry — chain, registry, batch root, its index in the batch and the Merkle path. The registry record
 * is found by (issuerId of the credential's `issuer.id`, root): the proof names no issuer of its own.
 * `anchoredAt` and `transactionHash` are informational; verifiers trust only the chain.
 */
import { z } from "zod";

import type { Hex } from "../credential/canonical.js";

export const ANCHOR_PROOF_TYPE = "CredentialRegistryAnchor2026";

const bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be 0x followed by 64 hex digits");
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be an address: 0x followed by 40 hex digits");

export const anchorProofSchema = z.object({
  type: z.literal(ANCHOR_PROOF_TYPE),
  chainId: z.number().int().positive(),
  registry: address,
  root: bytes32,
  leafIndex: z.number().int().nonnegative(),
  merklePath: z.array(bytes32).max(64, "is longer than any batch's path"),
  anchoredAt: z.string().optional(),
  transactionHash: bytes32.optional(),
});

export interface AnchorProof {
  type: typeof ANCHOR_PROOF_TYPE;
  chainId: number;
  registry: string;
  root: Hex;
  leafIndex: number;
  merklePath: Hex[];
  anchoredAt?: string;
  transactionHash?: Hex;
}

type WithProof = { proof?: unknown };

function proofsOf(credential: WithProof): unknown[] {
  if (credential.proof === undefined) return [];
  return Array.isArray(credential.proof) ? credential.proof : [credential.proof];
}

function isAnchorProofObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as { type?: unknown }).type === ANCHOR_PROOF_TYPE;
}

/**
 * A copy of `credential` carrying `anchorProof`: other proofs (a DataIntegrityProof, say) are kept in
 * order; an earlier anchor proof is replaced, since a credential has one anchor.
 */
export function attachAnchorProof<T extends WithProof>(credential: T, anchorProof: AnchorProof): T & { proof: unknown[] } {
  const others = proofsOf(credential).filter((proof) => !isAnchorProofObject(proof));
  return { ...credential, proof: [...others, anchorProof] };
}

export type FoundAnchorProof =
  | { kind: "found"; proof: AnchorProof }
  | { kind: "missing" }
  | { kind: "malformed"; problems: string[] }
  | { kind: "ambiguous"; count: number };

/** The credential's anchor proof, or why there is none usable. */
export function findAnchorProof(credential: WithProof): FoundAnchorProof {
  const candidates = proofsOf(credential).filter(isAnchorProofObject);
  if (candidates.length === 0) return { kind: "missing" };
  if (candidates.length > 1) return { kind: "ambiguous", count: candidates.length };
  const parsed = anchorProofSchema.safeParse(candidates[0]);
  if (!parsed.success) {
    return {
      kind: "malformed",
      problems: parsed.error.issues.map((issue) => `proof.${issue.path.join(".")} ${issue.message}`),
    };
  }
  return { kind: "found", proof: parsed.data as AnchorProof };
}
