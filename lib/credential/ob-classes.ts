/**
 * The classes of the Open Badges 3.0 data model below the credential (Profile, Achievement,
 * AchievementSubject, Alignment, Result, EndorsementCredential …) as zod schemas, property for property
 * as the 1EdTech OB 3.0 JSON Schema types them: required properties enforced, every optional property
 * the model defines typed when present, any other property kept untouched (OB 3.0 allows extensions, and
 * the credential hash covers every property) — except where the model closes a class (Image,
 * IdentityObject, IdentifierEntry take no other property). Where we are stricter or looser than the
 * official schema on purpose, test/lib/credential/official-schema.ts lists it and why.
 */
import { z } from "zod";

import {
  ACHIEVEMENT_TYPES,
  ALIGNMENT_TARGET_TYPES,
  compactJws,
  context,
  date,
  dateTime,
  extensibleEnum,
  IDENTIFIER_TYPES,
  languageTag,
  RESULT_STATUSES,
  RESULT_TYPES,
  typeContaining,
  typeString,
  uri,
} from "./ob-values.js";

// Closed by the model: an Image has an id (a URL or data: URI), the type "Image" and a caption, nothing else.
export const image = z.strictObject({ id: uri, type: z.literal("Image", { error: 'must be "Image"' }), caption: z.string().optional() });

const geoCoordinates = z.looseObject({
  type: z.literal("GeoCoordinates", { error: 'must be "GeoCoordinates"' }),
  latitude: z.number(),
  longitude: z.number(),
});

const address = z.looseObject({
  type: typeContaining("Address"),
  addressCountry: z.string().optional(),
  addressCountryCode: z.string().optional(),
  addressRegion: z.string().optional(),
  addressLocality: z.string().optional(),
  streetAddress: z.string().optional(),
  postOfficeBoxNumber: z.string().optional(),
  postalCode: z.string().optional(),
  geo: geoCoordinates.optional(),
});

const identifierEntry = z.strictObject({
  type: z.literal("IdentifierEntry", { error: 'must be "IdentifierEntry"' }),
  identifier: z.string(),
  identifierType: extensibleEnum(IDENTIFIER_TYPES),
});

// Strings the OB 3.0 model requires but does not forbid to be empty (the official schema accepts ""): a
// verifier judges a badge by the standard, so an empty one is shown as it is rather than refused.
const identityObject = z.strictObject({
  type: z.literal("IdentityObject", { error: 'must be "IdentityObject"' }),
  hashed: z.boolean(),
  identityHash: z.string(),
  identityType: extensibleEnum(IDENTIFIER_TYPES),
  salt: z.string().optional(),
});

// A proof's `created` is a date-time (VC Data Integrity; the official schema checks its format): a proof
// "created" on February 30 is refused like any other impossible date.
const proofObject = z.looseObject({
  type: z.string({ error: "is required: a string" }),
  created: dateTime.optional(),
  cryptosuite: z.string().optional(),
  challenge: z.string().optional(),
  domain: z.string().optional(),
  nonce: z.string().optional(),
  proofPurpose: z.string().optional(),
  proofValue: z.string().optional(),
  verificationMethod: z.string().optional(),
});

// VC 2.0 §4.10: each status entry has a type; its id is optional (the OB 3.0 schema requires one: see
// test/lib/credential/official-schema.ts for why we follow VC 2.0 there).
const statusEntry = z.looseObject({ id: uri.optional(), type: typeString('a status method, such as "BitstringStatusListEntry"') });
const credentialStatus = z.union([statusEntry, z.array(statusEntry).min(1)], {
  error: "must be a status entry with a type, or an array of them (VC 2.0 §4.10)",
});

// VC 2.0 §4.11: each data schema has an id (a URL) and a type.
const dataSchema = z.looseObject({ id: uri, type: z.string({ error: 'is required: a string, such as "1EdTechJsonSchemaValidator2019"' }) });
const credentialSchemas = z.union([dataSchema, z.array(dataSchema)], {
  error: "must be a data schema with an id (a URL) and a type, or an array of them (VC 2.0 §4.11)",
});

const refreshService = z.looseObject({ id: uri, type: z.string({ error: "is required: a string" }) });
const termsOfUse = z.looseObject({ id: uri.optional(), type: z.string({ error: "is required: a string" }) });
const termsOfUseList = z.array(termsOfUse);
const proofs = z.union([proofObject, z.array(proofObject)]);

const endorsementSubject = z.looseObject({ id: uri, type: typeContaining("EndorsementSubject"), endorsementComment: z.string().optional() });

/**
 * A Profile (an issuer, a creator, a source, a parent organisation), which may carry endorsements —
 * credentials whose issuer is a Profile again: the recursion goes through getters, as zod 4 asks.
 */
export const profileSchema = z.looseObject({
  id: uri,
  type: typeContaining("Profile"),
  name: z.string().optional(),
  url: uri.optional(),
  phone: z.string().optional(),
  description: z.string().optional(),
  get endorsement() {
    return z.array(endorsementCredential).optional();
  },
  endorsementJwt: z.array(compactJws).optional(),
  image: image.optional(),
  email: z.string().optional(),
  address: address.optional(),
  otherIdentifier: z.array(identifierEntry).optional(),
  official: z.string().optional(),
  get parentOrg() {
    return profileSchema.optional();
  },
  familyName: z.string().optional(),
  givenName: z.string().optional(),
  additionalName: z.string().optional(),
  patronymicName: z.string().optional(),
  honorificPrefix: z.string().optional(),
  honorificSuffix: z.string().optional(),
  familyNamePrefix: z.string().optional(),
  dateOfBirth: date.optional(),
});

