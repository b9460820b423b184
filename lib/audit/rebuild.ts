/**
 * Rebuilds the registry's whole state from its events alone, one event at a time in chain order, and
 * notes every rule of the registry (issue 13) an event breaks — whether or not the contract enforces it,
 * since an auditor trusts the logs' story, not the code that wrote them. Events are not kept: each goes
 * into the compact state (state.ts) and one timeline row, so the history can be streamed through.
 *
 * Rules (the `rule` of a finding):
 * - issuer-registered-once, issuer-id-of-profile, issuer-known, by-accreditor (registration, status, recovery)
 * - issuer-status-continuity, issuer-status-transition
 * - key-one-issuer: a key serves one issuer, for good
 * - controller-change-explained: an accepted transfer, a recovery by the accreditor, or a compromise declaration
 * - transfer-by-controller, operator-by-controller, operator-removed-was-operator
 * - compromise-by-controller-or-accreditor, compromise-known-key, compromise-within-key-life,
 *   compromise-only-earlier
 * - anchor-by-key (the controller or an operator of that issuer then), anchor-by-active-issuer, anchor-once,
 *   anchor-count
 * - revoke-by-controller (revoke, revokeBatch), suspend-by-controller-or-anchoring-operator
 * - withdrawn-frozen: after withdrawal nothing changes but by the accreditor
 * - change-of-anchored-root, index-in-batch, change-selects-credentials, change-is-new, unsuspend-suspended,
 *   batch-revoked-once
 * - nonces-in-order: keyed nonces in sequence per (signer, key)
 */
import { issuerIdOfProfile } from "../credential/profile-id.js";
import { reasonName } from "../credential/reasons.js";
import { keccak256Hex } from "../credential/canonical.js";
import { ISSUER_STATUS_NAMES, type IssuerStatusName } from "../verify/verify.js";
import { KIND_CODE, type RegistryEvent } from "./events.js";
import {
  emptyState,
  KeyRoleCode,
  type AuditState,
  type ControllerChangeHow,
  type IssuerState,
  type KeyRoleName,
  type KeyState,
  type Place,
} from "./state.js";

export const ACCREDITOR_ROLE = keccak256Hex(new TextEncoder().encode("ACCREDITOR_ROLE"));
const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
const SEQUENCE_BITS = 64n;
const SEQUENCE_MASK = (1n << SEQUENCE_BITS) - 1n;

/** How a ControllerChanged came about, as the timeline's `code`. */
export const CONTROLLER_CHANGE_HOWS: readonly ControllerChangeHow[] = ["registered", "accepted-transfer", "recovered-by-accreditor", "cleared-by-compromise", "unexplained"];

const lower = (address: string) => address.toLowerCase();

/** Rebuilds the state from events (in any order: they are sorted into chain order first). */
export function rebuildState(events: readonly RegistryEvent[]): AuditState {
  const rebuild = new Rebuild();
  const ordered = [...events].sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
  for (const event of ordered) rebuild.apply(event);
  return rebuild.state;
}

/** The rebuild as a stream: `apply` each event in chain order, then read `state`. */
export class Rebuild {
  readonly state: AuditState = emptyState();
  /** The compromise declared by the event just before, in the same transaction (its follow-ups). */
  private lastCompromise: { transactionHash: string; logIndex: number; issuer: number; key: string; actor: string } | null = null;
  private lastPlace: { blockNumber: number; logIndex: number } | null = null;

  apply(event: RegistryEvent): void {
    const state = this.state;
    if (this.lastPlace && (event.blockNumber < this.lastPlace.blockNumber || (event.blockNumber === this.lastPlace.blockNumber && event.logIndex <= this.lastPlace.logIndex))) {
      this.find(event, "events-in-order", `block ${event.blockNumber}`, `event at log ${event.logIndex} comes after log ${this.lastPlace.logIndex} of block ${this.lastPlace.blockNumber}`);
    }
    this.lastPlace = { blockNumber: event.blockNumber, logIndex: event.logIndex };
    const timeline = state.timeline;
    const row = timeline.kind.push(KIND_CODE[event.kind]);
    timeline.blockNumber.push(event.blockNumber);
    timeline.logIndex.push(event.logIndex);
    timeline.transaction.push(state.transactions.intern(event.transactionHash));
    timeline.timestamp.push(event.timestamp);
    timeline.issuer.push(-1);
    timeline.subject.push(-1);
    timeline.actor.push(-1);
    timeline.other.push(-1);
    timeline.number.push(0);
    timeline.code.push(0);
    this.applyKind(event, row);
    if (event.kind !== "KeyCompromised") this.lastCompromise = null;
  }

