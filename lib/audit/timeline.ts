/**
 * The audit's timeline, one entry for every event the state was rebuilt from — none left out (1.x left
 * the operator authorisations out of it while counting them) — made from the compact timeline rows only
 * as they are read, so a million-event timeline is written out without being held as objects.
 */
import { reasonName } from "../credential/reasons.js";
import { ISSUER_STATUS_NAMES } from "../verify/verify.js";
import { EVENT_KINDS } from "./events.js";
import { ACCREDITOR_ROLE, CONTROLLER_CHANGE_HOWS } from "./rebuild.js";
import type { AuditState } from "./state.js";

export interface TimelineEntry {
  time: string;
  blockNumber: number;
  logIndex: number;
  transactionHash: string;
  /** The event, in words ("batch anchored", "controller changed", …). */
  what: string;
  /** The issuer's id ("" for events of no issuer: roles, nonces of other accounts). */
  issuer: string;
  /** The anchor's root, the key, or the issuer's profile id. */
  subject: string;
  detail: string;
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** The timeline's entries in chain order; with `issuerId`, only that issuer's (its keys' nonces included). */
export function* timelineEntries(state: AuditState, issuerId?: string): Generator<TimelineEntry> {
  const only = issuerId === undefined ? undefined : state.issuerIndex.get(issuerId.toLowerCase());
  if (issuerId !== undefined && only === undefined) return;
  const { timeline } = state;
  for (let row = 0; row < timeline.length; row++) {
    if (only !== undefined && timeline.issuer.get(row) !== only) continue;
    yield timelineEntry(state, row);
  }
}

/** The number of entries timelineEntries gives. */
export function timelineLength(state: AuditState, issuerId?: string): number {
  if (issuerId === undefined) return state.timeline.length;
  const only = state.issuerIndex.get(issuerId.toLowerCase());
  if (only === undefined) return 0;
  let count = 0;
  for (let row = 0; row < state.timeline.length; row++) if (state.timeline.issuer.get(row) === only) count++;
  return count;
}

export function timelineEntry(state: AuditState, row: number): TimelineEntry {
  const { timeline, anchors } = state;
  const address = (index: number) => (index < 0 ? "(none)" : state.addressNames[index]);
  const issuerIndex = timeline.issuer.get(row);
  const issuer = issuerIndex < 0 ? undefined : state.issuers[issuerIndex];
  const subjectIndex = timeline.subject.get(row);
  const actor = address(timeline.actor.get(row));
  const other = timeline.other.get(row);
  const code = timeline.code.get(row);
  const number = timeline.number.get(row);
  const root = () => (subjectIndex < 0 ? "(unknown root)" : anchors.roots[subjectIndex]);
  const kind = EVENT_KINDS[timeline.kind.get(row)];
  let what: string;
  let subject = issuer?.profileId ?? "";
  let detail = "";
  switch (kind) {
    case "RoleGranted":
    case "RoleRevoked": {
      const role = state.strings.values[other];
      what = `${role === ACCREDITOR_ROLE ? "accreditor" : "role"} ${kind === "RoleGranted" ? "granted" : "revoked"}`;
      subject = address(subjectIndex);
      detail = `role ${role}, by ${actor}`;
      break;
    }
    case "IssuerRegistered":
      what = "issuer registered";
      detail = `controller ${address(other)}, by ${actor}`;
      break;
    case "IssuerStatusChanged":
      what = `issuer ${ISSUER_STATUS_NAMES[number] ?? `status ${number}`}`;
      detail = `from ${ISSUER_STATUS_NAMES[other] ?? other}, reason: ${reasonName(code)}, by ${actor}`;
      break;
    case "ControlTransferProposed":
      what = other < 0 ? "control transfer cancelled" : "control transfer proposed";
      detail = other < 0 ? `by ${actor}` : `to ${address(other)}, by ${actor}`;
      break;
    case "ControllerChanged":
      what = "controller changed";
      detail = `${address(subjectIndex)} → ${address(other)}: ${CONTROLLER_CHANGE_HOWS[code] ?? "unexplained"}, by ${actor}`;
      break;
    case "OperatorAdded":
      what = "operator added";
      subject = address(subjectIndex);
      detail = `for ${issuer?.profileId ?? "(unknown issuer)"}, by ${actor}`;
      break;
    case "OperatorRemoved":
      what = code === 1 ? "operator removed (compromised)" : "operator removed";
      subject = address(subjectIndex);
      detail = `from ${issuer?.profileId ?? "(unknown issuer)"}, by ${actor}`;
      break;
    case "KeyCompromised":
      what = "key declared compromised";
      subject = address(subjectIndex);
      detail = `since ${iso(number)}, by ${actor}`;
      break;
    case "NonceUsed": {
      const keyNonce = timeline.bigints[other];
      what = "nonce used";
      subject = actor;
      detail = `key ${keyNonce >> 64n}, sequence ${keyNonce & ((1n << 64n) - 1n)}`;
      break;
    }
    case "Anchored":
      what = "batch anchored";
      subject = root();
      detail = `${number} credential(s), by ${actor}`;
      break;
    case "CredentialsRevoked":
    case "CredentialsSuspended":
    case "CredentialsUnsuspended": {
      what = { CredentialsRevoked: "credentials revoked", CredentialsSuspended: "credentials suspended", CredentialsUnsuspended: "suspension lifted" }[kind];
      subject = root();
      detail = `indices ${compactIndices(number, timeline.bigints[other])}, reason: ${reasonName(code)}, by ${actor}`;
      break;
    }
    case "BatchRevoked":
      what = "batch revoked";
      subject = root();
      detail = `reason: ${reasonName(code)}, by ${actor}`;
      break;
  }
  return {
    time: iso(timeline.timestamp.get(row)),
    blockNumber: timeline.blockNumber.get(row),
    logIndex: timeline.logIndex.get(row),
    transactionHash: state.transactions.values[timeline.transaction.get(row)],
    what,
    issuer: issuer?.issuerId ?? "",
    subject,
    detail,
  };
}

/** The indices a (word, mask) selects, runs shortened: "0–2, 7". */
export function compactIndices(wordIndex: number, mask: bigint): string {
  const indices: number[] = [];
  for (let bit = 0; bit < 256; bit++) if ((mask >> BigInt(bit)) & 1n) indices.push(wordIndex * 256 + bit);
  const parts: string[] = [];
  for (let i = 0; i < indices.length; i++) {
    let j = i;
    while (j + 1 < indices.length && indices[j + 1] === indices[j] + 1) j++;
    parts.push(j > i ? `${indices[i]}–${indices[j]}` : String(indices[i]));
    i = j;
  }
  return parts.join(", ") || "(none)";
}
