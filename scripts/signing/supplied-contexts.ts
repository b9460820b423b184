/**
 * `--context <url>=<file>[,<url>=<file>…]`: JSON-LD contexts an issuer supplies for badges that name a
 * context the tool does not hold (nothing is fetched when issuing: a context served later could change
 * what a signed badge means). Each file is the context document as its URL serves it.
 */
import { readJsonFile } from "../cli/read-json.js";
import { CommandError } from "../command-errors.js";
import type { JsonLdObject } from "../../lib/signature/contexts.js";

export async function readSuppliedContexts(option: string): Promise<Array<[string, JsonLdObject]>> {
  const pairs = option.split(",").map((part) => part.trim()).filter((part) => part !== "");
  const contexts: Array<[string, JsonLdObject]> = [];
  for (const pair of pairs) {
    const separator = pair.indexOf("=");
    const url = pair.slice(0, separator).trim();
    const file = pair.slice(separator + 1).trim();
    if (separator <= 0 || file === "" || !/^https?:\/\/\S+$/.test(url)) {
      throw new CommandError("bad-context-option", `--context takes <url>=<file> (comma-separated for several), got "${pair}"`);
    }
    const document = await readJsonFile(file);
    if (typeof document !== "object" || document === null || Array.isArray(document) || !("@context" in document)) {
      throw new CommandError("bad-context-file", `${file} is not a JSON-LD context document (an object with "@context"), so it cannot stand for ${url}`);
    }
    contexts.push([url, document as JsonLdObject]);
  }
  return contexts;
}
