/**
 * POST /v1/presentations/verify on an in-process chain: the three portfolio shapes, exact statuses for
 * a mixed portfolio, the summary and skills, a stacked credential inside, the few chain round trips a
 * portfolio costs, limits and malformed input — every response checked against /openapi.json.
 */
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { network } from "hardhat";

import { buildBatch } from "../../lib/anchor/batch.js";
import { credentialHash } from "../../lib/credential/canonical.js";
import { STACK_CONTEXT, STACK_PROPERTY } from "../../lib/stack/stack.js";
import { changeCredentialStatus, credentialRefsFromFiles } from "../../scripts/credentials/status-change.js";
import { setUpSampleStack } from "../../scripts/sample-stack.js";
import { anchorImpostors, IMPERSONATED_NAME, MALLORY, MEDICINE } from "../helpers/impostors.js";
import { expectConformsToOpenApi } from "../helpers/openapi.js";
import { chainConfig, pinnedSampleDocuments, sampleOnInProcessChain, startTestService, type TestService } from "../helpers/verifier-app.js";

const connection = await network.create();
const { sample, client, roundTrips } = await sampleOnInProcessChain(connection);
const badge = async (who: "university" | "employer", name: string) => JSON.parse(await readFile(sample.badge(who, name), "utf8"));

// A stacked certificate for Ada, from three of her badges (the sample story's).
const stacked = await setUpSampleStack(sample, await mkdtemp(path.join(tmpdir(), "portfolio-api-")));
const certificate = JSON.parse(await readFile(stacked.certificateFile, "utf8"));
const impostors = await anchorImpostors(sample);

let service: TestService;

async function verifyPortfolio(body: unknown, contentType = "application/json", on = service) {
  const response = await fetch(`${on.url}/v1/presentations/verify`, { method: "POST", headers: { "content-type": contentType }, body: JSON.stringify(body) });
  const responseType = response.headers.get("content-type") ?? "";
  const json: any = await response.json();
  expectConformsToOpenApi("post", "/v1/presentations/verify", response.status, responseType, json);
  return { status: response.status, body: json };
}

