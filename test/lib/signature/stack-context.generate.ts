/**
 * Writes lib/signature/stack-context.ts from contexts/stack-v1.jsonld, the one source of truth of our
 * context: lib/ may not read files, and Node cannot import a `.jsonld` file as JSON, so the context is
 * bundled as a generated module. `node test/lib/signature/stack-context.generate.ts` regenerates it;
 * the test beside this file fails when the two differ. Imported by that test, this file writes nothing.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = new URL("../../../", import.meta.url);
export const STACK_CONTEXT_FILE = fileURLToPath(new URL("contexts/stack-v1.jsonld", root));
export const STACK_CONTEXT_MODULE = fileURLToPath(new URL("lib/signature/stack-context.ts", root));

/** The TypeScript module holding the context file's JSON. */
export function renderStackContextModule(): string {
  const context: unknown = JSON.parse(readFileSync(STACK_CONTEXT_FILE, "utf8"));
  return [
    "/**",
    " * GENERATED from contexts/stack-v1.jsonld by test/lib/signature/stack-context.generate.ts: do not edit;",
    " * edit the .jsonld and run `node test/lib/signature/stack-context.generate.ts` (a test checks they agree).",
    " */",
    `export const STACK_CONTEXT_DOCUMENT: Record<string, unknown> = ${JSON.stringify(context, null, 2)};`,
    "",
  ].join("\n");
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(STACK_CONTEXT_MODULE, renderStackContextModule());
  console.log(`wrote ${STACK_CONTEXT_MODULE} from ${STACK_CONTEXT_FILE}`);
}