  private applyKind(event: RegistryEvent, row: number): void {
    const state = this.state;
    const timeline = state.timeline;
    const place: Place = { blockNumber: event.blockNumber, transactionHash: event.transactionHash, timestamp: event.timestamp };

    switch (event.kind) {
      case "RoleGranted":
      case "RoleRevoked": {
        timeline.other.set(row, state.strings.intern(lower(event.role)));
        timeline.subject.set(row, this.address(event.account));
        timeline.actor.set(row, this.address(event.sender));
        if (lower(event.role) === ACCREDITOR_ROLE) {
          if (event.kind === "RoleGranted") state.accreditors.add(lower(event.account));
          else state.accreditors.delete(lower(event.account));
        }
        return;
      }
      case "IssuerRegistered": {
        timeline.actor.set(row, this.address(event.accreditor));
        timeline.other.set(row, this.address(event.controller));
        const id = lower(event.issuerId);
        if (state.issuerIndex.has(id)) {
          timeline.issuer.set(row, state.issuerIndex.get(id)!);
          return this.find(event, "issuer-registered-once", event.issuerId, "registered a second time");
        }
        if (id !== issuerIdOfProfile(event.profileId).toLowerCase()) {
          this.find(event, "issuer-id-of-profile", event.issuerId, `is not keccak256 of its profile id "${event.profileId}"`);
        }
        this.requireAccreditor(event, event.accreditor, event.issuerId, "registered");
        const issuer: IssuerState = {
          issuerId: event.issuerId,
          index: state.issuers.length,
          profileId: event.profileId,
          registered: place,
          status: "active",
          statusHistory: [{ status: "active", reason: reasonName(0), by: event.accreditor, ...place }],
          controller: event.controller,
          proposed: null,
          controllerHistory: [{ previous: null, controller: event.controller, how: "registered", actor: event.accreditor, ...place }],
          proposals: [],
          operators: new Set(),
          operatorHistory: [],
          compromises: [],
          roots: new Map(),
        };
        state.issuers.push(issuer);
        state.issuerIndex.set(id, issuer.index);
        timeline.issuer.set(row, issuer.index);
        this.checkBindable(event, issuer, event.controller);
        this.bindKey(event, issuer, event.controller, "controller");
        return;
      }
      case "IssuerStatusChanged": {
        timeline.actor.set(row, this.address(event.accreditor));
        timeline.other.set(row, event.previousStatus);
        timeline.number.set(row, event.newStatus);
        timeline.code.set(row, event.reason);
        const issuer = this.issuer(event, event.issuerId, row);
        if (!issuer) return;
        this.requireAccreditor(event, event.accreditor, event.issuerId, "changed the status of");
        const current = issuer.status;
        const from = ISSUER_STATUS_NAMES[event.previousStatus] ?? `status ${event.previousStatus}`;
        const to = (ISSUER_STATUS_NAMES[event.newStatus] ?? "none") as IssuerStatusName;
        if (from !== current) this.find(event, "issuer-status-continuity", event.issuerId, `event says it was ${from}, the history says ${current}`);
        const allowed = (to === "suspended" && current === "active") || (to === "active" && current === "suspended") || (to === "withdrawn" && current !== "withdrawn");
        if (!allowed) this.find(event, "issuer-status-transition", event.issuerId, `${current} cannot become ${to}`);
        issuer.status = to;
        issuer.statusHistory.push({ status: to, reason: reasonName(event.reason), by: event.accreditor, ...place });
        return;
      }
      case "ControlTransferProposed": {
        timeline.actor.set(row, this.address(event.controller));
        const cancelled = lower(event.proposedController) === ZERO_ADDRESS;
        if (!cancelled) timeline.other.set(row, this.address(event.proposedController));
        const issuer = this.issuer(event, event.issuerId, row);
        if (!issuer) return;
        this.requireNotWithdrawn(event, issuer, event.controller);
        if (!issuer.controller || lower(issuer.controller) !== lower(event.controller)) {
          this.find(event, "transfer-by-controller", event.issuerId, `transfer proposed by ${event.controller}, not its controller ${issuer.controller ?? "(none)"}`);
        }
        if (!cancelled) this.checkBindable(event, issuer, event.proposedController);
        issuer.proposed = cancelled ? null : event.proposedController;
        issuer.proposals.push({ controller: event.controller, proposed: cancelled ? null : event.proposedController, ...place });
        return;
      }
      case "ControllerChanged": {
        timeline.actor.set(row, this.address(event.actor));
        timeline.subject.set(row, lower(event.previousController) === ZERO_ADDRESS ? -1 : this.address(event.previousController));
        const cleared = lower(event.newController) === ZERO_ADDRESS;
        if (!cleared) timeline.other.set(row, this.address(event.newController));
        const issuer = this.issuer(event, event.issuerId, row);
        if (!issuer) return;
        const previous = lower(event.previousController) === ZERO_ADDRESS ? null : event.previousController;
        if ((previous === null) !== (issuer.controller === null) || (previous && lower(previous) !== lower(issuer.controller!))) {
          this.find(event, "controller-change-explained", event.issuerId, `event says the controller was ${previous ?? "(none)"}, the history says ${issuer.controller ?? "(none)"}`);
        }
        const compromise = this.lastCompromise;
        let how: ControllerChangeHow;
        if (cleared) {
          const follows = compromise && compromise.transactionHash === event.transactionHash && compromise.logIndex === event.logIndex - 1;
          how = follows && previous && compromise.key === lower(previous) && compromise.actor === lower(event.actor) ? "cleared-by-compromise" : "unexplained";
        } else if (this.isAccreditor(event.actor)) {
          how = "recovered-by-accreditor";
        } else if (issuer.proposed && lower(issuer.proposed) === lower(event.newController) && lower(event.actor) === lower(event.newController)) {
          how = "accepted-transfer";
        } else {
          how = "unexplained";
        }
        if (how === "unexplained") {
          this.find(event, "controller-change-explained", event.issuerId, `controller changed to ${cleared ? "(none)" : event.newController} by ${event.actor}: no accepted transfer, recovery by the accreditor or compromise declaration`);
        }
        if (how === "accepted-transfer") this.requireNotWithdrawn(event, issuer, event.actor);
        if (!cleared) this.checkBindable(event, issuer, event.newController);
        timeline.code.set(row, CONTROLLER_CHANGE_HOWS.indexOf(how));
        if (previous) {
          const key = this.keyOf(issuer, previous);
          if (key && key.role === "controller") key.role = "retired";
        }
        if (!cleared) this.bindKey(event, issuer, event.newController, "controller");
        issuer.controller = cleared ? null : event.newController;
        issuer.proposed = null;
        issuer.controllerHistory.push({ previous, controller: issuer.controller, how, actor: event.actor, ...place });
        return;
      }
      case "OperatorAdded": {
        timeline.subject.set(row, this.address(event.operator));
        timeline.actor.set(row, this.address(event.actor));
        const issuer = this.issuer(event, event.issuerId, row);
        if (!issuer) return;
        this.requireNotWithdrawn(event, issuer, event.actor);
        this.requireController(event, issuer, event.actor, "operator-by-controller", `operator ${event.operator} added`);
        if (issuer.operators.has(lower(event.operator))) this.find(event, "operator-by-controller", event.operator, "added while already an operator");
        this.checkBindable(event, issuer, event.operator);
        this.bindKey(event, issuer, event.operator, "operator");
        issuer.operators.add(lower(event.operator));
        issuer.operatorHistory.push({ operator: event.operator, added: { by: event.actor, ...place }, removed: null });
        return;
      }
      case "OperatorRemoved": {
        timeline.subject.set(row, this.address(event.operator));
        timeline.actor.set(row, this.address(event.actor));
        const issuer = this.issuer(event, event.issuerId, row);
        if (!issuer) return;
        const compromise = this.lastCompromise;
        const byCompromise =
          compromise !== null && compromise.transactionHash === event.transactionHash && compromise.logIndex === event.logIndex - 1 && compromise.key === lower(event.operator) && compromise.actor === lower(event.actor);
        timeline.code.set(row, byCompromise ? 1 : 0);
        if (!byCompromise) {
          this.requireNotWithdrawn(event, issuer, event.actor);
          this.requireController(event, issuer, event.actor, "operator-by-controller", `operator ${event.operator} removed`);
        }
        if (!issuer.operators.has(lower(event.operator))) {
          return this.find(event, "operator-removed-was-operator", event.operator, `removed from ${issuer.profileId}, for which it was no operator`);
        }
        issuer.operators.delete(lower(event.operator));
        const key = this.keyOf(issuer, event.operator);
        if (key) key.role = "retired";
        const open = issuer.operatorHistory.findLast((span) => lower(span.operator) === lower(event.operator) && span.removed === null);
        if (open) open.removed = { by: event.actor, how: byCompromise ? "compromised" : "removed", ...place };
        return;
      }
      case "KeyCompromised": {
        timeline.subject.set(row, this.address(event.key));
        timeline.actor.set(row, this.address(event.actor));
        timeline.number.set(row, event.since);
        const issuer = this.issuer(event, event.issuerId, row);
        if (!issuer) return;
        const byAccreditor = this.isAccreditor(event.actor);
        const byController = issuer.controller !== null && lower(issuer.controller) === lower(event.actor);
        if (!byAccreditor && !byController) {
          this.find(event, "compromise-by-controller-or-accreditor", event.key, `declared compromised by ${event.actor}, neither the controller of ${issuer.profileId} nor an accreditor`);
        }
        if (!byAccreditor) this.requireNotWithdrawn(event, issuer, event.actor);
        const key = this.keyOf(issuer, event.key);
        const keyRole: KeyRoleName = key?.role ?? "none";
        if (!key) this.find(event, "compromise-known-key", event.key, `declared compromised, but it was never a key of ${issuer.profileId}`);
        else {
          if (event.since < key.addedAt || event.since > event.timestamp) {
            this.find(event, "compromise-within-key-life", event.key, `compromised since ${event.since}, outside its life as a key (${key.addedAt} to ${event.timestamp})`);
          }
          if (key.compromisedSince !== 0 && key.compromisedSince <= event.since) {
            this.find(event, "compromise-only-earlier", event.key, `declared compromised since ${event.since}, not earlier than the cut-off already declared (${key.compromisedSince}): that would restore revoked anchors`);
          }
        }
        issuer.compromises.push({
          key: event.key,
          since: event.since,
          actor: event.actor,
          actorRole: byController ? "controller" : byAccreditor ? "accreditor" : "neither",
          keyRole,
          previousSince: key && key.compromisedSince !== 0 ? key.compromisedSince : null,
          ...place,
        });
        if (key) {
          if (key.compromisedSince === 0 || event.since < key.compromisedSince) key.compromisedSince = event.since;
          // The role stays until the follow-up event (OperatorRemoved or ControllerChanged) takes the authority away.
        }
        this.lastCompromise = { transactionHash: event.transactionHash, logIndex: event.logIndex, issuer: issuer.index, key: lower(event.key), actor: lower(event.actor) };
        return;
      }
      case "NonceUsed": {
        timeline.actor.set(row, this.address(event.signer));
        timeline.other.set(row, timeline.bigints.push(event.keyNonce) - 1);
        const owner = state.ownerOfKey.get(lower(event.signer));
        if (owner !== undefined) timeline.issuer.set(row, owner);
        const nonceKey = event.keyNonce >> SEQUENCE_BITS;
        const sequence = event.keyNonce & SEQUENCE_MASK;
        const slot = `${lower(event.signer)}:${nonceKey}`;
        const expected = state.nonces.get(slot) ?? 0n;
        if (sequence !== expected) this.find(event, "nonces-in-order", event.signer, `nonce ${sequence} of key ${nonceKey} used where ${expected} was next`);
        state.nonces.set(slot, sequence + 1n);
        return;
      }
      case "Anchored":
        return this.anchored(event, row);
      case "CredentialsRevoked":
      case "CredentialsSuspended":
      case "CredentialsUnsuspended":
        return this.bits(event, row);
      case "BatchRevoked": {
        timeline.actor.set(row, this.address(event.actor));
        timeline.code.set(row, event.reason);
        const found = this.anchorOf(event, event.issuerId, event.root, row);
        if (!found) return;
        const [issuer, anchor] = found;
        this.requireNotWithdrawn(event, issuer, event.actor);
        this.requireController(event, issuer, event.actor, "revoke-by-controller", `batch ${event.root} revoked`);
        if (state.anchors.batchRevoked.get(anchor)) this.find(event, "batch-revoked-once", event.root, "batch revoked a second time");
        state.anchors.batchRevoked.set(anchor, 1);
        return;
      }
    }
  }

