/**
 * The `stack` check of the verification pipeline: for a stacked credential, the pathway it names is
 * anchored by the issuer of the stack and unchanged, and every component — however deep in a stack of
 * stacks — is still anchored by the issuer it names, intact, not revoked or suspended, from an issuer in
 * good standing. Each reference is read at (issuerId, root, index), issuerId of the profile id it is
 * anchored under (lib/stack/stack.ts, anchoringProfileId). All references are read together: one batched
 * read per registry (RegistryReader.credentialStatuses), not one round trip per component.
 *
 * The chain confirms only that a referenced hash is anchored and in good standing: what the reference says
 * of it — its achievement, its learner, its issuer — is what the issuer of the stack wrote. A component's
 * claims are confirmed only when the component itself is at hand (in the same portfolio as the stack):
 * its hash is the one referenced, it verifies valid on its own, and its learner (the stack's subject),
 * achievement, name, id and issuer are the ones the reference states; a component inside a component is
 * confirmed only when its parent is and really lists it. A component found at hand whose content says
 * otherwise refutes the stack (`stack-incomplete`). Any other component stays a claim of the stack's
 * issuer (`confirmation: "claimed"`, `claimedBy`): the stack can be valid as that issuer's credential, and
 * its check says how many components were confirmed. With the pathway document at hand too, its rule is
 * re-checked over the confirmed components only.
 */
import type { Hex } from "../credential/canonical.js";
import { issuerIdOfProfile } from "../credential/profile-id.js";
import { evaluatePathway, parsePathway, type EarnedAchievement } from "../stack/pathway.js";
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
import {
  keyCompromiseStanding,
  onChainStanding,
  type OnChainCredentialStatus,
  type RegistryReader,
  type VerificationResult,
  type VerificationStatus,
  type VerifyOptions,
} from "./verify.js";

export type StackEntryStatus = "valid" | "revoked" | "suspended" | "unknown-anchor" | "tampered" | "unsupported-chain" | "untrusted-registry" | "unavailable";

export interface StackEntryResult {
  status: StackEntryStatus;
  detail: string;
  credentialHash: Hex;
}

/**
 * Whether what a reference says of a component was checked against the component itself: "confirmed" (at
 * hand, and it says the same), "claimed" (only the stack's issuer says so), "refuted" (at hand, and it says
 * otherwise).
 */
export type Confirmation = "confirmed" | "claimed" | "refuted";

export interface StackComponentResult extends StackEntryResult {
  credentialId: string;
  achievementId: string;
  achievementName: string;
  issuerId: string;
  issuedAt: string;
  confirmation: Confirmation;
  confirmationDetail: string;
  /** The profile id of the issuer whose stack states this component (the stack's own, or the parent component's). */
  claimedBy: string;
  stack: StackResult | null;
}

export interface StackRule {
  /** Whether the pathway document was at hand to re-check its rule. */
  checked: boolean;
  /** Whether the confirmed components alone meet it; null when not checked. */
  met: boolean | null;
  detail: string;
}

export interface StackResult {
  pathway: StackEntryResult & { pathwayId: string; name: string };
  components: StackComponentResult[];
  /** Components of this tree (at every depth) confirmed, claimed and refuted. */
  confirmation: { confirmed: number; claimed: number; refuted: number };
  /** The pathway's rule re-checked over the confirmed components, when the pathway is at hand. */
  rule: StackRule;
}

/**
 * The other documents a stack travels with (a portfolio's): found by hash, a component's own verification
 * and a pathway's document.
 */
export interface AtHand {
  /** The verification of the credential at hand whose hash is `credentialHash`, if one is. */
  credential(credentialHash: Hex): Promise<VerificationResult> | undefined;
  /** The pathway document at hand whose hash is `credentialHash`, if one is. */
  pathway(credentialHash: Hex): unknown;
}

export interface StackCheckOutcome {
  result: "pass" | "fail";
  /** The verdict a failure gives. */
  status?: VerificationStatus;
  detail: string;
  tree: StackResult | null;
  /** For a stack that passes on claims: says which components were not confirmed. */
  warning?: string;
}

export interface StackCheckContext {
  /** The stacked credential's own hash and its issuer.id (the awarding issuer, whose anchors hold the pathway). */
  topHash: Hex;
  topProfileId: string;
  /** The stacked credential's learner (its credentialSubject.id) and achievement id. */
  topSubjectId: string | null;
  topAchievementId: string;
  readerFor(chainId: number, registry: string): RegistryReader | undefined;
  /** The trust policy (VerifyOptions.trustIssuer): a reference through a registry not trusted for its issuer stands for nothing. */
  trustIssuer?: VerifyOptions["trustIssuer"];
  /** What travels with the stack; without it every component is a claim. */
  atHand?: AtHand;
  now(): Date;
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

