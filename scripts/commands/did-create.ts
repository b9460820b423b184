/**
 * `issuer did create`: a new Ed25519 signing key and the issuer identity it signs for.
 * - `key` (development): the key's did:key is the identity — nothing to host; verifiers resolve it from
 *   the DID itself.
 * - `web` (production): a did:web (`did.json`, hosted at https://<host>/.well-known/did.json) or an https
 *   profile URL (its controller document, hosted at that URL), listing the key as a Multikey for
 *   assertionMethod and, with --controller, the issuer's registry controller as a CAIP-10
 *   blockchainAccountId, so the document and the registry name each other.
 * The secret key goes only into the encrypted key file. The profile id to register is the DID or URL.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import { getAddress } from "ethers";

import { buildControllerDocument, didWebDocumentUrl } from "../../lib/signature/controller-document.js";
import { didKeyOf, didKeyVerificationMethod } from "../../lib/signature/did-key.js";
import { encodePublicKeyMultibase, generateEd25519KeyPair, type Ed25519KeyPair } from "../../lib/signature/ed25519-keys.js";
import type { JsonLdObject } from "../../lib/signature/contexts.js";
import { profileIdProblem } from "../../lib/credential/profile-id.js";
import { checkedAddress } from "../cli/checked-input.js";
import { CommandError } from "../command-errors.js";
import { writeKeyFile } from "../signing/key-file.js";
import { DEFAULT_KEY_FRAGMENT } from "../signing/signing-key.js";

export const KEY_FILE_NAME = "signing-key.json";

export interface IssuerIdentityRequest {
  method: string;
  did?: string;
  url?: string;
  /** The registry controller to list as a blockchainAccountId, with the chain it is on. */
  controller?: { address: string; chainId: number };
}

export interface NewIssuerIdentity {
  method: "key" | "web";
  profileId: string;
  verificationMethod: string;
  publicKeyMultibase: string;
  keyPair: Ed25519KeyPair;
  /** The DID / controller document to host (null for a did:key). */
  document: JsonLdObject | null;
  /** Where the document must be served from (null for a did:key). */
  hostAt: string | null;
  blockchainAccountId: string | null;
}

/** Makes the key and the identity (nothing written): what `issuer did create`, the demo and `npm start` share. */
export function newIssuerIdentity(request: IssuerIdentityRequest): NewIssuerIdentity {
  const method = request.method;
  if (method !== "key" && method !== "web") throw new CommandError("bad-method", `--method must be key (a did:key, for development) or web (a did:web or https document), got "${method}"`);
  const keyPair = generateEd25519KeyPair();
  const publicKeyMultibase = encodePublicKeyMultibase(keyPair.publicKey);
  if (method === "key") {
    if (request.did || request.url) throw new CommandError("bad-method", "--did and --url go with --method web; a did:key is made from the key itself");
    const profileId = didKeyOf(keyPair.publicKey);
    return { method, profileId, verificationMethod: didKeyVerificationMethod(profileId), publicKeyMultibase, keyPair, document: null, hostAt: null, blockchainAccountId: null };
  }
  const profileId = webProfileId(request);
  const blockchainAccountId = request.controller ? `eip155:${request.controller.chainId}:${getAddress(checkedAddress("--controller", request.controller.address))}` : null;
  const document = buildControllerDocument({ id: profileId, publicKey: keyPair.publicKey, keyFragment: DEFAULT_KEY_FRAGMENT, blockchainAccountIds: blockchainAccountId ? [blockchainAccountId] : [] });
  const hostAt = profileId.startsWith("did:web:") ? didWebDocumentUrl(profileId) : profileId;
  return { method, profileId, verificationMethod: `${profileId}#${DEFAULT_KEY_FRAGMENT}`, publicKeyMultibase, keyPair, document, hostAt, blockchainAccountId };
}

function webProfileId(request: IssuerIdentityRequest): string {
  if (Boolean(request.did) === Boolean(request.url)) {
    throw new CommandError("missing-did", "--method web needs --did did:web:<host> or --url https://<host>/<path> (one of them): the profile id the issuer registers");
  }
  const profileId = (request.did || request.url)!;
  const problem = profileIdProblem(profileId);
  if (problem !== null) throw new CommandError("bad-profile", `the profile id "${profileId}" ${problem}`);
  if (request.did && !profileId.startsWith("did:web:")) throw new CommandError("bad-profile", `--did must be a did:web (such as did:web:uni.example), got "${profileId}"; for a did:key use --method key`);
  if (request.url && !profileId.startsWith("https://")) throw new CommandError("bad-profile", `--url must be an https URL, got "${profileId}"`);
  return profileId;
}

export interface DidCreation extends Omit<NewIssuerIdentity, "keyPair" | "document"> {
  keyFile: string;
  documentFile: string | null;
  /** The command the accreditor runs to register the issuer. */
  registerCommand: string;
}

/** Creates the identity and writes the encrypted key file (and the document to host) into `outDir`. */
export async function createIssuerDid(request: IssuerIdentityRequest & { outDir: string; password: string; networkName: string }): Promise<DidCreation> {
  const identity = newIssuerIdentity(request);
  const outDir = path.resolve(request.outDir);
  await mkdir(outDir, { recursive: true });
  const keyFile = path.join(outDir, KEY_FILE_NAME);
  await writeKeyFile(keyFile, { controller: identity.profileId, verificationMethod: identity.verificationMethod, publicKeyMultibase: identity.publicKeyMultibase }, identity.keyPair.secretKey, request.password);
  let documentFile: string | null = null;
  if (identity.document !== null) {
    documentFile = path.join(outDir, identity.profileId.startsWith("did:web:") ? "did.json" : "controller-document.json");
    await writeFile(documentFile, `${JSON.stringify(identity.document, null, 2)}\n`);
  }
  const network = request.networkName === "default" ? "" : ` --network ${request.networkName}`;
  const registerCommand = `npx hardhat issuer register ${identity.profileId} --controller ${request.controller?.address ?? "<controller address>"}${network}`;
  const { keyPair: _secret, document: _document, ...about } = identity;
  return { ...about, keyFile, documentFile, registerCommand };
}
