// The verification page: reads a dropped, chosen or pasted badge (or a hash and its issuer), asks the
// service, and shows the verdict, each check, the issuer (its profile id, issuer id and controller), the
// anchor (and the key that made it: a badge anchored by a key declared compromised says so plainly) and the
// achievement, and who signed it (a signed badge recorded in no registry this verifier trusts says so in
// plain words, naming the signer as its own DID document does). No framework, no external asset;
// everything from the server is inserted as text, never as markup. A baked badge image (PNG or SVG) is sent
// as it is, for the service to read; the page only ever shows it as an <img>, which runs no script.
// A valid badge can be shared (share.js); a page opened from a share link verifies the badge it carries.
// Several badges, or a portfolio, are verified together (portfolio.js); a stack shows its tree (stack-tree.js).
// An issuer is named by its verified identity (its id, and the name its own DID document gives); the name a
// badge gives its issuer is shown only as "as stated by the badge": anyone can write any name there.
import { hidePortfolio, isPortfolio, showPortfolio } from "./portfolio.js";
import { addToProfileUrl, hasSharedBadge, sharedBadgeText, shareLinkFor } from "./share.js";
import { $, element } from "./dom.js";
import { statedIssuerName, verifiedIssuer } from "./issuer-names.js";
import { confirmationLine, stackTree } from "./stack-tree.js";
import { notJsonMessage } from "./not-json.js";
import { standingElement } from "./standing.js";

const VERDICTS = {
  valid: "Valid", revoked: "Revoked", suspended: "Suspended", expired: "Expired", "not-yet-valid": "Not yet valid",
  tampered: "Tampered with", unanchored: "Signed, but not anchored", "unknown-anchor": "Not anchored", "issuer-mismatch": "Issuer mismatch",
  "unsupported-chain": "Unsupported chain", "stack-incomplete": "Stack incomplete", malformed: "Not a valid badge",
  "untrusted-registry": "Registry not trusted for this issuer",
  unavailable: "Cannot check now",
};
const EXPLANATIONS = {
  valid: "Authentic, unaltered, from an accredited issuer, not revoked, and within its validity period.",
  unavailable: "The blockchain could not be read. This is not a verdict on the badge: try again shortly.",
};
const MARKS = { pass: "✔ pass", fail: "✘ fail", skip: "– skipped" };
const IMAGE_TYPES = { ".png": "image/png", ".svg": "image/svg+xml" };
let previewUrl = null;


/**
 * Shows a verdict, with `facts` (the answer's anchor, issuer, checks, detail) saying why and when for a
 * revoked or suspended badge, and scrolls it into view: below the form it would be out of sight.
 */
function showVerdict(status, detail, facts = {}) {
  const verdict = $("#verdict");
  verdict.className = `verdict ${status === "valid" ? "valid" : status === "unavailable" ? "unavailable" : "invalid"}`;
  const standing = standingElement(status, { ...facts, detail });
  verdict.replaceChildren(element("span", VERDICTS[status] ?? status), element("small", detail ?? EXPLANATIONS[status] ?? ""), ...(standing ? [standing] : []));
  verdict.dataset.status = status;
  delete verdict.dataset.reason;
  $("#result").hidden = false;
  hidePortfolio();
  $("#result").scrollIntoView({ block: "start" });
}

function showSummary(entries) {
  const list = $("#summary");
  list.replaceChildren();
  for (const [term, value, kind] of entries) {
    if (value === null || value === undefined || value === "") continue;
    // Hashes, addresses and ids in a monospace block, broken anywhere: they have no words to break at.
    list.append(element("dt", term), element("dd", String(value), kind === "id" ? "id" : undefined));
  }
}

function showChecks(checks) {
  const body = $("#checks tbody");
  body.replaceChildren();
  $("#checks").hidden = checks.length === 0;
  for (const check of checks) {
    const row = element("tr");
    row.dataset.check = check.name;
    row.append(element("th", check.name), element("td", MARKS[check.result], check.result), element("td", check.detail));
    row.firstChild.setAttribute("scope", "row");
    body.append(row);
  }
}

