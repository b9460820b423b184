/**
 * Spreads badge jobs over worker threads, one per core: preparing 100,000 badges (JSON parse, schema,
 * RFC 8785, keccak, and above all the Ed25519 Data Integrity signature) is CPU work that a single thread
 * does in about twice the time. Small batches run
 * in-process, where starting workers would cost more than it saves. Results keep the input order.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

import { CommandError } from "../command-errors.js";
import {
  prepareBadgeFile,
  writeAnchoredBadge,
  type AnchoredBadgeToWrite,
  type BadgeToPrepare,
  type IssuanceSettings,
  type PreparedBadge,
} from "./badge-files.js";

export interface ChunkRequest {
  kind: "prepare" | "write";
  chunk: number;
  /** The batch's settings (the signing key among them: in memory only, never written or logged). */
  settings: IssuanceSettings;
  items: unknown[];
}

export type ChunkReply = { chunk: number; results: unknown[] } | { chunk: number; failure: { code: string; message: string } };

const CHUNK_SIZE = 200;
const PARALLEL_FROM = 1_000;
const IN_PROCESS_CONCURRENCY = 32;

export interface PoolOptions {
  workers?: number;
  onProgress?: (done: number) => void;
}

export function prepareBadges(items: BadgeToPrepare[], settings: IssuanceSettings, options: PoolOptions = {}): Promise<PreparedBadge[]> {
  return run("prepare", items, settings, options, (item) => prepareBadgeFile(item, settings));
}

export function writeAnchoredBadges(items: AnchoredBadgeToWrite[], settings: Omit<IssuanceSettings, "signing">, options: PoolOptions = {}): Promise<number[]> {
  // Writing needs no key: it is not sent to the workers.
  const withoutKey: IssuanceSettings = { ...settings, signing: null };
  return run("write", items, withoutKey, options, (item) => writeAnchoredBadge(item, withoutKey));
}

async function run<T, R>(
  kind: ChunkRequest["kind"],
  items: T[],
  settings: IssuanceSettings,
  options: PoolOptions,
  inProcess: (item: T) => Promise<R>,
): Promise<R[]> {
  const workers = Math.min(options.workers ?? availableParallelism(), Math.ceil(items.length / CHUNK_SIZE));
  if (items.length < PARALLEL_FROM || workers <= 1) return runInProcess(items, inProcess, options.onProgress);
  return runInWorkers<T, R>(kind, items, settings, workers, options.onProgress);
}

async function runInProcess<T, R>(items: T[], work: (item: T) => Promise<R>, onProgress?: (done: number) => void): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  async function lane(): Promise<void> {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
      onProgress?.(++done);
    }
  }
  await Promise.all(Array.from({ length: Math.min(IN_PROCESS_CONCURRENCY, items.length) }, lane));
  return results;
}

function runInWorkers<T, R>(
  kind: ChunkRequest["kind"],
  items: T[],
  settings: IssuanceSettings,
  workerCount: number,
  onProgress?: (done: number) => void,
): Promise<R[]> {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += CHUNK_SIZE) chunks.push(items.slice(start, start + CHUNK_SIZE));
  const results = new Array<R>(items.length);
  const pool = Array.from({ length: workerCount }, () => new Worker(new URL("./worker-entry.mjs", import.meta.url)));
  let nextChunk = 0;
  let finishedChunks = 0;
  let done = 0;

  return new Promise<R[]>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      void Promise.all(pool.map((worker) => worker.terminate())).then(outcome);
    };
    const dispatch = (worker: Worker) => {
      if (nextChunk >= chunks.length) return;
      const chunk = nextChunk++;
      worker.postMessage({ kind, chunk, settings, items: chunks[chunk] } satisfies ChunkRequest);
    };
    for (const worker of pool) {
      worker.on("message", (reply: ChunkReply) => {
        if ("failure" in reply) {
          finish(() => reject(new CommandError(reply.failure.code, reply.failure.message, 1)));
          return;
        }
        reply.results.forEach((result, offset) => (results[reply.chunk * CHUNK_SIZE + offset] = result as R));
        done += reply.results.length;
        onProgress?.(done);
        if (++finishedChunks === chunks.length) finish(() => resolve(results));
        else dispatch(worker);
      });
      worker.on("error", (error) => finish(() => reject(error)));
      dispatch(worker);
    }
  });
}
