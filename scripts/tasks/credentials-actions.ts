/**
 * Actions of the `credentials …` tasks (one-line modules credentials-*.ts export them, as Hardhat loads
 * each task's action from a module's default export).
 */
import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { leafHash } from "../../lib/anchor/batch.js";
import { findAnchorProof } from "../../lib/anchor/proof.js";
import { credentialHash } from "../../lib/credential/canonical.js";
import { issuerIdOf, parseCredential, type CredentialProblem } from "../../lib/credential/credential.js";
import { issuerIdOfProfile } from "../../lib/credential/profile-id.js";
import { verifyCredential, type VerificationResult } from "../../lib/verify/verify.js";
import { readJsonFile } from "../cli/read-json.js";
import { CommandError, runCommand } from "../command-errors.js";
import { openRegistryReader } from "../cli/registry-context.js";
import { stackTreeLines } from "../cli/stack-tree.js";
import { anchorBadges, type AnchorResult } from "../credentials/anchor-badges.js";
import { listBadgeFiles } from "../credentials/badge-files.js";
import {
  changeCredentialStatus,
  credentialRefFromOptions,
  credentialRefsFromFiles,
  type CredentialRef,
  type StatusAction,
} from "../credentials/status-change.js";
import { actingIssuer } from "../commands/issuer-identity.js";
import { publishStatusLists, type StatusPublication } from "../credentials/status-publish.js";
import { readSuppliedContexts } from "../signing/supplied-contexts.js";
import { EthersRegistryReader } from "../ethers-registry-reader.js";
import { DEFAULT_DOCUMENT_FETCH } from "../../server/config.js";
import { createDocumentSources } from "../../server/document-sources.js";
import { runRegistryCommand, transactionLine, type CommonArguments } from "./run-registry-command.js";
import { signingKeyOf, type SigningArguments } from "./signing-arguments.js";

export interface AnchorArguments extends CommonArguments, SigningArguments {
  badges: string[];
  issuer: string;
  out: string;
  skipInvalid: boolean;
  dryRun: boolean;
  unsigned: boolean;
  statusBaseUrl: string;
  context: string;
}


export async function anchorAction(args: AnchorArguments, hre: HardhatRuntimeEnvironment) {
  await runRegistryCommand(
    hre,
    args,
    async (context) => {
      if (!args.out && !args.dryRun) throw new CommandError("missing-out", "--out <dir> is required: anchored badges are written there");
      const files = await listBadgeFiles(args.badges);
      const signing = args.unsigned
        ? "unsigned"
        : await signingKeyOf(args, hre, "badges are signed before they are anchored (or pass --unsigned: other verifiers will then refuse them)");
      const contexts = await readSuppliedContexts(args.context);
      if (!args.json) console.log(`Anchoring ${files.length} badge file(s) as one batch on network "${context.networkName}"…`);
      return anchorBadges(context, {
        signing,
        contexts,
        statusBaseUrl: args.statusBaseUrl || undefined,
        files,
        outDir: args.out || ".",
        skipInvalid: args.skipInvalid,
        dryRun: args.dryRun,
        progress: !args.json,
        issuer: args.issuer || undefined,
      });
    },
    renderAnchor,
  );
}

function renderAnchor(result: AnchorResult): string[] {
  const lines = result.skipped.map((badge) => `Skipped invalid ${badge.file}: ${badge.problems.map((p) => `${p.path} ${p.message}`).join("; ")}`);
  const headline = {
    "dry-run": `Dry run: ${result.count} badge(s) would be anchored as root ${result.root} (nothing sent)`,
    anchored: `Anchored ${result.count} badge(s) as batch ${result.root}`,
    resumed: `Finished the interrupted batch ${result.root} (${result.count} badge(s))`,
    "re-anchored": `Re-sent batch ${result.root} (${result.count} badge(s)): the chain did not have the anchor its journal recorded; it is anchored now`,
    "already-done": `Nothing to do: batch ${result.root} (${result.count} badge(s)) is already anchored and written`,
  }[result.outcome];
  lines.push(headline);
  for (const warning of result.warnings) lines.push(`  ! ${warning}`);
  lines.push(`  issuer      ${result.profileId} (issuerId ${result.issuerId})`);
  lines.push(`  anchored by ${result.actingKey}`);
  lines.push(`  signed by   ${result.signedBy ?? "nobody (unsigned)"}`);
  if (result.statusList) lines.push(`  status      ${result.statusList.revocation} (and suspension.json): \`credentials status publish\` writes them`);
  if (result.transactionHash) {
    lines.push(`  transaction ${result.transactionHash} (block ${result.blockNumber}, ${result.anchoredAt})`);
    lines.push(`  badges      ${result.outDir}`);
    lines.push(`  manifest    ${result.manifest}`);
  }
  return lines;
}

