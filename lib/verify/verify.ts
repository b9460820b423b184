/**
 * The verification pipeline (DESIGN.md §5), shared by the `credentials verify` command, the HTTP service
 * and the web page. It takes everything it needs as arguments — a way to read the registry on a trusted
 * chain, and a clock — so it runs the same with a real chain or a test double.
 *
 * Nine named checks run in order; each passes, fails or is skipped (when a check it needs failed):
 *   format → signature → proof → integrity → anchor → issuer → status → stack (stacked credentials only,
 *   see stack-check.ts), and validity (which needs only the format).
 * The signature check (signature-check.ts) runs beside the chain read, not after it: its verdict depends on
 * what the anchor says (a key that cannot be fetched is a warning when the anchor vouches for the badge),
 * and its CPU overlaps the round trip.
 * Every chain read is by (issuerId, root, index), issuerId = keccak256(utf8(issuer.id)) (registry 2.x): a
 * root is only ever read under the identity the badge names, so another issuer anchoring the same root —
 * or a badge claiming someone else's issuer.id — changes nothing for it.
 * The result's status is the most serious failure (see STATUS_PRIORITY), or `valid` when all pass.
 * Fail closed: when the chain cannot be read the status is `unavailable`, never `valid`.
 *
 * lib/verify/: the verification pipeline — this and its stack check (stack-check.ts), which need each other.
 */
import { rootFromProof } from "../anchor/batch.js";
import { credentialHash, type Hex } from "../credential/canonical.js";
import { issuerIdOf, parseCredential, type OpenBadgeCredential } from "../credential/credential.js";
import { issuerIdOfProfile } from "../credential/profile-id.js";
import { findAnchorProof, type AnchorProof } from "../anchor/proof.js";
import { findStack } from "../stack/stack.js";
import { checkStack, type AtHand, type StackResult } from "./stack-check.js";
import { checkSignature, judgeSignature, type SignatureFacts, type SignatureOptions } from "./signature-check.js";
import { CESSATION_OF_OPERATION, reasonName, type ReasonName } from "../credential/reasons.js";
import { readStatusEntries, type ComparableEntry, type StatusEntry } from "./status-entries.js";
import { compareStatusLists, readStatusLists, type ListReading, type StatusListComparison, type StatusListFetcher } from "./status-lists.js";
import type { TrustVerdict } from "./trust-policy.js";

export type VerificationStatus =
  | "valid"
  | "revoked"
  | "suspended"
  | "expired"
  | "not-yet-valid"
  | "tampered"
  | "unanchored"
  | "unknown-anchor"
  | "issuer-mismatch"
  | "unsupported-chain"
  | "untrusted-registry"
  | "stack-incomplete"
  | "malformed"
  | "unavailable";

/** Most serious first: a result's status is the first of these that some failed check gives. */
export const STATUS_PRIORITY: readonly VerificationStatus[] = [
  "malformed",
  "tampered",
  "unsupported-chain",
  "untrusted-registry",
  "unavailable",
  "unanchored",
  "unknown-anchor",
  "issuer-mismatch",
  "revoked",
  "suspended",
  "stack-incomplete",
  "expired",
  "not-yet-valid",
];

export type CheckName = "format" | "signature" | "proof" | "integrity" | "anchor" | "issuer" | "status" | "stack" | "validity";
export const CHECK_ORDER: readonly CheckName[] = ["format", "signature", "proof", "integrity", "anchor", "issuer", "status", "stack", "validity"];

export interface Check {
  name: CheckName;
  result: "pass" | "fail" | "skip";
  detail: string;
}

export type IssuerStatusName = "none" | "active" | "suspended" | "withdrawn";
export const ISSUER_STATUS_NAMES: readonly IssuerStatusName[] = ["none", "active", "suspended", "withdrawn"];

/** The registry's `credentialStatus(issuerId, root, index)` answer (registry 2.x), as a chain reader returns it. */
export interface OnChainCredentialStatus {
  anchored: boolean;
  inRange: boolean;
  revoked: boolean;
  suspended: boolean;
  batchRevoked: boolean;
  /** The acting key was declared compromised since a time at or before the anchor: the credential reads revoked. */
  keyCompromised: boolean;
  /** The controller or operator that anchored the batch. */
  actingKey: string;
  anchoredAt: number;
  count: number;
  /** Unix time the acting key was declared compromised since; 0 when never. */
  keyCompromisedSince: number;
  issuerStatus: IssuerStatusName;
  issuerStatusReason: number;
  issuerStatusSince: number;
  /** The issuer's controller now (zero while it has none). */
  controller: string;
}

