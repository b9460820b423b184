/**
 * The one eth_call a cold verification waits for — the registry's `multicall` of `credentialStatus`
 * reads — encoded and decoded by hand.
 *
 * Why not viem's ABI coder, which the rest of the chain reader uses: it is generic (hex to bytes, a walk
 * of the ABI, objects per field) and cost ~100 µs of CPU for each read in a batch of twenty, a sixth of a
 * cold verification (bench/README.md, "Verifying over HTTP"). The layout here is fixed: a `bytes[]` of
 * calls in, a `bytes[]` of fourteen static words each out, so encoding is concatenation and decoding is
 * slicing. Decoding is strict — every offset and length checked, every bool 0 or 1, every narrow integer
 * in range, an address's high bytes zero — and anything else throws, so a garbled answer reads as
 * `unavailable`, never as a status. Tests hold both directions to viem's coder.
 */
import { getAddress, toFunctionSelector } from "viem";

import type { Hex } from "../lib/credential/canonical.js";
import { ISSUER_STATUS_NAMES, type CredentialLocation, type OnChainCredentialStatus } from "../lib/verify/verify.js";

const MULTICALL_SELECTOR = toFunctionSelector("multicall(bytes[])").slice(2);
const CREDENTIAL_STATUS_SELECTOR = toFunctionSelector("credentialStatus(bytes32,bytes32,uint256)").slice(2);
/** The CredentialStatus struct (registry 2.x): fourteen static fields, one 32-byte word each. */
const STATUS_WORDS = 14;
const STATUS_BYTES = STATUS_WORDS * 32;
const HEX32 = /^0x[0-9a-fA-F]{64}$/;
const MAX_UINT40 = 2 ** 40 - 1;

const word = (value: number | bigint) => value.toString(16).padStart(64, "0");

/** Why `credentialStatus(issuerId, root, index)` cannot be asked with these arguments, if it cannot. */
export function statusReadProblem({ issuerId, root, index }: { issuerId: string; root: string; index: bigint }): string | undefined {
  if (!HEX32.test(issuerId)) return `not a 32-byte issuer id: ${issuerId}`;
  if (!HEX32.test(root)) return `not a 32-byte root: ${root}`;
  if (index < 0n || index >= 2n ** 256n) return `index out of range: ${index}`;
  return undefined;
}

/** Calldata of `multicall([credentialStatus(issuerId, root, index) for each read])`. */
export function encodeStatusMulticall(reads: ReadonlyArray<CredentialLocation>): Hex {
  // Each call is 4 + 3 × 32 = 100 bytes, stored as its length and the bytes padded to 128: 160 bytes a call.
  const parts = [MULTICALL_SELECTOR, word(32), word(reads.length)];
  reads.forEach((_read, position) => parts.push(word(32 * reads.length + 160 * position)));
  for (const read of reads) {
    const problem = statusReadProblem(read);
    if (problem) throw new Error(problem);
    parts.push(word(100), CREDENTIAL_STATUS_SELECTOR, read.issuerId.slice(2).toLowerCase(), read.root.slice(2).toLowerCase(), word(read.index), "0".repeat(56));
  }
  return `0x${parts.join("")}`;
}

/** The statuses in `multicall`'s answer, `expected` of them, in the order the reads were asked. */
export function decodeStatusMulticall(data: Hex, expected: number): OnChainCredentialStatus[] {
  if (!/^0x(?:[0-9a-fA-F]{2})*$/.test(data)) throw new Error("the node's answer is not hex bytes");
  const size = (data.length - 2) / 2;
  const wordAt = (offset: number): string => {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset + 32 > size) throw new Error(`the node's answer is cut short (a word at byte ${offset} of ${size})`);
    return data.slice(2 + offset * 2, 2 + offset * 2 + 64);
  };
  const smallAt = (offset: number, max: number, what: string): number => {
    const text = wordAt(offset);
    if (!/^0{52}/.test(text)) throw new Error(`${what} is out of range`);
    const value = Number.parseInt(text.slice(52), 16);
    if (value > max) throw new Error(`${what} is out of range`);
    return value;
  };
  const boolAt = (offset: number, what: string): boolean => smallAt(offset, 1, what) === 1;
  const addressAt = (offset: number, what: string): string => {
    const text = wordAt(offset);
    if (!/^0{24}/.test(text)) throw new Error(`${what} is not an address`);
    return getAddress(`0x${text.slice(24)}`);
  };

  const arrayStart = smallAt(0, size, "the answer's offset");
  const count = smallAt(arrayStart, size, "the answer's length");
  if (count !== expected) throw new Error(`the node answered ${count} of ${expected} reads`);
  const itemsStart = arrayStart + 32;
  const statuses: OnChainCredentialStatus[] = [];
  for (let position = 0; position < count; position++) {
    const itemStart = itemsStart + smallAt(itemsStart + 32 * position, size, "a result's offset");
    if (smallAt(itemStart, size, "a result's length") !== STATUS_BYTES) throw new Error(`result ${position} is not a credential status`);
    const field = (number: number) => itemStart + 32 + 32 * number;
    const issuerStatus = smallAt(field(10), ISSUER_STATUS_NAMES.length - 1, "the issuer status");
    statuses.push({
      anchored: boolAt(field(0), "anchored"),
      inRange: boolAt(field(1), "inRange"),
      revoked: boolAt(field(2), "revoked"),
      suspended: boolAt(field(3), "suspended"),
      batchRevoked: boolAt(field(4), "batchRevoked"),
      keyCompromised: boolAt(field(5), "keyCompromised"),
      actingKey: addressAt(field(6), "the acting key"),
      anchoredAt: smallAt(field(7), MAX_UINT40, "anchoredAt"),
      count: smallAt(field(8), MAX_UINT40, "count"),
      keyCompromisedSince: smallAt(field(9), MAX_UINT40, "keyCompromisedSince"),
      issuerStatus: ISSUER_STATUS_NAMES[issuerStatus],
      issuerStatusReason: smallAt(field(11), 255, "the issuer status reason"),
      issuerStatusSince: smallAt(field(12), MAX_UINT40, "issuerStatusSince"),
      controller: addressAt(field(13), "the controller"),
    });
  }
  return statuses;
}
