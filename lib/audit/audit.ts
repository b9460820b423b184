/**
 * The auditor's core: rebuild the registry's whole state from its events alone, checking every rule the
 * contract should have enforced along the way, then cross-check the rebuilt state against the contract's
 * views, and summarise it per issuer and per month. Pure: events and a view reader come in, a report
 * goes out; reading logs from a node (and paging them) is the command's job.
 *
 * lib/audit/: the auditor's core (this), on top of lib/credential/ and lib/verify/.
 */
import type { Hex } from "../credential/canonical.js";
import { reasonName } from "../credential/reasons.js";
import { ISSUER_STATUS_NAMES, type IssuerStatusName } from "../verify/verify.js";

interface EventBase {
  blockNumber: number;
  logIndex: number;
  transactionHash: string;
  /** Block time, seconds since the epoch. */
  timestamp: number;
}

export type RegistryEvent = EventBase &
  (
    | { kind: "IssuerRegistered"; issuer: string; profileIdHash: string; profileId: string; accreditor: string }
    | { kind: "IssuerStatusChanged"; issuer: string; previousStatus: number; newStatus: number; reason: number; accreditor: string }
    | { kind: "OperatorAuthorized"; issuer: string; operator: string }
    | { kind: "OperatorRemoved"; issuer: string; operator: string }
    | { kind: "Anchored"; root: string; issuer: string; actor: string; count: number }
    | { kind: "CredentialsRevoked" | "CredentialsSuspended" | "CredentialsUnsuspended"; root: string; actor: string; wordIndex: bigint; mask: bigint; reason: number }
    | { kind: "BatchRevoked"; root: string; actor: string; reason: number }
    | { kind: "NonceUsed"; signer: string; nonce: bigint }
  );

export interface StatusPeriod {
  status: IssuerStatusName;
  reason: string;
  since: number;
  blockNumber: number;
  transactionHash: string;
}

export interface IssuerState {
  address: string;
  profileId: string;
  timeline: StatusPeriod[];
  operators: Set<string>;
  /** Every operator the issuer ever had, with when it was added and (if it was) removed. */
  operatorHistory: Array<{ operator: string; addedAt: number; removedAt: number | null }>;
}

export interface StatusChange {
  kind: "revoke" | "suspend" | "unsuspend" | "revoke-batch";
  actor: string;
  indices: number[];
  reason: string;
  timestamp: number;
  blockNumber: number;
  transactionHash: string;
}

export interface AnchorState {
  root: string;
  issuer: string;
  actor: string;
  count: number;
  timestamp: number;
  blockNumber: number;
  transactionHash: string;
  batchRevoked: boolean;
  revokedWords: Map<bigint, bigint>;
  suspendedWords: Map<bigint, bigint>;
  changes: StatusChange[];
}

export interface Finding {
  rule: string;
  subject: string;
  detail: string;
  blockNumber?: number;
  transactionHash?: string;
}

export interface AuditState {
  issuers: Map<string, IssuerState>;
  operatorOf: Map<string, string>;
  anchors: Map<string, AnchorState>;
  nonces: Map<string, bigint>;
  events: number;
  findings: Finding[];
}

const key = (address: string) => address.toLowerCase();

/** Replays the events in chain order, rebuilding the state and noting every rule an event breaks. */
export function rebuildState(events: readonly RegistryEvent[]): AuditState {
  const state: AuditState = { issuers: new Map(), operatorOf: new Map(), anchors: new Map(), nonces: new Map(), events: events.length, findings: [] };
  const ordered = [...events].sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
  for (const event of ordered) apply(state, event);
  return state;
}

