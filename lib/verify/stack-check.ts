/**
 * The `stack` check of the verification pipeline: for a stacked credential, the pathway it names is
 * anchored by the issuer of the stack and unchanged, and every component — however deep in a stack of
 * stacks — is still anchored by the issuer it names, intact, not revoked or suspended, from an issuer in
 * good standing. Each reference is read at (issuerId, root, index), issuerId of the profile id it is
 * anchored under (lib/stack/stack.ts, anchoringProfileId). All references are read together: one batched
 * read per registry (RegistryReader.credentialStatuses), not one round trip per component.
 */
import type { Hex } from "../credential/canonical.js";
import { issuerIdOfProfile } from "../credential/profile-id.js";
import {
  anchoringProfileId,
  describeReference,
  flattenStack,
  referenceIsIntact,
  type ComponentReference,
  type PathwayReference,
  type StackNode,
  type StackReferences,
} from "../stack/stack.js";
import { keyCompromiseStanding, onChainStanding, type OnChainCredentialStatus, type RegistryReader, type VerificationStatus, type VerifyOptions } from "./verify.js";

export type StackEntryStatus = "valid" | "revoked" | "suspended" | "unknown-anchor" | "tampered" | "unsupported-chain" | "untrusted-registry" | "unavailable";

export interface StackEntryResult {
  status: StackEntryStatus;
  detail: string;
  credentialHash: Hex;
}

export interface StackResult {
  pathway: StackEntryResult & { pathwayId: string; name: string };
  components: Array<
    StackEntryResult & { credentialId: string; achievementId: string; achievementName: string; issuerId: string; issuedAt: string; stack: StackResult | null }
  >;
}

export interface StackCheckOutcome {
  result: "pass" | "fail";
  /** The verdict a failure gives. */
  status?: VerificationStatus;
  detail: string;
  tree: StackResult | null;
}

export interface StackCheckContext {
  /** The stacked credential's own hash and its issuer.id (the awarding issuer, whose anchors hold the pathway). */
  topHash: Hex;
  topProfileId: string;
  readerFor(chainId: number, registry: string): RegistryReader | undefined;
  /** The trust policy (VerifyOptions.trustIssuer): a reference through a registry not trusted for its issuer stands for nothing. */
  trustIssuer?: VerifyOptions["trustIssuer"];
}

