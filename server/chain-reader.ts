/**
 * Reading one registry on one chain with viem: the verification pipeline's RegistryReader, plus what the
 * API shows (anchors, issuers, the issuer's profile id). Reads happen at the chain's configured block tag,
 * or that many confirmations behind the latest block. Concurrent reads travel in one JSON-RPC batch
 * (viem's http transport batching). Any failure throws: the pipeline turns it into `unavailable`.
 */
import { createPublicClient, decodeFunctionResult, encodeFunctionData, getAbiItem, http, parseAbiItem, type Abi, type PublicClient } from "viem";

import type { Hex } from "../lib/canonical.js";
import {
  fromRawCredentialStatus,
  ISSUER_STATUS_NAMES,
  type OnChainCredentialStatus,
  type RawCredentialStatus,
  type RegistryReader,
} from "../lib/verify.js";
import type { ChainConfig } from "./config.js";
import type { Metrics } from "./metrics.js";
import { registryAbi } from "./registry-abi.js";
import { createRpcFetch } from "./rpc-fetch.js";

export interface AnchorRecord {
  issuer: string;
  anchoredAt: number;
  count: number;
  batchRevoked: boolean;
}

export interface IssuerRecord {
  status: (typeof ISSUER_STATUS_NAMES)[number];
  statusReason: number;
  registeredAt: number;
  statusSince: number;
  profileIdHash: Hex;
}

const CHANGE_EVENTS = new Set([
  "Anchored",
  "CredentialsRevoked",
  "CredentialsSuspended",
  "CredentialsUnsuspended",
  "BatchRevoked",
  "IssuerStatusChanged",
  "IssuerRegistered",
]);

// One-function ABIs: viem looks the function up by name in the ABI it is given, on every call.
const credentialStatusAbi = [getAbiItem({ abi: registryAbi, name: "credentialStatus" })] as Abi;
const multicallAbi = [getAbiItem({ abi: registryAbi, name: "multicall" })] as Abi;
/** Views per eth_call through the registry's multicall: well under any node's gas cap for calls. */
const MULTICALL_CHUNK = 500;

const issuerRegistered = parseAbiItem(
  "event IssuerRegistered(address indexed issuer, bytes32 indexed profileIdHash, string profileId, address indexed accreditor)",
);

export class ChainRegistry implements RegistryReader {
  readonly chain: ChainConfig;
  readonly client: PublicClient;
  readonly #metrics: Metrics | undefined;

  constructor(chain: ChainConfig, options: { timeoutMs: number; metrics?: Metrics; client?: PublicClient }) {
    this.chain = chain;
    this.#metrics = options.metrics;
    this.client =
      options.client ??
      createPublicClient({
        transport: http(chain.rpcUrl, { batch: { wait: 2 }, timeout: options.timeoutMs, retryCount: 0, fetchFn: createRpcFetch() }),
      });
  }

