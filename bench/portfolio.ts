/**
 * `npm run bench:portfolio`: verifying what an employer receives, on a local Hardhat node (its own
 * process): a portfolio of 50 credentials (POST /v1/presentations/verify) and a stacked credential of 20
 * components (POST /v1/credentials/verify), each warm (cache TTL 1 h) and cold (TTL 0: every request reads
 * the node). Requests go one after another (latency, not throughput); chain round trips are counted at the
 * service's RPC transport (one HTTP request to the node = one round trip).
 * Targets: cold portfolio of 50 in ≤ 3 chain round trips and ≤ 250 ms p50.
 * BENCH_REQUESTS (default 40 per scenario); BENCH_JSON=1 prints JSON (`hardhat run` takes no arguments).
 */
import { once } from "node:events";
import type { AddressInfo } from "node:net";

import { pino } from "pino";
import { createPublicClient, http } from "viem";

import { buildBatch } from "../lib/anchor/batch.js";
import { credentialHash, type Hex } from "../lib/credential/canonical.js";
import { parseDraftCredential, type DraftCredential, type OpenBadgeCredential } from "../lib/credential/credential.js";
import { anchoredCredential, prepareBatch } from "../lib/anchor/issuance.js";
import { issuerIdOfProfile } from "../lib/credential/profile-id.js";
import { ANCHOR_PROOF_TYPE, attachAnchorProof } from "../lib/anchor/proof.js";
import { planStack } from "../lib/stacking/stacking.js";
import { syntheticBadge } from "../examples/generate.js";
import { openRegistryOn } from "../scripts/cli/registry-context.js";
import { deployRegistry } from "../scripts/deploy-registry.js";
import { EthersRegistryReader } from "../scripts/ethers-registry-reader.js";
import { createApp } from "../server/app.js";
import { ChainRegistry } from "../server/chain-reader.js";
import { createMetrics } from "../server/metrics.js";
import { createRpcFetch } from "../server/rpc-fetch.js";
import { Verifier } from "../server/verifier.js";
import { startBenchChain } from "./local-node.js";

const requests = Number(process.env.BENCH_REQUESTS ?? 40);
const json = process.env.BENCH_JSON === "1";
const PROFILE = "did:web:academy.example";
const SUBJECT = "did:example:learner-bench";

const { node, connection } = await startBenchChain("hardhat");
const [, issuer] = await connection.ethers.getSigners();
const { address: registryAddress, chainId: chainIdBig } = await deployRegistry(connection);
const chainId = Number(chainIdBig);
const context = await openRegistryOn(connection, { registry: registryAddress, from: issuer.address });
const ISSUER_ID = issuerIdOfProfile(PROFILE);
await (await (await openRegistryOn(connection, { registry: registryAddress })).registry.registerIssuer(PROFILE, issuer.address)).wait();

let counter = 0;
function draft(index: number, achievementId?: string): DraftCredential {
  const badge = syntheticBadge(index, { seed: "portfolio", issuerId: PROFILE }) as unknown as Record<string, any>;
  badge.credentialSubject.id = SUBJECT;
  if (achievementId) badge.credentialSubject.achievement.id = achievementId;
  const parsed = parseDraftCredential(badge);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.credential;
}
async function anchorBatch(drafts: DraftCredential[]): Promise<OpenBadgeCredential[]> {
  const prepared = prepareBatch(drafts, { profileId: PROFILE, newId: () => `urn:uuid:00000000-0000-4000-8000-${String(++counter).padStart(12, "0")}` });
  const receipt = await (await context.registry.anchor(ISSUER_ID, prepared.batch.root, drafts.length)).wait();
  const facts = { chainId, registry: registryAddress, anchoredAt: new Date().toISOString(), transactionHash: receipt!.hash as Hex };
  return drafts.map((_, index) => anchoredCredential(prepared, index, facts));
}

// The portfolio: 50 credentials of one learner, issued in five batches of ten.
const portfolio: OpenBadgeCredential[] = [];
for (let batch = 0; batch < 5; batch++) portfolio.push(...(await anchorBatch(Array.from({ length: 10 }, (_, index) => draft(batch * 10 + index + 1)))));

// The stack: 20 components (distinct achievements, four batches), a pathway requiring all, the certificate.
const componentIds = Array.from({ length: 20 }, (_, index) => `https://academy.example/achievements/component-${index + 1}`);
const components: OpenBadgeCredential[] = [];
for (let batch = 0; batch < 4; batch++) components.push(...(await anchorBatch(Array.from({ length: 5 }, (_, index) => draft(100 + batch * 5 + index, componentIds[batch * 5 + index])))));
const pathway: Record<string, unknown> = {
  type: "CredentialPathway",
  id: "https://academy.example/pathways/bench/v1",
  name: "Bench Certificate",
  issuer: PROFILE,
  achievement: { id: "https://academy.example/achievements/bench-certificate", type: ["Achievement"], name: "Bench Certificate", description: "Twenty components.", criteria: { narrative: "All twenty." } },
  requirements: { allOf: componentIds },
};
const pathwayRoot = buildBatch([credentialHash(pathway)]).root;
await (await context.registry.anchor(ISSUER_ID, pathwayRoot, 1)).wait();
const publishedPathway = attachAnchorProof(pathway, { type: ANCHOR_PROOF_TYPE, chainId, registry: registryAddress, root: pathwayRoot, leafIndex: 0, merklePath: [] });
const reader = new EthersRegistryReader(context.registry);
const plan = await planStack(publishedPathway, components.map((credential) => ({ label: credential.id, credential })), {
  readerFor: () => reader,
  now: () => new Date(),
  stackingIssuerProfileId: PROFILE,
});
if (!plan.ok) throw new Error(plan.problems.join("\n"));
const [stack] = await anchorBatch([plan.draft]);

