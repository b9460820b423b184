// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @dev The few Foundry-compatible cheatcodes our Solidity tests use (Hardhat 3's test runner provides them).
/// We declare them ourselves: the official forge-std is not on the npm registry.
interface Vm {
    function prank(address sender) external;
    function startPrank(address sender) external;
    function stopPrank() external;
    function expectRevert(bytes calldata revertData) external;
    function warp(uint256 timestamp) external;
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);
    function addr(uint256 privateKey) external pure returns (address);
    function assume(bool condition) external pure;
}

/// @dev Assertions and input shaping shared by the Solidity tests.
abstract contract TestBase {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    function assertTrue(bool condition, string memory what) internal pure {
        require(condition, what);
    }

    function assertFalse(bool condition, string memory what) internal pure {
        require(!condition, what);
    }

    function assertEq(uint256 actual, uint256 expected, string memory what) internal pure {
        if (actual != expected) revert(string.concat(what, ": got ", _toString(actual), ", expected ", _toString(expected)));
    }

    function assertEq(address actual, address expected, string memory what) internal pure {
        require(actual == expected, what);
    }

    function assertEq(bytes32 actual, bytes32 expected, string memory what) internal pure {
        require(actual == expected, what);
    }

    /// @dev Maps any fuzzed `value` into [min, max] (inclusive), keeping small values unchanged where possible.
    function bound(uint256 value, uint256 min, uint256 max) internal pure returns (uint256) {
        require(min <= max, "bound: min > max");
        if (value >= min && value <= max) return value;
        uint256 size = max - min;
        if (size == type(uint256).max) return value;
        return min + (value % (size + 1));
    }

    function _toString(uint256 value) private pure returns (string memory) {
        if (value == 0) return "0";
        bytes memory digits;
        while (value != 0) {
            digits = abi.encodePacked(bytes1(uint8(48 + (value % 10))), digits);
            value /= 10;
        }
        return string(digits);
    }
}
