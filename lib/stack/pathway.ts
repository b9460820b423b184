/**
 * Pathways (DESIGN.md §8): what an awarding issuer requires before it awards a larger credential — a
 * certificate for a set of badges, a degree for a set of certificates. A pathway is a small JSON document,
 * anchored by its issuer as a batch of one (its hash is computed like a credential's: RFC 8785 without
 * `proof`), so it cannot change once published; a new version is a new pathway.
 *
 * The rule: every achievement of `allOf`, plus, for each group, at least `atLeast` of its achievements;
 * optionally components no older than `maxAgeDays` and only from `acceptedIssuers` (profile ids).
 * Without `acceptedIssuers`, any issuer active in the registry counts — the chain says which are.
 */
import { z } from "zod";

import { achievementSchema, parseWith, profileSchema, text, uri, type ParseResult } from "../credential/credential.js";

export const PATHWAY_TYPE = "CredentialPathway";

const group = z
  .object({
    name: text.optional(),
    atLeast: z.number().int().positive(),
    of: z.array(uri).min(1, "must list at least one achievement id"),
  })
  .refine((value) => value.atLeast <= value.of.length, { message: "must not ask for more achievements than it lists", path: ["atLeast"] });

const requirements = z
  .object({
    allOf: z.array(uri).default([]),
    groups: z.array(group).default([]),
    maxAgeDays: z.number().int().positive().optional(),
    acceptedIssuers: z.array(uri).min(1, "must list at least one issuer, or be left out to accept any active issuer").optional(),
  })
  .refine((value) => value.allOf.length + value.groups.length > 0, "must require at least one achievement (allOf or groups)")
  .refine((value) => {
    const listed = [...value.allOf, ...value.groups.flatMap((entry) => entry.of)];
    return new Set(listed).size === listed.length;
  }, "must name each achievement id once only, in allOf or in one group");

export const pathwaySchema = z.looseObject({
  type: z.literal(PATHWAY_TYPE, { error: `must be "${PATHWAY_TYPE}"` }),
  id: uri,
  name: text,
  description: z.string().optional(),
  /** The awarding issuer: its profile id as registered on chain, or a Profile object with that id. */
  issuer: z.union([uri, profileSchema], { error: "must be the awarding issuer's profile id, or a Profile object" }),
  /** The OB 3.0 Achievement the pathway awards. */
  achievement: achievementSchema,
  requirements,
  proof: z.unknown().optional(),
});

export type Pathway = z.infer<typeof pathwaySchema>;

/** Validates a pathway definition. Never throws; returns every problem found. */
export function parsePathway(input: unknown): ParseResult<Pathway> {
  return parseWith(pathwaySchema, input);
}

/** What a pathway needs to know about one credential the learner holds. */
export interface EarnedAchievement {
  credentialId: string;
  achievementId: string;
  achievementName: string;
  issuerId: string;
  /** When it was issued (the credential's validFrom). */
  issuedAt: string;
}

export interface RequirementProgress {
  kind: "all-of" | "at-least";
  /** "required" for an allOf achievement, else the group's name or "group N". */
  name: string;
  /** How many achievements the requirement needs. */
  needed: number;
  /** The achievements it accepts. */
  achievementIds: string[];
  /** Which credential meets which of its achievements. */
  metBy: Array<{ achievementId: string; credentialId: string }>;
  /** Accepted achievements not (yet) earned. */
  missing: string[];
  met: boolean;
}

export type UnusedReason = "not-in-pathway" | "duplicate" | "too-old" | "issuer-not-accepted";

export interface PathwayProgress {
  complete: boolean;
  requirements: RequirementProgress[];
  /** The credentials that meet a requirement, in the order given. */
  used: string[];
  /** The others, each with why it does not count. */
  unused: Array<{ credentialId: string; reason: UnusedReason; detail: string }>;
}

const DAY_MS = 86_400_000;

/** How far `earned` goes towards `pathway` at time `now`. Each credential counts for one requirement. */
export function evaluatePathway(pathway: Pathway, earned: readonly EarnedAchievement[], now: Date): PathwayProgress {
  const { allOf, groups, maxAgeDays, acceptedIssuers } = pathway.requirements;
  const unused: PathwayProgress["unused"] = [];
  const byAchievement = new Map<string, EarnedAchievement>();
  const listed = new Set([...allOf, ...groups.flatMap((entry) => entry.of)]);

  for (const credential of earned) {
    if (!listed.has(credential.achievementId)) {
      unused.push({ credentialId: credential.credentialId, reason: "not-in-pathway", detail: `"${credential.achievementName}" is not part of this pathway` });
    } else if (acceptedIssuers && !acceptedIssuers.includes(credential.issuerId)) {
      unused.push({ credentialId: credential.credentialId, reason: "issuer-not-accepted", detail: `issuer ${credential.issuerId} is not one the pathway accepts` });
    } else if (maxAgeDays !== undefined && now.getTime() - Date.parse(credential.issuedAt) > maxAgeDays * DAY_MS) {
      unused.push({ credentialId: credential.credentialId, reason: "too-old", detail: `issued ${credential.issuedAt}, more than ${maxAgeDays} days ago` });
    } else if (byAchievement.has(credential.achievementId)) {
      unused.push({ credentialId: credential.credentialId, reason: "duplicate", detail: `"${credential.achievementName}" is already met by ${byAchievement.get(credential.achievementId)!.credentialId}` });
    } else {
      byAchievement.set(credential.achievementId, credential);
    }
  }

  const progress = (kind: RequirementProgress["kind"], name: string, needed: number, achievementIds: string[]): RequirementProgress => {
    const metBy = achievementIds.flatMap((achievementId) => {
      const credential = byAchievement.get(achievementId);
      return credential ? [{ achievementId, credentialId: credential.credentialId }] : [];
    });
    const missing = achievementIds.filter((achievementId) => !byAchievement.has(achievementId));
    return { kind, name, needed, achievementIds, metBy, missing, met: metBy.length >= needed };
  };
  const requirementList = [
    ...allOf.map((achievementId) => progress("all-of", "required", 1, [achievementId])),
    ...groups.map((entry, index) => progress("at-least", entry.name ?? `group ${index + 1}`, entry.atLeast, entry.of)),
  ];
  const used = earned.filter((credential) => byAchievement.get(credential.achievementId) === credential).map((credential) => credential.credentialId);
  return { complete: requirementList.every((requirement) => requirement.met), requirements: requirementList, used, unused };
}

/** The awarding issuer's profile id. */
export function pathwayIssuerId(pathway: Pathway): string {
  return typeof pathway.issuer === "string" ? pathway.issuer : pathway.issuer.id;
}
