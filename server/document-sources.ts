/**
 * Where the signature check gets what it does not hold, built from the configuration (config.ts,
 * `documents`): one bounded fetcher (bounded-fetch.ts) shared by the DID / controller-document resolver
 * (did-resolver.ts) and the context loader (context-loader.ts), each with its own cache; and the status
 * lists' source (status-list-source.ts), with a fetcher and cache of its own limits.
 */
import type { DocumentLoader } from "../lib/signature/contexts.js";
import { createJsonFetcher, type JsonFetcher } from "./bounded-fetch.js";
import type { DocumentFetchConfig } from "./config.js";
import { createContextLoader } from "./context-loader.js";
import { DidResolver } from "./did-resolver.js";
import type { Metrics } from "./metrics.js";
import { StatusListSource } from "./status-list-source.js";

/** Status list credentials are JSON-LD VCs; hosts serving static files answer application/json. */
const STATUS_LIST_ACCEPT = "application/vc+ld+json, application/vc, application/ld+json, application/json;q=0.9";

export interface DocumentSources {
  resolver: DidResolver;
  loader: DocumentLoader;
  fetchJson: JsonFetcher;
  statusLists: StatusListSource;
}

/** Bytes each cache keeps (config.ts `caches`): the DID-document and the context caches each, the status lists'. */
export interface DocumentCacheBytes {
  documents?: number;
  statusLists?: number;
}

export function createDocumentSources(
  config: DocumentFetchConfig,
  options: { metrics?: Metrics; now?: () => number; cacheBytes?: DocumentCacheBytes } = {},
): DocumentSources {
  const fetchJson = createJsonFetcher({ timeoutMs: config.timeoutMs, maxBytes: config.maxBytes, allowLoopbackHttp: config.allowLoopbackHttp });
  const lists = config.statusLists;
  const caching = { ttlSeconds: config.ttlSeconds, failureTtlSeconds: config.failureTtlSeconds, maxEntries: config.maxEntries, maxCacheBytes: options.cacheBytes?.documents, metrics: options.metrics, now: options.now };
  return {
    resolver: new DidResolver({ fetchJson, pinned: config.pinned, allowLoopbackHttp: config.allowLoopbackHttp, ...caching }),
    loader: createContextLoader({ fetchJson, allowList: config.contextAllowList, ...caching }),
    fetchJson,
    statusLists: new StatusListSource({
      fetchJson: createJsonFetcher({ timeoutMs: lists.timeoutMs, maxBytes: lists.maxBytes, allowLoopbackHttp: config.allowLoopbackHttp, accept: STATUS_LIST_ACCEPT }),
      ttlSeconds: lists.ttlSeconds,
      failureTtlSeconds: lists.failureTtlSeconds,
      maxEntries: lists.maxEntries,
      maxCacheBytes: options.cacheBytes?.statusLists,
      metrics: options.metrics,
      now: options.now,
    }),
  };
}
