/**
 * Gas figures of CredentialRegistry 2.0.0 beside the Ethereum Attestation Service (`npm run bench:gas`).
 *
 * Method: one run on Hardhat's in-process chain (EDR) deploys the registry from this project's build and
 * EAS from its published npm artifacts (bench/gas-eas.ts) on the same chain, and sends each action once as
 * a real transaction. A figure is the receipt's gasUsed, 21,000 intrinsic gas included, in the costliest
 * case met in practice: every transaction starts with cold storage (EIP-2929); every anchor, attestation,
 * key and signer's nonce is written for the first time; every revocation or suspension sets a bitmap word
 * written for the first time. Batches are real StandardMerkleTree roots of [index, credentialHash] leaves.
 * Revocations carry a reason (1, issued in error), as they do in practice.
 *
 * Each row shows EAS's figure for the same work and the ratio ours / EAS. EAS has no batch under one root:
 * anchoring N credentials is N attestations. A multiAttest of much more than 100 passes the gas cap of one
 * transaction (2^24, EIP-7825), so EAS's figures for 1,000 and 100,000 credentials are extrapolated from the
 * multiAttests of 10 and 100 measured in this run (the fixed part plus N times one more item) and marked so;
 * in practice they would take many transactions, each paying its own 21,000. Everything else is measured.
 *
 * BENCH_JSON=1 prints the rows as JSON (`hardhat run` takes no arguments of its own).
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { MaxUint256, ZeroAddress, id, keccak256, toUtf8Bytes } from "ethers";
import type { ContractTransactionResponse, Signer, TransactionReceipt } from "ethers";
import { network } from "hardhat";

import { delegationTypes, registryDomain } from "../lib/anchor/delegation.js";

import {
  CREDENTIAL_SCHEMA,
  attestationOf,
  attestedUids,
  delegatedAttestation,
  deployEas,
  registeredSchema,
} from "./gas-eas.js";

interface EasFigure {
  work: string;
  gasUsed: number;
  extrapolated: boolean;
}

interface Target {
  maxGas: number;
  /** The largest ours / EAS ratio allowed, when the target has one. */
  maxRatio?: number;
}

interface Row {
  action: string;
  gasUsed: number;
  eas?: EasFigure;
  target?: Target;
}

const PROFILE_ID = "did:web:university.example";
const REASON_ISSUED_IN_ERROR = 1;

const connection = await network.create();
const { ethers } = connection;
const [admin, accreditor, controller, operator, relayer, successor, recovered] = await ethers.getSigners();
const [attester, secondAttester, delegator, holder] = (await ethers.getSigners()).slice(7);
const registry = await ethers.deployContract("CredentialRegistry", [admin.address, accreditor.address]);
const easDeployment = await deployEas(admin);
const schemaRegistry = easDeployment.schemaRegistry(admin);
const eas = easDeployment.eas(admin);
const issuerId = keccak256(toUtf8Bytes(PROFILE_ID));
const rows: Row[] = [];

// The chain's clock runs from a fixed time, one second a block, so that what depends on it (EAS's attestation
// UIDs, signature deadlines, a compromise time) and so every calldata byte, and every figure, is the same in
// every run.
let clock = 4_000_000_000;
async function tick(): Promise<void> {
  await ethers.provider.send("evm_setNextBlockTimestamp", [++clock]);
}

async function sent(transaction: Promise<ContractTransactionResponse>): Promise<TransactionReceipt> {
  const receipt = await (await transaction).wait();
  if (receipt === null) throw new Error("a benchmark transaction was dropped");
  await tick();
  return receipt;
}

async function gasOf(transaction: Promise<ContractTransactionResponse>): Promise<number> {
  return Number((await sent(transaction)).gasUsed);
}

function credentialHashes(count: number, label: string): string[] {
  return Array.from({ length: count }, (_, index) => id(`${label} badge ${index}`));
}

/** A real batch: the StandardMerkleTree root over [index, credentialHash] leaves, and its hashes. */
function batchOf(count: number, label: string): { root: string; hashes: string[] } {
  const hashes = credentialHashes(count, label);
  const tree = StandardMerkleTree.of(
    hashes.map((hash, index) => [index, hash]),
    ["uint256", "bytes32"],
  );
  return { root: tree.root, hashes };
}

const count = (n: number) => n.toLocaleString("en-US");
await tick();

// ---------------------------------------------------------------- registering

const registerGas = await gasOf(registry.connect(accreditor).registerIssuer(PROFILE_ID, controller.address));
const schemaReceipt = await sent(
  easDeployment.schemaRegistry(attester).register(CREDENTIAL_SCHEMA, ZeroAddress, true),
);
const schema = registeredSchema(schemaRegistry, schemaReceipt);
rows.push({
  action: "registerIssuer (identity + controller key)",
  gasUsed: registerGas,
  eas: {
    work: `SchemaRegistry.register("${CREDENTIAL_SCHEMA}")`,
    gasUsed: Number(schemaReceipt.gasUsed),
    extrapolated: false,
  },
});
const addOperatorGas = await gasOf(registry.connect(controller).addOperator(issuerId, operator.address));

