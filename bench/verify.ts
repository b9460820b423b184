/**
 * `npm run bench:verify`: the verifier's throughput and latency on loopback, side by side in one run
 * (autocannon, its own process, 20 connections, 8 s each):
 *   1. a bare Express 5 hello-world route (the ceiling for any Express route on this machine);
 *   2. GET /v1/hashes/:hash?issuer=, warm (answers from the cache);
 *   3. POST /v1/credentials/verify, warm;
 *   4. POST /v1/credentials/verify, cold (cache off: every request's status is read from the node — those
 *      of concurrent requests together, in one eth_call, as the service always does);
 *   5. the node's own eth_call throughput for the registry's credentialStatus (the ceiling for cold).
 * The node is a Hardhat node (BENCH_NODE=anvil for Anvil) in its own process; the services run in this
 * one. The sequence runs BENCH_ROUNDS times (3); medians are reported, each ratio taken within a round. BENCH_JSON=1 prints JSON (`hardhat run` takes no arguments of its own); BENCH_ONLY=3,4 runs those
 * scenarios only; BENCH_PROFILE=<folder> writes a V8 CPU profile of the services for each scenario.
 * Besides rps and latency: CPU µs a request of the services and of the node (Linux /proc), the services'
 * event-loop utilisation and the machine's CPU use, which say where the time went.
 * Targets: warm verify ≥ 50% of the bare route's rps; cold verify ≥ 50% of the node's eth_call rps.
 * Then (verify-signature.ts; BENCH_SIGNATURE_RUNS, 30; 0 skips it): CPU per cold verification with the
 * signature check, beside verifier-core verifying the same did:key-signed badge, one call at a time.
 * Target: ours (signature + chain) ≤ 50% of verifier-core's CPU.
 */
import { execFile } from "node:child_process";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { performance } from "node:perf_hooks";
import path from "node:path";
import { promisify } from "node:util";

import express from "express";
import { pino } from "pino";
import { encodeFunctionData } from "viem";

import { DEFAULT_MAX_IMAGE_BYTES } from "../lib/baked/baked-badge.js";
import { parseDraftCredential } from "../lib/credential/credential.js";
import { prepareBatch } from "../lib/anchor/issuance.js";
import { setUpSampleRegistry } from "../scripts/sample-registry.js";
import { createApp } from "../server/app.js";
import { ChainRegistry } from "../server/chain-reader.js";
import { createMetrics } from "../server/metrics.js";
import { registryAbi } from "../server/registry-abi.js";
import { Verifier } from "../server/verifier.js";
import { bin, machineCpuMs, processGroupCpuMs, startBenchChain } from "./local-node.js";
import { measureSignatureCpu, type SignatureCpuResult } from "./verify-signature.js";

const root = path.join(import.meta.dirname, "..");
const nodeKind = process.env.BENCH_NODE === "anvil" ? "anvil" : "hardhat";
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);

const { node, connection } = await startBenchChain(nodeKind);
const rpcUrl = node.url;
const stopNode = node.stop;

const work = await mkdtemp(path.join(tmpdir(), "bench-verify-"));
const sample = await setUpSampleRegistry(connection, path.join(work, "badges"));
const badgeText = await readFile(sample.badge("university", "uni-data-analytics-foundations"), "utf8");

// A badge anchored on its own, for the hash route.
const parsed = parseDraftCredential(JSON.parse(await readFile(path.join(root, "examples", "badges", "uni-sql-for-analysts.json"), "utf8")));
if (!parsed.ok) throw new Error("example badge invalid");
const single = prepareBatch([parsed.credential], { profileId: "did:web:uni.example", newId: () => "urn:uuid:3f0e2b8a-6a61-4d0c-9d8e-1c2b3a4d5e6f" });
await (await (await sample.as(sample.accounts.university)).registry.anchor(sample.issuers.university.issuerId, single.batch.root, 1)).wait();

