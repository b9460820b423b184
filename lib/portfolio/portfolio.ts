/**
 * Portfolios (DESIGN.md §8): what an employer receives — a W3C VC 2.0 VerifiablePresentation, a CLR 2.0
 * ClrCredential-shaped bundle (credentials in `credentialSubject.verifiableCredential`, with its
 * `association`s), or a plain JSON array of credentials. This module finds the credentials in any of
 * them, lists every chain read their verification needs (so a verifier reads them all in one batch), and
 * sums the per-credential results up: counts by status, one learner or several, the issuers, the skills.
 *
 * lib/portfolio/: many credentials at once — portfolios (this) and reading ahead every chain read their
 * verification needs (prefetch.ts), on top of lib/verify/.
 */
import type { Hex } from "../credential/canonical.js";
import { VC_V2_CONTEXT, type OpenBadgeCredential } from "../credential/credential.js";
import { findAnchorProof } from "../anchor/proof.js";
import { issuerIdOfProfile } from "../credential/profile-id.js";
import { anchoringProfileId, findStack, flattenStack, referenceIsIntact } from "../stack/stack.js";
import { PATHWAY_TYPE } from "../stack/pathway.js";
import type { CredentialLocation, IssuerNaming, VerificationResult, VerificationStatus } from "../verify/verify.js";
import { MAX_ASSOCIATION_NESTING, MAX_CREDENTIAL_NESTING, tooDeepAt } from "./nesting.js";

export const DEFAULT_MAX_PORTFOLIO_CREDENTIALS = 100;

export type PortfolioKind = "presentation" | "clr" | "array";

export type FoundPortfolio =
  | {
      ok: true;
      kind: PortfolioKind;
      credentials: unknown[];
      associations: unknown[];
      /**
       * The pathway documents (type "CredentialPathway") sent among the credentials: not credentials
       * themselves, they let a stack's rule be re-checked over its confirmed components (at-hand.ts).
       */
      pathways: unknown[];
    }
  | { ok: false; problem: string };

function typesOf(value: Record<string, unknown>): string[] {
  const type = value.type;
  return Array.isArray(type) ? type.filter((entry): entry is string => typeof entry === "string") : typeof type === "string" ? [type] : [];
}

