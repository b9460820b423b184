/**
 * The trust policy's matching rule and verdicts (lib/verify/trust-policy.ts): whole segments only, the most
 * specific entry decides, and a profile id two registries both register is trusted on neither.
 */
import { expect } from "chai";

import type { OpenBadgeCredential } from "../../../lib/credential/credential.js";
import { planStack } from "../../../lib/stacking/stacking.js";
import { verifyCredential, type VerifyOptions } from "../../../lib/verify/verify.js";
import {
  DEFAULT_TRUST_POLICY,
  describeTrust,
  issuerPatternProblem,
  judgeTrust,
  matchesIssuer,
  policyEntryFor,
  trustRuleFor,
  type TrustPolicy,
} from "../../../lib/verify/trust-policy.js";
import { FakeChain } from "../../helpers/fake-chain.js";
import { EMPLOYER, UNIVERSITY, issueOn, sampleStackWorld } from "../../helpers/stacks.js";

const A = { chainId: 10, registry: "0x00000000000000000000000000000000000000aA" };
const B = { chainId: 11, registry: "0x00000000000000000000000000000000000000bb" };

describe("trust policy: matching issuers", function () {
  it("matches an exact id only to itself", function () {
    const pattern = { id: "https://northfield.example/issuer" };
    expect(matchesIssuer(pattern, "https://northfield.example/issuer")).to.equal(true);
    expect(matchesIssuer(pattern, "https://northfield.example/issuer/cs")).to.equal(false);
    expect(matchesIssuer(pattern, "https://northfield.example")).to.equal(false);
  });

  it("matches an https prefix on its origin and whole path segments", function () {
    const origin = { prefix: "https://northfield.example" };
    expect(matchesIssuer(origin, "https://northfield.example")).to.equal(true);
    expect(matchesIssuer(origin, "https://northfield.example/issuer")).to.equal(true);
    expect(matchesIssuer(origin, "https://northfield.example.evil.com")).to.equal(false);
    expect(matchesIssuer(origin, "https://northfield.example.evil.com/issuer")).to.equal(false);
    expect(matchesIssuer(origin, "https://northfield.example:8443/issuer")).to.equal(false);
    expect(matchesIssuer(origin, "https://evil.com/https://northfield.example")).to.equal(false);
    const path = { prefix: "https://northfield.example/issuers" };
    expect(matchesIssuer(path, "https://northfield.example/issuers/cs")).to.equal(true);
    expect(matchesIssuer(path, "https://northfield.example/issuers-fake")).to.equal(false);
    expect(matchesIssuer(path, "https://northfield.example/other")).to.equal(false);
  });

  it("matches no spelling that is not canonical, which could hide another host or path", function () {
    const path = { prefix: "https://northfield.example/issuers" };
    expect(matchesIssuer(path, "https://northfield.example/issuers/../evil")).to.equal(false);
    expect(matchesIssuer(path, "https://northfield.example/issuers/%2e%2e/evil")).to.equal(false);
    expect(matchesIssuer(path, "https://northfield.example/issuers/x/")).to.equal(false);
    expect(matchesIssuer({ prefix: "https://northfield.example" }, "https://northfield.example@evil.com")).to.equal(false);
  });

  it("matches a DID prefix on whole colon-separated segments", function () {
    const did = { prefix: "did:web:northfield.example" };
    expect(matchesIssuer(did, "did:web:northfield.example")).to.equal(true);
    expect(matchesIssuer(did, "did:web:northfield.example:cs")).to.equal(true);
    expect(matchesIssuer(did, "did:web:northfield.example.evil.com")).to.equal(false);
    expect(matchesIssuer(did, "did:web:northfield.example%3A8443")).to.equal(false);
    expect(matchesIssuer(did, "did:web:northfield.examplex")).to.equal(false);
    expect(matchesIssuer({ prefix: "did:key:z6Mk" }, "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")).to.equal(false);
  });

  it("refuses a pattern that is not a canonical profile id", function () {
    expect(issuerPatternProblem({ prefix: "https://northfield.example/" })).to.match(/canonical/);
    expect(issuerPatternProblem({ prefix: "did:web:" })).to.be.a("string");
    expect(issuerPatternProblem({ id: "northfield" })).to.be.a("string");
    expect(issuerPatternProblem({ prefix: "did:web:northfield.example" })).to.equal(null);
  });

  it("lets the most specific entry decide: an exact id, then the longest prefix", function () {
    const policy: TrustPolicy = {
      otherIssuers: "own-registry",
      entries: [
        { issuer: { prefix: "https://northfield.example" }, registries: [A] },
        { issuer: { prefix: "https://northfield.example/partners" }, registries: [B] },
        { issuer: { id: "https://northfield.example/partners/main" }, registries: [A] },
      ],
    };
    expect(policyEntryFor(policy, "https://northfield.example/issuer")?.registries).to.deep.equal([A]);
    expect(policyEntryFor(policy, "https://northfield.example/partners/x")?.registries).to.deep.equal([B]);
    expect(policyEntryFor(policy, "https://northfield.example/partners/main")?.registries).to.deep.equal([A]);
    expect(policyEntryFor(policy, "https://elsewhere.example")).to.equal(undefined);
  });
});

