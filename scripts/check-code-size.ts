/**
 * Fails unless the registry's runtime code, as built for a real chain (not coverage-instrumented), fits
 * EIP-170's 24,576 bytes. `npm test` runs it after the plain build and before the coverage run, whose
 * instrumented build is larger and is deployed only on the test chains, which are told to accept it.
 *
 * Usage: node scripts/check-code-size.ts
 */
import { readFileSync } from "node:fs";

const EIP_170_LIMIT = 24_576;
const artifactPath = "artifacts/contracts/CredentialRegistry.sol/CredentialRegistry.json";

const artifact = JSON.parse(readFileSync(artifactPath, "utf8")) as { deployedBytecode: string };
const bytes = (artifact.deployedBytecode.length - 2) / 2;
if (bytes > EIP_170_LIMIT) {
  console.error(`code size: CredentialRegistry's runtime code is ${bytes} bytes, over EIP-170's ${EIP_170_LIMIT}: no chain would accept it`);
  process.exit(1);
}
console.log(`code size: CredentialRegistry's runtime code is ${bytes} of ${EIP_170_LIMIT} bytes (EIP-170)`);
