/**
 * The Open Badges 3.0 `OpenBadgeCredential` (a W3C Verifiable Credential 2.0) as a zod schema, and
 * `parseCredential`, which turns any input into either a typed credential or a list of problems, each
 * with its JSON path and a plain sentence. It never throws for bad input.
 *
 * The schema follows the 1EdTech OB 3.0 data model (AchievementCredential, Profile, AchievementSubject,
 * Achievement, Alignment, Evidence, Image): required fields are enforced, known optional fields are
 * typed, and any other property is kept untouched (OB 3.0 allows extensions, and the credential hash
 * covers every property).
 *
 * lib/credential/: the credential itself — this schema, its hash (canonical.ts, keccak.ts) and the reason
 * codes (reasons.ts). It needs no other folder of lib/.
 */
import { z } from "zod";

export const VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2";
export const OB_V3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
const OB_V3_CONTEXT_PATTERN = /^https:\/\/purl\.imsglobal\.org\/spec\/ob\/v3p0\/context(-3\.\d+\.\d+)*\.json$/;

// An absolute URI with a scheme (https:, did:, urn:uuid:, mailto: …). OB 3.0 types these as URI.
const URI_PATTERN = /^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/;
// ISO 8601 / RFC 3339 date-time with a time zone, as VC 2.0 requires for validFrom and validUntil.
const DATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export const uri = z.string().regex(URI_PATTERN, "must be an absolute URI, such as https://…, did:… or urn:uuid:…");
// A check, not a transform: the parsed credential must be exactly the one given, since its hash is taken
// from it (zod's .trim() would make " x " and "x" hash alike, hiding an edit).
export const text = z.string().refine((value) => value.trim().length > 0, "must not be empty");
const dateTime = z
  .string()
  .regex(DATE_TIME_PATTERN, "must be a date-time with a time zone, such as 2026-09-01T00:00:00Z")
  .refine(isCalendarDateTime, "is not a real date and time (such as February 30 or 25:00)");

/**
 * Whether the date and time exist: Date.parse rolls "2026-02-30" over to March 2 rather than refuse it,
 * so the fields are checked against the calendar themselves (leap years included; hour 24 and second 60
 * refused, as xsd:dateTime refuses them).
 */
function isCalendarDateTime(value: string): boolean {
  const fields = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(value);
  if (fields === null) return true; // not the pattern at all: that check says so
  const [, year, month, day, hour, minute, second] = fields.map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const offset = /([+-])(\d{2}):(\d{2})$/.exec(value);
  if (offset !== null && (Number(offset[2]) > 23 || Number(offset[3]) > 59)) return false;
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59 && !Number.isNaN(Date.parse(value));
}

/** A `type` naming one thing: a string, or (as JSON-LD allows) an array of strings. */
function typeString(example: string) {
  return z.union([z.string(), z.array(z.string()).min(1)], { error: `is required: ${example}` });
}

/** A `type` property: one string or a non-empty array of strings, containing every name given. */
function typeContaining(...required: string[]) {
  return z
    .union([z.string(), z.array(z.string()).min(1, "must name at least one type")])
    .refine(
      (value) => required.every((name) => (Array.isArray(value) ? value : [value]).includes(name)),
      `must include ${required.map((name) => `"${name}"`).join(" and ")}`,
    );
}

const image = z.looseObject({ id: uri, type: z.literal("Image", { error: 'must be "Image"' }), caption: z.string().optional() });

export const profileSchema = z.looseObject({
  id: uri,
  type: typeContaining("Profile"),
  name: z.string().optional(),
  url: uri.optional(),
  email: z.string().optional(),
  description: z.string().optional(),
  image: image.optional(),
});

// Strings the OB 3.0 model requires but does not forbid to be empty (the official schema accepts ""): a
// verifier judges a badge by the standard, so an empty one is shown as it is rather than refused.
const alignment = z.looseObject({
  type: typeContaining("Alignment"),
  targetName: z.string(),
  targetUrl: uri,
  targetCode: z.string().optional(),
  targetDescription: z.string().optional(),
  targetFramework: z.string().optional(),
  targetType: z.string().optional(),
});

// OB 3.0 requires the criteria object but none of its properties (id and narrative are both 0..1).
const criteria = z.looseObject({ id: uri.optional(), narrative: z.string().optional() });

