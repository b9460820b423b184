// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CredentialRegistry} from "./CredentialRegistry.sol";
import {ICredentialRegistry} from "./ICredentialRegistry.sol";
import {TestBase} from "./testing/TestBase.t.sol";

/// @dev Fuzz tests of the revocation bitmap (indices, masks, batch bounds) and of the on-chain Merkle check.
contract CredentialRegistryFuzzTest is TestBase {
    CredentialRegistry internal registry;
    address internal constant ISSUER = address(0x1551E5);
    bytes32 internal constant ROOT = keccak256("fuzzed batch");

    function setUp() public {
        registry = new CredentialRegistry(address(this), address(this));
        registry.registerIssuer(ISSUER, "did:web:fuzz.example");
    }

    function _anchor(uint256 count) internal {
        vm.prank(ISSUER);
        registry.anchor(ROOT, count);
    }

    /// Revoking index `index` sets exactly its bit: it reads revoked, its neighbours do not.
    function testFuzz_RevokeMarksExactlyThatIndex(uint256 count, uint256 index) public {
        count = bound(count, 1, 1 << 24);
        index = bound(index, 0, count - 1);
        _anchor(count);
        vm.prank(ISSUER);
        registry.revoke(ROOT, index >> 8, 1 << (index & 0xff), 4);

        assertTrue(registry.credentialStatus(ROOT, index).revoked, "index revoked");
        if (index > 0) assertTrue(!registry.credentialStatus(ROOT, index - 1).revoked, "previous untouched");
        if (index + 1 < count) assertTrue(!registry.credentialStatus(ROOT, index + 1).revoked, "next untouched");
        assertEq(registry.revocationWord(ROOT, index >> 8), 1 << (index & 0xff), "one bit in its word");
    }

    /// Suspension of one index is reversible and leaves only that index touched meanwhile.
    function testFuzz_SuspendThenUnsuspendRestores(uint256 count, uint256 index) public {
        count = bound(count, 1, 1 << 24);
        index = bound(index, 0, count - 1);
        _anchor(count);
        vm.startPrank(ISSUER);
        registry.suspend(ROOT, index >> 8, 1 << (index & 0xff), 7);
        assertTrue(registry.credentialStatus(ROOT, index).suspended, "suspended");
        registry.unsuspend(ROOT, index >> 8, 1 << (index & 0xff), 0);
        vm.stopPrank();
        assertTrue(!registry.credentialStatus(ROOT, index).suspended, "unsuspended");
        assertEq(registry.suspensionWord(ROOT, index >> 8), 0, "word clear");
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
        vm.prank(ISSUER);
        registry.revoke(ROOT, wordIndex, mask, 0);
        if (inRange) assertEq(registry.revocationWord(ROOT, wordIndex), mask, "mask stored");
    }

    /// Any index at or beyond the count is refused, whatever word it falls in.
    function testFuzz_RevokeBeyondCountReverts(uint256 count, uint256 index) public {
        count = bound(count, 1, 1 << 30);
        index = bound(index, count, type(uint256).max);
        _anchor(count);
        uint256 wordIndex = index >> 8;
        uint256 mask = 1 << (index & 0xff);
        vm.expectRevert(abi.encodeWithSelector(ICredentialRegistry.IndexOutOfRange.selector, ROOT, wordIndex, mask, count));
        vm.prank(ISSUER);
        registry.revoke(ROOT, wordIndex, mask, 0);
    }

    /// A batch of one: the root is the leaf itself and the empty proof verifies, for no other index or hash.
    function testFuzz_SingleLeafTree(uint256 index, bytes32 credentialHash, uint256 otherIndex) public view {
        vm.assume(otherIndex != index);
        bytes32 root = _leaf(index, credentialHash);
        bytes32[] memory proof = new bytes32[](0);
        assertTrue(registry.verifyLeaf(root, index, credentialHash, proof), "leaf verifies");
        assertTrue(!registry.verifyLeaf(root, otherIndex, credentialHash, proof), "other index fails");
        assertTrue(!registry.verifyLeaf(root, index, ~credentialHash, proof), "other hash fails");
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
            assertTrue(!registry.verifyLeaf(root, i ^ 1, hashes[i], proof), "swapped index fails");
        }
    }

    function _leaf(uint256 index, bytes32 credentialHash) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(index, credentialHash))));
    }

    function _pair(bytes32 a, bytes32 b) internal pure returns (bytes32) {
        return a < b ? keccak256(abi.encode(a, b)) : keccak256(abi.encode(b, a));
    }
}
