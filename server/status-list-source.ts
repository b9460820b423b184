/**
 * The shell's StatusListFetcher (lib/verify/status-lists.ts): fetches the Bitstring Status List
 * credentials badges name, under the same rules as DID documents — the URL comes from the badge, i.e.
 * from whoever wrote it — through the bounded fetcher (bounded-fetch.ts: HTTPS only, timeout, byte limit,
 * JSON) and a TTL cache that remembers failures for a shorter time (document-cache.ts), so a badge naming a
 * dead host does not make every verification wait for the timeout. Counted in the metrics as kind
 * "status-list" (fetches by outcome, latency, cache hits and misses).
 */
import { DocumentFetchError, type JsonFetcher } from "./bounded-fetch.js";
import { countedDocumentCache, DocumentCache } from "./document-cache.js";
import type { Metrics } from "./metrics.js";
import type { StatusListFetcher } from "../lib/verify/status-lists.js";

export interface StatusListSourceOptions {
  fetchJson: JsonFetcher;
  ttlSeconds: number;
  failureTtlSeconds: number;
  maxEntries: number;
  /** Most bytes the cache keeps (estimated; document-cache.ts). */
  maxCacheBytes?: number;
  metrics?: Metrics;
  now?: () => number;
}

export class StatusListSource implements StatusListFetcher {
  readonly cache: DocumentCache;
  readonly #options: StatusListSourceOptions;

  constructor(options: StatusListSourceOptions) {
    this.#options = options;
    this.cache = countedDocumentCache("status-list", options);
  }

  /** The list credential at `url` (a fragment is not sent); throws a DocumentFetchError saying why not. */
  fetch(url: string): Promise<unknown> {
    const key = url.split("#")[0];
    return this.cache.get(key, () => this.#fetch(key));
  }

  async #fetch(url: string): Promise<unknown> {
    const started = performance.now();
    const observe = (outcome: string) => {
      this.#options.metrics?.documentFetches.inc({ kind: "status-list", outcome });
      this.#options.metrics?.documentFetchSeconds.observe({ kind: "status-list", outcome }, (performance.now() - started) / 1000);
    };
    try {
      const list = await this.#options.fetchJson(url);
      observe("ok");
      return list;
    } catch (error) {
      observe(error instanceof DocumentFetchError ? error.code : "network");
      throw error;
    }
  }
}
