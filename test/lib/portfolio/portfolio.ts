import { expect } from "chai";

import { issuerIdOfProfile } from "../../../lib/credential/profile-id.js";
import { bundleCredentials, chainReadsOf, findPortfolioCredentials, skillsOf, summarisePortfolio } from "../../../lib/portfolio/portfolio.js";
import { planStack } from "../../../lib/stacking/stacking.js";
import { verifyCredential } from "../../../lib/verify/verify.js";
import { FakeChain } from "../../helpers/fake-chain.js";
import { UNIVERSITY, issueOn, sampleStackWorld } from "../../helpers/stacks.js";

const NOW = new Date("2026-09-01T00:00:00Z");

describe("lib/portfolio/portfolio: what an employer receives", function () {
  it("finds the credentials of a presentation, a CLR bundle and an array, and refuses anything else with a reason", function () {
    const badge = { type: ["VerifiableCredential", "OpenBadgeCredential"] };
    expect(findPortfolioCredentials({ type: "VerifiablePresentation", verifiableCredential: badge })).to.deep.include({ ok: true, kind: "presentation", credentials: [badge] });
    const association = { type: "Association", associationType: "isParentOf", sourceId: "urn:a", targetId: "urn:b" };
    expect(findPortfolioCredentials({ type: ["VerifiableCredential", "ClrCredential"], credentialSubject: { verifiableCredential: [badge, badge], association } })).to.deep.equal({
      ok: true,
      kind: "clr",
      credentials: [badge, badge],
      associations: [association],
      pathways: [],
    });
    expect(findPortfolioCredentials([badge])).to.deep.include({ ok: true, kind: "array" });
    expect(findPortfolioCredentials(badge)).to.deep.equal({ ok: false, problem: 'a portfolio is a "VerifiablePresentation", a "ClrCredential" or a JSON array of credentials' });
    expect(findPortfolioCredentials({ type: "ClrCredential" })).to.deep.equal({ ok: false, problem: "the ClrCredential has no credentialSubject" });
    expect(findPortfolioCredentials("text").ok).to.equal(false);
  });

  it("lists every chain read a portfolio needs, once each: anchors and every stack reference", async function () {
    const chain = new FakeChain();
    const world = sampleStackWorld(chain);
    const options = { readerFor: chain.readerFor, now: () => NOW, stackingIssuerProfileId: UNIVERSITY.profileId };
    const plan = await planStack(world.certificatePathway, [world.badges.foundations, world.badges.sql, world.badges.statistics].map((credential) => ({ label: credential.id, credential })), options);
    if (!plan.ok) throw new Error(plan.problems.join("\n"));
    const [certificate] = issueOn(chain, UNIVERSITY, [plan.draft]);
    const reads = chainReadsOf([certificate, world.badges.foundations, world.badges.sql, "not a badge", { proof: "nonsense" }]);
    // The certificate's anchor, its pathway and three components; the two badges are among those components.
    expect(reads).to.have.length(5);
    expect(new Set(reads.map((read) => `${read.root}:${read.index}`)).size).to.equal(5);
  });

  it("sums results up: counts, one subject or several, issuers, and skills from valid credentials only, once each", async function () {
    const chain = new FakeChain();
    const world = sampleStackWorld(chain);
    const tampered = structuredClone(world.badges.sql);
    tampered.credentialSubject.achievement.name = "SQL Grandmaster";
    const credentials = [world.badges.foundations, world.badges.graceFoundations, tampered, world.badges.incidentResponse];
    const results = await Promise.all(credentials.map((credential) => verifyCredential(credential, { readerFor: chain.readerFor, now: () => NOW })));
    const summary = summarisePortfolio(results);
    expect(summary).to.deep.include({ total: 4, verified: 3, sameSubject: false, byStatus: { valid: 3, tampered: 1 } });
    expect(summary.subjects).to.have.members(["did:example:learner-ada-7f3c", "did:example:learner-grace-19b2"]);
    expect(summary.issuers.map((issuer) => [issuer.id, issuer.issuerId])).to.have.deep.members([
      ["did:web:uni.example", issuerIdOfProfile("did:web:uni.example")],
      ["https://security.employer.example/issuer", issuerIdOfProfile("https://security.employer.example/issuer")],
    ]);
    const skills = skillsOf(results);
    expect(skills.map((skill) => [skill.name, skill.credentialIds.length])).to.deep.equal([
      ["Data Analytics Foundations", 2],
      ["Incident Response Fundamentals", 1],
    ]);
    expect(skills[1].alignments.map((alignment) => alignment.targetFramework)).to.include("NICE Workforce Framework for Cybersecurity");
  });

  it("bundles a holder's credentials with an isParentOf association from a stack to each component it holds", async function () {
    const chain = new FakeChain();
    const world = sampleStackWorld(chain);
    const plan = await planStack(world.certificatePathway, [world.badges.foundations, world.badges.sql, world.badges.statistics].map((credential) => ({ label: credential.id, credential })), {
      readerFor: chain.readerFor,
      now: () => NOW,
      stackingIssuerProfileId: UNIVERSITY.profileId,
    });
    if (!plan.ok) throw new Error(plan.problems.join("\n"));
    const [certificate] = issueOn(chain, UNIVERSITY, [plan.draft]);
    const bundle = bundleCredentials([certificate, world.badges.foundations], { id: "urn:uuid:1", now: NOW });
    expect(bundle.type).to.deep.equal(["VerifiableCredential", "ClrCredential"]);
    expect(bundle.credentialSubject.id).to.equal("did:example:learner-ada-7f3c");
    expect(bundle.credentialSubject.association).to.deep.equal([
      {
        type: "Association",
        associationType: "isParentOf",
        sourceId: "https://uni.example/data-academy/achievements/data-analyst-certificate",
        targetId: "https://uni.example/data-academy/achievements/data-analytics-foundations",
      },
    ]);
    const mixed = bundleCredentials([world.badges.foundations, world.badges.graceFoundations], { id: "urn:uuid:2", now: NOW });
    expect(mixed.credentialSubject).to.not.have.property("id");
    expect(mixed).to.not.have.property("issuer");
  });
});
