/**
 * A badge as another platform issues it, for the demo: an Open Badges 3.0 credential signed
 * eddsa-rdfc-2022 with the reference libraries (@digitalbazaar/vc, data-integrity, the cryptosuite) by a
 * did:key this registry has never heard of, and not anchored. Our verifier should read it as correctly
 * signed but not recorded here (`unanchored`).
 *
 * The reference packages publish no types: they are loaded by name and given the few signatures used.
 */
import { contextLoader, type JsonLdObject } from "../lib/signature/contexts.js";
import { didKeyDocument } from "../lib/signature/did-key.js";

interface MultikeyPair {
  publicKeyMultibase: string;
  secretKeyMultibase: string;
  signer(): unknown;
}
interface ReferenceLibraries {
  issue(o: { credential: JsonLdObject; suite: unknown; documentLoader: (url: string) => Promise<unknown> }): Promise<JsonLdObject>;
  generate(): Promise<MultikeyPair>;
  from(key: { type: "Multikey"; id: string; controller: string; publicKeyMultibase: string; secretKeyMultibase: string }): Promise<MultikeyPair>;
  suite(o: { signer: unknown }): unknown;
}

async function referenceLibraries(): Promise<ReferenceLibraries> {
  const load = (name: string) => import(name) as Promise<Record<string, unknown>>;
  const vc = (await load("@digitalbazaar/vc")) as { issue: ReferenceLibraries["issue"] };
  const multikey = (await load("@digitalbazaar/ed25519-multikey")) as Pick<ReferenceLibraries, "generate" | "from">;
  const { DataIntegrityProof } = (await load("@digitalbazaar/data-integrity")) as { DataIntegrityProof: new (o: { signer: unknown; cryptosuite: unknown }) => unknown };
  const { cryptosuite } = (await load("@digitalbazaar/eddsa-rdfc-2022-cryptosuite")) as { cryptosuite: unknown };
  return { issue: vc.issue, generate: multikey.generate, from: multikey.from, suite: ({ signer }) => new DataIntegrityProof({ signer, cryptosuite }) };
}

/** `draft` (with an id) issued and signed by a fresh did:key, the way another platform would. */
export async function otherPlatformBadge(draft: JsonLdObject): Promise<{ credential: JsonLdObject; issuer: string }> {
  const libraries = await referenceLibraries();
  // The key's id names its DID, which is made from the key: generate, then load it again under its id.
  const fresh = await libraries.generate();
  const did = `did:key:${fresh.publicKeyMultibase}`;
  const keyPair = await libraries.from({ type: "Multikey", id: `${did}#${fresh.publicKeyMultibase}`, controller: did, publicKeyMultibase: fresh.publicKeyMultibase, secretKeyMultibase: fresh.secretKeyMultibase });
  const contexts = contextLoader();
  const documentLoader = async (url: string) =>
    url.startsWith("did:key:") ? { contextUrl: null, documentUrl: url, document: didKeyDocument(url.split("#")[0]) } : contexts(url);
  const issuer = typeof draft.issuer === "object" && draft.issuer !== null ? { ...(draft.issuer as JsonLdObject), id: did } : did;
  const credential = await libraries.issue({ credential: { ...draft, issuer }, suite: libraries.suite({ signer: keyPair.signer() }), documentLoader });
  return { credential, issuer: did };
}
