/**
 * What the chain reader believes about a node before it reads anything from it: that it serves the
 * configured chain (its `eth_chainId`, checked first and again after every failure — a failure then a
 * success is a reconnect, and a reconnected node may be another one), that its head is fresh (not older
 * than `maxHeadAgeSeconds`), and which block reads are made at (the pinned block: `safe` / `finalized`, or
 * the head minus some confirmations). It follows the head's ancestry — number and hash, parent hash,
 * the genesis block — and when that history changes (a reorg, a head that goes back, a block whose hash
 * changed, another genesis: the node was replaced) it tells its listeners, which forget every cached read
 * and remembered verdict. Speaks JSON-RPC through a bare `request` function, so tests give it a fake.
 */
import { z } from "zod";

export type Rpc = (args: { method: string; params?: unknown[] }) => Promise<unknown>;

/** Where reads are made: a finality tag the node resolves, or that many blocks below its head. */
export type Finality = { blockTag: "safe" | "finalized"; fallbackConfirmations?: number } | { confirmations: number };

/** The block an answer was read at, as the API shows it. */
export interface ChainBlock {
  chainId: number;
  number: number;
  hash: `0x${string}`;
  /** The block's own time (ISO 8601). */
  timestamp: string;
}

/** A block reads are pinned to, with when the node gave it (its header was read). */
export interface PinnedBlock {
  number: bigint;
  hash: `0x${string}`;
  /** Unix seconds. */
  timestamp: number;
  readAtMs: number;
}

/** The node cannot be trusted now: another chain, a stale head, a block it does not know. */
export class ChainTrustError extends Error {
  override readonly name = "ChainTrustError";
}

const hex = z.string().regex(/^0x[0-9a-fA-F]*$/);
const blockSchema = z.object({
  number: hex.transform((value) => BigInt(value)),
  hash: z.string().regex(/^0x[0-9a-fA-F]{64}$/).transform((value) => value.toLowerCase() as `0x${string}`),
  parentHash: z.string().regex(/^0x[0-9a-fA-F]{64}$/).transform((value) => value.toLowerCase() as `0x${string}`),
  timestamp: hex.transform((value) => Number(BigInt(value))),
});
type Block = z.output<typeof blockSchema>;

/** How many recent block hashes are kept to recognise a changed history. */
const REMEMBERED_BLOCKS = 256;

export interface ChainHeadOptions {
  chainId: number;
  request: Rpc;
  finality: Finality;
  /** A head older than this fails every read; 0: no limit (a local automine chain is idle, not stale). */
  maxHeadAgeSeconds: number;
  /** How long a pinned block serves reads before the head is asked again. */
  refreshMs: number;
  now?: () => number;
}

export interface HeadState {
  chainIdVerified: boolean;
  head: { number: number; hash: string; ageSeconds: number } | null;
}

export class ChainHead {
  readonly #options: ChainHeadOptions;
  readonly #now: () => number;
  readonly #listeners: Array<(reason: string) => void> = [];
  /** Block hashes by number, of the history seen since the last reset. */
  readonly #seen = new Map<bigint, string>();
  #chainIdVerified = false;
  #genesisHash: string | undefined;
  #head: Block | undefined;
  #pinned: PinnedBlock | undefined;
  #refreshing: Promise<PinnedBlock> | undefined;
  /** Set when the node did not know the finality tag: reads then count confirmations down from the head. */
  #tagUnknown = false;
  #lastPinnedAtMs = 0;

