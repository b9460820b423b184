/**
 * `npm run demo`: the registry's life in one run on Hardhat's in-process chain. Deploys the registry,
 * registers two issuers, anchors a batch of credentials as one Merkle root, then checks credentials
 * against the chain the way a verifier does: valid, tampered, revoked, suspended and reinstated.
 *
 * The credential documents here are sample JSON strings hashed as they are; the Open Badges 3.0
 * pipeline (schema, RFC 8785 canonical form, anchor proofs) builds on this in lib/.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { network } from "hardhat";
import { keccak256, toUtf8Bytes } from "ethers";

import { deployRegistry } from "./deploy-registry.js";

const json = process.argv.includes("--json");
const say = (line: string) => {
  if (!json) console.log(line);
};

const connection = await network.create();
const { ethers } = connection;
const [, university, universityOperator, employer] = await ethers.getSigners();

say("1. Deploying CredentialRegistry on the in-process Hardhat chain…");
const deployed = await deployRegistry(connection);
const registry = await ethers.getContractAt("CredentialRegistry", deployed.address);
say(`   registry ${deployed.address} (chain ${deployed.chainId}); accreditor ${deployed.accreditor}`);

say("2. Accrediting two issuers…");
await (await registry.registerIssuer(university.address, "did:web:uni.example")).wait();
await (await registry.registerIssuer(employer.address, "https://security.employer.example/issuer")).wait();
await (await registry.connect(university).authorizeOperator(universityOperator.address)).wait();
say(`   university ${university.address} (operator ${universityOperator.address}); employer ${employer.address}`);

const learners = ["Ada", "Grace", "Alan", "Katherine", "Edsger", "Barbara"];
const documents = learners.map((learner, index) =>
  JSON.stringify({ id: `urn:uuid:demo-${index}`, achievement: "Data Analytics Micro-credential", learner }),
);
const credentialHashes = documents.map((document) => keccak256(toUtf8Bytes(document)));
const tree = StandardMerkleTree.of(
  credentialHashes.map((credentialHash, index) => [index, credentialHash]),
  ["uint256", "bytes32"],
);

say(`3. Anchoring ${documents.length} credentials as one batch (root ${tree.root}) by the university's operator…`);
const anchorReceipt = await (await registry.connect(universityOperator).anchor(tree.root, documents.length)).wait();
say(`   one transaction, ${anchorReceipt!.gasUsed.toLocaleString("en-US")} gas, block ${anchorReceipt!.blockNumber}`);

/** What a verifier concludes about `document` presented as credential `index` of the batch. */
async function verify(document: string, index: number): Promise<string> {
  const credentialHash = keccak256(toUtf8Bytes(document));
  const proof = tree.getProof(index);
  if (!(await registry.verifyLeaf(tree.root, index, credentialHash, proof))) return "tampered";
  const status = await registry.credentialStatus(tree.root, index);
  if (!status.anchored) return "unknown-anchor";
  if (!status.inRange) return "tampered";
  if (status.revoked || status.batchRevoked) return "revoked";
  if (status.suspended) return "suspended";
  if (status.issuerStatus !== 1n) return "issuer-not-active";
  return "valid";
}

const results: Array<{ step: string; credential: string; expected: string; status: string }> = [];
async function check(step: string, index: number, document: string, expected: string) {
  const status = await verify(document, index);
  results.push({ step, credential: `#${index} ${learners[index]}`, expected, status });
}

say("4. Verifying against the chain…");
await check("as issued", 0, documents[0], "valid");
await check("one field altered", 1, documents[1].replace("Grace", "Mallory"), "tampered");

await (await registry.connect(university).revoke(tree.root, 0, 1n << 2n, 1)).wait();
await check("revoked (issued in error)", 2, documents[2], "revoked");

await (await registry.connect(university).suspend(tree.root, 0, 1n << 3n, 7)).wait();
await check("suspended (under investigation)", 3, documents[3], "suspended");
await (await registry.connect(university).unsuspend(tree.root, 0, 1n << 3n, 0)).wait();
await check("suspension lifted", 3, documents[3], "valid");

const outcome = results.every((result) => result.status === result.expected);
if (json) {
  console.log(JSON.stringify({ registry: deployed.address, root: tree.root, results, ok: outcome }));
} else {
  const widths = [32, 14, 10, 10];
  const row = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column])).join("  ");
  console.log("");
  console.log(row(["check", "credential", "expected", "verifier"]));
  console.log(row(widths.map((width) => "-".repeat(width))));
  for (const result of results) console.log(row([result.step, result.credential, result.expected, result.status]));
  console.log("");
  console.log(outcome ? "Every check gave the expected verdict." : "Some checks did NOT give the expected verdict.");
}
if (!outcome) process.exitCode = 1;
