/**
 * Memory stays bounded under many distinct large badges (issue 15, item 2): before, verdicts were
 * remembered by count (10,000), not bytes, and each kept its whole request body alive — 6,850 distinct
 * 200 KB badges ran the service out of heap. Here the service runs as deployed (its own process, a
 * Hardhat node, the registry deployed and a badge anchored by the commands), its verdict memo bounded at
 * 8 MiB, and is sent ten times that bound in distinct 200 KB badges, eight at a time. Each reads
 * `tampered` — a remembered verdict — and its answer holds the 200 KB description, so every answer is
 * a large memo entry. The process's RSS must stay under its baseline + 96 MiB, and /metrics must show the
 * memo within its bound, having evicted.
 *
 * The heap is capped (--max-old-space-size=256), as a deployment would: a service that keeps what it is
 * sent then fails fast and plainly (out of heap: before the fix it died before the 800th badge), and
 * one that keeps only its bound collects its garbage before the RSS check — uncapped, V8 lets garbage
 * pile up first (bench/README.md, "Memory", has the figures both ways).
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { EXAMPLES_DIR } from "../helpers/badges.js";
import { freePort, lastJsonLine, PROJECT_ROOT, runHardhat, startHardhatNode, startProcess, stopProcessGroup, waitForHttp, type LocalNode } from "../helpers/processes.js";

const UNIVERSITY = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"; // the second default account of the node
const MiB = 1024 * 1024;
const VERDICT_BOUND_BYTES = 8 * MiB;
const BADGE_PADDING_CHARS = 200 * 1024;
const BADGES = 800;
const CONCURRENCY = 8;
/** Over the baseline: the 8 MiB memo and the 4 MiB read cache, and room for garbage not yet collected. */
const RSS_ALLOWANCE_BYTES = 96 * MiB;

