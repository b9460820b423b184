/**
 * The registry's ABI for viem, from the compiled artifact (`hardhat build`), never copied by hand.
 */
import type { Abi } from "viem";

import artifact from "../artifacts/contracts/CredentialRegistry.sol/CredentialRegistry.json" with { type: "json" };

export const registryAbi = artifact.abi as Abi;