const chain = { chainId: sample.chainId, name: nodeKind, rpcUrl, registry: sample.registry as `0x${string}`, blockTag: "latest" as const, confirmations: 0 };
const quiet = pino({ level: "silent" });
async function serve(app: express.Express): Promise<string> {
  const server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
function verifierApp(cacheTtlSeconds: number): express.Express {
  const metrics = createMetrics();
  const verifier = new Verifier({ chains: [new ChainRegistry(chain, { timeoutMs: 10_000, metrics })], cacheTtlSeconds, maxBodyBytes: 256 * 1024, metrics });
  return createApp({ verifier, metrics, logger: quiet, maxBodyBytes: 256 * 1024, maxImageBytes: DEFAULT_MAX_IMAGE_BYTES, rateLimitPerMinute: 100_000_000 });
}
const bare = express();
bare.get("/hello", (_request, response) => {
  response.json({ hello: "world" });
});
const [bareUrl, warmUrl, coldUrl] = await Promise.all([serve(bare), serve(verifierApp(3600)), serve(verifierApp(0))]);

const bodyFile = path.join(work, "verify-body.json");
await writeFile(bodyFile, badgeText);
const ethCallFile = path.join(work, "eth-call.json");
const [anchoredBatch] = sample.batches;
await writeFile(
  ethCallFile,
  JSON.stringify({
    jsonrpc: "2.0",
    id: 1,
    method: "eth_call",
    params: [{ to: sample.registry, data: encodeFunctionData({ abi: registryAbi, functionName: "credentialStatus", args: [sample.issuers.university.issuerId, anchoredBatch.root, 0n] }) }, "latest"],
  }),
);

interface Scenario {
  name: string;
  url: string;
  method?: "POST";
  bodyFile?: string;
}
const scenarios: Scenario[] = [
  { name: "bare Express route", url: `${bareUrl}/hello` },
  { name: "GET /v1/hashes warm", url: `${warmUrl}/v1/hashes/${single.credentialHashes[0]}?issuer=${encodeURIComponent(sample.issuers.university.profileId)}` },
  { name: "POST verify warm", url: `${warmUrl}/v1/credentials/verify`, method: "POST", bodyFile },
  { name: "POST verify cold", url: `${coldUrl}/v1/credentials/verify`, method: "POST", bodyFile },
  { name: `${nodeKind} node eth_call`, url: rpcUrl, method: "POST", bodyFile: ethCallFile },
];

const only = process.env.BENCH_ONLY?.split(",").map(Number);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const run = promisify(execFile);
type Result = { cpuPerRequestUs: number; nodeCpuPerRequestUs: number; machineBusy: number; eventLoopBusy: number; name: string; rps: number; p50: number; p99: number; errors: number; non2xx: number };

async function measure(index: number, scenario: Scenario, round: number): Promise<Result> {
  if (only && !only.includes(index + 1)) return { cpuPerRequestUs: Number.NaN, nodeCpuPerRequestUs: Number.NaN, machineBusy: Number.NaN, eventLoopBusy: Number.NaN, name: scenario.name, rps: Number.NaN, p50: Number.NaN, p99: Number.NaN, errors: 0, non2xx: 0 };
  const args = ["--json", "-c", String(connections), "-d", String(seconds)];
  if (scenario.method) args.push("-m", scenario.method, "-H", "content-type=application/json", "-i", scenario.bodyFile!);
  // A first short run warms the JIT and the caches; the second is measured.
  await run(bin("autocannon"), [...args.slice(0, 3), "-d", "1", ...args.slice(5), scenario.url], { maxBuffer: 1 << 26 });
  const profiler = process.env.BENCH_PROFILE && round === 0 ? await startProfiler() : undefined;
  const cpuBefore = process.cpuUsage();
  const nodeCpuBefore = await processGroupCpuMs(node.pid);
  const machineBefore = await machineCpuMs();
  const loopBefore = performance.eventLoopUtilization();
  const { stdout } = await run(bin("autocannon"), [...args, scenario.url], { maxBuffer: 1 << 26 });
  if (profiler) await profiler.stop(path.join(process.env.BENCH_PROFILE!, `scenario-${index + 1}.cpuprofile`));
  const cpu = process.cpuUsage(cpuBefore);
  const nodeCpuMs = (await processGroupCpuMs(node.pid)) - nodeCpuBefore;
  const machineAfter = await machineCpuMs();
  const eventLoopBusy = scenario.url === rpcUrl ? Number.NaN : performance.eventLoopUtilization(loopBefore).utilization;
  const report = JSON.parse(stdout);
  return {
    cpuPerRequestUs: scenario.url === rpcUrl ? Number.NaN : Math.round((cpu.user + cpu.system) / report.requests.total),
    nodeCpuPerRequestUs: Math.round((nodeCpuMs * 1000) / report.requests.total),
    eventLoopBusy,
    machineBusy: (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total),
    name: scenario.name,
    rps: Math.round(report.requests.average),
    p50: report.latency.p50,
    p99: report.latency.p99,
    errors: report.errors + report.timeouts,
    non2xx: report.non2xx,
  };
}

// The scenarios run one after another, the whole sequence BENCH_ROUNDS times: a slow spell of this shared
// machine then touches one round of each rather than all of one scenario. Each ratio is taken within a
// round (the scenarios it compares ran minutes apart at most); the figures reported are medians.
const byRound: Result[][] = [];
for (let round = 0; round < rounds; round++) {
  const results: Result[] = [];
  for (const [index, scenario] of scenarios.entries()) results.push(await measure(index, scenario, round));
  byRound.push(results);
}
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length % 2 === 1 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
};
const results: Result[] = scenarios.map((scenario, index) => {
  const all = byRound.map((round) => round[index]);
  return {
    name: scenario.name,
    rps: Math.round(median(all.map((result) => result.rps))),
    p50: median(all.map((result) => result.p50)),
    p99: median(all.map((result) => result.p99)),
    cpuPerRequestUs: Math.round(median(all.map((result) => result.cpuPerRequestUs))),
    nodeCpuPerRequestUs: Math.round(median(all.map((result) => result.nodeCpuPerRequestUs))),
    machineBusy: median(all.map((result) => result.machineBusy)),
    eventLoopBusy: median(all.map((result) => result.eventLoopBusy)),
    errors: all.reduce((sum, result) => sum + result.errors, 0),
    non2xx: all.reduce((sum, result) => sum + result.non2xx, 0),
  };
});
const warmRatios = byRound.map((round) => round[2].rps / round[0].rps);
const coldRatios = byRound.map((round) => round[3].rps / round[4].rps);
const warmRatio = median(warmRatios);
const coldRatio = median(coldRatios);
const percent = (ratio: number) => `${(ratio * 100).toFixed(0)}%`;
const signatureRuns = Number(process.env.BENCH_SIGNATURE_RUNS ?? 30);
const signature: SignatureCpuResult | null =
  signatureRuns > 0 ? await measureSignatureCpu({ connection, sample, chain, badgeJson: parsed.credential, runs: signatureRuns }) : null;