/** The registry's `credentialStatus` struct as an ABI decoder returns it (uints as number or bigint). */
export interface RawCredentialStatus {
  anchored: boolean;
  inRange: boolean;
  revoked: boolean;
  suspended: boolean;
  batchRevoked: boolean;
  keyCompromised: boolean;
  actingKey: string;
  anchoredAt: number | bigint;
  count: number | bigint;
  keyCompromisedSince: number | bigint;
  issuerStatus: number | bigint;
  issuerStatusReason: number | bigint;
  issuerStatusSince: number | bigint;
  controller: string;
}

/** The decoded struct in the pipeline's terms (numbers, and the issuer status by name). */
export function fromRawCredentialStatus(raw: RawCredentialStatus): OnChainCredentialStatus {
  return {
    anchored: raw.anchored,
    inRange: raw.inRange,
    revoked: raw.revoked,
    suspended: raw.suspended,
    batchRevoked: raw.batchRevoked,
    keyCompromised: raw.keyCompromised,
    actingKey: raw.actingKey,
    anchoredAt: Number(raw.anchoredAt),
    count: Number(raw.count),
    keyCompromisedSince: Number(raw.keyCompromisedSince),
    issuerStatus: ISSUER_STATUS_NAMES[Number(raw.issuerStatus)],
    issuerStatusReason: Number(raw.issuerStatusReason),
    issuerStatusSince: Number(raw.issuerStatusSince),
    controller: raw.controller,
  };
}

/** One credential's place in the registry: the anchor (issuerId, root) and its index in the batch. */
export interface CredentialLocation {
  issuerId: Hex;
  root: Hex;
  index: bigint;
}

/** Reads one registry (2.x) on one chain. Implementations: ethers (commands), viem (server). */
export interface RegistryReader {
  credentialStatus(issuerId: Hex, root: Hex, index: bigint): Promise<OnChainCredentialStatus>;
  /** Many at once, in one round trip (the registry's multicall), answers in the order asked. */
  credentialStatuses?(items: ReadonlyArray<CredentialLocation>): Promise<OnChainCredentialStatus[]>;
  /**
   * When, why and by whom a credential was revoked or suspended (or its batch revoked): the registry keeps
   * only the bit in its state, and the reason and time in its events. Null when no such event is found.
   */
  statusChange?(issuerId: Hex, root: Hex, index: bigint, change: StatusChangeKind): Promise<StatusChange | null>;
}

export type StatusChangeKind = "revoked" | "suspended" | "batch-revoked";

/** The registry event that made a credential revoked or suspended (the last one, for a suspension). */
export interface StatusChange {
  change: StatusChangeKind;
  reason: string;
  /** The time of its block. */
  at: string;
  /** The key that sent it. */
  actor: string;
  transactionHash: Hex;
  blockNumber: number;
}

export interface VerifyOptions extends SignatureOptions {
  /** The reader for a registry this verifier trusts, or undefined when (chainId, registry) is not trusted. */
  readerFor(chainId: number, registry: string): RegistryReader | undefined;
  /** The current time. */
  now(): Date;
  /** Largest credential accepted, in bytes of JSON (default 256 KiB). */
  maxBytes?: number;
  /**
   * The size of the JSON text the input was read from, when the caller has it (a request body holding it
   * will do): the size check takes it rather than serializing the input again to count its bytes.
   */
  inputBytes?: number;
  /**
   * Fetches the Bitstring Status Lists a badge names (status-lists.ts), to warn when one disagrees with the
   * chain; without it no list is fetched and `statusLists` lists only what was not compared.
   */
  statusLists?: StatusListFetcher;
  /** Whether the registry may vouch for this issuer (the trust policy, trust-policy.ts); without it, any trusted registry for any issuer. */
  trustIssuer?(chainId: number, registry: string, profileId: string): Promise<TrustVerdict>;
  /**
   * The documents this credential travels with (a portfolio's others): a stack's components found here
   * are confirmed, not only claimed (stack-check.ts). Without it, every component is a claim.
   */
  atHand?: AtHand;
}

