/**
 * The interop harness against itself: credentials signed by the reference libraries
 * (`@digitalbazaar/vc`, eddsa-rdfc-2022) with a did:key and with the did:web of the local HTTPS
 * server pass verifier-core in its own process, and fail it when edited or when the server's
 * certificate is not trusted — so a pass in the other interop tests means what it says.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { exampleBadge } from "../helpers/badges.js";
import { createTestCertificate, startTestWebServer, type TestCertificate, type TestWebServer } from "../helpers/https-server.js";
import { stepOf, verifyWithVerifierCore } from "../helpers/verifier-core.js";
import { referenceDidDocument, referenceKey, signWithReference } from "../helpers/verifier-core-reference-signer.mjs";

describe("interop harness: reference-signed credentials in verifier-core", function () {
  this.timeout(60_000);
  let workDir: string;
  let certificate: TestCertificate;
  let web: TestWebServer;

  before(async function () {
    workDir = await mkdtemp(path.join(tmpdir(), "interop-reference-"));
    certificate = await createTestCertificate(workDir);
    web = await startTestWebServer(certificate);
  });

  after(async function () {
    await web?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  const badgeBy = (did: string) => {
    const badge = exampleBadge("uni-sql-for-analysts");
    badge.id = `urn:uuid:${crypto.randomUUID()}`;
    badge.issuer.id = did;
    return badge;
  };

  it("accepts a did:key signature, and refuses the badge edited by one character", async function () {
    const signer = await referenceKey();
    const signed = await signWithReference(badgeBy(signer.did), signer);
    const result = await verifyWithVerifierCore(signed);
    expect(stepOf(result, "valid_signature").valid, JSON.stringify(result)).to.equal(true);
    expect(stepOf(result, "expiration").valid).to.equal(true);

    const edited = structuredClone(signed);
    edited.name = `${signed.name}.`;
    expect((await verifyWithVerifierCore(edited)).errors?.map((error) => error.name)).to.deep.equal(["invalid_signature"]);
  });

  it("accepts a did:web signature, fetching the DID document from the local HTTPS server it trusts", async function () {
    const signer = await referenceKey(web.didWeb);
    web.set("/.well-known/did.json", { kind: "json", document: referenceDidDocument(signer) });
    const signed = await signWithReference(badgeBy(signer.did), signer);
    const before = web.requests.length;
    const result = await verifyWithVerifierCore(signed, { caFile: certificate.certFile });
    expect(stepOf(result, "valid_signature").valid, JSON.stringify(result)).to.equal(true);
    expect(web.requests.slice(before)).to.include("/.well-known/did.json");
    expect(result.refusedFetches.filter((url) => !url.startsWith("https://purl.imsglobal.org/"))).to.deep.equal([]);
  });

  it("cannot check a did:web signature when the server's certificate is not trusted (TLS is really checked)", async function () {
    const signer = await referenceKey(web.didWeb);
    web.set("/.well-known/did.json", { kind: "json", document: referenceDidDocument(signer) });
    const signed = await signWithReference(badgeBy(signer.did), signer);
    const before = web.requests.length;
    const result = await verifyWithVerifierCore(signed);
    // verifier-core reports a key it could not fetch as a bad signature; either way, never a pass.
    expect(result.log).to.equal(undefined);
    expect(result.errors?.map((error) => error.name)).to.deep.equal(["invalid_signature"]);
    // The handshake failed: no HTTP request reached the server.
    expect(web.requests.slice(before)).to.deep.equal([]);
  });
});
