/**
 * Actions of the `pathway …` tasks and of `credentials stack` and `bundle` (one-line modules export them, as Hardhat
 * loads each task's action from a module's default export).
 */
import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { CommandError, runCommand } from "../command-errors.js";
import { readJsonFile } from "../cli/read-json.js";
import { openRegistryReader } from "../cli/registry-context.js";
import { listBadgeFiles } from "../credentials/badge-files.js";
import { bundleBadges } from "../credentials/bundle-badges.js";
import { stackBadges } from "../credentials/stack-badges.js";
import { checkPathway, renderPathwayCheck } from "../pathways/check-pathway.js";
import { publishPathway } from "../pathways/publish-pathway.js";
import { runRegistryCommand, type CommonArguments } from "./run-registry-command.js";
import { signingKeyOf, type SigningArguments } from "./signing-arguments.js";

export async function publishAction(args: CommonArguments & { file: string; out: string; issuer: string }, hre: HardhatRuntimeEnvironment) {
  await runRegistryCommand(
    hre,
    args,
    async (context) => publishPathway(context, await readJsonFile(args.file, "pathway file"), path.resolve(args.out || args.file), { issuer: args.issuer || undefined }),
    (result) => [
      result.outcome === "published"
        ? `Published pathway "${result.name}" (${result.pathwayId})`
        : `Nothing to do: pathway "${result.name}" (${result.pathwayId}) is already published`,
      `  hash        ${result.pathwayHash}`,
      `  root        ${result.root} (a batch of one), by ${result.profileId} (issuerId ${result.issuerId})`,
      ...(result.transactionHash ? [`  transaction ${result.transactionHash} (block ${result.blockNumber})`] : []),
      `  written to  ${result.out} (with its anchor proof: share this file)`,
    ],
  );
}

export async function checkAction(args: CommonArguments & { pathway: string; badges: string[] }, hre: HardhatRuntimeEnvironment) {
  await runCommand(args.json, async () => {
    const context = await openRegistryReader(hre, { registry: args.registry });
    const result = await checkPathway(context, args.pathway, await listBadgeFiles(args.badges));
    if (args.json) console.log(JSON.stringify(result));
    else for (const line of renderPathwayCheck(result)) console.log(line);
    process.exitCode = result.readyToStack ? 0 : 1;
  });
}

export async function stackAction(
  args: CommonArguments & SigningArguments & { pathway: string; badges: string[]; out: string; issuer: string; unsigned: boolean },
  hre: HardhatRuntimeEnvironment,
) {
  await runRegistryCommand(
    hre,
    args,
    async (context) => {
      if (!args.pathway) throw new CommandError("missing-pathway", "--pathway <file> is required: the published pathway to stack towards");
      if (!args.out) throw new CommandError("missing-out", "--out <dir> is required: the stacked credential is written there");
      const files = await listBadgeFiles(args.badges);
      if (!args.json) console.log(`Checking ${files.length} component badge(s) against pathway ${args.pathway} on network "${context.networkName}"…`);
      const signing = args.unsigned ? "unsigned" : await signingKeyOf(args, hre, "the stacked credential is signed before it is anchored (or pass --unsigned)");
      return stackBadges(context, { pathwayFile: args.pathway, componentFiles: files, outDir: args.out, progress: !args.json, issuer: args.issuer || undefined, signing });
    },
    (result) => [
      result.outcome === "already-done"
        ? `Nothing to do: the stacked credential for "${result.pathway.name}" is already anchored and written`
        : `Stacked ${result.components.length} component(s) into "${result.pathway.name}" for ${result.subjectId}`,
      ...(result.journalCheck?.message ? [`  ! ${result.journalCheck.message}`] : []),
      ...result.components.map((file) => `  component   ${file}`),
      `  anchored    root ${result.root} for ${result.profileId} (issuerId ${result.issuerId}), by ${result.actingKey}`,
      `  signed by   ${result.signedBy ?? "nobody (unsigned: other verifiers will refuse it)"}`,
      ...(result.transactionHash ? [`  transaction ${result.transactionHash} (block ${result.blockNumber})`] : []),
      `  credential  ${result.file}`,
    ],
  );
}

export async function bundleAction(args: { badges: string[]; out: string; allowSeveralHolders: boolean; json: boolean }) {
  await runCommand(args.json, async () => {
    if (!args.out) throw new CommandError("missing-out", "--out <file> is required: the bundle is written there");
    const result = await bundleBadges(await listBadgeFiles(args.badges), args.out, { allowSeveralHolders: args.allowSeveralHolders });
    if (args.json) {
      console.log(JSON.stringify(result));
      return;
    }
    console.log(`Bundled ${result.count} credential(s)${result.holder ? ` of ${result.holder}` : " (of more than one holder)"} into ${result.out}`);
    if (result.associations > 0) console.log(`  ${result.associations} association(s) between stacked credentials and their components`);
    console.log("  verify it whole: POST it to /v1/presentations/verify, or drop it on the verification page");
  });
}
