/**
 * What the report says of the rebuilt state: per issuer (its identity, controller history, operator
 * history, compromise declarations and the anchors each cut off, and the counts), and per month. Each
 * summary is one pass over the anchor columns; nothing per anchor is materialised but the anchors a
 * compromise declaration cut off.
 */
import type { IssuerStatusName } from "../verify/verify.js";
import { KIND_CODE } from "./events.js";
import { type AuditState, type CompromiseDeclaration, type ControlProposal, type ControllerChange, type KeyRoleName, type OperatorSpan, type StatusPeriod } from "./state.js";

export interface CutOffAnchor {
  root: string;
  actingKey: string;
  anchoredAt: string;
  count: number;
  blockNumber: number;
  transactionHash: string;
}

export interface CompromiseReport extends CompromiseDeclaration {
  sinceTime: string;
  /** Anchors by the key at or after `since`: they read revoked (reason key-compromise). */
  anchorsCutOff: CutOffAnchor[];
  /** Credentials in them. */
  credentialsCutOff: number;
  /** Anchors by the key before `since`: they stay valid. */
  anchorsKept: number;
}

export interface IssuerSummary {
  issuerId: string;
  profileId: string;
  status: IssuerStatusName;
  controller: string | null;
  anchors: number;
  credentials: number;
  /** Revoked one by one, by batch, or cut off by a compromise declaration (each credential once). */
  revoked: number;
  revokedPercent: number;
  /** Of `revoked`, those in anchors a compromise declaration cut off. */
  cutOff: number;
  suspended: number;
  firstActivity: string | null;
  lastActivity: string | null;
}

export interface IssuerIdentity {
  issuerId: string;
  profileId: string;
  status: IssuerStatusName;
  controller: string | null;
  proposedController: string | null;
  statusHistory: StatusPeriod[];
  controllerHistory: ControllerChange[];
  proposals: ControlProposal[];
  operatorHistory: OperatorSpan[];
  compromises: CompromiseReport[];
  keys: Array<{ address: string; role: KeyRoleName; addedAt: number; compromisedSince: number }>;
}