/**
 * Who issued a badge, as far as anyone checked: `id` is its issuer.id (the identity the registry's anchor
 * and the signature are read under); `verifiedName` the name the issuer's own DID / controller document
 * gives, when its signature verified with a key of that document (null otherwise, or when it gives none);
 * `statedName` the name the badge gives itself — anyone can write any name there, so it is shown only as
 * "as stated by the badge", never as who issued it.
 */
export interface IssuerNaming {
  id: string;
  verifiedName: string | null;
  statedName: string | null;
}

export interface VerificationResult {
  verified: boolean;
  status: VerificationStatus;
  checks: Check[];
  warnings: string[];
  errors: string[];
  credentialHash: Hex | null;
  anchor: {
    chainId: number;
    registry: string;
    root: Hex;
    leafIndex: number;
    /** The identity the batch is anchored under: keccak256 of the badge's issuer.id. */
    issuerId: Hex;
    /** The issuer's key (controller or operator) that anchored the batch. */
    actingKey: string;
    anchoredAt: string;
    count: number;
    batchRevoked: boolean;
    /** The acting key was declared compromised since a time at or before the anchor: the batch reads revoked. */
    keyCompromised: boolean;
    /** Since when the acting key is declared compromised (whether or not that cuts this anchor off); null when never. */
    keyCompromisedSince: string | null;
  } | null;
  issuer: {
    profileId: string;
    issuerId: Hex;
    /** The issuer's controller now; null while it has none (its controller was declared compromised, not yet recovered). */
    controller: string | null;
    status: IssuerStatusName;
    statusSince: string;
    statusReason: string;
  } | null;
  credential: {
    id: string;
    name: string | null;
    issuer: IssuerNaming;
    subjectId: string | null;
    achievementName: string;
    achievementDescription: string;
    achievementId: string;
    achievementType: string | null;
    alignments: Array<{ targetName: string; targetUrl: string; targetFramework: string | null; targetCode: string | null }>;
    issuerId: string;
    validFrom: string;
    validUntil: string | null;
  } | null;
  /** For a stacked credential: its pathway and components (a tree for stacks of stacks), each with its standing. */
  stack: StackResult | null;
  /** Who signed it, when a Data Integrity signature verified; null otherwise. */
  signature: SignatureFacts | null;
  /**
   * The badge's status entries and, once the chain was read, what each published list says beside the
   * chain (which decides): empty for a badge with none, or when the chain was not read.
   */
  statusLists: StatusListComparison[];
  /** For a credential revoked or suspended by its issuer: when, why and by whom, from the registry's event; null otherwise or when not read. */
  statusChange: StatusChange | null;
}

export const DEFAULT_MAX_CREDENTIAL_BYTES = 256 * 1024;

/** The reason a key-compromise cut-off gives (the registry's reason code 4). */
const KEY_COMPROMISE: ReasonName = "key-compromise";

class Pipeline {
  readonly checks = new Map<CheckName, Check>();
  readonly failures: VerificationStatus[] = [];
  readonly warnings: string[] = [];

  pass(name: CheckName, detail: string): void {
    this.checks.set(name, { name, result: "pass", detail });
  }

  skip(name: CheckName, detail: string): void {
    this.checks.set(name, { name, result: "skip", detail });
  }

  fail(name: CheckName, status: VerificationStatus, detail: string): void {
    this.checks.set(name, { name, result: "fail", detail });
    this.failures.push(status);
  }

  passed(name: CheckName): boolean {
    return this.checks.get(name)?.result === "pass";
  }

  result(
    credentialHashValue: Hex | null,
    anchor: VerificationResult["anchor"],
    issuer: VerificationResult["issuer"],
    credential: VerificationResult["credential"],
    stack: StackResult | null = null,
    signature: SignatureFacts | null = null,
    statusLists: StatusListComparison[] = [],
    statusChange: StatusChange | null = null,
  ): VerificationResult {
    const checks = CHECK_ORDER.map(
      (name) => this.checks.get(name) ?? { name, result: "skip" as const, detail: `not checked: ${blockerOf(name, this)} did not pass` },
    );
    const status = STATUS_PRIORITY.find((candidate) => this.failures.includes(candidate)) ?? "valid";
    return {
      verified: status === "valid",
      status,
      checks,
      warnings: this.warnings,
      errors: checks.filter((check) => check.result === "fail").map((check) => `${check.name}: ${check.detail}`),
      credentialHash: credentialHashValue,
      anchor,
      issuer,
      credential,
      stack,
      signature,
      statusLists,
      statusChange,
    };
  }
}