function apply(state: AuditState, event: RegistryEvent): void {
  const where = { blockNumber: event.blockNumber, transactionHash: event.transactionHash };
  const find = (rule: string, subject: string, detail: string): void => {
    state.findings.push({ rule, subject, detail, ...where });
  };

  switch (event.kind) {
    case "IssuerRegistered": {
      if (state.issuers.has(key(event.issuer))) find("issuer-registered-once", event.issuer, "registered a second time");
      state.issuers.set(key(event.issuer), {
        address: event.issuer,
        profileId: event.profileId,
        timeline: [{ status: "active", reason: reasonName(0), since: event.timestamp, ...where }],
        operators: new Set(),
        operatorHistory: [],
      });
      return;
    }
    case "IssuerStatusChanged": {
      const issuer = state.issuers.get(key(event.issuer));
      if (!issuer) return find("issuer-known", event.issuer, "status changed before any registration");
      const current = currentStatus(issuer);
      const from = ISSUER_STATUS_NAMES[event.previousStatus];
      const to = ISSUER_STATUS_NAMES[event.newStatus];
      if (from !== current) find("issuer-status-continuity", event.issuer, `event says it was ${from}, the history says ${current}`);
      const allowed = (to === "suspended" && current === "active") || (to === "active" && current === "suspended") || (to === "withdrawn" && current !== "withdrawn");
      if (!allowed) find("issuer-status-transition", event.issuer, `${current} cannot become ${to}`);
      issuer.timeline.push({ status: to, reason: reasonName(event.reason), since: event.timestamp, ...where });
      return;
    }
    case "OperatorAuthorized": {
      const issuer = state.issuers.get(key(event.issuer));
      if (!issuer) return find("operator-by-issuer", event.operator, `authorised by ${event.issuer}, which is no registered issuer`);
      if (currentStatus(issuer) !== "active") find("operator-by-active-issuer", event.operator, `authorised while ${event.issuer} was ${currentStatus(issuer)}`);
      const holder = state.operatorOf.get(key(event.operator));
      if (holder) find("operator-one-issuer", event.operator, `authorised for ${event.issuer} while operator of ${holder}`);
      issuer.operators.add(key(event.operator));
      issuer.operatorHistory.push({ operator: event.operator, addedAt: event.timestamp, removedAt: null });
      state.operatorOf.set(key(event.operator), event.issuer);
      return;
    }
    case "OperatorRemoved": {
      const issuer = state.issuers.get(key(event.issuer));
      if (!issuer || !issuer.operators.has(key(event.operator))) {
        return find("operator-removed-was-operator", event.operator, `removed from ${event.issuer}, which it did not operate for`);
      }
      issuer.operators.delete(key(event.operator));
      const open = [...issuer.operatorHistory].reverse().find((entry) => key(entry.operator) === key(event.operator) && entry.removedAt === null);
      if (open) open.removedAt = event.timestamp;
      state.operatorOf.delete(key(event.operator));
      return;
    }
    case "Anchored": {
      if (state.anchors.has(key(event.root))) find("anchor-once", event.root, "anchored a second time");
      const issuer = state.issuers.get(key(event.issuer));
      if (!issuer) find("anchor-by-issuer", event.root, `anchored for ${event.issuer}, which is no registered issuer`);
      else if (currentStatus(issuer) !== "active") find("anchor-by-active-issuer", event.root, `anchored while ${event.issuer} was ${currentStatus(issuer)}`);
      if (!actsFor(state, event.actor, event.issuer)) find("anchor-by-issuer-or-operator", event.root, `anchored by ${event.actor}, neither ${event.issuer} nor its operator then`);
      if (event.count <= 0) find("anchor-count", event.root, "anchored with no credential");
      state.anchors.set(key(event.root), {
        root: event.root,
        issuer: event.issuer,
        actor: event.actor,
        count: event.count,
        timestamp: event.timestamp,
        batchRevoked: false,
        revokedWords: new Map(),
        suspendedWords: new Map(),
        changes: [],
        ...where,
      });
      return;
    }
    case "CredentialsRevoked":
    case "CredentialsSuspended":
    case "CredentialsUnsuspended": {
      const anchor = state.anchors.get(key(event.root));
      if (!anchor) return find("change-of-anchored-root", event.root, `${event.kind} on a root never anchored`);
      checkActor(state, anchor, event.actor, find);
      const indices = indicesOf(event.wordIndex, event.mask);
      const beyond = indices.filter((index) => index >= anchor.count);
      if (beyond.length > 0) find("index-in-batch", event.root, `${event.kind} of index ${beyond[0]} beyond the batch's ${anchor.count}`);
      if (event.mask === 0n) find("change-selects-credentials", event.root, `${event.kind} with an empty mask`);
      const words = event.kind === "CredentialsRevoked" ? anchor.revokedWords : anchor.suspendedWords;
      const current = words.get(event.wordIndex) ?? 0n;
      if (event.kind === "CredentialsUnsuspended") {
        if ((current & event.mask) !== event.mask) find("unsuspend-suspended", event.root, "lifted a suspension that was not in place");
        words.set(event.wordIndex, current & ~event.mask);
      } else {
        if ((current & event.mask) !== 0n) find("change-is-new", event.root, `${event.kind} repeats bits already set`);
        words.set(event.wordIndex, current | event.mask);
      }
      const kind = ({ CredentialsRevoked: "revoke", CredentialsSuspended: "suspend", CredentialsUnsuspended: "unsuspend" } as const)[event.kind];
      anchor.changes.push({ kind, actor: event.actor, indices, reason: reasonName(event.reason), timestamp: event.timestamp, ...where });
      return;
    }
    case "BatchRevoked": {
      const anchor = state.anchors.get(key(event.root));
      if (!anchor) return find("change-of-anchored-root", event.root, "batch revoked but never anchored");
      checkActor(state, anchor, event.actor, find);
      if (anchor.batchRevoked) find("batch-revoked-once", event.root, "batch revoked a second time");
      anchor.batchRevoked = true;
      anchor.changes.push({ kind: "revoke-batch", actor: event.actor, indices: [], reason: reasonName(event.reason), timestamp: event.timestamp, ...where });
      return;
    }
    case "NonceUsed": {
      const expected = state.nonces.get(key(event.signer)) ?? 0n;
      if (event.nonce !== expected) find("nonces-in-order", event.signer, `nonce ${event.nonce} used where ${expected} was next`);
      state.nonces.set(key(event.signer), event.nonce + 1n);
      return;
    }
  }
}

