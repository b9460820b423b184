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
 * an answer is remembered per active context (WeakMap), then per local context: by its URLs when it is
 * URLs (at most URL_KEYS of those per active context), else by the object itself (WeakMap: the scoped
 * contexts of term definitions, shared; a badge's inline context goes with the badge), then per loader.
 * Only in safe mode — where processing that would emit any event throws instead, and a failure is never
 * remembered — so no warning is lost by answering from memory.
 *
 * jsonld's expand.js takes `process` from context.js when it is first loaded: this must run before
 * `jsonld` is (lib/signature's modules import this file first; processMemoInstalled() tells).
 */
type ProcessArguments = { activeCtx: object; localCtx: unknown; options?: { safe?: boolean; base?: unknown; documentLoader?: object }; propagate?: boolean; overrideProtected?: boolean };
type Process = (args: ProcessArguments) => Promise<unknown>;
interface Remembered { base: unknown; propagate: boolean; overrideProtected: boolean; result: Promise<unknown> }

const URL_KEYS = 256;
let memoInstalled = false;

function installProcessMemo(): boolean {
  if (memoInstalled) return true;
  if (jsonldPackage.version !== AUDITED_JSONLD_VERSION) return false;
  const contextModule = jsonldContext as unknown as { process: Process };
  // Too late once jsonld's expansion module is loaded: it holds the original.
  const require = createRequire(import.meta.url);
  if (require.cache[require.resolve("jsonld/lib/expand.js")] !== undefined) return false;
  const original = contextModule.process;
  const byActive = new WeakMap<object, { byUrls: Map<string, WeakMap<object, Remembered>>; byObject: WeakMap<object, WeakMap<object, Remembered>> }>();
  contextModule.process = (args) => {
    const { activeCtx, localCtx, options } = args;
    const loader = options?.documentLoader;
    if (options?.safe !== true || loader === undefined || localCtx === null || typeof localCtx !== "object" && typeof localCtx !== "string") return original(args);
    let memo = byActive.get(activeCtx);
    if (memo === undefined) byActive.set(activeCtx, (memo = { byUrls: new Map(), byObject: new WeakMap() }));
    let perLoader: WeakMap<object, Remembered> | undefined;
    const urls = typeof localCtx === "string" ? [localCtx] : Array.isArray(localCtx) && localCtx.every((entry) => typeof entry === "string") ? (localCtx as string[]) : undefined;
    if (urls !== undefined) {
      const key = urls.join(" ");
      perLoader = memo.byUrls.get(key);
      if (perLoader === undefined) {
        if (memo.byUrls.size >= URL_KEYS) memo.byUrls.clear();
        memo.byUrls.set(key, (perLoader = new WeakMap()));
      }
    } else {
      perLoader = memo.byObject.get(localCtx as object);
      if (perLoader === undefined) memo.byObject.set(localCtx as object, (perLoader = new WeakMap()));
    }
    const propagate = args.propagate ?? true;
    const overrideProtected = args.overrideProtected ?? false;
    const known = perLoader.get(loader);
    if (known !== undefined && known.base === options.base && known.propagate === propagate && known.overrideProtected === overrideProtected) return known.result;
    const result = original(args);
    const remembered: Remembered = { base: options.base, propagate, overrideProtected, result };
    const store = perLoader;
    store.set(loader, remembered);
    result.catch(() => {
      if (store.get(loader) === remembered) store.delete(loader);
    });
    return result;
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
