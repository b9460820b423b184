import { expect } from "chai";

import { credentialHash, type Hex } from "../../../lib/credential/canonical.js";
import { issuerIdOfProfile } from "../../../lib/credential/profile-id.js";
import type { OpenBadgeCredential } from "../../../lib/credential/credential.js";
import { findAnchorProof } from "../../../lib/anchor/proof.js";
import { MAX_STACK_DEPTH, MAX_STACK_REFERENCES, STACK_CONTEXT, STACK_PROPERTY, componentReference, findStack, referenceFromProof, stackDraft } from "../../../lib/stack/stack.js";
import { parsePathway } from "../../../lib/stack/pathway.js";
import { verifyAtHand } from "../../../lib/portfolio/at-hand.js";
import { chainReadsOf } from "../../../lib/portfolio/portfolio.js";
import { planStack } from "../../../lib/stacking/stacking.js";
import { verifyCredential, type VerificationResult, type VerifyOptions } from "../../../lib/verify/verify.js";
import { examplePathway } from "../../helpers/badges.js";
import { FakeChain } from "../../helpers/fake-chain.js";
import { EMPLOYER, UNIVERSITY, issueOn, publishOn, sampleStackWorld } from "../../helpers/stacks.js";

const NOW = new Date("2026-09-01T00:00:00Z");
const MALLORY = "did:example:mallory-0bad";
const MEDICINE = "https://security.employer.example/achievements/doctor-of-medicine";

function label(credential: OpenBadgeCredential) {
  return { label: `${credential.credentialSubject.achievement.name}.json`, credential };
}

