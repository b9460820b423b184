/**
 * verifier-core (the Digital Credentials Consortium's verifier) as the tests' independent judge: each
 * call runs verifier-core-child.mjs as its own process, the credential on stdin, trusting the local
 * HTTPS server's certificate through NODE_EXTRA_CA_CERTS. The child stops by itself (timeout); its
 * stderr (the Open Badges schema it cannot fetch offline) is kept for messages, never a failure.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";

import { PROJECT_ROOT } from "./processes.js";

const CHILD = path.join(import.meta.dirname, "verifier-core-child.mjs");
const NODE = path.join(PROJECT_ROOT, "node_modules", ".bin", "node");

export interface VerifierCoreStep {
  id: string;
  valid?: boolean;
  error?: { name: string; message: string };
}

export interface VerifierCoreResult {
  /** The steps (valid_signature, expiration, revocation_status …) when verifier-core got that far. */
  log?: VerifierCoreStep[];
  /** Fatal errors (invalid_signature, did_web_unresolved …) instead of a log. */
  errors?: Array<{ name: string; message: string }>;
  /** Non-loopback URLs the child refused to fetch (the tests are offline). */
  refusedFetches: string[];
  stderr: string;
}

export async function verifyWithVerifierCore(credential: unknown, o: { caFile?: string; timeoutMs?: number } = {}): Promise<VerifierCoreResult> {
  const timeoutMs = o.timeoutMs ?? 20_000;
  const child = spawn(NODE, [CHILD], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, VERIFIER_CORE_CHILD: "1", VERIFIER_CORE_TIMEOUT_MS: String(timeoutMs), ...(o.caFile ? { NODE_EXTRA_CA_CERTS: o.caFile } : {}) },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(JSON.stringify(credential));
  const [exitCode] = (await once(child, "close")) as [number | null];
  const line = stdout.trim().split("\n").at(-1) ?? "";
  if (exitCode !== 0 || !line.startsWith("{")) throw new Error(`verifier-core exited ${exitCode}: ${stdout}\n${stderr}`);
  return { ...(JSON.parse(line) as Omit<VerifierCoreResult, "stderr">), stderr };
}

/** The step `id` of a result, or a failure that shows the whole result. */
export function stepOf(result: VerifierCoreResult, id: string): VerifierCoreStep {
  const step = result.log?.find((entry) => entry.id === id);
  if (step === undefined) throw new Error(`verifier-core gave no "${id}" step: ${JSON.stringify({ log: result.log, errors: result.errors })}`);
  return step;
}
