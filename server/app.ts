/**
 * The verifier service as an Express 5 app, built from its parts — no listening, no globals — so tests,
 * the benchmark and `server/main.ts` each make their own.
 */
import path from "node:path";

import express, { type NextFunction, type Request, type Response } from "express";
import rateLimit from "express-rate-limit";
import { jsonBody } from "./json-bodies.js";
import type { Logger } from "pino";

import { DEFAULT_MAX_IMAGE_BYTES, IMAGE_CONTENT_TYPES } from "../lib/baked/baked-badge.js";
import type { TrustProxy } from "./config.js";
import type { Metrics } from "./metrics.js";
import { openApiDocument } from "./openapi.js";
import { requestContext } from "./request-context.js";
import { securityHeaders } from "./security-headers.js";
import { HttpProblem, sendProblem } from "./problems.js";
import { mountApi, notFound, PRESENTATIONS_PATH, VERIFY_PATH } from "./routes/api.js";
import { ChainUnavailableError, type Verifier } from "./verifier.js";

export interface AppOptions {
  verifier: Verifier;
  metrics: Metrics;
  logger: Logger;
  maxBodyBytes: number;
  /** Largest baked badge image (PNG or SVG) the verify route reads (default 2 MiB). */
  maxImageBytes?: number;
  rateLimitPerMinute: number;
  /** Body limit of a portfolio (default 4 MiB). */
  maxPresentationBytes?: number;
  /** Express's "trust proxy": which proxies' X-Forwarded-For give the client's address (default: none). */
  trustProxy?: TrustProxy;
}

export const DEFAULT_MAX_PRESENTATION_BYTES = 4 * 1024 * 1024;

const PUBLIC_DIR = path.join(import.meta.dirname, "public");
/** The JSON-LD contexts of the project's extensions (contexts/), served so a stacked credential's context resolves. */
const CONTEXTS_DIR = path.join(import.meta.dirname, "..", "contexts");
const JSON_TYPES = ["application/json", "application/ld+json", "application/vc+ld+json", "application/vc+json"];

export function createApp(options: AppOptions): express.Express {
  const { verifier, metrics, logger } = options;
  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  // The client's address, for rate limits and logs: behind a proxy, the one the trusted proxies forwarded.
  app.set("trust proxy", options.trustProxy ?? false);
  // No ETag on API answers: hashing every JSON body serves no client here (the page's files keep theirs).
  app.set("etag", false);

  app.use(requestContext(logger, metrics, routeOf));
  // No upgrade-insecure-requests: the service is often reached over plain HTTP on a private network.
  // Images from blob: URLs: the page previews a dropped badge image, read locally, as an <img>.
  app.use(securityHeaders({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null, imgSrc: ["'self'", "data:", "blob:"] } } }));
  app.use(
    "/v1",
    rateLimit({
      windowMs: 60_000,
      limit: options.rateLimitPerMinute,
      // draft-7 headers: draft-8's carry a SHA-256 of the client's key, hashed on every request.
      standardHeaders: "draft-7",
      legacyHeaders: false,
      handler: (_request, response) => sendProblem(response, "rate-limited", `more than ${options.rateLimitPerMinute} requests a minute from this address`),
      // Its configuration warnings (such as X-Forwarded-For arriving with TRUST_PROXY unset) go to the log.
      logger: { warn: (warning) => logRateLimiterWarning(logger, warning), error: (problem) => logRateLimiterWarning(logger, problem) },
    }),
  );
  const json = express.json({ limit: options.maxBodyBytes, type: JSON_TYPES, strict: false });
  // The verify route reads its JSON as bytes and parses it only when it must (json-bodies.ts); portfolios
  // have their own, larger limit.
  const verifyBytes = express.raw({ limit: options.maxBodyBytes, type: JSON_TYPES });
  // Portfolios are read as bytes too and parsed as strict I-JSON, as single badges are.
  const portfolioBytes = express.raw({ limit: options.maxPresentationBytes ?? DEFAULT_MAX_PRESENTATION_BYTES, type: JSON_TYPES });
  const portfolioJson = (request: Request, response: Response, next: NextFunction) =>
    portfolioBytes(request, response, (error?: unknown) => {
      if (error !== undefined) return next(error);
      if (!Buffer.isBuffer(request.body)) return next();
      try {
        request.body = jsonBody(request).parse();
      } catch (problem) {
        return next(problem);
      }
      next();
    });
  app.use((request, response, next) => {
    // Matched as Express routes match: without regard to case or a trailing slash.
    const route = request.path.toLowerCase().replace(/\/+$/, "");
    (route === VERIFY_PATH ? verifyBytes : route === PRESENTATIONS_PATH ? portfolioJson : json)(request, response, next);
  });
  app.use(express.raw({ limit: options.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES, type: Object.values(IMAGE_CONTENT_TYPES) }));

  mountApi(app, verifier);
  app.get("/openapi.json", (_request, response) => {
    response.json(openApiDocument);
  });
  app.get("/metrics", async (_request, response) => {
    response.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.use("/contexts", express.static(CONTEXTS_DIR, { maxAge: "1d", setHeaders: (response) => response.type("application/ld+json") }));
  app.use(express.static(PUBLIC_DIR, { index: "index.html", maxAge: "5m" }));
  app.use(notFound);

  app.use((error: unknown, request: Request, response: Response, _next: NextFunction) => {
    if (error instanceof HttpProblem) return sendProblem(response, error.kind, error.message);
    if (error instanceof ChainUnavailableError) return sendProblem(response, "chain-unavailable", error.message);
    const bodyError = error as { type?: string; status?: number; limit?: number };
    if (bodyError.type === "entity.too.large") {
      return sendProblem(response, "payload-too-large", `the body is over the limit of ${bodyError.limit ?? options.maxBodyBytes} bytes`);
    }
    if (bodyError.type === "entity.parse.failed") return sendProblem(response, "malformed-request", "the body is not valid JSON");
    if (bodyError.type === "encoding.unsupported" || bodyError.type === "charset.unsupported") {
      return sendProblem(response, "unsupported-media-type", "the body's encoding or charset is not supported");
    }
    if (typeof bodyError.status === "number" && bodyError.status >= 400 && bodyError.status < 500) {
      return sendProblem(response, "malformed-request", "the request could not be read");
    }
    logger.error({ reqId: request.id, err: error }, "unexpected error");
    return sendProblem(response, "internal-error", "something went wrong on our side; the request id is in the x-request-id header");
  });
  return app;
}

function logRateLimiterWarning(logger: Logger, warning: unknown): void {
  const { code, message } = (warning ?? {}) as { code?: string; message?: string };
  logger.warn({ code }, message ?? String(warning));
}

function routeOf(request: Request): string {
  const route = (request as Request & { route?: { path?: string } }).route?.path;
  if (route) return route;
  if (request.path === "/" || request.path.startsWith("/assets") || request.path.startsWith("/contexts/") || /\.(html|js|css|svg|ico)$/.test(request.path)) return "static";
  return "unmatched";
}
