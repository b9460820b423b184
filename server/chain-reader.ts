/**
 * Reading one registry (2.x) on one chain with viem: the verification pipeline's RegistryReader, plus what
 * the API shows (anchors, issuers with their profile id, operators and compromised keys, rebuilt from the
 * registry's events filtered by the indexed issuer id). Reads happen at the chain's configured block tag,
 * or that many confirmations behind the latest block. Concurrent credential-status reads — those of
 * concurrent verifications — travel together in one eth_call of the registry's multicall (see
 * credentialStatus); no JSON-RPC batching on top, whose wait would only add latency. Any failure throws:
 * the pipeline turns it into `unavailable`.
 */
import { createPublicClient, getAbiItem, http, numberToHex, type AbiEvent, type PublicClient } from "viem";

import type { Hex } from "../lib/credential/canonical.js";
import { tickBatcher } from "../lib/chain/tick-batcher.js";
import {
  ISSUER_STATUS_NAMES,
  type CredentialLocation,
  type OnChainCredentialStatus,
  type RegistryReader,
} from "../lib/verify/verify.js";
import type { ChainConfig } from "./config.js";
import type { Metrics } from "./metrics.js";
import { registryAbi } from "./registry-abi.js";
import { createRpcFetch } from "./rpc-fetch.js";
import { decodeStatusMulticall, encodeStatusMulticall, statusReadProblem } from "./status-codec.js";

export interface AnchorRecord {
  actingKey: string;
  anchoredAt: number;
  count: number;
  batchRevoked: boolean;
}

export interface IssuerRecord {
  /** Null while the issuer has none (its controller was declared compromised and not yet recovered). */
  controller: string | null;
  /** The controller proposed and not yet accepted, or null. */
  proposedController: string | null;
  status: (typeof ISSUER_STATUS_NAMES)[number];
  statusReason: number;
  registeredAt: number;
  statusSince: number;
}

/** An issuer's keys as its events tell them: the operators now, and every key declared compromised. */
export interface IssuerKeys {
  operators: Array<{ key: string; addedAt: number }>;
  compromisedKeys: Array<{ key: string; since: number; declaredBy: string }>;
}

/** Every event that changes what the verifier answers: anchors, bits, issuer status, control and keys. */
const CHANGE_EVENTS = new Set([
  "Anchored",
  "CredentialsRevoked",
  "CredentialsSuspended",
  "CredentialsUnsuspended",
  "BatchRevoked",
  "IssuerRegistered",
  "IssuerStatusChanged",
  "ControlTransferProposed",
  "ControllerChanged",
  "OperatorAdded",
  "OperatorRemoved",
  "KeyCompromised",
]);

/** Views per eth_call through the registry's multicall: well under any node's gas cap for calls. */
const MULTICALL_CHUNK = 500;
/** Longest a credential-status read waits for the eth_call already out to come back before going anyway. */
const QUEUE_MAX_WAIT_MS = 10;

const ZERO_ADDRESS = /^0x0{40}$/;

/** An event of the registry's ABI (from the artifact, like every read here). */
function registryEvent(name: string): AbiEvent {
  return getAbiItem({ abi: registryAbi, name }) as AbiEvent;
}

const issuerRegistered = registryEvent("IssuerRegistered");
const keyEvents = ["OperatorAdded", "OperatorRemoved", "KeyCompromised"].map(registryEvent);

type LogOf = { eventName?: string; args: Record<string, unknown>; blockNumber: bigint | null; logIndex: number | null };

export class ChainRegistry implements RegistryReader {
  readonly chain: ChainConfig;
  readonly client: PublicClient;
  readonly #metrics: Metrics | undefined;
  readonly #statusReads = tickBatcher((reads: CredentialLocation[]) => this.credentialStatuses(reads), {
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
  credentialStatus(issuerId: Hex, root: Hex, index: bigint): Promise<OnChainCredentialStatus> {
    // Checked alone: a read that cannot be encoded must fail its caller only, not the call it would join.
    const problem = statusReadProblem({ issuerId, root, index });
    if (problem) return Promise.reject(new Error(problem));
    return this.#statusReads.ask({ issuerId, root, index });
  }

  /** Many credentials' status in one eth_call each 500, through the registry's own multicall. */
  credentialStatuses(items: ReadonlyArray<CredentialLocation>): Promise<OnChainCredentialStatus[]> {
    return this.#timed("credentialStatus", async () => {
      const at = await this.#at();
      const block = "blockNumber" in at ? numberToHex(at.blockNumber) : at.blockTag;
      const chunks: Array<ReadonlyArray<CredentialLocation>> = [];
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

  /** The anchor of batch `root` of issuer `issuerId`, or null when that issuer never anchored it. */
  anchor(issuerId: Hex, root: Hex): Promise<AnchorRecord | null> {
    return this.#timed("getAnchor", async () => {
      const anchor = (await this.client.readContract({
        address: this.chain.registry,
        abi: registryAbi,
        functionName: "getAnchor",
        args: [issuerId, root],
        ...(await this.#at()),
      })) as { actingKey: string; anchoredAt: number; count: number | bigint; batchRevoked: boolean };
      if (ZERO_ADDRESS.test(anchor.actingKey)) return null;
      return { actingKey: anchor.actingKey, anchoredAt: Number(anchor.anchoredAt), count: Number(anchor.count), batchRevoked: anchor.batchRevoked };
    });
  }

