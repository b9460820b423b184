/**
 * A measured speed-up of jsonld 9.0.0's expansion, output unchanged. Profiled on the example badges,
 * half of signing's CPU went to `_cloneActiveContext` (jsonld/lib/context.js): every type-scoped context
 * (OB 3.0 scopes one per type: Achievement, Profile, Alignment…) and every revert to the previous context
 * deep-copies the active context with `util.clone` — every term definition, and the scoped contexts they
 * hold, hundreds of objects per node of the badge.
 *
 * This installs a clone that copies the same fields, but shares the term-definition objects instead of
 * deep-copying them (a new `mappings` Map with the same values, a new `protected` object). Why this is
 * safe, from jsonld 9.0.0's source (audited; any other version keeps jsonld's own clone):
 *  - a term definition is created by `createTermDefinition` as a fresh object (`const mapping = {}`) and
 *    written only by that synchronous call; no code writes to a definition afterwards (context.js lines
 *    563–986 are the only writes to `mapping`); a redefinition replaces the Map entry, never mutates it;
 *  - so a definition an active context holds never changes, and sharing it is indistinguishable from
 *    holding a copy, except for object identity, which no code keys on (object contexts are cached by
 *    JSON.stringify, processed contexts by the active context object, which is still new per clone);
 *  - the clone's own `mappings` and `protected` are new, so what the caller then defines or protects on
 *    the clone does not reach the original (the only reason for cloning); `protected` holds booleans;
 *  - `util.clone` turns non-plain objects into strings, but definitions hold only strings, booleans,
 *    arrays and JSON objects taken from context documents, which it copies structurally.
 * Tests compare canonical N-Quads and proofValues with an unpatched jsonld in a child process, on every
 * example badge, the W3C vectors and randomized variants (test/lib/signature/fast-clone.ts).
 *
 * It applies to every jsonld call in this process (the clone is inherited from jsonld's cached initial
 * contexts), so importing lib/signature speeds up other jsonld users too, with the same output.
 */
import { createRequire } from "node:module";

import jsonldContext from "jsonld/lib/context.js";
import jsonldPackage from "jsonld/package.json" with { type: "json" };
import { LRUCache } from "lru-cache";

/** The jsonld version whose source the argument above was checked against. */
export const AUDITED_JSONLD_VERSION = "9.0.0";

interface ActiveContext {
  mappings: Map<string, unknown>;
  protected: Record<string, boolean>;
  inverse: unknown;
  previousContext?: ActiveContext;
  clone(this: ActiveContext): ActiveContext;
  getInverse: unknown;
  revertToPreviousContext: unknown;
  "@base"?: unknown;
  "@language"?: unknown;
  "@vocab"?: unknown;
}

/** jsonld's _cloneActiveContext field for field, with the definitions shared instead of deep-copied. */
function shallowCloneActiveContext(this: ActiveContext): ActiveContext {
  const child = {} as ActiveContext;
  child.mappings = new Map(this.mappings);
  child.clone = this.clone;
  child.inverse = null;
  child.getInverse = this.getInverse;
  child.protected = { ...this.protected };
  // Shared, not cloned: no code writes to a context but right after cloning it (see the second speed-up).
  if (this.previousContext) child.previousContext = this.previousContext;
  child.revertToPreviousContext = this.revertToPreviousContext;
  if ("@base" in this) child["@base"] = this["@base"];
  if ("@language" in this) child["@language"] = this["@language"];
  if ("@vocab" in this) child["@vocab"] = this["@vocab"];
  return child;
}

/** jsonld's revertToPreviousContext without its clone: the previous context itself (never written to). */
function revertToPreviousContext(this: ActiveContext): ActiveContext {
  return this.previousContext ?? this;
}

let installed = false;

/**
 * Installs the clone on jsonld's initial contexts (one per processing mode, cached by jsonld and the root
 * of every active context, which inherits `clone` from it). Returns whether it is installed: false for
 * a jsonld other than the audited version, or of another shape, which then runs unchanged.
 */
export function installFastContextClone(): boolean {
  if (installed) return true;
  if (jsonldPackage.version !== AUDITED_JSONLD_VERSION) return false;
  const initials = [undefined, "json-ld-1.1", "json-ld-1.0"].map((processingMode) =>
    jsonldContext.getInitialContext({ processingMode }) as Partial<ActiveContext>,
  );
  if (!initials.every((initial) => typeof initial.clone === "function" && initial.mappings instanceof Map && initial.mappings.size === 0)) return false;
  for (const initial of initials) {
    initial.clone = shallowCloneActiveContext;
    initial.revertToPreviousContext = revertToPreviousContext;
  }
  installed = true;
  return true;
}

/**
 * The second speed-up: jsonld's context processing (`api.process`), remembered. jsonld keeps processed
 * contexts in a cache keyed by the active context object, but it clones the active context before it
 * looks there whenever a type-scoped context applies — every node of an OB 3.0 badge — so for those the
 * cache never hits and every badge re-processes OB 3.0's scoped contexts (jsonld.js issue #414). Measured
 * on 206 badges: 1.4–1.6 ms of CPU a badge to canonicalize, 0.37–0.50 ms with this, the N-Quads identical.
 *
 * Processing is a function of its inputs — the active context, the local context, the flags, the base and
 * the document loader — and its result is never written to (as above: contexts are only written right
 * after a clone). Active contexts are now stable objects (reverts and processed results are shared), so
 * an answer can be remembered per active context, local context and loader.
 *
 * Only what comes from context documents is remembered, never what a badge brings: an active context is
 * "from documents" when it is jsonld's initial one or was processed here from one that is, with URLs (the
 * loader's documents) or with the scoped context of one of its own terms (an object of those documents);
 * anything else — an inline @context object in a badge, or what is processed from it — runs unremembered.
 * So a badge's inline context never becomes an entry, nor keeps the badge alive. What is remembered sits
 * in one bounded LRU (lru-cache: MEMO_ENTRIES entries, MEMO_BYTES estimated bytes), the only thing that
 * holds its results: the bound covers every context derived from others, however deep a badge nests
 * distinct URL lists. Keys name the contexts by number (a WeakMap gives each its own) and the URLs in a
 * JSON text, a new string (a badge's own URL string would keep its whole request body alive).
 * Only in safe mode — where processing that would emit any event throws instead, and a failure is never
 * remembered — so no warning is lost by answering from memory.
 *
 * jsonld's expand.js takes `process` from context.js when it is first loaded: this must run before
 * `jsonld` is (lib/signature's modules import this file first; processMemoInstalled() tells).
 */