  constructor(options: ChainHeadOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** Calls `listener` with a reason whenever the history seen changed (every earlier read is suspect). */
  onReset(listener: (reason: string) => void): () => void {
    this.#listeners.push(listener);
    return () => {
      const index = this.#listeners.indexOf(listener);
      if (index >= 0) this.#listeners.splice(index, 1);
    };
  }

  /** The block to read at now; asks the node when the pinned one is older than `refreshMs`. Concurrent callers share one refresh. */
  pin(options: { fresh?: boolean } = {}): Promise<PinnedBlock> {
    const pinned = this.#pinned;
    if (!options.fresh && pinned && this.#now() - pinned.readAtMs < this.#options.refreshMs) return Promise.resolve(pinned);
    this.#refreshing ??= this.#refresh().finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  /** Asks the node's chain id again (as /readyz does), then its head. */
  async probe(): Promise<PinnedBlock> {
    this.#chainIdVerified = false;
    return this.pin({ fresh: true });
  }

  /** When the node last gave a head that was believed (ms since the epoch), or 0. */
  get lastPinnedAtMs(): number {
    return this.#lastPinnedAtMs;
  }

  /** What is known now, for /readyz. */
  state(): HeadState {
    const head = this.#head;
    return {
      chainIdVerified: this.#chainIdVerified,
      head: head ? { number: Number(head.number), hash: head.hash, ageSeconds: Math.max(0, Math.round(this.#now() / 1000 - head.timestamp)) } : null,
    };
  }

  /** `block` as the API names it. */
  describe(block: PinnedBlock): ChainBlock {
    return { chainId: this.#options.chainId, number: Number(block.number), hash: block.hash, timestamp: new Date(block.timestamp * 1000).toISOString() };
  }

  async #refresh(): Promise<PinnedBlock> {
    try {
      if (!this.#chainIdVerified) await this.#verifyChain();
      const readAtMs = this.#now();
      const head = await this.#block("latest");
      await this.#followHead(head);
      // A changed history may be another node: it proves its chain id before its head is believed.
      if (!this.#chainIdVerified) await this.#verifyChain();
      const { maxHeadAgeSeconds } = this.#options;
      const ageSeconds = Math.round(readAtMs / 1000 - head.timestamp);
      if (maxHeadAgeSeconds > 0 && ageSeconds > maxHeadAgeSeconds) {
        throw new ChainTrustError(`the node's head (block ${head.number}) is ${ageSeconds} s old, over the limit of ${maxHeadAgeSeconds} s: the node is behind or stuck`);
      }
      const pinned = await this.#pinnedBlock(head);
      this.#remember(pinned);
      this.#pinned = { number: pinned.number, hash: pinned.hash, timestamp: pinned.timestamp, readAtMs };
      this.#lastPinnedAtMs = readAtMs;
      return this.#pinned;
    } catch (error) {
      // Whatever failed, the next answer may come from another node: it proves its chain id first.
      this.#chainIdVerified = false;
      this.#pinned = undefined;
      throw error;
    }
  }

  async #verifyChain(): Promise<void> {
    const answered = await this.#options.request({ method: "eth_chainId" });
    const chainId = typeof answered === "string" && /^0x[0-9a-fA-F]+$/.test(answered) ? Number(BigInt(answered)) : Number.NaN;
    if (chainId !== this.#options.chainId) {
      if (this.#genesisHash !== undefined) this.#reset(`the node now answers chain id ${answered}`);
      throw new ChainTrustError(`the node answers chain id ${Number.isNaN(chainId) ? JSON.stringify(answered) : chainId}, not the configured ${this.#options.chainId}: refused`);
    }
    const genesis = await this.#block("0x0");
    if (this.#genesisHash !== undefined && this.#genesisHash !== genesis.hash) {
      this.#reset(`the node's genesis block changed (${this.#genesisHash.slice(0, 10)}… → ${genesis.hash.slice(0, 10)}…): another node or a restarted chain`);
    }
    this.#genesisHash = genesis.hash;
    this.#chainIdVerified = true;
  }

  /** Checks the new head against the history seen; resets when they disagree. */
  async #followHead(head: Block): Promise<void> {
    const last = this.#head;
    if (last && head.number < last.number) {
      this.#reset(`the head went back from block ${last.number} to ${head.number}`);
    } else if (last && head.number > last.number + 1n && this.#seen.has(last.number)) {
      // Blocks passed between two looks: is the block seen last still there?
      this.#remember(await this.#block(`0x${last.number.toString(16)}`));
    }
    this.#remember(head);
    this.#head = head;
  }

  #remember(block: { number: bigint; hash: string; parentHash?: string }): void {
    const known = this.#seen.get(block.number);
    if (known !== undefined && known !== block.hash) {
      this.#reset(`block ${block.number} changed from ${known.slice(0, 10)}… to ${block.hash.slice(0, 10)}… (a reorg)`);
    } else if (block.parentHash !== undefined) {
      const parent = this.#seen.get(block.number - 1n);
      if (parent !== undefined && parent !== block.parentHash) this.#reset(`block ${block.number}'s parent is not the block ${block.number - 1n} seen before (a reorg)`);
    }
    this.#seen.set(block.number, block.hash);
    if (this.#seen.size > REMEMBERED_BLOCKS) this.#seen.delete(this.#seen.keys().next().value!);
  }

  async #pinnedBlock(head: Block): Promise<Block> {
    const { finality } = this.#options;
    const confirmations = "confirmations" in finality ? finality.confirmations : this.#tagUnknown ? finality.fallbackConfirmations : undefined;
    if (confirmations !== undefined) {
      if (confirmations === 0) return head;
      const number = head.number > BigInt(confirmations) ? head.number - BigInt(confirmations) : 0n;
      return this.#block(`0x${number.toString(16)}`);
    }
    const tag = (finality as { blockTag: "safe" | "finalized" }).blockTag;
    try {
      return await this.#block(tag);
    } catch (error) {
      if (!(error instanceof ChainTrustError) || "confirmations" in finality || finality.fallbackConfirmations === undefined) throw error;
      // A node without the tag (pre-merge, some L2s and consortium chains): as configured, count back instead.
      this.#tagUnknown = true;
      return this.#pinnedBlock(head);
    }
  }

  async #block(tag: string): Promise<Block> {
    let answer: unknown;
    try {
      answer = await this.#options.request({ method: "eth_getBlockByNumber", params: [tag, false] });
    } catch (error) {
      // An RPC error naming the tag (invalid params, unknown block): the node does not know it.
      if (tag === "safe" || tag === "finalized") {
        const code = (error as { code?: unknown; cause?: { code?: unknown } }).code ?? (error as { cause?: { code?: unknown } }).cause?.code;
        if (code === -32602 || code === -32000 || code === -32601) throw new ChainTrustError(`the node does not know the block tag "${tag}"`);
      }
      throw error;
    }
    if (answer === null) throw new ChainTrustError(`the node has no block ${tag}`);
    const block = blockSchema.safeParse(answer);
    if (!block.success) throw new ChainTrustError(`the node's block ${tag} is not a block (${block.error.issues[0]?.path.join(".") || "shape"})`);
    return block.data;
  }

  #reset(reason: string): void {
    this.#chainIdVerified = false;
    this.#seen.clear();
    this.#head = undefined;
    this.#pinned = undefined;
    for (const listener of [...this.#listeners]) listener(reason);
  }
}
