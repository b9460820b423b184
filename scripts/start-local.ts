/**
 * `npm start`. With a chain configured (CHAINS, CHAINS_FILE or RPC_URL): the verifier service on that
 * chain only. With nothing configured and a local node already running (LOCALHOST_RPC_URL, by default
 * http://127.0.0.1:8545 — the `npx hardhat node` the README's walkthrough uses) on which the registry was
 * deployed (`registry deploy --network localhost`, recorded by Ignition under that node's genesis): the
 * service for that node and registry. Otherwise a local chain to try it on — a `hardhat node` of its own
 * (port 8545, or a free one), the registry deployed, the sample badges anchored into start-output/ (one of
 * them revoked, and a tampered copy), a pathway published and a stacked certificate, a baked PNG and a
 * portfolio bundle — and the service on 127.0.0.1:8080, printing their paths. Each way ends with a
 * "Verifier ready" line. Ctrl-C stops the service (and the node it started).
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";

import hre from "hardhat";
import { pino } from "pino";

import { deploymentDir } from "./deploy-registry.js";
import { changeCredentialStatus, credentialRefsFromFiles } from "./credentials/status-change.js";
import { setUpSampleRegistry } from "./sample-registry.js";
import { setUpSampleStack } from "./sample-stack.js";
import { ConfigError, hasChainConfig, loadConfig, registryFromDeployment, type ServerConfig } from "../server/config.js";
import { startVerifier, stopOnSignals, type RunningVerifier } from "../server/main.js";

const projectRoot = path.join(import.meta.dirname, "..");
const relative = (file: string) => path.relative(process.cwd(), file);
const LOCAL_CHAIN_ID = 31337;

if (hasChainConfig()) {
  const running = await serve(() => loadConfig());
  const chains = running.config.chains.map((chain) => `${chain.name} (chain ${chain.chainId}, registry ${chain.registry})`).join("; ");
  console.log(`Verifier ready on ${running.url}/ for ${chains}. Ctrl-C stops it.`);
} else {
  const localUrl = process.env.LOCALHOST_RPC_URL || "http://127.0.0.1:8545";
  const deployed = await localDeployment(localUrl);
  if (deployed) {
    const running = await serve(() => loadConfig({ ...process.env, CHAINS: JSON.stringify([{ chainId: LOCAL_CHAIN_ID, rpcUrl: localUrl, registry: deployed.registry, name: "local node" }]), LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" }));
    console.log(`Using the node already running on ${localUrl} (chain ${LOCAL_CHAIN_ID}) and its registry ${deployed.registry} (${relative(deployed.file)}).`);
    console.log(`Verifier ready: open ${running.url}/ and drop a badge you anchored on it, or:`);
    console.log(`  curl -s -X POST -H 'content-type: application/json' --data @issued/<badge>.json ${running.url}/v1/credentials/verify`);
    console.log("Ctrl-C stops the service (the node keeps running).");
  } else {
    await serveSamples(localUrl);
  }
}

/** Starts the service from `configure()`, stopping on Ctrl-C; a configuration error is one line and exit code 2. */
async function serve(configure: () => ServerConfig, after: () => void = () => {}): Promise<RunningVerifier & { config: ServerConfig }> {
  try {
    const config = configure();
    const logger = pino({ level: config.logLevel });
    const running = await startVerifier(config, logger);
    stopOnSignals(running, logger, () => {
      after();
      process.exit(0);
    });
    return { ...running, config };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`Configuration error: ${error.message}`);
    after();
    process.exit(2);
  }
}

/**
 * The registry deployed on the local node at `url`, if one answers there for chain 31337 and Ignition
 * recorded a deployment for its genesis block (`registry deploy --network localhost`) whose code is there.
 */
async function localDeployment(url: string): Promise<{ registry: string; file: string } | null> {
  const call = async (method: string, params: unknown[]) => {
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }), signal: AbortSignal.timeout(2_000) });
    return ((await response.json()) as { result?: unknown }).result;
  };
  try {
    if (Number(await call("eth_chainId", [])) !== LOCAL_CHAIN_ID) return null;
    const genesis = (await call("eth_getBlockByNumber", ["0x0", false])) as { hash?: string } | null;
    if (!genesis?.hash) return null;
    const folder = deploymentDir(`chain-${LOCAL_CHAIN_ID}-${genesis.hash.slice(2, 10)}`);
    const registry = registryFromDeployment(folder);
    const file = path.join(folder, "deployed_addresses.json");
    const code = await call("eth_getCode", [registry, "latest"]);
    return typeof code === "string" && code !== "0x" ? { registry, file } : null;
  } catch {
    return null;
  }
}

