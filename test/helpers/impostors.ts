/**
 * What an accredited but dishonest issuer can anchor on the sample registry (issue 15, items 6 and 7): the
 * employer — registered, with its own key — anchors, signed and valid, (a) a badge that calls its issuer
 * "Northfield University", and (b) a stacked "Doctor of Medicine" whose one component reference points at
 * Ada's genuine university badge (its real hash and anchor, read from her shared portfolio) under another
 * achievement and another learner. Both are the employer's own credentials: the chain and the signature
 * vouch for them as that; nothing vouches for what they say of others.
 */
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { findAnchorProof } from "../../lib/anchor/proof.js";
import { credentialHash } from "../../lib/credential/canonical.js";
import type { OpenBadgeCredential } from "../../lib/credential/credential.js";
import { parsePathway } from "../../lib/stack/pathway.js";
import { componentReference, referenceFromProof, stackDraft } from "../../lib/stack/stack.js";
import { anchorBadges } from "../../scripts/credentials/anchor-badges.js";
import { publishPathway } from "../../scripts/pathways/publish-pathway.js";
import type { SampleRegistry } from "../../scripts/sample-registry.js";
import { examplePathway } from "./badges.js";

export const IMPERSONATED_NAME = "Northfield University";
export const MALLORY = "did:example:mallory-0bad";
export const MEDICINE = "Doctor of Medicine";

export interface Impostors {
  /** The employer's badge naming its issuer "Northfield University". */
  impersonating: OpenBadgeCredential;
  /** The employer's stack of Ada's foundations badge, claimed as "Doctor of Medicine" for Mallory. */
  forgedStack: OpenBadgeCredential;
  /** Ada's genuine badge that the forged stack points at. */
  adasBadge: OpenBadgeCredential;
}

export async function anchorImpostors(sample: SampleRegistry): Promise<Impostors> {
  const employer = await sample.as(sample.accounts.employer);
  const signing = sample.issuers.employer.signingKey;
  const root = await mkdtemp(path.join(tmpdir(), "impostors-"));
  const adasBadge = JSON.parse(await readFile(sample.badge("university", "uni-data-analytics-foundations"), "utf8")) as OpenBadgeCredential;

  const draft = JSON.parse(await readFile(path.join(import.meta.dirname, "..", "..", "examples", "badges", "meridian-incident-response-fundamentals.json"), "utf8"));
  delete draft.id;
  draft.issuer = { ...draft.issuer, id: sample.issuers.employer.profileId, name: IMPERSONATED_NAME };
  const impersonating = await anchorOne(employer, draft, path.join(root, "impersonating"), signing);

  const pathway = examplePathway("data-analyst-certificate");
  Object.assign(pathway, {
    id: "https://security.employer.example/pathways/doctor-of-medicine/v1",
    name: MEDICINE,
    issuer: sample.issuers.employer.profileId,
    achievement: { ...pathway.achievement, id: "https://security.employer.example/achievements/doctor-of-medicine", name: MEDICINE },
    requirements: { allOf: ["https://security.employer.example/achievements/medical-school"] },
  });
  const pathwayFile = path.join(root, "pathway.json");
  await publishPathway(employer, pathway, pathwayFile);
  const published = JSON.parse(await readFile(pathwayFile, "utf8"));
  const parsed = parsePathway(published);
  const pathwayProof = findAnchorProof(published);
  const badgeProof = findAnchorProof(adasBadge);
  if (!parsed.ok || pathwayProof.kind !== "found" || badgeProof.kind !== "found") throw new Error("the impostor's pathway or Ada's badge has no anchor proof");
  const lie = {
    ...componentReference(adasBadge, referenceFromProof(credentialHash(adasBadge), badgeProof.proof)),
    achievementId: "https://security.employer.example/achievements/medical-school",
    achievementName: MEDICINE,
  };
  const stack = stackDraft({
    pathway: parsed.credential,
    pathwayReference: referenceFromProof(credentialHash(published), pathwayProof.proof),
    components: [lie],
    subjectId: MALLORY,
    issuedAt: new Date(),
  });
  const forgedStack = await anchorOne(employer, stack, path.join(root, "forged-stack"), signing);
  return { impersonating, forgedStack, adasBadge };
}

async function anchorOne(context: Parameters<typeof anchorBadges>[0], draft: unknown, outDir: string, signing: Parameters<typeof anchorBadges>[1]["signing"]): Promise<OpenBadgeCredential> {
  const draftDir = `${outDir}-draft`;
  await mkdir(draftDir, { recursive: true });
  const file = path.join(draftDir, "badge.json");
  await writeFile(file, JSON.stringify(draft, null, 2));
  await anchorBadges(context, { files: [file], outDir, skipInvalid: false, dryRun: false, progress: false, signing });
  return JSON.parse(await readFile(path.join(outDir, "badge.json"), "utf8")) as OpenBadgeCredential;
}
