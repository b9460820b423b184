/**
 * The state the auditor rebuilds from the registry's events, held compactly: issuers, keys and their
 * histories are few and kept as small records; anchors and the timeline — one row per event, every event —
 * are columns of typed arrays, with roots, keys and transaction hashes interned (an index into a table).
 * At a million anchors that is ~200 bytes an anchor, most of it the root's hex string.
 */
import type { IssuerStatusName } from "../verify/verify.js";
import { Column, Interner } from "./columns.js";

export const KEY_ROLE_NAMES = ["none", "controller", "operator", "retired"] as const;
export type KeyRoleName = (typeof KEY_ROLE_NAMES)[number];
export const KeyRoleCode = { none: 0, controller: 1, operator: 2, retired: 3 } as const;

/** Where an event sits in the chain. */
export interface Place {
  blockNumber: number;
  transactionHash: string;
  /** Block time, seconds since the epoch. */
  timestamp: number;
}

export interface StatusPeriod extends Place {
  status: IssuerStatusName;
  reason: string;
  by: string;
}

/** How an issuer's controller came to be. */
export type ControllerChangeHow = "registered" | "accepted-transfer" | "recovered-by-accreditor" | "cleared-by-compromise" | "unexplained";

export interface ControllerChange extends Place {
  previous: string | null;
  /** null: the issuer was left without a controller (its controller was declared compromised). */
  controller: string | null;
  how: ControllerChangeHow;
  actor: string;
}

export interface ControlProposal extends Place {
  controller: string;
  /** null: the pending proposal was cancelled. */
  proposed: string | null;
}

export interface OperatorSpan {
  operator: string;
  added: Place & { by: string };
  removed: (Place & { by: string; how: "removed" | "compromised" }) | null;
}

export interface CompromiseDeclaration extends Place {
  key: string;
  since: number;
  actor: string;
  /** What the declarer was to the issuer then. */
  actorRole: "controller" | "accreditor" | "neither";
  /** What the key was to the issuer when declared. */
  keyRole: KeyRoleName;
  /** The cut-off this declaration moved earlier, or null for the first declaration of the key. */
  previousSince: number | null;
}

export interface IssuerState {
  issuerId: string;
  /** Its position in AuditState.issuers. */
  index: number;
  profileId: string;
  registered: Place;
  status: IssuerStatusName;
  statusHistory: StatusPeriod[];
  /** The current controller, or null when it has none. */
  controller: string | null;
  proposed: string | null;
  controllerHistory: ControllerChange[];
  proposals: ControlProposal[];
  /** Current operators, lower-case. */
  operators: Set<string>;
  operatorHistory: OperatorSpan[];
  compromises: CompromiseDeclaration[];
  /** Lower-case root → anchor row. */
  roots: Map<string, number>;
}

export interface KeyState {
  address: string;
  role: KeyRoleName;
  addedAt: number;
  /** 0 unless declared compromised. */
  compromisedSince: number;
}

export interface Finding {
  rule: string;
  subject: string;
  detail: string;
  blockNumber?: number;
  transactionHash?: string;
}

/** Every anchor, a row each. */
export class AnchorTable {
  readonly issuer = new Column(Uint32Array);
  /** The root's hex, as emitted. */
  readonly roots: string[] = [];
  /** Index into AuditState.addresses. */
  readonly actingKey = new Column(Uint32Array);
  /** KeyRoleCode of the acting key when it anchored (0: it was no key of the issuer). */
  readonly role = new Column(Uint8Array);
  readonly blockNumber = new Column(Uint32Array);
  readonly timestamp = new Column(Float64Array);
  readonly count = new Column(Float64Array);
  readonly transaction = new Column(Uint32Array);
  readonly batchRevoked = new Column(Uint8Array);

  get length(): number {
    return this.roots.length;
  }
}

/**
 * Every event, a row each, in chain order. What the fields hold depends on the kind (see the rebuild):
 * `subject` an anchor row or a key, `actor` the acting key, `other` a second key or a bigint's index,
 * `number` a count, a time or a word index, `code` a reason, a status or how a controller changed.
 */
export class Timeline {
  readonly kind = new Column(Uint8Array);
  readonly blockNumber = new Column(Uint32Array);
  readonly logIndex = new Column(Uint32Array);
  readonly transaction = new Column(Uint32Array);
  readonly timestamp = new Column(Float64Array);
  readonly issuer = new Column(Int32Array);
  readonly subject = new Column(Int32Array);
  readonly actor = new Column(Int32Array);
  readonly other = new Column(Int32Array);
  readonly number = new Column(Float64Array);
  readonly code = new Column(Uint8Array);
  /** Masks and keyed nonces (256-bit), referred to by `other`. */
  readonly bigints: bigint[] = [];

  get length(): number {
    return this.kind.length;
  }
}

export interface AuditState {
  issuers: IssuerState[];
  issuerIndex: Map<string, number>;
  /** Lower-case address → index; `addressNames[index]` the address as first emitted. */
  addresses: Interner;
  addressNames: string[];
  transactions: Interner;
  /** Role ids and other rare strings. */
  strings: Interner;
  /** `${issuer index}:${lower-case key}` → the key's state at that issuer. */
  keys: Map<string, KeyState>;
  /** Lower-case key → the issuer index it was first bound to. */
  ownerOfKey: Map<string, number>;
  /** Lower-case accounts holding ACCREDITOR_ROLE now. */
  accreditors: Set<string>;
  anchors: AnchorTable;
  /** Anchor row → word index → bits. */
  revokedWords: Map<number, Map<number, bigint>>;
  suspendedWords: Map<number, Map<number, bigint>>;
  /** `${signer lower-case}:${nonce key}` → next sequence. */
  nonces: Map<string, bigint>;
  timeline: Timeline;
  findings: Finding[];
}

export function emptyState(): AuditState {
  return {
    issuers: [],
    issuerIndex: new Map(),
    addresses: new Interner(),
    addressNames: [],
    transactions: new Interner(),
    strings: new Interner(),
    keys: new Map(),
    ownerOfKey: new Map(),
    accreditors: new Set(),
    anchors: new AnchorTable(),
    revokedWords: new Map(),
    suspendedWords: new Map(),
    nonces: new Map(),
    timeline: new Timeline(),
    findings: [],
  };
}

/** The number of events the state was built from (every event is one timeline row). */
export function eventCount(state: AuditState): number {
  return state.timeline.length;
}
