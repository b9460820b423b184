/**
 * Turns a failed registry call into a CommandError a person can act on: the registry's custom error
 * (decoded from the revert data) becomes a sentence; an unreachable node becomes "cannot reach network".
 * Unknown failures are left to propagate, as bugs.
 */
import { Interface } from "ethers";

import { CredentialRegistry__factory } from "../../types/ethers-contracts/index.js";
import { CommandError } from "../command-errors.js";

const registryInterface = new Interface(CredentialRegistry__factory.abi);
const ISSUER_STATUS = ["none", "active", "suspended", "withdrawn"];

type Args = readonly unknown[];
const time = (seconds: unknown) => new Date(Number(seconds) * 1000).toISOString();

/**
 * One sentence per custom error of ICredentialRegistry (and of the OpenZeppelin bases it reverts with),
 * saying what was refused and, where there is one, what to do instead. A test holds this list to the ABI.
 */
export const SENTENCES: Record<string, (args: Args) => string> = {
  ZeroAddress: () => "an address given is the zero address",
  EmptyProfileId: () => "the profile id is empty",
  IssuerAlreadyRegistered: ([issuerId]) => `issuer ${issuerId} is already registered (an identity is registered once; see \`issuer show\`)`,
  UnknownIssuer: ([issuerId]) => `no issuer ${issuerId} is registered; the accreditor registers one with \`issuer register <profile id> --controller <address>\``,
  InvalidIssuerTransition: ([issuerId, from, to]) =>
    `issuer ${issuerId} is ${ISSUER_STATUS[Number(from)]} and cannot become ${ISSUER_STATUS[Number(to)]}`,
  IssuerNotActive: ([issuerId, status]) => `issuer ${issuerId} is ${ISSUER_STATUS[Number(status)]}, not active, so it cannot anchor`,
  IssuerWithdrawn: ([issuerId]) => `issuer ${issuerId} is withdrawn: nothing of it changes any more but by the accreditor`,
  NotController: ([issuerId, account]) => `${account} is not the controller of issuer ${issuerId}: only its controller can do this (choose the signer with --from; see \`issuer show\`)`,
  NotControllerOrAccreditor: ([issuerId, account]) => `${account} is neither the controller of issuer ${issuerId} nor the accreditor: only they can declare a key compromised`,
  NotIssuerKey: ([issuerId, account]) => `${account} is not a key of issuer ${issuerId} (neither its controller nor an operator); choose the signer with --from`,
  NotAnchoringKey: ([issuerId, root, account, actingKey]) =>
    `${account} may not change batch ${root} of issuer ${issuerId}: an operator changes only the batches it anchored (this one was anchored by ${actingKey}); ask the controller`,
  KeyOfAnotherIssuer: ([key, owner]) => `${key} is already a key of issuer ${owner}: a key serves one issuer for good, so use a fresh address`,
  KeyIsController: ([issuerId, key]) => `${key} is already the controller of issuer ${issuerId}`,
  AlreadyOperator: ([issuerId, key]) => `${key} is already an operator of issuer ${issuerId}`,
  NotOperator: ([issuerId, key]) => `${key} is not an operator of issuer ${issuerId}`,
  KeyIsCompromised: ([, key, since]) => `${key} was declared compromised since ${time(since)}: it can never act again; use a fresh key`,
  NotProposedController: ([issuerId, account, proposed]) =>
    /^0x0{40}$/i.test(String(proposed))
      ? `no transfer of control of issuer ${issuerId} is pending: its controller proposes one first with \`issuer transfer --to ${account}\``
      : `${account} is not the proposed controller of issuer ${issuerId}: control was offered to ${proposed}`,
  UnknownKey: ([issuerId, key]) => `${key} has never been a key of issuer ${issuerId}`,
  InvalidCompromiseTime: ([, key, since, earliest, latest]) =>
    `a compromise of ${key} cannot be declared since ${time(since)}: the time must lie between the key's start (${time(earliest)}) and now (${time(latest)})`,
  CompromiseAlreadyDeclared: ([, key, since]) => `${key} is already declared compromised since ${time(since)}: a new declaration can only move the cut-off earlier`,
  ZeroRoot: () => "the batch root is zero",
  ZeroCount: () => "the batch is empty",
  CountTooLarge: ([count, max]) => `a batch holds at most ${max} credentials, not ${count}`,
  AlreadyAnchored: ([issuerId, root]) => `batch ${root} is already anchored for issuer ${issuerId}`,
  UnknownAnchor: ([issuerId, root]) => `issuer ${issuerId} never anchored batch ${root} in this registry`,
  EmptyMask: () => "no credential selected",
  IndexOutOfRange: ([root, , , count]) => `an index is beyond batch ${root}'s ${count} credentials`,
  AlreadyRevoked: () => "every credential selected is already revoked",
  AlreadySuspended: () => "every credential selected is already suspended",
  NotSuspended: () => "no credential selected is suspended",
  BatchAlreadyRevoked: ([, root]) => `batch ${root} is already revoked as a whole`,
  ExpiredSignature: ([deadline]) => `the signature expired at ${time(deadline)}: ask the signer for a new one`,
  InvalidSignature: ([signer]) => `the signature is not ${signer}'s for this action, registry, chain and nonce`,
  InvalidArrayLength: ([expected, actual]) => `the lists given must have the same length (${expected} and ${actual})`,
  InvalidAccountNonce: ([account, nonce]) => `the signature's nonce is used or out of order: ${account}'s next nonce of that key is ${nonce}`,
  AccessControlUnauthorizedAccount: ([account]) => `${account} lacks the role this needs (the accreditor, or the admin): choose the signer with --from`,
  AccessControlBadConfirmation: () => "a role can only be renounced by the account holding it, confirming its own address",
  AddressEmptyCode: ([target]) => `there is no contract at ${target}`,
  FailedCall: () => "a call inside the multicall failed without a reason",
  InvalidShortString: () => "a short string was malformed",
  StringTooLong: () => "a string was too long",
};

