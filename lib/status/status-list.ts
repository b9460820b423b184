/**
 * W3C Bitstring Status List v1.0 (https://www.w3.org/TR/vc-bitstring-status-list/): how revocations and
 * suspensions recorded on chain reach verifiers that do not read the chain. Each anchored batch has one
 * list per purpose; a badge's `credentialStatus` names one of them, the revocation list (see
 * BADGE_STATUS_PURPOSE), and its index in it (its leaf index).
 *
 * The list is a bitstring, index 0 the left-most (most significant) bit of the first byte, GZIP-compressed
 * and written as a multibase base64url (no padding) string, prefix "u". It is at least 131,072 bits long
 * (16 KiB, the spec's minimum): a verifier fetching a list learns nothing about which of many badges it
 * checks (herd privacy).
 *
 * lib/status/: this file only; pure (GZIP is computation, not I/O).
 */
import { gunzipSync, gzipSync } from "node:zlib";

/** A JSON-LD document (the same shape as lib/signature's JsonLdObject; lib/status needs nothing else of it). */
export type JsonLdObject = Record<string, unknown>;

export const STATUS_LIST_MIN_BITS = 131_072;
export const STATUS_ENTRY_TYPE = "BitstringStatusListEntry";
export const STATUS_LIST_CREDENTIAL_TYPE = "BitstringStatusListCredential";
const VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2";

export type StatusPurpose = "revocation" | "suspension";
export const STATUS_PURPOSES: readonly StatusPurpose[] = ["revocation", "suspension"];

/** The encoded list is not a multibase base64url GZIP bitstring. */
export class StatusListFormatError extends Error {
  override readonly name = "StatusListFormatError";
}

/** Encodes `bits` (one byte per index, 0 or 1) as a status list of at least `minBits` bits. */
export function encodeStatusList(bits: Uint8Array, minBits = STATUS_LIST_MIN_BITS): string {
  const length = Math.max(minBits, bits.length);
  const packed = new Uint8Array(Math.ceil(length / 8));
  bits.forEach((bit, index) => {
    if (bit) packed[index >> 3] |= 0x80 >> (index & 7);
  });
  return `u${gzipSync(packed).toString("base64url")}`;
}

/** The most bits a list may decompress to (2 MiB): a small GZIP "bomb" cannot make a reader inflate gigabytes. */
export const MAX_STATUS_LIST_BITS = 16 * 1024 * 1024;

/** A decoded status list: its length in bits and whether bit `index` is set (false beyond its end). */
export interface DecodedStatusList {
  bits: number;
  isSet(index: number): boolean;
}

/** Reads an encoded status list, decompressing at most `maxBits` bits (StatusListFormatError beyond). */
export function readStatusList(encodedList: string, maxBits = MAX_STATUS_LIST_BITS): DecodedStatusList {
  if (!/^u[A-Za-z0-9_-]*$/.test(encodedList)) {
    throw new StatusListFormatError('the encoded status list is not multibase base64url ("u" then base64url characters)');
  }
  let packed: Buffer;
  try {
    packed = gunzipSync(Buffer.from(encodedList.slice(1), "base64url"), { maxOutputLength: Math.ceil(maxBits / 8) });
  } catch (error) {
    if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw new StatusListFormatError(`the status list expands beyond ${maxBits} bits, the limit`);
    throw new StatusListFormatError("the encoded status list is not GZIP data");
  }
  return {
    bits: packed.length * 8,
    isSet: (index) => Number.isInteger(index) && index >= 0 && index >> 3 < packed.length && (packed[index >> 3] & (0x80 >> (index & 7))) !== 0,
  };
}

/** Reads an encoded status list: a function telling whether bit `index` is set (false beyond its end). */
export function decodeStatusList(encodedList: string): (index: number) => boolean {
  return readStatusList(encodedList).isSet;
}

/** The URLs of a batch's two lists under the issuer's status base URL. */
export function statusListUrls(base: string, batchId: string): Record<StatusPurpose, string> {
  const root = base.replace(/\/+$/, "");
  return { revocation: `${root}/${batchId}/revocation.json`, suspension: `${root}/${batchId}/suspension.json` };
}

/**
 * The purpose of the one status entry a badge carries. OB 3.0 gives an AchievementCredential at most one
 * `credentialStatus` ([0..1]; the official JSON Schema takes a single object), so a badge that carried one
 * entry per purpose, as VC 2.0 would allow, is refused by verifiers that validate against that schema.
 * Revocation is the one to name: it is permanent, and it is the state every OB verifier checks (DCC's
 * verifier-core reports it as `revocation_status`). Suspension stays authoritative on chain, where our
 * verifier reads it. A `statusPurpose: "message"` entry of statusSize 2 could carry both in one entry, but
 * verifier-core (and @digitalcredentials/vc-bitstring-status-list) read one bit at the index and know no
 * statusSize: they would misread it.
 */
export const BADGE_STATUS_PURPOSE: StatusPurpose = "revocation";

/** The badge's `credentialStatus`: the revocation list's BitstringStatusListEntry at its leaf index (one object). */
export function statusEntry(base: string, batchId: string, index: number): JsonLdObject {
  const url = statusListUrls(base, batchId)[BADGE_STATUS_PURPOSE];
  return { id: `${url}#${index}`, type: STATUS_ENTRY_TYPE, statusPurpose: BADGE_STATUS_PURPOSE, statusListIndex: String(index), statusListCredential: url };
}

/** The (unsigned) BitstringStatusListCredential published at `url`. */
export function statusListCredential(o: { url: string; issuer: string; purpose: StatusPurpose; bits: Uint8Array; validFrom: string }): JsonLdObject {
  return {
    "@context": [VC_V2_CONTEXT],
    id: o.url,
    type: ["VerifiableCredential", STATUS_LIST_CREDENTIAL_TYPE],
    issuer: o.issuer,
    validFrom: o.validFrom,
    credentialSubject: { id: `${o.url}#list`, type: "BitstringStatusList", statusPurpose: o.purpose, encodedList: encodeStatusList(o.bits) },
  };
}
