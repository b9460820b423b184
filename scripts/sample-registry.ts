/**
 * A registry with the sample story in it, on any network connection: deployed, two issuer identities
 * accredited — the university controlled by account 1 with account 2 as its operator (hot) key, and the
 * employer controlled by account 3 — and each issuer's example badges signed and anchored as one batch
 * into `outputRoot/<issuer>/` (the university's by its operator). Used by the demo and by `npm start`
 * with nothing configured.
 *
 * Identities: `did:key` (the demo, `npm start`: a fresh key per run, made as `issuer did create --method
 * key` makes it, which any verifier checks offline), or the fixed "did:web:uni.example" and
 * "https://security.employer.example/issuer" (tests), signing as `<id>#key-1`; their controller documents
 * are returned for tests to serve or pin.
 */
import { rm } from "node:fs/promises";
import path from "node:path";

import type { NetworkConnection } from "hardhat/types/network";

import type { Hex } from "../lib/credential/canonical.js";
import { openRegistryOn, type RegistryContext } from "./cli/registry-context.js";
import { changeOperator, registerIssuer } from "./commands/issuer.js";
import { buildControllerDocument } from "../lib/signature/controller-document.js";
import type { JsonLdObject } from "../lib/signature/contexts.js";
import { generateEd25519KeyPair } from "../lib/signature/ed25519-keys.js";
import { newIssuerIdentity } from "./commands/did-create.js";
import { anchorBadges, type AnchorResult } from "./credentials/anchor-badges.js";
import type { SigningKey } from "./signing/signing-key.js";
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
  issuers: Record<SampleIssuer, { profileId: string; issuerId: Hex; controller: string; signingKey: SigningKey; controllerDocument: JsonLdObject | null }>;
  batches: Array<AnchorResult & { who: SampleIssuer }>;
  /** Opens the registry as one of the sample accounts. */
  as(from: string): Promise<RegistryContext>;
  badge(who: SampleIssuer, name: string): string;
}

export interface SampleOptions {
  /** "did:key" (demo, npm start) or "fixed" (did:web:uni.example and the employer's https id; default). */
  identities?: "did:key" | "fixed";
}

interface SampleIdentity {
  profileId: string;
  signingKey: SigningKey;
  controllerDocument: JsonLdObject | null;
}

function sampleIdentity(kind: SampleOptions["identities"], fixedId: string, controller: string, chainId: number): SampleIdentity {
  if (kind === "did:key") {
    const made = newIssuerIdentity({ method: "key" });
    return { profileId: made.profileId, signingKey: { keyPair: made.keyPair, verificationMethod: made.verificationMethod, source: "sample key" }, controllerDocument: null };
  }
  const keyPair = generateEd25519KeyPair();
  const controllerDocument = buildControllerDocument({ id: fixedId, publicKey: keyPair.publicKey, keyFragment: "key-1", blockchainAccountIds: [`eip155:${chainId}:${controller}`] });
  return { profileId: fixedId, signingKey: { keyPair, verificationMethod: `${fixedId}#key-1`, source: "sample key" }, controllerDocument };
}

export async function setUpSampleRegistry(
  connection: NetworkConnection,
  outputRoot: string,
  say: (line: string) => void = () => {},
  options: SampleOptions = {},
): Promise<SampleRegistry> {
  const [deployer, university, universityOperator, employer] = await connection.ethers.getSigners();
  say("Deploying the CredentialRegistry…");
  const { address: registry, chainId } = await deployRegistry(connection);
  const as = (from: string) => openRegistryOn(connection, { registry, from });
  say(`   registry ${registry} on chain ${chainId}; admin and accreditor ${deployer.address}`);

  const identities = {
    university: sampleIdentity(options.identities, UNIVERSITY_PROFILE_ID, university.address, Number(chainId)),
    employer: sampleIdentity(options.identities, EMPLOYER_PROFILE_ID, employer.address, Number(chainId)),
  };
  say("Accrediting two issuers, each with a controller key; the university adds an operator (hot) key…");
  const accreditor = await as(deployer.address);
  const universityIssuer = await registerIssuer(accreditor, identities.university.profileId, university.address);
  const employerIssuer = await registerIssuer(accreditor, identities.employer.profileId, employer.address);
  await changeOperator(await as(university.address), "add", universityOperator.address);
  say(`   Northfield University ${identities.university.profileId}: controller ${university.address}, operator ${universityOperator.address}`);
  say(`   Meridian Systems      ${identities.employer.profileId}: controller ${employer.address}`);

  say("Signing each issuer's example badges with its Ed25519 key and anchoring them as one batch…");
  await rm(outputRoot, { recursive: true, force: true });
  const examples = await listBadgeFiles([EXAMPLES_DIR]);
  const batches: SampleRegistry["batches"] = [];
  for (const [who, signer, prefix] of [
    ["university", universityOperator, "uni-"],
    ["employer", employer, "meridian-"],
  ] as const) {
    const files = examples.filter((file) => path.basename(file).startsWith(prefix));
    const signing = identities[who].signingKey;
    const result = await anchorBadges(await as(signer.address), { files, outDir: path.join(outputRoot, who), skipInvalid: false, dryRun: false, progress: false, signing });
    batches.push({ ...result, who });
    say(`   ${who}: ${result.count} badges, root ${result.root}, one transaction ${result.transactionHash}`);
  }
  return {
    registry,
    chainId: Number(chainId),
    accounts: { accreditor: deployer.address, university: university.address, universityOperator: universityOperator.address, employer: employer.address },
    issuers: {
      university: { ...identities.university, issuerId: universityIssuer.issuerId, controller: university.address },
      employer: { ...identities.employer, issuerId: employerIssuer.issuerId, controller: employer.address },
    },
    batches,
    as,
    badge: (who, name) => path.join(outputRoot, who, `${name}.json`),
  };
}
