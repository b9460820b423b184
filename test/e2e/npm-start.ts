/**
 * `npm start` with nothing configured, as the README promises a newcomer: its own Hardhat node, the
 * samples anchored (one revoked, a tampered copy), a stacked certificate, a baked PNG and a portfolio made,
 * the service answering for all of them — and Ctrl-C (SIGTERM) stops the service and the node. With a
 * local node already running and the registry deployed on it (the README walkthrough's), it serves that.
 */
import { readFile, rm } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";

import { freePort, lastJsonLine, PROJECT_ROOT, runHardhat, startHardhatNode, startProcess, stopProcessGroup } from "../helpers/processes.js";

async function waitForOutput(started: ReturnType<typeof startProcess>, text: string, timeoutMs = 150_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (!started.output().includes(text) && Date.now() < deadline && started.child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 250));
  return started.output();
}

describe("npm start with nothing configured", function () {
  this.timeout(180_000);

  it("serves the samples on a local node of its own, stacks and portfolios included, and stops both on SIGTERM", async function () {
    const port = await freePort();
    // No node where one is looked for first (a free port), so that it starts its own.
    const started = startProcess(path.join(PROJECT_ROOT, "node_modules", ".bin", "hardhat"), ["run", "scripts/start-local.ts"], { PORT: String(port), LOG_LEVEL: "warn", LOCALHOST_RPC_URL: `http://127.0.0.1:${await freePort()}` });
    try {
      const output = await waitForOutput(started, "Ctrl-C stops");
      expect(output, output).to.contain(`Verifier ready: open http://127.0.0.1:${port}/`);
      const file = (label: string) => path.join(PROJECT_ROOT, output.split("\n").find((line) => line.startsWith(label))!.slice(label.length).trim());
      const post = async (route: string, body: string) => {
        const response = await fetch(`http://127.0.0.1:${port}${route}`, { method: "POST", headers: { "content-type": "application/json" }, body });
        return (await response.json()) as any;
      };
      const certificate = await post("/v1/credentials/verify", await readFile(file("A stacked certificate (with its component tree):"), "utf8"));
      expect(certificate.status).to.equal("valid");
      expect(certificate.stack.components).to.have.length(3);
      const portfolio = await post("/v1/presentations/verify", await readFile(file("A portfolio for an employer (drop it, or several badges at once):"), "utf8"));
      expect(portfolio.summary).to.deep.include({ total: 5, verified: 5, sameSubject: true });
      expect((await post("/v1/credentials/verify", await readFile(file("A revoked badge (issued in error):"), "utf8"))).status).to.equal("revoked");
      expect((await post("/v1/credentials/verify", await readFile(file("A tampered copy (its title changed):"), "utf8"))).status).to.equal("tampered");
      expect(file("A stacked certificate (with its component tree):")).to.contain(`${path.sep}start-output${path.sep}`);
      const png = await fetch(`http://127.0.0.1:${port}/v1/credentials/verify`, { method: "POST", headers: { "content-type": "image/png" }, body: await readFile(file("A badge baked into its PNG image:")) });
      expect(((await png.json()) as any).status).to.equal("valid");

      const nodeUrl = /local Hardhat node on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1];
      stopProcessGroup(started.child);
      await new Promise((resolve) => started.child.once("exit", resolve));
      expect(started.child.exitCode).to.equal(0);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const nodeGone = await fetch(nodeUrl, { method: "POST", headers: { "content-type": "application/json" }, body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' }).then(
        () => false,
        () => true,
      );
      expect(nodeGone, "the node still answers after npm start stopped").to.equal(true);
    } finally {
      stopProcessGroup(started.child);
    }
  });

  it("serves the local node already running and the registry deployed on it, with a ready line", async function () {
    const node = await startHardhatNode();
    let deploymentId: string | undefined;
    let started: ReturnType<typeof startProcess> | undefined;
    try {
      const deployed = await runHardhat(["registry", "deploy", "--network", "localhost", "--json"], { LOCALHOST_RPC_URL: node.url });
      expect(deployed.exitCode, deployed.stderr).to.equal(0);
      const { address, deploymentId: id } = lastJsonLine<{ address: string; deploymentId: string }>(deployed.stdout);
      deploymentId = id;
      const port = await freePort();
      started = startProcess(path.join(PROJECT_ROOT, "node_modules", ".bin", "hardhat"), ["run", "scripts/start-local.ts"], { PORT: String(port), LOG_LEVEL: "warn", LOCALHOST_RPC_URL: node.url });
      const output = await waitForOutput(started, "Ctrl-C stops", 60_000);
      expect(output).to.contain(`Using the node already running on ${node.url} (chain 31337) and its registry ${address}`);
      expect(output).to.contain(`Verifier ready: open http://127.0.0.1:${port}/`);
      expect(output).not.to.contain("starting a local Hardhat node");
      const ready = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as { chains: Array<{ registry: string }> };
      expect(ready.chains.map((chain) => chain.registry.toLowerCase())).to.deep.equal([address.toLowerCase()]);
      stopProcessGroup(started.child);
      await new Promise((resolve) => started!.child.once("exit", resolve));
      // The node is the user's: it keeps running.
      const answer = await fetch(node.url, { method: "POST", headers: { "content-type": "application/json" }, body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' });
      expect(answer.ok).to.equal(true);
    } finally {
      if (started) stopProcessGroup(started.child);
      await node.stop();
      if (deploymentId) await rm(path.join(PROJECT_ROOT, "ignition", "deployments", deploymentId), { recursive: true, force: true });
    }
  });
});
