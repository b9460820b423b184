/**
 * The verifier service's configuration, in one place, validated at start-up (zod) with defaults that work
 * on a developer's machine. From the environment:
 *
 *   CHAINS          JSON array of chains, or CHAINS_FILE: a JSON file holding that array. Each chain:
 *                   { chainId, rpcUrl | rpcUrls: [...], registry | deployment,
 *                     blockTag?: "latest"|"safe"|"finalized", confirmations?: n, maxHeadAgeSeconds?: s }
 *                   (deployment: an Ignition deployment folder to read the address from)
 *   RPC_URL, REGISTRY_ADDRESS, CHAIN_ID, BLOCK_TAG, CONFIRMATIONS   the same for a single chain; RPC_URL may
 *                   list several endpoints, comma-separated (tried in order: viem's fallback transport)
 *   MAX_HEAD_AGE_SECONDS   a chain whose node's head is older than this reads `unavailable` (for every chain
 *                   without its own maxHeadAgeSeconds). Default 120 on remote chains; 0 (no limit) on local
 *                   chains (chain ids 31337 and 1337: an automine node makes no block while idle, so an old
 *                   head there is normal, not a sign of a stuck node)
 *   Finality: by default reads are at the `safe` block on remote chains (12 confirmations below the head
 *   when the node does not know `safe`), and at the head itself on local chains: with automine each
 *   transaction is its own block, so any confirmation count would hide a badge anchored a moment ago until
 *   someone makes another block. Each node must answer the configured chain id (eth_chainId) before it is
 *   used, at start-up and after every failure; an endpoint answering another chain is left out and logged.
 *   HOST (127.0.0.1), PORT (8080), MAX_BODY_BYTES (262144), MAX_IMAGE_BYTES (2097152: a baked badge image
 *   sent to the verify route), RATE_LIMIT_PER_MINUTE (600),
 *   CACHE_TTL_SECONDS (15; 0 turns the cache off), RPC_TIMEOUT_MS (5000), LOG_LEVEL (info),
 *   MAX_PRESENTATION_SIZE (100 credentials in a portfolio), MAX_PRESENTATION_BYTES (4194304),
 *   TRUST_PROXY (false): behind a reverse proxy, which proxies to trust for the client's address (rate
 *   limits are per client): Express's "trust proxy" — true, a hop count, or addresses / subnets / loopback,
 *   linklocal, uniquelocal, comma-separated
 *
 * HTTP limits (server/http-server.ts), so that slow or idle clients cannot hold the service's sockets:
 *   HEADERS_TIMEOUT_MS (10000: the request line and headers must arrive within it), REQUEST_TIMEOUT_MS
 *   (30000: the whole request, body included — a 4 MiB portfolio at ~140 KB/s), MAX_CONNECTIONS (1000
 *   open at once; beyond, a new connection is closed at once), MAX_HEADER_BYTES (16384, Node's default)
 *
 * The trust policy (server/trust-policy.ts, lib/verify/trust-policy.ts): TRUST_POLICY (JSON) or
 *   TRUST_POLICY_FILE (a JSON file holding it) pins issuers to the registries trusted for them:
 *   { "issuers": [{ "id": "<profile id>" | "prefix": "<DID or https URL>", "registries": [{ "chainId": n,
 *     "registry": "0x…" }] }], "otherIssuers": "own-registry" | "none" }
 *   A prefix matches the ids under it on whole segments (did:web:uni.example → did:web:uni.example:cs;
 *   https://uni.example → https://uni.example/issuer; never https://uni.example.evil.com); the most
 *   specific entry decides. Unset: each registry is trusted for its own issuers, and a profile id that two
 *   configured registries both register is trusted on neither until the policy pins it.
 *
 * The signature check's documents (issuers' DID / controller documents, contexts; server/did-resolver.ts):
 *   DID_FETCH_TIMEOUT_MS (3000), DID_FETCH_MAX_BYTES (65536), DID_CACHE_TTL_SECONDS (300),
 *   DID_FAILURE_CACHE_TTL_SECONDS (30: a failed fetch is retried after this long), DID_CACHE_ENTRIES (1000),
 *   DID_ALLOW_LOOPBACK_HTTP (false: plain http:// to 127.0.0.1 / localhost / ::1, for tests only),
 *   PINNED_DID_DOCUMENTS: a folder of JSON documents (each under its own `id`) or a JSON file mapping id →
 *     document, used instead of fetching (air-gapped verifiers, tests),
 *   CONTEXT_ALLOW_LIST: comma-separated URLs (or prefixes ending in "/") of JSON-LD contexts the verifier
 *     may fetch when it does not hold them (default: none)
 *
 * The Bitstring Status Lists badges name (server/status-list-source.ts; compared with the chain, which
 * decides): fetched under the same rules (HTTPS only; DID_ALLOW_LOOPBACK_HTTP allows loopback http for them
 * too), with limits of their own: STATUS_LIST_FETCH_TIMEOUT_MS (3000), STATUS_LIST_MAX_BYTES (262144: a
 * list of 131,072 entries with many set is ~22 KB; room for lists eight times as large),
 * STATUS_LIST_CACHE_TTL_SECONDS (300), STATUS_LIST_FAILURE_CACHE_TTL_SECONDS (30), STATUS_LIST_CACHE_ENTRIES
 * (256: a second bound beside the bytes below)
 *
 * Memory: every cache is bounded in bytes (estimated; least recently used evicted first), each reported
 * in /metrics as verifier_cache_bytes / verifier_cache_entries / verifier_cache_evictions_total{cache}:
 *   VERDICT_CACHE_MAX_BYTES (67108864: remembered verdicts, kept as their JSON text),
 *   READ_CACHE_MAX_BYTES (16777216: chain reads), DID_CACHE_MAX_BYTES (16777216: each of the DID /
 *   controller-document cache and the fetched-context cache), STATUS_LIST_CACHE_MAX_BYTES (16777216).
 *   DID_CACHE_ENTRIES and STATUS_LIST_CACHE_ENTRIES still bound the entries too; the bytes bind first for
 *   large documents. (Before: bounds in entries only, 10,000 verdicts of up to 256 KB each.)
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

import { z } from "zod";

import { DEFAULT_MAX_IMAGE_BYTES } from "../lib/baked/baked-badge.js";
import { DEFAULT_TRUST_POLICY, type TrustPolicy } from "../lib/verify/trust-policy.js";
import { parseTrustPolicy } from "./trust-policy.js";

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be an address (0x and 40 hex digits)");

// HTTP(S) only: the chain reader speaks JSON-RPC over HTTP (a ws:// URL would pass here and fail every read).
const rpcUrl = z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" });

export const chainConfigSchema = z
  .object({
    chainId: z.number().int().positive(),
    rpcUrl: rpcUrl.optional(),
    rpcUrls: z.array(rpcUrl).min(1, "must list at least one URL").optional(),
    registry: address.optional(),
    deployment: z.string().optional(),
    blockTag: z.enum(["latest", "safe", "finalized"]).optional(),
    confirmations: z.number().int().nonnegative().optional(),
    maxHeadAgeSeconds: z.number().int().nonnegative().optional(),
    name: z.string().optional(),
  })
  .refine((chain) => chain.rpcUrl !== undefined || chain.rpcUrls !== undefined, { message: "needs an rpcUrl or rpcUrls", path: ["rpcUrl"] })
  .refine((chain) => chain.registry !== undefined || chain.deployment !== undefined, "needs a registry address or a deployment folder")
  .refine((chain) => !chain.confirmations || chain.blockTag === undefined || chain.blockTag === "latest", "confirmations count back from the latest block only");

export type ChainConfigInput = z.input<typeof chainConfigSchema>;

export interface ChainConfig {
  chainId: number;
  name: string;
  /** The first endpoint (as configured before several were allowed). */
  rpcUrl: string;
  /** Every endpoint, in the order they are tried (default: rpcUrl alone). */
  rpcUrls?: string[];
  registry: `0x${string}`;
  blockTag: "latest" | "safe" | "finalized";
  confirmations: number;
  /** A head older than this fails the chain's reads; 0: no limit (default: 0 on local chains, 120 elsewhere). */
  maxHeadAgeSeconds?: number;
  /** With a finality tag the node does not know, read this many blocks below the head instead (default: fail). */
  fallbackConfirmations?: number;
}

