/**
 * `credentials anchor`: badge files in, one anchored batch out — every badge validated first, completed
 * (id, issuer id, status list entries), hashed and signed by the issuer's key (a DataIntegrityProof), the
 * batch anchored in one transaction, each badge written with its proof set [DataIntegrityProof, anchor
 * proof], and a manifest. Nothing is sent unless every badge could be signed.
 *
 * Crash safety rests on two facts. The registry never anchors a root twice for one issuer, so a batch can
 * never have two anchors. And the journal (journal.ts) is written before each irreversible step, so a re-run — after a
 * crash, Ctrl-C or a dead node — rebuilds the same batch (same files, same ids, same root), asks the chain
 * whether it is anchored, sends the transaction only if not, and (re)writes the output files, each whole
 * or not at all. A re-run of a finished batch does nothing and says so — but only once the chain confirms the
 * anchor (journal-vs-chain.ts): a journal that says "anchored" for a batch the chain lacks (a node reset, a
 * dropped transaction) is sent again. The journal also records the signatures' `created` time and the status
 * lists' batch id, so the re-run signs and hashes the same bytes.
 */
import { access, mkdir } from "node:fs/promises";
import path from "node:path";

import { buildBatch, type Batch } from "../../lib/anchor/batch.js";
import type { Hex } from "../../lib/credential/canonical.js";
import type { CredentialProblem } from "../../lib/credential/credential.js";
import { CommandError } from "../command-errors.js";
import { explainFailure, registryRevert } from "../cli/contract-errors.js";
import { startProgress } from "../cli/progress.js";
import type { RegistryContext } from "../cli/registry-context.js";
import { actingIssuer } from "../commands/issuer-identity.js";
import type { JsonLdObject } from "../../lib/signature/contexts.js";
import { statusListUrls } from "../../lib/status/status-list.js";
import type { SigningKey } from "../signing/signing-key.js";
import { batchSettings } from "./batch-settings.js";
import { MANIFEST_FILE, writeFileAtomically, type AnchoredBadgeToWrite, type IssuanceSettings, type PreparedBadge, type StatusListPlace } from "./badge-files.js";
import { failpoint } from "./failpoints.js";
import { readJournal, writeJournal, type AnchorJournal } from "./journal.js";
import { chainAnchor, factsOf, journalAsOnChain, unknownTransactionCheck, type JournalCheck } from "./journal-vs-chain.js";
import { prepareBadges, writeAnchoredBadges } from "./worker-pool.js";

export interface AnchorOptions {
  files: string[];
  outDir: string;
  skipInvalid: boolean;
  dryRun: boolean;
  progress: boolean;
  workers?: number;
  /** The issuer to anchor for (profile id or issuerId); default: the one the signer's key belongs to. */
  issuer?: string;
  /** The issuer's signing key, or "unsigned" (--unsigned: only this registry's verifier will accept the badges). */
  signing: SigningKey | "unsigned";
  /** Where the batch's status lists will be published (`credentials status publish`): https://…/status. */
  statusBaseUrl?: string;
  /** JSON-LD contexts the issuer supplies (--context url=file), beyond those the tool holds. */
  contexts?: Array<[url: string, document: JsonLdObject]>;
}

/** Unsigned badges verify here only: the warning says so wherever they are made. */
export const UNSIGNED_WARNING =
  "these badges are not signed by this command (--unsigned): other Open Badges verifiers and wallets will refuse them unless they already carry a signature of their own (kept as it is); this registry's verifier accepts them with a warning";

export interface InvalidBadge {
  file: string;
  problems: CredentialProblem[];
}

