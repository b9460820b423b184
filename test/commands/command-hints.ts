/**
 * The errors a newcomer meets first (issue 16), each saying what to do next: a command run without
 * --network, a local node that is not running, a real network whose configuration variables are not set,
 * an address with a mistyped character, a badge verified against another registry than the one it names
 * — run as the user runs them, through Hardhat's CLI — and, on the in-process chain, a portfolio of
 * several learners' badges and a suspension of a revoked badge, refused before anything is written or sent.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { JsonRpcProvider } from "ethers";
import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";

import { addressProblem } from "../../scripts/cli/checked-input.js";
import { CommandError } from "../../scripts/command-errors.js";
import { bundleBadges } from "../../scripts/credentials/bundle-badges.js";
import { changeCredentialStatus, credentialRefsFromFiles } from "../../scripts/credentials/status-change.js";
import { setUpSampleRegistry } from "../../scripts/sample-registry.js";
import { CredentialRegistry__factory } from "../../types/ethers-contracts/index.js";
import { freePort, lastJsonLine, PROJECT_ROOT, runHardhat, startHardhatNode } from "../helpers/processes.js";

const UNIVERSITY = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

describe("commands: errors that say what to do next", function () {
  this.timeout(120_000);

  it("without --network: the in-process chain is empty at every run — add --network localhost", async function () {
    const result = await runHardhat(["issuer", "show", "did:web:uni.example"]);
    expect(result.exitCode).to.equal(2);
    expect(result.stderr).to.match(/no registry on network "default", Hardhat's in-process chain, .*add --network localhost/);
  });

  it("a local node that is not running: start one with npx hardhat node", async function () {
    const result = await runHardhat(["issuer", "show", "did:web:uni.example", "--network", "localhost"], { LOCALHOST_RPC_URL: `http://127.0.0.1:${await freePort()}` });
    expect(result.exitCode).to.equal(3);
    expect(result.stderr).to.match(/cannot reach network "localhost": .* — is a node running\? Start one with `npx hardhat node`/);
    expect(result.stderr).not.to.match(/HHE\d+/);
  });

  it("a real network before its configuration variables are stored: which keystore set to run", async function () {
    // As a user runs it: not under `hardhat test`, whose HH_TEST makes the keystore plugin read only its development keystore.
    const result = await runHardhat(["issuer", "show", "did:web:uni.example", "--network", "sepolia", "--json"], { HH_TEST: "false" });
    expect(result.exitCode, result.stdout + result.stderr).to.equal(2);
    const error = JSON.parse(result.stdout.trim().split("\n").at(-1)!).error;
    expect(error.code).to.equal("missing-configuration-variable");
    expect(error.message).to.match(/the configuration variable SEPOLIA_(RPC_URL|PRIVATE_KEY) is not set: store it with `npx hardhat keystore set SEPOLIA_(RPC_URL|PRIVATE_KEY)`/);
  });

  it("an address with one character's case changed: a wrong checksum, said as such", async function () {
    const mistyped = UNIVERSITY.replace("C51812dc", "c51812dc");
    const result = await runHardhat(["issuer", "register", "did:web:x.example", "--controller", mistyped, "--network", "localhost"], { LOCALHOST_RPC_URL: `http://127.0.0.1:${await freePort()}` });
    expect(result.exitCode).to.equal(2);
    expect(result.stderr).to.contain(`--controller ${mistyped} has a wrong EIP-55 checksum`);
    expect(addressProblem("--from", "0x123", "an address or an account index")).to.equal('--from must be an address or an account index, got "0x123"');
  });

  it("a badge verified against another registry than it names: which chain and registry it names, and without --network which network to add", async function () {
    const node = await startHardhatNode();
    const work = await mkdtemp(path.join(tmpdir(), "hints-"));
    const deployments: string[] = [];
    try {
      const env = { LOCALHOST_RPC_URL: node.url };
      const deploy = async () => {
        const deployed = await runHardhat(["registry", "deploy", "--network", "localhost", "--json"], env);
        expect(deployed.exitCode, deployed.stderr).to.equal(0);
        return lastJsonLine<{ address: string; deploymentId: string }>(deployed.stdout);
      };
      const first = await deploy();
      deployments.push(first.deploymentId);
      expect((await runHardhat(["issuer", "register", "did:web:uni.example", "--controller", UNIVERSITY, "--network", "localhost"], env)).exitCode).to.equal(0);
      const anchored = await runHardhat(["credentials", "anchor", path.join(PROJECT_ROOT, "examples", "badges", "uni-sql-for-analysts.json"), "--out", work, "--from", UNIVERSITY, "--network", "localhost", "--unsigned"], env);
      expect(anchored.exitCode, anchored.stderr).to.equal(0);
      const badge = path.join(work, "uni-sql-for-analysts.json");

      const without = await runHardhat(["credentials", "verify", badge]);
      expect(without.exitCode).to.equal(2);
      expect(without.stderr).to.contain(`add --network localhost (the badge names chain 31337 and registry ${first.address})`);

      // Another registry on the same chain: the anchor the badge names is not there.
      const provider = new JsonRpcProvider(node.url);
      const deployer = await provider.getSigner(0);
      const other = await new CredentialRegistry__factory(deployer).deploy(deployer.address, deployer.address);
      const otherAddress = await other.getAddress();
      provider.destroy();
      const elsewhere = await runHardhat(["credentials", "verify", badge, "--network", "localhost", "--registry", otherAddress], env);
      expect(elsewhere.exitCode).to.equal(1);
      expect(elsewhere.stdout).to.contain(`the badge names chain 31337 and registry ${first.address}; network "localhost" is chain 31337 and registry ${otherAddress}: verify it with the --network`);
    } finally {
      await node.stop();
      await rm(work, { recursive: true, force: true });
      for (const id of deployments) await rm(path.join(PROJECT_ROOT, "ignition", "deployments", id), { recursive: true, force: true });
    }
  });

  describe("on the in-process chain", function () {
    let connection: NetworkConnection;
    let sample: Awaited<ReturnType<typeof setUpSampleRegistry>>;
    let work: string;

    before(async function () {
      connection = await network.create();
      work = await mkdtemp(path.join(tmpdir(), "hints-sample-"));
      sample = await setUpSampleRegistry(connection, path.join(work, "issued"));
    });

    after(async function () {
      await rm(work, { recursive: true, force: true });
    });

    it("bundle refuses badges of several learners unless asked (--allow-several-holders), writing nothing", async function () {
      const files = ["uni-data-analytics-foundations", "uni-sql-for-analysts", "uni-data-analytics-foundations-grace"].map((name) => sample.badge("university", name));
      const out = path.join(work, "portfolio.json");
      const refusal = await bundleBadges(files, out).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refusal).to.be.instanceOf(CommandError);
      expect((refusal as CommandError).code).to.equal("several-holders");
      expect((refusal as CommandError).message).to.match(/belong to 2 different learners; nothing was written — name one learner's badges only, or pass --allow-several-holders/);
      expect((refusal as CommandError).message).to.contain("uni-data-analytics-foundations-grace.json");
      const { existsSync } = await import("node:fs");
      expect(existsSync(out)).to.equal(false);
      expect((await bundleBadges(files.slice(0, 2), out)).count).to.equal(2);
      expect((await bundleBadges(files, out, { allowSeveralHolders: true })).count).to.equal(3);
    });

    it("suspending a revoked badge is refused before a transaction is sent", async function () {
      const controller = await sample.as(sample.accounts.university);
      const refs = await credentialRefsFromFiles(controller, [sample.badge("university", "uni-sql-for-analysts")]);
      await changeCredentialStatus(controller, "revoke", refs, "issued-in-error");
      const before = await connection.ethers.provider.getBlockNumber();
      const refusal = await changeCredentialStatus(controller, "suspend", refs, "under-investigation").then(
        () => undefined,
        (error: unknown) => error,
      );
      expect((refusal as CommandError).code).to.equal("already-revoked");
      expect((refusal as CommandError).message).to.match(/uni-sql-for-analysts\.json: credential \d+ of batch 0x[0-9a-f]{64} is already revoked, which no suspension changes; nothing was sent/);
      expect(await connection.ethers.provider.getBlockNumber()).to.equal(before);
    });
  });
});
