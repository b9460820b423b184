/**
 * Our credential schema (lib/credential/credential.ts) against the official 1EdTech Open Badges 3.0 JSON
 * Schema for AchievementCredential (test/fixtures/ob-3.0-schema/, see its SOURCE.md), run with ajv
 * (draft 2019-09, formats by ajv-formats) — issue 15, item 9. Every example badge, every badge the commands
 * issue (signed and anchored, with and without status lists), the signed demo badges and the stacked
 * credential are valid under both, with zero errors under the official one; a generated corpus of variations — missing required fields, wrong types,
 * empty strings, bad dates, real-world shapes — is judged the SAME by both, except the deliberate
 * differences listed in DELIBERATE, each with its reason. A listed difference that stops differing fails
 * too, so the list stays true.
 */
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { Ajv2019 } from "ajv/dist/2019.js";
import addFormatsModule from "ajv-formats";
import { expect } from "chai";
import hre from "hardhat";

import { syntheticBadges } from "../../../examples/generate.js";
import { parseCredential } from "../../../lib/credential/credential.js";
import { anchorBadges } from "../../../scripts/credentials/anchor-badges.js";
import { listBadgeFiles } from "../../../scripts/credentials/badge-files.js";
import { setUpSampleRegistry } from "../../../scripts/sample-registry.js";
import { setUpSampleStack } from "../../../scripts/sample-stack.js";
import { exampleBadgeFiles, EXAMPLES_DIR, issuedBadge } from "../../helpers/badges.js";
import { PROJECT_ROOT } from "../../helpers/processes.js";

type Json = Record<string, any>;

const connection = await hre.network.getOrCreate();

const SCHEMA_FILE = path.join(PROJECT_ROOT, "test", "fixtures", "ob-3.0-schema", "achievementcredential.json");
// ajv-formats is CommonJS with a default export; under NodeNext its callable is the module's default.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2019) => Ajv2019;
const ajv = addFormats(new Ajv2019({ allErrors: true, strict: false }));
const officialValidate = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, "utf8")));

/** The official schema's verdict, with its errors as "path message" lines. */
function official(badge: unknown): { ok: boolean; errors: string[] } {
  const ok = officialValidate(badge) === true;
  return { ok, errors: (officialValidate.errors ?? []).map((error) => `${error.instancePath || "/"} ${error.message}`) };
}

function ours(badge: unknown): { ok: boolean; errors: string[] } {
  const parsed = parseCredential(badge);
  return { ok: parsed.ok, errors: parsed.ok ? [] : parsed.problems.map((problem) => `${problem.path} ${problem.message}`) };
}

/** Valid under our schema, and under the official one with zero errors. */
function expectValidUnderBoth(badge: unknown, label: string): void {
  const theirs = official(badge);
  expect(theirs.errors, `${label} under the official OB 3.0 schema`).to.deep.equal([]);
  expect(theirs.ok, `${label} under the official OB 3.0 schema`).to.equal(true);
  const mine = ours(badge);
  expect(mine.ok, `${label} under our schema: ${mine.errors.join("; ")}`).to.equal(true);
}

/** A VC 2.0 status entry as `credentials anchor --status-base-url` writes one. */
const statusEntry = (purpose: string) => ({
  id: `https://uni.example/status/b1/${purpose}.json#0`,
  type: "BitstringStatusListEntry",
  statusPurpose: purpose,
  statusListIndex: "0",
  statusListCredential: `https://uni.example/status/b1/${purpose}.json`,
});

interface Variation {
  name: string;
  change: (badge: Json) => void;
}

const at = (badge: Json) => badge.credentialSubject.achievement;

/**
 * The corpus: each variation of an issued example badge. Both schemas must give the same verdict, unless
 * the variation is in DELIBERATE.
 */
