/**
 * The signature check's keys fetched for real: DID documents served by an HTTP server on 127.0.0.1 (a
 * did:web on a loopback host, which the resolver fetches over http when allowed), broken in each way a
 * host can break them. Through the resolver alone, through the pipeline (with an in-memory registry, for
 * anchored badges), and through the HTTP service.
 */
import { expect } from "chai";

import { anchoredCredential, prepareBatch, type PreparedBatch } from "../../lib/anchor/issuance.js";
import { attachAnchorProof, findAnchorProof, type AnchorProof } from "../../lib/anchor/proof.js";
import type { Hex } from "../../lib/credential/canonical.js";
import { parseDraftCredential, type DraftCredential } from "../../lib/credential/credential.js";
import { verifyCredential, type VerificationResult } from "../../lib/verify/verify.js";
import { createJsonFetcher } from "../../server/bounded-fetch.js";
import { DEFAULT_DOCUMENT_FETCH } from "../../server/config.js";
import { createDocumentSources, type DocumentSources } from "../../server/document-sources.js";
import { DidResolutionError, DidResolver } from "../../server/did-resolver.js";
import { createMetrics } from "../../server/metrics.js";
import { exampleBadge } from "../helpers/badges.js";
import { endless, json, slow, startDocumentServer, text, type DocumentServer } from "../helpers/document-server.js";
import { FAKE_CHAIN_ID, FAKE_REGISTRY, FakeChain } from "../helpers/fake-chain.js";
import { expectConformsToOpenApi } from "../helpers/openapi.js";
import { didKeyIssuer, hostedIssuer, signWithReference, type ReferenceIssuer } from "../helpers/reference-signing.js";
import { chainConfig, startTestService, type TestService } from "../helpers/verifier-app.js";

const CONTROLLER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const OTHER_ACCOUNT = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const NOW = new Date("2026-07-01T12:00:00Z");
const FACTS = { chainId: FAKE_CHAIN_ID, registry: FAKE_REGISTRY, anchoredAt: "2026-06-01T00:00:00.000Z", transactionHash: `0x${"ab".repeat(32)}` as Hex };
const LIMITS = { ...DEFAULT_DOCUMENT_FETCH, timeoutMs: 300, maxBytes: 8 * 1024, allowLoopbackHttp: true, pinned: new Map(), contextAllowList: [] };

async function resolutionProblem(resolver: DidResolver, id: string): Promise<DidResolutionError> {
  try {
    await resolver.resolve(id);
  } catch (error) {
    expect(error).to.be.instanceOf(DidResolutionError);
    return error as DidResolutionError;
  }
  throw new Error(`expected ${id} not to resolve`);
}

function draft(): DraftCredential {
  const parsed = parseDraftCredential(exampleBadge("uni-sql-for-analysts"));
  if (!parsed.ok) throw new Error("example invalid");
  return parsed.credential as DraftCredential;
}

function detailOf(result: VerificationResult, name: string): string {
  return result.checks.find((check) => check.name === name)!.detail;
}

