/**
 * `credentials revoke | suspend | unsuspend`: by badge files (read their anchor proofs) or by
 * `--root R --index I`. Credentials of one batch change in one transaction (a multicall of one
 * (word, mask) call per 256-index word); credentials already in the asked state are reported and left out,
 * so a repeated command changes nothing and says so.
 */
import { readFile } from "node:fs/promises";

import type { Interface } from "ethers";

import type { Hex } from "../../lib/canonical.js";
import { findAnchorProof } from "../../lib/proof.js";
import { reasonName } from "../../lib/reasons.js";
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
  if (!/^\d+$/.test(index)) throw new CommandError("bad-index", `--index must be a whole number, got "${index}"`);
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
  for (const ref of refs) byRoot.set(ref.root, [...(byRoot.get(ref.root) ?? []), ref]);

  const result: StatusChangeResult = { action, reason: reasonName(reason), changed: [], unchanged: [], transactions: [] };
  for (const [root, batchRefs] of byRoot) {
    const words = new Map<number, bigint>();
    for (const ref of batchRefs) {
      const current = await readRegistry(context, () =>
        action === "revoke" ? context.registry.revocationWord(root, ref.index >> 8) : context.registry.suspensionWord(root, ref.index >> 8),
      );
      const bit = 1n << BigInt(ref.index & 0xff);
      const isSet = (current & bit) !== 0n;
      if (action === "unsuspend" ? !isSet : isSet) {
        result.unchanged.push(ref);
        continue;
      }
      words.set(ref.index >> 8, (words.get(ref.index >> 8) ?? 0n) | bit);
      result.changed.push(ref);
    }
    if (words.size === 0) continue;
    const registryInterface: Interface = context.registry.interface;
    const calls = [...words].map(([wordIndex, mask]) => registryInterface.encodeFunctionData(action, [root, wordIndex, mask, reason]));
    const sent = await sendRegistryTransaction(context, () => context.registry.multicall(calls));
    result.transactions.push({ ...sent, root, count: batchRefs.length - batchRefs.filter((ref) => result.unchanged.includes(ref)).length });
  }
  return result;
}
