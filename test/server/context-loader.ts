import { expect } from "chai";

import { UnknownContextError } from "../../lib/signature/contexts.js";
import { createJsonFetcher } from "../../server/bounded-fetch.js";
import { createContextLoader, isAllowListed } from "../../server/context-loader.js";
import { json, startDocumentServer, type DocumentServer } from "../helpers/document-server.js";

describe("server/context-loader: contexts bundled, others only from the allow-list", function () {
  let server: DocumentServer;
  const fetchJson = createJsonFetcher({ timeoutMs: 300, maxBytes: 8192, allowLoopbackHttp: true });
  const caching = { ttlSeconds: 60, failureTtlSeconds: 5, maxEntries: 10 };

  before(async function () {
    server = await startDocumentServer();
    server.route("/contexts/extra.json", json({ "@context": { extra: "https://example.org/extra#" } }));
  });
  after(async function () {
    await server.close();
  });

  it("answers a bundled context without fetching", async function () {
    const loader = createContextLoader({ fetchJson, allowList: [], ...caching });
    const loaded = await loader("https://www.w3.org/ns/credentials/v2");
    expect(loaded.documentUrl).to.equal("https://www.w3.org/ns/credentials/v2");
    expect(loaded.document).to.have.property("@context");
  });

  it("refuses a context it does not hold when the allow-list is empty (the default), fetching nothing", async function () {
    const loader = createContextLoader({ fetchJson, allowList: [], ...caching });
    const url = `${server.origin}/contexts/extra.json`;
    await loader(url).then(
      () => expect.fail("an unheld context must be refused"),
      (error: Error) => expect(error).to.be.instanceOf(UnknownContextError),
    );
    expect(server.requests("/contexts/extra.json")).to.equal(0);
  });

  it("fetches an allow-listed context once, then from its cache", async function () {
    const loader = createContextLoader({ fetchJson, allowList: [`${server.origin}/contexts/`], ...caching });
    const url = `${server.origin}/contexts/extra.json`;
    expect((await loader(url)).document).to.deep.equal({ "@context": { extra: "https://example.org/extra#" } });
    await loader(url);
    expect(server.requests("/contexts/extra.json")).to.equal(1);
  });

  it("matches exact URLs, and prefixes only when the entry ends in a slash", function () {
    expect(isAllowListed("https://contexts.example/a.json", ["https://contexts.example/a.json"])).to.equal(true);
    expect(isAllowListed("https://contexts.example/a.json.evil", ["https://contexts.example/a.json"])).to.equal(false);
    expect(isAllowListed("https://contexts.example.evil/a.json", ["https://contexts.example"])).to.equal(false);
    expect(isAllowListed("https://contexts.example/v1/a.json", ["https://contexts.example/v1/"])).to.equal(true);
  });
});
