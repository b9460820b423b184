/**
 * `pathway publish <file>`: the awarding issuer anchors the pathway definition's hash as a batch of one,
 * then writes the definition back with its anchor proof. Once published a pathway cannot change: a
 * changed file no longer matches its anchor, and a new version is a new pathway (a new id). Publishing the
 * same definition again does nothing and says so.
 */
import { buildBatch } from "../../lib/anchor/batch.js";
import { credentialHash, type Hex } from "../../lib/credential/canonical.js";
import { parsePathway, pathwayIssuerId } from "../../lib/stack/pathway.js";
import { ANCHOR_PROOF_TYPE, attachAnchorProof } from "../../lib/anchor/proof.js";
import { CommandError } from "../command-errors.js";
import type { RegistryContext } from "../cli/registry-context.js";
import { actingIssuer, ZERO_ADDRESS } from "../commands/issuer-identity.js";
import { readRegistry, sendRegistryTransaction } from "../commands/transactions.js";
import { writeFileAtomically } from "../credentials/badge-files.js";

export interface PublishResult {
  outcome: "published" | "already-published";
  pathwayId: string;
  name: string;
  pathwayHash: Hex;
  root: Hex;
  chainId: number;
  registry: string;
  issuerId: Hex;
  profileId: string;
  transactionHash: string | null;
  blockNumber: number | null;
  out: string;
}

export async function publishPathway(context: RegistryContext, input: unknown, out: string, options: { issuer?: string } = {}): Promise<PublishResult> {
  const parsed = parsePathway(input);
  if (!parsed.ok) {
    throw new CommandError("invalid-pathway", `not a valid pathway:\n${parsed.problems.map((problem) => `  ${problem.path} ${problem.message}`).join("\n")}`);
  }
  const pathway = parsed.credential;
  const { issuerId, profileId } = await actingIssuer(context, { issuer: options.issuer });
  if (pathwayIssuerId(pathway) !== profileId) {
    throw new CommandError("wrong-issuer", `the pathway is awarded by "${pathwayIssuerId(pathway)}", but the signer acts for "${profileId}" (choose the signer with --from)`, 1);
  }
  const pathwayHash = credentialHash(input as object);
  const { root } = buildBatch([pathwayHash]);
  const base = { pathwayId: pathway.id, name: pathway.name, pathwayHash, root, chainId: context.chainId, registry: context.registryAddress, issuerId, profileId, out };

  // Anchors are per issuer: the same definition anchored by another issuer is not this one's publication.
  const existing = await readRegistry(context, () => context.registry.getAnchor(issuerId, root));
  let transactionHash: string | null = null;
  let blockNumber: number | null = null;
  let anchoredAt: string;
  if (existing.actingKey !== ZERO_ADDRESS) {
    anchoredAt = new Date(Number(existing.anchoredAt) * 1000).toISOString();
  } else {
    const sent = await sendRegistryTransaction(context, () => context.registry.anchor(issuerId, root, 1));
    ({ transactionHash, blockNumber } = sent);
    anchoredAt = new Date(sent.timestamp * 1000).toISOString();
  }
  const published = attachAnchorProof(input as object, {
    type: ANCHOR_PROOF_TYPE,
    chainId: context.chainId,
    registry: context.registryAddress,
    root,
    leafIndex: 0,
    merklePath: [],
    anchoredAt,
    ...(transactionHash ? { transactionHash: transactionHash as Hex } : {}),
  });
  await writeFileAtomically(out, `${JSON.stringify(published, null, 2)}\n`);
  return { ...base, outcome: transactionHash ? "published" : "already-published", transactionHash, blockNumber };
}
