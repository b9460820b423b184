/**
 * A small cache for chain reads: each value is kept for at most `ttlSeconds` (the bound every answer
 * states, so a revocation shows within it), and concurrent requests for the same key share one read.
 * Failures are never cached. With a TTL of 0 nothing is cached or shared: every request reads the node.
 *
 * Bounded in bytes (READ_CACHE_MAX_BYTES), least recently used evicted first (lru-cache's maxSize). An
 * entry counts its key and its value's estimated size once the read
 * is answered (estimated-size.ts), ENTRY_OVERHEAD_BYTES before. Keys hold a batch root taken from a badge, so they are copied
 * before they are kept (lib/credential/detached-string.ts): the badge's substring would keep the whole
 * request body alive.
 */
import { LRUCache } from "lru-cache";

import { detachedString } from "../lib/credential/detached-string.js";
import { estimatedBytes } from "./estimated-size.js";
import type { Metrics } from "./metrics.js";

interface Entry {
  readonly value: Promise<unknown>;
  readonly readAt: number;
  readonly bytes: number;
}

/** 16 MiB: some 40,000 credential-status reads. */
export const DEFAULT_READ_CACHE_BYTES = 16 * 1024 * 1024;
/** The entry itself, its promise and lru-cache's slots, before the value is known. */
const ENTRY_OVERHEAD_BYTES = 200;

export interface Read<T> {
  value: T;
  /** When the value was read from the chain (ms since the epoch). */
  readAt: number;
}

export class ReadCache {
  readonly ttlSeconds: number;
  readonly #entries: LRUCache<string, Entry>;
  readonly #metrics: Metrics | undefined;
  readonly #now: () => number;
  #evictions = 0;

  constructor(ttlSeconds: number, options: { maxEntries?: number; maxBytes?: number; metrics?: Metrics; now?: () => number } = {}) {
    this.ttlSeconds = ttlSeconds;
    this.#metrics = options.metrics;
    this.#now = options.now ?? Date.now;
    this.#entries = new LRUCache<string, Entry>({
      max: options.maxEntries ?? 50_000,
      maxSize: Math.max(1, options.maxBytes ?? DEFAULT_READ_CACHE_BYTES),
      sizeCalculation: (entry) => entry.bytes,
      dispose: (_entry, _key, reason) => {
        if (reason === "evict") this.#evictions++;
      },
    });
    this.#metrics?.watchCache("chain-read", () => ({ bytes: this.bytes, entries: this.size, evictions: this.#evictions }));
  }

  /** The estimated bytes held. */
  get bytes(): number {
    return this.#entries.calculatedSize;
  }

  get size(): number {
    return this.#entries.size;
  }

  async get<T>(kind: string, key: string, load: () => Promise<T>): Promise<Read<T>> {
    if (this.ttlSeconds === 0) return { value: await load(), readAt: this.#now() };
    const cacheKey = `${kind}:${key}`;
    const now = this.#now();
    const entry = this.#entries.get(cacheKey);
    if (entry && now - entry.readAt < this.ttlSeconds * 1000) {
      this.#metrics?.cacheLookups.inc({ kind, result: "hit" });
      return { value: (await entry.value) as T, readAt: entry.readAt };
    }
    this.#metrics?.cacheLookups.inc({ kind, result: "miss" });
    const fresh: Entry = { value: load(), readAt: now, bytes: ENTRY_OVERHEAD_BYTES };
    this.#keep(cacheKey, fresh);
    return { value: (await fresh.value) as T, readAt: now };
  }

  /**
   * Several values at once: those cached come from the cache, the others from one `loadMany` call (given
   * only the missing keys, answering in their order), each then cached on its own.
   */
  async getMany<T>(kind: string, keys: readonly string[], loadMany: (missing: number[]) => Promise<T[]>): Promise<Array<Read<T>>> {
    const now = this.#now();
    if (this.ttlSeconds === 0) return (await loadMany(keys.map((_key, index) => index))).map((value) => ({ value, readAt: now }));
    const found: Array<Promise<Read<T>>> = [];
    const missing: number[] = [];
    keys.forEach((key, index) => {
      const entry = this.#entries.get(`${kind}:${key}`);
      if (entry && now - entry.readAt < this.ttlSeconds * 1000) {
        this.#metrics?.cacheLookups.inc({ kind, result: "hit" });
        found[index] = entry.value.then((value) => ({ value: value as T, readAt: entry.readAt }));
      } else {
        this.#metrics?.cacheLookups.inc({ kind, result: "miss" });
        missing.push(index);
      }
    });
    if (missing.length > 0) {
      const batch = loadMany(missing);
      missing.forEach((keyIndex, position) => {
        const cacheKey = `${kind}:${keys[keyIndex]}`;
        const fresh: Entry = {
          value: batch.then((values) => {
            if (values.length !== missing.length) throw new Error(`a batched read answered ${values.length} of ${missing.length}`);
            return values[position];
          }),
          readAt: now,
          bytes: ENTRY_OVERHEAD_BYTES,
        };
        this.#keep(cacheKey, fresh);
        found[keyIndex] = fresh.value.then((value) => ({ value: value as T, readAt: now }));
      });
    }
    return Promise.all(found);
  }

  clear(): void {
    this.#entries.clear();
  }

  /** Keeps `entry` under a copy of `cacheKey`; once its value is read, counts it; drops it if the read fails. */
  #keep(cacheKey: string, entry: Entry): void {
    const key = detachedString(cacheKey);
    this.#entries.set(key, { ...entry, bytes: entry.bytes + 2 * key.length });
    const isThisRead = () => this.#entries.peek(key)?.value === entry.value;
    entry.value.then(
      (value) => {
        // Set as a new entry: lru-cache counts a value's size when it is set as a new value.
        if (isThisRead()) this.#entries.set(key, { ...entry, bytes: entry.bytes + 2 * key.length + estimatedBytes(value) });
      },
      () => {
        if (isThisRead()) this.#entries.delete(key);
      },
    );
  }
}

