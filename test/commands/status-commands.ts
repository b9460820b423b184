/**
 * Revocations other verifiers can see: `credentials anchor --status-base-url` gives each badge one
 * BitstringStatusListEntry, the revocation list's (before hashing and signing; OB 3.0 allows one
 * credentialStatus), and `credentials status publish` writes, per batch, signed revocation and suspension
 * lists built from the chain's bitmaps at a stated block — the one the badges name among them.
 */
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import hre from "hardhat";

import { rootFromProof } from "../../lib/anchor/batch.js";
import { credentialHash } from "../../lib/credential/canonical.js";
import { buildControllerDocument } from "../../lib/signature/controller-document.js";
import { contextLoader } from "../../lib/signature/contexts.js";
import { encodeSecretKeyMultibase, generateEd25519KeyPair } from "../../lib/signature/ed25519-keys.js";
import { verifyDataIntegrityProofs } from "../../lib/signature/verify-proofs.js";
import { decodeStatusList } from "../../lib/status/status-list.js";
import { openRegistry } from "../../scripts/cli/registry-context.js";
import { registerIssuer } from "../../scripts/commands/issuer.js";
import { changeCredentialStatus, credentialRefsFromFiles } from "../../scripts/credentials/status-change.js";
import { deployRegistry } from "../../scripts/deploy-registry.js";
import { EXAMPLES_DIR } from "../helpers/badges.js";
import { captureOutput } from "../helpers/output.js";

const connection = await hre.network.getOrCreate();
const { ethers } = connection;
const [deployer, university] = await ethers.getSigners();
const { address: registry } = await deployRegistry(connection);
const as = (from: string) => openRegistry(hre, { registry, from });
const UNIVERSITY = "did:web:uni.example";
const { issuerId: universityId } = await registerIssuer(await as(deployer.address), UNIVERSITY, university.address);
const key = generateEd25519KeyPair();
const KEY_ENV = { CREDENTIAL_SIGNING_KEY: encodeSecretKeyMultibase(key.secretKey) };
const didDocument = buildControllerDocument({ id: UNIVERSITY, publicKey: key.publicKey, keyFragment: "key-1" });
const BASE = "https://uni.example/status";

let workDir: string;

async function runTask(id: string[], args: Record<string, unknown>) {
  const saved = process.env.CREDENTIAL_SIGNING_KEY;
  process.env.CREDENTIAL_SIGNING_KEY = KEY_ENV.CREDENTIAL_SIGNING_KEY;
  try {
    return await captureOutput(() => hre.tasks.getTask(id).run({ registry, from: university.address, ...args }));
  } finally {
    if (saved === undefined) delete process.env.CREDENTIAL_SIGNING_KEY;
    else process.env.CREDENTIAL_SIGNING_KEY = saved;
  }
}

async function anchorWithStatus(outDir: string) {
  const files = (await readdir(EXAMPLES_DIR)).filter((name) => name.startsWith("uni-")).map((name) => path.join(EXAMPLES_DIR, name));
  const output = await runTask(["credentials", "anchor"], { badges: files, out: outDir, statusBaseUrl: BASE, json: true });
  expect(output.exitCode, output.stdout).to.equal(0);
  return JSON.parse(output.stdout.split("\n").at(-1)!);
}

async function readList(file: string) {
  const list = JSON.parse(await readFile(file, "utf8"));
  return { list, isSet: decodeStatusList(list.credentialSubject.encodedList) };
}

