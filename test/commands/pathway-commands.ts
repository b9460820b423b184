/**
 * Pathways and stacks through the commands, on the in-process network: `pathway publish`, `pathway check`,
 * `credentials stack` (and verify of the result), with the sample badges anchored by their two issuers.
 */
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import hre from "hardhat";

import { openRegistry } from "../../scripts/cli/registry-context.js";
import { changeOperator, registerIssuer } from "../../scripts/commands/issuer.js";
import { issuerIdOfProfile } from "../../lib/credential/profile-id.js";
import { encodeSecretKeyMultibase } from "../../lib/signature/ed25519-keys.js";
import { anchorBadges } from "../../scripts/credentials/anchor-badges.js";
import { changeCredentialStatus, credentialRefsFromFiles } from "../../scripts/credentials/status-change.js";
import { deployRegistry } from "../../scripts/deploy-registry.js";
import { findPortfolioCredentials } from "../../lib/portfolio/portfolio.js";
import { EXAMPLES_DIR, PATHWAYS_DIR, testSigningKey } from "../helpers/badges.js";
import { captureOutput } from "../helpers/output.js";

const connection = await hre.network.getOrCreate();
const { ethers } = connection;
const [deployer, university, employer, universityOperator] = await ethers.getSigners();
const { address: registry } = await deployRegistry(connection);
const as = (from: string) => openRegistry(hre, { registry, from });
await registerIssuer(await as(deployer.address), "did:web:uni.example", university.address);
await registerIssuer(await as(deployer.address), "https://security.employer.example/issuer", employer.address);
await changeOperator(await as(university.address), "add", universityOperator.address);
const universityId = issuerIdOfProfile("did:web:uni.example");
// One key signs for every did:web and https issuer here, as <profile id>#key-1.
const signing = testSigningKey();

async function runTask(id: string[], args: Record<string, unknown>, registryOptions = true) {
  const common = registryOptions ? { registry, from: "", json: true } : { json: true };
  const output = await captureOutput(() => hre.tasks.getTask(id).run({ ...common, ...args }));
  return { result: output.stdout ? JSON.parse(output.stdout) : null, exitCode: output.exitCode, stderr: output.stderr };
}

