import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

import { expect } from "chai";
import express, { type RequestHandler } from "express";
import helmet, { type HelmetOptions } from "helmet";

import { securityHeaders } from "../../server/security-headers.js";

/** The headers a tiny app answers with, behind `middleware`; the date varies, so it is left out. */
async function headersBehind(middleware: RequestHandler): Promise<Record<string, string>> {
  const app = express();
  app.use(middleware);
  app.get("/", (_request, response) => {
    response.type("text/plain").send("ok");
  });
  const server: Server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  try {
    const answer = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await answer.text();
    const headers: Record<string, string> = {};
    answer.headers.forEach((value, name) => (headers[name] = value));
    delete headers.date;
    return headers;
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

describe("security headers worked out once", function () {
  const options: HelmetOptions = { contentSecurityPolicy: { directives: { upgradeInsecureRequests: null, imgSrc: ["'self'", "data:", "blob:"] } } };

  it("answers with exactly the headers helmet itself sets (and removes x-powered-by as it does)", async function () {
    const fromHelmet = await headersBehind(helmet(options));
    const replayed = await headersBehind(securityHeaders(options));
    expect(replayed).to.deep.equal(fromHelmet);
    expect(replayed).to.include({ "x-content-type-options": "nosniff", "x-frame-options": "SAMEORIGIN" });
    expect(replayed["content-security-policy"]).to.contain("img-src 'self' data: blob:");
    expect(replayed).to.not.have.property("x-powered-by");
  });

  it("refuses options whose headers would depend on the request", function () {
    const perRequest: HelmetOptions = { contentSecurityPolicy: { directives: { scriptSrc: ["'self'", (_request, response) => `'nonce-${String((response as { locals?: { nonce?: string } }).locals?.nonce)}'`] } } };
    expect(() => securityHeaders(perRequest)).to.throw();
  });
});
