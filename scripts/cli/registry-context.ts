/**
 * What every registry command needs: a network connection, the registry's address on that network, and
 * the account that signs. The address comes from `--registry`, else the REGISTRY_ADDRESS environment
 * variable, else the Ignition deployment `registry deploy` recorded for this chain. The signer is
 * `--from` (an address or an account index) among the network's accounts — the node's own accounts on a
 * local network, keys from Hardhat's keystore on a real one — by default the first.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkConnection } from "hardhat/types/network";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { isAddress } from "ethers";

import type { CredentialRegistry } from "../../types/ethers-contracts/index.js";
import { CredentialRegistry__factory } from "../../types/ethers-contracts/index.js";
import { CommandError } from "../command-errors.js";
import { addressProblem } from "./checked-input.js";
import { isConnectionFailure, unreachable } from "./contract-errors.js";
import { deploymentDir, deploymentIdFor } from "../deploy-registry.js";

export interface RegistryOptions {
  registry?: string;
  from?: string;
}

/** The registry on a network, for reading. */
export interface RegistryReadContext {
  connection: NetworkConnection;
  networkName: string;
  chainId: number;
  registryAddress: string;
  registry: CredentialRegistry;
}

/** The registry on a network, connected to the account that signs. */
export interface RegistryContext extends RegistryReadContext {
  signer: HardhatEthersSigner;
}

const DEPLOYED_KEY = "CredentialRegistryModule#CredentialRegistry";

/** Opens the registry for a command that sends transactions, or explains in one sentence why it cannot. */
export async function openRegistry(hre: HardhatRuntimeEnvironment, options: RegistryOptions): Promise<RegistryContext> {
  return openRegistryOn(await hre.network.getOrCreate(), options);
}

/** As openRegistry, on a given network connection. */
export async function openRegistryOn(connection: NetworkConnection, options: RegistryOptions): Promise<RegistryContext> {
  const reader = await openRegistryReaderOn(connection, options);
  const signer = await signerFor(reader.connection, options.from);
  return { ...reader, registry: reader.registry.connect(signer), signer };
}

/** Opens the registry for reading only (no account needed). */
export async function openRegistryReader(hre: HardhatRuntimeEnvironment, options: RegistryOptions): Promise<RegistryReadContext> {
  return openRegistryReaderOn(await hre.network.getOrCreate(), options);
}

async function openRegistryReaderOn(connection: NetworkConnection, options: RegistryOptions): Promise<RegistryReadContext> {
  const { ethers } = connection;
  let chainId: number;
  try {
    chainId = Number((await ethers.provider.getNetwork()).chainId);
  } catch (error) {
    throw unreachable(connection.networkName, error);
  }
  const registryAddress = await registryAddressFor(connection, chainId, options.registry);
  if ((await ethers.provider.getCode(registryAddress)) === "0x") {
    throw new CommandError(
      "no-registry",
      `there is no contract at ${registryAddress} on network "${connection.networkName}" (chain ${chainId})`,
    );
  }
  const registry = CredentialRegistry__factory.connect(registryAddress, ethers.provider);
  // Code is there; is it a registry? Its version() answers, where another contract's code cannot.
  const version = await registry.version().catch((error: unknown) => {
    if (isConnectionFailure(error)) throw unreachable(connection.networkName, error);
    return undefined;
  });
  if (typeof version !== "string" || !/^\d+\.\d+\.\d+$/.test(version)) {
    throw new CommandError(
      "no-registry",
      `the contract at ${registryAddress} on network "${connection.networkName}" (chain ${chainId}) is not a CredentialRegistry`,
    );
  }
  return { connection, networkName: connection.networkName, chainId, registryAddress, registry };
}

async function registryAddressFor(connection: NetworkConnection, chainId: number, given: string | undefined): Promise<string> {
  const explicit = given || process.env.REGISTRY_ADDRESS;
  if (explicit) {
    if (!isAddress(explicit)) throw new CommandError("invalid-address", addressProblem(given ? "--registry" : "REGISTRY_ADDRESS", explicit, "an address"));
    return explicit;
  }
  const deploymentId = await deploymentIdFor(connection, BigInt(chainId));
  const file = path.join(deploymentDir(deploymentId), "deployed_addresses.json");
  try {
    const deployed = JSON.parse(await readFile(file, "utf8")) as Record<string, string>;
    if (deployed[DEPLOYED_KEY]) return deployed[DEPLOYED_KEY];
  } catch {
    // fall through to the explanation
  }
  if (connection.networkName === "default") {
    // Without --network a command runs on Hardhat's in-process chain, empty at every run: the registry the
    // user deployed is almost always on the `npx hardhat node` they started, network "localhost".
    throw new CommandError(
      "no-registry",
      `no registry on network "default", Hardhat's in-process chain, which starts empty on every command: ` +
        `to use the node \`npx hardhat node\` runs and the registry deployed there, add --network localhost`,
    );
  }
  throw new CommandError(
    "no-registry",
    `no registry known on network "${connection.networkName}" (chain ${chainId}): deploy one with ` +
      `\`npx hardhat registry deploy --network ${connection.networkName}\`, or pass --registry <address>`,
  );
}

async function signerFor(connection: NetworkConnection, from: string | undefined): Promise<HardhatEthersSigner> {
  const signers = await connection.ethers.getSigners();
  if (signers.length === 0) {
    throw new CommandError("no-account", `network "${connection.networkName}" has no account to sign with: configure one in the keystore`);
  }
  if (!from) return signers[0];
  if (/^\d+$/.test(from)) {
    const signer = signers[Number(from)];
    if (!signer) throw new CommandError("unknown-account", `--from ${from}: the network has ${signers.length} accounts (0–${signers.length - 1})`);
    return signer;
  }
  if (!isAddress(from)) throw new CommandError("invalid-address", addressProblem("--from", from, "an address or an account index"));
  const signer = signers.find((candidate) => candidate.address.toLowerCase() === from.toLowerCase());
  if (!signer) throw new CommandError("unknown-account", `--from ${from} is not one of network "${connection.networkName}"'s accounts`);
  return signer;
}

