/**
 * `npm run soak` (not in CI; a few minutes): the verifier and the anchor command under a hostile
 * environment, every component a real process. Issue 15's soak:
 *
 *  1. Load: ≥ 10,000 hostile requests (test/helpers/hostile-requests.ts: smuggled members, a mutation
 *     fuzzer over signed anchored badges, byte edits, garbage, portfolios, baked images), 16 at a time,
 *     against the service (server/main.ts) reading a `hardhat node` through a TCP proxy, while the node is
 *     cut off, killed (SIGKILL) and replaced by a fresh node with the registry redeployed at the same
 *     address, and stopped (SIGTERM) and replaced again. After each replacement: the seconds until the
 *     service answers `valid` for the new chain's badges, and until a revocation there shows.
 *  2. Crashes of the issuer's command: `credentials anchor` killed with SIGKILL at ≥ 10 random moments, each
 *     followed by re-runs until one succeeds; then every root's Anchored events are counted and every input
 *     badge's output file checked.
 *
 * It prints one table; the columns that must be zero are marked. SOAK_REQUESTS, SOAK_KILLS, SOAK_SEED
 * change the sizes and the seed. Figures go in bench/README.md ("Soak").
 */
import { execSync, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { JsonRpcProvider } from "ethers";

import { syntheticBadge } from "../examples/generate.js";
import { issuerIdOfProfile } from "../lib/credential/profile-id.js";
import { buildControllerDocument } from "../lib/signature/controller-document.js";
import { encodeSecretKeyMultibase, generateEd25519KeyPair } from "../lib/signature/ed25519-keys.js";
import { CredentialRegistry__factory } from "../types/ethers-contracts/index.js";
import { hostileRequests, judge, seededRandom, type BaseBadge, type HostileRequest } from "../test/helpers/hostile-requests.js";
import { freePort, lastJsonLine, PROJECT_ROOT, runHardhat, startLocalNode, startProcess, waitForHttp, type LocalNode } from "../test/helpers/processes.js";
import { TcpProxy } from "../test/helpers/tcp-proxy.js";

const REQUESTS = Number(process.env.SOAK_REQUESTS ?? 10_000);
const KILLS = Number(process.env.SOAK_KILLS ?? 10);
const SEED = Number(process.env.SOAK_SEED ?? Date.now() % 1_000_000);
const CONCURRENCY = 16;
const CACHE_TTL_SECONDS = 15;
const ISSUER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"; // the node's second default account
const PROFILE = "did:web:soak.example";
const SIGNING_KEY = generateEd25519KeyPair();
const DID_DOCUMENT = buildControllerDocument({ id: PROFILE, publicKey: SIGNING_KEY.publicKey, keyFragment: "key-1" });

const work = await mkdtemp(path.join(tmpdir(), "soak-"));
const random = seededRandom(SEED);
const say = (line: string) => console.log(`[soak ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const started = Date.now();

interface Chain {
  node: LocalNode;
  registry: string;
  deploymentId: string;
  env: Record<string, string>;
}

/** A fresh node with the registry deployed (the same address each time: the deployer's first transaction) and the issuer registered. */
async function freshChain(): Promise<Chain> {
  const node = await startLocalNode("hardhat");
  const deployed = await runHardhat(["registry", "deploy", "--network", "localhost", "--json"], { LOCALHOST_RPC_URL: node.url });
  if (deployed.exitCode !== 0) throw new Error(`deploy failed: ${deployed.stderr}`);
  const { address, deploymentId } = lastJsonLine<{ address: string; deploymentId: string }>(deployed.stdout);
  const env = { LOCALHOST_RPC_URL: node.url, REGISTRY_ADDRESS: address, CREDENTIAL_SIGNING_KEY: encodeSecretKeyMultibase(SIGNING_KEY.secretKey) };
  const registered = await runHardhat(["issuer", "register", PROFILE, "--controller", ISSUER, "--network", "localhost"], env);
  if (registered.exitCode !== 0) throw new Error(`register failed: ${registered.stderr}`);
  return { node, registry: address, deploymentId, env };
}

async function inputs(label: string, count: number): Promise<string> {
  const dir = path.join(work, `${label}-in`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (let index = 1; index <= count; index++) await writeFile(path.join(dir, `badge-${index}.json`), JSON.stringify(syntheticBadge(index, { seed: label, issuerId: PROFILE })));
  return dir;
}

const anchorArgs = (inputDir: string, outDir: string) => ["credentials", "anchor", inputDir, "--out", outDir, "--from", ISSUER, "--network", "localhost"];

/** Anchors a few badges, revokes one, and returns them as the fuzzer's bases with their files. */
async function anchorBases(chain: Chain, label: string): Promise<{ files: string[]; revoked: string }> {
  const outDir = path.join(work, `${label}-out`);
  const anchored = await runHardhat(anchorArgs(await inputs(label, 4), outDir), chain.env);
  if (anchored.exitCode !== 0) throw new Error(`anchor failed: ${anchored.stdout}${anchored.stderr}`);
  const files = (await readdir(outDir)).filter((name) => name.startsWith("badge-")).map((name) => path.join(outDir, name));
  const revoked = files[1];
  const done = await runHardhat(["credentials", "revoke", revoked, "--reason", "issued-in-error", "--from", ISSUER, "--network", "localhost"], chain.env);
  if (done.exitCode !== 0) throw new Error(`revoke failed: ${done.stderr}`);
  return { files, revoked };
}

// ---- the service, through a proxy that can be cut and pointed at another node ----
let chain = await freshChain();
let proxy = await new TcpProxy(chain.node.port).start();
const proxyPort = proxy.port;
const pinned = path.join(work, "pinned.json");
await writeFile(pinned, JSON.stringify({ [PROFILE]: DID_DOCUMENT }));
const servicePort = await freePort();
const serviceUrl = `http://127.0.0.1:${servicePort}`;
const serviceEnv = {
  RPC_URL: proxy.url,
  REGISTRY_ADDRESS: chain.registry,
  CHAIN_ID: "31337",
  PORT: String(servicePort),
  CACHE_TTL_SECONDS: String(CACHE_TTL_SECONDS),
  RPC_TIMEOUT_MS: "2000",
  RATE_LIMIT_PER_MINUTE: "100000000",
  LOG_LEVEL: "warn",
  PINNED_DID_DOCUMENTS: pinned,
};
let crashes = 0;
let service = startService();
function startService() {
  const running = startProcess(path.join(PROJECT_ROOT, "node_modules", ".bin", "node"), ["--import", "tsx", "server/main.ts"], serviceEnv);
  running.child.on("exit", (code, signal) => {
    if (stopping) return;
    crashes++;
    say(`the service died (${signal ?? code}): ${running.output().slice(-400)}; restarting it`);
    service = startService();
  });
  return running;
}
let stopping = false;
await waitForHttp(`${serviceUrl}/healthz`, 60_000, () => service.output());

async function rssMb(): Promise<number> {
  const status = await readFile(`/proc/${service.child.pid}/status`, "utf8").catch(() => "");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

async function post(route: string, contentType: string, body: Uint8Array): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${serviceUrl}${route}`, { method: "POST", headers: { "content-type": contentType }, body: new Uint8Array(body) });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    return { status: response.status, body: text };
  }
}

const verifyFile = async (file: string) => (await post("/v1/credentials/verify", "application/json", await readFile(file))).body as { status?: string; chainReadAt?: string | null };

async function basesOf(files: string[]): Promise<BaseBadge[]> {
  return Promise.all(files.map(async (file) => ({ credential: JSON.parse(await readFile(file, "utf8")), status: (await verifyFile(file)).status ?? "none" })));
}

/** Seconds until `check` holds, polling every 100 ms (Infinity after `limit` s). */
async function secondsUntil(check: () => Promise<boolean>, limit = 60): Promise<number> {
  const from = Date.now();
  while (Date.now() - from < limit * 1000) {
    if (await check().catch(() => false)) return (Date.now() - from) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return Number.POSITIVE_INFINITY;
}

let generation = 0;
let current = await anchorBases(chain, `bases-${generation}`);
let bases = await basesOf(current.files);
say(`bases: ${bases.map((base) => base.status).join(", ")} (seed ${SEED})`);
const rssBefore = await rssMb();

// ---- phase 1: hostile load while the node is cut off, killed and replaced, stopped and replaced ----
/** Periods the chain could not be read (ms since the epoch): cut off, or between a node's death and its replacement's service. */
const unreadable: Array<{ from: number; to: number }> = [];
/** After each replacement: when the old chain's badges stopped being the truth. */
const replacedAt: number[] = [];
const oldContents = new Set<string>();
const counts = { requests: 0, fiveHundreds: 0, validChanged: 0, validUnreadable: 0, validOldChain: 0, unavailable: 0, refused: 0 };
const recoveries: number[] = [];
const revocationSeen: number[] = [];
const samples: string[] = [];

async function replaceNode(how: "SIGKILL" | "SIGTERM"): Promise<void> {
  const from = Date.now();
  say(`${how === "SIGKILL" ? "killing" : "stopping"} the node under load`);
  const old = chain;
  await proxy.cut();
  await killNode(old.node, how);
  await rm(path.join(PROJECT_ROOT, "ignition", "deployments", old.deploymentId), { recursive: true, force: true });
  // The old chain's badges stop being the truth when the new chain is served, not before.
  const retired = bases.map((base) => JSON.stringify(base.credential));
  chain = await freshChain();
  generation++;
  current = await anchorBases(chain, `bases-${generation}`);
  proxy = new TcpProxy(chain.node.port);
  proxy.port = proxyPort;
  await proxy.start();
  const back = Date.now();
  unreadable.push({ from, to: back });
  for (const content of retired) oldContents.add(content);
  replacedAt.push(back);
  say(`replaced: a fresh node, the registry at ${chain.registry} again; waiting for the service to read it`);
  recoveries.push(await secondsUntil(async () => (await verifyFile(current.files[0])).status === "valid"));
  bases = await basesOf(current.files);
  // A revocation on the new node: how long until the service shows it (its cache TTL is 15 s).
  // Verified first, so that the service holds the answer `valid` in its cache; timed from the revocation's receipt.
  const target = current.files[2];
  await verifyFile(target);
  const done = await runHardhat(["credentials", "revoke", target, "--reason", "issued-in-error", "--from", ISSUER, "--network", "localhost"], chain.env);
  if (done.exitCode !== 0) throw new Error(`revoke failed: ${done.stderr}`);
  revocationSeen.push(await secondsUntil(async () => (await verifyFile(target)).status === "revoked"));
  bases = await basesOf(current.files);
  say(`recovered in ${recoveries.at(-1)!.toFixed(1)} s; a revocation showed after ${revocationSeen.at(-1)!.toFixed(1)} s`);
}

async function killNode(node: LocalNode, how: "SIGKILL" | "SIGTERM"): Promise<void> {
  if (how === "SIGTERM") return node.stop();
  // LocalNode.stop sends SIGTERM to the node's process group; a kill -9 goes to the process serving the port.
  const pids = execSync(`lsof -t -iTCP:${node.port} -sTCP:LISTEN || true`).toString().trim().split("\n").filter(Boolean);
  for (const pid of pids) process.kill(Number(pid), "SIGKILL");
  await node.stop().catch(() => {});
}

async function cutOff(seconds: number): Promise<void> {
  say(`cutting the service off from the node for ${seconds} s`);
  const from = Date.now();
  await proxy.cut();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  proxy = new TcpProxy(chain.node.port);
  proxy.port = proxyPort;
  await proxy.start();
  unreadable.push({ from, to: Date.now() });
}

function duringUnreadable(time: number): { from: number; to: number } | undefined {
  return unreadable.find((period) => time >= period.from && time <= period.to);
}

let sent = 0;
let chaosDone = false;
const chaos = (async () => {
  const at = (fraction: number) => secondsUntil(async () => sent >= REQUESTS * fraction, 3600);
  await at(0.15);
  await cutOff(5);
  await at(0.35);
  await replaceNode("SIGKILL");
  await at(0.65);
  await replaceNode("SIGTERM");
  chaosDone = true;
})();

const requestsOf = function* (): Generator<HostileRequest> {
  let round = 0;
  for (;;) yield* hostileRequests(bases, { seed: SEED + round++, count: 200 });
};
const source = requestsOf();
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (sent < REQUESTS || !chaosDone) {
      sent++;
      const request = source.next().value as HostileRequest;
      let answer;
      const askedAt = Date.now();
      try {
        answer = await post(request.route, request.contentType, request.body);
      } catch (error) {
        samples.push(`no answer: ${(error as Error).message}`);
        continue;
      }
      const answeredAt = Date.now();
      counts.requests++;
      if (answer.status >= 500 && answer.status !== 503) counts.fiveHundreds++;
      if (answer.status === 503) counts.unavailable++;
      if (answer.status >= 400 && answer.status < 500) counts.refused++;
      const problem = judge(request, answer.status, answer.body);
      if (problem && !problem.startsWith("answered 5")) {
        counts.validChanged++;
        if (samples.length < 10) samples.push(`${request.kind}: ${problem}`);
      }
      const body = answer.body as { status?: string; chainReadAt?: string | null; results?: Array<{ status?: string }> };
      const valid = body?.status === "valid" || (body?.results ?? []).some((result) => result.status === "valid");
      if (!valid) continue;
      // A valid answer may rest on a read from before the chain went away (within the cache's bound), never on one made while it could not be read.
      const period = duringUnreadable(askedAt) ?? duringUnreadable(answeredAt);
      const readAt = body.chainReadAt ? Date.parse(body.chainReadAt) : Number.NaN;
      if (period && (readAt >= period.from || answeredAt - period.from > (CACHE_TTL_SECONDS + 1) * 1000)) counts.validUnreadable++;
      // The replaced chain's badges are not anchored on the new one: once it is read, they must not read valid.
      const sentContent = request.route === "/v1/credentials/verify" && request.contentType === "application/json" ? Buffer.from(request.body).toString() : "";
      const lastReplacement = replacedAt.at(-1);
      if (lastReplacement !== undefined && askedAt > lastReplacement + 2_000 && oldContents.has(sentContent) && body.status === "valid") {
        counts.validOldChain++;
        if (samples.length < 10) {
          const block = (body as { chainBlock?: { number: number } }).chainBlock;
          const current = block ? await fetch(chain.node.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_getBlockByNumber", params: [`0x${block.number.toString(16)}`, false] }) }).then((r) => r.json()).catch(() => null) : null;
          samples.push(`valid for a replaced chain's badge ${askedAt - lastReplacement} ms after the replacement (asked ${new Date(askedAt).toISOString()}): ${JSON.stringify({ chainReadAt: body.chainReadAt, chainBlock: block, currentHashThere: (current as { result?: { hash?: string } } | null)?.result?.hash })}`);
        }
      }
    }
  }),
);
await chaos;
await new Promise((resolve) => setTimeout(resolve, 2_000));
const rssAfter = await rssMb();
say(`load done: ${counts.requests} requests`);