/** No node of the user's: one of our own, with the samples on it. */
async function serveSamples(preferredUrl: string): Promise<void> {
  const preferredPort = Number(new URL(preferredUrl).port || 8545);
  const port = (await isFree(preferredPort)) ? preferredPort : await anyFreePort();
  const rpcUrl = `http://127.0.0.1:${port}`;
  console.log(`No chain configured and no registry deployed on ${preferredUrl}: starting a local Hardhat node on ${rpcUrl} with sample badges…`);
  const node = spawn(path.join(projectRoot, "node_modules", ".bin", "hardhat"), ["node", "--hostname", "127.0.0.1", "--port", String(port)], {
    cwd: projectRoot,
    stdio: "ignore",
    detached: true,
  });
  const stopNode = () => {
    if (node.pid !== undefined && node.exitCode === null) process.kill(-node.pid, "SIGTERM");
  };
  process.on("exit", stopNode);
  await waitForRpc(rpcUrl);

  const connection = await hre.network.create({ network: "localhost", override: { type: "http", url: rpcUrl } as never });
  // Its own folder: the demo's demo-output/ is left as the demo wrote it.
  const outputRoot = path.join(projectRoot, "start-output");
  const sample = await setUpSampleRegistry(connection, outputRoot, (line) => console.log(`  ${line}`), { identities: "did:key" });
  const stack = await setUpSampleStack(sample, outputRoot, (line) => console.log(`  ${line}`));
  // A revoked badge and a tampered copy, to see what those look like: Grace's badge, in neither Ada's
  // certificate nor her portfolio, is revoked.
  const revokedFile = sample.badge("university", "uni-data-analytics-foundations-grace");
  const university = await sample.as(sample.accounts.university);
  await changeCredentialStatus(university, "revoke", await credentialRefsFromFiles(university, [revokedFile]), "issued-in-error");
  const tampered = JSON.parse(await readFile(sample.badge("university", "uni-statistical-modelling-python"), "utf8"));
  tampered.credentialSubject.achievement.name = "Statistical Modelling (with Distinction)";
  const tamperedFile = path.join(outputRoot, "tampered-copy.json");
  await writeFile(tamperedFile, `${JSON.stringify(tampered, null, 2)}\n`);

  const running = await serve(
    () =>
      loadConfig({
        ...process.env,
        CHAINS: JSON.stringify([{ chainId: sample.chainId, rpcUrl, registry: sample.registry, name: "local Hardhat node" }]),
        LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
      }),
    stopNode,
  );
  console.log("");
  console.log(`Verifier ready: open ${running.url}/ and drop one of these badges on the page:`);
  for (const batch of sample.batches) {
    const manifest = JSON.parse(await readFile(path.join(batch.outDir, "batch-manifest.json"), "utf8")) as { credentials: Array<{ file: string }> };
    for (const credential of manifest.credentials) console.log(`  ${relative(path.join(batch.outDir, credential.file))}`);
  }
  console.log(`A revoked badge (issued in error): ${relative(revokedFile)}`);
  console.log(`A tampered copy (its title changed): ${relative(tamperedFile)}`);
  console.log(`A stacked certificate (with its component tree): ${relative(stack.certificateFile)}`);
  console.log(`A badge baked into its PNG image: ${relative(stack.bakedPngFile)}`);
  console.log(`A portfolio for an employer (drop it, or several badges at once): ${relative(stack.bundleFile)}`);
  console.log(`Or: curl -s -X POST -H 'content-type: application/json' --data @${relative(sample.badge("university", "uni-sql-for-analysts"))} ${running.url}/v1/credentials/verify`);
  for (const issuer of Object.values(sample.issuers)) {
    console.log(`Issuer ${issuer.profileId} (issuerId ${issuer.issuerId}): curl -s ${running.url}/v1/issuers/${encodeURIComponent(issuer.profileId)}`);
  }
  console.log("Ctrl-C stops the service and the node.");
}

async function isFree(port: number): Promise<boolean> {
  const probe = createServer();
  probe.listen(port, "127.0.0.1");
  try {
    await once(probe, "listening");
    return true;
  } catch {
    return false;
  } finally {
    probe.close();
  }
}

async function anyFreePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as { port: number };
  probe.close();
  return port;
}

async function waitForRpc(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      if (response.ok) return;
    } catch {
      // not yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the local node did not answer on ${url} within 60 s`);
}
