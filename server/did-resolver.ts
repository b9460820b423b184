/**
 * The shell's ControllerResolver (lib/signature/verify-proofs.ts): finds the document that lists an
 * issuer's keys, for the `signature` check (DESIGN.md §5).
 *   did:key   — computed locally (lib/signature/did-key.ts), no network;
 *   did:web   — fetched from the URL the did:web method gives (didWebDocumentUrl);
 *   https://… — an OB 3.0 profile id: the controller document fetched from the id itself;
 *   pinned    — a document configured for an id (air-gapped verifiers, tests) is used as is, never fetched.
 * Fetches are bounded (bounded-fetch.ts) and cached with a TTL, failures for a shorter one
 * (document-cache.ts). A failure is thrown as a DidResolutionError whose message says why in a sentence;
 * the signature check reports it (skip with a warning when the anchor reads fine, else `unavailable`).
 */
import { didWebDocumentUrl } from "../lib/signature/controller-document.js";
import { didKeyDocument } from "../lib/signature/did-key.js";
import type { ControllerResolver } from "../lib/signature/verify-proofs.js";
import { DocumentFetchError, isLoopbackHost, type JsonFetcher } from "./bounded-fetch.js";
import { countedDocumentCache, DocumentCache } from "./document-cache.js";
import type { Metrics } from "./metrics.js";

export class DidResolutionError extends Error {
  override readonly name = "DidResolutionError";
  /** The fetcher's code (timeout, too-large, not-json, …), or "unsupported" / "not-a-document". */
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

export interface DidResolverOptions {
  fetchJson: JsonFetcher;
  ttlSeconds: number;
  failureTtlSeconds: number;
  maxEntries: number;
  /** Most bytes the cache keeps (estimated; document-cache.ts). */
  maxCacheBytes?: number;
  /** Documents by id, used instead of fetching. */
  pinned?: ReadonlyMap<string, unknown>;
  /**
   * A did:web on a loopback host (did:web:127.0.0.1%3A8443) is fetched over plain http:// — for tests, where
   * no public CA certifies 127.0.0.1. The fetcher must allow loopback http too.
   */
  allowLoopbackHttp?: boolean;
  metrics?: Metrics;
  now?: () => number;
}

export type ControllerIdKind = "did:key" | "did:web" | "https";

export class DidResolver implements ControllerResolver {
  readonly cache: DocumentCache;
  readonly #options: DidResolverOptions;

  constructor(options: DidResolverOptions) {
    this.#options = options;
    this.cache = countedDocumentCache("did-document", options);
  }

  /** The document of controller `id` (a DID or an https profile id; a fragment is ignored). */
  async resolve(id: string): Promise<unknown> {
    const controller = id.split("#")[0];
    const pinned = this.#options.pinned?.get(controller);
    if (pinned !== undefined) return pinned;
    const kind = controllerIdKind(controller);
    if (kind === undefined) throw new DidResolutionError("unsupported", `cannot resolve ${controller}: only did:key, did:web and https:// controller ids are resolved`);
    if (kind === "did:key") {
      try {
        return didKeyDocument(controller);
      } catch (error) {
        throw new DidResolutionError("not-a-document", `${controller} is not a valid did:key: ${(error as Error).message}`);
      }
    }
    let url: string;
    try {
      url = kind === "did:web" ? didWebDocumentUrl(controller) : controller;
      if (this.#options.allowLoopbackHttp && kind === "did:web" && isLoopbackHost(new URL(url).hostname)) url = url.replace(/^https:/, "http:");
    } catch (error) {
      throw new DidResolutionError("unsupported", `${controller} is not a valid did:web: ${(error as Error).message}`);
    }
    return this.cache.get(controller, () => this.#fetch(controller, kind, url));
  }

  async #fetch(controller: string, kind: ControllerIdKind, url: string): Promise<unknown> {
    const started = performance.now();
    const observe = (outcome: string) => {
      this.#options.metrics?.documentFetches.inc({ kind, outcome });
      this.#options.metrics?.documentFetchSeconds.observe({ kind, outcome }, (performance.now() - started) / 1000);
    };
    let document: unknown;
    try {
      document = await this.#options.fetchJson(url);
    } catch (error) {
      const code = error instanceof DocumentFetchError ? error.code : "network";
      observe(code);
      throw new DidResolutionError(code, `cannot fetch the document of ${controller}: ${(error as Error).message}`);
    }
    if (document === null || typeof document !== "object" || Array.isArray(document)) {
      observe("not-a-document");
      throw new DidResolutionError("not-a-document", `the document of ${controller} at ${url} is not a JSON object`);
    }
    const documentId = (document as { id?: unknown }).id;
    if (documentId !== controller) {
      // A document for another id would let one host speak for an identity it does not hold.
      observe("wrong-id");
      throw new DidResolutionError("not-a-document", `the document at ${url} is for ${JSON.stringify(documentId) ?? "no id"}, not ${controller}`);
    }
    observe("ok");
    return document;
  }
}

export function controllerIdKind(id: string): ControllerIdKind | undefined {
  if (id.startsWith("did:key:")) return "did:key";
  if (id.startsWith("did:web:")) return "did:web";
  if (id.startsWith("https://") || id.startsWith("http://")) return "https";
  return undefined;
}
