/**
 * The registry's events (CredentialRegistry 2.x) as the auditor's rebuild takes them: decoded, with their
 * place in the chain and their block's time. Addresses as the decoder gives them (checksummed), ids,
 * roots and hashes as 0x-hex. Events pass through the rebuild one at a time; none is kept as an object.
 */

export interface EventBase {
  blockNumber: number;
  logIndex: number;
  transactionHash: string;
  /** Block time, seconds since the epoch. */
  timestamp: number;
}

export type RegistryEventBody =
  | { kind: "IssuerRegistered"; issuerId: string; profileId: string; controller: string; accreditor: string }
  | { kind: "IssuerStatusChanged"; issuerId: string; previousStatus: number; newStatus: number; reason: number; accreditor: string }
  | { kind: "ControlTransferProposed"; issuerId: string; controller: string; proposedController: string }
  | { kind: "ControllerChanged"; issuerId: string; previousController: string; newController: string; actor: string }
  | { kind: "OperatorAdded" | "OperatorRemoved"; issuerId: string; operator: string; actor: string }
  | { kind: "KeyCompromised"; issuerId: string; key: string; since: number; actor: string }
  | { kind: "NonceUsed"; signer: string; keyNonce: bigint }
  | { kind: "Anchored"; issuerId: string; root: string; actingKey: string; count: number }
  | {
      kind: "CredentialsRevoked" | "CredentialsSuspended" | "CredentialsUnsuspended";
      issuerId: string;
      root: string;
      wordIndex: bigint;
      mask: bigint;
      reason: number;
      actor: string;
    }
  | { kind: "BatchRevoked"; issuerId: string; root: string; reason: number; actor: string }
  | { kind: "RoleGranted" | "RoleRevoked"; role: string; account: string; sender: string };

export type RegistryEvent = EventBase & RegistryEventBody;

export type RegistryEventKind = RegistryEvent["kind"];

/** Every kind, in a fixed order: a timeline row stores its kind as the position here. */
export const EVENT_KINDS = [
  "IssuerRegistered",
  "IssuerStatusChanged",
  "ControlTransferProposed",
  "ControllerChanged",
  "OperatorAdded",
  "OperatorRemoved",
  "KeyCompromised",
  "NonceUsed",
  "Anchored",
  "CredentialsRevoked",
  "CredentialsSuspended",
  "CredentialsUnsuspended",
  "BatchRevoked",
  "RoleGranted",
  "RoleRevoked",
] as const satisfies readonly RegistryEventKind[];

export const KIND_CODE: Readonly<Record<RegistryEventKind, number>> = Object.fromEntries(EVENT_KINDS.map((kind, code) => [kind, code])) as Record<
  RegistryEventKind,
  number
>;
