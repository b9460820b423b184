// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title ICredentialRegistry
 * @notice The on-chain registry of micro-credentials: accredited issuers anchor Merkle roots of credential
 * batches, and revoke or suspend single credentials (by their index in the batch) or whole batches.
 * No personal data is stored: a batch is a root over leaves `[index, credentialHash]`, typed
 * `["uint256","bytes32"]` as in OpenZeppelin's StandardMerkleTree.
 *
 * Every state change is announced by an event that carries enough to rebuild the state from logs alone
 * (roles by OpenZeppelin's AccessControl events, signers' nonces by {NonceUsed}).
 *
 * Revocation and suspension take bits in a compact form: a word index `w` and a 256-bit `mask`; bit `b`
 * of the mask stands for the credential at index `256 * w + b` of the batch. Revoking or suspending up to
 * 256 credentials of one batch thus costs one storage write.
 *
 * Reason codes (events only, never stored): 0 unspecified, 1 issued in error, 2 superseded,
 * 3 misconduct, 4 key compromise, 5 holder request, 6 cessation of operation, 7 under investigation;
 * 8-255 are for issuers' own use.
 */
interface ICredentialRegistry {
    /// @notice Lifecycle of an issuer: registered Active; Active <-> Suspended; either -> Withdrawn (final).
    enum IssuerStatus {
        None,
        Active,
        Suspended,
        Withdrawn
    }

    /// @notice An issuer's record. `profileIdHash` is keccak256 of the profile id (a DID or https URL);
    /// `statusReason` is the reason code the accreditor gave for the last status change (0 at registration).
    struct Issuer {
        IssuerStatus status;
        uint8 statusReason;
        uint40 registeredAt;
        uint40 statusSince;
        bytes32 profileIdHash;
    }

    /// @notice An anchored batch; it fits one storage slot and never changes but for `batchRevoked`.
    struct Anchor {
        address issuer;
        uint40 anchoredAt;
        uint40 count;
        bool batchRevoked;
    }

    /// @notice Everything a verifier needs to judge the credential at (`root`, `index`), in one call.
    /// @dev `inRange` is false for an index at or beyond the batch's `count`; such a credential cannot be
    /// revoked, so verifiers must reject it.
    struct CredentialStatus {
        bool anchored;
        bool inRange;
        bool revoked;
        bool suspended;
        bool batchRevoked;
        address issuer;
        uint40 anchoredAt;
        uint40 count;
        IssuerStatus issuerStatus;
        uint8 issuerStatusReason;
        uint40 issuerStatusSince;
        bytes32 issuerProfileIdHash;
    }

    /// @notice The signer's authorisation of an issuer action relayed by someone else (EIP-712).
    /// @dev `signer` is the issuer or, for root and anchor actions, one of its operators. `nonce` must equal
    /// `nonces(signer)`. `signature` is checked with ERC-1271 when `signer` is a contract.
    struct Delegation {
        address signer;
        uint256 nonce;
        uint256 deadline;
        bytes signature;
    }

    // ---------------------------------------------------------------- events

    /// @notice `accreditor` registered `issuer` with `profileId` (its hash also indexed).
    event IssuerRegistered(
        address indexed issuer,
        bytes32 indexed profileIdHash,
        string profileId,
        address indexed accreditor
    );

    /// @notice `accreditor` moved `issuer` from `previousStatus` to `newStatus` (suspend, reinstate, withdraw)
    /// for `reason` (codes as for credentials; 6, cessation of operation, tells verifiers that credentials
    /// anchored before a withdrawal stay trustworthy).
    event IssuerStatusChanged(
        address indexed issuer,
        IssuerStatus previousStatus,
        IssuerStatus newStatus,
        uint8 reason,
        address indexed accreditor
    );

    /// @notice `issuer` authorised `operator` to act for it.
    event OperatorAuthorized(address indexed issuer, address indexed operator);

