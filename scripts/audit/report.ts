/**
 * The audit report and its four renderings: a table for the terminal, JSON and CSV for tools, and a
 * self-contained HTML page (no external asset; every value escaped) with the identities (controller
 * history, operator history, compromise declarations and the anchors each cut off), the tables and the
 * timeline of every event. JSON, CSV and HTML come as chunks, so a timeline of a million events is written
 * out a piece at a time from the compact state, never held whole.
 */
import {
  describeIdentities,
  summariseIssuers,
  summariseMonths,
  timelineEntries,
  timelineLength,
  type AuditState,
  type Finding,
  type IssuerIdentity,
  type IssuerSummary,
  type MonthSummary,
  type TimelineEntry,
} from "../../lib/audit/audit.js";

export interface AuditReport {
  network: string;
  chainId: number;
  registry: string;
  fromBlock: number;
  toBlock: number;
  /** Every registry event read; the timeline has one entry for each (with --issuer: that issuer's). */
  events: number;
  anchorsChecked: number;
  issuers: IssuerSummary[];
  identities: IssuerIdentity[];
  months: MonthSummary[];
  findings: Finding[];
  consistent: boolean;
  timelineLength: number;
  /** The timeline's entries, made as they are read. */
  timeline(): Iterable<TimelineEntry>;
}

export interface ReportMeta {
  network: string;
  chainId: number;
  registry: string;
  fromBlock: number;
  toBlock: number;
  anchorsChecked: number;
  /** Only this issuer id's summaries, identity and timeline (findings stay complete). */
  issuerId?: string;
}

/** Cut-off anchors listed by name in the table and the page (all of them in JSON). */
const LISTED_CUT_OFF = 50;