export interface AnchorResult {
  /** re-anchored: an earlier run's journal said sent or anchored, the chain had no such anchor, and it was sent again. */
  outcome: "anchored" | "resumed" | "re-anchored" | "already-done" | "dry-run";
  /** An earlier run's journal held against the chain (null: no earlier run). */
  journalCheck: JournalCheck | null;
  /** Things done that the issuer may not have meant, such as another issuer id replaced by its own. */
  warnings: string[];
  root: Hex;
  count: number;
  skipped: InvalidBadge[];
  chainId: number;
  registry: string;
  /** keccak256 of the profile id: the issuer's key in the registry, under which the batch is anchored. */
  issuerId: Hex;
  profileId: string;
  /** The key that signs (the issuer's controller or an operator). */
  actingKey: string;
  transactionHash: string | null;
  blockNumber: number | null;
  anchoredAt: string | null;
  outDir: string;
  manifest: string | null;
  /** The verification method that signed the badges (null: unsigned). */
  signedBy: string | null;
  /** The batch's status lists, where `credentials status publish` will write them (null: none). */
  statusList: (StatusListPlace & { revocation: string; suspension: string }) | null;
}

export async function anchorBadges(context: RegistryContext, options: AnchorOptions): Promise<AnchorResult> {
  const outDir = path.resolve(options.outDir);
  const recorded = options.dryRun ? undefined : await readJournal(outDir);
  if (recorded) checkJournalPlace(recorded, context, outDir);
  // The journal says what an earlier run did; the chain says what is anchored: the chain wins.
  const reconciled = recorded ? await journalAsOnChain(context, recorded) : undefined;
  const journal = reconciled?.journal;
  let journalCheck = reconciled?.check ?? null;
  // A batch already on chain needs no transaction, only its files: an issuer suspended or withdrawn since
  // (whose earlier badges may still be valid) can still finish it.
  const onChain = journal?.state === "anchored" || journal?.state === "done";
  const { issuerId, profileId } = await actingIssuer(context, { issuer: options.issuer, mustBeActive: !onChain });
  if (journal) checkJournalMatches(journal, issuerId, options.files, outDir);

  // Before anything else: badges signed by a key verifiers would not find under the profile id are refused.
  const settings = batchSettings(profileId, options, journal);
  const { status } = settings;
  const signer = settings.signing?.signer ?? null;
  const created = settings.signing?.created ?? null;
  const statusList = status === null ? null : { ...status, ...statusListUrls(status.base, status.batchId) };
  const base = {
    chainId: context.chainId,
    registry: context.registryAddress,
    issuerId,
    profileId,
    actingKey: context.signer.address,
    outDir,
    signedBy: signer?.verificationMethod ?? null,
    statusList,
  };
  const signingWarnings = signer === null ? [UNSIGNED_WARNING] : [];
  if (journal?.state === "done" && (await allExist([...journal.outFiles, path.join(outDir, MANIFEST_FILE)]))) {
    return { ...base, ...anchorFacts(journal), outcome: "already-done", journalCheck, warnings: [], root: journal.root as Hex, count: journal.count, skipped: [], manifest: path.join(outDir, MANIFEST_FILE) };
  }

  // Validate, hash and sign every badge; with a journal, with the ids it recorded, so the same root comes out.
  const files = journal ? journal.files : options.files;
  const progress = startProgress(signer === null ? "hashing" : "signing", files.length, options.progress);
  let prepared = await prepareBadges(
    files.map((file, index) => ({ file, index, id: journal?.assignedIds[file] })),
    settings,
    { workers: options.workers, onProgress: (done) => progress.update(done) },
  );
  progress.stop();
  const invalid: InvalidBadge[] = prepared.flatMap((badge) => (badge.ok ? [] : [{ file: badge.file, problems: badge.problems }]));
  if (invalid.length > 0 && (!options.skipInvalid || journal)) throw new InvalidBadgesError(invalid, journal !== undefined);
  if (invalid.length > 0 && status !== null) prepared = await reindexed(prepared, settings, options);
  const valid = prepared.flatMap((badge) => (badge.ok ? [badge] : []));
  if (valid.length === 0) throw new CommandError("no-valid-badge", "no valid badge to anchor");
  const warnings = [...signingWarnings, ...issuerIdWarnings(valid, profileId)];

  const batch = buildBatch(valid.map((badge) => badge.credentialHash));
  if (journal && journal.root !== batch.root) {
    throw new CommandError("inputs-changed", `the badges changed since this batch was journalled (root ${journal.root}); restore them, or use another --out`);
  }
  if (options.dryRun) {
    return { ...base, outcome: "dry-run", journalCheck, warnings, root: batch.root, count: batch.count, skipped: invalid, transactionHash: null, blockNumber: null, anchoredAt: null, manifest: null };
  }

  await mkdir(outDir, { recursive: true });
  let current: AnchorJournal = journal ?? {
    version: 2,
    state: "prepared",
    chainId: context.chainId,
    registry: context.registryAddress,
    issuerId,
    profileId,
    root: batch.root,
    count: batch.count,
    files: valid.map((badge) => badge.file),
    skipped: invalid.map((badge) => badge.file),
    outFiles: outputNames(valid.map((badge) => badge.file), outDir),
    assignedIds: Object.fromEntries(valid.filter((badge) => badge.idAssigned).map((badge) => [badge.file, badge.id])),
    credentialIds: valid.map((badge) => badge.id),
    credentialHashes: valid.map((badge) => badge.credentialHash),
    signing: signer === null || created === null ? null : { created, verificationMethod: signer.verificationMethod },
    statusList: status,
    updatedAt: "",
  };
  if (!journal) await writeJournal(outDir, current);
  failpoint("after-journal");

  if (current.state === "prepared" || current.state === "sent") {
    const ensured = await ensureAnchored(context, current, outDir);
    current = ensured.journal;
    journalCheck = ensured.check ?? journalCheck;
  }
  failpoint("after-anchored");

  await writeOutputs(current, batch, valid, settings, outDir, options);
  await writeJournal(outDir, { ...current, state: "done" });
  return {
    ...base,
    ...anchorFacts(current),
    outcome: resent(journalCheck) ? "re-anchored" : journal ? "resumed" : "anchored",
    journalCheck,
    warnings: journalCheck?.message ? [journalCheck.message, ...warnings] : warnings,
    root: batch.root,
    count: batch.count,
    skipped: invalid,
    manifest: path.join(outDir, MANIFEST_FILE),
  };
}

