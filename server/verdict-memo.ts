/**
 * The verifier's remembered verdicts: the same credential asked again within the cache's bound is answered
 * without running the pipeline (server/verifier.ts decides what is remembered and for how long; this keeps
 * it). Bounded in bytes (VERDICT_CACHE_MAX_BYTES), least recently used evicted first (lru-cache's maxSize).
 *
 * A verdict is kept as its JSON text, exactly what the verify route sends, and counted as that text's
 * bytes (one a character, two when it holds any beyond Latin-1: V8's two string widths) plus its key. Not
 * as the response object: its strings (the credential's id, name, description…) are substrings of the
 * request body's text as the strict JSON reader cut them, and each would keep the whole body — up to
 * 256 KB — alive for as long as the verdict is remembered, uncounted. JSON.stringify writes a new string
 * that refers to nothing.
 */
import { LRUCache } from "lru-cache";

import { detachedString } from "../lib/credential/detached-string.js";
import type { VerificationStatus } from "../lib/verify/verify.js";
import type { Metrics } from "./metrics.js";

/** 64 MiB: some 10,000 verdicts of ordinary badges (about 6 KB of JSON each). */
export const DEFAULT_VERDICT_CACHE_BYTES = 64 * 1024 * 1024;
/** The entry, its key's digest and lru-cache's slots. */
const ENTRY_OVERHEAD_BYTES = 200;
const BEYOND_LATIN1 = /[^\u0000-\u00ff]/;

/** A remembered verdict: its status (for the HTTP status code) and the response's JSON text. */
export interface RememberedVerdict {
  status: VerificationStatus;
  json: string;
}

interface Entry extends RememberedVerdict {
  expiresAt: number;
  bytes: number;
}

export interface VerdictMemoOptions {
  maxBytes?: number;
  metrics?: Metrics;
  now?: () => number;
}

export class VerdictMemo {
  readonly #entries: LRUCache<string, Entry>;
  readonly #now: () => number;
  #evictions = 0;

  constructor(options: VerdictMemoOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#entries = new LRUCache<string, Entry>({
      maxSize: Math.max(1, options.maxBytes ?? DEFAULT_VERDICT_CACHE_BYTES),
      sizeCalculation: (entry) => entry.bytes,
      dispose: (_entry, _key, reason) => {
        if (reason === "evict") this.#evictions++;
      },
    });
    options.metrics?.watchCache("verdict", () => ({ bytes: this.bytes, entries: this.size, evictions: this.#evictions }));
  }

  /** The estimated bytes held. */
  get bytes(): number {
    return this.#entries.calculatedSize;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The verdict remembered under `key`, until `expiresAt` (ms since the epoch). */
  get(key: string): RememberedVerdict | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (this.#now() < entry.expiresAt) return entry;
    this.#entries.delete(key);
    return undefined;
  }

  /**
   * Remembers `response` under `key` until `expiresAt`; returns what was kept. One larger than the whole
   * bound is not kept.
   */
  set(key: string, response: { status: VerificationStatus }, expiresAt: number): RememberedVerdict {
    const json = JSON.stringify(response);
    const kept = detachedString(key);
    const bytes = json.length * (BEYOND_LATIN1.test(json) ? 2 : 1) + 2 * kept.length + ENTRY_OVERHEAD_BYTES;
    const entry: Entry = { status: response.status, json, expiresAt, bytes };
    this.#entries.set(kept, entry);
    return entry;
  }

  clear(): void {
    this.#entries.clear();
  }
}