// ---------------------------------------------------------------- anchoring

async function multiAttest(from: Signer, hashes: string[]): Promise<TransactionReceipt> {
  return sent(easDeployment.eas(from).multiAttest([{ schema, data: hashes.map((hash) => attestationOf(hash)) }]));
}

const single = batchOf(1, "single");
const anchorOneGas = await gasOf(registry.connect(controller).anchor(issuerId, single.root, 1));
const attestReceipt = await sent(
  easDeployment.eas(attester).attest({ schema, data: attestationOf(single.hashes[0]) }),
);
const [attestedUid] = attestedUids(eas, attestReceipt);
const attestGas = Number(attestReceipt.gasUsed);
// Not a row: EAS attestations of credentials usually name the holder as recipient, which stores one slot more.
const attestWithRecipientGas = await gasOf(
  easDeployment.eas(attester).attest({ schema, data: attestationOf(id("recipient badge"), holder.address) }),
);
rows.push({
  action: "anchor 1 credential",
  gasUsed: anchorOneGas,
  eas: { work: "attest", gasUsed: attestGas, extrapolated: false },
  target: { maxGas: 50_000, maxRatio: 0.25 },
});

// EAS's cost of N attestations in one multiAttest, from two that fit in a transaction.
const multiAttestTen = Number((await multiAttest(attester, credentialHashes(10, "eas ten"))).gasUsed);
const multiAttestHundred = Number((await multiAttest(attester, credentialHashes(100, "eas hundred"))).gasUsed);
const perAttestation = (multiAttestHundred - multiAttestTen) / 90;
const multiAttestFixed = multiAttestHundred - 100 * perAttestation;
for (const size of [1_000, 100_000]) {
  const batch = batchOf(size, `batch ${size}`);
  rows.push({
    action: `anchor ${count(size)} credentials`,
    gasUsed: await gasOf(registry.connect(controller).anchor(issuerId, batch.root, size)),
    eas: {
      work: `multiAttest of ${count(size)}`,
      gasUsed: Math.round(multiAttestFixed + size * perAttestation),
      extrapolated: true,
    },
    target: { maxGas: 50_000 },
  });
}

const operatorBatch = batchOf(1, "operator batch");
const operatorReceipt = await sent(registry.connect(operator).anchor(issuerId, operatorBatch.root, 1));
rows.push({
  action: "anchor 1 credential by an operator",
  gasUsed: Number(operatorReceipt.gasUsed),
  eas: {
    work: "attest by another account",
    gasUsed: await gasOf(
      easDeployment.eas(secondAttester).attest({ schema, data: attestationOf(operatorBatch.hashes[0]) }),
    ),
    extrapolated: false,
  },
  target: { maxGas: 55_000 },
});

const relayed = batchOf(1, "relayed batch");
const deadline = BigInt((await ethers.provider.getBlock("latest"))!.timestamp + 3_600);
const nonce = await registry["nonces(address,uint192)"](controller.address, 0n);
const domain = registryDomain((await ethers.provider.getNetwork()).chainId, await registry.getAddress());
const anchorSignature = await controller.signTypedData(domain, delegationTypes("Anchor"), {
  signer: controller.address,
  issuerId,
  root: relayed.root,
  count: 1,
  nonce,
  deadline,
});
const delegated = await delegatedAttestation(eas, delegator, schema, relayed.hashes[0], deadline);
rows.push({
  action: "anchorBySig 1 credential (relayed)",
  gasUsed: await gasOf(
    registry.connect(relayer).anchorBySig(issuerId, relayed.root, 1, {
      signer: controller.address,
      nonce,
      deadline,
      signature: anchorSignature,
    }),
  ),
  eas: {
    work: "attestByDelegation (relayed)",
    gasUsed: await gasOf(easDeployment.eas(relayer).attestByDelegation(delegated)),
    extrapolated: false,
  },
});

// ---------------------------------------------------------------- revoking

const revocable = batchOf(1_000, "revocable batch");
await sent(registry.connect(controller).anchor(issuerId, revocable.root, 1_000));
const wholeWord = batchOf(256, "whole word batch");
await sent(registry.connect(controller).anchor(issuerId, wholeWord.root, 256));
rows.push({
  action: "revoke 1 credential",
  gasUsed: await gasOf(registry.connect(controller).revoke(issuerId, revocable.root, 0, 1n, REASON_ISSUED_IN_ERROR)),
  eas: {
    work: "revoke",
    gasUsed: await gasOf(easDeployment.eas(attester).revoke({ schema, data: { uid: attestedUid, value: 0n } })),
    extrapolated: false,
  },
  target: { maxGas: 50_000 },
});

const toRevoke: string[] = [];
for (const [label, size] of [["a", 100], ["b", 100], ["c", 56]] as const) {
  toRevoke.push(...attestedUids(eas, await multiAttest(attester, credentialHashes(size, `eas revocable ${label}`))));
}
rows.push({
  action: "revoke 256 credentials of one batch",
  gasUsed: await gasOf(
    registry.connect(controller).revoke(issuerId, wholeWord.root, 0, MaxUint256, REASON_ISSUED_IN_ERROR),
  ),
  eas: {
    work: `multiRevoke of ${toRevoke.length}`,
    gasUsed: await gasOf(
      easDeployment.eas(attester).multiRevoke([{ schema, data: toRevoke.map((uid) => ({ uid, value: 0n })) }]),
    ),
    extrapolated: false,
  },
  target: { maxGas: 55_000 },
});

