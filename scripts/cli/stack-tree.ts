import type { StackResult } from "../../lib/verify/stack-check.js";

/** The chain checks a component's hash; what it is and whose is confirmed only by the badge itself. */
const CONFIRMATIONS = {
  confirmed: () => ", confirmed by the badge itself",
  claimed: (by: string) => ` (hash only; what it is and whose: claimed by ${by})`,
  refuted: () => ", NOT what the stack says (the badge itself differs)",
} as const;

/** A stack's pathway and components as an indented tree, one line each, with their standing. */
export function stackTreeLines(stack: StackResult, indent = ""): string[] {
  const lines = [`${indent}pathway "${stack.pathway.name}": ${stack.pathway.status}`];
  stack.components.forEach((component, index) => {
    const last = index === stack.components.length - 1;
    lines.push(`${indent}${last ? "└─" : "├─"} ${component.achievementName} (${component.issuerId}): ${component.status}${CONFIRMATIONS[component.confirmation](component.claimedBy)}`);
    if (component.stack) lines.push(...stackTreeLines(component.stack, `${indent}${last ? "   " : "│  "}`));
  });
  return lines;
}
