/**
 * `npm start`. With a chain configured (CHAINS, CHAINS_FILE or RPC_URL): the verifier service on that
 * chain only. With nothing configured: a local chain to try it on — a `hardhat node` of its own on
 * 127.0.0.1 (port 8545, or a free one), the registry deployed, the sample badges anchored into
 * demo-output/, a pathway published and a stacked certificate, a baked PNG and a portfolio bundle made from
 * them — and the service on 127.0.0.1:8080, printing their paths. Ctrl-C stops both.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import path from "node:path";

import hre from "hardhat";
import { pino } from "pino";

import { setUpSampleRegistry } from "./sample-registry.js";
import { setUpSampleStack } from "./sample-stack.js";
import { ConfigError, hasChainConfig, loadConfig } from "../server/config.js";
import { runConfiguredVerifier, startVerifier, stopOnSignals } from "../server/main.js";

const projectRoot = path.join(import.meta.dirname, "..");

if (hasChainConfig()) {
  await runConfiguredVerifier();
} else {
  const port = (await isFree(8545)) ? 8545 : await anyFreePort();
  const rpcUrl = `http://127.0.0.1:${port}`;
  console.log(`No chain configured: starting a local Hardhat node on ${rpcUrl}…`);
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
  const outputRoot = path.join(projectRoot, "demo-output");
  const sample = await setUpSampleRegistry(connection, outputRoot, (line) => console.log(`  ${line}`), { identities: "did:key" });
  const stack = await setUpSampleStack(sample, outputRoot, (line) => console.log(`  ${line}`));
  const config = loadConfig({
    ...process.env,
    CHAINS: JSON.stringify([{ chainId: sample.chainId, rpcUrl, registry: sample.registry, name: "local Hardhat node" }]),
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  });
  const logger = pino({ level: config.logLevel });
  const running = await startVerifier(config, logger).catch((error: unknown) => {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`Error: ${error.message}`);
    stopNode();
    process.exit(2);
  });
  console.log("");
  console.log(`Verifier ready: open ${running.url}/ and drop one of these badges on the page:`);
  for (const batch of sample.batches) {
    const manifest = await import(path.join(batch.outDir, "batch-manifest.json"), { with: { type: "json" } });
    for (const credential of manifest.default.credentials as Array<{ file: string }>) {
      console.log(`  ${path.relative(process.cwd(), path.join(batch.outDir, credential.file))}`);
    }
  }
  const relative = (file: string) => path.relative(process.cwd(), file);
  console.log(`A stacked certificate (with its component tree): ${relative(stack.certificateFile)}`);
  console.log(`A badge baked into its PNG image: ${relative(stack.bakedPngFile)}`);
  console.log(`A portfolio for an employer (drop it, or several badges at once): ${relative(stack.bundleFile)}`);
  console.log(`Or: curl -s -X POST -H 'content-type: application/json' --data @${path.relative(process.cwd(), sample.badge("university", "uni-sql-for-analysts"))} ${running.url}/v1/credentials/verify`);
  for (const issuer of Object.values(sample.issuers)) {
    console.log(`Issuer ${issuer.profileId} (issuerId ${issuer.issuerId}): curl -s ${running.url}/v1/issuers/${encodeURIComponent(issuer.profileId)}`);
  }
  console.log("Ctrl-C stops the service and the node.");
  stopOnSignals(running, logger, () => {
    stopNode();
    process.exit(0);
  });
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
