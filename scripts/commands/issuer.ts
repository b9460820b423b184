/**
 * The accreditor's and controller's commands on issuer identities: register (a canonical profile id and
 * its controller), suspend / reinstate / withdraw, operators add / remove, and show (the record with its
 * operators and compromised keys rebuilt from the registry's events). Each returns a plain result object;
 * the tasks print it. Key rotation is in control.ts, compromise declarations in key-compromise.ts.
 */
import type { Hex } from "../../lib/credential/canonical.js";
import { issuerIdOfProfile, profileIdProblem } from "../../lib/credential/profile-id.js";
import { reasonName } from "../../lib/credential/reasons.js";
import { CommandError } from "../command-errors.js";
import { checkedAddress, checkedReason, isoTime } from "../cli/checked-input.js";
import type { RegistryContext, RegistryReadContext } from "../cli/registry-context.js";
import { actingIssuer, KEY_ROLE_NAMES, resolveIssuer, ZERO_ADDRESS, type KeyRoleName } from "./issuer-identity.js";
import { readRegistry, sendRegistryTransaction, type SentTransaction } from "./transactions.js";

export { checkedAddress, checkedReason } from "../cli/checked-input.js";

export interface IssuerRegistration extends SentTransaction {
  issuerId: Hex;
  profileId: string;
  controller: string;
  accreditor: string;
}

/**
 * Registers `profileId` with `controller`. A profile id not in canonical form is refused before anything
 * is sent: the registry hashes the bytes it is given, so another spelling would be another identity, and a
 * registration cannot be undone.
 */
export async function registerIssuer(context: RegistryContext, profileId: string, controller: string): Promise<IssuerRegistration> {
  if (profileId.trim() === "") throw new CommandError("missing-profile", "name the issuer's profile id (a DID such as did:web:uni.example, or an https URL)");
  const problem = profileIdProblem(profileId);
  if (problem !== null) throw new CommandError("bad-profile", `the profile id "${profileId}" ${problem}; nothing was sent`);
  if (!controller) throw new CommandError("missing-controller", "--controller <address> is required: the key (a Safe, a hardware wallet) that will control the issuer");
  checkedAddress("--controller", controller);
  const issuerId = issuerIdOfProfile(profileId);
  const sent = await sendRegistryTransaction(context, () => context.registry.registerIssuer(profileId, controller));
  return { issuerId, profileId, controller, accreditor: context.signer.address, ...sent };
}

export type IssuerStatusAction = "suspend" | "reinstate" | "withdraw";

export interface IssuerStatusChange extends SentTransaction {
  issuerId: Hex;
  profileId: string | null;
  action: IssuerStatusAction;
  status: string;
  reason: string;
}

export async function changeIssuerStatus(
  context: RegistryContext,
  action: IssuerStatusAction,
  issuerRef: string,
  reasonText: string,
): Promise<IssuerStatusChange> {
  const reason = checkedReason(reasonText);
  const { issuerId, profileId } = await resolveIssuer(context, issuerRef);
  const call = { suspend: "suspendIssuer", reinstate: "reinstateIssuer", withdraw: "withdrawIssuer" } as const;
  const sent = await sendRegistryTransaction(context, () => context.registry[call[action]](issuerId, reason));
  const status = { suspend: "suspended", reinstate: "active", withdraw: "withdrawn" }[action];
  return { issuerId, profileId, action, status, reason: reasonName(reason), ...sent };
}

export interface OperatorChange extends SentTransaction {
  issuerId: Hex;
  profileId: string;
  operator: string;
  action: "add" | "remove";
}

/** Adds or removes an operator of the issuer the signer controls (`--issuer`, else the signer's own). */
export async function changeOperator(
  context: RegistryContext,
  action: "add" | "remove",
  operator: string,
  options: { issuer?: string } = {},
): Promise<OperatorChange> {
  checkedAddress("the operator", operator);
  const acting = await actingIssuer(context, { issuer: options.issuer, mustBeActive: false });
  if (acting.role !== "controller") {
    throw new CommandError("not-controller", `only the controller ${acting.controller ?? "(none)"} of ${acting.profileId} can ${action} operators; ${context.signer.address} is an operator (choose the signer with --from)`, 1);
  }
  const sent = await sendRegistryTransaction(context, () =>
    action === "add" ? context.registry.addOperator(acting.issuerId, operator) : context.registry.removeOperator(acting.issuerId, operator),
  );
  return { issuerId: acting.issuerId, profileId: acting.profileId, operator, action, ...sent };
}

export interface CompromisedKey {
  key: string;
  since: string;
  declaredBy: string;
}

export interface IssuerReport {
  issuerId: Hex;
  profileId: string | null;
  controller: string | null;
  proposedController: string | null;
  status: string;
  statusReason: string;
  statusSince: string;
  registeredAt: string;
  operators: string[];
  compromisedKeys: CompromisedKey[];
  /** When asked about a key (an address): what that key is to the issuer. */
  key: { address: string; role: KeyRoleName } | null;
}

/** The issuer's record, its pending controller, and its operators and compromised keys rebuilt from events. */
export async function showIssuer(context: RegistryReadContext, issuerRef: string): Promise<IssuerReport> {
  const identity = await resolveIssuer(context, issuerRef);
  const { registry } = context;
  const { issuerId } = identity;
  return readRegistry(context, async () => {
    const proposed = await registry.proposedController(issuerId);
    const changes = [
      ...(await registry.queryFilter(registry.filters.OperatorAdded(issuerId))),
      ...(await registry.queryFilter(registry.filters.OperatorRemoved(issuerId))),
    ].sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
    const operators = new Set<string>();
    for (const change of changes) {
      if (change.eventName === "OperatorAdded") operators.add(change.args.operator);
      else operators.delete(change.args.operator);
    }
    // A later declaration can only move a key's cut-off earlier: the last one per key is in force.
    const compromised = new Map<string, CompromisedKey>();
    for (const event of await registry.queryFilter(registry.filters.KeyCompromised(issuerId))) {
      compromised.set(event.args.key, { key: event.args.key, since: isoTime(event.args.since), declaredBy: event.args.actor });
    }
    const asKey = /^0x[0-9a-fA-F]{40}$/.test(issuerRef.trim()) ? issuerRef.trim() : null;
    const keyRole = asKey === null ? null : KEY_ROLE_NAMES[Number((await registry.getKey(issuerId, asKey)).role)];
    return {
      issuerId,
      profileId: identity.profileId,
      controller: identity.controller,
      proposedController: proposed === ZERO_ADDRESS ? null : proposed,
      status: identity.status,
      statusReason: reasonName(identity.statusReason),
      statusSince: isoTime(identity.statusSince),
      registeredAt: isoTime(identity.registeredAt),
      operators: [...operators],
      compromisedKeys: [...compromised.values()],
      key: asKey === null || keyRole === null ? null : { address: asKey, role: keyRole },
    };
  });
}
