/**
 * `credentials revoke | suspend | unsuspend`: by badge files (read their anchor proofs) or by
 * `--root R --index I`. Credentials of one batch change in one transaction (a multicall of one
 * (word, mask) call per 256-index word); credentials already in the asked state are reported and left out,
 * so a repeated command changes nothing and says so.
 *
 * Who may do what is checked before anything is sent, with a sentence that says who can: only the
 * issuer's controller revokes; an operator suspends and lifts suspensions of the batches it anchored itself.
 * What a command changes is checked before anything is sent too: a badge file's proof must lead from its own
 * content to the root it names (an edited leafIndex would otherwise point at another person's credential),
 * every index must be inside its batch, and every batch's transaction must pass as a call first — so a
 * command naming several batches changes all of them or none.
 */
import type { Interface } from "ethers";

import { rootFromProof } from "../../lib/anchor/batch.js";
import { credentialHash, type Hex } from "../../lib/credential/canonical.js";
import { issuerIdOfProfile } from "../../lib/credential/profile-id.js";
import { findAnchorProof } from "../../lib/anchor/proof.js";
import { reasonName } from "../../lib/credential/reasons.js";
import { CommandError } from "../command-errors.js";
import { checkedReason } from "../cli/checked-input.js";
import { readJsonFile } from "../cli/read-json.js";
import type { RegistryContext } from "../cli/registry-context.js";
import { KEY_ROLE_NAMES, resolveIssuer, ZERO_ADDRESS, type IssuerIdentity } from "../commands/issuer-identity.js";
import { readRegistry, sendRegistryTransaction, type SentTransaction } from "../commands/transactions.js";

export type StatusAction = "revoke" | "suspend" | "unsuspend";

export interface CredentialRef {
  /** The issuer the batch is anchored for (keccak256 of the badge's issuer.id). */
  issuerId: Hex;
  root: Hex;
  index: number;
  source: string;
}

export interface StatusChangeResult {
  action: StatusAction;
  reason: string;
  changed: CredentialRef[];
  unchanged: CredentialRef[];
  transactions: Array<SentTransaction & { issuerId: Hex; root: Hex; count: number }>;
}

/** The (issuerId, root, index) of each badge file, from its issuer.id and anchor proof, checked to be for this registry. */
export async function credentialRefsFromFiles(context: RegistryContext, files: string[]): Promise<CredentialRef[]> {
  return Promise.all(
    files.map(async (file) => {
      // Strict I-JSON, as everywhere a badge is read: the hash checked below is of the document as its bytes say.
      const badge = await readJsonFile(file, "badge file");
      const found = findAnchorProof((badge ?? {}) as { proof?: unknown });
      if (found.kind !== "found") throw new CommandError("no-anchor-proof", `${file}: has no usable anchor proof (${found.kind})`);
      const { proof } = found;
      const profileId = profileIdIn(badge);
      if (profileId === null) throw new CommandError("no-issuer-id", `${file}: has no issuer.id, so it cannot say which issuer's batch it is in; use --root, --index and --issuer`);
      let proven: boolean;
      try {
        proven = rootFromProof(proof.leafIndex, credentialHash(badge as object), proof.merklePath) === proof.root.toLowerCase();
      } catch {
        proven = false;
      }
      if (!proven) {
        throw new CommandError(
          "tampered-badge",
          `${file}: its content, leaf index and Merkle path do not lead to the root it names — it was altered, so it cannot say which credential it is; use --root and --index`,
        );
      }
      if (proof.chainId !== context.chainId || proof.registry.toLowerCase() !== context.registryAddress.toLowerCase()) {
        throw new CommandError(
          "other-registry",
          `${file}: anchored in registry ${proof.registry} on chain ${proof.chainId}, not in ${context.registryAddress} on chain ${context.chainId}`,
        );
      }
      return { issuerId: issuerIdOfProfile(profileId), root: proof.root.toLowerCase() as Hex, index: proof.leafIndex, source: file };
    }),
  );
}

/** The badge's issuer.id (or its issuer, when that is a string), if it has one. */
function profileIdIn(badge: unknown): string | null {
  const issuer = (badge as { issuer?: unknown } | null)?.issuer;
  const id = typeof issuer === "object" && issuer !== null ? (issuer as { id?: unknown }).id : issuer;
  return typeof id === "string" && id !== "" ? id : null;
}

/** A credential named by `--root` and `--index`, of the issuer `issuerId` (`--issuer`, or the signer's). */
export function credentialRefFromOptions(root: string, index: string, issuerId: Hex): CredentialRef {
  if (!/^0x[0-9a-fA-F]{64}$/.test(root)) throw new CommandError("bad-root", `--root must be 0x and 64 hex digits, got "${root}"`);
  if (!/^\d+$/.test(index) || !Number.isSafeInteger(Number(index))) throw new CommandError("bad-index", `--index must be a whole number, got "${index}"`);
  return { issuerId, root: root.toLowerCase() as Hex, index: Number(index), source: `${root}#${index}` };
}

