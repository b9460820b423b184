/**
 * The anchor command killed at each step that matters (after journalling the batch, right after sending
 * the transaction, once anchored, halfway through writing the badges), as a separate process against a
 * separate Hardhat node, then run again: the batch is anchored exactly once, every badge file is written
 * with a proof that verifies, and a third run says there is nothing to do. Badges are signed (the key from
 * the CREDENTIAL_SIGNING_KEY configuration variable) and carry status list entries: the re-run signs with
 * the journalled `created` time, so badges written before and after the crash carry signatures that
 * verify, over the same status entries. Also: a dead node gives a clear error and exit code 3.
 */
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { JsonRpcProvider } from "ethers";

import { syntheticBadge } from "../../examples/generate.js";
import { rootFromProof } from "../../lib/anchor/batch.js";
import { credentialHash } from "../../lib/credential/canonical.js";
import { issuerIdOfProfile } from "../../lib/credential/profile-id.js";
import { buildControllerDocument } from "../../lib/signature/controller-document.js";
import { contextLoader } from "../../lib/signature/contexts.js";
import { encodeSecretKeyMultibase, generateEd25519KeyPair } from "../../lib/signature/ed25519-keys.js";
import { verifyDataIntegrityProofs } from "../../lib/signature/verify-proofs.js";
import { verifyCredential } from "../../lib/verify/verify.js";
import { EthersRegistryReader } from "../../scripts/ethers-registry-reader.js";
import { CredentialRegistry__factory } from "../../types/ethers-contracts/index.js";
import { EXAMPLES_DIR } from "../helpers/badges.js";
import { freePort, lastJsonLine, PROJECT_ROOT, runHardhat, startHardhatNode, type LocalNode } from "../helpers/processes.js";

const ISSUER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"; // the node's second account
const PROFILE = "did:web:academy.example";
const SIGNING_KEY = generateEd25519KeyPair();
const DID_DOCUMENT = buildControllerDocument({ id: PROFILE, publicKey: SIGNING_KEY.publicKey, keyFragment: "key-1" });
const STATUS_BASE = "https://academy.example/status";

