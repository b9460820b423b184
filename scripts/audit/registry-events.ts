/**
 * The registry's logs as lib/audit/audit.ts events: decoded by topic with the contract's own interface, stamped
 * with their block's time. And the contract's views as lib/audit/audit.ts reads them, one by one or batched.
 * (Paging eth_getLogs over long histories belongs to the `audit` command.)
 */
import { toQuantity, type Interface, type Result } from "ethers";
import { decodeFunctionResult, encodeFunctionData, getAbiItem } from "viem";

import type { RegistryEvent, RegistryViews } from "../../lib/audit/audit.js";
import type { Hex } from "../../lib/credential/canonical.js";
import { ISSUER_STATUS_NAMES } from "../../lib/verify/verify.js";
import { CredentialRegistry__factory, type CredentialRegistry } from "../../types/ethers-contracts/index.js";
import { eventDecoder } from "./event-decoder.js";
import { rpcReader, senderOf, type JsonRpcSender, type RpcLog, type RpcRead } from "./rpc.js";
import { inPool, tickBatcher } from "../../lib/chain/tick-batcher.js";

const decodeRegistryLog = eventDecoder(CredentialRegistry__factory.createInterface());

/** Decodes the registry's logs; logs of other contracts or events (roles) are left out. */
export async function decodeRegistryLogs(read: RpcRead, logs: readonly RpcLog[]): Promise<RegistryEvent[]> {
  const times = await blockTimes(read, logs);
  const events: RegistryEvent[] = [];
  for (const log of logs) {
    const parsed = decodeRegistryLog(log);
    if (!parsed) continue;
    const blockNumber = Number(log.blockNumber);
    const base = { blockNumber, logIndex: Number(log.logIndex), transactionHash: log.transactionHash, timestamp: times.get(blockNumber)! };
    const a = parsed.args as Record<string, never>;
    switch (parsed.name) {
      case "IssuerRegistered":
        events.push({ ...base, kind: parsed.name, issuer: a.issuer, profileIdHash: a.profileIdHash, profileId: a.profileId, accreditor: a.accreditor });
        break;
      case "IssuerStatusChanged":
        events.push({ ...base, kind: parsed.name, issuer: a.issuer, previousStatus: Number(a.previousStatus), newStatus: Number(a.newStatus), reason: Number(a.reason), accreditor: a.accreditor });
        break;
      case "OperatorAuthorized":
      case "OperatorRemoved":
        events.push({ ...base, kind: parsed.name, issuer: a.issuer, operator: a.operator });
        break;
      case "Anchored":
        events.push({ ...base, kind: parsed.name, root: a.root, issuer: a.issuer, actor: a.actor, count: Number(a.count) });
        break;
      case "CredentialsRevoked":
      case "CredentialsSuspended":
      case "CredentialsUnsuspended":
        events.push({ ...base, kind: parsed.name, root: a.root, actor: a.actor, wordIndex: a.wordIndex, mask: a.mask, reason: Number(a.reason) });
        break;
      case "BatchRevoked":
        events.push({ ...base, kind: parsed.name, root: a.root, actor: a.actor, reason: Number(a.reason) });
        break;
      case "NonceUsed":
        events.push({ ...base, kind: parsed.name, signer: a.signer, nonce: a.nonce });
        break;
    }
  }
  return events;
}

/**
 * The time of each block that holds a log: from the log itself where the node says it (`blockTimestamp`),
 * else from the block's header, each distinct block once, a few requests at a time.
 */
async function blockTimes(read: RpcRead, logs: readonly RpcLog[]): Promise<Map<number, number>> {
  const times = new Map<number, number>();
  const missing = new Set<number>();
  for (const log of logs) {
    const blockNumber = Number(log.blockNumber);
    if (times.has(blockNumber)) continue;
    // Some nodes fill the field with 0x0 (seen in the wild); no block holding logs is that old.
    if (log.blockTimestamp !== undefined && Number(log.blockTimestamp) > 0) times.set(blockNumber, Number(log.blockTimestamp));
    else missing.add(blockNumber);
  }
  await inPool([...missing], 8, async (blockNumber) => {
    const block = await read<{ timestamp: string } | null>("eth_getBlockByNumber", [toQuantity(blockNumber), false]);
    if (!block) throw new Error(`the node has no block ${blockNumber}, which holds registry logs (was it reorganised away?)`);
    times.set(blockNumber, Number(block.timestamp));
  });
  return times;
}

/** All the registry's events between two blocks, in one query (short histories; the command pages). */
export async function readRegistryEvents(registry: CredentialRegistry, provider: JsonRpcSender, fromBlock = 0, toBlock: number | "latest" = "latest") {
  const read = rpcReader(provider);
  const logs = await read<RpcLog[]>("eth_getLogs", [{ address: await registry.getAddress(), fromBlock: toQuantity(fromBlock), toBlock: toBlock === "latest" ? toBlock : toQuantity(toBlock) }]);
  return decodeRegistryLogs(read, logs);
}

/** The contract's views for lib/audit/audit.ts's cross-check, over ethers, one call each. */
export function ethersRegistryViews(registry: CredentialRegistry): RegistryViews {
  return {
    async getAnchor(root: Hex) {
      const anchor = await registry.getAnchor(root);
      return { issuer: anchor.issuer, anchoredAt: Number(anchor.anchoredAt), count: Number(anchor.count), batchRevoked: anchor.batchRevoked };
    },
    async getIssuer(issuer: string) {
      const record = await registry.getIssuer(issuer);
      return { status: ISSUER_STATUS_NAMES[Number(record.status)], profileIdHash: record.profileIdHash };
    },
    issuerOfOperator: (operator) => registry.issuerOfOperator(operator),
    revocationWord: (root, wordIndex) => registry.revocationWord(root, wordIndex),
    suspensionWord: (root, wordIndex) => registry.suspensionWord(root, wordIndex),
    nonces: (account) => registry.nonces(account),
  };
}

