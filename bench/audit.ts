/**
 * `npm run bench:audit`: audit a registry holding BENCH_ANCHORS anchors (default 1,000,000) and
 * BENCH_REVOCATIONS one-credential revocations (default 100,000) on a local Hardhat node (its own process).
 * Target: ≤ 60 s and ≤ 2 GB peak RSS for the audit.
 *
 * Generation (timed apart, not part of the audit figure): one issuer with a controller and an operator; the
 * anchors go in multicall transactions of BENCH_PER_TX anchors (real events on a real node), the last 1% by
 * the operator, which the controller then declares compromised since the time of its first anchor — so the
 * audit must find which anchors that declaration cut off — then the revocations, also in multicalls.
 *
 * BENCH_NODE=anvil runs the same on Anvil instead of Hardhat's node (keeping only recent blocks' states).
 *
 * The audit itself runs in a fresh child process (bench/audit-child.ts, `hardhat run`) so that its peak RSS
 * (`process.resourceUsage().maxRSS`, which counts the Hardhat runtime the command also carries) is the
 * audit's own and not the generator's. BENCH_JSON=1 prints JSON (`hardhat run` takes no arguments).
 */
import { spawn } from "node:child_process";
import path from "node:path";

import { keccak256, toBeHex } from "ethers";

import { issuerIdOfProfile } from "../lib/credential/profile-id.js";
import { bin, startBenchChain } from "./local-node.js";

const anchors = Number(process.env.BENCH_ANCHORS ?? 1_000_000);
const revocations = Math.min(Number(process.env.BENCH_REVOCATIONS ?? 100_000), anchors);
// ~28,900 gas an anchor and ~30,000 a revocation in a multicall: 540 and 400 stay under the cap.
const perTransaction = Number(process.env.BENCH_PER_TX ?? 540);
const revocationsPerTransaction = Number(process.env.BENCH_REVOCATIONS_PER_TX ?? 400);
const nodeKind = process.env.BENCH_NODE === "anvil" ? "anvil" : "hardhat";
const json = process.env.BENCH_JSON === "1";
const GAS_LIMIT = 16_000_000; // under Osaka's 16,777,216 gas cap per transaction

// The audit reads the views at the latest block, so Anvil need not keep every block's state.
const { node, connection } = await startBenchChain(nodeKind, { pruneHistory: true });
const { ethers } = connection;
const [deployer, controller, operator] = await ethers.getSigners();
const registry = await ethers.deployContract("CredentialRegistry", [deployer.address, deployer.address]);
await registry.waitForDeployment();
const address = await registry.getAddress();
const profileId = "did:web:bench.example";
const issuerId = issuerIdOfProfile(profileId);
await (await registry.registerIssuer(profileId, controller.address)).wait();
await (await registry.connect(controller).addOperator(issuerId, operator.address)).wait();

const generationStarted = performance.now();
const rootOf = (index: number) => keccak256(toBeHex(index + 1, 32));
const byOperatorFrom = anchors - Math.floor(anchors / 100);
let operatorFirstAnchorTime = 0;
// Transactions are sent a few at a time without waiting for each: the node mines one a block either way.
let pending: Array<Promise<unknown>> = [];
let gasPerAnchor = 0;
const send = async (from: typeof controller, calls: string[]) => {
  const sent = await registry.connect(from).multicall(calls, { gasLimit: GAS_LIMIT });
  // A transaction that ran out of gas would leave anchors out: wait() rejects on a failed one.
  pending.push(sent.wait().then((receipt) => (gasPerAnchor ||= Math.round(Number(receipt!.gasUsed) / calls.length))));
  if (pending.length >= 8) {
    await Promise.all(pending);
    pending = [];
  }
};
for (let start = 0; start < anchors; start += perTransaction) {
  const end = Math.min(start + perTransaction, anchors);
  const byOperator = end > byOperatorFrom;
  const calls = [];
  for (let index = start; index < end; index++) calls.push(registry.interface.encodeFunctionData("anchor", [issuerId, rootOf(index), 1 + (index % 1000)]));
  await send(byOperator ? operator : controller, calls);
  if (byOperator && operatorFirstAnchorTime === 0) {
    await Promise.all(pending);
    pending = [];
    operatorFirstAnchorTime = (await ethers.provider.getBlock("latest"))!.timestamp;
  }
  if (!json && (end % (perTransaction * 40) === 0 || end === anchors)) process.stderr.write(`\rgenerating: ${end} anchors`);
}
await Promise.all(pending);
pending = [];
if (operatorFirstAnchorTime !== 0) await (await registry.connect(controller).declareKeyCompromised(issuerId, operator.address, operatorFirstAnchorTime)).wait();
for (let start = 0; start < revocations; start += revocationsPerTransaction) {
  const calls = [];
  for (let index = start; index < Math.min(start + revocationsPerTransaction, revocations); index++) {
    calls.push(registry.interface.encodeFunctionData("revoke", [issuerId, rootOf(index), 0, 1n, 1]));
  }
  await send(controller, calls);
}
await Promise.all(pending);
const generationSeconds = (performance.now() - generationStarted) / 1000;
if (!json) process.stderr.write(`\rgenerated ${anchors} anchors and ${revocations} revocations in ${generationSeconds.toFixed(0)} s (${gasPerAnchor} gas an anchor in a multicall of ${perTransaction})\n`);

// The audit, alone in a fresh process.
const child = spawn(bin("hardhat"), ["run", path.join(import.meta.dirname, "audit-child.ts")], {
  env: { ...process.env, BENCH_RPC_URL: node.url, BENCH_REGISTRY: address },
  stdio: ["ignore", "pipe", "inherit"],
});
let output = "";
child.stdout.on("data", (data: Buffer) => (output += data.toString()));
const code = await new Promise<number>((resolve) => child.on("exit", (exitCode) => resolve(exitCode ?? 1)));
node.stop();
if (code !== 0) {
  console.error(`the audit's process failed (exit ${code}):\n${output}`);
  process.exit(1);
}
const audit = JSON.parse(output.trim().split("\n").at(-1)!) as {
  events: number;
  consistent: boolean;
  findings: number;
  findingRules: string[];
  cutOff: number;
  auditSeconds: number;
  phases: Record<string, number>;
  peakRssMB: number;
  baselineRssMB: number;
  heapAfterMB: number;
};
const result = { node: nodeKind, anchors, revocations, perTransaction, generationSeconds: Math.round(generationSeconds), loadAverage: (await import("node:os")).loadavg().map((load) => Math.round(load * 10) / 10), ...audit };
if (json) console.log(JSON.stringify(result));
else {
  console.log(`${nodeKind} node: audited ${audit.events} events (${anchors} anchors, ${revocations} revocations) in ${audit.auditSeconds.toFixed(1)} s; peak RSS of the audit's process ${audit.peakRssMB} MB (${audit.baselineRssMB} MB before the audit began)`);
  console.log(`by phase: ${Object.entries(audit.phases).map(([phase, seconds]) => `${phase} ${seconds.toFixed(2)} s`).join(", ")}`);
  console.log(`consistent: ${audit.consistent} (${audit.findings} findings${audit.findings ? `: ${audit.findingRules.join(", ")}` : ""}); credentials cut off by the compromise declaration: ${audit.cutOff}`);
  console.log(`generation (not in the audit figure): ${result.generationSeconds} s; load average ${result.loadAverage.join(" ")}`);
  console.log(`targets ≤ 60 s: ${audit.auditSeconds <= 60 ? "met" : "MISSED"}; ≤ 2 GB peak RSS: ${audit.peakRssMB <= 2048 ? "met" : "MISSED"}`);
}
process.exit(0);
