/**
 * The chain reader of lib/verify.ts for the commands, over ethers and the typechain contract.
 * (The verifier service has its own, over viem.)
 */
import type { Hex } from "../lib/canonical.js";
import { fromRawCredentialStatus, type OnChainCredentialStatus, type RegistryReader } from "../lib/verify.js";
import type { CredentialRegistry } from "../types/ethers-contracts/index.js";

export class EthersRegistryReader implements RegistryReader {
  readonly registry: CredentialRegistry;

  constructor(registry: CredentialRegistry) {
    this.registry = registry;
  }

  async credentialStatus(root: Hex, index: bigint): Promise<OnChainCredentialStatus> {
    return fromRawCredentialStatus(await this.registry.credentialStatus(root, index));
  }
}
