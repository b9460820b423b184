/**
 * Gathers the single requests made in one tick into batches: `ask(item)` returns that item's answer, and
 * everything asked before the event loop turns is answered by `load` in batches of at most `maxBatch`,
 * with at most `inFlight` batches under way at a time. (The DataLoader pattern, written here because it
 * is a few lines and DataLoader is no dependency of the project.)
 */
export interface TickBatcher<I, R> {
  ask(item: I): Promise<R>;
}

export function tickBatcher<I, R>(load: (items: I[]) => Promise<readonly R[]>, options: { maxBatch: number; inFlight: number }): TickBatcher<I, R> {
  let queue: Array<{ item: I; resolve: (result: R) => void; reject: (error: unknown) => void }> = [];
  const flush = async () => {
    const pending = queue;
    queue = [];
    const batches: (typeof pending)[] = [];
    for (let start = 0; start < pending.length; start += options.maxBatch) batches.push(pending.slice(start, start + options.maxBatch));
    await inPool(batches, options.inFlight, async (batch) => {
      try {
        const results = await load(batch.map((entry) => entry.item));
        batch.forEach((entry, position) => entry.resolve(results[position]));
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    });
  };
  return {
    ask: (item) =>
      new Promise<R>((resolve, reject) => {
        if (queue.length === 0) setImmediate(() => void flush());
        queue.push({ item, resolve, reject });
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
