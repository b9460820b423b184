// Why and when, beside a verdict of revoked or suspended, from what the service's answer carries: the date
// and reason of a key's compromise and of an issuer's status change (the registry's state), and of one
// credential's (or one batch's) revocation or suspension (its event: `statusChange`). When that event could
// not be read, the page says where the reason and date are rather than leave the question open.
import { element } from "./dom.js";

/** An ISO time as people read it: "2025-03-01 14:02 UTC". */
export function readableTime(iso) {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(iso ?? "") ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso;
}

/** The standing causes of a verdict, each a list of text and code parts; none for other verdicts. */
function causes(status, { anchor, issuer, checks, detail, statusChange }) {
  if (status !== "revoked" && status !== "suspended") return [];
  const found = [];
  if (anchor?.keyCompromised) {
    found.push([`Reason: key compromise. The key that anchored it was declared compromised since ${readableTime(anchor.keyCompromisedSince)}.`]);
  }
  if (issuer?.status === "suspended" || issuer?.status === "withdrawn") {
    const how = issuer.status === "suspended" ? "has been suspended since" : "was withdrawn on";
    found.push([`Reason: ${issuer.statusReason}. The issuer's accreditation ${how} ${readableTime(issuer.statusSince)}.`]);
  }
  const statusCheck = checks?.find((check) => check.name === "status" && check.result === "fail");
  const own = (statusCheck?.detail ?? detail ?? "").match(/the issuer (revoked this credential|revoked the whole batch|suspended this credential)/);
  if (own && statusChange) {
    const what = { revoked: "Revoked", suspended: "Suspended", "batch-revoked": "Its whole batch was revoked" }[statusChange.change] ?? "Changed";
    found.push([`Reason: ${statusChange.reason}. ${what} on ${readableTime(statusChange.at)}, by `, { code: statusChange.actor }, "."]);
  } else if (own) {
    found.push([
      `Why and when ${own[0]}: the chain does not keep that, only the registry's event log — ask the issuer, or read it with `,
      { code: "npx hardhat audit" },
      ".",
    ]);
  }
  return found;
}

/** The verdict's "why and when" element (id verdict-standing), or null when there is nothing to say. */
export function standingElement(status, facts) {
  const found = causes(status, facts);
  if (found.length === 0) return null;
  const standing = element("p", undefined, "standing-line");
  standing.id = "verdict-standing";
  found.forEach((parts, index) => {
    if (index > 0) standing.append(element("br"));
    for (const part of parts) standing.append(typeof part === "string" ? part : element("code", part.code));
  });
  return standing;
}
