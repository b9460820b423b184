/**
 * From the registry's bitmaps to a status list's bits: the registry keeps a batch's revocation and
 * suspension bits in 256-bit words (bit b of word w = credential 256w + b); a status list has one entry
 * per leaf index. A batch revoked as a whole, or anchored by a key declared compromised from before its
 * anchoring, reads revoked for every credential — as the registry's `credentialStatus` says.
 */
export interface BatchBitmaps {
  count: number;
  revocationWords: readonly bigint[];
  suspensionWords: readonly bigint[];
  /** batchRevoked, or the anchoring key compromised since a time at or before the anchor. */
  wholeBatchRevoked: boolean;
}

/** How many 256-bit words hold `count` credentials' bits. */
export function wordCount(count: number): number {
  return Math.ceil(count / 256);
}

/** One byte (0/1) per credential of the batch, per purpose. */
export function statusBits(bitmaps: BatchBitmaps): { revocation: Uint8Array; suspension: Uint8Array } {
  const revocation = new Uint8Array(bitmaps.count);
  const suspension = new Uint8Array(bitmaps.count);
  for (let index = 0; index < bitmaps.count; index++) {
    const word = index >> 8;
    const mask = 1n << BigInt(index & 255);
    revocation[index] = bitmaps.wholeBatchRevoked || ((bitmaps.revocationWords[word] ?? 0n) & mask) !== 0n ? 1 : 0;
    suspension[index] = ((bitmaps.suspensionWords[word] ?? 0n) & mask) !== 0n ? 1 : 0;
  }
  return { revocation, suspension };
}
