import { expect } from "chai";
import { decodeFunctionData, encodeFunctionResult, getAbiItem, getAddress, type Abi, type Hex } from "viem";

import { ISSUER_STATUS_NAMES, type OnChainCredentialStatus } from "../../lib/verify/verify.js";
import { registryAbi } from "../../server/registry-abi.js";
import { decodeStatusMulticall, encodeStatusMulticall } from "../../server/status-codec.js";

const statusAbi = [getAbiItem({ abi: registryAbi, name: "credentialStatus" })] as Abi;
const multicallAbi = [getAbiItem({ abi: registryAbi, name: "multicall" })] as Abi;

/** A deterministic pseudo-random source, so a failure can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
const hexOf = (next: () => number, bytes: number) =>
  `0x${Array.from({ length: bytes }, () => Math.floor(next() * 256).toString(16).padStart(2, "0")).join("")}` as Hex;

function randomStatus(next: () => number) {
  const issuerStatus = Math.floor(next() * 4);
  return {
    anchored: next() < 0.5,
    inRange: next() < 0.5,
    revoked: next() < 0.5,
    suspended: next() < 0.5,
    batchRevoked: next() < 0.5,
    keyCompromised: next() < 0.5,
    actingKey: hexOf(next, 20),
    anchoredAt: Math.floor(next() * 2 ** 40),
    count: Math.floor(next() * 2 ** 40),
    keyCompromisedSince: Math.floor(next() * 2 ** 40),
    issuerStatus,
    issuerStatusReason: Math.floor(next() * 256),
    issuerStatusSince: Math.floor(next() * 2 ** 40),
    controller: hexOf(next, 20),
  };
}

/** The multicall answer viem's coder makes for these statuses. */
function answerFor(statuses: Array<ReturnType<typeof randomStatus>>): Hex {
  const results = statuses.map((status) => encodeFunctionResult({ abi: statusAbi, functionName: "credentialStatus", result: status as never }));
  return encodeFunctionResult({ abi: multicallAbi, functionName: "multicall", result: results as never });
}

