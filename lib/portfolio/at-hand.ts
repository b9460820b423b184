/**
 * A portfolio's credentials verified with each other at hand: a stacked credential's components that the
 * portfolio also holds (found by hash) are confirmed against the components themselves, and a pathway
 * document it holds lets the stack check re-check the pathway's rule (lib/verify/stack-check.ts). Every
 * credential is still verified on its own, once; a stack only reads its components' verdicts.
 */
import { credentialHash, type Hex } from "../credential/canonical.js";
import type { AtHand } from "../verify/stack-check.js";
import type { VerificationResult } from "../verify/verify.js";

const NOTHING_AT_HAND: AtHand = { credential: () => undefined, pathway: () => undefined };

/** Runs `verifyOne` on every credential, each given the others (and the pathways) at hand. */
export async function verifyAtHand(
  credentials: readonly unknown[],
  pathways: readonly unknown[],
  verifyOne: (credential: unknown, atHand: AtHand) => Promise<VerificationResult>,
): Promise<VerificationResult[]> {
  // One credential alone has nothing beside it: not hashed twice for nothing.
  if (credentials.length === 1 && pathways.length === 0) return [await verifyOne(credentials[0], NOTHING_AT_HAND)];
  const byHash = new Map<Hex, Promise<VerificationResult>>();
  const pathwayByHash = new Map<Hex, unknown>();
  for (const pathway of pathways) {
    const hash = hashOf(pathway);
    if (hash !== undefined) pathwayByHash.set(hash, pathway);
  }
  // Every verification is started (and known by its hash) before any of them can ask for another's.
  const settled: Array<(result: Promise<VerificationResult>) => void> = [];
  const results = credentials.map((credential) => {
    const verdict = new Promise<VerificationResult>((resolve) => settled.push(resolve));
    const hash = hashOf(credential);
    if (hash !== undefined && !byHash.has(hash)) byHash.set(hash, verdict);
    return verdict;
  });
  const atHand: AtHand = {
    credential: (hash) => byHash.get(hash.toLowerCase() as Hex),
    pathway: (hash) => pathwayByHash.get(hash.toLowerCase() as Hex),
  };
  credentials.forEach((credential, index) => settled[index](verifyOne(credential, atHand)));
  return Promise.all(results);
}

/** The credential hash of a document that has one (an object the canonical form can be made of). */
function hashOf(document: unknown): Hex | undefined {
  if (document === null || typeof document !== "object" || Array.isArray(document)) return undefined;
  try {
    return credentialHash(document).toLowerCase() as Hex;
  } catch {
    return undefined;
  }
}
