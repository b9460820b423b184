/**
 * Status lists through the real service: badges anchored on an in-process chain with Bitstring entries
 * pointing at an HTTP server on 127.0.0.1 (loopback http allowed, as DID_ALLOW_LOOPBACK_HTTP allows it),
 * serving lists built and signed by lib/status and lib/signature as `credentials status publish` does.
 * The chain decides; the service warns when a list disagrees or cannot be read, caches lists, counts fetches.
 */
import { expect } from "chai";
import { network } from "hardhat";

import type { Hex } from "../../lib/credential/canonical.js";
import { statusListUrls } from "../../lib/status/status-list.js";
import { DEFAULT_STATUS_LIST_FETCH } from "../../server/config.js";
import { pageTests } from "../helpers/browser.js";
import { json, startDocumentServer, type DocumentServer } from "../helpers/document-server.js";
import { expectConformsToOpenApi } from "../helpers/openapi.js";
import { listCredential, statusBatch, type StatusBatch } from "../helpers/status-lists.js";
import { chainConfig, sampleOnInProcessChain, startTestService, type TestService } from "../helpers/verifier-app.js";

const connection = await network.create();
const { sample, client } = await sampleOnInProcessChain(connection);
const university = sample.issuers.university;
const signer = { verificationMethod: university.signingKey.verificationMethod!, keyPair: university.signingKey.keyPair };