    /// @notice `operator` no longer acts for `issuer`: the issuer removed it, it renounced, or an accreditor
    /// expelled it (the transaction's sender and function tell which).
    event OperatorRemoved(address indexed issuer, address indexed operator);

    /// @notice `signer`'s `nonce` was consumed: by a relayed `…BySig` action, or cancelled by {invalidateNonce}.
    event NonceUsed(address indexed signer, uint256 nonce);

    /// @notice `issuer` anchored the batch `root` of `count` credentials; `actor` is the issuer or its operator
    /// that acted (directly or by signature). The block's timestamp is the anchor's `anchoredAt`.
    event Anchored(bytes32 indexed root, address indexed issuer, address actor, uint256 count);

    /// @notice `actor` revoked, for good, the credentials of batch `root` whose bits are newly set in `mask`
    /// at word `wordIndex` (bits already revoked are left out).
    event CredentialsRevoked(bytes32 indexed root, address actor, uint256 wordIndex, uint256 mask, uint8 reason);

    /// @notice `actor` suspended the credentials newly set in `mask` at word `wordIndex` of batch `root`.
    event CredentialsSuspended(bytes32 indexed root, address actor, uint256 wordIndex, uint256 mask, uint8 reason);

    /// @notice `actor` lifted the suspension of the credentials set in `mask` at word `wordIndex` of batch `root`
    /// (only bits that were suspended).
    event CredentialsUnsuspended(bytes32 indexed root, address actor, uint256 wordIndex, uint256 mask, uint8 reason);

    /// @notice `actor` revoked every credential of batch `root`, for good.
    event BatchRevoked(bytes32 indexed root, address actor, uint8 reason);

    // ---------------------------------------------------------------- errors

    /// @notice An address argument was the zero address.
    error ZeroAddress();
    /// @notice A profile id was empty.
    error EmptyProfileId();
    /// @notice `issuer` is already registered (in any status, withdrawn included).
    error IssuerAlreadyRegistered(address issuer);
    /// @notice `profileIdHash` is already the profile of `issuer`; profile ids are unique.
    error ProfileIdTaken(bytes32 profileIdHash, address issuer);
    /// @notice `issuer` is not a registered issuer.
    error UnknownIssuer(address issuer);
    /// @notice `issuer` cannot move from status `from` to `to`.
    error InvalidIssuerTransition(address issuer, IssuerStatus from, IssuerStatus to);
    /// @notice `issuer` must be active for this action but is `status`.
    error IssuerNotActive(address issuer, IssuerStatus status);
    /// @notice `account` is neither a registered issuer nor an operator of one.
    error NotIssuerOrOperator(address account);
    /// @notice `account` is not a registered issuer (operators cannot manage operators).
    error NotIssuer(address account);
    /// @notice `account` is neither `issuer`, which anchored `root`, nor one of its operators.
    error NotIssuerOfRoot(address account, bytes32 root, address issuer);
    /// @notice `account` is a registered issuer, so it cannot be an operator.
    error AccountIsIssuer(address account);
    /// @notice `account` is already an operator of `issuer`.
    error AccountIsOperator(address account, address issuer);
    /// @notice `operator` is not an operator of `issuer`.
    error NotOperatorOf(address operator, address issuer);
    /// @notice `account` is not an operator of any issuer.
    error NotOperator(address account);
    /// @notice A Merkle root of zero cannot be anchored.
    error ZeroRoot();
    /// @notice A batch must hold at least one credential.
    error ZeroCount();
    /// @notice A batch holds at most `max` credentials.
    error CountTooLarge(uint256 count, uint256 max);
    /// @notice `root` was already anchored by `issuer`; anchors never change.
    error AlreadyAnchored(bytes32 root, address issuer);
    /// @notice `root` was never anchored.
    error UnknownRoot(bytes32 root);
    /// @notice A revocation or suspension mask selected no credential.
    error EmptyMask();
    /// @notice `mask` at `wordIndex` selects an index at or beyond the batch's `count`.
    error IndexOutOfRange(bytes32 root, uint256 wordIndex, uint256 mask, uint256 count);
    /// @notice Every credential selected by `mask` at `wordIndex` of `root` is already revoked.
    error AlreadyRevoked(bytes32 root, uint256 wordIndex, uint256 mask);
    /// @notice Every credential selected by `mask` at `wordIndex` of `root` is already suspended.
    error AlreadySuspended(bytes32 root, uint256 wordIndex, uint256 mask);
    /// @notice No credential selected by `mask` at `wordIndex` of `root` is suspended.
    error NotSuspended(bytes32 root, uint256 wordIndex, uint256 mask);
    /// @notice The whole batch `root` is already revoked.
    error BatchAlreadyRevoked(bytes32 root);
    /// @notice The signed authorisation expired at `deadline`.
    error ExpiredSignature(uint256 deadline);
    /// @notice The signature is not `signer`'s for this action, contract, chain and nonce.
    error InvalidSignature(address signer);
    /// @notice A batch view was given `roots` roots but `wordIndices` word indices; they go in pairs.
    error InvalidArrayLength(uint256 roots, uint256 wordIndices);

