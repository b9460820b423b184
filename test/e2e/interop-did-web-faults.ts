/**
 * Fail closed and bounded, through the real verifier service: a did:web issuer whose DID document
 * times out, is too large, is not JSON, lists no key for the proof, or names another controller. Each
 * gets a clear detail in the result, never `valid` by mistake, and the service keeps answering.
 * Every issuer is a did:web with a path on the local HTTPS host (did:web:localhost%3A<port>:faults:<name>
 * → https://localhost:<port>/faults/<name>/did.json), so each fault has a DID of its own.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";

import { exampleBadge } from "../helpers/badges.js";
import { type Route } from "../helpers/https-server.js";
import { checkOf, startInteropSetting, startVerifierService, type InteropSetting, type VerifierService } from "../helpers/did-web-e2e.js";
import { referenceDidDocument, referenceKey, signWithReference, type ReferenceSigner } from "../helpers/verifier-core-reference-signer.mjs";

/** Default accounts of the Hardhat node, one controller per anchored issuer. */
const CONTROLLERS = ["0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", "0x90F79bf6EB2c4f870365E785982E1f101E93b906", "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65"];
const FETCH_TIMEOUT_MS = 1000;

describe("interop: did:web documents that fail, through the verifier service", function () {
  this.timeout(240_000);
  let setting: InteropSetting;
  let service: VerifierService;

  before(async function () {
    setting = await startInteropSetting("interop-did-web-faults");
    service = await startVerifierService(setting, { DID_FETCH_TIMEOUT_MS: String(FETCH_TIMEOUT_MS), DID_FETCH_MAX_BYTES: String(64 * 1024) });
  });

  after(async function () {
    service?.stop();
    await setting?.stop();
  });

  /** A signer whose DID document lives at /faults/<name>/did.json on the local host. */
  const faultySigner = (name: string) => referenceKey(`${setting.web.didWeb}:faults:${name}`);
  const documentPath = (name: string) => `/faults/${name}/did.json`;
  const signedBadge = async (signer: ReferenceSigner) => {
    const badge = exampleBadge("uni-sql-for-analysts");
    badge.id = `urn:uuid:${crypto.randomUUID()}`;
    badge.issuer.id = signer.did;
    return signWithReference(badge, signer);
  };

  /** Registers the signer's DID as an issuer and anchors its signed badge with the command. */
  let controllersUsed = 0;
  const anchored = async (signer: ReferenceSigner, name: string) => {
    const controller = CONTROLLERS[controllersUsed++];
    await setting.hardhat(["issuer", "register", signer.did, "--controller", controller]);
    const file = path.join(setting.workDir, `${name}.json`);
    await writeFile(file, JSON.stringify(await signedBadge(signer)));
    const outDir = path.join(setting.workDir, `${name}-issued`);
    // --unsigned: the command adds no signature of its own; the reference signature the file carries stays.
    await setting.hardhat(["credentials", "anchor", file, "--out", outDir, "--from", controller, "--unsigned"]);
    return JSON.parse(await readFile(path.join(outDir, `${name}.json`), "utf8"));
  };

  const expectStillServing = async () => expect((await fetch(`${service.url}/healthz`)).status).to.equal(200);

  describe("a document that cannot be had: unavailable without an anchor, a warning with one", function () {
    const faults: Array<{ name: string; serve: (signer: ReferenceSigner) => Route; reason: RegExp }> = [
      { name: "timeout", serve: () => ({ kind: "hang" }), reason: new RegExp(`did not answer within ${FETCH_TIMEOUT_MS} ms`) },
      {
        name: "too-large",
        // A real DID document, only padded beyond the limit: only its size is wrong.
        serve: (signer) => ({ kind: "json", document: { ...referenceDidDocument(signer), padding: "x".repeat(200 * 1024) } }),
        reason: /is more than 65536 bytes, the limit/,
      },
      { name: "not-json", serve: () => ({ kind: "raw", body: "<!doctype html><title>Moved</title>", contentType: "application/json" }), reason: /is not JSON \(its body does not parse\)/ },
    ];
    for (const fault of faults) {
      it(`says why the signature could not be checked when the DID document ${fault.name === "timeout" ? "times out" : `is ${fault.name.replace("-", " ")}`}`, async function () {
        const signer = await faultySigner(fault.name);
        setting.web.set(documentPath(fault.name), fault.serve(signer));
        const started = Date.now();
        const result = await service.verify(await signedBadge(signer));
        expect(result.verified, JSON.stringify(result)).to.equal(false);
        expect(result.status).to.equal("unavailable");
        const signature = checkOf(result, "signature");
        expect(signature.result).to.equal("fail");
        expect(signature.detail).to.match(fault.reason);
        // Bounded: a hanging host costs the fetch timeout, not the test's.
        expect(Date.now() - started).to.be.below(FETCH_TIMEOUT_MS + 5_000);
        await expectStillServing();
      });
    }

    it("reads an anchored badge whose DID document times out as valid, with a warning saying the signature was not checked", async function () {
      const signer = await faultySigner("timeout-anchored");
      setting.web.set(documentPath("timeout-anchored"), { kind: "json", document: referenceDidDocument(signer) });
      const badge = await anchored(signer, "timeout-anchored");
      setting.web.set(documentPath("timeout-anchored"), { kind: "hang" });
      const result = await service.verify(badge);
      expect(result.status, JSON.stringify(result)).to.equal("valid");
      expect(checkOf(result, "signature").result).to.equal("skip");
      expect(result.warnings.join("\n")).to.match(new RegExp(`signature not checked \\(.*did not answer within ${FETCH_TIMEOUT_MS} ms\\)`));
    });
  });

  describe("a document that does not give the key: never valid, even when anchored", function () {
    /** A document of the signer's DID listing another key under another id: none for the proof. */
    const withoutTheKey = async (signer: ReferenceSigner) => {
      const other = await referenceKey(signer.did, "key-2");
      return referenceDidDocument(other);
    };
    /** The signer's key, but said to be controlled by another DID. */
    const otherController = (signer: ReferenceSigner) => {
      const document = referenceDidDocument(signer) as { verificationMethod: Array<Record<string, unknown>> };
      document.verificationMethod[0].controller = "did:web:elsewhere.example";
      return document;
    };

    it("says the DID document lists no key for the proof (unanchored and anchored)", async function () {
      const signer = await faultySigner("no-key");
      setting.web.set(documentPath("no-key"), { kind: "json", document: referenceDidDocument(signer) });
      const anchoredBadge = await anchored(signer, "no-key");
      setting.web.set(documentPath("no-key"), { kind: "json", document: await withoutTheKey(signer) });
      for (const badge of [await signedBadge(signer), anchoredBadge]) {
        const result = await service.verify(badge);
        expect(result.verified, JSON.stringify(result)).to.equal(false);
        expect(result.status).to.equal("issuer-mismatch");
        const signature = checkOf(result, "signature");
        expect(signature.result).to.equal("fail");
        expect(signature.detail).to.contain(`lists no verification method ${signer.verificationMethod}`);
      }
      await expectStillServing();
    });

    it("says the key is controlled by another DID than the issuer (unanchored and anchored)", async function () {
      const signer = await faultySigner("other-controller");
      setting.web.set(documentPath("other-controller"), { kind: "json", document: referenceDidDocument(signer) });
      const anchoredBadge = await anchored(signer, "other-controller");
      setting.web.set(documentPath("other-controller"), { kind: "json", document: otherController(signer) });
      for (const badge of [await signedBadge(signer), anchoredBadge]) {
        const result = await service.verify(badge);
        expect(result.verified, JSON.stringify(result)).to.equal(false);
        expect(result.status).to.equal("issuer-mismatch");
        const signature = checkOf(result, "signature");
        expect(signature.result).to.equal("fail");
        expect(signature.detail).to.contain('controlled by "did:web:elsewhere.example"');
      }
      await expectStillServing();
    });
  });
});