describe("server: status lists compared with the chain, through the HTTP service", function () {
  let documents: DocumentServer;
  let made: StatusBatch;
  let urls: { revocation: string; suspension: string };
  let paths: { revocation: string; suspension: string };

  /** Serves the university's signed lists with these indexes set. */
  async function publish(set: { revocation?: number[]; suspension?: number[] }) {
    for (const purpose of ["revocation", "suspension"] as const) {
      documents.route(paths[purpose], json(await listCredential({ url: urls[purpose], issuer: university.profileId, purpose, set: set[purpose], signer })));
    }
  }

  async function start(statusLists: Partial<typeof DEFAULT_STATUS_LIST_FETCH> = {}, allowLoopbackHttp = true): Promise<TestService> {
    return startTestService({
      chains: [{ config: chainConfig(sample.chainId, sample.registry), client }],
      cacheTtlSeconds: 0,
      documents: {
        allowLoopbackHttp,
        pinned: new Map([[university.profileId, university.controllerDocument]]),
        statusLists: { ...DEFAULT_STATUS_LIST_FETCH, timeoutMs: 500, ...statusLists },
      },
    });
  }

  async function verify(service: TestService, badge: unknown) {
    const response = await fetch(`${service.url}/v1/credentials/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(badge) });
    const body = await response.json();
    expectConformsToOpenApi("post", "/v1/credentials/verify", response.status, response.headers.get("content-type") ?? "", body);
    return body;
  }

  before(async function () {
    documents = await startDocumentServer();
    urls = statusListUrls(`${documents.origin}/status`, "srv1");
    paths = { revocation: new URL(urls.revocation).pathname, suspension: new URL(urls.suspension).pathname };
    const facts = { chainId: sample.chainId, registry: sample.registry, anchoredAt: new Date().toISOString(), transactionHash: `0x${"00".repeat(32)}` as Hex };
    made = await statusBatch({ profileId: university.profileId, base: `${documents.origin}/status`, batchId: "srv1", count: 2, facts, signer });
    const controller = await sample.as(sample.accounts.university);
    await (await controller.registry.anchor(university.issuerId, made.batch.root, 2)).wait();
    // Badge 1 revoked on chain (word 0, bit 1, reason 1); the lists below are not republished.
    await (await controller.registry.revoke(university.issuerId, made.batch.root, 0n, 1n << 1n, 1)).wait();
    await publish({});
  });

  after(async function () {
    await documents.close();
  });

  describe("with the default cache", function () {
    let service: TestService;
    before(async function () {
      service = await start();
    });
    after(async function () {
      await service.close();
    });

    it("agrees for a badge in good standing; warns, naming the list and both sides, for the revoked one the list still shows not revoked; caches and counts the fetches", async function () {
      const good = await verify(service, made.badges[0]);
      expect(good.status).to.equal("valid");
      expect(good.checks.find((check: { name: string }) => check.name === "signature").result).to.equal("pass");
      expect(good.warnings).to.deep.equal([]);
      expect(good.statusLists).to.deep.equal([
        { url: urls.revocation, purpose: "revocation", index: 0, listSays: false, chainSays: false, agrees: true, listSignature: "verified", note: null },
        { url: urls.suspension, purpose: "suspension", index: 0, listSays: false, chainSays: false, agrees: true, listSignature: "verified", note: null },
      ]);

      const revoked = await verify(service, made.badges[1]);
      expect(revoked.status).to.equal("revoked");
      expect(revoked.warnings).to.deep.equal([
        `the status list ${urls.revocation} says not revoked; the chain says revoked: the issuer has not republished its list, and verifiers reading it will accept this badge`,
      ]);
      expect(revoked.statusLists[0]).to.include({ listSays: false, chainSays: true, agrees: false });

      // Two verifications, one fetch per list: the second read the cache.
      expect(documents.requests(paths.revocation)).to.equal(1);
      expect(documents.requests(paths.suspension)).to.equal(1);
      const metrics = await (await fetch(`${service.url}/metrics`)).text();
      expect(metrics).to.match(/document_fetches_total\{kind="status-list",outcome="ok"\} 2\b/);
      expect(metrics).to.match(/cache_lookups_total\{kind="status-list",result="hit"\} 2\b/);
    });
  });

  describe("on the verification page", function () {
    const session = pageTests(() => start());

    it("shows the disagreement in the summary and as a warning line, the verdict the chain's", async function () {
      await session.page.evaluate((content) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([content], "badge.json", { type: "application/json" }));
        document.querySelector("#drop-zone")!.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }, JSON.stringify(made.badges[1]));
      await session.page.waitForSelector("#verdict[data-status]");
      expect(await session.page.getAttribute("#verdict", "data-status")).to.equal("revoked");
      expect(await session.page.textContent("#summary")).to.contain(
        "revocation list DISAGREES: it says not revoked, the chain says revoked (the chain decides); suspension list agrees with the chain (not suspended)",
      );
      const warnings = await session.page.$$eval("#warnings li", (items) => items.map((item) => item.textContent));
      expect(warnings).to.deep.equal([`the status list ${urls.revocation} says not revoked; the chain says revoked: the issuer has not republished its list, and verifiers reading it will accept this badge`]);
    });
  });

  describe("with lists fetched afresh each time", function () {
    let service: TestService;
    before(async function () {
      service = await start({ ttlSeconds: 0, failureTtlSeconds: 0 });
    });
    after(async function () {
      await service.close();
      await publish({});
    });

    it("agrees once the issuer republishes; a list that is gone or slow is a warning, and the chain still decides", async function () {
      await publish({ revocation: [1] });
      let body = await verify(service, made.badges[1]);
      expect(body.status).to.equal("revoked");
      expect(body.warnings).to.deep.equal([]);
      expect(body.statusLists[0]).to.include({ listSays: true, chainSays: true, agrees: true });

      documents.route(paths.revocation, (_request, response) => void response.writeHead(404, { "content-type": "text/plain" }).end("gone"));
      body = await verify(service, made.badges[1]);
      expect(body.status).to.equal("revoked");
      expect(body.warnings).to.deep.equal([
        `the revocation status list ${urls.revocation} could not be fetched (${urls.revocation} answered HTTP 404); the chain says revoked: verifiers reading the list cannot tell`,
      ]);

      documents.route(paths.revocation, (_request, response) => void setTimeout(() => response.destroyed || response.end(), 2_000));
      body = await verify(service, made.badges[0]);
      expect(body.status).to.equal("valid");
      expect(body.warnings[0]).to.contain(`${urls.revocation} did not answer within 500 ms`);
    });

    it("never fetches a list over plain http unless loopback http is allowed", async function () {
      const strict = await start({ ttlSeconds: 0 }, false);
      try {
        const before = documents.requests(paths.suspension);
        const body = await verify(strict, made.badges[0]);
        expect(body.status).to.equal("valid");
        expect(body.warnings.join("\n")).to.contain("plain http:// is not fetched");
        expect(documents.requests(paths.suspension)).to.equal(before);
      } finally {
        await strict.close();
      }
    });
  });
});
