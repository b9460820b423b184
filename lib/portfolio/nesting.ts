/**
 * How deep a portfolio's parts may nest. The body parser already refuses JSON nested beyond its own
 * bound (strict-json.ts, 256 levels), but that bound is for any document; a portfolio's parts have
 * shapes far flatter than that. A CLR 2.0 `Association` is a flat object (sourceId, targetId, type), and a
 * badge — with a stack of stacks in its evidence — stays well under MAX_CREDENTIAL_NESTING. Anything
 * deeper is refused with the path where it goes too deep, before any recursive code (the schema library,
 * JSON-LD canonicalization, the response's serialization) walks it.
 */

/** Levels a credential in a portfolio may nest (a degree of certificates of badges needs about 25). */
export const MAX_CREDENTIAL_NESTING = 64;
/** Levels an association may nest (one is all CLR 2.0 asks; a few allow extensions). */
export const MAX_ASSOCIATION_NESTING = 8;

/**
 * Where `value` nests deeper than `maxDepth` levels of objects and arrays, as a JSON path under `path`,
 * or undefined. Walked with a list, not recursion, stopping at the first place too deep.
 */
export function tooDeepAt(value: unknown, maxDepth: number, path: string): string | undefined {
  const pending: Array<{ value: unknown; depth: number; path: string }> = [{ value, depth: 0, path }];
  while (pending.length > 0) {
    const current = pending.pop()!;
    if (current.value === null || typeof current.value !== "object") continue;
    const depth = current.depth + 1;
    if (depth > maxDepth) return current.path;
    const entries = Array.isArray(current.value)
      ? current.value.map((child, index) => [`${current.path}[${index}]`, child] as const)
      : Object.entries(current.value).map(([key, child]) => [`${current.path}${/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`}`, child] as const);
    for (const [childPath, child] of entries) pending.push({ value: child, depth, path: childPath });
  }
  return undefined;
}
