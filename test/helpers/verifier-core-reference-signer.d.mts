/** Types of verifier-core-reference-signer.mjs (the reference libraries it wraps ship none). */
export interface ReferenceSigner {
  did: string;
  verificationMethod: string;
  publicKeyMultibase: string;
  /** The key pair, as @digitalbazaar/ed25519-multikey holds it; opaque to the tests. */
  key: unknown;
}
export function referenceKey(did?: string, fragment?: string): Promise<ReferenceSigner>;
export function referenceDidDocument(signer: ReferenceSigner): Record<string, unknown>;
export function signWithReference<T extends object>(credential: T, signer: ReferenceSigner): Promise<T & { proof: Record<string, unknown> }>;
