/**
 * The EIP-712 typed data of the registry's issuer actions by signature (`anchorBySig`, `revokeBySig` …):
 * the domain and the types a wallet signs, so that an issuer (or its multisig) can authorise an action
 * and anyone relay it. The type strings must match CredentialRegistry.sol's typehashes field for field.
 */
export const EIP712_DOMAIN_NAME = "CredentialRegistry";
export const EIP712_DOMAIN_VERSION = "1";

const bitsFields = [
  { name: "signer", type: "address" },
  { name: "root", type: "bytes32" },
  { name: "wordIndex", type: "uint256" },
  { name: "mask", type: "uint256" },
  { name: "reason", type: "uint8" },
  { name: "nonce", type: "uint256" },
  { name: "deadline", type: "uint256" },
] as const;

const operatorFields = [
  { name: "signer", type: "address" },
  { name: "operator", type: "address" },
  { name: "nonce", type: "uint256" },
  { name: "deadline", type: "uint256" },
] as const;

export const DELEGATION_TYPES = {
  Anchor: [
    { name: "signer", type: "address" },
    { name: "root", type: "bytes32" },
    { name: "count", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  Revoke: bitsFields,
  Suspend: bitsFields,
  Unsuspend: bitsFields,
  RevokeBatch: [
    { name: "signer", type: "address" },
    { name: "root", type: "bytes32" },
    { name: "reason", type: "uint8" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  AuthorizeOperator: operatorFields,
  RemoveOperator: operatorFields,
} as const;

export type DelegatedAction = keyof typeof DELEGATION_TYPES;

/** The EIP-712 domain of the registry at `registry` on chain `chainId`. */
export function registryDomain(chainId: bigint | number, registry: string) {
  return { name: EIP712_DOMAIN_NAME, version: EIP712_DOMAIN_VERSION, chainId, verifyingContract: registry };
}

/** The types to sign for one action, in the shape ethers' and viem's signTypedData take. */
export function delegationTypes(action: DelegatedAction) {
  return { [action]: DELEGATION_TYPES[action].map((field) => ({ ...field })) };
}
