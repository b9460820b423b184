/**
 * `npm run bench:issue`: wall time and peak memory to prepare 1,000 / 10,000 / 100,000 badges for
 * anchoring (validate, canonicalize, hash, tree, proofs, files written), each size in a fresh process
 * (bench/issue-one.ts). Target: 100,000 in ≤ 30 s and ≤ 1.5 GB on a 2-core machine.
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
    phases: Record<string, number>;
    maxRssMB: number;
    outputMB: number;
  };
});

if (process.argv.includes("--json")) {
  console.log(JSON.stringify(results));
} else {
  console.log(`Preparing badges for anchoring on ${availableParallelism()} cores (Node ${process.version}), files in ${dir} (${fsType})`);
  console.log("badges    wall time  peak RSS  validate+hash   tree  proofs  write files  output");
  for (const run of results) {
    const { phases } = run;
    console.log(
      `${run.count.toLocaleString("en-US").padStart(7)}  ${(run.totalMs / 1000).toFixed(1).padStart(8)} s  ${String(run.maxRssMB).padStart(5)} MB` +
        `  ${String(phases["validate+hash"]).padStart(10)} ms ${String(phases.tree).padStart(5)} ms ${String(phases.proofs).padStart(5)} ms` +
        ` ${String(phases["write files"]).padStart(8)} ms  ${run.outputMB} MB`,
    );
  }
  const largest = results.find((run) => run.count === 100_000);
  if (largest) {
    const met = largest.totalMs <= 30_000 && largest.maxRssMB <= 1536;
    console.log(`Target for 100,000: ≤ 30 s and ≤ 1.5 GB — ${met ? "met" : "MISSED"}`);
  }
}
