import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { expect } from "chai";
import { decodeFunctionData, encodeFunctionResult, getAbiItem, type Abi, type Hex } from "viem";

import { ChainHead, ChainTrustError, type Rpc } from "../../server/chain-head.js";
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
      const reply = (result: unknown) => response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id, result }));
      if (method === "eth_chainId") return reply("0x7a69");
      if (method === "eth_getBlockByNumber") return reply(fakeBlock((params[0] as unknown) === "safe" ? 5 : (params[0] as unknown) === "0x0" ? 0 : 8));
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

/** A block of the fake chain: hashes derived from the number, each the parent of the next. */
function fakeBlock(number: number, fork = 0) {
  const hash = (n: number) => `0x${(n + 1 + fork * 1000).toString(16).padStart(64, "0")}`;
  return { number: `0x${number.toString(16)}`, hash: hash(number), parentHash: number === 0 ? `0x${"0".repeat(64)}` : hash(number - 1), timestamp: `0x${Math.floor(Date.now() / 1000).toString(16)}` };
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

  it("sends reads asked together as one eth_call, at the block the configured tag names, each caller getting its own answer", async function () {
    const answers = await Promise.all([0, 1, 2, 3, 4].map((index) => registry.credentialStatus(ISSUER_ID, root(index + 10), BigInt(index))));
    expect(node.calls).to.have.length(1);
    expect(node.calls[0].block).to.equal("0x5"); // the node's safe block
    expect(registry.blockOf(answers[0])?.block).to.include({ chainId: 31337, number: 5, hash: fakeBlock(5).hash });
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

/**
 * A fake node for the head logic: a chain of blocks it can extend, fork, freeze or replace, and a chain id
 * it can change. Answers eth_chainId and eth_getBlockByNumber only.
 */
function fakeChain() {
  const chain = { chainId: 31337, height: 10, fork: 0, genesisFork: 0, nowSeconds: 1_800_000_000, headTime: 1_800_000_000, knowsSafe: true, requests: [] as string[] };
  const block = (number: number) => ({
    number: `0x${number.toString(16)}`,
    hash: `0x${(number === 0 ? chain.genesisFork * 7 + 1 : number + 1 + chain.fork * 1000).toString(16).padStart(64, "0")}`,
    parentHash: number === 0 ? `0x${"0".repeat(64)}` : `0x${(number - 1 === 0 ? chain.genesisFork * 7 + 1 : number + chain.fork * 1000).toString(16).padStart(64, "0")}`,
    timestamp: `0x${(chain.headTime - (chain.height - number) * 12).toString(16)}`,
  });
  const request: Rpc = async ({ method, params }) => {
    chain.requests.push(method === "eth_getBlockByNumber" ? `block ${String(params?.[0])}` : method);
    if (method === "eth_chainId") return `0x${chain.chainId.toString(16)}`;
    if (method !== "eth_getBlockByNumber") throw new Error(`unexpected ${method}`);
    const tag = String(params?.[0]);
    if (tag === "latest") return block(chain.height);
    if (tag === "safe" || tag === "finalized") {
      if (!chain.knowsSafe) throw Object.assign(new Error("invalid block tag"), { code: -32602 });
      return block(Math.max(0, chain.height - 3));
    }
    const number = Number(BigInt(tag));
    return number > chain.height ? null : block(number);
  };
  return { chain, request };
}

describe("the chain head: what the reader believes before it reads", function () {
  const head = (fake: ReturnType<typeof fakeChain>, options: Partial<ConstructorParameters<typeof ChainHead>[0]> = {}) => {
    const tracker = new ChainHead({
      chainId: 31337,
      request: fake.request,
      finality: { confirmations: 0 },
      maxHeadAgeSeconds: 120,
      refreshMs: 0,
      now: () => fake.chain.nowSeconds * 1000,
      ...options,
    });
    const resets: string[] = [];
    tracker.onReset((reason) => resets.push(reason));
    return { tracker, resets };
  };

  it("asks the chain id first and refuses a node of another chain, saying which", async function () {
    const fake = fakeChain();
    fake.chain.chainId = 1;
    const { tracker } = head(fake);
    const error = await tracker.pin().then(() => null, (caught: Error) => caught);
    expect(error).to.be.instanceOf(ChainTrustError);
    expect(error?.message).to.match(/chain id 1, not the configured 31337/);
    expect(fake.chain.requests).to.deep.equal(["eth_chainId"]);
  });

  it("pins the head with its number, hash and time, and asks the chain id again only after a failure", async function () {
    const fake = fakeChain();
    const { tracker } = head(fake);
    const pinned = await tracker.pin();
    expect(tracker.describe(pinned)).to.deep.equal({ chainId: 31337, number: 10, hash: `0x${(11).toString(16).padStart(64, "0")}`, timestamp: new Date(1_800_000_000_000).toISOString() });
    await tracker.pin();
    expect(fake.chain.requests.filter((request) => request === "eth_chainId")).to.have.length(1);
    fake.chain.chainId = 5;
    const failing = fake.request;
    let down = true;
    const flaky = head({ ...fake, request: async (args) => (down ? Promise.reject(new Error("connect ECONNREFUSED")) : failing(args)) });
    await flaky.tracker.pin().catch(() => {});
    down = false;
    // Back after a failure: the node proves its chain id again before anything is believed — and this one lies.
    expect(await flaky.tracker.pin().then(() => "pinned", (error: Error) => error.message)).to.match(/chain id 5/);
  });

  it("fails when the head is older than the limit, and not when there is no limit (a local automine chain)", async function () {
    const fake = fakeChain();
    fake.chain.nowSeconds = fake.chain.headTime + 600;
    const strict = head(fake).tracker;
    expect(await strict.pin().then(() => "pinned", (error: Error) => error.message)).to.match(/head \(block 10\) is 600 s old, over the limit of 120 s/);
    expect((await head(fake, { maxHeadAgeSeconds: 0 }).tracker.pin()).number).to.equal(10n);
  });

  it("reads at the safe block, or confirmations below the head, and falls back to confirmations only when configured to", async function () {
    const fake = fakeChain();
    expect((await head(fake, { finality: { blockTag: "safe" } }).tracker.pin()).number).to.equal(7n);
    expect((await head(fake, { finality: { confirmations: 4 } }).tracker.pin()).number).to.equal(6n);
    fake.chain.knowsSafe = false;
    expect(await head(fake, { finality: { blockTag: "safe" } }).tracker.pin().then(() => "pinned", (error: Error) => error.message)).to.match(/does not know the block tag "safe"/);
    expect((await head(fake, { finality: { blockTag: "safe", fallbackConfirmations: 2 } }).tracker.pin()).number).to.equal(8n);
  });

  it("does not reset while the chain grows, one block or several at a time", async function () {
    const fake = fakeChain();
    const { tracker, resets } = head(fake);
    await tracker.pin();
    fake.chain.height = 11;
    await tracker.pin();
    fake.chain.height = 15;
    await tracker.pin();
    expect(resets).to.deep.equal([]);
  });

  it("resets when the head goes back (evm_revert)", async function () {
    const fake = fakeChain();
    const { tracker, resets } = head(fake);
    await tracker.pin();
    fake.chain.height = 8;
    await tracker.pin();
    expect(resets).to.have.length(1);
    expect(resets[0]).to.match(/went back from block 10 to 8/);
  });

  it("resets when the block at a height seen before has another hash (a reorg of the same length)", async function () {
    const fake = fakeChain();
    const { tracker, resets } = head(fake);
    await tracker.pin();
    fake.chain.fork = 1;
    await tracker.pin();
    expect(resets).to.have.length(1);
    expect(resets[0]).to.match(/block 10 changed/);
  });

  it("resets when the new head's parent is not the block seen before it, and when blocks were skipped over a reorg", async function () {
    const fake = fakeChain();
    const { tracker, resets } = head(fake);
    await tracker.pin();
    fake.chain.fork = 1;
    fake.chain.height = 11;
    await tracker.pin();
    expect(resets).to.have.length(1);
    expect(resets[0]).to.match(/parent|block 10 changed/);
    fake.chain.fork = 2;
    fake.chain.height = 20;
    await tracker.pin();
    expect(resets).to.have.length(2);
  });

  it("resets when the node comes back with another genesis block (the node was replaced)", async function () {
    const fake = fakeChain();
    let down = false;
    const { tracker, resets } = head({ ...fake, request: async (args) => (down ? Promise.reject(new Error("socket hang up")) : fake.request(args)) });
    await tracker.pin();
    down = true;
    await tracker.pin().catch(() => {});
    down = false;
    fake.chain.genesisFork = 1;
    fake.chain.height = 30;
    await tracker.pin();
    expect(resets.some((reason) => /genesis block changed/.test(reason))).to.equal(true);
  });

  it("shares one refresh between concurrent callers, and reuses a pinned block for refreshMs", async function () {
    const fake = fakeChain();
    let nowMs = 1_800_000_000_000;
    const { tracker } = head(fake, { refreshMs: 1_000, now: () => nowMs });
    await Promise.all([tracker.pin(), tracker.pin(), tracker.pin()]);
    expect(fake.chain.requests.filter((request) => request === "block latest")).to.have.length(1);
    nowMs += 500;
    await tracker.pin();
    expect(fake.chain.requests.filter((request) => request === "block latest")).to.have.length(1);
    nowMs += 600;
    await tracker.pin();
    expect(fake.chain.requests.filter((request) => request === "block latest")).to.have.length(2);
  });

  it("refuses a block that is not a block (garbage from the node)", async function () {
    const fake = fakeChain();
    const { tracker } = head({ ...fake, request: async (args) => (args.method === "eth_getBlockByNumber" && args.params?.[0] === "latest" ? { number: "ten" } : fake.request(args)) });
    expect(await tracker.pin().then(() => "pinned", (error: Error) => error.message)).to.match(/is not a block/);
  });
});

describe("a chain's several endpoints", function () {
  it("leaves out an endpoint that answers for another chain, logs it redacted, and reads through the next", async function () {
    const liar = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        const { id } = JSON.parse(body) as { id: number };
        response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id, result: "0x1" }));
      });
    });
    liar.listen(0, "127.0.0.1");
    await once(liar, "listening");
    const honest = fakeNode();
    honest.server.listen(0, "127.0.0.1");
    await once(honest.server, "listening");
    const liarUrl = `http://127.0.0.1:${(liar.address() as AddressInfo).port}/v3/SECRETKEY123`;
    const honestUrl = `http://127.0.0.1:${(honest.server.address() as AddressInfo).port}`;
    const logged: string[] = [];
    const logger = { warn: (_fields: object, message: string) => logged.push(message), info: (_fields: object, message: string) => logged.push(message) };
    try {
      const registry = new ChainRegistry(
        { chainId: 31337, name: "two endpoints", rpcUrl: liarUrl, rpcUrls: [liarUrl, honestUrl], registry: REGISTRY, blockTag: "latest", confirmations: 0 },
        { timeoutMs: 2_000, logger },
      );
      expect(await registry.proveNode()).to.equal(undefined);
      expect((await registry.credentialStatus(ISSUER_ID, root(3), 3n)).count).to.equal(3);
      expect(registry.endpoints?.health()).to.deep.include({ total: 2, healthy: 1 });
      expect(logged.join("\n")).to.match(/left out: http:\/\/127\.0\.0\.1:\d+\/… answers chain id 1, not the configured 31337/);
      expect(logged.join("\n")).to.not.contain("SECRETKEY123");
    } finally {
      liar.close();
      honest.server.closeAllConnections();
      honest.server.close();
    }
  });
});