const VARIATIONS: Variation[] = [
  // As issued, and shapes real issuers use that both accept.
  { name: "unchanged", change: () => {} },
  { name: "issuer as a string URL", change: (b) => (b.issuer = "https://issuer.example/profile") },
  { name: "issuer as a did string", change: (b) => (b.issuer = "did:web:issuer.example") },
  { name: "criteria with a narrative only", change: (b) => (at(b).criteria = { narrative: "Pass the exam." }) },
  { name: "criteria with an id only", change: (b) => (at(b).criteria = { id: "https://uni.example/criteria/1" }) },
  { name: "criteria empty", change: (b) => (at(b).criteria = {}) },
  { name: "image as an object", change: (b) => (b.image = { id: "https://uni.example/badge.png", type: "Image", caption: "The badge" }) },
  { name: "achievement image as an object", change: (b) => (at(b).image = { id: "data:image/png;base64,iVBORw0KGgo=", type: "Image" }) },
  { name: "multiple credential types", change: (b) => (b.type = ["VerifiableCredential", "OpenBadgeCredential", "ExampleCredential"]) },
  { name: "AchievementCredential instead of OpenBadgeCredential", change: (b) => (b.type = ["VerifiableCredential", "AchievementCredential"]) },
  { name: "credential types in another order", change: (b) => (b.type = ["OpenBadgeCredential", "VerifiableCredential"]) },
  { name: "multiple achievement types", change: (b) => (at(b).type = ["Achievement", "ExampleAchievement"]) },
  { name: "empty achievement description (issue 15, item 9)", change: (b) => (at(b).description = "") },
  { name: "empty achievement name", change: (b) => (at(b).name = "") },
  { name: "empty credential name", change: (b) => (b.name = "") },
  { name: "an extension property", change: (b) => (b.extensionThing = { anything: [1, 2, 3] }) },
  { name: "an extra context after the two", change: (b) => b["@context"].push("https://w3id.org/security/data-integrity/v2") },
  { name: "an inline context map after the two", change: (b) => b["@context"].push({ extra: "https://example.org/extra#" }) },
  { name: "context 3.0.1", change: (b) => (b["@context"][1] = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json") },
  { name: "validUntil after validFrom", change: (b) => (b.validUntil = "2099-01-01T00:00:00Z") },
  { name: "a date-time with an offset", change: (b) => (b.validFrom = "2026-03-01T09:30:00+02:00") },
  { name: "a date-time with fractional seconds", change: (b) => (b.validFrom = "2026-03-01T09:30:00.123Z") },
  { name: "a leap day", change: (b) => (b.validFrom = "2028-02-29T00:00:00Z") },
  { name: "a subject with an identifier and no id", change: (b) => {
    delete b.credentialSubject.id;
    b.credentialSubject.identifier = [{ type: "IdentityObject", hashed: false, identityHash: "ada@example.org", identityType: "emailAddress" }];
  } },
  { name: "evidence", change: (b) => (b.evidence = [{ type: ["Evidence"], name: "Project", narrative: "Built a dashboard." }]) },
  { name: "a credentialSchema with an id and a type (array)", change: (b) => (b.credentialSchema = [{ id: "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json", type: "1EdTechJsonSchemaValidator2019" }]) },
  { name: "a credentialStatus object with an id and a type", change: (b) => (b.credentialStatus = statusEntry("revocation")) },
  { name: "a proof array", change: (b) => (b.proof = [{ type: "DataIntegrityProof", cryptosuite: "eddsa-rdfc-2022", proofPurpose: "assertionMethod", verificationMethod: "did:web:uni.example#key-1", created: "2026-03-01T00:00:00Z", proofValue: "z3" }]) },
  { name: "an issuer profile with more fields", change: (b) => Object.assign(b.issuer, { url: "https://uni.example", email: "registrar@uni.example", description: "A university" }) },

  // Shapes VC 2.0 allows that the official schema (generated with arrays for every 0..* and 1..*) does not.
  { name: "achievement type a single string", change: (b) => (at(b).type = "Achievement") },
  { name: "subject type a single string", change: (b) => (b.credentialSubject.type = "AchievementSubject") },
  { name: "issuer profile type a single string", change: (b) => (b.issuer.type = "Profile") },
  { name: "a single proof object", change: (b) => (b.proof = { type: "DataIntegrityProof", cryptosuite: "eddsa-rdfc-2022", proofValue: "z3" }) },
  { name: "a single credentialSchema object", change: (b) => (b.credentialSchema = { id: "https://example.org/schema.json", type: "1EdTechJsonSchemaValidator2019" }) },
  { name: "credentialStatus an array of two entries (as other VC 2.0 issuers may write)", change: (b) => (b.credentialStatus = [statusEntry("revocation"), statusEntry("suspension")]) },
  { name: "a credentialStatus without an id", change: (b) => (b.credentialStatus = { type: "BitstringStatusListEntry", statusPurpose: "revocation", statusListIndex: "0", statusListCredential: "https://uni.example/status/b1/revocation.json" }) },
  { name: "a subject with neither an id nor an identifier", change: (b) => delete b.credentialSubject.id },

  // Missing required fields.
  ...["@context", "id", "type", "issuer", "validFrom", "credentialSubject"].map((field) => ({ name: `no ${field}`, change: (b: Json) => delete b[field] })),
  ...["id", "type", "name", "description", "criteria"].map((field) => ({ name: `no achievement ${field}`, change: (b: Json) => delete at(b)[field] })),
  { name: "no achievement", change: (b) => delete b.credentialSubject.achievement },
  { name: "no subject type", change: (b) => delete b.credentialSubject.type },
  { name: "no issuer id", change: (b) => delete b.issuer.id },
  { name: "no issuer type", change: (b) => delete b.issuer.type },
  { name: "an image without a type", change: (b) => (b.image = { id: "https://uni.example/badge.png" }) },
  { name: "an image without an id", change: (b) => (b.image = { type: "Image" }) },
  { name: "an alignment without targetUrl", change: (b) => (at(b).alignment = [{ type: ["Alignment"], targetName: "SQL" }]) },
  { name: "an identifier without identityHash", change: (b) => (b.credentialSubject.identifier = [{ type: "IdentityObject", hashed: false, identityType: "emailAddress" }]) },
  { name: "evidence without a type", change: (b) => (b.evidence = [{ name: "Project" }]) },
  { name: "a proof without a type", change: (b) => (b.proof = [{ proofValue: "z3" }]) },
  { name: "a credentialSchema without a type (issue 15, item 9)", change: (b) => (b.credentialSchema = [{ id: "https://example.org/schema.json" }]) },
  { name: "a credentialSchema without an id (issue 15, item 9)", change: (b) => (b.credentialSchema = [{ type: "1EdTechJsonSchemaValidator2019" }]) },
  { name: "a credentialStatus without a type (issue 15, item 9)", change: (b) => (b.credentialStatus = { id: "https://uni.example/status/1" }) },

  // Wrong types.
  { name: "name a number", change: (b) => (b.name = 5) },
  { name: "description a number", change: (b) => (b.description = 5) },
  { name: "validFrom a number", change: (b) => (b.validFrom = 20260301) },
  { name: "issuer a number", change: (b) => (b.issuer = 5) },
  { name: "issuer an array", change: (b) => (b.issuer = [b.issuer]) },
  { name: "credentialSubject a string", change: (b) => (b.credentialSubject = "did:example:ada") },
  { name: "credentialSubject an array", change: (b) => (b.credentialSubject = [b.credentialSubject]) },
  { name: "achievement name a number", change: (b) => (at(b).name = 5) },
  { name: "achievement description null", change: (b) => (at(b).description = null) },
  { name: "type a number", change: (b) => (b.type = 5) },
  { name: "type without VerifiableCredential", change: (b) => (b.type = ["OpenBadgeCredential"]) },
  { name: "type without OpenBadgeCredential", change: (b) => (b.type = ["VerifiableCredential"]) },
  { name: "type an empty array", change: (b) => (b.type = []) },
  { name: "achievement type without Achievement", change: (b) => (at(b).type = ["Badge"]) },
  { name: "@context a string", change: (b) => (b["@context"] = "https://www.w3.org/ns/credentials/v2") },
  { name: "@context with the VC 1.1 context first", change: (b) => (b["@context"][0] = "https://www.w3.org/2018/credentials/v1") },
  { name: "@context without the OB context", change: (b) => (b["@context"] = ["https://www.w3.org/ns/credentials/v2"]) },
  { name: "@context with the contexts swapped", change: (b) => b["@context"].reverse() },
  { name: "evidence an object", change: (b) => (b.evidence = { type: ["Evidence"] }) },
  { name: "alignment an object", change: (b) => (at(b).alignment = { type: ["Alignment"], targetName: "SQL", targetUrl: "https://example.org" }) },
  { name: "an image as a string", change: (b) => (b.image = "https://uni.example/badge.png") },
  { name: "an image of the wrong type", change: (b) => (b.image = { id: "https://uni.example/badge.png", type: "Picture" }) },
  { name: "an identifier hashed a string", change: (b) => (b.credentialSubject.identifier = [{ type: "IdentityObject", hashed: "no", identityHash: "a", identityType: "emailAddress" }]) },
  { name: "a name as a language map", change: (b) => (b.name = { en: "Data Analytics", fr: "Analyse de données" }) },
  { name: "an achievement name as a language value object", change: (b) => (at(b).name = { "@value": "Data Analytics", "@language": "en" }) },
  { name: "creditsAvailable a string", change: (b) => (at(b).creditsAvailable = "3") },
  { name: "tag a string", change: (b) => (at(b).tag = "sql") },

  // Bad dates.
  { name: "validFrom February 30 (issue 15, item 9)", change: (b) => (b.validFrom = "2026-02-30T00:00:00Z") },
  { name: "validUntil February 30 (issue 15, item 9)", change: (b) => (b.validUntil = "2026-02-30T00:00:00Z") },
  { name: "February 29 of a common year", change: (b) => (b.validFrom = "2027-02-29T00:00:00Z") },
  { name: "month 13", change: (b) => (b.validFrom = "2026-13-01T00:00:00Z") },
  { name: "hour 25", change: (b) => (b.validFrom = "2026-03-01T25:00:00Z") },
  { name: "a date without a time", change: (b) => (b.validFrom = "2026-03-01") },
  { name: "a date-time without a time zone", change: (b) => (b.validFrom = "2026-03-01T00:00:00") },
  { name: "not a date at all", change: (b) => (b.validFrom = "next Tuesday") },
  { name: "an empty validFrom", change: (b) => (b.validFrom = "") },
  { name: "a date-time with a space for the T", change: (b) => (b.validFrom = "2026-03-01 00:00:00Z") },
  { name: "a date-time with a lower-case t and z", change: (b) => (b.validFrom = "2026-03-01t00:00:00z") },
  { name: "an offset without a colon", change: (b) => (b.validFrom = "2026-03-01T00:00:00+0200") },
  { name: "a leap second", change: (b) => (b.validFrom = "2026-12-31T23:59:60Z") },
  { name: "awardedDate February 30", change: (b) => (b.awardedDate = "2026-02-30T00:00:00Z") },
  { name: "a proof created on February 30", change: (b) => (b.proof = [{ type: "DataIntegrityProof", created: "2026-02-30T00:00:00Z" }]) },
];

/** Where our verdict differs from the official schema's on purpose, and why. */
const DELIBERATE: Record<string, { official: boolean; ours: boolean; why: string }> = {
  // Dates: VC 2.0 §4.9 makes validFrom / validUntil XML Schema 1.1 dateTimeStamp strings, whose lexical form
  // has an upper-case "T", a "Z" or "±hh:mm" zone and seconds below 60. ajv-formats' date-time is RFC 3339's,
  // which also takes these; we refuse them, so a date means one instant to every JSON-LD processor.
  "a date-time with a space for the T": { official: true, ours: false, why: "not an xsd:dateTimeStamp (VC 2.0 §4.9)" },
  "a date-time with a lower-case t and z": { official: true, ours: false, why: "not an xsd:dateTimeStamp (VC 2.0 §4.9)" },
  "an offset without a colon": { official: true, ours: false, why: "not an xsd:dateTimeStamp (VC 2.0 §4.9)" },
  "a leap second": { official: true, ours: false, why: "xsd:dateTime has no second 60, and Date.parse cannot represent one" },
  // VC 2.0 gives the subject's holder as an id; OB 3.0 says "either id or at least one identifier MUST be
  // supplied", a rule its schema does not encode: we enforce the spec's text.
  "a subject with neither an id nor an identifier": { official: true, ours: false, why: "OB 3.0 AchievementSubject: id or identifier MUST" },
  // JSON-LD shapes VC 2.0 allows: a single value where the OB schema, generated from the data model's
  // multiplicities, wants an array. Real issuers emit them (a single `proof` object is what most Data
  // Integrity signers write); refusing them would refuse standard Verifiable Credentials.
  "achievement type a single string": { official: false, ours: true, why: "VC 2.0 §4.5: type is one or more strings" },
  "subject type a single string": { official: false, ours: true, why: "VC 2.0 §4.5: type is one or more strings" },
  "issuer profile type a single string": { official: false, ours: true, why: "VC 2.0 §4.5: type is one or more strings" },
  "a single proof object": { official: false, ours: true, why: "VC Data Integrity: proof is one object or a set" },
  "a single credentialSchema object": { official: false, ours: true, why: "VC 2.0 §4.11: credentialSchema is one or more objects" },
  // Status: VC 2.0 §4.10 allows several status entries and makes their id optional; the OB 3.0 schema
  // takes one entry with an id. Our badges carry one (the revocation list's, lib/status/status-list.ts), so
  // they pass it; our verifier still reads badges of other issuers that carry several.
  "credentialStatus an array of two entries (as other VC 2.0 issuers may write)": { official: false, ours: true, why: "VC 2.0 §4.10 allows one or more entries" },
  "a credentialStatus without an id": { official: false, ours: true, why: "VC 2.0 §4.10: a status entry's id is optional" },
};

const SPEC_EXAMPLES_DIR = path.join(PROJECT_ROOT, "test", "fixtures", "ob-3.0-schema", "spec-examples");
const specExamples = (): Array<[string, Json]> =>
  readdirSync(SPEC_EXAMPLES_DIR)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => [name, JSON.parse(readFileSync(path.join(SPEC_EXAMPLES_DIR, name), "utf8"))]);

type Path = Array<string | number>;

/** Every path in a JSON document, the root's excepted. */
function pathsOf(value: unknown, at: Path = []): Path[] {
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const here = [...at, Array.isArray(value) ? Number(key) : key];
    return [here, ...pathsOf(child, here)];
  });
}