  const confirmations = await confirmComponents(nodes, context);
  const { tree, ruleProblems } = buildTree(stack, nodes, statuses, confirmations, context);
  const failing = nodes.filter((node) => statuses.get(node)!.status !== "valid");
  const refuted = nodes.filter((node) => confirmations.get(node)?.confirmation === "refuted");
  const problems = [
    ...failing.map((node) => `${describeReference(node.reference)} is ${statuses.get(node)!.status}: ${statuses.get(node)!.detail}`),
    ...refuted.map((node) => `${describeReference(node.reference)} is not what the stack says: ${confirmations.get(node)!.confirmationDetail}`),
  ];
  if (problems.length === 0) problems.push(...ruleProblems);
  if (problems.length === 0) return { result: "pass", detail: passDetail(stack, tree, context.topProfileId), tree, warning: claimsWarning(tree) };
  const more = problems.length > 5 ? `; and ${problems.length - 5} more` : "";
  const anyUnavailable = failing.some((node) => statuses.get(node)!.status === "unavailable");
  const anyTampered = failing.some((node) => statuses.get(node)!.status === "tampered");
  return {
    result: "fail",
    status: anyTampered ? "tampered" : anyUnavailable ? "unavailable" : "stack-incomplete",
    detail: `${problems.slice(0, 5).join("; ")}${more}`,
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

interface ComponentConfirmation {
  confirmation: Confirmation;
  confirmationDetail: string;
  claimedBy: string;
}

/**
 * Each component's confirmation (see the file's opening comment), parents before their children (the
 * order flattenStack gives). A lookup never waits on the stack itself or one of its ancestors: those are
 * refused as cycles before; and two credentials cannot each name the other's hash.
 */
async function confirmComponents(nodes: readonly StackNode[], context: StackCheckContext): Promise<Map<StackNode, ComponentConfirmation>> {
  const found = new Map<StackNode, ComponentConfirmation>();
  const atHand = new Map<StackNode, VerificationResult>();
  for (const node of nodes) {
    const { reference } = node;
    if (reference.role !== "component") continue;
    const parent = node.parent?.reference.role === "component" ? node.parent.reference : undefined;
    const claimedBy = parent ? parent.issuerId : context.topProfileId;
    const settle = (confirmation: Confirmation, confirmationDetail: string) => found.set(node, { confirmation, confirmationDetail, claimedBy });
    const pending = context.atHand?.credential(reference.credentialHash.toLowerCase() as Hex);
    if (!pending) {
      settle("claimed", `not at hand: what it is and whose it is are claims of ${claimedBy}; the chain checks only that its hash is anchored`);
      continue;
    }
    const result = await pending;
    atHand.set(node, result);
    const mismatches = result.credential ? mismatchesOf(reference, result.credential, context.topSubjectId) : [];
    if (mismatches.length > 0) {
      settle("refuted", `the badge at hand with its hash ${mismatches.join("; ")}`);
    } else if (!result.verified) {
      settle("claimed", `at hand, but it does not verify valid on its own (${result.status}${result.errors[0] ? `: ${result.errors[0]}` : ""})`);
    } else if (parent && found.get(node.parent!)?.confirmation !== "confirmed") {
      settle("claimed", `at hand and as stated, but it is part of "${parent.achievementName}", which is not confirmed`);
    } else if (parent && !atHand.get(node.parent!)?.stack?.components.some((entry) => entry.credentialHash.toLowerCase() === reference.credentialHash.toLowerCase())) {
      settle("refuted", `"${parent.achievementName}", at hand, does not list it among its components`);
    } else {
      settle("confirmed", "at hand: its hash is the one referenced, it verifies valid on its own, and its learner, achievement and issuer are the ones the stack states");
    }
  }
  return found;
}

/** How the component at hand differs from what its reference states (and the stack's learner). */
function mismatchesOf(reference: ComponentReference, credential: NonNullable<VerificationResult["credential"]>, subjectId: string | null): string[] {
  const compared: Array<[string, string | null, string | null]> = [
    ["is awarded to", credential.subjectId, subjectId],
    ["is for achievement", credential.achievementId, reference.achievementId],
    ["names its achievement", credential.achievementName, reference.achievementName],
    ["is issued by", credential.issuerId, reference.issuerId],
    ["has the id", credential.id, reference.credentialId],
    ["is valid from", credential.validFrom, reference.issuedAt],
  ];
  return compared
    .filter(([, actual, stated]) => actual !== stated)
    .map(([what, actual, stated]) => `${what} ${JSON.stringify(actual)}, the stack says ${JSON.stringify(stated)}`);
}

interface BuiltTree {
  tree: StackResult;
  /** Rules that the confirmed components do not meet where nothing else could: they refute the stack. */
  ruleProblems: string[];
}

function buildTree(stack: StackReferences, nodes: StackNode[], statuses: Map<StackNode, StackEntryResult>, confirmations: Map<StackNode, ComponentConfirmation>, context: StackCheckContext): BuiltTree {
  const nodeOf = (reference: PathwayReference | ComponentReference) => nodes.find((node) => node.reference === reference)!;
  const ruleProblems: string[] = [];
  const build = (current: StackReferences, awarded: { achievementId: string }): StackResult => {
    const components = current.components.map((component): StackComponentResult => {
      const node = nodeOf(component);
      return {
        ...statuses.get(node)!,
        credentialId: component.credentialId,
        achievementId: component.achievementId,
        achievementName: component.achievementName,
        issuerId: component.issuerId,
        issuedAt: component.issuedAt,
        ...confirmations.get(node)!,
        stack: component.stack && nodes.some((entry) => entry.reference === component.stack!.pathway) ? build(component.stack, component) : null,
      };
    });
    const counts = { confirmed: 0, claimed: 0, refuted: 0 };
    for (const component of components) {
      counts[component.confirmation]++;
      if (component.stack) for (const key of ["confirmed", "claimed", "refuted"] as const) counts[key] += component.stack.confirmation[key];
    }
    const rule = ruleOf(current.pathway, components, awarded, context);
    if (rule.met === false && (rule.refutes || components.every((component) => component.confirmation === "confirmed"))) {
      ruleProblems.push(`pathway "${current.pathway.name}": ${rule.detail}`);
    }
    return {
      pathway: { ...statuses.get(nodeOf(current.pathway))!, pathwayId: current.pathway.pathwayId, name: current.pathway.name },
      components,
      confirmation: counts,
      rule: { checked: rule.checked, met: rule.met, detail: rule.detail },
    };
  };
  return { tree: build(stack, { achievementId: context.topAchievementId }), ruleProblems };
}

/** The pathway's rule over the confirmed components, when its document is at hand. */
function ruleOf(pathway: PathwayReference, components: readonly StackComponentResult[], awarded: { achievementId: string }, context: StackCheckContext): StackRule & { refutes?: boolean } {
  const document = context.atHand?.pathway(pathway.credentialHash.toLowerCase() as Hex);
  if (document === undefined) return { checked: false, met: null, detail: "not re-checked: the pathway document is not at hand" };
  const parsed = parsePathway(document);
  if (!parsed.ok) return { checked: false, met: null, detail: "not re-checked: the pathway document at hand is not a valid pathway" };
  if (parsed.credential.achievement.id !== awarded.achievementId) {
    return { checked: true, met: false, refutes: true, detail: `the pathway awards ${parsed.credential.achievement.id}, not ${awarded.achievementId}` };
  }
  const earned: EarnedAchievement[] = components
    .filter((component) => component.confirmation === "confirmed" && component.status === "valid")
    .map(({ credentialId, achievementId, achievementName, issuerId, issuedAt }) => ({ credentialId, achievementId, achievementName, issuerId, issuedAt }));
  const progress = evaluatePathway(parsed.credential, earned, context.now());
  if (progress.complete) return { checked: true, met: true, detail: `its rule is met by the ${earned.length} confirmed component(s)` };
  const unmet = progress.requirements.filter((requirement) => !requirement.met).map((requirement) => `"${requirement.name}" needs ${requirement.needed} of ${requirement.missing.join(", ")}`);
  return { checked: true, met: false, detail: `its rule is not met by the ${earned.length} confirmed component(s): ${unmet.join("; ")}` };
}

/** Who states the components that are only claims: the stack's issuer, or a stack-in-a-stack's. */
function claimersOf(tree: StackResult): string[] {
  const claimers = new Set<string>();
  const visit = (current: StackResult) => {
    for (const component of current.components) {
      if (component.confirmation === "claimed") claimers.add(component.claimedBy);
      if (component.stack) visit(component.stack);
    }
  };
  visit(tree);
  return [...claimers];
}

function passDetail(stack: StackReferences, tree: StackResult, topProfileId: string): string {
  const { confirmed, claimed } = tree.confirmation;
  const total = confirmed + claimed;
  const anchored = `pathway "${stack.pathway.name}" and all ${total} component credential(s) are anchored and in good standing`;
  const rule = tree.rule.checked ? `; ${tree.rule.detail}` : "";
  if (claimed === 0) return `${anchored}; all ${total} are at hand and confirmed (learner, achievement and issuer as stated)${rule}`;
  const claimers = claimersOf(tree);
  return `${anchored}; ${confirmed} of ${total} confirmed; what the other ${claimed} are, and whose, are claims of ${claimers.length > 0 ? claimers.join(", ") : topProfileId}${rule}`;
}

function claimsWarning(tree: StackResult): string | undefined {
  const { confirmed, claimed } = tree.confirmation;
  if (claimed === 0) return undefined;
  return (
    `${claimed} of ${confirmed + claimed} stack components are claims of ${claimersOf(tree).join(", ")}: only their hashes were checked on the chain; ` +
    "send the component badges with the stack (in one portfolio) to confirm what they are and whose they are"
  );
}