    // ---------------------------------------------------------------- accreditor actions

    /**
     * @notice Registers `issuer` as an active issuer with the public profile id `profileId`
     * (a DID such as `did:web:uni.example` or an https URL; credentials' `issuer.id` must equal it).
     * @dev Only ACCREDITOR_ROLE. Emits {IssuerRegistered}. Reverts with {ZeroAddress}, {EmptyProfileId},
     * {IssuerAlreadyRegistered}, {AccountIsOperator} or {ProfileIdTaken}.
     */
    function registerIssuer(address issuer, string calldata profileId) external;

    /**
     * @notice Suspends an active issuer: it cannot anchor until reinstated. Its credentials stay on chain.
     * @dev Only ACCREDITOR_ROLE. Emits {IssuerStatusChanged}. Reverts with {UnknownIssuer} or
     * {InvalidIssuerTransition} unless the issuer is active.
     */
    function suspendIssuer(address issuer, uint8 reason) external;

    /**
     * @notice Reinstates a suspended issuer.
     * @dev Only ACCREDITOR_ROLE. Emits {IssuerStatusChanged}. Reverts with {UnknownIssuer} or
     * {InvalidIssuerTransition} unless the issuer is suspended.
     */
    function reinstateIssuer(address issuer, uint8 reason) external;

    /**
     * @notice Withdraws an issuer's accreditation for good; it can never anchor again.
     * @dev Only ACCREDITOR_ROLE. Emits {IssuerStatusChanged}. Reverts with {UnknownIssuer} or
     * {InvalidIssuerTransition} when the issuer is already withdrawn.
     */
    function withdrawIssuer(address issuer, uint8 reason) external;

    /**
     * @notice Removes `operator` from the issuer it acts for: the containment of a compromised operator key
     * when the issuer cannot act (its own key lost, say).
     * @dev Only ACCREDITOR_ROLE. Emits {OperatorRemoved}. Reverts with {NotOperator}.
     */
    function expelOperator(address operator) external;

    // ---------------------------------------------------------------- issuer and operator actions

    /**
     * @notice Authorises `operator` (a hot wallet) to anchor, revoke and suspend for the calling issuer.
     * @dev Only an active issuer. Emits {OperatorAuthorized}. Reverts with {ZeroAddress}, {NotIssuer},
     * {IssuerNotActive}, {AccountIsIssuer} or {AccountIsOperator} (an operator serves one issuer).
     */
    function authorizeOperator(address operator) external;

    /**
     * @notice Removes `operator`'s authority to act for the calling issuer (in any issuer status).
     * @dev Only the issuer. Emits {OperatorRemoved}. Reverts with {NotIssuer} or {NotOperatorOf}.
     */
    function removeOperator(address operator) external;

