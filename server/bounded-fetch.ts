/**
 * Fetching a JSON document a badge points at — an issuer's DID document or controller document, a
 * JSON-LD context on the allow-list, a status list — where the address comes from the badge, i.e. from
 * whoever wrote it. So every fetch is bounded and fails closed, with one sentence saying why:
 * HTTPS only (plain HTTP only to a loopback host, and only when allowed — tests serve documents on
 * 127.0.0.1, where no public CA issues certificates); a timeout over the whole exchange; a byte limit
 * enforced while the body streams (a server lying about or omitting Content-Length is cut off at the
 * limit, not after it); a JSON content type and a body that parses; a few redirects, each hop held to the
 * same rules (a redirect to http:// is refused like the URL itself would be).
 */
import { Agent, request } from "undici";

export type FetchProblemCode = "refused-url" | "timeout" | "too-large" | "not-json" | "http-status" | "network" | "redirects";

/** Why a document could not be fetched: `code` is stable, the message is the sentence for a person. */
export class DocumentFetchError extends Error {
  override readonly name = "DocumentFetchError";
  readonly code: FetchProblemCode;
  constructor(code: FetchProblemCode, message: string) {
    super(message);
    this.code = code;
  }
}

export interface BoundedFetchOptions {
  timeoutMs: number;
  maxBytes: number;
  /** Allow plain http:// to 127.0.0.1, localhost and ::1 (tests and local development). */
  allowLoopbackHttp: boolean;
  /** The Accept header. */
  accept?: string;
}

export type JsonFetcher = (url: string) => Promise<unknown>;

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);
const MAX_REDIRECTS = 3;
const DEFAULT_ACCEPT = "application/did+ld+json, application/did+json, application/ld+json, application/json;q=0.9";

/** Whether `host` (a URL's hostname) is this machine's loopback interface. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase());
}

/** The URL as it may be fetched, or a DocumentFetchError("refused-url") saying why not. */
export function checkFetchableUrl(raw: string, allowLoopbackHttp: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DocumentFetchError("refused-url", `${raw} is not a URL`);
  }
  if (url.username !== "" || url.password !== "") throw new DocumentFetchError("refused-url", `${describeUrl(url)}: a URL with user information is not fetched`);
  if (url.protocol === "https:") return url;
  if (url.protocol === "http:" && isLoopbackHost(url.hostname)) {
    if (allowLoopbackHttp) return url;
    throw new DocumentFetchError("refused-url", `${describeUrl(url)}: plain http:// is not fetched, not even from a loopback host (allowed only when configured, for tests)`);
  }
  throw new DocumentFetchError("refused-url", `${describeUrl(url)}: only https:// URLs are fetched`);
}

/** A URL for messages and metrics: scheme, host and path, never a query (which may carry a token). */
export function describeUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** Whether a Content-Type header names JSON (application/json, application/*+json, …). */
export function isJsonContentType(value: string | undefined): boolean {
  if (!value) return false;
  const type = value.split(";")[0].trim().toLowerCase();
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

/**
 * A fetcher of JSON documents under `options`' rules; one keep-alive pool for all its requests. Throws a
 * DocumentFetchError, never anything else.
 */
export function createJsonFetcher(options: BoundedFetchOptions): JsonFetcher {
  const dispatcher = new Agent({ connections: 16, keepAliveTimeout: 10_000, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs });
  return async (raw) => {
    // One deadline for the whole exchange, redirects included: a server trickling bytes cannot hold a request open.
    const signal = AbortSignal.timeout(options.timeoutMs);
    let url = checkFetchableUrl(raw, options.allowLoopbackHttp);
    for (let hop = 0; ; hop++) {
      const answer = await send(url, signal, options, dispatcher);
      if (answer.statusCode >= 300 && answer.statusCode < 400 && answer.headers.location) {
        await answer.body.dump().catch(() => {});
        if (hop >= MAX_REDIRECTS) throw new DocumentFetchError("redirects", `${describeUrl(url)}: more than ${MAX_REDIRECTS} redirects`);
        const location = Array.isArray(answer.headers.location) ? answer.headers.location[0] : answer.headers.location;
        url = checkFetchableUrl(new URL(location, url).href, options.allowLoopbackHttp);
        continue;
      }
      return readJson(url, answer, signal, options);
    }
  };
}

type Answer = Awaited<ReturnType<typeof request>>;

async function send(url: URL, signal: AbortSignal, options: BoundedFetchOptions, dispatcher: Agent): Promise<Answer> {
  try {
    return await request(url, { dispatcher, method: "GET", signal, headers: { accept: options.accept ?? DEFAULT_ACCEPT } });
  } catch (error) {
    throw networkProblem(url, error, signal, options);
  }
}

async function readJson(url: URL, answer: Answer, signal: AbortSignal, options: BoundedFetchOptions): Promise<unknown> {
  const where = describeUrl(url);
  // Destroying the body makes it emit an abort error: listened to, so it is not an uncaught exception.
  const discard = () => answer.body.on("error", () => {}).destroy();
  if (answer.statusCode !== 200) {
    discard();
    throw new DocumentFetchError("http-status", `${where} answered HTTP ${answer.statusCode}`);
  }
  const contentType = answer.headers["content-type"];
  const type = Array.isArray(contentType) ? contentType[0] : contentType;
  if (!isJsonContentType(type)) {
    discard();
    throw new DocumentFetchError("not-json", `${where} is not JSON (Content-Type ${type ?? "missing"})`);
  }
  const declared = Number(answer.headers["content-length"]);
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    discard();
    throw new DocumentFetchError("too-large", `${where} is ${declared} bytes; the limit is ${options.maxBytes}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of answer.body) {
      size += (chunk as Buffer).length;
      if (size > options.maxBytes) {
        discard();
        throw new DocumentFetchError("too-large", `${where} is more than ${options.maxBytes} bytes, the limit`);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof DocumentFetchError) throw error;
    throw networkProblem(url, error, signal, options);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
  } catch {
    throw new DocumentFetchError("not-json", `${where} is not JSON (its body does not parse)`);
  }
}

function networkProblem(url: URL, error: unknown, signal: AbortSignal, options: BoundedFetchOptions): DocumentFetchError {
  const where = describeUrl(url);
  const code = (error as { code?: string }).code;
  if (signal.aborted || code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") {
    return new DocumentFetchError("timeout", `${where} did not answer within ${options.timeoutMs} ms`);
  }
  const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
  return new DocumentFetchError("network", `cannot reach ${where}: ${code ?? message}`);
}
