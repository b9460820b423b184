/**
 * A chain's RPC endpoints as one viem transport: each endpoint must prove it serves the configured chain
 * (`eth_chainId`) before it is used, and again after any failure (a reconnect may reach another node);
 * one that answers for another chain is set aside — logged, with its URL redacted — and asked again only
 * after DROPPED_RECHECK_MS. Several endpoints go through viem's `fallback` transport (the next one is
 * tried when one fails or is set aside); a single one is used directly (fallback builds its transports
 * anew for every request, a cost one endpoint need not pay).
 */
import { fallback, http, type EIP1193RequestFn, type Transport } from "viem";

import { redactUrl } from "./redact.js";
import { createRpcFetch } from "./rpc-fetch.js";

/** How long an endpoint that answered for another chain is left out before it may prove itself again. */
export const DROPPED_RECHECK_MS = 5_000;

export type EndpointState = "unproven" | "proven" | "wrong-chain" | "failing";

export interface EndpointLog {
  /** An endpoint answered for another chain and is left out. */
  dropped(endpoint: string, detail: string): void;
  /** An endpoint proved itself after having failed or been left out. */
  restored(endpoint: string): void;
}

/** An endpoint that refused to serve: it answers another chain id (the message names it, redacted). */
export class EndpointRefusedError extends Error {
  override readonly name = "EndpointRefusedError";
}

interface Endpoint {
  /** The URL as it may be shown: scheme, host and port. */
  shown: string;
  state: EndpointState;
  since: number;
  /** Why it was left out, when it was. */
  refusal: string;
  proving: Promise<void> | undefined;
}

export class ChainEndpoints {
  readonly transport: Transport;
  readonly #endpoints: Endpoint[];
  readonly #chainId: number;
  readonly #log: EndpointLog | undefined;
  readonly #now: () => number;
  readonly #provers: Array<() => Promise<void>> = [];

  constructor(options: { chainId: number; urls: readonly string[]; timeoutMs: number; log?: EndpointLog; now?: () => number }) {
    this.#chainId = options.chainId;
    this.#log = options.log;
    this.#now = options.now ?? Date.now;
    const fetchFn = createRpcFetch();
    this.#endpoints = options.urls.map((url) => ({ shown: redactUrl(url), state: "unproven", since: 0, refusal: "", proving: undefined }));
    const transports = options.urls.map((url, index) =>
      this.#guarded(http(url, { batch: false, timeout: options.timeoutMs, retryCount: 0, fetchFn }), this.#endpoints[index]),
    );
    this.transport = transports.length === 1 ? transports[0] : fallback(transports, { rank: false, retryCount: 0 });
  }

  /** Each endpoint's state, as /readyz shows them. */
  health(): { total: number; healthy: number; endpoints: Array<{ endpoint: string; state: EndpointState }> } {
    return {
      total: this.#endpoints.length,
      healthy: this.#endpoints.filter((endpoint) => endpoint.state === "proven").length,
      endpoints: this.#endpoints.map((endpoint) => ({ endpoint: endpoint.shown, state: endpoint.state })),
    };
  }

  /** Asks every endpoint to prove itself now (at start-up); never throws — the states say how it went. */
  async proveAll(): Promise<void> {
    await Promise.all(this.#provers.map((prove) => prove().catch(() => {})));
  }

  /** `base` used only once its endpoint has proved its chain id; any failure makes it prove itself again. */
  #guarded(base: Transport, endpoint: Endpoint): Transport {
    const ask = base({ retryCount: 0 }).request;
    const prove = (): Promise<void> => {
      endpoint.proving ??= (async () => {
        const answered = await ask({ method: "eth_chainId" });
        const chainId = typeof answered === "string" && /^0x[0-9a-fA-F]+$/.test(answered) ? Number(BigInt(answered)) : Number.NaN;
        if (chainId !== this.#chainId) {
          const detail = `${endpoint.shown} answers chain id ${Number.isNaN(chainId) ? JSON.stringify(answered) : chainId}, not the configured ${this.#chainId}`;
          if (endpoint.state !== "wrong-chain") this.#log?.dropped(endpoint.shown, detail);
          this.#set(endpoint, "wrong-chain");
          endpoint.refusal = `${detail}: left out`;
          throw new EndpointRefusedError(endpoint.refusal);
        }
        if (endpoint.state === "wrong-chain" || endpoint.state === "failing") this.#log?.restored(endpoint.shown);
        this.#set(endpoint, "proven");
      })()
        .catch((error: unknown) => {
          if (endpoint.state !== "wrong-chain") this.#set(endpoint, "failing");
          throw error;
        })
        .finally(() => (endpoint.proving = undefined));
      return endpoint.proving;
    };
    this.#provers.push(prove);
    return (parameters) => {
      const instance = base(parameters);
      const guardedRequest = (async (args, options) => {
        if (endpoint.state === "wrong-chain" && this.#now() - endpoint.since < DROPPED_RECHECK_MS) {
          throw new EndpointRefusedError(endpoint.refusal);
        }
        if (endpoint.state !== "proven") await prove();
        try {
          return await instance.request(args, options);
        } catch (error) {
          // A JSON-RPC error is an answer (the node is there); anything else may hide another node next time.
          if (typeof (error as { code?: unknown }).code !== "number") this.#set(endpoint, "failing");
          throw error;
        }
      }) as EIP1193RequestFn;
      return { ...instance, request: guardedRequest };
    };
  }

  #set(endpoint: Endpoint, state: EndpointState): void {
    if (endpoint.state !== state) endpoint.since = this.#now();
    endpoint.state = state;
  }
}
