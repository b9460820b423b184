/**
 * Stacked credentials (DESIGN.md §8): an ordinary OB 3.0 credential for a pathway's achievement whose
 * `evidence` names the pathway and every component credential. Each such evidence item carries, in one
 * extension property, `anchoredCredential`, the reference the chain can check: the credential's hash and
 * where it is anchored (chain, registry, root, index, Merkle path). A component that is itself a stack
 * carries its own pathway and components inside its reference, so a whole tree (badge → certificate →
 * degree) travels in the top credential and is checked in one batched read. The JSON-LD context defining
 * these terms is contexts/stack-v1.jsonld (served by the verifier at /contexts/stack-v1.jsonld).
 *
 * Anchors are per issuer (registry 2.x), so every reference is read under an issuer's identity: a
 * component under its own issuer's (its `issuerId`, the component's `issuer.id` profile id), a pathway
 * under the identity of the stack that names it (see anchoringProfileId).
 *
 * lib/stack/: what stacking is made of — pathways (pathway.ts) and stacked credentials (this). Checking a
 * stack is part of the pipeline (lib/verify/stack-check.ts); building one is lib/stacking/.
 */
import { z } from "zod";

import { rootFromProof } from "../anchor/batch.js";
import type { Hex } from "../credential/canonical.js";
import { OB_V3_CONTEXT, VC_V2_CONTEXT, type DraftCredential, type OpenBadgeCredential } from "../credential/credential.js";
import type { Pathway } from "./pathway.js";
import type { AnchorProof } from "../anchor/proof.js";

export const STACK_CONTEXT = "https://credential-registry.example/contexts/stack-v1.jsonld";
export const STACK_PROPERTY = "anchoredCredential";
/** Stacks inside stacks are followed this deep at most (a degree of certificates of badges is 3). */
export const MAX_STACK_DEPTH = 4;
/** References a whole stack tree may hold: bounds the chain reads one credential can ask for. */
export const MAX_STACK_REFERENCES = 1_000;

const bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be 0x followed by 64 hex digits");
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be an address: 0x followed by 40 hex digits");

const anchorFields = {
  credentialHash: bytes32,
  chainId: z.number().int().positive(),
  registry: address,
  root: bytes32,
  leafIndex: z.number().int().nonnegative(),
  merklePath: z.array(bytes32).max(64, "is longer than any batch's path"),
};

export interface AnchorReference {
  credentialHash: Hex;
  chainId: number;
  registry: string;
  root: Hex;
  leafIndex: number;
  merklePath: Hex[];
}

export interface PathwayReference extends AnchorReference {
  role: "pathway";
  pathwayId: string;
  name: string;
}

export interface ComponentReference extends AnchorReference {
  role: "component";
  credentialId: string;
  achievementId: string;
  achievementName: string;
  /** The component's `issuer.id` (its issuer's profile id): the identity its anchor is read under. */
  issuerId: string;
  issuedAt: string;
  /** Present when the component is itself a stacked credential. */
  stack?: StackReferences;
}

export interface StackReferences {
  pathway: PathwayReference;
  components: ComponentReference[];
}

const pathwayReferenceSchema = z.object({
  role: z.literal("pathway"),
  pathwayId: z.string().min(1),
  name: z.string(),
  ...anchorFields,
});

const componentReferenceSchema: z.ZodType<ComponentReference> = z.lazy(() =>
  z.object({
    role: z.literal("component"),
    credentialId: z.string().min(1),
    achievementId: z.string().min(1),
    achievementName: z.string(),
    issuerId: z.string().min(1),
    issuedAt: z.string(),
    ...anchorFields,
    stack: stackReferencesSchema.optional(),
  }),
) as z.ZodType<ComponentReference>;

const stackReferencesSchema: z.ZodType<StackReferences> = z.lazy(() =>
  z.object({ pathway: pathwayReferenceSchema, components: z.array(componentReferenceSchema).min(1) }),
) as z.ZodType<StackReferences>;

const referenceSchema = z.discriminatedUnion("role", [pathwayReferenceSchema, componentReferenceSchema as never]);