/** Chain ids of local development chains (Hardhat, Anvil, Ganache). */
export const LOCAL_CHAIN_IDS: ReadonlySet<number> = new Set([31337, 1337]);
/** A head older than this on a remote chain is a node behind or stuck. */
export const DEFAULT_MAX_HEAD_AGE_SECONDS = 120;
/** Below the head, where a remote node without the `safe` tag is read by default: ~2.5 minutes of 12 s blocks. */
export const DEFAULT_CONFIRMATIONS_WITHOUT_SAFE = 12;

export interface ServerConfig {
  host: string;
  port: number;
  maxBodyBytes: number;
  maxImageBytes: number;
  rateLimitPerMinute: number;
  cacheTtlSeconds: number;
  rpcTimeoutMs: number;
  logLevel: string;
  maxPresentationSize: number;
  maxPresentationBytes: number;
  trustProxy: TrustProxy;
  chains: ChainConfig[];
  documents: DocumentFetchConfig;
  trustPolicy: TrustPolicy;
  http: HttpLimits;
  caches: CacheBytesConfig;
}

/** The http.Server's limits on slow and numerous clients (server/http-server.ts). */
export interface HttpLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  maxConnections: number;
  maxHeaderBytes: number;
}

export const DEFAULT_HTTP_LIMITS: Readonly<HttpLimits> = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, maxConnections: 1000, maxHeaderBytes: 16 * 1024 };

