// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CredentialRegistry} from "../CredentialRegistry.sol";
import {ICredentialRegistry} from "../ICredentialRegistry.sol";
import {TestBase} from "./TestBase.t.sol";

/**
 * @dev The invariant fuzzer's only target (registry 2.x). Each function takes fuzzed seeds, picks an issuer
 * and an actor among a fixed cast — most often a current key of that issuer, otherwise anyone of the cast —
 * tries one registry action (directly or by signature; the handler itself is the accreditor), and judges the
 * call against a snapshot of every issuer taken just before it:
 *  - an issuer's anchors and bits changed though the actor was not its controller or operator;
 *  - a withdrawn issuer's state changed by someone other than the accreditor;
 *  - a key anchored after being declared compromised.
 * Violations are counted in ghost variables the invariant test asserts are zero. The handler also keeps what
 * it saw (bits ever revoked, batches ever revoked, anchors ever cut off, compromise times declared) so the
 * invariants can check that nothing of it is ever undone, and counts each action that succeeded.
 */
contract RegistryHandler is TestBase {
    CredentialRegistry public immutable registry;

    uint256 internal constant ACTOR_COUNT = 10;
    uint256 internal constant ISSUER_COUNT = 3;
    uint256 internal constant ROOT_COUNT = 6;
    uint256 internal constant WORD_COUNT = 2; // batches hold at most 512 credentials
    uint256 internal constant WORD_PAIRS = ROOT_COUNT * WORD_COUNT;
    uint256 internal constant NONCE_KEYS = 3;
    uint256 internal constant KEY_OFFSET = 0xA11CE;

    struct IssuerSnapshot {
        bytes32 data; // anchors and bits
        bytes32 full; // data, record, proposal and the cast's key states
        bool actorIsKey;
        ICredentialRegistry.IssuerStatus status;
    }

    bytes32[ISSUER_COUNT] public issuerIds;
    address[ACTOR_COUNT] internal cast;

    // Ghost state: what was seen, to be never undone.
    mapping(uint256 issuer => mapping(uint256 pair => uint256 bits)) public everRevoked;
    mapping(uint256 issuer => mapping(uint256 root => bool)) public everBatchRevoked;
    mapping(uint256 issuer => mapping(uint256 root => bool)) public everKeyCompromised;
    mapping(uint256 issuer => mapping(address key => uint40 since)) public declaredSince;
    mapping(address signer => mapping(uint256 nonceKey => uint256 nonce)) public lastNonce;

    // Violations: each must stay zero.
    uint256 public dataChangesByNonKeys;
    uint256 public frozenChangesByOthers;
    uint256 public anchorsByCompromisedKeys;
    uint256 public nonceDecreases;

    // What ran: successful calls of each action.
    uint256 public registrations;
    uint256 public issuerStatusChanges;
    uint256 public recoveries;
    uint256 public operatorsAdded;
    uint256 public operatorsRemoved;
    uint256 public transfersProposed;
    uint256 public transfersAccepted;
    uint256 public compromisesDeclared;
    uint256 public anchors;
    uint256 public signedAnchors;
    uint256 public revocations;
    uint256 public signedRevocations;
    uint256 public suspensions;
    uint256 public unsuspensions;
    uint256 public batchRevocations;
    uint256 public nonceInvalidations;
    uint256 public timeWarps;

    constructor(CredentialRegistry registry_) {
        registry = registry_;
        for (uint256 a = 0; a < ACTOR_COUNT; ++a) cast[a] = vm.addr(_privateKey(a));
    }

    /// @dev Registers the issuers, controllers actors 0, 1, 2 (the handler must hold ACCREDITOR_ROLE).
    function registerCast() external {
        for (uint256 i = 0; i < ISSUER_COUNT; ++i) {
            issuerIds[i] = registry.registerIssuer(string.concat("did:web:issuer-", _digit(i), ".example"), actor(i));
            ++registrations;
        }
    }

    // ------------------------------------------------------------ the cast

    function actor(uint256 seed) public view returns (address) {
        return cast[seed % ACTOR_COUNT];
    }

    function rootAt(uint256 index) public pure returns (bytes32) {
        return keccak256(abi.encode("root", index));
    }

    function issuerCount() external pure returns (uint256) {
        return ISSUER_COUNT;
    }

    function rootCount() external pure returns (uint256) {
        return ROOT_COUNT;
    }

    function wordCount() external pure returns (uint256) {
        return WORD_COUNT;
    }

    function actorCount() external pure returns (uint256) {
        return ACTOR_COUNT;
    }

    function nonceKeyCount() external pure returns (uint256) {
        return NONCE_KEYS;
    }

    // ------------------------------------------------------------ accreditor actions (the handler is the accreditor)

    function setIssuerStatus(uint256 issuerSeed, uint256 which, uint8 reason) external {
        uint256 i = issuerSeed % ISSUER_COUNT;
        bytes32 id = issuerIds[i];
        IssuerSnapshot[ISSUER_COUNT] memory before = _snapshot(address(this));
        which %= 10;
        // Withdrawal is final: keep it rare so that sequences spend most of their calls on live issuers.
        if (which == 0) {
            try registry.withdrawIssuer(id, reason) {
                ++issuerStatusChanges;
            } catch {}
        } else if (which < 6) {
            try registry.suspendIssuer(id, reason) {
                ++issuerStatusChanges;
            } catch {}
        } else {
            try registry.reinstateIssuer(id, reason) {
                ++issuerStatusChanges;
            } catch {}
        }
        _judge(before, address(this), true, i);
    }

    function recoverControl(uint256 issuerSeed, uint256 newSeed) external {
        uint256 i = issuerSeed % ISSUER_COUNT;
        bytes32 id = issuerIds[i];
        IssuerSnapshot[ISSUER_COUNT] memory before = _snapshot(address(this));
        try registry.recoverControl(id, actor(newSeed)) {
            ++recoveries;
        } catch {}
        _judge(before, address(this), true, i);
    }

    function declareCompromisedByAccreditor(uint256 issuerSeed, uint256 keySeed, uint256 sinceSeed) external {
        uint256 i = issuerSeed % ISSUER_COUNT;
        address key = actor(keySeed);
        uint40 since = _since(i, key, sinceSeed);
        IssuerSnapshot[ISSUER_COUNT] memory before = _snapshot(address(this));
        try registry.declareKeyCompromised(issuerIds[i], key, since) {
            _afterDeclaration(i, key, since);
        } catch {}
        _judge(before, address(this), true, i);
    }

    // ------------------------------------------------------------ controller actions

    function addOperator(uint256 issuerSeed, uint256 actorSeed, uint256 operatorSeed) external {
        uint256 i = issuerSeed % ISSUER_COUNT;
        address account = _actorFor(i, actorSeed);
        IssuerSnapshot[ISSUER_COUNT] memory before = _snapshot(account);
        vm.prank(account);
        try registry.addOperator(issuerIds[i], actor(operatorSeed)) {
            ++operatorsAdded;
        } catch {}
        _judge(before, account, false, i);
    }

    function removeOperator(uint256 issuerSeed, uint256 actorSeed, uint256 operatorSeed) external {
        uint256 i = issuerSeed % ISSUER_COUNT;
        address account = _actorFor(i, actorSeed);
        IssuerSnapshot[ISSUER_COUNT] memory before = _snapshot(account);
        vm.prank(account);
        try registry.removeOperator(issuerIds[i], actor(operatorSeed)) {
            ++operatorsRemoved;
        } catch {}
        _judge(before, account, false, i);
    }

    function transferControl(uint256 issuerSeed, uint256 actorSeed, uint256 newSeed) external {
        uint256 i = issuerSeed % ISSUER_COUNT;
        address account = _actorFor(i, actorSeed);
        address proposed = newSeed % 5 == 0 ? address(0) : actor(newSeed);
        IssuerSnapshot[ISSUER_COUNT] memory before = _snapshot(account);
        vm.prank(account);
        try registry.transferControl(issuerIds[i], proposed) {
            ++transfersProposed;
        } catch {}
        _judge(before, account, false, i);
    }

    function acceptControl(uint256 issuerSeed, uint256 actorSeed) external {
        uint256 i = issuerSeed % ISSUER_COUNT;
        address proposed = registry.proposedController(issuerIds[i]);
        address account = proposed != address(0) && actorSeed % 4 != 0 ? proposed : actor(actorSeed);
        IssuerSnapshot[ISSUER_COUNT] memory before = _snapshot(account);
        vm.prank(account);
        try registry.acceptControl(issuerIds[i]) {
            ++transfersAccepted;
        } catch {}
        _judge(before, account, false, i);
    }

    function declareCompromised(uint256 issuerSeed, uint256 actorSeed, uint256 keySeed, uint256 sinceSeed) external {
        uint256 i = issuerSeed % ISSUER_COUNT;
        address account = _actorFor(i, actorSeed);
        address key = actor(keySeed);
        uint40 since = _since(i, key, sinceSeed);
        IssuerSnapshot[ISSUER_COUNT] memory before = _snapshot(account);
        vm.prank(account);
        try registry.declareKeyCompromised(issuerIds[i], key, since) {
            _afterDeclaration(i, key, since);
        } catch {}
        _judge(before, account, false, i);
    }

    // ------------------------------------------------------------ anchors and bits

    function anchor(uint256 issuerSeed, uint256 actorSeed, uint256 rootSeed, uint256 count) external {
        uint256 i = issuerSeed % ISSUER_COUNT;
        address account = _actorFor(i, actorSeed);
        bool compromised = declaredSince[i][account] != 0;
        IssuerSnapshot[ISSUER_COUNT] memory before = _snapshot(account);
        vm.prank(account);
        try registry.anchor(issuerIds[i], rootAt(rootSeed % ROOT_COUNT), bound(count, 1, WORD_COUNT * 256)) {
            ++anchors;
            if (compromised) ++anchorsByCompromisedKeys;
        } catch {}
        _judge(before, account, false, i);
    }

    function anchorBySig(uint256 issuerSeed, uint256 signerSeed, uint256 rootSeed, uint256 count, uint256 nonceSeed) external {
        uint256 i = issuerSeed % ISSUER_COUNT;
        (address signer, uint256 signerKey) = _signerFor(i, signerSeed);
        bytes32 root = rootAt(rootSeed % ROOT_COUNT);
        count = bound(count, 1, WORD_COUNT * 256);
        uint256 nonce = registry.nonces(signer, uint192(nonceSeed % NONCE_KEYS));
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256(
                    "Anchor(address signer,bytes32 issuerId,bytes32 root,uint256 count,uint256 nonce,uint256 deadline)"
                ),
                signer,
                issuerIds[i],
                root,
                count,
                nonce,
                block.timestamp
            )
        );
        ICredentialRegistry.Delegation memory delegation = ICredentialRegistry.Delegation(
            signer,
            nonce,
            block.timestamp,
            _sign(signerKey, structHash)
        );
        bool compromised = declaredSince[i][signer] != 0;
        IssuerSnapshot[ISSUER_COUNT] memory before = _snapshot(signer);
        vm.prank(actor(signerSeed + 1)); // any relayer
        try registry.anchorBySig(issuerIds[i], root, count, delegation) {
            ++signedAnchors;
            if (compromised) ++anchorsByCompromisedKeys;
        } catch {}
        _judge(before, signer, false, i);
        _checkNonce(signer, nonceSeed % NONCE_KEYS);
    }

    function revoke(uint256 issuerSeed, uint256 actorSeed, uint256 rootSeed, uint256 wordIndex, uint256 mask) external {
        uint256 i = issuerSeed % ISSUER_COUNT;
        address account = _actorFor(i, actorSeed);
        IssuerSnapshot[ISSUER_COUNT] memory before = _snapshot(account);
        vm.prank(account);
        try registry.revoke(issuerIds[i], rootAt(rootSeed % ROOT_COUNT), wordIndex % WORD_COUNT, mask, 1) {
            ++revocations;
        } catch {}
        _judge(before, account, false, i);
    }

    function revokeBySig(uint256 issuerSeed, uint256 signerSeed, uint256 rootSeed, uint256 wordIndex, uint256 mask) external {
        uint256 i = issuerSeed % ISSUER_COUNT;
        (address signer, uint256 signerKey) = _signerFor(i, signerSeed);
        bytes32 root = rootAt(rootSeed % ROOT_COUNT);
        wordIndex %= WORD_COUNT;
        uint256 nonce = registry.nonces(signer, 0);
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256(
                    "Revoke(address signer,bytes32 issuerId,bytes32 root,uint256 wordIndex,uint256 mask,uint8 reason,uint256 nonce,uint256 deadline)"
                ),
                signer,
                issuerIds[i],
                root,
                wordIndex,
                mask,
                uint8(4),
                nonce,
                block.timestamp
            )
        );
        ICredentialRegistry.Delegation memory delegation = ICredentialRegistry.Delegation(
            signer,
            nonce,
            block.timestamp,
            _sign(signerKey, structHash)
        );
        IssuerSnapshot[ISSUER_COUNT] memory before = _snapshot(signer);
        try registry.revokeBySig(issuerIds[i], root, wordIndex, mask, 4, delegation) {
            ++signedRevocations;
        } catch {}
        _judge(before, signer, false, i);
        _checkNonce(signer, 0);
    }

    function suspend(uint256 issuerSeed, uint256 actorSeed, uint256 rootSeed, uint256 wordIndex, uint256 mask) external {
        uint256 i = issuerSeed % ISSUER_COUNT;
        address account = _actorFor(i, actorSeed);
        IssuerSnapshot[ISSUER_COUNT] memory before = _snapshot(account);
        vm.prank(account);
        try registry.suspend(issuerIds[i], rootAt(rootSeed % ROOT_COUNT), wordIndex % WORD_COUNT, mask, 7) {
            ++suspensions;
        } catch {}
        _judge(before, account, false, i);
    }

    function unsuspend(uint256 issuerSeed, uint256 actorSeed, uint256 rootSeed, uint256 wordIndex, uint256 mask) external {
        uint256 i = issuerSeed % ISSUER_COUNT;
        address account = _actorFor(i, actorSeed);
        IssuerSnapshot[ISSUER_COUNT] memory before = _snapshot(account);
        vm.prank(account);
        try registry.unsuspend(issuerIds[i], rootAt(rootSeed % ROOT_COUNT), wordIndex % WORD_COUNT, mask, 0) {
            ++unsuspensions;
        } catch {}
        _judge(before, account, false, i);
    }

    function revokeBatch(uint256 issuerSeed, uint256 actorSeed, uint256 rootSeed) external {
        uint256 i = issuerSeed % ISSUER_COUNT;
        address account = _actorFor(i, actorSeed);
        IssuerSnapshot[ISSUER_COUNT] memory before = _snapshot(account);
        vm.prank(account);
        try registry.revokeBatch(issuerIds[i], rootAt(rootSeed % ROOT_COUNT), 0) {
            ++batchRevocations;
        } catch {}
        _judge(before, account, false, i);
    }

    function invalidateNonce(uint256 signerSeed, uint256 nonceSeed) external {
        address signer = actor(signerSeed);
        uint192 key = uint192(nonceSeed % NONCE_KEYS);
        vm.prank(signer);
        registry.invalidateNonce(key);
        ++nonceInvalidations;
        _checkNonce(signer, key);
    }

    /// @dev Lets time pass, so that keys' starts, anchors and compromise cut-offs fall at different times.
    function warp(uint256 secondsSeed) external {
        vm.warp(block.timestamp + bound(secondsSeed, 1, 3 days));
        ++timeWarps;
    }

    // ------------------------------------------------------------ judging a call

    function _snapshot(address account) private view returns (IssuerSnapshot[ISSUER_COUNT] memory snapshots) {
        for (uint256 i = 0; i < ISSUER_COUNT; ++i) {
            bytes32 id = issuerIds[i];
            ICredentialRegistry.KeyRole role = registry.getKey(id, account).role;
            ICredentialRegistry.Issuer memory record = registry.getIssuer(id);
            snapshots[i].data = dataDigest(i);
            snapshots[i].actorIsKey =
                role == ICredentialRegistry.KeyRole.Controller ||
                role == ICredentialRegistry.KeyRole.Operator;
            snapshots[i].status = record.status;
            // The whole state matters only to the freeze rule, that is once withdrawn.
            snapshots[i].full = keccak256(
                abi.encode(snapshots[i].data, record, registry.proposedController(id), _castKeys(id))
            );
        }
    }

    /// @dev Compares every issuer with its snapshot from before the call by `account`, then records what is
    /// now revoked, batch-revoked or cut off at the issuer acted on.
    function _judge(
        IssuerSnapshot[ISSUER_COUNT] memory before,
        address account,
        bool byAccreditor,
        uint256 target
    ) private {
        IssuerSnapshot[ISSUER_COUNT] memory afterCall = _snapshot(account);
        for (uint256 i = 0; i < ISSUER_COUNT; ++i) {
            if (afterCall[i].data != before[i].data && !before[i].actorIsKey) ++dataChangesByNonKeys;
            if (
                before[i].status == ICredentialRegistry.IssuerStatus.Withdrawn &&
                afterCall[i].full != before[i].full &&
                !byAccreditor
            ) ++frozenChangesByOthers;
        }
        // Only the target's bits can have been set (a change elsewhere is caught above, or by the invariants as
        // a cleared bit), so only its are recorded.
        _recordEver(target);
    }

    function _recordEver(uint256 i) private {
        bytes32 id = issuerIds[i];
        (uint256[] memory revoked, ) = registry.bitmapWords(_repeat(id, WORD_PAIRS), wordRoots(), wordIndices());
        for (uint256 p = 0; p < WORD_PAIRS; ++p) everRevoked[i][p] |= revoked[p];
        for (uint256 r = 0; r < ROOT_COUNT; ++r) {
            ICredentialRegistry.CredentialStatus memory status = registry.credentialStatus(id, rootAt(r), 0);
            if (status.batchRevoked) everBatchRevoked[i][r] = true;
            if (status.keyCompromised) everKeyCompromised[i][r] = true;
        }
    }

    /// @dev The revocation words ever seen at issuer `i`, pair p being word `p % WORD_COUNT` of root `p / WORD_COUNT`.
    function everRevokedWords(uint256 i) external view returns (uint256[] memory words) {
        words = new uint256[](WORD_PAIRS);
        for (uint256 p = 0; p < WORD_PAIRS; ++p) words[p] = everRevoked[i][p];
    }

    /// @dev The roots of the (root, word) pairs, in the order of {everRevokedWords}.
    function wordRoots() public pure returns (bytes32[] memory roots) {
        roots = new bytes32[](WORD_PAIRS);
        for (uint256 p = 0; p < WORD_PAIRS; ++p) roots[p] = rootAt(p / WORD_COUNT);
    }

    /// @dev The word indices of the (root, word) pairs, in the order of {everRevokedWords}.
    function wordIndices() public pure returns (uint256[] memory words) {
        words = new uint256[](WORD_PAIRS);
        for (uint256 p = 0; p < WORD_PAIRS; ++p) words[p] = p % WORD_COUNT;
    }

    function wordPairCount() external pure returns (uint256) {
        return WORD_PAIRS;
    }

    /// @dev A digest of issuer `i`'s anchors and revocation and suspension bits, from the batch views.
    function dataDigest(uint256 i) public view returns (bytes32) {
        bytes32 id = issuerIds[i];
        bytes32[] memory roots = new bytes32[](ROOT_COUNT);
        for (uint256 r = 0; r < ROOT_COUNT; ++r) roots[r] = rootAt(r);
        ICredentialRegistry.Anchor[] memory anchored = registry.getAnchors(_repeat(id, ROOT_COUNT), roots);
        (uint256[] memory revoked, uint256[] memory suspended) = registry.bitmapWords(
            _repeat(id, WORD_PAIRS),
            wordRoots(),
            wordIndices()
        );
        return keccak256(abi.encode(anchored, revoked, suspended));
    }

    function _repeat(bytes32 id, uint256 length) private pure returns (bytes32[] memory ids) {
        ids = new bytes32[](length);
        for (uint256 k = 0; k < length; ++k) ids[k] = id;
    }

    function _castKeys(bytes32 id) private view returns (ICredentialRegistry.KeyState[] memory) {
        address[] memory keys = new address[](ACTOR_COUNT);
        for (uint256 a = 0; a < ACTOR_COUNT; ++a) keys[a] = cast[a];
        return registry.getKeys(_repeat(id, ACTOR_COUNT), keys);
    }

    function _afterDeclaration(uint256 i, address key, uint40 since) private {
        ++compromisesDeclared;
        uint40 previous = declaredSince[i][key];
        if (previous == 0 || since < previous) declaredSince[i][key] = since;
    }

    function _checkNonce(address signer, uint256 key) private {
        uint256 nonce = registry.nonces(signer, uint192(key));
        if (nonce < lastNonce[signer][key]) ++nonceDecreases;
        lastNonce[signer][key] = nonce;
    }

    // ------------------------------------------------------------ choosing actors and values

    /// @dev Usually a current key of issuer `i` (its controller, or one of its operators), otherwise anyone.
    function _actorFor(uint256 i, uint256 seed) private view returns (address) {
        return actor(_actorIndexFor(i, seed));
    }

    function _signerFor(uint256 i, uint256 seed) private view returns (address signer, uint256 privateKey) {
        uint256 index = _actorIndexFor(i, seed);
        return (actor(index), _privateKey(index));
    }

    function _actorIndexFor(uint256 i, uint256 seed) private view returns (uint256) {
        if (seed % 4 == 0) return seed / 4;
        bytes32 id = issuerIds[i];
        address controller = registry.getIssuer(id).controller;
        if (seed % 4 == 1 && controller != address(0)) {
            for (uint256 a = 0; a < ACTOR_COUNT; ++a) if (cast[a] == controller) return a;
        }
        for (uint256 step = 0; step < ACTOR_COUNT; ++step) {
            uint256 a = (seed + step) % ACTOR_COUNT;
            if (registry.getKey(id, cast[a]).role == ICredentialRegistry.KeyRole.Operator) return a;
        }
        return seed;
    }

    /// @dev Usually a time within the key's life (its start to now), sometimes any time at all.
    function _since(uint256 i, address key, uint256 seed) private view returns (uint40) {
        if (seed % 5 == 0) return uint40(seed >> 8);
        uint256 start = registry.getKey(issuerIds[i], key).addedAt;
        if (start == 0 || start > block.timestamp) start = block.timestamp;
        return uint40(bound(seed >> 8, start, block.timestamp));
    }

    function _sign(uint256 privateKey, bytes32 structHash) private view returns (bytes memory) {
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", registry.DOMAIN_SEPARATOR(), structHash));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(privateKey, digest);
        return abi.encodePacked(r, s, v);
    }

    function _privateKey(uint256 seed) private pure returns (uint256) {
        return KEY_OFFSET + (seed % ACTOR_COUNT);
    }

    function _digit(uint256 value) private pure returns (string memory) {
        return string(abi.encodePacked(bytes1(uint8(48 + value))));
    }
}