describe("the credential-status multicall codec", function () {
  it("encodes the same calldata as viem's ABI coder", function () {
    const next = random(1);
    for (const count of [0, 1, 2, 17]) {
      const reads = Array.from({ length: count }, (_value, position) => ({
        issuerId: hexOf(next, 32),
        root: hexOf(next, 32),
        index: position === 1 ? 2n ** 256n - 1n : BigInt(Math.floor(next() * 1e9)),
      }));
      const { functionName, args } = decodeFunctionData({ abi: multicallAbi, data: encodeStatusMulticall(reads) });
      expect(functionName).to.equal("multicall");
      const calls = (args as [Hex[]])[0];
      expect(calls).to.have.length(count);
      calls.forEach((call, position) => {
        const inner = decodeFunctionData({ abi: statusAbi, data: call });
        expect(inner.functionName).to.equal("credentialStatus");
        expect(inner.args).to.deep.equal([reads[position].issuerId, reads[position].root, reads[position].index]);
      });
    }
  });

  it("refuses what is not an issuer id, a root or a uint256 index", function () {
    const issuerId = `0x${"11".repeat(32)}` as Hex;
    expect(() => encodeStatusMulticall([{ issuerId: "0x12", root: `0x${"00".repeat(32)}`, index: 0n }])).to.throw(/issuer id/);
    expect(() => encodeStatusMulticall([{ issuerId, root: "0x1234", index: 0n }])).to.throw(/root/);
    expect(() => encodeStatusMulticall([{ issuerId, root: `0x${"00".repeat(32)}`, index: -1n }])).to.throw(/index/);
    expect(() => encodeStatusMulticall([{ issuerId, root: `0x${"00".repeat(32)}`, index: 2n ** 256n }])).to.throw(/index/);
  });

  it("decodes what viem's coder encodes, field for field, for many random statuses", function () {
    const next = random(2);
    for (const count of [0, 1, 3, 40]) {
      const statuses = Array.from({ length: count }, () => randomStatus(next));
      const decoded = decodeStatusMulticall(answerFor(statuses), count);
      const expected: OnChainCredentialStatus[] = statuses.map((status) => ({ ...status, issuerStatus: ISSUER_STATUS_NAMES[status.issuerStatus] }));
      expect(decoded.map((status) => ({ ...status, actingKey: status.actingKey.toLowerCase(), controller: status.controller.toLowerCase() }))).to.deep.equal(expected);
      // Addresses come back checksummed, as viem gives them.
      for (const status of decoded) {
        expect(status.actingKey).to.equal(getAddress(status.actingKey));
        expect(status.controller).to.equal(getAddress(status.controller));
      }
    }
  });

  it("fails on an answer that is not what was asked: a count, a length, a cut", function () {
    const next = random(3);
    const good = answerFor([randomStatus(next), randomStatus(next)]);
    expect(() => decodeStatusMulticall(good, 3)).to.throw(/answered 2 of 3/);
    expect(() => decodeStatusMulticall(good.slice(0, good.length - 64) as Hex, 2)).to.throw(/cut short/);
    expect(() => decodeStatusMulticall("0x", 1)).to.throw(/cut short/);
    expect(() => decodeStatusMulticall("0xzz" as Hex, 0)).to.throw(/not hex/);
    // A result of another shape: the first item's length word says 32 bytes.
    const firstLength = 2 + 2 * (32 + 32 + 64);
    const otherShape = `${good.slice(0, firstLength)}${(32).toString(16).padStart(64, "0")}${good.slice(firstLength + 64)}` as Hex;
    expect(() => decodeStatusMulticall(otherShape, 2)).to.throw(/not a credential status/);
    // An offset far past the end.
    const wild = `0x${"f".repeat(64)}${good.slice(66)}` as Hex;
    expect(() => decodeStatusMulticall(wild, 2)).to.throw(/out of range|cut short/);
  });

  it("fails on values no registry would return: a bool of 2, a dirty address, an unknown issuer status, a uint40 overflow", function () {
    // Field numbers of the 2.x struct: 5 keyCompromised, 6 actingKey, 7 anchoredAt, 9 keyCompromisedSince,
    // 10 issuerStatus, 13 controller.
    const next = random(4);
    const good = answerFor([randomStatus(next)]);
    // The first (only) status's words begin after: offset, length, one item offset, the item's length.
    const fieldStart = (field: number) => 2 + 2 * (4 * 32 + 32 * field);
    const withField = (field: number, word: string) => `${good.slice(0, fieldStart(field))}${word}${good.slice(fieldStart(field) + 64)}` as Hex;
    expect(() => decodeStatusMulticall(withField(2, (2).toString(16).padStart(64, "0")), 1)).to.throw(/revoked is out of range/);
    expect(() => decodeStatusMulticall(withField(5, (2).toString(16).padStart(64, "0")), 1)).to.throw(/keyCompromised is out of range/);
    expect(() => decodeStatusMulticall(withField(6, `01${"0".repeat(22)}${"ab".repeat(20)}`), 1)).to.throw(/acting key is not an address/);
    expect(() => decodeStatusMulticall(withField(13, `01${"0".repeat(22)}${"ab".repeat(20)}`), 1)).to.throw(/controller is not an address/);
    expect(() => decodeStatusMulticall(withField(10, (4).toString(16).padStart(64, "0")), 1)).to.throw(/issuer status is out of range/);
    expect(() => decodeStatusMulticall(withField(7, (2 ** 40).toString(16).padStart(64, "0")), 1)).to.throw(/anchoredAt is out of range/);
    expect(() => decodeStatusMulticall(withField(9, (2 ** 40).toString(16).padStart(64, "0")), 1)).to.throw(/keyCompromisedSince is out of range/);
  });
});
