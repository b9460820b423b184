/**
 * The anchor command's journal against the chain (issue 15, item 11), with real processes: a `hardhat node`,
 * the command run as a user runs it. With the chain intact, a re-run says "already anchored" and sends
 * nothing. Then the node is stopped and a fresh one started on the same port, the registry deployed and
 * the issuer registered the same way (the same addresses): the chain has none of the anchors the journals
 * record. A re-run on the same --out must not trust its journal ("Nothing to do" and exit 0, the badges
 * `unknown-anchor`, as before): it says the chain has no such anchor, sends it again, and the badges
 * verify `valid`. A journal whose sent transaction the new node does not know is sent again too.
 */
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { JsonRpcProvider } from "ethers";

import { syntheticBadge } from "../../examples/generate.js";
import { issuerIdOfProfile } from "../../lib/credential/profile-id.js";
import { buildControllerDocument } from "../../lib/signature/controller-document.js";
import { contextLoader } from "../../lib/signature/contexts.js";
import { encodeSecretKeyMultibase, generateEd25519KeyPair } from "../../lib/signature/ed25519-keys.js";
import { verifyCredential } from "../../lib/verify/verify.js";
import { EthersRegistryReader } from "../../scripts/ethers-registry-reader.js";
import { CredentialRegistry__factory } from "../../types/ethers-contracts/index.js";
import { EXAMPLES_DIR } from "../helpers/badges.js";
import { lastJsonLine, PROJECT_ROOT, runHardhat, startHardhatNode, type LocalNode } from "../helpers/processes.js";

const ISSUER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"; // the node's second account
const PROFILE = "did:web:academy.example";
const SIGNING_KEY = generateEd25519KeyPair();
const DID_DOCUMENT = buildControllerDocument({ id: PROFILE, publicKey: SIGNING_KEY.publicKey, keyFragment: "key-1" });

interface AnchorJson {
  outcome: string;
  root: string;
  transactionHash: string;
  journalCheck: { finding: string; journalTransactionHash: string | null; message: string | null } | null;
}

