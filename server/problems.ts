/**
 * Errors as RFC 9457 problem details (application/problem+json), each kind with a stable `type` URI,
 * its HTTP status and a title; `detail` says what happened this time. Nothing else (no stack trace, no
 * internal message) ever reaches a client.
 */
import type { Response } from "express";

export const PROBLEMS = {
  "malformed-request": { status: 400, title: "The request is malformed" },
  "bad-image": { status: 400, title: "The image is not a readable baked badge" },
  "not-found": { status: 404, title: "Not found" },
  "payload-too-large": { status: 413, title: "The request body is too large" },
  "unsupported-media-type": { status: 415, title: "Unsupported content type" },
  "rate-limited": { status: 429, title: "Too many requests" },
  "internal-error": { status: 500, title: "Internal error" },
  "chain-unavailable": { status: 503, title: "The chain cannot be read" },
} as const;

export type ProblemKind = keyof typeof PROBLEMS;

export const PROBLEM_TYPE_BASE = "urn:credential-registry:problem:";

export class HttpProblem extends Error {
  override readonly name = "HttpProblem";
  readonly kind: ProblemKind;
  constructor(kind: ProblemKind, detail: string) {
    super(detail);
    this.kind = kind;
  }
}

export function sendProblem(response: Response, kind: ProblemKind, detail: string, extra: Record<string, unknown> = {}): void {
  const { status, title } = PROBLEMS[kind];
  response
    .status(status)
    .type("application/problem+json")
    .send(JSON.stringify({ type: `${PROBLEM_TYPE_BASE}${kind}`, title, status, detail, instance: response.req.originalUrl, ...extra }));
}
