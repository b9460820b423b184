/**
 * helmet's security headers, worked out once and then set by one middleware.
 *
 * helmet itself runs a dozen middlewares on every request, each setting one header that never changes
 * here (no per-request CSP nonces); on a cold verification that was ~3% of the service's CPU
 * (bench/README.md, "Verifying over HTTP"). This asks helmet, at start-up, which headers it would set
 * and remove, and replays exactly that.
 */
import type { NextFunction, Request, Response } from "express";
import helmet, { type HelmetOptions } from "helmet";

export function securityHeaders(options: HelmetOptions) {
  const csp = options.contentSecurityPolicy;
  const directives = typeof csp === "object" && csp !== null ? Object.values(csp.directives ?? {}) : [];
  if (directives.flat().some((value) => typeof value === "function")) {
    throw new Error("a Content-Security-Policy directive is a function of the request (a nonce?): use helmet itself");
  }
  const set: Array<[string, string]> = [];
  const removed: string[] = [];
  const recorder = {
    setHeader(name: string, value: unknown) {
      set.push([name, String(value)]);
    },
    removeHeader(name: string) {
      removed.push(name);
    },
  };
  let synchronous = false;
  helmet(options)({} as Request, recorder as unknown as Response, (error?: unknown) => {
    if (error) throw error;
    synchronous = true;
  });
  if (!synchronous) throw new Error("helmet did not finish synchronously: its headers depend on the request");
  return (_request: Request, response: Response, next: NextFunction): void => {
    for (const name of removed) response.removeHeader(name);
    for (const [name, value] of set) response.setHeader(name, value);
    next();
  };
}
