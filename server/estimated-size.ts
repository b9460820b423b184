/**
 * How the caches estimate what a kept value costs in memory: twice the length of its JSON text. A parsed
 * JSON value's objects and strings take about as much heap again as its text (V8: a property slot, a
 * pointer and a header per member), so counting the text twice is the estimate; it is not exact, and it
 * need not be: the bound it enforces is what matters, and the e2e memory test (test/e2e/memory-bound.ts)
 * measures the process's RSS against it.
 */
export function estimatedBytes(value: unknown): number {
  try {
    return 2 * (JSON.stringify(value, (_key, item: unknown) => (typeof item === "bigint" ? item.toString() : item))?.length ?? 0);
  } catch {
    return 0;
  }
}
