/**
 * Sending one registry transaction for a command: wait for it to be mined, and report what a person
 * (or a script reading --json) needs — hash, block, gas — or explain why the registry refused it.
 */
import type { ContractTransactionResponse } from "ethers";

import type { RegistryContext, RegistryReadContext } from "../cli/registry-context.js";
import { explainFailure } from "../cli/contract-errors.js";

export interface SentTransaction {
  transactionHash: string;
  blockNumber: number;
  gasUsed: string;
  timestamp: number;
}

export async function sendRegistryTransaction(
  context: RegistryContext,
  send: () => Promise<ContractTransactionResponse>,
): Promise<SentTransaction> {
  try {
    const response = await send();
    const receipt = await response.wait();
    if (receipt === null) throw new Error(`transaction ${response.hash} was dropped`);
    const block = await context.connection.ethers.provider.getBlock(receipt.blockNumber);
    return {
      transactionHash: receipt.hash,
      blockNumber: receipt.blockNumber,
      gasUsed: receipt.gasUsed.toString(),
      timestamp: block?.timestamp ?? Math.floor(Date.now() / 1000),
    };
  } catch (error) {
    explainFailure(error, context.networkName);
  }
}

/** Runs a read, turning a dead node into a clear error. */
export async function readRegistry<T>(context: RegistryReadContext, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    explainFailure(error, context.networkName);
  }
}