/** The generated mutations, each applied at every path of a base badge. */
const MUTATIONS: Array<[string, (value: unknown) => unknown]> = [
  ["deleted", () => undefined],
  ["null", () => null],
  ["a number", () => 42],
  ["an empty string", () => ""],
  ["an empty array", () => []],
  ["an empty object", () => ({})],
  ["true", () => true],
  ["wrapped in an array", (value) => [value]],
  ["unwrapped from its array", (value) => (Array.isArray(value) ? value[0] : value)],
];

function mutated(base: Json, at: Path, mutation: (value: unknown) => unknown): Json {
  const copy = structuredClone(base);
  const parent = at.slice(0, -1).reduce<any>((node, key) => node[key], copy);
  const key = at[at.length - 1];
  const value = mutation(parent[key]);
  if (value !== undefined) parent[key] = value;
  else if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete parent[key];
  return copy;
}

interface Judged {
  at: Path;
  mutation: string;
  theirs: { ok: boolean; errors: string[] };
  mine: { ok: boolean; errors: string[] };
}

const URI_MESSAGE = "must be an absolute URI, such as https://…, did:… or urn:uuid:…";

/**
 * The deliberate differences in the generated corpus, as rules: a disagreement no rule explains fails the
 * test, and so does a rule that explains none (it would document a difference that is gone).
 */