// ---------------------------------------------------------------- the registry's own actions (no EAS counterpart)

rows.push({ action: "addOperator (a new hot key)", gasUsed: addOperatorGas });
rows.push({
  action: "suspend 1 credential (by its operator)",
  gasUsed: await gasOf(registry.connect(operator).suspend(issuerId, operatorBatch.root, 0, 1n, 7)),
});
rows.push({
  action: "unsuspend 1 credential (by its operator)",
  gasUsed: await gasOf(registry.connect(operator).unsuspend(issuerId, operatorBatch.root, 0, 1n, 7)),
});
rows.push({
  action: "revokeBatch (a batch of 1,000)",
  gasUsed: await gasOf(registry.connect(controller).revokeBatch(issuerId, revocable.root, REASON_ISSUED_IN_ERROR)),
});
rows.push({
  action: "transferControl (step 1)",
  gasUsed: await gasOf(registry.connect(controller).transferControl(issuerId, successor.address)),
});
rows.push({
  action: "acceptControl (step 2)",
  gasUsed: await gasOf(registry.connect(successor).acceptControl(issuerId)),
});
rows.push({
  action: "recoverControl (by the accreditor)",
  gasUsed: await gasOf(registry.connect(accreditor).recoverControl(issuerId, recovered.address)),
});
const operatorAnchoredAt = (await operatorReceipt.getBlock()).timestamp;
rows.push({
  action: "declareKeyCompromised (an operator)",
  gasUsed: await gasOf(
    registry.connect(recovered).declareKeyCompromised(issuerId, operator.address, operatorAnchoredAt),
  ),
});

// ---------------------------------------------------------------- output

function ratioOf(row: Row): number | undefined {
  return row.eas === undefined ? undefined : row.gasUsed / row.eas.gasUsed;
}

function targetMet(row: Row): boolean | undefined {
  if (row.target === undefined) return undefined;
  const ratio = ratioOf(row);
  const { maxGas, maxRatio } = row.target;
  return row.gasUsed <= maxGas && (maxRatio === undefined || (ratio !== undefined && ratio <= maxRatio));
}

const chain = {
  hardfork: connection.networkConfig.type === "edr-simulated" ? connection.networkConfig.hardfork : undefined,
  registryVersion: await registry.version(),
  easVersion: await eas.version(),
  easAttestWithRecipient: attestWithRecipientGas,
  easMultiAttest: { ten: multiAttestTen, hundred: multiAttestHundred, perAttestation, fixed: multiAttestFixed },
};

if (process.env.BENCH_JSON === "1") {
  console.log(
    JSON.stringify({
      ...chain,
      rows: rows.map((row) => ({ ...row, ratio: ratioOf(row), met: targetMet(row) })),
    }),
  );
} else {
  const table = rows.map((row) => {
    const ratio = ratioOf(row);
    const met = targetMet(row);
    const share = row.target?.maxRatio === undefined ? "" : ` and ≤ ${row.target.maxRatio} × EAS`;
    const target = row.target === undefined ? "" : `≤ ${count(row.target.maxGas)}${share}`;
    return [
      row.action,
      count(row.gasUsed),
      row.eas === undefined ? "" : `${row.eas.work}${row.eas.extrapolated ? " (extrapolated)" : ""}`,
      row.eas === undefined ? "" : count(row.eas.gasUsed),
      ratio === undefined ? "" : ratio.toPrecision(3),
      target,
      met === undefined ? "" : met ? "met" : "MISSED",
    ];
  });
  const header = ["action", "gas used", "EAS, same work", "EAS gas", "ours/EAS", "target", ""];
  const widths = header.map((title, column) => Math.max(title.length, ...table.map((cells) => cells[column].length)));
  const numeric = new Set([1, 3, 4]);
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (numeric.has(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
      .join("  ")
      .trimEnd();
  console.log(
    `CredentialRegistry ${chain.registryVersion} beside EAS ${chain.easVersion} ` +
      `on Hardhat's in-process chain (hardfork ${chain.hardfork ?? "unknown"})`,
  );
  console.log(line(header));
  for (const cells of table) console.log(line(cells));
  console.log(
    `EAS extrapolation: multiAttest of 10 measured ${count(multiAttestTen)} gas, ` +
      `of 100 ${count(multiAttestHundred)}: ${count(Math.round(multiAttestFixed))} + ` +
      `N × ${count(Math.round(perAttestation))} (one transaction cannot hold 1,000).`,
  );
  console.log(
    `EAS attest naming a recipient (the holder's address, which the registry never stores): ` +
      `${count(attestWithRecipientGas)} gas; anchor 1 credential / that: ` +
      `${(anchorOneGas / attestWithRecipientGas).toPrecision(4)}.`,
  );
}