// Two services in this process, each reading the node through a transport that counts round trips.
let roundTrips = 0;
const rpcFetch = createRpcFetch();
const countingFetch: typeof fetch = (input, init) => {
  roundTrips++;
  return rpcFetch(input, init);
};
async function service(cacheTtlSeconds: number): Promise<string> {
  const metrics = createMetrics();
  const chain = { chainId, name: "hardhat", rpcUrl: node.url, registry: registryAddress as `0x${string}`, blockTag: "latest" as const, confirmations: 0 };
  const client = createPublicClient({ transport: http(node.url, { batch: { wait: 2 }, retryCount: 0, fetchFn: countingFetch }) });
  const verifier = new Verifier({ chains: [new ChainRegistry(chain, { timeoutMs: 10_000, metrics, client })], cacheTtlSeconds, maxBodyBytes: 256 * 1024, metrics });
  const app = createApp({ verifier, metrics, logger: pino({ level: "silent" }), maxBodyBytes: 256 * 1024, rateLimitPerMinute: 100_000_000 });
  const server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
const [warmUrl, coldUrl] = await Promise.all([service(3600), service(0)]);

interface Row {
  scenario: string;
  credentialsPerRequest: number;
  roundTripsPerRequest: number;
  p50: number;
  p99: number;
  mean: number;
}
async function measure(scenario: string, url: string, body: unknown, expect: (answer: any) => boolean, credentialsPerRequest: number): Promise<Row> {
  const text = JSON.stringify(body);
  const call = async () => {
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: text });
    const answer = await response.json();
    if (!expect(answer)) throw new Error(`${scenario}: unexpected answer ${JSON.stringify(answer).slice(0, 300)}`);
  };
  for (let warmUp = 0; warmUp < 5; warmUp++) await call();
  const before = roundTrips;
  const times: number[] = [];
  for (let index = 0; index < requests; index++) {
    const started = performance.now();
    await call();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (quantile: number) => Number(times[Math.min(times.length - 1, Math.floor(quantile * times.length))].toFixed(1));
  return {
    scenario,
    credentialsPerRequest,
    roundTripsPerRequest: Number(((roundTrips - before) / requests).toFixed(2)),
    p50: at(0.5),
    p99: at(0.99),
    mean: Number((times.reduce((sum, time) => sum + time, 0) / times.length).toFixed(1)),
  };
}

const allValid = (answer: any) => answer.summary?.verified === 50;
const stackValid = (answer: any) => answer.status === "valid" && answer.stack?.components.length === 20;
const rows = [
  await measure("portfolio of 50, cold", `${coldUrl}/v1/presentations/verify`, { type: ["VerifiablePresentation"], verifiableCredential: portfolio }, allValid, 50),
  await measure("portfolio of 50, warm", `${warmUrl}/v1/presentations/verify`, { type: ["VerifiablePresentation"], verifiableCredential: portfolio }, allValid, 50),
  await measure("stack of 20, cold", `${coldUrl}/v1/credentials/verify`, stack, stackValid, 1),
  await measure("stack of 20, warm", `${warmUrl}/v1/credentials/verify`, stack, stackValid, 1),
];
const cold = rows[0];
const met = cold.roundTripsPerRequest <= 3 && cold.p50 <= 250;
if (json) {
  console.log(JSON.stringify({ requests, rows, target: { roundTrips: 3, p50Ms: 250 }, met }));
} else {
  console.log(`Hardhat node, ${requests} sequential requests per scenario after 5 to warm up`);
  console.log(`${"scenario".padEnd(24)} ${"round trips".padStart(11)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"mean ms".padStart(8)}`);
  for (const row of rows) {
    console.log(`${row.scenario.padEnd(24)} ${String(row.roundTripsPerRequest).padStart(11)} ${String(row.p50).padStart(8)} ${String(row.p99).padStart(8)} ${String(row.mean).padStart(8)}`);
  }
  console.log(`cold portfolio of 50: ${cold.roundTripsPerRequest} round trip(s), p50 ${cold.p50} ms (target ≤ 3 and ≤ 250 ms: ${met ? "met" : "MISSED"})`);
}
node.stop();
process.exit(0);