/** The byte bound of each cache (see the top of this file). */
export interface CacheBytesConfig {
  verdictBytes: number;
  chainReadBytes: number;
  /** Each of the DID-document and the context caches. */
  documentBytes: number;
  statusListBytes: number;
}

export const DEFAULT_CACHE_BYTES: Readonly<CacheBytesConfig> = {
  verdictBytes: 64 * 1024 * 1024,
  chainReadBytes: 16 * 1024 * 1024,
  documentBytes: 16 * 1024 * 1024,
  statusListBytes: 16 * 1024 * 1024,
};

/** How the signature check fetches documents: DID / controller documents and allow-listed contexts. */
export interface DocumentFetchConfig {
  timeoutMs: number;
  maxBytes: number;
  ttlSeconds: number;
  failureTtlSeconds: number;
  maxEntries: number;
  allowLoopbackHttp: boolean;
  /** Documents by controller id, used instead of fetching. */
  pinned: Map<string, unknown>;
  contextAllowList: string[];
  statusLists: StatusListFetchConfig;
}

/** How status list credentials are fetched and cached (loopback http as for DID documents). */
export interface StatusListFetchConfig {
  timeoutMs: number;
  maxBytes: number;
  ttlSeconds: number;
  failureTtlSeconds: number;
  maxEntries: number;
}

export const DEFAULT_STATUS_LIST_FETCH: Readonly<StatusListFetchConfig> = {
  timeoutMs: 3000,
  maxBytes: 256 * 1024,
  ttlSeconds: 300,
  failureTtlSeconds: 30,
  maxEntries: 256,
};

export const DEFAULT_DOCUMENT_FETCH: Readonly<Omit<DocumentFetchConfig, "pinned" | "contextAllowList">> = {
  timeoutMs: 3000,
  maxBytes: 64 * 1024,
  ttlSeconds: 300,
  failureTtlSeconds: 30,
  maxEntries: 1000,
  allowLoopbackHttp: false,
  statusLists: DEFAULT_STATUS_LIST_FETCH,
};