// ---- phase 2: kill -9 of credentials anchor at random moments, then re-runs ----
const provider = new JsonRpcProvider(chain.node.url);
const registry = CredentialRegistry__factory.connect(chain.registry, provider);
let anchoredTwice = 0;
let filesLost = 0;
let killsDone = 0;
// One uninterrupted run first: kills are then spread over the time a run takes (start-up, signing,
// sending, waiting for the receipt, writing files), not bunched before any work began.
const calibrationFrom = Date.now();
const calibration = await runHardhat(anchorArgs(await inputs("calibration", 200), path.join(work, "calibration-out")), chain.env);
if (calibration.exitCode !== 0) throw new Error(`anchor failed: ${calibration.stderr}`);
const runMs = Date.now() - calibrationFrom;
for (let round = 0; round < KILLS; round++) {
  const count = 50 + Math.floor(random() * 300);
  const inputDir = await inputs(`crash-${round}`, count);
  const outDir = path.join(work, `crash-${round}-out`);
  const delay = Math.floor(runMs * (0.3 + random() * 0.7));
  const child = spawn(path.join(PROJECT_ROOT, "node_modules", ".bin", "hardhat"), anchorArgs(inputDir, outDir), { cwd: PROJECT_ROOT, env: { ...process.env, ...chain.env }, stdio: "ignore" });
  const timer = setTimeout(() => child.kill("SIGKILL"), delay);
  const [code, signal] = (await once(child, "close")) as [number | null, string | null];
  clearTimeout(timer);
  if (signal === "SIGKILL") killsDone++;
  let attempts = 0;
  let finished = code === 0;
  while (!finished && attempts++ < 3) finished = (await runHardhat(anchorArgs(inputDir, outDir), chain.env)).exitCode === 0;
  const names = (await readdir(outDir).catch(() => [] as string[])).filter((name) => name.startsWith("badge-"));
  const lost = count - names.length;
  filesLost += Math.max(0, lost);
  const manifest = JSON.parse(await readFile(path.join(outDir, "batch-manifest.json"), "utf8").catch(() => "{}")) as { root?: string };
  const events = manifest.root ? await registry.queryFilter(registry.filters.Anchored(issuerIdOfProfile(PROFILE), manifest.root)) : [];
  if (events.length > 1) anchoredTwice++;
  if (events.length === 0) filesLost += count;
  say(`crash ${round + 1}/${KILLS}: ${count} badges, killed after ${delay} ms (${signal ?? `exited ${code}`}); re-run ${finished ? "finished" : "FAILED"}; ${events.length} anchor(s), ${lost} file(s) missing`);
}
provider.destroy();