export function buildReport(state: AuditState, viewFindings: Finding[], meta: ReportMeta): AuditReport {
  const only = meta.issuerId?.toLowerCase();
  const findings = [...state.findings, ...viewFindings];
  return {
    network: meta.network,
    chainId: meta.chainId,
    registry: meta.registry,
    fromBlock: meta.fromBlock,
    toBlock: meta.toBlock,
    events: state.timeline.length,
    anchorsChecked: meta.anchorsChecked,
    issuers: summariseIssuers(state).filter((summary) => !only || summary.issuerId.toLowerCase() === only),
    identities: describeIdentities(state).filter((identity) => !only || identity.issuerId.toLowerCase() === only),
    months: summariseMonths(state),
    findings,
    consistent: findings.length === 0,
    timelineLength: timelineLength(state, only),
    timeline: () => timelineEntries(state, only),
  };
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

export function renderTable(report: AuditReport): string {
  const lines = [
    `Audit of registry ${report.registry} on network "${report.network}" (chain ${report.chainId}), blocks ${report.fromBlock}–${report.toBlock}`,
    `${report.events} events (${report.timelineLength} in the timeline); ${report.issuers.length} issuer(s); ${report.anchorsChecked} anchor(s) cross-checked against the contract's views`,
    "",
    table(
      ["issuer id", "profile id", "status", "controller", "anchors", "credentials", "revoked", "revoked %", "cut off", "suspended", "first activity", "last activity"],
      report.issuers.map((issuer) => [
        issuer.issuerId,
        issuer.profileId,
        issuer.status,
        issuer.controller ?? "(none)",
        String(issuer.anchors),
        String(issuer.credentials),
        String(issuer.revoked),
        issuer.revokedPercent.toFixed(2),
        String(issuer.cutOff),
        String(issuer.suspended),
        issuer.firstActivity ?? "",
        issuer.lastActivity ?? "",
      ]),
    ),
    "",
  ];
  for (const identity of report.identities) {
    lines.push(`${identity.profileId} (${identity.issuerId}): ${identity.status}`);
    lines.push("  controller history:");
    for (const change of identity.controllerHistory) {
      lines.push(`    ${iso(change.timestamp)} block ${change.blockNumber}: ${change.previous ?? "(none)"} → ${change.controller ?? "(none)"} (${change.how}, by ${change.actor})`);
    }
    for (const proposal of identity.proposals) {
      lines.push(`    ${iso(proposal.timestamp)} block ${proposal.blockNumber}: ${proposal.proposed ? `transfer to ${proposal.proposed} proposed` : "proposal cancelled"} by ${proposal.controller}`);
    }
    if (identity.operatorHistory.length > 0) lines.push("  operators:");
    for (const span of identity.operatorHistory) {
      const removed = span.removed ? `, ${span.removed.how === "compromised" ? "removed as compromised" : "removed"} ${iso(span.removed.timestamp)} by ${span.removed.by}` : ", still an operator";
      lines.push(`    ${span.operator}: added ${iso(span.added.timestamp)} by ${span.added.by}${removed}`);
    }
    if (identity.compromises.length > 0) lines.push("  compromise declarations:");
    for (const declaration of identity.compromises) {
      lines.push(
        `    ${declaration.key} (${declaration.keyRole}) compromised since ${declaration.sinceTime}, declared ${iso(declaration.timestamp)} by ${declaration.actor} (${declaration.actorRole})` +
          `${declaration.previousSince !== null ? `, moving the cut-off from ${iso(declaration.previousSince)}` : ""}: cuts off ${declaration.anchorsCutOff.length} anchor(s), ${declaration.credentialsCutOff} credential(s); ${declaration.anchorsKept} earlier anchor(s) stay valid`,
      );
      for (const anchor of declaration.anchorsCutOff.slice(0, LISTED_CUT_OFF)) {
        lines.push(`      ${anchor.root} anchored ${anchor.anchoredAt}, ${anchor.count} credential(s), block ${anchor.blockNumber}`);
      }
      if (declaration.anchorsCutOff.length > LISTED_CUT_OFF) lines.push(`      … and ${declaration.anchorsCutOff.length - LISTED_CUT_OFF} more (see --format json)`);
    }
    lines.push("");
  }
  lines.push(
    table(
      ["month", "anchors", "credentials", "revoked", "suspensions"],
      report.months.map((month) => [month.month, String(month.anchors), String(month.credentials), String(month.revoked), String(month.suspensions)]),
    ),
    "",
  );
  if (report.consistent) lines.push("Consistent: the events obey every rule and match the contract's views.");
  else {
    lines.push(`INCONSISTENT: ${report.findings.length} finding(s):`);
    for (const finding of report.findings) lines.push(`  [${finding.rule}] ${finding.subject}: ${finding.detail}${finding.blockNumber ? ` (block ${finding.blockNumber})` : ""}`);
  }
  return lines.join("\n");
}

/** The whole report as JSON, the timeline entry by entry. */
export function* renderJson(report: AuditReport): Generator<string> {
  const { timeline: _timeline, ...rest } = report;
  const head = JSON.stringify(rest, null, 2);
  yield `${head.slice(0, -2)},\n  "timeline": [`;
  let first = true;
  for (const entry of report.timeline()) {
    yield `${first ? "" : ","}\n    ${JSON.stringify(entry)}`;
    first = false;
  }
  yield `${first ? "" : "\n  "}]\n}\n`;
}

const CSV_COLUMNS = ["time", "blockNumber", "logIndex", "transactionHash", "what", "issuer", "subject", "detail"] as const;

/** The timeline, one event a row (RFC 4180 quoting). */
export function* renderCsv(report: AuditReport): Generator<string> {
  const quote = (value: string | number) => (/[",\n]/.test(String(value)) ? `"${String(value).replaceAll('"', '""')}"` : String(value));
  yield `${CSV_COLUMNS.join(",")}\n`;
  for (const entry of report.timeline()) yield `${CSV_COLUMNS.map((column) => quote(entry[column])).join(",")}\n`;
}

const escape = (value: unknown) => String(value).replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

function htmlTable(headers: string[], body: unknown[][], id?: string): string {
  const rows = body.map((row) => `<tr>${row.map((cell) => `<td>${escape(cell)}</td>`).join("")}</tr>`).join("\n");
  return `<table${id ? ` id="${id}"` : ""}><thead><tr>${headers.map((header) => `<th>${escape(header)}</th>`).join("")}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

function identityHtml(identity: IssuerIdentity): string {
  const parts = [
    `<section class="identity" data-issuer-id="${escape(identity.issuerId)}"><h3>${escape(identity.profileId)} <span class="status">${escape(identity.status)}</span></h3>`,
    `<p>Issuer id <code>${escape(identity.issuerId)}</code>; controller <code>${escape(identity.controller ?? "(none)")}</code>${identity.proposedController ? `; proposed controller <code>${escape(identity.proposedController)}</code>` : ""}</p>`,
    "<h4>Controller history</h4>",
    htmlTable(
      ["Time", "Block", "From", "To", "How", "By"],
      identity.controllerHistory.map((change) => [iso(change.timestamp), change.blockNumber, change.previous ?? "(none)", change.controller ?? "(none)", change.how, change.actor]),
      `controllers-${identity.issuerId}`,
    ),
  ];
  if (identity.proposals.length > 0) {
    parts.push(
      "<h4>Control transfer proposals</h4>",
      htmlTable(["Time", "Block", "By", "Proposed"], identity.proposals.map((proposal) => [iso(proposal.timestamp), proposal.blockNumber, proposal.controller, proposal.proposed ?? "(cancelled)"])),
    );
  }
  parts.push(
    "<h4>Operators</h4>",
    identity.operatorHistory.length === 0
      ? "<p>None.</p>"
      : htmlTable(
          ["Operator", "Added", "Added by", "Removed", "Removed by", "How"],
          identity.operatorHistory.map((span) => [span.operator, iso(span.added.timestamp), span.added.by, span.removed ? iso(span.removed.timestamp) : "", span.removed?.by ?? "", span.removed?.how ?? "active"]),
        ),
  );
  parts.push("<h4>Compromise declarations</h4>");
  if (identity.compromises.length === 0) parts.push("<p>None.</p>");
  for (const declaration of identity.compromises) {
    parts.push(
      `<div class="compromise"><p><strong>${escape(declaration.key)}</strong> (${escape(declaration.keyRole)}) compromised since ${escape(declaration.sinceTime)}, declared ${escape(iso(declaration.timestamp))} (block ${escape(declaration.blockNumber)}) by <code>${escape(declaration.actor)}</code> (${escape(declaration.actorRole)})${declaration.previousSince !== null ? `, moving the cut-off from ${escape(iso(declaration.previousSince))}` : ""}.</p>`,
      `<p>Cuts off <strong class="cut-off-count">${declaration.anchorsCutOff.length}</strong> anchor(s), ${declaration.credentialsCutOff} credential(s), which read revoked (key compromise); ${declaration.anchorsKept} earlier anchor(s) by the key stay valid.</p>`,
    );
    if (declaration.anchorsCutOff.length > 0) {
      parts.push(
        htmlTable(
          ["Root", "Anchored", "Credentials", "Block", "Transaction"],
          declaration.anchorsCutOff.slice(0, LISTED_CUT_OFF).map((anchor) => [anchor.root, anchor.anchoredAt, anchor.count, anchor.blockNumber, anchor.transactionHash]),
        ),
      );
      if (declaration.anchorsCutOff.length > LISTED_CUT_OFF) parts.push(`<p>… and ${declaration.anchorsCutOff.length - LISTED_CUT_OFF} more (the JSON report lists them all).</p>`);
    }
    parts.push("</div>");
  }
  parts.push("</section>");
  return parts.join("\n");
}

export function* renderHtml(report: AuditReport): Generator<string> {
  const verdict = report.consistent
    ? `<p class="ok" id="verdict">Consistent: the events obey every rule and match the contract's views.</p>`
    : `<div class="bad" id="verdict"><p>Inconsistent: ${report.findings.length} finding(s)</p><ul>${report.findings
        .map((finding) => `<li><strong>${escape(finding.rule)}</strong> ${escape(finding.subject)}: ${escape(finding.detail)}${finding.blockNumber ? ` (block ${escape(finding.blockNumber)})` : ""}</li>`)
        .join("")}</ul></div>`;
  yield `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Registry audit — ${escape(report.registry)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;color:#1b1f24;max-width:80rem;margin:0 auto;padding:1.5rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #c9d1d9;vertical-align:top}
th{white-space:nowrap;word-break:keep-all}td{overflow-wrap:anywhere}
.ok{color:#0b6b2e;background:#e3f5e9;padding:.75rem;border:2px solid #0b6b2e;border-radius:6px;font-weight:600}
.bad{color:#a0121d;background:#fde7e9;padding:.75rem;border:2px solid #a0121d;border-radius:6px}
.identity{border-top:2px solid #1f5fbf;margin-top:1.5rem}.status{font-size:.9rem;color:#4a535e;font-weight:400}
.compromise{background:#fff6e0;border-left:4px solid #b35c00;padding:.25rem .75rem;margin:.5rem 0}
ol.timeline{list-style:none;padding:0;border-left:3px solid #1f5fbf;margin-left:.5rem}
ol.timeline li{margin:0 0 .6rem 1rem;position:relative}ol.timeline li::before{content:"";position:absolute;left:-1.45rem;top:.45rem;width:.6rem;height:.6rem;border-radius:50%;background:#1f5fbf}
.when{color:#4a535e;font-size:.9rem}code{font-size:.85rem;overflow-wrap:anywhere}
</style></head><body>
<h1>Registry audit</h1>
<p>Registry <code>${escape(report.registry)}</code> on network “${escape(report.network)}” (chain ${escape(report.chainId)}), blocks ${escape(report.fromBlock)}–${escape(report.toBlock)}:
<span id="event-count">${escape(report.events)}</span> events, ${escape(report.anchorsChecked)} anchor(s) cross-checked against the contract's views.</p>
${verdict}
<h2>Issuers</h2>
${htmlTable(
  ["Issuer id", "Profile id", "Status", "Controller", "Anchors", "Credentials", "Revoked", "Revoked %", "Cut off", "Suspended", "First activity", "Last activity"],
  report.issuers.map((i) => [i.issuerId, i.profileId, i.status, i.controller ?? "(none)", i.anchors, i.credentials, i.revoked, i.revokedPercent.toFixed(2), i.cutOff, i.suspended, i.firstActivity ?? "", i.lastActivity ?? ""]),
  "issuers",
)}
<h2>Identities and keys</h2>
${report.identities.map(identityHtml).join("\n")}
<h2>Per month</h2>
${htmlTable(["Month", "Anchors", "Credentials", "Revoked", "Suspensions"], report.months.map((m) => [m.month, m.anchors, m.credentials, m.revoked, m.suspensions]), "months")}
<h2>Timeline (${escape(report.timelineLength)} events)</h2>
<ol class="timeline" id="timeline">
`;
  for (const entry of report.timeline()) {
    yield `<li><span class="when">${escape(entry.time)} · block ${escape(entry.blockNumber)}</span><br><strong>${escape(entry.what)}</strong> — ${escape(entry.subject)}${entry.detail ? ` <span>(${escape(entry.detail)})</span>` : ""}<br><code>tx ${escape(entry.transactionHash)}</code></li>\n`;
  }
  yield "</ol>\n</body></html>\n";
}

function table(header: string[], body: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column])).join("  ").trimEnd();
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...body.map(line)].join("\n");
}