// One-function ABIs: viem looks a function up by name in the ABI it is given, on every call.
const getAnchorsAbi = [getAbiItem({ abi: CredentialRegistry__factory.abi, name: "getAnchors" })];
const bitmapWordsAbi = [getAbiItem({ abi: CredentialRegistry__factory.abi, name: "bitmapWords" })];

/**
 * The same views, with the calls made in one tick gathered into few eth_calls: anchors through the
 * registry's `getAnchors` (2,000 an eth_call, ~8.2 M gas), revocation and suspension words through
 * `bitmapWords` (1,000, ~5.8 M gas), the rest (issuers, operators, nonces: few) through its `multicall`
 * (500, ~4 M gas); all well under nodes' eth_call gas caps. `maxBatch` lowers every batch size (tests); `atBlock` reads the views as they were at that block.
 * The cross-check of 100,000 anchors then costs some sixty round trips, not 100,000. Results are decoded
 * with viem, whose checksummed addresses are cached: ethers' decoder hashes each address anew (~350 µs an
 * anchor here). A registry from before the batch views (version 1.0.0) is read through `multicall` alone.
 */
export function batchedRegistryViews(registry: CredentialRegistry, options: { maxBatch?: number; atBlock?: number } = {}): RegistryViews {
  const maxBatch = options.maxBatch ?? Infinity;
  const read = rpcReader(senderOf(registry.runner));
  const to = registry.target as string;
  // At the audited block: the state the events up to it built, whatever happened since.
  const block = options.atBlock === undefined ? "latest" : toQuantity(options.atBlock);
  const call = (data: string) => read<Hex>("eth_call", [{ to, data }, block]);
  // Two calls in flight: the node works on one while this process encodes or decodes the other.
  const batching = (size: number) => ({ maxBatch: Math.min(size, maxBatch), inFlight: 2 });

  const anchors = tickBatcher(async (roots: Hex[]) => {
    const data = await call(encodeFunctionData({ abi: getAnchorsAbi, functionName: "getAnchors", args: [roots] }));
    return decodeFunctionResult({ abi: getAnchorsAbi, functionName: "getAnchors", data });
  }, batching(2_000));
  const words = tickBatcher(async (refs: Array<{ root: Hex; wordIndex: bigint }>) => {
    const args = [refs.map((ref) => ref.root), refs.map((ref) => ref.wordIndex)] as const;
    const data = await call(encodeFunctionData({ abi: bitmapWordsAbi, functionName: "bitmapWords", args }));
    const [revoked, suspended] = decodeFunctionResult({ abi: bitmapWordsAbi, functionName: "bitmapWords", data });
    return refs.map((_, position) => ({ revoked: revoked[position], suspended: suspended[position] }));
  }, batching(1_000));
  const registryInterface: Interface = registry.interface;
  const others = tickBatcher(async (calls: Array<{ name: string; args: unknown[] }>) => {
    const encoded = calls.map((one) => registryInterface.encodeFunctionData(one.name, one.args));
    const [results] = registryInterface.decodeFunctionResult("multicall", await call(registryInterface.encodeFunctionData("multicall", [encoded])));
    return (results as string[]).map((result, position) => registryInterface.decodeFunctionResult(calls[position].name, result));
  }, batching(500));
  const other = (name: string, args: unknown[]): Promise<Result> => others.ask({ name, args });
  // Asked once: does this registry have the batch views? An empty getAnchors answers if it does.
  let batchViews: Promise<boolean> | undefined;
  const hasBatchViews = () =>
    (batchViews ??= call(encodeFunctionData({ abi: getAnchorsAbi, functionName: "getAnchors", args: [[]] })).then(
      () => true,
      (error: unknown) => {
        // Only a revert means "no such function"; a node that cannot be reached is an error to report.
        if ((error as { code?: string }).code === "CALL_EXCEPTION" || /revert/i.test(String((error as Error)?.message))) return false;
        throw error;
      },
    ));
  const word = async (root: Hex, wordIndex: bigint, kind: "revoked" | "suspended") => {
    if (await hasBatchViews()) return (await words.ask({ root, wordIndex }))[kind];
    return (await other(kind === "revoked" ? "revocationWord" : "suspensionWord", [root, wordIndex]))[0] as bigint;
  };

  return {
    async getAnchor(root: Hex) {
      if (!(await hasBatchViews())) {
        const [anchor] = await other("getAnchor", [root]);
        return { issuer: anchor.issuer, anchoredAt: Number(anchor.anchoredAt), count: Number(anchor.count), batchRevoked: anchor.batchRevoked };
      }
      const anchor = await anchors.ask(root);
      return { issuer: anchor.issuer, anchoredAt: anchor.anchoredAt, count: anchor.count, batchRevoked: anchor.batchRevoked };
    },
    async getIssuer(issuer: string) {
      const [record] = await other("getIssuer", [issuer]);
      return { status: ISSUER_STATUS_NAMES[Number(record.status)], profileIdHash: record.profileIdHash };
    },
    issuerOfOperator: async (operator) => (await other("issuerOfOperator", [operator]))[0] as string,
    revocationWord: (root, wordIndex) => word(root, wordIndex, "revoked"),
    suspensionWord: (root, wordIndex) => word(root, wordIndex, "suspended"),
    nonces: async (account) => (await other("nonces", [account]))[0] as bigint,
  };
}
