/**
 * The `signature` check of the verification pipeline (DESIGN.md §5, check 2): every Data Integrity proof
 * verifies with a key of `issuer.id` (lib/signature/verify-proofs.ts does the cryptography; keys are found
 * through the ControllerResolver and contexts through the DocumentLoader the caller passes — the shell's
 * fetch DID documents, these defaults do no I/O: did:key and the bundled contexts only).
 *
 * What the outcome means depends on the anchor, so it is judged once the chain has been read:
 *   signed, verifies          → pass; with no anchor proof at all the badge is `unanchored` (signed, but
 *                               recorded in no registry this verifier trusts: a badge of another platform);
 *   signature does not verify → `tampered`; a key not of issuer.id → `issuer-mismatch`;
 *   no Data Integrity proof   → skip with a warning (other verifiers refuse such a badge); the anchor decides;
 *   key not fetchable         → skip with a warning when the anchor vouches for the badge, else `unavailable`.
 * A did:web / https issuer whose document lists a `blockchainAccountId` (CAIP-10) for the anchor's chain
 * must name the registry's controller of that identity there, else `issuer-mismatch`: the DID and the
 * registry must name each other.
 */
import { contextLoader, type DocumentLoader, type JsonLdObject } from "../signature/contexts.js";
import { blockchainAccountIdsOf } from "../signature/controller-document.js";
import { didKeyDocument } from "../signature/did-key.js";
import { verifyDataIntegrityProofs, type ControllerResolver, type SignatureOutcome } from "../signature/verify-proofs.js";

export interface SignatureOptions {
  /** Finds an issuer's DID / controller document (default: did:key only, computed locally). */
  resolver?: ControllerResolver;
  /** JSON-LD contexts (default: the bundled ones only). */
  loader?: DocumentLoader;
}

export interface Signer {
  verificationMethod: string;
  controller: string;
  cryptosuite: string;
}

/** Who signed a badge whose signature verified. */
export interface SignatureFacts {
  signers: Signer[];
  /** The `name` the signer's own DID / controller document gives, if any — never what the badge claims. */
  signerName: string | null;
}

/** What the judgement needs from the chain checks. */
export interface AnchorContext {
  /** The anchor proof's chain, or "missing" (the badge carries none), or "unusable" (malformed, ambiguous). */
  anchorProof: { chainId: number } | "missing" | "unusable";
  /** The integrity and anchor checks passed: the registry vouches for this content. */
  anchorPassed: boolean;
  /** The registry's controller of the badge's issuer identity now: null when it has none, undefined when unread. */
  controller: string | null | undefined;
  profileId: string;
}

export interface SignatureVerdict {
  check: { result: "pass" | "fail" | "skip"; status?: "tampered" | "issuer-mismatch" | "malformed" | "unavailable"; detail: string };
  /** For a badge carrying no anchor proof: what the proof check says (decided by the signature). */
  proof?: { status: "unanchored" | "unknown-anchor" | "tampered" | "issuer-mismatch" | "malformed" | "unavailable"; detail: string };
  warnings: string[];
  facts: SignatureFacts | null;
}

/** Resolves nothing but did:key: a verifier without network access still checks did:key badges. */
const LOCAL_RESOLVER: ControllerResolver = {
  async resolve(id: string) {
    const controller = id.split("#")[0];
    if (controller.startsWith("did:key:")) return didKeyDocument(controller);
    throw new Error(`cannot fetch the document of ${controller}: this verifier resolves did:key only (no resolver configured)`);
  },
};

let bundledLoader: DocumentLoader | undefined;