/**
 * With --skip-invalid, the valid badges' leaf indices close up; their status entries (which name the index,
 * and which the hash and signature cover) are made again at those indices, keeping the ids given.
 */
async function reindexed(prepared: PreparedBadge[], settings: IssuanceSettings, options: AnchorOptions): Promise<PreparedBadge[]> {
  const valid = prepared.flatMap((badge) => (badge.ok ? [badge] : []));
  const again = await prepareBadges(
    valid.map((badge, index) => ({ file: badge.file, index, id: badge.id })),
    settings,
    { workers: options.workers },
  );
  const byFile = new Map(again.map((badge) => [badge.file, badge]));
  return prepared.map((badge) => {
    const redone = byFile.get(badge.file);
    return badge.ok && redone?.ok ? { ...redone, idAssigned: badge.idAssigned } : badge;
  });
}

/** Badges that named an issuer id other than the signer's registered profile get that profile: say so. */
function issuerIdWarnings(badges: ReadonlyArray<{ file: string; replacedIssuerId: string | null }>, profileId: string): string[] {
  const replaced = badges.filter((badge) => badge.replacedIssuerId !== null);
  if (replaced.length === 0) return [];
  const listed = replaced.slice(0, 5).map((badge) => `${path.basename(badge.file)} ("${badge.replacedIssuerId}")`).join(", ");
  const more = replaced.length > 5 ? ` and ${replaced.length - 5} more` : "";
  return [`${replaced.length} badge(s) named another issuer id and were issued as "${profileId}", the signer's registered profile: ${listed}${more}`];
}

export class InvalidBadgesError extends CommandError {
  override readonly name = "InvalidBadgesError";
  readonly invalid: InvalidBadge[];
  constructor(invalid: InvalidBadge[], journalled: boolean) {
    const listing = invalid
      .slice(0, 20)
      .map((badge) => `  ${badge.file}\n${badge.problems.map((problem) => `    ${problem.path} ${problem.message}`).join("\n")}`)
      .join("\n");
    const more = invalid.length > 20 ? `\n  … and ${invalid.length - 20} more` : "";
    const advice = journalled ? "this batch is journalled: restore these files to finish it" : "fix them, or pass --skip-invalid to anchor the others";
    super("invalid-badges", `${invalid.length} badge(s) are not valid Open Badges 3.0; nothing was anchored (${advice}):\n${listing}${more}`);
    this.invalid = invalid;
  }
}

