/**
 * The service's side of the trust policy (lib/verify/trust-policy.ts): TRUST_POLICY / TRUST_POLICY_FILE
 * read and checked against the configured chains, and the gate the Verifier asks, for each registry it is
 * about to believe about an issuer, whether the policy trusts it for that issuer — reading, where the
 * policy leaves an issuer to its own registry, which other configured registries register it too.
 *
 * The policy's JSON:
 *   { "issuers": [ { "id": "<profile id>" | "prefix": "<DID or https URL>",
 *                    "registries": [ { "chainId": n, "registry": "0x…" }, … ] }, … ],
 *     "otherIssuers": "own-registry" (default) | "none" }
 */
import { z } from "zod";

import type { Hex } from "../lib/credential/canonical.js";
import { issuerIdOfProfile } from "../lib/credential/profile-id.js";
import {
  issuerPatternProblem,
  judgeTrust,
  sameRegistry,
  trustRuleFor,
  type IssuerPattern,
  type RegistryRef,
  type TrustPolicy,
  type TrustRule,
  type TrustVerdict,
} from "../lib/verify/trust-policy.js";

const registryRef = z
  .object({ chainId: z.number().int().positive(), registry: z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be an address (0x and 40 hex digits)") })
  .strict();

const entrySchema = z
  .object({ id: z.string().optional(), prefix: z.string().optional(), registries: z.array(registryRef).min(1, "must list at least one registry") })
  .strict()
  .refine((entry) => (entry.id === undefined) !== (entry.prefix === undefined), 'needs exactly one of "id" (one profile id) or "prefix" (a DID or https URL and the ids under it)');

const policySchema = z
  .object({ issuers: z.array(entrySchema).default([]), otherIssuers: z.enum(["own-registry", "none"]).default("own-registry") })
  .strict();

/** The policy `raw` states, checked against the configured registries, or why it cannot be one. */
export function parseTrustPolicy(raw: unknown, configured: readonly RegistryRef[]): { ok: true; policy: TrustPolicy } | { ok: false; problem: string } {
  const parsed = policySchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, problem: parsed.error.issues.map((issue) => `${["TRUST_POLICY", ...issue.path].join(".")}: ${issue.message}`).join("; ") };
  }
  const seen = new Set<string>();
  const entries = [];
  for (const [position, entry] of parsed.data.issuers.entries()) {
    const where = `TRUST_POLICY.issuers.${position}`;
    const issuer: IssuerPattern = entry.id !== undefined ? { id: entry.id } : { prefix: entry.prefix! };
    const problem = issuerPatternProblem(issuer);
    if (problem) return { ok: false, problem: `${where}: ${problem}` };
    const key = JSON.stringify(issuer);
    if (seen.has(key)) return { ok: false, problem: `${where}: ${key} is listed twice` };
    seen.add(key);
    // A registry the service does not read would pin the issuer to nothing: a typo would lock it out unseen.
    const unknown = entry.registries.find((registry) => !configured.some((chain) => sameRegistry(chain, registry)));
    if (unknown) return { ok: false, problem: `${where}: registry ${unknown.registry} on chain ${unknown.chainId} is not one of the configured chains' registries` };
    entries.push({ issuer, registries: entry.registries });
  }
  return { ok: true, policy: { entries, otherIssuers: parsed.data.otherIssuers } };
}

/** What the gate reads of the registries, through the Verifier's cache. */
export interface TrustReads<Chain> {
  /** Whether `issuerId` is registered on `chain` (any status). */
  registered(chain: Chain, issuerId: Hex): Promise<boolean>;
  /** The profile id `issuerId` was registered with on `chain`, or null. */
  profileId(chain: Chain, issuerId: Hex): Promise<string | null>;
}

/** Answers whether a configured registry may vouch for an issuer, under the policy. */
export class TrustGate<Chain extends { chain: RegistryRef }> {
  readonly policy: TrustPolicy;
  readonly #chains: readonly Chain[];

  constructor(policy: TrustPolicy, chains: readonly Chain[]) {
    this.policy = policy;
    this.#chains = chains;
  }

  /**
   * The verdict for `chain` and the issuer (`profileId` when known; otherwise read from the registry, where
   * the policy has prefix entries that need its text). An issuer whose profile id is needed and cannot be
   * known is not trusted.
   */
  async verdict(chain: Chain, issuer: { issuerId: Hex; profileId?: string }, reads: TrustReads<Chain>): Promise<TrustVerdict> {
    const issuerId = issuer.issuerId.toLowerCase() as Hex;
    const profileId = issuer.profileId ?? (await this.#profileIdOf(chain, issuerId, reads));
    if (profileId === null) return { trusted: false, detail: `issuer ${issuerId} is not registered in registry ${chain.chain.registry} on chain ${chain.chain.chainId}` };
    const rule: TrustRule =
      profileId !== undefined ? trustRuleFor(this.policy, profileId) : this.policy.otherIssuers === "own-registry" ? { kind: "own-registry" } : { kind: "refused" };
    const named = profileId ?? `issuer ${issuerId}`;
    if (rule.kind !== "own-registry" || this.#chains.length < 2) return judgeTrust(rule, chain.chain, named);
    const others = this.#chains.filter((other) => other !== chain);
    const registered = await Promise.all(others.map((other) => reads.registered(other, issuerId)));
    return judgeTrust(rule, chain.chain, named, others.filter((_, position) => registered[position]).map((other) => other.chain));
  }

  /** The profile id of `issuerId` as far as the policy needs it: undefined when no entry can match it. */
  async #profileIdOf(chain: Chain, issuerId: Hex, reads: TrustReads<Chain>): Promise<string | null | undefined> {
    const exact = this.policy.entries.find((entry) => "id" in entry.issuer && issuerIdOfProfile(entry.issuer.id) === issuerId);
    if (exact && "id" in exact.issuer) return exact.issuer.id;
    // Exact entries are matched by their hash; only prefixes are matched on the profile id's text.
    if (!this.policy.entries.some((entry) => "prefix" in entry.issuer)) return undefined;
    const profileId = await reads.profileId(chain, issuerId);
    // The registry keeps only the hash: a profile id that does not hash to the issuer id is not its.
    return profileId !== null && issuerIdOfProfile(profileId) === issuerId ? profileId : null;
  }
}
