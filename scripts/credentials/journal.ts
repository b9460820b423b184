/**
 * The anchor command's journal, `<out>/.anchor-journal.json`: what a batch is (its files, the ids given
 * to badges that had none, its root) and how far anchoring it went. It is written before each step that
 * cannot be undone and read first by every run, so a run after a crash, Ctrl-C or a dead node finishes
 * the same batch instead of starting another.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

import { z } from "zod";

import { CommandError } from "../command-errors.js";
import { writeFileAtomically } from "./badge-files.js";

export const JOURNAL_FILE = ".anchor-journal.json";

const hex32 = z.string().regex(/^0x[0-9a-f]{64}$/i);

const journalSchema = z.object({
  version: z.literal(2),
  state: z.enum(["prepared", "sent", "anchored", "done"]),
  chainId: z.number(),
  registry: z.string(),
  /** The issuer the batch is anchored for: keccak256 of its profile id. */
  issuerId: hex32,
  profileId: z.string(),
  root: hex32,
  count: z.number(),
  files: z.array(z.string()),
  /** Files named but left out as invalid (--skip-invalid): named again, they are not new badges. */
  skipped: z.array(z.string()).default([]),
  outFiles: z.array(z.string()),
  assignedIds: z.record(z.string(), z.string()),
  credentialIds: z.array(z.string()),
  credentialHashes: z.array(hex32),
  transactionHash: hex32.optional(),
  blockNumber: z.number().optional(),
  anchoredAt: z.string().optional(),
  /** The signatures' `created` time and signer: a re-run signs the same bytes (Ed25519 is deterministic). */
  signing: z.object({ created: z.string(), verificationMethod: z.string() }).nullable().default(null),
  /** Where the batch's status lists go; every badge's status entries (covered by its hash) name them. */
  statusList: z.object({ base: z.string(), batchId: z.string() }).nullable().default(null),
  updatedAt: z.string(),
});

export type AnchorJournal = z.infer<typeof journalSchema>;

export function journalPath(outDir: string): string {
  return path.join(outDir, JOURNAL_FILE);
}

export async function readJournal(outDir: string): Promise<AnchorJournal | undefined> {
  let text: string;
  try {
    text = await readFile(journalPath(outDir), "utf8");
  } catch {
    return undefined;
  }
  const parsed = journalSchema.safeParse(safeJson(text));
  if (!parsed.success) {
    throw new CommandError("bad-journal", `${journalPath(outDir)} is damaged; move it away to start this batch afresh`);
  }
  return parsed.data;
}

export async function writeJournal(outDir: string, journal: AnchorJournal): Promise<void> {
  await writeFileAtomically(journalPath(outDir), JSON.stringify({ ...journal, updatedAt: new Date().toISOString() }));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
