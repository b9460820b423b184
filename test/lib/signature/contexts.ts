import { readFileSync } from "node:fs";

import { expect } from "chai";

import { STACK_CONTEXT } from "../../../lib/stack/stack.js";
import { BUNDLED_CONTEXTS, contextLoader, unheldContexts, UnknownContextError } from "../../../lib/signature/contexts.js";
import { STACK_CONTEXT_DOCUMENT } from "../../../lib/signature/stack-context.js";
import { renderStackContextModule, STACK_CONTEXT_FILE, STACK_CONTEXT_MODULE } from "./stack-context.generate.js";
import { EXAMPLE_BADGES } from "./fixtures.js";

describe("lib/signature/contexts", function () {
  const required = [
    "https://www.w3.org/2018/credentials/v1",
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
    "https://w3id.org/security/data-integrity/v1",
    "https://w3id.org/security/data-integrity/v2",
    "https://w3id.org/security/multikey/v1",
    "https://w3id.org/security/suites/ed25519-2020/v1",
    "https://www.w3.org/ns/did/v1",
    "https://www.w3.org/ns/credentials/status/v1",
    STACK_CONTEXT,
  ];
  for (const url of required) {
    it(`bundles ${url}`, async function () {
      const loaded = await contextLoader()(url);
      expect(loaded.documentUrl).to.equal(url);
      expect(loaded.document).to.have.property("@context");
    });
  }

  it("holds every context the example badges name", function () {
    for (const { name, badge } of EXAMPLE_BADGES) expect(unheldContexts(badge), name).to.deep.equal([]);
  });

  it("refuses any other URL by name", async function () {
    let error: unknown;
    await contextLoader()("https://contexts.example/other.jsonld").catch((caught: unknown) => (error = caught));
    expect(error).to.be.instanceOf(UnknownContextError);
    expect((error as UnknownContextError).url).to.equal("https://contexts.example/other.jsonld");
    expect((error as Error).name).to.equal("UnknownContextError");
  });

  it("serves contexts the caller supplies, and lists the unheld ones once, nested ones included", async function () {
    const extra = new Map([["https://contexts.example/a.jsonld", { "@context": { a: "https://example.org/a" } }]]);
    expect((await contextLoader(extra)("https://contexts.example/a.jsonld")).document).to.deep.equal(extra.get("https://contexts.example/a.jsonld"));
    const credential = {
      "@context": ["https://www.w3.org/ns/credentials/v2", "https://contexts.example/a.jsonld", "https://contexts.example/b.jsonld", { c: { "@id": "https://example.org/c", "@context": "https://contexts.example/c.jsonld" } }],
      credentialSubject: { "@context": "https://contexts.example/b.jsonld" },
    };
    expect(unheldContexts(credential, extra)).to.deep.equal(["https://contexts.example/b.jsonld", "https://contexts.example/c.jsonld"]);
    expect(unheldContexts(credential)).to.include("https://contexts.example/a.jsonld");
  });

  it("bundles contexts/stack-v1.jsonld as it is on disk (regenerate: node test/lib/signature/stack-context.generate.ts)", function () {
    expect(readFileSync(STACK_CONTEXT_MODULE, "utf8"), `${STACK_CONTEXT_MODULE} is stale`).to.equal(renderStackContextModule());
    expect(BUNDLED_CONTEXTS.get(STACK_CONTEXT)).to.deep.equal(JSON.parse(readFileSync(STACK_CONTEXT_FILE, "utf8")));
    expect(STACK_CONTEXT_DOCUMENT).to.equal(BUNDLED_CONTEXTS.get(STACK_CONTEXT));
  });
});
