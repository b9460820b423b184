/**
 * A bounded cache of fetched documents (DID documents, contexts, status lists) with a time to live —
 * failures remembered too, for a shorter time, so a badge naming a dead or slow host cannot make every
 * verification wait for its timeout again. Concurrent asks for one key share one fetch.
 *
 * Bounded in bytes (and, if asked, in entries), the least recently used evicted first (lru-cache's
 * maxSize): a document counts its estimated size (estimated-size.ts) and its key. Keys come from badges (a DID, a list
 * URL), so they are copied before they are kept (lib/credential/detached-string.ts): a substring of a
 * badge would keep the whole request body alive for as long as the entry lives.
 */
import { LRUCache } from "lru-cache";

import { detachedString } from "../lib/credential/detached-string.js";
import { estimatedBytes } from "./estimated-size.js";
import type { CacheUsage, Metrics } from "./metrics.js";

export interface DocumentCacheOptions {
  ttlSeconds: number;
  failureTtlSeconds: number;
  /** Most entries kept (DID_CACHE_ENTRIES, STATUS_LIST_CACHE_ENTRIES); the byte bound usually binds first. */
  maxEntries: number;
  /** Most bytes kept, estimated (default DEFAULT_DOCUMENT_CACHE_BYTES). */
  maxBytes?: number;
  now?: () => number;
  /** Told of every lookup: a hit (remembered answer, document or failure) or a miss (a fetch). */
  onLookup?: (result: "hit" | "miss") => void;
}

/** 16 MiB: a thousand DID documents of 8 KB, or 32 status lists at their 256 KB limit. */
export const DEFAULT_DOCUMENT_CACHE_BYTES = 16 * 1024 * 1024;

/** The settings every counted cache takes: its bounds, the clock, and the metrics it reports lookups to. */
export interface CountedCacheSettings {
  ttlSeconds: number;
  failureTtlSeconds: number;
  maxEntries: number;
  maxCacheBytes?: number;
  now?: () => number;
  metrics?: Metrics;
}

/**
 * A DocumentCache whose lookups are counted in `cache_lookups_total` under `kind`, and whose size and
 * evictions are reported as cache `kind` (verifier_cache_bytes, _entries, _evictions_total).
 */
export function countedDocumentCache(kind: string, settings: CountedCacheSettings): DocumentCache {
  const cache = new DocumentCache({
    ttlSeconds: settings.ttlSeconds,
    failureTtlSeconds: settings.failureTtlSeconds,
    maxEntries: settings.maxEntries,
    maxBytes: settings.maxCacheBytes,
    now: settings.now,
    onLookup: (result) => settings.metrics?.cacheLookups.inc({ kind, result }),
  });
  settings.metrics?.watchCache(kind, () => cache.usage());
  return cache;
}

type Entry = ({ kind: "document"; value: unknown } | { kind: "failure"; error: Error }) & { expiresAt: number; bytes: number };

export class DocumentCache {
  /** Undefined when the bounds or TTLs leave room for nothing. */
  readonly #entries: LRUCache<string, Entry> | undefined;
  readonly #inFlight = new Map<string, Promise<unknown>>();
  readonly #options: DocumentCacheOptions;
  readonly #now: () => number;
  #evictions = 0;

  constructor(options: DocumentCacheOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    const maxBytes = options.maxBytes ?? DEFAULT_DOCUMENT_CACHE_BYTES;
    if (options.maxEntries > 0 && maxBytes > 0) {
      this.#entries = new LRUCache<string, Entry>({
        max: options.maxEntries,
        maxSize: maxBytes,
        sizeCalculation: (entry) => entry.bytes,
        dispose: (_entry, _key, reason) => {
          if (reason === "evict") this.#evictions++;
        },
      });
    }
  }

  get size(): number {
    return this.#entries?.size ?? 0;
  }

  /** The estimated bytes held. */
  get bytes(): number {
    return this.#entries?.calculatedSize ?? 0;
  }

  usage(): CacheUsage {
    return { bytes: this.bytes, entries: this.size, evictions: this.#evictions };
  }

  /** The document for `key`: remembered (or its remembered failure, thrown again), or loaded now. */
  async get(key: string, load: () => Promise<unknown>): Promise<unknown> {
    const entry = this.#entries?.get(key);
    if (entry && this.#now() < entry.expiresAt) {
      this.#options.onLookup?.("hit");
      if (entry.kind === "failure") throw entry.error;
      return entry.value;
    }
    if (entry) this.#entries?.delete(key);
    const pending = this.#inFlight.get(key);
    if (pending) {
      this.#options.onLookup?.("hit");
      return pending;
    }
    this.#options.onLookup?.("miss");
    const loading = load().then(
      (value) => {
        this.#remember(key, { kind: "document", value, expiresAt: this.#now() + this.#options.ttlSeconds * 1000, bytes: estimatedBytes(value) });
        return value;
      },
      (error: unknown) => {
        const failure = detachedError(error);
        this.#remember(key, {
          kind: "failure",
          error: failure,
          expiresAt: this.#now() + this.#options.failureTtlSeconds * 1000,
          bytes: 2 * (failure.message.length + (failure.stack?.length ?? 0)),
        });
        throw failure;
      },
    );
    this.#inFlight.set(key, loading);
    try {
      return await loading;
    } finally {
      this.#inFlight.delete(key);
    }
  }

  clear(): void {
    this.#entries?.clear();
  }

  #remember(key: string, entry: Entry): void {
    const ttl = entry.kind === "document" ? this.#options.ttlSeconds : this.#options.failureTtlSeconds;
    if (ttl <= 0 || this.#entries === undefined) return;
    const kept = detachedString(key);
    // An entry larger than the whole bound is not kept (lru-cache refuses it).
    this.#entries.set(kept, { ...entry, bytes: entry.bytes + 2 * kept.length });
  }
}

/**
 * The failure as it is kept: its message and stack copied, since both are usually built from the badge's
 * URL or DID (a template over a substring of the request body would keep the body alive).
 */
function detachedError(error: unknown): Error {
  const failure = error instanceof Error ? error : new Error(String(error));
  failure.message = detachedString(failure.message);
  if (typeof failure.stack === "string") failure.stack = detachedString(failure.stack);
  return failure;
}
