/**
 * The measured half of `npm run bench:audit`: in a fresh process, runs the audit exactly as
 * `npx hardhat audit` does (runAudit, then the table rendering) against the node at BENCH_RPC_URL and the
 * registry at BENCH_REGISTRY, and prints one JSON line: wall time, time by phase, peak RSS
 * (`process.resourceUsage().maxRSS`: the whole process, Hardhat's runtime included) and the RSS before the
 * audit began.
 */
import hre from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";

import { openRegistryOn } from "../scripts/cli/registry-context.js";
import { renderTable } from "../scripts/audit/report.js";
import { runAudit, type AuditPhase } from "../scripts/audit/run-audit.js";

const url = process.env.BENCH_RPC_URL;
const registry = process.env.BENCH_REGISTRY;
if (!url || !registry) throw new Error("bench/audit-child.ts is run by bench/audit.ts, with BENCH_RPC_URL and BENCH_REGISTRY set");

const connection: NetworkConnection = await hre.network.create({ network: "localhost", override: { type: "http", url } as never });
const context = await openRegistryOn(connection, { registry });
const MB = 1024 * 1024;
const baselineRssMB = Math.round(process.memoryUsage().rss / MB);
const phases: Partial<Record<AuditPhase, number>> = {};
const started = performance.now();
const report = await runAudit(context, { progress: false, onPhase: (phase, milliseconds) => (phases[phase] = Math.round(milliseconds) / 1000) });
const table = renderTable(report);
const auditSeconds = (performance.now() - started) / 1000;
const peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(
  JSON.stringify({
    events: report.events,
    consistent: report.consistent,
    findings: report.findings.length,
    findingRules: [...new Set(report.findings.map((finding) => finding.rule))],
    cutOff: report.issuers.reduce((sum, issuer) => sum + issuer.cutOff, 0),
    tableLines: table.split("\n").length,
    auditSeconds: Math.round(auditSeconds * 10) / 10,
    phases,
    peakRssMB,
    baselineRssMB,
    heapAfterMB: Math.round(process.memoryUsage().heapUsed / MB),
  }),
);
process.exit(0);
