// A stacked credential's pathway and components as a nested list, each with its standing; a component
// that is itself a stack holds its own list. Text only, never markup from the server.
// The chain checks a component's hash only: a check mark is shown only for a component confirmed by the
// badge itself (sent with the stack). Any other is "claimed by" the issuer whose stack names it — never a
// plain check mark — and one whose badge says otherwise is marked as not what the stack says.
const LABELS = {
  valid: "valid", revoked: "revoked", suspended: "suspended", "unknown-anchor": "not anchored", tampered: "tampered with",
  "unsupported-chain": "unsupported chain", unavailable: "cannot check now",
  "untrusted-registry": "registry not trusted for its issuer",
};

function item(text, status, mark, detail) {
  const entry = document.createElement("li");
  entry.dataset.status = status;
  const name = document.createElement("span");
  name.textContent = text;
  const standing = document.createElement("span");
  standing.className = `standing ${mark.kind}`;
  standing.textContent = mark.text;
  standing.title = detail;
  entry.append(name, " — ", standing);
  return entry;
}

/** How a component's standing reads: its chain status first, then whether the badge itself confirmed it. */
function componentMark(component) {
  if (component.status !== "valid") return { kind: "bad", text: `✘ ${LABELS[component.status] ?? component.status}` };
  if (component.confirmation === "refuted") return { kind: "bad", text: "✘ not what the stack says" };
  if (component.confirmation === "confirmed") return { kind: "ok", text: "✔ valid, confirmed" };
  return { kind: "claimed", text: `? claimed by ${component.claimedBy}` };
}

/** The tree of `stack` (a StackResult of the API) as an element. */
export function stackTree(stack) {
  const list = document.createElement("ul");
  list.className = "stack-tree";
  const pathway = stack.pathway;
  const pathwayMark = pathway.status === "valid" ? { kind: "ok", text: "✔ published by its issuer" } : { kind: "bad", text: `✘ ${LABELS[pathway.status] ?? pathway.status}` };
  list.append(item(`Pathway: ${pathway.name}`, pathway.status, pathwayMark, pathway.detail));
  for (const component of stack.components) {
    const entry = item(
      `${component.achievementName} — ${component.issuerId}, issued ${component.issuedAt.slice(0, 10)}`,
      component.status,
      componentMark(component),
      `${component.detail}. ${component.confirmationDetail}`,
    );
    entry.dataset.component = component.achievementName;
    entry.dataset.confirmation = component.confirmation;
    if (component.stack) entry.append(stackTree(component.stack));
    list.append(entry);
  }
  return list;
}

/** One line on how much of a stack was confirmed, for its heading. */
export function confirmationLine(stack) {
  const { confirmed, claimed, refuted } = stack.confirmation;
  const total = confirmed + claimed + refuted;
  if (refuted > 0) return `${refuted} of ${total} components are not what the stack says`;
  if (claimed === 0) return `all ${total} components confirmed by the badges themselves`;
  return `${confirmed} of ${total} components confirmed; the rest are claims of the issuer that stacked them`;
}
