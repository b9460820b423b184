import { expect } from "chai";

import { issuerIdOf, parseCredential, parseDraftCredential, withIssuerId } from "../../../lib/credential/credential.js";
import { syntheticBadge } from "../../../examples/generate.js";
import { exampleBadge, exampleBadgeFiles, issuedBadge } from "../../helpers/badges.js";
import { readFileSync } from "node:fs";

describe("lib/credential/credential: the Open Badges 3.0 schema", function () {
  it("accepts every shipped example badge as a draft, and with an id as issued", function () {
    for (const file of exampleBadgeFiles()) {
      const badge = JSON.parse(readFileSync(file, "utf8"));
      const draft = parseDraftCredential(badge);
      expect(draft.ok, `${file}: ${JSON.stringify(!draft.ok && draft.problems)}`).to.equal(true);
      badge.id ??= "urn:uuid:5b0c8a4e-7a53-4c0e-9a57-2d1f4b8e9c01";
      expect(parseCredential(badge).ok, file).to.equal(true);
    }
  });

  it("accepts the synthetic badges of the generator", function () {
    for (const index of [1, 2, 500]) expect(parseCredential(syntheticBadge(index)).ok).to.equal(true);
  });

  it("keeps unknown extension properties untouched", function () {
    const badge = { ...issuedBadge(), "extension:registry": { note: "kept" } };
    const parsed = parseCredential(badge);
    expect(parsed.ok && (parsed.credential as Record<string, unknown>)["extension:registry"]).to.deep.equal({ note: "kept" });
  });

  it("requires an id once issued, but not in a draft", function () {
    const badge = exampleBadge("uni-sql-for-analysts");
    expect(badge.id).to.equal(undefined);
    expect(parseDraftCredential(badge).ok).to.equal(true);
    const parsed = parseCredential(badge);
    expect(parsed.ok).to.equal(false);
    expect(!parsed.ok && parsed.problems).to.deep.include({ path: "$.id", message: "is required" });
  });

  it("lists every problem with its JSON path and a plain sentence", function () {
    const badge = issuedBadge();
    delete badge.credentialSubject.achievement.name;
    badge.validFrom = "last Tuesday";
    badge.type = ["VerifiableCredential"];
    badge.credentialSubject.achievement.alignment[0].targetUrl = "not a uri";
    const parsed = parseCredential(badge);
    expect(parsed.ok).to.equal(false);
    const problems = !parsed.ok ? parsed.problems : [];
    expect(problems).to.deep.include({ path: "$.credentialSubject.achievement.name", message: "is required" });
    expect(problems).to.deep.include({
      path: "$.validFrom",
      message: "must be a date-time with a time zone, such as 2026-09-01T00:00:00Z",
    });
    expect(problems).to.deep.include({ path: "$.type", message: 'must include "VerifiableCredential" and "OpenBadgeCredential"' });
    expect(problems.map((problem) => problem.path)).to.include("$.credentialSubject.achievement.alignment[0].targetUrl");
  });

  it("names a wrong type in words", function () {
    const badge = issuedBadge();
    badge.credentialSubject.achievement.criteria = "pass the exam";
    const parsed = parseCredential(badge);
    expect(!parsed.ok && parsed.problems).to.deep.include({
      path: "$.credentialSubject.achievement.criteria",
      message: 'must be an object, not string "pass the exam"',
    });
  });

  it("requires the VC 2.0 and OB 3.0 contexts in order", function () {
    const badge = issuedBadge();
    badge["@context"] = [badge["@context"][1], badge["@context"][0]];
    const parsed = parseCredential(badge);
    expect(!parsed.ok && parsed.problems.map((problem) => problem.path)).to.include("$[\"@context\"]");
  });

  it("takes only dates and times that exist (Date.parse rolled February 30 over to March 2)", function () {
    const problemsFor = (validUntil: string) => {
      const parsed = parseCredential({ ...issuedBadge(), validUntil });
      return parsed.ok ? [] : parsed.problems.map((problem) => `${problem.path} ${problem.message}`);
    };
    expect(problemsFor("2028-02-29T00:00:00Z")).to.deep.equal([]);
    for (const impossible of ["2026-02-30T00:00:00Z", "2027-02-29T00:00:00Z", "2026-04-31T12:00:00Z", "2026-13-01T00:00:00Z", "2026-06-01T24:00:00Z", "2026-06-01T12:60:00Z", "2026-06-01T12:00:00+24:00"]) {
      expect(problemsFor(impossible), impossible).to.deep.equal(["$.validUntil is not a real date and time (such as February 30 or 25:00)"]);
    }
  });

  it("is no stricter than OB 3.0: an achievement's empty description is a string", function () {
    const badge = issuedBadge();
    badge.credentialSubject.achievement.description = "";
    expect(parseCredential(badge).ok).to.equal(true);
    delete badge.credentialSubject.achievement.description;
    expect(parseCredential(badge).ok).to.equal(false);
  });

  it("is no looser than VC 2.0: a credentialSchema has an id and a type", function () {
    const withSchema = (credentialSchema: unknown) => parseCredential({ ...issuedBadge(), credentialSchema });
    const schema = { id: "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json", type: "1EdTechJsonSchemaValidator2019" };
    expect(withSchema(schema).ok).to.equal(true);
    expect(withSchema([schema]).ok).to.equal(true);
    for (const bad of [{ id: schema.id }, { type: schema.type }, [schema, { id: schema.id }]]) {
      const parsed = withSchema(bad);
      expect(parsed.ok, JSON.stringify(bad)).to.equal(false);
      if (!parsed.ok) expect(parsed.problems[0].message).to.contain("an id (a URL) and a type");
    }
  });

  it("refuses a validity window that ends before it starts", function () {
    const badge = { ...issuedBadge(), validUntil: "2020-01-01T00:00:00Z" };
    const parsed = parseCredential(badge);
    expect(!parsed.ok && parsed.problems).to.deep.include({ path: "$.validUntil", message: "must not be before validFrom" });
  });

  it("requires the subject to be identified by an id or an identifier", function () {
    const badge = issuedBadge();
    delete badge.credentialSubject.id;
    expect(parseCredential(badge).ok).to.equal(false);
    badge.credentialSubject.identifier = [
      { type: "IdentityObject", hashed: true, identityHash: "sha256$0a1b", identityType: "emailAddress", salt: "x" },
    ];
    expect(parseCredential(badge).ok).to.equal(true);
  });

  it("answers anything that is not an object with one problem at $, never an exception", function () {
    for (const input of [null, 42, "badge", [], undefined]) {
      const parsed = parseCredential(input);
      expect(parsed.ok).to.equal(false);
      expect(!parsed.ok && parsed.problems[0].path).to.equal("$");
    }
  });

  it("reads and replaces the issuer id in both forms of issuer", function () {
    const badge = issuedBadge();
    expect(issuerIdOf(badge as never)).to.equal("did:web:uni.example");
    const moved = withIssuerId(badge as never as { issuer: { id: string; name: string } }, "did:web:new.example");
    expect(moved.issuer).to.deep.include({ id: "did:web:new.example", name: badge.issuer.name });
    expect(withIssuerId({ issuer: "did:web:a.example" }, "did:web:b.example").issuer).to.equal("did:web:b.example");
    expect(badge.issuer.id).to.equal("did:web:uni.example");
  });
});
