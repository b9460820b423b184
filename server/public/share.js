// Badges that travel, on the page: a share link that carries the badge itself, deflated and base64url-encoded,
// in the URL's fragment (a fragment is never sent to a server, so no log ever holds the badge), and an
// add-to-profile link for LinkedIn built from the badge alone. Compression is the browser's own
// CompressionStream; no library.
const FRAGMENT_KEY = "badge=";
/** A share link's badge is refused beyond this, packed or unpacked (the service takes 256 KiB of JSON). */
const MAX_SHARED_BYTES = 1024 * 1024;

/** The page's address with `credential` in the fragment. */
export async function shareLinkFor(credential) {
  const packed = await transform(new TextEncoder().encode(JSON.stringify(credential)), new CompressionStream("deflate-raw"));
  return `${location.origin}${location.pathname}#${FRAGMENT_KEY}${toBase64Url(packed)}`;
}

/** Whether the page was opened with a badge in its fragment. */
export function hasSharedBadge() {
  return location.hash.startsWith(`#${FRAGMENT_KEY}`);
}

/** The badge's JSON text from the page's fragment; throws when the link is damaged or too large. */
export async function sharedBadgeText() {
  const encoded = location.hash.slice(1 + FRAGMENT_KEY.length);
  if (encoded.length > (MAX_SHARED_BYTES * 4) / 3) throw new Error("the link is too long");
  const unpacked = await transform(fromBase64Url(encoded), new DecompressionStream("deflate-raw"));
  return new TextDecoder("utf-8", { fatal: true }).decode(unpacked);
}

/**
 * LinkedIn's "add a license or certification" form, filled in from the badge: the achievement, the issuer,
 * the month and year of the award (as the badge writes them, in its issuer's time zone), its expiry if
 * any, the credential id, and the share link as the credential's URL. The organization is the issuer as
 * verified (`issuer`, the API's IssuerNaming: the name its own DID document gives, else its id) — never
 * the name the badge gives itself, which anyone can write.
 */
export function addToProfileUrl(credential, shareLink, issuer) {
  const parameters = new URLSearchParams({
    startTask: "CERTIFICATION_NAME",
    name: credential.credentialSubject.achievement.name,
    organizationName: issuer.verifiedName ?? issuer.id,
    ...yearAndMonth(credential.awardedDate ?? credential.validFrom, "issue"),
    ...(credential.validUntil ? yearAndMonth(credential.validUntil, "expiration") : {}),
    certId: credential.id,
    certUrl: shareLink,
  });
  return `https://www.linkedin.com/profile/add?${parameters}`;
}

function yearAndMonth(dateTime, prefix) {
  return { [`${prefix}Year`]: dateTime.slice(0, 4), [`${prefix}Month`]: String(Number(dateTime.slice(5, 7))) };
}

async function transform(bytes, stream) {
  const reader = new Blob([bytes]).stream().pipeThrough(stream).getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_SHARED_BYTES) {
      await reader.cancel();
      throw new Error("the badge is too large");
    }
    chunks.push(value);
  }
  return new Uint8Array(await new Blob(chunks).arrayBuffer());
}

function toBase64Url(bytes) {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}

function fromBase64Url(text) {
  return Uint8Array.from(atob(text.replaceAll("-", "+").replaceAll("_", "/")), (character) => character.charCodeAt(0));
}
