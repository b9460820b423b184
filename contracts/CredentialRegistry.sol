// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Multicall} from "@openzeppelin/contracts/utils/Multicall.sol";
import {NoncesKeyed} from "@openzeppelin/contracts/utils/NoncesKeyed.sol";

import {ICredentialRegistry} from "./ICredentialRegistry.sol";

/**
 * @title CredentialRegistry 2.0.0
 * @notice Anchors batches of micro-credentials (Open Badges 3.0) by Merkle root per issuer identity, with
 * per-credential revocation and suspension bitmaps, controller and operator keys, key rotation and recovery,
 * compromise cut-offs, EIP-712 delegation (ERC-1271 signers such as a Safe included) and Multicall.
 * Non-upgradeable: trust comes from immutability.
 *
 * Every external entry point (direct, by signature, inside a multicall) establishes the acting account and
 * delegates to the same internal function, so each action has exactly one implementation and one set of
 * checks.
 */
contract CredentialRegistry is ICredentialRegistry, AccessControl, EIP712, NoncesKeyed, Multicall {
    /// @notice The role that registers, suspends, reinstates and withdraws issuers, recovers their control
    /// and declares their keys compromised.
    bytes32 public constant ACCREDITOR_ROLE = keccak256("ACCREDITOR_ROLE");

    bytes32 private constant ANCHOR_TYPEHASH =
        keccak256("Anchor(address signer,bytes32 issuerId,bytes32 root,uint256 count,uint256 nonce,uint256 deadline)");
    bytes32 private constant REVOKE_TYPEHASH =
        keccak256(
            "Revoke(address signer,bytes32 issuerId,bytes32 root,uint256 wordIndex,uint256 mask,uint8 reason,uint256 nonce,uint256 deadline)"
        );
    bytes32 private constant SUSPEND_TYPEHASH =
        keccak256(
            "Suspend(address signer,bytes32 issuerId,bytes32 root,uint256 wordIndex,uint256 mask,uint8 reason,uint256 nonce,uint256 deadline)"
        );
    bytes32 private constant UNSUSPEND_TYPEHASH =
        keccak256(
            "Unsuspend(address signer,bytes32 issuerId,bytes32 root,uint256 wordIndex,uint256 mask,uint8 reason,uint256 nonce,uint256 deadline)"
        );
    bytes32 private constant REVOKE_BATCH_TYPEHASH =
        keccak256(
            "RevokeBatch(address signer,bytes32 issuerId,bytes32 root,uint8 reason,uint256 nonce,uint256 deadline)"
        );
    bytes32 private constant ADD_OPERATOR_TYPEHASH =
        keccak256("AddOperator(address signer,bytes32 issuerId,address operator,uint256 nonce,uint256 deadline)");
    bytes32 private constant REMOVE_OPERATOR_TYPEHASH =
        keccak256("RemoveOperator(address signer,bytes32 issuerId,address operator,uint256 nonce,uint256 deadline)");
    bytes32 private constant TRANSFER_CONTROL_TYPEHASH =
        keccak256(
            "TransferControl(address signer,bytes32 issuerId,address newController,uint256 nonce,uint256 deadline)"
        );
    bytes32 private constant ACCEPT_CONTROL_TYPEHASH =
        keccak256("AcceptControl(address signer,bytes32 issuerId,uint256 nonce,uint256 deadline)");
    bytes32 private constant DECLARE_KEY_COMPROMISED_TYPEHASH =
        keccak256(
            "DeclareKeyCompromised(address signer,bytes32 issuerId,address key,uint40 since,uint256 nonce,uint256 deadline)"
        );

    mapping(bytes32 issuerId => Issuer) private _issuers;
    mapping(bytes32 issuerId => address) private _proposedControllers;
    mapping(bytes32 issuerId => mapping(address key => KeyState)) private _keys;
    mapping(address key => bytes32 issuerId) private _issuerOfKey;
    mapping(bytes32 issuerId => mapping(bytes32 root => Anchor)) private _anchors;
    mapping(bytes32 issuerId => mapping(bytes32 root => mapping(uint256 wordIndex => uint256 bits))) private _revoked;
    mapping(bytes32 issuerId => mapping(bytes32 root => mapping(uint256 wordIndex => uint256 bits)))
        private _suspended;

    /**
     * @param admin receives DEFAULT_ADMIN_ROLE (grants and revokes roles).
     * @param accreditor receives ACCREDITOR_ROLE.
     */
    constructor(address admin, address accreditor) EIP712("CredentialRegistry", "2") {
        if (admin == address(0) || accreditor == address(0)) revert ZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(ACCREDITOR_ROLE, accreditor);
    }

    // ---------------------------------------------------------------- accreditor actions

    /// @inheritdoc ICredentialRegistry
    function registerIssuer(
        string calldata profileId,
        address controller
    ) external onlyRole(ACCREDITOR_ROLE) returns (bytes32 issuerId) {
        if (bytes(profileId).length == 0) revert EmptyProfileId();
        if (controller == address(0)) revert ZeroAddress();
        issuerId = keccak256(bytes(profileId));
        if (_issuers[issuerId].status != IssuerStatus.None) revert IssuerAlreadyRegistered(issuerId);
        _bindKey(issuerId, controller, KeyRole.Controller);

        uint40 now_ = uint40(block.timestamp);
        _issuers[issuerId] = Issuer(controller, IssuerStatus.Active, 0, now_, now_);
        emit IssuerRegistered(issuerId, profileId, controller, _msgSender());
    }

    /// @inheritdoc ICredentialRegistry
    function suspendIssuer(bytes32 issuerId, uint8 reason) external onlyRole(ACCREDITOR_ROLE) {
        _changeIssuerStatus(issuerId, IssuerStatus.Suspended, reason);
    }

    /// @inheritdoc ICredentialRegistry
    function reinstateIssuer(bytes32 issuerId, uint8 reason) external onlyRole(ACCREDITOR_ROLE) {
        _changeIssuerStatus(issuerId, IssuerStatus.Active, reason);
    }

    /// @inheritdoc ICredentialRegistry
    function withdrawIssuer(bytes32 issuerId, uint8 reason) external onlyRole(ACCREDITOR_ROLE) {
        _changeIssuerStatus(issuerId, IssuerStatus.Withdrawn, reason);
    }

    /// @inheritdoc ICredentialRegistry
    function recoverControl(bytes32 issuerId, address newController) external onlyRole(ACCREDITOR_ROLE) {
        Issuer storage issuer = _issuers[issuerId];
        if (issuer.status == IssuerStatus.None) revert UnknownIssuer(issuerId);
        _setController(issuerId, issuer, newController, _msgSender());
    }

    // ---------------------------------------------------------------- controller and operator actions

    /// @inheritdoc ICredentialRegistry
    function transferControl(bytes32 issuerId, address newController) external {
        _transferControl(_msgSender(), issuerId, newController);
    }

    /// @inheritdoc ICredentialRegistry
    function acceptControl(bytes32 issuerId) external {
        _acceptControl(_msgSender(), issuerId);
    }

    /// @inheritdoc ICredentialRegistry
    function addOperator(bytes32 issuerId, address operator) external {
        _addOperator(_msgSender(), issuerId, operator);
    }

    /// @inheritdoc ICredentialRegistry
    function removeOperator(bytes32 issuerId, address operator) external {
        _removeOperator(_msgSender(), issuerId, operator);
    }

    /// @inheritdoc ICredentialRegistry
    function declareKeyCompromised(bytes32 issuerId, address key, uint40 since) external {
        _declareKeyCompromised(_msgSender(), issuerId, key, since);
    }

    /// @inheritdoc ICredentialRegistry
    function anchor(bytes32 issuerId, bytes32 root, uint256 count) external {
        _anchor(_msgSender(), issuerId, root, count);
    }

    /// @inheritdoc ICredentialRegistry
    function revoke(bytes32 issuerId, bytes32 root, uint256 wordIndex, uint256 mask, uint8 reason) external {
        _revoke(_msgSender(), issuerId, root, wordIndex, mask, reason);
    }

    /// @inheritdoc ICredentialRegistry
    function suspend(bytes32 issuerId, bytes32 root, uint256 wordIndex, uint256 mask, uint8 reason) external {
        _suspend(_msgSender(), issuerId, root, wordIndex, mask, reason);
    }

    /// @inheritdoc ICredentialRegistry
    function unsuspend(bytes32 issuerId, bytes32 root, uint256 wordIndex, uint256 mask, uint8 reason) external {
        _unsuspend(_msgSender(), issuerId, root, wordIndex, mask, reason);
    }

    /// @inheritdoc ICredentialRegistry
    function revokeBatch(bytes32 issuerId, bytes32 root, uint8 reason) external {
        _revokeBatch(_msgSender(), issuerId, root, reason);
    }

    /// @inheritdoc ICredentialRegistry
    function invalidateNonce(uint192 key) external returns (uint256 keyNonce) {
        address signer = _msgSender();
        keyNonce = _useNonce(signer, key);
        emit NonceUsed(signer, keyNonce);
    }

    // ---------------------------------------------------------------- issuer actions by signature

    /// @inheritdoc ICredentialRegistry
    function anchorBySig(bytes32 issuerId, bytes32 root, uint256 count, Delegation calldata delegation) external {
        _useDelegation(abi.encode(ANCHOR_TYPEHASH, delegation.signer, issuerId, root, count), delegation);
        _anchor(delegation.signer, issuerId, root, count);
    }

    /// @inheritdoc ICredentialRegistry
    function revokeBySig(
        bytes32 issuerId,
        bytes32 root,
        uint256 wordIndex,
        uint256 mask,
        uint8 reason,
        Delegation calldata delegation
    ) external {
        _useDelegation(
            abi.encode(REVOKE_TYPEHASH, delegation.signer, issuerId, root, wordIndex, mask, reason),
            delegation
        );
        _revoke(delegation.signer, issuerId, root, wordIndex, mask, reason);
    }

    /// @inheritdoc ICredentialRegistry
    function suspendBySig(
        bytes32 issuerId,
        bytes32 root,
        uint256 wordIndex,
        uint256 mask,
        uint8 reason,
        Delegation calldata delegation
    ) external {
        _useDelegation(
            abi.encode(SUSPEND_TYPEHASH, delegation.signer, issuerId, root, wordIndex, mask, reason),
            delegation
        );
        _suspend(delegation.signer, issuerId, root, wordIndex, mask, reason);
    }

    /// @inheritdoc ICredentialRegistry
    function unsuspendBySig(
        bytes32 issuerId,
        bytes32 root,
        uint256 wordIndex,
        uint256 mask,
        uint8 reason,
        Delegation calldata delegation
    ) external {
        _useDelegation(
            abi.encode(UNSUSPEND_TYPEHASH, delegation.signer, issuerId, root, wordIndex, mask, reason),
            delegation
        );
        _unsuspend(delegation.signer, issuerId, root, wordIndex, mask, reason);
    }

    /// @inheritdoc ICredentialRegistry
    function revokeBatchBySig(
        bytes32 issuerId,
        bytes32 root,
        uint8 reason,
        Delegation calldata delegation
    ) external {
        _useDelegation(abi.encode(REVOKE_BATCH_TYPEHASH, delegation.signer, issuerId, root, reason), delegation);
        _revokeBatch(delegation.signer, issuerId, root, reason);
    }

    /// @inheritdoc ICredentialRegistry
    function addOperatorBySig(bytes32 issuerId, address operator, Delegation calldata delegation) external {
        _useDelegation(abi.encode(ADD_OPERATOR_TYPEHASH, delegation.signer, issuerId, operator), delegation);
        _addOperator(delegation.signer, issuerId, operator);
    }

    /// @inheritdoc ICredentialRegistry
    function removeOperatorBySig(bytes32 issuerId, address operator, Delegation calldata delegation) external {
        _useDelegation(abi.encode(REMOVE_OPERATOR_TYPEHASH, delegation.signer, issuerId, operator), delegation);
        _removeOperator(delegation.signer, issuerId, operator);
    }

    /// @inheritdoc ICredentialRegistry
    function transferControlBySig(
        bytes32 issuerId,
        address newController,
        Delegation calldata delegation
    ) external {
        _useDelegation(
            abi.encode(TRANSFER_CONTROL_TYPEHASH, delegation.signer, issuerId, newController),
            delegation
        );
        _transferControl(delegation.signer, issuerId, newController);
    }

    /// @inheritdoc ICredentialRegistry
    function acceptControlBySig(bytes32 issuerId, Delegation calldata delegation) external {
        _useDelegation(abi.encode(ACCEPT_CONTROL_TYPEHASH, delegation.signer, issuerId), delegation);
        _acceptControl(delegation.signer, issuerId);
    }

    /// @inheritdoc ICredentialRegistry
    function declareKeyCompromisedBySig(
        bytes32 issuerId,
        address key,
        uint40 since,
        Delegation calldata delegation
    ) external {
        _useDelegation(
            abi.encode(DECLARE_KEY_COMPROMISED_TYPEHASH, delegation.signer, issuerId, key, since),
            delegation
        );
        _requireController(delegation.signer, issuerId);
        _markCompromised(delegation.signer, issuerId, key, since);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc ICredentialRegistry
    function version() external pure returns (string memory) {
        return "2.0.0";
    }

    /// @inheritdoc ICredentialRegistry
    function issuerIdOf(string calldata profileId) external pure returns (bytes32) {
        return keccak256(bytes(profileId));
    }

    /// @inheritdoc ICredentialRegistry
    function getIssuer(bytes32 issuerId) external view returns (Issuer memory) {
        return _issuers[issuerId];
    }

    /// @inheritdoc ICredentialRegistry
    function proposedController(bytes32 issuerId) external view returns (address) {
        return _proposedControllers[issuerId];
    }

    /// @inheritdoc ICredentialRegistry
    function getKey(bytes32 issuerId, address key) external view returns (KeyState memory) {
        return _keys[issuerId][key];
    }

    /// @inheritdoc ICredentialRegistry
    function issuerOfKey(address key) external view returns (bytes32) {
        return _issuerOfKey[key];
    }

    /// @inheritdoc ICredentialRegistry
    function getAnchor(bytes32 issuerId, bytes32 root) external view returns (Anchor memory) {
        return _anchors[issuerId][root];
    }

    /// @inheritdoc ICredentialRegistry
    function revocationWord(bytes32 issuerId, bytes32 root, uint256 wordIndex) external view returns (uint256) {
        return _revoked[issuerId][root][wordIndex];
    }

    /// @inheritdoc ICredentialRegistry
    function suspensionWord(bytes32 issuerId, bytes32 root, uint256 wordIndex) external view returns (uint256) {
        return _suspended[issuerId][root][wordIndex];
    }

    /// @inheritdoc ICredentialRegistry
    function credentialStatus(
        bytes32 issuerId,
        bytes32 root,
        uint256 index
    ) external view returns (CredentialStatus memory status) {
        Issuer memory issuer = _issuers[issuerId];
        status.issuerStatus = issuer.status;
        status.issuerStatusReason = issuer.statusReason;
        status.issuerStatusSince = issuer.statusSince;
        status.controller = issuer.controller;

        Anchor memory batch = _anchors[issuerId][root];
        if (batch.actingKey == address(0)) return status;
        uint40 compromisedSince = _keys[issuerId][batch.actingKey].compromisedSince;
        uint256 wordIndex = index >> 8;
        uint256 bit = 1 << (index & 0xff);
        status.anchored = true;
        status.inRange = index < batch.count;
        status.revoked = _revoked[issuerId][root][wordIndex] & bit != 0;
        status.suspended = _suspended[issuerId][root][wordIndex] & bit != 0;
        status.batchRevoked = batch.batchRevoked;
        status.keyCompromised = compromisedSince != 0 && batch.anchoredAt >= compromisedSince;
        status.actingKey = batch.actingKey;
        status.anchoredAt = batch.anchoredAt;
        status.count = batch.count;
        status.keyCompromisedSince = compromisedSince;
    }

    /// @inheritdoc ICredentialRegistry
    function getIssuers(bytes32[] calldata issuerIds) external view returns (Issuer[] memory issuers) {
        issuers = new Issuer[](issuerIds.length);
        for (uint256 i; i < issuerIds.length; ++i) issuers[i] = _issuers[issuerIds[i]];
    }

    /// @inheritdoc ICredentialRegistry
    function getKeys(
        bytes32[] calldata issuerIds,
        address[] calldata keys
    ) external view returns (KeyState[] memory states) {
        _checkLengths(issuerIds.length, keys.length);
        states = new KeyState[](keys.length);
        for (uint256 i; i < keys.length; ++i) states[i] = _keys[issuerIds[i]][keys[i]];
    }

    /// @inheritdoc ICredentialRegistry
    function getAnchors(
        bytes32[] calldata issuerIds,
        bytes32[] calldata roots
    ) external view returns (Anchor[] memory anchors) {
        _checkLengths(issuerIds.length, roots.length);
        anchors = new Anchor[](roots.length);
        for (uint256 i; i < roots.length; ++i) anchors[i] = _anchors[issuerIds[i]][roots[i]];
    }

    /// @inheritdoc ICredentialRegistry
    function bitmapWords(
        bytes32[] calldata issuerIds,
        bytes32[] calldata roots,
        uint256[] calldata wordIndices
    ) external view returns (uint256[] memory revoked, uint256[] memory suspended) {
        _checkLengths(issuerIds.length, roots.length);
        _checkLengths(issuerIds.length, wordIndices.length);
        revoked = new uint256[](roots.length);
        suspended = new uint256[](roots.length);
        for (uint256 i; i < roots.length; ++i) {
            revoked[i] = _revoked[issuerIds[i]][roots[i]][wordIndices[i]];
            suspended[i] = _suspended[issuerIds[i]][roots[i]][wordIndices[i]];
        }
    }

    /// @inheritdoc ICredentialRegistry
    function verifyLeaf(
        bytes32 root,
        uint256 index,
        bytes32 credentialHash,
        bytes32[] calldata proof
    ) external pure returns (bool) {
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(index, credentialHash))));
        return MerkleProof.verifyCalldata(proof, root, leaf);
    }

    /**
     * @notice The EIP-712 domain separator (name "CredentialRegistry", version "2", this chain, this contract).
     * @dev Also available field by field through ERC-5267 {eip712Domain}.
     */
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    // ---------------------------------------------------------------- internal: the one implementation of each action

    function _changeIssuerStatus(bytes32 issuerId, IssuerStatus to, uint8 reason) internal {
        Issuer storage record = _issuers[issuerId];
        IssuerStatus from = record.status;
        if (from == IssuerStatus.None) revert UnknownIssuer(issuerId);
        bool allowed = (to == IssuerStatus.Suspended && from == IssuerStatus.Active) ||
            (to == IssuerStatus.Active && from == IssuerStatus.Suspended) ||
            (to == IssuerStatus.Withdrawn && from != IssuerStatus.Withdrawn);
        if (!allowed) revert InvalidIssuerTransition(issuerId, from, to);
        record.status = to;
        record.statusReason = reason;
        record.statusSince = uint40(block.timestamp);
        emit IssuerStatusChanged(issuerId, from, to, reason, _msgSender());
    }

    function _transferControl(address actor, bytes32 issuerId, address newController) internal {
        Issuer storage issuer = _requireController(actor, issuerId);
        if (newController != address(0)) _checkBindable(issuerId, issuer, newController);
        _proposedControllers[issuerId] = newController;
        emit ControlTransferProposed(issuerId, actor, newController);
    }

    function _acceptControl(address actor, bytes32 issuerId) internal {
        Issuer storage issuer = _requireKeysMayChange(issuerId);
        address proposed = _proposedControllers[issuerId];
        if (proposed == address(0) || actor != proposed) revert NotProposedController(issuerId, actor, proposed);
        _setController(issuerId, issuer, actor, actor);
    }

    function _addOperator(address actor, bytes32 issuerId, address operator) internal {
        Issuer storage issuer = _requireController(actor, issuerId);
        if (operator == address(0)) revert ZeroAddress();
        if (_keys[issuerId][operator].role == KeyRole.Operator) revert AlreadyOperator(issuerId, operator);
        _checkBindable(issuerId, issuer, operator);
        _bindKey(issuerId, operator, KeyRole.Operator);
        emit OperatorAdded(issuerId, operator, actor);
    }

    function _removeOperator(address actor, bytes32 issuerId, address operator) internal {
        _requireController(actor, issuerId);
        KeyState storage key = _keys[issuerId][operator];
        if (key.role != KeyRole.Operator) revert NotOperator(issuerId, operator);
        key.role = KeyRole.Retired;
        emit OperatorRemoved(issuerId, operator, actor);
    }

    function _declareKeyCompromised(address actor, bytes32 issuerId, address key, uint40 since) internal {
        if (hasRole(ACCREDITOR_ROLE, actor)) {
            if (_issuers[issuerId].status == IssuerStatus.None) revert UnknownIssuer(issuerId);
        } else {
            Issuer storage issuer = _requireKeysMayChange(issuerId);
            if (actor != issuer.controller) revert NotControllerOrAccreditor(issuerId, actor);
        }
        _markCompromised(actor, issuerId, key, since);
    }

    function _anchor(address actor, bytes32 issuerId, bytes32 root, uint256 count) internal {
        if (root == bytes32(0)) revert ZeroRoot();
        if (count == 0) revert ZeroCount();
        if (count > type(uint40).max) revert CountTooLarge(count, type(uint40).max);

        Issuer storage issuer = _issuers[issuerId];
        (IssuerStatus status, address controller) = (issuer.status, issuer.controller);
        if (status != IssuerStatus.Active) {
            if (status == IssuerStatus.None) revert UnknownIssuer(issuerId);
            revert IssuerNotActive(issuerId, status);
        }
        if (actor != controller && _keys[issuerId][actor].role != KeyRole.Operator) {
            revert NotIssuerKey(issuerId, actor);
        }
        mapping(bytes32 => Anchor) storage anchors = _anchors[issuerId];
        if (anchors[root].actingKey != address(0)) revert AlreadyAnchored(issuerId, root);
        anchors[root] = Anchor(actor, uint40(block.timestamp), uint40(count), false);
        emit Anchored(issuerId, root, actor, count);
    }

    function _revoke(
        address actor,
        bytes32 issuerId,
        bytes32 root,
        uint256 wordIndex,
        uint256 mask,
        uint8 reason
    ) internal {
        _checkBits(actor, issuerId, root, wordIndex, mask, true);
        mapping(uint256 => uint256) storage words = _revoked[issuerId][root];
        uint256 current = words[wordIndex];
        uint256 added = mask & ~current;
        if (added == 0) revert AlreadyRevoked(root, wordIndex, mask);
        words[wordIndex] = current | added;
        emit CredentialsRevoked(issuerId, root, wordIndex, added, reason, actor);
    }

    function _suspend(
        address actor,
        bytes32 issuerId,
        bytes32 root,
        uint256 wordIndex,
        uint256 mask,
        uint8 reason
    ) internal {
        _checkBits(actor, issuerId, root, wordIndex, mask, false);
        mapping(uint256 => uint256) storage words = _suspended[issuerId][root];
        uint256 current = words[wordIndex];
        uint256 added = mask & ~current;
        if (added == 0) revert AlreadySuspended(root, wordIndex, mask);
        words[wordIndex] = current | added;
        emit CredentialsSuspended(issuerId, root, wordIndex, added, reason, actor);
    }

    function _unsuspend(
        address actor,
        bytes32 issuerId,
        bytes32 root,
        uint256 wordIndex,
        uint256 mask,
        uint8 reason
    ) internal {
        _checkBits(actor, issuerId, root, wordIndex, mask, false);
        mapping(uint256 => uint256) storage words = _suspended[issuerId][root];
        uint256 current = words[wordIndex];
        uint256 lifted = mask & current;
        if (lifted == 0) revert NotSuspended(root, wordIndex, mask);
        words[wordIndex] = current & ~lifted;
        emit CredentialsUnsuspended(issuerId, root, wordIndex, lifted, reason, actor);
    }

    function _revokeBatch(address actor, bytes32 issuerId, bytes32 root, uint8 reason) internal {
        Issuer storage issuer = _requireKeysMayChange(issuerId);
        Anchor storage batch = _anchors[issuerId][root];
        if (batch.actingKey == address(0)) revert UnknownAnchor(issuerId, root);
        if (actor != issuer.controller) revert NotController(issuerId, actor);
        if (batch.batchRevoked) revert BatchAlreadyRevoked(issuerId, root);
        batch.batchRevoked = true;
        emit BatchRevoked(issuerId, root, reason, actor);
    }

    // ---------------------------------------------------------------- private helpers

    /// @dev The issuer, which must exist and not be withdrawn (a withdrawn issuer is frozen).
    function _requireKeysMayChange(bytes32 issuerId) private view returns (Issuer storage issuer) {
        issuer = _issuers[issuerId];
        IssuerStatus status = issuer.status;
        if (status == IssuerStatus.None) revert UnknownIssuer(issuerId);
        if (status == IssuerStatus.Withdrawn) revert IssuerWithdrawn(issuerId);
    }

    function _requireController(address actor, bytes32 issuerId) private view returns (Issuer storage issuer) {
        issuer = _requireKeysMayChange(issuerId);
        if (actor != issuer.controller) revert NotController(issuerId, actor);
    }

    /// @dev Reverts unless `key` may become a controller or operator of `issuerId`: not its controller, not
    /// another issuer's key, not declared compromised.
    function _checkBindable(bytes32 issuerId, Issuer storage issuer, address key) private view {
        if (key == issuer.controller) revert KeyIsController(issuerId, key);
        bytes32 owner = _issuerOfKey[key];
        if (owner != bytes32(0) && owner != issuerId) revert KeyOfAnotherIssuer(key, owner);
        uint40 compromisedSince = _keys[issuerId][key].compromisedSince;
        if (compromisedSince != 0) revert KeyIsCompromised(issuerId, key, compromisedSince);
    }

    /// @dev Gives `key` the `role` at `issuerId`, binding it to the issuer for good on first use; its start
    /// stays the first time it became a key of the issuer.
    function _bindKey(bytes32 issuerId, address key, KeyRole role) private {
        KeyState storage state = _keys[issuerId][key];
        if (state.role == KeyRole.None) {
            bytes32 owner = _issuerOfKey[key];
            if (owner != bytes32(0)) revert KeyOfAnotherIssuer(key, owner);
            _issuerOfKey[key] = issuerId;
            state.addedAt = uint40(block.timestamp);
        }
        state.role = role;
    }

    /// @dev Makes `newController` the controller (checked), retires the previous one, clears a proposal.
    function _setController(bytes32 issuerId, Issuer storage issuer, address newController, address actor) private {
        if (newController == address(0)) revert ZeroAddress();
        address previous = issuer.controller;
        _checkBindable(issuerId, issuer, newController);
        if (previous != address(0)) _keys[issuerId][previous].role = KeyRole.Retired;
        _bindKey(issuerId, newController, KeyRole.Controller);
        issuer.controller = newController;
        delete _proposedControllers[issuerId];
        emit ControllerChanged(issuerId, previous, newController, actor);
    }

    /// @dev Records `key` compromised since `since` (authorisation checked by the caller) and takes away
    /// whatever authority it still has.
    function _markCompromised(address actor, bytes32 issuerId, address key, uint40 since) private {
        KeyState storage state = _keys[issuerId][key];
        KeyRole role = state.role;
        if (role == KeyRole.None) revert UnknownKey(issuerId, key);
        if (since < state.addedAt || since > block.timestamp) {
            revert InvalidCompromiseTime(issuerId, key, since, state.addedAt, block.timestamp);
        }
        uint40 declared = state.compromisedSince;
        if (declared != 0 && declared <= since) revert CompromiseAlreadyDeclared(issuerId, key, declared);
        state.compromisedSince = since;
        state.role = KeyRole.Retired;
        emit KeyCompromised(issuerId, key, since, actor);

        if (role == KeyRole.Operator) {
            emit OperatorRemoved(issuerId, key, actor);
        } else if (role == KeyRole.Controller) {
            Issuer storage issuer = _issuers[issuerId];
            issuer.controller = address(0);
            delete _proposedControllers[issuerId];
            emit ControllerChanged(issuerId, key, address(0), actor);
        }
    }

    /// @dev Checks that `actor` may change bits of the batch (the controller; or, unless `controllerOnly`, the
    /// operator that anchored it) and that `mask` at `wordIndex` selects at least one credential and only
    /// credentials within the batch.
    function _checkBits(
        address actor,
        bytes32 issuerId,
        bytes32 root,
        uint256 wordIndex,
        uint256 mask,
        bool controllerOnly
    ) private view {
        // One read of the issuer's slot (not _requireKeysMayChange, which reads it again for the controller):
        // this is the revocation path, whose gas the registry is measured by.
        Issuer storage issuer = _issuers[issuerId];
        (IssuerStatus status, address controller) = (issuer.status, issuer.controller);
        if (status == IssuerStatus.None) revert UnknownIssuer(issuerId);
        if (status == IssuerStatus.Withdrawn) revert IssuerWithdrawn(issuerId);
        Anchor storage batch = _anchors[issuerId][root];
        (address actingKey, uint256 count) = (batch.actingKey, batch.count);
        if (actingKey == address(0)) revert UnknownAnchor(issuerId, root);
        if (actor != controller) {
            if (controllerOnly) revert NotController(issuerId, actor);
            if (actor != actingKey || _keys[issuerId][actor].role != KeyRole.Operator) {
                revert NotAnchoringKey(issuerId, root, actor, actingKey);
            }
        }
        if (mask == 0) revert EmptyMask();
        // Every anchor has count >= 1. In the last word only the last index's bit and those below may be set;
        // a shift by 256 (a full last word) yields zero, as the EVM defines it.
        uint256 lastIndex = count - 1;
        uint256 lastWord = lastIndex >> 8;
        if (wordIndex > lastWord || (wordIndex == lastWord && mask >> ((lastIndex & 0xff) + 1) != 0)) {
            revert IndexOutOfRange(root, wordIndex, mask, count);
        }
    }

    function _checkLengths(uint256 expected, uint256 actual) private pure {
        if (expected != actual) revert InvalidArrayLength(expected, actual);
    }

    /// @dev Checks deadline, keyed nonce (consuming it) and the signer's signature (ECDSA or ERC-1271) of the
    /// struct whose encoded fields before nonce and deadline are `fields`.
    function _useDelegation(bytes memory fields, Delegation calldata delegation) private {
        if (block.timestamp > delegation.deadline) revert ExpiredSignature(delegation.deadline);
        _useCheckedNonce(delegation.signer, delegation.nonce);
        emit NonceUsed(delegation.signer, delegation.nonce);
        bytes32 digest = _hashTypedDataV4(
            keccak256(bytes.concat(fields, abi.encode(delegation.nonce, delegation.deadline)))
        );
        if (!SignatureChecker.isValidSignatureNowCalldata(delegation.signer, digest, delegation.signature)) {
            revert InvalidSignature(delegation.signer);
        }
    }
}
