/**
 * Reads a contract's logs over a block range in pages, as public providers demand: each request spans at
 * most `range` blocks; when a provider refuses a request (range too wide, too many results, a timeout), the
 * range is halved and the same blocks asked again; after successes it grows back. Pages are also kept near
 * `logsPerPage` logs, the next range following the density of the blocks just read, so that no answer grows
 * huge (110,000 logs are 77 MB of JSON that the node must build and the reader parse in one go); without a
 * given range the reader starts at a few blocks, as it cannot know the density yet. A node that cannot be
 * reached is reported at once: that is no refusal of the range. Progress is reported in blocks.
 */
import { isUnreachable } from "../cli/contract-errors.js";

export interface LogSource<L> {
  getLogs(filter: { address: string; fromBlock: number; toBlock: number }): Promise<L[]>;
}

export interface PagingOptions {
  /** Blocks per request to start with and never exceed (default: start at 16, grow up to 10,000, which most providers accept). */
  range?: number;
  /** Logs per answer to aim at (default 10,000): the next range is sized from the last page's density. */
  logsPerPage?: number;
  onProgress?: (doneBlocks: number, totalBlocks: number) => void;
  /** Give up after this many refusals in a row at a range of one block. */
  maxRetries?: number;
}

export class LogPagingError extends Error {
  override readonly name = "LogPagingError";
}

/** Every log of the range, gathered in one array (short histories, tests). */
export async function readLogsPaged<L>(source: LogSource<L>, address: string, fromBlock: number, toBlock: number, options: PagingOptions = {}): Promise<L[]> {
  const logs: L[] = [];
  // A loop over a large array: `logs.push(...page)` would pass every log as an argument.
  await forEachLogPage(source, address, fromBlock, toBlock, (page) => {
    for (const log of page) logs.push(log);
  }, options);
  return logs;
}

/**
 * Hands each page of logs to `onPage` in chain order, as it is read, so that the caller can fold it into
 * its state and let it go: a long history is never held whole (1.1 million logs are ~800 MB of JSON).
 */
export async function forEachLogPage<L>(
  source: LogSource<L>,
  address: string,
  fromBlock: number,
  toBlock: number,
  onPage: (page: L[]) => void | Promise<void>,
  options: PagingOptions = {},
): Promise<void> {
  const maxRange = Math.max(1, options.range ?? 10_000);
  const firstRange = options.range === undefined ? Math.min(16, maxRange) : maxRange;
  const logsPerPage = Math.max(1, options.logsPerPage ?? 10_000);
  const maxRetries = options.maxRetries ?? 3;
  const total = toBlock - fromBlock + 1;
  let range = firstRange;
  let start = fromBlock;
  let refusalsAtOne = 0;
  while (start <= toBlock) {
    const end = Math.min(start + range - 1, toBlock);
    let page: L[];
    try {
      page = await source.getLogs({ address, fromBlock: start, toBlock: end });
    } catch (error) {
      if (isUnreachable(error)) throw error;
      if (range > 1) {
        range = Math.max(1, Math.floor(range / 2));
        continue;
      }
      if (++refusalsAtOne > maxRetries) {
        throw new LogPagingError(`the node refuses the logs of block ${start} even alone: ${(error as Error).message.split("\n")[0]}`, { cause: error });
      }
      continue;
    }
    await onPage(page);
    const spanned = end - start + 1;
    start = end + 1;
    refusalsAtOne = 0;
    const fitting = page.length === 0 ? Infinity : Math.floor((spanned * logsPerPage) / page.length);
    range = Math.max(1, Math.min(maxRange, range * 2, fitting));
    options.onProgress?.(start - fromBlock, total);
  }
}
