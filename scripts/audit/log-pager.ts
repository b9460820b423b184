/**
 * Reads a contract's logs over a block range in pages, as public providers demand: each request spans at
 * most `range` blocks; when a provider refuses a request (range too wide, too many results, a timeout), the
 * range is halved and the same blocks asked again; after successes it grows back. Progress is reported
 * in blocks.
 */
import type { Log } from "ethers";

export interface LogSource {
  getLogs(filter: { address: string; fromBlock: number; toBlock: number }): Promise<Log[]>;
}

export interface PagingOptions {
  /** Blocks per request to start with and never exceed (default 10,000, which most providers accept). */
  range?: number;
  onProgress?: (doneBlocks: number, totalBlocks: number) => void;
  /** Give up after this many refusals in a row at a range of one block. */
  maxRetries?: number;
}

export class LogPagingError extends Error {
  override readonly name = "LogPagingError";
}

export async function readLogsPaged(source: LogSource, address: string, fromBlock: number, toBlock: number, options: PagingOptions = {}): Promise<Log[]> {
  const maxRange = Math.max(1, options.range ?? 10_000);
  const total = toBlock - fromBlock + 1;
  const logs: Log[] = [];
  let range = maxRange;
  let start = fromBlock;
  let refusalsAtOne = 0;
  while (start <= toBlock) {
    const end = Math.min(start + range - 1, toBlock);
    try {
      logs.push(...(await source.getLogs({ address, fromBlock: start, toBlock: end })));
      start = end + 1;
      refusalsAtOne = 0;
      range = Math.min(maxRange, range * 2);
      options.onProgress?.(start - fromBlock, total);
    } catch (error) {
      if (range > 1) {
        range = Math.max(1, Math.floor(range / 2));
        continue;
      }
      if (++refusalsAtOne > (options.maxRetries ?? 3)) {
        throw new LogPagingError(`the node refuses the logs of block ${start} even alone: ${(error as Error).message.split("\n")[0]}`);
      }
    }
  }
  return logs;
}
