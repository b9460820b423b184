/**
 * Reading one registry (2.x) on one chain with viem: the verification pipeline's RegistryReader, plus what
 * the API shows (anchors, issuers with their profile id, operators and compromised keys, rebuilt from the
 * registry's events filtered by the indexed issuer id). Every read is made at a block pinned first
 * (chain-head.ts: the node's chain id checked, its head fresh, its history followed; `safe` / `finalized`
 * or that many confirmations behind the head), and every answer can name that block (blockOf, AtBlock).
 * The node is reached through its proven endpoints (chain-endpoints.ts). Errors leave here redacted
 * (redact.ts): viem's carry the RPC URL and the request. Concurrent credential-status reads — those of
 * concurrent verifications — travel together in one eth_call of the registry's multicall (see
 * credentialStatus); no JSON-RPC batching on top, whose wait would only add latency. Any failure throws:
 * the pipeline turns it into `unavailable`.
 */
import { BaseError, createPublicClient, getAbiItem, numberToHex, toEventSelector, type AbiEvent, type PublicClient } from "viem";

import type { Hex } from "../lib/credential/canonical.js";
import { reasonName } from "../lib/credential/reasons.js";
import { tickBatcher } from "../lib/chain/tick-batcher.js";
import {
  ISSUER_STATUS_NAMES,
  type CredentialLocation,
  type OnChainCredentialStatus,
  type RegistryReader,
  type StatusChange,
  type StatusChangeKind,
} from "../lib/verify/verify.js";
import { DEFAULT_MAX_HEAD_AGE_SECONDS, LOCAL_CHAIN_IDS, type ChainConfig } from "./config.js";
import { ChainEndpoints } from "./chain-endpoints.js";
import { ChainHead, type ChainBlock, type Finality, type PinnedBlock } from "./chain-head.js";
import type { Metrics } from "./metrics.js";
import { redactText } from "./redact.js";
import { registryAbi } from "./registry-abi.js";
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

/** A value and the block it was read at. */
export interface AtBlock<T> {
  value: T;
  block: BlockRead;
}

/** The block a read was made at, and when the node gave that block (its header was read). */
export interface BlockRead {
  block: ChainBlock;
  readAtMs: number;
}

/** What /readyz shows of one chain. */
export interface ChainReadiness {
  chainId: number;
  registry: string;
  ready: boolean;
  /** The node (or the endpoint in use) answered the configured chain id at this probe. */
  chainIdVerified: boolean;
  head: { number: number; hash: string; ageSeconds: number } | null;
  endpoints: { healthy: number; total: number };
  /** Why the chain is not ready (redacted). */
  problem?: string;
}