describe("credentials anchor: crash and resume (separate processes)", function () {
  this.timeout(300_000);
  let node: LocalNode;
  let provider: JsonRpcProvider;
  let registryAddress: string;
  let deploymentId: string;
  let workDir: string;
  const env = () => ({ LOCALHOST_RPC_URL: node.url, REGISTRY_ADDRESS: registryAddress, CREDENTIAL_SIGNING_KEY: encodeSecretKeyMultibase(SIGNING_KEY.secretKey) });

  before(async function () {
    node = await startHardhatNode();
    provider = new JsonRpcProvider(node.url);
    workDir = await mkdtemp(path.join(tmpdir(), "anchor-crash-"));
    const deployed = await runHardhat(["registry", "deploy", "--network", "localhost", "--json"], { LOCALHOST_RPC_URL: node.url });
    ({ address: registryAddress, deploymentId } = lastJsonLine<{ address: string; deploymentId: string }>(deployed.stdout));
    const registered = await runHardhat(["issuer", "register", PROFILE, "--controller", ISSUER, "--network", "localhost"], env());
    expect(registered.exitCode, registered.stderr).to.equal(0);
  });

  after(async function () {
    provider?.destroy();
    await node?.stop();
    await rm(workDir, { recursive: true, force: true });
    if (deploymentId) await rm(path.join(PROJECT_ROOT, "ignition", "deployments", deploymentId), { recursive: true, force: true });
  });

  async function anchor(inputDir: string, outDir: string, failpoint?: string) {
    const args = ["credentials", "anchor", inputDir, "--out", outDir, "--from", ISSUER, "--network", "localhost", "--status-base-url", STATUS_BASE];
    return runHardhat(args, { ...env(), ...(failpoint ? { CREDENTIAL_REGISTRY_FAILPOINT: failpoint } : {}) });
  }

  async function anchoredEvents(root: string) {
    const registry = CredentialRegistry__factory.connect(registryAddress, provider);
    return registry.queryFilter(registry.filters.Anchored(issuerIdOfProfile(PROFILE), root));
  }

  /** Every badge's proof leads to the anchored root (checked offline); a sample is verified against the chain too. */
  async function expectEveryBadgeValid(outDir: string, count: number, root: string, created: string) {
    const registry = CredentialRegistry__factory.connect(registryAddress, provider);
    const reader = new EthersRegistryReader(registry);
    const names = (await readdir(outDir)).filter((name) => !name.startsWith(".") && name !== "batch-manifest.json");
    expect(names).to.have.length(count);
    for (const [position, name] of names.entries()) {
      const badge = JSON.parse(await readFile(path.join(outDir, name), "utf8"));
      const proof = badge.proof.at(-1);
      expect(rootFromProof(proof.leafIndex, credentialHash(badge), proof.merklePath), name).to.equal(root);
      expect(badge.credentialStatus.statusListIndex, name).to.equal(String(proof.leafIndex));
      expect(badge.proof[0], name).to.include({ type: "DataIntegrityProof", created, verificationMethod: `${PROFILE}#key-1` });
      // Badges written before the crash (the first half, mid-write) and after it are sampled alike.
      if (count > 50 && position % 100 !== 0 && position !== count - 1) continue;
      const signature = await verifyDataIntegrityProofs(badge, { resolver: { resolve: async () => DID_DOCUMENT }, loader: contextLoader() });
      expect(signature.result, `${name}: ${signature.detail}`).to.equal("pass");
      const result = await verifyCredential(badge, { readerFor: () => reader, now: () => new Date("2026-12-01T00:00:00Z") });
      expect(result.status, `${name}: ${result.errors.join("; ")}`).to.equal("valid");
    }
  }

  async function syntheticInputs(label: string, count: number): Promise<string> {
    const dir = path.join(workDir, `${label}-in`);
    await cp(EXAMPLES_DIR, dir, { recursive: true, filter: (source) => !source.endsWith(".json") || path.basename(source).startsWith("uni-sql") });
    for (let index = 1; index <= count; index++) {
      const badge: { id?: string } = syntheticBadge(index, { seed: label, issuerId: PROFILE });
      if (index % 3 === 0) delete badge.id;
      await writeFile(path.join(dir, `badge-${index}.json`), JSON.stringify(badge));
    }
    return dir;
  }

  const cases: Array<[string, number]> = [
    ["after-journal", 5],
    ["after-send", 5],
    ["after-anchored", 5],
    ["mid-write", 1200],
  ];
  for (const [failpoint, count] of cases) {
    it(`finishes the same batch after a crash ${failpoint.replace("-", " ")} (${count} badges)`, async function () {
      const inputDir = await syntheticInputs(failpoint, count);
      const outDir = path.join(workDir, `${failpoint}-out`);

      const crashed = await anchor(inputDir, outDir, failpoint);
      expect(crashed.signal, crashed.stdout + crashed.stderr).to.equal("SIGKILL");
      const journal = JSON.parse(await readFile(path.join(outDir, ".anchor-journal.json"), "utf8"));

      const resumed = await anchor(inputDir, outDir);
      expect(resumed.exitCode, resumed.stderr).to.equal(0);
      expect(resumed.stdout).to.contain(`Finished the interrupted batch ${journal.root}`);
      expect(await anchoredEvents(journal.root)).to.have.length(1);
      await expectEveryBadgeValid(outDir, count + 1, journal.root, journal.signing.created);

      const again = await anchor(inputDir, outDir);
      expect(again.exitCode).to.equal(0);
      expect(again.stdout).to.contain("Nothing to do");
      expect(await anchoredEvents(journal.root)).to.have.length(1);
    });
  }

  it("refuses to finish a journalled batch whose badges changed meanwhile", async function () {
    const inputDir = await syntheticInputs("changed", 3);
    const outDir = path.join(workDir, "changed-out");
    await anchor(inputDir, outDir, "after-journal");
    const file = path.join(inputDir, "badge-1.json");
    const badge = JSON.parse(await readFile(file, "utf8"));
    badge.name = "Changed after the crash";
    await writeFile(file, JSON.stringify(badge));
    const refused = await anchor(inputDir, outDir);
    expect(refused.exitCode).to.equal(2);
    expect(refused.stderr).to.contain("the badges changed since this batch was journalled");
  });

  it("says the node cannot be reached, with exit code 3, when it is down", async function () {
    const deadUrl = `http://127.0.0.1:${await freePort()}`;
    const result = await runHardhat(
      ["credentials", "anchor", EXAMPLES_DIR, "--out", path.join(workDir, "dead"), "--network", "localhost", "--json"],
      { LOCALHOST_RPC_URL: deadUrl, REGISTRY_ADDRESS: registryAddress },
    );
    expect(result.exitCode).to.equal(3);
    expect(lastJsonLine<{ error: { code: string } }>(result.stdout).error.code).to.equal("chain-unreachable");
  });
});
