/**
 * The shell's JSON-LD DocumentLoader for the signature check (DESIGN.md §11): the contexts bundled in
 * lib/signature/contexts.ts answer without any I/O; a context the verifier does not hold is fetched only
 * when its URL is on the allow-list (config CONTEXT_ALLOW_LIST: exact URLs, or prefixes ending in "/"),
 * through the bounded fetcher, and cached. The default allow-list is empty: a badge naming an unknown
 * context cannot make the verifier fetch anything, and its signature cannot be checked (it says which URL).
 */
import { contextLoader, UnknownContextError, type DocumentLoader } from "../lib/signature/contexts.js";
import { DocumentFetchError, type JsonFetcher } from "./bounded-fetch.js";
import { countedDocumentCache } from "./document-cache.js";
import type { Metrics } from "./metrics.js";

export interface ContextLoaderOptions {
  fetchJson: JsonFetcher;
  /** URLs that may be fetched: exact, or a prefix when the entry ends with "/". */
  allowList: readonly string[];
  ttlSeconds: number;
  failureTtlSeconds: number;
  maxEntries: number;
  /** Most bytes the cache keeps (estimated; document-cache.ts). */
  maxCacheBytes?: number;
  metrics?: Metrics;
  now?: () => number;
}

/** Whether `url` is on `allowList` (an exact entry, or under an entry ending in "/"). */
export function isAllowListed(url: string, allowList: readonly string[]): boolean {
  return allowList.some((entry) => (entry.endsWith("/") ? url.startsWith(entry) : url === entry));
}

export function createContextLoader(options: ContextLoaderOptions): DocumentLoader {
  const bundled = contextLoader();
  const cache = countedDocumentCache("context", options);
  return async (url) => {
    try {
      return await bundled(url);
    } catch (error) {
      if (!(error instanceof UnknownContextError) || !isAllowListed(url, options.allowList)) throw error;
    }
    const document = await cache.get(url, async () => {
      try {
        const fetched = await options.fetchJson(url);
        options.metrics?.documentFetches.inc({ kind: "context", outcome: "ok" });
        return fetched;
      } catch (error) {
        options.metrics?.documentFetches.inc({ kind: "context", outcome: error instanceof DocumentFetchError ? error.code : "network" });
        throw error;
      }
    });
    return { contextUrl: null, documentUrl: url, document };
  };
}
