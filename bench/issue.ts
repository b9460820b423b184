/**
 * `npm run bench:issue`: wall time and peak memory to sign 1,000 / 10,000 / 100,000 badges and prepare
 * them for anchoring (parse, validate, id, sign eddsa-rdfc-2022, canonicalize, hash, Merkle tree, proofs;
 * then the files written), each size in a fresh process (bench/issue-one.ts), with workers = cores, and
 * where the time goes per phase. Target (issue 14): 100,000 signed and prepared in ≤ 60 s on 2 cores.
 * Sizes can be given as arguments: `npm run bench:issue -- 1000 5000`; `--dir <folder>` chooses where the
 * badge files are written (default: the system's temporary folder), e.g. /dev/shm for a tmpfs, to tell the
 * disk's share of the time from ours.
 */
import { execFileSync } from "node:child_process";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";

const sizes = process.argv.slice(2).filter((arg, position, all) => /^\d+$/.test(arg) && all[position - 1] !== "--dir").map(Number);
const runs = sizes.length > 0 ? sizes : [1_000, 10_000, 100_000];
const tsx = path.join(import.meta.dirname, "..", "node_modules", ".bin", "tsx");
const dirFlag = process.argv.indexOf("--dir");
const dir = dirFlag > 0 ? process.argv[dirFlag + 1] : tmpdir();
const fsType = execFileSync("df", ["--output=fstype", dir], { encoding: "utf8" }).trim().split("\n").at(-1);
const results = runs.map((count) => {
  const output = execFileSync(tsx, [path.join(import.meta.dirname, "issue-one.ts"), String(count), dir], { encoding: "utf8", maxBuffer: 1 << 24 });
  return JSON.parse(output.trim().split("\n").at(-1)!) as {
    count: number;
    totalMs: number;
    untilAnchoringMs: number;
    phases: Record<string, number>;
    maxRssMB: number;
    outputMB: number;
  };
});

if (process.argv.includes("--json")) {
  console.log(JSON.stringify(results));
} else {
  console.log(`Preparing badges for anchoring on ${availableParallelism()} cores (Node ${process.version}), files in ${dir} (${fsType})`);
  console.log("Phases: parse+hash = read, validate, id, RFC 8785, keccak (an unsigned pass, for comparison); sign = the same pass signed, minus it");
  console.log("badges   to anchoring  +write  peak RSS  parse+hash    sign    tree  proofs  write files  output");
  const ms = (value: number, width: number) => `${String(value).padStart(width)} ms`;
  for (const run of results) {
    const { phases } = run;
    console.log(
      `${run.count.toLocaleString("en-US").padStart(7)}  ${(run.untilAnchoringMs / 1000).toFixed(1).padStart(9)} s ${(run.totalMs / 1000).toFixed(1).padStart(5)} s  ${String(run.maxRssMB).padStart(5)} MB` +
        `  ${ms(phases["parse+hash"], 7)} ${ms(phases.sign, 7)} ${ms(phases.tree, 5)} ${ms(phases.proofs, 5)} ${ms(phases["write files"], 8)}  ${run.outputMB} MB`,
    );
  }
  const largest = results.find((run) => run.count === 100_000);
  if (largest) {
    const met = largest.untilAnchoringMs <= 60_000;
    console.log(`Target for 100,000 signed and prepared for anchoring: ≤ 60 s — ${met ? "met" : "MISSED"} (${(largest.untilAnchoringMs / 1000).toFixed(1)} s)`);
  }
}
