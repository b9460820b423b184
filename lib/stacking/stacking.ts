/**
 * Stacking, the pure part shared by `pathway check` and `credentials stack`: check a published pathway
 * against the chain, verify every component badge, see how far they go towards the pathway, and — when
 * everything holds — draft the stacked credential for the awarding issuer to anchor.
 *
 * lib/stacking/: the commands' stacking, on top of lib/verify/, lib/portfolio/ (reading ahead) and lib/stack/.
 */
import { rootFromProof } from "../anchor/batch.js";
import { credentialHash, type Hex } from "../credential/canonical.js";
import { issuerIdOfProfile } from "../credential/profile-id.js";
import type { DraftCredential, OpenBadgeCredential } from "../credential/credential.js";
import { evaluatePathway, parsePathway, pathwayIssuerId, type Pathway, type PathwayProgress } from "../stack/pathway.js";
import { readAhead } from "../portfolio/prefetch.js";
import { findAnchorProof } from "../anchor/proof.js";
import { componentReference, findStack, flattenStack, referenceFromProof, stackDraft, type AnchorReference } from "../stack/stack.js";
import { keyCompromiseStanding, verifyCredential, type VerificationResult, type VerifyOptions } from "../verify/verify.js";

export interface PathwayStanding {
  ok: boolean;
  /** Why the pathway cannot be used, when it cannot. */
  problem?: string;
  pathway?: Pathway;
  hash?: Hex;
  reference?: AnchorReference;
  /** The key (controller or operator of the pathway's issuer) that published it. */
  publishedBy?: string;
}

/**
 * A pathway file's standing: valid definition, published (anchored) unchanged by its own issuer — read
 * under the identity of the issuer it names, so only that issuer's anchors count — not withdrawn.
 */
export async function checkPublishedPathway(input: unknown, options: Pick<VerifyOptions, "readerFor">): Promise<PathwayStanding> {
  const parsed = parsePathway(input);
  if (!parsed.ok) return { ok: false, problem: `not a valid pathway: ${parsed.problems.slice(0, 5).map((p) => `${p.path} ${p.message}`).join("; ")}` };
  const pathway = parsed.credential;
  // The hash of the document as published, not of the parsed value (which has defaults filled in).
  const hash = credentialHash(input as object);
  const found = findAnchorProof(pathway);
  if (found.kind !== "found") return { ok: false, pathway, hash, problem: "the pathway is not published: it carries no anchor proof (run `pathway publish`)" };
  const proof = found.proof;
  if (rootFromProof(proof.leafIndex, hash, proof.merklePath) !== proof.root.toLowerCase()) {
    return { ok: false, pathway, hash, problem: "the pathway changed after it was published: its hash no longer gives the anchored root" };
  }
  const reader = options.readerFor(proof.chainId, proof.registry);
  if (!reader) return { ok: false, pathway, hash, problem: `the pathway is anchored in registry ${proof.registry} on chain ${proof.chainId}, which is not the one in use` };
  const profileId = pathwayIssuerId(pathway);
  const status = await reader.credentialStatus(issuerIdOfProfile(profileId), proof.root, BigInt(proof.leafIndex));
  if (!status.anchored || !status.inRange) return { ok: false, pathway, hash, problem: `the pathway's root ${proof.root} is not anchored by "${profileId}", the issuer it names` };
  const compromise = keyCompromiseStanding(status);
  if (compromise) return { ok: false, pathway, hash, problem: `the pathway reads revoked: ${compromise.detail}` };
  if (status.revoked || status.batchRevoked) return { ok: false, pathway, hash, problem: "the pathway was withdrawn (revoked) by its issuer" };
  if (status.suspended) return { ok: false, pathway, hash, problem: "the pathway is suspended by its issuer" };
  return { ok: true, pathway, hash, reference: referenceFromProof(hash, proof), publishedBy: status.actingKey };
}

export interface ComponentAssessment {
  /** How the caller names the component (a file name, say). */
  label: string;
  verification: VerificationResult;
}

export interface ComponentsAssessment {
  components: ComponentAssessment[];
  /** Progress counting the valid components only. */
  progress: PathwayProgress;
  /** The subject ids of the valid components (one for a stack). */
  subjectIds: string[];
}

