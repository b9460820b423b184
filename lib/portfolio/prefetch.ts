/**
 * Reading ahead: every registry read that verifying some credentials will make (their anchors and every
 * reference of their stack trees, portfolio.ts's chainReadsOf) is made at once — one batched read per
 * registry — and the pipelines then find the answers there instead of asking one by one. Used by the
 * service (portfolios, stacks) and by the commands that verify several badges.
 */
import type { Hex } from "../credential/canonical.js";
import { chainReadKey, chainReadsOf } from "./portfolio.js";
import { findStack } from "../stack/stack.js";
import type { OnChainCredentialStatus, RegistryReader, VerifyOptions } from "../verify/verify.js";

type ReaderFor = VerifyOptions["readerFor"];

/**
 * A `readerFor` answering from reads made beforehand, falling back to `readerFor`'s own readers for anything
 * else. A registry with fewer than two reads to make is not read ahead; a failed read-ahead is not final
 * (the pipelines then ask, fail, and say `unavailable`).
 */
export async function readAhead(credentials: readonly unknown[], readerFor: ReaderFor): Promise<ReaderFor> {
  // One credential that stacks nothing reads the chain once: nothing to read ahead (and its anchor proof
  // need not be parsed twice).
  if (credentials.length === 1 && !stacksSomething(credentials[0])) return readerFor;
  const known = new Map<string, OnChainCredentialStatus>();
  const byRegistry = new Map<string, ReturnType<typeof chainReadsOf>>();
  for (const read of chainReadsOf(credentials)) {
    const registryKey = `${read.chainId}:${read.registry}`;
    byRegistry.set(registryKey, [...(byRegistry.get(registryKey) ?? []), read]);
  }
  await Promise.all(
    [...byRegistry.values()].map(async (reads) => {
      const reader = readerFor(reads[0].chainId, reads[0].registry);
      if (!reader?.credentialStatuses || reads.length < 2) return;
      const answers = await reader.credentialStatuses(reads).catch(() => undefined);
      answers?.forEach((answer, position) => known.set(chainReadKey(reads[position]), answer));
    }),
  );
  return (chainId, registry) => {
    const live = readerFor(chainId, registry);
    if (!live) return undefined;
    const find = (issuerId: Hex, root: Hex, index: bigint) => known.get(chainReadKey({ chainId, registry, issuerId, root, index }));
    const reader: RegistryReader = {
      credentialStatus: (issuerId, root, index) => {
        const status = find(issuerId, root, index);
        return status ? Promise.resolve(status) : live.credentialStatus(issuerId, root, index);
      },
    };
    if (live.credentialStatuses) {
      const many = live.credentialStatuses.bind(live);
      reader.credentialStatuses = async (items) => {
        const statuses = items.map((item) => find(item.issuerId, item.root, item.index));
        return statuses.every((status) => status !== undefined) ? (statuses as OnChainCredentialStatus[]) : many(items);
      };
    }
    return reader;
  };
}

function stacksSomething(credential: unknown): boolean {
  return credential !== null && typeof credential === "object" && findStack(credential as { evidence?: unknown }).kind !== "none";
}
