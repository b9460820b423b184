/**
 * `npm run bench:audit`: time to audit a registry holding 100,000 anchors and 10,000 revocations on a
 * local Hardhat node (its own process): read every event (paged eth_getLogs), rebuild the state with every
 * rule checked, cross-check all of it against the contract's views, summarise; time split by phase. Populating the registry is
 * not timed (anchors and revocations go in multicall transactions of 500). Target: ≤ 30 s.
 * Sizes: BENCH_ANCHORS and BENCH_REVOCATIONS; BENCH_JSON=1 prints JSON (`hardhat run` takes no arguments).
 */
import { keccak256, toBeHex } from "ethers";

import { openRegistryOn } from "../scripts/cli/registry-context.js";
import { runAudit, type AuditPhase } from "../scripts/audit/run-audit.js";
import { deployRegistry } from "../scripts/deploy-registry.js";
import { startBenchChain } from "./local-node.js";

const anchors = Number(process.env.BENCH_ANCHORS ?? 100_000);
const revocations = Math.min(Number(process.env.BENCH_REVOCATIONS ?? 10_000), anchors);
const json = process.env.BENCH_JSON === "1";
const PER_TRANSACTION = 500; // ~13M gas: under Osaka's 16,777,216 gas cap per transaction

const { node, connection } = await startBenchChain("hardhat");
const [, issuer] = await connection.ethers.getSigners();
const { address } = await deployRegistry(connection);
const registry = await connection.ethers.getContractAt("CredentialRegistry", address);
await (await registry.registerIssuer(issuer.address, "did:web:bench.example")).wait();

const started = performance.now();
const rootOf = (index: number) => keccak256(toBeHex(index + 1, 32));
const asIssuer = registry.connect(issuer);
for (let start = 0; start < anchors; start += PER_TRANSACTION) {
  const calls = [];
  for (let index = start; index < Math.min(start + PER_TRANSACTION, anchors); index++) {
    calls.push(registry.interface.encodeFunctionData("anchor", [rootOf(index), 1 + (index % 1000)]));
  }
  await (await asIssuer.multicall(calls, { gasLimit: 16_000_000 })).wait();
  if (!json) process.stderr.write(`\rpopulating: ${Math.min(start + PER_TRANSACTION, anchors)} anchors`);
}
for (let start = 0; start < revocations; start += PER_TRANSACTION) {
  const calls = [];
  for (let index = start; index < Math.min(start + PER_TRANSACTION, revocations); index++) {
    calls.push(registry.interface.encodeFunctionData("revoke", [rootOf(index), 0, 1n, 1]));
  }
  await (await asIssuer.multicall(calls, { gasLimit: 16_000_000 })).wait();
}
const populateSeconds = (performance.now() - started) / 1000;
if (!json) process.stderr.write(`\rpopulated ${anchors} anchors and ${revocations} revocations in ${populateSeconds.toFixed(0)} s\n`);

const context = await openRegistryOn(connection, { registry: address });
const phases: Partial<Record<AuditPhase, number>> = {};
const auditStarted = performance.now();
const report = await runAudit(context, { progress: false, onPhase: (phase, milliseconds) => (phases[phase] = Math.round(milliseconds) / 1000) });
const auditSeconds = (performance.now() - auditStarted) / 1000;
const peakMB = Math.round(process.resourceUsage().maxRSS / 1024);

const result = { anchors, revocations, events: report.events, consistent: report.consistent, findings: report.findings.length, auditSeconds: Math.round(auditSeconds * 10) / 10, phases, peakMB };
if (json) console.log(JSON.stringify(result));
else {
  console.log(`Audited ${report.events} events (${anchors} anchors, ${revocations} revocations) in ${auditSeconds.toFixed(1)} s; peak RSS ${peakMB} MB`);
  console.log(`by phase: ${Object.entries(phases).map(([phase, seconds]) => `${phase} ${seconds.toFixed(2)} s`).join(", ")}`);
  console.log(`consistent: ${report.consistent} (${report.findings.length} findings); target ≤ 30 s: ${auditSeconds <= 30 ? "met" : "MISSED"}`);
}
node.stop();
process.exit(0);