describe("verifier API: portfolios", function () {
  this.timeout(60_000);

  before(async function () {
    service = await startTestService({ chains: [{ config: chainConfig(sample.chainId, sample.registry), client }], cacheTtlSeconds: 0, maxPresentationSize: 12 });
  });

  after(async function () {
    await service.close();
  });

  // First: the mixed portfolio below revokes one of the certificate's components.
  it("confirms a genuine stack's components sent with it, and re-checks its rule with its pathway sent too", async function () {
    const components = await Promise.all([
      badge("university", "uni-data-analytics-foundations"),
      badge("university", "uni-sql-for-analysts"),
      badge("employer", "meridian-secure-coding-practitioner"),
    ]);
    const pathway = JSON.parse(await readFile(stacked.pathwayFile, "utf8"));
    const { body } = await verifyPortfolio({ type: ["VerifiablePresentation"], verifiableCredential: [certificate, ...components, pathway] });
    expect(body.results).to.have.length(4); // the pathway is not a credential of the portfolio
    const [stack] = body.results;
    expect(stack.status).to.equal("valid");
    expect(stack.stack.components.map((component: any) => component.confirmation)).to.deep.equal(["confirmed", "confirmed", "confirmed"]);
    expect(stack.stack.rule).to.deep.include({ checked: true, met: true });
    const partial = await verifyPortfolio([certificate, components[1]]);
    expect(partial.body.results[0].stack.components.map((component: any) => component.confirmation)).to.deep.equal(["claimed", "confirmed", "claimed"]);
  });

  it("verifies a mixed portfolio with exact statuses, one batched read for all, a summary and the skills", async function () {
    const foundations = await badge("university", "uni-data-analytics-foundations");
    const sql = await badge("university", "uni-sql-for-analysts");
    const statistics = await badge("university", "uni-statistical-modelling-python");
    const incident = await badge("employer", "meridian-incident-response-fundamentals");
    const grace = await badge("university", "uni-data-analytics-foundations-grace");
    const tampered = structuredClone(sql);
    tampered.credentialSubject.achievement.name = "SQL Grandmaster";
    // A badge prepared with a proof for a batch of one that was never anchored.
    const unknown = structuredClone(foundations);
    unknown.id = "urn:uuid:0b5e9b52-8a9c-4c4e-9a55-5a1f0c3d7e21";
    Object.assign(unknown.proof.at(-1), { root: buildBatch([credentialHash(unknown)]).root, leafIndex: 0, merklePath: [] });
    const revokedFile = sample.badge("employer", "meridian-secure-coding-practitioner");
    const employer = await sample.as(sample.accounts.employer);
    const revoked = JSON.parse(await readFile(revokedFile, "utf8"));

    const presentation = {
      "@context": ["https://www.w3.org/ns/credentials/v2"],
      type: ["VerifiablePresentation"],
      verifiableCredential: [foundations, sql, statistics, incident, certificate, tampered, revoked, grace, unknown],
    };
    const before = roundTrips();
    const valid = await verifyPortfolio(presentation);
    expect(valid.status).to.equal(200);
    expect(valid.body.kind).to.equal("presentation");
    expect(valid.body.results.map((result: any) => result.status)).to.deep.equal(["valid", "valid", "valid", "valid", "valid", "tampered", "valid", "valid", "unknown-anchor"]);
    expect(roundTrips() - before).to.equal(1); // one multicall: every anchor and every stack reference

    await changeCredentialStatus(employer, "revoke", await credentialRefsFromFiles(employer, [revokedFile]), "issued-in-error");
    const after = await verifyPortfolio(presentation);
    expect(after.body.results.map((result: any) => result.status)).to.deep.equal([
      "valid",
      "valid",
      "valid",
      "valid",
      "stack-incomplete",
      "tampered",
      "revoked",
      "valid",
      "unknown-anchor",
    ]);
    expect(after.body.results[4].stack.components.find((component: any) => component.status === "revoked").achievementName).to.equal("Secure Coding Practitioner");
    expect(after.body.summary).to.deep.include({ total: 9, verified: 5, sameSubject: false });
    expect(after.body.summary.byStatus).to.deep.equal({ valid: 5, "stack-incomplete": 1, tampered: 1, revoked: 1, "unknown-anchor": 1 });
    expect(after.body.summary.subjects).to.have.members(["did:example:learner-ada-7f3c", "did:example:learner-grace-19b2"]);
    expect(after.body.summary.issuers.map((issuer: any) => issuer.id)).to.have.members(["did:web:uni.example", "https://security.employer.example/issuer"]);

    const skills = after.body.skills;
    expect(skills.map((skill: any) => skill.name)).to.have.members(["Data Analytics Foundations", "SQL for Analysts", "Statistical Modelling with Python", "Incident Response Fundamentals"]);
    const analytics = skills.find((skill: any) => skill.name === "Data Analytics Foundations");
    expect(analytics.credentialIds).to.have.length(2); // Ada's and Grace's badge: one skill
    expect(analytics.alignments[0]).to.include({ targetFramework: "ESCO", targetName: "data analyst" });
    expect(skills.some((skill: any) => skill.name === "SQL Grandmaster")).to.equal(false);
  });

  it("reads a CLR-shaped bundle with its associations, and a plain array", async function () {
    const foundations = await badge("university", "uni-data-analytics-foundations");
    const association = { type: "Association", associationType: "isParentOf", sourceId: certificate.credentialSubject.achievement.id, targetId: foundations.credentialSubject.achievement.id };
    const clr = {
      "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"],
      type: ["VerifiableCredential", "ClrCredential"],
      credentialSubject: { type: ["ClrSubject"], verifiableCredential: [certificate, foundations], association: [association] },
    };
    const bundle = await verifyPortfolio(clr);
    expect(bundle.body.kind).to.equal("clr");
    expect(bundle.body.results).to.have.length(2);
    expect(bundle.body.associations).to.deep.equal([association]);
    const array = await verifyPortfolio([foundations]);
    expect(array.body).to.deep.include({ kind: "array" });
    expect(array.body.results[0].status).to.equal("valid");
  });

  it("refuses what is not a portfolio, an empty one and one over the limit, with a 400 problem", async function () {
    const notPortfolio = await verifyPortfolio({ type: ["VerifiableCredential"] });
    expect(notPortfolio.status).to.equal(400);
    expect(notPortfolio.body.detail).to.contain("VerifiablePresentation");
    expect((await verifyPortfolio([])).body.detail).to.equal("the portfolio holds no credential");
    const foundations = await badge("university", "uni-data-analytics-foundations");
    const tooMany = await verifyPortfolio(Array.from({ length: 13 }, () => foundations));
    expect(tooMany.status).to.equal(400);
    expect(tooMany.body.detail).to.equal("the portfolio holds 13 credentials; the limit is 12");
    const wrongType = await fetch(`${service.url}/v1/presentations/verify`, { method: "POST", headers: { "content-type": "text/plain" }, body: "[]" });
    expect(wrongType.status).to.equal(415);
  });

  it("refuses a bundle whose associations, or whose credentials, nest too deep, with a 400 problem naming the limit", async function () {
    const foundations = await badge("university", "uni-data-analytics-foundations");
    let association: unknown = { type: "Association", associationType: "isParentOf", sourceId: "urn:a", targetId: "urn:b" };
    for (let level = 0; level < 20; level++) association = { type: "Association", association: [association] };
    const clr = {
      type: ["VerifiableCredential", "ClrCredential"],
      credentialSubject: { type: ["ClrSubject"], verifiableCredential: [foundations], association: [association] },
    };
    const deepAssociations = await verifyPortfolio(clr);
    expect(deepAssociations.status).to.equal(400);
    expect(deepAssociations.body.detail).to.match(/association\[0\].*an association is nested more than \d+ levels deep/);
    let nested: unknown = foundations;
    for (let level = 0; level < 30; level++) nested = { ...foundations, id: `urn:uuid:00000000-0000-4000-8000-${String(level).padStart(12, "0")}`, credentialSubject: { ...foundations.credentialSubject, verifiableCredential: [nested] } };
    const deepCredentials = await verifyPortfolio({ type: ["VerifiablePresentation"], verifiableCredential: [nested] });
    expect(deepCredentials.status).to.equal(400);
    expect(deepCredentials.body.detail).to.match(/^\$\.verifiableCredential\[0\]\.credentialSubject.*a credential in a portfolio is nested more than \d+ levels deep/);
  });

  it("never reports a stack's component as confirmed on the stack's word alone: an employer's \"Doctor of Medicine\" of Ada's badge, for another learner", async function () {
    const response = await fetch(`${service.url}/v1/credentials/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ verifiableCredential: impostors.forgedStack }) });
    const alone: any = await response.json();
    expectConformsToOpenApi("post", "/v1/credentials/verify", response.status, response.headers.get("content-type") ?? "", alone);
    // The employer's own credential, genuinely: valid as that, its one component a claim of the employer's.
    expect(alone.status).to.equal("valid");
    expect(alone.stack.components[0]).to.deep.include({ achievementName: MEDICINE, status: "valid", confirmation: "claimed", claimedBy: sample.issuers.employer.profileId });
    expect(alone.stack.confirmation).to.deep.equal({ confirmed: 0, claimed: 1, refuted: 0 });
    expect(alone.checks.find((check: any) => check.name === "stack").detail).to.contain(`0 of 1 confirmed; what the other 1 are, and whose, are claims of ${sample.issuers.employer.profileId}`);

    // With Ada's real badge at hand, the stack's claims about it are refuted: not valid.
    const together = await verifyPortfolio([impostors.forgedStack, impostors.adasBadge]);
    const [stack, adas] = together.body.results;
    expect(adas.status).to.equal("valid");
    expect(stack.status).to.equal("stack-incomplete");
    expect(stack.stack.components[0].confirmation).to.equal("refuted");
    expect(stack.stack.components[0].confirmationDetail).to.contain(`is awarded to "${adas.credential.subjectId}", the stack says "${MALLORY}"`);
    expect(stack.checks.find((check: any) => check.name === "stack")).to.deep.include({ result: "fail" });
    expect(together.body.skills.some((skill: any) => skill.name === MEDICINE)).to.equal(false);
  });

  it("names a badge's issuer by its verified identity, and what the badge calls it only as stated: an employer's badge naming itself Northfield University", async function () {
    // The employer's DID document (pinned: the test service fetches nothing) gives its own name.
    const pinned = pinnedSampleDocuments(sample);
    const employerId = sample.issuers.employer.profileId;
    pinned.set(employerId, { ...(pinned.get(employerId) as object), name: "Meridian Systems" });
    const named = await startTestService({ chains: [{ config: chainConfig(sample.chainId, sample.registry), client }], cacheTtlSeconds: 0, documents: { pinned } });
    try {
      const { body } = await verifyPortfolio([impostors.impersonating], "application/json", named);
      const [result] = body.results;
      expect(result.status).to.equal("valid");
      expect(result.checks.find((check: any) => check.name === "signature").result).to.equal("pass");
      expect(result.credential.issuer).to.deep.equal({ id: employerId, verifiedName: "Meridian Systems", statedName: IMPERSONATED_NAME });
      expect(body.summary.issuers).to.deep.equal([{ id: employerId, verifiedName: "Meridian Systems", statedName: IMPERSONATED_NAME, issuerId: sample.issuers.employer.issuerId }]);
      expect(body.skills[0].issuer).to.deep.equal({ id: employerId, verifiedName: "Meridian Systems", statedName: IMPERSONATED_NAME });
      // Where the signature cannot be checked (no document to read), no name is verified at all.
      const unverified = (await verifyPortfolio([impostors.impersonating])).body.results[0];
      expect(unverified.credential.issuer).to.deep.equal({ id: employerId, verifiedName: null, statedName: IMPERSONATED_NAME });
    } finally {
      await named.close();
    }
  });

  it("serves the JSON-LD context of the stack extension, defining every term a stacked credential uses", async function () {
    const response = await fetch(`${service.url}/contexts/stack-v1.jsonld`);
    expect(response.status).to.equal(200);
    expect(response.headers.get("content-type")).to.contain("application/ld+json");
    const context: any = (await response.json())["@context"];
    expect(certificate["@context"]).to.include(STACK_CONTEXT);
    expect(STACK_CONTEXT.endsWith("/contexts/stack-v1.jsonld")).to.equal(true);
    const referenceTerms = Object.keys(context[STACK_PROPERTY]["@context"]);
    const stackTerms = Object.keys(context[STACK_PROPERTY]["@context"].stack["@context"]);
    for (const item of certificate.evidence) {
      for (const key of Object.keys(item[STACK_PROPERTY])) expect(referenceTerms, key).to.include(key);
    }
    expect(stackTerms).to.have.members(["pathway", "components"]);
  });

  it("says unavailable (503) for every credential, never valid, when the chain cannot be read", async function () {
    const dead = await startTestService({ chains: [{ config: chainConfig(sample.chainId, sample.registry, "http://127.0.0.1:1") }], cacheTtlSeconds: 0 });
    try {
      const response = await fetch(`${dead.url}/v1/presentations/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify([certificate, await badge("university", "uni-sql-for-analysts")]) });
      expect(response.status).to.equal(503);
      const body: any = await response.json();
      expect(body.results.map((result: any) => result.status)).to.deep.equal(["unavailable", "unavailable"]);
      expect(body.summary.verified).to.equal(0);
    } finally {
      await dead.close();
    }
  });
});
