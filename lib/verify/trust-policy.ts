/**
 * The trust policy: which configured registries may vouch for which issuers. Every registry's accreditor
 * can register any profile id (issuerId = keccak256(profile id)), so with several registries trusted, the
 * accreditor of one could register another's university and anchor badges naming it. The policy pins
 * issuers — an exact profile id, or every id under a DID or an https URL — to the registries trusted for
 * them; an issuer no entry names is trusted on its own registry only (the one that registered it, when no
 * other configured registry registers it too), or nowhere (`otherIssuers: "none"`).
 *
 * The matching rule is whole segments, never raw string prefixes: a prefix matches itself and the ids
 * that continue it after a separator — `:` for a DID (did:web:uni.example matches did:web:uni.example:cs,
 * not did:web:uni.example.evil.com nor did:web:uni.example%3A8443), `/` for an https URL
 * (https://uni.example matches https://uni.example/issuer, not https://uni.example.evil.com nor
 * https://uni.example:8443). Both sides must be canonical profile ids (profile-id.ts), so no spelling of
 * a host or path (case, `..`, user info, a default port) can stand for another. The most specific entry
 * decides: an exact id over any prefix, a longer prefix over a shorter one — a pin is never widened by a
 * broader entry.
 *
 * Pure: the service (server/trust-policy.ts) parses the configuration and reads which registries register
 * an issuer; the pipeline asks through VerifyOptions.trustIssuer.
 */
import { profileIdProblem } from "../credential/profile-id.js";

/** A registry on a chain (its address compared without case). */
export interface RegistryRef {
  chainId: number;
  registry: string;
}

/** An issuer pattern: one exact profile id, or every profile id under a DID or https URL prefix. */
export type IssuerPattern = { id: string } | { prefix: string };

export interface TrustPolicyEntry {
  issuer: IssuerPattern;
  /** The registries trusted for the issuers the pattern matches (and no other). */
  registries: RegistryRef[];
}

export interface TrustPolicy {
  entries: TrustPolicyEntry[];
  /**
   * Issuers no entry matches: trusted on their own registry ("own-registry": the one that registered them,
   * unless another configured registry registers them too) or nowhere ("none").
   */
  otherIssuers: "own-registry" | "none";
}

/** No policy configured: each registry is trusted for its own issuers. */
export const DEFAULT_TRUST_POLICY: TrustPolicy = { entries: [], otherIssuers: "own-registry" };

export type TrustVerdict = { trusted: true } | { trusted: false; detail: string };

/** What the policy says of one issuer: pinned by an entry, left to its own registry, or refused everywhere. */
export type TrustRule = { kind: "pinned"; entry: TrustPolicyEntry } | { kind: "own-registry" } | { kind: "refused" };

/** Why `pattern` cannot be a policy entry, or null. A prefix must itself be a canonical profile id. */
export function issuerPatternProblem(pattern: IssuerPattern): string | null {
  const value = "id" in pattern ? pattern.id : pattern.prefix;
  const problem = profileIdProblem(value);
  return problem === null ? null : `"${value}" ${problem}`;
}

/** Whether `profileId` is the pattern's id, or an id under its prefix at a segment boundary. */
export function matchesIssuer(pattern: IssuerPattern, profileId: string): boolean {
  if ("id" in pattern) return pattern.id === profileId;
  const { prefix } = pattern;
  if (profileId === prefix) return true;
  // A non-canonical id matches no prefix: its spelling could hide another host or path.
  if (profileIdProblem(profileId) !== null || profileIdProblem(prefix) !== null) return false;
  const separator = prefix.startsWith("did:") ? ":" : "/";
  return profileId.startsWith(prefix + separator);
}

/** The most specific entry matching `profileId`: its exact id, else the longest prefix; undefined when none does. */
export function policyEntryFor(policy: TrustPolicy, profileId: string): TrustPolicyEntry | undefined {
  const exact = policy.entries.find((entry) => "id" in entry.issuer && entry.issuer.id === profileId);
  if (exact) return exact;
  let best: TrustPolicyEntry | undefined;
  for (const entry of policy.entries) {
    if (!("prefix" in entry.issuer) || !matchesIssuer(entry.issuer, profileId)) continue;
    if (best === undefined || entry.issuer.prefix.length > (best.issuer as { prefix: string }).prefix.length) best = entry;
  }
  return best;
}

export function trustRuleFor(policy: TrustPolicy, profileId: string): TrustRule {
  const entry = policyEntryFor(policy, profileId);
  if (entry) return { kind: "pinned", entry };
  return policy.otherIssuers === "own-registry" ? { kind: "own-registry" } : { kind: "refused" };
}

/**
 * Whether `registry` may vouch for `profileId` under `rule`. `registeredElsewhere`: the other configured
 * registries that register the same profile id (read only for the own-registry rule). Two registries
 * registering one profile id cannot both be its own: neither is trusted for it until the policy pins it —
 * failing closed, since one of them is vouching for an issuer that is not its own and nothing says which.
 */
export function judgeTrust(rule: TrustRule, registry: RegistryRef, profileId: string, registeredElsewhere: readonly RegistryRef[] = []): TrustVerdict {
  const here = describeRegistry(registry);
  switch (rule.kind) {
    case "pinned":
      if (rule.entry.registries.some((trusted) => sameRegistry(trusted, registry))) return { trusted: true };
      return {
        trusted: false,
        detail: `${here} is not trusted for ${profileId}: the trust policy's entry ${describePattern(rule.entry.issuer)} trusts ${rule.entry.registries.map(describeRegistry).join(", ")} only`,
      };
    case "refused":
      return { trusted: false, detail: `${here} is not trusted for ${profileId}: no entry of the trust policy names it, and the policy trusts no registry for other issuers` };
    case "own-registry": {
      const others = registeredElsewhere.filter((other) => !sameRegistry(other, registry));
      if (others.length === 0) return { trusted: true };
      return {
        trusted: false,
        detail: `${profileId} is registered both in ${here} and in ${others.map(describeRegistry).join(", ")}; with no trust policy entry for it, none of them is trusted for it (pin it to its registry in TRUST_POLICY)`,
      };
    }
  }
}

export interface RegistryTrust extends RegistryRef {
  /** The policy's patterns this registry is trusted for. */
  pinned: IssuerPattern[];
  /** Whether it is also trusted for its own issuers (those no entry matches, registered on it and on no other configured registry). */
  ownIssuers: boolean;
}

/** The policy per registry, as /readyz states it. */
export function describeTrust(policy: TrustPolicy, registries: readonly RegistryRef[]): RegistryTrust[] {
  return registries.map((registry) => ({
    chainId: registry.chainId,
    registry: registry.registry,
    pinned: policy.entries.filter((entry) => entry.registries.some((trusted) => sameRegistry(trusted, registry))).map((entry) => entry.issuer),
    ownIssuers: policy.otherIssuers === "own-registry",
  }));
}

export function sameRegistry(a: RegistryRef, b: RegistryRef): boolean {
  return a.chainId === b.chainId && a.registry.toLowerCase() === b.registry.toLowerCase();
}

function describeRegistry(registry: RegistryRef): string {
  return `registry ${registry.registry} on chain ${registry.chainId}`;
}

function describePattern(pattern: IssuerPattern): string {
  return "id" in pattern ? `{"id": "${pattern.id}"}` : `{"prefix": "${pattern.prefix}"}`;
}