    /**
     * @notice The calling operator stops acting for its issuer (so that an issuer cannot hold an address as
     * its operator against that address's will).
     * @dev Emits {OperatorRemoved}. Reverts with {NotOperator}.
     */
    function renounceOperator() external;

    /**
     * @notice Consumes the caller's current nonce, so a signed authorisation not yet relayed can never be.
     * @dev Emits {NonceUsed}. Returns the nonce cancelled.
     */
    function invalidateNonce() external returns (uint256);

    /**
     * @notice Anchors the batch `root` of `count` credentials for the caller's issuer.
     * @dev Only an active issuer or its operator. Emits {Anchored}. Reverts with {ZeroRoot}, {ZeroCount},
     * {CountTooLarge}, {NotIssuerOrOperator}, {IssuerNotActive} or {AlreadyAnchored}.
     */
    function anchor(bytes32 root, uint256 count) external;

    /**
     * @notice Revokes, permanently, the credentials selected by `mask` at word `wordIndex` of batch `root`.
     * @dev Only the anchoring issuer or its operator, in any issuer status. Emits {CredentialsRevoked} with
     * the newly revoked bits. Reverts with {UnknownRoot}, {NotIssuerOfRoot}, {EmptyMask}, {IndexOutOfRange}
     * or {AlreadyRevoked} (when no selected bit is new).
     */
    function revoke(bytes32 root, uint256 wordIndex, uint256 mask, uint8 reason) external;

    /**
     * @notice Suspends (reversibly) the credentials selected by `mask` at word `wordIndex` of batch `root`.
     * @dev As {revoke}; emits {CredentialsSuspended}; reverts with {AlreadySuspended} when no bit is new.
     */
    function suspend(bytes32 root, uint256 wordIndex, uint256 mask, uint8 reason) external;

    /**
     * @notice Lifts the suspension of the credentials selected by `mask` at word `wordIndex` of batch `root`.
     * @dev As {revoke}; emits {CredentialsUnsuspended} with the bits that were suspended; reverts with
     * {NotSuspended} when none was.
     */
    function unsuspend(bytes32 root, uint256 wordIndex, uint256 mask, uint8 reason) external;

    /**
     * @notice Revokes every credential of batch `root`, permanently.
     * @dev Only the anchoring issuer or its operator. Emits {BatchRevoked}. Reverts with {UnknownRoot},
     * {NotIssuerOfRoot} or {BatchAlreadyRevoked}.
     */
    function revokeBatch(bytes32 root, uint8 reason) external;

    // ---------------------------------------------------------------- issuer actions by signature (EIP-712)

    /**
     * @notice {anchor}, authorised by `delegation.signer`'s EIP-712 signature of
     * `Anchor(address signer,bytes32 root,uint256 count,uint256 nonce,uint256 deadline)`; anyone may relay.
     * @dev Reverts as {anchor}, and with {ExpiredSignature}, {InvalidAccountNonce} (a replayed or
     * out-of-order nonce) or {InvalidSignature}.
     */
    function anchorBySig(bytes32 root, uint256 count, Delegation calldata delegation) external;

    /**
     * @notice {revoke} by signature of `Revoke(address signer,bytes32 root,uint256 wordIndex,uint256 mask,
     * uint8 reason,uint256 nonce,uint256 deadline)`; anyone may relay.
     * @dev Reverts as {revoke} and {anchorBySig}.
     */
    function revokeBySig(
        bytes32 root,
        uint256 wordIndex,
        uint256 mask,
        uint8 reason,
        Delegation calldata delegation
    ) external;

    /**
     * @notice {suspend} by signature of `Suspend(…)`, fields as `Revoke`; anyone may relay.
     * @dev Reverts as {suspend} and {anchorBySig}.
     */
    function suspendBySig(
        bytes32 root,
        uint256 wordIndex,
        uint256 mask,
        uint8 reason,
        Delegation calldata delegation
    ) external;

