/**
 * Auditing a fork, offline: one node is populated by the commands (the "real chain"), a second node forks
 * it (its fork URL is the first node's 127.0.0.1 URL), and `audit` on the fork gives the same report as on
 * the original — as an auditor would fork a real chain to read it locally.
 */
import { rm } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";

import { EXAMPLES_DIR } from "../helpers/badges.js";
import { freePort, lastJsonLine, PROJECT_ROOT, runHardhat, startLocalNode, startProcess, stopProcessGroup, type LocalNode } from "../helpers/processes.js";

const UNIVERSITY = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

describe("audit of a forked chain (two separate nodes)", function () {
  this.timeout(180_000);
  let original: LocalNode;
  let fork: ReturnType<typeof startProcess> | undefined;
  let forkUrl: string;
  let registry: string;
  let deploymentId: string;

  before(async function () {
    original = await startLocalNode("hardhat");
    const env = { LOCALHOST_RPC_URL: original.url };
    const deployed = await runHardhat(["registry", "deploy", "--network", "localhost", "--json"], env);
    ({ address: registry, deploymentId } = lastJsonLine<{ address: string; deploymentId: string }>(deployed.stdout));
    const withRegistry = { ...env, REGISTRY_ADDRESS: registry };
    expect((await runHardhat(["issuer", "register", UNIVERSITY, "--profile", "did:web:uni.example", "--network", "localhost"], withRegistry)).exitCode).to.equal(0);
    const out = path.join(PROJECT_ROOT, "test-output", "audit-fork-badges");
    await rm(out, { recursive: true, force: true });
    const anchored = await runHardhat(["credentials", "anchor", path.join(EXAMPLES_DIR, "uni-sql-for-analysts.json"), "--out", out, "--from", UNIVERSITY, "--network", "localhost"], withRegistry);
    expect(anchored.exitCode, anchored.stderr).to.equal(0);
    await runHardhat(["credentials", "revoke", path.join(out, "uni-sql-for-analysts.json"), "--reason", "superseded", "--from", UNIVERSITY, "--network", "localhost"], withRegistry);
    await runHardhat(["issuer", "suspend", UNIVERSITY, "--reason", "under-investigation", "--network", "localhost"], withRegistry);

    const port = await freePort();
    forkUrl = `http://127.0.0.1:${port}`;
    fork = startProcess(path.join(PROJECT_ROOT, "node_modules", ".bin", "hardhat"), ["node", "--hostname", "127.0.0.1", "--port", String(port), "--fork", original.url]);
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        const response = await fetch(forkUrl, { method: "POST", headers: { "content-type": "application/json" }, body: '{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}' });
        if (response.ok) break;
      } catch {
        // not yet
      }
      if (Date.now() > deadline) throw new Error(`the fork did not start:\n${fork.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });

  after(async function () {
    if (fork) stopProcessGroup(fork.child);
    await original?.stop();
    if (deploymentId) await rm(path.join(PROJECT_ROOT, "ignition", "deployments", deploymentId), { recursive: true, force: true });
  });

  it("gives the same report on the fork as on the original chain", async function () {
    const auditOf = async (url: string) => {
      const result = await runHardhat(["audit", "--network", "localhost", "--format", "json"], { LOCALHOST_RPC_URL: url, REGISTRY_ADDRESS: registry });
      expect(result.exitCode, result.stderr).to.equal(0);
      const report = JSON.parse(result.stdout.slice(result.stdout.indexOf("{")));
      return { issuers: report.issuers, months: report.months, timeline: report.timeline, consistent: report.consistent, events: report.events };
    };
    const onOriginal = await auditOf(original.url);
    const onFork = await auditOf(forkUrl);
    expect(onOriginal.consistent).to.equal(true);
    expect(onOriginal.events).to.be.greaterThan(3);
    expect(onOriginal.issuers[0]).to.include({ status: "suspended", anchors: 1, revoked: 1 });
    expect(onFork).to.deep.equal(onOriginal);
  });
});
