/**
 * A local chain for benchmarks: a Hardhat node (or Anvil) as its own process on a free loopback port,
 * stopped when the benchmark exits.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import path from "node:path";

import hre from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";

const root = path.join(import.meta.dirname, "..");
export const bin = (name: string) => path.join(root, "node_modules", ".bin", name);

export interface BenchNodeOptions {
  /**
   * Anvil only: keep the states of the last few blocks, not of every block. A history of a million anchors
   * otherwise holds a state per block in memory (4 GB at 170,000 anchors, and growing); logs and the latest
   * state — all an audit at the latest block reads — are kept either way.
   */
  pruneHistory?: boolean;
}

export async function startBenchNode(kind: "hardhat" | "anvil", options: BenchNodeOptions = {}): Promise<{ url: string; stop: () => void; pid: number }> {
  const port = await freePort();
  // A million anchors in full blocks drive Anvil's base fee up (12.5% a block) until its default 10,000 ETH an
  // account runs out and fee estimates fall behind: a base fee of zero stays zero.
  const anvilArgs = ["--host", "127.0.0.1", "--port", String(port), "--silent", "--balance", "100000000", "--block-base-fee-per-gas", "0", ...(options.pruneHistory ? ["--prune-history", "64"] : [])];
  const child =
    kind === "hardhat"
      ? spawn(bin("hardhat"), ["node", "--hostname", "127.0.0.1", "--port", String(port)], { cwd: root, stdio: "ignore", detached: true })
      : spawn(bin("anvil"), anvilArgs, { cwd: root, stdio: "ignore", detached: true });
  const stop = () => {
    if (child.exitCode === null) process.kill(-child.pid!, "SIGTERM");
  };
  process.on("exit", stop);
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 240; attempt++) {
    try {
      const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' });
      if (response.ok) return { url, stop, pid: child.pid! };
    } catch {
      // not yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  stop();
  throw new Error(`no ${kind} node on ${url}`);
}

/**
 * A bench node and a Hardhat connection to it. A failure anywhere in the bench (an unhandled rejection)
 * stops the node and exits, so that neither is left running.
 */
export async function startBenchChain(kind: "hardhat" | "anvil", options: BenchNodeOptions = {}) {
  const node = await startBenchNode(kind, options);
  process.on("unhandledRejection", (error) => {
    console.error(error);
    node.stop();
    process.exit(1);
  });
  const connection: NetworkConnection = await hre.network.create({ network: "localhost", override: { type: "http", url: node.url } as never });
  return { node, connection };
}

export async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as AddressInfo;
  probe.close();
  return port;
}

/**
 * CPU time (ms, user + system) used so far by every live process of process group `pgid` — the node and
 * whatever its launcher started. Linux only (reads /proc); NaN elsewhere.
 */
export async function processGroupCpuMs(pgid: number): Promise<number> {
  const { readdir, readFile } = await import("node:fs/promises");
  let ticks = 0;
  try {
    for (const entry of await readdir("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
      // Fields after the command name (which may hold spaces) start at state: pgrp is the 3rd, utime/stime the 12th/13th.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
    }
  } catch {
    return Number.NaN;
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

/** Busy and total CPU time (ms) of the whole machine so far, from /proc/stat; NaN elsewhere. */
export async function machineCpuMs(): Promise<{ busy: number; total: number }> {
  const { readFile } = await import("node:fs/promises");
  try {
    const [, ...values] = (await readFile("/proc/stat", "utf8")).split("\n")[0].trim().split(/\s+/);
    const [user, nice, system, idle, iowait, irq, softirq, steal] = values.map(Number);
    const busy = user + nice + system + irq + softirq + steal;
    return { busy: busy * 10, total: (busy + idle + iowait) * 10 };
  } catch {
    return { busy: Number.NaN, total: Number.NaN };
  }
}
