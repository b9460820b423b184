/**
 * Hardhat's coverage reports lines and statements but no branches, so this stands in for branch
 * coverage of the failure paths: every custom error in the registry's ABI (those of ICredentialRegistry
 * and those it inherits from OpenZeppelin) must be asserted by name somewhere in the tests (a chai
 * `revertedWithCustomError(registry, "Name")` in TypeScript, or an expected `ICredentialRegistry.Name.selector`
 * in a Solidity test). Adding an error without a test fails here.
 */
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";

import artifact from "../../artifacts/contracts/CredentialRegistry.sol/CredentialRegistry.json" with { type: "json" };
import interfaceArtifact from "../../artifacts/contracts/ICredentialRegistry.sol/ICredentialRegistry.json" with { type: "json" };

// Errors the registry inherits from OpenZeppelin but cannot raise, and why.
const UNREACHABLE: Record<string, string> = {
  AddressEmptyCode: "Multicall delegate-calls the registry itself, which always has code",
  InvalidShortString: "EIP712's name and version are short constants fixed at deployment",
  StringTooLong: "EIP712's name and version are short constants fixed at deployment",
};

async function filesUnder(directory: string, suffix: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe("CredentialRegistry: every custom error is exercised by a test", function () {
  it("asserts each error of the ABI by name at least once", async function () {
    const sources = [...(await filesUnder("test/registry", ".ts")), ...(await filesUnder("contracts", ".t.sol"))].filter(
      (file) => !file.endsWith("every-error-exercised.ts"),
    );
    const text = (await Promise.all(sources.map((file) => readFile(file, "utf8")))).join("\n");
    const errors = artifact.abi.filter((item) => item.type === "error").map((item) => item.name!);
    expect(errors.length).to.be.greaterThan(20);

    const missing = errors.filter((name) => {
      if (name in UNREACHABLE) return false;
      const inTypeScript = new RegExp(`revertedWithCustomError\\(\\s*registry,\\s*"${name}"`).test(text);
      const inSolidity = text.includes(`.${name}.selector`);
      return !inTypeScript && !inSolidity;
    });
    expect(missing, `errors no test asserts: ${missing.join(", ")}`).to.deep.equal([]);
  });

  it("covers the interface's own errors: each is in the registry's ABI and none is listed as unreachable", function () {
    const errors = new Set(artifact.abi.filter((item) => item.type === "error").map((item) => item.name));
    const own = interfaceArtifact.abi.filter((item) => item.type === "error").map((item) => item.name);
    expect(own.length).to.be.greaterThan(30);
    for (const name of own) {
      expect(errors.has(name), name).to.equal(true);
      expect(name in UNREACHABLE, name).to.equal(false);
    }
  });

  it("lists as unreachable only errors the ABI really has", function () {
    const errors = new Set(artifact.abi.filter((item) => item.type === "error").map((item) => item.name));
    for (const name of Object.keys(UNREACHABLE)) expect(errors.has(name), name).to.equal(true);
  });
});
