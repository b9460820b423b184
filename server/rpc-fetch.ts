/**
 * The fetch that viem's http transport uses to reach the nodes. Node's built-in fetch costs ~0.9 ms of CPU
 * per JSON-RPC request on our 2-core machines (WHATWG streams, Request/Headers objects); undici's
 * `request` on a keep-alive pool does the same round trip for ~0.2 ms (bench/README.md, "Verifying over
 * HTTP"). viem needs a fetch-shaped function (it reads status, headers and the body), so this adapts one
 * to the other; no retries or redirects — viem handles errors and timeouts (via the abort signal).
 *
 * It also checks that a successful answer is the answer to the request sent: viem (2.57) returns the
 * `result` of whatever JSON object comes back for a single request without looking at its `id`, so a
 * proxy or node answering another request's id, or with a JSON value that is no JSON-RPC response at
 * all, would be believed. Such an answer fails here (RpcAnswerError), and the read with it: `unavailable`.
 */
import { Agent, request } from "undici";

/** Statuses whose Response must not have a body (the Response constructor throws otherwise). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** A node's answer that is not the JSON-RPC response to the request (wrong id, not JSON, not JSON-RPC). */
export class RpcAnswerError extends Error {
  override readonly name = "RpcAnswerError";
}

export function createRpcFetch(options: { connections?: number } = {}): typeof fetch {
  const dispatcher = new Agent({ connections: options.connections ?? 64, keepAliveTimeout: 30_000 });
  return async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const body = init?.body as string | undefined;
    const answer = await request(url, {
      dispatcher,
      method: (init?.method ?? "GET") as "GET" | "POST",
      headers: init?.headers as Record<string, string> | undefined,
      body,
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
    // Error statuses are viem's to report (it reads a JSON-RPC error body when there is one).
    if (status >= 200 && status < 300 && body !== undefined) checkAnswer(body, text);
    return new Response(NULL_BODY_STATUSES.has(status) ? null : text, { status, headers });
  };
}

/** Throws RpcAnswerError unless `text` is the JSON-RPC response (or batch of responses) to `requestBody`. */
export function checkAnswer(requestBody: string, text: string): void {
  let sent: unknown;
  try {
    sent = JSON.parse(requestBody);
  } catch {
    return; // not a JSON-RPC request of ours: nothing to match
  }
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    throw new RpcAnswerError(`the node's answer is not JSON (${text.length} bytes)`);
  }
  if (Array.isArray(sent)) {
    if (!Array.isArray(answer)) {
      // A node refusing a whole batch answers one error object; viem reports it.
      if (isResponse(answer) && "error" in answer) return;
      throw new RpcAnswerError("the node answered a batch request with something other than a batch");
    }
    const expected = new Set(sent.map((call) => idOf(call)));
    for (const item of answer) {
      if (!isResponse(item)) throw new RpcAnswerError("an answer in the node's batch is not a JSON-RPC response");
      if (!expected.delete(idOf(item))) throw new RpcAnswerError(`the node's batch answers id ${JSON.stringify(item.id)}, which was not asked (or twice)`);
    }
    if (expected.size > 0) throw new RpcAnswerError(`the node's batch leaves ${expected.size} request(s) unanswered`);
    return;
  }
  if (!isResponse(answer)) throw new RpcAnswerError("the node's answer is not a JSON-RPC response");
  const id = idOf(sent);
  if (idOf(answer) !== id) throw new RpcAnswerError(`the node answered id ${JSON.stringify(answer.id)} to request id ${id}`);
}

function isResponse(value: unknown): value is { id: unknown; result?: unknown; error?: unknown } {
  return value !== null && typeof value === "object" && !Array.isArray(value) && "id" in value && ("result" in value || "error" in value);
}

function idOf(value: unknown): string {
  return JSON.stringify((value as { id?: unknown } | null)?.id ?? null);
}
