/**
 * Gas figures of the CredentialRegistry's issuer and accreditor actions, measured on Hardhat's
 * in-process chain (`npm run bench:gas`). Each figure is the receipt's gasUsed of one transaction,
 * 21,000 intrinsic gas included, in the worst case the action meets in practice (cold storage,
 * a bitmap word written for the first time). Batches are real StandardMerkleTree roots.
 *
 * For comparison, the Ethereum Attestation Service measured on the same chain with its published
 * artifacts (figures given in issue #2): attest 200,272; multiAttest 165,922 per item (100);
 * revoke 59,890; multiRevoke 25,906 per item (100); timestamp 45,869.
 *
 * BENCH_JSON=1 prints the figures as JSON (`hardhat run` takes no arguments of its own).
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { network } from "hardhat";
import type { ContractTransactionResponse } from "ethers";

import { delegationTypes, registryDomain } from "../lib/anchor/delegation.js";

const TARGETS: Record<string, number> = {
  "anchor (1 credential)": 50_000,
  "revoke 1 credential": 50_000,
  "revoke 256 credentials of one batch": 80_000,
};

const { ethers } = await network.create();
const [admin, university, operator, relayer] = await ethers.getSigners();
const registry = await ethers.deployContract("CredentialRegistry", [admin.address, admin.address]);
const figures: Array<{ action: string; gasUsed: number; perCredential?: number }> = [];

async function measure(action: string, sent: Promise<ContractTransactionResponse>, credentials?: number) {
  const receipt = await (await sent).wait();
  const gasUsed = Number(receipt!.gasUsed);
  figures.push({ action, gasUsed, perCredential: credentials ? gasUsed / credentials : undefined });
}

function batchRoot(count: number, batchLabel: string): string {
  const leaves = Array.from({ length: count }, (_, index) => [index, ethers.id(`${batchLabel} badge ${index}`)]);
  return StandardMerkleTree.of(leaves, ["uint256", "bytes32"]).root;
}

await measure("registerIssuer", registry.registerIssuer(university.address, "did:web:university.example"));
await measure("authorizeOperator", registry.connect(university).authorizeOperator(operator.address));
for (const count of [1, 10, 1_000, 100_000]) {
  const label = count === 1 ? "anchor (1 credential)" : `anchor (batch of ${count.toLocaleString("en-US")})`;
  await measure(label, registry.connect(university).anchor(batchRoot(count, `batch ${count}`), count), count);
}
const root = batchRoot(1_000, "operator batch");
await measure("anchor by operator (batch of 1,000)", registry.connect(operator).anchor(root, 1_000), 1_000);
await measure("revoke 1 credential", registry.connect(university).revoke(root, 0, 1n, 0));
await measure("revoke 256 credentials of one batch", registry.connect(university).revoke(root, 1, ethers.MaxUint256, 0), 256);
await measure("suspend 1 credential", registry.connect(university).suspend(root, 2, 1n, 0));
await measure("unsuspend 1 credential", registry.connect(university).unsuspend(root, 2, 1n, 0));
await measure("revokeBatch (whole batch of 1,000)", registry.connect(university).revokeBatch(root, 0), 1_000);

const domain = registryDomain((await ethers.provider.getNetwork()).chainId, await registry.getAddress());
const sigRoot = batchRoot(10, "relayed batch");
const deadline = ethers.MaxUint256;
const signature = await university.signTypedData(
  domain,
  delegationTypes("Anchor"),
  { signer: university.address, root: sigRoot, count: 10, nonce: 0, deadline },
);
await measure(
  "anchorBySig (relayed, batch of 10)",
  registry.connect(relayer).anchorBySig(sigRoot, 10, { signer: university.address, nonce: 0, deadline, signature }),
  10,
);

if (process.env.BENCH_JSON === "1") {
  console.log(JSON.stringify(figures));
} else {
  const width = Math.max(...figures.map((figure) => figure.action.length));
  console.log(`${"action".padEnd(width)}  ${"gas used".padStart(9)}  ${"per credential".padStart(14)}  target`);
  for (const { action, gasUsed, perCredential } of figures) {
    const target = TARGETS[action];
    const verdict = target === undefined ? "" : `≤ ${target.toLocaleString("en-US")} ${gasUsed <= target ? "met" : "MISSED"}`;
    const per = perCredential === undefined ? "" : perCredential.toFixed(perCredential < 10 ? 3 : 0);
    console.log(
      `${action.padEnd(width)}  ${gasUsed.toLocaleString("en-US").padStart(9)}  ${per.padStart(14)}  ${verdict}`,
    );
  }
}
