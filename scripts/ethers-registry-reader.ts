/**
 * The chain reader of lib/verify.ts for the commands, over ethers and the typechain contract.
 * (The verifier service has its own, over viem.)
 */
import type { Hex } from "../lib/canonical.js";
import { ISSUER_STATUS_NAMES, type OnChainCredentialStatus, type RegistryReader } from "../lib/verify.js";
import type { CredentialRegistry } from "../types/ethers-contracts/index.js";

export class EthersRegistryReader implements RegistryReader {
  readonly registry: CredentialRegistry;

  constructor(registry: CredentialRegistry) {
    this.registry = registry;
  }

  async credentialStatus(root: Hex, index: bigint): Promise<OnChainCredentialStatus> {
    const status = await this.registry.credentialStatus(root, index);
    return {
      anchored: status.anchored,
      inRange: status.inRange,
      revoked: status.revoked,
      suspended: status.suspended,
      batchRevoked: status.batchRevoked,
      issuer: status.issuer,
      anchoredAt: Number(status.anchoredAt),
      count: Number(status.count),
      issuerStatus: ISSUER_STATUS_NAMES[Number(status.issuerStatus)],
      issuerStatusReason: Number(status.issuerStatusReason),
      issuerStatusSince: Number(status.issuerStatusSince),
      issuerProfileIdHash: status.issuerProfileIdHash as Hex,
    };
  }
}
