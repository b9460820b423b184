// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CredentialRegistry} from "../CredentialRegistry.sol";
import {ICredentialRegistry} from "../ICredentialRegistry.sol";
import {TestBase} from "./TestBase.t.sol";

/**
 * @dev The invariant fuzzer's only target: each function takes fuzzed seeds, picks an actor among a fixed
 * cast (issuers, operators, strangers — authorised or not), tries one registry action as that actor, and
 * checks the rules that must hold around every single call, counting violations in ghost variables that
 * the invariant test asserts are zero. It also remembers what it saw so later calls can be judged.
 */
contract RegistryHandler is TestBase {
    CredentialRegistry public immutable registry;

    uint256 internal constant ACTOR_COUNT = 8;
    uint256 internal constant KEY_OFFSET = 0xA11CE;

    bytes32[] public roots;
    mapping(bytes32 root => ICredentialRegistry.Anchor) public firstSeenAnchor;
    mapping(bytes32 root => mapping(uint256 wordIndex => uint256 bits)) public everRevoked;
    mapping(bytes32 root => uint256 maxWordTouched) public maxWordTouched;
    mapping(bytes32 root => bool) public everBatchRevoked;
    mapping(address account => uint256 nonce) public lastNonce;

    uint256 public anchorsByInactiveIssuers;
    uint256 public unauthorisedStatusChanges;
    uint256 public nonceDecreases;
    uint256 public successfulCalls;

    constructor(CredentialRegistry registry_) {
        registry = registry_;
    }

    // ------------------------------------------------------------ the cast

    function actorCount() external pure returns (uint256) {
        return ACTOR_COUNT;
    }

    function actor(uint256 seed) public pure returns (address) {
        return vm.addr(_key(seed));
    }

    function rootCount() external view returns (uint256) {
        return roots.length;
    }

    // ------------------------------------------------------------ accreditor actions (this handler is accreditor)

    function registerIssuer(uint256 actorSeed) external {
        address account = actor(actorSeed);
        try registry.registerIssuer(account, string.concat("did:web:issuer-", _hex(account))) {
            ++successfulCalls;
        } catch {}
    }

    function suspendIssuer(uint256 actorSeed, uint8 reason) external {
        try registry.suspendIssuer(actor(actorSeed), reason) {} catch {}
    }

    function reinstateIssuer(uint256 actorSeed, uint8 reason) external {
        try registry.reinstateIssuer(actor(actorSeed), reason) {} catch {}
    }

    function withdrawIssuer(uint256 actorSeed, uint8 reason) external {
        try registry.withdrawIssuer(actor(actorSeed), reason) {} catch {}
    }

    // ------------------------------------------------------------ issuer actions

    function authorizeOperator(uint256 issuerSeed, uint256 operatorSeed) external {
        vm.prank(actor(issuerSeed));
        try registry.authorizeOperator(actor(operatorSeed)) {} catch {}
    }

    function removeOperator(uint256 issuerSeed, uint256 operatorSeed) external {
        vm.prank(actor(issuerSeed));
        try registry.removeOperator(actor(operatorSeed)) {} catch {}
    }

    function renounceOperator(uint256 operatorSeed) external {
        vm.prank(actor(operatorSeed));
        try registry.renounceOperator() {} catch {}
    }

    function expelOperator(uint256 operatorSeed) external {
        try registry.expelOperator(actor(operatorSeed)) {} catch {}
    }

    function invalidateNonce(uint256 signerSeed) external {
        address signer = actor(signerSeed);
        vm.prank(signer);
        registry.invalidateNonce();
        _checkNonce(signer);
    }

    function anchor(uint256 actorSeed, uint256 rootSeed, uint256 count) external {
        address account = actor(actorSeed);
        bytes32 root = keccak256(abi.encode("root", rootSeed % 16));
        count = bound(count, 1, 1024);
        ICredentialRegistry.IssuerStatus statusBefore = _issuerStatusOf(account);
        vm.prank(account);
        try registry.anchor(root, count) {
            _afterAnchor(root, statusBefore);
        } catch {}
    }

    function anchorBySig(uint256 signerSeed, uint256 rootSeed, uint256 count, uint256 relayerSeed) external {
        address signer = actor(signerSeed);
        bytes32 root = keccak256(abi.encode("root", rootSeed % 16));
        count = bound(count, 1, 1024);
        uint256 nonce = registry.nonces(signer);
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256("Anchor(address signer,bytes32 root,uint256 count,uint256 nonce,uint256 deadline)"),
                signer,
                root,
                count,
                nonce,
                block.timestamp
            )
        );
        bytes memory signature = _sign(_key(signerSeed), structHash);
        ICredentialRegistry.IssuerStatus statusBefore = _issuerStatusOf(signer);
        vm.prank(actor(relayerSeed));
        try registry.anchorBySig(root, count, ICredentialRegistry.Delegation(signer, nonce, block.timestamp, signature)) {
            _afterAnchor(root, statusBefore);
        } catch {}
        _checkNonce(signer);
    }

    function revoke(uint256 actorSeed, uint256 rootSeed, uint256 wordIndex, uint256 mask) external {
        (address account, bytes32 root) = _pick(actorSeed, rootSeed);
        wordIndex = bound(wordIndex, 0, 4);
        bool authorised = _mayChange(account, root);
        uint256 before = registry.revocationWord(root, wordIndex);
        vm.prank(account);
        try registry.revoke(root, wordIndex, mask, 0) {} catch {}
        _recordBits(root, wordIndex, before, registry.revocationWord(root, wordIndex), authorised);
        everRevoked[root][wordIndex] |= registry.revocationWord(root, wordIndex);
    }

    function revokeBySig(uint256 signerSeed, uint256 rootSeed, uint256 wordIndex, uint256 mask) external {
        (address signer, bytes32 root) = _pick(signerSeed, rootSeed);
        wordIndex = bound(wordIndex, 0, 4);
        uint256 nonce = registry.nonces(signer);
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256(
                    "Revoke(address signer,bytes32 root,uint256 wordIndex,uint256 mask,uint8 reason,uint256 nonce,uint256 deadline)"
                ),
                signer,
                root,
                wordIndex,
                mask,
                uint8(1),
                nonce,
                block.timestamp
            )
        );
        bytes memory signature = _sign(_key(signerSeed), structHash);
        bool authorised = _mayChange(signer, root);
        uint256 before = registry.revocationWord(root, wordIndex);
        try
            registry.revokeBySig(
                root,
                wordIndex,
                mask,
                1,
                ICredentialRegistry.Delegation(signer, nonce, block.timestamp, signature)
            )
        {} catch {}
        _recordBits(root, wordIndex, before, registry.revocationWord(root, wordIndex), authorised);
        everRevoked[root][wordIndex] |= registry.revocationWord(root, wordIndex);
        _checkNonce(signer);
    }

    function suspend(uint256 actorSeed, uint256 rootSeed, uint256 wordIndex, uint256 mask) external {
        (address account, bytes32 root) = _pick(actorSeed, rootSeed);
        wordIndex = bound(wordIndex, 0, 4);
        bool authorised = _mayChange(account, root);
        uint256 before = registry.suspensionWord(root, wordIndex);
        vm.prank(account);
        try registry.suspend(root, wordIndex, mask, 0) {} catch {}
        _recordBits(root, wordIndex, before, registry.suspensionWord(root, wordIndex), authorised);
    }

    function unsuspend(uint256 actorSeed, uint256 rootSeed, uint256 wordIndex, uint256 mask) external {
        (address account, bytes32 root) = _pick(actorSeed, rootSeed);
        wordIndex = bound(wordIndex, 0, 4);
        bool authorised = _mayChange(account, root);
        uint256 before = registry.suspensionWord(root, wordIndex);
        vm.prank(account);
        try registry.unsuspend(root, wordIndex, mask, 0) {} catch {}
        _recordBits(root, wordIndex, before, registry.suspensionWord(root, wordIndex), authorised);
    }

    function revokeBatch(uint256 actorSeed, uint256 rootSeed) external {
        (address account, bytes32 root) = _pick(actorSeed, rootSeed);
        bool authorised = _mayChange(account, root);
        bool before = registry.getAnchor(root).batchRevoked;
        vm.prank(account);
        try registry.revokeBatch(root, 0) {} catch {}
        bool afterCall = registry.getAnchor(root).batchRevoked;
        if (afterCall != before && !authorised) ++unauthorisedStatusChanges;
        if (afterCall) everBatchRevoked[root] = true;
    }

    // ------------------------------------------------------------ bookkeeping

    function _afterAnchor(bytes32 root, ICredentialRegistry.IssuerStatus statusBefore) private {
        ++successfulCalls;
        if (statusBefore != ICredentialRegistry.IssuerStatus.Active) ++anchorsByInactiveIssuers;
        roots.push(root);
        firstSeenAnchor[root] = registry.getAnchor(root);
    }

    function _recordBits(bytes32 root, uint256 wordIndex, uint256 before, uint256 afterCall, bool authorised) private {
        if (afterCall != before) {
            ++successfulCalls;
            if (!authorised) ++unauthorisedStatusChanges;
        }
        if (wordIndex > maxWordTouched[root]) maxWordTouched[root] = wordIndex;
    }

    function _checkNonce(address account) private {
        uint256 nonce = registry.nonces(account);
        if (nonce < lastNonce[account]) ++nonceDecreases;
        lastNonce[account] = nonce;
    }

    /// @dev Whether `account` is, right now, the issuer that anchored `root` or one of its operators.
    function _mayChange(address account, bytes32 root) private view returns (bool) {
        address issuer = registry.getAnchor(root).issuer;
        return issuer != address(0) && (account == issuer || registry.issuerOfOperator(account) == issuer);
    }

    /// @dev The status of the issuer `account` acts for (itself or the issuer it operates for).
    function _issuerStatusOf(address account) private view returns (ICredentialRegistry.IssuerStatus) {
        ICredentialRegistry.IssuerStatus status = registry.getIssuer(account).status;
        if (status != ICredentialRegistry.IssuerStatus.None) return status;
        return registry.getIssuer(registry.issuerOfOperator(account)).status;
    }

    function _pick(uint256 actorSeed, uint256 rootSeed) private view returns (address, bytes32) {
        bytes32 root = roots.length == 0
            ? keccak256(abi.encode("root", rootSeed % 16))
            : roots[rootSeed % roots.length];
        return (actor(actorSeed), root);
    }

    function _sign(uint256 key, bytes32 structHash) private view returns (bytes memory) {
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", registry.DOMAIN_SEPARATOR(), structHash));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    function _key(uint256 seed) private pure returns (uint256) {
        return KEY_OFFSET + (seed % ACTOR_COUNT);
    }

    function _hex(address account) private pure returns (string memory) {
        bytes memory digits = "0123456789abcdef";
        bytes memory out = new bytes(40);
        uint160 value = uint160(account);
        for (uint256 i = 40; i > 0; --i) {
            out[i - 1] = digits[value & 0xf];
            value >>= 4;
        }
        return string(out);
    }
}
