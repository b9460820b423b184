#!/usr/bin/env bash
# Installs the project's dependencies so that Hardhat 3 runs, on a machine with Node >= 22.13
# or on one whose PATH has an older Node (these CI machines have Node 20).
#
# Why: Hardhat 3 needs Node >= 22.13, and npm running under an older Node silently skips Hardhat's
# native runtime package (engines >= 22). So the install itself must run under Node 22. When the
# machine's Node is older, we fetch Node 22 from the npm registry (package `node`) into .node22/ and
# run `npm ci` with it first on PATH. The project pins `node` as a devDependency too, so every later
# `npm run …` / `npx …` runs under that Node 22 (npm puts node_modules/.bin first on PATH).
#
# Usage: scripts/setup.sh               install (npm ci) now
#        scripts/setup.sh --if-needed   install only when node_modules is missing or out of date
set -euo pipefail
cd "$(dirname "$0")/.."

readonly NODE22_VERSION="22.23.3"
stamp="node_modules/.credential-registry-setup"

if [[ "${1:-}" == "--if-needed" && -f "$stamp" && -f package-lock.json ]] \
  && cmp -s package-lock.json "$stamp" \
  && [[ -d node_modules/@nomicfoundation/edr-linux-x64-gnu || "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]]; then
  exit 0
fi

node_is_recent_enough() {
  node -e 'const [major, minor] = process.versions.node.split(".").map(Number);
           process.exit(major > 22 || (major === 22 && minor >= 13) ? 0 : 1)' 2>/dev/null
}

if ! node_is_recent_enough; then
  if [[ ! -x .node22/node_modules/.bin/node ]]; then
    echo "setup: $(node --version 2>/dev/null || echo 'no Node') on PATH is older than 22.13;" \
         "fetching Node ${NODE22_VERSION} from the npm registry into .node22/"
    npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      --prefix .node22 "node@${NODE22_VERSION}"
  fi
  export PATH="$PWD/.node22/node_modules/.bin:$PATH"
fi

echo "setup: installing dependencies with Node $(node --version)"
if [[ -f package-lock.json ]]; then
  npm ci --no-audit --no-fund
else
  npm install --no-audit --no-fund
fi
cp package-lock.json "$stamp"
echo "setup: done (Node for project scripts: $(PATH="$PWD/node_modules/.bin:$PATH" node --version))"
