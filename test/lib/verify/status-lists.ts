/**
 * Bitstring Status Lists beside the chain, in the pipeline (lib/verify/status-lists.ts), with a fake
 * fetcher and an in-memory registry: the chain always decides the status; a list that disagrees (either
 * way), cannot be fetched, is not JSON, not a status list, not the issuer's, not for the purpose, too
 * short, too large or not validly signed gives a warning naming its URL — never another status, never a crash.
 */
import { expect } from "chai";

import type { Hex } from "../../../lib/credential/canonical.js";
import type { JsonLdObject } from "../../../lib/signature/contexts.js";
import type { CredentialSigner } from "../../../lib/signature/data-integrity.js";
import { encodeStatusList, statusListUrls } from "../../../lib/status/status-list.js";
import { MAX_STATUS_LIST_BITS, type StatusListFetcher } from "../../../lib/verify/status-lists.js";
import { verifyCredential, type VerificationResult, type VerifyOptions } from "../../../lib/verify/verify.js";
import { DEFAULT_ANCHORED_AT, FAKE_CHAIN_ID, FAKE_REGISTRY, FakeChain } from "../../helpers/fake-chain.js";
import { didKeySigner, listCredential, signList, statusBatch, type StatusBatch } from "../../helpers/status-lists.js";

const NOW = new Date("2026-07-01T12:00:00Z");
const CONTROLLER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const FACTS = { chainId: FAKE_CHAIN_ID, registry: FAKE_REGISTRY, anchoredAt: "2026-06-01T00:00:00.000Z", transactionHash: `0x${"ab".repeat(32)}` as Hex };
const BASE = "https://uni.example/status";
const URLS = statusListUrls(BASE, "b1");

/** Answers documents by URL (a function: computed, or throws), counting every fetch. */
class FakeFetcher implements StatusListFetcher {
  readonly documents = new Map<string, unknown | (() => unknown)>();
  readonly fetched: string[] = [];
  async fetch(url: string): Promise<unknown> {
    this.fetched.push(url);
    const document = this.documents.get(url);
    if (document === undefined) throw new Error(`https://uni.example/status/b1 did not answer within 3000 ms`);
    return typeof document === "function" ? (document as () => unknown)() : document;
  }
}