describe("credentials anchor: the journal is checked against the chain (real node, restarted)", function () {
  this.timeout(300_000);
  let node: LocalNode;
  let provider: JsonRpcProvider;
  let registryAddress: string;
  const deploymentIds: string[] = [];
  let workDir: string;
  const env = () => ({ LOCALHOST_RPC_URL: node.url, REGISTRY_ADDRESS: registryAddress, CREDENTIAL_SIGNING_KEY: encodeSecretKeyMultibase(SIGNING_KEY.secretKey) });
  const batches: Record<string, { inputDir: string; outDir: string; root?: string; transactionHash?: string }> = {};

  /** Deploys the registry and registers the issuer, as the crash-resume test does: on a fresh node, the same addresses. */
  async function deployAndRegister(): Promise<string> {
    const deployed = await runHardhat(["registry", "deploy", "--network", "localhost", "--json"], { LOCALHOST_RPC_URL: node.url });
    expect(deployed.exitCode, deployed.stderr).to.equal(0);
    const { address, deploymentId } = lastJsonLine<{ address: string; deploymentId: string }>(deployed.stdout);
    deploymentIds.push(deploymentId);
    registryAddress = address;
    const registered = await runHardhat(["issuer", "register", PROFILE, "--controller", ISSUER, "--network", "localhost"], env());
    expect(registered.exitCode, registered.stderr).to.equal(0);
    return address;
  }

  before(async function () {
    node = await startHardhatNode();
    provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true });
    workDir = await mkdtemp(path.join(tmpdir(), "anchor-journal-"));
    await deployAndRegister();
  });

  after(async function () {
    provider?.destroy();
    await node?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
    for (const id of deploymentIds) await rm(path.join(PROJECT_ROOT, "ignition", "deployments", id), { recursive: true, force: true });
  });

  async function anchor(label: string, options: { json?: boolean; failpoint?: string } = {}) {
    const { inputDir, outDir } = batches[label];
    const args = ["credentials", "anchor", inputDir, "--out", outDir, "--from", ISSUER, "--network", "localhost", ...(options.json ? ["--json"] : [])];
    return runHardhat(args, { ...env(), ...(options.failpoint ? { CREDENTIAL_REGISTRY_FAILPOINT: options.failpoint } : {}) });
  }

  async function makeBatch(label: string, count: number): Promise<void> {
    const inputDir = path.join(workDir, `${label}-in`);
    await cp(EXAMPLES_DIR, inputDir, { recursive: true, filter: (source) => !source.endsWith(".json") });
    for (let index = 1; index <= count; index++) {
      await writeFile(path.join(inputDir, `badge-${index}.json`), JSON.stringify(syntheticBadge(index, { seed: label, issuerId: PROFILE })));
    }
    batches[label] = { inputDir, outDir: path.join(workDir, `${label}-out`) };
  }

  async function anchoredEvents(root: string) {
    const registry = CredentialRegistry__factory.connect(registryAddress, provider);
    return registry.queryFilter(registry.filters.Anchored(issuerIdOfProfile(PROFILE), root));
  }

  /** Every written badge through the verification pipeline, against the chain as it is now. */
  async function statuses(label: string): Promise<string[]> {
    const registry = CredentialRegistry__factory.connect(registryAddress, provider);
    const reader = new EthersRegistryReader(registry);
    const { outDir } = batches[label];
    const names = (await readdir(outDir)).filter((name) => !name.startsWith(".") && name !== "batch-manifest.json");
    expect(names).to.not.be.empty;
    const results: string[] = [];
    for (const name of names) {
      const badge = JSON.parse(await readFile(path.join(outDir, name), "utf8"));
      const result = await verifyCredential(badge, {
        readerFor: () => reader,
        now: () => new Date(),
        resolver: { resolve: async () => DID_DOCUMENT },
        loader: contextLoader(),
      });
      results.push(result.status);
    }
    return results;
  }

  async function readManifest(label: string): Promise<{ transactionHash: string; blockNumber: number }> {
    return JSON.parse(await readFile(path.join(batches[label].outDir, "batch-manifest.json"), "utf8"));
  }

  it("anchors batches on the first node; a re-run with the chain intact says already anchored and sends nothing", async function () {
    for (const label of ["text", "json", "intact"]) {
      await makeBatch(label, 3);
      const first = await anchor(label, { json: true });
      expect(first.exitCode, first.stderr).to.equal(0);
      const result = lastJsonLine<AnchorJson>(first.stdout);
      expect(result.outcome).to.equal("anchored");
      Object.assign(batches[label], { root: result.root, transactionHash: result.transactionHash });
    }
    // One more, killed right after its transaction was sent: its journal records a transaction hash.
    await makeBatch("sent", 2);
    const crashed = await anchor("sent", { failpoint: "after-send" });
    expect(crashed.signal, crashed.stdout + crashed.stderr).to.equal("SIGKILL");

    const nonce = await provider.getTransactionCount(ISSUER);
    const block = await provider.getBlockNumber();
    const again = await anchor("intact");
    expect(again.exitCode, again.stderr).to.equal(0);
    expect(again.stdout).to.contain(`Nothing to do: batch ${batches.intact.root}`);
    const againJson = lastJsonLine<AnchorJson>((await anchor("intact", { json: true })).stdout);
    expect(againJson).to.deep.include({ outcome: "already-done", transactionHash: batches.intact.transactionHash });
    expect(againJson.journalCheck?.finding).to.equal("agrees");
    expect(await provider.getTransactionCount(ISSUER)).to.equal(nonce);
    expect(await provider.getBlockNumber()).to.equal(block);
    expect(await anchoredEvents(batches.intact.root!)).to.have.length(1);
    expect(await statuses("intact")).to.satisfy((all: string[]) => all.every((status) => status === "valid"));
  });

  it("on a fresh node at the same URL and the same addresses, the badges read unknown-anchor: the chain lost the anchors", async function () {
    const firstAddress = registryAddress;
    const { port, url } = node;
    await node.stop();
    await untilGone(url);
    node = await startHardhatNode(60_000, port);
    expect(node.url).to.equal(url);
    expect(await deployAndRegister()).to.equal(firstAddress);
    expect(await anchoredEvents(batches.text.root!)).to.have.length(0);
    expect(await statuses("text")).to.satisfy((all: string[]) => all.every((status) => status === "unknown-anchor"));
  });

  it("a re-run says the journal's anchor is not on the chain, sends it again, and the badges verify valid", async function () {
    const { root, transactionHash } = batches.text;
    const again = await anchor("text");
    expect(again.exitCode, again.stderr).to.equal(0);
    expect(again.stdout).to.not.contain("Nothing to do");
    expect(again.stdout).to.contain(`Re-sent batch ${root}`);
    expect(again.stdout).to.contain(
      `the journal records batch ${root} as anchored in tx ${transactionHash}, but chain 31337 registry ${registryAddress} has no such anchor (the node was reset or the transaction was dropped): sending it again`,
    );
    const events = await anchoredEvents(root!);
    expect(events).to.have.length(1);
    // The manifest names the new chain's transaction, not the lost one's block.
    const manifest = await readManifest("text");
    expect(manifest.transactionHash).to.equal(events[0].transactionHash);
    expect(manifest.blockNumber).to.equal(events[0].blockNumber);
    expect(await statuses("text")).to.satisfy((all: string[]) => all.every((status) => status === "valid"));

    // Now the chain has it: the next run has nothing to do, and sends nothing.
    const nonce = await provider.getTransactionCount(ISSUER);
    const third = await anchor("text");
    expect(third.exitCode, third.stderr).to.equal(0);
    expect(third.stdout).to.contain("Nothing to do");
    expect(await provider.getTransactionCount(ISSUER)).to.equal(nonce);
  });

  it("--json states the re-send: outcome re-anchored, the finding and the journal's lost transaction", async function () {
    const { root, transactionHash } = batches.json;
    const again = await anchor("json", { json: true });
    expect(again.exitCode, again.stderr).to.equal(0);
    const result = lastJsonLine<AnchorJson>(again.stdout);
    expect(result.outcome).to.equal("re-anchored");
    expect(result.journalCheck).to.include({ finding: "missing-on-chain", journalTransactionHash: transactionHash });
    expect(result.journalCheck?.message).to.contain("has no such anchor");
    const events = await anchoredEvents(root!);
    expect(events).to.have.length(1);
    expect(result.transactionHash).to.equal(events[0].transactionHash);
    expect(await statuses("json")).to.satisfy((all: string[]) => all.every((status) => status === "valid"));
  });

  it("a journalled transaction the new node does not know (neither mined nor pending) is said so and sent again", async function () {
    const journal = JSON.parse(await readFile(path.join(batches.sent.outDir, ".anchor-journal.json"), "utf8"));
    expect(journal.state).to.equal("sent");
    expect(await provider.getTransaction(journal.transactionHash)).to.equal(null);
    const again = await anchor("sent", { json: true });
    expect(again.exitCode, again.stderr).to.equal(0);
    const result = lastJsonLine<AnchorJson>(again.stdout);
    expect(result.outcome).to.equal("re-anchored");
    expect(result.journalCheck).to.include({ finding: "transaction-unknown", journalTransactionHash: journal.transactionHash });
    expect(await anchoredEvents(journal.root)).to.have.length(1);
    expect(await statuses("sent")).to.satisfy((all: string[]) => all.every((status) => status === "valid"));
  });
});

/** Waits until nothing answers JSON-RPC at `url` (a stopped node takes a moment to let its port go). */
async function untilGone(url: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' });
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the node at ${url} did not stop`);
}
