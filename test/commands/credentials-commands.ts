/**
 * The credentials commands on the in-process network: anchor (validation first, dry run, skip-invalid,
 * outputs, manifest, idempotent re-run), revoke / suspend / unsuspend by file and by root and index, verify
 * and hash as tasks.
 */
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import hre from "hardhat";

import { leafHash, rootFromProof } from "../../lib/anchor/batch.js";
import { findAnchorProof } from "../../lib/anchor/proof.js";
import { credentialHash } from "../../lib/credential/canonical.js";
import { issuerIdOfProfile } from "../../lib/credential/profile-id.js";
import { openRegistry } from "../../scripts/cli/registry-context.js";
import type { CommandError } from "../../scripts/command-errors.js";
import { changeOperator, registerIssuer } from "../../scripts/commands/issuer.js";
import { anchorBadges, InvalidBadgesError } from "../../scripts/credentials/anchor-badges.js";
import { listBadgeFiles } from "../../scripts/credentials/badge-files.js";
import { bundleBadges } from "../../scripts/credentials/bundle-badges.js";
import { changeCredentialStatus, credentialRefFromOptions, credentialRefsFromFiles } from "../../scripts/credentials/status-change.js";
import { deployRegistry } from "../../scripts/deploy-registry.js";
import { EXAMPLES_DIR, testSigningKey } from "../helpers/badges.js";
import { captureOutput, rejectionOf } from "../helpers/output.js";

const connection = await hre.network.getOrCreate();
const { ethers } = connection;
const [deployer, university, operator, employer] = await ethers.getSigners();
const { address: registry } = await deployRegistry(connection);
const as = (from: string) => openRegistry(hre, { registry, from });
await registerIssuer(await as(deployer.address), "did:web:uni.example", university.address);
await registerIssuer(await as(deployer.address), "https://security.employer.example/issuer", employer.address);
await changeOperator(await as(university.address), "add", operator.address);
const universityId = issuerIdOfProfile("did:web:uni.example");
// One key signs for every did:web and https issuer here, as <profile id>#key-1.
const signing = testSigningKey();

let workDir: string;
const universityBadges = async () => (await listBadgeFiles([EXAMPLES_DIR])).filter((file) => path.basename(file).startsWith("uni-"));

/**
 * What the chain says of an anchored badge file, read as a verifier would: the anchor of (keccak256 of its
 * issuer.id, its proof's root), which its content and Merkle path must lead to.
 */
async function chainStatus(file: string): Promise<string> {
  const badge = JSON.parse(await readFile(file, "utf8"));
  const found = findAnchorProof(badge);
  if (found.kind !== "found") return "no-proof";
  const { proof } = found;
  if (rootFromProof(proof.leafIndex, credentialHash(badge), proof.merklePath) !== proof.root.toLowerCase()) return "tampered";
  const status = await (await as(deployer.address)).registry.credentialStatus(issuerIdOfProfile(badge.issuer.id), proof.root, proof.leafIndex);
  if (!status.anchored || !status.inRange) return "unknown-anchor";
  if (status.revoked || status.batchRevoked || status.keyCompromised) return "revoked";
  return status.suspended ? "suspended" : "valid";
}

async function verifyTask(file: string) {
  const output = await captureOutput(() => hre.tasks.getTask(["credentials", "verify"]).run({ badge: file, registry, from: "", json: true }));
  return { ...JSON.parse(output.stdout), exitCode: output.exitCode };
}

