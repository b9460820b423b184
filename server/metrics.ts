/**
 * Prometheus metrics (prom-client), one registry per app so that tests and several apps in one process
 * do not mix their counts: requests and latency by route and status, chain-read latency by chain, method
 * and outcome, cache hits and misses, verification verdicts, and the documents fetched for the signature
 * check (DID and controller documents, allow-listed contexts, status lists) by kind and outcome; and the
 * memory each cache and memo holds (`verifier_cache_bytes` / `_entries`, read when scraped) and how many
 * entries each pushed out to stay within its bound (`verifier_cache_evictions_total`).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

import { contextMemoUsage } from "../lib/signature/jsonld-fast-clone.js";
import { proofConfigMemoUsage } from "../lib/signature/verify-proofs.js";

/** What a cache holds now (its estimated bytes, its entries) and how many entries it evicted so far. */
export interface CacheUsage {
  bytes: number;
  entries: number;
  evictions: number;
}

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<"method" | "route" | "status">;
  httpSeconds: Histogram<"method" | "route" | "status">;
  chainReadSeconds: Histogram<"chain_id" | "method" | "outcome">;
  cacheLookups: Counter<"kind" | "result">;
  verifications: Counter<"status">;
  documentFetches: Counter<"kind" | "outcome">;
  documentFetchSeconds: Histogram<"kind" | "outcome">;
  /** Reports `usage()` as cache `name` in verifier_cache_bytes / _entries / _evictions_total at every scrape. */
  watchCache(name: string, usage: () => CacheUsage): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // The process-wide memos of lib/signature; the service's own caches add themselves (watchCache).
  const caches = new Map<string, () => CacheUsage>([
    ["proof-config", proofConfigMemoUsage],
    ["jsonld-context", contextMemoUsage],
  ]);
  const cacheBytes = new Gauge({
    name: "verifier_cache_bytes",
    help: "Estimated bytes held by each cache and memo (verdict, chain-read, did-document, context, status-list, proof-config, jsonld-context)",
    labelNames: ["cache"],
    registers: [registry],
    collect() {
      for (const [name, usage] of caches) cacheBytes.set({ cache: name }, usage().bytes);
    },
  });
  const cacheEntries = new Gauge({
    name: "verifier_cache_entries",
    help: "Entries held by each cache and memo",
    labelNames: ["cache"],
    registers: [registry],
    collect() {
      for (const [name, usage] of caches) cacheEntries.set({ cache: name }, usage().entries);
    },
  });
  const evictionsCounted = new Map<string, number>();
  const cacheEvictions = new Counter({
    name: "verifier_cache_evictions_total",
    help: "Entries each cache pushed out (least recently used first) to stay within its bound",
    labelNames: ["cache"],
    registers: [registry],
    collect() {
      // Each cache counts its own evictions (the lib/ memos cannot hold a metrics object); the counter
      // catches up with each total when scraped.
      for (const [name, usage] of caches) {
        const total = usage().evictions;
        const counted = evictionsCounted.get(name) ?? 0;
        if (total > counted) cacheEvictions.inc({ cache: name }, total - counted);
        evictionsCounted.set(name, Math.max(total, counted));
      }
    },
  });
  return {
    watchCache(name, usage) {
      caches.set(name, usage);
    },
    registry,
    httpRequests: new Counter({
      name: "http_requests_total",
      help: "HTTP requests by method, route and status",
      labelNames: ["method", "route", "status"],
      registers: [registry],
    }),
    httpSeconds: new Histogram({
      name: "http_request_duration_seconds",
      help: "HTTP request latency by method, route and status",
      labelNames: ["method", "route", "status"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    chainReadSeconds: new Histogram({
      name: "chain_read_duration_seconds",
      help: "Latency of reads from a chain's RPC node, by chain, method and outcome",
      labelNames: ["chain_id", "method", "outcome"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    cacheLookups: new Counter({
      name: "cache_lookups_total",
      help: "Cache lookups by kind (credential, anchor, issuer, profile, keys, verification, did-document, context, status-list) and result (hit, miss)",
      labelNames: ["kind", "result"],
      registers: [registry],
    }),
    verifications: new Counter({
      name: "verifications_total",
      help: "Verification verdicts by status",
      labelNames: ["status"],
      registers: [registry],
    }),
    documentFetches: new Counter({
      name: "document_fetches_total",
      help: "Documents fetched for the signature check, by kind (did:web, https, context, status-list) and outcome (ok, timeout, too-large, not-json, http-status, network, refused-url, redirects, not-a-document, wrong-id)",
      labelNames: ["kind", "outcome"],
      registers: [registry],
    }),
    documentFetchSeconds: new Histogram({
      name: "document_fetch_duration_seconds",
      help: "Latency of document fetches for the signature check, by kind and outcome",
      labelNames: ["kind", "outcome"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
}
