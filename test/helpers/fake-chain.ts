/**
 * A registry (2.x) as the verification pipeline reads it, in memory: issuer identities (issuerId =
 * keccak256 of the profile id) with a controller, batches anchored per issuer by an acting key,
 * revocations, suspensions, issuer status and key-compromise cut-offs — to test lib/ without a chain.
 * Judges `keyCompromised` the way the contract does: the acting key declared compromised since a time at
 * or before the anchor. Counts round trips.
 */
import type { Hex } from "../../lib/credential/canonical.js";
import { issuerIdOfProfile } from "../../lib/credential/profile-id.js";
import type { CredentialLocation, IssuerStatusName, OnChainCredentialStatus, RegistryReader } from "../../lib/verify/verify.js";

export const FAKE_CHAIN_ID = 31337;
export const FAKE_REGISTRY = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
export const DEFAULT_ANCHORED_AT = Date.parse("2026-06-01T00:00:00Z") / 1000;

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

interface FakeIssuer {
  profileId: string;
  controller: string;
  status: IssuerStatusName;
  statusReason: number;
  statusSince: number;
}

interface FakeBatch {
  actingKey: string;
  count: number;
  anchoredAt: number;
  batchRevoked: boolean;
  revoked: Set<number>;
  suspended: Set<number>;
}

export class FakeChain implements RegistryReader {
  /** By issuer id (lower case). */
  readonly issuers = new Map<string, FakeIssuer>();
  /** By `${issuerId}:${root}` (lower case): the same root of two issuers is two batches. */
  readonly batches = new Map<string, FakeBatch>();
  /** Compromise cut-offs by key (lower case): unix time since when the key is compromised. */
  readonly compromisedSince = new Map<string, number>();
  /** Round trips: one per credentialStatus, one per credentialStatuses. */
  roundTrips = 0;
  unreachable = false;

  registerIssuer(profileId: string, controller: string): void {
    this.issuers.set(issuerIdOfProfile(profileId), { profileId, controller, status: "active", statusReason: 0, statusSince: 0 });
  }

  /** Anchors `root` for the issuer `profileId`, by `actingKey` (default: its controller). */
  anchor(profileId: string, root: Hex, count: number, options: { actingKey?: string; anchoredAt?: number } = {}): void {
    const actingKey = options.actingKey ?? this.issuers.get(issuerIdOfProfile(profileId))?.controller ?? ZERO_ADDRESS;
    this.batches.set(batchKey(profileId, root), {
      actingKey,
      count,
      anchoredAt: options.anchoredAt ?? DEFAULT_ANCHORED_AT,
      batchRevoked: false,
      revoked: new Set(),
      suspended: new Set(),
    });
  }

  revoke(profileId: string, root: Hex, index: number): void {
    this.#batch(profileId, root).revoked.add(index);
  }

  suspend(profileId: string, root: Hex, index: number): void {
    this.#batch(profileId, root).suspended.add(index);
  }

  revokeBatch(profileId: string, root: Hex): void {
    this.#batch(profileId, root).batchRevoked = true;
  }

  setIssuerStatus(profileId: string, status: IssuerStatusName, reason = 0, since = DEFAULT_ANCHORED_AT + 86_400): void {
    Object.assign(this.issuers.get(issuerIdOfProfile(profileId))!, { status, statusReason: reason, statusSince: since });
  }

  declareKeyCompromised(key: string, since: number): void {
    this.compromisedSince.set(key.toLowerCase(), since);
  }

  async credentialStatus(issuerId: Hex, root: Hex, index: bigint): Promise<OnChainCredentialStatus> {
    this.roundTrips++;
    return this.#status({ issuerId, root, index });
  }

  async credentialStatuses(items: ReadonlyArray<CredentialLocation>): Promise<OnChainCredentialStatus[]> {
    this.roundTrips++;
    return items.map((item) => this.#status(item));
  }

  /** The reader options of verifyCredential, trusting this one registry. */
  readerFor = (chainId: number, registry: string): RegistryReader | undefined =>
    chainId === FAKE_CHAIN_ID && registry.toLowerCase() === FAKE_REGISTRY.toLowerCase() ? this : undefined;

  #batch(profileId: string, root: Hex): FakeBatch {
    const batch = this.batches.get(batchKey(profileId, root));
    if (!batch) throw new Error(`${profileId} has not anchored ${root}`);
    return batch;
  }

  #status({ issuerId, root, index }: CredentialLocation): OnChainCredentialStatus {
    if (this.unreachable) throw new Error("connect ECONNREFUSED 127.0.0.1:8545");
    const batch = this.batches.get(`${issuerId.toLowerCase()}:${root.toLowerCase()}`);
    const issuer = this.issuers.get(issuerId.toLowerCase());
    const since = batch ? this.compromisedSince.get(batch.actingKey.toLowerCase()) : undefined;
    return {
      anchored: batch !== undefined,
      inRange: batch !== undefined && index < BigInt(batch.count),
      revoked: batch?.revoked.has(Number(index)) ?? false,
      suspended: batch?.suspended.has(Number(index)) ?? false,
      batchRevoked: batch?.batchRevoked ?? false,
      keyCompromised: batch !== undefined && since !== undefined && since <= batch.anchoredAt,
      actingKey: batch?.actingKey ?? ZERO_ADDRESS,
      anchoredAt: batch?.anchoredAt ?? 0,
      count: batch?.count ?? 0,
      keyCompromisedSince: since ?? 0,
      issuerStatus: issuer?.status ?? "none",
      issuerStatusReason: issuer?.statusReason ?? 0,
      issuerStatusSince: issuer?.statusSince ?? 0,
      controller: issuer?.controller ?? ZERO_ADDRESS,
    };
  }
}

function batchKey(profileId: string, root: Hex): string {
  return `${issuerIdOfProfile(profileId)}:${root.toLowerCase()}`;
}
