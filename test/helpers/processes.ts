/**
 * Real processes for end-to-end tests: a Hardhat node on a free loopback port, and Hardhat CLI commands
 * run as a user would run them. Every process started here is stopped by the caller's `after` hook.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import path from "node:path";

export const PROJECT_ROOT = path.resolve(import.meta.dirname, "../..");
const HARDHAT_BIN = path.join(PROJECT_ROOT, "node_modules", ".bin", "hardhat");

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

export interface LocalNode {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export type NodeKind = "hardhat" | "anvil";

/**
 * Starts `hardhat node` as its own process and waits until it serves JSON-RPC — on `port` when given (a
 * node restarted where the old one was: the same RPC URL, an empty chain), else on a free port.
 */
export function startHardhatNode(timeoutMs = 60_000, port?: number): Promise<LocalNode> {
  return startLocalNode("hardhat", timeoutMs, port);
}

/** `npm test` deploys a coverage-instrumented registry, larger than EIP-170 allows (see hardhat.config.ts). */
function anvilCodeSizeArgs(): string[] {
  return process.env.CREDENTIAL_REGISTRY_INSTRUMENTED_BUILD === "1" ? ["--disable-code-size-limit"] : [];
}

/**
 * Starts a local chain as its own process — Hardhat's node, or Anvil (Foundry's, an independent
 * implementation; same default accounts and chain id) — and waits until it serves JSON-RPC.
 */
export async function startLocalNode(kind: NodeKind, timeoutMs = 60_000, fixedPort?: number): Promise<LocalNode> {
  const port = fixedPort ?? (await freePort());
  const [command, args] =
    kind === "hardhat"
      ? [HARDHAT_BIN, ["node", "--hostname", "127.0.0.1", "--port", String(port)]]
      : [path.join(PROJECT_ROOT, "node_modules", ".bin", "anvil"), ["--host", "127.0.0.1", "--port", String(port), "--silent", ...anvilCodeSizeArgs()]];
  const child = spawn(command, args, {
    cwd: PROJECT_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (!(await answersRpc(url))) {
    if (child.exitCode !== null) throw new Error(`${kind} node exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) {
      stopProcessGroup(child);
      throw new Error(`${kind} node did not serve ${url} within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { url, port, stop: async () => stopProcessGroup(child) };
}

async function answersRpc(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    });
    return response.ok;
  } catch {
    return false;
  }
}

export function stopProcessGroup(child: ChildProcess): void {
  if (child.exitCode !== null || child.pid === undefined) return;
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    // already gone
  }
}

export interface CommandResult {
  /** The exit code, or null when a signal ended the process. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `hardhat <args>` in the project, as a user would, with extra environment variables. */
export async function runHardhat(args: string[], env: Record<string, string> = {}): Promise<CommandResult> {
  const child = spawn(HARDHAT_BIN, args, {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const [exitCode, signal] = (await once(child, "close")) as [number | null, NodeJS.Signals | null];
  return { exitCode, signal, stdout, stderr };
}

/** The last line of `text` that parses as a JSON object. */
export function lastJsonLine<T>(text: string): T {
  const line = text
    .trim()
    .split("\n")
    .reverse()
    .find((candidate) => candidate.trim().startsWith("{"));
  if (line === undefined) throw new Error(`no JSON line in output:\n${text}`);
  return JSON.parse(line) as T;
}

/** Starts a process in its own group (so that stopping it stops its children), collecting its output. */
export function startProcess(command: string, args: string[], env: Record<string, string> = {}): { child: ChildProcess; output: () => string } {
  const child = spawn(command, args, { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/** Polls `url` until it answers 2xx, or fails after `timeoutMs`. */
export async function waitForHttp(url: string, timeoutMs = 30_000, describe: () => string = () => ""): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms\n${describe()}`);
}
