/**
 * A worker thread's side of worker-pool.ts: it receives chunks of badge jobs (prepare = read, validate,
 * complete, hash, sign; write = write an anchored badge) and answers each chunk with its results in order.
 */
import { parentPort } from "node:worker_threads";

import { CommandError } from "../command-errors.js";
import { prepareBadgeFile, writeAnchoredBadge, type AnchoredBadgeToWrite, type BadgeToPrepare } from "./badge-files.js";
import type { ChunkReply, ChunkRequest } from "./worker-pool.js";

parentPort!.on("message", async (request: ChunkRequest) => {
  try {
    const results =
      request.kind === "prepare"
        ? await Promise.all(
            (request.items as BadgeToPrepare[]).map((item) => prepareBadgeFile(item, request.settings)),
          )
        : await Promise.all((request.items as AnchoredBadgeToWrite[]).map((item) => writeAnchoredBadge(item, request.settings)));
    parentPort!.postMessage({ chunk: request.chunk, results } satisfies ChunkReply);
  } catch (error) {
    const failure = error instanceof CommandError ? { code: error.code, message: error.message } : { code: "worker-failed", message: String(error) };
    parentPort!.postMessage({ chunk: request.chunk, failure } satisfies ChunkReply);
  }
});
