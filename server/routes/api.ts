/**
 * The API's routes (DESIGN.md §6): each parses its input, asks the Verifier, and renders the answer or a
 * problem. Verification answers 200 with the verdict, whatever it is, except `unavailable`: 503. It takes
 * the credential as JSON, or a baked badge image (PNG or SVG) that carries it.
 */
import type { Express, Request, Response } from "express";

import { extractBakedCredential, IMAGE_CONTENT_TYPES } from "../../lib/baked/baked-badge.js";
import type { Hex } from "../../lib/credential/canonical.js";
import type { OpenBadgeCredential } from "../../lib/credential/credential.js";
import { profileIdProblem } from "../../lib/credential/profile-id.js";
import { jsonBody, sendJson, sendJsonText } from "../json-bodies.js";
import { HttpProblem, sendProblem } from "../problems.js";
import { issuerRef, PresentationError, type IssuerRef, type Verifier } from "../verifier.js";

/** Portfolios get their own body limit (many credentials), so the app's JSON parser leaves this path alone. */
export const PRESENTATIONS_PATH = "/v1/presentations/verify";
/** The verify route reads its JSON body as bytes (see json-bodies.ts). */
export const VERIFY_PATH = "/v1/credentials/verify";

const HEX32 = /^0x[0-9a-fA-F]{64}$/;
const JSON_TYPES = ["application/json", "application/ld+json", "application/vc+ld+json", "application/vc+json"];
const IMAGE_TYPES = Object.values(IMAGE_CONTENT_TYPES);

/** Registers the routes on the app itself: a nested Router would add a dispatch to every request. */
export function mountApi(router: Express, verifier: Verifier): void {
  router.post(VERIFY_PATH, async (request, response) => {
    if (request.is(IMAGE_TYPES)) {
      const credential = credentialInImage(request);
      const result = await verifier.verify(credential);
      // The badge found in the image goes back with the verdict, for the client to keep or share.
      sendJson(response, result.status === "unavailable" ? 503 : 200, { ...result, bakedCredential: credential });
      return;
    }
    if (!request.is(JSON_TYPES)) {
      const sent = request.get("content-type") ?? "nothing";
      throw new HttpProblem("unsupported-media-type", `send the credential as application/json, or a baked badge as image/png or image/svg+xml, not ${sent}`);
    }
    const body = jsonBody(request);
    const key = verifier.remembers ? body.key : undefined;
    const known = key === undefined ? undefined : verifier.remembered(key);
    if (known) {
      sendJsonText(response, known.status === "unavailable" ? 503 : 200, known.json);
      return;
    }
    const result = await verifier.verify(unwrapped(body.parse()), key, body.size);
    sendJson(response, result.status === "unavailable" ? 503 : 200, result);
  });

  router.post(PRESENTATIONS_PATH, async (request, response) => {
    if (!request.is(JSON_TYPES)) {
      throw new HttpProblem("unsupported-media-type", `send the portfolio as application/json, not ${request.get("content-type") ?? "nothing"}`);
    }
    let result;
    try {
      result = await verifier.verifyPresentation(request.body);
    } catch (error) {
      if (error instanceof PresentationError) throw new HttpProblem("malformed-request", error.message);
      throw error;
    }
    sendJson(response, result.results.some((entry) => entry.status === "unavailable") ? 503 : 200, result);
  });

  router.get("/v1/hashes/:hash", async (request, response) => {
    const hash = hex32(request.params.hash, "the credential hash");
    const raw = request.query.issuer;
    if (raw === undefined) {
      throw new HttpProblem("malformed-request", "name the issuer whose anchor to read: add ?issuer=<profile id or 0x issuer id> (anchors are per issuer)");
    }
    const issuer = issuerParam(raw, "the issuer query parameter");
    const found = await verifier.hashStatus(hash, issuer, chainIdParam(request));
    if (!found) {
      throw new HttpProblem("not-found", `no credential with hash ${hash} is anchored alone (as a batch of one) by ${describeIssuer(issuer)} on the configured chains`);
    }
    response.json(found);
  });

  router.get("/v1/anchors/:issuerId/:root", async (request, response) => {
    const issuerId = hex32(request.params.issuerId, "the issuer id");
    const root = hex32(request.params.root, "the batch root");
    const found = await verifier.anchor(issuerId, root, chainIdParam(request));
    if (!found) throw new HttpProblem("not-found", `issuer ${issuerId} has not anchored batch ${root} on the configured chains`);
    response.json(found);
  });

  router.get("/v1/issuers/:profileIdOrIssuerId", async (request, response) => {
    const issuer = issuerParam(request.params.profileIdOrIssuerId, "the issuer");
    const found = await verifier.issuer(issuer, chainIdParam(request));
    if (!found) throw new HttpProblem("not-found", `${describeIssuer(issuer)} is not a registered issuer on the configured chains`);
    response.json(found);
  });

  router.get("/healthz", (_request, response) => {
    response.json({ status: "ok" });
  });

  router.get("/readyz", async (_request, response) => {
    const chains = await verifier.readiness();
    const ready = chains.every((chain) => chain.ready);
    response.status(ready ? 200 : 503).json({ status: ready ? "ready" : "unavailable", chains, trust: verifier.trust });
  });
}

function credentialInImage(request: Request): OpenBadgeCredential {
  // express.raw has already refused an image over MAX_IMAGE_BYTES.
  const found = extractBakedCredential(request.body as Buffer, { contentType: request.get("content-type"), maxBytes: Number.POSITIVE_INFINITY });
  if (!found.ok) throw new HttpProblem("bad-image", found.problem);
  return found.value.credential;
}

/** The credential of a `{ verifiableCredential }` body, or the body itself. */
function unwrapped(body: unknown): unknown {
  return body !== null && typeof body === "object" && !Array.isArray(body) && "verifiableCredential" in body
    ? (body as { verifiableCredential: unknown }).verifiableCredential
    : body;
}

function hex32(value: string, what: string): Hex {
  if (!HEX32.test(value)) throw new HttpProblem("malformed-request", `${what} must be 0x and 64 hex digits`);
  return value.toLowerCase() as Hex;
}

/** An issuer named by a canonical profile id (a DID or an https URL) or a 0x issuer id. */
function issuerParam(raw: unknown, what: string): IssuerRef {
  if (typeof raw !== "string") throw new HttpProblem("malformed-request", `${what} must be given once`);
  if (raw.startsWith("0x")) {
    if (!HEX32.test(raw)) throw new HttpProblem("malformed-request", `${what} must be a profile id or an issuer id (0x and 64 hex digits)`);
    return issuerRef(raw);
  }
  const problem = profileIdProblem(raw);
  if (problem) throw new HttpProblem("malformed-request", `${what} must be a canonical profile id or a 0x issuer id: "${raw}" ${problem}`);
  return issuerRef(raw);
}

function describeIssuer(issuer: IssuerRef): string {
  return issuer.profileId === undefined ? `issuer ${issuer.issuerId}` : `${issuer.profileId} (issuer id ${issuer.issuerId})`;
}

function chainIdParam(request: Request): number | undefined {
  const raw = request.query.chainId;
  if (raw === undefined) return undefined;
  if (typeof raw !== "string" || !/^\d+$/.test(raw)) throw new HttpProblem("malformed-request", "chainId must be a whole number");
  return Number(raw);
}

export function notFound(request: Request, response: Response): void {
  sendProblem(response, "not-found", `no route ${request.method} ${request.path}`);
}
