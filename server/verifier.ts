/**
 * The service's one job, independent of HTTP: verify credentials and answer questions about hashes,
 * anchors and issuers, over the configured chains, through the read cache. Routes only translate.
 * Registry 2.x: anchors are per issuer, so every question about an anchor names the issuer (its id,
 * keccak256 of its profile id) and is answered from that issuer's anchors only.
 */
import { createHash } from "node:crypto";

import { leafHash } from "../lib/anchor/batch.js";
import type { Hex } from "../lib/credential/canonical.js";
import { issuerIdOfProfile } from "../lib/credential/profile-id.js";
import { reasonName } from "../lib/credential/reasons.js";
import {
  isoTime,
  onChainStanding,
  verifyCredential,
  type OnChainCredentialStatus,
  type RegistryReader,
  type VerificationResult,
} from "../lib/verify/verify.js";
import { readAhead } from "../lib/portfolio/prefetch.js";
import { verifyAtHand } from "../lib/portfolio/at-hand.js";
import type { SignatureOptions } from "../lib/verify/signature-check.js";
import type { StatusListFetcher } from "../lib/verify/status-lists.js";
import {
  DEFAULT_MAX_PORTFOLIO_CREDENTIALS,
  findPortfolioCredentials,
  skillsOf,
  summarisePortfolio,
  type PortfolioKind,
  type PortfolioSummary,
  type Skill,
} from "../lib/portfolio/portfolio.js";
import type { AtBlock, BlockRead, ChainReadiness, ChainRegistry } from "./chain-reader.js";
import type { ChainBlock } from "./chain-head.js";
import type { Metrics } from "./metrics.js";
import { ReadCache } from "./read-cache.js";
import { TrustGate, type TrustReads } from "./trust-policy.js";
import { DEFAULT_TRUST_POLICY, describeTrust, type TrustPolicy, type TrustVerdict } from "../lib/verify/trust-policy.js";
import { VerdictMemo, type RememberedVerdict } from "./verdict-memo.js";

export interface Freshness {
  /** When the block of the oldest chain read this answer rests on was read from the node; null when it read nothing. */
  chainReadAt: string | null;
  /** That block: the answer was read at it (or, for reads of other chains or later reads, at blocks as fresh or fresher). */
  chainBlock: ChainBlock | null;
  /** Answers may rest on reads this old at most (the cache's bound). */
  cacheTtlSeconds: number;
}

export type VerificationResponse = VerificationResult & Freshness;

export interface PresentationResponse extends Freshness {
  kind: PortfolioKind;
  results: VerificationResult[];
  summary: PortfolioSummary;
  skills: Skill[];
  /** A CLR bundle's associations, as sent. */
  associations: unknown[];
}

/** The input is not a portfolio this service reads (or too large a one). */
export class PresentationError extends Error {
  override readonly name = "PresentationError";
}

export class ChainUnavailableError extends Error {
  override readonly name = "ChainUnavailableError";
}

export interface VerifierOptions {
  chains: ChainRegistry[];
  cacheTtlSeconds: number;
  maxBodyBytes: number;
  /** Most credentials in one portfolio (default 100). */
  maxPresentationSize?: number;
  now?: () => Date;
  metrics?: Metrics;
  /** How the signature check finds issuers' keys and contexts (document-sources.ts); default: did:key and bundled contexts only. */
  signature?: SignatureOptions;
  /** Fetches the status lists badges name, to compare with the chain (status-list-source.ts); default: none fetched. */
  statusLists?: StatusListFetcher;
  /** Which registries are trusted for which issuers (trust-policy.ts); default: each registry for its own issuers. */
  trustPolicy?: TrustPolicy;
  /** Bytes of remembered verdicts kept (verdict-memo.ts; default 64 MiB). */
  verdictCacheBytes?: number;
  /** Bytes of chain reads kept (read-cache.ts; default 16 MiB). */
  readCacheBytes?: number;
}

