/**
 * Gathers single requests into batches: `ask(item)` returns that item's answer, and everything asked
 * before the event loop turns is answered by `load` in batches of at most `maxBatch`, with at most
 * `inFlight` batches of one gathering under way at a time. (The DataLoader pattern, written here because
 * it is a few lines and DataLoader is no dependency of the project.)
 *
 * With `holdWhileBusyMs`, asks made while a batch is out wait for it to come back — at most that many
 * milliseconds — and then go together: under load each batch carries many items, and when idle nothing
 * waits. A gathering that reaches `maxBatch` goes at once. (The verifier service's chain reads.)
 * A batch that fails fails each of its asks; the other batches are unaffected.
 *
 * lib/chain/: reading a chain in batches, shared by the verifier service (server/chain-reader.ts) and the
 * auditor (scripts/audit/). It needs no other folder of lib/.
 */
export interface TickBatcher<I, R> {
  ask(item: I): Promise<R>;
}

interface Ask<I, R> {
  item: I;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export function tickBatcher<I, R>(
  load: (items: I[]) => Promise<readonly R[]>,
  options: { maxBatch: number; inFlight: number; holdWhileBusyMs?: number },
): TickBatcher<I, R> {
  const holding = options.holdWhileBusyMs !== undefined;
  let queue: Array<Ask<I, R>> = [];
  let gatheringsOut = 0;
  let holdTimer: NodeJS.Timeout | undefined;
  const flush = async () => {
    clearTimeout(holdTimer);
    holdTimer = undefined;
    const pending = queue;
    queue = [];
    if (pending.length === 0) return;
    const batches: Array<Array<Ask<I, R>>> = [];
    for (let start = 0; start < pending.length; start += options.maxBatch) batches.push(pending.slice(start, start + options.maxBatch));
    gatheringsOut++;
    try {
      await inPool(batches, options.inFlight, async (batch) => {
        try {
          const results = await load(batch.map((entry) => entry.item));
          batch.forEach((entry, position) => entry.resolve(results[position]));
        } catch (error) {
          for (const entry of batch) entry.reject(error);
        }
      });
    } finally {
      gatheringsOut--;
      if (holding && queue.length > 0) void flush();
    }
  };
  return {
    ask: (item) =>
      new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        if (holding && queue.length >= options.maxBatch) void flush();
        else if (queue.length === 1) {
          if (holding && gatheringsOut > 0) holdTimer = setTimeout(() => void flush(), options.holdWhileBusyMs);
          else setImmediate(() => void flush());
        }
      }),
  };
}

/** Runs `work` on every item, at most `limit` at a time; the first failure stops the rest and is thrown. */
export async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      try {
        await work(items[next++]);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