const PREREQUISITES: Record<CheckName, CheckName[]> = {
  format: [],
  signature: ["format"],
  proof: ["format"],
  integrity: ["format", "proof"],
  anchor: ["format", "proof"],
  issuer: ["format", "proof", "anchor"],
  status: ["format", "proof", "anchor"],
  stack: ["format", "proof", "anchor"],
  validity: ["format"],
};

function blockerOf(name: CheckName, pipeline: Pipeline): string {
  return PREREQUISITES[name].find((prerequisite) => !pipeline.passed(prerequisite)) ?? "a previous check";
}

/** Runs every check on `input` (a parsed JSON value) and returns the verdict with its reasons. */
export async function verifyCredential(input: unknown, options: VerifyOptions): Promise<VerificationResult> {
  const pipeline = new Pipeline();

  // 1. format
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_CREDENTIAL_BYTES;
  const size = options.inputBytes ?? jsonSize(input);
  if (size === undefined || size > maxBytes) {
    pipeline.fail("format", "malformed", size === undefined ? "is not JSON" : `is ${size} bytes; the limit is ${maxBytes}`);
    return pipeline.result(null, null, null, null);
  }
  const parsed = parseCredential(input);
  if (!parsed.ok) {
    const listed = parsed.problems.slice(0, 10).map((problem) => `${problem.path} ${problem.message}`);
    const more = parsed.problems.length > 10 ? `; and ${parsed.problems.length - 10} more` : "";
    pipeline.fail("format", "malformed", `not an Open Badges 3.0 credential: ${listed.join("; ")}${more}`);
    return pipeline.result(null, null, null, null);
  }
  // The credential as given, not as the schema library hands it back (which drops what it does not keep,
  // such as a "__proto__" member): the hash and every check are of the document read from the bytes.
  // The schema has no transforms, so the input has the schema's shape.
  const credential = input as OpenBadgeCredential;
  const status = readStatusEntries((credential as { credentialStatus?: unknown }).credentialStatus);
  if (!status.ok) {
    pipeline.fail("format", "malformed", `not a W3C VC 2.0 credential: ${status.problems.join("; ")}`);
    return pipeline.result(null, null, null, null);
  }
  let hash: Hex;
  try {
    hash = credentialHash(credential);
  } catch (error) {
    pipeline.fail("format", "malformed", (error as Error).message);
    return pipeline.result(null, null, null, null);
  }
  pipeline.pass("format", "an Open Badges 3.0 OpenBadgeCredential (W3C VC 2.0)");
  const summary = summarise(credential);

  // 9. validity needs nothing but the credential and the clock.
  checkValidity(pipeline, credential, options.now());

  // 2. signature: started now, judged once the anchor has been read.
  const signing = checkSignature(credential, options);
  const chain = await checkOnChain(pipeline, credential, hash, options, status.entries);
  const verdict = judgeSignature(await signing, {
    anchorProof: typeof chain.anchorProof === "object" ? { chainId: chain.anchorProof.chainId } : chain.anchorProof,
    anchorPassed: pipeline.passed("anchor") && pipeline.passed("integrity"),
    controller: chain.issuer === null ? undefined : chain.issuer.controller,
    profileId: issuerIdOf(credential),
  });
  const { check } = verdict;
  if (check.result === "pass") pipeline.pass("signature", check.detail);
  else if (check.result === "skip") pipeline.skip("signature", check.detail);
  else pipeline.fail("signature", check.status ?? "tampered", check.detail);
  if (verdict.proof) pipeline.fail("proof", verdict.proof.status, verdict.proof.detail);
  pipeline.warnings.push(...verdict.warnings);
  if (check.result === "pass") summary.issuer.verifiedName = verdict.facts?.signerName ?? null;
  // The lists are compared only once the chain has answered: the chain decides, a list can only disagree.
  let statusLists: StatusListComparison[] = [];
  if (chain.onChain) {
    const compared = compareStatusLists(status.entries, chain.lists === undefined ? undefined : await chain.lists, chain.onChain);
    statusLists = compared.comparisons;
    pipeline.warnings.push(...compared.warnings);
  }
  return pipeline.result(hash, chain.anchor, chain.issuer, summary, chain.tree, verdict.facts, statusLists, chain.statusChange ?? null);
}

