/**
 * Badge files on disk, one at a time: find them, read and validate one, write one anchored badge.
 * These run in worker threads for large batches (see worker-pool.ts) and in-process for small ones.
 */
import { randomUUID } from "node:crypto";
import { readFile, readdir, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";

import { credentialHash, type Hex } from "../../lib/canonical.js";
import { parseDraftCredential, type CredentialProblem, type OpenBadgeCredential } from "../../lib/credential.js";
import { completeCredential } from "../../lib/issuance.js";
import { ANCHOR_PROOF_TYPE, attachAnchorProof, type AnchorProof } from "../../lib/proof.js";
import { CommandError } from "../command-errors.js";

/** Every `.json` file named, or inside a folder named (recursively), sorted by path, each once. */
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
        if (entry.isFile() && entry.name.endsWith(".json") && !entry.name.startsWith(".")) {
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
  | { file: string; ok: true; credentialHash: Hex; id: string; idAssigned: boolean }
  | { file: string; ok: false; problems: CredentialProblem[] };

type CompletedBadge =
  | { ok: true; credential: OpenBadgeCredential; credentialHash: Hex; idAssigned: boolean }
  | { ok: false; problems: CredentialProblem[] };

/**
 * Reads and validates one badge, completes it (the given id when it has none — a fresh urn:uuid if none is
 * given — and the registered profile id as issuer.id) and hashes it.
 */
export async function prepareBadgeFile(file: string, profileId: string, assignedId?: string): Promise<PreparedBadge> {
  const completed = await completedBadge(file, profileId, assignedId);
  if (!completed.ok) return { file, ok: false, problems: completed.problems };
  return { file, ok: true, credentialHash: completed.credentialHash, id: completed.credential.id, idAssigned: completed.idAssigned };
}

export interface AnchoredBadgeToWrite {
  file: string;
  outFile: string;
  id: string;
  expectedHash: Hex;
  proof: Omit<AnchorProof, "type">;
}

/**
 * Writes one anchored badge: the input completed exactly as when it was hashed, with its anchor proof.
 * Refuses (rather than write a wrong proof) if the input no longer hashes to what was anchored. The file
 * appears whole or not at all (written aside, then renamed).
 */
export async function writeAnchoredBadge(badge: AnchoredBadgeToWrite, profileId: string): Promise<number> {
  const completed = await completedBadge(badge.file, profileId, badge.id);
  if (!completed.ok || completed.credentialHash !== badge.expectedHash) {
    throw new CommandError("input-changed", `${badge.file} changed after it was anchored; its proof would be wrong, so it is not written`);
  }
  const anchored = attachAnchorProof(completed.credential, { type: ANCHOR_PROOF_TYPE, ...badge.proof });
  const text = `${JSON.stringify(anchored, null, 2)}\n`;
  await writeFileAtomically(badge.outFile, text);
  return Buffer.byteLength(text);
}

async function completedBadge(file: string, profileId: string, assignedId?: string): Promise<CompletedBadge> {
  const loaded = await loadJson(file);
  if (!loaded.ok) return loaded;
  const parsed = parseDraftCredential(loaded.value);
  if (!parsed.ok) return parsed;
  const idAssigned = parsed.credential.id === undefined;
  const credential = completeCredential(parsed.credential, {
    profileId,
    newId: () => assignedId ?? `urn:uuid:${randomUUID()}`,
  });
  try {
    return { ok: true, credential, credentialHash: credentialHash(credential), idAssigned };
  } catch (error) {
    return { ok: false, problems: [{ path: "$", message: (error as Error).message }] };
  }
}

/** Writes `text` to `file` so that readers see the old file or the new one, never half of it. */
export async function writeFileAtomically(file: string, text: string): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  await writeFile(temporary, text, { flush: true });
  await rename(temporary, file);
}

async function loadJson(file: string): Promise<{ ok: true; value: unknown } | { ok: false; problems: CredentialProblem[] }> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    return { ok: false, problems: [{ path: "$", message: `cannot be read: ${(error as NodeJS.ErrnoException).code ?? error}` }] };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, problems: [{ path: "$", message: `is not valid JSON: ${(error as Error).message}` }] };
  }
}