    /**
     * @notice {unsuspend} by signature of `Unsuspend(…)`, fields as `Revoke`; anyone may relay.
     * @dev Reverts as {unsuspend} and {anchorBySig}.
     */
    function unsuspendBySig(
        bytes32 root,
        uint256 wordIndex,
        uint256 mask,
        uint8 reason,
        Delegation calldata delegation
    ) external;

    /**
     * @notice {revokeBatch} by signature of
     * `RevokeBatch(address signer,bytes32 root,uint8 reason,uint256 nonce,uint256 deadline)`; anyone may relay.
     * @dev Reverts as {revokeBatch} and {anchorBySig}.
     */
    function revokeBatchBySig(bytes32 root, uint8 reason, Delegation calldata delegation) external;

    /**
     * @notice {authorizeOperator} by the issuer's signature of
     * `AuthorizeOperator(address signer,address operator,uint256 nonce,uint256 deadline)`; anyone may relay.
     * @dev Reverts as {authorizeOperator} and {anchorBySig}.
     */
    function authorizeOperatorBySig(address operator, Delegation calldata delegation) external;

    /**
     * @notice {removeOperator} by the issuer's signature of
     * `RemoveOperator(address signer,address operator,uint256 nonce,uint256 deadline)`; anyone may relay.
     * @dev Reverts as {removeOperator} and {anchorBySig}.
     */
    function removeOperatorBySig(address operator, Delegation calldata delegation) external;

    // ---------------------------------------------------------------- views

    /// @notice The registry's version (semantic versioning).
    function version() external view returns (string memory);

    /// @notice The record of `issuer` (status None when unknown).
    function getIssuer(address issuer) external view returns (Issuer memory);

    /// @notice The issuer registered with the profile id whose keccak256 is `profileIdHash`, or zero.
    function issuerByProfileIdHash(bytes32 profileIdHash) external view returns (address);

    /// @notice The issuer `operator` acts for, or zero.
    function issuerOfOperator(address operator) external view returns (address);

    /// @notice The anchor of batch `root` (issuer zero when never anchored).
    function getAnchor(bytes32 root) external view returns (Anchor memory);

    /// @notice The revocation bits of word `wordIndex` of batch `root` (bit b = index 256 * wordIndex + b).
    function revocationWord(bytes32 root, uint256 wordIndex) external view returns (uint256);

    /// @notice The suspension bits of word `wordIndex` of batch `root`.
    function suspensionWord(bytes32 root, uint256 wordIndex) external view returns (uint256);

    /// @notice The anchors of many batches in one call, as {getAnchor} gives each (for auditors and indexers).
    function getAnchors(bytes32[] calldata roots) external view returns (Anchor[] memory);

    /// @notice The revocation and suspension bits of many words in one call: word `wordIndices[i]` of batch
    /// `roots[i]`, as {revocationWord} and {suspensionWord} give each.
    /// @dev Reverts with {InvalidArrayLength} unless both arrays have the same length.
    function bitmapWords(
        bytes32[] calldata roots,
        uint256[] calldata wordIndices
    ) external view returns (uint256[] memory revoked, uint256[] memory suspended);

    /// @notice Everything a verifier needs about the credential at `index` of batch `root`, in one call.
    /// @dev `revoked` and `suspended` are the credential's own bits; a credential is revoked when `revoked`
    /// or `batchRevoked` is true. Verifiers must also require `inRange`.
    function credentialStatus(bytes32 root, uint256 index) external view returns (CredentialStatus memory);

    /**
     * @notice Whether `proof` shows the leaf `[index, credentialHash]` is in the tree of `root`.
     * @dev The leaf is `keccak256(bytes.concat(keccak256(abi.encode(index, credentialHash))))`, as in
     * OpenZeppelin's StandardMerkleTree with types ["uint256","bytes32"]. Does not read the chain.
     */
    function verifyLeaf(
        bytes32 root,
        uint256 index,
        bytes32 credentialHash,
        bytes32[] calldata proof
    ) external pure returns (bool);
}