if (process.env.BENCH_JSON === "1") {
  console.log(JSON.stringify({ node: nodeKind, connections, seconds, rounds, results, byRound, warmRatio, coldRatio, warmRatios, coldRatios, signature }));
} else {
  console.log(`autocannon, ${connections} connections, ${seconds} s per scenario, ${rounds} round(s), medians; on loopback; node: ${nodeKind}`);
  console.log(`${"scenario".padEnd(26)} ${"req/s".padStart(8)} ${"p50 ms".padStart(7)} ${"p99 ms".padStart(7)} ${"errors".padStart(7)} ${"non-2xx".padStart(8)} ${"CPU µs/req".padStart(11)} ${"node µs/req".padStart(12)} ${"loop".padStart(5)} ${"busy".padStart(5)}   req/s by round`);
  for (const [index, result] of results.entries()) {
    console.log(
      `${result.name.padEnd(26)} ${String(result.rps).padStart(8)} ${String(result.p50).padStart(7)} ${String(result.p99).padStart(7)} ${String(result.errors).padStart(7)} ${String(result.non2xx).padStart(8)} ${String(result.cpuPerRequestUs).padStart(11)} ${String(result.nodeCpuPerRequestUs).padStart(12)} ${percent(result.eventLoopBusy).padStart(5)} ${percent(result.machineBusy).padStart(5)}   ${byRound.map((round) => round[index].rps).join(" / ")}`,
    );
  }
  console.log(`warm verify / bare route: ${percent(warmRatio)} (rounds: ${warmRatios.map(percent).join(", ")}; target ≥ 50%: ${warmRatio >= 0.5 ? "met" : "MISSED"})`);
  console.log(`cold verify / node eth_call: ${percent(coldRatio)} (rounds: ${coldRatios.map(percent).join(", ")}; target ≥ 50%: ${coldRatio >= 0.5 ? "met" : "MISSED"})`);
  if (signature) {
    const ms = (value: number) => `${value.toFixed(2)} ms`;
    console.log(`CPU per cold verification, one at a time, median of ${signature.runs} (did:key badge signed eddsa-rdfc-2022 and anchored):`);
    console.log(`  ours, signature + chain:    ${ms(signature.oursFullCpuMs).padStart(10)}   → ${signature.statuses.ours} (a proof configuration not seen before: cold)`);
    console.log(`  ours, same batch:           ${ms(signature.oursSameBatchCpuMs).padStart(10)}   (a badge of a batch already seen: its proof configuration's hash reused)`);
    console.log(`  ours, same badge unsigned:  ${ms(signature.oursUnsignedCpuMs).padStart(10)}   → ${signature.statuses.oursUnsigned}`);
    console.log(`  verifier-core (signature):  ${ms(signature.verifierCoreCpuMs).padStart(10)}   → ${signature.statuses.verifierCore}`);
    console.log(`ours / verifier-core: ${percent(signature.ratio)} (target ≤ 50%: ${signature.ratio <= 0.5 ? "met" : "MISSED"})`);
  }
}
/** BENCH_PROFILE=<folder>: a V8 CPU profile of this process (the services) per scenario, for DevTools. */
async function startProfiler() {
  const { Session } = await import("node:inspector/promises");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return {
    async stop(file: string) {
      const { profile } = await session.post("Profiler.stop");
      await writeFile(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

await rm(work, { recursive: true, force: true });
stopNode();
process.exit(0);
