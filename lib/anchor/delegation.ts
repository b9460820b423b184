/**
 * The EIP-712 typed data of the registry's issuer actions by signature (`anchorBySig`, `revokeBySig` …):
 * the domain and the types a wallet signs, so that an issuer's key (or its multisig) can authorise an
 * action and anyone relay it. Every message names the issuer id it acts for, so a signature cannot be
 * replayed onto another issuer. Nonces are keyed (OpenZeppelin NoncesKeyed: `key << 64 | sequence`), so a
 * relayer that withholds one signature blocks only the later ones of the same key.
 * The type strings must match CredentialRegistry.sol's typehashes field for field.
 */
export const EIP712_DOMAIN_NAME = "CredentialRegistry";
export const EIP712_DOMAIN_VERSION = "2";

const signerAndIssuer = [
  { name: "signer", type: "address" },
  { name: "issuerId", type: "bytes32" },
] as const;

const nonceAndDeadline = [
  { name: "nonce", type: "uint256" },
  { name: "deadline", type: "uint256" },
] as const;

const bitsFields = [
  ...signerAndIssuer,
  { name: "root", type: "bytes32" },
  { name: "wordIndex", type: "uint256" },
  { name: "mask", type: "uint256" },
  { name: "reason", type: "uint8" },
  ...nonceAndDeadline,
] as const;

const operatorFields = [...signerAndIssuer, { name: "operator", type: "address" }, ...nonceAndDeadline] as const;

export const DELEGATION_TYPES = {
  Anchor: [...signerAndIssuer, { name: "root", type: "bytes32" }, { name: "count", type: "uint256" }, ...nonceAndDeadline],
  Revoke: bitsFields,
  Suspend: bitsFields,
  Unsuspend: bitsFields,
  RevokeBatch: [...signerAndIssuer, { name: "root", type: "bytes32" }, { name: "reason", type: "uint8" }, ...nonceAndDeadline],
  AddOperator: operatorFields,
  RemoveOperator: operatorFields,
  TransferControl: [...signerAndIssuer, { name: "newController", type: "address" }, ...nonceAndDeadline],
  AcceptControl: [...signerAndIssuer, ...nonceAndDeadline],
  DeclareKeyCompromised: [...signerAndIssuer, { name: "key", type: "address" }, { name: "since", type: "uint40" }, ...nonceAndDeadline],
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

/** A keyed nonce: the `sequence`-th use of nonce key `key` (as `nonces(signer, key)` returns it). */
export function keyedNonce(key: bigint, sequence: bigint): bigint {
  if (key < 0n || key >= 1n << 192n) throw new RangeError("a nonce key is a uint192");
  if (sequence < 0n || sequence >= 1n << 64n) throw new RangeError("a nonce sequence is a uint64");
  return (key << 64n) | sequence;
}