/** Express's "trust proxy" setting: none, all, the nearest n hops, or these addresses and subnets. */
export type TrustProxy = boolean | number | string;

const trustProxy = z
  .string()
  .trim()
  .default("false")
  .transform((value): TrustProxy => {
    if (value === "" || value === "false") return false;
    if (value === "true") return true;
    return /^\d+$/.test(value) ? Number(value) : value;
  });

const numberFromEnv = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);

const serverSchema = z.object({
  HOST: z.string().default("127.0.0.1"),
  PORT: numberFromEnv(8080),
  MAX_BODY_BYTES: numberFromEnv(256 * 1024),
  MAX_IMAGE_BYTES: numberFromEnv(DEFAULT_MAX_IMAGE_BYTES),
  RATE_LIMIT_PER_MINUTE: numberFromEnv(600),
  CACHE_TTL_SECONDS: numberFromEnv(15),
  RPC_TIMEOUT_MS: numberFromEnv(5000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  MAX_PRESENTATION_SIZE: numberFromEnv(100),
  MAX_PRESENTATION_BYTES: numberFromEnv(4 * 1024 * 1024),
  TRUST_PROXY: trustProxy,
  DID_FETCH_TIMEOUT_MS: numberFromEnv(DEFAULT_DOCUMENT_FETCH.timeoutMs),
  DID_FETCH_MAX_BYTES: numberFromEnv(DEFAULT_DOCUMENT_FETCH.maxBytes),
  DID_CACHE_TTL_SECONDS: numberFromEnv(DEFAULT_DOCUMENT_FETCH.ttlSeconds),
  DID_FAILURE_CACHE_TTL_SECONDS: numberFromEnv(DEFAULT_DOCUMENT_FETCH.failureTtlSeconds),
  DID_CACHE_ENTRIES: numberFromEnv(DEFAULT_DOCUMENT_FETCH.maxEntries),
  DID_ALLOW_LOOPBACK_HTTP: z.enum(["true", "false"], { error: 'must be "true" or "false"' }).default("false").transform((value) => value === "true"),
  PINNED_DID_DOCUMENTS: z.string().optional(),
  CONTEXT_ALLOW_LIST: z
    .string()
    .default("")
    .transform((value) => value.split(",").map((entry) => entry.trim()).filter((entry) => entry !== ""))
    .pipe(z.array(z.url({ protocol: /^https?$/, error: "each entry must be an http(s) URL" }))),
  STATUS_LIST_FETCH_TIMEOUT_MS: numberFromEnv(DEFAULT_STATUS_LIST_FETCH.timeoutMs),
  STATUS_LIST_MAX_BYTES: numberFromEnv(DEFAULT_STATUS_LIST_FETCH.maxBytes),
  STATUS_LIST_CACHE_TTL_SECONDS: numberFromEnv(DEFAULT_STATUS_LIST_FETCH.ttlSeconds),
  STATUS_LIST_FAILURE_CACHE_TTL_SECONDS: numberFromEnv(DEFAULT_STATUS_LIST_FETCH.failureTtlSeconds),
  STATUS_LIST_CACHE_ENTRIES: numberFromEnv(DEFAULT_STATUS_LIST_FETCH.maxEntries),
  HEADERS_TIMEOUT_MS: z.coerce.number().int().positive().default(DEFAULT_HTTP_LIMITS.headersTimeoutMs),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(DEFAULT_HTTP_LIMITS.requestTimeoutMs),
  MAX_CONNECTIONS: z.coerce.number().int().positive().default(DEFAULT_HTTP_LIMITS.maxConnections),
  MAX_HEADER_BYTES: z.coerce.number().int().min(1024).default(DEFAULT_HTTP_LIMITS.maxHeaderBytes),
  VERDICT_CACHE_MAX_BYTES: numberFromEnv(DEFAULT_CACHE_BYTES.verdictBytes),
  READ_CACHE_MAX_BYTES: numberFromEnv(DEFAULT_CACHE_BYTES.chainReadBytes),
  DID_CACHE_MAX_BYTES: numberFromEnv(DEFAULT_CACHE_BYTES.documentBytes),
  STATUS_LIST_CACHE_MAX_BYTES: numberFromEnv(DEFAULT_CACHE_BYTES.statusListBytes),
});

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** The configuration from `env` (the process environment by default); throws ConfigError saying what is wrong. */
export function loadConfig(env: Record<string, string | undefined> = process.env, baseDir = process.cwd()): ServerConfig {
  const server = serverSchema.safeParse(env);
  if (!server.success) throw new ConfigError(describe(server.error));
  const chains = chainsFromEnv(env, baseDir);
  const values = server.data;
  // Node refuses a headers timeout longer than the request's; said here, at start-up, in our terms.
  if (values.HEADERS_TIMEOUT_MS > values.REQUEST_TIMEOUT_MS) throw new ConfigError("HEADERS_TIMEOUT_MS must not be longer than REQUEST_TIMEOUT_MS");
  return {
    host: values.HOST,
    port: values.PORT,
    maxBodyBytes: values.MAX_BODY_BYTES,
    maxImageBytes: values.MAX_IMAGE_BYTES,
    rateLimitPerMinute: values.RATE_LIMIT_PER_MINUTE,
    cacheTtlSeconds: values.CACHE_TTL_SECONDS,
    rpcTimeoutMs: values.RPC_TIMEOUT_MS,
    logLevel: values.LOG_LEVEL,
    maxPresentationSize: values.MAX_PRESENTATION_SIZE,
    maxPresentationBytes: values.MAX_PRESENTATION_BYTES,
    trustProxy: values.TRUST_PROXY,
    chains,
    trustPolicy: trustPolicyFromEnv(env, baseDir, chains),
    http: {
      headersTimeoutMs: values.HEADERS_TIMEOUT_MS,
      requestTimeoutMs: values.REQUEST_TIMEOUT_MS,
      maxConnections: values.MAX_CONNECTIONS,
      maxHeaderBytes: values.MAX_HEADER_BYTES,
    },
    documents: {
      timeoutMs: values.DID_FETCH_TIMEOUT_MS,
      maxBytes: values.DID_FETCH_MAX_BYTES,
      ttlSeconds: values.DID_CACHE_TTL_SECONDS,
      failureTtlSeconds: values.DID_FAILURE_CACHE_TTL_SECONDS,
      maxEntries: values.DID_CACHE_ENTRIES,
      allowLoopbackHttp: values.DID_ALLOW_LOOPBACK_HTTP,
      pinned: values.PINNED_DID_DOCUMENTS ? pinnedDocuments(path.resolve(baseDir, values.PINNED_DID_DOCUMENTS)) : new Map(),
      contextAllowList: values.CONTEXT_ALLOW_LIST,
      statusLists: {
        timeoutMs: values.STATUS_LIST_FETCH_TIMEOUT_MS,
        maxBytes: values.STATUS_LIST_MAX_BYTES,
        ttlSeconds: values.STATUS_LIST_CACHE_TTL_SECONDS,
        failureTtlSeconds: values.STATUS_LIST_FAILURE_CACHE_TTL_SECONDS,
        maxEntries: values.STATUS_LIST_CACHE_ENTRIES,
      },
    },
    caches: {
      verdictBytes: values.VERDICT_CACHE_MAX_BYTES,
      chainReadBytes: values.READ_CACHE_MAX_BYTES,
      documentBytes: values.DID_CACHE_MAX_BYTES,
      statusListBytes: values.STATUS_LIST_CACHE_MAX_BYTES,
    },
  };
}

/**
 * Pinned DID / controller documents: a folder of `*.json` documents, each pinned under its own `id`, or one
 * JSON file mapping id → document. A document pinned under an id that is not its own is refused: it would
 * give one issuer's keys to another.
 */
export function pinnedDocuments(location: string): Map<string, unknown> {
  let entries: Array<[string, unknown, string]>;
  let isFolder: boolean;
  try {
    isFolder = statSync(location).isDirectory();
  } catch {
    throw new ConfigError(`PINNED_DID_DOCUMENTS: cannot read ${location}`);
  }
  if (isFolder) {
    entries = readdirSync(location)
      .filter((name) => name.endsWith(".json"))
      .sort()
      .map((name) => {
        const file = path.join(location, name);
        const document = parseJson(readText(file, "PINNED_DID_DOCUMENTS"), file);
        const id = (document as { id?: unknown } | null)?.id;
        if (typeof id !== "string") throw new ConfigError(`PINNED_DID_DOCUMENTS: ${file} has no "id" to pin it under`);
        return [id, document, file];
      });
  } else {
    const mapping = parseJson(readText(location, "PINNED_DID_DOCUMENTS"), location);
    if (mapping === null || typeof mapping !== "object" || Array.isArray(mapping)) throw new ConfigError(`PINNED_DID_DOCUMENTS: ${location} must map ids to documents`);
    entries = Object.entries(mapping).map(([id, document]) => [id, document, `${location} ${JSON.stringify(id)}`]);
  }
  const pinned = new Map<string, unknown>();
  for (const [id, document, where] of entries) {
    if (document === null || typeof document !== "object" || Array.isArray(document)) throw new ConfigError(`PINNED_DID_DOCUMENTS: ${where} is not a JSON object`);
    if (!/^(did:[a-z0-9]+:|https:\/\/)/.test(id)) throw new ConfigError(`PINNED_DID_DOCUMENTS: ${where} has id ${JSON.stringify(id)}, which is neither a DID nor an https URL`);
    if ((document as { id?: unknown }).id !== id) throw new ConfigError(`PINNED_DID_DOCUMENTS: ${where} is the document of ${JSON.stringify((document as { id?: unknown }).id) ?? "no id"}, not ${id}`);
    pinned.set(id, document);
  }
  return pinned;
}

/** TRUST_POLICY or TRUST_POLICY_FILE, checked against the configured chains; the default policy when neither is set. */
function trustPolicyFromEnv(env: Record<string, string | undefined>, baseDir: string, chains: ChainConfig[]): TrustPolicy {
  if (env.TRUST_POLICY && env.TRUST_POLICY_FILE) throw new ConfigError("set TRUST_POLICY or TRUST_POLICY_FILE, not both");
  let raw: unknown;
  if (env.TRUST_POLICY_FILE) raw = parseJson(readText(path.resolve(baseDir, env.TRUST_POLICY_FILE), "TRUST_POLICY_FILE"), "TRUST_POLICY_FILE");
  else if (env.TRUST_POLICY) raw = parseJson(env.TRUST_POLICY, "TRUST_POLICY");
  else return DEFAULT_TRUST_POLICY;
  const parsed = parseTrustPolicy(raw, chains);
  if (!parsed.ok) throw new ConfigError(parsed.problem);
  return parsed.policy;
}

/** Whether any chain is configured (otherwise `npm start` runs a local chain of its own). */
export function hasChainConfig(env: Record<string, string | undefined> = process.env): boolean {
  return Boolean(env.CHAINS || env.CHAINS_FILE || env.RPC_URL);
}

function chainsFromEnv(env: Record<string, string | undefined>, baseDir: string): ChainConfig[] {
  let raw: unknown;
  if (env.CHAINS_FILE) {
    raw = parseJson(readText(path.resolve(baseDir, env.CHAINS_FILE), "CHAINS_FILE"), "CHAINS_FILE");
  } else if (env.CHAINS) {
    raw = parseJson(env.CHAINS, "CHAINS");
  } else if (env.RPC_URL) {
    const urls = env.RPC_URL.split(",").map((url) => url.trim()).filter((url) => url !== "");
    raw = [
      {
        chainId: Number(env.CHAIN_ID ?? 31337),
        rpcUrls: urls,
        registry: env.REGISTRY_ADDRESS,
        deployment: env.REGISTRY_DEPLOYMENT,
        blockTag: env.BLOCK_TAG,
        confirmations: env.CONFIRMATIONS === undefined ? undefined : Number(env.CONFIRMATIONS),
      },
    ];
  } else {
    throw new ConfigError("no chain configured: set CHAINS, CHAINS_FILE or RPC_URL with REGISTRY_ADDRESS");
  }
  const parsed = z.array(chainConfigSchema).min(1, "must list at least one chain").safeParse(raw);
  if (!parsed.success) throw new ConfigError(describe(parsed.error, "chains"));
  const ids = parsed.data.map((chain) => chain.chainId);
  if (new Set(ids).size !== ids.length) throw new ConfigError("chains: each chain id may appear once");
  const maxHeadAge = z.coerce.number().int().nonnegative().optional().safeParse(env.MAX_HEAD_AGE_SECONDS || undefined);
  if (!maxHeadAge.success) throw new ConfigError(describe(maxHeadAge.error, "MAX_HEAD_AGE_SECONDS"));
  return parsed.data.map((chain) => ({
    chainId: chain.chainId,
    name: chain.name ?? `chain ${chain.chainId}`,
    rpcUrl: chain.rpcUrl ?? chain.rpcUrls![0],
    rpcUrls: chain.rpcUrls ?? [chain.rpcUrl!],
    registry: (chain.registry ?? registryFromDeployment(path.resolve(baseDir, chain.deployment!))) as `0x${string}`,
    ...finalityOf(chain),
    maxHeadAgeSeconds: chain.maxHeadAgeSeconds ?? maxHeadAge.data ?? (LOCAL_CHAIN_IDS.has(chain.chainId) ? 0 : DEFAULT_MAX_HEAD_AGE_SECONDS),
  }));
}

/**
 * Where a chain is read, when its configuration does not say: local chains at the head (automine makes a
 * block per transaction, so confirmations would hide a just-anchored badge until another block is made);
 * remote chains at `safe`, or 12 blocks below the head on a node that does not know `safe`.
 */
function finalityOf(chain: z.output<typeof chainConfigSchema>): Pick<ChainConfig, "blockTag" | "confirmations" | "fallbackConfirmations"> {
  if (chain.blockTag !== undefined) return { blockTag: chain.blockTag, confirmations: chain.confirmations ?? 0 };
  if (chain.confirmations !== undefined || LOCAL_CHAIN_IDS.has(chain.chainId)) return { blockTag: "latest", confirmations: chain.confirmations ?? 0 };
  return { blockTag: "safe", confirmations: 0, fallbackConfirmations: DEFAULT_CONFIRMATIONS_WITHOUT_SAFE };
}

/** The registry's address recorded by Hardhat Ignition in a deployment folder. */
export function registryFromDeployment(folder: string): string {
  const file = path.join(folder, "deployed_addresses.json");
  const deployed = parseJson(readText(file, "deployment"), file) as Record<string, string>;
  const found = deployed["CredentialRegistryModule#CredentialRegistry"];
  if (!found || !/^0x[0-9a-fA-F]{40}$/.test(found)) throw new ConfigError(`${file} records no CredentialRegistry`);
  return found;
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    throw new ConfigError(`${what}: cannot read ${file}`);
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${what} is not valid JSON: ${(error as Error).message}`);
  }
}

function describe(error: z.ZodError, prefix?: string): string {
  return error.issues
    .map((issue) => `${[prefix, ...issue.path].filter((part) => part !== undefined).join(".")}: ${issue.message}`)
    .join("; ");
}