export interface MonthSummary {
  month: string;
  anchors: number;
  credentials: number;
  revoked: number;
  suspensions: number;
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

function popcount(value: bigint): number {
  let count = 0;
  for (let rest = value; rest > 0n; rest &= rest - 1n) count++;
  return count;
}

/** Anchor rows whose acting key was declared compromised at or before their time (they read revoked). */
export function cutOffRows(state: AuditState): Set<number> {
  const since = new Map<string, number>();
  for (const [slot, key] of state.keys) if (key.compromisedSince !== 0) since.set(`${slot.slice(0, slot.indexOf(":"))}:${state.addresses.find(key.address.toLowerCase())}`, key.compromisedSince);
  const rows = new Set<number>();
  if (since.size === 0) return rows;
  const { anchors } = state;
  for (let row = 0; row < anchors.length; row++) {
    const cutOff = since.get(`${anchors.issuer.get(row)}:${anchors.actingKey.get(row)}`);
    if (cutOff !== undefined && anchors.timestamp.get(row) >= cutOff) rows.add(row);
  }
  return rows;
}

export function summariseIssuers(state: AuditState): IssuerSummary[] {
  const { anchors } = state;
  const cutOff = cutOffRows(state);
  const totals = state.issuers.map(() => ({ anchors: 0, credentials: 0, revoked: 0, cutOff: 0, suspended: 0, first: Infinity, last: -Infinity }));
  for (let row = 0; row < anchors.length; row++) {
    const total = totals[anchors.issuer.get(row)];
    const count = anchors.count.get(row);
    total.anchors++;
    total.credentials += count;
    if (cutOff.has(row)) {
      total.cutOff += count;
      total.revoked += count;
    } else if (anchors.batchRevoked.get(row) === 1) total.revoked += count;
    else for (const word of state.revokedWords.get(row)?.values() ?? []) total.revoked += popcount(word);
    for (const word of state.suspendedWords.get(row)?.values() ?? []) total.suspended += popcount(word);
  }
  const { timeline } = state;
  for (let row = 0; row < timeline.length; row++) {
    const issuer = timeline.issuer.get(row);
    if (issuer < 0) continue;
    const time = timeline.timestamp.get(row);
    totals[issuer].first = Math.min(totals[issuer].first, time);
    totals[issuer].last = Math.max(totals[issuer].last, time);
  }
  return state.issuers.map((issuer, index) => {
    const total = totals[index];
    return {
      issuerId: issuer.issuerId,
      profileId: issuer.profileId,
      status: issuer.status,
      controller: issuer.controller,
      anchors: total.anchors,
      credentials: total.credentials,
      revoked: total.revoked,
      revokedPercent: total.credentials === 0 ? 0 : Math.round((total.revoked / total.credentials) * 10_000) / 100,
      cutOff: total.cutOff,
      suspended: total.suspended,
      firstActivity: Number.isFinite(total.first) ? iso(total.first) : null,
      lastActivity: Number.isFinite(total.last) ? iso(total.last) : null,
    };
  });
}

/** Every issuer's identity and key histories, each compromise declaration with the anchors it cut off. */
export function describeIdentities(state: AuditState): IssuerIdentity[] {
  const { anchors } = state;
  // Anchor rows of each declared key, gathered in one pass.
  const declared = new Map<string, number[]>();
  for (const issuer of state.issuers) for (const declaration of issuer.compromises) declared.set(`${issuer.index}:${state.addresses.find(declaration.key.toLowerCase())}`, []);
  if (declared.size > 0) {
    for (let row = 0; row < anchors.length; row++) declared.get(`${anchors.issuer.get(row)}:${anchors.actingKey.get(row)}`)?.push(row);
  }
  return state.issuers.map((issuer) => ({
    issuerId: issuer.issuerId,
    profileId: issuer.profileId,
    status: issuer.status,
    controller: issuer.controller,
    proposedController: issuer.proposed,
    statusHistory: issuer.statusHistory,
    controllerHistory: issuer.controllerHistory,
    proposals: issuer.proposals,
    operatorHistory: issuer.operatorHistory,
    keys: [...state.keys]
      .filter(([slot]) => Number(slot.slice(0, slot.indexOf(":"))) === issuer.index)
      .map(([, key]) => ({ address: key.address, role: key.role, addedAt: key.addedAt, compromisedSince: key.compromisedSince })),
    compromises: issuer.compromises.map((declaration) => {
      const rows = declared.get(`${issuer.index}:${state.addresses.find(declaration.key.toLowerCase())}`) ?? [];
      const cut = rows.filter((row) => anchors.timestamp.get(row) >= declaration.since);
      return {
        ...declaration,
        sinceTime: iso(declaration.since),
        anchorsCutOff: cut.map((row) => ({
          root: anchors.roots[row],
          actingKey: state.addressNames[anchors.actingKey.get(row)],
          anchoredAt: iso(anchors.timestamp.get(row)),
          count: anchors.count.get(row),
          blockNumber: anchors.blockNumber.get(row),
          transactionHash: state.transactions.values[anchors.transaction.get(row)],
        })),
        credentialsCutOff: cut.reduce((sum, row) => sum + anchors.count.get(row), 0),
        anchorsKept: rows.length - cut.length,
      };
    }),
  }));
}

/** Per calendar month (UTC): anchors, credentials anchored, credentials revoked, suspensions. */
export function summariseMonths(state: AuditState): MonthSummary[] {
  const months = new Map<string, MonthSummary>();
  const month = (timestamp: number) => {
    const name = iso(timestamp).slice(0, 7);
    let entry = months.get(name);
    if (!entry) months.set(name, (entry = { month: name, anchors: 0, credentials: 0, revoked: 0, suspensions: 0 }));
    return entry;
  };
  const { timeline, anchors } = state;
  // One month object per distinct month; rows of the same month follow one another, so remember the last.
  let lastMonthStart = Infinity;
  let lastMonthEnd = -Infinity;
  let current: MonthSummary | undefined;
  for (let row = 0; row < timeline.length; row++) {
    const kind = timeline.kind.get(row);
    if (kind !== ANCHORED && kind !== REVOKED && kind !== SUSPENDED && kind !== BATCH_REVOKED) continue;
    const subject = timeline.subject.get(row);
    if (subject < 0) continue;
    const time = timeline.timestamp.get(row);
    if (!(time >= lastMonthStart && time < lastMonthEnd) || !current) {
      current = month(time);
      const start = new Date(time * 1000);
      lastMonthStart = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1) / 1000;
      lastMonthEnd = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1) / 1000;
    }
    if (kind === ANCHORED) {
      current.anchors++;
      current.credentials += timeline.number.get(row);
    } else if (kind === BATCH_REVOKED) current.revoked += anchors.count.get(subject);
    else if (kind === REVOKED) current.revoked += popcount(timeline.bigints[timeline.other.get(row)]);
    else current.suspensions += popcount(timeline.bigints[timeline.other.get(row)]);
  }
  return [...months.values()].sort((a, b) => a.month.localeCompare(b.month));
}

const ANCHORED = KIND_CODE.Anchored;
const REVOKED = KIND_CODE.CredentialsRevoked;
const SUSPENDED = KIND_CODE.CredentialsSuspended;
const BATCH_REVOKED = KIND_CODE.BatchRevoked;
