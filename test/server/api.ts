/**
 * The verifier's HTTP API on an in-process chain: every route, every verdict of DESIGN.md §5, the
 * problem+json errors, caching, metrics, and every response checked against /openapi.json.
 */
import { readFile } from "node:fs/promises";

import { expect } from "chai";
import { network } from "hardhat";
import { pino } from "pino";

import { leafHash } from "../../lib/anchor/batch.js";
import type { Hex } from "../../lib/credential/canonical.js";
import { parseDraftCredential } from "../../lib/credential/credential.js";
import { issuerIdOfProfile } from "../../lib/credential/profile-id.js";
import { anchoredCredential, prepareBatch, type PreparedBatch } from "../../lib/anchor/issuance.js";
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

/** One example badge prepared as a batch of one for `profileId` (nothing sent). */
function preparedBadge(name: string, profileId: string, id: string): PreparedBatch {
  const parsed = parseDraftCredential(exampleBadge(name));
  if (!parsed.ok) throw new Error("example invalid");
  return prepareBatch([parsed.credential], { profileId, newId: () => id });
}

/** The anchored badge of a prepared batch of one, as the commands write it. */
function anchoredBadge(prepared: PreparedBatch) {
  const facts = { chainId: sample.chainId, registry: sample.registry, anchoredAt: new Date().toISOString(), transactionHash: `0x${"00".repeat(32)}` as Hex };
  return anchoredCredential(prepared, 0, facts);
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
      expect(bare.body.anchor).to.include({ registry: sample.registry, issuerId: sample.issuers.university.issuerId, actingKey: sample.accounts.universityOperator, keyCompromised: false });
      expect(bare.body.issuer).to.deep.equal({
        profileId: "did:web:uni.example",
        issuerId: sample.issuers.university.issuerId,
        controller: sample.accounts.university,
        status: "active",
        statusSince: bare.body.issuer.statusSince,
        statusReason: "unspecified",
      });
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
      // Only the controller revokes; the operator that anchored the batch suspends and lifts it.
      const controller = await sample.as(sample.accounts.university);
      const [sql] = await credentialRefsFromFiles(controller, [sample.badge("university", "uni-sql-for-analysts")]);
      await changeCredentialStatus(controller, "revoke", [sql], "issued-in-error");
      const revoked = (await verify(await badgeJson("university", "uni-sql-for-analysts"))).body;
      expect(revoked.status).to.equal("revoked");
      // When, why and by whom: the registry's event, which its state does not keep.
      expect(revoked.statusChange).to.deep.include({ change: "revoked", reason: "issued-in-error", actor: sample.accounts.university });
      expect(Date.parse(revoked.statusChange.at)).to.be.closeTo(Date.now(), 120_000);
      expect(revoked.checks.find((check: { name: string }) => check.name === "status").detail).to.equal(`the issuer revoked this credential on ${revoked.statusChange.at} (reason: issued-in-error)`);

      const context = await sample.as(sample.accounts.universityOperator);
      const [python] = await credentialRefsFromFiles(context, [sample.badge("university", "uni-statistical-modelling-python")]);
      await changeCredentialStatus(context, "suspend", [python], "under-investigation");
      const suspended = (await verify(await badgeJson("university", "uni-statistical-modelling-python"))).body;
      expect(suspended.status).to.equal("suspended");
      expect(suspended.statusChange).to.deep.include({ change: "suspended", reason: "under-investigation", actor: sample.accounts.universityOperator });
      await changeCredentialStatus(context, "unsuspend", [python], "0");
      expect((await verify(await badgeJson("university", "uni-statistical-modelling-python"))).body.status).to.equal("valid");
    });

    it("says unknown-anchor for a badge never anchored", async function () {
      const badge = { ...exampleBadge("uni-data-analytics-foundations") };
      expect((await verify(badge)).body.status).to.equal("unknown-anchor");
    });

    it("says unknown-anchor for a badge claiming the employer's issuer.id but anchored only by the university", async function () {
      const prepared = preparedBadge("meridian-secure-coding-practitioner", "https://security.employer.example/issuer", "urn:uuid:9d2c3a56-1111-4a4a-8b8b-000000000001");
      const university = await sample.as(sample.accounts.university);
      await (await university.registry.anchor(sample.issuers.university.issuerId, prepared.batch.root, 1)).wait();
      const result = await verify(anchoredBadge(prepared));
      expect(result.body.status).to.equal("unknown-anchor");
      expect(result.body.errors[0]).to.contain("not anchored by https://security.employer.example/issuer");
    });

    it("root squatting: the employer anchoring (and revoking) the university's root leaves the university's badges valid", async function () {
      const [universityBatch] = sample.batches;
      const employer = await sample.as(sample.accounts.employer);
      await (await employer.registry.anchor(sample.issuers.employer.issuerId, universityBatch.root, universityBatch.count)).wait();
      await (await employer.registry.revokeBatch(sample.issuers.employer.issuerId, universityBatch.root, 0)).wait();
      const result = await verify(await badgeJson("university", "uni-data-analytics-foundations"));
      expect(result.body.status).to.equal("valid");
      expect(result.body.anchor).to.include({ issuerId: sample.issuers.university.issuerId, actingKey: sample.accounts.universityOperator, batchRevoked: false });
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

    it("refuses a badge that is not strict I-JSON — a __proto__ member, a duplicate name, an unsafe integer — with its path (they read valid before)", async function () {
      const badge = await badgeJson("university", "uni-data-analytics-foundations");
      const text = JSON.stringify(badge);
      const send = (body: string | Buffer) => call("post", "/v1/credentials/verify", "/v1/credentials/verify", { headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : new Uint8Array(body) });
      const cut = text.indexOf('"name":"') + '"name":"'.length;
      const [before, after] = [text.slice(0, cut), text.slice(cut)];
      const smuggled = [
        // A member the schema library drops: the hash of what it handed back was the original's.
        [text.replace('"credentialSubject":{', '"credentialSubject":{"__proto__":{"name":"Doctor of Medicine"},'), /\$\.credentialSubject\.__proto__ .*"__proto__"/],
        // A fake value before the real one: JSON.parse keeps the last, a first-wins reader shows the first.
        [text.replace('"name":', '"name":"Doctor of Medicine","name":'), /\$\.name .*appears twice/],
        [text.replace(/}$/, ',"creditsEarned":9007199254740993}'), /\$\.creditsEarned .*2\^53/],
        [text.replace('"name":"', '"name":"\\ud800'), /\$\.name .*lone surrogate/],
        // A lone surrogate as raw bytes: decoded leniently it became U+FFFD, a document nobody sent.
        [Buffer.concat([Buffer.from(before), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(after)]), /\$ .*is not UTF-8: byte \d+/],
      ] as const;
      for (const [body, detail] of smuggled) {
        const answer = await send(body);
        expect(answer.status, body.slice(0, 60).toString()).to.equal(400);
        expect(answer.body.type).to.equal("urn:credential-registry:problem:malformed-request");
        expect(answer.body.detail).to.match(detail);
      }
      expect((await send(text)).body.status).to.equal("valid");
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

  describe("GET /v1/hashes/:hash?issuer=", function () {
    const HASH_ROUTE = "/v1/hashes/{hash}";
    let single: Hex;
    before(async function () {
      const prepared = preparedBadge("uni-sql-for-analysts", "did:web:uni.example", "urn:uuid:0b7c1d2e-3f40-4a5b-9c6d-7e8f90a1b2c3");
      const university = await sample.as(sample.accounts.university);
      await (await university.registry.anchor(sample.issuers.university.issuerId, prepared.batch.root, 1)).wait();
      single = prepared.credentialHashes[0];
    });

    it("finds a credential the issuer anchored alone, by its hash and the issuer's profile id or issuer id", async function () {
      for (const issuer of ["did:web:uni.example", sample.issuers.university.issuerId]) {
        const found = await call("get", HASH_ROUTE, `/v1/hashes/${single}?issuer=${encodeURIComponent(issuer)}`);
        expect(found.status, issuer).to.equal(200);
        expect(found.body).to.include({ credentialHash: single, status: "valid" });
        expect(found.body.anchor).to.include({ root: leafHash(0, single), count: 1, issuerId: sample.issuers.university.issuerId, actingKey: sample.accounts.university });
        expect(found.body.issuer).to.include({ profileId: "did:web:uni.example", controller: sample.accounts.university, status: "active" });
      }
    });

    it("requires the issuer: 400 saying to add ?issuer=, and 400 for one that is neither a canonical profile id nor an issuer id", async function () {
      const without = await call("get", HASH_ROUTE, `/v1/hashes/${single}`);
      expect(without.status).to.equal(400);
      expect(without.body.type).to.equal("urn:credential-registry:problem:malformed-request");
      expect(without.body.detail).to.contain("?issuer=");
      const uncanonical = await call("get", HASH_ROUTE, `/v1/hashes/${single}?issuer=${encodeURIComponent("HTTPS://Uni.Example/")}`);
      expect(uncanonical.status).to.equal(400);
      expect(uncanonical.body.detail).to.contain("https://uni.example");
      expect((await call("get", HASH_ROUTE, `/v1/hashes/${single}?issuer=0x1234`)).status).to.equal(400);
      expect((await call("get", HASH_ROUTE, `/v1/hashes/${single}?issuer=a&issuer=b`)).status).to.equal(400);
    });

    it("answers 404 for a hash that issuer never anchored alone, and 400 for a malformed hash", async function () {
      expect((await call("get", HASH_ROUTE, `/v1/hashes/0x${"ab".repeat(32)}?issuer=did:web:uni.example`)).status).to.equal(404);
      const notTheirs = await call("get", HASH_ROUTE, `/v1/hashes/${single}?issuer=${encodeURIComponent("https://security.employer.example/issuer")}`);
      expect(notTheirs.status).to.equal(404);
      expect(notTheirs.body.detail).to.contain("https://security.employer.example/issuer");
      expect((await call("get", HASH_ROUTE, "/v1/hashes/0x1234?issuer=did:web:uni.example")).status).to.equal(400);
    });

    it("answers from that issuer's anchor only: another issuer anchoring leafHash(0, hash) does not turn a revoked badge valid", async function () {
      const prepared = preparedBadge("uni-data-analytics-foundations", "did:web:uni.example", "urn:uuid:0b7c1d2e-3f40-4a5b-9c6d-7e8f90a1b2c4");
      const hash = prepared.credentialHashes[0];
      const university = await sample.as(sample.accounts.university);
      await (await university.registry.anchor(sample.issuers.university.issuerId, prepared.batch.root, 1)).wait();
      await (await university.registry.revoke(sample.issuers.university.issuerId, prepared.batch.root, 0, 1, 1)).wait();
      // The attack of 1.x: anyone anchors the same root (a batch of one is derivable from the hash alone).
      const employer = await sample.as(sample.accounts.employer);
      await (await employer.registry.anchor(sample.issuers.employer.issuerId, leafHash(0, hash), 1)).wait();
      const answer = await call("get", HASH_ROUTE, `/v1/hashes/${hash}?issuer=did:web:uni.example`);
      expect(answer.status).to.equal(200);
      expect(answer.body.status).to.equal("revoked");
      expect(answer.body.anchor.issuerId).to.equal(sample.issuers.university.issuerId);
    });
  });

  describe("GET /v1/anchors/:issuerId/:root", function () {
    const ANCHOR_ROUTE = "/v1/anchors/{issuerId}/{root}";

    it("shows an issuer's anchor: acting key, time, count, batch revoked", async function () {
      const [batch] = sample.batches;
      const found = await call("get", ANCHOR_ROUTE, `/v1/anchors/${sample.issuers.university.issuerId}/${batch.root}`);
      expect(found.status).to.equal(200);
      expect(found.body).to.include({ issuerId: sample.issuers.university.issuerId, root: batch.root, actingKey: sample.accounts.universityOperator, count: batch.count, batchRevoked: false });
    });

    it("answers 404 for a root that issuer never anchored, 400 for a malformed issuer id, root or chain id", async function () {
      const [batch] = sample.batches;
      const stranger = issuerIdOfProfile("did:web:nobody.example");
      expect((await call("get", ANCHOR_ROUTE, `/v1/anchors/${stranger}/${batch.root}`)).status).to.equal(404);
      expect((await call("get", ANCHOR_ROUTE, `/v1/anchors/${sample.issuers.university.issuerId}/0x${"cd".repeat(32)}`)).status).to.equal(404);
      expect((await call("get", ANCHOR_ROUTE, `/v1/anchors/did:web:uni.example/${batch.root}`)).status).to.equal(400);
      expect((await call("get", ANCHOR_ROUTE, `/v1/anchors/${sample.issuers.university.issuerId}/0x12`)).status).to.equal(400);
      expect((await call("get", ANCHOR_ROUTE, `/v1/anchors/${sample.issuers.university.issuerId}/${batch.root}?chainId=abc`)).status).to.equal(400);
    });
  });

  describe("GET /v1/issuers/:profileIdOrIssuerId", function () {
    const ISSUER_ROUTE = "/v1/issuers/{profileIdOrIssuerId}";

    it("shows an issuer by profile id or issuer id: controller, operators, compromised keys, status", async function () {
      for (const ref of [encodeURIComponent("did:web:uni.example"), sample.issuers.university.issuerId]) {
        const found = await call("get", ISSUER_ROUTE, `/v1/issuers/${ref}`);
        expect(found.status, ref).to.equal(200);
        expect(found.body).to.include({
          profileId: "did:web:uni.example",
          issuerId: sample.issuers.university.issuerId,
          controller: sample.accounts.university,
          proposedController: null,
          status: "active",
        });
        expect(found.body.operators.map((operator: { key: string }) => operator.key)).to.deep.equal([sample.accounts.universityOperator]);
        expect(found.body.compromisedKeys).to.deep.equal([]);
      }
      const employer = await call("get", ISSUER_ROUTE, `/v1/issuers/${encodeURIComponent("https://security.employer.example/issuer")}`);
      expect(employer.body).to.include({ profileId: "https://security.employer.example/issuer", controller: sample.accounts.employer });
      expect(employer.body.operators).to.deep.equal([]);
    });

    it("answers 404 for an issuer not registered, 400 for a profile id not in canonical form or a malformed issuer id", async function () {
      expect((await call("get", ISSUER_ROUTE, `/v1/issuers/${encodeURIComponent("did:web:nobody.example")}`)).status).to.equal(404);
      expect((await call("get", ISSUER_ROUTE, `/v1/issuers/${issuerIdOfProfile("did:web:nobody.example")}`)).status).to.equal(404);
      const uncanonical = await call("get", ISSUER_ROUTE, `/v1/issuers/${encodeURIComponent("https://Security.Employer.Example/issuer/")}`);
      expect(uncanonical.status).to.equal(400);
      expect(uncanonical.body.detail).to.contain("https://security.employer.example/issuer");
      expect((await call("get", ISSUER_ROUTE, "/v1/issuers/0x12")).status).to.equal(400);
      expect((await call("get", ISSUER_ROUTE, `/v1/issuers/${sample.issuers.university.issuerId}?chainId=x`)).status).to.equal(400);
    });
  });

  describe("a stolen operator key, declared compromised", function () {
    const COLLEGE = "did:web:college.example";
    const collegeId = issuerIdOfProfile(COLLEGE);
    let genuineBadge: ReturnType<typeof anchoredBadge>;
    let forgedBadge: ReturnType<typeof anchoredBadge>;
    let controller: string;
    let operator: string;
    let theft: number;

    before(async function () {
      // A third issuer of its own, so that the cut-off touches none of the sample's badges.
      const signers = await connection.ethers.getSigners();
      [controller, operator] = [signers[8].address, signers[9].address];
      await (await (await sample.as(sample.accounts.accreditor)).registry.registerIssuer(COLLEGE, controller)).wait();
      await (await (await sample.as(controller)).registry.addOperator(collegeId, operator)).wait();
      const hot = await sample.as(operator);
      const genuine = preparedBadge("uni-sql-for-analysts", COLLEGE, "urn:uuid:7a000000-0000-4000-8000-000000000001");
      await (await hot.registry.anchor(collegeId, genuine.batch.root, 1)).wait();
      genuineBadge = anchoredBadge(genuine);
      await connection.provider.request({ method: "evm_increaseTime", params: [3600] });
      const forged = preparedBadge("uni-data-analytics-foundations", COLLEGE, "urn:uuid:7a000000-0000-4000-8000-000000000002");
      const receipt = await (await hot.registry.anchor(collegeId, forged.batch.root, 1)).wait();
      theft = (await connection.ethers.provider.getBlock(receipt!.blockNumber))!.timestamp;
      forgedBadge = anchoredBadge(forged);
      expect((await verify(forgedBadge)).body.status).to.equal("valid"); // before anyone knows
      await (await (await sample.as(controller)).registry.declareKeyCompromised(collegeId, operator, theft)).wait();
    });

    it("reads the badge anchored by the key since its compromise revoked, naming the key and since when", async function () {
      const result = await verify(forgedBadge);
      expect(result.body.status).to.equal("revoked");
      expect(result.body.anchor).to.include({ actingKey: operator, keyCompromised: true, keyCompromisedSince: new Date(theft * 1000).toISOString() });
      const issuerCheck = result.body.checks.find((check: { name: string }) => check.name === "issuer");
      expect(issuerCheck.result).to.equal("fail");
      expect(issuerCheck.detail).to.contain(operator);
      expect(issuerCheck.detail).to.contain(`compromised since ${new Date(theft * 1000).toISOString()}`);
      expect(issuerCheck.detail).to.contain("key-compromise");
    });

    it("keeps the badge the key anchored before the cut-off valid", async function () {
      const result = await verify(genuineBadge);
      expect(result.body.status).to.equal("valid");
      expect(result.body.anchor).to.include({ actingKey: operator, keyCompromised: false, keyCompromisedSince: new Date(theft * 1000).toISOString() });
    });

    it("lists the key as compromised since the theft, and no longer as an operator", async function () {
      const found = await call("get", "/v1/issuers/{profileIdOrIssuerId}", `/v1/issuers/${encodeURIComponent(COLLEGE)}`);
      expect(found.body.operators).to.deep.equal([]);
      expect(found.body.compromisedKeys).to.deep.equal([{ key: operator, since: new Date(theft * 1000).toISOString(), declaredBy: controller }]);
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

    it("forgets cached answers when a key is declared compromised, long before the TTL", async function () {
      const watched = await startTestService({ chains: chains(), cacheTtlSeconds: 3600, watchEvents: true });
      try {
        const institute = "did:web:institute.example";
        const instituteId = issuerIdOfProfile(institute);
        const signers = await connection.ethers.getSigners();
        const [controller, operator] = [signers[10].address, signers[11].address];
        await (await (await sample.as(sample.accounts.accreditor)).registry.registerIssuer(institute, controller)).wait();
        await (await (await sample.as(controller)).registry.addOperator(instituteId, operator)).wait();
        const prepared = preparedBadge("uni-sql-for-analysts", institute, "urn:uuid:7b000000-0000-4000-8000-000000000001");
        const receipt = await (await (await sample.as(operator)).registry.anchor(instituteId, prepared.batch.root, 1)).wait();
        const badge = anchoredBadge(prepared);
        const send = async () => ((await (await fetch(`${watched.url}/v1/credentials/verify`, { method: "POST", ...postJson(badge) })).json()) as { status: string });
        expect((await send()).status).to.equal("valid");
        const anchoredAt = (await connection.ethers.provider.getBlock(receipt!.blockNumber))!.timestamp;
        await (await (await sample.as(controller)).registry.declareKeyCompromised(instituteId, operator, anchoredAt)).wait();
        let status = "valid";
        for (let attempt = 0; attempt < 50 && status === "valid"; attempt++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          status = (await send()).status;
        }
        expect(status).to.equal("revoked");
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
