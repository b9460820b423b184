/**
 * `npx hardhat audit`: read every registry event in pages and fold each page into the compact state as it
 * arrives (the rebuild checks every rule on the way; no page is kept), cross-check the state against the
 * contract's batch views at the audited block (all anchors, or a sample), and report.
 */
import { crossCheck, Rebuild, sampledAnchorCount } from "../../lib/audit/audit.js";
import { CommandError } from "../command-errors.js";
import { explainFailure } from "../cli/contract-errors.js";
import { startProgress } from "../cli/progress.js";
import type { RegistryReadContext } from "../cli/registry-context.js";
import { forEachLogPage, LogPagingError } from "./log-pager.js";
import { decodeRegistryLogs, registryViews } from "./registry-events.js";
import { buildReport, type AuditReport } from "./report.js";
import { rpcLogSource, rpcReader } from "./rpc.js";

export type AuditPhase = "read" | "decode" | "rebuild" | "cross-check" | "report";

export interface AuditOptions {
  fromBlock?: number;
  toBlock?: number;
  range?: number;
  sample?: number;
  /** Only this issuer id in the report's summaries, identity and timeline. */
  issuerId?: string;
  progress: boolean;
  /** Told how long each phase took, in milliseconds, once it is known (benchmarks). Read, decode and rebuild interleave page by page; each is the sum of its share. */
  onPhase?: (phase: AuditPhase, milliseconds: number) => void;
}

export async function runAudit(context: RegistryReadContext, options: AuditOptions): Promise<AuditReport> {
  const provider = context.connection.ethers.provider;
  const read = rpcReader(provider);
  try {
    const latest = await provider.getBlockNumber();
    const fromBlock = options.fromBlock ?? 0;
    const toBlock = options.toBlock ?? latest;
    if (toBlock > latest) throw new CommandError("bad-range", `--to-block ${toBlock} is beyond the chain's latest block, ${latest}`);
    if (fromBlock > toBlock) throw new CommandError("bad-range", `--from-block ${fromBlock} is after --to-block ${toBlock}`);
    const progress = startProgress("reading", toBlock - fromBlock + 1, options.progress);
    const rebuild = new Rebuild();
    let decodeMs = 0;
    let rebuildMs = 0;
    const started = performance.now();
    await forEachLogPage(
      rpcLogSource(read),
      context.registryAddress,
      fromBlock,
      toBlock,
      async (page) => {
        const decodeStarted = performance.now();
        const events = await decodeRegistryLogs(read, page);
        const rebuildStarted = performance.now();
        for (const event of events) rebuild.apply(event);
        decodeMs += rebuildStarted - decodeStarted;
        rebuildMs += performance.now() - rebuildStarted;
      },
      { range: options.range, onProgress: (done) => progress.update(done) },
    );
    progress.stop();
    options.onPhase?.("read", performance.now() - started - decodeMs - rebuildMs);
    options.onPhase?.("decode", decodeMs);
    options.onPhase?.("rebuild", rebuildMs);
    const state = rebuild.state;

    let phaseStarted = performance.now();
    const viewFindings = await crossCheck(state, registryViews(context.registry, { atBlock: toBlock }), { sample: options.sample });
    options.onPhase?.("cross-check", performance.now() - phaseStarted);
    phaseStarted = performance.now();
    const report = buildReport(state, viewFindings, {
      network: context.networkName,
      chainId: context.chainId,
      registry: context.registryAddress,
      fromBlock,
      toBlock,
      anchorsChecked: sampledAnchorCount(state, options.sample),
      issuerId: options.issuerId,
    });
    options.onPhase?.("report", performance.now() - phaseStarted);
    return report;
  } catch (error) {
    if (error instanceof LogPagingError) throw new CommandError("logs-refused", error.message, 3);
    explainFailure(error, context.networkName);
  }
}
