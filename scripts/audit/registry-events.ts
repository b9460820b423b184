/**
 * The registry's logs as lib/audit events: decoded by topic with the contract's own interface, stamped
 * with their block's time. And the contract's batch views as lib/audit's cross-check reads them, at the
 * audited block. (Paging eth_getLogs over long histories belongs to the `audit` command.)
 */
import { toQuantity } from "ethers";
import { decodeFunctionResult, encodeFunctionData, type Abi } from "viem";

import type { RegistryEvent, RegistryViews } from "../../lib/audit/audit.js";
import type { Hex } from "../../lib/credential/canonical.js";
import { inPool } from "../../lib/chain/tick-batcher.js";
import { CredentialRegistry__factory, type CredentialRegistry } from "../../types/ethers-contracts/index.js";
import { eventDecoder } from "./event-decoder.js";
import { rpcReader, senderOf, type JsonRpcSender, type RpcLog, type RpcRead } from "./rpc.js";

const decodeRegistryLog = eventDecoder(CredentialRegistry__factory.createInterface());

/** Decodes the registry's logs in order; logs of other events (EIP712DomainChanged, RoleAdminChanged) are left out. */
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
        events.push({ ...base, kind: parsed.name, issuerId: a.issuerId, profileId: a.profileId, controller: a.controller, accreditor: a.accreditor });
        break;
      case "IssuerStatusChanged":
        events.push({ ...base, kind: parsed.name, issuerId: a.issuerId, previousStatus: Number(a.previousStatus), newStatus: Number(a.newStatus), reason: Number(a.reason), accreditor: a.accreditor });
        break;
      case "ControlTransferProposed":
        events.push({ ...base, kind: parsed.name, issuerId: a.issuerId, controller: a.controller, proposedController: a.proposedController });
        break;
      case "ControllerChanged":
        events.push({ ...base, kind: parsed.name, issuerId: a.issuerId, previousController: a.previousController, newController: a.newController, actor: a.actor });
        break;
      case "OperatorAdded":
      case "OperatorRemoved":
        events.push({ ...base, kind: parsed.name, issuerId: a.issuerId, operator: a.operator, actor: a.actor });
        break;
      case "KeyCompromised":
        events.push({ ...base, kind: parsed.name, issuerId: a.issuerId, key: a.key, since: Number(a.since), actor: a.actor });
        break;
      case "NonceUsed":
        events.push({ ...base, kind: parsed.name, signer: a.signer, keyNonce: a.keyNonce });
        break;
      case "Anchored":
        events.push({ ...base, kind: parsed.name, issuerId: a.issuerId, root: a.root, actingKey: a.actingKey, count: Number(a.count) });
        break;
      case "CredentialsRevoked":
      case "CredentialsSuspended":
      case "CredentialsUnsuspended":
        events.push({ ...base, kind: parsed.name, issuerId: a.issuerId, root: a.root, wordIndex: a.wordIndex, mask: a.mask, reason: Number(a.reason), actor: a.actor });
        break;
      case "BatchRevoked":
        events.push({ ...base, kind: parsed.name, issuerId: a.issuerId, root: a.root, reason: Number(a.reason), actor: a.actor });
        break;
      case "RoleGranted":
      case "RoleRevoked":
        events.push({ ...base, kind: parsed.name, role: a.role, account: a.account, sender: a.sender });
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

// One-function ABIs: viem looks a function up by name in the ABI it is given, on every call.
const abiOf = (name: string, inputs?: number): Abi =>
  (CredentialRegistry__factory.abi as Abi).filter((item) => item.type === "function" && item.name === name && (inputs === undefined || item.inputs.length === inputs));
const ABIS = {
  getIssuers: abiOf("getIssuers"),
  getKeys: abiOf("getKeys"),
  getAnchors: abiOf("getAnchors"),
  bitmapWords: abiOf("bitmapWords"),
  proposedController: abiOf("proposedController"),
  nonces: abiOf("nonces", 2),
  multicall: abiOf("multicall"),
};

/**
 * The registry's views for the cross-check, as raw eth_calls at `atBlock` (the audited block: the state
 * the events up to it built, whatever happened since): the batch views take the arrays lib/audit gives
 * (2,000 anchors an eth_call, ~8 M gas; 1,000 words), the few one-item views (proposed controllers,
 * nonces) go through the registry's `multicall`. Results are decoded with viem, whose checksummed
 * addresses are cached (ethers' decoder hashes each address anew).
 */
export function registryViews(registry: CredentialRegistry, options: { atBlock?: number } = {}): RegistryViews {
  const read = rpcReader(senderOf(registry.runner));
  const to = registry.target as string;
  const block = options.atBlock === undefined ? "latest" : toQuantity(options.atBlock);
  const call = async (abi: Abi, functionName: string, args: readonly unknown[]) => {
    const data = await read<Hex>("eth_call", [{ to, data: encodeFunctionData({ abi, functionName, args }) }, block]);
    return decodeFunctionResult({ abi, functionName, data }) as unknown;
  };
  const multicall = async (abi: Abi, functionName: string, argsList: ReadonlyArray<readonly unknown[]>) => {
    const results: unknown[] = [];
    for (let start = 0; start < argsList.length; start += 500) {
      const chunk = argsList.slice(start, start + 500);
      const answers = (await call(ABIS.multicall, "multicall", [chunk.map((args) => encodeFunctionData({ abi, functionName, args }))])) as Hex[];
      for (const data of answers) results.push(decodeFunctionResult({ abi, functionName, data }));
    }
    return results;
  };
  type IssuerRecord = { controller: string; status: number; statusReason: number; statusSince: number; registeredAt: number };
  type KeyRecord = { role: number; addedAt: number; compromisedSince: number };
  type AnchorRecord = { actingKey: string; anchoredAt: number; count: number; batchRevoked: boolean };
  return {
    getIssuers: async (issuerIds) => (await call(ABIS.getIssuers, "getIssuers", [issuerIds])) as IssuerRecord[],
    proposedControllers: async (issuerIds) => (await multicall(ABIS.proposedController, "proposedController", issuerIds.map((id) => [id]))) as string[],
    getKeys: async (issuerIds, keys) => (await call(ABIS.getKeys, "getKeys", [issuerIds, keys])) as KeyRecord[],
    getAnchors: async (issuerIds, roots) => (await call(ABIS.getAnchors, "getAnchors", [issuerIds, roots])) as AnchorRecord[],
    bitmapWords: async (issuerIds, roots, wordIndices) => {
      const [revoked, suspended] = (await call(ABIS.bitmapWords, "bitmapWords", [issuerIds, roots, wordIndices])) as [bigint[], bigint[]];
      return { revoked, suspended };
    },
    nonces: async (signers, keys) => (await multicall(ABIS.nonces, "nonces", signers.map((signer, position) => [signer, keys[position]]))) as bigint[],
  };
}
