/**
 * Compares the state rebuilt from events with the contract's batch views at the audited block: every
 * issuer (`getIssuers`, and its proposed controller), every key of every issuer (`getKeys`), every anchor
 * (`getAnchors`) and every revocation and suspension word the events touched (`bitmapWords`), and each
 * (signer, key)'s next nonce. Views are asked in chunks (2,000 anchors, 1,000 words an eth_call by
 * default), two chunks in flight, so a million anchors are 500 calls; a chunk's arrays are built from the
 * columns when it goes and dropped when it is answered.
 */
import { KEY_ROLE_NAMES, type AuditState, type Finding } from "./state.js";
import { ISSUER_STATUS_NAMES } from "../verify/verify.js";
import { inPool } from "../chain/tick-batcher.js";

export interface IssuerView {
  controller: string;
  status: number;
  statusReason: number;
  statusSince: number;
  registeredAt: number;
}

export interface KeyView {
  role: number;
  addedAt: number;
  compromisedSince: number;
}

export interface AnchorView {
  actingKey: string;
  anchoredAt: number;
  count: number;
  batchRevoked: boolean;
}

/** The contract's views as the cross-check reads them (the shell reads them at the audited block). */
export interface RegistryViews {
  getIssuers(issuerIds: string[]): Promise<IssuerView[]>;
  proposedControllers(issuerIds: string[]): Promise<string[]>;
  getKeys(issuerIds: string[], keys: string[]): Promise<KeyView[]>;
  getAnchors(issuerIds: string[], roots: string[]): Promise<AnchorView[]>;
  bitmapWords(issuerIds: string[], roots: string[], wordIndices: bigint[]): Promise<{ revoked: bigint[]; suspended: bigint[] }>;
  nonces(signers: string[], keys: bigint[]): Promise<bigint[]>;
}

export interface CrossCheckOptions {
  /** Check at most this many anchors (chosen evenly); all when undefined. */
  sample?: number;
  /** Anchors per getAnchors call (default 2,000). */
  anchorsPerCall?: number;
  /** Words per bitmapWords call (default 1,000). */
  wordsPerCall?: number;
  /** Calls in flight at once (default 2: the node works on one while this process decodes the other). */
  inFlight?: number;
}

const ZERO = "0x0000000000000000000000000000000000000000";

/** The anchor rows a cross-check with `sample` reads (all, or evenly spread). */
export function sampledAnchorCount(state: AuditState, sample: number | undefined): number {
  const total = state.anchors.length;
  if (sample === undefined || sample >= total) return total;
  return Math.ceil(total / Math.ceil(total / Math.max(1, sample)));
}

