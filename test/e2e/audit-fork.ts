/**
 * Auditing a fork, offline: one node holds the registry's history (the "real chain": the full 2.x
 * history of test/helpers/audit-history.ts — rotation, recovery, a compromise cut-off — sent to it over
 * HTTP), a second node forks it (its fork URL is the first node's 127.0.0.1 URL), and `audit` on the fork
 * gives the same report as on the original — as an auditor would fork a real chain to read it locally.
 */
import path from "node:path";

import { expect } from "chai";
import hre from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";

import { buildAuditHistory } from "../helpers/audit-history.js";
import { freePort, PROJECT_ROOT, runHardhat, startLocalNode, startProcess, stopProcessGroup, type LocalNode } from "../helpers/processes.js";

describe("audit of a forked chain (two separate nodes)", function () {
  this.timeout(180_000);
  let original: LocalNode;
  let fork: ReturnType<typeof startProcess> | undefined;
  let forkUrl: string;
  let registry: string;

  before(async function () {
    original = await startLocalNode("hardhat");
    const connection: NetworkConnection = await hre.network.create({ network: "localhost", override: { type: "http", url: original.url } as never });
    const history = await buildAuditHistory(connection);
    registry = await history.registry.getAddress();

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
  });

  it("gives the same report on the fork as on the original chain, identities and cut-offs included", async function () {
    const auditOf = async (url: string) => {
      const result = await runHardhat(["audit", "--network", "localhost", "--format", "json"], { LOCALHOST_RPC_URL: url, REGISTRY_ADDRESS: registry });
      expect(result.exitCode, result.stderr).to.equal(0);
      const report = JSON.parse(result.stdout.slice(result.stdout.indexOf("{")));
      return { issuers: report.issuers, identities: report.identities, months: report.months, timeline: report.timeline, consistent: report.consistent, events: report.events };
    };
    const onOriginal = await auditOf(original.url);
    const onFork = await auditOf(forkUrl);
    expect(onOriginal.consistent).to.equal(true);
    expect(onOriginal.timeline).to.have.length(onOriginal.events);
    expect(onOriginal.issuers[0]).to.include({ status: "active", anchors: 5, cutOff: 1 });
    expect(onOriginal.identities[1].controllerHistory.map((change: { how: string }) => change.how)).to.deep.equal(["registered", "cleared-by-compromise", "recovered-by-accreditor"]);
    expect(onFork).to.deep.equal(onOriginal);
  });
});
