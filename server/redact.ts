/**
 * RPC URLs usually carry the secret that pays for them (an API key in the path or the query, or a user and
 * password), and viem puts the URL, and the request body, in every error it raises ("URL: …", "Request
 * body: …"). Everything the service logs or answers about a chain goes through here first: a URL keeps its
 * scheme, host and port — enough to tell endpoints apart — and loses everything else.
 */

/** Any http(s) URL inside a text (up to the first blank, quote or bracket). */
const URL_IN_TEXT = /\bhttps?:\/\/[^\s"'<>()[\]{}]+/gi;
/** viem's detail lines that repeat the URL or the request (the body can hold a key of its own). */
const VIEM_DETAIL_LINE = /^\s*(URL|Request body|Gateway URL):.*$/gim;

/**
 * `https://host:port/…` for a URL with anything after its host (path, query, fragment, user info),
 * `https://host:port` for one without; a string that is not a URL is replaced whole.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "<an RPC URL>";
  }
  const hidden = parsed.username !== "" || parsed.password !== "" || parsed.pathname.length > 1 || parsed.search !== "" || parsed.hash !== "";
  return `${parsed.protocol}//${parsed.host}${hidden ? "/…" : ""}`;
}

/**
 * `text` with viem's URL and request-body lines removed, every URL in it redacted, and each of `secrets`
 * (the configured RPC URLs, whole) replaced as well, in case one appears in a form the pattern misses.
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let result = text.replace(VIEM_DETAIL_LINE, "").replace(/\n{2,}/g, "\n").trim();
  for (const secret of secrets) if (secret !== "") result = result.split(secret).join(redactUrl(secret));
  return result.replace(URL_IN_TEXT, (url) => redactUrl(url));
}

/** A plain Error with the redacted message of `error` and nothing else (no cause, no url, no body). */
export function redactedError(error: unknown, secrets: readonly string[] = []): Error {
  const message = error instanceof Error ? error.message : String(error);
  const redacted = new Error(redactText(message, secrets));
  redacted.name = error instanceof Error ? error.name : "Error";
  return redacted;
}
