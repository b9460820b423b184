/**
 * Hardhat 3 configuration: the Solidity compiler (offline, from the npm package `solc`), networks,
 * and the project's tasks (`registry …`). Secrets and URLs for real networks are configuration
 * variables, read from Hardhat's encrypted keystore or the environment, never from this file.
 */
import { createRequire } from "node:module";

import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";

import { registryTasks } from "./scripts/tasks/index.js";

const require = createRequire(import.meta.url);

// `npm test` measures coverage on an instrumented build of the registry, larger than a chain accepts
// (EIP-170); it sets this variable so that its in-process chain and the `hardhat node`s its tests start
// take that build. The real build's size is held to EIP-170 by scripts/check-code-size.ts.
const instrumentedBuild = process.env.CREDENTIAL_REGISTRY_INSTRUMENTED_BUILD === "1";

// The wasm build of solc from npm: Hardhat would otherwise download a compiler, which these machines cannot.
const solidityCompiler = {
  version: "0.8.30",
  path: require.resolve("solc/soljson.js"),
  settings: { optimizer: { enabled: true, runs: 10_000 } },
};

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  solidity: {
    profiles: {
      default: solidityCompiler,
      production: solidityCompiler,
    },
  },
  // Local chains (Hardhat node, Anvil) run every hardfork from genesis. Saying so lets a node that forks
  // one of them (`npx hardhat node --fork http://127.0.0.1:8545`, as auditors do) execute calls at its blocks.
  chainDescriptors: {
    31337: { name: "Local development chain", chainType: "l1", hardforkHistory: { osaka: { blockNumber: 0 } } },
  },
  networks: {
    default: { type: "edr-simulated", chainType: "l1", allowUnlimitedContractSize: instrumentedBuild },
    node: { type: "edr-simulated", chainType: "l1", allowUnlimitedContractSize: instrumentedBuild },
    // `npx hardhat node` (or Anvil) on this machine; LOCALHOST_RPC_URL moves it to another port.
    localhost: {
      type: "http",
      chainType: "l1",
      url: configVariable("LOCALHOST_RPC_URL", { default: "http://127.0.0.1:8545" }),
    },
    sepolia: {
      type: "http",
      chainType: "l1",
      url: configVariable("SEPOLIA_RPC_URL"),
      accounts: [configVariable("SEPOLIA_PRIVATE_KEY")],
    },
  },
  test: {
    solidity: {
      fuzz: { runs: 256 },
      // 64 sequences of 64 calls each: enough to reach every action many times (see the handler's counters)
      // while keeping `npm test` within a few minutes on two cores.
      invariant: { runs: 64, depth: 64 },
    },
  },
  tasks: registryTasks,
});