  credentialStatus(root: Hex, index: bigint): Promise<OnChainCredentialStatus> {
    return this.#timed("credentialStatus", async () => {
      const status = await this.client.readContract({
        address: this.chain.registry,
        abi: credentialStatusAbi,
        functionName: "credentialStatus",
        args: [root, index],
        ...(await this.#at()),
      });
      return fromRawCredentialStatus(status as RawCredentialStatus);
    });
  }

  /** Many credentials' status in one eth_call each 500, through the registry's own multicall. */
  credentialStatuses(items: ReadonlyArray<{ root: Hex; index: bigint }>): Promise<OnChainCredentialStatus[]> {
    return this.#timed("multicall", async () => {
      const at = await this.#at();
      const chunks: Array<Array<{ root: Hex; index: bigint }>> = [];
      for (let start = 0; start < items.length; start += MULTICALL_CHUNK) chunks.push(items.slice(start, start + MULTICALL_CHUNK));
      const answers = await Promise.all(
        chunks.map(async (chunk) => {
          const calls = chunk.map((item) => encodeFunctionData({ abi: credentialStatusAbi, functionName: "credentialStatus", args: [item.root, item.index] }));
          const results = (await this.client.readContract({ address: this.chain.registry, abi: multicallAbi, functionName: "multicall", args: [calls], ...at })) as Hex[];
          if (results.length !== calls.length) throw new Error(`the node answered ${results.length} of ${calls.length} reads`);
          return results.map((data) =>
            fromRawCredentialStatus(decodeFunctionResult({ abi: credentialStatusAbi, functionName: "credentialStatus", data }) as RawCredentialStatus),
          );
        }),
      );
      return answers.flat();
    });
  }

  anchor(root: Hex): Promise<AnchorRecord | null> {
    return this.#timed("getAnchor", async () => {
      const anchor = (await this.client.readContract({
        address: this.chain.registry,
        abi: registryAbi,
        functionName: "getAnchor",
        args: [root],
        ...(await this.#at()),
      })) as { issuer: string; anchoredAt: number; count: number | bigint; batchRevoked: boolean };
      if (/^0x0{40}$/.test(anchor.issuer)) return null;
      return { issuer: anchor.issuer, anchoredAt: Number(anchor.anchoredAt), count: Number(anchor.count), batchRevoked: anchor.batchRevoked };
    });
  }

  issuer(address: Hex): Promise<IssuerRecord | null> {
    return this.#timed("getIssuer", async () => {
      const record = (await this.client.readContract({
        address: this.chain.registry,
        abi: registryAbi,
        functionName: "getIssuer",
        args: [address],
        ...(await this.#at()),
      })) as { status: number; statusReason: number; registeredAt: number; statusSince: number; profileIdHash: Hex };
      if (Number(record.status) === 0) return null;
      return {
        status: ISSUER_STATUS_NAMES[Number(record.status)],
        statusReason: Number(record.statusReason),
        registeredAt: Number(record.registeredAt),
        statusSince: Number(record.statusSince),
        profileIdHash: record.profileIdHash,
      };
    });
  }

  /** The profile id string the issuer was registered with (the registry keeps only its hash). */
  profileId(issuer: Hex): Promise<string | null> {
    return this.#timed("getLogs", async () => {
      const logs = await this.client.getLogs({
        address: this.chain.registry,
        event: issuerRegistered,
        args: { issuer },
        fromBlock: 0n,
        toBlock: "latest",
      });
      return logs[0]?.args.profileId ?? null;
    });
  }

  /**
   * Calls `onChange` whenever the registry emits an event that changes what a verifier would answer
   * (anchors, revocations, suspensions, issuer status). Polls the node; returns the function that stops.
   */
  watchChanges(onChange: () => void, onError: (error: Error) => void, pollingIntervalMs = 1_000): () => void {
    return this.client.watchContractEvent({
      address: this.chain.registry,
      abi: registryAbi,
      pollingInterval: pollingIntervalMs,
      onLogs: (logs) => {
        if (logs.some((log) => CHANGE_EVENTS.has((log as { eventName?: string }).eventName ?? ""))) onChange();
      },
      onError,
    });
  }

  /** Whether the node answers and the registry's code is there. */
  async ready(): Promise<boolean> {
    const code = await this.#timed("getCode", () => this.client.getCode({ address: this.chain.registry }));
    return code !== undefined && code !== "0x";
  }

  async #at(): Promise<{ blockTag: "latest" | "safe" | "finalized" } | { blockNumber: bigint }> {
    if (this.chain.confirmations === 0) return { blockTag: this.chain.blockTag };
    const latest = await this.client.getBlockNumber({ cacheTime: 1_000 });
    const behind = latest - BigInt(this.chain.confirmations);
    return { blockNumber: behind < 0n ? 0n : behind };
  }

  async #timed<T>(method: string, read: () => Promise<T>): Promise<T> {
    const stop = this.#metrics?.chainReadSeconds.startTimer({ chain_id: String(this.chain.chainId), method });
    try {
      const value = await read();
      stop?.({ outcome: "ok" });
      return value;
    } catch (error) {
      stop?.({ outcome: "error" });
      throw error;
    }
  }
}