const profileRef = z.union([uri, profileSchema], { error: "must be a URI or a Profile object with an id and a type" });

function validityWindowIsOrdered(credential: { validFrom: string; validUntil?: string }): boolean {
  if (credential.validUntil === undefined) return true;
  const [from, until] = [Date.parse(credential.validFrom), Date.parse(credential.validUntil)];
  // A date that is not real is its own problem, said where it is.
  return Number.isNaN(from) || Number.isNaN(until) || until >= from;
}
export const validityWindow: [(credential: { validFrom: string; validUntil?: string }) => boolean, { message: string; path: string[] }] = [
  validityWindowIsOrdered,
  { message: "must not be before validFrom", path: ["validUntil"] },
];

/** What every VC 2.0 credential of the model has besides its subject: issuer, validity, proofs, status, schemas, terms. */
export const verifiableCredentialFields = {
  issuer: profileRef,
  validFrom: dateTime,
  validUntil: dateTime.optional(),
  proof: proofs.optional(),
  credentialSchema: credentialSchemas.optional(),
  credentialStatus: credentialStatus.optional(),
  refreshService: refreshService.optional(),
  termsOfUse: termsOfUseList.optional(),
};

/** An EndorsementCredential (a VC 2.0 credential by a third party about a profile or an achievement). */
export const endorsementCredential = z
  .looseObject({
    "@context": context,
    type: typeContaining("VerifiableCredential", "EndorsementCredential"),
    id: uri,
    name: z.string(),
    description: z.string().optional(),
    credentialSubject: endorsementSubject,
    awardedDate: dateTime.optional(),
    ...verifiableCredentialFields,
  })
  .refine(...validityWindow);

const alignment = z.looseObject({
  type: typeContaining("Alignment"),
  targetCode: z.string().optional(),
  targetDescription: z.string().optional(),
  targetName: z.string(),
  targetFramework: z.string().optional(),
  targetType: extensibleEnum(ALIGNMENT_TARGET_TYPES).optional(),
  targetUrl: uri,
});

// OB 3.0 requires the criteria object but none of its properties (id and narrative are both 0..1).
const criteria = z.looseObject({ id: uri.optional(), narrative: z.string().optional() });

const related = z.looseObject({ id: uri, type: typeContaining("Related"), inLanguage: languageTag.optional(), version: z.string().optional() });

const rubricCriterionLevel = z.looseObject({
  id: uri,
  type: typeContaining("RubricCriterionLevel"),
  alignment: z.array(alignment).optional(),
  description: z.string().optional(),
  level: z.string().optional(),
  name: z.string(),
  points: z.string().optional(),
});

const resultDescription = z.looseObject({
  id: uri,
  type: typeContaining("ResultDescription"),
  alignment: z.array(alignment).optional(),
  allowedValue: z.array(z.string()).optional(),
  name: z.string(),
  requiredLevel: z.string().optional(),
  requiredValue: z.string().optional(),
  resultType: extensibleEnum(RESULT_TYPES),
  rubricCriterionLevel: z.array(rubricCriterionLevel).optional(),
  valueMax: z.string().optional(),
  valueMin: z.string().optional(),
});

const result = z.looseObject({
  type: typeContaining("Result"),
  achievedLevel: z.string().optional(),
  alignment: z.array(alignment).optional(),
  resultDescription: z.string().optional(),
  status: z.enum(RESULT_STATUSES, { error: `must be one of ${RESULT_STATUSES.join(", ")}` }).optional(),
  value: z.string().optional(),
});

export const achievementSchema = z.looseObject({
  id: uri,
  type: typeContaining("Achievement"),
  alignment: z.array(alignment).optional(),
  achievementType: extensibleEnum(ACHIEVEMENT_TYPES).optional(),
  creator: profileSchema.optional(),
  creditsAvailable: z.number().optional(),
  criteria,
  // Required by OB 3.0 and typed a string: an empty one is a string (the official schema accepts it).
  description: z.string({ error: "is required: a string" }),
  endorsement: z.array(endorsementCredential).optional(),
  endorsementJwt: z.array(compactJws).optional(),
  fieldOfStudy: z.string().optional(),
  humanCode: z.string().optional(),
  image: image.optional(),
  inLanguage: languageTag.optional(),
  name: z.string({ error: "is required: a string" }),
  otherIdentifier: z.array(identifierEntry).optional(),
  related: z.array(related).optional(),
  resultDescription: z.array(resultDescription).optional(),
  specialization: z.string().optional(),
  tag: z.array(z.string()).optional(),
  version: z.string().optional(),
});

export const achievementSubject = z
  .looseObject({
    id: uri.optional(),
    type: typeContaining("AchievementSubject"),
    activityEndDate: dateTime.optional(),
    activityStartDate: dateTime.optional(),
    creditsEarned: z.number().optional(),
    achievement: achievementSchema,
    identifier: z.array(identityObject).optional(),
    image: image.optional(),
    licenseNumber: z.string().optional(),
    narrative: z.string().optional(),
    result: z.array(result).optional(),
    role: z.string().optional(),
    source: profileSchema.optional(),
    term: z.string().optional(),
  })
  .refine(
    (subject) => subject.id !== undefined || (subject.identifier?.length ?? 0) > 0,
    "must identify its holder by an id or at least one identifier",
  );

export const evidenceSchema = z.looseObject({
  type: typeContaining("Evidence"),
  id: z.string().optional(),
  narrative: z.string().optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  genre: z.string().optional(),
  audience: z.string().optional(),
});