describe("status lists for other verifiers", function () {
  this.timeout(120_000);

  beforeEach(async function () {
    workDir = await mkdtemp(path.join(tmpdir(), "status-commands-"));
  });

  afterEach(async function () {
    await rm(workDir, { recursive: true, force: true });
  });

  it("gives every badge one status entry, the revocation list's at its leaf index, covered by its hash and signature", async function () {
    const outDir = path.join(workDir, "issued");
    const result = await anchorWithStatus(outDir);
    expect(result.statusList.batchId).to.match(/^[0-9a-f]{16}$/);
    const manifest = JSON.parse(await readFile(path.join(outDir, "batch-manifest.json"), "utf8"));
    expect(manifest.statusList).to.deep.equal({ base: BASE, batchId: result.statusList.batchId });
    for (const entry of manifest.credentials) {
      const badge = JSON.parse(await readFile(path.join(outDir, entry.file), "utf8"));
      const anchor = badge.proof.at(-1);
      expect(badge.credentialStatus).to.deep.equal({
        id: `${BASE}/${result.statusList.batchId}/revocation.json#${entry.index}`,
        type: "BitstringStatusListEntry",
        statusPurpose: "revocation",
        statusListIndex: String(entry.index),
        statusListCredential: `${BASE}/${result.statusList.batchId}/revocation.json`,
      });
      // What the command says it will write is what the badge names.
      expect(badge.credentialStatus.statusListCredential).to.equal(result.statusList.revocation);
      expect(anchor.leafIndex).to.equal(entry.index);
      expect(rootFromProof(anchor.leafIndex, credentialHash(badge), anchor.merklePath)).to.equal(result.root);
      const signature = await verifyDataIntegrityProofs(badge, { resolver: { resolve: async () => didDocument }, loader: contextLoader() });
      expect(signature.result, signature.detail).to.equal("pass");
    }
  });

  it("publishes signed lists whose bits are the chain's after a revocation and a suspension, at the block stated", async function () {
    const issued = path.join(workDir, "issued");
    const result = await anchorWithStatus(issued);
    const manifest = JSON.parse(await readFile(path.join(issued, "batch-manifest.json"), "utf8"));
    const [revokedEntry, suspendedEntry] = manifest.credentials;
    const context = await as(university.address);
    const blockBefore = await ethers.provider.getBlockNumber();
    await changeCredentialStatus(context, "revoke", await credentialRefsFromFiles(context, [path.join(issued, revokedEntry.file)]), "issued-in-error");
    await changeCredentialStatus(context, "suspend", await credentialRefsFromFiles(context, [path.join(issued, suspendedEntry.file)]), "under-investigation");

    const outDir = path.join(workDir, "status");
    const published = await runTask(["credentials", "status", "publish"], { out: outDir, issued: [issued], json: true });
    expect(published.exitCode, published.stdout).to.equal(0);
    const report = JSON.parse(published.stdout);
    expect(report.blockNumber).to.equal(await ethers.provider.getBlockNumber());
    expect(report.lists.map((list: { purpose: string }) => list.purpose)).to.deep.equal(["revocation", "suspension"]);
    const batchDir = path.join(outDir, result.statusList.batchId);
    const revocation = await readList(path.join(batchDir, "revocation.json"));
    const suspension = await readList(path.join(batchDir, "suspension.json"));
    for (const entry of manifest.credentials) {
      expect(revocation.isSet(entry.index), `revoked ${entry.index}`).to.equal(entry.index === revokedEntry.index);
      expect(suspension.isSet(entry.index), `suspended ${entry.index}`).to.equal(entry.index === suspendedEntry.index);
    }
    expect(revocation.list).to.include({ id: `${BASE}/${result.statusList.batchId}/revocation.json`, issuer: UNIVERSITY, validFrom: report.validFrom });
    // Each badge's one entry names the list written, for its purpose: what other verifiers fetch is there.
    for (const entry of manifest.credentials) {
      const { credentialStatus } = JSON.parse(await readFile(path.join(issued, entry.file), "utf8"));
      expect(credentialStatus.statusListCredential).to.equal(revocation.list.id);
      expect(credentialStatus.statusPurpose).to.equal(revocation.list.credentialSubject.statusPurpose);
      expect(revocation.isSet(Number(credentialStatus.statusListIndex))).to.equal(entry.index === revokedEntry.index);
    }
    for (const { list } of [revocation, suspension]) {
      const outcome = await verifyDataIntegrityProofs(list, { resolver: { resolve: async () => didDocument }, loader: contextLoader() });
      expect(outcome.result, outcome.detail).to.equal("pass");
    }

    // At a block before the changes, nothing is set.
    const earlier = await runTask(["credentials", "status", "publish"], { out: path.join(workDir, "earlier"), issued: [issued], block: String(blockBefore), json: true });
    expect(JSON.parse(earlier.stdout).blockNumber).to.equal(blockBefore);
    const earlierRevocation = await readList(path.join(workDir, "earlier", result.statusList.batchId, "revocation.json"));
    expect(earlierRevocation.isSet(revokedEntry.index)).to.equal(false);

    const human = await runTask(["credentials", "status", "publish"], { out: outDir, issued: [issued] });
    expect(human.stdout).to.contain(`from the chain at block ${report.blockNumber}, signed by ${UNIVERSITY}#key-1`);
    expect(human.stdout).to.contain(`→ host at ${BASE}/${result.statusList.batchId}/revocation.json`);
    expect(human.stdout + human.stderr).to.not.contain(KEY_ENV.CREDENTIAL_SIGNING_KEY);
  });

  it("reads a batch revoked as a whole as every credential revoked, and says which batches have no list", async function () {
    const issued = path.join(workDir, "issued");
    const result = await anchorWithStatus(issued);
    await (await (await as(university.address)).registry.revokeBatch(universityId, result.root, 0)).wait();
    const withoutLists = await runTask(["credentials", "anchor"], { badges: [path.join(EXAMPLES_DIR, "uni-sql-for-analysts.json")], out: path.join(workDir, "plain"), json: true });
    const plainRoot = JSON.parse(withoutLists.stdout.split("\n").at(-1)!).root;
    const output = await runTask(["credentials", "status", "publish"], { out: path.join(workDir, "status"), issued: [issued], json: true });
    const report = JSON.parse(output.stdout);
    const revocation = await readList(path.join(workDir, "status", result.statusList.batchId, "revocation.json"));
    for (let index = 0; index < result.count; index++) expect(revocation.isSet(index), `index ${index}`).to.equal(true);
    const plain = report.skipped.find((skipped: { root: string }) => skipped.root === plainRoot);
    expect(plain.reason).to.contain("no batch manifest with status lists names it");
  });

  it("refuses a status base URL that verifiers could not fetch safely, before anything is sent", async function () {
    const blockBefore = await ethers.provider.getBlockNumber();
    const output = await runTask(["credentials", "anchor"], { badges: [path.join(EXAMPLES_DIR, "uni-sql-for-analysts.json")], out: path.join(workDir, "out"), statusBaseUrl: "http://uni.example/status" });
    expect(output.exitCode).to.equal(2);
    expect(output.stderr).to.contain("--status-base-url must be an https URL");
    expect(await ethers.provider.getBlockNumber()).to.equal(blockBefore);
  });
});
