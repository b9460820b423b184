/**
 * A local web host for the interop tests: what an issuer would put on its website (a did:web DID
 * document at /.well-known/did.json, status list files), served on 127.0.0.1 over real HTTPS with a
 * throwaway self-signed certificate made by `openssl` for this run (subjectAltName localhost and
 * 127.0.0.1). Verifiers in child processes trust it through NODE_EXTRA_CA_CERTS, so no TLS check is
 * turned off anywhere. The same server can run as plain HTTP (status lists may be hosted so).
 *
 * Routes are set after start (a did:web DID names the port) and can misbehave on purpose: answer
 * late, answer too much, answer something that is not JSON.
 */
import { execFile } from "node:child_process";
import { once } from "node:events";
import { readFile, stat } from "node:fs/promises";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import path from "node:path";
import { promisify } from "node:util";

export interface TestCertificate {
  /** PEM certificate: what NODE_EXTRA_CA_CERTS names. */
  certFile: string;
  keyFile: string;
}

/** Makes a self-signed certificate for localhost / 127.0.0.1 in `dir`, valid for one day. */
export async function createTestCertificate(dir: string): Promise<TestCertificate> {
  const certFile = path.join(dir, "localhost-cert.pem");
  const keyFile = path.join(dir, "localhost-key.pem");
  await promisify(execFile)("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", keyFile, "-out", certFile, "-days", "1", "-subj", "/CN=localhost",
    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
  ]);
  return { certFile, keyFile };
}

/** What a path answers. */
export type Route =
  | { kind: "json"; document: unknown }
  /** Bytes as given (not JSON, or too large), with a content type. */
  | { kind: "raw"; body: string | Buffer; contentType: string }
  /** Accepts the request and never answers: a host that hangs. */
  | { kind: "hang" }
  /** Every file under a folder, by its path relative to `urlPrefix` (status lists written by a command). */
  | { kind: "folder"; root: string };

export interface TestWebServer {
  /** https://localhost:<port> (or http://127.0.0.1:<port>). */
  origin: string;
  port: number;
  /** did:web:localhost%3A<port> — the DID whose document is /.well-known/did.json here. */
  didWeb: string;
  /** Serves `route` at `urlPath` (exact path), or under it for a folder. */
  set(urlPath: string, route: Route): void;
  /** Paths requested so far, in order: lets a test see that a verifier really came. */
  requests: string[];
  stop(): Promise<void>;
}

/** Starts the server on 127.0.0.1; HTTPS with `certificate`, plain HTTP without. */
export async function startTestWebServer(certificate?: TestCertificate): Promise<TestWebServer> {
  const routes = new Map<string, Route>();
  const requests: string[] = [];
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const urlPath = new URL(request.url ?? "/", "http://localhost").pathname;
    requests.push(urlPath);
    answer(routes, urlPath, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  };
  const server: Server = certificate
    ? createHttpsServer({ cert: await readFile(certificate.certFile), key: await readFile(certificate.keyFile) }, handle)
    : createHttpServer(handle);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the test web server has no port");
  const { port } = address;
  return {
    origin: certificate ? `https://localhost:${port}` : `http://127.0.0.1:${port}`,
    port,
    didWeb: `did:web:localhost%3A${port}`,
    set: (urlPath, route) => routes.set(urlPath, route),
    requests,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function answer(routes: Map<string, Route>, urlPath: string, response: ServerResponse): Promise<void> {
  const exact = routes.get(urlPath);
  if (exact?.kind === "json") return send(response, 200, "application/json", JSON.stringify(exact.document));
  if (exact?.kind === "raw") return send(response, 200, exact.contentType, exact.body);
  if (exact?.kind === "hang") return;
  for (const [prefix, route] of routes) {
    if (route.kind !== "folder" || !urlPath.startsWith(`${prefix}/`)) continue;
    const file = path.resolve(route.root, `.${decodeURIComponent(urlPath.slice(prefix.length))}`);
    // Only files under the folder: a `..` in the path must not read the rest of the disk.
    if (!file.startsWith(path.resolve(route.root) + path.sep)) break;
    const found = await stat(file).catch(() => null);
    if (found?.isFile()) return send(response, 200, "application/json", await readFile(file));
  }
  send(response, 404, "text/plain", "not found");
}

function send(response: ServerResponse, status: number, contentType: string, body: string | Buffer): void {
  response.writeHead(status, { "content-type": contentType });
  response.end(body);
}
