// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CredentialRegistry} from "./CredentialRegistry.sol";
import {ICredentialRegistry} from "./ICredentialRegistry.sol";
import {RegistryHandler} from "./testing/RegistryHandler.t.sol";
import {TestBase} from "./testing/TestBase.t.sol";

/**
 * @dev Invariant tests (registry 2.x): the fuzzer drives random sequences of registry actions through
 * RegistryHandler — issuers suspended, reinstated, withdrawn; operators added and removed; control
 * transferred, accepted, recovered; keys declared compromised by the controller or the accreditor; anchors,
 * revocations and suspensions, directly and by signature, by keys of the issuer and by anyone else; time
 * passing — and after every call these properties must hold. hardhat.config.ts runs 64 sequences of 64
 * calls (4,096 calls for each invariant).
 */
contract CredentialRegistryInvariantTest is TestBase {
    CredentialRegistry internal registry;
    RegistryHandler internal handler;

    function setUp() public {
        vm.warp(1_800_000_000);
        registry = new CredentialRegistry(address(this), address(this));
        handler = new RegistryHandler(registry);
        registry.grantRole(registry.ACCREDITOR_ROLE(), address(handler));
        handler.registerCast();
        // Operators in place from the start, so that sequences reach operator anchors and suspensions early.
        handler.addOperator(0, 1, 5); // issuer 0's controller adds actor 5
        handler.addOperator(1, 1, 6);
    }

    /// @dev Foundry-compatible hook: fuzz only the handler's functions.
    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// The handler's actions really reach the registry: a scripted sequence runs each of them successfully.
    function test_HandlerReachesEveryAction() public {
        handler.anchor(0, 1, 0, 300); // issuer 0's controller
        handler.anchor(0, 2, 1, 10); // issuer 0's operator (actor 5)
        handler.anchorBySig(1, 1, 2, 20, 1); // signed by issuer 1's controller, nonce key 1
        handler.revoke(0, 1, 0, 1, 1); // index 256 of root 0
        handler.revokeBySig(1, 1, 2, 0, 3); // indices 0 and 1 of issuer 1's root 2
        handler.suspend(0, 2, 1, 0, 1); // the operator suspends its own batch
        handler.unsuspend(0, 1, 1, 0, 1); // the controller lifts it
        handler.revokeBatch(0, 1, 1);
        handler.warp(3600);
        handler.declareCompromised(0, 1, 5, 1); // the operator, since its start
        handler.declareCompromisedByAccreditor(1, 6, 1 << 8);
        handler.removeOperator(2, 1, 9); // not an operator: refused
        handler.addOperator(2, 1, 7);
        handler.removeOperator(2, 1, 7);
        handler.transferControl(2, 1, 8);
        handler.acceptControl(2, 1);
        handler.recoverControl(2, 4);
        handler.invalidateNonce(3, 2);
        handler.setIssuerStatus(2, 1, 7); // suspend
        handler.setIssuerStatus(2, 0, 6); // withdraw

        assertTrue(handler.anchors() >= 2, "direct anchors");
        assertEq(handler.signedAnchors(), 1, "signed anchor");
        assertEq(handler.revocations(), 1, "revocation");
        assertEq(handler.signedRevocations(), 1, "signed revocation");
        assertEq(handler.suspensions(), 1, "suspension");
        assertEq(handler.unsuspensions(), 1, "unsuspension");
        assertEq(handler.batchRevocations(), 1, "batch revocation");
        assertEq(handler.compromisesDeclared(), 2, "compromise declarations");
        assertTrue(handler.operatorsAdded() >= 3, "operators added");
        assertEq(handler.operatorsRemoved(), 1, "operator removed");
        assertEq(handler.transfersProposed(), 1, "transfer proposed");
        assertEq(handler.transfersAccepted(), 1, "transfer accepted");
        assertEq(handler.recoveries(), 1, "recovery");
        assertEq(handler.nonceInvalidations(), 1, "nonce invalidated");
        assertEq(handler.issuerStatusChanges(), 2, "issuer status changes");
        assertEq(handler.timeWarps(), 1, "time passed");

        bytes32 first = handler.issuerIds(0);
        assertEq(registry.revocationWord(first, handler.rootAt(0), 1), 1, "index 256 revoked");
        assertTrue(registry.credentialStatus(first, handler.rootAt(1), 0).keyCompromised, "operator's anchor cut off");
        assertTrue(!registry.credentialStatus(first, handler.rootAt(0), 0).keyCompromised, "controller's anchor valid");
        _assertNoViolation();
    }

    /// No action by an account that is not a key of issuer X changes X's anchors or bits; and a key is X's alone
    /// (whatever its role at X, issuerOfKey names X, and it has no role at another issuer).
    function invariant_onlyAnIssuersKeysChangeItsAnchorsAndBits() public view {
        assertEq(handler.dataChangesByNonKeys(), 0, "anchors or bits changed by a non-key");
        for (uint256 a = 0; a < handler.actorCount(); ++a) {
            address account = handler.actor(a);
            uint256 roles;
            for (uint256 i = 0; i < handler.issuerCount(); ++i) {
                bytes32 id = handler.issuerIds(i);
                if (registry.getKey(id, account).role != ICredentialRegistry.KeyRole.None) {
                    ++roles;
                    assertEq(registry.issuerOfKey(account), id, "key bound elsewhere");
                }
            }
            assertTrue(roles <= 1, "a key of two issuers");
        }
    }

    /// A withdrawn issuer's state (record, keys, proposal, anchors, bits) changes only by the accreditor.
    function invariant_withdrawnIssuersChangeOnlyByTheAccreditor() public view {
        assertEq(handler.frozenChangesByOthers(), 0, "a withdrawn issuer changed by a non-accreditor");
    }

    /// An anchor made by a key at or after the time it was declared compromised never reads valid (and one made
    /// before does); a key declared compromised never anchors again.
    function invariant_anchorsOfACompromisedKeyFromItsCutOffReadCompromised() public view {
        assertEq(handler.anchorsByCompromisedKeys(), 0, "a compromised key anchored");
        for (uint256 i = 0; i < handler.issuerCount(); ++i) {
            bytes32 id = handler.issuerIds(i);
            for (uint256 r = 0; r < handler.rootCount(); ++r) {
                ICredentialRegistry.CredentialStatus memory status = registry.credentialStatus(id, handler.rootAt(r), 0);
                if (!status.anchored) continue;
                uint40 since = handler.declaredSince(i, status.actingKey);
                if (since == 0) continue;
                assertEq(status.keyCompromisedSince, since, "compromise time as declared (the earliest)");
                if (status.anchoredAt >= since) assertTrue(status.keyCompromised, "anchor after the cut-off reads valid");
                else assertFalse(status.keyCompromised, "anchor before the cut-off reads compromised");
            }
        }
    }

    /// A revoked credential never returns: revocation bits never clear, a revoked batch stays revoked, an anchor
    /// cut off by a compromise stays cut off. Nor does a used nonce: keyed nonces only increase.
    function invariant_aRevokedCredentialNeverReturns() public view {
        for (uint256 i = 0; i < handler.issuerCount(); ++i) {
            bytes32 id = handler.issuerIds(i);
            uint256 pairs = handler.wordPairCount();
            bytes32[] memory ids = new bytes32[](pairs);
            for (uint256 p = 0; p < pairs; ++p) ids[p] = id;
            (uint256[] memory revoked, ) = registry.bitmapWords(ids, handler.wordRoots(), handler.wordIndices());
            uint256[] memory ever = handler.everRevokedWords(i);
            for (uint256 p = 0; p < pairs; ++p) assertEq(revoked[p] & ever[p], ever[p], "revoked bit cleared");
            for (uint256 r = 0; r < handler.rootCount(); ++r) {
                if (!handler.everBatchRevoked(i, r) && !handler.everKeyCompromised(i, r)) continue;
                ICredentialRegistry.CredentialStatus memory status = registry.credentialStatus(id, handler.rootAt(r), 0);
                if (handler.everBatchRevoked(i, r)) assertTrue(status.batchRevoked, "batch revocation undone");
                if (handler.everKeyCompromised(i, r)) assertTrue(status.keyCompromised, "compromise cut-off undone");
            }
        }
        assertEq(handler.nonceDecreases(), 0, "a nonce decreased");
    }

    function _assertNoViolation() private view {
        assertEq(handler.dataChangesByNonKeys(), 0, "non-key changed data");
        assertEq(handler.frozenChangesByOthers(), 0, "frozen issuer changed");
        assertEq(handler.anchorsByCompromisedKeys(), 0, "compromised key anchored");
        assertEq(handler.nonceDecreases(), 0, "nonce decreased");
    }
}
