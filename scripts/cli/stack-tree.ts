import type { StackResult } from "../../lib/verify/stack-check.js";

/** A stack's pathway and components as an indented tree, one line each, with their standing. */
export function stackTreeLines(stack: StackResult, indent = ""): string[] {
  const lines = [`${indent}pathway "${stack.pathway.name}": ${stack.pathway.status}`];
  stack.components.forEach((component, index) => {
    const last = index === stack.components.length - 1;
    lines.push(`${indent}${last ? "└─" : "├─"} ${component.achievementName} (${component.issuerId}): ${component.status}`);
    if (component.stack) lines.push(...stackTreeLines(component.stack, `${indent}${last ? "   " : "│  "}`));
  });
  return lines;
}