export async function statusAction(
  action: StatusAction,
  args: CommonArguments & { badges: string[]; reason: string; root: string; index: string; issuer: string },
  hre: HardhatRuntimeEnvironment,
) {
  await runRegistryCommand(
    hre,
    args,
    async (context) => {
      const refs: CredentialRef[] = [];
      if (args.root || args.index) {
        // A bare root names no issuer: --issuer does, else the issuer the signer's key belongs to.
        const { issuerId } = await actingIssuer(context, { issuer: args.issuer || undefined, mustBeActive: false });
        refs.push(credentialRefFromOptions(args.root, args.index, issuerId));
      }
      refs.push(...(await credentialRefsFromFiles(context, args.badges.map((file) => path.resolve(file)))));
      return changeCredentialStatus(context, action, refs, args.reason);
    },
    (result) => {
      const done = { revoke: "Revoked", suspend: "Suspended", unsuspend: "Lifted the suspension of" }[action];
      const state = { revoke: "revoked", suspend: "suspended", unsuspend: "not suspended" }[action];
      const lines = [`${done} ${result.changed.length} credential(s) (reason: ${result.reason})`];
      for (const sent of result.transactions) lines.push(`  batch ${sent.root}: ${sent.count} in one transaction`, `  ${transactionLine(sent).trim()}`);
      for (const ref of result.unchanged) lines.push(`  already ${state}: ${ref.source}`);
      return lines;
    },
  );
}

export async function verifyAction(args: CommonArguments & { badge: string }, hre: HardhatRuntimeEnvironment) {
  await runCommand(args.json, async () => {
    const badge = await readJsonFile(args.badge);
    const named = anchorNamed(badge);
    const context = await openRegistryReader(hre, { registry: args.registry }).catch((error: unknown) => {
      // Which chain and registry the badge itself names tells the user which network they meant.
      if (error instanceof CommandError && error.code === "no-registry" && named) throw new CommandError(error.code, `${error.message} (the badge names ${named})`, error.exitCode);
      throw error;
    });
    const reader = new EthersRegistryReader(context.registry);
    // The verifier service's fetchers, with its defaults (HTTPS only, timeouts, size limits): a did:web
    // issuer's document and the badge's status lists are read as the service reads them.
    const documents = createDocumentSources({ ...DEFAULT_DOCUMENT_FETCH, pinned: new Map(), contextAllowList: [] });
    const result = await verifyCredential(badge, {
      readerFor: (chainId, registry) =>
        chainId === context.chainId && registry.toLowerCase() === context.registryAddress.toLowerCase() ? reader : undefined,
      now: () => new Date(),
      resolver: documents.resolver,
      loader: documents.loader,
      statusLists: documents.statusLists,
    });
    const hint = named ? whereTheAnchorIs(result.status, named, context) : undefined;
    if (args.json) console.log(JSON.stringify(hint ? { ...result, hint } : result));
    else for (const line of [...renderVerification(result, args.badge), ...(hint ? [`  ${hint}`] : [])]) console.log(line);
    process.exitCode = result.verified ? 0 : result.status === "unavailable" ? 3 : 1;
  });
}

/** "chain 31337 and registry 0x…" from the badge's anchor proof, if it has one. */
function anchorNamed(badge: unknown): string | undefined {
  if (badge === null || typeof badge !== "object") return undefined;
  const found = findAnchorProof(badge as object);
  return found.kind === "found" ? `chain ${found.proof.chainId} and registry ${found.proof.registry}` : undefined;
}

/**
 * For a badge whose anchor was not found here: the chain and registry it names beside the ones read, and
 * what that suggests — another network, or a local node that was restarted (it starts empty).
 */