describe("server/did-resolver: issuers' documents fetched with bounds", function () {
  let server: DocumentServer;
  /** did:web:127.0.0.1%3A<port>:<path> → http://127.0.0.1:<port>/<path>/did.json */
  let didAt: (path: string) => string;

  before(async function () {
    server = await startDocumentServer();
    didAt = (path) => `did:web:127.0.0.1%3A${server.port}:${path}`;
  });
  after(async function () {
    await server.close();
  });

  describe("the resolver", function () {
    it("fetches a did:web's document from the URL the method gives, and a did:key's not at all", async function () {
      const did = didAt("uni");
      server.route("/uni/did.json", json({ id: did, assertionMethod: [] }, "application/did+json"));
      const resolver = createDocumentSources(LIMITS).resolver;
      expect(await resolver.resolve(`${did}#key-1`)).to.deep.equal({ id: did, assertionMethod: [] });
      const didKey = (await didKeyIssuer(new Uint8Array(32).fill(1))).id;
      expect(((await resolver.resolve(didKey)) as { id: string }).id).to.equal(didKey);
    });

    it("refuses plain http to any host but loopback, for https profile ids, without a request", async function () {
      const resolver = createDocumentSources(LIMITS).resolver;
      const problem = await resolutionProblem(resolver, "http://uni.example/issuer");
      expect(problem.code).to.equal("refused-url");
      expect(problem.message).to.equal("cannot fetch the document of http://uni.example/issuer: http://uni.example/issuer: only https:// URLs are fetched");
    });

    it("refuses a did:web on loopback unless loopback http is allowed (the default)", async function () {
      const did = didAt("strict");
      server.route("/strict/did.json", json({ id: did }));
      const strict = createDocumentSources({ ...LIMITS, allowLoopbackHttp: false }).resolver;
      expect((await resolutionProblem(strict, did)).code).to.equal("network");
      expect(server.requests("/strict/did.json")).to.equal(0);
    });

    it("refuses a document that is for another id", async function () {
      const did = didAt("squatter");
      server.route("/squatter/did.json", json({ id: "did:web:uni.example" }));
      const problem = await resolutionProblem(createDocumentSources(LIMITS).resolver, did);
      expect(problem.message).to.contain('is for "did:web:uni.example", not');
    });

    it("uses a pinned document without fetching anything", async function () {
      const pinned = new Map([["did:web:uni.example", { id: "did:web:uni.example", name: "pinned" }]]);
      const resolver = createDocumentSources({ ...LIMITS, pinned }).resolver;
      expect(await resolver.resolve("did:web:uni.example#key-1")).to.deep.equal({ id: "did:web:uni.example", name: "pinned" });
    });

    it("serves a document from its cache for the TTL, then fetches it again; a failure is retried sooner", async function () {
      let now = 0;
      const did = didAt("cached");
      server.route("/cached/did.json", json({ id: did }));
      const metrics = createMetrics();
      const fetchJson = createJsonFetcher({ timeoutMs: 300, maxBytes: 8192, allowLoopbackHttp: true });
      const resolver = new DidResolver({ fetchJson, ttlSeconds: 60, failureTtlSeconds: 5, maxEntries: 10, allowLoopbackHttp: true, metrics, now: () => now });
      await resolver.resolve(did);
      now = 59_000;
      await resolver.resolve(did);
      expect(server.requests("/cached/did.json")).to.equal(1);
      now = 60_000;
      await resolver.resolve(did);
      expect(server.requests("/cached/did.json")).to.equal(2);

      const dead = didAt("dead");
      server.route("/dead/did.json", text("down", "text/plain", 503));
      now = 100_000;
      await resolutionProblem(resolver, dead);
      now = 104_000;
      expect((await resolutionProblem(resolver, dead)).message).to.contain("answered HTTP 503");
      expect(server.requests("/dead/did.json")).to.equal(1);
      server.route("/dead/did.json", json({ id: dead }));
      now = 105_000;
      expect(await resolver.resolve(dead)).to.deep.equal({ id: dead });
      expect(server.requests("/dead/did.json")).to.equal(2);

      const exposition = await metrics.registry.metrics();
      expect(exposition).to.match(/document_fetches_total\{kind="did:web",outcome="ok"\} 3/);
      expect(exposition).to.match(/document_fetches_total\{kind="did:web",outcome="http-status"\} 1/);
      expect(exposition).to.match(/cache_lookups_total\{kind="did-document",result="hit"\} 2/);
    });
  });

  describe("a did:web badge whose DID document is broken", function () {
    let chain: FakeChain;
    let issuer: ReferenceIssuer;
    let batch: PreparedBatch;
    let signedOnly: Record<string, unknown>;
    let anchored: Record<string, unknown>;
    let sources: DocumentSources;
    const path = "broken";

    before(async function () {
      const did = didAt(path);
      issuer = await hostedIssuer(did, { blockchainAccountIds: [`eip155:${FAKE_CHAIN_ID}:${CONTROLLER}`], name: "Loopback University", seed: new Uint8Array(32).fill(4) });
      batch = prepareBatch([draft()], { profileId: did, newId: () => "urn:uuid:00000000-0000-4000-8000-000000000201" });
      signedOnly = await signWithReference(batch.credentials[0] as unknown as Record<string, unknown>, issuer);
      const found = findAnchorProof(anchoredCredential(batch, 0, FACTS)) as { kind: "found"; proof: AnchorProof };
      anchored = attachAnchorProof(signedOnly, found.proof);
    });

    beforeEach(function () {
      chain = new FakeChain();
      chain.registerIssuer(issuer.id, CONTROLLER);
      chain.anchor(issuer.id, batch.batch.root, 1);
      // Fresh caches: each test serves the document its own way.
      sources = createDocumentSources(LIMITS);
    });

    const verify = (badge: unknown) => verifyCredential(badge, { readerFor: chain.readerFor, now: () => NOW, resolver: sources.resolver, loader: sources.loader });

    it("verifies when it is served well: valid anchored, unanchored signed only", async function () {
      server.route(`/${path}/did.json`, json(issuer.document));
      expect((await verify(anchored)).status).to.equal("valid");
      const unanchored = await verify(signedOnly);
      expect(unanchored.status).to.equal("unanchored");
      expect(detailOf(unanchored, "proof")).to.equal(`signed by Loopback University (${issuer.id}), but not recorded in a registry this verifier trusts (it carries no anchor proof)`);
    });

    const breakages: Array<[string, () => void, string]> = [
      ["times out", () => server.route(`/${path}/did.json`, slow(2_000, json({}))), "did not answer within 300 ms"],
      ["is too large", () => server.route(`/${path}/did.json`, endless()), "more than 8192 bytes"],
      ["is not JSON", () => server.route(`/${path}/did.json`, text("<html>it works</html>", "text/html")), "is not JSON (Content-Type text/html)"],
    ];
    for (const [what, serve, reason] of breakages) {
      it(`says why when the document ${what}: unavailable with no anchor, a warning beside a good anchor`, async function () {
        serve();
        const alone = await verify(signedOnly);
        expect(alone.status).to.equal("unavailable");
        expect(alone.verified).to.equal(false);
        expect(detailOf(alone, "signature")).to.contain(`the controller document of ${issuer.id} could not be read`).and.to.contain(reason);
        const withAnchor = await verify(anchored);
        // The anchor (hash and Merkle path on chain) vouches for the content; the warning says what was not checked.
        expect(withAnchor.status).to.equal("valid");
        expect(withAnchor.checks.find((check) => check.name === "signature")!.result).to.equal("skip");
        expect(withAnchor.warnings.join(" ")).to.contain(reason);
      });
    }

    it("says issuer-mismatch when the document lists no key for the proof", async function () {
      const keyless = { ...issuer.document, assertionMethod: [] };
      server.route(`/${path}/did.json`, json(keyless));
      for (const badge of [signedOnly, anchored]) {
        const result = await verify(badge);
        expect(result.status).to.equal("issuer-mismatch");
        expect(detailOf(result, "signature")).to.contain(issuer.verificationMethod);
      }
    });

    it("says issuer-mismatch when the document names another controller than the registry's", async function () {
      const other = await hostedIssuer(issuer.id, { blockchainAccountIds: [`eip155:${FAKE_CHAIN_ID}:${OTHER_ACCOUNT}`], seed: new Uint8Array(32).fill(4) });
      server.route(`/${path}/did.json`, json(other.document));
      const result = await verify(anchored);
      expect(result.status).to.equal("issuer-mismatch");
      expect(detailOf(result, "signature")).to.contain(OTHER_ACCOUNT).and.to.contain(`the registry's controller of ${issuer.id} is ${CONTROLLER}`);
    });

    describe("through the HTTP service", function () {
      let service: TestService;

      before(async function () {
        // No chain is read: these badges carry no anchor proof.
        service = await startTestService({ chains: [{ config: chainConfig(FAKE_CHAIN_ID, FAKE_REGISTRY) }], cacheTtlSeconds: 0, documents: LIMITS });
      });
      after(async function () {
        await service.close();
      });

      async function post(badge: unknown) {
        const response = await fetch(`${service.url}/v1/credentials/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(badge) });
        const body = await response.json();
        expectConformsToOpenApi("post", "/v1/credentials/verify", response.status, response.headers.get("content-type") ?? "", body);
        return { status: response.status, body };
      }

      it("answers 200 unanchored for a good document, naming the signer", async function () {
        server.route(`/${path}/did.json`, json(issuer.document));
        const { status, body } = await post(signedOnly);
        expect(status).to.equal(200);
        expect(body.status).to.equal("unanchored");
        expect(body.signature.signers[0]).to.deep.equal({ verificationMethod: issuer.verificationMethod, controller: issuer.id, cryptosuite: "eddsa-rdfc-2022" });
        expect(body.signature.signerName).to.equal("Loopback University");
      });

      it("answers 503 unavailable, saying why, for a document that times out (and the service keeps answering)", async function () {
        const slowIssuer = await hostedIssuer(didAt("slow"), { seed: new Uint8Array(32).fill(2) });
        server.route("/slow/did.json", slow(2_000, json(slowIssuer.document)));
        const badge = await signWithReference(prepareBatch([draft()], { profileId: slowIssuer.id, newId: () => "urn:uuid:00000000-0000-4000-8000-000000000202" }).credentials[0] as unknown as Record<string, unknown>, slowIssuer);
        const { status, body } = await post(badge);
        expect(status).to.equal(503);
        expect(body.status).to.equal("unavailable");
        expect(body.errors.join(" ")).to.contain("did not answer within 300 ms");
        expect((await fetch(`${service.url}/healthz`)).status).to.equal(200);
      });
    });
  });
});