  private anchored(event: Extract<RegistryEvent, { kind: "Anchored" }>, row: number): void {
    const state = this.state;
    const anchors = state.anchors;
    const actor = this.address(event.actingKey);
    state.timeline.actor.set(row, actor);
    state.timeline.number.set(row, event.count);
    const issuer = this.issuer(event, event.issuerId, row);
    if (!issuer) return;
    const rootKey = lower(event.root);
    if (issuer.roots.has(rootKey)) {
      state.timeline.subject.set(row, issuer.roots.get(rootKey)!);
      return this.find(event, "anchor-once", event.root, `anchored a second time by ${issuer.profileId}`);
    }
    if (issuer.status !== "active") this.find(event, "anchor-by-active-issuer", event.root, `anchored while ${issuer.profileId} was ${issuer.status}`);
    if (issuer.status === "withdrawn") this.find(event, "withdrawn-frozen", event.root, `anchored by ${event.actingKey} after ${issuer.profileId} was withdrawn`);
    const isController = issuer.controller !== null && lower(issuer.controller) === lower(event.actingKey);
    const isOperator = issuer.operators.has(lower(event.actingKey));
    if (!isController && !isOperator) {
      this.find(event, "anchor-by-key", event.root, `anchored by ${event.actingKey}, neither the controller nor an operator of ${issuer.profileId} then`);
    }
    const declared = this.keyOf(issuer, event.actingKey)?.compromisedSince ?? 0;
    if (declared !== 0) this.find(event, "anchor-by-key", event.root, `anchored by ${event.actingKey} after it was declared compromised (since ${declared})`);
    if (!(event.count > 0)) this.find(event, "anchor-count", event.root, "anchored with no credential");
    const anchor = anchors.issuer.push(issuer.index);
    anchors.roots.push(event.root);
    anchors.actingKey.push(actor);
    anchors.role.push(isController ? KeyRoleCode.controller : isOperator ? KeyRoleCode.operator : KeyRoleCode.none);
    anchors.blockNumber.push(event.blockNumber);
    anchors.timestamp.push(event.timestamp);
    anchors.count.push(event.count);
    anchors.transaction.push(state.timeline.transaction.get(row));
    anchors.batchRevoked.push(0);
    issuer.roots.set(rootKey, anchor);
    state.timeline.subject.set(row, anchor);
  }