interface ChainOutcome {
  /** The anchor proof found: "missing" when the badge carries none (then the signature decides). */
  anchorProof: AnchorProof | "missing" | "unusable";
  anchor: VerificationResult["anchor"];
  issuer: VerificationResult["issuer"];
  tree: StackResult | null;
  /** The registry's answer, when the badge's anchor was found on chain. */
  onChain?: OnChainCredentialStatus;
  /** The status lists being read (started once the anchor proof names a trusted registry). */
  lists?: Promise<ListReading[]>;
  statusChange?: StatusChange | null;
}

/** Checks 3–8: the anchor proof, the Merkle path, and what the registry says of the badge. */
async function checkOnChain(pipeline: Pipeline, credential: OpenBadgeCredential, hash: Hex, options: VerifyOptions, entries: readonly StatusEntry[]): Promise<ChainOutcome> {
  const nothing = (anchorProof: ChainOutcome["anchorProof"]): ChainOutcome => ({ anchorProof, anchor: null, issuer: null, tree: null });
  // 3. proof
  const found = findAnchorProof(credential);
  // No anchor proof: the proof check's verdict (unanchored or unknown-anchor) waits for the signature's.
  if (found.kind === "missing") return nothing("missing");
  if (found.kind !== "found") {
    pipeline.fail(
      "proof",
      "malformed",
      found.kind === "malformed" ? `anchor proof is malformed: ${found.problems.join("; ")}` : `carries ${found.count} anchor proofs; expected one`,
    );
    return nothing("unusable");
  }
  const proof = found.proof;
  const reader = options.readerFor(proof.chainId, proof.registry);
  if (reader === undefined) {
    pipeline.fail("proof", "unsupported-chain", `registry ${proof.registry} on chain ${proof.chainId} is not one this verifier trusts`);
    return nothing(proof);
  }
  pipeline.pass("proof", `anchor proof for registry ${proof.registry} on chain ${proof.chainId}`);
  // Fetched beside the chain read (never before a trusted registry is named: a badge of an untrusted chain
  // makes this verifier fetch nothing); read once the chain has answered.
  const comparable = entries.filter((entry): entry is ComparableEntry => entry.kind === "compare");
  const lists = options.statusLists
    ? readStatusLists(comparable, { fetcher: options.statusLists, issuer: issuerIdOf(credential), resolver: options.resolver, loader: options.loader })
    : undefined;

  // 4. integrity
  if (rootFromProof(proof.leafIndex, hash, proof.merklePath) === proof.root.toLowerCase()) {
    pipeline.pass("integrity", `credential hash ${hash} and its Merkle path give root ${proof.root}`);
  } else {
    pipeline.fail("integrity", "tampered", "the credential's content and Merkle path do not give the anchored root: it was altered");
  }

  // 5. anchor: read under the identity the badge names, never under whoever anchored the root.
  const profileId = issuerIdOf(credential);
  const issuerId = issuerIdOfProfile(profileId);
  let onChain: OnChainCredentialStatus;
  let trust: TrustVerdict | undefined;
  try {
    [onChain, trust] = await Promise.all([reader.credentialStatus(issuerId, proof.root, BigInt(proof.leafIndex)), options.trustIssuer?.(proof.chainId, proof.registry, profileId)]);
  } catch (error) {
    pipeline.fail("anchor", "unavailable", `cannot read the registry on chain ${proof.chainId}: ${errorMessage(error)}`);
    return nothing(proof);
  }
  // A registry the policy does not trust for this issuer vouches for nothing it says of it.
  if (trust?.trusted === false) {
    pipeline.fail("proof", "untrusted-registry", trust.detail);
    return nothing(proof);
  }
  if (!onChain.anchored) {
    pipeline.fail("anchor", "unknown-anchor", `root ${proof.root} is not anchored by ${profileId} (issuer id ${issuerId}) in registry ${proof.registry}`);
    return nothing(proof);
  }
  const anchor = anchorOf(proof, issuerId, onChain);
  if (!onChain.inRange) {
    pipeline.fail("anchor", "tampered", `index ${proof.leafIndex} is beyond the batch's ${onChain.count} credentials`);
  } else {
    pipeline.pass("anchor", `anchored ${anchor.anchoredAt} by ${profileId} with key ${onChain.actingKey} (batch of ${onChain.count})`);
  }

  // 6. issuer
  const issuer = {
    profileId,
    issuerId,
    controller: /^0x0{40}$/.test(onChain.controller) ? null : onChain.controller,
    status: onChain.issuerStatus,
    statusSince: isoTime(onChain.issuerStatusSince),
    statusReason: reasonName(onChain.issuerStatusReason),
  };
  checkIssuer(pipeline, profileId, onChain, anchor.anchoredAt);

  // 7. status (and, for a revoked or suspended credential, when and why: the registry's event says)
  let statusChange: StatusChange | null = null;
  if (onChain.revoked || onChain.batchRevoked || onChain.suspended) {
    const change: StatusChangeKind = onChain.batchRevoked ? "batch-revoked" : onChain.revoked ? "revoked" : "suspended";
    try {
      statusChange = (await reader.statusChange?.(issuerId, proof.root, BigInt(proof.leafIndex), change)) ?? null;
    } catch (error) {
      pipeline.warnings.push(`when and why the credential was ${change === "suspended" ? "suspended" : "revoked"} could not be read: ${errorMessage(error)}`);
    }
    const when = statusChange ? ` on ${statusChange.at} (reason: ${statusChange.reason})` : "";
    const what = { "batch-revoked": "the issuer revoked the whole batch", revoked: "the issuer revoked this credential", suspended: "the issuer suspended this credential" }[change];
    pipeline.fail("status", change === "suspended" ? "suspended" : "revoked", `${what}${when}`);
  } else {
    pipeline.pass("status", "neither revoked nor suspended");
  }

  // 8. stack
  const stack = findStack(credential);
  let tree: StackResult | null = null;
  if (stack.kind === "none") {
    pipeline.skip("stack", "not a stacked credential");
  } else if (stack.kind === "malformed") {
    pipeline.fail("stack", "malformed", `the stack's references are malformed: ${stack.problems.slice(0, 5).join("; ")}`);
  } else {
    const outcome = await checkStack(stack.stack, {
      topHash: hash,
      topProfileId: profileId,
      topSubjectId: credential.credentialSubject.id ?? null,
      topAchievementId: credential.credentialSubject.achievement.id,
      readerFor: options.readerFor,
      atHand: options.atHand,
      trustIssuer: options.trustIssuer,
      now: options.now,
    });
    tree = outcome.tree;
    if (outcome.result === "pass") pipeline.pass("stack", outcome.detail);
    else pipeline.fail("stack", outcome.status!, outcome.detail);
    if (outcome.warning) pipeline.warnings.push(outcome.warning);
  }

  return { anchorProof: proof, anchor, issuer, tree, onChain, lists, statusChange };
}