describe("lib/verify/verify: status lists beside the chain", function () {
  let issuer: { id: string; signer: CredentialSigner };
  let made: StatusBatch;
  let chain: FakeChain;
  let fetcher: FakeFetcher;
  let options: VerifyOptions;

  before(async function () {
    issuer = didKeySigner();
    made = await statusBatch({ profileId: issuer.id, base: BASE, batchId: "b1", count: 3, facts: FACTS, signer: issuer.signer });
  });

  beforeEach(async function () {
    chain = new FakeChain();
    chain.registerIssuer(issuer.id, CONTROLLER);
    chain.anchor(issuer.id, made.batch.root, 3);
    fetcher = new FakeFetcher();
    options = { readerFor: chain.readerFor, now: () => NOW, statusLists: fetcher };
    await publish({});
  });

  /** Serves both lists as the issuer signs them, with these indexes set. */
  async function publish(set: { revocation?: number[]; suspension?: number[] }) {
    for (const purpose of ["revocation", "suspension"] as const) {
      fetcher.documents.set(URLS[purpose], await listCredential({ url: URLS[purpose], issuer: issuer.id, purpose, set: set[purpose], signer: issuer.signer }));
    }
  }

  const verify = (index = 0) => verifyCredential(made.badges[index], options);
  const listOf = (result: VerificationResult, purpose: string) => result.statusLists.find((list) => list.purpose === purpose)!;

  describe("lists that agree or disagree", function () {
    it("says valid with no warning when both lists agree with the chain, and reports each comparison", async function () {
      const result = await verify(1);
      expect(result.status).to.equal("valid");
      expect(result.warnings).to.deep.equal([]);
      expect(result.statusLists).to.deep.equal([
        { url: URLS.revocation, purpose: "revocation", index: 1, listSays: false, chainSays: false, agrees: true, listSignature: "verified", note: null },
        { url: URLS.suspension, purpose: "suspension", index: 1, listSays: false, chainSays: false, agrees: true, listSignature: "verified", note: null },
      ]);
      expect(fetcher.fetched.sort()).to.deep.equal([URLS.revocation, URLS.suspension]);
    });

    it("agrees for a revoked badge whose list was republished", async function () {
      chain.revoke(issuer.id, made.batch.root, 2);
      await publish({ revocation: [2] });
      const result = await verify(2);
      expect(result.status).to.equal("revoked");
      expect(listOf(result, "revocation")).to.include({ listSays: true, chainSays: true, agrees: true });
      expect(result.warnings).to.deep.equal([]);
    });

    it("chain revoked, list not: revoked (the chain decides), warning that the issuer has not republished its list", async function () {
      chain.revoke(issuer.id, made.batch.root, 1);
      const result = await verify(1);
      expect(result.status).to.equal("revoked");
      expect(listOf(result, "revocation")).to.include({ listSays: false, chainSays: true, agrees: false });
      expect(result.warnings).to.deep.equal([
        `the status list ${URLS.revocation} says not revoked; the chain says revoked: the issuer has not republished its list, and verifiers reading it will accept this badge`,
      ]);
    });

    it("list revoked, chain not: valid (a list cannot revoke), warning that verifiers reading the list will refuse it", async function () {
      await publish({ revocation: [0] });
      const result = await verify(0);
      expect(result.status).to.equal("valid");
      expect(result.verified).to.equal(true);
      expect(listOf(result, "revocation")).to.include({ listSays: true, chainSays: false, agrees: false });
      expect(result.warnings).to.have.length(1);
      expect(result.warnings[0]).to.match(new RegExp(`^the status list ${URLS.revocation} says revoked; the chain says not revoked: verifiers reading the list will refuse this badge`));
    });

    it("a batch revoked, or a compromised key's anchor, counts as revoked on the chain's side and says why", async function () {
      chain.revokeBatch(issuer.id, made.batch.root);
      let result = await verify(0);
      expect(result.status).to.equal("revoked");
      expect(result.warnings[0]).to.contain("says not revoked; the chain says revoked (the whole batch)");

      chain = new FakeChain();
      chain.registerIssuer(issuer.id, CONTROLLER);
      chain.anchor(issuer.id, made.batch.root, 3);
      chain.declareKeyCompromised(CONTROLLER, DEFAULT_ANCHORED_AT - 60);
      result = await verifyCredential(made.badges[0], { ...options, readerFor: chain.readerFor });
      expect(result.status).to.equal("revoked");
      expect(listOf(result, "revocation")).to.include({ listSays: false, chainSays: true, agrees: false });
      expect(result.warnings[0]).to.contain(`the chain says revoked (the key that anchored it was declared compromised since ${new Date((DEFAULT_ANCHORED_AT - 60) * 1000).toISOString()})`);
    });

    it("suspension both ways: the chain's suspension stands against a clear list; a list's stale suspension does not suspend", async function () {
      chain.suspend(issuer.id, made.batch.root, 0);
      let result = await verify(0);
      expect(result.status).to.equal("suspended");
      expect(listOf(result, "suspension")).to.include({ listSays: false, chainSays: true, agrees: false });
      expect(result.warnings).to.deep.equal([`the status list ${URLS.suspension} says not suspended; the chain says suspended: the issuer has not republished its list, and verifiers reading it will accept this badge`]);

      await publish({ suspension: [1] });
      result = await verify(1);
      expect(result.status).to.equal("valid");
      expect(listOf(result, "suspension")).to.include({ listSays: true, chainSays: false, agrees: false });
      expect(result.warnings[0]).to.contain(`the status list ${URLS.suspension} says suspended; the chain says not suspended`);
    });
  });

  describe("lists that cannot be read: a warning, the chain's status, never a crash", function () {
    async function expectUnread(problem: RegExp, index = 0, chainRevoked = false) {
      if (chainRevoked) chain.revoke(issuer.id, made.batch.root, index);
      const result = await verify(index);
      expect(result.status).to.equal(chainRevoked ? "revoked" : "valid");
      expect(listOf(result, "revocation")).to.include({ listSays: null, chainSays: chainRevoked, agrees: null });
      expect(listOf(result, "revocation").note).to.match(problem);
      const warning = result.warnings.find((text) => text.includes(URLS.revocation));
      expect(warning, result.warnings.join("\n")).to.match(problem);
      expect(warning).to.contain(`the chain says ${chainRevoked ? "revoked" : "not revoked"}`);
      return result;
    }

    it("unreachable (the fetcher rejects), with the chain's revocation standing", async function () {
      fetcher.documents.delete(URLS.revocation);
      await expectUnread(/could not be fetched \(.*did not answer within 3000 ms\)/, 0, true);
    });

    it("a fetcher that throws something not an Error, even synchronously", async function () {
      options.statusLists = {
        fetch: (url: string) => {
          if (url === URLS.revocation) throw "socket hang up";
          return fetcher.fetch(url);
        },
      };
      await expectUnread(/could not be fetched \(socket hang up\)/);
    });

    it("not JSON: a string, an array, null", async function () {
      for (const body of ["<html>not found</html>", [], null]) {
        fetcher.documents.set(URLS.revocation, () => body);
        await expectUnread(/is not a JSON object/);
      }
    });

    it("the wrong type: a credential that is not a BitstringStatusListCredential", async function () {
      const list = await listCredential({ url: URLS.revocation, issuer: issuer.id, purpose: "revocation" });
      fetcher.documents.set(URLS.revocation, { ...list, type: ["VerifiableCredential", "StatusList2021Credential"] });
      await expectUnread(/is not a BitstringStatusListCredential/, 1, true);
    });

    it("the wrong issuer, even when validly signed by that other issuer", async function () {
      const other = didKeySigner();
      fetcher.documents.set(URLS.revocation, await listCredential({ url: URLS.revocation, issuer: other.id, purpose: "revocation", set: [0], signer: other.signer }));
      await expectUnread(new RegExp(`is issued by "${other.id}", not by the badge's issuer ${issuer.id}`));
    });

    it("the wrong purpose: the suspension list served at the revocation list's URL", async function () {
      fetcher.documents.set(URLS.revocation, await listCredential({ url: URLS.revocation, issuer: issuer.id, purpose: "suspension", set: [0], signer: issuer.signer }));
      await expectUnread(/is a list for "suspension", not revocation/);
    });

    it("an index beyond the list's end", async function () {
      const list = await listCredential({ url: URLS.revocation, issuer: issuer.id, purpose: "revocation" });
      (list.credentialSubject as JsonLdObject).encodedList = encodeStatusList(new Uint8Array(0), 0);
      fetcher.documents.set(URLS.revocation, await signList(list, issuer.signer));
      await expectUnread(/has 0 entries; the badge's index 2 is beyond its end/, 2, true);
    });

    it("an encodedList that is not multibase, not GZIP, or missing", async function () {
      for (const [encodedList, problem] of [
        ["zNotBase64url", /not multibase base64url/],
        [`u${Buffer.from("not gzip").toString("base64url")}`, /not GZIP data/],
        [undefined, /has no encodedList/],
      ] as const) {
        const list = await listCredential({ url: URLS.revocation, issuer: issuer.id, purpose: "revocation" });
        (list.credentialSubject as JsonLdObject).encodedList = encodedList;
        fetcher.documents.set(URLS.revocation, list);
        await expectUnread(problem);
      }
    });

    it("a GZIP bomb: a small list expanding beyond the limit is not inflated", async function () {
      const list = await listCredential({ url: URLS.revocation, issuer: issuer.id, purpose: "revocation" });
      const bomb = encodeStatusList(new Uint8Array(0), MAX_STATUS_LIST_BITS + 8);
      expect(bomb.length).to.be.below(4096);
      (list.credentialSubject as JsonLdObject).encodedList = bomb;
      fetcher.documents.set(URLS.revocation, list);
      await expectUnread(new RegExp(`expands beyond ${MAX_STATUS_LIST_BITS} bits, the limit`));
    });
  });

  describe("the list's signature", function () {
    it("an unsigned list is compared, with a warning that anyone serving the URL can change it", async function () {
      fetcher.documents.set(URLS.revocation, await listCredential({ url: URLS.revocation, issuer: issuer.id, purpose: "revocation" }));
      const result = await verify(0);
      expect(result.status).to.equal("valid");
      expect(listOf(result, "revocation")).to.include({ listSays: false, agrees: true, listSignature: "unsigned" });
      expect(result.warnings).to.deep.equal([`the revocation status list ${URLS.revocation} is not signed: whoever serves that URL can change what other verifiers read there`]);
    });

    it("a list altered after signing (a bit set) says so, and is still not believed over the chain", async function () {
      const list = await listCredential({ url: URLS.revocation, issuer: issuer.id, purpose: "revocation", signer: issuer.signer });
      const bits = new Uint8Array(3);
      bits[0] = 1;
      (list.credentialSubject as JsonLdObject).encodedList = encodeStatusList(bits);
      fetcher.documents.set(URLS.revocation, list);
      const result = await verify(0);
      expect(result.status).to.equal("valid");
      expect(listOf(result, "revocation")).to.include({ listSays: true, chainSays: false, agrees: false, listSignature: "invalid" });
      expect(result.warnings.some((warning) => warning.startsWith(`the revocation status list ${URLS.revocation} is not validly signed by ${issuer.id}`))).to.equal(true);
      expect(result.warnings.some((warning) => warning.startsWith(`the status list ${URLS.revocation} says revoked; the chain says not revoked`))).to.equal(true);
    });
  });

  describe("which entries are read", function () {
    it("refuses as malformed a credentialStatus entry without a type (VC 2.0 requires one)", async function () {
      for (const credentialStatus of [{ id: `${URLS.revocation}#0` }, [{ type: "BitstringStatusListEntry" }, "revocation"], { type: [] }]) {
        const result = await verifyCredential({ ...made.badges[0], credentialStatus }, options);
        expect(result.status).to.equal("malformed");
        expect(result.errors[0]).to.match(/^format: not an Open Badges 3\.0 credential: \$\.credentialStatus(\.type)? must (be a status entry with a type|have at least 1 item)/);
      }
      expect(fetcher.fetched).to.deep.equal([]);
    });

    it("skips other platforms' entries (StatusList2021Entry…) and other purposes with a note, fetching nothing for them", async function () {
      const foreign = await statusBatch({
        profileId: issuer.id,
        base: BASE,
        batchId: "b2",
        count: 1,
        facts: FACTS,
        // Unsigned: the StatusList2021 terms are in a context this project does not bundle (the anchor vouches).
        credentialStatus: () => [
          { id: "https://other.example/lists/3#94567", type: "StatusList2021Entry", statusPurpose: "revocation", statusListIndex: "94567", statusListCredential: "https://other.example/lists/3" },
          { type: "BitstringStatusListEntry", statusPurpose: "message", statusListIndex: "0", statusListCredential: "https://uni.example/status/b2/message.json" },
          { type: "BitstringStatusListEntry", statusPurpose: "revocation", statusListIndex: "-1", statusListCredential: URLS.revocation },
        ],
      });
      chain.anchor(issuer.id, foreign.batch.root, 1);
      const result = await verifyCredential(foreign.badges[0], options);
      expect(result.status).to.equal("valid");
      expect(result.warnings.filter((warning) => warning.includes("status list"))).to.deep.equal([]);
      expect(fetcher.fetched).to.deep.equal([]);
      expect(result.statusLists.map((list) => [list.url, list.agrees, list.chainSays])).to.deep.equal([
        ["https://other.example/lists/3", null, null],
        ["https://uni.example/status/b2/message.json", null, null],
        [URLS.revocation, null, null],
      ]);
      expect(result.statusLists[0].note).to.contain("a StatusList2021Entry entry: this verifier reads BitstringStatusListEntry entries only");
      expect(result.statusLists[1].note).to.contain('statusPurpose "message"');
      expect(result.statusLists[2].note).to.contain('statusListIndex "-1" is not a non-negative integer');
    });

    it("without a fetcher: lists the chain's answers, fetches nothing, warns of nothing", async function () {
      chain.revoke(issuer.id, made.batch.root, 0);
      const result = await verifyCredential(made.badges[0], { readerFor: chain.readerFor, now: () => NOW });
      expect(result.status).to.equal("revoked");
      expect(result.warnings).to.deep.equal([]);
      expect(listOf(result, "revocation")).to.include({ listSays: null, chainSays: true, agrees: null });
      expect(listOf(result, "revocation").note).to.contain("not fetched");
    });

    it("fetches nothing for a badge of a registry this verifier does not trust, and compares nothing when the chain cannot be read", async function () {
      let result = await verifyCredential(made.badges[0], { ...options, readerFor: () => undefined });
      expect(result.status).to.equal("unsupported-chain");
      expect(fetcher.fetched).to.deep.equal([]);
      expect(result.statusLists).to.deep.equal([]);

      chain.unreachable = true;
      result = await verify(0);
      expect(result.status).to.equal("unavailable");
      expect(result.statusLists).to.deep.equal([]);
      expect(result.warnings).to.deep.equal([]);
    });
  });
});