function asList(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/**
 * The credentials a portfolio holds, whichever of the three shapes it has; refused when a credential or
 * an association nests deeper than any real one does (nesting.ts).
 */
export function findPortfolioCredentials(input: unknown): FoundPortfolio {
  const parts = findParts(input);
  if (!parts.ok) return parts;
  const where = parts.kind === "array" ? "$" : parts.kind === "presentation" ? "$.verifiableCredential" : "$.credentialSubject.verifiableCredential";
  for (const [index, credential] of parts.credentials.entries()) {
    const path = tooDeepAt(credential, MAX_CREDENTIAL_NESTING, `${where}[${index}]`);
    if (path) return { ok: false, problem: `${path}: a credential in a portfolio is nested more than ${MAX_CREDENTIAL_NESTING} levels deep` };
  }
  for (const [index, association] of parts.associations.entries()) {
    const path = tooDeepAt(association, MAX_ASSOCIATION_NESTING, `$.credentialSubject.association[${index}]`);
    if (path) return { ok: false, problem: `${path}: an association is nested more than ${MAX_ASSOCIATION_NESTING} levels deep` };
  }
  const isPathway = (item: unknown) => item !== null && typeof item === "object" && typesOf(item as Record<string, unknown>).includes(PATHWAY_TYPE);
  return { ...parts, credentials: parts.credentials.filter((item) => !isPathway(item)), pathways: parts.credentials.filter(isPathway) };
}

function findParts(input: unknown): { ok: true; kind: PortfolioKind; credentials: unknown[]; associations: unknown[] } | { ok: false; problem: string } {
  if (Array.isArray(input)) return { ok: true, kind: "array", credentials: input, associations: [] };
  if (input === null || typeof input !== "object") return { ok: false, problem: "send a VerifiablePresentation, a ClrCredential or a JSON array of credentials" };
  const document = input as Record<string, unknown>;
  const types = typesOf(document);
  if (types.includes("VerifiablePresentation")) {
    return { ok: true, kind: "presentation", credentials: asList(document.verifiableCredential), associations: [] };
  }
  if (types.includes("ClrCredential")) {
    const subject = document.credentialSubject as Record<string, unknown> | undefined;
    if (!subject || typeof subject !== "object") return { ok: false, problem: "the ClrCredential has no credentialSubject" };
    return { ok: true, kind: "clr", credentials: asList(subject.verifiableCredential), associations: asList(subject.association) };
  }
  return { ok: false, problem: 'a portfolio is a "VerifiablePresentation", a "ClrCredential" or a JSON array of credentials' };
}

/** A registry read: a credential's place (issuerId, root, index) in the registry of a chain. */
export interface ChainRead extends CredentialLocation {
  chainId: number;
  registry: string;
}

/** The key a chain read is known by (issuer id, root and registry compared without case). */
export function chainReadKey(read: ChainRead): string {
  return `${read.chainId}:${read.registry.toLowerCase()}:${read.issuerId.toLowerCase()}:${read.root.toLowerCase()}:${read.index}`;
}

/**
 * Every registry read verifying these credentials will make — each one's anchor, under its issuer.id's
 * identity, and every reference of its stack tree, under the identity it is anchored by — so that they can
 * all be fetched together beforehand. Unreadable inputs are skipped: their verification reports them.
 */
export function chainReadsOf(credentials: readonly unknown[], limit = MAX_READ_AHEAD): ChainRead[] {
  const reads = new Map<string, ChainRead>();
  const add = (chainId: number, registry: string, profileId: string, root: string, leafIndex: number) => {
    const read = { chainId, registry: registry.toLowerCase(), issuerId: issuerIdOfProfile(profileId), root: root.toLowerCase() as Hex, index: BigInt(leafIndex) };
    reads.set(chainReadKey(read), read);
  };
  for (const credential of credentials) {
    if (credential === null || typeof credential !== "object") continue;
    if (reads.size >= limit) break;
    const profileId = profileIdIn(credential as { issuer?: unknown });
    if (profileId === undefined) continue;
    const found = findAnchorProof(credential as { proof?: unknown });
    if (found.kind !== "found") continue;
    add(found.proof.chainId, found.proof.registry, profileId, found.proof.root, found.proof.leafIndex);
    const stack = findStack(credential as { evidence?: unknown });
    if (stack.kind !== "found") continue;
    const flattened = flattenStack(`0x${"00".repeat(32)}`, stack.stack);
    if (!flattened.ok) continue;
    // Only references the stack check will read: a tampered one is judged without the chain.
    for (const node of flattened.nodes) {
      const { reference } = node;
      if (referenceIsIntact(reference)) add(reference.chainId, reference.registry, anchoringProfileId(node, profileId), reference.root, reference.leafIndex);
    }
  }
  return [...reads.values()].slice(0, limit);
}

/** The issuer.id of a credential not parsed yet, if it has one to read. */
function profileIdIn(credential: { issuer?: unknown }): string | undefined {
  const { issuer } = credential;
  if (typeof issuer === "string") return issuer;
  const id = issuer !== null && typeof issuer === "object" ? (issuer as { id?: unknown }).id : undefined;
  return typeof id === "string" ? id : undefined;
}

/** Reads made ahead for one request at most; anything beyond is read when (and if) a pipeline asks. */
export const MAX_READ_AHEAD = 2_000;

export interface Skill {
  achievementId: string;
  name: string;
  achievementType: string | null;
  /** Who issued it: the name is the verified one (the issuer's own DID document), the badge's only "as stated". */
  issuer: IssuerNaming;
  alignments: Array<{ targetName: string; targetUrl: string; targetFramework: string | null; targetCode: string | null }>;
  /** The ids of the valid credentials that show it. */
  credentialIds: string[];
}

export interface PortfolioSummary {
  total: number;
  verified: number;
  byStatus: Partial<Record<VerificationStatus, number>>;
  /** Whether every readable credential names the same subject. */
  sameSubject: boolean;
  subjects: string[];
  /**
   * Each issuer named: its profile id, its verified name (from its own DID document, when one of its
   * badges' signatures verified) and the name its badges state, and its registry identity when one of its
   * credentials was found anchored under it.
   */
  issuers: Array<IssuerNaming & { issuerId: Hex | null }>;
}

/** Counts, subjects and issuers of a portfolio's results. */
export function summarisePortfolio(results: readonly VerificationResult[]): PortfolioSummary {
  const byStatus: Partial<Record<VerificationStatus, number>> = {};
  for (const result of results) byStatus[result.status] = (byStatus[result.status] ?? 0) + 1;
  const subjects = [...new Set(results.flatMap((result) => (result.credential?.subjectId ? [result.credential.subjectId] : [])))];
  const issuers = new Map<string, PortfolioSummary["issuers"][number]>();
  for (const result of results) {
    if (!result.credential) continue;
    const id = result.credential.issuerId;
    const known = issuers.get(id);
    const { verifiedName, statedName } = result.credential.issuer;
    issuers.set(id, {
      id,
      verifiedName: known?.verifiedName ?? verifiedName,
      statedName: known?.statedName ?? statedName,
      issuerId: known?.issuerId ?? result.issuer?.issuerId ?? null,
    });
  }
  return {
    total: results.length,
    verified: results.filter((result) => result.verified).length,
    byStatus,
    sameSubject: subjects.length === 1 && results.every((result) => result.credential === null || result.credential.subjectId !== null),
    subjects,
    issuers: [...issuers.values()],
  };
}

/** The skills the valid credentials show: each achievement once, with its alignments, deduplicated. */
export function skillsOf(results: readonly VerificationResult[]): Skill[] {
  const skills = new Map<string, Skill>();
  for (const result of results) {
    const credential = result.credential;
    if (!result.verified || !credential) continue;
    const key = `${credential.issuerId} ${credential.achievementId}`;
    const known = skills.get(key);
    if (known) {
      known.credentialIds.push(credential.id);
      continue;
    }
    const alignments = new Map(credential.alignments.map((alignment) => [`${alignment.targetUrl} ${alignment.targetCode ?? ""}`, alignment]));
    skills.set(key, {
      achievementId: credential.achievementId,
      name: credential.achievementName,
      achievementType: credential.achievementType,
      issuer: { ...credential.issuer },
      alignments: [...alignments.values()],
      credentialIds: [credential.id],
    });
  }
  return [...skills.values()];
}

export const CLR_V2_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json";

export interface Association {
  type: "Association";
  associationType: "isParentOf";
  sourceId: string;
  targetId: string;
}

/**
 * A holder's bundle of credentials, shaped as a CLR 2.0 ClrCredential: the credentials in
 * `credentialSubject.verifiableCredential`, and an `isParentOf` association from each stacked credential's
 * achievement to each of its components' achievements that the bundle holds. It carries no proof of its
 * own: each credential inside carries its anchor, and that is what a verifier checks.
 */
export function bundleCredentials(credentials: readonly OpenBadgeCredential[], options: { id: string; now: Date }) {
  const subjects = [...new Set(credentials.map((credential) => credential.credentialSubject.id).filter((id): id is string => id !== undefined))];
  const holder = subjects.length === 1 ? subjects[0] : undefined;
  const held = new Map(credentials.map((credential) => [credential.id, credential]));
  const associations: Association[] = [];
  for (const credential of credentials) {
    const stack = findStack(credential);
    if (stack.kind !== "found") continue;
    for (const component of stack.stack.components) {
      if (!held.has(component.credentialId)) continue;
      associations.push({ type: "Association", associationType: "isParentOf", sourceId: credential.credentialSubject.achievement.id, targetId: component.achievementId });
    }
  }
  return {
    "@context": [VC_V2_CONTEXT, CLR_V2_CONTEXT],
    id: options.id,
    type: ["VerifiableCredential", "ClrCredential"],
    name: holder ? `Credentials of ${holder}` : "Credentials",
    ...(holder ? { issuer: { id: holder, type: ["Profile"] } } : {}),
    validFrom: options.now.toISOString().replace(/\.\d{3}Z$/, "Z"),
    credentialSubject: {
      type: ["ClrSubject"],
      ...(holder ? { id: holder } : {}),
      verifiableCredential: [...credentials],
      ...(associations.length > 0 ? { association: associations } : {}),
    },
  };
}
