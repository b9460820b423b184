/**
 * `npm run bench:sign`: CPU per badge to sign a badge with eddsa-rdfc-2022, ours (lib/signature, a batch
 * signer) against the reference (@digitalbazaar/vc + data-integrity + eddsa-rdfc-2022-cryptosuite), in
 * the same run, for a ≈2 KB example badge and a ≈16 KB one (an example grown with alignments and
 * evidence). Each side runs in its own child process: importing lib/signature speeds up every jsonld
 * user in the process (jsonld-fast-clone.ts), so a reference measured beside ours would not be the
 * reference. Every badge signed is distinct (its own urn:uuid id), as in a real batch. Per round a child
 * signs BENCH_COUNT badges (200; the reference a quarter of that) after a warm-up; CPU is
 * process.cpuUsage (user + system) over the round; medians of BENCH_ROUNDS (5) rounds are printed.
 * Both sides sign one sample badge with the same throw-away key first and the parent checks the
 * proofValues equal (Ed25519 is deterministic), so the bench never times a wrong result. `--json`.
 */
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";

import type { JsonLdObject } from "../lib/signature/contexts.js";
import { didKeyDocument, didKeyOf, didKeyVerificationMethod } from "../lib/signature/did-key.js";
import { decodeSecretKeyMultibase, encodeSecretKeyMultibase, generateEd25519KeyPair } from "../lib/signature/ed25519-keys.js";

type Side = "ours" | "reference";
interface ChildResult {
  side: Side;
  sizes: Array<{ label: string; bytes: number; sampleProofValue: string; roundsMs: number[] }>;
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const COUNT = Number(process.env.BENCH_COUNT ?? 200);
const created = new Date("2026-03-14T09:00:00Z");
const badgesDir = path.join(import.meta.dirname, "..", "examples", "badges");
const readBadge = (name: string) => JSON.parse(readFileSync(path.join(badgesDir, name), "utf8")) as JsonLdObject;

/** An example badge grown to ≥ `bytes` of JSON with more alignments and evidence, as long-form badges carry. */
function grown(badge: JsonLdObject, bytes: number): JsonLdObject {
  const copy = structuredClone(badge);
  const subject = copy.credentialSubject as { achievement: { alignment?: object[] } };
  const alignment = (subject.achievement.alignment ??= []);
  const evidence: object[] = [];
  copy.evidence = evidence;
  for (let n = 1; JSON.stringify(copy).length < bytes; n++) {
    alignment.push({
      type: ["Alignment"],
      targetName: `Competency ${n}: analyse data with reproducible methods`,
      targetDescription: `Framework competency ${n}, described at length as frameworks do: the learner selects, applies and explains an appropriate method, states its assumptions and checks them.`,
      targetUrl: `https://frameworks.example/competencies/${n}`,
      targetFramework: "Example Digital Competence Framework",
      targetCode: `EDCF-${n}`,
      targetType: "CFItem",
    });
    evidence.push({
      id: `https://uni.example/evidence/${n}`,
      type: ["Evidence"],
      name: `Project artefact ${n}`,
      description: `Artefact ${n} submitted for assessment, with the assessor's notes.`,
      narrative: `The learner produced artefact ${n}, reviewed by an assessor against the published rubric.`,
      genre: "Project",
      audience: "Employers",
    });
  }
  return copy;
}

const base = readBadge("uni-sql-for-analysts.json");
const SIZES = [
  { label: "2 KB", badge: base },
  { label: "16 KB", badge: grown(base, 16_000) },
];
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** One side's measurements, in this (child) process. */
async function measure(side: Side, secretKeyMultibase: string): Promise<ChildResult> {
  const keyPair = decodeSecretKeyMultibase(secretKeyMultibase);
  const did = didKeyOf(keyPair.publicKey);
  const verificationMethod = didKeyVerificationMethod(did);
  const issued = (badge: JsonLdObject, id = `urn:uuid:${randomUUID()}`): JsonLdObject => ({
    ...structuredClone(badge),
    id,
    issuer: { ...(badge.issuer as JsonLdObject), id: did },
  });
  let signOne: (credential: JsonLdObject) => Promise<string>;
  if (side === "ours") {
    const { contextLoader } = await import("../lib/signature/contexts.js");
    const { createBatchSigner } = await import("../lib/signature/data-integrity.js");
    const signer = createBatchSigner({ verificationMethod, keyPair }, { created, loader: contextLoader() });
    signOne = async (credential) => (await signer.sign(credential)).proofValue;
  } else {
    const { referenceLoader, referenceSign } = await import("../test/lib/signature/reference.js");
    const loader = referenceLoader([didKeyDocument(did)]);
    signOne = async (credential) =>
      String(((await referenceSign(credential, { suite: "eddsa-rdfc-2022", keyPair, verificationMethod, created, loader })).proof as JsonLdObject).proofValue);
  }
  const count = side === "ours" ? COUNT : Math.max(1, Math.round(COUNT / 4));
  const cpuPerBadgeMs = async (badge: JsonLdObject, n: number) => {
    const inputs = Array.from({ length: n }, () => issued(badge));
    const before = process.cpuUsage();
    for (const credential of inputs) await signOne(credential);
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000 / n;
  };
  const sizes: ChildResult["sizes"] = [];
  for (const { label, badge } of SIZES) {
    const sample = issued(badge, "urn:uuid:00000000-0000-4000-8000-000000000000");
    const sampleProofValue = await signOne(sample);
    await cpuPerBadgeMs(badge, Math.max(5, Math.round(count / 4))); // warm-up, outside the figures
    const roundsMs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) roundsMs.push(await cpuPerBadgeMs(badge, count));
    sizes.push({ label, bytes: JSON.stringify(sample).length, sampleProofValue, roundsMs });
  }
  return { side, sizes };
}