export type FoundStack =
  | { kind: "none" }
  | { kind: "found"; stack: StackReferences }
  | { kind: "malformed"; problems: string[] };

/** The stack a credential's evidence describes, if any. */
export function findStack(credential: { evidence?: unknown }): FoundStack {
  const evidence = Array.isArray(credential.evidence) ? credential.evidence : [];
  const carrying = evidence
    .map((item, index) => ({ item: item as Record<string, unknown>, index }))
    .filter(({ item }) => typeof item === "object" && item !== null && STACK_PROPERTY in item);
  if (carrying.length === 0) return { kind: "none" };
  // Measured before the (recursive) schema walks it: a hostile tree nested thousands deep must be refused,
  // not exhaust the call stack.
  for (const { item } of carrying) {
    if (stackDepthOf(item[STACK_PROPERTY]) > MAX_STACK_DEPTH) return { kind: "malformed", problems: [`stacks are nested more than ${MAX_STACK_DEPTH} deep`] };
  }
  const problems: string[] = [];
  const pathways: PathwayReference[] = [];
  const components: ComponentReference[] = [];
  for (const { item, index } of carrying) {
    const parsed = referenceSchema.safeParse(item[STACK_PROPERTY]);
    if (!parsed.success) {
      problems.push(...parsed.error.issues.map((issue) => `evidence[${index}].${STACK_PROPERTY}${issue.path.map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`)).join("")} ${issue.message}`));
    } else if (parsed.data.role === "pathway") {
      pathways.push(parsed.data as PathwayReference);
    } else {
      components.push(parsed.data as unknown as ComponentReference);
    }
  }
  if (problems.length > 0) return { kind: "malformed", problems };
  if (pathways.length !== 1) return { kind: "malformed", problems: [`names ${pathways.length} pathways in its evidence; a stack names exactly one`] };
  if (components.length === 0) return { kind: "malformed", problems: ["names a pathway but no component credential"] };
  return { kind: "found", stack: { pathway: pathways[0], components } };
}

/** How deep `stack` properties nest under a reference (1: none), counted without recursion, stopping early. */
function stackDepthOf(reference: unknown): number {
  let deepest = 1;
  const pending: Array<{ value: unknown; depth: number }> = [{ value: reference, depth: 1 }];
  while (pending.length > 0) {
    const { value, depth } = pending.pop()!;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_STACK_DEPTH) return deepest;
    const stack = (value as { stack?: { components?: unknown } } | null)?.stack;
    if (stack && typeof stack === "object" && Array.isArray(stack.components)) {
      for (const component of stack.components) pending.push({ value: component, depth: depth + 1 });
    }
  }
  return deepest;
}

/** The reference to an anchored credential or pathway, from its anchor proof. */
export function referenceFromProof(credentialHash: Hex, proof: AnchorProof): AnchorReference {
  return {
    credentialHash,
    chainId: proof.chainId,
    registry: proof.registry,
    root: proof.root,
    leafIndex: proof.leafIndex,
    merklePath: proof.merklePath,
  };
}

/** A component's reference: where it is anchored, what it is, and — for a stack — its own tree. */
export function componentReference(credential: OpenBadgeCredential, anchor: AnchorReference): ComponentReference {
  const found = findStack(credential);
  return {
    role: "component",
    credentialId: credential.id,
    achievementId: credential.credentialSubject.achievement.id,
    achievementName: credential.credentialSubject.achievement.name,
    issuerId: typeof credential.issuer === "string" ? credential.issuer : credential.issuer.id,
    issuedAt: credential.validFrom,
    ...anchor,
    ...(found.kind === "found" ? { stack: found.stack } : {}),
  };
}

export interface StackDraftInput {
  pathway: Pathway;
  pathwayReference: AnchorReference;
  components: ComponentReference[];
  /** The learner: the subject id every component shares. */
  subjectId: string;
  issuedAt: Date;
}

/** The stacked credential, ready for `anchor`: the pathway's achievement, awarded with its evidence. */
export function stackDraft(input: StackDraftInput): DraftCredential {
  const { pathway } = input;
  const evidence = [
    {
      id: pathway.id,
      type: ["Evidence"],
      name: `Pathway: ${pathway.name}`,
      genre: "Pathway",
      [STACK_PROPERTY]: { role: "pathway", pathwayId: pathway.id, name: pathway.name, ...input.pathwayReference },
    },
    ...input.components.map((component) => ({
      id: component.credentialId,
      type: ["Evidence"],
      name: component.achievementName,
      genre: "Component credential",
      description: `${component.achievementName}, issued ${component.issuedAt.slice(0, 10)} by ${component.issuerId}`,
      [STACK_PROPERTY]: component,
    })),
  ];
  return {
    "@context": [VC_V2_CONTEXT, OB_V3_CONTEXT, STACK_CONTEXT],
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    name: pathway.achievement.name,
    description: pathway.description ?? pathway.achievement.description,
    issuer: pathway.issuer,
    validFrom: input.issuedAt.toISOString().replace(/\.\d{3}Z$/, "Z"),
    credentialSubject: { id: input.subjectId, type: ["AchievementSubject"], achievement: pathway.achievement },
    evidence,
  } as DraftCredential;
}

/** One reference of a stack's tree, with the path that leads to it (for messages and cycle checks). */
export interface StackNode {
  reference: PathwayReference | ComponentReference;
  depth: number;
  /** Credential hashes from the top credential down to this node's parent. */
  ancestors: Hex[];
  /** The component whose stack this node belongs to; undefined for the top credential's own stack. */
  parent?: StackNode;
}

export type FlattenedStack = { ok: true; nodes: StackNode[] } | { ok: false; problem: string };

/**
 * Every reference of the tree under a stacked credential (its own hash `topHash`), depth first, refusing a
 * cycle (a credential among its own components, however deep) and a tree deeper than MAX_STACK_DEPTH.
 */
export function flattenStack(topHash: Hex, stack: StackReferences): FlattenedStack {
  const nodes: StackNode[] = [];
  const visit = (current: StackReferences, depth: number, ancestors: Hex[], parent?: StackNode): string | undefined => {
    if (depth > MAX_STACK_DEPTH) return `stacks are nested more than ${MAX_STACK_DEPTH} deep`;
    nodes.push({ reference: current.pathway, depth, ancestors, parent });
    for (const component of current.components) {
      if (nodes.length >= MAX_STACK_REFERENCES) return `the stack holds more than ${MAX_STACK_REFERENCES} references`;
      const hash = component.credentialHash.toLowerCase() as Hex;
      if (ancestors.includes(hash)) return `component ${component.credentialId} contains itself (a cycle of stacks)`;
      const node: StackNode = { reference: component, depth, ancestors, parent };
      nodes.push(node);
      if (component.stack) {
        const problem = visit(component.stack, depth + 1, [...ancestors, hash], node);
        if (problem) return problem;
      }
    }
    return undefined;
  };
  const problem = visit(stack, 1, [topHash.toLowerCase() as Hex]);
  return problem ? { ok: false, problem } : { ok: true, nodes };
}

/**
 * The profile id whose anchors hold `node`'s reference: a component's own issuer; a pathway's, the issuer of
 * the stack naming it — `topProfileId` (the stacked credential's issuer.id) for the top stack, the parent
 * component's issuer for a stack inside a stack. A pathway is only ever found among its awarding issuer's
 * anchors, so a stack cannot borrow a pathway another issuer published.
 */
export function anchoringProfileId(node: StackNode, topProfileId: string): string {
  if (node.reference.role === "component") return node.reference.issuerId;
  const parent = node.parent?.reference;
  return parent?.role === "component" ? parent.issuerId : topProfileId;
}

/** Whether a reference's hash and Merkle path give its root. */
export function referenceIsIntact(reference: AnchorReference): boolean {
  return rootFromProof(reference.leafIndex, reference.credentialHash, reference.merklePath) === reference.root.toLowerCase();
}

/** How a reference is named in messages. */
export function describeReference(reference: PathwayReference | ComponentReference): string {
  return reference.role === "pathway" ? `pathway "${reference.name}" (${reference.pathwayId})` : `component "${reference.achievementName}" (${reference.credentialId})`;
}
