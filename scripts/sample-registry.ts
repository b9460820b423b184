/**
 * A registry with the sample story in it, on any network connection: deployed, two issuer identities
 * accredited — "did:web:uni.example" controlled by account 1 with account 2 as its operator (hot) key, and
 * "https://security.employer.example/issuer" controlled by account 3 — and each issuer's example badges
 * anchored as one batch into `outputRoot/<issuer>/` (the university's by its operator). Used by the demo
 * and by `npm start` with nothing configured.
 */
import { rm } from "node:fs/promises";
import path from "node:path";

import type { NetworkConnection } from "hardhat/types/network";

import type { Hex } from "../lib/credential/canonical.js";
import { openRegistryOn, type RegistryContext } from "./cli/registry-context.js";
import { changeOperator, registerIssuer } from "./commands/issuer.js";
import { anchorBadges, type AnchorResult } from "./credentials/anchor-badges.js";
import { listBadgeFiles } from "./credentials/badge-files.js";
import { deployRegistry } from "./deploy-registry.js";

export const EXAMPLES_DIR = path.join(import.meta.dirname, "..", "examples", "badges");

export const UNIVERSITY_PROFILE_ID = "did:web:uni.example";
export const EMPLOYER_PROFILE_ID = "https://security.employer.example/issuer";

export type SampleIssuer = "university" | "employer";

export interface SampleRegistry {
  registry: string;
  chainId: number;
  accounts: { accreditor: string; university: string; universityOperator: string; employer: string };
  issuers: Record<SampleIssuer, { profileId: string; issuerId: Hex; controller: string }>;
  batches: Array<AnchorResult & { who: SampleIssuer }>;
  /** Opens the registry as one of the sample accounts. */
  as(from: string): Promise<RegistryContext>;
  badge(who: SampleIssuer, name: string): string;
}

export async function setUpSampleRegistry(connection: NetworkConnection, outputRoot: string, say: (line: string) => void = () => {}): Promise<SampleRegistry> {
  const [deployer, university, universityOperator, employer] = await connection.ethers.getSigners();
  say("Deploying the CredentialRegistry…");
  const { address: registry, chainId } = await deployRegistry(connection);
  const as = (from: string) => openRegistryOn(connection, { registry, from });
  say(`   registry ${registry} on chain ${chainId}; admin and accreditor ${deployer.address}`);

  say("Accrediting two issuers, each with a controller key; the university adds an operator (hot) key…");
  const accreditor = await as(deployer.address);
  const universityIssuer = await registerIssuer(accreditor, UNIVERSITY_PROFILE_ID, university.address);
  const employerIssuer = await registerIssuer(accreditor, EMPLOYER_PROFILE_ID, employer.address);
  await changeOperator(await as(university.address), "add", universityOperator.address);
  say(`   Northfield University ${UNIVERSITY_PROFILE_ID}: controller ${university.address}, operator ${universityOperator.address}`);
  say(`   Meridian Systems      ${EMPLOYER_PROFILE_ID}: controller ${employer.address}`);

  say("Anchoring each issuer's example badges as one batch…");
  await rm(outputRoot, { recursive: true, force: true });
  const examples = await listBadgeFiles([EXAMPLES_DIR]);
  const batches: SampleRegistry["batches"] = [];
  for (const [who, signer, prefix] of [
    ["university", universityOperator, "uni-"],
    ["employer", employer, "meridian-"],
  ] as const) {
    const files = examples.filter((file) => path.basename(file).startsWith(prefix));
    const result = await anchorBadges(await as(signer.address), { files, outDir: path.join(outputRoot, who), skipInvalid: false, dryRun: false, progress: false });
    batches.push({ ...result, who });
    say(`   ${who}: ${result.count} badges, root ${result.root}, one transaction ${result.transactionHash}`);
  }
  return {
    registry,
    chainId: Number(chainId),
    accounts: { accreditor: deployer.address, university: university.address, universityOperator: universityOperator.address, employer: employer.address },
    issuers: {
      university: { profileId: UNIVERSITY_PROFILE_ID, issuerId: universityIssuer.issuerId, controller: university.address },
      employer: { profileId: EMPLOYER_PROFILE_ID, issuerId: employerIssuer.issuerId, controller: employer.address },
    },
    batches,
    as,
    badge: (who, name) => path.join(outputRoot, who, `${name}.json`),
  };
}
