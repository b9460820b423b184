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
  if (this.previousContext) child.previousContext = this.previousContext.clone();
  child.revertToPreviousContext = this.revertToPreviousContext;
  if ("@base" in this) child["@base"] = this["@base"];
  if ("@language" in this) child["@language"] = this["@language"];
  if ("@vocab" in this) child["@vocab"] = this["@vocab"];
  return child;
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
  for (const initial of initials) initial.clone = shallowCloneActiveContext;
  installed = true;
  return true;
}
