/**
 * Issuer identity (DESIGN.md §3): an issuer's profile id — the `issuer.id` of every badge it issues — and
 * its key in the registry, `issuerId = keccak256(utf8(profileId))`.
 *
 * A profile id is registered once and hashed byte for byte, so two spellings of one issuer would be two
 * identities, and a look-alike could pass for another. Only the canonical form is accepted: a DID
 * (`did:<method>:<id>`, lower-case method) or an `https://` URL with a lower-case host, no trailing slash,
 * no query or fragment, no user info, no default port; ASCII only (a non-ASCII character could be a
 * homoglyph of another issuer's name).
 */
import { keccak256Hex, type Hex } from "./canonical.js";

const utf8 = new TextEncoder();

/** The registry's issuer id of a profile id. */
export function issuerIdOfProfile(profileId: string): Hex {
  return keccak256Hex(utf8.encode(profileId));
}

// did:<method>:<method-specific id> as DID Core defines the syntax (pct-encoded characters allowed).
const DID_PATTERN = /^did:[a-z0-9]+:(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})*(?::(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})*)*$/;

/**
 * Why `profileId` is not a canonical profile id, as one sentence, or null when it is.
 * The sentence names the canonical spelling when there is one (`HTTPS://Uni.Example/` → `https://uni.example`).
 */
export function profileIdProblem(profileId: string): string | null {
  if (profileId === "") return "is empty";
  // eslint-disable-next-line no-control-regex
  if (!/^[\x21-\x7e]+$/.test(profileId)) return "must be printable ASCII with no spaces (a non-ASCII character can pass for another issuer's)";
  if (profileId.toLowerCase().startsWith("did:")) {
    if (!DID_PATTERN.test(profileId)) return "is not a DID (did:<method>:<id>, the method in lower case), such as did:web:uni.example";
    if (profileId.endsWith(":")) return "must not end with a colon";
    if (profileId.startsWith("did:web:")) {
      const host = profileId.slice("did:web:".length).split(":")[0];
      // Letters lower case, percent-escapes (the "%3A" before a port) upper case as RFC 3986 §6.2.2.1 and
      // the did:web spec write them: one spelling per host.
      const canonicalHost = host.toLowerCase().replace(/%[0-9a-f]{2}/g, (escape) => escape.toUpperCase());
      if (host !== canonicalHost) return `must have its host in lower case: ${"did:web:" + profileId.slice("did:web:".length).replace(host, canonicalHost)}`;
    }
    return null;
  }
  let url: URL;
  try {
    url = new URL(profileId);
  } catch {
    return "must be a DID (such as did:web:uni.example) or an https:// URL";
  }
  if (url.protocol !== "https:") return "must be a DID or an https:// URL";
  if (url.username !== "" || url.password !== "") return "must not carry user information";
  if (url.search !== "" || url.hash !== "" || profileId.includes("?") || profileId.includes("#")) return "must not have a query or fragment";
  const canonical = `https://${url.host}${url.pathname === "/" ? "" : url.pathname.replace(/\/+$/, "")}`;
  if (canonical !== profileId) return `is not in canonical form (lower-case host, no trailing slash, no default port): ${canonical}`;
  return null;
}
