/**
 * What a stack's references say of its components — achievement, learner, issuer — is the stacking
 * issuer's claim; the chain checks only that each hash is anchored. These tests are the attack of issue 15
 * (item 6): an accredited issuer stacks another issuer's anchored badge hash (hashes are in every shared
 * portfolio) under a name and a learner of its choosing. Alone, such a component is never reported as
 * confirmed; with the real component at hand, the lie makes the stack not valid.
 */
import { expect } from "chai";

import { credentialHash } from "../../../lib/credential/canonical.js";
import type { OpenBadgeCredential } from "../../../lib/credential/credential.js";
import { findAnchorProof } from "../../../lib/anchor/proof.js";
import { verifyAtHand } from "../../../lib/portfolio/at-hand.js";
import { componentReference, referenceFromProof, stackDraft } from "../../../lib/stack/stack.js";
import { parsePathway } from "../../../lib/stack/pathway.js";
import { planStack } from "../../../lib/stacking/stacking.js";
import { verifyCredential, type VerificationResult, type VerifyOptions } from "../../../lib/verify/verify.js";
import { examplePathway } from "../../helpers/badges.js";
import { FakeChain } from "../../helpers/fake-chain.js";
import { EMPLOYER, UNIVERSITY, issueOn, publishOn, sampleStackWorld } from "../../helpers/stacks.js";

const NOW = new Date("2026-09-01T00:00:00Z");
const MALLORY = "did:example:mallory-0bad";
const MEDICINE = "https://security.employer.example/achievements/doctor-of-medicine";

describe("lib/verify/stack-check: a stack's claims, confirmed only by the components themselves", function () {
  let chain: FakeChain;
  let world: ReturnType<typeof sampleStackWorld>;
  let options: VerifyOptions & { stackingIssuerProfileId: string };

  beforeEach(function () {
    chain = new FakeChain();
    world = sampleStackWorld(chain);
    options = { readerFor: chain.readerFor, now: () => NOW, stackingIssuerProfileId: UNIVERSITY.profileId };
  });

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

  async function certificateFor(components = [world.badges.foundations, world.badges.sql, world.badges.statistics]) {
    const plan = await planStack(world.certificatePathway, components.map((credential) => ({ label: credential.id, credential })), options);
    if (!plan.ok) throw new Error(plan.problems.join("\n"));
    return issueOn(chain, UNIVERSITY, [plan.draft])[0];
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
    const certificate = await certificateFor();
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
    const certificate = await certificateFor();
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
