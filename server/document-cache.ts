/**
 * A bounded cache of fetched documents (DID documents, contexts, status lists) with a time to live —
 * failures remembered too, for a shorter time, so a badge naming a dead or slow host cannot make every
 * verification wait for its timeout again. Concurrent asks for one key share one fetch. Bounded in
 * entries, oldest evicted first; each document is already bounded in bytes by the fetcher, so the cache's
 * memory is at most entries × the fetcher's byte limit.
 */
import type { Metrics } from "./metrics.js";

export interface DocumentCacheOptions {
  ttlSeconds: number;
  failureTtlSeconds: number;
  maxEntries: number;
  now?: () => number;
  /** Told of every lookup: a hit (remembered answer, document or failure) or a miss (a fetch). */
  onLookup?: (result: "hit" | "miss") => void;
}

/** The settings every counted cache takes: its bounds, the clock, and the metrics it reports lookups to. */
export interface CountedCacheSettings {
  ttlSeconds: number;
  failureTtlSeconds: number;
  maxEntries: number;
  now?: () => number;
  metrics?: Metrics;
}

/** A DocumentCache whose lookups are counted in `cache_lookups_total` under `kind`. */
export function countedDocumentCache(kind: string, settings: CountedCacheSettings): DocumentCache {
  return new DocumentCache({
    ttlSeconds: settings.ttlSeconds,
    failureTtlSeconds: settings.failureTtlSeconds,
    maxEntries: settings.maxEntries,
    now: settings.now,
    onLookup: (result) => settings.metrics?.cacheLookups.inc({ kind, result }),
  });
}

type Entry = { kind: "document"; value: unknown; expiresAt: number } | { kind: "failure"; error: Error; expiresAt: number };

export class DocumentCache {
  readonly #entries = new Map<string, Entry>();
  readonly #inFlight = new Map<string, Promise<unknown>>();
  readonly #options: DocumentCacheOptions;
  readonly #now: () => number;

  constructor(options: DocumentCacheOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The document for `key`: remembered (or its remembered failure, thrown again), or loaded now. */
  async get(key: string, load: () => Promise<unknown>): Promise<unknown> {
    const entry = this.#entries.get(key);
    if (entry && this.#now() < entry.expiresAt) {
      this.#options.onLookup?.("hit");
      if (entry.kind === "failure") throw entry.error;
      return entry.value;
    }
    if (entry) this.#entries.delete(key);
    const pending = this.#inFlight.get(key);
    if (pending) {
      this.#options.onLookup?.("hit");
      return pending;
    }
    this.#options.onLookup?.("miss");
    const loading = load().then(
      (value) => {
        this.#remember(key, { kind: "document", value, expiresAt: this.#now() + this.#options.ttlSeconds * 1000 });
        return value;
      },
      (error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        this.#remember(key, { kind: "failure", error: failure, expiresAt: this.#now() + this.#options.failureTtlSeconds * 1000 });
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
    this.#entries.clear();
  }

  #remember(key: string, entry: Entry): void {
    const ttl = entry.kind === "document" ? this.#options.ttlSeconds : this.#options.failureTtlSeconds;
    if (ttl <= 0 || this.#options.maxEntries <= 0) return;
    this.#entries.delete(key);
    while (this.#entries.size >= this.#options.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, entry);
  }
}
