import { expect } from "chai";

import { evaluatePathway, parsePathway, type EarnedAchievement, type Pathway } from "../../../lib/stack/pathway.js";
import { examplePathway } from "../../helpers/badges.js";

const FOUNDATIONS = "https://uni.example/data-academy/achievements/data-analytics-foundations";
const SQL = "https://uni.example/data-academy/achievements/sql-for-analysts";
const STATS = "https://uni.example/data-academy/achievements/statistical-modelling-python";
const SECURE = "https://security.employer.example/achievements/secure-coding-practitioner";
const UNI = "did:web:uni.example";
const NOW = new Date("2026-09-01T00:00:00Z");

function certificate(changes: (pathway: Record<string, any>) => void = () => {}): Pathway {
  const input = examplePathway();
  changes(input);
  const parsed = parsePathway(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.credential;
}

function earned(achievementId: string, options: Partial<EarnedAchievement> = {}): EarnedAchievement {
  return { credentialId: `urn:uuid:${achievementId.split("/").pop()}`, achievementId, achievementName: achievementId.split("/").pop()!, issuerId: UNI, issuedAt: "2026-03-01T00:00:00Z", ...options };
}

describe("lib/stack/pathway: pathway definitions and their rules", function () {
  it("accepts the example pathways", function () {
    for (const name of ["data-analyst-certificate", "analytics-and-security-diploma"]) expect(parsePathway(examplePathway(name)).ok, name).to.equal(true);
  });

  it("refuses a definition with no requirement, an impossible group, or an achievement named twice, saying where", function () {
    const problems = (changes: (pathway: Record<string, any>) => void) => {
      const input = examplePathway();
      changes(input);
      const parsed = parsePathway(input);
      return parsed.ok ? [] : parsed.problems.map((problem) => `${problem.path} ${problem.message}`);
    };
    expect(problems((p) => { p.requirements = {}; })).to.deep.equal(["$.requirements must require at least one achievement (allOf or groups)"]);
    expect(problems((p) => { p.requirements.groups[0].atLeast = 3; })).to.deep.equal(["$.requirements.groups[0].atLeast must not ask for more achievements than it lists"]);
    expect(problems((p) => { p.requirements.groups[0].of.push(SQL); })).to.deep.equal(["$.requirements must name each achievement id once only, in allOf or in one group"]);
    expect(problems((p) => { p.type = "Pathway"; })).to.deep.equal(['$.type must be "CredentialPathway"']);
    expect(problems((p) => { delete p.achievement.criteria; })).to.deep.equal(["$.achievement.criteria is required"]);
  });

  it("is complete with every allOf achievement and enough of each group, saying which badge meets what", function () {
    const progress = evaluatePathway(certificate(), [earned(FOUNDATIONS), earned(SQL), earned(STATS)], NOW);
    expect(progress.complete).to.equal(true);
    expect(progress.requirements.map((requirement) => [requirement.name, requirement.met, requirement.metBy.map((met) => met.credentialId)])).to.deep.equal([
      ["required", true, ["urn:uuid:data-analytics-foundations"]],
      ["required", true, ["urn:uuid:sql-for-analysts"]],
      ["Applied elective", true, ["urn:uuid:statistical-modelling-python"]],
    ]);
    expect(progress.used).to.have.length(3);
    expect(progress.unused).to.deep.equal([]);
  });

  it("lists what is missing: an allOf achievement, and a group short of its count", function () {
    const progress = evaluatePathway(certificate(), [earned(FOUNDATIONS)], NOW);
    expect(progress.complete).to.equal(false);
    expect(progress.requirements.filter((requirement) => !requirement.met).map((requirement) => requirement.missing)).to.deep.equal([[SQL], [STATS, SECURE]]);
    const twoElectives = evaluatePathway(certificate((p) => { p.requirements.groups[0].atLeast = 2; }), [earned(FOUNDATIONS), earned(SQL), earned(SECURE, { issuerId: "https://security.employer.example/issuer" })], NOW);
    expect(twoElectives.complete).to.equal(false);
    expect(twoElectives.requirements[2]).to.deep.include({ needed: 2, met: false, missing: [STATS] });
  });

  it("does not count surplus, duplicate, too old or unaccepted badges, and says why", function () {
    const progress = evaluatePathway(
      certificate(),
      [
        earned(FOUNDATIONS),
        earned(FOUNDATIONS, { credentialId: "urn:uuid:second-foundations" }),
        earned(SQL, { issuedAt: "2022-01-01T00:00:00Z" }),
        earned(STATS, { issuerId: "did:web:diploma-mill.example" }),
        earned("https://other.example/achievements/knitting", { achievementName: "Knitting" }),
      ],
      NOW,
    );
    expect(progress.complete).to.equal(false);
    expect(progress.unused.map((entry) => [entry.credentialId, entry.reason])).to.deep.equal([
      ["urn:uuid:second-foundations", "duplicate"],
      ["urn:uuid:sql-for-analysts", "too-old"],
      ["urn:uuid:statistical-modelling-python", "issuer-not-accepted"],
      ["urn:uuid:knitting", "not-in-pathway"],
    ]);
    expect(progress.unused[1].detail).to.equal("issued 2022-01-01T00:00:00Z, more than 1095 days ago");
  });

  it("accepts any issuer when the pathway names none (the chain then says which are active), and any age without maxAgeDays", function () {
    const open = certificate((p) => {
      delete p.requirements.acceptedIssuers;
      delete p.requirements.maxAgeDays;
    });
    const progress = evaluatePathway(open, [earned(FOUNDATIONS, { issuedAt: "2001-01-01T00:00:00Z" }), earned(SQL, { issuerId: "did:web:anyone.example" }), earned(SECURE)], NOW);
    expect(progress.complete).to.equal(true);
  });
});
