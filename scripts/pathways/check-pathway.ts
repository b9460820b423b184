/**
 * `pathway check <pathway.json> <badge.json>...`: a learner's progress towards a pathway — the pathway's
 * own standing (published, unchanged, by whom), each badge's verdict, which requirement each valid badge
 * meets, what is missing, and why any badge does not count. Reads the chain; sends nothing.
 */

import { issuerIdOfProfile } from "../../lib/credential/profile-id.js";
import { parsePathway, pathwayIssuerId, type PathwayProgress } from "../../lib/stack/pathway.js";
import { assessComponents, checkPublishedPathway } from "../../lib/stacking/stacking.js";
import type { VerificationStatus } from "../../lib/verify/verify.js";
import { readJsonFile } from "../cli/read-json.js";
import { CommandError } from "../command-errors.js";
import type { RegistryReadContext } from "../cli/registry-context.js";
import { EthersRegistryReader } from "../ethers-registry-reader.js";

export interface PathwayCheckResult {
  /** `issuer`: the awarding issuer's profile id and issuerId; `publishedBy`: the key that anchored it. */
  pathway: { id: string; name: string; issuer: { profileId: string; issuerId: string }; published: boolean; publishedBy: string | null; problem: string | null };
  badges: Array<{ file: string; credentialId: string | null; achievementName: string | null; status: VerificationStatus; detail: string | null }>;
  progress: PathwayProgress;
  subjectIds: string[];
  /** Complete, from valid badges of one learner, on a published pathway: ready to stack. */
  readyToStack: boolean;
}

export async function checkPathway(context: RegistryReadContext, pathwayFile: string, badgeFiles: string[], now: Date = new Date()): Promise<PathwayCheckResult> {
  const pathwayInput = await readJsonFile(pathwayFile);
  const parsed = parsePathway(pathwayInput);
  if (!parsed.ok) {
    throw new CommandError("invalid-pathway", `${pathwayFile} is not a valid pathway:\n${parsed.problems.map((problem) => `  ${problem.path} ${problem.message}`).join("\n")}`);
  }
  const reader = new EthersRegistryReader(context.registry);
  const readerFor = (chainId: number, registry: string) =>
    chainId === context.chainId && registry.toLowerCase() === context.registryAddress.toLowerCase() ? reader : undefined;
  try {
    const standing = await checkPublishedPathway(pathwayInput, { readerFor });
    const badges = await Promise.all(badgeFiles.map(async (file) => ({ label: file, credential: await readJsonFile(file) })));
    const assessment = await assessComponents(parsed.credential, badges, { readerFor, now: () => now });
    return {
      pathway: {
        id: parsed.credential.id,
        name: parsed.credential.name,
        issuer: { profileId: pathwayIssuerId(parsed.credential), issuerId: issuerIdOfProfile(pathwayIssuerId(parsed.credential)) },
        published: standing.ok, publishedBy: standing.publishedBy ?? null, problem: standing.problem ?? null },
      badges: assessment.components.map(({ label, verification }) => ({
        file: label,
        credentialId: verification.credential?.id ?? null,
        achievementName: verification.credential?.achievementName ?? null,
        status: verification.status,
        detail: verification.errors[0] ?? null,
      })),
      progress: assessment.progress,
      subjectIds: assessment.subjectIds,
      readyToStack: standing.ok && assessment.progress.complete && assessment.subjectIds.length === 1,
    };
  } catch (error) {
    if (error instanceof CommandError) throw error;
    throw new CommandError("unreachable", `cannot read the registry on network "${context.networkName}": ${(error as Error).message.split("\n")[0]}`, 3);
  }
}

export function renderPathwayCheck(result: PathwayCheckResult): string[] {
  const lines = [`Pathway "${result.pathway.name}" (${result.pathway.id})`];
  lines.push(
    result.pathway.published
      ? `  published by ${result.pathway.issuer.profileId} (key ${result.pathway.publishedBy}), unchanged`
      : `  ! ${result.pathway.problem}`,
  );
  lines.push("Badges:");
  for (const badge of result.badges) {
    lines.push(`  ${badge.status === "valid" ? "✔" : "✘"} ${badge.file}: ${badge.achievementName ?? "?"} — ${badge.status}${badge.detail ? ` (${badge.detail})` : ""}`);
  }
  lines.push("Requirements:");
  const byCredential = new Map(result.badges.map((badge) => [badge.credentialId, badge.file]));
  for (const requirement of result.progress.requirements) {
    const mark = requirement.met ? "✔" : "✘";
    const met = requirement.metBy.map((entry) => byCredential.get(entry.credentialId) ?? entry.credentialId).join(", ");
    const need = requirement.kind === "all-of" ? requirement.achievementIds[0] : `${requirement.needed} of ${requirement.achievementIds.length}`;
    lines.push(`  ${mark} ${requirement.name}: ${need}${met ? ` — met by ${met}` : ""}${requirement.met ? "" : ` — missing: ${requirement.missing.join(", ")}`}`);
  }
  for (const unused of result.progress.unused) lines.push(`  – not counted: ${byCredential.get(unused.credentialId) ?? unused.credentialId}: ${unused.detail}`);
  if (result.subjectIds.length > 1) lines.push(`  ! the valid badges belong to ${result.subjectIds.length} learners: ${result.subjectIds.join(", ")}`);
  lines.push(result.readyToStack ? "Complete: ready to stack (credentials stack)." : result.progress.complete ? "Requirements met, but not ready to stack (see above)." : "Not complete yet.");
  return lines;
}