/**
 * Makes sure the journalled root is anchored for this issuer — sending the transaction only if the chain
 * does not have it. A journalled transaction the node no longer knows (neither mined nor pending: the node
 * was reset, or the transaction dropped) is said so and sent again.
 */
async function ensureAnchored(context: RegistryContext, journal: AnchorJournal, outDir: string): Promise<{ journal: AnchorJournal; check: JournalCheck | null }> {
  const { registry, connection } = context;
  const provider = connection.ethers.provider;
  let check: JournalCheck | null = null;
  try {
    const issuerId = journal.issuerId as Hex;
    const root = journal.root as Hex;
    const existing = await anchoringKey(context, issuerId, root);
    if (existing === null && journal.transactionHash) {
      // A transaction sent before a crash may still be pending: wait for it rather than send another.
      const pending = await provider.getTransaction(journal.transactionHash);
      // Mined but reverted (the issuer suspended meanwhile, say): nothing was anchored; it is sent again below.
      if (pending !== null) await pending.wait().catch((error: unknown) => ignoreRevertedReceipt(error));
      else check = unknownTransactionCheck(context, journal);
    }
    if ((await anchoringKey(context, issuerId, root)) === null) {
      const response = await registry.anchor(issuerId, root, journal.count);
      journal = { ...journal, state: "sent", transactionHash: response.hash };
      await writeJournal(outDir, journal);
      failpoint("after-send");
      await response.wait().catch((error: unknown) => {
        // Another run (or a resent transaction) may have anchored this root meanwhile: that is success.
        if (registryRevert(error)?.name === "AlreadyAnchored") return;
        if (isRevertedReceipt(error)) {
          throw new CommandError(
            "anchor-reverted",
            `the anchoring transaction ${response.hash} was mined but reverted, so nothing was anchored (was the issuer suspended meanwhile?); run the command again to send it again`,
            1,
          );
        }
        throw error;
      });
    }
    // Anchors are per issuer: whoever else anchored the same root did so under their own issuer id.
    const anchored = await chainAnchor(context, issuerId, root);
    if (anchored === null) throw new CommandError("not-anchored", `batch ${root} is still not anchored; run the command again`, 1);
    journal = { ...journal, state: "anchored", ...factsOf(anchored) };
    await writeJournal(outDir, journal);
    return { journal, check };
  } catch (error) {
    explainFailure(error, context.networkName);
  }
}

/** Whether the run sent again what an earlier run's journal said was sent or anchored. */
function resent(check: JournalCheck | null): boolean {
  return check?.finding === "missing-on-chain" || check?.finding === "transaction-unknown";
}

/** A transaction that was mined and reverted (ethers' CALL_EXCEPTION with a receipt of status 0). */
function isRevertedReceipt(error: unknown): boolean {
  const { code, receipt } = error as { code?: unknown; receipt?: { status?: unknown } };
  return code === "CALL_EXCEPTION" && receipt?.status === 0;
}

function ignoreRevertedReceipt(error: unknown): void {
  if (!isRevertedReceipt(error)) throw error;
}

/** The key that anchored (issuerId, root), or null when the issuer has not anchored it. */
async function anchoringKey(context: RegistryContext, issuerId: Hex, root: Hex): Promise<string | null> {
  const anchor = await context.registry.getAnchor(issuerId, root);
  return anchor.actingKey === "0x0000000000000000000000000000000000000000" ? null : anchor.actingKey;
}

