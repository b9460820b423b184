/**
 * `registry deploy` off a local chain deploys the production build, never the coverage-instrumented one
 * that `npm test` leaves in artifacts/ (scripts/deploy-registry.ts). Hardhat's build and artifacts are
 * stood in for here: building for real in the middle of the coverage run would replace the build the
 * other tests run on.
 */
import { expect } from "chai";

import { CoverageBuildError, ensureProductionBuild, isCoverageBuild, LOCAL_CHAIN_ID } from "../../scripts/deploy-registry.js";

// The shape of an instrumented build: a PUSH20 of the coverage address, then a STATICCALL.
const INSTRUMENTED = "0x6080604052348015600e575f5ffd5b5073c0bEc0BEc0BeC0bEC0beC0bEC0bEC0beC0beC0BE5afa50";
const PRODUCTION = "0x6080604052348015600e575f5ffd5b50600436106100a9575f3560e01c80";

function fakeHre(bytecodeAfterBuild: string) {
  const builds: unknown[] = [];
  let reads = 0;
  const hre = {
    tasks: { getTask: (name: string) => ({ run: async (options: unknown) => void builds.push({ name, options }) }) },
    artifacts: {
      readArtifact: async (name: string) => {
        reads++;
        expect(name).to.equal("CredentialRegistry");
        return { deployedBytecode: bytecodeAfterBuild };
      },
    },
  };
  return { hre: hre as never, builds, reads: () => reads };
}

describe("registry deploy: the production build, never the coverage build", function () {
  it("tells an instrumented build from a production one by the coverage address it calls", function () {
    expect(isCoverageBuild(INSTRUMENTED)).to.equal(true);
    expect(isCoverageBuild(INSTRUMENTED.toLowerCase())).to.equal(true);
    expect(isCoverageBuild(PRODUCTION)).to.equal(false);
  });

  it("builds with the production profile before deploying anywhere but a local chain", async function () {
    const { hre, builds } = fakeHre(PRODUCTION);
    await ensureProductionBuild(hre, 11_155_111n);
    expect(builds).to.deep.equal([{ name: "build", options: { quiet: true, noTests: true, defaultBuildProfile: "production" } }]);
  });

  it("stops the deployment when the build there is still instrumented", async function () {
    const { hre } = fakeHre(INSTRUMENTED);
    const failure = await ensureProductionBuild(hre, 1n).catch((error: unknown) => error);
    expect(failure).to.be.instanceOf(CoverageBuildError);
    expect((failure as CoverageBuildError).code).to.equal("coverage-build");
    expect((failure as Error).message).to.contain("npx hardhat build");
  });

  it("deploys a local development chain's artifacts as they are", async function () {
    const { hre, builds, reads } = fakeHre(INSTRUMENTED);
    await ensureProductionBuild(hre, LOCAL_CHAIN_ID);
    expect(builds).to.deep.equal([]);
    expect(reads()).to.equal(0);
  });
});
