// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Multicall} from "@openzeppelin/contracts/utils/Multicall.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

import {ICredentialRegistry} from "./ICredentialRegistry.sol";

/**
 * @title CredentialRegistry
 * @notice Anchors batches of micro-credentials (Open Badges 3.0) by Merkle root, with per-credential
 * revocation and suspension bitmaps, accredited issuers, operator keys, EIP-712 delegation (ERC-1271 issuers
 * such as a Safe included) and Multicall. Non-upgradeable: trust comes from immutability.
 *
 * Every external entry point (direct, by signature, inside a multicall) checks its caller or signer and
 * delegates to the same internal function, so each action has exactly one implementation.
 */
contract CredentialRegistry is ICredentialRegistry, AccessControl, EIP712, Nonces, Multicall {
    /// @notice The role that registers, suspends, reinstates and withdraws issuers.
    bytes32 public constant ACCREDITOR_ROLE = keccak256("ACCREDITOR_ROLE");

    bytes32 private constant ANCHOR_TYPEHASH =
        keccak256("Anchor(address signer,bytes32 root,uint256 count,uint256 nonce,uint256 deadline)");
    bytes32 private constant REVOKE_TYPEHASH =
        keccak256(
            "Revoke(address signer,bytes32 root,uint256 wordIndex,uint256 mask,uint8 reason,uint256 nonce,uint256 deadline)"
        );
    bytes32 private constant SUSPEND_TYPEHASH =
        keccak256(
            "Suspend(address signer,bytes32 root,uint256 wordIndex,uint256 mask,uint8 reason,uint256 nonce,uint256 deadline)"
        );
    bytes32 private constant UNSUSPEND_TYPEHASH =
        keccak256(
            "Unsuspend(address signer,bytes32 root,uint256 wordIndex,uint256 mask,uint8 reason,uint256 nonce,uint256 deadline)"
        );
    bytes32 private constant REVOKE_BATCH_TYPEHASH =
        keccak256("RevokeBatch(address signer,bytes32 root,uint8 reason,uint256 nonce,uint256 deadline)");
    bytes32 private constant AUTHORIZE_OPERATOR_TYPEHASH =
        keccak256("AuthorizeOperator(address signer,address operator,uint256 nonce,uint256 deadline)");
    bytes32 private constant REMOVE_OPERATOR_TYPEHASH =
        keccak256("RemoveOperator(address signer,address operator,uint256 nonce,uint256 deadline)");

    mapping(address issuer => Issuer) private _issuers;
    mapping(bytes32 profileIdHash => address issuer) private _issuerByProfileIdHash;
    mapping(address operator => address issuer) private _issuerOfOperator;
    mapping(bytes32 root => Anchor) private _anchors;
    mapping(bytes32 root => mapping(uint256 wordIndex => uint256 bits)) private _revoked;
    mapping(bytes32 root => mapping(uint256 wordIndex => uint256 bits)) private _suspended;

    /**
     * @param admin receives DEFAULT_ADMIN_ROLE (grants and revokes roles).
     * @param accreditor receives ACCREDITOR_ROLE.
     */
    constructor(address admin, address accreditor) EIP712("CredentialRegistry", "1") {
        if (admin == address(0) || accreditor == address(0)) revert ZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(ACCREDITOR_ROLE, accreditor);
    }

    // ---------------------------------------------------------------- accreditor actions

    /// @inheritdoc ICredentialRegistry
    function registerIssuer(address issuer, string calldata profileId) external onlyRole(ACCREDITOR_ROLE) {
        if (issuer == address(0)) revert ZeroAddress();
        if (bytes(profileId).length == 0) revert EmptyProfileId();
        if (_issuers[issuer].status != IssuerStatus.None) revert IssuerAlreadyRegistered(issuer);
        address operatorOf = _issuerOfOperator[issuer];
        if (operatorOf != address(0)) revert AccountIsOperator(issuer, operatorOf);
        bytes32 profileIdHash = keccak256(bytes(profileId));
        address holder = _issuerByProfileIdHash[profileIdHash];
        if (holder != address(0)) revert ProfileIdTaken(profileIdHash, holder);

        uint40 now_ = uint40(block.timestamp);
        _issuers[issuer] = Issuer(IssuerStatus.Active, 0, now_, now_, profileIdHash);
        _issuerByProfileIdHash[profileIdHash] = issuer;
        emit IssuerRegistered(issuer, profileIdHash, profileId, _msgSender());
    }

    /// @inheritdoc ICredentialRegistry
    function suspendIssuer(address issuer, uint8 reason) external onlyRole(ACCREDITOR_ROLE) {
        _changeIssuerStatus(issuer, IssuerStatus.Suspended, reason);
    }

    /// @inheritdoc ICredentialRegistry
    function reinstateIssuer(address issuer, uint8 reason) external onlyRole(ACCREDITOR_ROLE) {
        _changeIssuerStatus(issuer, IssuerStatus.Active, reason);
    }

    /// @inheritdoc ICredentialRegistry
    function withdrawIssuer(address issuer, uint8 reason) external onlyRole(ACCREDITOR_ROLE) {
        _changeIssuerStatus(issuer, IssuerStatus.Withdrawn, reason);
    }

    /// @inheritdoc ICredentialRegistry
    function expelOperator(address operator) external onlyRole(ACCREDITOR_ROLE) {
        _dropOperator(operator);
    }

    // ---------------------------------------------------------------- issuer and operator actions

    /// @inheritdoc ICredentialRegistry
    function renounceOperator() external {
        _dropOperator(_msgSender());
    }

    /// @inheritdoc ICredentialRegistry
    function invalidateNonce() external returns (uint256 nonce) {
        address signer = _msgSender();
        nonce = _useNonce(signer);
        emit NonceUsed(signer, nonce);
    }

    /// @inheritdoc ICredentialRegistry
    function authorizeOperator(address operator) external {
        _authorizeOperator(_msgSender(), operator);
    }

    /// @inheritdoc ICredentialRegistry
    function removeOperator(address operator) external {
        _removeOperator(_msgSender(), operator);
    }

    /// @inheritdoc ICredentialRegistry
    function anchor(bytes32 root, uint256 count) external {
        _anchor(_msgSender(), root, count);
    }

    /// @inheritdoc ICredentialRegistry
    function revoke(bytes32 root, uint256 wordIndex, uint256 mask, uint8 reason) external {
        _revoke(_msgSender(), root, wordIndex, mask, reason);
    }

    /// @inheritdoc ICredentialRegistry
    function suspend(bytes32 root, uint256 wordIndex, uint256 mask, uint8 reason) external {
        _suspend(_msgSender(), root, wordIndex, mask, reason);
    }

    /// @inheritdoc ICredentialRegistry
    function unsuspend(bytes32 root, uint256 wordIndex, uint256 mask, uint8 reason) external {
        _unsuspend(_msgSender(), root, wordIndex, mask, reason);
    }

    /// @inheritdoc ICredentialRegistry
    function revokeBatch(bytes32 root, uint8 reason) external {
        _revokeBatch(_msgSender(), root, reason);
    }

    // ---------------------------------------------------------------- issuer actions by signature

    /// @inheritdoc ICredentialRegistry
    function anchorBySig(bytes32 root, uint256 count, Delegation calldata delegation) external {
        _useDelegation(
            keccak256(abi.encode(ANCHOR_TYPEHASH, delegation.signer, root, count, delegation.nonce, delegation.deadline)),
            delegation
        );
        _anchor(delegation.signer, root, count);
    }

    /// @inheritdoc ICredentialRegistry
    function revokeBySig(
        bytes32 root,
        uint256 wordIndex,
        uint256 mask,
        uint8 reason,
        Delegation calldata delegation
    ) external {
        _useDelegation(_bitsStructHash(REVOKE_TYPEHASH, root, wordIndex, mask, reason, delegation), delegation);
        _revoke(delegation.signer, root, wordIndex, mask, reason);
    }

    /// @inheritdoc ICredentialRegistry
    function suspendBySig(
        bytes32 root,
        uint256 wordIndex,
        uint256 mask,
        uint8 reason,
        Delegation calldata delegation
    ) external {
        _useDelegation(_bitsStructHash(SUSPEND_TYPEHASH, root, wordIndex, mask, reason, delegation), delegation);
        _suspend(delegation.signer, root, wordIndex, mask, reason);
    }

    /// @inheritdoc ICredentialRegistry
    function unsuspendBySig(
        bytes32 root,
        uint256 wordIndex,
        uint256 mask,
        uint8 reason,
        Delegation calldata delegation
    ) external {
        _useDelegation(_bitsStructHash(UNSUSPEND_TYPEHASH, root, wordIndex, mask, reason, delegation), delegation);
        _unsuspend(delegation.signer, root, wordIndex, mask, reason);
    }

    /// @inheritdoc ICredentialRegistry
    function revokeBatchBySig(bytes32 root, uint8 reason, Delegation calldata delegation) external {
        _useDelegation(
            keccak256(
                abi.encode(REVOKE_BATCH_TYPEHASH, delegation.signer, root, reason, delegation.nonce, delegation.deadline)
            ),
            delegation
        );
        _revokeBatch(delegation.signer, root, reason);
    }

    /// @inheritdoc ICredentialRegistry
    function authorizeOperatorBySig(address operator, Delegation calldata delegation) external {
        _useDelegation(_operatorStructHash(AUTHORIZE_OPERATOR_TYPEHASH, operator, delegation), delegation);
        _authorizeOperator(delegation.signer, operator);
    }

    /// @inheritdoc ICredentialRegistry
    function removeOperatorBySig(address operator, Delegation calldata delegation) external {
        _useDelegation(_operatorStructHash(REMOVE_OPERATOR_TYPEHASH, operator, delegation), delegation);
        _removeOperator(delegation.signer, operator);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc ICredentialRegistry
    function version() external pure returns (string memory) {
        return "1.1.0";
    }

    /// @inheritdoc ICredentialRegistry
    function getIssuer(address issuer) external view returns (Issuer memory) {
        return _issuers[issuer];
    }

    /// @inheritdoc ICredentialRegistry
    function issuerByProfileIdHash(bytes32 profileIdHash) external view returns (address) {
        return _issuerByProfileIdHash[profileIdHash];
    }

    /// @inheritdoc ICredentialRegistry
    function issuerOfOperator(address operator) external view returns (address) {
        return _issuerOfOperator[operator];
    }

    /// @inheritdoc ICredentialRegistry
    function getAnchor(bytes32 root) external view returns (Anchor memory) {
        return _anchors[root];
    }

    /// @inheritdoc ICredentialRegistry
    function revocationWord(bytes32 root, uint256 wordIndex) external view returns (uint256) {
        return _revoked[root][wordIndex];
    }

    /// @inheritdoc ICredentialRegistry
    function suspensionWord(bytes32 root, uint256 wordIndex) external view returns (uint256) {
        return _suspended[root][wordIndex];
    }

    /// @inheritdoc ICredentialRegistry
    function getAnchors(bytes32[] calldata roots) external view returns (Anchor[] memory anchors) {
        anchors = new Anchor[](roots.length);
        for (uint256 i; i < roots.length; ++i) anchors[i] = _anchors[roots[i]];
    }

    /// @inheritdoc ICredentialRegistry
    function bitmapWords(
        bytes32[] calldata roots,
        uint256[] calldata wordIndices
    ) external view returns (uint256[] memory revoked, uint256[] memory suspended) {
        if (roots.length != wordIndices.length) revert InvalidArrayLength(roots.length, wordIndices.length);
        revoked = new uint256[](roots.length);
        suspended = new uint256[](roots.length);
        for (uint256 i; i < roots.length; ++i) {
            revoked[i] = _revoked[roots[i]][wordIndices[i]];
            suspended[i] = _suspended[roots[i]][wordIndices[i]];
        }
    }

    /// @inheritdoc ICredentialRegistry
    function credentialStatus(bytes32 root, uint256 index) external view returns (CredentialStatus memory status) {
        Anchor memory batch = _anchors[root];
        if (batch.issuer == address(0)) return status;
        Issuer memory issuer = _issuers[batch.issuer];
        uint256 wordIndex = index >> 8;
        uint256 bit = 1 << (index & 0xff);
        status = CredentialStatus({
            anchored: true,
            inRange: index < batch.count,
            revoked: _revoked[root][wordIndex] & bit != 0,
            suspended: _suspended[root][wordIndex] & bit != 0,
            batchRevoked: batch.batchRevoked,
            issuer: batch.issuer,
            anchoredAt: batch.anchoredAt,
            count: batch.count,
            issuerStatus: issuer.status,
            issuerStatusReason: issuer.statusReason,
            issuerStatusSince: issuer.statusSince,
            issuerProfileIdHash: issuer.profileIdHash
        });
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
     * @notice The EIP-712 domain separator (name "CredentialRegistry", version "1", this chain, this contract).
     * @dev Also available field by field through ERC-5267 {eip712Domain}.
     */
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    // ---------------------------------------------------------------- internal: the one implementation of each action

    function _changeIssuerStatus(address issuer, IssuerStatus to, uint8 reason) internal {
        Issuer storage record = _issuers[issuer];
        IssuerStatus from = record.status;
        if (from == IssuerStatus.None) revert UnknownIssuer(issuer);
        bool allowed = (to == IssuerStatus.Suspended && from == IssuerStatus.Active) ||
            (to == IssuerStatus.Active && from == IssuerStatus.Suspended) ||
            (to == IssuerStatus.Withdrawn && from != IssuerStatus.Withdrawn);
        if (!allowed) revert InvalidIssuerTransition(issuer, from, to);
        record.status = to;
        record.statusReason = reason;
        record.statusSince = uint40(block.timestamp);
        emit IssuerStatusChanged(issuer, from, to, reason, _msgSender());
    }

    function _authorizeOperator(address issuer, address operator) internal {
        IssuerStatus status = _issuers[issuer].status;
        if (status == IssuerStatus.None) revert NotIssuer(issuer);
        if (status != IssuerStatus.Active) revert IssuerNotActive(issuer, status);
        if (operator == address(0)) revert ZeroAddress();
        if (_issuers[operator].status != IssuerStatus.None) revert AccountIsIssuer(operator);
        address current = _issuerOfOperator[operator];
        if (current != address(0)) revert AccountIsOperator(operator, current);
        _issuerOfOperator[operator] = issuer;
        emit OperatorAuthorized(issuer, operator);
    }

    function _removeOperator(address issuer, address operator) internal {
        if (_issuers[issuer].status == IssuerStatus.None) revert NotIssuer(issuer);
        if (_issuerOfOperator[operator] != issuer) revert NotOperatorOf(operator, issuer);
        delete _issuerOfOperator[operator];
        emit OperatorRemoved(issuer, operator);
    }

    function _dropOperator(address operator) internal {
        address issuer = _issuerOfOperator[operator];
        if (issuer == address(0)) revert NotOperator(operator);
        delete _issuerOfOperator[operator];
        emit OperatorRemoved(issuer, operator);
    }

    function _anchor(address actor, bytes32 root, uint256 count) internal {
        if (root == bytes32(0)) revert ZeroRoot();
        if (count == 0) revert ZeroCount();
        if (count > type(uint40).max) revert CountTooLarge(count, type(uint40).max);

        address issuer = actor;
        IssuerStatus status = _issuers[actor].status;
        if (status == IssuerStatus.None) {
            issuer = _issuerOfOperator[actor];
            if (issuer == address(0)) revert NotIssuerOrOperator(actor);
            status = _issuers[issuer].status;
        }
        if (status != IssuerStatus.Active) revert IssuerNotActive(issuer, status);

        Anchor storage slot = _anchors[root];
        address existing = slot.issuer;
        if (existing != address(0)) revert AlreadyAnchored(root, existing);
        _anchors[root] = Anchor(issuer, uint40(block.timestamp), uint40(count), false);
        emit Anchored(root, issuer, actor, count);
    }

    function _revoke(address actor, bytes32 root, uint256 wordIndex, uint256 mask, uint8 reason) internal {
        _checkBits(actor, root, wordIndex, mask);
        uint256 current = _revoked[root][wordIndex];
        uint256 added = mask & ~current;
        if (added == 0) revert AlreadyRevoked(root, wordIndex, mask);
        _revoked[root][wordIndex] = current | added;
        emit CredentialsRevoked(root, actor, wordIndex, added, reason);
    }

    function _suspend(address actor, bytes32 root, uint256 wordIndex, uint256 mask, uint8 reason) internal {
        _checkBits(actor, root, wordIndex, mask);
        uint256 current = _suspended[root][wordIndex];
        uint256 added = mask & ~current;
        if (added == 0) revert AlreadySuspended(root, wordIndex, mask);
        _suspended[root][wordIndex] = current | added;
        emit CredentialsSuspended(root, actor, wordIndex, added, reason);
    }

    function _unsuspend(address actor, bytes32 root, uint256 wordIndex, uint256 mask, uint8 reason) internal {
        _checkBits(actor, root, wordIndex, mask);
        uint256 current = _suspended[root][wordIndex];
        uint256 lifted = mask & current;
        if (lifted == 0) revert NotSuspended(root, wordIndex, mask);
        _suspended[root][wordIndex] = current & ~lifted;
        emit CredentialsUnsuspended(root, actor, wordIndex, lifted, reason);
    }

    function _revokeBatch(address actor, bytes32 root, uint8 reason) internal {
        Anchor storage batch = _anchors[root];
        _checkRootActor(actor, root, batch.issuer);
        if (batch.batchRevoked) revert BatchAlreadyRevoked(root);
        batch.batchRevoked = true;
        emit BatchRevoked(root, actor, reason);
    }

    // ---------------------------------------------------------------- private helpers

    /// @dev Checks that `actor` may change bits of `root` and that `mask` at `wordIndex` selects
    /// at least one credential and only credentials within the batch.
    function _checkBits(address actor, bytes32 root, uint256 wordIndex, uint256 mask) private view {
        Anchor storage batch = _anchors[root];
        (address issuer, uint256 count) = (batch.issuer, batch.count);
        _checkRootActor(actor, root, issuer);
        if (mask == 0) revert EmptyMask();
        // Every anchor has count >= 1. In the last word only the last index's bit and those below may be set;
        // a shift by 256 (a full last word) yields zero, as the EVM defines it.
        uint256 lastIndex = count - 1;
        uint256 lastWord = lastIndex >> 8;
        if (wordIndex > lastWord || (wordIndex == lastWord && mask >> ((lastIndex & 0xff) + 1) != 0)) {
            revert IndexOutOfRange(root, wordIndex, mask, count);
        }
    }

    function _checkRootActor(address actor, bytes32 root, address issuer) private view {
        if (issuer == address(0)) revert UnknownRoot(root);
        if (actor != issuer && _issuerOfOperator[actor] != issuer) revert NotIssuerOfRoot(actor, root, issuer);
    }

    /// @dev Checks deadline, nonce (consuming it) and the signer's signature (ECDSA or ERC-1271) of `structHash`.
    function _useDelegation(bytes32 structHash, Delegation calldata delegation) private {
        if (block.timestamp > delegation.deadline) revert ExpiredSignature(delegation.deadline);
        _useCheckedNonce(delegation.signer, delegation.nonce);
        emit NonceUsed(delegation.signer, delegation.nonce);
        bytes32 digest = _hashTypedDataV4(structHash);
        if (!SignatureChecker.isValidSignatureNowCalldata(delegation.signer, digest, delegation.signature)) {
            revert InvalidSignature(delegation.signer);
        }
    }

    function _bitsStructHash(
        bytes32 typehash,
        bytes32 root,
        uint256 wordIndex,
        uint256 mask,
        uint8 reason,
        Delegation calldata delegation
    ) private pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    typehash,
                    delegation.signer,
                    root,
                    wordIndex,
                    mask,
                    reason,
                    delegation.nonce,
                    delegation.deadline
                )
            );
    }

    function _operatorStructHash(
        bytes32 typehash,
        address operator,
        Delegation calldata delegation
    ) private pure returns (bytes32) {
        return keccak256(abi.encode(typehash, delegation.signer, operator, delegation.nonce, delegation.deadline));
    }
}
