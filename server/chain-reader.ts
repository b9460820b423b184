/**
 * Reading one registry on one chain with viem: the verification pipeline's RegistryReader, plus what the
 * API shows (anchors, issuers, the issuer's profile id). Reads happen at the chain's configured block tag,
 * or that many confirmations behind the latest block. Concurrent credential-status reads — those of
 * concurrent verifications — travel together in one eth_call of the registry's multicall (see
 * credentialStatus); no JSON-RPC batching on top, whose wait would only add latency. Any failure throws:
 * the pipeline turns it into `unavailable`.
 */
import { createPublicClient, http, numberToHex, parseAbiItem, type PublicClient } from "viem";

import type { Hex } from "../lib/credential/canonical.js";
import { tickBatcher } from "../lib/chain/tick-batcher.js";
import {
  ISSUER_STATUS_NAMES,
  type OnChainCredentialStatus,
  type RegistryReader,
} from "../lib/verify/verify.js";
import type { ChainConfig } from "./config.js";
import type { Metrics } from "./metrics.js";
import { registryAbi } from "./registry-abi.js";
import { createRpcFetch } from "./rpc-fetch.js";
import { decodeStatusMulticall, encodeStatusMulticall, statusReadProblem } from "./status-codec.js";

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

/** Views per eth_call through the registry's multicall: well under any node's gas cap for calls. */
const MULTICALL_CHUNK = 500;
/** Longest a credential-status read waits for the eth_call already out to come back before going anyway. */
const QUEUE_MAX_WAIT_MS = 10;

const issuerRegistered = parseAbiItem(
  "event IssuerRegistered(address indexed issuer, bytes32 indexed profileIdHash, string profileId, address indexed accreditor)",
);

export class ChainRegistry implements RegistryReader {
  readonly chain: ChainConfig;
  readonly client: PublicClient;
  readonly #metrics: Metrics | undefined;
  readonly #statusReads = tickBatcher((reads: Array<{ root: Hex; index: bigint }>) => this.credentialStatuses(reads), {
    maxBatch: MULTICALL_CHUNK,
    inFlight: 1,
    holdWhileBusyMs: QUEUE_MAX_WAIT_MS,
  });

  constructor(chain: ChainConfig, options: { timeoutMs: number; metrics?: Metrics; client?: PublicClient }) {
    this.chain = chain;
    this.#metrics = options.metrics;
    this.client =
      options.client ??
      createPublicClient({
        transport: http(chain.rpcUrl, { batch: false, timeout: options.timeoutMs, retryCount: 0, fetchFn: createRpcFetch() }),
      });
  }

  /**
   * One credential's status. Concurrent reads — those of concurrent verifications — travel together as
   * one eth_call of the registry's multicall (`credentialStatuses`), each caller getting its own answer; a
   * failed call fails every read in it. When no call is out, what was asked in this turn of the event loop
   * goes at once; while one is out, reads gather until it comes back (at most QUEUE_MAX_WAIT_MS), so under
   * load each eth_call carries many reads and costs the node a fraction of one each (bench/README.md,
   * "Verifying over HTTP"), and when idle nothing waits.
   */
  credentialStatus(root: Hex, index: bigint): Promise<OnChainCredentialStatus> {
    // Checked alone: a read that cannot be encoded must fail its caller only, not the call it would join.
    const problem = statusReadProblem({ root, index });
    if (problem) return Promise.reject(new Error(problem));
    return this.#statusReads.ask({ root, index });
  }

  /** Many credentials' status in one eth_call each 500, through the registry's own multicall. */
  credentialStatuses(items: ReadonlyArray<{ root: Hex; index: bigint }>): Promise<OnChainCredentialStatus[]> {
    return this.#timed("credentialStatus", async () => {
      const at = await this.#at();
      const block = "blockNumber" in at ? numberToHex(at.blockNumber) : at.blockTag;
      const chunks: Array<Array<{ root: Hex; index: bigint }>> = [];
      for (let start = 0; start < items.length; start += MULTICALL_CHUNK) chunks.push(items.slice(start, start + MULTICALL_CHUNK));
      const answers = await Promise.all(
        chunks.map(async (chunk) => {
          const data = await this.client.request({ method: "eth_call", params: [{ to: this.chain.registry, data: encodeStatusMulticall(chunk) }, block] });
          return decodeStatusMulticall(data, chunk.length);
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
