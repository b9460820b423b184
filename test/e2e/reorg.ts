/**
 * A reorg, end to end: an anchor made after an `evm_snapshot` is verified `valid` (and the verdict
 * remembered, with a long cache TTL), then the chain is reverted to before the anchor (`evm_revert`) and a
 * block mined in its place. A revert emits no event: only the head's ancestry (the head went back, the
 * block at that height has another hash) tells the service, which must then forget what it read and
 * remembered, and stop answering `valid` for the reverted anchor after that next head.
 */
import { mkdtemp } from "node:fs/promises";
import path from "node:path";
import { tmpdir } from "node:os";

import { expect } from "chai";
import type { NetworkConnection } from "hardhat/types/network";

import { anchorBadges } from "../../scripts/credentials/anchor-badges.js";
import { EXAMPLES_DIR } from "../../scripts/sample-registry.js";
import { connectTo, deploymentFolderOf, pollUntil, removeDir, sampleOnNode, startServiceProcess, verifyAt, type SampleOnNode, type ServiceProcess } from "../helpers/chain-e2e.js";
import { startHardhatNode, type LocalNode } from "../helpers/processes.js";
import { readFile } from "node:fs/promises";

describe("the verifier service across a reorg (evm_snapshot / evm_revert)", function () {
  this.timeout(60_000);
  let node: LocalNode;
  let connection: NetworkConnection;
  let setUp: SampleOnNode;
  let service: ServiceProcess;
  let deployment: string | undefined;
  let extraDir: string | undefined;

  before(async function () {
    node = await startHardhatNode();
    connection = await connectTo(node.url);
    setUp = await sampleOnNode(connection);
    deployment = await deploymentFolderOf(connection);
    service = await startServiceProcess({
      RPC_URL: node.url,
      REGISTRY_ADDRESS: setUp.sample.registry,
      CACHE_TTL_SECONDS: "300",
      PINNED_DID_DOCUMENTS: setUp.pinnedFile,
    });
  });

  after(async function () {
    service?.stop();
    await connection?.close();
    await node?.stop();
    await removeDir(setUp?.workDir);
    await removeDir(extraDir);
    await removeDir(deployment);
  });

  it("stops answering valid for an anchor the chain no longer has, after the next head", async function () {
    const snapshot = await connection.provider.request({ method: "evm_snapshot", params: [] });
    extraDir = await mkdtemp(path.join(tmpdir(), "reorg-badge-"));
    const { sample } = setUp;
    await anchorBadges(await sample.as(sample.accounts.universityOperator), {
      files: [path.join(EXAMPLES_DIR, "uni-sql-for-analysts.json")],
      outDir: extraDir,
      skipInvalid: false,
      dryRun: false,
      progress: false,
      signing: sample.issuers.university.signingKey,
    });
    const badge = await readFile(path.join(extraDir, "uni-sql-for-analysts.json"), "utf8");
    // Let the event watch (it polls every second) pass the anchor's block first, so that what clears the
    // verdict remembered next can only be the reorg, not the anchor's own event arriving late.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect((await verifyAt(service.url, badge)).status).to.equal("valid");
    expect((await verifyAt(service.url, badge)).status).to.equal("valid"); // remembered

    expect(await connection.provider.request({ method: "evm_revert", params: [snapshot] })).to.equal(true);
    await connection.provider.request({ method: "evm_mine", params: [] });

    const after = await pollUntil(() => verifyAt(service.url, badge), (verdict) => verdict.status !== "valid", 5_000);
    expect(after.status).to.equal("unknown-anchor");
    expect(service.output()).to.match(/chain history changed, every cached read forgotten/);
  });
});
