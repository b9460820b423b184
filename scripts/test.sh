#!/usr/bin/env bash
# `npm test`: installs dependencies if needed, runs every test (Solidity fuzz and invariant tests, mocha
# tests) with coverage after a type check, then fails unless the contracts' line and statement coverage is 100%.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --if-needed
hardhat build --quiet
node scripts/check-code-size.ts
tsc --noEmit -p .
export CREDENTIAL_REGISTRY_INSTRUMENTED_BUILD=1
mkdir -p test-output
hardhat test --coverage "$@" 2>&1 | tee test-output/test.log
node scripts/check-coverage.ts test-output/test.log coverage/lcov.info
