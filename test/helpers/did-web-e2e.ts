/**
 * The setting of the interop end-to-end tests, all on 127.0.0.1 and all real processes: a local chain
 * (Hardhat's node) with the registry deployed by the command, the commands run as a user runs them, a
 * local HTTPS host for did:web documents and status lists (https-server.ts), and our verifier service
 * as its own process trusting that host's certificate the same way verifier-core does
 * (NODE_EXTRA_CA_CERTS) — so both verifiers fetch the same documents over the same checked TLS.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { createTestCertificate, startTestWebServer, type TestCertificate, type TestWebServer } from "./https-server.js";
import {
  freePort,
  lastJsonLine,
  PROJECT_ROOT,
  runHardhat,
  startLocalNode,
  startProcess,
  stopProcessGroup,
  waitForHttp,
  type CommandResult,
  type LocalNode,
} from "./processes.js";

/** The second default account of the Hardhat node: a registered issuer's controller in these tests. */
export const UNIVERSITY = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

export interface InteropSetting {
  node: LocalNode;
  workDir: string;
  certificate: TestCertificate;
  /** The issuer's website: did.json, status lists. */
  web: TestWebServer;
  registry: string;
  /** Runs `hardhat <args> --network localhost` against the local registry; fails the test unless it exits 0. */
  hardhat(args: string[], extraEnv?: Record<string, string>): Promise<CommandResult>;
  /** The same, returning the result whatever the exit code. */
  tryHardhat(args: string[], extraEnv?: Record<string, string>): Promise<CommandResult>;
  stop(): Promise<void>;
}

/** Starts the node, deploys the registry, makes the certificate and starts the HTTPS host. */
export async function startInteropSetting(name: string): Promise<InteropSetting> {
  const workDir = await mkdtemp(path.join(tmpdir(), `${name}-`));
  const certificate = await createTestCertificate(workDir);
  const web = await startTestWebServer(certificate);
  const node = await startLocalNode("hardhat");
  const deployed = await runHardhat(["registry", "deploy", "--network", "localhost", "--json"], { LOCALHOST_RPC_URL: node.url });
  expect(deployed.exitCode, deployed.stderr).to.equal(0);
  const { address, deploymentId } = lastJsonLine<{ address: string; deploymentId: string }>(deployed.stdout);
  const env = { LOCALHOST_RPC_URL: node.url, REGISTRY_ADDRESS: address };
  const tryHardhat = (args: string[], extraEnv: Record<string, string> = {}) => runHardhat([...args, "--network", "localhost"], { ...env, ...extraEnv });
  return {
    node,
    workDir,
    certificate,
    web,
    registry: address,
    tryHardhat,
    hardhat: async (args, extraEnv) => {
      const run = await tryHardhat(args, extraEnv);
      expect(run.exitCode, `hardhat ${args.join(" ")}\n${run.stdout}\n${run.stderr}`).to.equal(0);
      return run;
    },
    stop: async () => {
      await web.stop();
      await node.stop();
      await rm(workDir, { recursive: true, force: true });
      await rm(path.join(PROJECT_ROOT, "ignition", "deployments", deploymentId), { recursive: true, force: true });
    },
  };
}

/** What the service answers for one credential (the fields the interop tests read). */
export interface ServiceResult {
  httpStatus: number;
  verified: boolean;
  status: string;
  checks: Array<{ name: string; result: string; detail?: string; status?: string }>;
  warnings: string[];
  errors: string[];
  /** Everything else the result carries (the signers, the anchor, the issuer …). */
  [field: string]: unknown;
}

export interface VerifierService {
  url: string;
  verify(credential: unknown): Promise<ServiceResult>;
  output(): string;
  stop(): void;
}

/**
 * Starts `server/main.ts` as its own process against the setting's registry, trusting the HTTPS host's
 * certificate; no caches (each request reads the chain and fetches the DID document again).
 */
export async function startVerifierService(setting: InteropSetting, extraEnv: Record<string, string> = {}): Promise<VerifierService> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const service = startProcess(path.join(PROJECT_ROOT, "node_modules", ".bin", "node"), ["--import", "tsx", "server/main.ts"], {
    RPC_URL: setting.node.url,
    REGISTRY_ADDRESS: setting.registry,
    CHAIN_ID: "31337",
    PORT: String(port),
    CACHE_TTL_SECONDS: "0",
    DID_CACHE_TTL_SECONDS: "0",
    DID_FAILURE_CACHE_TTL_SECONDS: "0",
    LOG_LEVEL: "warn",
    NODE_EXTRA_CA_CERTS: setting.certificate.certFile,
    ...extraEnv,
  });
  await waitForHttp(`${url}/healthz`, 30_000, service.output);
  return {
    url,
    output: service.output,
    stop: () => stopProcessGroup(service.child),
    verify: async (credential) => {
      const response = await fetch(`${url}/v1/credentials/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(credential) });
      const result = (await response.json()) as ServiceResult;
      return { ...result, httpStatus: response.status };
    },
  };
}

/** The named check of a service result, or a failure that shows the whole result. */
export function checkOf(result: ServiceResult, name: string): ServiceResult["checks"][number] {
  const check = result.checks.find((entry) => entry.name === name);
  if (check === undefined) throw new Error(`the service gave no "${name}" check: ${JSON.stringify(result)}`);
  return check;
}
