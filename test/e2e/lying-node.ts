/**
 * A node that lies, end to end: the service (its own process) reads a real Hardhat node through a
 * JSON-RPC proxy that answers another chain id, freezes the head at a block before a revocation, answers
 * with another request's id, or answers garbage. Under every lie neither a revoked badge nor a valid one
 * reads `valid`: both are `unavailable` (503) with a detail that says why, and /readyz is not ready. Told
 * the truth again, the service recovers by itself.
 */
import { expect } from "chai";
import type { NetworkConnection } from "hardhat/types/network";

import { anchorDetail, connectTo, deploymentFolderOf, removeDir, revokeUniversityBadge, sampleOnNode, startServiceProcess, verifyAt, type SampleOnNode, type ServiceProcess } from "../helpers/chain-e2e.js";
import { JsonRpcProxy, type Lie } from "../helpers/json-rpc-proxy.js";
import { startHardhatNode, type LocalNode } from "../helpers/processes.js";

/** The head age the service accepts in this test: the frozen head is older than that within seconds. */
const MAX_HEAD_AGE_SECONDS = 2;

describe("the verifier service against a lying node", function () {
  this.timeout(60_000);
  let node: LocalNode;
  let proxy: JsonRpcProxy;
  let connection: NetworkConnection;
  let setUp: SampleOnNode;
  let service: ServiceProcess;
  let revokedBadge: string;
  let validBadge: string;
  let deployment: string | undefined;

  /** A new block on the real node, so that an honest head is fresh. */
  const mine = () => connection.provider.request({ method: "evm_mine", params: [] });

  before(async function () {
    node = await startHardhatNode();
    connection = await connectTo(node.url);
    setUp = await sampleOnNode(connection);
    deployment = await deploymentFolderOf(connection);
    validBadge = await setUp.universityBadge(1);
    revokedBadge = await setUp.universityBadge(0);
    proxy = await new JsonRpcProxy(node.url).start();
    service = await startServiceProcess({
      RPC_URL: proxy.url,
      REGISTRY_ADDRESS: setUp.sample.registry,
      CACHE_TTL_SECONDS: "0",
      MAX_HEAD_AGE_SECONDS: String(MAX_HEAD_AGE_SECONDS),
      PINNED_DID_DOCUMENTS: setUp.pinnedFile,
    });
  });

  afterEach(function () {
    proxy.honest();
  });

  after(async function () {
    service?.stop();
    await proxy?.close();
    await connection?.close();
    await node?.stop();
    await removeDir(setUp?.workDir);
    await removeDir(deployment);
  });

  it("reads valid and revoked from an honest node, naming the block", async function () {
    await mine();
    const valid = await verifyAt(service.url, validBadge);
    expect(valid).to.include({ httpStatus: 200, status: "valid" });
    expect(valid.chainBlock?.number).to.be.a("number");
    expect(valid.chainBlock?.hash).to.match(/^0x[0-9a-f]{64}$/);
    expect((await verifyAt(service.url, revokedBadge)).status).to.equal("valid"); // not yet revoked
  });

  it("answers 50 concurrent /readyz from one probe of the node", async function () {
    await mine();
    const before = proxy.count();
    const answers = await Promise.all(Array.from({ length: 50 }, () => fetch(`${service.url}/readyz`)));
    expect(answers.map((answer) => answer.status)).to.deep.equal(Array(50).fill(200));
    // One probe: the chain id, the head, the registry's code (and at most one more if the endpoint re-proves itself).
    expect(proxy.count() - before).to.be.at.most(4);
  });

  it("never reads valid from a head frozen before the revocation: the head is stale", async function () {
    const before = (await connection.provider.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as { number: string; timestamp: string };
    await proxy.freezeHead(BigInt(before.number));
    await revokeUniversityBadge(setUp.sample, 0);
    // Hardhat gives each block at least the previous one's time + 1 s, so after a burst of transactions
    // the chain's clock runs ahead of the wall clock: wait until the frozen block is old by the wall clock.
    const staleAtMs = (Number(BigInt(before.timestamp)) + MAX_HEAD_AGE_SECONDS + 1) * 1000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, staleAtMs - Date.now())));
    for (const badge of [revokedBadge, validBadge]) {
      const verdict = await verifyAt(service.url, badge);
      expect(verdict, anchorDetail(verdict)).to.include({ httpStatus: 503, status: "unavailable", verified: false });
      expect(anchorDetail(verdict)).to.match(/head \(block \d+\) is \d+ s old, over the limit of 2 s/);
    }
    expect((await fetch(`${service.url}/readyz`)).status).to.equal(503);
    proxy.honest();
    await mine();
    expect((await verifyAt(service.url, revokedBadge)).status).to.equal("revoked");
  });

  // The chain-id lie last: an endpoint that answered for another chain is left out for a few seconds.
  const lies: Array<[Lie, RegExp]> = [
    ["wrong-id", /answered id \d+ to request id \d+/],
    ["garbage", /not JSON/],
    ["truncated", /not JSON/],
    ["chain-id", /chain id 1, not the configured 31337/],
  ];
  for (const [lie, why] of lies) {
    it(`never reads valid when the node lies (${lie}), says why, and is not ready`, async function () {
      await mine();
      proxy.lie = lie;
      for (const badge of [revokedBadge, validBadge]) {
        const verdict = await verifyAt(service.url, badge);
        expect(verdict).to.include({ httpStatus: 503, status: "unavailable", verified: false });
        expect(anchorDetail(verdict)).to.match(why);
      }
      // /readyz probes afresh once its last probe is 2 s old, asking the chain id again.
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      const readiness = await fetch(`${service.url}/readyz`);
      expect(readiness.status).to.equal(503);
      const body = (await readiness.json()) as { status: string; chains: Array<{ ready: boolean; problem?: string }> };
      expect(body.status).to.equal("unavailable");
      expect(body.chains[0].problem).to.match(why);
      proxy.honest();
    });
  }

  it("comes back by itself once told the truth: the node proves its chain id again", async function () {
    await mine();
    // An endpoint that answered for another chain is left out for a few seconds before it may prove itself.
    let verdict = await verifyAt(service.url, validBadge);
    for (let attempt = 0; attempt < 40 && verdict.status !== "valid"; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      verdict = await verifyAt(service.url, validBadge);
    }
    expect(verdict.status, anchorDetail(verdict)).to.equal("valid");
    expect((await verifyAt(service.url, revokedBadge)).status).to.equal("revoked");
    await new Promise((resolve) => setTimeout(resolve, 2_100)); // past the readiness probe's 2 s
    await mine(); // an idle automine chain's head ages too: this test allows 2 s
    const readiness = await fetch(`${service.url}/readyz`);
    expect(readiness.status, await readiness.clone().text()).to.equal(200);
    expect(((await readiness.json()) as { chains: Array<{ chainIdVerified: boolean; endpoints: { healthy: number } }> }).chains[0]).to.deep.include({ chainIdVerified: true, endpoints: { healthy: 1, total: 1 } });
    expect(service.output()).to.match(/RPC endpoint left out: http:\/\/127\.0\.0\.1:\d+ answers chain id 1/);
  });
});
