// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/**
 * @title GovernanceTimelock
 * @notice OpenZeppelin's TimelockController, unchanged, under a name of this project: Hardhat emits artifacts
 * only for the project's own contracts, and the governance test deploys the very timelock the README
 * recommends as the holder of ACCREDITOR_ROLE (a Safe as its proposer and canceller). Test code only.
 */
contract GovernanceTimelock is TimelockController {
    constructor(
        uint256 minDelay,
        address[] memory proposers,
        address[] memory executors,
        address admin
    ) TimelockController(minDelay, proposers, executors, admin) {}
}