type ProcessArguments = { activeCtx: object; localCtx: unknown; options?: { safe?: boolean; base?: unknown; documentLoader?: object }; propagate?: boolean; overrideProtected?: boolean };
type Process = (args: ProcessArguments) => Promise<unknown>;
interface Remembered { readonly result: Promise<unknown>; readonly bytes: number }

const MEMO_ENTRIES = 1024;
const MEMO_BYTES = 16 * 1024 * 1024;
/** Estimated bytes a term of a processed context costs it: its Map slot and its `protected` flag. */
const TERM_BYTES = 64;
const ENTRY_OVERHEAD_BYTES = 200;

let memoInstalled = false;
let memoEvictions = 0;
const memo = new LRUCache<string, Remembered>({
  max: MEMO_ENTRIES,
  maxSize: MEMO_BYTES,
  sizeCalculation: (entry) => entry.bytes,
  dispose: (_entry, _key, reason) => {
    if (reason === "evict") memoEvictions++;
  },
});
/** Active contexts and scoped-context objects that come from context documents (see above). */
const fromDocuments = new WeakSet<object>();
const numbers = new WeakMap<object, number>();
let lastNumber = 0;

function numberOf(value: object): number {
  let found = numbers.get(value);
  if (found === undefined) numbers.set(value, (found = ++lastNumber));
  return found;
}

/** Marks a context processed from documents, and the scoped contexts of its terms (objects of those documents). */
function markFromDocuments(context: unknown): void {
  if (context === null || typeof context !== "object") return;
  fromDocuments.add(context);
  const mappings = (context as { mappings?: unknown }).mappings;
  if (!(mappings instanceof Map)) return;
  for (const definition of mappings.values()) {
    const scoped = (definition as { "@context"?: unknown } | null)?.["@context"];
    if (scoped !== null && typeof scoped === "object") fromDocuments.add(scoped);
  }
}

function estimatedBytes(context: unknown): number {
  const mappings = (context as { mappings?: unknown } | null)?.mappings;
  return ENTRY_OVERHEAD_BYTES + (mappings instanceof Map ? mappings.size * TERM_BYTES : 0);
}

/** The memo's size and evictions so far, for the service's metrics. */
export function contextMemoUsage(): { bytes: number; entries: number; evictions: number } {
  return { bytes: memo.calculatedSize, entries: memo.size, evictions: memoEvictions };
}

function installProcessMemo(): boolean {
  if (memoInstalled) return true;
  if (jsonldPackage.version !== AUDITED_JSONLD_VERSION) return false;
  const contextModule = jsonldContext as unknown as { process: Process; getInitialContext(options: { processingMode?: string }): object };
  // Too late once jsonld's expansion module is loaded: it holds the original.
  const require = createRequire(import.meta.url);
  if (require.cache[require.resolve("jsonld/lib/expand.js")] !== undefined) return false;
  for (const processingMode of [undefined, "json-ld-1.1", "json-ld-1.0"]) fromDocuments.add(contextModule.getInitialContext({ processingMode }));
  const original = contextModule.process;
  contextModule.process = (args) => {
    const { activeCtx, localCtx, options } = args;
    const loader = options?.documentLoader;
    if (options?.safe !== true || loader === undefined || !fromDocuments.has(activeCtx)) return original(args);
    const urls = typeof localCtx === "string" ? [localCtx] : Array.isArray(localCtx) && localCtx.every((entry) => typeof entry === "string") ? (localCtx as string[]) : undefined;
    if (urls === undefined && !(localCtx !== null && typeof localCtx === "object" && fromDocuments.has(localCtx))) return original(args);
    const base = typeof options.base === "string" ? options.base : { other: String(options.base) };
    // JSON: unambiguous (a URL may hold a space), and a new string that keeps no badge's text alive.
    const key = JSON.stringify([numberOf(activeCtx), numberOf(loader), args.propagate ?? true, args.overrideProtected ?? false, base, urls ?? numberOf(localCtx as object)]);
    const known = memo.get(key);
    if (known !== undefined) return known.result;
        const remembered: Remembered = { result: original(args), bytes: ENTRY_OVERHEAD_BYTES + 2 * key.length };
    memo.set(key, remembered);
    remembered.result.then(
      (context) => {
        markFromDocuments(context);
        // A new entry, as lru-cache counts a value's size when it is set as a new value.
        if (memo.peek(key) === remembered) memo.set(key, { result: remembered.result, bytes: estimatedBytes(context) + 2 * key.length });
      },
      () => {
        if (memo.peek(key)?.result === remembered.result) memo.delete(key);
      },
    );
    return remembered.result;
  };
  memoInstalled = true;
  return true;
}

/** Whether jsonld's context processing is remembered in this process (false: jsonld was loaded first). */
export function processMemoInstalled(): boolean {
  return memoInstalled;
}

installFastContextClone();
installProcessMemo();