function showWarnings(warnings) {
  $("#warnings").replaceChildren(...warnings.map((warning) => element("li", warning)));
}

/** A verdict's headline: a revocation by a key's compromise is named as such, not as a plain revocation. */
function showVerdictOf(status, detail, facts) {
  const { anchor } = facts;
  showVerdict(status, detail, facts);
  if (status === "revoked" && anchor?.keyCompromised) {
    $("#verdict").dataset.reason = "key-compromise";
    $("#verdict").firstChild.textContent = "Revoked — key compromised";
  }
}

/** The summary lines about the anchor and the key that made it. */
function anchorLines(anchor) {
  if (!anchor) return [];
  return [
    ["Anchored", `${anchor.anchoredAt} on chain ${anchor.chainId}, batch of ${anchor.count}`],
    ["Anchored with key", anchor.keyCompromised ? `${anchor.actingKey} — KEY COMPROMISED since ${anchor.keyCompromisedSince}` : anchor.actingKey, "id"],
    ["Issuer id", anchor.issuerId, "id"],
    ["Registry", anchor.registry, "id"],
  ];
}

/** The summary lines about the issuer's standing and control. */
function issuerLines(issuer) {
  if (!issuer) return [];
  return [
    ["Issuer status", `${issuer.status} since ${issuer.statusSince}`],
    ["Issuer controller", issuer.controller ?? "none (its controller key was declared compromised; awaiting recovery)", issuer.controller ? "id" : undefined],
  ];
}

/**
 * What the published status lists say beside the chain, one clause per list compared: the chain decides;
 * a list that disagrees or cannot be read is also in the warnings, in full.
 */
function statusListLine(result) {
  const compared = (result.statusLists ?? []).filter((list) => list.chainSays !== null && list.note === null);
  const unread = (result.statusLists ?? []).filter((list) => list.chainSays !== null && list.note !== null && list.listSays === null);
  if (compared.length === 0 && unread.length === 0) return null;
  const state = { revocation: "revoked", suspension: "suspended" };
  const says = (value, purpose) => (value ? state[purpose] : `not ${state[purpose]}`);
  return [
    ...compared.map((list) =>
      list.agrees
        ? `${list.purpose} list agrees with the chain (${says(list.chainSays, list.purpose)})`
        : `${list.purpose} list DISAGREES: it says ${says(list.listSays, list.purpose)}, the chain says ${says(list.chainSays, list.purpose)} (the chain decides)`,
    ),
    ...unread.map((list) => `${list.purpose} list not read`),
  ].join("; ");
}

/** Who signed it: the issuer as its own DID document names it (never the badge's claim), or its id. */
function signerOf(result) {
  const issuerId = result.credential?.issuerId ?? result.issuer?.profileId ?? "";
  return result.signature?.signerName ? `${result.signature.signerName} (${issuerId})` : issuerId;
}

/**
 * The headline's second line: for a signed badge in no trusted registry, what that means in plain words;
 * for a valid stack resting on claims, that its components were not confirmed.
 */
function verdictDetail(result) {
  if (result.status === "valid" && result.stack && result.stack.confirmation.claimed > 0) {
    const line = confirmationLine(result.stack);
    return `A genuine credential of ${verifiedIssuer(result.credential.issuer)}, unaltered and not revoked. ${line[0].toUpperCase()}${line.slice(1)}: what they are and whose they are is that issuer's word, not checked here — drop the component badges with it to confirm them.`;
  }
  if (result.status === "valid") return undefined;
  if (result.status === "unanchored") {
    return `Signed by ${signerOf(result)}, but not recorded in a registry this verifier trusts: the signature shows who issued it and that it is unaltered; nothing here says whether it was revoked.`;
  }
  return result.checks.find((check) => check.result === "fail")?.detail;
}

