/**
 * The verifier's HTTP API on an in-process chain: every route, every verdict of DESIGN.md §5, the
 * problem+json errors, caching, metrics, and every response checked against /openapi.json.
 */
import { readFile } from "node:fs/promises";

import { expect } from "chai";
import { network } from "hardhat";
import { pino } from "pino";

import type { Hex } from "../../lib/credential/canonical.js";
import { parseDraftCredential } from "../../lib/credential/credential.js";
import { anchoredCredential, prepareBatch } from "../../lib/anchor/issuance.js";
import { changeCredentialStatus, credentialRefsFromFiles } from "../../scripts/credentials/status-change.js";
import type { SampleRegistry } from "../../scripts/sample-registry.js";
import { exampleBadge } from "../helpers/badges.js";
import { expectConformsToOpenApi } from "../helpers/openapi.js";
import { chainConfig, sampleOnInProcessChain, startTestService, type TestService } from "../helpers/verifier-app.js";

const connection = await network.create();
const { sample, client } = await sampleOnInProcessChain(connection);

let service: TestService;
const chains = () => [{ config: chainConfig(sample.chainId, sample.registry), client }];

async function call(method: "get" | "post", route: string, url: string, init: RequestInit = {}) {
  const response = await fetch(`${service.url}${url}`, { method: method.toUpperCase(), ...init });
  const contentType = response.headers.get("content-type") ?? "";
  // Response bodies are checked against the OpenAPI schemas below; the tests then read them as plain JSON.
  const body: any = contentType.includes("json") ? await response.json() : await response.text();
  if (route !== "none") expectConformsToOpenApi(method, route, response.status, contentType, body);
  return { status: response.status, contentType, body, headers: response.headers };
}

