/**
 * The node replaced behind the same URL, end to end: the service reads a Hardhat node through a proxy;
 * the node is stopped and a new one started behind the proxy (a fresh chain: another genesis block), the
 * registry deployed again at the same address (same deployer, same nonce) and the badge's batch anchored
 * again. The service notices by itself (the chain's history changed), its event watch carries on, and a
 * revocation on the new node shows within a couple of seconds — not at the cache TTL (300 s here).
 */
import { expect } from "chai";
import type { NetworkConnection } from "hardhat/types/network";

import { deployRegistry } from "../../scripts/deploy-registry.js";
import { registerIssuer } from "../../scripts/commands/issuer.js";
import { connectTo, deploymentFolderOf, pollUntil, removeDir, revokeUniversityBadge, sampleOnNode, startServiceProcess, verifyAt, type SampleOnNode, type ServiceProcess } from "../helpers/chain-e2e.js";
import { JsonRpcProxy } from "../helpers/json-rpc-proxy.js";
import { startHardhatNode, type LocalNode } from "../helpers/processes.js";

describe("the verifier service when its node is replaced", function () {
  this.timeout(90_000);
  const nodes: LocalNode[] = [];
  const deployments: string[] = [];
  let proxy: JsonRpcProxy;
  let connection: NetworkConnection;
  let setUp: SampleOnNode;
  let service: ServiceProcess;

  before(async function () {
    nodes.push(await startHardhatNode());
    proxy = await new JsonRpcProxy(nodes[0].url).start();
    // This process reaches the chain through the proxy too, so that it follows the node's replacement.
    connection = await connectTo(proxy.url);
    setUp = await sampleOnNode(connection);
    deployments.push(await deploymentFolderOf(connection));
    service = await startServiceProcess({
      RPC_URL: proxy.url,
      REGISTRY_ADDRESS: setUp.sample.registry,
      CACHE_TTL_SECONDS: "300",
      PINNED_DID_DOCUMENTS: setUp.pinnedFile,
    });
  });

  after(async function () {
    service?.stop();
    await connection?.close();
    await proxy?.close();
    for (const node of nodes) await node.stop();
    await removeDir(setUp?.workDir);
    for (const deployment of deployments) await removeDir(deployment);
  });

  it("recovers by itself: a revocation on the new node shows within seconds", async function () {
    const badge = await setUp.universityBadge(0);
    expect((await verifyAt(service.url, badge)).status).to.equal("valid");

    await nodes[0].stop();
    nodes.push(await startHardhatNode());
    proxy.retarget(nodes[1].url);

    const { sample } = setUp;
    const redeployed = await deployRegistry(connection);
    deployments.push(await deploymentFolderOf(connection));
    expect(redeployed.address).to.equal(sample.registry);
    await registerIssuer(await sample.as(sample.accounts.accreditor), sample.issuers.university.profileId, sample.accounts.university);
    // The old node's verdict was remembered for 300 s; the new chain's history tells the service to forget it.
    const forgotten = await pollUntil(() => verifyAt(service.url, badge), (verdict) => verdict.status !== "valid", 5_000);
    expect(forgotten.status).to.equal("unknown-anchor");

    const batch = sample.batches.find((found) => found.who === "university")!;
    const university = await sample.as(sample.accounts.university);
    await (await university.registry.anchor(sample.issuers.university.issuerId, batch.root, batch.count)).wait();

    const reread = await pollUntil(() => verifyAt(service.url, badge), (verdict) => verdict.status === "valid", 5_000);
    expect(reread.status).to.equal("valid");

    await revokeUniversityBadge(sample, 0);
    const revoked = await pollUntil(() => verifyAt(service.url, badge), (verdict) => verdict.status === "revoked", 2_500);
    expect(revoked.status).to.equal("revoked");
    expect(service.output()).to.not.contain("Cannot read properties of null");
  });
});
