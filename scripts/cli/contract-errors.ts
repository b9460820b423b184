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
const SENTENCES: Record<string, (args: Args) => string> = {
  ZeroAddress: () => "an address given is the zero address",
  EmptyProfileId: () => "the profile id is empty",
  IssuerAlreadyRegistered: ([issuer]) => `${issuer} is already a registered issuer`,
  ProfileIdTaken: ([, issuer]) => `that profile id already belongs to issuer ${issuer}`,
  UnknownIssuer: ([issuer]) => `${issuer} is not a registered issuer`,
  InvalidIssuerTransition: ([issuer, from, to]) =>
    `issuer ${issuer} is ${ISSUER_STATUS[Number(from)]} and cannot become ${ISSUER_STATUS[Number(to)]}`,
  IssuerNotActive: ([issuer, status]) => `issuer ${issuer} is ${ISSUER_STATUS[Number(status)]}, not active`,
  NotIssuerOrOperator: ([account]) => `${account} is neither a registered issuer nor an operator of one (choose the signer with --from)`,
  NotIssuer: ([account]) => `${account} is not a registered issuer (choose the issuer's account with --from)`,
  NotIssuerOfRoot: ([account, root, issuer]) => `${account} may not change batch ${root}: it belongs to issuer ${issuer}`,
  AccountIsIssuer: ([account]) => `${account} is a registered issuer and cannot be an operator`,
  AccountIsOperator: ([account, issuer]) => `${account} is already an operator of issuer ${issuer}`,
  NotOperatorOf: ([operator, issuer]) => `${operator} is not an operator of issuer ${issuer}`,
  NotOperator: ([account]) => `${account} is not an operator of any issuer`,
  ZeroRoot: () => "the batch root is zero",
  ZeroCount: () => "the batch is empty",
  CountTooLarge: ([count, max]) => `a batch holds at most ${max} credentials, not ${count}`,
  AlreadyAnchored: ([root, issuer]) => `batch ${root} is already anchored by ${issuer}`,
  UnknownRoot: ([root]) => `batch ${root} was never anchored in this registry`,
  EmptyMask: () => "no credential selected",
  IndexOutOfRange: ([root, , , count]) => `an index is beyond batch ${root}'s ${count} credentials`,
  AlreadyRevoked: () => "every credential selected is already revoked",
  AlreadySuspended: () => "every credential selected is already suspended",
  NotSuspended: () => "no credential selected is suspended",
  BatchAlreadyRevoked: ([root]) => `batch ${root} is already revoked as a whole`,
  ExpiredSignature: ([deadline]) => `the signature expired at ${new Date(Number(deadline) * 1000).toISOString()}`,
  InvalidSignature: ([signer]) => `the signature is not ${signer}'s for this action`,
  InvalidAccountNonce: ([account, nonce]) => `the signature's nonce is used or out of order: ${account}'s next nonce is ${nonce}`,
  AccessControlUnauthorizedAccount: ([account]) => `${account} lacks the role this needs (accreditor or admin)`,
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
  if (isConnectionFailure(error)) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new CommandError("chain-unreachable", `cannot reach network "${networkName}": ${reason}`, 3);
  }
  throw error;
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