const DELIBERATE_RULES: Array<{ name: string; why: string; explains: (judged: Judged) => boolean }> = [
  {
    name: "an empty string where OB 3.0 types a URI",
    why: "the official schema types URI properties as plain strings; OB 3.0 and VC 2.0 say they are URIs (an issuer id is hashed into its registry key, an id names a resource), so we check that they are absolute URIs",
    explains: ({ mutation, theirs, mine }) => mutation === "an empty string" && theirs.ok && !mine.ok && mine.errors.every((error) => error.endsWith(URI_MESSAGE)),
  },
  {
    name: "a single value where the official schema wants an array",
    why: "VC 2.0 §4.5 and JSON-LD take one string for `type`, one object for `proof` and `credentialSchema`; the official schema, generated from the data model's multiplicities, wants arrays — we accept both",
    explains: ({ at, mutation, theirs, mine }) =>
      mutation === "unwrapped from its array" && !theirs.ok && mine.ok && ["type", "proof", "credentialSchema"].includes(String(at[at.length - 1])),
  },
  {
    name: "credentialStatus as VC 2.0 has it",
    why: "VC 2.0 §4.10 allows several status entries (other issuers may carry one per purpose; ours carry one), an entry without an id and a type set; the official schema takes one entry with an id and a string type",
    explains: ({ at, theirs, mine }) => at.includes("credentialStatus") && !theirs.ok && mine.ok && theirs.errors.some((error) => /\/credentialStatus( |\/)/.test(error)),
  },
  {
    name: "a subject with neither an id nor an identifier",
    why: "OB 3.0 AchievementSubject: \"either id or at least one identifier MUST be supplied\", a rule the official schema does not encode",
    explains: ({ at, mutation, theirs, mine }) => at.join(".") === "credentialSubject.id" && mutation === "deleted" && theirs.ok && !mine.ok,
  },
];