describe("verifier service: memory bounded under many distinct large badges", function () {
  this.timeout(240_000);
  let node: LocalNode;
  let service: ReturnType<typeof startProcess>;
  let serviceUrl: string;
  let workDir: string;
  let deploymentId: string;
  let issued: { credentialSubject: { achievement: { description: string } } };

  before(async function () {
    node = await startHardhatNode();
    workDir = await mkdtemp(path.join(tmpdir(), "memory-bound-"));
    const deployed = await runHardhat(["registry", "deploy", "--network", "localhost", "--json"], { LOCALHOST_RPC_URL: node.url });
    expect(deployed.exitCode, deployed.stderr).to.equal(0);
    const { address, deploymentId: id } = lastJsonLine<{ address: string; deploymentId: string }>(deployed.stdout);
    deploymentId = id;
    const env = { LOCALHOST_RPC_URL: node.url, REGISTRY_ADDRESS: address };
    const registered = await runHardhat(["issuer", "register", "did:web:uni.example", "--controller", UNIVERSITY, "--network", "localhost"], env);
    expect(registered.exitCode, registered.stderr).to.equal(0);
    const anchored = await runHardhat(
      ["credentials", "anchor", path.join(EXAMPLES_DIR, "uni-sql-for-analysts.json"), "--out", path.join(workDir, "issued"), "--from", UNIVERSITY, "--network", "localhost", "--unsigned"],
      env,
    );
    expect(anchored.exitCode, anchored.stderr).to.equal(0);
    issued = JSON.parse(await readFile(path.join(workDir, "issued", "uni-sql-for-analysts.json"), "utf8"));

    const port = await freePort();
    serviceUrl = `http://127.0.0.1:${port}`;
    service = startProcess(path.join(PROJECT_ROOT, "node_modules", ".bin", "node"), ["--max-old-space-size=256", "--import", "tsx", "server/main.ts"], {
      RPC_URL: node.url,
      REGISTRY_ADDRESS: address,
      CHAIN_ID: "31337",
      PORT: String(port),
      CACHE_TTL_SECONDS: "300",
      RATE_LIMIT_PER_MINUTE: "100000",
      VERDICT_CACHE_MAX_BYTES: String(VERDICT_BOUND_BYTES),
      READ_CACHE_MAX_BYTES: String(4 * MiB),
      LOG_LEVEL: "warn",
    });
    await waitForHttp(`${serviceUrl}/healthz`, 30_000, service.output);
  });

  after(async function () {
    if (service) stopProcessGroup(service.child);
    await node?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
    if (deploymentId) await rm(path.join(PROJECT_ROOT, "ignition", "deployments", deploymentId), { recursive: true, force: true });
  });

  /** The anchored badge with a distinct 200 KB description: well-formed, and `tampered` (its hash is not the anchored one). */
  const largeBadge = (index: number): string => {
    const badge = structuredClone(issued);
    const filler = `${index.toString(36).padStart(6, "0")} `.repeat(BADGE_PADDING_CHARS / 7);
    badge.credentialSubject.achievement.description = filler;
    return JSON.stringify(badge);
  };

  const verify = async (body: string) => {
    const response = await fetch(`${serviceUrl}/v1/credentials/verify`, { method: "POST", headers: { "content-type": "application/json" }, body }).catch((error: Error) => {
      // The service gone (out of heap) is the failure this test exists for: say so, with its last words.
      throw new Error(`the service stopped answering (${error.message}); its output ends:\n${service.output().slice(-600)}`);
    });
    return { status: response.status, body: (await response.json()) as { status: string; credential: { achievementDescription: string } | null } };
  };

  const residentBytes = async (): Promise<number> => {
    const status = await readFile(`/proc/${service.child.pid}/status`, "utf8");
    const kilobytes = /^VmRSS:\s+(\d+) kB$/m.exec(status);
    if (!kilobytes) throw new Error(`no VmRSS in /proc/${service.child.pid}/status`);
    return Number(kilobytes[1]) * 1024;
  };

  const metric = (text: string, name: string, cache: string): number => {
    const line = text.split("\n").find((entry) => entry.startsWith(`${name}{cache="${cache}"}`));
    if (line === undefined) throw new Error(`/metrics has no ${name}{cache="${cache}"}`);
    return Number(line.split(" ").pop());
  };

  it("keeps its RSS under the baseline + 96 MiB and its verdict memo within 8 MiB after 10× the bound in distinct 200 KB badges", async function () {
    // A warm-up, so that the baseline includes the code every verification loads.
    for (let index = 0; index < 10; index++) {
      const answer = await verify(largeBadge(-1 - index));
      expect(answer.status, JSON.stringify(answer.body).slice(0, 300)).to.equal(200);
    }
    const baseline = await residentBytes();

    let next = 0;
    const statuses = new Map<string, number>();
    const client = async () => {
      while (next < BADGES) {
        const index = next++;
        const answer = await verify(largeBadge(index));
        expect(answer.status).to.equal(200);
        expect(answer.body.credential?.achievementDescription.length).to.be.greaterThan(BADGE_PADDING_CHARS - 10);
        statuses.set(answer.body.status, (statuses.get(answer.body.status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, client));
    expect(Object.fromEntries(statuses)).to.deep.equal({ tampered: BADGES });

    const after = await residentBytes();
    const metrics = await (await fetch(`${serviceUrl}/metrics`)).text();
    const report = `RSS ${Math.round(baseline / MiB)} MiB before, ${Math.round(after / MiB)} MiB after ${BADGES} badges`;
    console.log(`      ${report}`);
    expect(after, report).to.be.lessThan(baseline + RSS_ALLOWANCE_BYTES);
    expect(metric(metrics, "verifier_cache_bytes", "verdict")).to.be.greaterThan(0).and.at.most(VERDICT_BOUND_BYTES);
    expect(metric(metrics, "verifier_cache_evictions_total", "verdict")).to.be.greaterThan(0);
    expect(metric(metrics, "verifier_cache_bytes", "chain-read")).to.be.at.most(4 * MiB);

    // A remembered verdict still answers: the last badge sent is in the memo.
    const again = await verify(largeBadge(BADGES - 1));
    expect(again.body.status).to.equal("tampered");
  });
});
