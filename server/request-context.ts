/**
 * The first middleware of every request: its id (the caller's `x-request-id` when well-formed, else a new
 * UUID, echoed in the response), its log line and its metrics, both written once the response is done.
 *
 * Written here rather than with pino-http: pino-http makes a child logger bound to the serialized request
 * on every request, whatever the log level — about a tenth of a warm request's CPU in bench:verify. This
 * writes one line per request through the same pino logger, in the same shape ({req: {id, method, url},
 * res: {statusCode}, responseTime}), never a body.
 */
import { randomUUID } from "node:crypto";

import type { NextFunction, Request, Response } from "express";
import type { Logger } from "pino";

import type { Metrics } from "./metrics.js";

const REQUEST_ID = /^[\w.-]{1,64}$/;

declare module "express-serve-static-core" {
  interface Request {
    /** The request's id, as in the `x-request-id` response header. */
    id: string;
  }
}

export function requestContext(logger: Logger, metrics: Metrics, routeOf: (request: Request) => string) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const given = request.headers["x-request-id"];
    const id = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    request.id = id;
    response.setHeader("x-request-id", id);
    response.once("finish", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const labels = { method: request.method, route: routeOf(request), status: String(response.statusCode) };
      metrics.httpSeconds.observe(labels, seconds);
      metrics.httpRequests.inc(labels);
      const level = response.statusCode >= 500 ? "error" : "info";
      if (logger.isLevelEnabled(level)) {
        logger[level](
          { req: { id, method: request.method, url: request.originalUrl }, res: { statusCode: response.statusCode }, responseTime: Math.round(seconds * 1000) },
          "request completed",
        );
      }
    });
    next();
  };
}