  /** The issuer's record and its pending controller, or null when `issuerId` is not registered. */
  issuer(issuerId: Hex): Promise<IssuerRecord | null> {
    return this.#timed("getIssuer", async () => {
      const at = await this.#at();
      const [record, proposed] = (await Promise.all([
        this.client.readContract({ address: this.chain.registry, abi: registryAbi, functionName: "getIssuer", args: [issuerId], ...at }),
        this.client.readContract({ address: this.chain.registry, abi: registryAbi, functionName: "proposedController", args: [issuerId], ...at }),
      ])) as [{ controller: string; status: number; statusReason: number; registeredAt: number; statusSince: number }, string];
      if (Number(record.status) === 0) return null;
      return {
        controller: ZERO_ADDRESS.test(record.controller) ? null : record.controller,
        proposedController: ZERO_ADDRESS.test(proposed) ? null : proposed,
        status: ISSUER_STATUS_NAMES[Number(record.status)],
        statusReason: Number(record.statusReason),
        registeredAt: Number(record.registeredAt),
        statusSince: Number(record.statusSince),
      };
    });
  }

  /** The profile id string the issuer was registered with (the registry keeps only its hash, the issuer id). */
  profileId(issuerId: Hex): Promise<string | null> {
    return this.#timed("getLogs", async () => {
      const logs = (await this.client.getLogs({
        address: this.chain.registry,
        event: issuerRegistered,
        args: { issuerId },
        fromBlock: 0n,
        toBlock: toBlockOf(await this.#at()),
      })) as unknown as LogOf[];
      const profileId = logs[0]?.args.profileId;
      return typeof profileId === "string" ? profileId : null;
    });
  }

  /**
   * The issuer's operators now and its compromised keys, rebuilt from its OperatorAdded, OperatorRemoved and
   * KeyCompromised events (the registry has no view listing keys), in chain order.
   */
  keys(issuerId: Hex): Promise<IssuerKeys> {
    return this.#timed("getLogs", async () => {
      const at = await this.#at();
      const toBlock = toBlockOf(at);
      const batches = await Promise.all(
        keyEvents.map((event) => this.client.getLogs({ address: this.chain.registry, event, args: { issuerId }, fromBlock: 0n, toBlock }) as unknown as Promise<LogOf[]>),
      );
      const logs = batches.flat().sort((a, b) => Number((a.blockNumber ?? 0n) - (b.blockNumber ?? 0n)) || (a.logIndex ?? 0) - (b.logIndex ?? 0));
      const operators = new Map<string, string>();
      const compromised = new Map<string, { key: string; since: number; declaredBy: string }>();
      for (const log of logs) {
        if (log.eventName === "OperatorAdded") {
          operators.set(String(log.args.operator).toLowerCase(), String(log.args.operator));
        } else if (log.eventName === "OperatorRemoved") {
          operators.delete(String(log.args.operator).toLowerCase());
        } else if (log.eventName === "KeyCompromised") {
          const key = String(log.args.key);
          // A later declaration can only move the cut-off earlier: the last one is the one in force.
          compromised.set(key.toLowerCase(), { key, since: Number(log.args.since), declaredBy: String(log.args.actor) });
        }
      }
      // Each operator's start (the earliest a compromise can be declared from) is in its key record.
      const keys = [...operators.values()];
      const states =
        keys.length === 0
          ? []
          : ((await this.client.readContract({
              address: this.chain.registry,
              abi: registryAbi,
              functionName: "getKeys",
              args: [keys.map(() => issuerId), keys],
              ...at,
            })) as Array<{ addedAt: number | bigint }>);
      return {
        operators: keys.map((key, position) => ({ key, addedAt: Number(states[position].addedAt) })),
        compromisedKeys: [...compromised.values()],
      };
    });
  }

  /**
   * Calls `onChange` whenever the registry emits an event that changes what a verifier would answer
   * (anchors, revocations, suspensions, batch revocations, issuer status, controller changes, operators,
   * key compromises). Polls the node; returns the function that stops.
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

/** The block logs are read up to: the one views are read at. */
function toBlockOf(at: { blockTag: "latest" | "safe" | "finalized" } | { blockNumber: bigint }): bigint | "latest" | "safe" | "finalized" {
  return "blockNumber" in at ? at.blockNumber : at.blockTag;
}
