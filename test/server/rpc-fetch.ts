import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { expect } from "chai";
import { createPublicClient, http } from "viem";

import { createRpcFetch } from "../../server/rpc-fetch.js";

describe("the RPC fetch under viem", function () {
  let server: Server;
  let url: string;
  let handle: (request: IncomingMessage, body: string, response: ServerResponse) => void;

  before(async function () {
    server = createServer((request, response) => {
      let body = "";
      request.setEncoding("utf8");
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => handle(request, body, response));
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(function () {
    server.closeAllConnections();
    server.close();
  });

  it("carries a JSON-RPC batch both ways, headers included", async function () {
    const seen: Array<{ method: string; contentType: string | undefined; body: unknown }> = [];
    handle = (request, body, response) => {
      seen.push({ method: request.method!, contentType: request.headers["content-type"], body: JSON.parse(body) });
      const calls = JSON.parse(body) as Array<{ id: number }>;
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(calls.map((call) => ({ jsonrpc: "2.0", id: call.id, result: "0x7a69" }))));
    };
    const client = createPublicClient({ transport: http(url, { batch: { wait: 5 }, retryCount: 0, fetchFn: createRpcFetch() }) });
    const addresses = ["0x0000000000000000000000000000000000000001", "0x0000000000000000000000000000000000000002", "0x0000000000000000000000000000000000000003"] as const;
    const balances = await Promise.all(addresses.map((address) => client.getBalance({ address })));
    expect(balances).to.deep.equal([31337n, 31337n, 31337n]);
    expect(seen).to.have.length(1);
    expect(seen[0].method).to.equal("POST");
    expect(seen[0].contentType).to.equal("application/json");
    expect(seen[0].body).to.have.length(3);
  });

  it("turns an HTTP error and a body that is not JSON into errors, never into answers", async function () {
    const client = createPublicClient({ transport: http(url, { retryCount: 0, fetchFn: createRpcFetch() }) });
    handle = (_request, _body, response) => {
      response.writeHead(502, { "content-type": "text/plain" });
      response.end("bad gateway");
    };
    const gateway = await client.getChainId().then(() => null, (error: Error) => error);
    expect(gateway?.message).to.contain("HTTP request failed").and.to.contain("502");
    handle = (_request, _body, response) => {
      response.writeHead(200, { "content-type": "text/html" });
      response.end("<html>captive portal</html>");
    };
    const portal = await client.getChainId().then(() => null, (error: Error) => error);
    expect(portal).to.be.instanceOf(Error);
  });

  it("refuses an answer to another request id, or a JSON value that is no JSON-RPC response, never returning its result", async function () {
    const client = createPublicClient({ transport: http(url, { retryCount: 0, fetchFn: createRpcFetch() }) });
    const answers: Array<(id: number) => unknown> = [
      (id) => ({ jsonrpc: "2.0", id: id + 1, result: "0x1" }),
      () => ({ jsonrpc: "2.0", result: "0x1" }),
      () => ({ id: null }),
      () => ["0x1"],
      () => "0x1",
    ];
    for (const answer of answers) {
      handle = (_request, body, response) => {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify(answer((JSON.parse(body) as { id: number }).id)));
      };
      const error = await client.getChainId().then(() => null, (caught: Error) => caught);
      expect(error, JSON.stringify(answer(0))).to.be.instanceOf(Error);
      expect(error?.message).to.match(/answered id|not a JSON-RPC response/);
    }
  });

  it("refuses a truncated answer", async function () {
    const client = createPublicClient({ transport: http(url, { retryCount: 0, fetchFn: createRpcFetch() }) });
    handle = (_request, body, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ jsonrpc: "2.0", id: (JSON.parse(body) as { id: number }).id, result: "0x7a69" }).slice(0, 30));
    };
    const error = await client.getChainId().then(() => null, (caught: Error) => caught);
    expect(error?.message).to.contain("not JSON");
  });

  it("refuses a batch answer with an id that was not asked", async function () {
    handle = (_request, body, response) => {
      const calls = JSON.parse(body) as Array<{ id: number }>;
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(calls.map((call, index) => ({ jsonrpc: "2.0", id: index === 0 ? 999_999 : call.id, result: "0x1" }))));
    };
    const client = createPublicClient({ transport: http(url, { batch: { wait: 5 }, retryCount: 0, fetchFn: createRpcFetch() }) });
    const results = await Promise.allSettled(["0x0000000000000000000000000000000000000001", "0x0000000000000000000000000000000000000002"].map((address) => client.getBalance({ address: address as `0x${string}` })));
    expect(results.map((result) => result.status)).to.deep.equal(["rejected", "rejected"]);
  });

  it("gives up when viem's timeout passes, through the abort signal", async function () {
    handle = () => {
      // never answers
    };
    const client = createPublicClient({ transport: http(url, { retryCount: 0, timeout: 200, fetchFn: createRpcFetch() }) });
    const started = Date.now();
    const error = await client.getChainId().then(() => null, (caught: Error) => caught);
    expect(error?.name).to.equal("TimeoutError");
    expect(Date.now() - started).to.be.lessThan(5_000);
  });

  it("fails clearly when nothing listens at the address", async function () {
    const closed = createServer();
    closed.listen(0, "127.0.0.1");
    await once(closed, "listening");
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    closed.close();
    await once(closed, "close");
    const client = createPublicClient({ transport: http(deadUrl, { retryCount: 0, fetchFn: createRpcFetch() }) });
    const error = await client.getChainId().then(() => null, (caught: Error) => caught);
    expect(error?.message).to.contain("HTTP request failed");
  });
});