  private bits(event: Extract<RegistryEvent, { kind: "CredentialsRevoked" | "CredentialsSuspended" | "CredentialsUnsuspended" }>, row: number): void {
    const state = this.state;
    const timeline = state.timeline;
    timeline.actor.set(row, this.address(event.actor));
    timeline.code.set(row, event.reason);
    timeline.number.set(row, Number(event.wordIndex));
    timeline.other.set(row, timeline.bigints.push(event.mask) - 1);
    const found = this.anchorOf(event, event.issuerId, event.root, row);
    if (!found) return;
    const [issuer, anchor] = found;
    this.requireNotWithdrawn(event, issuer, event.actor);
    const isController = issuer.controller !== null && lower(issuer.controller) === lower(event.actor);
    if (event.kind === "CredentialsRevoked") {
      if (!isController) this.find(event, "revoke-by-controller", event.root, `revoked by ${event.actor}, not the controller of ${issuer.profileId} ${issuer.controller ?? "(none)"}`);
    } else if (!isController) {
      const anchoredBy = state.addressNames[state.anchors.actingKey.get(anchor)];
      const isAnchoringOperator = lower(anchoredBy) === lower(event.actor) && issuer.operators.has(lower(event.actor));
      if (!isAnchoringOperator) {
        this.find(event, "suspend-by-controller-or-anchoring-operator", event.root, `${event.kind === "CredentialsSuspended" ? "suspended" : "unsuspended"} by ${event.actor}, neither the controller nor the operator that anchored it (${anchoredBy})`);
      }
    }
    if (event.mask === 0n) this.find(event, "change-selects-credentials", event.root, `${event.kind} with an empty mask`);
    const count = state.anchors.count.get(anchor);
    const highest = event.mask === 0n ? -1n : BigInt(event.mask.toString(2).length - 1);
    if (event.mask !== 0n && event.wordIndex * 256n + highest >= BigInt(count)) {
      this.find(event, "index-in-batch", event.root, `${event.kind} of index ${event.wordIndex * 256n + highest} beyond the batch's ${count}`);
    }
    const table = event.kind === "CredentialsRevoked" ? state.revokedWords : state.suspendedWords;
    let words = table.get(anchor);
    if (!words) table.set(anchor, (words = new Map()));
    const wordIndex = Number(event.wordIndex);
    const current = words.get(wordIndex) ?? 0n;
    if (event.kind === "CredentialsUnsuspended") {
      if ((current & event.mask) !== event.mask) this.find(event, "unsuspend-suspended", event.root, "lifted a suspension that was not in place");
      words.set(wordIndex, current & ~event.mask);
    } else {
      if ((current & event.mask) !== 0n) this.find(event, "change-is-new", event.root, `${event.kind} repeats bits already set`);
      words.set(wordIndex, current | event.mask);
    }
  }

