/**
 * Badge files on disk, one at a time: find them, read and validate one, write one anchored badge.
 * These run in worker threads for large batches (see worker-pool.ts) and in-process for small ones.
 */
import { createHash, randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { readdir, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { threadId } from "node:worker_threads";

import { credentialHash, type Hex } from "../../lib/credential/canonical.js";
import { issuerIdOf, parseDraftCredential, type CredentialProblem, type DraftCredential, type OpenBadgeCredential } from "../../lib/credential/credential.js";
import { completeCredential } from "../../lib/anchor/issuance.js";
import { ANCHOR_PROOF_TYPE, attachAnchorProof, type AnchorProof } from "../../lib/anchor/proof.js";
import { CommandError } from "../command-errors.js";

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

export type PreparedBadge =
  | { file: string; ok: true; credentialHash: Hex; id: string; idAssigned: boolean; inputDigest: string; replacedIssuerId: string | null }
  | { file: string; ok: false; problems: CredentialProblem[] };

/**
 * Reads and validates one badge, completes it (the given id when it has none — a fresh urn:uuid if none is
 * given — and the registered profile id as issuer.id) and hashes it. `inputDigest` (SHA-256 of the file's
 * bytes) lets the write step confirm cheaply that the file is still what was hashed.
 */
export async function prepareBadgeFile(file: string, profileId: string, assignedId?: string): Promise<PreparedBadge> {
  const loaded = loadJson(file);
  if (!loaded.ok) return { file, ok: false, problems: loaded.problems };
  const parsed = parseDraftCredential(loaded.value);
  if (!parsed.ok) return { file, ok: false, problems: parsed.problems };
  const idAssigned = parsed.credential.id === undefined;
  const givenIssuerId = issuerIdOf(parsed.credential);
  const credential = complete(parsed.credential, profileId, assignedId ?? `urn:uuid:${randomUUID()}`);
  try {
    const replacedIssuerId = givenIssuerId === profileId ? null : givenIssuerId;
    return { file, ok: true, credentialHash: credentialHash(credential), id: credential.id, idAssigned, inputDigest: loaded.digest, replacedIssuerId };
  } catch (error) {
    return { file, ok: false, problems: [{ path: "$", message: (error as Error).message }] };
  }
}

export interface AnchoredBadgeToWrite {
  file: string;
  outFile: string;
  id: string;
  inputDigest: string;
  proof: Omit<AnchorProof, "type">;
}

/**
 * Writes one anchored badge: the input completed exactly as when it was hashed, with its anchor proof.
 * Refuses (rather than write a wrong proof) if the file's bytes changed since they were validated and
 * hashed.
 */
export async function writeAnchoredBadge(badge: AnchoredBadgeToWrite, profileId: string): Promise<number> {
  const loaded = loadJson(badge.file);
  if (!loaded.ok || loaded.digest !== badge.inputDigest) {
    throw new CommandError("input-changed", `${badge.file} changed after it was hashed; its proof would be wrong, so it is not written`);
  }
  // The same bytes were validated when hashed: no need to validate again.
  const credential = complete(loaded.value as DraftCredential, profileId, badge.id);
  const anchored = attachAnchorProof(credential, { type: ANCHOR_PROOF_TYPE, ...badge.proof });
  const text = `${JSON.stringify(anchored, null, 2)}\n`;
  // Synchronous and in place on purpose: this runs in worker threads, where blocking costs nothing, and
  // on these disks a rename per file (the usual write-aside-then-rename) costs ~0.5 ms — 50 s for
  // 100,000 badges. A crash mid-file can leave one truncated badge (invalid JSON, never a wrong proof);
  // the journal is not "done" then, so the re-run rewrites every badge. The manifest, written atomically
  // last, marks a complete folder.
  writeFileSync(badge.outFile, text);
  return Buffer.byteLength(text);
}

function complete(draft: DraftCredential, profileId: string, id: string): OpenBadgeCredential {
  return completeCredential(draft, { profileId, newId: () => id });
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
  try {
    return { ok: true, value: JSON.parse(bytes.toString("utf8")), digest: createHash("sha256").update(bytes).digest("hex") };
  } catch (error) {
    return { ok: false, problems: [{ path: "$", message: `is not valid JSON: ${(error as Error).message}` }] };
  }
}
