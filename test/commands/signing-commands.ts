/**
 * Signing on the issuer side, as a user meets it through the commands: `issuer did create` (did:key and
 * did:web / https documents, the encrypted key file), `credentials anchor` signing every badge before
 * anchoring (refused without a key unless --unsigned, refused for a key that is not the issuer's, refused
 * for a context the tool does not hold before anything is anchored), the hash unchanged by the signature,
 * and secrets never shown.
 */
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import hre from "hardhat";

import { findAnchorProof } from "../../lib/anchor/proof.js";
import { credentialHash, withoutProof } from "../../lib/credential/canonical.js";
import { buildControllerDocument } from "../../lib/signature/controller-document.js";
import { contextLoader } from "../../lib/signature/contexts.js";
import { encodeSecretKeyMultibase, generateEd25519KeyPair } from "../../lib/signature/ed25519-keys.js";
import { verifyDataIntegrityProofs } from "../../lib/signature/verify-proofs.js";
import { openRegistry } from "../../scripts/cli/registry-context.js";
import { registerIssuer } from "../../scripts/commands/issuer.js";
import { anchorBadges } from "../../scripts/credentials/anchor-badges.js";
import { deployRegistry } from "../../scripts/deploy-registry.js";
import { EXAMPLES_DIR } from "../helpers/badges.js";
import { captureOutput } from "../helpers/output.js";

const connection = await hre.network.getOrCreate();
const { ethers } = connection;
const [deployer, university] = await ethers.getSigners();
const { address: registry } = await deployRegistry(connection);
const as = (from: string) => openRegistry(hre, { registry, from });
const UNIVERSITY = "did:web:uni.example";
await registerIssuer(await as(deployer.address), UNIVERSITY, university.address);

// The university's key, as its keystore would hold it, and the did.json it hosts.
const universityKey = generateEd25519KeyPair();
const universitySecret = encodeSecretKeyMultibase(universityKey.secretKey);
const universityDocument = buildControllerDocument({ id: UNIVERSITY, publicKey: universityKey.publicKey, keyFragment: "key-1" });
const PASSWORD = "correct horse battery staple 7";

let workDir: string;

