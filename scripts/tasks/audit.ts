/**
 * `npx hardhat audit [--registry A] [--from-block N] [--to-block M] [--format table|json|csv|html] [--json]
 *  [--out file] [--issuer A] [--sample N] [--range N] --network <name>` — exit code 1 when inconsistent.
 */
import { constants } from "node:fs";
import { access, stat, writeFile } from "node:fs/promises";
import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { isAddress } from "ethers";

import { CommandError, runCommand } from "../command-errors.js";
import { openRegistryReader } from "../cli/registry-context.js";
import { renderCsv, renderHtml, renderTable } from "../audit/report.js";
import { runAudit } from "../audit/run-audit.js";

interface AuditArguments {
  registry: string;
  fromBlock: string;
  toBlock: string;
  format: string;
  out: string;
  issuer: string;
  sample: string;
  range: string;
  json?: boolean;
}

const FORMATS = ["table", "json", "csv", "html"] as const;

export default async function audit(args: AuditArguments, hre: HardhatRuntimeEnvironment) {
  // --json, as every command has, is --format json.
  const format = (args.json ? "json" : args.format) as (typeof FORMATS)[number];
  await runCommand(format === "json", async () => {
    if (!FORMATS.includes(format)) throw new CommandError("bad-format", `--format must be one of ${FORMATS.join(", ")}`);
    if (args.issuer && !isAddress(args.issuer)) throw new CommandError("invalid-address", `--issuer must be an address, got "${args.issuer}"`);
    // Checked before the audit runs, so that a long audit is not lost for want of a place to write it.
    if (args.out) await checkWritable(args.out);
    const context = await openRegistryReader(hre, { registry: args.registry });
    const report = await runAudit(context, {
      fromBlock: wholeNumber("--from-block", args.fromBlock),
      toBlock: wholeNumber("--to-block", args.toBlock),
      range: wholeNumber("--range", args.range),
      sample: wholeNumber("--sample", args.sample),
      issuer: args.issuer || undefined,
      progress: format === "table" || args.out !== "",
    });
    const rendered = { table: renderTable, json: (r: typeof report) => JSON.stringify(r, null, 2), csv: renderCsv, html: renderHtml }[format](report);
    if (args.out) {
      await writeFile(args.out, rendered);
      if (format === "json") console.log(JSON.stringify({ consistent: report.consistent, findings: report.findings.length, events: report.events, out: args.out }));
      else console.log(`${report.consistent ? "Consistent" : `INCONSISTENT (${report.findings.length} finding(s))`}: ${report.events} events audited; ${format} report written to ${args.out}`);
    } else {
      console.log(rendered);
    }
    if (!report.consistent) process.exitCode = 1;
  });
}

async function checkWritable(out: string): Promise<void> {
  const folder = path.dirname(path.resolve(out));
  try {
    if (!(await stat(folder)).isDirectory()) throw new Error("not a folder");
    await access(folder, constants.W_OK);
  } catch {
    throw new CommandError("bad-out", `--out ${out}: cannot write there (${folder} is not a writable folder)`);
  }
  if (await stat(out).then((info) => info.isDirectory(), () => false)) throw new CommandError("bad-out", `--out ${out} is a folder; name a file`);
}

function wholeNumber(option: string, value: string): number | undefined {
  if (value === "") return undefined;
  if (!/^\d+$/.test(value)) throw new CommandError("bad-number", `${option} must be a whole number, got "${value}"`);
  return Number(value);
}
