// A stacked credential's pathway and components as a nested list, each with its standing; a component
// that is itself a stack holds its own list. Text only, never markup from the server.
const LABELS = {
  valid: "valid", revoked: "revoked", suspended: "suspended", "unknown-anchor": "not anchored", tampered: "tampered with",
  "unsupported-chain": "unsupported chain", unavailable: "cannot check now",
  "untrusted-registry": "registry not trusted for its issuer",
};

function item(text, status, detail) {
  const entry = document.createElement("li");
  entry.dataset.status = status;
  const name = document.createElement("span");
  name.textContent = text;
  const mark = document.createElement("span");
  mark.className = `standing ${status === "valid" ? "ok" : "bad"}`;
  mark.textContent = `${status === "valid" ? "✔" : "✘"} ${LABELS[status] ?? status}`;
  mark.title = detail;
  entry.append(name, " — ", mark);
  return entry;
}

/** The tree of `stack` (a StackResult of the API) as an element. */
export function stackTree(stack) {
  const list = document.createElement("ul");
  list.className = "stack-tree";
  list.append(item(`Pathway: ${stack.pathway.name}`, stack.pathway.status, stack.pathway.detail));
  for (const component of stack.components) {
    const entry = item(`${component.achievementName} — ${component.issuerId}, issued ${component.issuedAt.slice(0, 10)}`, component.status, component.detail);
    entry.dataset.component = component.achievementName;
    if (component.stack) entry.append(stackTree(component.stack));
    list.append(entry);
  }
  return list;
}
