/**
 * The sample story's second part, on a registry set up by sample-registry.ts: the university publishes
 * the Data Analyst Certificate pathway and stacks three of Ada's badges (from both issuers) into the
 * certificate; Ada bakes one badge into the issuer's PNG artwork and bundles her badges for an employer.
 * Used by the demo and by `npm start` with nothing configured.
 */
import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { bakeCredential } from "../lib/baked/baked-badge.js";
import { bundleBadges } from "./credentials/bundle-badges.js";
import { stackBadges } from "./credentials/stack-badges.js";
import { publishPathway } from "./pathways/publish-pathway.js";
import { EMPLOYER_PROFILE_ID, UNIVERSITY_PROFILE_ID, type SampleRegistry } from "./sample-registry.js";

const projectRoot = path.join(import.meta.dirname, "..");

export interface SampleStack {
  pathwayFile: string;
  pathwayRoot: string;
  certificateFile: string;
  certificateRoot: string;
  bakedPngFile: string;
  bundleFile: string;
}

export async function setUpSampleStack(sample: SampleRegistry, outputRoot: string, say: (line: string) => void = () => {}): Promise<SampleStack> {
  const university = await sample.as(sample.accounts.universityOperator);
  say("The university publishes a pathway and stacks three of Ada's badges, from both issuers, into a certificate…");
  await cp(path.join(projectRoot, "examples", "pathways"), path.join(outputRoot, "pathways"), { recursive: true });
  const pathwayFile = path.join(outputRoot, "pathways", "data-analyst-certificate.json");
  // The example pathway names the fixed sample identities; with did:key issuers it names theirs instead.
  const pathwayText = (await readFile(pathwayFile, "utf8"))
    .replaceAll(`"${UNIVERSITY_PROFILE_ID}"`, JSON.stringify(sample.issuers.university.profileId))
    .replaceAll(`"${EMPLOYER_PROFILE_ID}"`, JSON.stringify(sample.issuers.employer.profileId));
  await writeFile(pathwayFile, pathwayText);
  const published = await publishPathway(university, JSON.parse(pathwayText), pathwayFile);
  say(`   pathway "${published.name}" anchored as root ${published.root}`);
  const components = [
    sample.badge("university", "uni-data-analytics-foundations"),
    sample.badge("university", "uni-sql-for-analysts"),
    sample.badge("employer", "meridian-secure-coding-practitioner"),
  ];
  const stacked = await stackBadges(university, { pathwayFile, componentFiles: components, outDir: path.join(outputRoot, "certificate"), progress: false, signing: sample.issuers.university.signingKey });
  say(`   certificate ${path.relative(process.cwd(), stacked.file)}, root ${stacked.root}`);

  say("Ada bakes a badge into the issuer's PNG artwork and bundles her badges for an employer…");
  const artwork = await readFile(path.join(projectRoot, "examples", "artwork", "badge-artwork.png"));
  const baked = bakeCredential(artwork, JSON.parse(await readFile(components[0], "utf8")));
  if (!baked.ok) throw new Error(`cannot bake the sample badge: ${baked.problem}`);
  const bakedPngFile = path.join(outputRoot, "uni-data-analytics-foundations.png");
  await writeFile(bakedPngFile, baked.value.image);
  const bundle = await bundleBadges([stacked.file, ...components, sample.badge("employer", "meridian-incident-response-fundamentals")], path.join(outputRoot, "portfolio.json"));
  say(`   ${path.relative(process.cwd(), bakedPngFile)}; ${path.relative(process.cwd(), bundle.out)} (${bundle.count} badges)`);
  return { pathwayFile, pathwayRoot: published.root, certificateFile: stacked.file, certificateRoot: stacked.root, bakedPngFile, bundleFile: bundle.out };
}
