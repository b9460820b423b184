/**
 * The audit report and its four renderings: a table for the terminal, JSON and CSV for tools, and a
 * self-contained HTML page (no external asset; every value escaped) with the timeline and the tables.
 */
import {
  summariseIssuers,
  summariseMonths,
  type AuditState,
  type Finding,
  type IssuerSummary,
  type MonthSummary,
} from "../../lib/audit/audit.js";

export interface TimelineEntry {
  time: string;
  blockNumber: number;
  transactionHash: string;
  what: string;
  issuer: string;
  subject: string;
  detail: string;
}

export interface AuditReport {
  network: string;
  chainId: number;
  registry: string;
  fromBlock: number;
  toBlock: number;
  events: number;
  anchorsChecked: number;
  issuers: IssuerSummary[];
  months: MonthSummary[];
  timeline: TimelineEntry[];
  findings: Finding[];
  consistent: boolean;
}

export interface ReportMeta {
  network: string;
  chainId: number;
  registry: string;
  fromBlock: number;
  toBlock: number;
  anchorsChecked: number;
  /** Only this issuer's summaries and timeline (findings stay complete). */
  issuer?: string;
}

export function buildReport(state: AuditState, viewFindings: Finding[], meta: ReportMeta): AuditReport {
  const only = meta.issuer?.toLowerCase();
  const timeline: TimelineEntry[] = [];
  const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
  for (const issuer of state.issuers.values()) {
    issuer.timeline.forEach((period, position) =>
      timeline.push({
        time: iso(period.since),
        blockNumber: period.blockNumber,
        transactionHash: period.transactionHash,
        what: position === 0 ? "issuer registered" : `issuer ${period.status}`,
        issuer: issuer.address,
        subject: issuer.profileId,
        detail: position === 0 ? "" : `reason: ${period.reason}`,
      }),
    );
  }
  for (const anchor of state.anchors.values()) {
    timeline.push({
      time: iso(anchor.timestamp),
      blockNumber: anchor.blockNumber,
      transactionHash: anchor.transactionHash,
      what: "batch anchored",
      issuer: anchor.issuer,
      subject: anchor.root,
      detail: `${anchor.count} credential(s), by ${anchor.actor}`,
    });
    for (const change of anchor.changes) {
      timeline.push({
        time: iso(change.timestamp),
        blockNumber: change.blockNumber,
        transactionHash: change.transactionHash,
        what: { revoke: "credentials revoked", suspend: "credentials suspended", unsuspend: "suspension lifted", "revoke-batch": "batch revoked" }[change.kind],
        issuer: anchor.issuer,
        subject: anchor.root,
        detail: `${change.kind === "revoke-batch" ? "all" : `indices ${compactIndices(change.indices)}`}; reason: ${change.reason}; by ${change.actor}`,
      });
    }
  }
  timeline.sort((a, b) => a.blockNumber - b.blockNumber || a.time.localeCompare(b.time));
  const findings = [...state.findings, ...viewFindings];
  return {
    network: meta.network,
    chainId: meta.chainId,
    registry: meta.registry,
    fromBlock: meta.fromBlock,
    toBlock: meta.toBlock,
    events: state.events,
    anchorsChecked: meta.anchorsChecked,
    issuers: summariseIssuers(state).filter((summary) => !only || summary.issuer.toLowerCase() === only),
    months: summariseMonths(state),
    timeline: timeline.filter((entry) => !only || entry.issuer.toLowerCase() === only),
    findings,
    consistent: findings.length === 0,
  };
}

export function renderTable(report: AuditReport): string {
  const lines = [
    `Audit of registry ${report.registry} on network "${report.network}" (chain ${report.chainId}), blocks ${report.fromBlock}–${report.toBlock}`,
    `${report.events} events; ${report.issuers.length} issuer(s); ${report.anchorsChecked} anchor(s) cross-checked against the contract's views`,
    "",
    table(
      ["issuer", "profile id", "status", "anchors", "credentials", "revoked", "revoked %", "suspended", "first activity", "last activity"],
      report.issuers.map((issuer) => [
        issuer.issuer,
        issuer.profileId,
        issuer.status,
        String(issuer.anchors),
        String(issuer.credentials),
        String(issuer.revoked),
        issuer.revokedPercent.toFixed(2),
        String(issuer.suspended),
        issuer.firstActivity ?? "",
        issuer.lastActivity ?? "",
      ]),
    ),
    "",
    table(
      ["month", "anchors", "credentials", "revoked", "suspensions"],
      report.months.map((month) => [month.month, String(month.anchors), String(month.credentials), String(month.revoked), String(month.suspensions)]),
    ),
    "",
  ];
  if (report.consistent) lines.push("Consistent: the events obey every rule and match the contract's views.");
  else {
    lines.push(`INCONSISTENT: ${report.findings.length} finding(s):`);
    for (const finding of report.findings) lines.push(`  [${finding.rule}] ${finding.subject}: ${finding.detail}${finding.blockNumber ? ` (block ${finding.blockNumber})` : ""}`);
  }
  return lines.join("\n");
}

