// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CredentialRegistry} from "./CredentialRegistry.sol";
import {ICredentialRegistry} from "./ICredentialRegistry.sol";
import {RegistryHandler} from "./testing/RegistryHandler.t.sol";
import {TestBase} from "./testing/TestBase.t.sol";

/**
 * @dev Invariant tests: the fuzzer drives random sequences of registry actions through RegistryHandler
 * (issuers registered, suspended, reinstated, withdrawn; operators added and removed; anchors, revocations
 * and suspensions, direct and by signature, by authorised and unauthorised actors), and after each
 * sequence these properties must hold.
 */
contract CredentialRegistryInvariantTest is TestBase {
    CredentialRegistry internal registry;
    RegistryHandler internal handler;

    function setUp() public {
        registry = new CredentialRegistry(address(this), address(this));
        handler = new RegistryHandler(registry);
        registry.grantRole(registry.ACCREDITOR_ROLE(), address(handler));
        // Start with a cast in place so that sequences reach anchors and revocations early.
        for (uint256 seed = 0; seed < 3; ++seed) handler.registerIssuer(seed);
    }

    /// @dev Foundry-compatible hook: fuzz only the handler's functions.
    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// The handler's actions really reach the registry: a scripted sequence anchors, revokes and signs.
    function test_HandlerDrivesTheRegistry() public {
        handler.authorizeOperator(0, 5);
        handler.anchor(5, 1, 300); // by issuer 0's operator
        handler.anchorBySig(1, 2, 10, 7); // signed by issuer 1, relayed by a stranger
        handler.revoke(0, 0, 1, 1); // issuer 0 revokes index 256 of its batch
        handler.revokeBySig(1, 1, 0, 3); // issuer 1 revokes indices 0 and 1 of its batch by signature
        handler.suspend(6, 0, 0, 1); // a stranger's attempt changes nothing
        assertEq(handler.rootCount(), 2, "two anchors");
        assertEq(registry.revocationWord(handler.roots(0), 1), 1, "operator-anchored batch revoked at 256");
        assertEq(registry.revocationWord(handler.roots(1), 0), 3, "signed revocation applied");
        assertEq(registry.nonces(handler.actor(1)), 2, "two signatures used");
        assertEq(handler.unauthorisedStatusChanges(), 0, "no outsider change");
        assertTrue(handler.successfulCalls() >= 4, "actions succeeded");
    }

    /// An anchor never changes once written (but for the whole-batch revocation flag, which only rises).
    function invariant_anchorsNeverChange() public view {
        uint256 count = handler.rootCount();
        for (uint256 i = 0; i < count; ++i) {
            bytes32 root = handler.roots(i);
            ICredentialRegistry.Anchor memory now_ = registry.getAnchor(root);
            (address issuer, uint40 anchoredAt, uint40 batchCount, ) = handler.firstSeenAnchor(root);
            assertEq(now_.issuer, issuer, "anchor issuer changed");
            assertEq(now_.anchoredAt, anchoredAt, "anchor time changed");
            assertEq(now_.count, batchCount, "anchor count changed");
            if (handler.everBatchRevoked(root)) assertTrue(now_.batchRevoked, "batch revocation undone");
        }
    }

    /// A revoked credential never becomes unrevoked.
    function invariant_revocationsArePermanent() public view {
        uint256 count = handler.rootCount();
        for (uint256 i = 0; i < count; ++i) {
            bytes32 root = handler.roots(i);
            for (uint256 wordIndex = 0; wordIndex <= handler.maxWordTouched(root); ++wordIndex) {
                uint256 ever = handler.everRevoked(root, wordIndex);
                assertEq(registry.revocationWord(root, wordIndex) & ever, ever, "revoked bit cleared");
            }
        }
    }

    /// Only the anchoring issuer or its then-authorised operators ever changed a root's status.
    function invariant_onlyIssuerOrOperatorsChangeStatus() public view {
        assertEq(handler.unauthorisedStatusChanges(), 0, "status changed by an outsider");
    }

    /// Nonces only increase.
    function invariant_noncesOnlyIncrease() public view {
        assertEq(handler.nonceDecreases(), 0, "a nonce decreased");
        for (uint256 seed = 0; seed < handler.actorCount(); ++seed) {
            address account = handler.actor(seed);
            assertTrue(registry.nonces(account) >= handler.lastNonce(account), "nonce below one seen before");
        }
    }

    /// An issuer that is not active (nor its operators) never anchors.
    function invariant_inactiveIssuersNeverAnchor() public view {
        assertEq(handler.anchorsByInactiveIssuers(), 0, "anchor by a non-active issuer");
    }
}
