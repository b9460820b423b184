/**
 * `npm run bench:sign`: CPU per badge to sign a badge with eddsa-rdfc-2022, ours (lib/signature, a batch
 * signer) against the reference (@digitalbazaar/vc + data-integrity + eddsa-rdfc-2022-cryptosuite), in
 * the same process and run, for a ≈2 KB example badge and a ≈16 KB one (an example grown with
 * alignments and evidence). Every badge signed is distinct (its own urn:uuid id), as in a real batch.
 * Each round signs BENCH_COUNT badges (200) with ours and BENCH_COUNT/4 with the reference, alternating
 * order between rounds; CPU is process.cpuUsage (user + system) over the round; medians of BENCH_ROUNDS
 * (5) rounds are printed. Before measuring, both signers' proofValues are checked equal (Ed25519 is
 * deterministic), so the bench never times a wrong result. `--json` prints JSON.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";

import { contextLoader, type JsonLdObject } from "../lib/signature/contexts.js";
import { createBatchSigner } from "../lib/signature/data-integrity.js";
import { didKeyDocument, didKeyOf, didKeyVerificationMethod } from "../lib/signature/did-key.js";
import { generateEd25519KeyPair } from "../lib/signature/ed25519-keys.js";
import { referenceLoader, referenceSign } from "../test/lib/signature/reference.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const COUNT = Number(process.env.BENCH_COUNT ?? 200);
const REFERENCE_COUNT = Math.max(1, Math.round(COUNT / 4));
const badgesDir = path.join(import.meta.dirname, "..", "examples", "badges");
const readBadge = (name: string) => JSON.parse(readFileSync(path.join(badgesDir, name), "utf8")) as JsonLdObject;

const keyPair = generateEd25519KeyPair(); // a throw-away key: nothing signed here is kept
const did = didKeyOf(keyPair.publicKey);
const verificationMethod = didKeyVerificationMethod(did);
const created = new Date("2026-03-14T09:00:00Z");
const loader = contextLoader();
const refLoader = referenceLoader([didKeyDocument(did)]);

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

function issuedCopy(badge: JsonLdObject): JsonLdObject {
  return { ...structuredClone(badge), id: `urn:uuid:${randomUUID()}`, issuer: { ...(badge.issuer as JsonLdObject), id: did } };
}

async function cpuPerBadgeMs(count: number, signOne: (credential: JsonLdObject) => Promise<unknown>, badge: JsonLdObject): Promise<number> {
  const inputs = Array.from({ length: count }, () => issuedCopy(badge));
  const before = process.cpuUsage();
  for (const credential of inputs) await signOne(credential);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / count;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const base = readBadge("uni-sql-for-analysts.json");
const sizes = [
  { label: "2 KB", badge: base },
  { label: "16 KB", badge: grown(base, 16_000) },
];

const results = [];
for (const { label, badge } of sizes) {
  const signer = createBatchSigner({ verificationMethod, keyPair }, { created, loader });
  const ours = (credential: JsonLdObject) => signer.sign(credential);
  const reference = (credential: JsonLdObject) => referenceSign(credential, { suite: "eddsa-rdfc-2022", keyPair, verificationMethod, created, loader: refLoader });
  const sample = issuedCopy(badge);
  const [ourProof, theirs] = await Promise.all([ours(sample), reference(sample)]);
  if (ourProof.proofValue !== (theirs.proof as JsonLdObject).proofValue) throw new Error(`bench:sign: proofValues differ on the ${label} badge`);
  await cpuPerBadgeMs(Math.min(COUNT, 50), ours, badge); // warm-up of both, outside the figures
  await cpuPerBadgeMs(Math.min(REFERENCE_COUNT, 10), reference, badge);
  const oursMs: number[] = [];
  const referenceMs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      oursMs.push(await cpuPerBadgeMs(COUNT, ours, badge));
      referenceMs.push(await cpuPerBadgeMs(REFERENCE_COUNT, reference, badge));
    } else {
      referenceMs.push(await cpuPerBadgeMs(REFERENCE_COUNT, reference, badge));
      oursMs.push(await cpuPerBadgeMs(COUNT, ours, badge));
    }
  }
  results.push({
    badge: label,
    bytes: JSON.stringify(issuedCopy(badge)).length,
    oursMs: Number(median(oursMs).toFixed(3)),
    referenceMs: Number(median(referenceMs).toFixed(3)),
    ratio: Number((median(oursMs) / median(referenceMs)).toFixed(3)),
  });
}

if (process.argv.includes("--json")) {
  console.log(JSON.stringify(results));
} else {
  console.log(`CPU per badge to sign (eddsa-rdfc-2022, did:key), Node ${process.version}; medians of ${ROUNDS} rounds (${COUNT} badges ours, ${REFERENCE_COUNT} reference, per round)`);
  console.log("badge    bytes   ours ms  reference ms  ours/reference");
  for (const row of results) {
    console.log(`${row.badge.padEnd(6)} ${String(row.bytes).padStart(7)} ${row.oursMs.toFixed(3).padStart(9)} ${row.referenceMs.toFixed(3).padStart(13)} ${row.ratio.toFixed(3).padStart(15)}`);
  }
}