const CSV_COLUMNS = ["time", "blockNumber", "transactionHash", "what", "issuer", "subject", "detail"] as const;

/** The timeline, one event a row (RFC 4180 quoting). */
export function renderCsv(report: AuditReport): string {
  const quote = (value: string | number) => (/[",\n]/.test(String(value)) ? `"${String(value).replaceAll('"', '""')}"` : String(value));
  return [CSV_COLUMNS.join(","), ...report.timeline.map((entry) => CSV_COLUMNS.map((column) => quote(entry[column])).join(","))].join("\n") + "\n";
}

export function renderHtml(report: AuditReport): string {
  const escape = (value: unknown) =>
    String(value).replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
  const rows = (cells: unknown[][]) => cells.map((row) => `<tr>${row.map((cell) => `<td>${escape(cell)}</td>`).join("")}</tr>`).join("\n");
  const verdict = report.consistent
    ? `<p class="ok" id="verdict">Consistent: the events obey every rule and match the contract's views.</p>`
    : `<div class="bad" id="verdict"><p>Inconsistent: ${report.findings.length} finding(s)</p><ul>${report.findings
        .map((finding) => `<li><strong>${escape(finding.rule)}</strong> ${escape(finding.subject)}: ${escape(finding.detail)}</li>`)
        .join("")}</ul></div>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Registry audit — ${escape(report.registry)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;color:#1b1f24;max-width:72rem;margin:0 auto;padding:1.5rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #c9d1d9;vertical-align:top;overflow-wrap:anywhere}
.ok{color:#0b6b2e;background:#e3f5e9;padding:.75rem;border:2px solid #0b6b2e;border-radius:6px;font-weight:600}
.bad{color:#a0121d;background:#fde7e9;padding:.75rem;border:2px solid #a0121d;border-radius:6px}
ol.timeline{list-style:none;padding:0;border-left:3px solid #1f5fbf;margin-left:.5rem}
ol.timeline li{margin:0 0 .6rem 1rem;position:relative}ol.timeline li::before{content:"";position:absolute;left:-1.45rem;top:.45rem;width:.6rem;height:.6rem;border-radius:50%;background:#1f5fbf}
.when{color:#4a535e;font-size:.9rem}code{font-size:.85rem}
</style></head><body>
<h1>Registry audit</h1>
<p>Registry <code>${escape(report.registry)}</code> on network “${escape(report.network)}” (chain ${escape(report.chainId)}), blocks ${escape(report.fromBlock)}–${escape(report.toBlock)}:
${escape(report.events)} events, ${escape(report.anchorsChecked)} anchor(s) cross-checked against the contract's views.</p>
${verdict}
<h2>Issuers</h2>
<table><thead><tr><th>Issuer</th><th>Profile id</th><th>Status</th><th>Anchors</th><th>Credentials</th><th>Revoked</th><th>Revoked %</th><th>Suspended</th><th>First activity</th><th>Last activity</th></tr></thead><tbody>
${rows(report.issuers.map((i) => [i.issuer, i.profileId, i.status, i.anchors, i.credentials, i.revoked, i.revokedPercent.toFixed(2), i.suspended, i.firstActivity ?? "", i.lastActivity ?? ""]))}
</tbody></table>
<h2>Per month</h2>
<table><thead><tr><th>Month</th><th>Anchors</th><th>Credentials</th><th>Revoked</th><th>Suspensions</th></tr></thead><tbody>
${rows(report.months.map((m) => [m.month, m.anchors, m.credentials, m.revoked, m.suspensions]))}
</tbody></table>
<h2>Timeline</h2>
<ol class="timeline" id="timeline">
${report.timeline
  .map(
    (entry) =>
      `<li><span class="when">${escape(entry.time)} · block ${escape(entry.blockNumber)}</span><br><strong>${escape(entry.what)}</strong> — ${escape(entry.subject)}${entry.detail ? ` <span>(${escape(entry.detail)})</span>` : ""}<br><code>tx ${escape(entry.transactionHash)}</code></li>`,
  )
  .join("\n")}
</ol>
</body></html>
`;
}

function table(header: string[], body: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column])).join("  ").trimEnd();
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...body.map(line)].join("\n");
}

function compactIndices(indices: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < indices.length; i++) {
    let j = i;
    while (j + 1 < indices.length && indices[j + 1] === indices[j] + 1) j++;
    parts.push(j > i ? `${indices[i]}–${indices[j]}` : String(indices[i]));
    i = j;
  }
  return parts.join(", ");
}
