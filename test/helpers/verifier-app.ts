/**
 * A verifier service for tests: the real app, listening on 127.0.0.1 on a free port, reading the
 * in-process chain of a Hardhat network connection through viem (EIP-1193 transport), with the sample
 * registry set up on it. Close it in an `after` hook.
 */
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import type { NetworkConnection } from "hardhat/types/network";
import { pino, type Logger } from "pino";
import { createPublicClient, custom, type PublicClient } from "viem";

import { DEFAULT_MAX_IMAGE_BYTES } from "../../lib/baked/baked-badge.js";
import { setUpSampleRegistry, type SampleRegistry } from "../../scripts/sample-registry.js";
import { createApp } from "../../server/app.js";
import { ChainRegistry } from "../../server/chain-reader.js";
import { DEFAULT_DOCUMENT_FETCH, type ChainConfig, type DocumentFetchConfig, type TrustProxy } from "../../server/config.js";
import { createDocumentSources, type DocumentSources } from "../../server/document-sources.js";
import { createMetrics, type Metrics } from "../../server/metrics.js";
import { Verifier } from "../../server/verifier.js";

export interface TestService {
  url: string;
  verifier: Verifier;
  metrics: Metrics;
  /** The signature check's resolver and context loader, as the service uses them. */
  documents: DocumentSources;
  close(): Promise<void>;
}

export interface ServiceOptions {
  chains: Array<{ config: ChainConfig; client?: PublicClient }>;
  cacheTtlSeconds?: number;
  maxBodyBytes?: number;
  maxImageBytes?: number;
  rateLimitPerMinute?: number;
  maxPresentationSize?: number;
  now?: () => Date;
  logger?: Logger;
  /** Watch the registries' events to invalidate the cache (as server/main.ts does). */
  watchEvents?: boolean;
  trustProxy?: TrustProxy;
  /** The signature check's document fetching (default: as configured by default, nothing pinned). */
  documents?: Partial<DocumentFetchConfig>;
}

export async function startTestService(options: ServiceOptions): Promise<TestService> {
  const metrics = createMetrics();
  const chains = options.chains.map(({ config, client }) => new ChainRegistry(config, { timeoutMs: 2_000, metrics, client }));
  const maxBodyBytes = options.maxBodyBytes ?? 256 * 1024;
  const documents = createDocumentSources({ ...DEFAULT_DOCUMENT_FETCH, pinned: new Map(), contextAllowList: [], ...options.documents }, { metrics });
  const verifier = new Verifier({
    chains,
    cacheTtlSeconds: options.cacheTtlSeconds ?? 15,
    maxBodyBytes,
    maxPresentationSize: options.maxPresentationSize,
    metrics,
    now: options.now,
    signature: { resolver: documents.resolver, loader: documents.loader },
    statusLists: documents.statusLists,
  });
  const app = createApp({ verifier, metrics, logger: options.logger ?? pino({ level: "silent" }), maxBodyBytes, maxImageBytes: options.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES, rateLimitPerMinute: options.rateLimitPerMinute ?? 10_000, trustProxy: options.trustProxy });
  const stopWatching = options.watchEvents ? verifier.watchRegistries(() => {}, 200) : () => {};
  const server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    verifier,
    metrics,
    documents,
    close: () =>
      new Promise<void>((resolve) => {
        stopWatching();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function chainConfig(chainId: number, registry: string, rpcUrl = "http://127.0.0.1:1"): ChainConfig {
  return { chainId, name: `chain ${chainId}`, rpcUrl, registry: registry as `0x${string}`, blockTag: "latest", confirmations: 0 };
}

/**
 * The sample registry on the connection's in-process chain, and a viem client reading that chain;
 * `roundTrips()` counts the registry reads the client has sent to the chain (eth_call, eth_getLogs, eth_getCode),
 * not the chain reader's checks of the node (its chain id, its head).
 */
export async function sampleOnInProcessChain(connection: NetworkConnection): Promise<{ sample: SampleRegistry; client: PublicClient; roundTrips(): number }> {
  const outputRoot = await mkdtemp(path.join(tmpdir(), "verifier-sample-"));
  const sample = await setUpSampleRegistry(connection, outputRoot);
  let requests = 0;
  const counting = {
    request: (args: { method: string; params?: unknown }) => {
      if (REGISTRY_READS.has(args.method)) requests++;
      return connection.provider.request(args as never);
    },
  };
  const client = createPublicClient({ transport: custom(counting) });
  return { sample, client, roundTrips: () => requests };
}

const REGISTRY_READS = new Set(["eth_call", "eth_getLogs", "eth_getCode"]);

/** The sample issuers' DID documents (did:web:uni.example, https://…), pinned: the tests' service cannot fetch them. */
export function pinnedSampleDocuments(sample: SampleRegistry): Map<string, unknown> {
  const pinned = new Map<string, unknown>();
  for (const issuer of Object.values(sample.issuers)) if (issuer.controllerDocument !== null) pinned.set(issuer.profileId, issuer.controllerDocument);
  return pinned;
}
