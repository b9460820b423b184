/**
 * The service's caches are bounded in bytes (issue 15, item 2): the verdict memo, the chain-read cache and
 * the document caches each keep at most their bound, evict the least recently used first, count what they
 * hold honestly, and report bytes, entries and evictions in /metrics.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

import { expect } from "chai";

import { DocumentCache, countedDocumentCache } from "../../server/document-cache.js";
import { createMetrics } from "../../server/metrics.js";
import { ReadCache } from "../../server/read-cache.js";
import { VerdictMemo } from "../../server/verdict-memo.js";

const KiB = 1024;

function verdict(padding: number, status: "valid" | "tampered" = "tampered") {
  return { status, detail: "x".repeat(padding) };
}

describe("server/verdict-memo: remembered verdicts bounded in bytes", function () {
  it("counts a verdict as its JSON text, two bytes a character beyond Latin-1", function () {
    const memo = new VerdictMemo({ maxBytes: 1024 * KiB });
    const latin = memo.set("body:a", verdict(10 * KiB), Infinity);
    expect(memo.bytes).to.be.at.least(latin.json.length).and.below(latin.json.length + 1 * KiB);
    memo.clear();
    const wideVerdict = { status: "valid" as const, detail: "€".repeat(10 * KiB) };
    const wide = memo.set("body:b", wideVerdict, Infinity);
    expect(memo.bytes).to.be.at.least(2 * wide.json.length);
  });

  it("evicts the least recently used verdict first and never holds more than its bound", function () {
    const memo = new VerdictMemo({ maxBytes: 35 * KiB });
    memo.set("body:1", verdict(10 * KiB), Infinity);
    memo.set("body:2", verdict(10 * KiB), Infinity);
    memo.set("body:3", verdict(10 * KiB), Infinity);
    expect(memo.get("body:1")?.status).to.equal("tampered"); // now the most recently used
    memo.set("body:4", verdict(10 * KiB), Infinity);
    expect(memo.get("body:2")).to.equal(undefined);
    expect(["body:1", "body:3", "body:4"].map((key) => memo.get(key) !== undefined)).to.deep.equal([true, true, true]);
    expect(memo.bytes).to.be.at.most(35 * KiB);
  });

  it("keeps no verdict larger than the whole bound, and forgets one past its time", function () {
    let now = 0;
    const memo = new VerdictMemo({ maxBytes: 8 * KiB, now: () => now });
    memo.set("body:big", verdict(16 * KiB), Infinity);
    expect(memo.size).to.equal(0);
    memo.set("body:small", verdict(1 * KiB, "valid"), 1_000);
    expect(memo.get("body:small")?.status).to.equal("valid");
    now = 1_000;
    expect(memo.get("body:small")).to.equal(undefined);
    expect(memo.size).to.equal(0);
  });

  it("reports its bytes, entries and evictions in /metrics", async function () {
    const metrics = createMetrics();
    const memo = new VerdictMemo({ maxBytes: 25 * KiB, metrics });
    for (const key of ["a", "b", "c", "d"]) memo.set(`body:${key}`, verdict(10 * KiB), Infinity);
    const text = await metrics.registry.metrics();
    expect(text).to.contain(`verifier_cache_bytes{cache="verdict"} ${memo.bytes}`);
    expect(text).to.contain(`verifier_cache_entries{cache="verdict"} 2`);
    expect(text).to.contain(`verifier_cache_evictions_total{cache="verdict"} 2`);
    // Scraped again, the counter does not count the same evictions twice.
    expect(await metrics.registry.metrics()).to.contain(`verifier_cache_evictions_total{cache="verdict"} 2`);
  });
});

describe("server/read-cache: chain reads bounded in bytes", function () {
  it("counts each read's value once answered, and evicts the least recently used past its bound", async function () {
    const cache = new ReadCache(60, { maxBytes: 20 * KiB });
    await cache.get("keys", "issuer-1", async () => ({ operators: "o".repeat(4 * KiB) }));
    expect(cache.bytes).to.be.at.least(8 * KiB);
    await cache.get("keys", "issuer-2", async () => ({ operators: "o".repeat(4 * KiB) }));
    let reads = 0;
    await cache.get("keys", "issuer-1", async () => ++reads);
    expect(reads, "issuer-1 still cached").to.equal(0);
    await cache.get("keys", "issuer-3", async () => ({ operators: "o".repeat(4 * KiB) }));
    expect(cache.bytes).to.be.at.most(20 * KiB);
    await cache.get("keys", "issuer-1", async () => ++reads);
    expect(reads, "issuer-1, used last, kept").to.equal(0);
    await cache.get("keys", "issuer-2", async () => ++reads);
    expect(reads, "issuer-2, used least recently, evicted").to.equal(1);
  });

  it("drops a failed read, as before", async function () {
    const cache = new ReadCache(60, { maxBytes: 20 * KiB });
    await cache.get("anchor", "root", async () => Promise.reject(new Error("node down"))).catch(() => {});
    expect(cache.size).to.equal(0);
  });
});

describe("server/document-cache: fetched documents bounded in bytes", function () {
  it("holds documents within its byte bound, the least recently used evicted, and reports it", async function () {
    const metrics = createMetrics();
    const cache = countedDocumentCache("status-list", { ttlSeconds: 60, failureTtlSeconds: 5, maxEntries: 100, maxCacheBytes: 50 * KiB, metrics });
    for (const url of ["https://a.example/list", "https://b.example/list", "https://c.example/list"]) {
      await cache.get(url, async () => ({ encodedList: "u".repeat(10 * KiB) }));
    }
    expect(cache.size).to.equal(2);
    expect(cache.bytes).to.be.at.most(50 * KiB);
    const text = await metrics.registry.metrics();
    expect(text).to.contain(`verifier_cache_entries{cache="status-list"} 2`);
    expect(text).to.contain(`verifier_cache_evictions_total{cache="status-list"} 1`);
  });

  it("keeps the entry bound too (DID_CACHE_ENTRIES, STATUS_LIST_CACHE_ENTRIES)", async function () {
    const cache = new DocumentCache({ ttlSeconds: 60, failureTtlSeconds: 5, maxEntries: 2, maxBytes: 1024 * KiB });
    for (const key of ["a", "b", "c"]) await cache.get(key, async () => key);
    expect(cache.size).to.equal(2);
  });

  it("keeps its keys as their own copies, not as views into the request bodies they were cut from", async function () {
    // V8 keeps a substring as a view into its parent: 200 DIDs cut from distinct 256 KB bodies would keep
    // 50 MB alive. The heap is measured after a full collection (gc exposed for this process).
    setFlagsFromString("--expose-gc");
    const collect = runInNewContext("gc") as () => void;
    const cache = new DocumentCache({ ttlSeconds: 60, failureTtlSeconds: 5, maxEntries: 1000, maxBytes: 64 * 1024 * KiB });
    collect();
    const before = process.memoryUsage().heapUsed;
    for (let index = 0; index < 200; index++) {
      const body = `{"issuer":"did:web:issuer.example:${String(index).padStart(64, "0")}","padding":"${"x".repeat(256 * KiB)}"}`;
      const id = body.slice(11, 11 + 87);
      await cache.get(id, async () => ({ id: "did:web:issuer.example" }));
      await cache.get(`${id}#fail`, async () => Promise.reject(new Error(`cannot read ${id}`))).catch(() => {});
    }
    collect();
    expect(cache.size).to.equal(400);
    expect(process.memoryUsage().heapUsed - before).to.be.below(10 * 1024 * KiB);
  });
});