async function withEnvironment<T>(variables: Record<string, string | undefined>, run: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  for (const [name, value] of Object.entries(variables)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  try {
    return await run();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** Runs a task with its options (the rest default), capturing what it prints. */
function runTask(id: string[], args: Record<string, unknown>, env: Record<string, string | undefined> = {}) {
  return withEnvironment({ CREDENTIAL_SIGNING_KEY: undefined, CREDENTIAL_KEY_PASSWORD: undefined, ...env }, () =>
    captureOutput(() => hre.tasks.getTask(id).run(args)),
  );
}

const anchorTask = (args: Record<string, unknown>, env: Record<string, string | undefined> = {}) =>
  runTask(["credentials", "anchor"], { registry, from: university.address, ...args }, env);

async function universityBadges(): Promise<string[]> {
  return (await readdir(EXAMPLES_DIR)).filter((name) => name.startsWith("uni-")).map((name) => path.join(EXAMPLES_DIR, name));
}

async function badgesIn(outDir: string): Promise<Array<Record<string, any>>> {
  const names = (await readdir(outDir)).filter((name) => name.endsWith(".json") && !name.startsWith(".") && name !== "batch-manifest.json");
  return Promise.all(names.map(async (name) => JSON.parse(await readFile(path.join(outDir, name), "utf8"))));
}

const pinned = (document: unknown) => ({ resolve: async () => document });

describe("signing on the issuer side", function () {
  this.timeout(120_000);

  beforeEach(async function () {
    workDir = await mkdtemp(path.join(tmpdir(), "signing-commands-"));
  });

  afterEach(async function () {
    await rm(workDir, { recursive: true, force: true });
  });

  describe("credentials anchor", function () {
    it("refuses, before anything is sent, an issuer with no signing key, naming `issuer did create`", async function () {
      const blockBefore = await ethers.provider.getBlockNumber();
      const output = await anchorTask({ badges: await universityBadges(), out: path.join(workDir, "out") });
      expect(output.exitCode).to.equal(2);
      expect(output.stderr).to.contain("no signing key configured");
      expect(output.stderr).to.contain("npx hardhat issuer did create");
      expect(output.stderr).to.contain("--unsigned");
      expect(await ethers.provider.getBlockNumber()).to.equal(blockBefore);
      expect(await readdir(workDir)).to.deep.equal([]);
    });

    it("signs every badge with the configured key before anchoring: [DataIntegrityProof, anchor proof], each verifying", async function () {
      const outDir = path.join(workDir, "out");
      const output = await anchorTask({ badges: await universityBadges(), out: outDir, json: true }, { CREDENTIAL_SIGNING_KEY: universitySecret });
      expect(output.exitCode, output.stdout + output.stderr).to.equal(0);
      const result = JSON.parse(output.stdout.split("\n").at(-1)!);
      expect(result).to.include({ outcome: "anchored", signedBy: `${UNIVERSITY}#key-1` });
      const badges = await badgesIn(outDir);
      expect(badges).to.have.length((await universityBadges()).length);
      for (const badge of badges) {
        expect(badge.proof).to.have.length(2);
        expect(badge.proof[0]).to.include({ type: "DataIntegrityProof", cryptosuite: "eddsa-rdfc-2022", proofPurpose: "assertionMethod", verificationMethod: `${UNIVERSITY}#key-1` });
        expect(badge.proof[1].type).to.equal("CredentialRegistryAnchor2026");
        const outcome = await verifyDataIntegrityProofs(badge, { resolver: pinned(universityDocument), loader: contextLoader() });
        expect(outcome.result, outcome.detail).to.equal("pass");
      }
      // A one-character edit breaks the signature.
      const edited = structuredClone(badges[0]);
      edited.credentialSubject.achievement.name += "!";
      const tampered = await verifyDataIntegrityProofs(edited, { resolver: pinned(universityDocument), loader: contextLoader() });
      expect(tampered).to.include({ result: "fail", status: "tampered" });
    });

    it("leaves the credential hash as it is: the signature is a proof, and proofs are not hashed", async function () {
      // Badges with fixed ids: the same root comes out signed and unsigned.
      const inputDir = path.join(workDir, "in");
      await cp(EXAMPLES_DIR, inputDir, { recursive: true });
      const files = [];
      for (const [index, file] of (await universityBadges()).entries()) {
        const badge = JSON.parse(await readFile(file, "utf8"));
        badge.id = `urn:uuid:00000000-0000-4000-8000-00000000000${index}`;
        files.push(path.join(inputDir, path.basename(file)));
        await writeFile(files.at(-1)!, JSON.stringify(badge));
      }
      const context = await as(university.address);
      const signing = { keyPair: universityKey, source: "test key" };
      const unsigned = await anchorBadges(context, { files, outDir: path.join(workDir, "dry"), skipInvalid: false, dryRun: true, progress: false, signing: "unsigned" });
      const signed = await anchorBadges(context, { files, outDir: path.join(workDir, "out"), skipInvalid: false, dryRun: false, progress: false, signing });
      expect(signed.root).to.equal(unsigned.root);
      const manifest = JSON.parse(await readFile(path.join(workDir, "out", "batch-manifest.json"), "utf8"));
      for (const entry of manifest.credentials) {
        const badge = JSON.parse(await readFile(path.join(workDir, "out", entry.file), "utf8"));
        expect(credentialHash(badge)).to.equal(entry.credentialHash);
        expect(credentialHash({ ...withoutProof(badge), proof: badge.proof.slice(1) })).to.equal(entry.credentialHash);
      }
    });

    it("anchors unsigned with --unsigned, and warns that other verifiers will refuse the badges", async function () {
      const outDir = path.join(workDir, "out");
      const output = await anchorTask({ badges: await universityBadges(), out: outDir, unsigned: true });
      expect(output.exitCode, output.stderr).to.equal(0);
      expect(output.stdout).to.contain("other Open Badges verifiers and wallets will refuse them");
      expect(output.stdout).to.contain("signed by   nobody (unsigned)");
      for (const badge of await badgesIn(outDir)) {
        expect(badge.proof).to.have.length(1);
        expect(findAnchorProof(badge).kind).to.equal("found");
      }
    });

    it("refuses a key that signs as a verification method of another issuer, before anything is sent", async function () {
      const blockBefore = await ethers.provider.getBlockNumber();
      const output = await anchorTask(
        { badges: await universityBadges(), out: path.join(workDir, "out"), verificationMethod: "did:web:other.example#key-1" },
        { CREDENTIAL_SIGNING_KEY: universitySecret },
      );
      expect(output.exitCode).to.equal(2);
      expect(output.stderr).to.contain("did:web:other.example#key-1, which is not a verification method of the issuer did:web:uni.example");
      expect(await ethers.provider.getBlockNumber()).to.equal(blockBefore);
    });

    it("refuses a badge naming a context the tool does not hold before anything is anchored, and --context supplies it", async function () {
      const url = "https://uni.example/contexts/transcript-v1.json";
      const inputDir = path.join(workDir, "in");
      await cp(EXAMPLES_DIR, inputDir, { recursive: true });
      const file = path.join(inputDir, "uni-sql-for-analysts.json");
      const badge = JSON.parse(await readFile(file, "utf8"));
      badge["@context"].push(url);
      badge.transcriptNote = "Top of the cohort";
      await writeFile(file, JSON.stringify(badge));
      const outDir = path.join(workDir, "out");
      const blockBefore = await ethers.provider.getBlockNumber();

      const refused = await anchorTask({ badges: [file], out: outDir }, { CREDENTIAL_SIGNING_KEY: universitySecret });
      expect(refused.exitCode).to.equal(2);
      expect(refused.stderr).to.contain(`names the context ${url}, which this tool does not hold`);
      expect(refused.stderr).to.contain("--context <url>=<file>");
      expect(await ethers.provider.getBlockNumber()).to.equal(blockBefore);

      const contextFile = path.join(workDir, "transcript-v1.json");
      await writeFile(contextFile, JSON.stringify({ "@context": { transcriptNote: "https://uni.example/vocab#transcriptNote" } }));
      const anchored = await anchorTask({ badges: [file], out: outDir, context: `${url}=${contextFile}` }, { CREDENTIAL_SIGNING_KEY: universitySecret });
      expect(anchored.exitCode, anchored.stderr).to.equal(0);
      const [signed] = await badgesIn(outDir);
      const outcome = await verifyDataIntegrityProofs(signed, {
        resolver: pinned(universityDocument),
        loader: contextLoader(new Map([[url, JSON.parse(await readFile(contextFile, "utf8"))]])),
      });
      expect(outcome.result, outcome.detail).to.equal("pass");
    });

    it("refuses, before anything is anchored, a badge with a term no context defines (verifiers reject undefined terms)", async function () {
      const inputDir = path.join(workDir, "in");
      await cp(EXAMPLES_DIR, inputDir, { recursive: true });
      const file = path.join(inputDir, "uni-sql-for-analysts.json");
      const badge = JSON.parse(await readFile(file, "utf8"));
      badge.credentialSubject.achievement.madeUpTerm = "undefined in every context";
      await writeFile(file, JSON.stringify(badge));
      const blockBefore = await ethers.provider.getBlockNumber();
      const refused = await anchorTask({ badges: [file], out: path.join(workDir, "out") }, { CREDENTIAL_SIGNING_KEY: universitySecret });
      expect(refused.exitCode).to.equal(2);
      expect(refused.stderr).to.contain("cannot be signed");
      expect(await ethers.provider.getBlockNumber()).to.equal(blockBefore);
    });
  });

  describe("issuer did create", function () {
    it("makes a did:key and its encrypted key file, which then signs the did:key issuer's badges; no secret is shown", async function () {
      const outDir = path.join(workDir, "did");
      const created = await runTask(["issuer", "did", "create"], { method: "key", out: outDir, json: true }, { CREDENTIAL_KEY_PASSWORD: PASSWORD });
      expect(created.exitCode, created.stderr).to.equal(0);
      const result = JSON.parse(created.stdout);
      expect(result.profileId).to.match(/^did:key:z6Mk/);
      expect(result.verificationMethod).to.equal(`${result.profileId}#${result.profileId.slice("did:key:".length)}`);
      expect(result.registerCommand).to.equal(`npx hardhat issuer register ${result.profileId} --controller <controller address>`);
      const human = await runTask(["issuer", "did", "create"], { method: "key", out: path.join(workDir, "did2") }, { CREDENTIAL_KEY_PASSWORD: PASSWORD });
      expect(human.stdout).to.contain("Next: register the profile id:  npx hardhat issuer register did:key:z6Mk");

      const [, , , , , learnerCollege] = await ethers.getSigners();
      await registerIssuer(await as(deployer.address), result.profileId, learnerCollege.address);
      const keyFile = path.join(outDir, "signing-key.json");
      const anchored = await runTask(
        ["credentials", "anchor"],
        { registry, from: learnerCollege.address, badges: await universityBadges(), out: path.join(workDir, "out"), keyFile, json: true },
        { CREDENTIAL_KEY_PASSWORD: PASSWORD },
      );
      expect(anchored.exitCode, anchored.stdout).to.equal(0);
      for (const badge of await badgesIn(path.join(workDir, "out"))) {
        expect(badge.issuer.id).to.equal(result.profileId);
        const outcome = await verifyDataIntegrityProofs(badge, { resolver: pinned(null), loader: contextLoader() });
        expect(outcome.result, outcome.detail).to.equal("pass");
      }

      // The secret is in the key file only, encrypted: not in any output, not in the file in clear.
      const keyFileText = await readFile(keyFile, "utf8");
      expect(keyFileText).to.not.contain(PASSWORD);
      expect(JSON.parse(keyFileText)).to.include({ type: "CredentialRegistrySigningKey", controller: result.profileId });
      for (const text of [created.stdout, created.stderr, human.stdout, anchored.stdout, anchored.stderr]) {
        expect(text).to.not.contain(PASSWORD);
        expect(text).to.not.match(/z3u2[1-9A-HJ-NP-Za-km-z]{40,}/);
      }
    });

    it("refuses a wrong password without echoing it, and a did:key key for another issuer", async function () {
      const outDir = path.join(workDir, "did");
      await runTask(["issuer", "did", "create"], { method: "key", out: outDir }, { CREDENTIAL_KEY_PASSWORD: PASSWORD });
      const keyFile = path.join(outDir, "signing-key.json");
      const wrong = await anchorTask({ badges: await universityBadges(), out: path.join(workDir, "out"), keyFile }, { CREDENTIAL_KEY_PASSWORD: "not the password" });
      expect(wrong.exitCode).to.equal(2);
      expect(wrong.stderr).to.contain(`cannot decrypt ${keyFile}: wrong password`);
      expect(wrong.stderr).to.not.contain("not the password");
      // The right password, but the key is a did:key's: it cannot sign for did:web:uni.example.
      const other = await anchorTask({ badges: await universityBadges(), out: path.join(workDir, "out"), keyFile }, { CREDENTIAL_KEY_PASSWORD: PASSWORD });
      expect(other.exitCode).to.equal(2);
      expect(other.stderr).to.match(/signs as did:key:z6Mk\S+, which is not a verification method of the issuer did:web:uni\.example/);
      const unset = await runTask(["issuer", "did", "create"], { method: "key", out: path.join(workDir, "none") });
      expect(unset.exitCode).to.equal(2);
      expect(unset.stderr).to.contain("npx hardhat keystore set CREDENTIAL_KEY_PASSWORD");
    });

    it("writes the did:web document to host, with a Multikey for assertionMethod and the registry controller as blockchainAccountId", async function () {
      const outDir = path.join(workDir, "web");
      const created = await runTask(
        ["issuer", "did", "create"],
        { method: "web", did: "did:web:college.example", controller: university.address, out: outDir, json: true },
        { CREDENTIAL_KEY_PASSWORD: PASSWORD },
      );
      expect(created.exitCode, created.stdout).to.equal(0);
      const result = JSON.parse(created.stdout.split("\n").at(-1)!);
      expect(result).to.include({
        profileId: "did:web:college.example",
        verificationMethod: "did:web:college.example#key-1",
        hostAt: "https://college.example/.well-known/did.json",
        blockchainAccountId: `eip155:31337:${university.address}`,
      });
      const document = JSON.parse(await readFile(path.join(outDir, "did.json"), "utf8"));
      expect(document.id).to.equal("did:web:college.example");
      expect(document.assertionMethod).to.deep.equal(["did:web:college.example#key-1"]);
      expect(document.verificationMethod[0]).to.include({ type: "Multikey", controller: "did:web:college.example", publicKeyMultibase: result.publicKeyMultibase });
      expect(document.verificationMethod.map((method: { blockchainAccountId?: string }) => method.blockchainAccountId)).to.include(`eip155:31337:${university.address}`);
      expect(JSON.stringify(document)).to.not.match(/z3u2/);
    });

    it("writes an https issuer's controller document, to host at the profile URL, and refuses a URL not in canonical form", async function () {
      const created = await runTask(["issuer", "did", "create"], { method: "web", url: "https://college.example/issuer", out: path.join(workDir, "https"), json: true }, { CREDENTIAL_KEY_PASSWORD: PASSWORD });
      expect(created.exitCode, created.stdout).to.equal(0);
      const result = JSON.parse(created.stdout);
      expect(result).to.include({ profileId: "https://college.example/issuer", hostAt: "https://college.example/issuer", verificationMethod: "https://college.example/issuer#key-1" });
      const document = JSON.parse(await readFile(result.documentFile, "utf8"));
      expect(document.id).to.equal("https://college.example/issuer");

      const bad = await runTask(["issuer", "did", "create"], { method: "web", url: "https://College.example/issuer/", out: path.join(workDir, "bad"), json: true }, { CREDENTIAL_KEY_PASSWORD: PASSWORD });
      expect(bad.exitCode).to.equal(2);
      expect(JSON.parse(bad.stdout).error.message).to.contain("https://college.example/issuer");
    });

    it("never overwrites an existing key file", async function () {
      const outDir = path.join(workDir, "did");
      await runTask(["issuer", "did", "create"], { method: "key", out: outDir }, { CREDENTIAL_KEY_PASSWORD: PASSWORD });
      const before = await readFile(path.join(outDir, "signing-key.json"), "utf8");
      const again = await runTask(["issuer", "did", "create"], { method: "key", out: outDir }, { CREDENTIAL_KEY_PASSWORD: PASSWORD });
      expect(again.exitCode).to.equal(2);
      expect(again.stderr).to.contain("already exists");
      expect(await readFile(path.join(outDir, "signing-key.json"), "utf8")).to.equal(before);
    });
  });
});
