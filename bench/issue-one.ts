/**
 * One measurement of bench/issue.ts, in its own process so that peak memory is this run's alone:
 * prepare N synthetic badges for anchoring as the anchor command does — read, validate, complete (id),
 * sign (eddsa-rdfc-2022), canonicalize and hash (worker threads), build the tree, take every proof, write
 * every anchored badge file — everything but the transaction. Prints one JSON line.
 *
 * Signing happens in the same worker pass as parsing and hashing (as in the command), so its share is
 * measured as the difference with an unsigned pass over the same files, run first ("parse+hash").
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { syntheticBadge } from "../examples/generate.js";
import { buildBatch } from "../lib/anchor/batch.js";
import type { Hex } from "../lib/credential/canonical.js";
import { generateEd25519KeyPair } from "../lib/signature/ed25519-keys.js";
import type { IssuanceSettings } from "../scripts/credentials/badge-files.js";
import { prepareBadges, writeAnchoredBadges } from "../scripts/credentials/worker-pool.js";

const count = Number(process.argv[2]);
const profileId = "did:web:academy.example";
const work = await mkdtemp(path.join(process.argv[3] ?? tmpdir(), "bench-issue-"));
const inputDir = path.join(work, "in");
const outDir = path.join(work, "out");
await Promise.all([inputDir, outDir].map((dir) => mkdir(dir)));

// Inputs are written before the clock starts: they are the issuer's files, not our work.
const files: string[] = [];
for (let start = 1; start <= count; start += 1000) {
  const writes = [];
  for (let index = start; index < Math.min(start + 1000, count + 1); index++) {
    const file = path.join(inputDir, `badge-${String(index).padStart(6, "0")}.json`);
    files.push(file);
    const badge: { id?: string } = syntheticBadge(index);
    if (index % 2 === 0) delete badge.id; // half without id: the command assigns one
    writes.push(writeFile(file, JSON.stringify(badge, null, 2)));
  }
  await Promise.all(writes);
}

const phases: Record<string, number> = {};
let mark = performance.now();
const lap = (name: string) => {
  const now = performance.now();
  phases[name] = Math.round(now - mark);
  mark = now;
};

const unsigned: IssuanceSettings = { profileId, status: null, signing: null };
const signed: IssuanceSettings = {
  profileId,
  status: null,
  signing: { signer: { verificationMethod: `${profileId}#key-1`, keyPair: generateEd25519KeyPair() }, created: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"), contexts: [] },
};
const toPrepare = files.map((file, index) => ({ file, index }));
await prepareBadges(toPrepare, unsigned);
lap("parse+hash");
const passStarted = mark;
const prepared = await prepareBadges(toPrepare, signed);
lap("parse+sign+hash");
phases.sign = phases["parse+sign+hash"] - phases["parse+hash"];
// The unsigned pass is a measurement, not part of issuing: the clock of the issuing starts again here.
const issuingStarted = passStarted;
const valid = prepared.flatMap((badge) => (badge.ok ? [badge] : []));
if (valid.length !== count) throw new Error(`${count - valid.length} synthetic badges were invalid`);
const batch = buildBatch(valid.map((badge) => badge.credentialHash));
lap("tree");
const facts = {
  chainId: 31337,
  registry: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  root: batch.root,
  issuer: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  anchoredAt: new Date().toISOString(),
  transactionHash: `0x${"ab".repeat(32)}` as Hex,
};
const items = valid.map((badge, index) => ({
  file: badge.file,
  outFile: path.join(outDir, path.basename(badge.file)),
  id: badge.id,
  inputDigest: badge.inputDigest,
  signature: badge.signature,
  proof: { ...facts, leafIndex: index, merklePath: batch.proof(index) },
}));
lap("proofs");
const bytes = (await writeAnchoredBadges(items, { profileId, status: null })).reduce((sum, size) => sum + size, 0);
lap("write files");
const totalMs = Math.round(performance.now() - issuingStarted);
const untilAnchoringMs = totalMs - phases["write files"];

console.log(JSON.stringify({ count, totalMs, untilAnchoringMs, phases, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024), outputMB: Math.round(bytes / 1e6) }));
await rm(work, { recursive: true, force: true });