export async function checkStack(stack: StackReferences, context: StackCheckContext): Promise<StackCheckOutcome> {
  const flattened = flattenStack(context.topHash, stack);
  if (!flattened.ok) return { result: "fail", status: "malformed", detail: flattened.problem, tree: null };
  const { nodes } = flattened;

  const statuses = new Map<StackNode, StackEntryResult>();
  const toRead = new Map<RegistryReader, StackNode[]>();
  const profileOf = (node: StackNode) => anchoringProfileId(node, context.topProfileId);
  for (const node of nodes) {
    const { reference } = node;
    if (!referenceIsIntact(reference)) {
      statuses.set(node, entry(reference, "tampered", "its hash and Merkle path do not give its root"));
      continue;
    }
    const reader = context.readerFor(reference.chainId, reference.registry);
    if (!reader) {
      statuses.set(node, entry(reference, "unsupported-chain", `registry ${reference.registry} on chain ${reference.chainId} is not one this verifier trusts`));
      continue;
    }
    toRead.set(reader, [...(toRead.get(reader) ?? []), node]);
  }

  try {
    const reads = await Promise.all(
      [...toRead].map(async ([reader, group]) => {
        const items = group.map((node) => ({ issuerId: issuerIdOfProfile(profileOf(node)), root: node.reference.root, index: BigInt(node.reference.leafIndex) }));
        const answers = reader.credentialStatuses
          ? await reader.credentialStatuses(items)
          : await Promise.all(items.map((item) => reader.credentialStatus(item.issuerId, item.root, item.index)));
        return group.map((node, index) => [node, answers[index]] as const);
      }),
    );
    const onChain = new Map(reads.flat());
    const verdicts = await Promise.all(
      nodes.map((node) => (onChain.has(node) ? context.trustIssuer?.(node.reference.chainId, node.reference.registry, profileOf(node)) : undefined)),
    );
    nodes.forEach((node, position) => {
      const read = onChain.get(node);
      const trust = verdicts[position];
      if (trust?.trusted === false) statuses.set(node, entry(node.reference, "untrusted-registry", trust.detail));
      else if (read) statuses.set(node, judge(node, read, profileOf(node)));
    });
  } catch (error) {
    const message = (error as Error).message.split("\n")[0];
    return { result: "fail", status: "unavailable", detail: `cannot read the stack's components from the chain: ${message}`, tree: null };
  }

  const tree = buildTree(stack, nodes, statuses);
  const failing = nodes.filter((node) => statuses.get(node)!.status !== "valid");
  if (failing.length === 0) {
    const components = nodes.filter((node) => node.reference.role === "component").length;
    return { result: "pass", detail: `pathway "${stack.pathway.name}" and all ${components} component credential(s) are anchored and in good standing`, tree };
  }
  const listed = failing.slice(0, 5).map((node) => `${describeReference(node.reference)} is ${statuses.get(node)!.status}: ${statuses.get(node)!.detail}`);
  const more = failing.length > 5 ? `; and ${failing.length - 5} more` : "";
  const anyUnavailable = failing.some((node) => statuses.get(node)!.status === "unavailable");
  const anyTampered = failing.some((node) => statuses.get(node)!.status === "tampered");
  return {
    result: "fail",
    status: anyTampered ? "tampered" : anyUnavailable ? "unavailable" : "stack-incomplete",
    detail: `${listed.join("; ")}${more}`,
    tree,
  };
}

/** A reference's standing, read under `profileId` (the issuer it must be anchored by). */
function judge(node: StackNode, status: OnChainCredentialStatus, profileId: string): StackEntryResult {
  const { reference } = node;
  if (!status.anchored) {
    const whose = reference.role === "pathway" ? "the issuer of the stack that names it, " : "";
    return entry(reference, "unknown-anchor", `root ${reference.root} is not anchored by ${whose}${profileId}`);
  }
  if (!status.inRange) return entry(reference, "tampered", `index ${reference.leafIndex} is beyond its batch of ${status.count}`);
  if (reference.role === "pathway") {
    const compromise = keyCompromiseStanding(status);
    if (compromise) return entry(reference, "revoked", compromise.detail);
    if (status.revoked || status.batchRevoked) return entry(reference, "revoked", "its issuer withdrew the pathway");
    if (status.suspended) return entry(reference, "suspended", "its issuer suspended the pathway");
    return entry(reference, "valid", `published by ${profileId} with key ${status.actingKey}`);
  }
  const standing = onChainStanding(status);
  return entry(reference, standing.status, standing.status === "valid" ? `anchored by ${profileId} with key ${status.actingKey}` : standing.detail);
}

function entry(reference: PathwayReference | ComponentReference, status: StackEntryStatus, detail: string): StackEntryResult {
  return { status, detail, credentialHash: reference.credentialHash };
}

function buildTree(stack: StackReferences, nodes: StackNode[], statuses: Map<StackNode, StackEntryResult>): StackResult {
  const resultOf = (reference: PathwayReference | ComponentReference) => statuses.get(nodes.find((node) => node.reference === reference)!)!;
  const build = (current: StackReferences): StackResult => ({
    pathway: { ...resultOf(current.pathway), pathwayId: current.pathway.pathwayId, name: current.pathway.name },
    components: current.components.map((component) => ({
      ...resultOf(component),
      credentialId: component.credentialId,
      achievementId: component.achievementId,
      achievementName: component.achievementName,
      issuerId: component.issuerId,
      issuedAt: component.issuedAt,
      stack: component.stack && nodes.some((node) => node.reference === component.stack!.pathway) ? build(component.stack) : null,
    })),
  });
  return build(stack);
}
