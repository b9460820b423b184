/**
 * Credentials signed the way another platform signs them: with the Digital Bazaar reference libraries
 * (@digitalbazaar/vc, data-integrity, eddsa-rdfc-2022-cryptosuite, ed25519-multikey), by a did:key or by
 * a did:web / https issuer whose controller document the test serves or pins. These are independent of
 * lib/signature/, so a badge our verifier accepts was not merely signed and checked by the same code.
 * The packages ship no types: they are imported by a computed name and given the narrow shape we call.
 */
import { contextLoader } from "../../lib/signature/contexts.js";
import { buildControllerDocument } from "../../lib/signature/controller-document.js";
import { decodePublicKeyMultibase } from "../../lib/signature/ed25519-keys.js";

interface MultikeyPair {
  id: string;
  controller: string;
  publicKeyMultibase: string;
  signer(): unknown;
}

interface ReferenceLibraries {
  vc: { issue(o: { credential: object; suite: unknown; documentLoader: unknown; now?: Date }): Promise<Record<string, unknown>> };
  multikey: { generate(o: { id?: string; controller?: string; seed?: Uint8Array }): Promise<MultikeyPair> };
  DataIntegrityProof: new (o: { signer: unknown; cryptosuite: unknown; date?: Date }) => unknown;
  rdfc: unknown;
}

let libraries: Promise<ReferenceLibraries> | undefined;

async function load(name: string): Promise<Record<string, unknown>> {
  return (await import(name)) as Record<string, unknown>;
}

function referenceLibraries(): Promise<ReferenceLibraries> {
  libraries ??= (async () => {
    const [vc, multikey, dataIntegrity, rdfc] = await Promise.all(
      ["@digitalbazaar/vc", "@digitalbazaar/ed25519-multikey", "@digitalbazaar/data-integrity", "@digitalbazaar/eddsa-rdfc-2022-cryptosuite"].map(load),
    );
    return {
      vc: vc as unknown as ReferenceLibraries["vc"],
      multikey: multikey as unknown as ReferenceLibraries["multikey"],
      DataIntegrityProof: dataIntegrity.DataIntegrityProof as ReferenceLibraries["DataIntegrityProof"],
      rdfc: rdfc.cryptosuite,
    };
  })();
  return libraries;
}

/** An issuer with an Ed25519 key, as another platform would hold it. */
export interface ReferenceIssuer {
  /** The issuer id badges carry: a did:key, a did:web or an https URL. */
  id: string;
  verificationMethod: string;
  publicKey: Uint8Array;
  keyPair: MultikeyPair;
  /** For did:web / https: the controller document to host (or pin); null for did:key. */
  document: Record<string, unknown> | null;
}

/** A did:key issuer; `seed` (32 bytes) makes it the same every run. */
export async function didKeyIssuer(seed: Uint8Array = crypto.getRandomValues(new Uint8Array(32))): Promise<ReferenceIssuer> {
  const { multikey } = await referenceLibraries();
  // The did:key is the public key itself, so the key is made once to learn it, then again under its ids.
  const { publicKeyMultibase } = await multikey.generate({ seed });
  const did = `did:key:${publicKeyMultibase}`;
  const verificationMethod = `${did}#${publicKeyMultibase}`;
  const keyPair = await multikey.generate({ seed, id: verificationMethod, controller: did });
  return { id: did, verificationMethod, publicKey: decodePublicKeyMultibase(publicKeyMultibase), keyPair, document: null };
}

/**
 * A did:web (or https profile id) issuer: its key, and the controller document listing it for
 * assertionMethod — with `blockchainAccountIds` (CAIP-10) naming its registry controller(s), if given.
 */
export async function hostedIssuer(id: string, options: { blockchainAccountIds?: string[]; name?: string; seed?: Uint8Array } = {}): Promise<ReferenceIssuer> {
  const { multikey } = await referenceLibraries();
  const verificationMethod = `${id}#key-1`;
  const keyPair = await multikey.generate({ id: verificationMethod, controller: id, seed: options.seed });
  const publicKey = decodePublicKeyMultibase(keyPair.publicKeyMultibase);
  const document = buildControllerDocument({ id, publicKey, keyFragment: "key-1", blockchainAccountIds: options.blockchainAccountIds });
  if (options.name !== undefined) document.name = options.name;
  return { id, verificationMethod, publicKey, keyPair, document };
}

/** `credential` (without proof) signed eddsa-rdfc-2022 by `issuer` with @digitalbazaar/vc; proofs it had are kept first. */
export async function signWithReference(credential: Record<string, unknown>, issuer: ReferenceIssuer, now = new Date("2026-06-01T00:00:00Z")): Promise<Record<string, unknown>> {
  const { vc, DataIntegrityProof, rdfc } = await referenceLibraries();
  const { proof: existing, ...unsigned } = credential;
  const suite = new DataIntegrityProof({ signer: issuer.keyPair.signer(), cryptosuite: rdfc, date: now });
  const signed = await vc.issue({ credential: structuredClone(unsigned), suite, documentLoader: contextLoader(), now });
  const others = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
  return others.length === 0 ? signed : { ...signed, proof: [signed.proof, ...others] };
}