/** The registry error a failed call reverted with, if any: its name and arguments. */
export function registryRevert(error: unknown): { name: string; args: Args } | undefined {
  for (const candidate of nestedErrors(error)) {
    const revert = (candidate as { revert?: { name?: string; args?: Args } }).revert;
    if (revert?.name) return { name: revert.name, args: revert.args ?? [] };
    const data = (candidate as { data?: unknown }).data;
    if (typeof data === "string" && data.startsWith("0x") && data.length >= 10) {
      const parsed = registryInterface.parseError(data);
      if (parsed) return { name: parsed.name, args: [...parsed.args] };
    }
  }
  const message = error instanceof Error ? error.message : "";
  const match = /reverted with custom error '(\w+)\(/.exec(message);
  return match ? { name: match[1], args: [] } : undefined;
}

/** A CommandError for a failed registry call; rethrows what is not the user's to fix. */
export function explainFailure(error: unknown, networkName: string): never {
  if (error instanceof CommandError) throw error;
  const revert = registryRevert(error);
  if (revert) {
    const sentence = SENTENCES[revert.name]?.(revert.args) ?? `the registry refused: ${revert.name}(${revert.args.join(", ")})`;
    throw new CommandError(`registry-${kebab(revert.name)}`, sentence, 1);
  }
  if (isConnectionFailure(error)) throw unreachable(networkName, error);
  throw error;
}

/** "cannot reach network …", with what to do: start the local node, or check the network's RPC URL. */
export function unreachable(networkName: string, error: unknown): CommandError {
  const reason = (error instanceof Error ? error.message.split("\n")[0] : String(error)).replace(/^HHE\d+: /, "");
  const next =
    networkName === "localhost"
      ? "is a node running? Start one with `npx hardhat node` in another terminal (or point LOCALHOST_RPC_URL at yours)"
      : `check the network's RPC URL (its configuration variable, such as ${networkName.toUpperCase()}_RPC_URL: \`npx hardhat keystore set ${networkName.toUpperCase()}_RPC_URL\`) and your connection`;
  return new CommandError("chain-unreachable", `cannot reach network "${networkName}": ${reason} — ${next}`, 3);
}

export function isConnectionFailure(error: unknown): boolean {
  return (
    isUnreachable(error) ||
    nestedErrors(error).some((candidate) => {
      const code = (candidate as { code?: unknown }).code;
      const message = candidate instanceof Error ? candidate.message : "";
      return code === "ETIMEDOUT" || /ETIMEDOUT|HHE7\d\d/.test(message);
    })
  );
}

/** The node is not there: the connection is refused, or closed under the request. */
export function isUnreachable(error: unknown): boolean {
  return (
    isDroppedConnection(error) ||
    nestedErrors(error).some((candidate) => {
      const code = (candidate as { code?: unknown }).code;
      const message = candidate instanceof Error ? candidate.message : "";
      return code === "ECONNREFUSED" || /ECONNREFUSED|fetch failed|HHE703|Cannot connect to the network/.test(message);
    })
  );
}

/**
 * A connection that closed under a request (undici's "other side closed", a reset): the node died, or it
 * closed an idle keep-alive socket just as the request went out. Only the second is worth one more try.
 */
export function isDroppedConnection(error: unknown): boolean {
  return nestedErrors(error).some((candidate) => {
    const code = (candidate as { code?: unknown }).code;
    const message = candidate instanceof Error ? candidate.message : "";
    return code === "ECONNRESET" || code === "UND_ERR_SOCKET" || /ECONNRESET|socket hang up|other side closed/.test(message);
  });
}

function nestedErrors(error: unknown): unknown[] {
  const found: unknown[] = [];
  const queue = [error];
  while (queue.length > 0 && found.length < 20) {
    const current = queue.shift();
    if (current === null || typeof current !== "object" || found.includes(current)) continue;
    found.push(current);
    const record = current as { error?: unknown; cause?: unknown; info?: { error?: unknown } };
    queue.push(record.error, record.cause, record.info?.error);
  }
  return found;
}

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}
