/**
 * `npx hardhat registry deploy` as a user runs it: on the in-process network, and on a separate
 * `hardhat node` process (network `localhost`), where the contract must really be on chain.
 */
import { rm } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import { Contract, JsonRpcProvider } from "ethers";

import artifact from "../../artifacts/contracts/CredentialRegistry.sol/CredentialRegistry.json" with { type: "json" };
import { freePort, lastJsonLine, PROJECT_ROOT, runHardhat, startHardhatNode, type LocalNode } from "../helpers/processes.js";

interface DeployOutput {
  network: string;
  address: string;
  chainId: number;
  admin: string;
  accreditor: string;
  deploymentId: string;
  blockNumber: number | null;
}

describe("registry deploy (CLI)", function () {
  this.timeout(180_000);

  it("deploys on the in-process network and prints the address", async function () {
    const result = await runHardhat(["registry", "deploy"]);
    expect(result.exitCode, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/CredentialRegistry deployed at 0x[0-9a-fA-F]{40}/);
    expect(result.stdout).to.match(/chain id\s+31337/);
  });

  it("refuses a malformed address with a one-line error and exit code 2", async function () {
    const result = await runHardhat(["registry", "deploy", "--admin", "0x1234", "--json"]);
    expect(result.exitCode).to.equal(2);
    const output = lastJsonLine<{ error: { code: string; message: string } }>(result.stdout);
    expect(output.error.code).to.equal("invalid-address");
    expect(output.error.message).to.contain("--admin");
    expect(result.stderr).not.to.contain("    at ");
  });

  describe("on a separate hardhat node", function () {
    let node: LocalNode;
    const deploymentIds: string[] = [];

    before(async function () {
      node = await startHardhatNode();
    });

    after(async function () {
      await node?.stop();
      for (const id of deploymentIds) {
        await rm(path.join(PROJECT_ROOT, "ignition", "deployments", id), { recursive: true, force: true });
      }
    });

    it("puts the registry on chain with the roles asked for, and a re-run reuses it", async function () {
      const env = { LOCALHOST_RPC_URL: node.url };
      const provider = new JsonRpcProvider(node.url);
      const [, accreditor] = await provider.listAccounts();
      const args = ["registry", "deploy", "--network", "localhost", "--accreditor", accreditor.address, "--json"];

      const first = await runHardhat(args, env);
      expect(first.exitCode, first.stderr).to.equal(0);
      const deployed = lastJsonLine<DeployOutput>(first.stdout);
      deploymentIds.push(deployed.deploymentId);
      expect(deployed.network).to.equal("localhost");
      expect(deployed.chainId).to.equal(31337);
      expect(await provider.getCode(deployed.address)).to.not.equal("0x");

      const registry = new Contract(deployed.address, artifact.abi, provider);
      expect(await registry.version()).to.equal("2.0.0");
      expect(await registry.hasRole(await registry.ACCREDITOR_ROLE(), accreditor.address)).to.equal(true);
      expect(await registry.hasRole(await registry.DEFAULT_ADMIN_ROLE(), deployed.admin)).to.equal(true);

      await provider.send("evm_mine", []);
      await provider.send("evm_mine", []);
      const again = await runHardhat(args, env);
      expect(again.exitCode, again.stderr).to.equal(0);
      expect(lastJsonLine<DeployOutput>(again.stdout).address).to.equal(deployed.address);
      // The block it was deployed in, not the block the re-run happened at (an audit starts there).
      expect(deployed.blockNumber).to.be.a("number");
      expect(lastJsonLine<DeployOutput>(again.stdout).blockNumber).to.equal(deployed.blockNumber);

      // Ignition declines to redeploy with other roles: one JSON line, not a stack trace.
      const changed = await runHardhat(["registry", "deploy", "--network", "localhost", "--accreditor", deployed.admin, "--json"], env);
      expect(changed.exitCode).to.equal(1);
      const refusal = lastJsonLine<{ error: { code: string; message: string } }>(changed.stdout);
      expect(refusal.error.code).to.equal("deploy-failed");
      expect(changed.stderr).not.to.contain("    at ");
      provider.destroy();
    });
  });

  it("says in one line, with exit code 3, that the node cannot be reached", async function () {
    const result = await runHardhat(["registry", "deploy", "--network", "localhost", "--json"], { LOCALHOST_RPC_URL: `http://127.0.0.1:${await freePort()}` });
    expect(result.exitCode).to.equal(3);
    expect(lastJsonLine<{ error: { code: string } }>(result.stdout).error.code).to.equal("chain-unreachable");
    expect(result.stderr).not.to.contain("    at ");
  });
});
