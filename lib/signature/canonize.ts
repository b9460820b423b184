/**
 * The two canonical forms Data Integrity EdDSA proofs hash: RDFC-1.0 N-Quads of the JSON-LD document
 * (eddsa-rdfc-2022, Ed25519Signature2020) and RFC 8785 JCS (eddsa-jcs-2022). RDFC follows the reference
 * suites exactly (jsonld.toRDF in safe mode, no base, rdfDirection i18n-datatype, then rdf-canonize), so
 * the bytes hashed are the same as theirs. A document that cannot be canonicalized throws
 * CanonicalizationFailure saying why (a term no context defines, a context not held, a relative IRI…).
 */
import { createHash } from "node:crypto";

// First, before jsonld itself: it patches jsonld's context module as jsonld loads (see the file).
import { installFastContextClone } from "./jsonld-fast-clone.js";
import jsonld from "jsonld";
import * as rdfCanonize from "rdf-canonize";

import { canonicalJson } from "../credential/canonical.js";
import { UnknownContextError, type DocumentLoader } from "./contexts.js";

installFastContextClone();

/** The document cannot be put in canonical form; `cause` is an UnknownContextError when a context is missing. */
export class CanonicalizationFailure extends Error {
  override readonly name = "CanonicalizationFailure";
  constructor(message: string, readonly unknownContext?: UnknownContextError) {
    super(message);
  }
}

/** RDFC-1.0 canonical N-Quads of a JSON-LD document. */
export async function canonicalNQuads(document: object, loader: DocumentLoader): Promise<string> {
  let dataset: object[];
  try {
    dataset = await jsonld.toRDF(document, {
      safe: true,
      base: null,
      documentLoader: loader,
      rdfDirection: "i18n-datatype",
      produceGeneralizedRdf: false,
    });
  } catch (error) {
    throw explain(error);
  }
  return rdfCanonize.canonize(dataset, { algorithm: "RDFC-1.0" });
}

/** RFC 8785 JCS of a JSON document. */
export function canonicalJcs(document: object): string {
  return canonicalJson(document);
}

export function sha256(text: string): Uint8Array {
  return new Uint8Array(createHash("sha256").update(text, "utf8").digest());
}

/** jsonld's errors nest the reason (a safe-mode event, a loader's error) in `details`: bring it to the message. */
function explain(error: unknown): CanonicalizationFailure {
  const unknownContext = findUnknownContext(error, 0);
  if (unknownContext !== undefined) return new CanonicalizationFailure(unknownContext.message, unknownContext);
  const details = (error as { details?: { event?: { code?: string; message?: string; details?: Record<string, unknown> } } }).details;
  const event = details?.event;
  if (event !== undefined) {
    const about = event.details ?? {};
    const what = Object.entries(about)
      .filter(([, value]) => typeof value === "string" || typeof value === "number")
      .map(([key, value]) => `${key} ${JSON.stringify(value)}`)
      .join(", ");
    return new CanonicalizationFailure(`not canonicalizable in JSON-LD safe mode: ${event.code ?? "invalid"}${what ? ` (${what})` : ""}: ${event.message ?? ""}`.trim());
  }
  return new CanonicalizationFailure(`not canonicalizable as JSON-LD: ${(error as Error).message ?? String(error)}`);
}

function findUnknownContext(error: unknown, depth: number): UnknownContextError | undefined {
  if (error instanceof UnknownContextError) return error;
  if (depth > 4 || error === null || typeof error !== "object") return undefined;
  const { details, cause } = error as { details?: { cause?: unknown }; cause?: unknown };
  return findUnknownContext(details?.cause, depth + 1) ?? findUnknownContext(cause, depth + 1);
}
