/**
 * A real HTTP server on 127.0.0.1 serving documents the way a hostile or broken issuer host might: each
 * path is a handler (a JSON document, a slow answer, an endless body, HTML, a redirect…). Counts requests
 * per path. Stops with close() (in an `after` hook); never listens beyond loopback.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

export interface DocumentServer {
  /** http://127.0.0.1:<port> */
  origin: string;
  port: number;
  /** Serves `handler` at `path` (replacing any earlier one). */
  route(path: string, handler: Handler): void;
  requests(path: string): number;
  close(): Promise<void>;
}

export async function startDocumentServer(): Promise<DocumentServer> {
  const routes = new Map<string, Handler>();
  const counts = new Map<string, number>();
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const handler = routes.get(path);
    if (handler) return handler(request, response);
    response.writeHead(404, { "content-type": "text/plain" }).end("not found");
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    route: (path, handler) => void routes.set(path, handler),
    requests: (path) => counts.get(path) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Answers `document` as JSON (with `type` as its Content-Type). */
export function json(document: unknown, type = "application/json"): Handler {
  return (_request, response) => {
    const body = JSON.stringify(document);
    response.writeHead(200, { "content-type": type, "content-length": Buffer.byteLength(body) }).end(body);
  };
}

/** Answers only after `ms` (a host slower than the verifier's timeout). */
export function slow(ms: number, then: Handler): Handler {
  return (request, response) => {
    const timer = setTimeout(() => then(request, response), ms);
    response.on("close", () => clearTimeout(timer));
  };
}

/** A JSON body that never ends and declares no length: only a reader that counts bytes stops it. */
export function endless(): Handler {
  return (_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.write('{"id":"');
    const chunk = "a".repeat(16 * 1024);
    const pump = () => {
      while (!response.destroyed && response.write(chunk));
      if (!response.destroyed) response.once("drain", pump);
    };
    pump();
  };
}

export function text(body: string, type: string, status = 200): Handler {
  return (_request, response) => {
    response.writeHead(status, { "content-type": type }).end(body);
  };
}

export function redirect(location: string, status = 302): Handler {
  return (_request, response) => {
    response.writeHead(status, { location }).end();
  };
}