describe("lib/stack/stack: stacked credentials", function () {
  let chain: FakeChain;
  let world: ReturnType<typeof sampleStackWorld>;
  let options: VerifyOptions & { stackingIssuerProfileId: string };

  beforeEach(function () {
    chain = new FakeChain();
    world = sampleStackWorld(chain);
    options = { readerFor: chain.readerFor, now: () => NOW, stackingIssuerProfileId: UNIVERSITY.profileId };
  });

  async function stackCertificate(components = [world.badges.foundations, world.badges.sql, world.badges.statistics]) {
    const plan = await planStack(world.certificatePathway, components.map(label), options);
    if (!plan.ok) throw new Error(plan.problems.join("\n"));
    return issueOn(chain, UNIVERSITY, [plan.draft])[0];
  }

  it("drafts the pathway's achievement for the learner, its evidence naming the pathway and each component with its anchor", async function () {
    chain.roundTrips = 0;
    const plan = await planStack(world.certificatePathway, [world.badges.foundations, world.badges.sql, world.badges.statistics].map(label), options);
    expect(plan.ok).to.equal(true);
    expect(chain.roundTrips).to.equal(2); // the pathway, then all the components read ahead together
    if (!plan.ok) return;
    const draft = plan.draft as Record<string, any>;
    expect(draft["@context"]).to.include(STACK_CONTEXT);
    expect(draft.credentialSubject.id).to.equal("did:example:learner-ada-7f3c");
    expect(draft.credentialSubject.achievement.id).to.equal("https://uni.example/data-academy/achievements/data-analyst-certificate");
    expect(draft.evidence.map((item: any) => item.genre)).to.deep.equal(["Pathway", "Component credential", "Component credential", "Component credential"]);
    const sqlReference = draft.evidence[2][STACK_PROPERTY];
    expect(sqlReference).to.deep.include({ role: "component", credentialId: world.badges.sql.id, credentialHash: credentialHash(world.badges.sql), leafIndex: 1 });
    expect(sqlReference.root).to.equal((world.badges.sql.proof as any)[0].root);
    expect(draft.evidence[0][STACK_PROPERTY]).to.deep.include({ role: "pathway", pathwayId: world.certificatePathway.id, leafIndex: 0, merklePath: [] });
  });

  it("verifies a stack as valid with its component tree, reading all components in one batched round trip", async function () {
    const certificate = await stackCertificate();
    chain.roundTrips = 0;
    const result = await verifyCredential(certificate, options);
    expect(result.status).to.equal("valid");
    expect(result.checks.find((check) => check.name === "stack")).to.deep.include({ result: "pass" });
    expect(result.stack!.pathway).to.deep.include({ status: "valid", name: "Data Analyst Certificate" });
    expect(result.stack!.components.map((component) => [component.achievementName, component.status])).to.deep.equal([
      ["Data Analytics Foundations", "valid"],
      ["SQL for Analysts", "valid"],
      ["Statistical Modelling with Python", "valid"],
    ]);
    expect(chain.roundTrips).to.equal(2); // the stack's own anchor, then pathway + components together
  });

  it("turns stack-incomplete when a component is revoked or suspended later, naming it", async function () {
    const certificate = await stackCertificate();
    const sqlProof = (world.badges.sql.proof as any)[0];
    chain.revoke(UNIVERSITY.profileId, sqlProof.root, sqlProof.leafIndex);
    const revoked = await verifyCredential(certificate, options);
    expect(revoked.status).to.equal("stack-incomplete");
    const stackCheck = revoked.checks.find((check) => check.name === "stack")!;
    expect(stackCheck.result).to.equal("fail");
    expect(stackCheck.detail).to.contain(`component "SQL for Analysts" (${world.badges.sql.id}) is revoked`);
    expect(revoked.stack!.components[1].status).to.equal("revoked");
    expect(revoked.stack!.components[0].status).to.equal("valid");
  });

  it("turns stack-incomplete when a component's issuer loses its accreditation, and when the pathway is withdrawn", async function () {
    const certificate = await stackCertificate([world.badges.foundations, world.badges.sql, world.badges.secureCoding]);
    chain.setIssuerStatus(EMPLOYER.profileId, "suspended");
    const suspendedIssuer = await verifyCredential(certificate, options);
    expect(suspendedIssuer.status).to.equal("stack-incomplete");
    expect(suspendedIssuer.stack!.components[2]).to.deep.include({ achievementName: "Secure Coding Practitioner", status: "suspended" });

    chain.setIssuerStatus(EMPLOYER.profileId, "active");
    chain.revoke(UNIVERSITY.profileId, world.certificatePathway.proof[0].root, 0);
    const withdrawn = await verifyCredential(certificate, options);
    expect(withdrawn.status).to.equal("stack-incomplete");
    expect(withdrawn.stack!.pathway.status).to.equal("revoked");
  });

  it("reads each component under its own issuer and the pathway under the stack's: a root another issuer anchored does not stand in", async function () {
    const certificate = await stackCertificate([world.badges.foundations, world.badges.sql, world.badges.secureCoding]);
    const secureCodingProof = (world.badges.secureCoding.proof as any)[0];
    // The employer's batch anchored again under the university's identity, then revoked by the employer:
    // only the employer's anchor counts for its badge.
    chain.anchor(UNIVERSITY.profileId, secureCodingProof.root, 2);
    chain.revoke(EMPLOYER.profileId, secureCodingProof.root, secureCodingProof.leafIndex);
    const result = await verifyCredential(certificate, options);
    expect(result.stack!.components[2]).to.deep.include({ achievementName: "Secure Coding Practitioner", status: "revoked" });

    // A pathway the employer published cannot be named by a stack the university awards.
    chain.batches.delete(`${issuerIdOfProfile(UNIVERSITY.profileId)}:${world.certificatePathway.proof[0].root.toLowerCase()}`);
    chain.anchor(EMPLOYER.profileId, world.certificatePathway.proof[0].root, 1);
    const borrowed = await verifyCredential(certificate, options);
    expect(borrowed.status).to.equal("stack-incomplete");
    expect(borrowed.stack!.pathway.status).to.equal("unknown-anchor");
    expect(borrowed.stack!.pathway.detail).to.contain(`not anchored by the issuer of the stack that names it, ${UNIVERSITY.profileId}`);
  });

  it("says tampered when a component reference was altered inside the stack", async function () {
    const certificate = await stackCertificate();
    const forged = structuredClone(certificate) as Record<string, any>;
    forged.evidence[1][STACK_PROPERTY].credentialHash = `0x${"12".repeat(32)}`;
    // Re-anchor the forged stack so that only the reference is wrong, not the stack's own hash.
    const [reissued] = issueOn(chain, UNIVERSITY, [{ ...forged, id: undefined, proof: undefined }]);
    const result = await verifyCredential(reissued, options);
    expect(result.status).to.equal("tampered");
    expect(result.checks.find((check) => check.name === "stack")!.detail).to.contain("do not give its root");
  });

  it("verifies stacks of stacks recursively: a revoked badge deep inside a diploma makes the diploma incomplete", async function () {
    const certificate = await stackCertificate();
    const plan = await planStack(world.diplomaPathway, [label(certificate), label(world.badges.incidentResponse)], options);
    if (!plan.ok) throw new Error(plan.problems.join("\n"));
    const [diploma] = issueOn(chain, UNIVERSITY, [plan.draft]);
    chain.roundTrips = 0;
    const valid = await verifyCredential(diploma, options);
    expect(valid.status).to.equal("valid");
    expect(chain.roundTrips).to.equal(2);
    const nested = valid.stack!.components[0].stack!;
    expect(nested.pathway.name).to.equal("Data Analyst Certificate");
    expect(nested.components).to.have.length(3);

    const foundationsProof = (world.badges.foundations.proof as any)[0];
    chain.revoke(UNIVERSITY.profileId, foundationsProof.root, foundationsProof.leafIndex);
    const incomplete = await verifyCredential(diploma, options);
    expect(incomplete.status).to.equal("stack-incomplete");
    expect(incomplete.stack!.components[0].stack!.components[0]).to.deep.include({ achievementName: "Data Analytics Foundations", status: "revoked" });
  });

  it("refuses a stack nested deeper than the limit, and a cycle, as malformed with a clear reason", async function () {
    const certificate = await stackCertificate();
    const references = findStack(certificate);
    if (references.kind !== "found") throw new Error("no stack found");
    // Wrap the certificate's own stack around itself MAX_STACK_DEPTH times.
    let stack = references.stack;
    for (let depth = 0; depth < MAX_STACK_DEPTH; depth++) {
      const distinctHash = `0x${String(depth + 1).padStart(64, "0")}` as Hex;
      stack = { pathway: stack.pathway, components: [{ ...stack.components[0], credentialHash: distinctHash, stack }] };
    }
    const deep = structuredClone(certificate) as Record<string, any>;
    deep.evidence = [
      { type: ["Evidence"], [STACK_PROPERTY]: stack.pathway },
      ...stack.components.map((component) => ({ type: ["Evidence"], [STACK_PROPERTY]: component })),
    ];
    const [tooDeep] = issueOn(chain, UNIVERSITY, [{ ...deep, id: undefined, proof: undefined }]);
    const deepResult = await verifyCredential(tooDeep, options);
    expect(deepResult.status).to.equal("malformed");
    expect(deepResult.checks.find((check) => check.name === "stack")!.detail).to.contain(`stacks are nested more than ${MAX_STACK_DEPTH} deep`);

    // Thousands deep: refused as malformed, not a crash (the tree is measured before it is walked).
    let abyss: Record<string, any> = { ...stack.components[0], stack: undefined };
    for (let depth = 0; depth < 5_000; depth++) abyss = { ...stack.components[0], stack: { pathway: stack.pathway, components: [abyss] } };
    const hostile = structuredClone(certificate) as Record<string, any>;
    hostile.evidence = [{ type: ["Evidence"], [STACK_PROPERTY]: stack.pathway }, { type: ["Evidence"], [STACK_PROPERTY]: abyss }];
    const abyssResult = await verifyCredential(hostile, { ...options, maxBytes: 64 * 1024 * 1024 });
    expect(abyssResult.status).to.equal("malformed");
    expect(chainReadsOf([hostile])).to.have.length(1); // its own anchor; the tree is not read

    const cyclic = structuredClone(certificate) as Record<string, any>;
    const first = cyclic.evidence[1][STACK_PROPERTY];
    first.stack = { pathway: cyclic.evidence[0][STACK_PROPERTY], components: [{ ...first }] };
    const [withCycle] = issueOn(chain, UNIVERSITY, [{ ...cyclic, id: undefined, proof: undefined }]);
    const cycleResult = await verifyCredential(withCycle, options);
    expect(cycleResult.status).to.equal("malformed");
    expect(cycleResult.checks.find((check) => check.name === "stack")!.detail).to.contain("contains itself (a cycle of stacks)");
  });

  it("refuses a stack tree too large to read, before reading anything", async function () {
    const certificate = await stackCertificate();
    const wide = structuredClone(certificate) as Record<string, any>;
    const component = wide.evidence[1];
    wide.evidence = [wide.evidence[0], ...Array.from({ length: MAX_STACK_REFERENCES }, () => component)];
    const [tooWide] = issueOn(chain, UNIVERSITY, [{ ...wide, id: undefined, proof: undefined }]);
    chain.roundTrips = 0;
    // Larger than the default size limit (which alone keeps a tree to some 400 references): a verifier
    // configured for larger credentials still reads a bounded number.
    const result = await verifyCredential(tooWide, { ...options, maxBytes: 16 * 1024 * 1024 });
    expect(result.status).to.equal("malformed");
    expect(result.checks.find((check) => check.name === "stack")!.detail).to.equal(`the stack holds more than ${MAX_STACK_REFERENCES} references`);
    expect(chain.roundTrips).to.equal(1); // its own anchor only
  });

  it("says unavailable, not valid, when the components cannot be read", async function () {
    const certificate = await stackCertificate();
    let calls = 0;
    const flaky = new Proxy(chain, {
      get(target, property, receiver) {
        if (property === "credentialStatuses") return async () => { throw new Error("socket hang up"); };
        if (property === "credentialStatus") return async (issuerId: Hex, root: Hex, index: bigint) => { calls++; return target.credentialStatus(issuerId, root, index); };
        return Reflect.get(target, property, receiver);
      },
    });
    const result = await verifyCredential(certificate, { ...options, readerFor: () => flaky });
    expect(calls).to.equal(1);
    expect(result.status).to.equal("unavailable");
    expect(result.verified).to.equal(false);
  });

  it("fails, rather than refusing for a wrong reason, when the chain cannot be read while planning", async function () {
    chain.unreachable = true;
    const failure = await planStack(world.certificatePathway, [world.badges.foundations].map(label), options).then(
      () => null,
      (error: Error) => error,
    );
    expect(failure?.message).to.contain("ECONNREFUSED");

    // The pathway read, then the node gone before the components are read.
    chain.unreachable = false;
    const reader = chain.readerFor(31337, "0x5FbDB2315678afecb367f032d93F642f64180aa3")!;
    let reads = 0;
    const dying = { credentialStatus: (issuerId: Hex, root: Hex, index: bigint) => (++reads > 1 ? Promise.reject(new Error("socket hang up")) : reader.credentialStatus(issuerId, root, index)) };
    const midway = await planStack(world.certificatePathway, [world.badges.foundations, world.badges.sql, world.badges.statistics].map(label), { ...options, readerFor: () => dying }).then(
      () => null,
      (error: Error) => error,
    );
    expect(midway?.message).to.contain("socket hang up");
  });

  describe("refuses to stack, anchoring nothing, and says which component and why", function () {
    async function problemsOf(pathway: unknown, components: OpenBadgeCredential[], changes: Partial<typeof options> = {}) {
      const plan = await planStack(pathway, components.map(label), { ...options, ...changes });
      expect(plan.ok).to.equal(false);
      return plan.ok ? [] : plan.problems;
    }

    it("a revoked component", async function () {
      const proof = (world.badges.sql.proof as any)[0];
      chain.revoke(UNIVERSITY.profileId, proof.root, proof.leafIndex);
      expect(await problemsOf(world.certificatePathway, [world.badges.foundations, world.badges.sql, world.badges.statistics])).to.deep.equal([
        "SQL for Analysts.json: revoked — status: the issuer revoked this credential",
      ]);
    });

    it("a tampered component", async function () {
      const tampered = structuredClone(world.badges.sql);
      tampered.credentialSubject.achievement.description = "Advanced SQL";
      const [problem] = await problemsOf(world.certificatePathway, [world.badges.foundations, tampered, world.badges.statistics]);
      expect(problem).to.match(/^SQL for Analysts\.json: tampered/);
    });

    it("components of two learners", async function () {
      const problems = await problemsOf(world.certificatePathway, [world.badges.graceFoundations, world.badges.sql, world.badges.statistics]);
      expect(problems).to.deep.equal([
        "the components belong to 2 different subjects (did:example:learner-grace-19b2, did:example:learner-ada-7f3c); a stack is for one learner",
      ]);
    });

    it("a requirement not met", async function () {
      expect(await problemsOf(world.certificatePathway, [world.badges.foundations, world.badges.sql])).to.deep.equal([
        'requirement "Applied elective" is not met: needs 1 of https://uni.example/data-academy/achievements/statistical-modelling-python, https://security.employer.example/achievements/secure-coding-practitioner',
      ]);
    });

    it("a component too old for the pathway", async function () {
      const problems = await problemsOf(world.certificatePathway, [world.badges.foundations, world.badges.sql, world.badges.statistics], { now: () => new Date("2029-02-15T00:00:00Z") });
      expect(problems).to.include("Data Analytics Foundations.json: issued 2026-01-30T14:00:00Z, more than 1095 days ago");
    });

    it("a component from an issuer the pathway does not accept", async function () {
      const pathway = structuredClone(world.certificatePathway);
      pathway.requirements.acceptedIssuers = ["did:web:uni.example"];
      delete pathway.proof;
      const published = publishOn(chain, UNIVERSITY, pathway);
      const problems = await problemsOf(published, [world.badges.foundations, world.badges.sql, world.badges.secureCoding]);
      expect(problems[0]).to.equal("Secure Coding Practitioner.json: issuer https://security.employer.example/issuer is not one the pathway accepts");
    });

    it("a pathway never published, changed since, or awarded by another issuer", async function () {
      const unpublished = structuredClone(world.certificatePathway);
      delete unpublished.proof;
      expect(await problemsOf(unpublished, [world.badges.foundations])).to.deep.equal(["the pathway is not published: it carries no anchor proof (run `pathway publish`)"]);
      const changed = structuredClone(world.certificatePathway);
      changed.requirements.maxAgeDays = 36500;
      expect(await problemsOf(changed, [world.badges.foundations])).to.deep.equal(["the pathway changed after it was published: its hash no longer gives the anchored root"]);
      expect(await problemsOf(world.certificatePathway, [world.badges.foundations], { stackingIssuerProfileId: "https://security.employer.example/issuer" })).to.deep.equal([
        'the pathway is awarded by "did:web:uni.example"; the signing issuer is "https://security.employer.example/issuer"',
      ]);
      // The university's pathway published only by the employer: not among the university's anchors.
      const squatted = structuredClone(world.certificatePathway);
      squatted.name = "Data Analyst Certificate (republished)";
      delete squatted.proof;
      const publishedByAnother = publishOn(chain, EMPLOYER, squatted);
      expect(await problemsOf(publishedByAnother, [world.badges.foundations])).to.deep.equal([
        `the pathway's root ${publishedByAnother.proof[0].root} is not anchored by "did:web:uni.example", the issuer it names`,
      ]);
    });
  });

  /**
   * What a stack's references say of its components — achievement, learner, issuer — is the stacking
   * issuer's claim; the chain checks only that each hash is anchored. The attack of issue 15 (item 6): an
   * accredited issuer stacks another issuer's anchored badge hash (hashes are in every shared portfolio)
   * under a name and a learner of its choosing. Alone, such a component is never reported as confirmed;
   * with the real component at hand, the lie makes the stack not valid.
   */
  describe("a stack's claims, confirmed only by the components themselves", function () {
    /** The employer's "Doctor of Medicine" pathway, published (anchored) by the employer itself. */
    function medicinePathway() {
      const pathway = examplePathway("data-analyst-certificate");
      Object.assign(pathway, {
        id: "https://security.employer.example/pathways/doctor-of-medicine/v1",
        name: "Doctor of Medicine",
        issuer: EMPLOYER.profileId,
        achievement: { ...pathway.achievement, id: MEDICINE, name: "Doctor of Medicine" },
        requirements: { allOf: ["https://security.employer.example/achievements/medical-school"] },
      });
      return publishOn(chain, EMPLOYER, pathway);
    }

    /**
     * The employer, accredited, anchors its own stacked credential whose one component reference points at
     * Ada's university badge (its hash and anchor are genuine) and says what the employer likes.
     */
    function forgedStack(claims: { achievementId?: string; achievementName?: string; subjectId?: string }) {
      const published = medicinePathway();
      const parsed = parsePathway(published);
      if (!parsed.ok) throw new Error("the pathway is invalid");
      const proof = findAnchorProof(published);
      const badge = world.badges.foundations;
      const badgeProof = findAnchorProof(badge);
      if (proof.kind !== "found" || badgeProof.kind !== "found") throw new Error("unanchored");
      const reference = { ...componentReference(badge, referenceFromProof(credentialHash(badge), badgeProof.proof)), ...claims };
      const draft = stackDraft({
        pathway: parsed.credential,
        pathwayReference: referenceFromProof(credentialHash(published), proof.proof),
        components: [reference],
        subjectId: claims.subjectId ?? MALLORY,
        issuedAt: NOW,
      });
      return { stack: issueOn(chain, EMPLOYER, [draft])[0], pathway: published };
    }

    async function together(credentials: readonly OpenBadgeCredential[], pathways: readonly unknown[] = []): Promise<VerificationResult[]> {
      return verifyAtHand(credentials, pathways, (credential, atHand) => verifyCredential(credential, { ...options, atHand }));
    }

    it("never reports as confirmed a component the stack only names: someone else's badge under another name and learner", async function () {
      const { stack } = forgedStack({ achievementId: MEDICINE, achievementName: "Doctor of Medicine", subjectId: MALLORY });
      const result = await verifyCredential(stack, options);
      const [component] = result.stack!.components;
      expect(component).to.deep.include({ achievementName: "Doctor of Medicine", status: "valid", confirmation: "claimed", claimedBy: EMPLOYER.profileId });
      expect(component.confirmationDetail).to.contain(`claims of ${EMPLOYER.profileId}`);
      expect(result.stack!.confirmation).to.deep.equal({ confirmed: 0, claimed: 1, refuted: 0 });
      // Valid as what it is — the employer's own credential — and the stack check says its component is a claim.
      expect(result.status).to.equal("valid");
      expect(result.checks.find((check) => check.name === "stack")!.detail).to.contain(`0 of 1 confirmed; what the other 1 are, and whose, are claims of ${EMPLOYER.profileId}`);
      expect(result.warnings.some((warning) => warning.includes(`1 of 1 stack components are claims of ${EMPLOYER.profileId}`))).to.equal(true);
    });

    it("makes the stack not valid when the real component, at hand, is another learner's or another achievement", async function () {
      const { stack } = forgedStack({ achievementId: MEDICINE, achievementName: "Doctor of Medicine", subjectId: MALLORY });
      const [result, component] = await together([stack, world.badges.foundations]);
      expect(component.status).to.equal("valid");
      expect(result.status).to.equal("stack-incomplete");
      expect(result.verified).to.equal(false);
      const [entry] = result.stack!.components;
      expect(entry.confirmation).to.equal("refuted");
      expect(entry.confirmationDetail).to.contain(`is awarded to "did:example:learner-ada-7f3c", the stack says "${MALLORY}"`);
      expect(entry.confirmationDetail).to.contain(`the stack says "${MEDICINE}"`);
      const check = result.checks.find((entry) => entry.name === "stack")!;
      expect(check.result).to.equal("fail");
      expect(check.detail).to.contain("is not what the stack says");

      // The right learner but a made-up achievement name is refuted just the same.
      const renamed = forgedStack({ achievementName: "Doctor of Medicine", subjectId: "did:example:learner-ada-7f3c" });
      const [renamedResult] = await together([renamed.stack, world.badges.foundations]);
      expect(renamedResult.status).to.equal("stack-incomplete");
      expect(renamedResult.stack!.components[0].confirmationDetail).to.contain('names its achievement "Data Analytics Foundations", the stack says "Doctor of Medicine"');
    });

    it("re-checks the pathway's rule over the confirmed components: true claims that do not meet it make the stack not valid", async function () {
      // Every claim true (Ada's real badge, its real name), but the pathway needs a medical-school achievement.
      const { stack, pathway } = forgedStack({ subjectId: "did:example:learner-ada-7f3c" });
      const [withoutPathway] = await together([stack, world.badges.foundations]);
      expect(withoutPathway.status).to.equal("valid");
      expect(withoutPathway.stack!.components[0].confirmation).to.equal("confirmed");
      expect(withoutPathway.stack!.rule).to.deep.equal({ checked: false, met: null, detail: "not re-checked: the pathway document is not at hand" });
      const [withPathway] = await together([stack, world.badges.foundations], [pathway]);
      expect(withPathway.status).to.equal("stack-incomplete");
      expect(withPathway.stack!.rule).to.deep.include({ checked: true, met: false });
      expect(withPathway.checks.find((check) => check.name === "stack")!.detail).to.contain('its rule is not met by the 1 confirmed component(s): "required" needs 1 of https://security.employer.example/achievements/medical-school');
    });

    it("confirms a genuine stack's components sent with it, and its rule with its pathway; the ones not sent stay claims", async function () {
      const certificate = await stackCertificate();
      const [all] = await together([certificate, world.badges.foundations, world.badges.sql, world.badges.statistics], [world.certificatePathway]);
      expect(all.status).to.equal("valid");
      expect(all.stack!.components.map((component) => component.confirmation)).to.deep.equal(["confirmed", "confirmed", "confirmed"]);
      expect(all.stack!.rule).to.deep.equal({ checked: true, met: true, detail: "its rule is met by the 3 confirmed component(s)" });
      expect(all.checks.find((check) => check.name === "stack")!.detail).to.contain("all 3 are at hand and confirmed");
      expect(all.warnings.some((warning) => warning.includes("claims of"))).to.equal(false);

      const [some] = await together([certificate, world.badges.sql]);
      expect(some.status).to.equal("valid");
      expect(some.stack!.components.map((component) => [component.achievementName, component.confirmation])).to.deep.equal([
        ["Data Analytics Foundations", "claimed"],
        ["SQL for Analysts", "confirmed"],
        ["Statistical Modelling with Python", "claimed"],
      ]);
      expect(some.stack!.confirmation).to.deep.equal({ confirmed: 1, claimed: 2, refuted: 0 });
    });

    it("confirms a stack inside a stack only through its parent: a component whose parent is not at hand stays a claim", async function () {
      const certificate = await stackCertificate();
      const plan = await planStack(world.diplomaPathway, [certificate, world.badges.incidentResponse].map((credential) => ({ label: credential.id, credential })), options);
      if (!plan.ok) throw new Error(plan.problems.join("\n"));
      const [diploma] = issueOn(chain, UNIVERSITY, [plan.draft]);
      const [whole] = await together([diploma, certificate, world.badges.incidentResponse, world.badges.foundations, world.badges.sql, world.badges.statistics]);
      expect(whole.status).to.equal("valid");
      expect(whole.stack!.confirmation).to.deep.equal({ confirmed: 5, claimed: 0, refuted: 0 });
      const [withoutParent] = await together([diploma, world.badges.foundations]);
      const nested = withoutParent.stack!.components[0].stack!.components[0];
      expect(nested).to.deep.include({ achievementName: "Data Analytics Foundations", confirmation: "claimed", claimedBy: UNIVERSITY.profileId });
      expect(nested.confirmationDetail).to.contain("which is not confirmed");
    });
  });
});
