/**
 * The value types of the VC 2.0 / Open Badges 3.0 data models as zod schemas: URIs, date-times, dates,
 * `type` sets, the two contexts, and the OB 3.0 enumerations that an issuer may extend with "ext:" terms.
 * The classes built of them are in ob-classes.ts; the credential in credential.ts.
 */
import { z } from "zod";

export const VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2";
export const OB_V3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
const OB_V3_CONTEXT_PATTERN = /^https:\/\/purl\.imsglobal\.org\/spec\/ob\/v3p0\/context(-3\.\d+\.\d+)*\.json$/;

// An absolute URI with a scheme (https:, did:, urn:uuid:, mailto: …). OB 3.0 types these as URI.
const URI_PATTERN = /^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/;
// XML Schema dateTimeStamp (VC 2.0 §4.9): an upper-case T, a Z or ±hh:mm zone.
const DATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export const uri = z.string().regex(URI_PATTERN, "must be an absolute URI, such as https://…, did:… or urn:uuid:…");
// A check, not a transform: the parsed credential must be exactly the one given, since its hash is taken
// from it (zod's .trim() would make " x " and "x" hash alike, hiding an edit).
export const text = z.string().refine((value) => value.trim().length > 0, "must not be empty");

export const dateTime = z
  .string()
  .regex(DATE_TIME_PATTERN, "must be a date-time with a time zone, such as 2026-09-01T00:00:00Z")
  .refine(isCalendarDateTime, "is not a real date and time (such as February 30 or 25:00)");

/** A calendar date, YYYY-MM-DD, that exists (OB 3.0 Date: a Profile's dateOfBirth). */
export const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date such as 2001-09-30")
  .refine((value) => isCalendarDateTime(`${value}T00:00:00Z`), "is not a real date (such as February 30)");

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

/** A `type` property: one string or a non-empty array of strings, containing every name given. */
export function typeContaining(...required: string[]) {
  return z
    .union([z.string(), z.array(z.string()).min(1, "must name at least one type")])
    .refine(
      (value) => required.every((name) => (Array.isArray(value) ? value : [value]).includes(name)),
      `must include ${required.map((name) => `"${name}"`).join(" and ")}`,
    );
}

/** A `type` naming a method (a status method, a schema validator …): a string, or as JSON-LD allows an array of them. */
export function typeString(example: string) {
  return z.union([z.string(), z.array(z.string()).min(1)], { error: `is required: ${example}` });
}

/**
 * An OB 3.0 enumeration an issuer may extend: one of `values`, or a term "ext:<name>". The official JSON
 * Schema's pattern "(ext:)[a-z|A-Z|0-9|.|-|_]+" is unanchored (JSON Schema patterns match anywhere), so it
 * takes "anything ext:x"; the spec means a term that starts with "ext:", which is what is checked here.
 */
export function extensibleEnum(values: readonly string[]) {
  const allowed = new Set(values);
  return z
    .string()
    .refine((value) => allowed.has(value) || /^ext:[a-zA-Z0-9|._-]+$/.test(value), `must be one of ${values.slice(0, 4).join(", ")} … (OB 3.0), or an extension term "ext:…"`);
}

/** The JSON-LD contexts of a credential: VC 2.0's first, then OB 3.0's, then any (URLs or inline maps). */
export const context = z
  .array(z.union([z.string(), z.record(z.string(), z.unknown())]))
  .min(2, `must list "${VC_V2_CONTEXT}" then the Open Badges 3.0 context`)
  .refine((value) => value[0] === VC_V2_CONTEXT, `must start with "${VC_V2_CONTEXT}"`)
  .refine(
    (value) => typeof value[1] === "string" && OB_V3_CONTEXT_PATTERN.test(value[1]),
    `must have the Open Badges 3.0 context (such as "${OB_V3_CONTEXT}") second`,
  );

export const IDENTIFIER_TYPES = [
  "name", "sourcedId", "systemId", "productId", "userName", "accountId", "emailAddress", "nationalIdentityNumber", "isbn", "issn",
  "lisSourcedId", "oneRosterSourcedId", "sisSourcedId", "ltiContextId", "ltiDeploymentId", "ltiToolId", "ltiPlatformId", "ltiUserId", "identifier",
] as const;

export const ACHIEVEMENT_TYPES = [
  "Achievement", "ApprenticeshipCertificate", "Assessment", "Assignment", "AssociateDegree", "Award", "Badge", "BachelorDegree", "Certificate",
  "CertificateOfCompletion", "Certification", "CommunityService", "Competency", "Course", "CoCurricular", "Degree", "Diploma", "DoctoralDegree",
  "Fieldwork", "GeneralEducationDevelopment", "JourneymanCertificate", "LearningProgram", "License", "Membership", "ProfessionalDoctorate",
  "QualityAssuranceCredential", "MasterCertificate", "MasterDegree", "MicroCredential", "ResearchDoctorate", "SecondarySchoolDiploma",
] as const;

export const ALIGNMENT_TARGET_TYPES = ["ceasn:Competency", "ceterms:Credential", "CFItem", "CFRubric", "CFRubricCriterion", "CFRubricCriterionLevel", "CTDL"] as const;

export const RESULT_TYPES = [
  "GradePointAverage", "LetterGrade", "Percent", "PerformanceLevel", "PredictedScore", "RawScore", "Result", "RubricCriterion",
  "RubricCriterionLevel", "RubricScore", "ScaledScore", "Status",
] as const;

export const RESULT_STATUSES = ["Completed", "Enrolled", "Failed", "InProgress", "OnHold", "Provisional", "Withdrew"] as const;

/** BCP 47 language tag as OB 3.0 restricts it (inLanguage). */
export const languageTag = z.string().regex(/^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$/, "must be a language tag such as en or en-GB");

/** A compact JWS (endorsementJwt). */
export const compactJws = z.string().regex(/^[a-zA-Z0-9_-]+\.[a-zA-Z0-9_-]*\.[a-zA-Z0-9_-]+$/, "must be a compact JWS");