function checkActor(state: AuditState, anchor: AnchorState, actor: string, find: (rule: string, subject: string, detail: string) => void): void {
  if (!actsFor(state, actor, anchor.issuer)) {
    find("change-by-issuer-or-operator", anchor.root, `changed by ${actor}, neither the anchoring issuer ${anchor.issuer} nor its operator then`);
  }
}

function actsFor(state: AuditState, actor: string, issuer: string): boolean {
  return key(actor) === key(issuer) || key(state.operatorOf.get(key(actor)) ?? "") === key(issuer);
}

export function currentStatus(issuer: IssuerState): IssuerStatusName {
  return issuer.timeline.at(-1)?.status ?? "none";
}

export function indicesOf(wordIndex: bigint, mask: bigint): number[] {
  const indices: number[] = [];
  for (let bit = 0; bit < 256; bit++) if ((mask >> BigInt(bit)) & 1n) indices.push(Number(wordIndex) * 256 + bit);
  return indices;
}

function popcount(value: bigint): number {
  let count = 0;
  for (let rest = value; rest > 0n; rest &= rest - 1n) count++;
  return count;
}

/** The contract's views, as the auditor cross-checks them. */
export interface RegistryViews {
  getAnchor(root: Hex): Promise<{ issuer: string; anchoredAt: number; count: number; batchRevoked: boolean }>;
  getIssuer(issuer: string): Promise<{ status: IssuerStatusName; profileIdHash: string }>;
  issuerOfOperator(operator: string): Promise<string>;
  revocationWord(root: Hex, wordIndex: bigint): Promise<bigint>;
  suspensionWord(root: Hex, wordIndex: bigint): Promise<bigint>;
  nonces(account: string): Promise<bigint>;
}

export interface CrossCheckOptions {
  /** Check at most this many anchors (chosen evenly); all when undefined. */
  sample?: number;
  /** keccak256 of a profile id, to compare the emitted string with the stored hash. */
  profileIdHash(profileId: string): string;
}

/** Compares the rebuilt state with what the contract's views answer now; returns the disagreements. */
export async function crossCheck(state: AuditState, views: RegistryViews, options: CrossCheckOptions): Promise<Finding[]> {
  const findings: Finding[] = [];
  const differ = (subject: string, what: string, fromEvents: unknown, fromViews: unknown) =>
    findings.push({ rule: "events-match-views", subject, detail: `${what}: events say ${String(fromEvents)}, the view says ${String(fromViews)}` });

  // Views are asked many at a time (a reader may batch them into few round trips), in bounded chunks.
  await inChunks([...state.issuers.values()], async (issuer) => {
    const view = await views.getIssuer(issuer.address);
    if (view.status !== currentStatus(issuer)) differ(issuer.address, "issuer status", currentStatus(issuer), view.status);
    if (view.profileIdHash.toLowerCase() !== options.profileIdHash(issuer.profileId).toLowerCase()) {
      differ(issuer.address, "profile id hash", options.profileIdHash(issuer.profileId), view.profileIdHash);
    }
    await Promise.all(
      [...issuer.operators].map(async (operator) => {
        const of = await views.issuerOfOperator(operator);
        if (key(of) !== key(issuer.address)) differ(operator, "operator's issuer", issuer.address, of);
      }),
    );
  });
  const anchors = [...state.anchors.values()];
  const chosen = options.sample === undefined || options.sample >= anchors.length ? anchors : anchors.filter((_, i) => i % Math.ceil(anchors.length / options.sample!) === 0);
  await inChunks(chosen, async (anchor) => {
    const words = [
      ...[...anchor.revokedWords].map(([wordIndex, bits]) => ({ wordIndex, bits, read: views.revocationWord, what: "revocation bits" })),
      ...[...anchor.suspendedWords].map(([wordIndex, bits]) => ({ wordIndex, bits, read: views.suspensionWord, what: "suspension bits" })),
    ];
    // The anchor and its words are asked together, so a batching reader answers them in one round.
    await Promise.all([
      views.getAnchor(anchor.root as Hex).then((view) => {
        if (key(view.issuer) !== key(anchor.issuer)) differ(anchor.root, "anchor issuer", anchor.issuer, view.issuer);
        if (view.count !== anchor.count) differ(anchor.root, "anchor count", anchor.count, view.count);
        if (view.anchoredAt !== anchor.timestamp) differ(anchor.root, "anchor time", anchor.timestamp, view.anchoredAt);
        if (view.batchRevoked !== anchor.batchRevoked) differ(anchor.root, "batch revoked", anchor.batchRevoked, view.batchRevoked);
      }),
      ...words.map(async ({ wordIndex, bits, read, what }) => {
        const onChain = await read.call(views, anchor.root as Hex, wordIndex);
        if (onChain !== bits) differ(anchor.root, `${what} of word ${wordIndex}`, `0x${bits.toString(16)}`, `0x${onChain.toString(16)}`);
      }),
    ]);
  });
  await inChunks([...state.nonces], async ([signer, next]) => {
    const onChain = await views.nonces(signer);
    if (onChain !== next) differ(signer, "next nonce", next, onChain);
  });
  return findings;
}

