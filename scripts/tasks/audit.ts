/**
 * `npx hardhat audit [--registry A] [--from-block N] [--to-block M] [--format table|json|csv|html] [--json]
 *  [--out file] [--issuer <issuer id | profile id>] [--sample N] [--range N] --network <name>` — exit code 1
 * when inconsistent. JSON, CSV and HTML are written a chunk at a time, so a long history's timeline goes to
 * --out without being held whole.
 */
import { constants, createWriteStream } from "node:fs";
import { access, stat } from "node:fs/promises";
import { once } from "node:events";
import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { issuerIdOfProfile, profileIdProblem } from "../../lib/credential/profile-id.js";
import { CommandError, runCommand } from "../command-errors.js";
import { openRegistryReader } from "../cli/registry-context.js";
import { renderCsv, renderHtml, renderJson, renderTable, type AuditReport } from "../audit/report.js";
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
type Format = (typeof FORMATS)[number];

const RENDERERS: Record<Format, (report: AuditReport) => Iterable<string>> = {
  table: (report) => [`${renderTable(report)}\n`],
  json: renderJson,
  csv: renderCsv,
  html: renderHtml,
};

export default async function audit(args: AuditArguments, hre: HardhatRuntimeEnvironment) {
  // --json, as every command has, is --format json.
  const format = (args.json ? "json" : args.format) as Format;
  await runCommand(format === "json", async () => {
    if (!FORMATS.includes(format)) throw new CommandError("bad-format", `--format must be one of ${FORMATS.join(", ")}`);
    const issuerId = issuerOption(args.issuer);
    // Checked before the audit runs, so that a long audit is not lost for want of a place to write it.
    if (args.out) await checkWritable(args.out);
    const context = await openRegistryReader(hre, { registry: args.registry });
    const report = await runAudit(context, {
      fromBlock: wholeNumber("--from-block", args.fromBlock),
      toBlock: wholeNumber("--to-block", args.toBlock),
      range: wholeNumber("--range", args.range),
      sample: wholeNumber("--sample", args.sample),
      issuerId,
      progress: format === "table" || args.out !== "",
    });
    const chunks = RENDERERS[format](report);
    if (args.out) {
      await writeChunks(args.out, chunks);
      if (format === "json") console.log(JSON.stringify({ consistent: report.consistent, findings: report.findings.length, events: report.events, out: args.out }));
      else console.log(`${report.consistent ? "Consistent" : `INCONSISTENT (${report.findings.length} finding(s))`}: ${report.events} events audited; ${format} report written to ${args.out}`);
    } else {
      console.log([...chunks].join("").replace(/\n$/, ""));
    }
    if (!report.consistent) process.exitCode = 1;
  });
}

/** --issuer: an issuer id (0x and 64 hex digits) or a canonical profile id, as an issuer id. */
function issuerOption(value: string): string | undefined {
  if (!value) return undefined;
  if (/^0x[0-9a-fA-F]{64}$/.test(value)) return value.toLowerCase();
  const problem = profileIdProblem(value);
  if (problem) throw new CommandError("invalid-issuer", `--issuer must be an issuer id (0x and 64 hex digits) or a profile id; "${value}" ${problem}`);
  return issuerIdOfProfile(value).toLowerCase();
}

async function writeChunks(out: string, chunks: Iterable<string>): Promise<void> {
  const file = createWriteStream(out);
  const failed = once(file, "error").then(([error]) => Promise.reject(new CommandError("bad-out", `--out ${out}: ${(error as Error).message}`)));
  failed.catch(() => undefined);
  for (const chunk of chunks) {
    if (!file.write(chunk)) await Promise.race([once(file, "drain"), failed]);
  }
  file.end();
  await Promise.race([once(file, "finish"), failed]);
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
