/**
 * Two savings on the verify route's warm path, where a remembered answer is sent again:
 * the request body's digest is taken from the raw bytes as express.json reads them (cheaper than
 * serializing the parsed value again to find the remembered answer), and a response object's JSON text is
 * kept as long as the object lives, so a remembered answer is not serialized again.
 */
import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";

import type { Response } from "express";

const bodyDigests = new WeakMap<IncomingMessage, string>();
const serialized = new WeakMap<object, string>();

/** express.json's `verify` hook: remembers the digest of the body's bytes. */
export function rememberBodyDigest(request: IncomingMessage, _response: unknown, body: Buffer): void {
  bodyDigests.set(request, `body:${createHash("sha256").update(body).digest("base64")}`);
}

export function bodyDigestOf(request: IncomingMessage): string | undefined {
  return bodyDigests.get(request);
}

/** Sends `value` as JSON, serializing a given object once however often it is sent. */
export function sendJson(response: Response, status: number, value: object): void {
  let text = serialized.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    serialized.set(value, text);
  }
  response.status(status).type("application/json").send(text);
}
