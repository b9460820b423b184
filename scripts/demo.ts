/**
 * `npm run demo`: the registry's whole story on Hardhat's in-process chain, with the same code the
 * commands run. Deploys the registry, accredits two issuers (a university, acting through an operator key,
 * and an employer; each a did:key made as `issuer did create --method key` makes it), signs and anchors
 * each one's example Open Badges as one batch, then verifies badges the way an employer's verifier would:
 * one as issued (valid), a tampered copy (tampered). Then other verifiers and other platforms: the Digital
 * Credentials Consortium's verifier-core accepts one of our badges (valid_signature), and a badge another
 * platform signed with the reference libraries, by a did:key unknown here and not anchored, reads as
 * unanchored in ours. The university publishes a
 * pathway and stacks three of the learner's badges, from both issuers, into a certificate, which verifies
 * with its component tree; one component is then revoked (revoked) and the certificate turns
 * stack-incomplete. One badge is suspended (suspended) and reinstated (valid). A badge baked into a PNG
 * (Open Badges 3.0 "baked badge") is read back from the image and verifies.
 *
 * Then the scene users fear most: the university's operator (hot) key is stolen and the thief anchors a
 * forged degree, which verifies like a genuine badge; the controller declares the key compromised since
 * the theft's block, and the forgery reads revoked while the badges the key anchored before stay valid; the
 * controller then rotates to a new key (transfer + accept) and the old badges still verify. Ends with a
 * table. The anchored badges stay in demo-output/ to look at, or to verify again with
 * `npx hardhat credentials verify`.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import hre from "hardhat";

import { extractBakedCredential } from "../lib/baked/baked-badge.js";
import { verifyCredential, type VerificationResult } from "../lib/verify/verify.js";
import { acceptControl, transferControl } from "./commands/control.js";
import { declareKeyCompromised } from "./commands/key-compromise.js";
import { anchorBadges } from "./credentials/anchor-badges.js";
import { otherPlatformBadge } from "./other-platform-badge.js";
import { changeCredentialStatus, credentialRefsFromFiles } from "./credentials/status-change.js";
import { stackTreeLines } from "./cli/stack-tree.js";
import { EthersRegistryReader } from "./ethers-registry-reader.js";
import { EXAMPLES_DIR, setUpSampleRegistry } from "./sample-registry.js";
import { setUpSampleStack } from "./sample-stack.js";

const json = process.argv.includes("--json");
const say = (line: string) => {
  if (!json) console.log(line);
};
const projectRoot = path.join(import.meta.dirname, "..");
const outputRoot = path.join(projectRoot, "demo-output");

const connection = await hre.network.getOrCreate();
say("On Hardhat's in-process chain:");
const sample = await setUpSampleRegistry(connection, outputRoot, (line) => say(`  ${line}`), { identities: "did:key" });
const { registry, chainId, as, badge } = sample;
const deployerAddress = sample.accounts.accreditor;

const reader = new EthersRegistryReader((await as(deployerAddress)).registry);
const verify = async (file: string): Promise<VerificationResult> =>
  verifyCredential(JSON.parse(await readFile(file, "utf8")), {
    readerFor: (id, address) => (id === chainId && address.toLowerCase() === registry.toLowerCase() ? reader : undefined),
    now: () => new Date(),
  });

const rows: Array<{ step: string; badge: string; expected: string; status: string; detail: string }> = [];
async function check(step: string, file: string, expected: string) {
  const result = await verify(file);
  const failed = result.checks.find((entry) => entry.result === "fail");
  const passed = result.checks.filter((entry) => entry.result === "pass").length;
  rows.push({ step, badge: path.basename(file, ".json"), expected, status: result.status, detail: failed?.detail ?? `all ${passed} checks pass` });
  return result;
}

// Each step's verdicts are collected here and printed together, in the table at the end.
say("An employer's view first: each badge below is verified against the chain, and the verdicts end in the table.");
await check("as issued", badge("university", "uni-data-analytics-foundations"), "valid");
say("Someone inflates the title of a copy of Meridian's badge…");

const tampered = JSON.parse(await readFile(badge("employer", "meridian-secure-coding-practitioner"), "utf8"));
tampered.credentialSubject.achievement.name = "Secure Coding Expert";
const tamperedFile = path.join(outputRoot, "tampered-copy.json");
await writeFile(tamperedFile, JSON.stringify(tampered, null, 2));
await check("a copy with its title inflated", tamperedFile, "tampered");

say("Other verifiers and other platforms…");
// verifier-core (a devDependency, the engine of VerifierPlus and the Learner Credential Wallet) checks the
// signature as any Open Badges 3.0 verifier would; it knows nothing of the registry.
const dccBadge = badge("employer", "meridian-secure-coding-practitioner");
const dccVerdict = await verifierCoreVerdict(JSON.parse(await readFile(dccBadge, "utf8")));
rows.push({ step: "verifier-core (DCC), as issued", badge: path.basename(dccBadge, ".json"), expected: "valid_signature", status: dccVerdict, detail: "checked by @digitalcredentials/verifier-core" });
const otherDraft = JSON.parse(await readFile(path.join(EXAMPLES_DIR, "uni-sql-for-analysts.json"), "utf8"));
otherDraft.id = "urn:uuid:7c1e0f0a-5d3b-4e2a-9f1c-0a1b2c3d4e5f";
const other = await otherPlatformBadge(otherDraft);
const otherFile = path.join(outputRoot, "another-platform.json");
await writeFile(otherFile, JSON.stringify(other.credential, null, 2));
say(`   a badge signed by another platform's ${other.issuer.slice(0, 24)}…, not anchored here`);
await check("another platform, signed, not anchored", otherFile, "unanchored");

// Only the controller revokes: the operator (hot) key may only suspend the batches it anchored.
const universityContext = await as(sample.accounts.university);
const stack = await setUpSampleStack(sample, outputRoot, (line) => say(`  ${line}`));
const certificate = await check("stacked certificate", stack.certificateFile, "valid");
say(`  Ada's certificate as issued: ${certificate.status}`);
for (const line of stackTreeLines(certificate.stack!, "    ")) say(line);

say("The university revokes SQL for Analysts (issued in error), one of the certificate's components…");
await changeCredentialStatus(universityContext, "revoke", await credentialRefsFromFiles(universityContext, [badge("university", "uni-sql-for-analysts")]), "issued-in-error");
await check("revoked (issued in error)", badge("university", "uni-sql-for-analysts"), "revoked");
const incomplete = await check("certificate, a component revoked", stack.certificateFile, "stack-incomplete");
say(`  Ada's certificate now: ${incomplete.status}`);
for (const line of stackTreeLines(incomplete.stack!, "    ")) say(line);
say("Meridian suspends a badge while it investigates, then lifts the suspension…");

const employerContext = await as(sample.accounts.employer);
const incident = await credentialRefsFromFiles(employerContext, [badge("employer", "meridian-incident-response-fundamentals")]);
await changeCredentialStatus(employerContext, "suspend", incident, "under-investigation");
await check("suspended (under investigation)", badge("employer", "meridian-incident-response-fundamentals"), "suspended");
await changeCredentialStatus(employerContext, "unsuspend", incident, "unspecified");
await check("suspension lifted", badge("employer", "meridian-incident-response-fundamentals"), "valid");

say("An employer reads Ada's badge back from its baked PNG…");
const bakedFile = stack.bakedPngFile;
const extracted = extractBakedCredential(await readFile(bakedFile));
if (!extracted.ok) throw new Error(extracted.problem);
const extractedFile = path.join(outputRoot, "from-the-png.json");
await writeFile(extractedFile, JSON.stringify(extracted.value.credential, null, 2));
await check("read from its baked PNG", extractedFile, "valid");

say("The university's operator key is stolen; the thief anchors a forged degree with it…");
const stolenKey = sample.accounts.universityOperator;
const forgeryDraft = JSON.parse(await readFile(path.join(EXAMPLES_DIR, "uni-data-analytics-foundations.json"), "utf8"));
delete forgeryDraft.id;
forgeryDraft.credentialSubject.achievement.name = "Master of Science in Data Science (with distinction)";
forgeryDraft.credentialSubject.achievement.description = "A two-year master's degree the university never awarded.";
const stolenKeyDir = path.join(outputRoot, "stolen-key");
await mkdir(path.join(stolenKeyDir, "drafts"), { recursive: true });
const forgeryDraftFile = path.join(stolenKeyDir, "drafts", "uni-msc-data-science-forged.json");
await writeFile(forgeryDraftFile, JSON.stringify(forgeryDraft, null, 2));
// The operator's server held the issuer's signing key too: the forgery is signed like a genuine badge.
const forgery = await anchorBadges(await as(stolenKey), {
  files: [forgeryDraftFile],
  outDir: path.join(stolenKeyDir, "forged"),
  skipInvalid: false,
  dryRun: false,
  progress: false,
  signing: sample.issuers.university.signingKey,
});
const forgedFile = path.join(stolenKeyDir, "forged", "uni-msc-data-science-forged.json");
say(`   forgery anchored by ${stolenKey} in block ${forgery.blockNumber} (${forgery.anchoredAt}), root ${forgery.root}`);
await check("forgery, key not yet declared", forgedFile, "valid");

say("The controller declares the operator key compromised since the theft's block…");
const declared = await declareKeyCompromised(universityContext, stolenKey, String(forgery.blockNumber));
say(`   ${stolenKey} compromised since ${declared.since}: ${declared.cutOff.length} batch(es) cut off, ${declared.keptValid} earlier one(s) stay valid; the key can no longer act`);
await check("forgery, key declared compromised", forgedFile, "revoked");
await check("genuine, anchored before the theft", badge("university", "uni-data-analytics-foundations"), "valid");

say("The controller rotates to a new key (transfer, then accept by the new key)…");
const [, , , , newController] = await connection.ethers.getSigners();
await transferControl(universityContext, sample.issuers.university.profileId, { to: newController.address });
await acceptControl(await as(newController.address), sample.issuers.university.profileId);
say(`   ${sample.issuers.university.profileId} is now controlled by ${newController.address}; ${sample.accounts.university} is retired`);
await check("genuine, after the key rotation", badge("university", "uni-data-analytics-foundations"), "valid");
await check("forgery, after the key rotation", forgedFile, "revoked");

const ok = rows.every((row) => row.status === row.expected);
if (json) {
  console.log(JSON.stringify({ registry, chainId, rows, ok }));
} else {
  const widths = [38, 41, 16, 16];
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ");
  console.log("");
  console.log("Verifying against the chain, as an employer would:");
  console.log(line(["check", "badge", "expected", "verifier", "why"]));
  console.log(line(widths.map((width) => "-".repeat(width)).concat("-".repeat(30))));
  for (const row of rows) console.log(line([row.step, row.badge, row.expected, row.status, row.detail]));
  console.log("");
  console.log(ok ? "Every check gave the expected verdict." : "Some checks did NOT give the expected verdict.");
  // The whole run, Hardhat's start-up included: what the user waited for.
  console.log(`Anchored badges are in ${path.relative(process.cwd(), outputRoot)}/ (${process.uptime().toFixed(1)} s).`);
}
if (!ok) process.exitCode = 1;

/** verifier-core's word on the signature: "valid_signature", "invalid_signature", or why it could not say. */
async function verifierCoreVerdict(credential: unknown): Promise<string> {
  type Verdict = { log?: Array<{ id: string; valid?: boolean }>; errors?: Array<{ message?: string }> };
  let verifier: { verifyCredential(o: { credential: unknown; knownDIDRegistries: object }): Promise<Verdict> };
  try {
    verifier = await import("@digitalcredentials/verifier-core");
  } catch {
    return "not installed (a devDependency)";
  }
  // It logs a failed fetch of the Open Badges JSON schema when offline; that is not about the signature.
  const quiet = console.error;
  const log = console.log;
  console.error = () => {};
  console.log = () => {};
  try {
    const result = await verifier.verifyCredential({ credential, knownDIDRegistries: [] });
    const signature = result.log?.find((entry) => entry.id === "valid_signature");
    return signature?.valid ? "valid_signature" : signature ? "invalid_signature" : `error: ${result.errors?.[0]?.message ?? "no signature check"}`;
  } finally {
    console.error = quiet;
    console.log = log;
  }
}
