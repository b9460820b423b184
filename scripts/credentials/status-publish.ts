/**
 * `credentials status publish`: the issuer's revocations and suspensions, read from the chain at one
 * block, as W3C BitstringStatusListCredentials for other verifiers (those that do not read the chain).
 * For each batch the issuer anchored (its Anchored events), the manifest `credentials anchor` wrote gives
 * the batch id its badges' status entries name; the lists go to <out>/<batchId>/revocation.json and
 * suspension.json, signed with the issuer's key, for hosting as static files at the status base URL.
 * The badges name only revocation.json (lib/status/status-list.ts, BADGE_STATUS_PURPOSE). suspension.json
 * is still written: badges anchored before issue 16 name it beside revocation.json, and verifier-core
 * checks every BitstringStatusListEntry a badge names (a missing list fails the badge there); and it serves
 * anyone who wants suspensions without reading the chain.
 */
import { mkdir, readdir, readFile } from "node:fs/promises";
import path from "node:path";

import { z } from "zod";

import type { Hex } from "../../lib/credential/canonical.js";
import { contextLoader } from "../../lib/signature/contexts.js";
import { createBatchSigner, withProofs } from "../../lib/signature/data-integrity.js";
import { statusBits, wordCount } from "../../lib/status/chain-bits.js";
import { STATUS_PURPOSES, statusListCredential, statusListUrls, type StatusPurpose } from "../../lib/status/status-list.js";
import type { RegistryContext } from "../cli/registry-context.js";
import { CommandError } from "../command-errors.js";
import { actingIssuer, resolveIssuer } from "../commands/issuer-identity.js";
import { readRegistry } from "../commands/transactions.js";
import { signerForProfile, type SigningKey } from "../signing/signing-key.js";
import { MANIFEST_FILE, writeFileAtomically } from "./badge-files.js";

export interface StatusPublishOptions {
  outDir: string;
  /** Folders `credentials anchor` wrote (searched for batch manifests). */
  issued: string[];
  /** The block to read at (default: the latest). */
  block?: string;
  issuer?: string;
  key: SigningKey;
}

export interface PublishedList {
  root: Hex;
  batchId: string;
  purpose: StatusPurpose;
  url: string;
  file: string;
  count: number;
  /** How many of the batch's credentials the list marks. */
  setCount: number;
}

export interface StatusPublication {
  profileId: string;
  issuerId: Hex;
  blockNumber: number;
  validFrom: string;
  signedBy: string;
  outDir: string;
  lists: PublishedList[];
  /** Batches of the issuer with no list: no manifest found, or anchored without --status-base-url. */
  skipped: Array<{ root: Hex; reason: string }>;
}

const manifestSchema = z.looseObject({
  root: z.string(),
  profileId: z.string(),
  statusList: z.object({ base: z.string(), batchId: z.string().regex(/^[A-Za-z0-9_-]+$/) }).nullable().optional(),
});

export async function publishStatusLists(context: RegistryContext, options: StatusPublishOptions): Promise<StatusPublication> {
  const manifests = await manifestsIn(options.issued);
  const { issuerId, profileId } = await issuerToPublish(context, options.issuer, manifests);
  const signer = signerForProfile(profileId, options.key);
  const provider = context.connection.ethers.provider;
  const latest = await readRegistry(context, () => provider.getBlockNumber());
  const blockNumber = options.block === undefined ? latest : checkedBlock(options.block, latest);
  const places = new Map(manifests.filter((manifest) => manifest.profileId === profileId && manifest.statusList).map((manifest) => [manifest.root.toLowerCase(), manifest.statusList!]));
  const { registry } = context;
  const anchored = await readRegistry(context, () => registry.queryFilter(registry.filters.Anchored(issuerId), 0, blockNumber));

  const validFrom = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  const batchSigner = createBatchSigner(signer, { cryptosuite: "eddsa-rdfc-2022", created: new Date(validFrom), loader: contextLoader() });
  const outDir = path.resolve(options.outDir);
  const lists: PublishedList[] = [];
  const skipped: StatusPublication["skipped"] = [];
  for (const event of anchored) {
    const root = event.args.root as Hex;
    const place = places.get(root.toLowerCase());
    if (place === undefined) {
      skipped.push({ root, reason: "no batch manifest with status lists names it (name the folder `credentials anchor` wrote; batches anchored without --status-base-url have no lists)" });
      continue;
    }
    const bits = statusBits(await readBitmaps(context, issuerId, root, blockNumber));
    const urls = statusListUrls(place.base, place.batchId);
    await mkdir(path.join(outDir, place.batchId), { recursive: true });
    for (const purpose of STATUS_PURPOSES) {
      const unsigned = statusListCredential({ url: urls[purpose], issuer: profileId, purpose, bits: bits[purpose], validFrom });
      const signed = withProofs(unsigned, await batchSigner.sign(unsigned));
      const file = path.join(outDir, place.batchId, `${purpose}.json`);
      await writeFileAtomically(file, `${JSON.stringify(signed, null, 2)}\n`);
      lists.push({ root, batchId: place.batchId, purpose, url: urls[purpose], file, count: bits[purpose].length, setCount: bits[purpose].reduce((sum, bit) => sum + bit, 0) });
    }
  }
  return { profileId, issuerId, blockNumber, validFrom, signedBy: signer.verificationMethod, outDir, lists, skipped };
}