describe("trust policy: verdicts", function () {
  const pinned: TrustPolicy = { otherIssuers: "own-registry", entries: [{ issuer: { prefix: "did:web:northfield.example" }, registries: [A] }] };

  it("trusts a pinned issuer on its registries only, naming the entry otherwise", function () {
    const rule = trustRuleFor(pinned, "did:web:northfield.example");
    expect(judgeTrust(rule, { ...A, registry: A.registry.toLowerCase() }, "did:web:northfield.example")).to.deep.equal({ trusted: true });
    const refused = judgeTrust(rule, B, "did:web:northfield.example");
    expect(refused.trusted).to.equal(false);
    expect(refused.trusted === false && refused.detail).to.include(`registry ${B.registry} on chain 11`).and.include('{"prefix": "did:web:northfield.example"}');
  });

  it("trusts another issuer on its own registry, unless another registry registers it too", function () {
    const rule = trustRuleFor(pinned, "did:web:employer.example");
    expect(rule.kind).to.equal("own-registry");
    expect(judgeTrust(rule, B, "did:web:employer.example", [])).to.deep.equal({ trusted: true });
    expect(judgeTrust(rule, B, "did:web:employer.example", [B])).to.deep.equal({ trusted: true });
    const conflict = judgeTrust(rule, B, "did:web:employer.example", [A, B]);
    expect(conflict.trusted === false && conflict.detail).to.include("registered both").and.include(A.registry).and.include("TRUST_POLICY");
  });

  it("trusts no registry for an unnamed issuer when the policy says none", function () {
    const strict: TrustPolicy = { ...pinned, otherIssuers: "none" };
    const verdict = judgeTrust(trustRuleFor(strict, "did:web:employer.example"), B, "did:web:employer.example");
    expect(verdict.trusted).to.equal(false);
  });

  it("states per registry what it is trusted for", function () {
    expect(describeTrust(pinned, [A, B])).to.deep.equal([
      { ...A, pinned: [{ prefix: "did:web:northfield.example" }], ownIssuers: true },
      { ...B, pinned: [], ownIssuers: true },
    ]);
    expect(describeTrust(DEFAULT_TRUST_POLICY, [A])).to.deep.equal([{ ...A, pinned: [], ownIssuers: true }]);
  });
});

describe("trust policy in the pipeline (VerifyOptions.trustIssuer)", function () {
  const NOW = new Date("2026-09-01T00:00:00Z");
  const refuseEmployer: VerifyOptions["trustIssuer"] = async (_chainId, registry, profileId) =>
    profileId === EMPLOYER.profileId ? { trusted: false, detail: `registry ${registry} is not trusted for ${profileId}` } : { trusted: true };

  it("reads a badge through a registry not trusted for its issuer as untrusted-registry, with the detail", async function () {
    const chain = new FakeChain();
    const world = sampleStackWorld(chain);
    const result = await verifyCredential(world.badges.secureCoding, { readerFor: chain.readerFor, now: () => NOW, trustIssuer: refuseEmployer });
    expect(result.status).to.equal("untrusted-registry");
    expect(result.checks.find((check) => check.name === "proof")).to.deep.include({ result: "fail", detail: `registry ${(world.badges.secureCoding.proof as Array<{ registry?: string }>)[0].registry} is not trusted for ${EMPLOYER.profileId}` });
    expect((await verifyCredential(world.badges.sql, { readerFor: chain.readerFor, now: () => NOW, trustIssuer: refuseEmployer })).status).to.equal("valid");
  });

  it("does not count a stack's component through a registry not trusted for its issuer", async function () {
    const chain = new FakeChain();
    const world = sampleStackWorld(chain);
    const label = (credential: OpenBadgeCredential) => ({ label: credential.credentialSubject.achievement.name, credential });
    const options = { readerFor: chain.readerFor, now: () => NOW, stackingIssuerProfileId: UNIVERSITY.profileId };
    const certificate = await planStack(world.certificatePathway, [world.badges.foundations, world.badges.sql, world.badges.statistics].map(label), options);
    if (!certificate.ok) throw new Error(certificate.problems.join("\n"));
    const [stacked] = issueOn(chain, UNIVERSITY, [certificate.draft]);
    const diploma = await planStack(world.diplomaPathway, [label(stacked), label(world.badges.incidentResponse)], options);
    if (!diploma.ok) throw new Error(diploma.problems.join("\n"));
    const [top] = issueOn(chain, UNIVERSITY, [diploma.draft]);
    expect((await verifyCredential(top, { readerFor: chain.readerFor, now: () => NOW })).status).to.equal("valid");
    const result = await verifyCredential(top, { readerFor: chain.readerFor, now: () => NOW, trustIssuer: refuseEmployer });
    expect(result.status).to.equal("stack-incomplete");
    const employers = result.stack!.components.find((component) => component.issuerId === EMPLOYER.profileId)!;
    expect(employers).to.deep.include({ status: "untrusted-registry" });
    expect(employers.detail).to.include(EMPLOYER.profileId);
  });
});