const postJson = (body: unknown) => ({ headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const verify = (credential: unknown) => call("post", "/v1/credentials/verify", "/v1/credentials/verify", postJson(credential));
const badgeJson = async (who: "university" | "employer", name: string) => JSON.parse(await readFile(sample.badge(who, name), "utf8"));

describe("verifier API", function () {
  before(async function () {
    service = await startTestService({ chains: chains(), cacheTtlSeconds: 0 });
  });

  after(async function () {
    await service.close();
  });

  describe("POST /v1/credentials/verify", function () {
    it("says valid for a sample badge, sent bare or as { verifiableCredential }", async function () {
      const badge = await badgeJson("university", "uni-data-analytics-foundations");
      const bare = await verify(badge);
      expect(bare.status).to.equal(200);
      expect(bare.body).to.include({ verified: true, status: "valid" });
      expect(bare.body.anchor.registry).to.equal(sample.registry);
      expect(bare.body.issuer.profileId).to.equal("did:web:uni.example");
      expect(bare.body.credential.achievementName).to.equal("Data Analytics Foundations");
      expect(bare.body.chainReadAt).to.be.a("string");
      const wrapped = await verify({ verifiableCredential: badge });
      expect(wrapped.body.status).to.equal("valid");
    });

    it("reads the body the same at the route's path with a trailing slash or in another case", async function () {
      // Express routes match either way; the body must then be read as this route reads it, not as JSON
      // for another route (which made a valid badge `malformed`).
      const badge = await badgeJson("university", "uni-data-analytics-foundations");
      for (const path of ["/v1/credentials/verify/", "/V1/Credentials/Verify"]) {
        const answer = await call("post", "none", path, postJson(badge));
        expect(answer.status, path).to.equal(200);
        expect(answer.body.status, path).to.equal("valid");
      }
    });

    it("says tampered for an altered badge", async function () {
      const badge = await badgeJson("employer", "meridian-secure-coding-practitioner");
      badge.credentialSubject.achievement.name = "Secure Coding Expert";
      expect((await verify(badge)).body.status).to.equal("tampered");
    });

    it("says revoked, then suspended and valid again, as the issuer acts", async function () {
      const context = await sample.as(sample.accounts.universityOperator);
      const [sql] = await credentialRefsFromFiles(context, [sample.badge("university", "uni-sql-for-analysts")]);
      await changeCredentialStatus(context, "revoke", [sql], "issued-in-error");
      expect((await verify(await badgeJson("university", "uni-sql-for-analysts"))).body.status).to.equal("revoked");

      const [python] = await credentialRefsFromFiles(context, [sample.badge("university", "uni-statistical-modelling-python")]);
      await changeCredentialStatus(context, "suspend", [python], "under-investigation");
      expect((await verify(await badgeJson("university", "uni-statistical-modelling-python"))).body.status).to.equal("suspended");
      await changeCredentialStatus(context, "unsuspend", [python], "0");
      expect((await verify(await badgeJson("university", "uni-statistical-modelling-python"))).body.status).to.equal("valid");
    });

    it("says unknown-anchor for a badge never anchored", async function () {
      const badge = { ...exampleBadge("uni-data-analytics-foundations") };
      expect((await verify(badge)).body.status).to.equal("unknown-anchor");
    });

    it("says issuer-mismatch for a batch anchored by an issuer other than the one the badge names", async function () {
      const parsed = parseDraftCredential(exampleBadge("meridian-secure-coding-practitioner"));
      if (!parsed.ok) throw new Error("example invalid");
      const prepared = prepareBatch([parsed.credential], { profileId: "https://security.employer.example/issuer", newId: () => "urn:uuid:9d2c3a56-1111-4a4a-8b8b-000000000001" });
      const university = await sample.as(sample.accounts.university);
      await (await university.registry.anchor(prepared.batch.root, 1)).wait();
      const credential = anchoredCredential(prepared, 0, {
        chainId: sample.chainId,
        registry: sample.registry,
        issuer: sample.accounts.university,
        anchoredAt: new Date().toISOString(),
        transactionHash: `0x${"00".repeat(32)}` as Hex,
      });
      expect((await verify(credential)).body.status).to.equal("issuer-mismatch");
    });

    it("says unsupported-chain for a badge anchored on a chain it does not trust", async function () {
      const badge = await badgeJson("university", "uni-data-analytics-foundations");
      badge.proof.at(-1).chainId = 1;
      expect((await verify(badge)).body.status).to.equal("unsupported-chain");
    });

    it("says malformed (200) for JSON that is not a badge", async function () {
      const result = await verify({ hello: "world" });
      expect(result.status).to.equal(200);
      expect(result.body.status).to.equal("malformed");
      expect(result.body.checks[0].detail).to.contain("$[\"@context\"] is required");
    });

    it("says expired and not-yet-valid by the service's clock", async function () {
      const badge = await badgeJson("employer", "meridian-secure-coding-practitioner");
      for (const [when, status] of [["2030-01-01T00:00:00Z", "expired"], ["2020-01-01T00:00:00Z", "not-yet-valid"]] as const) {
        const timed = await startTestService({ chains: chains(), now: () => new Date(when) });
        try {
          const response = await fetch(`${timed.url}/v1/credentials/verify`, { method: "POST", ...postJson(badge) });
          expect(((await response.json()) as { status: string }).status).to.equal(status);
        } finally {
          await timed.close();
        }
      }
    });

    it("fails closed: unavailable with 503 when the chain cannot be read", async function () {
      const dead = await startTestService({ chains: [{ config: chainConfig(sample.chainId, sample.registry, "http://127.0.0.1:9") }] });
      try {
        const badge = await badgeJson("university", "uni-data-analytics-foundations");
        const response = await fetch(`${dead.url}/v1/credentials/verify`, { method: "POST", ...postJson(badge) });
        const body = await response.json();
        expect(response.status).to.equal(503);
        expect(body).to.include({ verified: false, status: "unavailable" });
        expectConformsToOpenApi("post", "/v1/credentials/verify", 503, "application/json", body);
        const ready = await fetch(`${dead.url}/readyz`);
        expect(ready.status).to.equal(503);
        expectConformsToOpenApi("get", "/readyz", 503, "application/json", await ready.json());
      } finally {
        await dead.close();
      }
    });

    it("answers problems: 400 bad JSON, 413 too large, 415 wrong type", async function () {
      const bad = await call("post", "/v1/credentials/verify", "/v1/credentials/verify", { headers: { "content-type": "application/json" }, body: "{ nope" });
      expect(bad.status).to.equal(400);
      expect(bad.contentType).to.contain("application/problem+json");
      expect(bad.body.type).to.equal("urn:credential-registry:problem:malformed-request");

      const large = await call("post", "/v1/credentials/verify", "/v1/credentials/verify", postJson({ padding: "x".repeat(300 * 1024) }));
      expect(large.status).to.equal(413);
      expect(large.body.type).to.equal("urn:credential-registry:problem:payload-too-large");

      const text = await call("post", "/v1/credentials/verify", "/v1/credentials/verify", { headers: { "content-type": "text/plain" }, body: "hello" });
      expect(text.status).to.equal(415);
      expect(text.body.detail).to.not.match(/at \w+ \(/);

      const latin1 = await call("post", "/v1/credentials/verify", "/v1/credentials/verify", { headers: { "content-type": "application/json; charset=iso-8859-1" }, body: "{}" });
      expect(latin1.status).to.equal(415);
      expect(latin1.body.detail).to.equal("the body's charset iso-8859-1 is not supported: send UTF-8");
      const utf8 = await call("post", "/v1/credentials/verify", "/v1/credentials/verify", { headers: { "content-type": "application/json; charset=UTF-8" }, body: "{}" });
      expect(utf8.status).to.equal(200);
      expect(utf8.body.status).to.equal("malformed");
      const empty = await call("post", "/v1/credentials/verify", "/v1/credentials/verify", { headers: { "content-type": "application/json" }, body: "" });
      expect(empty.body.status).to.equal("malformed");
    });

    it("answers a remembered verdict without reading the body again, and a changed body afresh", async function () {
      const cached = await startTestService({ chains: chains(), cacheTtlSeconds: 30 });
      try {
        const badge = await badgeJson("university", "uni-data-analytics-foundations");
        const send = (body: string) => fetch(`${cached.url}/v1/credentials/verify`, { method: "POST", headers: { "content-type": "application/json" }, body }).then((response) => response.json() as Promise<{ status: string }>);
        expect((await send(JSON.stringify(badge))).status).to.equal("valid");
        expect((await send(JSON.stringify(badge))).status).to.equal("valid");
        const tampered = structuredClone(badge);
        tampered.credentialSubject.achievement.name += "!";
        expect((await send(JSON.stringify(tampered))).status).to.equal("tampered");
        expect((await send(JSON.stringify({ verifiableCredential: badge }))).status).to.equal("valid");
        const lookups = (await cached.metrics.registry.getSingleMetric("cache_lookups_total")!.get()).values;
        const verificationHits = lookups.find((entry) => entry.labels.kind === "verification" && entry.labels.result === "hit")?.value;
        expect(verificationHits).to.equal(1);
      } finally {
        await cached.close();
      }
    });
  });

  describe("GET /v1/hashes/:hash", function () {
    let single: string;
    before(async function () {
      const parsed = parseDraftCredential(exampleBadge("uni-sql-for-analysts"));
      if (!parsed.ok) throw new Error("example invalid");
      const prepared = prepareBatch([parsed.credential], { profileId: "did:web:uni.example", newId: () => "urn:uuid:0b7c1d2e-3f40-4a5b-9c6d-7e8f90a1b2c3" });
      const university = await sample.as(sample.accounts.university);
      await (await university.registry.anchor(prepared.batch.root, 1)).wait();
      single = prepared.credentialHashes[0];
    });

    it("finds a credential anchored alone by its hash, and its standing", async function () {
      const found = await call("get", "/v1/hashes/{hash}", `/v1/hashes/${single}`);
      expect(found.status).to.equal(200);
      expect(found.body).to.include({ credentialHash: single, status: "valid" });
      expect(found.body.anchor.count).to.equal(1);
    });

    it("answers 404 for an unknown hash and 400 for a malformed one", async function () {
      expect((await call("get", "/v1/hashes/{hash}", `/v1/hashes/0x${"ab".repeat(32)}`)).status).to.equal(404);
      expect((await call("get", "/v1/hashes/{hash}", "/v1/hashes/0x1234")).status).to.equal(400);
    });
  });

  describe("GET /v1/anchors/:root and /v1/issuers/:address", function () {
    it("shows an anchor, and 404 for an unknown root", async function () {
      const [batch] = sample.batches;
      const found = await call("get", "/v1/anchors/{root}", `/v1/anchors/${batch.root}`);
      expect(found.status).to.equal(200);
      expect(found.body).to.include({ root: batch.root, issuer: sample.accounts.university, count: batch.count });
      expect((await call("get", "/v1/anchors/{root}", `/v1/anchors/0x${"cd".repeat(32)}`)).status).to.equal(404);
      expect((await call("get", "/v1/anchors/{root}", `/v1/anchors/${batch.root}?chainId=abc`)).status).to.equal(400);
    });

    it("shows an issuer with its profile id, 404 for a stranger, 400 for a malformed address", async function () {
      const found = await call("get", "/v1/issuers/{address}", `/v1/issuers/${sample.accounts.employer}`);
      expect(found.status).to.equal(200);
      expect(found.body).to.include({ profileId: "https://security.employer.example/issuer", status: "active" });
      expect((await call("get", "/v1/issuers/{address}", `/v1/issuers/${sample.accounts.accreditor}`)).status).to.equal(404);
      expect((await call("get", "/v1/issuers/{address}", "/v1/issuers/0x12")).status).to.equal(400);
    });
  });

  describe("operations", function () {
    it("is alive and ready when the chain and registry are there", async function () {
      expect((await call("get", "/healthz", "/healthz")).body).to.deep.equal({ status: "ok" });
      const ready = await call("get", "/readyz", "/readyz");
      expect(ready.status).to.equal(200);
      expect(ready.body.chains[0]).to.include({ chainId: sample.chainId, ready: true });
    });

    it("exposes Prometheus metrics by route and status, chain reads and cache lookups", async function () {
      const metrics = await call("get", "/metrics", "/metrics");
      expect(metrics.body).to.match(/http_requests_total\{method="POST",route="\/v1\/credentials\/verify",status="200"\} \d+/);
      expect(metrics.body).to.contain("http_request_duration_seconds_bucket");
      expect(metrics.body).to.match(/chain_read_duration_seconds_count\{chain_id="31337",method="credentialStatus",outcome="ok"\} \d+/);
      expect(metrics.body).to.match(/verifications_total\{status="valid"\} \d+/);
    });

    it("serves its OpenAPI 3.1 document and the page, with no external asset", async function () {
      const document = await call("get", "/openapi.json", "/openapi.json");
      expect(document.body.openapi).to.equal("3.1.0");
      const page = await call("get", "/", "/");
      expect(page.contentType).to.contain("text/html");
      expect(page.body).to.contain("Verify a badge");
      expect(page.body).to.not.match(/(src|href)="(https?:)?\/\//);
      expect(page.headers.get("content-security-policy")).to.contain("default-src 'self'");
    });

    it("logs each request with its id, and never a credential's content", async function () {
      const lines: string[] = [];
      const logger = pino({ level: "info" }, { write: (line: string) => lines.push(line) });
      const logged = await startTestService({ chains: chains(), logger });
      try {
        const badge = await badgeJson("university", "uni-data-analytics-foundations");
        const response = await fetch(`${logged.url}/v1/credentials/verify`, { method: "POST", ...postJson(badge) });
        const requestId = response.headers.get("x-request-id");
        expect(requestId).to.match(/^[0-9a-f-]{36}$/);
        const entries = lines.map((line) => JSON.parse(line));
        expect(entries.some((entry) => entry.req?.id === requestId && entry.res?.statusCode === 200)).to.equal(true);
        expect(lines.join("\n")).to.not.contain("learner-ada");
        expect(lines.join("\n")).to.not.contain("credentialSubject");
      } finally {
        await logged.close();
      }
    });

    it("answers an unknown route with a 404 problem", async function () {
      const missing = await fetch(`${service.url}/v2/nothing`);
      expect(missing.status).to.equal(404);
      expect(missing.headers.get("content-type")).to.contain("application/problem+json");
    });

    it("rate-limits with a 429 problem", async function () {
      const limited = await startTestService({ chains: chains(), rateLimitPerMinute: 2 });
      try {
        const statuses = [];
        for (let attempt = 0; attempt < 3; attempt++) statuses.push((await fetch(`${limited.url}/v1/issuers/0x12`)).status);
        expect(statuses).to.deep.equal([400, 400, 429]);
      } finally {
        await limited.close();
      }
    });

    it("rate-limits each client behind a trusted proxy by its forwarded address, and warns in its log when none is trusted", async function () {
      const from = (client: string) => ({ headers: { "x-forwarded-for": client } });
      const lines: string[] = [];
      const logger = pino({ level: "info" }, { write: (line: string) => lines.push(line) });
      const direct = await startTestService({ chains: chains(), rateLimitPerMinute: 2, logger });
      const proxied = await startTestService({ chains: chains(), rateLimitPerMinute: 2, trustProxy: "loopback" });
      try {
        // Without TRUST_PROXY every client through the proxy is the proxy: they share one allowance.
        const shared = [];
        for (const client of ["203.0.113.1", "203.0.113.2", "203.0.113.3"]) shared.push((await fetch(`${direct.url}/v1/issuers/0x12`, from(client))).status);
        expect(shared).to.deep.equal([400, 400, 429]);
        const warnings = lines.map((line) => JSON.parse(line)).filter((entry) => entry.code === "ERR_ERL_UNEXPECTED_X_FORWARDED_FOR");
        expect(warnings, "the rate limiter's warning, in the service's log").to.have.length(1);
        expect(warnings[0].level).to.equal(40);

        const own = [];
        for (const client of ["203.0.113.1", "203.0.113.2", "203.0.113.1", "203.0.113.1"]) own.push((await fetch(`${proxied.url}/v1/issuers/0x12`, from(client))).status);
        expect(own).to.deep.equal([400, 400, 400, 429]);
      } finally {
        await direct.close();
        await proxied.close();
      }
    });
  });

  describe("caching", function () {
    it("forgets cached answers as soon as the registry announces a change, long before the TTL", async function () {
      const watched = await startTestService({ chains: chains(), cacheTtlSeconds: 3600, watchEvents: true });
      try {
        const file = sample.badge("employer", "meridian-secure-coding-practitioner");
        const send = async () =>
          ((await (await fetch(`${watched.url}/v1/credentials/verify`, { method: "POST", ...postJson(JSON.parse(await readFile(file, "utf8"))) })).json()) as { status: string });
        expect((await send()).status).to.equal("valid");
        const employer = await sample.as(sample.accounts.employer);
        const refs = await credentialRefsFromFiles(employer, [file]);
        await changeCredentialStatus(employer, "suspend", refs, "under-investigation");
        let status = "valid";
        for (let attempt = 0; attempt < 50 && status === "valid"; attempt++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          status = (await send()).status;
        }
        expect(status).to.equal("suspended");
        await changeCredentialStatus(employer, "unsuspend", refs, "0");
      } finally {
        await watched.close();
      }
    });

    it("never answers from a memo older than the cache's bound: a revocation shows once it passes", async function () {
      let now = Date.now();
      const cached = await startTestService({ chains: chains(), cacheTtlSeconds: 10, now: () => new Date(now) });
      try {
        const file = sample.badge("employer", "meridian-incident-response-fundamentals");
        const send = async () =>
          ((await (await fetch(`${cached.url}/v1/credentials/verify`, { method: "POST", ...postJson(JSON.parse(await readFile(file, "utf8"))) })).json()) as { status: string });
        expect((await send()).status).to.equal("valid");
        const employer = await sample.as(sample.accounts.employer);
        await changeCredentialStatus(employer, "suspend", await credentialRefsFromFiles(employer, [file]), "under-investigation");
        expect((await send()).status).to.equal("valid");
        now += 11_000;
        expect((await send()).status).to.equal("suspended");
        await changeCredentialStatus(employer, "unsuspend", await credentialRefsFromFiles(employer, [file]), "0");
      } finally {
        await cached.close();
      }
    });

    it("shares chain reads between requests within its TTL, and says how old they may be", async function () {
      const cached = await startTestService({ chains: chains(), cacheTtlSeconds: 30 });
      try {
        const badge = await badgeJson("university", "uni-data-analytics-foundations");
        const send = () =>
          fetch(`${cached.url}/v1/credentials/verify`, { method: "POST", ...postJson(badge) }).then((response) => response.json() as Promise<{ status: string; cacheTtlSeconds: number }>);
        const [first, second] = await Promise.all([send(), send()]);
        const third = await send();
        expect([first.status, second.status, third.status]).to.deep.equal(["valid", "valid", "valid"]);
        expect(third.cacheTtlSeconds).to.equal(30);
        const lookups = (await cached.metrics.registry.getSingleMetric("cache_lookups_total")!.get()).values;
        const count = (kind: string, result: string) => lookups.find((entry) => entry.labels.kind === kind && entry.labels.result === result)?.value ?? 0;
        // The chain is read once. The second request shares that read when it overlaps the first, or finds
        // the first's remembered answer when it does not (which happens depends on timing); the third
        // is answered from the memo of results.
        expect(count("credential", "miss")).to.equal(1);
        expect(count("credential", "hit") + count("verification", "hit")).to.equal(2);
        expect(count("verification", "hit")).to.be.at.least(1);
      } finally {
        await cached.close();
      }
    });
  });
});