export class Verifier {
  readonly chains: ChainRegistry[];
  readonly cache: ReadCache;
  readonly #options: VerifierOptions;
  readonly #now: () => Date;
  readonly #trust: TrustGate<ChainRegistry>;
  readonly #memo: VerdictMemo;
  /** The last readiness probe (readiness): when it started, and its answer. */
  #readiness: { startedAt: number; probe: Promise<ChainReadiness[]>; notReady: boolean } | undefined;
  /** Counts the registry changes seen (watchRegistries): a verdict reached across one is not remembered. */
  #generation = 0;

  constructor(options: VerifierOptions) {
    this.#options = options;
    this.chains = options.chains;
    this.#now = options.now ?? (() => new Date());
    this.#trust = new TrustGate(options.trustPolicy ?? DEFAULT_TRUST_POLICY, options.chains);
    this.cache = new ReadCache(options.cacheTtlSeconds, { maxBytes: options.readCacheBytes, metrics: options.metrics, now: () => this.#now().getTime() });
    this.#memo = new VerdictMemo({ maxBytes: options.verdictCacheBytes, metrics: options.metrics, now: () => this.#now().getTime() });
  }

  /** Whether verdicts are remembered at all (not with the cache off). */
  get remembers(): boolean {
    return this.cache.ttlSeconds > 0;
  }

  /**
   * The answer remembered for input `inputKey` (see verify), if it is still good, as the JSON text to send:
   * a request can be answered without even parsing its body. Counted as a verification.
   */
  remembered(inputKey: string): RememberedVerdict | undefined {
    if (this.cache.ttlSeconds === 0) return undefined;
    const memo = this.#memo.get(inputKey);
    if (!memo) return undefined;
    this.#options.metrics?.cacheLookups.inc({ kind: "verification", result: "hit" });
    this.#options.metrics?.verifications.inc({ status: memo.status });
    return memo;
  }

  /**
   * `inputKey`, when given, identifies the input (a digest of the request body it was parsed from);
   * otherwise the input is serialized to find it. `inputBytes`: the size of that body, when there is one
   * (lib/verify/verify.ts). A remembered answer is read back from its JSON text (see remembered).
   */
  async verify(input: unknown, inputKey?: string, inputBytes?: number): Promise<VerificationResponse> {
    // The same credential asked again within the cache's bound gets the same answer without re-running
    // the pipeline: it would read the same cached chain state. The memo never outlives the chain reads it
    // rests on, nor the credential's next validity boundary (validFrom / validUntil).
    const memoKey = this.cache.ttlSeconds > 0 ? (inputKey ?? memoKeyOf(input)) : undefined;
    const known = memoKey === undefined ? undefined : this.remembered(memoKey);
    if (known) return JSON.parse(known.json) as VerificationResponse;
    // A registry's change seen while this verification reads the chain makes its answer one not to keep.
    const generation = this.#generation;
    const nowMs = this.#now().getTime();
    const reads: number[] = [];
    const [result] = await this.#verifyTogether([input], reads, inputBytes);
    const response = { ...result, ...this.#freshness(reads) };
    if (memoKey !== undefined && result.status !== "unavailable" && generation === this.#generation) {
      this.#options.metrics?.cacheLookups.inc({ kind: "verification", result: "miss" });
      const oldestRead = reads.length === 0 ? nowMs : Math.min(...reads);
      const boundaries = [result.credential?.validFrom, result.credential?.validUntil ?? undefined]
        .map((value) => (value ? Date.parse(value) : Number.NaN))
        .filter((time) => time > nowMs);
      this.#memo.set(memoKey, response, Math.min(oldestRead + this.cache.ttlSeconds * 1000, ...boundaries));
    }
    return response;
  }

  /**
   * A whole portfolio: every credential's result, a summary and the skills. All the chain reads its
   * credentials need (anchors, stack components) are made first, together — one multicall per chain per
   * 500 reads — so 50 credentials cost a round trip or two, not 50.
   */
  async verifyPresentation(input: unknown): Promise<PresentationResponse> {
    const found = findPortfolioCredentials(input);
    if (!found.ok) throw new PresentationError(found.problem);
    const limit = this.#options.maxPresentationSize ?? DEFAULT_MAX_PORTFOLIO_CREDENTIALS;
    if (found.credentials.length === 0) throw new PresentationError("the portfolio holds no credential");
    if (found.credentials.length > limit) throw new PresentationError(`the portfolio holds ${found.credentials.length} credentials; the limit is ${limit}`);

    const reads: number[] = [];
    // Each credential is verified with the others (and any pathway sent) at hand: a stack's components the
    // portfolio holds are confirmed against the badges themselves.
    const results = await this.#verifyTogether(found.credentials, reads, undefined, found.pathways);
    return {
      kind: found.kind,
      results,
      summary: summarisePortfolio(results),
      skills: skillsOf(results),
      associations: found.associations,
      ...this.#freshness(reads),
    };
  }

  /**
   * Runs the pipeline on each credential. The chain reads they need — anchors and every stack reference —
   * are made first, together (one multicall per chain), when there is more than one on a chain; the
   * pipelines then find them there. A failed batch is not final: each credential's own read then fails
   * and says `unavailable`.
   */
  async #verifyTogether(credentials: readonly unknown[], reads: number[], inputBytes?: number, pathways: readonly unknown[] = []): Promise<VerificationResult[]> {
    const readerFor = await readAhead(credentials, (chainId, registry) => {
      const chain = this.#chain(chainId, registry);
      return chain ? this.#recordingReader(chain, reads) : undefined;
    });
    const results = await verifyAtHand(credentials, pathways, (credential, atHand) =>
      verifyCredential(credential, {
        readerFor,
        atHand,
        now: this.#now,
        resolver: this.#options.signature?.resolver,
        loader: this.#options.signature?.loader,
        statusLists: this.#options.statusLists,
        maxBytes: this.#options.maxBodyBytes,
        inputBytes: credentials.length === 1 ? inputBytes : undefined,
        trustIssuer: (chainId, registry, profileId) => this.#trustIssuer(chainId, registry, profileId, reads),
      }),
    );
    for (const result of results) this.#options.metrics?.verifications.inc({ status: result.status });
    return results;
  }

  /**
   * The standing of a credential anchored alone (a batch of one: root = leafHash(0, hash)) by the issuer
   * `issuer`, on any configured chain. Only that issuer's anchors are read: another issuer anchoring the
   * same root as a batch of one says nothing about this issuer's credential.
   */
  async hashStatus(credentialHash: Hex, issuer: IssuerRef, chainId?: number) {
    const root = leafHash(0, credentialHash);
    const reads: number[] = [];
    for (const chain of this.#chainsFor(chainId)) {
      if (!(await this.#trustVerdict(chain, issuer, reads)).trusted) continue;
      const status = await this.#credentialStatus(chain, issuer.issuerId, root, 0n, reads);
      if (!status.anchored || !status.inRange) continue;
      const standing = onChainStanding(status);
      return {
        credentialHash,
        status: standing.status,
        detail: standing.detail,
        warnings: standing.warning ? [standing.warning] : [],
        anchor: {
          chainId: chain.chain.chainId,
          registry: chain.chain.registry,
          root,
          leafIndex: 0,
          issuerId: issuer.issuerId,
          actingKey: status.actingKey,
          anchoredAt: isoTime(status.anchoredAt),
          count: status.count,
          batchRevoked: status.batchRevoked,
          keyCompromised: status.keyCompromised,
          keyCompromisedSince: status.keyCompromisedSince === 0 ? null : isoTime(status.keyCompromisedSince),
        },
        issuer: {
          profileId: issuer.profileId ?? (await this.#lookup(chain, "profile", issuer.issuerId, () => chain.profileId(issuer.issuerId), reads)).value,
          issuerId: issuer.issuerId,
          controller: ZERO_ADDRESS.test(status.controller) ? null : status.controller,
          status: status.issuerStatus,
          statusSince: isoTime(status.issuerStatusSince),
          statusReason: reasonName(status.issuerStatusReason),
        },
        ...this.#freshness(reads),
      };
    }
    return null;
  }

  /** Batch `root` of issuer `issuerId`: who anchored it (the acting key), when, how many, batch-revoked. */
  async anchor(issuerId: Hex, root: Hex, chainId?: number) {
    for (const chain of this.#chainsFor(chainId)) {
      if (!(await this.#trustVerdict(chain, { issuerId }, [])).trusted) continue;
      const reads: number[] = [];
      const { value } = await this.#lookup(chain, "anchor", `${issuerId}:${root}`, () => chain.anchor(issuerId, root), reads);
      if (value) {
        return {
          chainId: chain.chain.chainId,
          registry: chain.chain.registry,
          issuerId,
          root,
          actingKey: value.actingKey,
          anchoredAt: isoTime(value.anchoredAt),
          count: value.count,
          batchRevoked: value.batchRevoked,
          ...this.#freshness(reads),
        };
      }
    }
    return null;
  }

  /** An issuer identity: its profile id, controller, operators, compromised keys and status. */
  async issuer(issuer: IssuerRef, chainId?: number) {
    const { issuerId } = issuer;
    for (const chain of this.#chainsFor(chainId)) {
      if (!(await this.#trustVerdict(chain, issuer, [])).trusted) continue;
      const reads: number[] = [];
      const { value } = await this.#lookup(chain, "issuer", issuerId, () => chain.issuer(issuerId), reads);
      if (!value) continue;
      const [profile, keys] = await Promise.all([
        this.#lookup(chain, "profile", issuerId, () => chain.profileId(issuerId), reads),
        this.#lookup(chain, "keys", issuerId, () => chain.keys(issuerId), reads),
      ]);
      return {
        chainId: chain.chain.chainId,
        registry: chain.chain.registry,
        profileId: profile.value,
        issuerId,
        controller: value.controller,
        proposedController: value.proposedController,
        status: value.status,
        statusReason: reasonName(value.statusReason),
        registeredAt: isoTime(value.registeredAt),
        statusSince: isoTime(value.statusSince),
        operators: keys.value.operators.map((operator) => ({ key: operator.key, addedAt: isoTime(operator.addedAt) })),
        compromisedKeys: keys.value.compromisedKeys.map((key) => ({ key: key.key, since: isoTime(key.since), declaredBy: key.declaredBy })),
        ...this.#freshness(reads),
      };
    }
    return null;
  }

  /**
   * Forgets cached reads and remembered verdicts as soon as a registry announces a change (a revocation,
   * a suspension, an issuer's status), instead of waiting for the TTL, and as soon as a chain's history
   * changes (a reorg, the node replaced: every read may be of a history that is gone). The watch recovers
   * by itself after errors (chain-reader.ts watchChanges). Returns the function that stops.
   */
  watchRegistries(onError: (error: Error) => void, pollingIntervalMs = 1_000, onRecover: () => void = () => {}): () => void {
    const stops = this.chains.map((chain) =>
      chain.watchChanges(
        () => {
          this.#generation++;
          this.cache.clear();
          this.#memo.clear();
        },
        onError,
        pollingIntervalMs,
        onRecover,
      ),
    );
    return () => stops.forEach((stop) => stop());
  }

  /**
   * Each chain's readiness: its node answers the configured chain id, its head is fresh and the registry's
   * code is there. Probed at most once every READINESS_PROBE_MS, callers in between (and concurrent ones)
   * sharing the probe: /readyz is public, and each probe costs every chain's node a few requests. A probe
   * that found a chain not ready stops answering as soon as that chain's node has been read again since
   * (it reconnected): a recovered service says so at once.
   */
  readiness(): Promise<ChainReadiness[]> {
    const nowMs = Date.now();
    const last = this.#readiness;
    const recoveredSince = (startedAt: number) => this.chains.some((chain) => typeof chain.head === "object" && chain.head.lastPinnedAtMs > startedAt);
    if (last && nowMs - last.startedAt < READINESS_PROBE_MS && !(last.notReady && recoveredSince(last.startedAt))) return last.probe;
    const probe = Promise.all(this.chains.map((chain) => chain.probe()));
    const entry = { startedAt: nowMs, probe, notReady: false };
    void probe.then((chains) => (entry.notReady = chains.some((chain) => !chain.ready)));
    this.#readiness = entry;
    return probe;
  }

  /** The trust policy, per registry: the issuers pinned to it, and whether it is trusted for its own (/readyz). */
  get trust() {
    return describeTrust(this.#trust.policy, this.chains.map((chain) => chain.chain));
  }

  /** The pipeline's question (VerifyOptions.trustIssuer): may this registry vouch for this issuer? */
  async #trustIssuer(chainId: number, registry: string, profileId: string, reads: number[]): Promise<TrustVerdict> {
    const chain = this.#chain(chainId, registry);
    if (!chain) return { trusted: false, detail: `registry ${registry} on chain ${chainId} is not one this verifier trusts` };
    return this.#trustVerdict(chain, { issuerId: issuerIdOfProfile(profileId), profileId }, reads);
  }

  /**
   * Whether `chain` may vouch for `issuer` under the trust policy; the hash, anchor and issuer routes look
   * only in the registries it trusts for the issuer, as verification does. Its reads go through the cache.
   */
  #trustVerdict(chain: ChainRegistry, issuer: IssuerRef, reads: number[]): Promise<TrustVerdict> {
    const trustReads: TrustReads<ChainRegistry> = {
      // One credential-status view answers the issuer's status too (none: not registered), and travels in
      // the multicall of concurrent reads: no round trip of its own.
      registered: async (other, issuerId) => (await this.#credentialStatus(other, issuerId, ZERO_ROOT, 0n, reads)).issuerStatus !== "none",
      profileId: async (other, issuerId) => (await this.#lookup(other, "profile", issuerId, () => other.profileId(issuerId), reads)).value,
    };
    return this.#trust.verdict(chain, issuer, trustReads);
  }

  #chain(chainId: number, registry: string): ChainRegistry | undefined {
    return this.chains.find((chain) => chain.chain.chainId === chainId && chain.chain.registry.toLowerCase() === registry.toLowerCase());
  }

  #chainsFor(chainId?: number): ChainRegistry[] {
    return chainId === undefined ? this.chains : this.chains.filter((chain) => chain.chain.chainId === chainId);
  }

  #recordingReader(chain: ChainRegistry, reads: number[]): RegistryReader {
    return {
      credentialStatus: (issuerId, root, index) => this.#credentialStatus(chain, issuerId, root, index, reads),
      // A test's double of the chain may have no event reader: the verdict then goes without when and why.
      statusChange:
        typeof chain.statusChangeEvent === "function"
          ? async (issuerId, root, index, change) =>
              (await this.#lookup(chain, "status-change", `${issuerId}:${root}:${index}:${change}`, () => chain.statusChangeEvent(issuerId, root, index, change), reads)).value
          : undefined,
      credentialStatuses: async (items) => {
        try {
          const answers = await this.cache.getMany(
            "credential",
            items.map((item) => `${chain.chain.chainId}:${credentialKey(item.issuerId, item.root, item.index)}`),
            (missing) => chain.credentialStatuses(missing.map((index) => items[index])),
          );
          reads.push(...answers.map((answer) => answer.readAt));
          for (const answer of answers) noteBlock(reads, blockOfStatus(chain, answer.value));
          return answers.map((answer) => answer.value);
        } catch (error) {
          throw new ChainUnavailableError(`cannot read chain ${chain.chain.chainId}: ${(error as Error).message.split("\n")[0]}`);
        }
      },
    };
  }

  async #credentialStatus(chain: ChainRegistry, issuerId: Hex, root: Hex, index: bigint, reads: number[]): Promise<OnChainCredentialStatus> {
    const { value, readAt } = await this.#read(chain, "credential", credentialKey(issuerId, root, index), () => chain.credentialStatus(issuerId, root, index));
    reads.push(readAt);
    noteBlock(reads, blockOfStatus(chain, value));
    return value;
  }

  async #read<T>(chain: ChainRegistry, kind: string, key: string, load: () => Promise<T>) {
    try {
      return await this.cache.get(kind, `${chain.chain.chainId}:${key}`, load);
    } catch (error) {
      throw new ChainUnavailableError(`cannot read chain ${chain.chain.chainId}: ${(error as Error).message.split("\n")[0]}`);
    }
  }

  /** A chain lookup through the cache, its read time and block noted in `reads`. */
  async #lookup<T>(chain: ChainRegistry, kind: string, key: string, load: () => Promise<AtBlock<T>>, reads: number[]): Promise<{ value: T }> {
    const { value, readAt } = await this.#read(chain, kind, key, load);
    reads.push(readAt);
    noteBlock(reads, value.block);
    return { value: value.value };
  }

  #freshness(reads: number[]): Freshness {
    const blocks = readBlocks.get(reads) ?? [];
    const oldest = blocks.reduce<BlockRead | undefined>((found, read) => (found === undefined || read.readAtMs < found.readAtMs ? read : found), undefined);
    const readAt = oldest?.readAtMs ?? (reads.length === 0 ? undefined : Math.min(...reads));
    return {
      chainReadAt: readAt === undefined ? null : new Date(readAt).toISOString(),
      chainBlock: oldest?.block ?? null,
      cacheTtlSeconds: this.cache.ttlSeconds,
    };
  }
}

/** How long one readiness probe answers /readyz. */
const READINESS_PROBE_MS = 2_000;

/**
 * The blocks of the reads an answer rests on, beside their read times (`reads`, which the memo reads):
 * kept apart so that the times stay plain numbers.
 */
const readBlocks = new WeakMap<number[], BlockRead[]>();

/** The block a status was read at; a reader that does not say (a test's double of the chain) names none. */
function blockOfStatus(chain: ChainRegistry, status: OnChainCredentialStatus): BlockRead | undefined {
  return typeof chain.blockOf === "function" ? chain.blockOf(status) : undefined;
}

function noteBlock(reads: number[], block: BlockRead | undefined): void {
  if (block === undefined) return;
  const blocks = readBlocks.get(reads);
  if (blocks) blocks.push(block);
  else readBlocks.set(reads, [block]);
}

function memoKeyOf(input: unknown): string | undefined {
  try {
    const text = JSON.stringify(input);
    return text === undefined ? undefined : `value:${createHash("sha256").update(text).digest("base64")}`;
  } catch {
    return undefined;
  }
}

/** The cache key of a credential-status read (without the chain id, which #read adds). */
function credentialKey(issuerId: Hex, root: Hex, index: bigint): string {
  return `${issuerId.toLowerCase()}:${root.toLowerCase()}:${index}`;
}

/**
 * How a request names an issuer: by its issuer id, and by its profile id when the request gave one (when
 * it gave the issuer id, the profile id is read from the IssuerRegistered event).
 */
export interface IssuerRef {
  issuerId: Hex;
  profileId?: string;
}

/** The issuer named by a canonical profile id or by its 0x issuer id (validated by the caller). */
export function issuerRef(profileIdOrIssuerId: string): IssuerRef {
  return /^0x[0-9a-fA-F]{64}$/.test(profileIdOrIssuerId)
    ? { issuerId: profileIdOrIssuerId.toLowerCase() as Hex }
    : { issuerId: issuerIdOfProfile(profileIdOrIssuerId), profileId: profileIdOrIssuerId };
}

const ZERO_ADDRESS = /^0x0{40}$/;
/** A root no batch has: reading it tells only the issuer's status. */
const ZERO_ROOT = `0x${"00".repeat(32)}` as Hex;