function showResult(result) {
  showVerdictOf(result.status, verdictDetail(result), result);
  const credential = result.credential ?? {};
  const profileId = result.issuer?.profileId ?? credential.issuerId;
  showSummary([
    ["Achievement", credential.achievementName],
    ["Description", credential.achievementDescription],
    ["Issued by", credential.issuer ? verifiedIssuer(credential.issuer) : profileId],
    ["Issuer's name in the badge", credential.issuer && statedIssuerName(credential.issuer) ? `"${statedIssuerName(credential.issuer)}" — as stated by the badge, not verified` : null],
    ["Signed by", result.signature ? `${signerOf(result)} — key ${result.signature.signers.map((signer) => `${signer.verificationMethod} (${signer.cryptosuite})`).join(", ")}` : null],
    ...issuerLines(result.issuer),
    ["Awarded to", credential.subjectId],
    ["Valid", credential.validFrom ? `from ${credential.validFrom}${credential.validUntil ? ` until ${credential.validUntil}` : ""}` : null],
    ...anchorLines(result.anchor),
    ["Status lists", statusListLine(result)],
    ["Credential hash", result.credentialHash, "id"],
  ]);
  showChecks(result.checks);
  showWarnings(result.warnings);
  $("#stack").hidden = !result.stack;
  $("#stack-confirmation").textContent = result.stack ? `${confirmationLine(result.stack)}.` : "";
  $("#stack-tree").replaceChildren(...(result.stack ? [stackTree(result.stack)] : []));
}

function clearResult() {
  showSummary([]);
  showChecks([]);
  showWarnings([]);
  $("#share").hidden = true;
  $("#stack").hidden = true;
}

async function verifyCredential(text) {
  let credential;
  showImage(null);
  try {
    credential = JSON.parse(text);
  } catch {
    const message = await notJsonMessage(text);
    clearResult();
    showVerdict("malformed", message);
    return;
  }
  if (isPortfolio(credential)) return verifyPortfolio(credential);
  const response = await fetch("/v1/credentials/verify", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ verifiableCredential: credential }),
  });
  await render(response, credential);
}

async function verifyPortfolio(portfolio) {
  showImage(null);
  const response = await fetch("/v1/presentations/verify", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(portfolio) });
  const body = await response.json().catch(() => null);
  if (body && Array.isArray(body.results)) {
    $("#result").hidden = true;
    showPortfolio(body, VERDICTS);
    $("#portfolio").scrollIntoView({ block: "start" });
    return;
  }
  clearResult();
  showVerdict(response.status === 503 ? "unavailable" : "malformed", body?.detail);
}

async function verifyImage(file, contentType) {
  $("#credential-json").value = "";
  showImage(new Blob([file], { type: contentType }), file.name);
  const response = await fetch("/v1/credentials/verify", { method: "POST", headers: { "content-type": contentType }, body: file });
  await render(response);
}

/** A preview of the chosen image, from a blob: URL: as an <img>, an SVG runs no script and loads nothing. */
function showImage(blob, name) {
  const image = $("#badge-image");
  if (previewUrl) URL.revokeObjectURL(previewUrl);
  previewUrl = blob ? URL.createObjectURL(blob) : null;
  image.hidden = !blob;
  if (blob) {
    image.src = previewUrl;
    image.alt = `The badge image you chose: ${name}`;
  } else {
    image.removeAttribute("src");
  }
}

async function offerSharing(credential, issuer) {
  const link = await shareLinkFor(credential);
  $("#share-link").value = link;
  $("#add-to-profile").href = addToProfileUrl(credential, link, issuer);
  $("#copy-share-link").textContent = "Copy the link";
  $("#share").hidden = false;
}

