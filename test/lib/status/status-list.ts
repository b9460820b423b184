/**
 * Bitstring Status Lists as W3C v1.0 and the reference implementation (@digitalbazaar/vc-bitstring-status-list)
 * read them: GZIP, multibase base64url "u…", index 0 the left-most bit, at least 131,072 bits; and the
 * registry's bitmaps turned into list bits (whole-batch revocations included).
 */
import { gunzipSync } from "node:zlib";

import { expect } from "chai";

import { statusBits } from "../../../lib/status/chain-bits.js";
import {
  decodeStatusList,
  encodeStatusList,
  readStatusList,
  STATUS_LIST_MIN_BITS,
  statusEntry,
  statusListCredential,
  statusListUrls,
  StatusListFormatError,
} from "../../../lib/status/status-list.js";

type ReferenceList = { getStatus(index: number): boolean; length: number };
const reference = (await import("@digitalbazaar/vc-bitstring-status-list" as string)) as { decodeList(o: { encodedList: string }): Promise<ReferenceList> };

describe("status lists", function () {
  it("encodes at least the spec's 131,072 bits, GZIP in multibase base64url", function () {
    const encoded = encodeStatusList(new Uint8Array(10));
    expect(encoded).to.match(/^u[A-Za-z0-9_-]+$/);
    expect(gunzipSync(Buffer.from(encoded.slice(1), "base64url")).length * 8).to.equal(STATUS_LIST_MIN_BITS);
    const larger = new Uint8Array(STATUS_LIST_MIN_BITS + 5);
    expect(gunzipSync(Buffer.from(encodeStatusList(larger).slice(1), "base64url")).length * 8).to.be.at.least(STATUS_LIST_MIN_BITS + 5);
  });

  it("sets the bits the reference implementation reads at the same indices, and no others", async function () {
    const bits = new Uint8Array(300);
    for (const index of [0, 1, 7, 8, 255, 256, 299]) bits[index] = 1;
    const encoded = encodeStatusList(bits);
    const list = await reference.decodeList({ encodedList: encoded });
    const ours = decodeStatusList(encoded);
    for (let index = 0; index < 400; index++) {
      expect(list.getStatus(index), `reference, index ${index}`).to.equal(bits[index] === 1);
      expect(ours(index), `ours, index ${index}`).to.equal(bits[index] === 1);
    }
  });

  it("refuses an encoded list that is not multibase base64url GZIP", function () {
    expect(() => decodeStatusList("zNotBase64url")).to.throw(StatusListFormatError);
    expect(() => decodeStatusList(`u${Buffer.from("not gzip").toString("base64url")}`)).to.throw(StatusListFormatError, /GZIP/);
  });

  it("tells a list's length, and refuses one that decompresses beyond the bound (a GZIP bomb)", function () {
    expect(readStatusList(encodeStatusList(new Uint8Array(10))).bits).to.equal(STATUS_LIST_MIN_BITS);
    const large = encodeStatusList(new Uint8Array(0), 8 * STATUS_LIST_MIN_BITS);
    expect(readStatusList(large, 8 * STATUS_LIST_MIN_BITS).bits).to.equal(8 * STATUS_LIST_MIN_BITS);
    expect(() => readStatusList(large, 8 * STATUS_LIST_MIN_BITS - 8)).to.throw(StatusListFormatError, /expands beyond/);
  });

  it("names each batch's two lists under the base URL, and gives a badge one entry, the revocation list's, at its leaf index", function () {
    expect(statusListUrls("https://uni.example/status/", "0a1b2c3d4e5f6071")).to.deep.equal({
      revocation: "https://uni.example/status/0a1b2c3d4e5f6071/revocation.json",
      suspension: "https://uni.example/status/0a1b2c3d4e5f6071/suspension.json",
    });
    // One object, not an array: OB 3.0 gives a credential at most one credentialStatus.
    expect(statusEntry("https://uni.example/status", "b1", 42)).to.deep.equal({
      id: "https://uni.example/status/b1/revocation.json#42",
      type: "BitstringStatusListEntry",
      statusPurpose: "revocation",
      statusListIndex: "42",
      statusListCredential: "https://uni.example/status/b1/revocation.json",
    });
    const credential = statusListCredential({ url: "https://uni.example/status/b1/revocation.json", issuer: "did:web:uni.example", purpose: "revocation", bits: new Uint8Array([0, 1]), validFrom: "2026-12-01T00:00:00Z" });
    expect(credential).to.deep.include({ id: "https://uni.example/status/b1/revocation.json", type: ["VerifiableCredential", "BitstringStatusListCredential"], issuer: "did:web:uni.example" });
    expect((credential.credentialSubject as { statusPurpose: string }).statusPurpose).to.equal("revocation");
  });

  it("reads the registry's words bit by bit, and a whole-batch revocation as every credential revoked", function () {
    const words = { revocationWords: [1n << 3n, 1n], suspensionWords: [1n << 255n] };
    const bits = statusBits({ count: 257, ...words, wholeBatchRevoked: false });
    expect([...bits.revocation.keys()].filter((index) => bits.revocation[index])).to.deep.equal([3, 256]);
    expect([...bits.suspension.keys()].filter((index) => bits.suspension[index])).to.deep.equal([255]);
    const whole = statusBits({ count: 5, revocationWords: [0n], suspensionWords: [0n], wholeBatchRevoked: true });
    expect([...whole.revocation]).to.deep.equal([1, 1, 1, 1, 1]);
    expect([...whole.suspension]).to.deep.equal([0, 0, 0, 0, 0]);
  });
});
