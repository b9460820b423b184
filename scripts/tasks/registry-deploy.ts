/**
 * `npx hardhat registry deploy [--admin A] [--accreditor B] [--json] --network <name>`
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { CommandError, runCommand } from "../command-errors.js";
import { explainFailure, isConnectionFailure, registryRevert } from "../cli/contract-errors.js";
import { deployRegistry, ensureProductionBuild, LOCAL_CHAIN_ID } from "../deploy-registry.js";

interface RegistryDeployArguments {
  admin: string;
  accreditor: string;
  json: boolean;
}

export default async function registryDeploy(args: RegistryDeployArguments, hre: HardhatRuntimeEnvironment) {
  await runCommand(args.json, async () => {
    const networkName = hre.globalOptions.network ?? "default";
    const { connection, deployed } = await explainingFailures(networkName, async () => {
      const connection = await hre.network.create();
      const { chainId } = await connection.ethers.provider.getNetwork();
      if (!args.json && chainId !== LOCAL_CHAIN_ID) console.log("Building the contracts with the production profile…");
      await ensureProductionBuild(hre, chainId);
      if (!args.json) console.log(`Deploying CredentialRegistry to network "${connection.networkName}"…`);
      return { connection, deployed: await deployRegistry(connection, { admin: args.admin, accreditor: args.accreditor }) };
    });
    if (args.json) {
      console.log(JSON.stringify({ network: connection.networkName, ...deployed, chainId: Number(deployed.chainId) }));
      return;
    }
    console.log(`CredentialRegistry deployed at ${deployed.address}`);
    console.log(`  chain id     ${deployed.chainId}`);
    console.log(`  block        ${deployed.blockNumber ?? "unknown (not in this deployment's Ignition journal)"}`);
    console.log(`  admin        ${deployed.admin}`);
    console.log(`  accreditor   ${deployed.accreditor}`);
    if (connection.networkConfig.type === "http") {
      console.log(`  deployment   ignition/deployments/${deployed.deploymentId}`);
    }
  });
}

/**
 * A node that cannot be reached, a registry that refused, or Ignition declining the deployment (a changed
 * --admin for an existing one, say) is one line — JSON with --json — not a stack trace.
 */
async function explainingFailures<T>(networkName: string, deploy: () => Promise<T>): Promise<T> {
  try {
    return await deploy();
  } catch (error) {
    if (error instanceof CommandError) throw error;
    // A dead node (exit code 3), or the registry's own refusal, in explainFailure's words.
    if (isConnectionFailure(error) || registryRevert(error)) explainFailure(error, networkName);
    const message = (error instanceof Error ? error.message : String(error)).split("\n").filter((line) => line.trim() !== "").slice(0, 3).join(" ");
    throw new CommandError("deploy-failed", `the deployment failed: ${message}`, 1);
  }
}