async function render(response, sentCredential) {
  const body = await response.json().catch(() => null);
  clearResult();
  if (body && Array.isArray(body.checks)) {
    showResult(body);
    // From an image, the service sends back the badge it found there: shown, and shared if valid.
    if (body.bakedCredential) $("#credential-json").value = JSON.stringify(body.bakedCredential, null, 2);
    const credential = body.bakedCredential ?? sentCredential;
    if (body.verified && credential) await offerSharing(credential, body.credential.issuer);
    return;
  }
  if (body && body.credentialHash && body.anchor) {
    showVerdictOf(body.status, body.detail, body);
    showSummary([
      ["Issued by", body.issuer.profileId ?? body.issuer.issuerId],
      ...issuerLines(body.issuer),
      ...anchorLines(body.anchor),
      ["Credential hash", body.credentialHash, "id"],
    ]);
    showWarnings(body.warnings ?? []);
    return;
  }
  const status = response.status === 503 ? "unavailable" : response.status === 404 ? "unknown-anchor" : "malformed";
  showVerdict(status, body?.detail);
}

function imageTypeOf(file) {
  if (Object.values(IMAGE_TYPES).includes(file.type)) return file.type;
  return IMAGE_TYPES[file.name.slice(file.name.lastIndexOf(".")).toLowerCase()];
}

/** Several files are one portfolio: each must be a badge's JSON (images go one at a time). */
async function readFiles(files) {
  if (files.length === 1) return readFile(files[0]);
  const badges = [];
  for (const file of files) {
    if (imageTypeOf(file)) {
      clearResult();
      showVerdict("malformed", `${file.name} is an image: drop baked badge images one at a time, or their JSON together.`);
      return;
    }
    try {
      badges.push(JSON.parse(await file.text()));
    } catch {
      const message = await notJsonMessage(await file.text(), file.name);
      clearResult();
      showVerdict("malformed", message);
      return;
    }
  }
  $("#credential-json").value = "";
  await verifyPortfolio(badges);
}

async function readFile(file) {
  const imageType = imageTypeOf(file);
  if (imageType) return verifyImage(file, imageType);
  $("#credential-json").value = await file.text();
  await verifyCredential($("#credential-json").value);
}

async function openSharedBadge() {
  if (!hasSharedBadge()) return;
  let text;
  try {
    text = await sharedBadgeText();
  } catch {
    clearResult();
    showVerdict("malformed", "This share link is damaged or cut short: the badge in it cannot be read. Ask for the link again.");
    return;
  }
  $("#credential-json").value = readable(text);
  await verifyCredential(text);
}

function readable(json) {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}

$("#credential-form").addEventListener("submit", (event) => {
  event.preventDefault();
  verifyCredential($("#credential-json").value);
});
$("#credential-file").addEventListener("change", (event) => {
  if (event.target.files.length > 0) readFiles([...event.target.files]);
});
$("#hash-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const hash = $("#credential-hash").value.trim();
  const issuer = $("#hash-issuer").value.trim();
  showImage(null);
  await render(await fetch(`/v1/hashes/${encodeURIComponent(hash)}?issuer=${encodeURIComponent(issuer)}`));
});
const copyButton = $("#copy-share-link");
copyButton.addEventListener("click", async () => {
  const link = $("#share-link");
  link.select();
  try {
    await navigator.clipboard.writeText(link.value);
    copyButton.textContent = "Copied ✔";
  } catch {
    // No clipboard access (a page served over plain HTTP, say): the link is selected, ready for Ctrl+C.
  }
});
const zone = $("#drop-zone");
zone.addEventListener("dragover", (event) => {
  event.preventDefault();
  zone.classList.add("dragging");
});
zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
zone.addEventListener("drop", (event) => {
  event.preventDefault();
  zone.classList.remove("dragging");
  if (event.dataTransfer.files.length > 0) readFiles([...event.dataTransfer.files]);
});
window.addEventListener("hashchange", openSharedBadge);
openSharedBadge();
