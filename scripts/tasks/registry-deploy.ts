/**
 * `npx hardhat registry deploy [--admin A] [--accreditor B] [--json] --network <name>`
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { runCommand } from "../command-errors.js";
import { deployRegistry, ensureProductionBuild, LOCAL_CHAIN_ID } from "../deploy-registry.js";

interface RegistryDeployArguments {
  admin: string;
  accreditor: string;
  json: boolean;
}

export default async function registryDeploy(args: RegistryDeployArguments, hre: HardhatRuntimeEnvironment) {
  await runCommand(args.json, async () => {
    const connection = await hre.network.create();
    const { chainId } = await connection.ethers.provider.getNetwork();
    if (!args.json && chainId !== LOCAL_CHAIN_ID) console.log("Building the contracts with the production profile…");
    await ensureProductionBuild(hre, chainId);
    if (!args.json) console.log(`Deploying CredentialRegistry to network "${connection.networkName}"…`);
    const deployed = await deployRegistry(connection, { admin: args.admin, accreditor: args.accreditor });
    if (args.json) {
      console.log(JSON.stringify({ network: connection.networkName, ...deployed, chainId: Number(deployed.chainId) }));
      return;
    }
    console.log(`CredentialRegistry deployed at ${deployed.address}`);
    console.log(`  chain id     ${deployed.chainId}`);
    console.log(`  block        ${deployed.blockNumber}`);
    console.log(`  admin        ${deployed.admin}`);
    console.log(`  accreditor   ${deployed.accreditor}`);
    if (connection.networkConfig.type === "http") {
      console.log(`  deployment   ignition/deployments/${deployed.deploymentId}`);
    }
  });
}
