// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CredentialRegistry} from "./CredentialRegistry.sol";
import {ICredentialRegistry} from "./ICredentialRegistry.sol";
import {TestBase} from "./testing/TestBase.t.sol";

/**
 * @dev Fuzz tests (registry 2.x): the revocation bitmap (indices, masks, batch bounds), the compromise
 * cut-off against any anchoring times, key authority against any account, issuer ids of any profile id,
 * keyed nonces of any two keys, and the on-chain Merkle check.
 */
contract CredentialRegistryFuzzTest is TestBase {
    CredentialRegistry internal registry;
    uint256 internal constant CONTROLLER_KEY = 0xC0FFEE;
    uint256 internal constant OPERATOR_KEY = 0x0BE7A;
    address internal controller;
    address internal operator;
    bytes32 internal issuerId;
    bytes32 internal constant ROOT = keccak256("fuzzed batch");

    function setUp() public {
        vm.warp(1_800_000_000);
        controller = vm.addr(CONTROLLER_KEY);
        operator = vm.addr(OPERATOR_KEY);
        registry = new CredentialRegistry(address(this), address(this));
        issuerId = registry.registerIssuer("did:web:fuzz.example", controller);
        vm.prank(controller);
        registry.addOperator(issuerId, operator);
    }

    function _anchor(uint256 count) internal {
        vm.prank(controller);
        registry.anchor(issuerId, ROOT, count);
    }

    /// Revoking index `index` sets exactly its bit: it reads revoked, its neighbours do not.
    function testFuzz_RevokeMarksExactlyThatIndex(uint256 count, uint256 index) public {
        count = bound(count, 1, 1 << 24);
        index = bound(index, 0, count - 1);
        _anchor(count);
        vm.prank(controller);
        registry.revoke(issuerId, ROOT, index >> 8, 1 << (index & 0xff), 4);

        assertTrue(registry.credentialStatus(issuerId, ROOT, index).revoked, "index revoked");
        if (index > 0) assertFalse(registry.credentialStatus(issuerId, ROOT, index - 1).revoked, "previous untouched");
        if (index + 1 < count) assertFalse(registry.credentialStatus(issuerId, ROOT, index + 1).revoked, "next untouched");
        assertEq(registry.revocationWord(issuerId, ROOT, index >> 8), 1 << (index & 0xff), "one bit in its word");
    }

    /// Suspension of one index is reversible and leaves only that index touched meanwhile.
    function testFuzz_SuspendThenUnsuspendRestores(uint256 count, uint256 index) public {
        count = bound(count, 1, 1 << 24);
        index = bound(index, 0, count - 1);
        _anchor(count);
        vm.startPrank(controller);
        registry.suspend(issuerId, ROOT, index >> 8, 1 << (index & 0xff), 7);
        assertTrue(registry.credentialStatus(issuerId, ROOT, index).suspended, "suspended");
        registry.unsuspend(issuerId, ROOT, index >> 8, 1 << (index & 0xff), 0);
        vm.stopPrank();
        assertFalse(registry.credentialStatus(issuerId, ROOT, index).suspended, "unsuspended");
        assertEq(registry.suspensionWord(issuerId, ROOT, index >> 8), 0, "word clear");
    }

    /// A (word, mask) pair is accepted exactly when every index it selects is below the batch's count.
    function testFuzz_MaskAcceptedIffAllIndicesInBatch(uint256 count, uint256 wordIndex, uint256 mask) public {
        count = bound(count, 1, 2048);
        wordIndex = bound(wordIndex, 0, 10);
        vm.assume(mask != 0);
        _anchor(count);

        bool inRange = true;
        for (uint256 bit = 0; bit < 256; ++bit) {
            if (mask & (1 << bit) != 0 && wordIndex * 256 + bit >= count) inRange = false;
        }
        if (!inRange) {
            vm.expectRevert(
                abi.encodeWithSelector(ICredentialRegistry.IndexOutOfRange.selector, ROOT, wordIndex, mask, count)
            );
        }
        vm.prank(controller);
        registry.revoke(issuerId, ROOT, wordIndex, mask, 0);
        if (inRange) assertEq(registry.revocationWord(issuerId, ROOT, wordIndex), mask, "mask stored");
    }

    /// Any index at or beyond the count is refused, whatever word it falls in.
    function testFuzz_RevokeBeyondCountReverts(uint256 count, uint256 index) public {
        count = bound(count, 1, 1 << 30);
        index = bound(index, count, type(uint256).max);
        _anchor(count);
        uint256 wordIndex = index >> 8;
        uint256 mask = 1 << (index & 0xff);
        vm.expectRevert(
            abi.encodeWithSelector(ICredentialRegistry.IndexOutOfRange.selector, ROOT, wordIndex, mask, count)
        );
        vm.prank(controller);
        registry.revoke(issuerId, ROOT, wordIndex, mask, 0);
    }

    /// Whatever the times of three anchors and of the cut-off (within the key's life), exactly the anchors
    /// made at or after the cut-off read keyCompromised.
    function testFuzz_CompromiseCutsOffExactlyTheAnchorsFromItsTime(uint32[3] memory gaps, uint256 sinceSeed) public {
        uint40 start = registry.getKey(issuerId, operator).addedAt;
        uint40[3] memory anchoredAt;
        for (uint256 i = 0; i < 3; ++i) {
            vm.warp(block.timestamp + bound(gaps[i], 0, 30 days));
            vm.prank(operator);
            registry.anchor(issuerId, keccak256(abi.encode("batch", i)), 1);
            anchoredAt[i] = uint40(block.timestamp);
        }
        uint40 since = uint40(bound(sinceSeed, start, block.timestamp));
        vm.prank(controller);
        registry.declareKeyCompromised(issuerId, operator, since);
        for (uint256 i = 0; i < 3; ++i) {
            ICredentialRegistry.CredentialStatus memory status = registry.credentialStatus(
                issuerId,
                keccak256(abi.encode("batch", i)),
                0
            );
            assertTrue(status.keyCompromised == (anchoredAt[i] >= since), "cut-off at the declared time");
            assertEq(status.keyCompromisedSince, since, "declared time reported");
        }
    }

    /// A compromise time outside the key's life (before its start, or in the future) is refused.
    function testFuzz_CompromiseTimeOutsideTheKeysLifeReverts(uint40 since) public {
        uint40 start = registry.getKey(issuerId, operator).addedAt;
        vm.warp(block.timestamp + 1 days);
        vm.assume(since < start || since > block.timestamp);
        vm.expectRevert(
            abi.encodeWithSelector(
                ICredentialRegistry.InvalidCompromiseTime.selector,
                issuerId,
                operator,
                since,
                start,
                block.timestamp
            )
        );
        vm.prank(controller);
        registry.declareKeyCompromised(issuerId, operator, since);
    }

    /// No account but the issuer's controller and operators anchors for it; none but the controller revokes.
    function testFuzz_OnlyTheIssuersKeysAct(address account) public {
        vm.assume(account != controller && account != operator);
        vm.expectRevert(abi.encodeWithSelector(ICredentialRegistry.NotIssuerKey.selector, issuerId, account));
        vm.prank(account);
        registry.anchor(issuerId, ROOT, 1);

        _anchor(1);
        vm.expectRevert(abi.encodeWithSelector(ICredentialRegistry.NotController.selector, issuerId, account));
        vm.prank(account);
        registry.revoke(issuerId, ROOT, 0, 1, 0);
        vm.expectRevert(
            abi.encodeWithSelector(ICredentialRegistry.NotAnchoringKey.selector, issuerId, ROOT, account, controller)
        );
        vm.prank(account);
        registry.suspend(issuerId, ROOT, 0, 1, 0);
    }

    /// The issuer id of any profile id is keccak256 of its bytes, on chain as off.
    function testFuzz_IssuerIdIsTheHashOfTheProfileId(string calldata profileId) public {
        vm.assume(bytes(profileId).length > 0 && keccak256(bytes(profileId)) != issuerId);
        address key = vm.addr(0xF00D);
        bytes32 id = registry.registerIssuer(profileId, key);
        assertEq(id, keccak256(bytes(profileId)), "issuer id");
        assertEq(registry.issuerIdOf(profileId), id, "issuerIdOf");
        assertEq(registry.issuerOfKey(key), id, "controller bound");
    }

    /// Using a nonce of one key never moves the nonce of another.
    function testFuzz_KeyedNoncesAreIndependent(uint192 first, uint192 second) public {
        vm.assume(first != second);
        uint256 before = registry.nonces(controller, second);
        vm.prank(controller);
        uint256 used = registry.invalidateNonce(first);
        assertEq(used, uint256(first) << 64, "first use of the key");
        assertEq(registry.nonces(controller, first), (uint256(first) << 64) | 1, "key advanced");
        assertEq(registry.nonces(controller, second), before, "other key untouched");
    }

    /// An anchor signed for this issuer with any nonce key goes through once, and never for another issuer.
    function testFuzz_SignedAnchorNamesItsIssuer(uint192 nonceKey, bytes32 root) public {
        vm.assume(root != bytes32(0));
        bytes32 other = registry.registerIssuer("did:web:other.example", vm.addr(0xBEEF));
        uint256 nonce = registry.nonces(operator, nonceKey);
        ICredentialRegistry.Delegation memory delegation = ICredentialRegistry.Delegation(
            operator,
            nonce,
            block.timestamp,
            _signAnchor(OPERATOR_KEY, issuerId, root, 3, nonce)
        );
        vm.expectRevert(abi.encodeWithSelector(ICredentialRegistry.InvalidSignature.selector, operator));
        registry.anchorBySig(other, root, 3, delegation);
        registry.anchorBySig(issuerId, root, 3, delegation);
        assertEq(registry.getAnchor(issuerId, root).actingKey, operator, "anchored for its issuer");
        assertEq(registry.getAnchor(other, root).actingKey, address(0), "not for the other");
    }

    /// A batch of one: the root is the leaf itself and the empty proof verifies, for no other index or hash.
    function testFuzz_SingleLeafTree(uint256 index, bytes32 credentialHash, uint256 otherIndex) public view {
        vm.assume(otherIndex != index);
        bytes32 root = _leaf(index, credentialHash);
        bytes32[] memory proof = new bytes32[](0);
        assertTrue(registry.verifyLeaf(root, index, credentialHash, proof), "leaf verifies");
        assertFalse(registry.verifyLeaf(root, otherIndex, credentialHash, proof), "other index fails");
        assertFalse(registry.verifyLeaf(root, index, ~credentialHash, proof), "other hash fails");
    }

    /// A tree of four leaves built as StandardMerkleTree builds it (sorted pairs): every leaf's proof verifies.
    function testFuzz_FourLeafTree(bytes32[4] memory hashes) public view {
        bytes32[4] memory leaves;
        for (uint256 i = 0; i < 4; ++i) leaves[i] = _leaf(i, hashes[i]);
        bytes32 left = _pair(leaves[0], leaves[1]);
        bytes32 right = _pair(leaves[2], leaves[3]);
        bytes32 root = _pair(left, right);

        for (uint256 i = 0; i < 4; ++i) {
            bytes32[] memory proof = new bytes32[](2);
            proof[0] = leaves[i ^ 1];
            proof[1] = i < 2 ? right : left;
            assertTrue(registry.verifyLeaf(root, i, hashes[i], proof), "leaf verifies");
            assertFalse(registry.verifyLeaf(root, i ^ 1, hashes[i], proof), "swapped index fails");
        }
    }

    function _signAnchor(
        uint256 privateKey,
        bytes32 id,
        bytes32 root,
        uint256 count,
        uint256 nonce
    ) internal view returns (bytes memory) {
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256(
                    "Anchor(address signer,bytes32 issuerId,bytes32 root,uint256 count,uint256 nonce,uint256 deadline)"
                ),
                vm.addr(privateKey),
                id,
                root,
                count,
                nonce,
                block.timestamp
            )
        );
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", registry.DOMAIN_SEPARATOR(), structHash));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(privateKey, digest);
        return abi.encodePacked(r, s, v);
    }

    function _leaf(uint256 index, bytes32 credentialHash) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(index, credentialHash))));
    }

    function _pair(bytes32 a, bytes32 b) internal pure returns (bytes32) {
        return a < b ? keccak256(abi.encode(a, b)) : keccak256(abi.encode(b, a));
    }
}