function runChild(side: Side, secretKeyMultibase: string): ChildResult {
  const tsx = path.join(import.meta.dirname, "..", "node_modules", ".bin", "tsx");
  const output = execFileSync(tsx, [import.meta.filename, "--child", side], {
    input: secretKeyMultibase, // a throw-away key made for this run, on stdin rather than argv
    encoding: "utf8",
    maxBuffer: 1 << 24,
  });
  return JSON.parse(output.trim().split("\n").at(-1)!) as ChildResult;
}

const childFlag = process.argv.indexOf("--child");
if (childFlag > 0) {
  const side = process.argv[childFlag + 1] as Side;
  const secret = readFileSync(0, "utf8").trim();
  console.log(JSON.stringify(await measure(side, secret)));
} else {
  const secret = encodeSecretKeyMultibase(generateEd25519KeyPair().secretKey);
  const ours = runChild("ours", secret);
  const reference = runChild("reference", secret);
  const results = ours.sizes.map((size, index) => {
    const theirs = reference.sizes[index]!;
    if (size.sampleProofValue !== theirs.sampleProofValue) throw new Error(`bench:sign: the proofValues differ on the ${size.label} badge`);
    const oursMs = median(size.roundsMs);
    const referenceMs = median(theirs.roundsMs);
    return { badge: size.label, bytes: size.bytes, oursMs: Number(oursMs.toFixed(3)), referenceMs: Number(referenceMs.toFixed(3)), ratio: Number((oursMs / referenceMs).toFixed(3)) };
  });
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify(results));
  } else {
    console.log(`CPU per badge to sign (eddsa-rdfc-2022, did:key), Node ${process.version}, each side in its own process;`);
    console.log(`medians of ${ROUNDS} rounds of ${COUNT} badges (ours) / ${Math.max(1, Math.round(COUNT / 4))} (reference); proofValues checked equal`);
    console.log("badge    bytes   ours ms  reference ms  ours/reference");
    for (const row of results) {
      console.log(`${row.badge.padEnd(6)} ${String(row.bytes).padStart(7)} ${row.oursMs.toFixed(3).padStart(9)} ${row.referenceMs.toFixed(3).padStart(13)} ${row.ratio.toFixed(3).padStart(15)}`);
    }
  }
}