/** Verifies every component, then evaluates the pathway over the valid ones. */
export async function assessComponents(
  pathway: Pathway,
  components: ReadonlyArray<{ label: string; credential: unknown }>,
  options: VerifyOptions,
): Promise<ComponentsAssessment> {
  const readerFor = await readAhead(
    components.map(({ credential }) => credential),
    options.readerFor,
  );
  const assessed = await Promise.all(
    components.map(async ({ label, credential }) => ({ label, verification: await verifyCredential(credential, { ...options, readerFor }), credential })),
  );
  const valid = assessed.filter((entry) => entry.verification.verified);
  const progress = evaluatePathway(
    pathway,
    valid.map(({ credential }) => {
      const badge = credential as OpenBadgeCredential;
      return {
        credentialId: badge.id,
        achievementId: badge.credentialSubject.achievement.id,
        achievementName: badge.credentialSubject.achievement.name,
        issuerId: typeof badge.issuer === "string" ? badge.issuer : badge.issuer.id,
        issuedAt: badge.validFrom,
      };
    }),
    options.now(),
  );
  const subjectIds = [...new Set(valid.map(({ verification }) => verification.credential?.subjectId ?? "(no subject id)"))];
  return { components: assessed.map(({ label, verification }) => ({ label, verification })), progress, subjectIds };
}

export type StackPlan =
  | { ok: true; draft: DraftCredential; pathway: Pathway; assessment: ComponentsAssessment }
  | { ok: false; problems: string[]; assessment?: ComponentsAssessment };

/**
 * Everything `credentials stack` checks before it anchors anything; on success the stacked credential's
 * draft. Every problem names the component (by its label) and says why.
 */
export async function planStack(
  pathwayInput: unknown,
  components: ReadonlyArray<{ label: string; credential: unknown }>,
  options: VerifyOptions & { stackingIssuerProfileId: string },
): Promise<StackPlan> {
  const standing = await checkPublishedPathway(pathwayInput, options);
  if (!standing.ok) return { ok: false, problems: [standing.problem!] };
  const pathway = standing.pathway!;
  if (pathwayIssuerId(pathway) !== options.stackingIssuerProfileId) {
    return { ok: false, problems: [`the pathway is awarded by "${pathwayIssuerId(pathway)}"; the signing issuer is "${options.stackingIssuerProfileId}"`] };
  }
  if (components.length === 0) return { ok: false, problems: ["no component badge given"] };

  const assessment = await assessComponents(pathway, components, options);
  // A chain that cannot be read is no verdict on the badges: fail, rather than refuse for a wrong reason.
  const unreadable = assessment.components.find(({ verification }) => verification.status === "unavailable");
  if (unreadable) throw new Error(`${unreadable.label}: ${unreadable.verification.errors[0] ?? "the chain cannot be read"}`);
  const problems: string[] = [];
  for (const { label, verification } of assessment.components) {
    if (!verification.verified) problems.push(`${label}: ${verification.status} — ${verification.errors[0] ?? "not valid"}`);
  }
  const byId = new Map(assessment.components.map(({ label, verification }) => [verification.credential?.id, label]));
  for (const unused of assessment.progress.unused) {
    if (unused.reason !== "not-in-pathway" && unused.reason !== "duplicate") problems.push(`${byId.get(unused.credentialId) ?? unused.credentialId}: ${unused.detail}`);
  }
  if (problems.length === 0 && assessment.subjectIds.length !== 1) {
    problems.push(`the components belong to ${assessment.subjectIds.length} different subjects (${assessment.subjectIds.join(", ")}); a stack is for one learner`);
  }
  if (problems.length === 0 && assessment.subjectIds[0] === "(no subject id)") problems.push("the components do not name their subject by an id");
  if (problems.length === 0 && !assessment.progress.complete) {
    for (const requirement of assessment.progress.requirements.filter((entry) => !entry.met)) {
      problems.push(`requirement "${requirement.name}" is not met: needs ${requirement.needed} of ${requirement.missing.join(", ")}`);
    }
  }
  if (problems.length > 0) return { ok: false, problems, assessment };

  const used = new Set(assessment.progress.used);
  const componentReferences = components
    .filter(({ credential }) => used.delete((credential as OpenBadgeCredential).id)) // each used badge once
    .map(({ credential }) => {
      const badge = credential as OpenBadgeCredential;
      const proof = findAnchorProof(badge);
      if (proof.kind !== "found") throw new Error("a verified component has an anchor proof");
      return componentReference(badge, referenceFromProof(credentialHash(badge), proof.proof));
    });
  const draft = stackDraft({
    pathway,
    pathwayReference: standing.reference!,
    components: componentReferences,
    subjectId: assessment.subjectIds[0],
    issuedAt: options.now(),
  });
  // The stack as a verifier will walk it: refuse now what would verify as malformed (too deep, too large).
  const found = findStack(draft);
  const walked = found.kind === "found" ? flattenStack(`0x${"00".repeat(32)}`, found.stack) : { ok: false as const, problem: "the draft names no stack" };
  if (found.kind === "malformed") return { ok: false, problems: found.problems, assessment };
  if (!walked.ok) return { ok: false, problems: [walked.problem], assessment };
  return { ok: true, draft, pathway, assessment };
}