export async function crossCheck(state: AuditState, views: RegistryViews, options: CrossCheckOptions = {}): Promise<Finding[]> {
  const findings: Finding[] = [];
  const differ = (rule: string, subject: string, what: string, fromEvents: unknown, fromViews: unknown) =>
    findings.push({ rule, subject, detail: `${what}: events say ${String(fromEvents)}, the view says ${String(fromViews)}` });
  const mismatch = (subject: string, what: string, fromEvents: unknown, fromViews: unknown) => differ("events-match-views", subject, what, fromEvents, fromViews);
  const anchorsPerCall = options.anchorsPerCall ?? 2_000;
  const wordsPerCall = options.wordsPerCall ?? 1_000;
  const inFlight = options.inFlight ?? 2;
  const { issuers, anchors } = state;

  // Issuers and keys: few.
  const ids = issuers.map((issuer) => issuer.issuerId);
  for (let start = 0; start < ids.length; start += anchorsPerCall) {
    const chunk = ids.slice(start, start + anchorsPerCall);
    const [records, proposed] = await Promise.all([views.getIssuers(chunk), views.proposedControllers(chunk)]);
    chunk.forEach((id, position) => {
      const issuer = issuers[start + position];
      const view = records[position];
      const controller = view.controller.toLowerCase() === ZERO ? null : view.controller;
      if ((controller?.toLowerCase() ?? null) !== (issuer.controller?.toLowerCase() ?? null)) mismatch(id, "controller", issuer.controller ?? "(none)", controller ?? "(none)");
      const status = ISSUER_STATUS_NAMES[view.status] ?? `status ${view.status}`;
      if (status !== issuer.status) mismatch(id, "issuer status", issuer.status, status);
      const last = issuer.statusHistory.at(-1)!;
      if (view.statusSince !== last.timestamp) mismatch(id, "status since", last.timestamp, view.statusSince);
      if (view.registeredAt !== issuer.registered.timestamp) mismatch(id, "registered at", issuer.registered.timestamp, view.registeredAt);
      const pending = proposed[position].toLowerCase() === ZERO ? null : proposed[position];
      if ((pending?.toLowerCase() ?? null) !== (issuer.proposed?.toLowerCase() ?? null)) mismatch(id, "proposed controller", issuer.proposed ?? "(none)", pending ?? "(none)");
    });
  }
  const keys = [...state.keys].map(([slot, key]) => ({ issuer: issuers[Number(slot.slice(0, slot.indexOf(":")))], key }));
  for (let start = 0; start < keys.length; start += anchorsPerCall) {
    const chunk = keys.slice(start, start + anchorsPerCall);
    const answers = await views.getKeys(
      chunk.map((entry) => entry.issuer.issuerId),
      chunk.map((entry) => entry.key.address),
    );
    chunk.forEach(({ issuer, key }, position) => {
      const view = answers[position];
      const subject = `${key.address} of ${issuer.profileId}`;
      const role = KEY_ROLE_NAMES[view.role] ?? `role ${view.role}`;
      if (role !== key.role) mismatch(subject, "key role", key.role, role);
      if (view.addedAt !== key.addedAt) mismatch(subject, "key added at", key.addedAt, view.addedAt);
      if (view.compromisedSince !== key.compromisedSince) mismatch(subject, "compromised since", key.compromisedSince || "never", view.compromisedSince || "never");
    });
  }

  // Anchors: all, or every step-th row.
  const total = anchors.length;
  const step = options.sample === undefined || options.sample >= total ? 1 : Math.ceil(total / Math.max(1, options.sample));
  const anchorChunks: Array<() => Promise<void>> = [];
  for (let first = 0; first < total; first += anchorsPerCall * step) {
    anchorChunks.push(async () => {
      const rows: number[] = [];
      for (let row = first; row < Math.min(total, first + anchorsPerCall * step); row += step) rows.push(row);
      const answers = await views.getAnchors(
        rows.map((row) => issuers[anchors.issuer.get(row)].issuerId),
        rows.map((row) => anchors.roots[row]),
      );
      rows.forEach((row, position) => {
        const view = answers[position];
        const root = anchors.roots[row];
        const actingKey = state.addressNames[anchors.actingKey.get(row)];
        if (view.actingKey.toLowerCase() !== actingKey.toLowerCase()) mismatch(root, "acting key", actingKey, view.actingKey);
        if (view.count !== anchors.count.get(row)) mismatch(root, "anchor count", anchors.count.get(row), view.count);
        if (view.anchoredAt !== anchors.timestamp.get(row)) mismatch(root, "anchor time", anchors.timestamp.get(row), view.anchoredAt);
        const batchRevoked = anchors.batchRevoked.get(row) === 1;
        if (view.batchRevoked !== batchRevoked) {
          if (batchRevoked) differ("no-revocation-undone", root, "batch revoked", true, false);
          else mismatch(root, "batch revoked", false, true);
        }
      });
    });
  }
  await inPool(anchorChunks, inFlight, (chunk) => chunk());

  // Words the events touched, of the anchors checked.
  const refs: Array<{ row: number; wordIndex: number }> = [];
  for (const table of [state.revokedWords, state.suspendedWords]) {
    for (const [row, words] of table) {
      if (row % step !== 0) continue;
      for (const wordIndex of words.keys()) refs.push({ row, wordIndex });
    }
  }
  const seen = new Set<string>();
  const unique = refs.filter((ref) => {
    const id = `${ref.row}:${ref.wordIndex}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  seen.clear();
  const wordChunks: Array<() => Promise<void>> = [];
  for (let start = 0; start < unique.length; start += wordsPerCall) {
    wordChunks.push(async () => {
      const chunk = unique.slice(start, start + wordsPerCall);
      const { revoked, suspended } = await views.bitmapWords(
        chunk.map((ref) => issuers[anchors.issuer.get(ref.row)].issuerId),
        chunk.map((ref) => anchors.roots[ref.row]),
        chunk.map((ref) => BigInt(ref.wordIndex)),
      );
      chunk.forEach((ref, position) => {
        const root = anchors.roots[ref.row];
        const revokedBits = state.revokedWords.get(ref.row)?.get(ref.wordIndex) ?? 0n;
        const suspendedBits = state.suspendedWords.get(ref.row)?.get(ref.wordIndex) ?? 0n;
        if (revoked[position] !== revokedBits) {
          // Bits the events revoked that the view no longer shows: a revocation undone.
          const rule = (revokedBits & ~revoked[position]) !== 0n ? "no-revocation-undone" : "events-match-views";
          differ(rule, root, `revocation bits of word ${ref.wordIndex}`, hex(revokedBits), hex(revoked[position]));
        }
        if (suspended[position] !== suspendedBits) mismatch(root, `suspension bits of word ${ref.wordIndex}`, hex(suspendedBits), hex(suspended[position]));
      });
    });
  }
  await inPool(wordChunks, inFlight, (chunk) => chunk());

  // Nonces: the next of each (signer, key) the events used.
  const slots = [...state.nonces];
  for (let start = 0; start < slots.length; start += wordsPerCall) {
    const chunk = slots.slice(start, start + wordsPerCall);
    const parsed = chunk.map(([slot]) => ({ signer: slot.slice(0, slot.indexOf(":")), key: BigInt(slot.slice(slot.indexOf(":") + 1)) }));
    const answers = await views.nonces(
      parsed.map((entry) => state.addressNames[state.addresses.find(entry.signer)!]),
      parsed.map((entry) => entry.key),
    );
    chunk.forEach(([, next], position) => {
      const expected = (parsed[position].key << 64n) | next;
      if (answers[position] !== expected) mismatch(parsed[position].signer, `next nonce of key ${parsed[position].key}`, expected, answers[position]);
    });
  }
  return findings;
}

function hex(value: bigint): string {
  return `0x${value.toString(16)}`;
}

