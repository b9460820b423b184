/**
 * The chain reader of lib/verify/verify.ts for the commands, over ethers and the typechain contract.
 * (The verifier service has its own, over viem.)
 */
import type { Hex } from "../lib/credential/canonical.js";
import {
  fromRawCredentialStatus,
  type CredentialLocation,
  type OnChainCredentialStatus,
  type RawCredentialStatus,
  type RegistryReader,
} from "../lib/verify/verify.js";
import type { CredentialRegistry } from "../types/ethers-contracts/index.js";

/** Views per eth_call through the registry's multicall: well under any node's gas cap for calls. */
const MULTICALL_CHUNK = 500;

export class EthersRegistryReader implements RegistryReader {
  readonly registry: CredentialRegistry;

  constructor(registry: CredentialRegistry) {
    this.registry = registry;
  }

  async credentialStatus(issuerId: Hex, root: Hex, index: bigint): Promise<OnChainCredentialStatus> {
    return fromRawCredentialStatus(await this.registry.credentialStatus(issuerId, root, index));
  }

  async credentialStatuses(items: ReadonlyArray<CredentialLocation>): Promise<OnChainCredentialStatus[]> {
    const registryInterface = this.registry.interface;
    const answers: OnChainCredentialStatus[] = [];
    for (let start = 0; start < items.length; start += MULTICALL_CHUNK) {
      const chunk = items.slice(start, start + MULTICALL_CHUNK);
      const results = await this.registry.multicall.staticCall(
        chunk.map((item) => registryInterface.encodeFunctionData("credentialStatus", [item.issuerId, item.root, item.index])),
      );
      if (results.length !== chunk.length) throw new Error(`the node answered ${results.length} of ${chunk.length} reads`);
      for (const result of results) {
        const [status] = registryInterface.decodeFunctionResult("credentialStatus", result);
        answers.push(fromRawCredentialStatus(status as unknown as RawCredentialStatus));
      }
    }
    return answers;
  }
}
