/**
 * The Open Badges 3.0 `OpenBadgeCredential` (a W3C Verifiable Credential 2.0) as a zod schema, and
 * `parseCredential`, which turns any input into either a typed credential or a list of problems, each
 * with its JSON path and a plain sentence. It never throws for bad input.
 *
 * The schema follows the 1EdTech OB 3.0 data model property for property (the classes below the
 * credential are in ob-classes.ts, the value types in ob-values.ts): required fields are enforced, every
 * optional field the model defines is typed, and any other property is kept untouched (OB 3.0 allows
 * extensions, and the credential hash covers every property). test/lib/credential/official-schema.ts
 * holds it to the official 1EdTech JSON Schema, with the deliberate differences listed there.
 *
 * lib/credential/: the credential itself — this schema, its hash (canonical.ts, keccak.ts) and the reason
 * codes (reasons.ts). It needs no other folder of lib/.
 */
import { z } from "zod";

import { achievementSubject, endorsementCredential, evidenceSchema, image, validityWindow, verifiableCredentialFields } from "./ob-classes.js";
import { compactJws, context, dateTime, uri } from "./ob-values.js";

export { OB_V3_CONTEXT, text, uri, VC_V2_CONTEXT } from "./ob-values.js";
export { achievementSchema, evidenceSchema, profileSchema } from "./ob-classes.js";

const credentialShape = {
  "@context": context,
  id: uri,
  type: z
    .union([z.string(), z.array(z.string()).min(1)])
    .refine((value) => {
      const types = Array.isArray(value) ? value : [value];
      return types.includes("VerifiableCredential") && (types.includes("OpenBadgeCredential") || types.includes("AchievementCredential"));
    }, 'must include "VerifiableCredential" and "OpenBadgeCredential"'),
  name: z.string().optional(),
  description: z.string().optional(),
  image: image.optional(),
  awardedDate: dateTime.optional(),
  credentialSubject: achievementSubject,
  endorsement: z.array(endorsementCredential).optional(),
  endorsementJwt: z.array(compactJws).optional(),
  evidence: z.array(evidenceSchema).optional(),
  ...verifiableCredentialFields,
};

/** An issued credential: every required field, `id` included. */
export const credentialSchema = z.looseObject(credentialShape).refine(...validityWindow);

/** A credential before anchoring: as issued, but the anchor command may still fill in `id`. */
export const draftCredentialSchema = z
  .looseObject({ ...credentialShape, id: uri.optional() })
  .refine(...validityWindow);

export type OpenBadgeCredential = z.infer<typeof credentialSchema>;
export type DraftCredential = z.infer<typeof draftCredentialSchema>;

/** One thing wrong with a credential: where (a JSON path such as `$.credentialSubject.achievement.name`) and what. */
export interface CredentialProblem {
  path: string;
  message: string;
}

export type ParseResult<T> = { ok: true; credential: T } | { ok: false; problems: CredentialProblem[] };

/** Validates an issued credential. Never throws; returns every problem found. */
export function parseCredential(input: unknown): ParseResult<OpenBadgeCredential> {
  return toResult(credentialSchema.safeParse(input, { reportInput: true }));
}

/** Validates a credential to be anchored (its `id` may be missing). Never throws. */
export function parseDraftCredential(input: unknown): ParseResult<DraftCredential> {
  return toResult(draftCredentialSchema.safeParse(input, { reportInput: true }));
}

/** The issuer's profile id, whether `issuer` is a URI or a Profile object. */
export function issuerIdOf(credential: { issuer: string | { id: string } }): string {
  return typeof credential.issuer === "string" ? credential.issuer : credential.issuer.id;
}

/** A copy of `credential` whose issuer id is `profileId`, keeping the issuer's other profile fields. */
export function withIssuerId<T extends { issuer: string | { id: string } }>(credential: T, profileId: string): T {
  const issuer = typeof credential.issuer === "string" ? profileId : { ...credential.issuer, id: profileId };
  return { ...credential, issuer };
}

/** Validates `input` against any of the project's schemas, with problems as for credentials. Never throws. */
export function parseWith<T>(schema: z.ZodType<T>, input: unknown): ParseResult<T> {
  return toResult(schema.safeParse(input, { reportInput: true }));
}

function toResult<T>(parsed: z.ZodSafeParseResult<T>): ParseResult<T> {
  if (parsed.success) return { ok: true, credential: parsed.data };
  return { ok: false, problems: parsed.error.issues.map(describeIssue) };
}

function describeIssue(issue: z.core.$ZodIssue): CredentialProblem {
  return { path: jsonPath(issue.path), message: plainSentence(issue) };
}

function jsonPath(path: PropertyKey[]): string {
  return path.reduce<string>((result, key) => {
    if (typeof key === "number") return `${result}[${key}]`;
    const name = String(key);
    return /^[A-Za-z_$][\w$]*$/.test(name) ? `${result}.${name}` : `${result}[${JSON.stringify(name)}]`;
  }, "$");
}

function plainSentence(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type") {
    if (issue.input === undefined) return "is required";
    return `must be ${article(issue.expected)}, not ${describeValue(issue.input)}`;
  }
  if (issue.code === "invalid_union" && issue.input === undefined) return "is required";
  if (issue.code === "too_small" && issue.origin === "array") {
    return issue.message.startsWith("Too small") ? `must have at least ${issue.minimum} item(s)` : issue.message;
  }
  return issue.message;
}

function article(expected: string): string {
  const names: Record<string, string> = { object: "an object", array: "an array", string: "a string", number: "a number", boolean: "true or false" };
  return names[expected] ?? expected;
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value)}`;
}
