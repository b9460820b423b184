/**
 * Deploys the CredentialRegistry through its Ignition module on a network connection, for the
 * `registry deploy` task, the demo, tests and benchmarks alike.
 *
 * Local development chains (chain id 31337, a Hardhat node or Anvil) restart empty, so their Ignition
 * deployment id carries the chain's genesis block hash: a fresh node gets a fresh deployment instead of
 * Ignition's memory of a contract that no longer exists; a re-run on the same node is a no-op.
 */
import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { NetworkConnection } from "hardhat/types/network";
import { listTransactions, TransactionStatus } from "@nomicfoundation/ignition-core";
import { isAddress, type BaseContract } from "ethers";

import CredentialRegistryModule from "../ignition/modules/CredentialRegistry.js";
import { CommandError } from "./command-errors.js";

export const LOCAL_CHAIN_ID = 31337n;

/** The folder where Ignition keeps deployment `deploymentId` (its addresses and journal). */
export function deploymentDir(deploymentId: string): string {
  return path.join(import.meta.dirname, "..", "ignition", "deployments", deploymentId);
}

export interface DeployRegistryOptions {
  /** DEFAULT_ADMIN_ROLE holder; the deployer when omitted. */
  admin?: string;
  /** ACCREDITOR_ROLE holder; the deployer when omitted. */
  accreditor?: string;
}

export interface DeployedRegistry {
  address: string;
  chainId: bigint;
  admin: string;
  accreditor: string;
  deployer: string;
  deploymentId: string;
  /** The block of the deployment transaction (where an audit may start); null when it cannot be found. */
  blockNumber: number | null;
}

export class InvalidAddressError extends CommandError {
  override readonly name = "InvalidAddressError";
  constructor(option: string, value: string) {
    super("invalid-address", `--${option} must be an Ethereum address (0x followed by 40 hex digits), got "${value}"`);
  }
}

/**
 * The address every statement of a coverage-instrumented build calls (the coverage library Hardhat's EDR
 * adds to the sources when tests run with --coverage, as `npm test` does).
 */
const COVERAGE_HIT_ADDRESS = "c0bec0bec0bec0bec0bec0bec0bec0bec0bec0be";

/** Whether `bytecode` is from a coverage-instrumented build. */
export function isCoverageBuild(bytecode: string): boolean {
  return bytecode.toLowerCase().includes(COVERAGE_HIT_ADDRESS);
}

export class CoverageBuildError extends CommandError {
  override readonly name = "CoverageBuildError";
  constructor() {
    super(
      "coverage-build",
      "the compiled CredentialRegistry is the coverage-instrumented build (every statement calls a coverage address, costing gas on every call) and building again did not replace it; run `npx hardhat build` and deploy again",
    );
  }
}

/**
 * Makes sure a registry deployed on chain `chainId` is the production build. `npm test` leaves the
 * coverage-instrumented build in artifacts/ — larger, and paying for a call to the coverage address at
 * every statement — and a registry cannot be upgraded once deployed, so off a local development chain the
 * contracts are built first with the production profile, as `hardhat ignition deploy` does, and an
 * instrumented build that is still there stops the deployment.
 *
 * On a local development chain (31337) the artifacts are deployed as they are: the test suite's end-to-end
 * tests deploy the coverage build it has just compiled, and building here would replace it under them.
 */
export async function ensureProductionBuild(hre: Pick<HardhatRuntimeEnvironment, "tasks" | "artifacts">, chainId: bigint): Promise<void> {
  if (chainId === LOCAL_CHAIN_ID) return;
  await hre.tasks.getTask("build").run({ quiet: true, noTests: true, defaultBuildProfile: "production" });
  const { deployedBytecode } = await hre.artifacts.readArtifact("CredentialRegistry");
  if (isCoverageBuild(deployedBytecode)) throw new CoverageBuildError();
}

export async function deployRegistry(
  connection: NetworkConnection,
  options: DeployRegistryOptions = {},
): Promise<DeployedRegistry> {
  const { ethers, ignition } = connection;
  const [deployer] = await ethers.getSigners();
  const admin = checkedAddress("admin", options.admin) ?? deployer.address;
  const accreditor = checkedAddress("accreditor", options.accreditor) ?? deployer.address;
  const { chainId } = await ethers.provider.getNetwork();
  const deploymentId = await deploymentIdFor(connection, chainId);

  const { registry } = await ignition.deploy(CredentialRegistryModule, {
    parameters: { CredentialRegistryModule: { admin, accreditor } },
    deploymentId,
    displayUi: false,
  });
  const address = await registry.getAddress();
  return {
    address,
    chainId,
    admin,
    accreditor,
    deployer: deployer.address,
    deploymentId,
    blockNumber: await deploymentBlock(connection, registry, deploymentId),
  };
}

/**
 * The block the registry was deployed in: its deployment transaction's, or — when Ignition found it already
 * deployed and sent nothing — the one its deployment journal records (not the current block, which an
 * auditor would take for the start of the registry's history).
 */
async function deploymentBlock(connection: NetworkConnection, registry: BaseContract, deploymentId: string): Promise<number | null> {
  const sent = await registry.deploymentTransaction()?.wait();
  if (sent) return sent.blockNumber;
  const address = (await registry.getAddress()).toLowerCase();
  try {
    // listTransactions reads the journal only; it loads no artifact.
    const transactions = await listTransactions(deploymentDir(deploymentId), {} as never);
    const deployment = transactions.find((transaction) => transaction.address?.toLowerCase() === address && transaction.status === TransactionStatus.SUCCESS);
    if (!deployment) return null;
    return (await connection.ethers.provider.getTransactionReceipt(deployment.txHash))?.blockNumber ?? null;
  } catch {
    return null;
  }
}

function checkedAddress(option: string, value: string | undefined): string | undefined {
  if (value === undefined || value === "") return undefined;
  if (!isAddress(value)) throw new InvalidAddressError(option, value);
  return value;
}

export async function deploymentIdFor(connection: NetworkConnection, chainId: bigint): Promise<string> {
  if (chainId !== LOCAL_CHAIN_ID) return `chain-${chainId}`;
  const genesis = await connection.ethers.provider.getBlock(0);
  return `chain-${chainId}-${genesis?.hash?.slice(2, 10) ?? "unknown"}`;
}
