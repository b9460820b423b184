/**
 * A registry with the sample story in it, on any network connection: deployed, two issuers accredited
 * (the university acting through an operator key), and each issuer's example badges anchored as one
 * batch into `outputRoot/<issuer>/`. Used by the demo and by `npm start` with nothing configured.
 */
import { rm } from "node:fs/promises";
import path from "node:path";

import type { NetworkConnection } from "hardhat/types/network";

import { openRegistryOn, type RegistryContext } from "./cli/registry-context.js";
import { registerIssuer } from "./commands/issuer.js";
import { anchorBadges, type AnchorResult } from "./credentials/anchor-badges.js";
import { listBadgeFiles } from "./credentials/badge-files.js";
import { deployRegistry } from "./deploy-registry.js";

export const EXAMPLES_DIR = path.join(import.meta.dirname, "..", "examples", "badges");

export interface SampleRegistry {
  registry: string;
  chainId: number;
  accounts: { accreditor: string; university: string; universityOperator: string; employer: string };
  batches: Array<AnchorResult & { who: "university" | "employer" }>;
  /** Opens the registry as one of the sample accounts. */
  as(from: string): Promise<RegistryContext>;
  badge(who: "university" | "employer", name: string): string;
}

export async function setUpSampleRegistry(connection: NetworkConnection, outputRoot: string, say: (line: string) => void = () => {}): Promise<SampleRegistry> {
  const [deployer, university, universityOperator, employer] = await connection.ethers.getSigners();
  say("Deploying the CredentialRegistry…");
  const { address: registry, chainId } = await deployRegistry(connection);
  const as = (from: string) => openRegistryOn(connection, { registry, from });
  say(`   registry ${registry} on chain ${chainId}; admin and accreditor ${deployer.address}`);

  say("Accrediting two issuers; the university authorises an operator key…");
  await registerIssuer(await as(deployer.address), university.address, "did:web:uni.example");
  await registerIssuer(await as(deployer.address), employer.address, "https://security.employer.example/issuer");
  await (await (await as(university.address)).registry.authorizeOperator(universityOperator.address)).wait();
  say(`   Northfield University ${university.address} (operator ${universityOperator.address})`);
  say(`   Meridian Systems      ${employer.address}`);

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
    batches,
    as,
    badge: (who, name) => path.join(outputRoot, who, `${name}.json`),
  };
}
