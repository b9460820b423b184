/**
 * The errors a newcomer meets first (issue 16), each saying what to do next: a command run without
 * --network, a local node that is not running, a real network whose configuration variables are not set,
 * an address with a mistyped character. Run as the user runs them, through Hardhat's CLI.
 */
import { expect } from "chai";

import { addressProblem } from "../../scripts/cli/checked-input.js";
import { freePort, runHardhat } from "../helpers/processes.js";

const UNIVERSITY = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

describe("commands: errors that say what to do next", function () {
  this.timeout(120_000);

  it("without --network: the in-process chain is empty at every run — add --network localhost", async function () {
    const result = await runHardhat(["issuer", "show", "did:web:uni.example"]);
    expect(result.exitCode).to.equal(2);
    expect(result.stderr).to.match(/no registry on network "default", Hardhat's in-process chain, .*add --network localhost/);
  });

  it("a local node that is not running: start one with npx hardhat node", async function () {
    const result = await runHardhat(["issuer", "show", "did:web:uni.example", "--network", "localhost"], { LOCALHOST_RPC_URL: `http://127.0.0.1:${await freePort()}` });
    expect(result.exitCode).to.equal(3);
    expect(result.stderr).to.match(/cannot reach network "localhost": .* — is a node running\? Start one with `npx hardhat node`/);
    expect(result.stderr).not.to.match(/HHE\d+/);
  });

  it("a real network before its configuration variables are stored: which keystore set to run", async function () {
    // As a user runs it: not under `hardhat test`, whose HH_TEST makes the keystore plugin read only its development keystore.
    const result = await runHardhat(["issuer", "show", "did:web:uni.example", "--network", "sepolia", "--json"], { HH_TEST: "false" });
    expect(result.exitCode, result.stdout + result.stderr).to.equal(2);
    const error = JSON.parse(result.stdout.trim().split("\n").at(-1)!).error;
    expect(error.code).to.equal("missing-configuration-variable");
    expect(error.message).to.match(/the configuration variable SEPOLIA_(RPC_URL|PRIVATE_KEY) is not set: store it with `npx hardhat keystore set SEPOLIA_(RPC_URL|PRIVATE_KEY)`/);
  });

  it("an address with one character's case changed: a wrong checksum, said as such", async function () {
    const mistyped = UNIVERSITY.replace("C51812dc", "c51812dc");
    const result = await runHardhat(["issuer", "register", "did:web:x.example", "--controller", mistyped, "--network", "localhost"], { LOCALHOST_RPC_URL: `http://127.0.0.1:${await freePort()}` });
    expect(result.exitCode).to.equal(2);
    expect(result.stderr).to.contain(`--controller ${mistyped} has a wrong EIP-55 checksum`);
    expect(addressProblem("--from", "0x123", "an address or an account index")).to.equal('--from must be an address or an account index, got "0x123"');
  });
});
