/**
 * Badge files on disk, one at a time: find them, read and validate one, write one anchored badge.
 * These run in worker threads for large batches (see worker-pool.ts) and in-process for small ones.
 */
import { createHash, randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { readdir, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { threadId } from "node:worker_threads";

import { credentialHash, withoutProof, type Hex } from "../../lib/credential/canonical.js";
import { parseStrictJsonBytes } from "../../lib/credential/strict-json.js";
import { issuerIdOf, parseDraftCredential, type CredentialProblem, type DraftCredential, type OpenBadgeCredential } from "../../lib/credential/credential.js";
import { completeCredential } from "../../lib/anchor/issuance.js";
import { ANCHOR_PROOF_TYPE, attachAnchorProof, type AnchorProof } from "../../lib/anchor/proof.js";
import type { DataIntegrityProof } from "../../lib/signature/data-integrity.js";
import { statusEntry } from "../../lib/status/status-list.js";
import { CommandError } from "../command-errors.js";
import { contextProblems, signBadge, type SigningJob } from "./badge-signing.js";

/** The summary `credentials anchor` writes beside the badges of a batch. */
export const MANIFEST_FILE = "batch-manifest.json";

/**
 * Every `.json` file named, or inside a folder named (recursively), sorted by path, each once. In a folder,
 * the batch manifest is no badge: a folder `credentials anchor` wrote can be named as it is.
 */
export async function listBadgeFiles(inputs: readonly string[]): Promise<string[]> {
  if (inputs.length === 0) throw new CommandError("no-input", "name at least one badge file or folder");
  const files = new Set<string>();
  for (const input of inputs) {
    const absolute = path.resolve(input);
    let info;
    try {
      info = await stat(absolute);
    } catch {
      throw new CommandError("missing-input", `${input}: no such file or folder`);
    }
    if (info.isDirectory()) {
      for (const entry of await readdir(absolute, { recursive: true, withFileTypes: true })) {
        if (entry.isFile() && entry.name.endsWith(".json") && !entry.name.startsWith(".") && entry.name !== MANIFEST_FILE) {
          files.add(path.join(entry.parentPath, entry.name));
        }
      }
    } else {
      files.add(absolute);
    }
  }
  if (files.size === 0) throw new CommandError("no-input", `no .json badge files in ${inputs.join(", ")}`);
  return [...files].sort();
}

/** Where a batch's status lists will be published (`--status-base-url`) and the batch's id under it. */
export interface StatusListPlace {
  base: string;
  batchId: string;
}

/** What is the same for every badge of a batch. */
export interface IssuanceSettings {
  /** The issuer's registered profile id: every badge's issuer.id. */
  profileId: string;
  /** With status lists, each badge gets the revocation list's BitstringStatusListEntry at its leaf index. */
  status: StatusListPlace | null;
  /** Null: unsigned (--unsigned). */
  signing: SigningJob | null;
}

/** A badge file to prepare: its leaf index in the batch, and the id recorded for it if the journal has one. */
export interface BadgeToPrepare {
  file: string;
  index: number;
  id?: string;
}

export type PreparedBadge =
  | {
      file: string;
      ok: true;
      credentialHash: Hex;
      id: string;
      idAssigned: boolean;
      inputDigest: string;
      replacedIssuerId: string | null;
      signature: DataIntegrityProof | null;
    }
  | { file: string; ok: false; problems: CredentialProblem[] };

/**
 * Reads and validates one badge, completes it (the given id when it has none — a fresh urn:uuid if none is
 * given —, the registered profile id as issuer.id, and its status entries), checks that every context it
 * names is held, hashes it and signs it. `inputDigest` (SHA-256 of the file's bytes) lets the write step
 * confirm cheaply that the file is still what was hashed.
 */
export async function prepareBadgeFile(item: BadgeToPrepare, settings: IssuanceSettings): Promise<PreparedBadge> {
  const { file } = item;
  const loaded = loadJson(file);
  if (!loaded.ok) return { file, ok: false, problems: loaded.problems };
  const parsed = parseDraftCredential(loaded.value);
  if (!parsed.ok) return { file, ok: false, problems: parsed.problems };
  if (settings.status !== null && parsed.credential.credentialStatus !== undefined) {
    return { file, ok: false, problems: [{ path: "$.credentialStatus", message: "is already set; --status-base-url would replace it (remove it, or anchor without --status-base-url)" }] };
  }
  const unheld = contextProblems(parsed.credential, settings.signing?.contexts ?? []);
  if (unheld.length > 0) return { file, ok: false, problems: unheld };
  const idAssigned = parsed.credential.id === undefined;
  const givenIssuerId = issuerIdOf(parsed.credential);
  const credential = complete(parsed.credential, settings, item.index, item.id ?? `urn:uuid:${randomUUID()}`);
  let hash: Hex;
  try {
    hash = credentialHash(credential);
  } catch (error) {
    return { file, ok: false, problems: [{ path: "$", message: (error as Error).message }] };
  }
  let signature: DataIntegrityProof | null = null;
  if (settings.signing !== null) {
    try {
      signature = await signBadge(withoutProof(credential), settings.signing);
    } catch (error) {
      return { file, ok: false, problems: [{ path: "$", message: `cannot be signed: ${(error as Error).message.split("\n")[0]}` }] };
    }
  }
  const replacedIssuerId = givenIssuerId === settings.profileId ? null : givenIssuerId;
  return { file, ok: true, credentialHash: hash, id: credential.id, idAssigned, inputDigest: loaded.digest, replacedIssuerId, signature };
}

export interface AnchoredBadgeToWrite {
  file: string;
  outFile: string;
  id: string;
  inputDigest: string;
  /** The badge's DataIntegrityProof from the prepare step (null: unsigned). */
  signature: DataIntegrityProof | null;
  proof: Omit<AnchorProof, "type">;
}

/**
 * Writes one anchored badge: the input completed exactly as when it was hashed, with its anchor proof.
 * Refuses (rather than write a wrong proof) if the file's bytes changed since they were validated and
 * hashed.
 */
export async function writeAnchoredBadge(badge: AnchoredBadgeToWrite, settings: Omit<IssuanceSettings, "signing">): Promise<number> {
  const loaded = loadJson(badge.file);
  if (!loaded.ok || loaded.digest !== badge.inputDigest) {
    throw new CommandError("input-changed", `${badge.file} changed after it was hashed; its proof would be wrong, so it is not written`);
  }
  // The same bytes were validated when hashed: no need to validate again.
  const credential = complete(loaded.value as DraftCredential, settings, badge.proof.leafIndex, badge.id);
  // Signed: the proof set is [DataIntegrityProof, anchor proof]; proofs the input carried covered another
  // document (no id, another issuer.id) and would not verify, so they go.
  const proved = badge.signature === null ? credential : { ...withoutProof(credential), proof: badge.signature };
  const anchored = attachAnchorProof(proved, { type: ANCHOR_PROOF_TYPE, ...badge.proof });
  const text = `${JSON.stringify(anchored, null, 2)}\n`;
  // Synchronous and in place on purpose: this runs in worker threads, where blocking costs nothing, and
  // on these disks a rename per file (the usual write-aside-then-rename) costs ~0.5 ms — 50 s for
  // 100,000 badges. A crash mid-file can leave one truncated badge (invalid JSON, never a wrong proof);
  // the journal is not "done" then, so the re-run rewrites every badge. The manifest, written atomically
  // last, marks a complete folder.
  writeFileSync(badge.outFile, text);
  return Buffer.byteLength(text);
}

function complete(draft: DraftCredential, settings: Omit<IssuanceSettings, "signing">, index: number, id: string): OpenBadgeCredential {
  const credentialStatus = settings.status === null ? undefined : statusEntry(settings.status.base, settings.status.batchId, index);
  return completeCredential(draft, { profileId: settings.profileId, newId: () => id, credentialStatus });
}

/** Writes `text` to `file`, flushed to disk, so that readers see the old file or the new one, never half of it. */
export async function writeFileAtomically(file: string, text: string): Promise<void> {
  const temporary = temporaryNameFor(file);
  try {
    await writeFile(temporary, text, { flush: true });
    await rename(temporary, file);
  } catch (error) {
    // The file asked for is what failed to be written, whatever the name of the temporary one.
    if ((error as NodeJS.ErrnoException).path === temporary) (error as NodeJS.ErrnoException).path = file;
    throw error;
  }
}

function temporaryNameFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${threadId}.tmp`);
}

function loadJson(file: string): { ok: true; value: unknown; digest: string } | { ok: false; problems: CredentialProblem[] } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    return { ok: false, problems: [{ path: "$", message: `cannot be read: ${(error as NodeJS.ErrnoException).code ?? error}` }] };
  }
  const parsed = parseStrictJsonBytes(bytes);
  if (!parsed.ok) {
    const { path: at, line, column, message } = parsed.problem;
    return { ok: false, problems: [{ path: at, message: `is not strict I-JSON (line ${line}, column ${column}): ${message}` }] };
  }
  return { ok: true, value: parsed.value, digest: createHash("sha256").update(bytes).digest("hex") };
}
