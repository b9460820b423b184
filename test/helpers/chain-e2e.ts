/**
 * The set-up the chain end-to-end tests share: a Hardhat node as its own process, the sample registry on
 * it (deployed, issuers accredited, badges signed and anchored — by this process, over the node's HTTP
 * JSON-RPC), the issuers' DID documents pinned in a file, and the verifier service as its own process
 * (`server/main.ts`, JSON logs on stdout) reading the chain through a URL the test chooses.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";

import { deploymentDir, deploymentIdFor } from "../../scripts/deploy-registry.js";
import { setUpSampleRegistry, type SampleRegistry } from "../../scripts/sample-registry.js";
import { pinnedSampleDocuments } from "./verifier-app.js";
import { freePort, PROJECT_ROOT, startProcess, stopProcessGroup, waitForHttp } from "./processes.js";

/** A connection of this process to the node at `url` (the `localhost` network, moved there). */
export function connectTo(url: string): Promise<NetworkConnection> {
  return network.create({ network: "localhost", override: { url } });
}

export interface SampleOnNode {
  sample: SampleRegistry;
  workDir: string;
  pinnedFile: string;
  /** A badge file of the university's batch by its leaf index, as text. */
  universityBadge(leafIndex: number): Promise<string>;
}

/** The sample registry on the node at `url`, its files in a temporary folder. */
export async function sampleOnNode(connection: NetworkConnection): Promise<SampleOnNode> {
  const workDir = await mkdtemp(path.join(tmpdir(), "chain-e2e-"));
  const sample = await setUpSampleRegistry(connection, path.join(workDir, "issued"));
  const pinnedFile = path.join(workDir, "pinned.json");
  await writeFile(pinnedFile, JSON.stringify(Object.fromEntries(pinnedSampleDocuments(sample))));
  const batch = sample.batches.find((found) => found.who === "university")!;
  return {
    sample,
    workDir,
    pinnedFile,
    universityBadge: async (leafIndex) => {
      for (const name of (await readdir(batch.outDir)).filter((file) => file.startsWith("uni-") && file.endsWith(".json"))) {
        const text = await readFile(path.join(batch.outDir, name), "utf8");
        const proofs = (JSON.parse(text) as { proof: Array<{ type: string; leafIndex?: number }> }).proof;
        if (proofs.some((proof) => proof.type === "CredentialRegistryAnchor2026" && proof.leafIndex === leafIndex)) return text;
      }
      throw new Error(`no university badge at leaf ${leafIndex}`);
    },
  };
}

/** Revokes the university's badge at `leafIndex` (its controller, reason 1). */
export async function revokeUniversityBadge(sample: SampleRegistry, leafIndex: number): Promise<void> {
  const university = await sample.as(sample.accounts.university);
  const root = sample.batches.find((found) => found.who === "university")!.root;
  await (await university.registry.revoke(sample.issuers.university.issuerId, root, Math.floor(leafIndex / 256), 1n << BigInt(leafIndex % 256), 1)).wait();
}

export interface ServiceProcess {
  url: string;
  output(): string;
  stop(): void;
}

/** The verifier service as its own process, with `env` on top of a test's defaults. */
export async function startServiceProcess(env: Record<string, string>): Promise<ServiceProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const service = startProcess(path.join(PROJECT_ROOT, "node_modules", ".bin", "node"), ["--import", "tsx", "server/main.ts"], {
    CHAIN_ID: "31337",
    PORT: String(port),
    RPC_TIMEOUT_MS: "2000",
    LOG_LEVEL: "info",
    ...env,
  });
  await waitForHttp(`${url}/healthz`, 30_000, service.output);
  return { url, output: service.output, stop: () => stopProcessGroup(service.child) };
}

export interface Verdict {
  httpStatus: number;
  status: string;
  verified: boolean;
  checks: Array<{ name: string; result: string; detail: string }>;
  chainBlock?: { number: number; hash: string } | null;
}

export async function verifyAt(serviceUrl: string, badge: string): Promise<Verdict> {
  const response = await fetch(`${serviceUrl}/v1/credentials/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: badge });
  return { httpStatus: response.status, ...((await response.json()) as Omit<Verdict, "httpStatus">) };
}

/** The detail of the anchor check (where an unreadable chain says why). */
export function anchorDetail(verdict: Verdict): string {
  return verdict.checks.find((check) => check.name === "anchor")?.detail ?? "";
}

/** The Ignition deployment folder a deployment on this node wrote (removed after a test). */
export async function deploymentFolderOf(connection: NetworkConnection): Promise<string> {
  return deploymentDir(await deploymentIdFor(connection, 31337n));
}

/** Polls `read` every 100 ms until `done` says yes or `timeoutMs` passes; returns the last value read. */
export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}