function whereTheAnchorIs(status: string, named: string, context: { networkName: string; chainId: number; registryAddress: string }): string | undefined {
  if (status !== "unknown-anchor" && status !== "unsupported-chain") return undefined;
  const read = `chain ${context.chainId} and registry ${context.registryAddress}`;
  if (named.toLowerCase() !== read.toLowerCase()) {
    return `the badge names ${named}; network "${context.networkName}" is ${read}: verify it with the --network (and --registry) of the chain it names`;
  }
  return `the badge names ${named}, the registry read, but its anchor is not there: was it anchored on another node? A restarted \`npx hardhat node\` starts from an empty chain (anchor the badges again there)`;
}

const MARKS = { pass: "✔", fail: "✘", skip: "–" } as const;

/** The issuer by its verified name or its id; the badge's own naming only as what it states. */
function issuerLabel(issuer: NonNullable<VerificationResult["credential"]>["issuer"]): string {
  const shown = issuer.verifiedName ? `${issuer.verifiedName} (${issuer.id})` : issuer.id;
  return issuer.statedName && issuer.statedName !== issuer.verifiedName ? `${shown}, "${issuer.statedName}" as stated by the badge` : shown;
}

export function renderVerification(result: VerificationResult, source: string): string[] {
  const about = result.credential;
  const lines = [
    about
      ? `${source}: "${about.achievementName}" from ${issuerLabel(about.issuer)}${about.subjectId ? ` to ${about.subjectId}` : ""}`
      : source,
  ];
  for (const check of result.checks) lines.push(`  ${MARKS[check.result]} ${check.name.padEnd(10)} ${check.detail}`);
  if (result.stack) lines.push("  stack:", ...stackTreeLines(result.stack, "    "));
  for (const warning of result.warnings) lines.push(`  ! ${warning}`);
  lines.push(`Verdict: ${result.status.toUpperCase()}`);
  return lines;
}

export async function hashAction(args: { badge: string; json: boolean }) {
  await runCommand(args.json, async () => {
    const parsed = parseCredential(await readJsonFile(args.badge));
    if (!parsed.ok) throw invalidBadgeError(args.badge, parsed.problems);
    const hash = credentialHash(parsed.credential);
    const singleRoot = leafHash(0, hash);
    // The registry finds a badge's anchor under its issuer's id, so the hash alone is half an address.
    const profileId = issuerIdOf(parsed.credential);
    const issuerId = issuerIdOfProfile(profileId);
    if (args.json) {
      console.log(JSON.stringify({ file: args.badge, credentialHash: hash, singleCredentialRoot: singleRoot, profileId, issuerId }));
      return;
    }
    console.log(hash);
    console.log(`  (as a batch of one, its root is ${singleRoot})`);
    console.log(`  issuer ${profileId}, issuerId ${issuerId}`);
  });
}

export function invalidBadgeError(file: string, problems: CredentialProblem[]): CommandError {
  const lines = problems.map((problem) => `  ${problem.path} ${problem.message}`).join("\n");
  return new CommandError("invalid-badge", `${file} is not an issued Open Badges 3.0 credential:\n${lines}`);
}

export async function statusPublishAction(
  args: CommonArguments & SigningArguments & { out: string; issued: string[]; block: string; issuer: string },
  hre: HardhatRuntimeEnvironment,
) {
  await runRegistryCommand(
    hre,
    args,
    async (context) => {
      if (!args.out) throw new CommandError("missing-out", "--out <folder> is required: the lists are written there, for hosting at the status base URL");
      const key = await signingKeyOf(args, hre, "status lists are signed with the issuer's key, like its badges");
      return publishStatusLists(context, { outDir: args.out, issued: args.issued, block: args.block || undefined, issuer: args.issuer || undefined, key });
    },
    renderStatusPublication,
  );
}

function renderStatusPublication(result: StatusPublication): string[] {
  const lines = [`Wrote ${result.lists.length} status list(s) for ${result.profileId} from the chain at block ${result.blockNumber}, signed by ${result.signedBy}`];
  for (const list of result.lists) lines.push(`  ${list.file}  (${list.purpose}, ${list.setCount} of ${list.count} set) → host at ${list.url}`);
  for (const skipped of result.skipped) lines.push(`  ! batch ${skipped.root}: ${skipped.reason}`);
  lines.push(`Host ${result.outDir} at the status base URL, as it is (static files); publish again after each revocation or suspension.`);
  return lines;
}
