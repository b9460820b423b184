/**
 * A registry as the verification pipeline reads it, in memory: batches anchored by issuers with profile
 * ids, revocations, suspensions and issuer status — to test lib/ without a chain. Counts round trips.
 */
import { keccak256, toUtf8Bytes } from "ethers";

import type { Hex } from "../../lib/credential/canonical.js";
import type { IssuerStatusName, OnChainCredentialStatus, RegistryReader } from "../../lib/verify/verify.js";

export const FAKE_CHAIN_ID = 31337;
export const FAKE_REGISTRY = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

interface FakeIssuer {
  profileId: string;
  status: IssuerStatusName;
}

interface FakeBatch {
  issuer: string;
  count: number;
  anchoredAt: number;
  revoked: Set<number>;
  suspended: Set<number>;
}

export class FakeChain implements RegistryReader {
  readonly issuers = new Map<string, FakeIssuer>();
  readonly batches = new Map<string, FakeBatch>();
  /** Round trips: one per credentialStatus, one per credentialStatuses. */
  roundTrips = 0;
  unreachable = false;

  registerIssuer(address: string, profileId: string): void {
    this.issuers.set(address.toLowerCase(), { profileId, status: "active" });
  }

  anchor(root: Hex, count: number, issuer: string, anchoredAt = Date.parse("2026-06-01T00:00:00Z") / 1000): void {
    this.batches.set(root.toLowerCase(), { issuer, count, anchoredAt, revoked: new Set(), suspended: new Set() });
  }

  revoke(root: Hex, index: number): void {
    this.batches.get(root.toLowerCase())!.revoked.add(index);
  }

  suspend(root: Hex, index: number): void {
    this.batches.get(root.toLowerCase())!.suspended.add(index);
  }

  setIssuerStatus(address: string, status: IssuerStatusName): void {
    this.issuers.get(address.toLowerCase())!.status = status;
  }

  async credentialStatus(root: Hex, index: bigint): Promise<OnChainCredentialStatus> {
    this.roundTrips++;
    return this.#status(root, index);
  }

  async credentialStatuses(items: ReadonlyArray<{ root: Hex; index: bigint }>): Promise<OnChainCredentialStatus[]> {
    this.roundTrips++;
    return items.map((item) => this.#status(item.root, item.index));
  }

  /** The reader options of verifyCredential, trusting this one registry. */
  readerFor = (chainId: number, registry: string): RegistryReader | undefined =>
    chainId === FAKE_CHAIN_ID && registry.toLowerCase() === FAKE_REGISTRY.toLowerCase() ? this : undefined;

  #status(root: Hex, index: bigint): OnChainCredentialStatus {
    if (this.unreachable) throw new Error("connect ECONNREFUSED 127.0.0.1:8545");
    const batch = this.batches.get(root.toLowerCase());
    const issuer = batch ? this.issuers.get(batch.issuer.toLowerCase()) : undefined;
    return {
      anchored: batch !== undefined,
      inRange: batch !== undefined && index < BigInt(batch.count),
      revoked: batch?.revoked.has(Number(index)) ?? false,
      suspended: batch?.suspended.has(Number(index)) ?? false,
      batchRevoked: false,
      issuer: batch?.issuer ?? "0x0000000000000000000000000000000000000000",
      anchoredAt: batch?.anchoredAt ?? 0,
      count: batch?.count ?? 0,
      issuerStatus: issuer?.status ?? "none",
      issuerStatusReason: 0,
      issuerStatusSince: 0,
      issuerProfileIdHash: (issuer ? keccak256(toUtf8Bytes(issuer.profileId)) : `0x${"00".repeat(32)}`) as Hex,
    };
  }
}
