/**
 * A small cache for chain reads: each value is kept for at most `ttlSeconds` (the bound every answer
 * states, so a revocation shows within it), and concurrent requests for the same key share one read.
 * Failures are never cached. With a TTL of 0 nothing is cached or shared: every request reads the node.
 */
import type { Metrics } from "./metrics.js";

interface Entry {
  value: Promise<unknown>;
  readAt: number;
}

export interface Read<T> {
  value: T;
  /** When the value was read from the chain (ms since the epoch). */
  readAt: number;
}

export class ReadCache {
  readonly ttlSeconds: number;
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  readonly #metrics: Metrics | undefined;
  readonly #now: () => number;

  constructor(ttlSeconds: number, options: { maxEntries?: number; metrics?: Metrics; now?: () => number } = {}) {
    this.ttlSeconds = ttlSeconds;
    this.#maxEntries = options.maxEntries ?? 50_000;
    this.#metrics = options.metrics;
    this.#now = options.now ?? Date.now;
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
    const fresh: Entry = { value: load(), readAt: now };
    if (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(cacheKey, fresh);
    try {
      return { value: (await fresh.value) as T, readAt: now };
    } catch (error) {
      if (this.#entries.get(cacheKey) === fresh) this.#entries.delete(cacheKey);
      throw error;
    }
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
        };
        fresh.value.catch(() => {
          if (this.#entries.get(cacheKey) === fresh) this.#entries.delete(cacheKey);
        });
        if (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
        this.#entries.set(cacheKey, fresh);
        found[keyIndex] = fresh.value.then((value) => ({ value: value as T, readAt: now }));
      });
    }
    return Promise.all(found);
  }

  clear(): void {
    this.#entries.clear();
  }
}