async function inChunks<T>(items: T[], work: (item: T) => Promise<void>, size = 10_000): Promise<void> {
  for (let start = 0; start < items.length; start += size) await Promise.all(items.slice(start, start + size).map(work));
}

export interface IssuerSummary {
  issuer: string;
  profileId: string;
  status: IssuerStatusName;
  anchors: number;
  credentials: number;
  revoked: number;
  revokedPercent: number;
  suspended: number;
  firstActivity: string | null;
  lastActivity: string | null;
}

export interface MonthSummary {
  month: string;
  anchors: number;
  credentials: number;
  revoked: number;
  suspensions: number;
}

/** Per issuer: anchors, credentials, revoked (and %), suspended now, first and last activity. */
export function summariseIssuers(state: AuditState): IssuerSummary[] {
  return [...state.issuers.values()].map((issuer) => {
    const anchors = [...state.anchors.values()].filter((anchor) => key(anchor.issuer) === key(issuer.address));
    const credentials = anchors.reduce((sum, anchor) => sum + anchor.count, 0);
    const revoked = anchors.reduce(
      (sum, anchor) => sum + (anchor.batchRevoked ? anchor.count : [...anchor.revokedWords.values()].reduce((bits, word) => bits + popcount(word), 0)),
      0,
    );
    const suspended = anchors.reduce((sum, anchor) => sum + [...anchor.suspendedWords.values()].reduce((bits, word) => bits + popcount(word), 0), 0);
    const times = [
      ...issuer.timeline.map((period) => period.since),
      ...anchors.flatMap((anchor) => [anchor.timestamp, ...anchor.changes.map((change) => change.timestamp)]),
    ].sort((a, b) => a - b);
    return {
      issuer: issuer.address,
      profileId: issuer.profileId,
      status: currentStatus(issuer),
      anchors: anchors.length,
      credentials,
      revoked,
      revokedPercent: credentials === 0 ? 0 : Math.round((revoked / credentials) * 10_000) / 100,
      suspended,
      firstActivity: times.length ? iso(times[0]) : null,
      lastActivity: times.length ? iso(times.at(-1)!) : null,
    };
  });
}

/** Per calendar month (UTC): anchors, credentials anchored, credentials revoked, suspensions. */
export function summariseMonths(state: AuditState): MonthSummary[] {
  const months = new Map<string, MonthSummary>();
  const month = (timestamp: number) => {
    const name = iso(timestamp).slice(0, 7);
    if (!months.has(name)) months.set(name, { month: name, anchors: 0, credentials: 0, revoked: 0, suspensions: 0 });
    return months.get(name)!;
  };
  for (const anchor of state.anchors.values()) {
    const entry = month(anchor.timestamp);
    entry.anchors++;
    entry.credentials += anchor.count;
    for (const change of anchor.changes) {
      if (change.kind === "revoke") month(change.timestamp).revoked += change.indices.length;
      if (change.kind === "revoke-batch") month(change.timestamp).revoked += anchor.count;
      if (change.kind === "suspend") month(change.timestamp).suspensions += change.indices.length;
    }
  }
  return [...months.values()].sort((a, b) => a.month.localeCompare(b.month));
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}
