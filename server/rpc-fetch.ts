/**
 * The fetch that viem's http transport uses to reach the nodes. Node's built-in fetch costs ~0.9 ms of CPU
 * per JSON-RPC request on our 2-core machines (WHATWG streams, Request/Headers objects); undici's
 * `request` on a keep-alive pool does the same round trip for ~0.2 ms (bench/README.md, "Verifying over
 * HTTP"). viem needs a fetch-shaped function (it reads status, headers and the body), so this adapts one
 * to the other; no retries or redirects — viem handles errors and timeouts (via the abort signal).
 */
import { Agent, request } from "undici";

/** Statuses whose Response must not have a body (the Response constructor throws otherwise). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

export function createRpcFetch(options: { connections?: number } = {}): typeof fetch {
  const dispatcher = new Agent({ connections: options.connections ?? 64, keepAliveTimeout: 30_000 });
  return async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const answer = await request(url, {
      dispatcher,
      method: (init?.method ?? "GET") as "GET" | "POST",
      headers: init?.headers as Record<string, string> | undefined,
      body: init?.body as string | undefined,
      signal: init?.signal ?? undefined,
    });
    const text = await answer.body.text();
    const headers = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    const status = answer.statusCode;
    // Response accepts 200–599 only; anything else from a node is an answer viem should treat as a failure.
    if (status < 200 || status > 599) return new Response(null, { status: 502, statusText: `unexpected HTTP status ${status}`, headers });
    return new Response(NULL_BODY_STATUSES.has(status) ? null : text, { status, headers });
  };
}
