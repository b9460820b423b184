/**
 * `npx hardhat audit`: read every registry event in pages, rebuild the state from them alone with every
 * rule checked, cross-check it against the contract's views (all anchors, or a sample), and report.
 */
import { keccak256, toUtf8Bytes } from "ethers";

import { crossCheck, rebuildState } from "../../lib/audit/audit.js";
import { CommandError } from "../command-errors.js";
import { explainFailure } from "../cli/contract-errors.js";
import { startProgress } from "../cli/progress.js";
import type { RegistryReadContext } from "../cli/registry-context.js";
import { LogPagingError, readLogsPaged } from "./log-pager.js";
import { batchedRegistryViews, decodeRegistryLogs } from "./registry-events.js";
import { buildReport, type AuditReport } from "./report.js";
import { rpcLogSource, rpcReader } from "./rpc.js";

export type AuditPhase = "read" | "decode" | "rebuild" | "cross-check" | "report";

export interface AuditOptions {
  fromBlock?: number;
  toBlock?: number;
  range?: number;
  sample?: number;
  issuer?: string;
  progress: boolean;
  /** Told how long each phase took, in milliseconds, as it ends (benchmarks). */
  onPhase?: (phase: AuditPhase, milliseconds: number) => void;
}

export async function runAudit(context: RegistryReadContext, options: AuditOptions): Promise<AuditReport> {
  const provider = context.connection.ethers.provider;
  const read = rpcReader(provider);
  let phaseStarted = performance.now();
  const phaseEnds = (phase: AuditPhase) => {
    const now = performance.now();
    options.onPhase?.(phase, now - phaseStarted);
    phaseStarted = now;
  };
  try {
    const latest = await provider.getBlockNumber();
    const fromBlock = options.fromBlock ?? 0;
    const toBlock = options.toBlock ?? latest;
    if (toBlock > latest) throw new CommandError("bad-range", `--to-block ${toBlock} is beyond the chain's latest block, ${latest}`);
    if (fromBlock > toBlock) throw new CommandError("bad-range", `--from-block ${fromBlock} is after --to-block ${toBlock}`);
    const progress = startProgress("reading", toBlock - fromBlock + 1, options.progress);
    const logs = await readLogsPaged(rpcLogSource(read), context.registryAddress, fromBlock, toBlock, {
      range: options.range,
      onProgress: (done) => progress.update(done),
    });
    progress.stop();
    phaseEnds("read");
    const events = await decodeRegistryLogs(read, logs);
    phaseEnds("decode");
    const state = rebuildState(events);
    phaseEnds("rebuild");
    const views = batchedRegistryViews(context.registry, { atBlock: toBlock });
    const viewFindings = await crossCheck(state, views, { sample: options.sample, profileIdHash: (id) => keccak256(toUtf8Bytes(id)) });
    phaseEnds("cross-check");
    const report = buildReport(state, viewFindings, {
      network: context.networkName,
      chainId: context.chainId,
      registry: context.registryAddress,
      fromBlock,
      toBlock,
      anchorsChecked: options.sample === undefined ? state.anchors.size : Math.min(options.sample, state.anchors.size),
      issuer: options.issuer,
    });
    phaseEnds("report");
    return report;
  } catch (error) {
    if (error instanceof LogPagingError) throw new CommandError("logs-refused", error.message, 3);
    explainFailure(error, context.networkName);
  }
}