describe("the official 1EdTech OB 3.0 JSON Schema and ours agree (ajv)", function () {
  this.timeout(120_000);

  it("compiles the official schema (draft 2019-09) and rejects the empty object", function () {
    expect(official({}).ok).to.equal(false);
    expect(ours({}).ok).to.equal(false);
  });

  it("every example badge (with the id the anchor command fills in) is valid under both", function () {
    for (const file of exampleBadgeFiles()) {
      const badge = JSON.parse(readFileSync(file, "utf8"));
      badge.id ??= "urn:uuid:00000000-0000-4000-8000-000000000001";
      expectValidUnderBoth(badge, path.basename(file));
    }
  });

  it("synthetic badges (examples/generate.ts) are valid under both", function () {
    for (const [index, badge] of syntheticBadges(20, { seed: "official-schema" }).entries()) expectValidUnderBoth(badge, `synthetic ${index + 1}`);
  });

  it("judges every variation of the corpus as the official schema does, but for the deliberate differences", function () {
    const disagreements: string[] = [];
    for (const variation of VARIATIONS) {
      const badge = issuedBadge();
      variation.change(badge);
      const [theirs, mine] = [official(badge), ours(badge)];
      const expected = DELIBERATE[variation.name];
      const want = expected ?? { official: theirs.ok, ours: theirs.ok };
      if (theirs.ok !== want.official || mine.ok !== want.ours) {
        const listed = expected ? ` (listed as deliberate: ${expected.why})` : "";
        disagreements.push(`${variation.name}${listed}: official ${theirs.ok ? "accepts" : `refuses (${theirs.errors.join("; ")})`}, ours ${mine.ok ? "accepts" : `refuses (${mine.errors.join("; ")})`}`);
      }
    }
    expect(disagreements, disagreements.join("\n")).to.deep.equal([]);
    // Every listed difference names a variation of the corpus (a typo would list nothing).
    expect(Object.keys(DELIBERATE).filter((name) => !VARIATIONS.some((variation) => variation.name === name))).to.deep.equal([]);
  });

  it("every example of the OB 3.0 specification (fullOpenBadge, alignments, skill assertions …) is valid under both", function () {
    const examples = specExamples();
    expect(examples).to.have.length.greaterThanOrEqual(6);
    for (const [name, badge] of examples) expectValidUnderBoth(badge, name);
  });

  it("judges a generated corpus (every path of the spec's examples and of an issued badge × 9 mutations) as the official schema does, but for the deliberate rules", function () {
    const bases: Array<[string, Json]> = [...specExamples(), ["issued example", { ...issuedBadge(), credentialStatus: statusEntry("revocation") }]];
    const unexplained: string[] = [];
    const used = new Set<string>();
    let judgedCount = 0;
    for (const [name, base] of bases) {
      for (const at of pathsOf(base)) {
        for (const [mutation, change] of MUTATIONS) {
          const badge = mutated(base, at, change);
          const judged: Judged = { at, mutation, theirs: official(badge), mine: ours(badge) };
          judgedCount++;
          if (judged.theirs.ok === judged.mine.ok) continue;
          const rule = DELIBERATE_RULES.find((candidate) => candidate.explains(judged));
          if (rule) used.add(rule.name);
          else {
            const verdict = (side: { ok: boolean; errors: string[] }) => (side.ok ? "accepts" : `refuses (${side.errors.slice(0, 3).join("; ")})`);
            unexplained.push(`${name} ${at.join(".")} ${mutation}: official ${verdict(judged.theirs)}, ours ${verdict(judged.mine)}`);
          }
        }
      }
    }
    expect(judgedCount).to.be.greaterThan(5_000);
    expect(unexplained.slice(0, 40), `${unexplained.length} unexplained disagreement(s):\n${unexplained.slice(0, 40).join("\n")}`).to.deep.equal([]);
    expect(DELIBERATE_RULES.map((rule) => rule.name).filter((name) => !used.has(name)), "rules that explain nothing").to.deep.equal([]);
  });

  describe("badges our commands issue", function () {
    let workDir: string;

    before(async function () {
      workDir = await mkdtemp(path.join(tmpdir(), "official-schema-"));
    });

    after(async function () {
      if (workDir) await rm(workDir, { recursive: true, force: true });
    });

    async function badgesIn(dir: string): Promise<Array<[string, Json]>> {
      const names = (await readdir(dir)).filter((name) => name.endsWith(".json") && name !== "batch-manifest.json" && !name.startsWith("."));
      expect(names, dir).to.not.be.empty;
      return Promise.all(names.map(async (name): Promise<[string, Json]> => [name, JSON.parse(await readFile(path.join(dir, name), "utf8"))]));
    }

    it("the signed and anchored demo badges, and the stacked credential, are valid under both", async function () {
      const sample = await setUpSampleRegistry(connection, path.join(workDir, "demo"), () => {}, { identities: "did:key" });
      for (const who of ["university", "employer"]) {
        for (const [name, badge] of await badgesIn(path.join(workDir, "demo", who))) {
          expect(badge.proof.map((proof: Json) => proof.type), name).to.deep.equal(["DataIntegrityProof", "CredentialRegistryAnchor2026"]);
          expectValidUnderBoth(badge, `${who}/${name}`);
        }
      }
      const stack = await setUpSampleStack(sample, path.join(workDir, "demo"));
      const stacked = JSON.parse(await readFile(stack.certificateFile, "utf8"));
      expect(stacked.proof.map((proof: Json) => proof.type)).to.deep.equal(["DataIntegrityProof", "CredentialRegistryAnchor2026"]);
      expectValidUnderBoth(stacked, "the stacked certificate");
    });

    it("badges anchored with status lists (--status-base-url) are valid under both: one status entry, the revocation list's", async function () {
      const sample = await setUpSampleRegistry(connection, path.join(workDir, "plain"), () => {}, { identities: "fixed" });
      const outDir = path.join(workDir, "with-status");
      const files = (await listBadgeFiles([EXAMPLES_DIR])).filter((file) => path.basename(file).startsWith("uni-"));
      const context = await sample.as(sample.accounts.universityOperator);
      await anchorBadges(context, { files, outDir, skipInvalid: false, dryRun: false, progress: false, signing: sample.issuers.university.signingKey, statusBaseUrl: "https://uni.example/status" });
      for (const [name, badge] of await badgesIn(outDir)) {
        expect(badge.credentialStatus, name).to.include({ type: "BitstringStatusListEntry", statusPurpose: "revocation" });
        expectValidUnderBoth(badge, name);
      }
    });
  });
});
