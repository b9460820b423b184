/**
 * A JSON-RPC proxy on 127.0.0.1 in front of a real node, that can lie the ways a node or a man in the
 * middle can: answer another chain id, freeze the head (serve an old block as the latest), answer with
 * another request's id, or answer garbage (bytes that are not JSON, or JSON cut short). It counts the
 * requests it receives by method, and can be pointed at another node (a node replaced behind one URL).
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type Lie = "none" | "chain-id" | "frozen-head" | "wrong-id" | "garbage" | "truncated";

interface Call {
  jsonrpc?: string;
  id?: unknown;
  method?: string;
  params?: unknown[];
}

export class JsonRpcProxy {
  lie: Lie = "none";
  /** Requests received, by JSON-RPC method. */
  readonly counts = new Map<string, number>();
  #target: string;
  #server: Server | undefined;
  #frozen: { block: unknown; number: string } | undefined;

  constructor(targetUrl: string) {
    this.#target = targetUrl;
  }

  async start(): Promise<this> {
    const server = createServer((request, response) => {
      void this.#handle(request).then(
        ({ status, body }) => response.writeHead(status, { "content-type": "application/json" }).end(body),
        () => response.writeHead(502).end(),
      );
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    this.#server = server;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server!.address() as AddressInfo).port}`;
  }

  /** Sends everything to another node from now on. */
  retarget(targetUrl: string): void {
    this.#target = targetUrl;
  }

  /** Serves the node's block `number` (default: its latest now) as the latest from now on. */
  async freezeHead(number?: bigint): Promise<void> {
    const tag = number === undefined ? "latest" : `0x${number.toString(16)}`;
    const block = (await this.#forward({ jsonrpc: "2.0", id: 1, method: "eth_getBlockByNumber", params: [tag, false] })) as { result: { number: string } };
    this.#frozen = { block: block.result, number: block.result.number };
    this.lie = "frozen-head";
  }

  /** Tells the truth again. */
  honest(): void {
    this.lie = "none";
    this.#frozen = undefined;
  }

  count(method?: string): number {
    if (method !== undefined) return this.counts.get(method) ?? 0;
    return [...this.counts.values()].reduce((sum, value) => sum + value, 0);
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #handle(request: IncomingMessage): Promise<{ status: number; body: string }> {
    let text = "";
    for await (const chunk of request) text += chunk;
    const parsed = JSON.parse(text) as Call | Call[];
    const calls = Array.isArray(parsed) ? parsed : [parsed];
    for (const call of calls) this.counts.set(call.method ?? "", (this.counts.get(call.method ?? "") ?? 0) + 1);
    if (this.lie === "garbage") return { status: 200, body: "\u0000\u00ff<html>not json" };
    const answers = await Promise.all(calls.map((call) => this.#answer(call)));
    const body = JSON.stringify(Array.isArray(parsed) ? answers : answers[0]);
    if (this.lie === "truncated") return { status: 200, body: body.slice(0, Math.max(1, Math.floor(body.length / 2))) };
    return { status: 200, body };
  }

  async #answer(call: Call): Promise<unknown> {
    if (this.lie === "chain-id" && call.method === "eth_chainId") return { jsonrpc: "2.0", id: call.id, result: "0x1" };
    if (this.lie === "frozen-head" && this.#frozen) {
      const tag = call.params?.[0];
      if (call.method === "eth_blockNumber") return { jsonrpc: "2.0", id: call.id, result: this.#frozen.number };
      if (call.method === "eth_getBlockByNumber" && (tag === "latest" || tag === "safe" || tag === "finalized" || tag === "pending")) {
        return { jsonrpc: "2.0", id: call.id, result: this.#frozen.block };
      }
    }
    const answer = (await this.#forward(call)) as { id?: unknown };
    if (this.lie === "wrong-id") return { ...answer, id: typeof call.id === "number" ? call.id + 1000 : "not-yours" };
    return answer;
  }

  async #forward(call: Call): Promise<unknown> {
    const response = await fetch(this.#target, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(call) });
    return response.json();
  }
}