// ---- the table ----
const table: Array<[string, string | number, boolean]> = [
  ["requests", counts.requests, false],
  ["service crashes", crashes, true],
  ["5xx other than 503", counts.fiveHundreds, true],
  ["valid for changed content (or refused input answered)", counts.validChanged, true],
  ["valid while the chain was unreadable", counts.validUnreadable, true],
  ["valid for the replaced chain's badges (> 2 s after)", counts.validOldChain, true],
  ["503 unavailable answers", counts.unavailable, false],
  ["4xx refusals", counts.refused, false],
  ["RSS before / after (MB)", `${rssBefore.toFixed(0)} / ${rssAfter.toFixed(0)}`, false],
  ["seconds to recover after a node replaced", recoveries.map((value) => value.toFixed(1)).join(", "), false],
  ["seconds until a revocation showed (TTL 15 s)", revocationSeen.map((value) => value.toFixed(1)).join(", "), false],
  ["kill -9 of credentials anchor", killsDone, false],
  ["roots anchored twice", anchoredTwice, true],
  ["files lost", filesLost, true],
];
console.log(`\nSoak (seed ${SEED}, ${REQUESTS} requests, ${KILLS} anchor crashes; * must be 0)\n`);
console.log("| measure | value |\n|---|---|");
for (const [name, value, mustBeZero] of table) console.log(`| ${name}${mustBeZero ? " *" : ""} | ${value} |`);
if (samples.length > 0) console.log(`\nfirst problems:\n${samples.join("\n")}`);

stopping = true;
service.child.kill("SIGTERM");
await proxy.cut();
await chain.node.stop();
await rm(path.join(PROJECT_ROOT, "ignition", "deployments", chain.deploymentId), { recursive: true, force: true });
await rm(work, { recursive: true, force: true });
const failed = table.some(([, value, mustBeZero]) => mustBeZero && value !== 0) || recoveries.some((value) => !Number.isFinite(value));
process.exit(failed ? 1 : 0);