function checkedBlock(text: string, latest: number): number {
  if (!/^\d+$/.test(text.trim())) throw new CommandError("bad-block", `--block must be a block number, got "${text}"`);
  const block = Number(text.trim());
  if (block > latest) throw new CommandError("bad-block", `--block ${block} is beyond the chain's latest block ${latest}`);
  return block;
}

/** The registry's bitmaps of one batch at `blockTag`, whole-batch revocations (batch revoked, key compromised) included. */
async function readBitmaps(context: RegistryContext, issuerId: Hex, root: Hex, blockTag: number) {
  const { registry } = context;
  return readRegistry(context, async () => {
    const anchor = await registry.getAnchor(issuerId, root, { blockTag });
    const key = await registry.getKey(issuerId, anchor.actingKey, { blockTag });
    const count = Number(anchor.count);
    const words = Array.from({ length: wordCount(count) }, (_, word) => BigInt(word));
    const [revoked, suspended] = words.length === 0 ? [[], []] : await registry.bitmapWords(words.map(() => issuerId), words.map(() => root), words, { blockTag });
    const compromised = key.compromisedSince !== 0n && key.compromisedSince <= anchor.anchoredAt;
    return { count, revocationWords: [...revoked], suspensionWords: [...suspended], wholeBatchRevoked: anchor.batchRevoked || compromised };
  });
}

/**
 * Publishing reads the chain only: the issuer is --issuer, else the one the manifests name (all of one
 * issuer), else the one the signer's key belongs to.
 */
async function issuerToPublish(context: RegistryContext, issuer: string | undefined, manifests: Manifest[]) {
  const named = [...new Set(manifests.map((manifest) => manifest.profileId))];
  if (!issuer && named.length > 1) {
    throw new CommandError("several-issuers", `the folders named hold batches of ${named.length} issuers (${named.join(", ")}): choose one with --issuer`);
  }
  const profileId = issuer || named[0];
  if (profileId) {
    const identity = await resolveIssuer(context, profileId);
    if (identity.profileId === null) throw new CommandError("no-profile", `the registration event of issuer ${identity.issuerId} was not found on this node`, 1);
    return { issuerId: identity.issuerId, profileId: identity.profileId };
  }
  return actingIssuer(context, { mustBeActive: false });
}

type Manifest = z.infer<typeof manifestSchema>;

/** Every batch manifest under the folders named. */
async function manifestsIn(folders: string[]): Promise<Manifest[]> {
  const manifests: Manifest[] = [];
  for (const folder of folders) {
    let entries;
    try {
      entries = await readdir(path.resolve(folder), { recursive: true, withFileTypes: true });
    } catch {
      throw new CommandError("missing-input", `${folder}: no such folder (name the folders \`credentials anchor\` wrote)`);
    }
    for (const entry of entries.filter((candidate) => candidate.isFile() && candidate.name === MANIFEST_FILE)) {
      const file = path.join(entry.parentPath, entry.name);
      const parsed = manifestSchema.safeParse(parseOrNull(await readFile(file, "utf8").catch(() => "null")));
      if (parsed.success) manifests.push(parsed.data);
    }
  }
  return manifests;
}

function parseOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
