/**
 * The service's HTTP limits against slow and numerous clients, on the real server (startVerifier, as
 * `npm run serve` starts it) listening on 127.0.0.1: a client that sends its headers or its body a byte at
 * a time is answered 408 and cut off once HEADERS_TIMEOUT_MS / REQUEST_TIMEOUT_MS (short here) have passed,
 * instead of holding its socket for Node's default 60 s / 300 s; connections beyond MAX_CONNECTIONS are
 * closed unanswered, and the service answers normally again once the held ones are gone.
 * The chain is never read (the health route needs none): its RPC URL names a closed port.
 */
import { connect, type Socket } from "node:net";

import { expect } from "chai";
import { pino } from "pino";

import { loadConfig } from "../../server/config.js";
import { startVerifier, type RunningVerifier } from "../../server/main.js";

const REGISTRY = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

async function start(env: Record<string, string>): Promise<RunningVerifier> {
  const config = loadConfig({ RPC_URL: "http://127.0.0.1:1", REGISTRY_ADDRESS: REGISTRY, PORT: "0", CACHE_TTL_SECONDS: "0", ...env });
  return startVerifier(config, pino({ level: "silent" }));
}

/** A raw TCP client of `url`: what it has received, and a promise of the server closing it. */
async function rawClient(url: string): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let received = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => (received += chunk));
  // A reset is the server closing too (a refused connection may be reset rather than ended).
  socket.on("error", () => {});
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("error", reject);
  });
  return { socket, received: () => received, closed };
}

/** Writes `text` a byte every 100 ms until the socket closes. */
function dribble(socket: Socket, text: string): void {
  let position = 0;
  const timer = setInterval(() => {
    if (socket.destroyed) return clearInterval(timer);
    socket.write(text[position % text.length]);
    position++;
  }, 100);
  socket.once("close", () => clearInterval(timer));
}

describe("HTTP limits: slow clients and connection cap", function () {
  this.timeout(30_000);

  describe("slow clients", function () {
    let service: RunningVerifier;
    before(async function () {
      service = await start({ HEADERS_TIMEOUT_MS: "1000", REQUEST_TIMEOUT_MS: "1000" });
    });
    after(async function () {
      await service?.close();
    });

    it("cuts off a client that sends its headers a byte at a time", async function () {
      const client = await rawClient(service.url);
      client.socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
      dribble(client.socket, "abcdefgh");
      await client.closed;
      expect(client.received()).to.match(/^HTTP\/1\.1 408 /);
    });

    it("cuts off a client that sends its body a byte at a time", async function () {
      const client = await rawClient(service.url);
      client.socket.write("POST /v1/credentials/verify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n");
      dribble(client.socket, " ");
      await client.closed;
      expect(client.received()).to.match(/^HTTP\/1\.1 408 /);
    });

    it("still answers a client that sends its request at once", async function () {
      const response = await fetch(`${service.url}/healthz`);
      expect(response.status).to.equal(200);
    });
  });

  describe("connection cap", function () {
    let service: RunningVerifier;
    const held: Socket[] = [];
    before(async function () {
      service = await start({ MAX_CONNECTIONS: "3", HEADERS_TIMEOUT_MS: "60000", REQUEST_TIMEOUT_MS: "60000" });
    });
    after(async function () {
      held.forEach((socket) => socket.destroy());
      await service?.close();
    });

    it("closes connections beyond MAX_CONNECTIONS unanswered, and answers again once they are gone", async function () {
      for (let count = 0; count < 3; count++) {
        const client = await rawClient(service.url);
        held.push(client.socket);
        // Answered: the server has taken this connection. It then stays open with a request begun.
        client.socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        while (!client.received().includes('{"status":"ok"}')) await new Promise((resolve) => setTimeout(resolve, 10));
        client.socket.write("GET /healthz HTTP/1.1\r\n");
      }

      const extra = await rawClient(service.url);
      extra.socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
      await extra.closed;
      expect(extra.received()).to.equal("");

      held.forEach((socket) => socket.destroy());
      // The server counts a connection gone once it has seen it close: ask until it has.
      let status: number | undefined;
      for (let attempt = 0; attempt < 100 && status !== 200; attempt++) {
        status = await fetch(`${service.url}/healthz`, { headers: { connection: "close" } }).then(
          (response) => response.status,
          () => undefined,
        );
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(status).to.equal(200);
    });
  });
});
