/**
 * The Ethereum Attestation Service beside the registry in the gas bench (bench/gas.ts). SchemaRegistry and
 * EAS are deployed with ethers' ContractFactory from the ABI and bytecode published in the npm package
 * `@ethereum-attestation-service/eas-contracts` (its `artifacts/`, built by EAS with solc 0.8.29); nothing
 * of EAS is compiled here. (The package's typechain types are CommonJS, bound to ethers' CommonJS build,
 * and do not fit this ESM project's ethers: the contracts are ethers `Contract`s over the published ABI.)
 *
 * The comparison gives EAS the cheapest form of the same work: a schema `bytes32 credentialHash` without a
 * resolver, and one attestation per credential with no recipient (the registry stores none), no expiration,
 * no reference, revocable, its data the credential's hash.
 */
import easArtifact from "@ethereum-attestation-service/eas-contracts/artifacts/contracts/EAS.sol/EAS.json" with {
  type: "json",
};
import schemaRegistryArtifact from "@ethereum-attestation-service/eas-contracts/artifacts/contracts/SchemaRegistry.sol/SchemaRegistry.json" with {
  type: "json",
};
import {
  AbiCoder,
  Contract,
  ContractFactory,
  Signature,
  ZeroAddress,
  ZeroHash,
  type Signer,
  type TransactionReceipt,
} from "ethers";

/** The schema the attestations use: what the registry's leaves hold besides their index. */
export const CREDENTIAL_SCHEMA = "bytes32 credentialHash";

// EAS's EIP1271Verifier signs this struct for attestByDelegation (its ATTEST_TYPEHASH).
const ATTEST_TYPES = {
  Attest: [
    { name: "attester", type: "address" },
    { name: "schema", type: "bytes32" },
    { name: "recipient", type: "address" },
    { name: "expirationTime", type: "uint64" },
    { name: "revocable", type: "bool" },
    { name: "refUID", type: "bytes32" },
    { name: "data", type: "bytes" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint64" },
  ],
};

/** The deployed pair; each function gives the contract as `runner` sends to it. */
export interface EasDeployment {
  schemaRegistry(runner: Signer): Contract;
  eas(runner: Signer): Contract;
}

/** Deploys SchemaRegistry, then EAS pointing at it, from the package's published ABI and bytecode. */
export async function deployEas(deployer: Signer): Promise<EasDeployment> {
  const registryFactory = new ContractFactory(schemaRegistryArtifact.abi, schemaRegistryArtifact.bytecode, deployer);
  const registry = await (await registryFactory.deploy()).waitForDeployment();
  const registryAddress = await registry.getAddress();
  const easFactory = new ContractFactory(easArtifact.abi, easArtifact.bytecode, deployer);
  const easAddress = await (await (await easFactory.deploy(registryAddress)).waitForDeployment()).getAddress();
  return {
    schemaRegistry: (runner) => new Contract(registryAddress, schemaRegistryArtifact.abi, runner),
    eas: (runner) => new Contract(easAddress, easArtifact.abi, runner),
  };
}

/** The schema UID that SchemaRegistry.register announced in `receipt`. */
export function registeredSchema(schemaRegistry: Contract, receipt: TransactionReceipt): string {
  for (const log of receipt.logs) {
    const parsed = schemaRegistry.interface.parseLog(log);
    if (parsed?.name === "Registered") return String(parsed.args.uid);
  }
  throw new Error("SchemaRegistry.register emitted no Registered event");
}

/** The UIDs of the attestations made in `receipt`, in order. */
export function attestedUids(eas: Contract, receipt: TransactionReceipt): string[] {
  const uids: string[] = [];
  for (const log of receipt.logs) {
    const parsed = eas.interface.parseLog(log);
    if (parsed?.name === "Attested") uids.push(String(parsed.args.uid));
  }
  return uids;
}

/** One credential's attestation request data; no recipient unless one is given. */
export function attestationOf(credentialHash: string, recipient: string = ZeroAddress) {
  return {
    recipient,
    expirationTime: 0n,
    revocable: true,
    refUID: ZeroHash,
    data: AbiCoder.defaultAbiCoder().encode(["bytes32"], [credentialHash]),
    value: 0n,
  };
}

/** An attestByDelegation request: `attester` signs the attestation of `credentialHash`, anyone relays it. */
export async function delegatedAttestation(
  eas: Contract,
  attester: Signer,
  schema: string,
  credentialHash: string,
  deadline: bigint,
) {
  const [, name, version, chainId, verifyingContract] = await eas.eip712Domain();
  const attesterAddress = await attester.getAddress();
  const data = attestationOf(credentialHash);
  const nonce = await eas.getNonce(attesterAddress);
  const signature = Signature.from(
    await attester.signTypedData({ name, version, chainId, verifyingContract }, ATTEST_TYPES, {
      attester: attesterAddress,
      schema,
      ...data,
      nonce,
      deadline,
    }),
  );
  return {
    schema,
    data,
    signature: { v: signature.v, r: signature.r, s: signature.s },
    attester: attesterAddress,
    deadline,
  };
}