function checkIssuer(pipeline: Pipeline, profileId: string, onChain: OnChainCredentialStatus, anchoredAt: string): void {
  const compromise = keyCompromiseStanding(onChain);
  if (compromise) {
    pipeline.fail("issuer", "revoked", compromise.detail);
    return;
  }
  const standing = issuerStanding(onChain);
  if (standing.status === "valid") {
    pipeline.pass("issuer", `"${profileId}" is a registered${onChain.issuerStatus === "active" ? ", active" : ""} issuer; key ${onChain.actingKey} anchored the batch uncompromised`);
    if (standing.warning) pipeline.warnings.push(`${standing.warning}; this credential was anchored before, on ${anchoredAt}`);
  } else {
    pipeline.fail("issuer", standing.status, standing.detail);
  }
}

export interface Standing {
  status: "valid" | "revoked" | "suspended";
  detail: string;
  warning?: string;
}

/**
 * Whether the acting key's compromise cuts this anchor off: the registry's `keyCompromised` (the key was
 * declared compromised since a time at or before the anchor) makes the credential revoked, reason
 * key-compromise — the forgeries of a stolen key, told apart from the genuine badges anchored before.
 */
export function keyCompromiseStanding(onChain: OnChainCredentialStatus): Standing | undefined {
  if (!onChain.keyCompromised) return undefined;
  return {
    status: "revoked",
    detail: `key ${onChain.actingKey}, which anchored this batch on ${isoTime(onChain.anchoredAt)}, was declared compromised since ${isoTime(onChain.keyCompromisedSince)} (${KEY_COMPROMISE})`,
  };
}

/**
 * What the anchoring issuer's accreditation means for a credential it anchored: active → fine;
 * suspended → suspended; withdrawn for cessation of operation, for a credential anchored before → fine
 * with a warning (as with Blockcerts' key revocation dates); withdrawn for any other reason → revoked.
 */
