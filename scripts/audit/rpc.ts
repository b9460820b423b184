/**
 * The audit's reads from the node, as raw JSON-RPC through the connection's provider: ethers' own calls would
 * wrap each of 100,000s of logs in objects and checksum addresses it never needs. Reads change nothing, so a
 * read whose connection dropped (the node closed an idle keep-alive socket just as it went out) is asked
 * again, a few times; a node that is gone then fails the next try with "cannot connect".
 */
import { toQuantity } from "ethers";

import { isDroppedConnection } from "../cli/contract-errors.js";

/** What an ethers provider for a Hardhat network offers (HardhatEthersProvider, JsonRpcProvider). */
export interface JsonRpcSender {
  send(method: string, params: unknown[]): Promise<unknown>;
}

export type RpcRead = <T>(method: string, params: unknown[]) => Promise<T>;

/** A log as eth_getLogs answers it. `blockTimestamp` is recent (2025): Hardhat's node, geth ≥ 1.16, Erigon, Besu give it. */
export interface RpcLog {
  address: string;
  blockNumber: string;
  blockTimestamp?: string;
  logIndex: string;
  transactionHash: string;
  topics: string[];
  data: string;
}

export function rpcReader(sender: JsonRpcSender, retries = 3): RpcRead {
  return async <T>(method: string, params: unknown[]): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return (await sender.send(method, params)) as T;
      } catch (error) {
        if (attempt >= retries || !isDroppedConnection(error)) throw error;
      }
    }
  };
}

/** The provider behind an ethers contract runner (a provider or a signer), for raw reads. */
export function senderOf(runner: { provider?: unknown } | null | undefined): JsonRpcSender {
  const provider = runner?.provider as Partial<JsonRpcSender> | null | undefined;
  if (typeof provider?.send !== "function") throw new Error("the registry's runner has no JSON-RPC provider to read with");
  return provider as JsonRpcSender;
}

/** eth_getLogs of one contract over a block range, for readLogsPaged. */
export function rpcLogSource(read: RpcRead) {
  return {
    getLogs: ({ address, fromBlock, toBlock }: { address: string; fromBlock: number; toBlock: number }) =>
      read<RpcLog[]>("eth_getLogs", [{ address, fromBlock: toQuantity(fromBlock), toBlock: toQuantity(toBlock) }]),
  };
}
