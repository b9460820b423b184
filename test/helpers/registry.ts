/**
 * Shared builders for the registry's tests: a deployed registry (2.x) with named accounts and two
 * issuer identities, EIP-712 delegations signed the way a wallet would (keyed nonces), and revocation
 * masks from credential indices.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkConnection } from "hardhat/types/network";

import { keccak256, toUtf8Bytes, type Signer } from "ethers";

import { delegationTypes, keyedNonce, registryDomain, type DelegatedAction } from "../../lib/anchor/delegation.js";

import type { CredentialRegistry } from "../../types/ethers-contracts/index.js";

export const UNIVERSITY_PROFILE = "did:web:uni.example";
export const EMPLOYER_PROFILE = "https://security.employer.example/issuer";

export const IssuerStatus = { None: 0n, Active: 1n, Suspended: 2n, Withdrawn: 3n } as const;
export const KeyRole = { None: 0n, Controller: 1n, Operator: 2n, Retired: 3n } as const;

export interface RegistryFixture {
  registry: CredentialRegistry;
  admin: HardhatEthersSigner;
  accreditor: HardhatEthersSigner;
  /** The university's controller (cold key). */
  university: HardhatEthersSigner;
  universityOperator: HardhatEthersSigner;
  /** The employer's controller. */
  employer: HardhatEthersSigner;
  relayer: HardhatEthersSigner;
  stranger: HardhatEthersSigner;
  universityId: string;
  employerId: string;
}

/** A registry with two active issuers; the university has one operator. */
export async function deployRegistryWithIssuers(connection: NetworkConnection): Promise<RegistryFixture> {
  const { ethers } = connection;
  const [admin, accreditor, university, universityOperator, employer, relayer, stranger] = await ethers.getSigners();
  const registry = await ethers.deployContract("CredentialRegistry", [admin.address, accreditor.address]);
  await registry.connect(accreditor).registerIssuer(UNIVERSITY_PROFILE, university.address);
  await registry.connect(accreditor).registerIssuer(EMPLOYER_PROFILE, employer.address);
  const universityId = issuerIdOf(UNIVERSITY_PROFILE);
  const employerId = issuerIdOf(EMPLOYER_PROFILE);
  await registry.connect(university).addOperator(universityId, universityOperator.address);
  return { registry, admin, accreditor, university, universityOperator, employer, relayer, stranger, universityId, employerId };
}

/** The registry's issuer id of a profile id: keccak256 of its UTF-8 bytes. */
export function issuerIdOf(profileId: string): string {
  return keccak256(toUtf8Bytes(profileId));
}

/** A distinct, non-zero Merkle root for tests. */
export function rootOf(label: string): string {
  return keccak256(toUtf8Bytes(`root:${label}`));
}

/** The (wordIndex, mask) pairs that select the given credential indices, one pair per 256-index word. */
export function masksFor(indices: number[]): Array<{ wordIndex: bigint; mask: bigint }> {
  const words = new Map<bigint, bigint>();
  for (const index of indices) {
    const wordIndex = BigInt(index >> 8);
    words.set(wordIndex, (words.get(wordIndex) ?? 0n) | (1n << BigInt(index & 0xff)));
  }
  return [...words].map(([wordIndex, mask]) => ({ wordIndex, mask }));
}

export interface SignDelegationOptions {
  registry: CredentialRegistry;
  action: DelegatedAction;
  /** The account whose key signs: the signer itself, or the owner of an ERC-1271 wallet. */
  key: Signer;
  /** The `signer` field; defaults to the key's address (a wallet contract's address for ERC-1271). */
  signer?: string;
  /** The action's own fields (issuerId, root, count, wordIndex, mask, reason, operator, …). */
  fields: Record<string, unknown>;
  /** The nonce key (uint192); the nonce is the next of that key unless `nonce` is given. Default 0. */
  nonceKey?: bigint;
  nonce?: bigint;
  deadline?: bigint;
  chainId?: bigint;
}

/** Signs an issuer action as EIP-712 typed data and returns the `Delegation` struct to relay. */
export async function signDelegation(options: SignDelegationOptions) {
  const { registry, action, key } = options;
  const signer = options.signer ?? (await key.getAddress());
  const provider = registry.runner!.provider!;
  const nonce = options.nonce ?? (await registry["nonces(address,uint192)"](signer, options.nonceKey ?? 0n));
  const latest = await provider.getBlock("latest");
  const deadline = options.deadline ?? BigInt(latest!.timestamp + 3600);
  const domain = registryDomain(options.chainId ?? (await provider.getNetwork()).chainId, await registry.getAddress());
  const signature = await key.signTypedData(domain, delegationTypes(action), { signer, ...options.fields, nonce, deadline });
  return { signer, nonce, deadline, signature };
}

export { keyedNonce };
