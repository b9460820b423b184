/**
 * The shell every registry task shares: open the registry, do the work, then print either the human
 * lines or, with --json, the result as one JSON object. Failures the user can fix print one sentence
 * and set the exit code (see command-errors.ts).
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { runCommand } from "../command-errors.js";
import { openRegistry, type RegistryContext } from "../cli/registry-context.js";

export interface CommonArguments {
  json: boolean;
  registry?: string;
  from?: string;
}

export async function runRegistryCommand<T extends object>(
  hre: HardhatRuntimeEnvironment,
  args: CommonArguments,
  work: (context: RegistryContext) => Promise<T>,
  render: (result: T, context: RegistryContext) => string[],
  /** Checks of the arguments alone, made before connecting: a mistyped address is said at once. */
  checkArguments: () => void = () => {},
): Promise<void> {
  await runCommand(args.json, async () => {
    checkArguments();
    const context = await openRegistry(hre, { registry: args.registry, from: args.from });
    const result = await work(context);
    if (args.json) console.log(JSON.stringify(result));
    else for (const line of render(result, context)) console.log(line);
  });
}

/** "in block 12 (tx 0xabc…, 49,226 gas)" */
export function transactionLine(sent: { transactionHash: string; blockNumber: number; gasUsed: string }): string {
  return `  transaction ${sent.transactionHash} (block ${sent.blockNumber}, ${Number(sent.gasUsed).toLocaleString("en-US")} gas)`;
}
