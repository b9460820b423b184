/**
 * The accreditor's and issuer's commands on issuers and operators: register, suspend, reinstate,
 * withdraw, operators add / remove, and show. Each returns a plain result object; the tasks print it.
 */
import { isAddress, keccak256, toUtf8Bytes } from "ethers";

import { uri } from "../../lib/credential/credential.js";
import { reasonCode, reasonName, UnknownReasonError } from "../../lib/credential/reasons.js";
import { ISSUER_STATUS_NAMES } from "../../lib/verify/verify.js";
import { CommandError } from "../command-errors.js";
import type { RegistryContext } from "../cli/registry-context.js";
import { readRegistry, sendRegistryTransaction, type SentTransaction } from "./transactions.js";

export function checkedAddress(what: string, value: string): string {
  if (!isAddress(value)) throw new CommandError("invalid-address", `${what} must be an address (0x and 40 hex digits), got "${value}"`);
  return value;
}

export function checkedReason(text: string): number {
  try {
    return reasonCode(text);
  } catch (error) {
    if (error instanceof UnknownReasonError) throw new CommandError("unknown-reason", error.message);
    throw error;
  }
}

export interface IssuerRegistration extends SentTransaction {
  issuer: string;
  profileId: string;
  accreditor: string;
}

export async function registerIssuer(context: RegistryContext, issuer: string, profileId: string): Promise<IssuerRegistration> {
  checkedAddress("the issuer", issuer);
  if (profileId.trim() === "") throw new CommandError("missing-profile", "--profile must give the issuer's profile id (a DID or an https URL)");
  // Every badge the issuer anchors carries it as issuer.id, which Open Badges 3.0 types as a URI: a profile
  // id that is not one would make every such badge malformed, and a registration cannot be undone.
  if (!uri.safeParse(profileId).success) {
    throw new CommandError("bad-profile", `--profile must be an absolute URI (a DID such as did:web:uni.example, or an https:// URL), got "${profileId}"`);
  }
  const sent = await sendRegistryTransaction(context, () => context.registry.registerIssuer(issuer, profileId));
  return { issuer, profileId, accreditor: context.signer.address, ...sent };
}

export type IssuerStatusAction = "suspend" | "reinstate" | "withdraw";

export interface IssuerStatusChange extends SentTransaction {
  issuer: string;
  action: IssuerStatusAction;
  status: string;
  reason: string;
}

export async function changeIssuerStatus(
  context: RegistryContext,
  action: IssuerStatusAction,
  issuer: string,
  reasonText: string,
): Promise<IssuerStatusChange> {
  checkedAddress("the issuer", issuer);
  const reason = checkedReason(reasonText);
  const call = { suspend: "suspendIssuer", reinstate: "reinstateIssuer", withdraw: "withdrawIssuer" } as const;
  const sent = await sendRegistryTransaction(context, () => context.registry[call[action]](issuer, reason));
  const status = { suspend: "suspended", reinstate: "active", withdraw: "withdrawn" }[action];
  return { issuer, action, status, reason: reasonName(reason), ...sent };
}

export interface OperatorChange extends SentTransaction {
  issuer: string;
  operator: string;
  action: "add" | "remove";
}

export async function changeOperator(context: RegistryContext, action: "add" | "remove", operator: string): Promise<OperatorChange> {
  checkedAddress("the operator", operator);
  const sent = await sendRegistryTransaction(context, () =>
    action === "add" ? context.registry.authorizeOperator(operator) : context.registry.removeOperator(operator),
  );
  return { issuer: context.signer.address, operator, action, ...sent };
}

export interface IssuerReport {
  address: string;
  registered: boolean;
  profileId: string | null;
  profileIdHash: string;
  status: string;
  statusReason: string;
  registeredAt: string | null;
  statusSince: string | null;
  operators: string[];
  operatorOf: string | null;
}

/** The issuer's record, with its profile id and current operators rebuilt from the registry's events. */
export async function showIssuer(context: RegistryContext, address: string): Promise<IssuerReport> {
  checkedAddress("the issuer", address);
  const { registry } = context;
  return readRegistry(context, async () => {
    const record = await registry.getIssuer(address);
    const operatorOf = await registry.issuerOfOperator(address);
    const registered = record.status !== 0n;
    let profileId: string | null = null;
    const operators = new Set<string>();
    if (registered) {
      profileId = await registeredProfileId(context, address, record.profileIdHash);
      const changes = [
        ...(await registry.queryFilter(registry.filters.OperatorAuthorized(address))),
        ...(await registry.queryFilter(registry.filters.OperatorRemoved(address))),
      ].sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
      for (const change of changes) {
        if (change.eventName === "OperatorAuthorized") operators.add(change.args.operator);
        else operators.delete(change.args.operator);
      }
    }
    const time = (seconds: bigint) => (registered ? new Date(Number(seconds) * 1000).toISOString() : null);
    return {
      address,
      registered,
      profileId,
      profileIdHash: record.profileIdHash,
      status: ISSUER_STATUS_NAMES[Number(record.status)],
      statusReason: reasonName(Number(record.statusReason)),
      registeredAt: time(record.registeredAt),
      statusSince: time(record.statusSince),
      operators: [...operators],
      operatorOf: operatorOf === "0x0000000000000000000000000000000000000000" ? null : operatorOf,
    };
  });
}

/** The profile id string an issuer was registered with (the registry stores its hash; the event has it). */
export async function registeredProfileId(context: RegistryContext, issuer: string, profileIdHash: string): Promise<string | null> {
  const [registration] = await context.registry.queryFilter(context.registry.filters.IssuerRegistered(issuer));
  const profileId = registration?.args.profileId ?? null;
  return profileId !== null && keccak256(toUtf8Bytes(profileId)) === profileIdHash ? profileId : null;
}

export interface ActingIssuer {
  issuer: string;
  profileId: string;
  viaOperator: boolean;
}

/** The active issuer the signer acts for (itself or as its operator), or a clear refusal. */
export async function actingIssuer(context: RegistryContext, options: { mustBeActive?: boolean } = {}): Promise<ActingIssuer> {
  const signer = context.signer.address;
  return readRegistry(context, async () => {
    const own = await context.registry.getIssuer(signer);
    const issuer = own.status !== 0n ? signer : await context.registry.issuerOfOperator(signer);
    if (issuer === "0x0000000000000000000000000000000000000000") {
      throw new CommandError("not-issuer", `${signer} is neither a registered issuer nor an operator of one (choose the signer with --from)`, 1);
    }
    const record = issuer === signer ? own : await context.registry.getIssuer(issuer);
    const status = ISSUER_STATUS_NAMES[Number(record.status)];
    if (status !== "active" && options.mustBeActive !== false) throw new CommandError("issuer-not-active", `issuer ${issuer} is ${status}, so it cannot anchor`, 1);
    const profileId = await registeredProfileId(context, issuer, record.profileIdHash);
    if (profileId === null) throw new CommandError("no-profile", `the registration event of issuer ${issuer} was not found on this node`, 1);
    if (!uri.safeParse(profileId).success) {
      throw new CommandError("bad-profile", `issuer ${issuer} is registered with the profile id "${profileId}", which is not an absolute URI: every badge issued under it would be malformed`, 1);
    }
    return { issuer, profileId, viaOperator: issuer !== signer };
  });
}
