/**
 * `npx hardhat audit`: read every registry event in pages, rebuild the state from them alone with every
 * rule checked, cross-check it against the contract's views (all anchors, or a sample), and report.
 */
import { keccak256, toUtf8Bytes } from "ethers";

import { crossCheck, rebuildState } from "../../lib/audit.js";
import { CommandError } from "../command-errors.js";
import { explainFailure } from "../cli/contract-errors.js";
import { startProgress } from "../cli/progress.js";
import type { RegistryReadContext } from "../cli/registry-context.js";
import { readLogsPaged } from "./log-pager.js";
import { batchedRegistryViews, decodeRegistryLogs } from "./registry-events.js";
import { buildReport, type AuditReport } from "./report.js";

export interface AuditOptions {
  fromBlock?: number;
  toBlock?: number;
  range?: number;
  sample?: number;
  issuer?: string;
  progress: boolean;
}

export async function runAudit(context: RegistryReadContext, options: AuditOptions): Promise<AuditReport> {
  const provider = context.connection.ethers.provider;
  try {
    const latest = await provider.getBlockNumber();
    const fromBlock = options.fromBlock ?? 0;
    const toBlock = options.toBlock ?? latest;
    if (fromBlock > toBlock) throw new CommandError("bad-range", `--from-block ${fromBlock} is after --to-block ${toBlock}`);
    const progress = startProgress("reading", toBlock - fromBlock + 1, options.progress);
    const logs = await readLogsPaged(provider, context.registryAddress, fromBlock, toBlock, {
      range: options.range,
      onProgress: (done) => progress.update(done),
    });
    progress.stop();
    const state = rebuildState(await decodeRegistryLogs(context.registry, provider, logs));
    const views = batchedRegistryViews(context.registry);
    const viewFindings = await crossCheck(state, views, { sample: options.sample, profileIdHash: (id) => keccak256(toUtf8Bytes(id)) });
    return buildReport(state, viewFindings, {
      network: context.networkName,
      chainId: context.chainId,
      registry: context.registryAddress,
      fromBlock,
      toBlock,
      anchorsChecked: options.sample === undefined ? state.anchors.size : Math.min(options.sample, state.anchors.size),
      issuer: options.issuer,
    });
  } catch (error) {
    explainFailure(error, context.networkName);
  }
}
