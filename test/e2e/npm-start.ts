/**
 * `npm start` with nothing configured, as the README promises a newcomer: its own Hardhat node, the
 * samples anchored, a stacked certificate, a baked PNG and a portfolio made, the service answering for all
 * of them — and Ctrl-C (SIGTERM) stops the service and the node.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";

import { freePort, PROJECT_ROOT, startProcess, stopProcessGroup } from "../helpers/processes.js";

describe("npm start with nothing configured", function () {
  this.timeout(180_000);

  it("serves the samples on a local node of its own, stacks and portfolios included, and stops both on SIGTERM", async function () {
    const port = await freePort();
    const started = startProcess(path.join(PROJECT_ROOT, "node_modules", ".bin", "hardhat"), ["run", "scripts/start-local.ts"], { PORT: String(port), LOG_LEVEL: "warn" });
    try {
      const deadline = Date.now() + 150_000;
      while (!started.output().includes("Ctrl-C stops") && Date.now() < deadline && started.child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 250));
      const output = started.output();
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
});
