/**
 * `credentials bundle`: a holder packs badges into one file to send an employer — a ClrCredential-shaped
 * bundle (lib/portfolio/portfolio.ts) that POST /v1/presentations/verify and the page read whole. Nothing is read
 * from or sent to the chain; every badge must be an issued Open Badges 3.0 credential.
 */
import { randomUUID } from "node:crypto";
import path from "node:path";

import { parseCredential, type OpenBadgeCredential } from "../../lib/credential/credential.js";
import { bundleCredentials } from "../../lib/portfolio/portfolio.js";
import { CommandError } from "../command-errors.js";
import { readJsonFile } from "../cli/read-json.js";
import { writeFileAtomically } from "./badge-files.js";

export interface BundleResult {
  out: string;
  count: number;
  holder: string | null;
  associations: number;
}

export async function bundleBadges(files: readonly string[], out: string, options: { allowSeveralHolders?: boolean } = {}): Promise<BundleResult> {
  if (files.length === 0) throw new CommandError("no-badges", "name the badge files to bundle");
  const credentials: OpenBadgeCredential[] = [];
  const problems: string[] = [];
  const filesOf = new Map<string, string[]>();
  for (const file of files) {
    const parsed = parseCredential(await readJsonFile(file, "badge file"));
    if (parsed.ok) {
      credentials.push(parsed.credential);
      const holder = parsed.credential.credentialSubject.id ?? "(no learner id)";
      filesOf.set(holder, [...(filesOf.get(holder) ?? []), file]);
    } else problems.push(`  ${file}: ${parsed.problems.slice(0, 3).map((problem) => `${problem.path} ${problem.message}`).join("; ")}`);
  }
  if (problems.length > 0) throw new CommandError("invalid-badges", `${problems.length} file(s) are not issued Open Badges 3.0 credentials; nothing was written:\n${problems.join("\n")}`);
  // A portfolio is one learner's: another's badge slipped in by a glob would be sent to an employer as theirs.
  if (filesOf.size > 1 && !options.allowSeveralHolders) {
    const holders = [...filesOf].map(([holder, held]) => `  ${holder}: ${held.length} badge(s) (${held.slice(0, 3).join(", ")}${held.length > 3 ? ", …" : ""})`);
    throw new CommandError(
      "several-holders",
      `these badges belong to ${filesOf.size} different learners; nothing was written — name one learner's badges only, or pass --allow-several-holders to bundle them anyway:\n${holders.join("\n")}`,
    );
  }
  const bundle = bundleCredentials(credentials, { id: `urn:uuid:${randomUUID()}`, now: new Date() });
  const target = path.resolve(out);
  await writeFileAtomically(target, `${JSON.stringify(bundle, null, 2)}\n`);
  return { out: target, count: credentials.length, holder: bundle.credentialSubject.id ?? null, associations: bundle.credentialSubject.association?.length ?? 0 };
}