export async function changeCredentialStatus(
  context: RegistryContext,
  action: StatusAction,
  refs: CredentialRef[],
  reasonText: string,
): Promise<StatusChangeResult> {
  if (refs.length === 0) throw new CommandError("no-input", "name badge files, or --root and --index");
  const reason = checkedReason(reasonText);
  const batches = new Map<string, { issuerId: Hex; root: Hex; refs: CredentialRef[] }>();
  for (const ref of refs) {
    const key = `${ref.issuerId}/${ref.root}`;
    const batch = batches.get(key) ?? { issuerId: ref.issuerId, root: ref.root, refs: [] };
    // One credential named twice (as a file and by --index, say) is one change.
    if (!batch.refs.some((known) => known.index === ref.index)) batch.refs.push(ref);
    batches.set(key, batch);
  }

  const result: StatusChangeResult = { action, reason: reasonName(reason), changed: [], unchanged: [], transactions: [] };
  const planned: Array<{ issuerId: Hex; root: Hex; calls: string[]; count: number }> = [];
  const issuers = new Map<Hex, IssuerIdentity>();
  for (const { issuerId, root, refs: batchRefs } of batches.values()) {
    if (!issuers.has(issuerId)) issuers.set(issuerId, await resolveIssuer(context, issuerId));
    const issuer = issuers.get(issuerId)!;
    const anchor = await readRegistry(context, () => context.registry.getAnchor(issuerId, root));
    const name = issuer.profileId ?? issuerId;
    if (anchor.actingKey === ZERO_ADDRESS) throw new CommandError("unknown-root", `batch ${root} is not anchored for issuer ${name} in registry ${context.registryAddress}`);
    await checkMayChange(context, action, issuer, root, anchor.actingKey);
    const words = new Map<bigint, bigint>();
    let count = 0;
    for (const ref of batchRefs) {
      if (!Number.isSafeInteger(ref.index) || ref.index < 0 || BigInt(ref.index) >= anchor.count) {
        throw new CommandError("index-out-of-range", `${ref.source}: index ${ref.index} is beyond batch ${root}, which holds ${anchor.count} credential(s)`);
      }
      const wordIndex = BigInt(ref.index) >> 8n;
      const bit = 1n << (BigInt(ref.index) & 0xffn);
      if (action === "suspend") {
        // A revoked credential stays revoked: a suspension on top would be a transaction that changes nothing anyone sees.
        const revoked = anchor.batchRevoked || ((await readRegistry(context, () => context.registry.revocationWord(issuerId, root, wordIndex))) & bit) !== 0n;
        if (revoked) {
          throw new CommandError(
            "already-revoked",
            `${ref.source}: credential ${ref.index} of batch ${root} is already revoked${anchor.batchRevoked ? " (the whole batch is)" : ""}, which no suspension changes; nothing was sent`,
          );
        }
      }
      const current = await readRegistry(context, () =>
        action === "revoke" ? context.registry.revocationWord(issuerId, root, wordIndex) : context.registry.suspensionWord(issuerId, root, wordIndex),
      );
      const isSet = (current & bit) !== 0n;
      if (action === "unsuspend" ? !isSet : isSet) {
        result.unchanged.push(ref);
        continue;
      }
      words.set(wordIndex, (words.get(wordIndex) ?? 0n) | bit);
      result.changed.push(ref);
      count++;
    }
    if (words.size === 0) continue;
    const registryInterface: Interface = context.registry.interface;
    const calls = [...words].map(([wordIndex, mask]) => registryInterface.encodeFunctionData(action, [issuerId, root, wordIndex, mask, reason]));
    // Tried as a call first: a batch the signer may not change stops the command before any batch changes.
    await readRegistry(context, () => context.registry.multicall.staticCall(calls));
    planned.push({ issuerId, root, calls, count });
  }
  for (const { issuerId, root, calls, count } of planned) {
    const sent = await sendRegistryTransaction(context, () => context.registry.multicall(calls));
    result.transactions.push({ ...sent, issuerId, root, count });
  }
  return result;
}

/**
 * Refuses, with who could do it instead, a change the registry would refuse: only the controller revokes;
 * an operator suspends and lifts suspensions only of batches it anchored itself.
 */
async function checkMayChange(context: RegistryContext, action: StatusAction, issuer: IssuerIdentity, root: Hex, actingKey: string): Promise<void> {
  const signer = context.signer.address;
  const name = issuer.profileId ?? issuer.issuerId;
  const controller = issuer.controller ?? "(none: the accreditor must recover control first)";
  const key = await readRegistry(context, () => context.registry.getKey(issuer.issuerId, signer));
  const role = KEY_ROLE_NAMES[Number(key.role)];
  if (role === "controller") return;
  if (role !== "operator") {
    const what = role === "retired" ? "a retired key" : "not a key";
    throw new CommandError("not-issuer-key", `${signer} is ${what} of issuer ${name}: only its controller ${controller}${action === "revoke" ? "" : " or the operator that anchored the batch"} can ${action} its credentials (choose the signer with --from)`, 1);
  }
  if (action === "revoke") {
    throw new CommandError("not-controller", `only the controller ${controller} can revoke; operators may suspend (credentials suspend), and the controller makes it permanent`, 1);
  }
  if (actingKey.toLowerCase() !== signer.toLowerCase()) {
    throw new CommandError(
      "not-anchoring-key",
      `operator ${signer} may ${action} only the batches it anchored: batch ${root} of ${name} was anchored by ${actingKey}; ask the controller ${controller}`,
      1,
    );
  }
}
