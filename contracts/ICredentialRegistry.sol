// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title ICredentialRegistry (2.x)
 * @notice The on-chain registry of micro-credentials. Issuers are identities, not addresses: an issuer is
 * `issuerId = keccak256(utf8(profileId))` (its DID or https URL), registered by an accreditor with a
 * controller key. The controller (cold: a Safe, another ERC-1271 wallet, a hardware key) does everything
 * for its issuer; operators (hot keys) anchor and suspend / unsuspend the batches they anchored themselves.
 * Keys rotate (`transferControl` + `acceptControl`, or `recoverControl` by the accreditor) without the
 * identity, its anchors or its badges changing; a key declared compromised since a time T turns the
 * anchors it made at or after T into revoked ones (reason key-compromise) while its earlier ones stay valid.
 *
 * Anchors are per issuer: the batch `root` of issuer X lives at (X, root), so nobody can squat another
 * issuer's root. A batch is a root over leaves `[index, credentialHash]` typed `["uint256","bytes32"]`
 * (OpenZeppelin's StandardMerkleTree). No personal data is stored.
 *
 * Revocation and suspension take bits in a compact form: a word index `w` and a 256-bit `mask`; bit `b`
 * stands for the credential at index `256 * w + b` of the batch. Revoking is permanent, suspending
 * reversible. After an issuer's withdrawal nothing of it changes except by the accreditor.
 *
 * Every state change is announced by an event that carries enough to rebuild the state from logs alone
 * (roles by OpenZeppelin's AccessControl events, signers' keyed nonces by {NonceUsed}). Every issuer
 * action also exists `…BySig` (EIP-712, domain "CredentialRegistry" / "2"; the message names the issuer
 * id; keyed nonces as in OpenZeppelin's NoncesKeyed, so a withheld signature blocks only its own key).
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

    /// @notice What a key is to the issuer it belongs to. A key belongs to one issuer for good: once bound it
    /// never serves another, so a compromise declared against it can always be found. `Retired`: a former
    /// controller or operator, or a key declared compromised; it can no longer act.
    enum KeyRole {
        None,
        Controller,
        Operator,
        Retired
    }

    /// @notice An issuer's record (one storage slot). `controller` is zero while the issuer has none (its
    /// controller was declared compromised and the accreditor has not recovered control yet).
    struct Issuer {
        address controller;
        IssuerStatus status;
        uint8 statusReason;
        uint40 statusSince;
        uint40 registeredAt;
    }

    /// @notice A key of an issuer. `addedAt` is when it first became a key of the issuer (its start: a
    /// compromise cannot be declared from before it); `compromisedSince` is 0 unless declared compromised.
    struct KeyState {
        KeyRole role;
        uint40 addedAt;
        uint40 compromisedSince;
    }

    /// @notice An anchored batch of issuer X (one storage slot); it never changes but for `batchRevoked`.
    /// `actingKey` is the controller or operator that anchored it (directly or by signature).
    struct Anchor {
        address actingKey;
        uint40 anchoredAt;
        uint40 count;
        bool batchRevoked;
    }

    /// @notice Everything a verifier needs to judge the credential at (`issuerId`, `root`, `index`), in one call.
    /// @dev A credential is revoked when `revoked`, `batchRevoked` or `keyCompromised` is true. `inRange` is false
    /// for an index at or beyond the batch's `count`: verifiers must reject such a credential. `keyCompromised`
    /// is true when the acting key was declared compromised since a time at or before `anchoredAt`.
    struct CredentialStatus {
        bool anchored;
        bool inRange;
        bool revoked;
        bool suspended;
        bool batchRevoked;
        bool keyCompromised;
        address actingKey;
        uint40 anchoredAt;
        uint40 count;
        uint40 keyCompromisedSince;
        IssuerStatus issuerStatus;
        uint8 issuerStatusReason;
        uint40 issuerStatusSince;
        address controller;
    }

    /// @notice The signer's authorisation of an issuer action relayed by someone else (EIP-712).
    /// @dev `nonce` is a keyed nonce (`key << 64 | sequence`) and must equal `nonces(signer, key)`; a signer
    /// that uses a fresh key per signature makes every signature independent. `signature` is checked with
    /// ERC-1271 when `signer` is a contract.
    struct Delegation {
        address signer;
        uint256 nonce;
        uint256 deadline;
        bytes signature;
    }

    // ---------------------------------------------------------------- events

    /// @notice `accreditor` registered the issuer `issuerId` = keccak256(`profileId`) with `controller`.
    event IssuerRegistered(
        bytes32 indexed issuerId,
        string profileId,
        address indexed controller,
        address indexed accreditor
    );

    /// @notice `accreditor` moved the issuer from `previousStatus` to `newStatus` (suspend, reinstate, withdraw)
    /// for `reason` (6, cessation of operation, tells verifiers that credentials anchored before a withdrawal
    /// stay trustworthy).
    event IssuerStatusChanged(
        bytes32 indexed issuerId,
        IssuerStatus previousStatus,
        IssuerStatus newStatus,
        uint8 reason,
        address indexed accreditor
    );

    /// @notice `controller` proposed `proposedController` as the issuer's next controller; zero: the pending
    /// proposal was cancelled.
    event ControlTransferProposed(
        bytes32 indexed issuerId,
        address indexed controller,
        address indexed proposedController
    );

    /// @notice The issuer's controller changed from `previousController` to `newController`: `actor` is the new
    /// controller (it accepted a transfer), the accreditor (it recovered control), or whoever declared the
    /// controller compromised (then `newController` is zero).
    event ControllerChanged(
        bytes32 indexed issuerId,
        address indexed previousController,
        address indexed newController,
        address actor
    );

    /// @notice `actor` (the controller) made `operator` an operator of the issuer.
    event OperatorAdded(bytes32 indexed issuerId, address indexed operator, address actor);

    /// @notice `operator` no longer acts for the issuer: `actor` removed it, or declared it compromised.
    event OperatorRemoved(bytes32 indexed issuerId, address indexed operator, address actor);

    /// @notice `actor` (the controller or the accreditor) declared `key` of the issuer compromised since
    /// `since` (a unix time): the anchors `key` made at or after `since` read revoked.
    event KeyCompromised(bytes32 indexed issuerId, address indexed key, uint256 since, address actor);

    /// @notice `signer`'s keyed nonce `keyNonce` was consumed: by a relayed `…BySig` action, or cancelled by
    /// {invalidateNonce}.
    event NonceUsed(address indexed signer, uint256 keyNonce);

    /// @notice `actingKey` anchored the batch `root` of `count` credentials for the issuer. The block's
    /// timestamp is the anchor's `anchoredAt`.
    event Anchored(bytes32 indexed issuerId, bytes32 indexed root, address actingKey, uint256 count);

    /// @notice `actor` revoked, for good, the credentials of batch (`issuerId`, `root`) whose bits are newly set
    /// in `mask` at word `wordIndex` (bits already revoked are left out).
    event CredentialsRevoked(
        bytes32 indexed issuerId,
        bytes32 indexed root,
        uint256 wordIndex,
        uint256 mask,
        uint8 reason,
        address actor
    );

    /// @notice `actor` suspended the credentials newly set in `mask` at word `wordIndex` of the batch.
    event CredentialsSuspended(
        bytes32 indexed issuerId,
        bytes32 indexed root,
        uint256 wordIndex,
        uint256 mask,
        uint8 reason,
        address actor
    );

    /// @notice `actor` lifted the suspension of the credentials set in `mask` at word `wordIndex` of the batch
    /// (only bits that were suspended).
    event CredentialsUnsuspended(
        bytes32 indexed issuerId,
        bytes32 indexed root,
        uint256 wordIndex,
        uint256 mask,
        uint8 reason,
        address actor
    );

    /// @notice `actor` revoked every credential of the batch, for good.
    event BatchRevoked(bytes32 indexed issuerId, bytes32 indexed root, uint8 reason, address actor);

    // ---------------------------------------------------------------- errors

    /// @notice An address argument was the zero address.
    error ZeroAddress();
    /// @notice A profile id was empty.
    error EmptyProfileId();
    /// @notice The issuer `issuerId` is already registered (in any status, withdrawn included).
    error IssuerAlreadyRegistered(bytes32 issuerId);
    /// @notice No issuer `issuerId` is registered.
    error UnknownIssuer(bytes32 issuerId);
    /// @notice The issuer cannot move from status `from` to `to`.
    error InvalidIssuerTransition(bytes32 issuerId, IssuerStatus from, IssuerStatus to);
    /// @notice The issuer must be active to anchor but is `status`.
    error IssuerNotActive(bytes32 issuerId, IssuerStatus status);
    /// @notice The issuer is withdrawn: nothing of it changes but by the accreditor.
    error IssuerWithdrawn(bytes32 issuerId);
    /// @notice `account` is not the issuer's controller.
    error NotController(bytes32 issuerId, address account);
    /// @notice `account` is neither the issuer's controller nor the accreditor.
    error NotControllerOrAccreditor(bytes32 issuerId, address account);
    /// @notice `account` is neither the issuer's controller nor one of its operators.
    error NotIssuerKey(bytes32 issuerId, address account);
    /// @notice `account` is not the controller, nor the operator `actingKey` that anchored `root`.
    error NotAnchoringKey(bytes32 issuerId, bytes32 root, address account, address actingKey);
    /// @notice `key` already belongs to the issuer `owner`; a key serves one issuer.
    error KeyOfAnotherIssuer(address key, bytes32 owner);
    /// @notice `key` is the issuer's controller (it cannot be made an operator, or proposed again).
    error KeyIsController(bytes32 issuerId, address key);
    /// @notice `key` is already an operator of the issuer.
    error AlreadyOperator(bytes32 issuerId, address key);
    /// @notice `key` is not an operator of the issuer.
    error NotOperator(bytes32 issuerId, address key);
    /// @notice `key` was declared compromised since `since`; it can never act for the issuer again.
    error KeyIsCompromised(bytes32 issuerId, address key, uint256 since);
    /// @notice `account` is not the issuer's proposed controller `proposed` (zero: none is proposed).
    error NotProposedController(bytes32 issuerId, address account, address proposed);
    /// @notice `key` has never been a key of the issuer.
    error UnknownKey(bytes32 issuerId, address key);
    /// @notice A compromise time `since` must lie within the key's life: from `earliest` (its start) to
    /// `latest` (now).
    error InvalidCompromiseTime(bytes32 issuerId, address key, uint256 since, uint256 earliest, uint256 latest);
    /// @notice `key` is already declared compromised since `since`, no later than the time given; a
    /// declaration can only move the cut-off earlier (a revoked credential never returns).
    error CompromiseAlreadyDeclared(bytes32 issuerId, address key, uint256 since);
    /// @notice A Merkle root of zero cannot be anchored.
    error ZeroRoot();
    /// @notice A batch must hold at least one credential.
    error ZeroCount();
    /// @notice A batch holds at most `max` credentials.
    error CountTooLarge(uint256 count, uint256 max);
    /// @notice The issuer already anchored `root`; anchors never change.
    error AlreadyAnchored(bytes32 issuerId, bytes32 root);
    /// @notice The issuer never anchored `root`.
    error UnknownAnchor(bytes32 issuerId, bytes32 root);
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
    /// @notice The whole batch is already revoked.
    error BatchAlreadyRevoked(bytes32 issuerId, bytes32 root);
    /// @notice The signed authorisation expired at `deadline`.
    error ExpiredSignature(uint256 deadline);
    /// @notice The signature is not `signer`'s for this action, contract, chain and nonce.
    error InvalidSignature(address signer);
    /// @notice A batch view's arrays must have the same length; one had `expected`, another `actual`.
    error InvalidArrayLength(uint256 expected, uint256 actual);

    // ---------------------------------------------------------------- accreditor actions

    /**
     * @notice Registers an active issuer with the public profile id `profileId` (a DID such as
     * `did:web:uni.example` or an https URL, in canonical form; credentials' `issuer.id` must equal it),
     * controlled by `controller`.
     * @dev Only ACCREDITOR_ROLE. Emits {IssuerRegistered}. Reverts with {EmptyProfileId}, {ZeroAddress},
     * {IssuerAlreadyRegistered} or {KeyOfAnotherIssuer}. The canonical form is checked by the commands:
     * the contract hashes the bytes it is given.
     * @return issuerId keccak256 of `profileId`.
     */
    function registerIssuer(string calldata profileId, address controller) external returns (bytes32 issuerId);

    /**
     * @notice Suspends an active issuer: it cannot anchor until reinstated; its keys can still revoke and suspend.
     * @dev Only ACCREDITOR_ROLE. Emits {IssuerStatusChanged}. Reverts with {UnknownIssuer} or
     * {InvalidIssuerTransition} unless the issuer is active.
     */
    function suspendIssuer(bytes32 issuerId, uint8 reason) external;

    /**
     * @notice Reinstates a suspended issuer.
     * @dev Only ACCREDITOR_ROLE. Emits {IssuerStatusChanged}. Reverts with {UnknownIssuer} or
     * {InvalidIssuerTransition} unless the issuer is suspended.
     */
    function reinstateIssuer(bytes32 issuerId, uint8 reason) external;

    /**
     * @notice Withdraws an issuer's accreditation for good: nothing of it changes afterwards but by the accreditor.
     * @dev Only ACCREDITOR_ROLE. Emits {IssuerStatusChanged}. Reverts with {UnknownIssuer} or
     * {InvalidIssuerTransition} when already withdrawn.
     */
    function withdrawIssuer(bytes32 issuerId, uint8 reason) external;

    /**
     * @notice Gives the issuer a new controller when its controller key is lost or stolen; a pending
     * transfer is cancelled and the old controller retired (declare it compromised to cut off its anchors).
     * @dev Only ACCREDITOR_ROLE. Emits {ControllerChanged}. Reverts with {UnknownIssuer}, {ZeroAddress},
     * {KeyIsController}, {KeyOfAnotherIssuer} or {KeyIsCompromised}.
     */
    function recoverControl(bytes32 issuerId, address newController) external;

    // ---------------------------------------------------------------- controller actions

    /**
     * @notice Proposes `newController` as the issuer's controller (step one of two); zero cancels a proposal.
     * @dev Only the controller, issuer not withdrawn. Emits {ControlTransferProposed}. Reverts with
     * {NotController}, {IssuerWithdrawn}, {UnknownIssuer}, {KeyIsController}, {KeyOfAnotherIssuer} or
     * {KeyIsCompromised}.
     */
    function transferControl(bytes32 issuerId, address newController) external;

    /**
     * @notice The proposed controller takes control (step two); the previous controller is retired.
     * @dev Only the proposed controller, issuer not withdrawn. Emits {ControllerChanged}. Reverts with
     * {NotProposedController}, {IssuerWithdrawn} or {UnknownIssuer}.
     */
    function acceptControl(bytes32 issuerId) external;

    /**
     * @notice Makes `operator` (a hot key) an operator of the issuer: it may anchor, and suspend / unsuspend
     * the batches it anchored.
     * @dev Only the controller, issuer not withdrawn. Emits {OperatorAdded}. Reverts with {NotController},
     * {IssuerWithdrawn}, {UnknownIssuer}, {ZeroAddress}, {KeyIsController}, {AlreadyOperator},
     * {KeyOfAnotherIssuer} or {KeyIsCompromised}.
     */
    function addOperator(bytes32 issuerId, address operator) external;

    /**
     * @notice Removes `operator`'s authority to act for the issuer; its anchors stay valid.
     * @dev Only the controller, issuer not withdrawn. Emits {OperatorRemoved}. Reverts with {NotController},
     * {IssuerWithdrawn}, {UnknownIssuer} or {NotOperator}.
     */
    function removeOperator(bytes32 issuerId, address operator) external;

    /**
     * @notice Declares `key` of the issuer compromised since `since` (unix time): its anchors made at or after
     * `since` read revoked (reason key-compromise), earlier ones stay valid; the key can no longer act (an
     * operator is removed; a controller leaves the issuer without one until the accreditor recovers control).
     * A later declaration may only move the cut-off earlier.
     * @dev The controller (issuer not withdrawn) or ACCREDITOR_ROLE (any status). Emits {KeyCompromised}, and
     * {OperatorRemoved} or {ControllerChanged} when the key could act. Reverts with {NotControllerOrAccreditor},
     * {IssuerWithdrawn}, {UnknownIssuer}, {UnknownKey}, {InvalidCompromiseTime} or {CompromiseAlreadyDeclared}.
     */
    function declareKeyCompromised(bytes32 issuerId, address key, uint40 since) external;

    /**
     * @notice Revokes, permanently, the credentials selected by `mask` at word `wordIndex` of batch `root`.
     * @dev Only the controller, issuer not withdrawn. Emits {CredentialsRevoked} with the newly revoked bits.
     * Reverts with {UnknownIssuer}, {IssuerWithdrawn}, {UnknownAnchor}, {NotController}, {EmptyMask},
     * {IndexOutOfRange} or {AlreadyRevoked} (when no selected bit is new).
     */
    function revoke(bytes32 issuerId, bytes32 root, uint256 wordIndex, uint256 mask, uint8 reason) external;

    /**
     * @notice Revokes every credential of batch `root`, permanently.
     * @dev Only the controller, issuer not withdrawn. Emits {BatchRevoked}. Reverts with {UnknownIssuer},
     * {IssuerWithdrawn}, {UnknownAnchor}, {NotController} or {BatchAlreadyRevoked}.
     */
    function revokeBatch(bytes32 issuerId, bytes32 root, uint8 reason) external;

    // ---------------------------------------------------------------- controller and operator actions

    /**
     * @notice Anchors the batch `root` of `count` credentials for the issuer.
     * @dev Only the controller or an operator, issuer active. Emits {Anchored}. Reverts with {ZeroRoot},
     * {ZeroCount}, {CountTooLarge}, {UnknownIssuer}, {IssuerNotActive}, {NotIssuerKey} or {AlreadyAnchored}.
     */
    function anchor(bytes32 issuerId, bytes32 root, uint256 count) external;

    /**
     * @notice Suspends (reversibly) the credentials selected by `mask` at word `wordIndex` of batch `root`.
     * @dev The controller, or the operator that anchored the batch; issuer not withdrawn. Emits
     * {CredentialsSuspended}. Reverts as {revoke} ({NotAnchoringKey} for another key), and with
     * {AlreadySuspended} when no selected bit is new.
     */
    function suspend(bytes32 issuerId, bytes32 root, uint256 wordIndex, uint256 mask, uint8 reason) external;

    /**
     * @notice Lifts the suspension of the credentials selected by `mask` at word `wordIndex` of batch `root`.
     * @dev As {suspend}; emits {CredentialsUnsuspended} with the bits that were suspended; reverts with
     * {NotSuspended} when none was.
     */
    function unsuspend(bytes32 issuerId, bytes32 root, uint256 wordIndex, uint256 mask, uint8 reason) external;

    /**
     * @notice Consumes the caller's current nonce of `key`, so a signed authorisation not yet relayed with it
     * can never be.
     * @dev Emits {NonceUsed}. Returns the keyed nonce cancelled.
     */
    function invalidateNonce(uint192 key) external returns (uint256 keyNonce);

    // ---------------------------------------------------------------- issuer actions by signature (EIP-712)

    /**
     * @notice {anchor}, authorised by `delegation.signer`'s EIP-712 signature of
     * `Anchor(address signer,bytes32 issuerId,bytes32 root,uint256 count,uint256 nonce,uint256 deadline)`;
     * anyone may relay.
     * @dev Reverts as {anchor}, and with {ExpiredSignature}, {InvalidAccountNonce} (a replayed or out-of-order
     * nonce of that key) or {InvalidSignature}. Emits {NonceUsed}.
     */
    function anchorBySig(bytes32 issuerId, bytes32 root, uint256 count, Delegation calldata delegation) external;

    /**
     * @notice {revoke} by signature of `Revoke(address signer,bytes32 issuerId,bytes32 root,uint256 wordIndex,
     * uint256 mask,uint8 reason,uint256 nonce,uint256 deadline)`.
     * @dev Reverts as {revoke} and {anchorBySig}.
     */
    function revokeBySig(
        bytes32 issuerId,
        bytes32 root,
        uint256 wordIndex,
        uint256 mask,
        uint8 reason,
        Delegation calldata delegation
    ) external;

    /// @notice {suspend} by signature of `Suspend(…)`, fields as `Revoke`. @dev Reverts as {suspend} and {anchorBySig}.
    function suspendBySig(
        bytes32 issuerId,
        bytes32 root,
        uint256 wordIndex,
        uint256 mask,
        uint8 reason,
        Delegation calldata delegation
    ) external;

    /// @notice {unsuspend} by signature of `Unsuspend(…)`, fields as `Revoke`. @dev Reverts as {unsuspend} and {anchorBySig}.
    function unsuspendBySig(
        bytes32 issuerId,
        bytes32 root,
        uint256 wordIndex,
        uint256 mask,
        uint8 reason,
        Delegation calldata delegation
    ) external;

    /**
     * @notice {revokeBatch} by signature of
     * `RevokeBatch(address signer,bytes32 issuerId,bytes32 root,uint8 reason,uint256 nonce,uint256 deadline)`.
     * @dev Reverts as {revokeBatch} and {anchorBySig}.
     */
    function revokeBatchBySig(bytes32 issuerId, bytes32 root, uint8 reason, Delegation calldata delegation) external;

    /**
     * @notice {addOperator} by signature of
     * `AddOperator(address signer,bytes32 issuerId,address operator,uint256 nonce,uint256 deadline)`.
     * @dev Reverts as {addOperator} and {anchorBySig}.
     */
    function addOperatorBySig(bytes32 issuerId, address operator, Delegation calldata delegation) external;

    /**
     * @notice {removeOperator} by signature of
     * `RemoveOperator(address signer,bytes32 issuerId,address operator,uint256 nonce,uint256 deadline)`.
     * @dev Reverts as {removeOperator} and {anchorBySig}.
     */
    function removeOperatorBySig(bytes32 issuerId, address operator, Delegation calldata delegation) external;

    /**
     * @notice {transferControl} by signature of
     * `TransferControl(address signer,bytes32 issuerId,address newController,uint256 nonce,uint256 deadline)`.
     * @dev Reverts as {transferControl} and {anchorBySig}.
     */
    function transferControlBySig(bytes32 issuerId, address newController, Delegation calldata delegation) external;

    /**
     * @notice {acceptControl} by the proposed controller's signature of
     * `AcceptControl(address signer,bytes32 issuerId,uint256 nonce,uint256 deadline)`.
     * @dev Reverts as {acceptControl} and {anchorBySig}.
     */
    function acceptControlBySig(bytes32 issuerId, Delegation calldata delegation) external;

    /**
     * @notice {declareKeyCompromised} by the controller's signature of
     * `DeclareKeyCompromised(address signer,bytes32 issuerId,address key,uint40 since,uint256 nonce,uint256 deadline)`.
     * @dev Reverts as {declareKeyCompromised} and {anchorBySig}; the accreditor acts directly.
     */
    function declareKeyCompromisedBySig(
        bytes32 issuerId,
        address key,
        uint40 since,
        Delegation calldata delegation
    ) external;

    // ---------------------------------------------------------------- views

    /// @notice The registry's version (semantic versioning).
    function version() external view returns (string memory);

    /// @notice The issuer id of `profileId`: keccak256 of its UTF-8 bytes.
    function issuerIdOf(string calldata profileId) external pure returns (bytes32);

    /// @notice The record of the issuer (status None when unknown).
    function getIssuer(bytes32 issuerId) external view returns (Issuer memory);

    /// @notice The controller proposed by the issuer's controller and not accepted yet, or zero.
    function proposedController(bytes32 issuerId) external view returns (address);

    /// @notice What `key` is to the issuer (role None when it never was one of its keys).
    function getKey(bytes32 issuerId, address key) external view returns (KeyState memory);

    /// @notice The issuer `key` belongs to, or zero.
    function issuerOfKey(address key) external view returns (bytes32);

    /// @notice The anchor of batch `root` of the issuer (acting key zero when never anchored).
    function getAnchor(bytes32 issuerId, bytes32 root) external view returns (Anchor memory);

    /// @notice The revocation bits of word `wordIndex` of the batch (bit b = index 256 * wordIndex + b).
    function revocationWord(bytes32 issuerId, bytes32 root, uint256 wordIndex) external view returns (uint256);

    /// @notice The suspension bits of word `wordIndex` of the batch.
    function suspensionWord(bytes32 issuerId, bytes32 root, uint256 wordIndex) external view returns (uint256);

    /// @notice Everything a verifier needs about the credential at `index` of batch (`issuerId`, `root`).
    function credentialStatus(
        bytes32 issuerId,
        bytes32 root,
        uint256 index
    ) external view returns (CredentialStatus memory);

    /// @notice Many issuers' records in one call (auditors, indexers).
    function getIssuers(bytes32[] calldata issuerIds) external view returns (Issuer[] memory);

    /// @notice Many keys in one call: key `keys[i]` of issuer `issuerIds[i]`.
    /// @dev Reverts with {InvalidArrayLength} unless both arrays have the same length.
    function getKeys(
        bytes32[] calldata issuerIds,
        address[] calldata keys
    ) external view returns (KeyState[] memory);

    /// @notice Many anchors in one call: batch `roots[i]` of issuer `issuerIds[i]`.
    /// @dev Reverts with {InvalidArrayLength} unless both arrays have the same length.
    function getAnchors(
        bytes32[] calldata issuerIds,
        bytes32[] calldata roots
    ) external view returns (Anchor[] memory);

    /// @notice The revocation and suspension bits of many words in one call: word `wordIndices[i]` of batch
    /// `roots[i]` of issuer `issuerIds[i]`.
    /// @dev Reverts with {InvalidArrayLength} unless the three arrays have the same length.
    function bitmapWords(
        bytes32[] calldata issuerIds,
        bytes32[] calldata roots,
        uint256[] calldata wordIndices
    ) external view returns (uint256[] memory revoked, uint256[] memory suspended);

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
