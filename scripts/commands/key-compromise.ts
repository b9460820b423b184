/**
 * `issuer key compromised <key> --since <time|block>`: the controller or the accreditor declares a key of
 * an issuer compromised since a time T. Anchors that key made at or after T read revoked (reason key
 * compromise), its earlier ones stay valid, and the key can no longer act. A block number stands for that
 * block's time (the theft's block, say). Everything the registry would refuse is refused before sending,
 * with the reason: a time in the future, before the key became one of the issuer's, or no earlier than a
 * cut-off already declared; a signer that is neither the controller nor the accreditor.
 */
import type { Hex } from "../../lib/credential/canonical.js";
import { CommandError } from "../command-errors.js";
import { checkedAddress, checkedTime, isoTime } from "../cli/checked-input.js";
import type { RegistryContext } from "../cli/registry-context.js";
import { KEY_ROLE_NAMES, REGISTER_HINT, resolveIssuer } from "./issuer-identity.js";
import { readRegistry, sendRegistryTransaction, type SentTransaction } from "./transactions.js";

const ZERO_ID = `0x${"0".repeat(64)}`;

export interface KeyCompromiseDeclaration extends SentTransaction {
  issuerId: Hex;
  profileId: string | null;
  key: string;
  /** What the key was to the issuer before the declaration. */
  role: string;
  since: string;
  sinceSeconds: number;
  declaredBy: "controller" | "accreditor";
  /** The key's anchors at or after `since`: they now read revoked. */
  cutOff: Array<{ root: string; anchoredAt: string; count: number }>;
  /** How many of its anchors are from before `since` and stay valid. */
  keptValid: number;
}

export async function declareKeyCompromised(
  context: RegistryContext,
  keyText: string,
  sinceText: string,
  options: { issuer?: string } = {},
): Promise<KeyCompromiseDeclaration> {
  const key = checkedAddress("the key", keyText);
  if (!sinceText) throw new CommandError("missing-since", "--since <ISO time|block number> is required: from when the key was in a thief's hands (the theft's block, or just before it)");
  const sinceArgument = checkedTime("--since", sinceText);
  const { registry } = context;

  let issuerRef = options.issuer;
  if (!issuerRef) {
    // A key belongs to one issuer for good, so the key itself says whose it is.
    const owner = await readRegistry(context, () => registry.issuerOfKey(key));
    if (owner === ZERO_ID) throw new CommandError("unknown-key", `${key} is not a key of any registered issuer; ${REGISTER_HINT}`, 1);
    issuerRef = owner;
  }
  const issuer = await resolveIssuer(context, issuerRef);
  const name = issuer.profileId ?? issuer.issuerId;
  const state = await readRegistry(context, () => registry.getKey(issuer.issuerId, key));
  const role = KEY_ROLE_NAMES[Number(state.role)];
  if (role === "none") throw new CommandError("unknown-key", `${key} has never been a key of issuer ${name}`, 1);

  const latest = await readRegistry(context, () => context.connection.ethers.provider.getBlock("latest"));
  const latestSeconds = latest!.timestamp;
  let since: number;
  if (sinceArgument.kind === "block") {
    if (sinceArgument.blockNumber > latest!.number) {
      throw new CommandError("future-time", `--since block ${sinceArgument.blockNumber} is not mined yet (the latest is ${latest!.number}): a compromise cannot be declared from the future`, 1);
    }
    const block = await readRegistry(context, () => context.connection.ethers.provider.getBlock(sinceArgument.blockNumber));
    since = block!.timestamp;
  } else {
    since = sinceArgument.seconds;
  }
  const now = Math.max(latestSeconds, Math.floor(Date.now() / 1000));
  if (since > now) {
    throw new CommandError("future-time", `--since ${isoTime(since)} is in the future (the chain's time is ${isoTime(latestSeconds)}): a compromise is declared from a time already past`, 1);
  }
  if (since < Number(state.addedAt)) {
    throw new CommandError(
      "before-key-start",
      `--since ${isoTime(since)} is before ${key} became a key of ${name} (${isoTime(state.addedAt)}): nothing it did can be from before then; give that time or later`,
      1,
    );
  }
  if (state.compromisedSince !== 0n && Number(state.compromisedSince) <= since) {
    throw new CommandError(
      "already-declared",
      `${key} is already declared compromised since ${isoTime(state.compromisedSince)}: a new declaration can only move the cut-off earlier`,
      1,
    );
  }

  const signer = context.signer.address;
  const isController = issuer.controller?.toLowerCase() === signer.toLowerCase();
  const isAccreditor = await readRegistry(context, async () => registry.hasRole(await registry.ACCREDITOR_ROLE(), signer));
  if (!isController && !isAccreditor) {
    throw new CommandError("not-controller-or-accreditor", `only the controller ${issuer.controller ?? "(none)"} of ${name} or the accreditor can declare a key compromised; ${signer} is neither (choose the signer with --from)`, 1);
  }
  if (!isAccreditor && issuer.status === "withdrawn") {
    throw new CommandError("issuer-withdrawn", `issuer ${name} is withdrawn: only the accreditor can still declare its keys compromised`, 1);
  }

  const anchors = (await readRegistry(context, () => registry.queryFilter(registry.filters.Anchored(issuer.issuerId))))
    .filter((event) => event.args.actingKey.toLowerCase() === key.toLowerCase());
  const times = await Promise.all(anchors.map(async (event) => (await event.getBlock()).timestamp));
  const sent = await sendRegistryTransaction(context, () => registry.declareKeyCompromised(issuer.issuerId, key, since));
  const cutOff = anchors
    .map((event, position) => ({ root: event.args.root, anchoredAt: isoTime(times[position]), seconds: times[position], count: Number(event.args.count) }))
    .filter((anchor) => anchor.seconds >= since)
    .map(({ root, anchoredAt, count }) => ({ root, anchoredAt, count }));
  return {
    issuerId: issuer.issuerId,
    profileId: issuer.profileId,
    key,
    role,
    since: isoTime(since),
    sinceSeconds: since,
    declaredBy: isController ? "controller" : "accreditor",
    cutOff,
    keptValid: anchors.length - cutOff.length,
    ...sent,
  };
}
