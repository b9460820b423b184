/**
 * A local chain for benchmarks: a Hardhat node (or Anvil) as its own process on a free loopback port,
 * stopped when the benchmark exits.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import path from "node:path";

const root = path.join(import.meta.dirname, "..");
export const bin = (name: string) => path.join(root, "node_modules", ".bin", name);

export async function startBenchNode(kind: "hardhat" | "anvil"): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const child =
    kind === "hardhat"
      ? spawn(bin("hardhat"), ["node", "--hostname", "127.0.0.1", "--port", String(port)], { cwd: root, stdio: "ignore", detached: true })
      : spawn(bin("anvil"), ["--host", "127.0.0.1", "--port", String(port), "--silent"], { cwd: root, stdio: "ignore", detached: true });
  const stop = () => {
    if (child.exitCode === null) process.kill(-child.pid!, "SIGTERM");
  };
  process.on("exit", stop);
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 240; attempt++) {
    try {
      const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' });
      if (response.ok) return { url, stop };
    } catch {
      // not yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  stop();
  throw new Error(`no ${kind} node on ${url}`);
}

export async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as AddressInfo;
  probe.close();
  return port;
}
