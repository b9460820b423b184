// The verification page: reads a dropped, chosen or pasted badge (or a hash), asks the service, and shows
// the verdict, each check, the issuer, the anchor and the achievement. No framework, no external asset;
// everything from the server is inserted as text, never as markup.
const VERDICTS = {
  valid: "Valid", revoked: "Revoked", suspended: "Suspended", expired: "Expired", "not-yet-valid": "Not yet valid",
  tampered: "Tampered with", "unknown-anchor": "Not anchored", "issuer-mismatch": "Issuer mismatch",
  "unsupported-chain": "Unsupported chain", "stack-incomplete": "Stack incomplete", malformed: "Not a valid badge",
  unavailable: "Cannot check now",
};
const EXPLANATIONS = {
  valid: "Authentic, unaltered, from an accredited issuer, not revoked, and within its validity period.",
  unavailable: "The blockchain could not be read. This is not a verdict on the badge: try again shortly.",
};
const MARKS = { pass: "✔ pass", fail: "✘ fail", skip: "– skipped" };

const $ = (selector) => document.querySelector(selector);

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function showVerdict(status, detail) {
  const verdict = $("#verdict");
  verdict.className = `verdict ${status === "valid" ? "valid" : status === "unavailable" ? "unavailable" : "invalid"}`;
  verdict.replaceChildren(element("span", VERDICTS[status] ?? status), element("small", detail ?? EXPLANATIONS[status] ?? ""));
  verdict.dataset.status = status;
  $("#result").hidden = false;
}

function showSummary(entries) {
  const list = $("#summary");
  list.replaceChildren();
  for (const [term, value] of entries) {
    if (value === null || value === undefined || value === "") continue;
    list.append(element("dt", term), element("dd", String(value)));
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

function showResult(result) {
  const firstFailure = result.checks.find((check) => check.result === "fail");
  showVerdict(result.status, result.status === "valid" ? undefined : firstFailure?.detail);
  const credential = result.credential ?? {};
  showSummary([
    ["Achievement", credential.achievementName],
    ["Description", credential.achievementDescription],
    ["Issued by", credential.issuerName ? `${credential.issuerName} (${result.issuer?.profileId ?? ""})` : result.issuer?.profileId],
    ["Issuer status", result.issuer ? `${result.issuer.status} since ${result.issuer.statusSince}` : null],
    ["Awarded to", credential.subjectId],
    ["Valid", credential.validFrom ? `from ${credential.validFrom}${credential.validUntil ? ` until ${credential.validUntil}` : ""}` : null],
    ["Anchored", result.anchor ? `${result.anchor.anchoredAt} on chain ${result.anchor.chainId}, batch of ${result.anchor.count}` : null],
    ["Registry", result.anchor?.registry],
    ["Credential hash", result.credentialHash],
  ]);
  showChecks(result.checks);
  showWarnings(result.warnings);
}

async function verifyCredential(text) {
  let credential;
  try {
    credential = JSON.parse(text);
  } catch {
    showVerdict("malformed", "This is not JSON. A badge file is a JSON document.");
    showSummary([]);
    showChecks([]);
    showWarnings([]);
    return;
  }
  const response = await fetch("/v1/credentials/verify", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ verifiableCredential: credential }),
  });
  await render(response);
}

async function render(response) {
  const body = await response.json().catch(() => null);
  if (body && Array.isArray(body.checks)) return showResult(body);
  showSummary([]);
  showChecks([]);
  showWarnings([]);
  if (body && body.credentialHash && body.anchor) {
    showVerdict(body.status, body.detail);
    showSummary([
      ["Anchored", `${body.anchor.anchoredAt} on chain ${body.anchor.chainId}`],
      ["Issuer", `${body.issuer.address} (${body.issuer.status})`],
      ["Credential hash", body.credentialHash],
    ]);
    showWarnings(body.warnings ?? []);
    return;
  }
  const status = response.status === 503 ? "unavailable" : response.status === 404 ? "unknown-anchor" : "malformed";
  showVerdict(status, body?.detail);
}

async function readFile(file) {
  $("#credential-json").value = await file.text();
  await verifyCredential($("#credential-json").value);
}

$("#credential-form").addEventListener("submit", (event) => {
  event.preventDefault();
  verifyCredential($("#credential-json").value);
});
$("#credential-file").addEventListener("change", (event) => {
  const [file] = event.target.files;
  if (file) readFile(file);
});
$("#hash-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const hash = $("#credential-hash").value.trim();
  await render(await fetch(`/v1/hashes/${encodeURIComponent(hash)}`));
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
  const [file] = event.dataTransfer.files;
  if (file) readFile(file);
});
