import { expect } from "chai";

import { createJsonFetcher, DocumentFetchError, type JsonFetcher } from "../../server/bounded-fetch.js";
import { DocumentCache } from "../../server/document-cache.js";
import { endless, json, redirect, slow, startDocumentServer, text, type DocumentServer } from "../helpers/document-server.js";

async function fetchProblem(fetchJson: JsonFetcher, url: string): Promise<DocumentFetchError> {
  try {
    await fetchJson(url);
  } catch (error) {
    expect(error).to.be.instanceOf(DocumentFetchError);
    return error as DocumentFetchError;
  }
  throw new Error(`expected ${url} to be refused`);
}

describe("server/bounded-fetch: documents a badge points at, fetched within bounds", function () {
  let server: DocumentServer;
  let fetchJson: JsonFetcher;

  before(async function () {
    server = await startDocumentServer();
    fetchJson = createJsonFetcher({ timeoutMs: 400, maxBytes: 4096, allowLoopbackHttp: true });
  });
  after(async function () {
    await server.close();
  });

  it("reads a JSON document, whichever JSON media type it is served as", async function () {
    server.route("/did.json", json({ id: "did:web:uni.example" }, "application/did+ld+json"));
    expect(await fetchJson(`${server.origin}/did.json`)).to.deep.equal({ id: "did:web:uni.example" });
  });

  it("gives up on a host slower than the timeout, saying so", async function () {
    server.route("/slow.json", slow(2_000, json({ id: "late" })));
    const started = Date.now();
    const problem = await fetchProblem(fetchJson, `${server.origin}/slow.json`);
    expect(problem.code).to.equal("timeout");
    expect(problem.message).to.equal(`${server.origin}/slow.json did not answer within 400 ms`);
    expect(Date.now() - started).to.be.below(1_500);
  });

  it("stops reading a body that passes the byte limit, even with no Content-Length", async function () {
    server.route("/endless.json", endless());
    const problem = await fetchProblem(fetchJson, `${server.origin}/endless.json`);
    expect(problem.code).to.equal("too-large");
    expect(problem.message).to.contain("more than 4096 bytes");
  });

  it("refuses a declared Content-Length over the limit before reading the body", async function () {
    server.route("/big.json", json({ padding: "x".repeat(10_000) }));
    const problem = await fetchProblem(fetchJson, `${server.origin}/big.json`);
    expect(problem.code).to.equal("too-large");
    expect(problem.message).to.match(/is \d+ bytes; the limit is 4096$/);
  });

  it("refuses what is not JSON: another content type, or a body that does not parse", async function () {
    server.route("/page.html", text("<html>hello</html>", "text/html"));
    server.route("/broken.json", text('{"id": ', "application/json"));
    expect((await fetchProblem(fetchJson, `${server.origin}/page.html`)).message).to.equal(`${server.origin}/page.html is not JSON (Content-Type text/html)`);
    expect((await fetchProblem(fetchJson, `${server.origin}/broken.json`)).message).to.equal(`${server.origin}/broken.json is not JSON (its body does not parse)`);
  });

  it("reports an HTTP error status and an unreachable host", async function () {
    expect((await fetchProblem(fetchJson, `${server.origin}/missing.json`)).message).to.equal(`${server.origin}/missing.json answered HTTP 404`);
    const closed = await startDocumentServer();
    await closed.close();
    const problem = await fetchProblem(fetchJson, `${closed.origin}/did.json`);
    expect(problem.code).to.equal("network");
    expect(problem.message).to.contain("ECONNREFUSED");
  });

  it("fetches over https only: plain http to any host but loopback is refused without a request", async function () {
    for (const url of ["http://uni.example/.well-known/did.json", "http://10.0.0.1/did.json", "ftp://uni.example/did.json", "file:///etc/passwd"]) {
      const problem = await fetchProblem(fetchJson, url);
      expect(problem.code, url).to.equal("refused-url");
    }
    expect((await fetchProblem(fetchJson, "http://uni.example/did.json")).message).to.equal("http://uni.example/did.json: only https:// URLs are fetched");
  });

  it("refuses loopback http too unless configured to allow it", async function () {
    server.route("/did.json", json({ id: "x" }));
    const strict = createJsonFetcher({ timeoutMs: 400, maxBytes: 4096, allowLoopbackHttp: false });
    const before = server.requests("/did.json");
    const problem = await fetchProblem(strict, `${server.origin}/did.json`);
    expect(problem.code).to.equal("refused-url");
    expect(server.requests("/did.json")).to.equal(before);
  });

  it("follows a redirect only to a URL it would fetch itself", async function () {
    server.route("/moved.json", redirect("/did.json"));
    server.route("/did.json", json({ id: "moved" }));
    server.route("/downgrade.json", redirect("http://uni.example/did.json"));
    expect(await fetchJson(`${server.origin}/moved.json`)).to.deep.equal({ id: "moved" });
    expect((await fetchProblem(fetchJson, `${server.origin}/downgrade.json`)).message).to.equal("http://uni.example/did.json: only https:// URLs are fetched");
  });

  it("never puts a URL's query (which may hold a token) in a message", async function () {
    const problem = await fetchProblem(fetchJson, "http://uni.example/did.json?token=s3cret");
    expect(problem.message).to.not.contain("s3cret");
  });
});

describe("server/document-cache: fetched documents remembered for a while", function () {
  it("remembers a document for its TTL, then fetches it again", async function () {
    let now = 0;
    let fetches = 0;
    const cache = new DocumentCache({ ttlSeconds: 60, failureTtlSeconds: 5, maxEntries: 10, now: () => now });
    const load = async () => ({ fetch: ++fetches });
    expect(await cache.get("did:web:uni.example", load)).to.deep.equal({ fetch: 1 });
    now = 59_999;
    expect(await cache.get("did:web:uni.example", load)).to.deep.equal({ fetch: 1 });
    now = 60_000;
    expect(await cache.get("did:web:uni.example", load)).to.deep.equal({ fetch: 2 });
  });

  it("remembers a failure for the shorter failure TTL, then tries again", async function () {
    let now = 0;
    let fetches = 0;
    const cache = new DocumentCache({ ttlSeconds: 60, failureTtlSeconds: 5, maxEntries: 10, now: () => now });
    const failing = async () => {
      fetches++;
      throw new Error("did not answer within 3000 ms");
    };
    for (const at of [0, 4_999]) {
      now = at;
      await cache.get("did:web:dead.example", failing).then(
        () => expect.fail("a failure must be thrown again"),
        (error: Error) => expect(error.message).to.equal("did not answer within 3000 ms"),
      );
    }
    expect(fetches).to.equal(1);
    now = 5_000;
    expect(await cache.get("did:web:dead.example", async () => "back")).to.equal("back");
  });

  it("shares one fetch among concurrent asks and stays within its entry bound", async function () {
    let fetches = 0;
    const cache = new DocumentCache({ ttlSeconds: 60, failureTtlSeconds: 5, maxEntries: 3 });
    const load = async () => {
      fetches++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return "document";
    };
    await Promise.all(Array.from({ length: 5 }, () => cache.get("same", load)));
    expect(fetches).to.equal(1);
    for (const key of ["a", "b", "c", "d"]) await cache.get(key, async () => key);
    expect(cache.size).to.equal(3);
  });
});
