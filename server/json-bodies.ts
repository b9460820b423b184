/**
 * The verify route's body, read lean for its warm path, where a remembered answer is sent again: the body
 * arrives as bytes (express.raw), its digest finds the remembered answer, and it is decoded and parsed only
 * when there is none — JSON.parse and decoding are the larger part of a warm request's body handling.
 * A remembered answer is kept as its JSON text (server/verdict-memo.ts) and sent as it is.
 */
import { createHash } from "node:crypto";

import type { Request, Response } from "express";

import { describeStrictJsonProblem, parseStrictJsonBytes } from "../lib/credential/strict-json.js";
import { HttpProblem } from "./problems.js";

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)"?/i;

export interface JsonBody {
  /** The body's size in bytes. */
  size: number;
  /** A digest of the body's bytes: the same bytes, the same key. */
  key: string;
  /** The parsed body (an empty body is {}); a 400 or 415 problem when it cannot be read. */
  parse(): unknown;
}

/** The JSON body express.raw read into `request.body`. */
export function jsonBody(request: Request): JsonBody {
  const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  let key: string | undefined;
  return {
    size: bytes.length,
    // Worked out when first asked: a verifier without a cache never asks.
    get key() {
      return (key ??= `body:${createHash("sha256").update(bytes).digest("base64")}`);
    },
    parse() {
      const charset = CHARSET.exec(request.get("content-type") ?? "")?.[1]?.toLowerCase();
      if (charset !== undefined && charset !== "utf-8" && charset !== "utf8") {
        throw new HttpProblem("unsupported-media-type", `the body's charset ${charset} is not supported: send UTF-8`);
      }
      if (bytes.length === 0) return {};
      const parsed = parseStrictJsonBytes(bytes);
      if (!parsed.ok) throw new HttpProblem("malformed-request", `the body is not strict I-JSON (RFC 7493): ${describeStrictJsonProblem(parsed.problem)}`);
      return parsed.value;
    },
  };
}

/** Sends `value` as JSON. */
export function sendJson(response: Response, status: number, value: object): void {
  sendJsonText(response, status, JSON.stringify(value));
}

/** Sends `text`, which is JSON. */
export function sendJsonText(response: Response, status: number, text: string): void {
  // Written directly rather than through Express's send, which would parse and re-format the content type
  // and check request freshness for an answer that has no ETag.
  response.statusCode = status;
  response.setHeader("content-type", "application/json; charset=utf-8");
  response.setHeader("content-length", Buffer.byteLength(text));
  response.end(text);
}
