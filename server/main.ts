/**
 * Starts the verifier service from its configuration (server/config.ts): builds the chain readers, the
 * app, listens, and shuts down gracefully on SIGTERM / SIGINT (stops accepting, lets requests finish).
 * Run directly (`npm run serve`, with CHAINS or RPC_URL set), or through `startVerifier` by `npm start`
 * (scripts/start-local.ts).
 */
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";

import { pino, type Logger } from "pino";

import { createApp } from "./app.js";
import { ChainRegistry } from "./chain-reader.js";
import { ConfigError, loadConfig, type ServerConfig } from "./config.js";
import { createDocumentSources } from "./document-sources.js";
import { createHttpServer } from "./http-server.js";
import { createMetrics } from "./metrics.js";
import { Verifier } from "./verifier.js";

export interface RunningVerifier {
  url: string;
  verifier: Verifier;
  close(): Promise<void>;
}

export async function startVerifier(config: ServerConfig, logger: Logger = pino({ level: config.logLevel })): Promise<RunningVerifier> {
  const metrics = createMetrics();
  const chains = config.chains.map((chain) => new ChainRegistry(chain, { timeoutMs: config.rpcTimeoutMs, metrics, logger }));
  // Every node proves itself before it is believed: its chain id, then a fresh head. One that cannot is
  // logged and its chain reads `unavailable` until a node does; the service starts either way.
  await Promise.all(
    chains.map(async (chain) => {
      const problem = await chain.proveNode();
      if (problem) logger.warn({ chainId: chain.chain.chainId }, `chain unavailable until a node proves itself: ${problem}`);
    }),
  );
  const { resolver, loader, statusLists } = createDocumentSources(config.documents, {
    metrics,
    cacheBytes: { documents: config.caches.documentBytes, statusLists: config.caches.statusListBytes },
  });
  const verifier = new Verifier({
    signature: { resolver, loader },
    statusLists,
    chains,
    cacheTtlSeconds: config.cacheTtlSeconds,
    maxBodyBytes: config.maxBodyBytes,
    maxPresentationSize: config.maxPresentationSize,
    verdictCacheBytes: config.caches.verdictBytes,
    readCacheBytes: config.caches.chainReadBytes,
    metrics,
    trustPolicy: config.trustPolicy,
  });
  const app = createApp({
    verifier,
    metrics,
    logger,
    maxBodyBytes: config.maxBodyBytes,
    maxPresentationBytes: config.maxPresentationBytes,
    maxImageBytes: config.maxImageBytes,
    rateLimitPerMinute: config.rateLimitPerMinute,
    trustProxy: config.trustProxy,
  });
  const stopWatching =
    config.cacheTtlSeconds > 0
      ? verifier.watchRegistries(
          (error) => logger.warn({ err: error.message }, "cannot watch a registry's events; the cache TTL still bounds staleness until the watch recovers"),
          1_000,
          () => logger.info("watching the registries' events again"),
        )
      : () => {};
  const server = createHttpServer(app, config.http).listen(config.port, config.host);
  try {
    await once(server, "listening");
  } catch (error) {
    stopWatching();
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`cannot listen on ${config.host}:${config.port} (${code ?? (error as Error).message}): set HOST or PORT`);
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host}:${port}`;
  logger.info({ url, chains: config.chains.map((chain) => ({ chainId: chain.chainId, registry: chain.registry })) }, "verifier listening");
  return {
    url,
    verifier,
    close: () =>
      new Promise<void>((resolve) => {
        stopWatching();
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 10_000).unref();
      }),
  };
}

/** Stops `running` on SIGTERM or SIGINT, then runs `after`. */
export function stopOnSignals(running: { close(): Promise<void> }, logger: Logger, after: () => void = () => {}): void {
  let stopping = false;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, "shutting down");
      void running.close().then(after);
    });
  }
}

/**
 * Runs the service as configured by the environment until SIGTERM / SIGINT; a configuration error is one
 * line on stderr and exit code 2.
 */
export async function runConfiguredVerifier(): Promise<void> {
  try {
    const config = loadConfig();
    const logger = pino({ level: config.logLevel });
    // Once the server has closed (in-flight requests answered), exit even if idle client sockets linger.
    stopOnSignals(await startVerifier(config, logger), logger, () => process.exit(0));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`Configuration error: ${error.message}`);
    process.exit(2);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await runConfiguredVerifier();