describe("pathway and stack commands", function () {
  this.timeout(120_000);
  let workDir: string;
  let badges: Record<string, string>;
  let certificatePathway: string;

  before(async function () {
    // `credentials stack` signs the stacked credential: the task reads its key from this configuration variable.
    process.env.CREDENTIAL_SIGNING_KEY = encodeSecretKeyMultibase(signing.keyPair.secretKey);
    workDir = await mkdtemp(path.join(tmpdir(), "pathway-commands-"));
    const anchor = async (from: string, prefix: string) => {
      const files = [
        "uni-data-analytics-foundations",
        "uni-sql-for-analysts",
        "uni-statistical-modelling-python",
        "uni-data-analytics-foundations-grace",
        "meridian-secure-coding-practitioner",
        "meridian-incident-response-fundamentals",
      ]
        .filter((name) => name.startsWith(prefix))
        .map((name) => path.join(EXAMPLES_DIR, `${name}.json`));
      await anchorBadges(await as(from), { files, outDir: path.join(workDir, "badges"), skipInvalid: false, dryRun: false, progress: false, signing });
    };
    await anchor(university.address, "uni-");
    await rm(path.join(workDir, "badges", ".anchor-journal.json"));
    await anchor(employer.address, "meridian-");
    badges = Object.fromEntries(
      ["uni-data-analytics-foundations", "uni-sql-for-analysts", "uni-statistical-modelling-python", "uni-data-analytics-foundations-grace", "meridian-secure-coding-practitioner", "meridian-incident-response-fundamentals"].map(
        (name) => [name, path.join(workDir, "badges", `${name}.json`)],
      ),
    );
    await cp(PATHWAYS_DIR, path.join(workDir, "pathways"), { recursive: true });
    certificatePathway = path.join(workDir, "pathways", "data-analyst-certificate.json");
  });

  after(async function () {
    delete process.env.CREDENTIAL_SIGNING_KEY;
    await rm(workDir, { recursive: true, force: true });
  });

  it("publishes a pathway once: anchored as a batch of one, written back with its proof; again, nothing is sent", async function () {
    const published = await runTask(["pathway", "publish"], { file: certificatePathway, out: "", from: universityOperator.address });
    expect(published.exitCode).to.equal(0);
    expect(published.result).to.include({
      outcome: "published",
      pathwayId: "https://uni.example/data-academy/pathways/data-analyst-certificate/v1",
      issuerId: universityId,
      profileId: "did:web:uni.example",
    });
    const written = JSON.parse(await readFile(certificatePathway, "utf8"));
    expect(written.proof.at(-1)).to.include({ type: "CredentialRegistryAnchor2026", root: published.result.root, leafIndex: 0 });
    expect(written.proof.at(-1)).to.not.have.property("issuer");
    const anchor = await (await as(deployer.address)).registry.getAnchor(universityId, published.result.root);
    expect([anchor.count, anchor.actingKey]).to.deep.equal([1n, universityOperator.address]);

    const blockBefore = await ethers.provider.getBlockNumber();
    const again = await runTask(["pathway", "publish"], { file: certificatePathway, out: "", from: university.address });
    expect(again.result.outcome).to.equal("already-published");
    expect(await ethers.provider.getBlockNumber()).to.equal(blockBefore);
  });

  it("refuses to publish another issuer's pathway, or an invalid one, with a clear sentence", async function () {
    const diploma = path.join(workDir, "pathways", "analytics-and-security-diploma.json");
    const wrong = await runTask(["pathway", "publish"], { file: diploma, out: path.join(workDir, "wrong.json"), from: employer.address });
    expect(wrong.exitCode).to.equal(1);
    expect(wrong.result.error.code).to.equal("wrong-issuer");
    const invalid = await runTask(["pathway", "publish"], { file: badges["uni-sql-for-analysts"], out: path.join(workDir, "invalid.json"), from: university.address });
    expect(invalid.result.error.code).to.equal("invalid-pathway");
    expect(invalid.result.error.message).to.contain('$.type must be "CredentialPathway"');
  });

  it("shows a learner's progress: what is met by which badge and what is missing", async function () {
    const partial = await runTask(["pathway", "check"], { pathway: certificatePathway, badges: [badges["uni-data-analytics-foundations"], badges["meridian-incident-response-fundamentals"]] });
    expect(partial.exitCode).to.equal(1);
    expect(partial.result.pathway).to.include({ published: true, publishedBy: universityOperator.address });
    expect(partial.result.pathway.issuer).to.deep.equal({ profileId: "did:web:uni.example", issuerId: universityId });
    expect(partial.result.progress.complete).to.equal(false);
    expect(partial.result.progress.requirements.map((requirement: any) => requirement.met)).to.deep.equal([true, false, false]);
    const incident = partial.result.badges.find((badge: any) => badge.achievementName === "Incident Response Fundamentals");
    expect(partial.result.progress.unused).to.deep.equal([
      { credentialId: incident.credentialId, reason: "not-in-pathway", detail: '"Incident Response Fundamentals" is not part of this pathway' },
    ]);
    const complete = await runTask(["pathway", "check"], { pathway: certificatePathway, badges: [badges["uni-data-analytics-foundations"], badges["uni-sql-for-analysts"], badges["meridian-secure-coding-practitioner"]] });
    expect(complete.exitCode).to.equal(0);
    expect(complete.result.readyToStack).to.equal(true);
  });

  it("stacks the badges into the certificate, which verifies with its components; a component revoked later makes it stack-incomplete", async function () {
    const out = path.join(workDir, "certificate");
    const components = [badges["uni-data-analytics-foundations"], badges["uni-sql-for-analysts"], badges["uni-statistical-modelling-python"]];
    const stacked = await runTask(["credentials", "stack"], { pathway: certificatePathway, badges: components, out, from: university.address });
    expect(stacked.exitCode, stacked.stderr).to.equal(0);
    expect(stacked.result).to.include({ outcome: "anchored", subjectId: "did:example:learner-ada-7f3c", count: 1 });
    expect(stacked.result.components).to.have.members(components);

    const verified = await runTask(["credentials", "verify"], { badge: stacked.result.file });
    expect(verified.result.status).to.equal("valid");
    expect(verified.result.stack.components.map((component: any) => component.status)).to.deep.equal(["valid", "valid", "valid"]);

    const again = await runTask(["credentials", "stack"], { pathway: certificatePathway, badges: components, out, from: university.address });
    expect(again.result.outcome).to.equal("already-done");

    const universityContext = await as(university.address);
    await changeCredentialStatus(universityContext, "revoke", await credentialRefsFromFiles(universityContext, [badges["uni-statistical-modelling-python"]]), "issued-in-error");
    const incomplete = await runTask(["credentials", "verify"], { badge: stacked.result.file });
    expect(incomplete.exitCode).to.equal(1);
    expect(incomplete.result.status).to.equal("stack-incomplete");
    expect(incomplete.result.errors[0]).to.contain('component "Statistical Modelling with Python"').and.to.contain("is revoked");
  });

  it("refuses to stack badges of two learners, anchoring nothing, and names the cause", async function () {
    const blockBefore = await ethers.provider.getBlockNumber();
    const refused = await runTask(["credentials", "stack"], {
      pathway: certificatePathway,
      badges: [badges["uni-data-analytics-foundations-grace"], badges["uni-sql-for-analysts"], badges["meridian-secure-coding-practitioner"]],
      out: path.join(workDir, "refused"),
      from: university.address,
    });
    expect(refused.exitCode).to.equal(1);
    expect(refused.result.error.code).to.equal("stack-refused");
    expect(refused.result.error.message).to.contain("belong to 2 different subjects");
    expect(await ethers.provider.getBlockNumber()).to.equal(blockBefore);
  });

  it("stacks a stack: the diploma from the certificate and another badge, verified down to the badges", async function () {
    const diplomaPathway = path.join(workDir, "pathways", "analytics-and-security-diploma.json");
    await runTask(["pathway", "publish"], { file: diplomaPathway, out: "", from: university.address });
    const certificate = await runTask(["credentials", "stack"], {
      pathway: certificatePathway,
      badges: [badges["uni-data-analytics-foundations"], badges["uni-sql-for-analysts"], badges["meridian-secure-coding-practitioner"]],
      out: path.join(workDir, "certificate-2"),
      from: university.address,
    });
    expect(certificate.exitCode, certificate.result?.message).to.equal(0);
    const diploma = await runTask(["credentials", "stack"], {
      pathway: diplomaPathway,
      badges: [certificate.result.file, badges["meridian-incident-response-fundamentals"]],
      out: path.join(workDir, "diploma"),
      from: university.address,
    });
    expect(diploma.exitCode, diploma.result?.message).to.equal(0);
    const verified = await runTask(["credentials", "verify"], { badge: diploma.result.file });
    expect(verified.result.status).to.equal("valid");
    const nested = verified.result.stack.components.find((component: any) => component.achievementName === "Data Analyst Certificate");
    expect(nested.stack.components.map((component: any) => component.achievementName)).to.have.members([
      "Data Analytics Foundations",
      "SQL for Analysts",
      "Secure Coding Practitioner",
    ]);
  });

  it("bundles a certificate and its components for an employer, with an association to each component", async function () {
    const certificate = path.join(workDir, "certificate", "data-analyst-certificate.json");
    const out = path.join(workDir, "bundle.json");
    const bundled = await runTask(["credentials", "bundle"], { badges: [certificate, badges["uni-data-analytics-foundations"], badges["uni-sql-for-analysts"]], out }, false);
    expect(bundled.exitCode).to.equal(0);
    expect(bundled.result).to.include({ count: 3, holder: "did:example:learner-ada-7f3c", associations: 2 });
    const bundle = JSON.parse(await readFile(out, "utf8"));
    expect(bundle.type).to.deep.equal(["VerifiableCredential", "ClrCredential"]);
    expect(bundle.credentialSubject.association.map((association: any) => association.targetId)).to.have.members([
      "https://uni.example/data-academy/achievements/data-analytics-foundations",
      "https://uni.example/data-academy/achievements/sql-for-analysts",
    ]);
    const found = findPortfolioCredentials(bundle);
    expect(found.ok && found.credentials.length).to.equal(3);

    const refused = await runTask(["credentials", "bundle"], { badges: [certificatePathway], out: path.join(workDir, "refused.json") }, false);
    expect(refused.result.error.code).to.equal("invalid-badges");
  });
});