async function writeOutputs(
  journal: AnchorJournal,
  batch: Batch,
  badges: ReadonlyArray<Pick<AnchoredBadgeToWrite, "inputDigest" | "signature">>,
  settings: IssuanceSettings,
  outDir: string,
  options: AnchorOptions,
): Promise<void> {
  const facts = {
    chainId: journal.chainId,
    registry: journal.registry,
    root: journal.root as Hex,
    anchoredAt: journal.anchoredAt!,
    transactionHash: journal.transactionHash as Hex,
  };
  const items = journal.files.map((file, index) => ({
    file,
    outFile: journal.outFiles[index],
    id: journal.credentialIds[index],
    inputDigest: badges[index].inputDigest,
    signature: badges[index].signature,
    proof: { ...facts, leafIndex: index, merklePath: batch.proof(index) },
  }));
  const half = Math.ceil(items.length / 2);
  const progress = startProgress("writing", items.length, options.progress);
  const written = { profileId: journal.profileId, status: settings.status };
  await writeAnchoredBadges(items.slice(0, half), written, { workers: options.workers, onProgress: (done) => progress.update(done) });
  failpoint("mid-write");
  await writeAnchoredBadges(items.slice(half), written, { workers: options.workers, onProgress: (done) => progress.update(half + done) });
  progress.stop();

  const manifest = {
    ...facts,
    count: journal.count,
    blockNumber: journal.blockNumber,
    issuerId: journal.issuerId,
    profileId: journal.profileId,
    signedBy: journal.signing?.verificationMethod ?? null,
    statusList: journal.statusList ?? null,
    credentials: items.map((item, index) => ({
      index,
      id: item.id,
      credentialHash: journal.credentialHashes[index],
      file: path.relative(outDir, item.outFile),
      source: item.file,
    })),
  };
  await writeFileAtomically(path.join(outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

function checkJournalPlace(journal: AnchorJournal, context: RegistryContext, outDir: string): void {
  if (journal.chainId !== context.chainId || journal.registry.toLowerCase() !== context.registryAddress.toLowerCase()) {
    throw new CommandError(
      "journal-elsewhere",
      `${outDir} holds a batch for registry ${journal.registry} on chain ${journal.chainId}; use another --out`,
    );
  }
}

function checkJournalMatches(journal: AnchorJournal, issuerId: Hex, files: string[], outDir: string): void {
  if (journal.issuerId.toLowerCase() !== issuerId.toLowerCase()) {
    throw new CommandError("journal-other-issuer", `${outDir} holds a batch of issuer ${journal.profileId}; sign as one of its keys to finish it, or use another --out`);
  }
  const named = new Set(files);
  if (!journal.files.every((file) => named.has(file))) {
    throw new CommandError("journal-other-batch", `${outDir} holds another batch (root ${journal.root}); name the same badges to finish it, or use another --out`);
  }
  // A badge added since (to an input folder, say) is not in that batch: finishing the batch would leave it
  // unanchored without a word.
  const inBatch = new Set([...journal.files, ...journal.skipped]);
  const added = files.filter((file) => !inBatch.has(file));
  if (added.length > 0) {
    const listed = added.slice(0, 3).map((file) => path.basename(file)).join(", ");
    throw new CommandError(
      "journal-other-batch",
      `${outDir} holds batch ${journal.root}, which does not include ${added.length} of the badges named (${listed}${added.length > 3 ? ", …" : ""}); anchor those with another --out`,
    );
  }
}

/** Output file names: each input's own name; two inputs of one name would overwrite each other, so refuse. */
function outputNames(files: string[], outDir: string): string[] {
  const seen = new Map<string, string>();
  return files.map((file) => {
    const name = path.basename(file);
    const other = seen.get(name);
    if (other) throw new CommandError("duplicate-name", `${file} and ${other} have the same name; anchored badges are written by name to ${outDir}`);
    seen.set(name, file);
    const outFile = path.join(outDir, name);
    if (outFile === file) throw new CommandError("out-is-input", `--out must not be the folder the badges are read from (${outDir})`);
    return outFile;
  });
}

function anchorFacts(journal: AnchorJournal) {
  return {
    transactionHash: journal.transactionHash ?? null,
    blockNumber: journal.blockNumber ?? null,
    anchoredAt: journal.anchoredAt ?? null,
  };
}

async function allExist(files: string[]): Promise<boolean> {
  try {
    await Promise.all(files.map((file) => access(file)));
    return true;
  } catch {
    return false;
  }
}
