import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { expect } from "chai";
import { decodeFunctionData, encodeFunctionResult, getAbiItem, type Abi, type Hex } from "viem";

import { ChainRegistry } from "../../server/chain-reader.js";
import { registryAbi } from "../../server/registry-abi.js";

const statusAbi = [getAbiItem({ abi: registryAbi, name: "credentialStatus" })] as Abi;
const multicallAbi = [getAbiItem({ abi: registryAbi, name: "multicall" })] as Abi;
const REGISTRY = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

/**
 * A stand-in node that answers the registry's multicall of credentialStatus: each read's status says
 * `count` = its index, so every caller can check it got its own answer. Calls are held until `release`.
 */
function fakeNode() {
  const calls: Array<{ reads: Array<{ issuerId: Hex; root: Hex; index: bigint }>; block: unknown }> = [];
  const held: Array<() => void> = [];
  let hold = false;
  let fail = false;
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      const { id, method, params } = JSON.parse(body) as { id: number; method: string; params: [{ data: Hex }, unknown] };
      if (method !== "eth_call") throw new Error(`unexpected ${method}`);
      const inner = (decodeFunctionData({ abi: multicallAbi, data: params[0].data }).args as [Hex[]])[0];
      const reads = inner.map((call) => {
        const [issuerId, root, index] = decodeFunctionData({ abi: statusAbi, data: call }).args as [Hex, Hex, bigint];
        return { issuerId, root, index };
      });
      calls.push({ reads, block: params[1] });
      const answer = () => {
        if (fail) {
          response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id, error: { code: -32000, message: "execution reverted" } }));
          return;
        }
        const results = reads.map(({ index }) =>
          encodeFunctionResult({
            abi: statusAbi,
            functionName: "credentialStatus",
            result: {
              anchored: true,
              inRange: true,
              revoked: false,
              suspended: false,
              batchRevoked: false,
              keyCompromised: false,
              actingKey: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
              anchoredAt: 1_700_000_000,
              count: Number(index),
              keyCompromisedSince: 0,
              issuerStatus: 1,
              issuerStatusReason: 0,
              issuerStatusSince: 1_700_000_000,
              controller: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
            } as never,
          }),
        );
        const result = encodeFunctionResult({ abi: multicallAbi, functionName: "multicall", result: results as never });
        response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id, result }));
      };
      if (hold) held.push(answer);
      else answer();
    });
  });
  return {
    server,
    calls,
    holdAnswers: (value: boolean) => (hold = value),
    failAnswers: (value: boolean) => (fail = value),
    release: () => held.splice(0).forEach((answer) => answer()),
    heldCount: () => held.length,
  };
}

const root = (n: number) => `0x${n.toString(16).padStart(64, "0")}` as Hex;
const ISSUER_ID = `0x${"ab".repeat(32)}` as Hex;

async function until(condition: () => boolean) {
  for (let attempt = 0; attempt < 500 && !condition(); attempt++) await new Promise((resolve) => setTimeout(resolve, 2));
  expect(condition()).to.equal(true);
}

describe("the chain reader's credential-status reads", function () {
  let node: ReturnType<typeof fakeNode>;
  let registry: ChainRegistry;

  beforeEach(async function () {
    node = fakeNode();
    node.server.listen(0, "127.0.0.1");
    await once(node.server, "listening");
    const url = `http://127.0.0.1:${(node.server.address() as AddressInfo).port}`;
    registry = new ChainRegistry({ chainId: 31337, name: "fake", rpcUrl: url, registry: REGISTRY, blockTag: "safe", confirmations: 0 }, { timeoutMs: 5_000 });
  });
  afterEach(function () {
    node.release();
    node.server.closeAllConnections();
    node.server.close();
  });

  it("sends reads asked together as one eth_call, at the configured block tag, each caller getting its own answer", async function () {
    const answers = await Promise.all([0, 1, 2, 3, 4].map((index) => registry.credentialStatus(ISSUER_ID, root(index + 10), BigInt(index))));
    expect(node.calls).to.have.length(1);
    expect(node.calls[0].block).to.equal("safe");
    expect(node.calls[0].reads.map((read) => [read.issuerId, read.root, read.index])).to.deep.equal([0, 1, 2, 3, 4].map((index) => [ISSUER_ID, root(index + 10), BigInt(index)]));
    expect(answers.map((answer) => answer.count)).to.deep.equal([0, 1, 2, 3, 4]);
    expect(answers[0].issuerStatus).to.equal("active");
  });

  it("sends a lone read at once, and reads asked while a call is out together when it comes back", async function () {
    node.holdAnswers(true);
    const first = registry.credentialStatus(ISSUER_ID, root(1), 1n);
    await until(() => node.heldCount() === 1);
    // Asked in three different turns of the event loop, while the first call is out: they wait for it.
    const later: Array<Promise<{ count: number }>> = [];
    for (const index of [2, 3, 4]) {
      later.push(registry.credentialStatus(ISSUER_ID, root(index), BigInt(index)));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(node.calls).to.have.length(1);
    node.holdAnswers(false);
    node.release();
    expect((await first).count).to.equal(1);
    expect((await Promise.all(later)).map((answer) => answer.count)).to.deep.equal([2, 3, 4]);
    expect(node.calls).to.have.length(2);
    expect(node.calls[1].reads.map((read) => read.index)).to.deep.equal([2n, 3n, 4n]);
  });

  it("does not hold reads behind a call that does not come back: they go after a few milliseconds", async function () {
    node.holdAnswers(true);
    void registry.credentialStatus(ISSUER_ID, root(1), 1n).catch(() => {});
    await until(() => node.heldCount() === 1);
    const waiting = registry.credentialStatus(ISSUER_ID, root(2), 2n);
    await until(() => node.calls.length === 2);
    node.holdAnswers(false);
    node.release();
    expect((await waiting).count).to.equal(2);
  });

  it("fails a read that cannot be asked on its own, not the reads asked with it", async function () {
    const [bad, good] = await Promise.allSettled([registry.credentialStatus(ISSUER_ID, "0x1234", 0n), registry.credentialStatus(ISSUER_ID, root(5), 5n)]);
    expect(bad.status).to.equal("rejected");
    expect((bad as PromiseRejectedResult).reason.message).to.match(/not a 32-byte root/);
    expect(good).to.deep.include({ status: "fulfilled" });
    expect(node.calls.map((call) => call.reads.length)).to.deep.equal([1]);
  });

  it("fails every read of a call the node refuses, and the next reads go through", async function () {
    node.failAnswers(true);
    const results = await Promise.allSettled([1, 2, 3].map((index) => registry.credentialStatus(ISSUER_ID, root(index), BigInt(index))));
    expect(results.map((result) => result.status)).to.deep.equal(["rejected", "rejected", "rejected"]);
    node.failAnswers(false);
    expect((await registry.credentialStatus(ISSUER_ID, root(4), 4n)).count).to.equal(4);
  });
});