/** Runs the cryptographic check; never rejects (an unexpected error is a key that could not be checked). */
export async function checkSignature(credential: object, options: SignatureOptions): Promise<SignatureOutcome> {
  try {
    return await verifyDataIntegrityProofs(credential as JsonLdObject, {
      resolver: options.resolver ?? LOCAL_RESOLVER,
      loader: options.loader ?? (bundledLoader ??= contextLoader()),
    });
  } catch (error) {
    return {
      result: "skip",
      status: "unavailable",
      detail: `the signature could not be checked: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
      warnings: [],
      signers: [],
      controllerDocument: null,
    };
  }
}

/** The signature check's verdict given what the anchor said (see the file's opening comment). */
export function judgeSignature(outcome: SignatureOutcome, context: AnchorContext): SignatureVerdict {
  const warnings = [...outcome.warnings];
  const noAnchorProof = context.anchorProof === "missing";
  const missingProof = { status: "unknown-anchor" as const, detail: "carries no CredentialRegistryAnchor2026 proof" };
  if (outcome.result === "fail") {
    const status = outcome.status ?? "tampered";
    return {
      check: { result: "fail", status, detail: outcome.detail },
      // With no anchor, the signature is all there is: its failure is the verdict (issuer-mismatch would
      // otherwise rank below unknown-anchor).
      proof: noAnchorProof ? { status, detail: missingProof.detail } : undefined,
      warnings,
      facts: null,
    };
  }
  if (outcome.result === "skip") {
    if (outcome.status === "unavailable") {
      if (noAnchorProof) {
        // Nothing else vouches for this badge: without its key, no verdict is possible.
        return { check: { result: "fail", status: "unavailable", detail: outcome.detail }, proof: missingProof, warnings, facts: null };
      }
      if (context.anchorPassed) warnings.push(`signature not checked (${outcome.detail}); the registry's anchor vouches for the content`);
      return { check: { result: "skip", detail: outcome.detail }, warnings, facts: null };
    }
    warnings.push(`${outcome.detail}: verifiers other than this registry's (wallets, verifier-core) will refuse this badge`);
    return { check: { result: "skip", detail: outcome.detail }, proof: noAnchorProof ? missingProof : undefined, warnings, facts: null };
  }

  const facts: SignatureFacts = { signers: outcome.signers, signerName: nameIn(outcome.controllerDocument) };
  const signedBy = describeSigners(outcome.signers);
  const mismatch = accountMismatch(outcome.controllerDocument, context, warnings);
  if (mismatch) return { check: { result: "fail", status: "issuer-mismatch", detail: mismatch }, warnings, facts };
  const check = { result: "pass" as const, detail: outcome.detail || `signed by ${signedBy}` };
  if (!noAnchorProof) return { check, warnings, facts };
  const signer = facts.signerName ? `${facts.signerName} (${context.profileId})` : context.profileId;
  return {
    check,
    proof: { status: "unanchored", detail: `signed by ${signer}, but not recorded in a registry this verifier trusts (it carries no anchor proof)` },
    warnings,
    facts,
  };
}

/**
 * Why the issuer's document and the registry disagree on who controls the identity, if they do: the
 * document lists CAIP-10 accounts for the anchor's chain and none is the registry's controller.
 */
function accountMismatch(document: unknown, context: AnchorContext, warnings: string[]): string | undefined {
  if (document === null || typeof context.anchorProof !== "object" || context.controller === undefined) return undefined;
  const prefix = `eip155:${context.anchorProof.chainId}:`;
  const accounts = blockchainAccountIdsOf(document).filter((account) => account.toLowerCase().startsWith(prefix));
  if (accounts.length === 0) return undefined;
  if (context.controller === null) {
    warnings.push(`the DID document of ${context.profileId} names ${accounts.join(", ")}, but the registry names no controller for it now: not compared`);
    return undefined;
  }
  const controller = context.controller.toLowerCase();
  if (accounts.some((account) => account.slice(prefix.length).toLowerCase() === controller)) return undefined;
  return `the DID document of ${context.profileId} names ${accounts.join(", ")} as its controller on chain ${context.anchorProof.chainId}, but the registry's controller of ${context.profileId} is ${context.controller}`;
}

function describeSigners(signers: readonly Signer[]): string {
  return signers.map((signer) => `${signer.verificationMethod} (${signer.cryptosuite})`).join(", ");
}

function nameIn(document: unknown): string | null {
  const name = (document as { name?: unknown } | null)?.name;
  return typeof name === "string" && name.trim() !== "" ? name : null;
}
