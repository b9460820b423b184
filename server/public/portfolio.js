// The portfolio view: several badges (or one bundle) verified together by POST /v1/presentations/verify —
// a summary, each badge's verdict, stacks drawn as trees, and the skills the valid badges show. Issuers are
// named as verified (their id, and the name their own DID document gives); a badge's own naming of its
// issuer only as "as stated by the badge".
import { $, element } from "./dom.js";
import { issuerLine } from "./issuer-names.js";
import { confirmationLine, stackTree } from "./stack-tree.js";


/** Whether a parsed JSON document is a portfolio rather than one badge. */
export function isPortfolio(value) {
  if (Array.isArray(value)) return true;
  const types = value && typeof value === "object" ? [value.type].flat() : [];
  return types.includes("VerifiablePresentation") || types.includes("ClrCredential");
}

export function hidePortfolio() {
  $("#portfolio").hidden = true;
}

/** A result's verdict for people: a revocation by a key's compromise says so. */
function verdictOf(result, verdicts) {
  const label = verdicts[result.status] ?? result.status;
  return result.status === "revoked" && result.anchor?.keyCompromised ? `${label} — key compromised` : label;
}

/** Renders the answer of /v1/presentations/verify; `verdicts` names each status for people. */
export function showPortfolio(body, verdicts) {
  const section = $("#portfolio");
  const { summary } = body;
  const headline = $("#portfolio-verdict");
  const allValid = summary.verified === summary.total;
  headline.className = `verdict ${allValid ? "valid" : body.results.some((result) => result.status === "unavailable") ? "unavailable" : "invalid"}`;
  headline.replaceChildren(
    element("span", `${summary.verified} of ${summary.total} badges valid`),
    element("small", summary.sameSubject ? `All awarded to ${summary.subjects[0] ?? "the same holder"}.` : `Awarded to ${summary.subjects.length} different holders: ${summary.subjects.join(", ")}.`),
  );
  headline.dataset.verified = String(summary.verified);

  const rows = body.results.map((result, index) => {
    const row = element("tr");
    row.dataset.status = result.status;
    const name = result.credential?.achievementName ?? `Badge ${index + 1}`;
    const failure = result.checks.find((check) => check.result === "fail");
    row.append(
      element("th", name),
      element("td", result.credential ? issuerLine(result.credential.issuer) : "—"),
      element("td", result.credential?.subjectId ?? "—"),
      element("td", verdictOf(result, verdicts), result.verified ? "pass" : "fail"),
      element("td", failure?.detail ?? ""),
    );
    row.firstChild.setAttribute("scope", "row");
    return row;
  });
  $("#portfolio-results tbody").replaceChildren(...rows);

  const stacks = body.results.filter((result) => result.stack);
  $("#portfolio-stacks").replaceChildren(
    ...stacks.map((result) => {
      const figure = element("figure", undefined, "stack");
      figure.append(
        element("figcaption", `${result.credential.achievementName}: ${verdicts[result.status] ?? result.status} — ${confirmationLine(result.stack)}`),
        stackTree(result.stack),
      );
      return figure;
    }),
  );
  $("#portfolio-stacks-heading").hidden = stacks.length === 0;

  $("#skills").replaceChildren(
    ...body.skills.map((skill) => {
      const entry = element("li");
      entry.append(element("strong", skill.name), ` — ${skill.achievementType ?? "achievement"}, ${issuerLine(skill.issuer)}`);
      if (skill.alignments.length > 0) {
        const alignments = element("ul");
        alignments.append(...skill.alignments.map((alignment) => element("li", `${alignment.targetFramework ?? "framework"}: ${alignment.targetName}${alignment.targetCode ? ` (${alignment.targetCode})` : ""}`)));
        entry.append(alignments);
      }
      return entry;
    }),
  );
  section.hidden = false;
}