export function issuerStanding(onChain: OnChainCredentialStatus): Standing {
  const since = isoTime(onChain.issuerStatusSince);
  const reason = reasonName(onChain.issuerStatusReason);
  switch (onChain.issuerStatus) {
    case "active":
      return { status: "valid", detail: "the issuer is active" };
    case "suspended":
      return { status: "suspended", detail: `the issuer's accreditation is suspended since ${since} (${reason})` };
    default:
      if (onChain.issuerStatusReason === CESSATION_OF_OPERATION && onChain.anchoredAt < onChain.issuerStatusSince) {
        return { status: "valid", detail: "the issuer ceased operation after anchoring", warning: `the issuer ceased operation on ${since}` };
      }
      return { status: "revoked", detail: `the issuer's accreditation was withdrawn on ${since} (${reason})` };
  }
}

/**
 * The standing of an anchored credential from the chain alone — revocation, suspension, the issuer's
 * accreditation — for checks by hash, where there is no credential to inspect.
 */
export function onChainStanding(onChain: OnChainCredentialStatus): Standing {
  const compromise = keyCompromiseStanding(onChain);
  if (compromise) return compromise;
  if (onChain.revoked || onChain.batchRevoked) {
    return { status: "revoked", detail: onChain.batchRevoked ? "the issuer revoked the whole batch" : "the issuer revoked this credential" };
  }
  const issuer = issuerStanding(onChain);
  if (issuer.status === "revoked") return issuer;
  if (onChain.suspended) return { status: "suspended", detail: "the issuer suspended this credential" };
  return issuer;
}

function checkValidity(pipeline: Pipeline, credential: OpenBadgeCredential, now: Date): void {
  const validFrom = Date.parse(credential.validFrom);
  const validUntil = credential.validUntil === undefined ? undefined : Date.parse(credential.validUntil);
  if (now.getTime() < validFrom) {
    pipeline.fail("validity", "not-yet-valid", `valid from ${credential.validFrom}, not yet`);
  } else if (validUntil !== undefined && now.getTime() > validUntil) {
    pipeline.fail("validity", "expired", `expired on ${credential.validUntil}`);
  } else {
    pipeline.pass("validity", `valid from ${credential.validFrom}${validUntil === undefined ? "" : ` until ${credential.validUntil}`}`);
  }
}

function anchorOf(proof: AnchorProof, issuerId: Hex, onChain: OnChainCredentialStatus): NonNullable<VerificationResult["anchor"]> {
  return {
    chainId: proof.chainId,
    registry: proof.registry,
    root: proof.root,
    leafIndex: proof.leafIndex,
    issuerId,
    actingKey: onChain.actingKey,
    anchoredAt: isoTime(onChain.anchoredAt),
    count: onChain.count,
    batchRevoked: onChain.batchRevoked,
    keyCompromised: onChain.keyCompromised,
    keyCompromisedSince: onChain.keyCompromisedSince === 0 ? null : isoTime(onChain.keyCompromisedSince),
  };
}

function summarise(credential: OpenBadgeCredential): NonNullable<VerificationResult["credential"]> {
  const achievement = credential.credentialSubject.achievement;
  return {
    id: credential.id,
    name: credential.name ?? null,
    // The verified name is filled in once the signature is judged.
    issuer: { id: issuerIdOf(credential), verifiedName: null, statedName: typeof credential.issuer === "string" ? null : (credential.issuer.name ?? null) },
    subjectId: credential.credentialSubject.id ?? null,
    achievementName: achievement.name,
    achievementDescription: achievement.description,
    achievementId: achievement.id,
    achievementType: achievement.achievementType ?? null,
    alignments: (achievement.alignment ?? []).map((alignment) => ({
      targetName: alignment.targetName,
      targetUrl: alignment.targetUrl,
      targetFramework: alignment.targetFramework ?? null,
      targetCode: alignment.targetCode ?? null,
    })),
    issuerId: issuerIdOf(credential),
    validFrom: credential.validFrom,
    validUntil: credential.validUntil ?? null,
  };
}

function jsonSize(input: unknown): number | undefined {
  try {
    const text = JSON.stringify(input);
    // Measured, not encoded: Buffer.byteLength counts the UTF-8 bytes without making them.
    return text === undefined ? undefined : Buffer.byteLength(text, "utf8");
  } catch {
    return undefined;
  }
}

export function isoTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString();
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message.split("\n")[0] : String(error);
}