export const achievementSchema = z.looseObject({
  id: uri,
  type: typeContaining("Achievement"),
  // Required by OB 3.0 and typed a string: an empty one is a string (the official schema accepts it).
  name: z.string({ error: "is required: a string" }),
  description: z.string({ error: "is required: a string" }),
  criteria,
  achievementType: z.string().optional(),
  alignment: z.array(alignment).optional(),
  image: image.optional(),
  tag: z.array(z.string()).optional(),
  creator: profileSchema.optional(),
  creditsAvailable: z.number().nonnegative().optional(),
  fieldOfStudy: z.string().optional(),
  humanCode: z.string().optional(),
  version: z.string().optional(),
});

const identityObject = z.looseObject({
  type: z.literal("IdentityObject", { error: 'must be "IdentityObject"' }),
  hashed: z.boolean(),
  identityHash: z.string(),
  identityType: z.string(),
  salt: z.string().optional(),
});

const achievementSubject = z
  .looseObject({
    id: uri.optional(),
    type: typeContaining("AchievementSubject"),
    achievement: achievementSchema,
    identifier: z.array(identityObject).optional(),
  })
  .refine(
    (subject) => subject.id !== undefined || (subject.identifier?.length ?? 0) > 0,
    "must identify its holder by an id or at least one identifier",
  );

export const evidenceSchema = z.looseObject({
  type: typeContaining("Evidence"),
  id: z.string().optional(),
  name: z.string().optional(),
  narrative: z.string().optional(),
  description: z.string().optional(),
});

// A proof's `created` is a date-time (VC Data Integrity; the official schema checks its format): a proof
// "created" on February 30 is refused like any other impossible date.
const proofObject = z.looseObject({ type: z.string({ error: "is required: a string" }), created: dateTime.optional() });

const context = z
  .array(z.union([z.string(), z.record(z.string(), z.unknown())]))
  .min(2, `must list "${VC_V2_CONTEXT}" then the Open Badges 3.0 context`)
  .refine((value) => value[0] === VC_V2_CONTEXT, `must start with "${VC_V2_CONTEXT}"`)
  .refine(
    (value) => typeof value[1] === "string" && OB_V3_CONTEXT_PATTERN.test(value[1]),
    `must have the Open Badges 3.0 context (such as "${OB_V3_CONTEXT}") second`,
  );

// VC 2.0 §4.10: each status entry has a type; its id is optional (the OB 3.0 schema requires one: see
// test/lib/credential/official-schema.ts for why we follow VC 2.0 there).
const statusEntry = z.looseObject({ id: uri.optional(), type: typeString("a status method, such as \"BitstringStatusListEntry\"") });

const dataSchema = z.looseObject({ id: uri, type: z.string({ error: "is required: a string, such as \"1EdTechJsonSchemaValidator2019\"" }) });

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
  issuer: z.union([uri, profileSchema], { error: "must be a URI or a Profile object with an id and a type" }),
  validFrom: dateTime,
  validUntil: dateTime.optional(),
  awardedDate: dateTime.optional(),
  credentialSubject: achievementSubject,
  evidence: z.array(evidenceSchema).optional(),
  proof: z.union([proofObject, z.array(proofObject)]).optional(),
  // VC 2.0 §4.11: each data schema has an id (a URL) and a type.
  credentialStatus: z
    .union([statusEntry, z.array(statusEntry).min(1)], { error: "must be a status entry with a type, or an array of them (VC 2.0 §4.10)" })
    .optional(),
  credentialSchema: z.union([dataSchema, z.array(dataSchema)], { error: "must be a data schema with an id (a URL) and a type, or an array of them (VC 2.0 §4.11)" }).optional(),
};

function validityWindowIsOrdered(credential: { validFrom: string; validUntil?: string }): boolean {
  if (credential.validUntil === undefined) return true;
  const [from, until] = [Date.parse(credential.validFrom), Date.parse(credential.validUntil)];
  // A date that is not real is its own problem, said where it is.
  return Number.isNaN(from) || Number.isNaN(until) || until >= from;
}
const windowProblem = { message: "must not be before validFrom", path: ["validUntil"] };

/** An issued credential: every required field, `id` included. */
export const credentialSchema = z.looseObject(credentialShape).refine(validityWindowIsOrdered, windowProblem);

/** A credential before anchoring: as issued, but the anchor command may still fill in `id`. */
export const draftCredentialSchema = z
  .looseObject({ ...credentialShape, id: uri.optional() })
  .refine(validityWindowIsOrdered, windowProblem);

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