/** Where the service's chain messages go (pino's logger fits). */
export interface ChainLogger {
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

/** How long a pinned block serves reads before the head is asked again (when reads are not at the head itself). */
const HEAD_REFRESH_MS = 1_000;
/** Most blocks one poll of the event watcher reads logs over; a longer gap just clears everything. */
const WATCH_MAX_RANGE = 5_000n;

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
const statusChangeEvents = { revoked: registryEvent("CredentialsRevoked"), suspended: registryEvent("CredentialsSuspended"), "batch-revoked": registryEvent("BatchRevoked") };

type LogOf = { eventName?: string; args: Record<string, unknown>; blockNumber: bigint | null; logIndex: number | null };

export class ChainRegistry implements RegistryReader {
  readonly chain: ChainConfig;
  readonly client: PublicClient;
  /** What the reader believes about the node's chain and head (chain-head.ts). */
  readonly head: ChainHead;
  /** The chain's RPC endpoints; undefined when the reader was given a client. */
  readonly endpoints: ChainEndpoints | undefined;
  readonly #metrics: Metrics | undefined;
  readonly #logger: ChainLogger | undefined;
  /** The configured URLs, whole: redacted wherever they might appear in a message. */
  readonly #secrets: string[];
  /** The block each credential status was read at (statuses are objects, kept as long as a cache keeps them). */
  readonly #statusBlocks = new WeakMap<object, BlockRead>();
  readonly #statusReads = tickBatcher((reads: CredentialLocation[]) => this.credentialStatuses(reads), {
    maxBatch: MULTICALL_CHUNK,
    inFlight: 1,
    holdWhileBusyMs: QUEUE_MAX_WAIT_MS,
  });

  constructor(chain: ChainConfig, options: { timeoutMs: number; metrics?: Metrics; client?: PublicClient; logger?: ChainLogger }) {
    this.chain = chain;
    this.#metrics = options.metrics;
    this.#logger = options.logger;
    const urls = chain.rpcUrls && chain.rpcUrls.length > 0 ? chain.rpcUrls : [chain.rpcUrl];
    this.#secrets = [...urls].sort((a, b) => b.length - a.length);
    const logger = options.logger;
    this.endpoints = options.client
      ? undefined
      : new ChainEndpoints({
          chainId: chain.chainId,
          urls,
          timeoutMs: options.timeoutMs,
          log: {
            dropped: (endpoint, detail) => logger?.warn({ chainId: chain.chainId, endpoint }, `RPC endpoint left out: ${detail}`),
            restored: (endpoint) => logger?.info({ chainId: chain.chainId, endpoint }, "RPC endpoint proved its chain id again"),
          },
        });
    this.client = options.client ?? createPublicClient({ transport: this.endpoints!.transport });
    const finality = finalityOf(chain);
    this.head = new ChainHead({
      chainId: chain.chainId,
      request: (args) => this.client.request(args as never),
      finality,
      maxHeadAgeSeconds: chain.maxHeadAgeSeconds ?? (LOCAL_CHAIN_IDS.has(chain.chainId) ? 0 : DEFAULT_MAX_HEAD_AGE_SECONDS),
      // Reads at the head itself ask for it every time (concurrent reads share one ask): a badge anchored a
      // moment ago must read anchored. Reads further back can reuse a pinned block for a second.
      refreshMs: "confirmations" in finality && finality.confirmations === 0 ? 0 : HEAD_REFRESH_MS,
    });
    this.head.onReset((reason) => logger?.warn({ chainId: chain.chainId }, `chain history changed, every cached read forgotten: ${reason}`));
  }

  /**
   * Start-up: every endpoint asked for its chain id (those of another chain left out and logged), then the
   * head. Never throws: a chain that cannot prove itself stays `unavailable` until one of its nodes does.
   */
  async proveNode(): Promise<string | undefined> {
    await this.endpoints?.proveAll();
    try {
      await this.head.probe();
      return undefined;
    } catch (error) {
      return this.#describe(error);
    }
  }

  /** The block a credential status returned by this reader was read at. */
  blockOf(status: object): BlockRead | undefined {
    return this.#statusBlocks.get(status);
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
      const pinned = await this.head.pin();
      const block = numberToHex(pinned.number);
      const read = this.#blockRead(pinned);
      const chunks: Array<ReadonlyArray<CredentialLocation>> = [];
      for (let start = 0; start < items.length; start += MULTICALL_CHUNK) chunks.push(items.slice(start, start + MULTICALL_CHUNK));
      const answers = await Promise.all(
        chunks.map(async (chunk) => {
          const data = await this.client.request({ method: "eth_call", params: [{ to: this.chain.registry, data: encodeStatusMulticall(chunk) }, block] });
          return decodeStatusMulticall(data, chunk.length);
        }),
      );
      const statuses = answers.flat();
      for (const status of statuses) this.#statusBlocks.set(status, read);
      return statuses;
    });
  }

  /** The anchor of batch `root` of issuer `issuerId`, or null when that issuer never anchored it. */
  anchor(issuerId: Hex, root: Hex): Promise<AtBlock<AnchorRecord | null>> {
    return this.#atBlock("getAnchor", async (blockNumber) => {
      const anchor = (await this.client.readContract({
        address: this.chain.registry,
        abi: registryAbi,
        functionName: "getAnchor",
        args: [issuerId, root],
        blockNumber,
      })) as { actingKey: string; anchoredAt: number; count: number | bigint; batchRevoked: boolean };
      if (ZERO_ADDRESS.test(anchor.actingKey)) return null;
      return { actingKey: anchor.actingKey, anchoredAt: Number(anchor.anchoredAt), count: Number(anchor.count), batchRevoked: anchor.batchRevoked };
    });
  }

  /** The issuer's record and its pending controller, or null when `issuerId` is not registered. */
  issuer(issuerId: Hex): Promise<AtBlock<IssuerRecord | null>> {
    return this.#atBlock("getIssuer", async (blockNumber) => {
      const at = { blockNumber };
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

  /**
   * The event that revoked or suspended credential `index` of batch `root` (for a suspension, the last
   * one), with its block's time: the registry's state holds only the bit. Read for such verdicts only.
   */
  statusChangeEvent(issuerId: Hex, root: Hex, index: bigint, change: StatusChangeKind): Promise<AtBlock<StatusChange | null>> {
    return this.#atBlock("getLogs", async (toBlock) => {
      const logs = (await this.client.getLogs({ address: this.chain.registry, event: statusChangeEvents[change], args: { issuerId, root }, fromBlock: 0n, toBlock })) as unknown as Array<
        LogOf & { transactionHash: Hex | null }
      >;
      const word = index >> 8n;
      const bit = 1n << (index & 0xffn);
      const found = logs.filter((log) => change === "batch-revoked" || (BigInt(log.args.wordIndex as bigint) === word && ((log.args.mask as bigint) & bit) !== 0n)).at(-1);
      if (!found || found.blockNumber === null || found.transactionHash === null) return null;
      const block = await this.client.getBlock({ blockNumber: found.blockNumber });
      return {
        change,
        reason: reasonName(Number(found.args.reason)),
        at: new Date(Number(block.timestamp) * 1000).toISOString(),
        actor: String(found.args.actor),
        transactionHash: found.transactionHash,
        blockNumber: Number(found.blockNumber),
      };
    });
  }

  /** The profile id string the issuer was registered with (the registry keeps only its hash, the issuer id). */
  profileId(issuerId: Hex): Promise<AtBlock<string | null>> {
    return this.#atBlock("getLogs", async (toBlock) => {
      const logs = (await this.client.getLogs({
        address: this.chain.registry,
        event: issuerRegistered,
        args: { issuerId },
        fromBlock: 0n,
        toBlock,
      })) as unknown as LogOf[];
      const profileId = logs[0]?.args.profileId;
      return typeof profileId === "string" ? profileId : null;
    });
  }

  /**
   * The issuer's operators now and its compromised keys, rebuilt from its OperatorAdded, OperatorRemoved and
   * KeyCompromised events (the registry has no view listing keys), in chain order.
   */
  keys(issuerId: Hex): Promise<AtBlock<IssuerKeys>> {
    return this.#atBlock("getLogs", async (toBlock) => {
      const at = { blockNumber: toBlock };
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
   * key compromises) in a block reads are made at, and whenever the chain's history changes (a reorg, the
   * node replaced: chain-head.ts). Polls the pinned block and reads the registry's logs since the last
   * poll. Hand-written rather than viem's watchContractEvent: that one's filter lives on the node, and
   * once the node is replaced its poll fails for good ("Cannot read properties of null"); this one only
   * remembers a block number, starts again from the current block after a reset, and keeps polling after
   * errors. `onError` hears of a failure once, not every poll, and `onRecover` when polls work again.
   * Returns the function that stops.
   */
  watchChanges(onChange: () => void, onError: (error: Error) => void, pollingIntervalMs = 1_000, onRecover: () => void = () => {}): () => void {
    let stopped = false;
    let failing = false;
    let last: bigint | undefined;
    let timer: NodeJS.Timeout | undefined;
    const unsubscribe = this.head.onReset(() => {
      last = undefined;
      if (!stopped) onChange();
    });
    const poll = async () => {
      try {
        const pinned = await this.head.pin();
        if (last === undefined || pinned.number < last) {
          last = pinned.number;
        } else if (pinned.number > last) {
          if (pinned.number - last > WATCH_MAX_RANGE) {
            onChange();
          } else {
            const logs = (await this.client.getLogs({ address: this.chain.registry, fromBlock: last + 1n, toBlock: pinned.number })) as unknown as Array<{ topics: Hex[] }>;
            if (logs.some((log) => CHANGE_TOPICS.has((log.topics[0] ?? "").toLowerCase()))) onChange();
          }
          last = pinned.number;
        }
        if (failing) {
          failing = false;
          onRecover();
        }
      } catch (error) {
        if (!failing) {
          failing = true;
          onError(new Error(this.#describe(error)));
        }
      }
      if (!stopped) timer = setTimeout(() => void poll(), pollingIntervalMs);
    };
    void poll();
    return () => {
      stopped = true;
      unsubscribe();
      clearTimeout(timer);
    };
  }

  /**
   * The chain's readiness, probed now: the node's chain id asked again, its head fresh, the registry's code
   * there at the pinned block. Never throws.
   */
  async probe(): Promise<ChainReadiness> {
    let ready = false;
    let problem: string | undefined;
    try {
      const pinned = await this.head.probe();
      const code = await this.#timed("getCode", () => this.client.getCode({ address: this.chain.registry, blockNumber: pinned.number }));
      ready = code !== undefined && code !== "0x";
      if (!ready) problem = `no registry code at ${this.chain.registry} at block ${pinned.number}`;
    } catch (error) {
      problem = this.#describe(error);
    }
    const state = this.head.state();
    const health = this.endpoints?.health();
    return {
      chainId: this.chain.chainId,
      registry: this.chain.registry,
      ready,
      chainIdVerified: ready && state.chainIdVerified,
      head: state.head,
      endpoints: { healthy: health ? health.healthy : ready ? 1 : 0, total: health ? health.total : 1 },
      ...(problem === undefined ? {} : { problem }),
    };
  }

  /** `read` made at a pinned block, its value returned with that block. */
  async #atBlock<T>(method: string, read: (blockNumber: bigint) => Promise<T>): Promise<AtBlock<T>> {
    return this.#timed(method, async () => {
      const pinned = await this.head.pin();
      return { value: await read(pinned.number), block: this.#blockRead(pinned) };
    });
  }

  #blockRead(pinned: PinnedBlock): BlockRead {
    return { block: this.head.describe(pinned), readAtMs: pinned.readAtMs };
  }

  /** One line saying what went wrong, without URLs, request bodies or keys. */
  #describe(error: unknown): string {
    let message: string;
    if (error instanceof BaseError) {
      const details = error.details && error.details !== error.shortMessage ? `: ${error.details}` : "";
      message = `${error.shortMessage.replace(/\.$/, "")}${details}`;
    } else {
      message = error instanceof Error ? error.message : String(error);
    }
    return redactText(message, this.#secrets).split("\n")[0];
  }

  async #timed<T>(method: string, read: () => Promise<T>): Promise<T> {
    const stop = this.#metrics?.chainReadSeconds.startTimer({ chain_id: String(this.chain.chainId), method });
    try {
      const value = await read();
      stop?.({ outcome: "ok" });
      return value;
    } catch (error) {
      stop?.({ outcome: "error" });
      throw new ChainReadError(this.#describe(error));
    }
  }
}

/** A chain read that failed; its message is one redacted line. */
export class ChainReadError extends Error {
  override readonly name = "ChainReadError";
}

/** Where the chain's reads are made, from its configuration. */
function finalityOf(chain: ChainConfig): Finality {
  if (chain.blockTag === "latest") return { confirmations: chain.confirmations };
  return { blockTag: chain.blockTag, fallbackConfirmations: chain.fallbackConfirmations };
}

const CHANGE_TOPICS = new Set(
  [...CHANGE_EVENTS].map((name) => toEventSelector(registryEvent(name)).toLowerCase()),
);