describe("credentials commands", function () {
  this.timeout(60_000);

  beforeEach(async function () {
    workDir = await mkdtemp(path.join(tmpdir(), "credentials-commands-"));
  });

  afterEach(async function () {
    await rm(workDir, { recursive: true, force: true });
  });

  describe("anchor", function () {
    it("anchors badges as one batch by an operator and writes each with a proof that verifies, plus a manifest", async function () {
      const files = await universityBadges();
      const outDir = path.join(workDir, "out");
      const result = await anchorBadges(await as(operator.address), { files, outDir, skipInvalid: false, dryRun: false, progress: false, signing });
      expect(result).to.include({ outcome: "anchored", count: files.length, issuerId: universityId, actingKey: operator.address, profileId: "did:web:uni.example" });
      const anchor = await (await as(deployer.address)).registry.getAnchor(universityId, result.root);
      expect(anchor.count).to.equal(BigInt(files.length));
      expect(anchor.actingKey).to.equal(operator.address);

      const written = (await readdir(outDir)).filter((name) => !name.startsWith(".") && name !== "batch-manifest.json");
      expect(written.sort()).to.deep.equal(files.map((file) => path.basename(file)).sort());
      const sql = JSON.parse(await readFile(path.join(outDir, "uni-sql-for-analysts.json"), "utf8"));
      expect(sql.id).to.match(/^urn:uuid:[0-9a-f-]{36}$/);
      expect(sql.issuer.id).to.equal("did:web:uni.example");
      expect(sql.proof.at(-1)).to.include({ type: "CredentialRegistryAnchor2026", root: result.root, chainId: 31337 });
      // The proof names no issuer address: the registry finds the anchor by the badge's own issuer.id.
      expect(sql.proof.at(-1)).to.not.have.property("issuer");
      for (const name of written) {
        expect(await chainStatus(path.join(outDir, name)), name).to.equal("valid");
        expect((await verifyTask(path.join(outDir, name))).status, name).to.equal("valid");
      }

      const manifest = JSON.parse(await readFile(path.join(outDir, "batch-manifest.json"), "utf8"));
      expect(manifest).to.include({ root: result.root, count: files.length, transactionHash: result.transactionHash });
      expect(manifest.credentials).to.have.length(files.length);

      // The folder it wrote can be named as the input of the next command: its manifest is no badge.
      expect((await listBadgeFiles([outDir])).map((file) => path.basename(file)).sort()).to.deep.equal(written.sort());
      const bundle = await bundleBadges(await listBadgeFiles([outDir]), path.join(workDir, "bundle.json"), { allowSeveralHolders: true });
      expect(bundle.count).to.equal(files.length);
    });

    it("warns when a badge named another issuer id, which the signer's registered profile replaces", async function () {
      const inputDir = path.join(workDir, "in");
      await cp(EXAMPLES_DIR, inputDir, { recursive: true });
      const other = JSON.parse(await readFile(path.join(inputDir, "uni-sql-for-analysts.json"), "utf8"));
      other.issuer.id = "did:web:someone-else.example";
      await writeFile(path.join(inputDir, "uni-sql-for-analysts.json"), JSON.stringify(other));
      const files = [path.join(inputDir, "uni-sql-for-analysts.json"), path.join(inputDir, "uni-data-analytics-foundations.json")];
      const result = await anchorBadges(await as(university.address), { files, outDir: path.join(workDir, "out"), skipInvalid: false, dryRun: false, progress: false, signing });
      expect(result.warnings).to.deep.equal([
        '1 badge(s) named another issuer id and were issued as "did:web:uni.example", the signer\'s registered profile: uni-sql-for-analysts.json ("did:web:someone-else.example")',
      ]);
      expect(JSON.parse(await readFile(path.join(workDir, "out", "uni-sql-for-analysts.json"), "utf8")).issuer.id).to.equal("did:web:uni.example");
    });

    it("does nothing, and says so, when the finished batch is anchored again", async function () {
      const files = await universityBadges();
      const outDir = path.join(workDir, "out");
      const options = { files, outDir, skipInvalid: false, dryRun: false, progress: false, signing };
      const first = await anchorBadges(await as(university.address), options);
      const blockBefore = await ethers.provider.getBlockNumber();
      const again = await anchorBadges(await as(university.address), options);
      expect(again).to.include({ outcome: "already-done", root: first.root, transactionHash: first.transactionHash });
      expect(await ethers.provider.getBlockNumber()).to.equal(blockBefore);
    });

    it("takes the chain's record over the journal's when they name different transactions, and writes the files again with it", async function () {
      const files = await universityBadges();
      const outDir = path.join(workDir, "out");
      const options = { files, outDir, skipInvalid: false, dryRun: false, progress: false, signing };
      const first = await anchorBadges(await as(university.address), options);
      // A journal that names another transaction (as after a reorg re-mined the anchor elsewhere).
      const journalFile = path.join(outDir, ".anchor-journal.json");
      const journal = JSON.parse(await readFile(journalFile, "utf8"));
      const wrongHash = `0x${"ab".repeat(32)}`;
      await writeFile(journalFile, JSON.stringify({ ...journal, transactionHash: wrongHash, blockNumber: 1 }));
      const badgeFile = path.join(outDir, path.basename(files[0]));
      const stale = JSON.parse(await readFile(badgeFile, "utf8"));
      stale.proof.at(-1).transactionHash = wrongHash;
      await writeFile(badgeFile, JSON.stringify(stale));

      const blockBefore = await ethers.provider.getBlockNumber();
      const again = await anchorBadges(await as(university.address), options);
      expect(again).to.include({ outcome: "resumed", transactionHash: first.transactionHash, blockNumber: first.blockNumber });
      expect(again.journalCheck).to.include({ finding: "other-record", journalTransactionHash: wrongHash });
      expect(again.warnings[0]).to.contain(`records it as anchored in tx ${first.transactionHash}`);
      expect(await ethers.provider.getBlockNumber(), "nothing sent").to.equal(blockBefore);
      const manifest = JSON.parse(await readFile(path.join(outDir, "batch-manifest.json"), "utf8"));
      expect(manifest.transactionHash).to.equal(first.transactionHash);
      expect(JSON.parse(await readFile(badgeFile, "utf8")).proof.at(-1).transactionHash).to.equal(first.transactionHash);
      expect(await chainStatus(badgeFile)).to.equal("valid");
    });

    it("refuses, rather than leaves out without a word, a badge added since the batch in --out was made", async function () {
      const files = await universityBadges();
      const outDir = path.join(workDir, "out");
      await anchorBadges(await as(university.address), { files: files.slice(0, 2), outDir, skipInvalid: false, dryRun: false, progress: false, signing });
      const blockBefore = await ethers.provider.getBlockNumber();
      const refusal = await rejectionOf(anchorBadges(await as(university.address), { files, outDir, skipInvalid: false, dryRun: false, progress: false, signing }));
      expect((refusal as CommandError).code).to.equal("journal-other-batch");
      expect(refusal.message).to.match(new RegExp(`does not include ${files.length - 2} of the badges named \\(${path.basename(files[2]).replace(".", "\\.")}`));
      expect(await ethers.provider.getBlockNumber()).to.equal(blockBefore);
    });

    it("computes the root without a transaction or a file on --dry-run", async function () {
      const blockBefore = await ethers.provider.getBlockNumber();
      const outDir = path.join(workDir, "dry");
      const result = await anchorBadges(await as(university.address), { files: await universityBadges(), outDir, skipInvalid: false, dryRun: true, progress: false, signing });
      expect(result.outcome).to.equal("dry-run");
      expect(result.root).to.match(/^0x[0-9a-f]{64}$/);
      expect(await ethers.provider.getBlockNumber()).to.equal(blockBefore);
      expect(await readdir(workDir)).to.deep.equal([]);
    });

    it("reports every invalid badge with paths and anchors none, unless told to skip them", async function () {
      const inputDir = path.join(workDir, "in");
      await cp(EXAMPLES_DIR, inputDir, { recursive: true });
      const broken = JSON.parse(await readFile(path.join(inputDir, "uni-sql-for-analysts.json"), "utf8"));
      delete broken.credentialSubject.achievement.criteria;
      await writeFile(path.join(inputDir, "uni-sql-for-analysts.json"), JSON.stringify(broken));
      await writeFile(path.join(inputDir, "not-json.json"), "{ oops");
      // Strict I-JSON: a duplicate name would show one value and hash another.
      const sql = await readFile(path.join(inputDir, "uni-statistical-modelling-python.json"), "utf8");
      await writeFile(path.join(inputDir, "uni-duplicate-name.json"), sql.replace('"name":', '"name": "Doctor of Medicine", "name":'));
      const files = (await listBadgeFiles([inputDir])).filter((file) => !path.basename(file).startsWith("meridian-"));
      const blockBefore = await ethers.provider.getBlockNumber();

      const refusal = await rejectionOf(
        anchorBadges(await as(university.address), { files, outDir: path.join(workDir, "out"), skipInvalid: false, dryRun: false, progress: false, signing }),
      );
      expect(refusal).to.be.instanceOf(InvalidBadgesError);
      expect((refusal as InvalidBadgesError).invalid.map((badge) => path.basename(badge.file)).sort()).to.deep.equal(["not-json.json", "uni-duplicate-name.json", "uni-sql-for-analysts.json"]);
      expect(refusal.message).to.contain("$.credentialSubject.achievement.criteria is required");
      expect(refusal.message).to.contain("is not strict I-JSON (line 1, column 3)");
      expect(refusal.message).to.match(/\$\.name is not strict I-JSON .*the member name "name" appears twice/);
      expect(await ethers.provider.getBlockNumber()).to.equal(blockBefore);

      const skipping = await anchorBadges(await as(university.address), { files, outDir: path.join(workDir, "out"), skipInvalid: true, dryRun: false, progress: false, signing });
      expect(skipping.count).to.equal(files.length - 3);
      expect(skipping.skipped).to.have.length(3);
      // Named again, as a re-run after a crash would, the skipped badges are not new ones.
      const again = await anchorBadges(await as(university.address), { files, outDir: path.join(workDir, "out"), skipInvalid: true, dryRun: false, progress: false, signing });
      expect(again).to.include({ outcome: "already-done", root: skipping.root });
    });

    it("refuses to anchor under a registered profile id that is not a URI (registered without the command)", async function () {
      const [, , , , odd] = await ethers.getSigners();
      await (await (await as(deployer.address)).registry.registerIssuer("uni.example", odd.address)).wait();
      const refusal = await rejectionOf(anchorBadges(await as(odd.address), { files: await universityBadges(), outDir: path.join(workDir, "odd"), skipInvalid: false, dryRun: false, progress: false, signing }));
      expect(refusal.message).to.match(/registered with the profile id "uni\.example", which is not an absolute URI/);
      expect(await readdir(workDir)).to.deep.equal([]);
    });

    it("finishes an anchored batch's files even after the issuer was suspended", async function () {
      const [, , , , , late] = await ethers.getSigners();
      const { issuerId: lateId } = await registerIssuer(await as(deployer.address), "did:web:late.example", late.address);
      const outDir = path.join(workDir, "out");
      const options = { files: await universityBadges(), outDir, skipInvalid: false, dryRun: false, progress: false, signing };
      const first = await anchorBadges(await as(late.address), options);
      // The files are lost (a crash before they were written, say); then the issuer is suspended.
      for (const file of await readdir(outDir)) if (file.startsWith("uni-")) await rm(path.join(outDir, file));
      await (await (await as(deployer.address)).registry.suspendIssuer(lateId, 0)).wait();
      const again = await anchorBadges(await as(late.address), options);
      expect(again.root).to.equal(first.root);
      expect((await readdir(outDir)).filter((file) => file.startsWith("uni-"))).to.have.length(first.count);
      // A new batch still needs an active issuer.
      const refusal = await rejectionOf(anchorBadges(await as(late.address), { ...options, outDir: path.join(workDir, "new") }));
      expect(refusal.message).to.match(/is suspended, so it cannot anchor/);
    });

    it("says a mined but reverted anchoring transaction anchored nothing, and sends it again on the next run", async function () {
      const [, , , , , , unlucky] = await ethers.getSigners();
      const { issuerId: unluckyId } = await registerIssuer(await as(deployer.address), "did:web:unlucky.example", unlucky.address);
      const outDir = path.join(workDir, "out");
      const options = { files: await universityBadges(), outDir, skipInvalid: false, dryRun: false, progress: false, signing };
      await connection.provider.request({ method: "evm_setAutomine", params: [false] });
      let running: Promise<unknown> | undefined;
      try {
        running = anchorBadges(await as(unlucky.address), options).catch((error: unknown) => error);
        while (((await connection.provider.request({ method: "eth_getBlockByNumber", params: ["pending", false] })) as { transactions: unknown[] }).transactions.length === 0) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        // The accreditor's suspension, at a higher tip, is mined ahead of the anchoring in the same block.
        const accreditor = await as(deployer.address);
        await accreditor.registry.suspendIssuer(unluckyId, 0, { maxPriorityFeePerGas: 10n ** 11n, maxFeePerGas: 10n ** 12n });
        await connection.provider.request({ method: "evm_mine", params: [] });
        const failure = (await running) as CommandError;
        expect(failure.code).to.equal("anchor-reverted");
        expect(failure.message).to.match(/was mined but reverted, so nothing was anchored/);
      } finally {
        await connection.provider.request({ method: "evm_setAutomine", params: [true] });
      }
      await (await (await as(deployer.address)).registry.reinstateIssuer(unluckyId, 0)).wait();
      const resumed = await anchorBadges(await as(unlucky.address), options);
      expect(resumed.outcome).to.equal("resumed");
      expect(await chainStatus(path.join(outDir, "uni-sql-for-analysts.json"))).to.equal("valid");
    });

    it("refuses a signer that is no issuer's key before any work, and names `issuer register`", async function () {
      const blockBefore = await ethers.provider.getBlockNumber();
      const refusal = await rejectionOf(
        anchorBadges(await as(deployer.address), { files: await universityBadges(), outDir: workDir, skipInvalid: false, dryRun: false, progress: false, signing }),
      );
      expect((refusal as CommandError).code).to.equal("not-issuer");
      expect(refusal.message).to.contain(`${deployer.address} is not a key of any registered issuer`);
      expect(refusal.message).to.contain("npx hardhat issuer register <profile id> --controller <address>");
      expect(await ethers.provider.getBlockNumber()).to.equal(blockBefore);
      expect(await readdir(workDir)).to.deep.equal([]);
    });

    it("keeps a batch of the university valid when another issuer anchors the same root: anchors are per issuer", async function () {
      const files = await universityBadges();
      const result = await anchorBadges(await as(operator.address), { files, outDir: path.join(workDir, "out"), skipInvalid: false, dryRun: false, progress: false, signing });
      const employerId = issuerIdOfProfile("https://security.employer.example/issuer");
      await (await (await as(employer.address)).registry.anchor(employerId, result.root, result.count)).wait();
      expect((await (await as(deployer.address)).registry.getAnchor(universityId, result.root)).actingKey).to.equal(operator.address);
      expect(await chainStatus(path.join(workDir, "out", "uni-sql-for-analysts.json"))).to.equal("valid");
    });
  });

  describe("revoke, suspend, unsuspend", function () {
    async function anchoredExamples(by: string = university.address) {
      const outDir = path.join(workDir, "out");
      const result = await anchorBadges(await as(by), { files: await universityBadges(), outDir, skipInvalid: false, dryRun: false, progress: false, signing });
      return { outDir, result, file: (name: string) => path.join(outDir, `${name}.json`) };
    }

    it("revokes several badges of one batch in one transaction and skips those already revoked", async function () {
      const { file, result } = await anchoredExamples(operator.address);
      const context = await as(university.address);
      const refs = await credentialRefsFromFiles(context, [file("uni-sql-for-analysts"), file("uni-statistical-modelling-python")]);
      expect(refs[0]).to.include({ issuerId: universityId, root: result.root });
      const revoked = await changeCredentialStatus(context, "revoke", refs, "issued-in-error");
      expect(revoked.changed).to.have.length(2);
      expect(revoked.transactions).to.have.length(1);
      expect(revoked.transactions[0]).to.include({ issuerId: universityId, root: result.root });
      expect((await verifyTask(file("uni-sql-for-analysts"))).status).to.equal("revoked");
      expect((await verifyTask(file("uni-data-analytics-foundations"))).status).to.equal("valid");

      const again = await changeCredentialStatus(context, "revoke", refs.slice(0, 1), "0");
      expect(again.changed).to.deep.equal([]);
      expect(again.unchanged).to.have.length(1);
      expect(again.transactions).to.deep.equal([]);
    });

    it("lets an operator suspend and lift a suspension, by root and index, of a batch it anchored", async function () {
      const { file, result } = await anchoredExamples(operator.address);
      const context = await as(operator.address);
      const [ref] = await credentialRefsFromFiles(context, [file("uni-data-analytics-foundations")]);
      const byIndex = credentialRefFromOptions(result.root, String(ref.index), universityId);
      await changeCredentialStatus(context, "suspend", [byIndex], "under-investigation");
      const suspended = await verifyTask(file("uni-data-analytics-foundations"));
      expect(suspended.status).to.equal("suspended");
      expect(suspended.exitCode).to.equal(1);
      await changeCredentialStatus(context, "unsuspend", [byIndex], "0");
      expect((await verifyTask(file("uni-data-analytics-foundations"))).status).to.equal("valid");
    });

    it("refuses an operator's revocation before sending: only the controller revokes, operators may suspend", async function () {
      const { file } = await anchoredExamples(operator.address);
      const context = await as(operator.address);
      const refs = await credentialRefsFromFiles(context, [file("uni-sql-for-analysts")]);
      const before = await ethers.provider.getBlockNumber();
      const refused = await rejectionOf(changeCredentialStatus(context, "revoke", refs, "0"));
      expect((refused as CommandError).code).to.equal("not-controller");
      expect(refused.message).to.equal(`only the controller ${university.address} can revoke; operators may suspend (credentials suspend), and the controller makes it permanent`);
      expect(await ethers.provider.getBlockNumber()).to.equal(before);
      expect((await verifyTask(file("uni-sql-for-analysts"))).status).to.equal("valid");
    });

    it("refuses an operator's suspension of a batch the controller anchored, naming who anchored it", async function () {
      const { file, result } = await anchoredExamples(university.address);
      const context = await as(operator.address);
      const refs = await credentialRefsFromFiles(context, [file("uni-sql-for-analysts")]);
      const refused = await rejectionOf(changeCredentialStatus(context, "suspend", refs, "0"));
      expect((refused as CommandError).code).to.equal("not-anchoring-key");
      expect(refused.message).to.equal(`operator ${operator.address} may suspend only the batches it anchored: batch ${result.root} of did:web:uni.example was anchored by ${university.address}; ask the controller ${university.address}`);
    });

    it("refuses another issuer's key, and badges anchored in another registry", async function () {
      const { file } = await anchoredExamples();
      const employerContext = await as(employer.address);
      const refs = await credentialRefsFromFiles(employerContext, [file("uni-sql-for-analysts")]);
      const refused = await rejectionOf(changeCredentialStatus(employerContext, "revoke", refs, "0"));
      expect(refused.message).to.equal(`${employer.address} is not a key of issuer did:web:uni.example: only its controller ${university.address} can revoke its credentials (choose the signer with --from)`);

      const elsewhere = JSON.parse(await readFile(file("uni-sql-for-analysts"), "utf8"));
      elsewhere.proof.at(-1).chainId = 1;
      await writeFile(file("elsewhere"), JSON.stringify(elsewhere));
      expect((await rejectionOf(credentialRefsFromFiles(employerContext, [file("elsewhere")]))).message).to.match(/not in .* on chain 31337/);
    });

    it("takes --root and --index for the signer's own issuer in the task, and says when nothing changed", async function () {
      const { result, file } = await anchoredExamples(operator.address);
      const [ref] = await credentialRefsFromFiles(await as(operator.address), [file("uni-sql-for-analysts")]);
      const run = () =>
        captureOutput(() =>
          hre.tasks.getTask(["credentials", "suspend"]).run({ badges: [], reason: "under-investigation", root: result.root, index: String(ref.index), issuer: "", registry, from: operator.address, json: false }),
        );
      const first = await run();
      expect(first.exitCode).to.equal(0);
      expect(first.stdout).to.contain("Suspended 1 credential(s) (reason: under-investigation)");
      const second = await run();
      expect(second.stdout).to.contain(`already suspended: ${result.root}#${ref.index}`);
    });
  });

  describe("revoke, suspend, unsuspend: what is checked before anything is sent", function () {
    async function anchored(who: string, prefix: string, outName: string) {
      const outDir = path.join(workDir, outName);
      const files = (await listBadgeFiles([EXAMPLES_DIR])).filter((file) => path.basename(file).startsWith(prefix));
      const result = await anchorBadges(await as(who), { files, outDir, skipInvalid: false, dryRun: false, progress: false, signing });
      return { result, file: (name: string) => path.join(outDir, `${name}.json`) };
    }
    const suspendedIndices = async (root: string) => {
      const word = await (await as(university.address)).registry.suspensionWord(universityId, root, 0);
      return [...Array(8).keys()].filter((index) => (word >> BigInt(index)) & 1n);
    };

    it("refuses a badge file whose leaf index was edited to point at another credential", async function () {
      const { file, result } = await anchored(university.address, "uni-", "out");
      const edited = JSON.parse(await readFile(file("uni-sql-for-analysts"), "utf8"));
      const proof = edited.proof.find((entry: { type: string }) => entry.type === "CredentialRegistryAnchor2026");
      proof.leafIndex = (proof.leafIndex + 1) % result.count;
      await writeFile(file("edited"), JSON.stringify(edited));
      const context = await as(university.address);
      const refused = await rejectionOf(credentialRefsFromFiles(context, [file("edited")]));
      expect(refused.message).to.match(/edited\.json: its content, leaf index and Merkle path do not lead to the root it names/);
      expect(await suspendedIndices(result.root)).to.deep.equal([]);
    });

    it("refuses an index beyond its batch instead of wrapping it onto another credential, and a root the issuer never anchored", async function () {
      const { result } = await anchored(university.address, "uni-", "out");
      const context = await as(university.address);
      // 2^32 + 1 once wrapped to index 1.
      for (const index of [String(2 ** 32 + 1), String(result.count)]) {
        const refused = await rejectionOf(changeCredentialStatus(context, "suspend", [credentialRefFromOptions(result.root, index, universityId)], "under-investigation"));
        expect(refused.message, index).to.equal(`${result.root}#${index}: index ${index} is beyond batch ${result.root}, which holds ${result.count} credential(s)`);
      }
      expect(await suspendedIndices(result.root)).to.deep.equal([]);
      expect(() => credentialRefFromOptions(result.root, "1".repeat(20), universityId)).to.throw(/--index must be a whole number/);
      const unknown = `0x${"ab".repeat(32)}`;
      expect((await rejectionOf(changeCredentialStatus(context, "suspend", [credentialRefFromOptions(unknown, "0", universityId)], "0"))).message).to.match(
        /is not anchored for issuer did:web:uni\.example in registry/,
      );
    });

    it("changes every batch named or none: another issuer's batch stops the command before any transaction", async function () {
      const uni = await anchored(university.address, "uni-", "uni");
      const employerBatch = await anchored(employer.address, "meridian-", "employer");
      const context = await as(university.address);
      const refs = await credentialRefsFromFiles(context, [uni.file("uni-data-analytics-foundations"), employerBatch.file("meridian-secure-coding-practitioner")]);
      const refused = await rejectionOf(changeCredentialStatus(context, "suspend", refs, "under-investigation"));
      expect(refused.message).to.match(/is not a key of issuer https:\/\/security\.employer\.example\/issuer/);
      expect(await suspendedIndices(uni.result.root)).to.deep.equal([]);
    });

    it("counts a credential named twice once", async function () {
      const { file, result } = await anchored(university.address, "uni-", "out");
      const context = await as(university.address);
      const [ref] = await credentialRefsFromFiles(context, [file("uni-data-analytics-foundations")]);
      const twice = await changeCredentialStatus(context, "suspend", [ref, credentialRefFromOptions(result.root, String(ref.index), universityId)], "under-investigation");
      expect(twice.changed).to.have.length(1);
      expect(twice.transactions[0].count).to.equal(1);
      const lifted = await changeCredentialStatus(context, "unsuspend", [ref, ref], "0");
      expect(lifted.changed).to.have.length(1);
      expect(await suspendedIndices(result.root)).to.deep.equal([]);
    });
  });

  describe("verify and hash tasks", function () {
    it("says in one line where a file could not be written, not with a stack trace", async function () {
      const issued = path.join(workDir, "issued");
      await anchorBadges(await as(university.address), { files: await universityBadges(), outDir: issued, skipInvalid: false, dryRun: false, progress: false, signing });
      const out = path.join(workDir, "no-such-folder", "bundle.json");
      const bundled = await captureOutput(() => hre.tasks.getTask(["credentials", "bundle"]).run({ badges: [issued], out, allowSeveralHolders: true, json: false }));
      expect(bundled.exitCode).to.equal(2);
      expect(bundled.stderr.trim()).to.equal(`Error: ${out}: no such file or folder`);
    });

    it("prints every check and the verdict, with exit code 0 only when valid", async function () {
      const outDir = path.join(workDir, "out");
      await anchorBadges(await as(university.address), { files: await universityBadges(), outDir, skipInvalid: false, dryRun: false, progress: false, signing });
      const badge = path.join(outDir, "uni-sql-for-analysts.json");
      const output = await captureOutput(() => hre.tasks.getTask(["credentials", "verify"]).run({ badge, registry, from: "", json: false }));
      expect(output.exitCode).to.equal(0);
      for (const check of ["format", "proof", "integrity", "anchor", "issuer", "status", "validity"]) expect(output.stdout).to.contain(`✔ ${check}`);
      expect(output.stdout).to.contain("Verdict: VALID");

      const tampered = JSON.parse(await readFile(badge, "utf8"));
      tampered.credentialSubject.achievement.name = "SQL Grandmaster";
      await writeFile(path.join(workDir, "tampered.json"), JSON.stringify(tampered));
      const refused = await captureOutput(() =>
        hre.tasks.getTask(["credentials", "verify"]).run({ badge: path.join(workDir, "tampered.json"), registry, from: "", json: false }),
      );
      expect(refused.exitCode).to.equal(1);
      expect(refused.stdout).to.contain("✘ integrity");
      expect(refused.stdout).to.contain("Verdict: TAMPERED");
    });

    it("hashes an issued badge the way the batch did", async function () {
      const outDir = path.join(workDir, "out");
      await anchorBadges(await as(university.address), { files: await universityBadges(), outDir, skipInvalid: false, dryRun: false, progress: false, signing });
      const manifest = JSON.parse(await readFile(path.join(outDir, "batch-manifest.json"), "utf8"));
      const entry = manifest.credentials.find((credential: { file: string }) => credential.file === "uni-sql-for-analysts.json");
      const output = await captureOutput(() =>
        hre.tasks.getTask(["credentials", "hash"]).run({ badge: path.join(outDir, "uni-sql-for-analysts.json"), json: true }),
      );
      const printed = JSON.parse(output.stdout);
      expect(printed.credentialHash).to.equal(entry.credentialHash);
      expect(printed.issuerId).to.equal(universityId);
      expect(printed.singleCredentialRoot).to.equal(leafHash(0, entry.credentialHash));

      const draft = await captureOutput(() => hre.tasks.getTask(["credentials", "hash"]).run({ badge: path.join(EXAMPLES_DIR, "uni-sql-for-analysts.json"), json: false }));
      expect(draft.exitCode).to.equal(2);
      expect(draft.stderr).to.contain("$.id is required");
    });
  });
});