  private find(event: { blockNumber: number; transactionHash: string }, rule: string, subject: string, detail: string): void {
    this.state.findings.push({ rule, subject, detail, blockNumber: event.blockNumber, transactionHash: event.transactionHash });
  }

  private address(address: string): number {
    const state = this.state;
    const index = state.addresses.intern(lower(address));
    if (index === state.addressNames.length) state.addressNames.push(address);
    return index;
  }

  private issuer(event: RegistryEvent, issuerId: string, row: number): IssuerState | undefined {
    const index = this.state.issuerIndex.get(lower(issuerId));
    if (index === undefined) {
      this.find(event, "issuer-known", issuerId, `${event.kind} for an issuer never registered`);
      return undefined;
    }
    this.state.timeline.issuer.set(row, index);
    return this.state.issuers[index];
  }

  private anchorOf(event: RegistryEvent, issuerId: string, root: string, row: number): [IssuerState, number] | undefined {
    const issuer = this.issuer(event, issuerId, row);
    if (!issuer) return undefined;
    const anchor = issuer.roots.get(lower(root));
    if (anchor === undefined) {
      this.find(event, "change-of-anchored-root", root, `${event.kind} on a root ${issuer.profileId} never anchored`);
      return undefined;
    }
    this.state.timeline.subject.set(row, anchor);
    return [issuer, anchor];
  }

