/**
 * `credentials revoke | suspend | unsuspend`: by badge files (read their anchor proofs) or by
 * `--root R --index I`. Credentials of one batch change in one transaction (a multicall of one
 * (word, mask) call per 256-index word); credentials already in the asked state are reported and left out,
 * so a repeated command changes nothing and says so.
 *
 * What a command changes is checked before anything is sent: a badge file's proof must lead from its own
 * content to the root it names (an edited leafIndex would otherwise point at another person's credential),
 * every index must be inside its batch, and every batch's transaction must pass as a call first — so a
 * command naming several batches changes all of them or none.
 */
import { readFile } from "node:fs/promises";

import type { Interface } from "ethers";

import { rootFromProof } from "../../lib/anchor/batch.js";
import { credentialHash, type Hex } from "../../lib/credential/canonical.js";
import { findAnchorProof } from "../../lib/anchor/proof.js";
import { reasonName } from "../../lib/credential/reasons.js";
import { CommandError } from "../command-errors.js";
import type { RegistryContext } from "../cli/registry-context.js";
import { checkedReason } from "../commands/issuer.js";
import { readRegistry, sendRegistryTransaction, type SentTransaction } from "../commands/transactions.js";

export type StatusAction = "revoke" | "suspend" | "unsuspend";

export interface CredentialRef {
  root: Hex;
  index: number;
  source: string;
}

export interface StatusChangeResult {
  action: StatusAction;
  reason: string;
  changed: CredentialRef[];
  unchanged: CredentialRef[];
  transactions: Array<SentTransaction & { root: Hex; count: number }>;
}

/** The (root, index) of each badge file, from its anchor proof, checked to be for this registry. */
export async function credentialRefsFromFiles(context: RegistryContext, files: string[]): Promise<CredentialRef[]> {
  return Promise.all(
    files.map(async (file) => {
      let badge: unknown;
      try {
        badge = JSON.parse(await readFile(file, "utf8"));
      } catch (error) {
        throw new CommandError("bad-badge", `${file}: cannot be read as JSON (${(error as Error).message})`);
      }
      const found = findAnchorProof((badge ?? {}) as { proof?: unknown });
      if (found.kind !== "found") throw new CommandError("no-anchor-proof", `${file}: has no usable anchor proof (${found.kind})`);
      const { proof } = found;
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
      return { root: proof.root, index: proof.leafIndex, source: file };
    }),
  );
}

export function credentialRefFromOptions(root: string, index: string): CredentialRef {
  if (!/^0x[0-9a-fA-F]{64}$/.test(root)) throw new CommandError("bad-root", `--root must be 0x and 64 hex digits, got "${root}"`);
  if (!/^\d+$/.test(index) || !Number.isSafeInteger(Number(index))) throw new CommandError("bad-index", `--index must be a whole number, got "${index}"`);
  return { root: root.toLowerCase() as Hex, index: Number(index), source: `${root}#${index}` };
}

export async function changeCredentialStatus(
  context: RegistryContext,
  action: StatusAction,
  refs: CredentialRef[],
  reasonText: string,
): Promise<StatusChangeResult> {
  if (refs.length === 0) throw new CommandError("no-input", "name badge files, or --root and --index");
  const reason = checkedReason(reasonText);
  const byRoot = new Map<Hex, CredentialRef[]>();
  for (const ref of refs) {
    const batchRefs = byRoot.get(ref.root) ?? [];
    // One credential named twice (as a file and by --index, say) is one change.
    if (!batchRefs.some((known) => known.index === ref.index)) byRoot.set(ref.root, [...batchRefs, ref]);
  }

  const result: StatusChangeResult = { action, reason: reasonName(reason), changed: [], unchanged: [], transactions: [] };
  const planned: Array<{ root: Hex; calls: string[]; count: number }> = [];
  for (const [root, batchRefs] of byRoot) {
    const anchor = await readRegistry(context, () => context.registry.getAnchor(root));
    if (/^0x0{40}$/.test(anchor.issuer)) throw new CommandError("unknown-root", `batch ${root} is not anchored in registry ${context.registryAddress}`);
    const words = new Map<bigint, bigint>();
    let count = 0;
    for (const ref of batchRefs) {
      if (!Number.isSafeInteger(ref.index) || ref.index < 0 || BigInt(ref.index) >= anchor.count) {
        throw new CommandError("index-out-of-range", `${ref.source}: index ${ref.index} is beyond batch ${root}, which holds ${anchor.count} credential(s)`);
      }
      const wordIndex = BigInt(ref.index) >> 8n;
      const bit = 1n << (BigInt(ref.index) & 0xffn);
      const current = await readRegistry(context, () =>
        action === "revoke" ? context.registry.revocationWord(root, wordIndex) : context.registry.suspensionWord(root, wordIndex),
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
    const calls = [...words].map(([wordIndex, mask]) => registryInterface.encodeFunctionData(action, [root, wordIndex, mask, reason]));
    // Tried as a call first: a batch the signer may not change stops the command before any batch changes.
    await readRegistry(context, () => context.registry.multicall.staticCall(calls));
    planned.push({ root, calls, count });
  }
  for (const { root, calls, count } of planned) {
    const sent = await sendRegistryTransaction(context, () => context.registry.multicall(calls));
    result.transactions.push({ ...sent, root, count });
  }
  return result;
}
