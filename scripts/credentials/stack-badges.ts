/**
 * `credentials stack`: check a published pathway and the learner's component badges against the chain,
 * and — only when every check holds — issue the stacked credential and anchor it with the anchor command's
 * machinery (journal, crash safety, files, manifest). When anything fails nothing is anchored and each
 * problem names its component.
 *
 * The draft is kept in <out>/.stack-draft/ once written: a re-run after a crash finishes the same
 * credential (same issuance time, same id, same root) instead of drafting a new one.
 */
import { access, mkdir, readFile } from "node:fs/promises";
import path from "node:path";

import type { OpenBadgeCredential } from "../../lib/credential/credential.js";
import { planStack } from "../../lib/stacking/stacking.js";
import { readJsonFile } from "../cli/read-json.js";
import { CommandError } from "../command-errors.js";
import type { RegistryContext } from "../cli/registry-context.js";
import { actingIssuer } from "../commands/issuer-identity.js";
import { EthersRegistryReader } from "../ethers-registry-reader.js";
import { anchorBadges, type AnchorOptions, type AnchorResult } from "./anchor-badges.js";
import { writeFileAtomically } from "./badge-files.js";
import { readJournal } from "./journal.js";

export interface StackOptions {
  pathwayFile: string;
  componentFiles: string[];
  outDir: string;
  progress: boolean;
  now?: () => Date;
  /** The stacking issuer (profile id or issuerId); default: the one the signer's key belongs to. */
  issuer?: string;
  /** The stacking issuer's signing key, or "unsigned". */
  signing: AnchorOptions["signing"];
}

export interface StackResult extends AnchorResult {
  /** The stacked credential's file. */
  file: string;
  pathway: { id: string; name: string };
  subjectId: string;
  /** The component files the stack names (surplus badges are left out). */
  components: string[];
}

export async function stackBadges(context: RegistryContext, options: StackOptions): Promise<StackResult> {
  const outDir = path.resolve(options.outDir);
  const pathwayInput = await readJsonFile(options.pathwayFile, "pathway");
  const components = await Promise.all(options.componentFiles.map(async (file) => ({ label: file, credential: await readJsonFile(file, "badge") })));
  const { profileId } = await actingIssuer(context, { issuer: options.issuer });
  const reader = new EthersRegistryReader(context.registry);
  const readerFor = (chainId: number, registry: string) =>
    chainId === context.chainId && registry.toLowerCase() === context.registryAddress.toLowerCase() ? reader : undefined;

  const plan = await planStack(pathwayInput, components, { readerFor, now: options.now ?? (() => new Date()), stackingIssuerProfileId: profileId }).catch((error: unknown) => {
    throw new CommandError("unreachable", `cannot read the registry on network "${context.networkName}": ${(error as Error).message.split("\n")[0]}`, 3);
  });
  if (!plan.ok) {
    throw new CommandError("stack-refused", `nothing was stacked or anchored:\n${plan.problems.map((problem) => `  ${problem}`).join("\n")}`, 1);
  }

  const draftFile = path.join(outDir, ".stack-draft", `${slug(plan.pathway.achievement.name)}.json`);
  const journal = await readJournal(outDir);
  if (journal && (await exists(draftFile))) {
    const earlier = JSON.parse(await readFile(draftFile, "utf8")) as Record<string, unknown>;
    const same = (draft: Record<string, unknown>) => JSON.stringify([draft.credentialSubject, draft.evidence]);
    if (same(earlier) !== same(plan.draft as Record<string, unknown>)) {
      throw new CommandError("out-in-use", `${outDir} holds another stack (other components or learner); choose another --out`, 1);
    }
  } else {
    await mkdir(path.dirname(draftFile), { recursive: true });
    await writeFileAtomically(draftFile, `${JSON.stringify(plan.draft, null, 2)}\n`);
  }
  const anchored = await anchorBadges(context, { files: [draftFile], outDir, skipInvalid: false, dryRun: false, progress: options.progress, issuer: options.issuer, signing: options.signing });
  const used = new Set(plan.assessment.progress.used);
  return {
    ...anchored,
    file: path.join(outDir, path.basename(draftFile)),
    pathway: { id: plan.pathway.id, name: plan.pathway.name },
    subjectId: plan.assessment.subjectIds[0],
    components: plan.assessment.components.filter(({ verification }) => used.has((verification.credential as OpenBadgeCredential | null)?.id ?? "")).map(({ label }) => label),
  };
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

function slug(name: string): string {
  return name.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "stacked-credential";
}
