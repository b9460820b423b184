/**
 * The service's http.Server with limits on slow and numerous clients (HttpLimits, server/config.ts). Node's
 * defaults let a client that sends its request a byte at a time hold a socket for 300 s, and accept
 * connections until the process runs out of file descriptors: a few thousand such clients stop the service.
 * Here the headers must arrive within HEADERS_TIMEOUT_MS and the whole request within REQUEST_TIMEOUT_MS
 * (then the client gets 408 and the socket is closed), and past MAX_CONNECTIONS open sockets a new one is
 * closed at once — the others are answered as before.
 */
import { createServer, type RequestListener, type Server } from "node:http";

import type { HttpLimits } from "./config.js";

/** How long an idle kept-alive socket stays open (unchanged from before the limits). */
const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** Headers kept per request; Node's default is 2,000 (the rest are dropped, not refused). */
const MAX_HEADERS_COUNT = 100;

export function createHttpServer(app: RequestListener, limits: HttpLimits): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      maxHeaderSize: limits.maxHeaderBytes,
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
      // Node checks for timed-out requests this often (30 s by default, which would stretch a 10 s limit to
      // 40 s): a fraction of the shorter limit, at most once a second.
      connectionsCheckingInterval: Math.min(1_000, Math.max(100, Math.floor(limits.headersTimeoutMs / 4))),
    },
    app,
  );
  server.maxHeadersCount = MAX_HEADERS_COUNT;
  server.maxConnections = limits.maxConnections;
  return server;
}