  private isAccreditor(account: string): boolean {
    return this.state.accreditors.has(lower(account));
  }

  private requireAccreditor(event: RegistryEvent, account: string, issuerId: string, what: string): void {
    if (!this.isAccreditor(account)) this.find(event, "by-accreditor", issuerId, `${what} by ${account}, which held no ACCREDITOR_ROLE then`);
  }

  private requireNotWithdrawn(event: RegistryEvent, issuer: IssuerState, actor: string): void {
    if (issuer.status === "withdrawn" && !this.isAccreditor(actor)) {
      this.find(event, "withdrawn-frozen", issuer.issuerId, `${event.kind} by ${actor} after ${issuer.profileId} was withdrawn`);
    }
  }

  private requireController(event: RegistryEvent, issuer: IssuerState, actor: string, rule: string, what: string): void {
    if (issuer.controller === null || lower(issuer.controller) !== lower(actor)) {
      this.find(event, rule, issuer.issuerId, `${what} by ${actor}, not the controller ${issuer.controller ?? "(none)"}`);
    }
  }

  private keyOf(issuer: IssuerState, address: string): KeyState | undefined {
    return this.state.keys.get(`${issuer.index}:${lower(address)}`);
  }

  /** The contract's _checkBindable: not another issuer's key, not declared compromised. */
  private checkBindable(event: RegistryEvent, issuer: IssuerState, address: string): void {
    const owner = this.state.ownerOfKey.get(lower(address));
    if (owner !== undefined && owner !== issuer.index) {
      this.find(event, "key-one-issuer", address, `made a key of ${issuer.profileId} while a key of ${this.state.issuers[owner].profileId}`);
    }
    const key = this.keyOf(issuer, address);
    if (key && key.compromisedSince !== 0) {
      this.find(event, "key-one-issuer", address, `made a key of ${issuer.profileId} again after being declared compromised since ${key.compromisedSince}`);
    }
  }

  private bindKey(event: RegistryEvent, issuer: IssuerState, address: string, role: KeyRoleName): void {
    const state = this.state;
    if (!state.ownerOfKey.has(lower(address))) state.ownerOfKey.set(lower(address), issuer.index);
    const slot = `${issuer.index}:${lower(address)}`;
    const key = state.keys.get(slot);
    if (key) key.role = role;
    else state.keys.set(slot, { address, role, addedAt: event.timestamp, compromisedSince: 0 });
  }
}
