/** Reading a JSON input file for a command: a missing file or bad JSON is a one-sentence CommandError. */
import { readFile } from "node:fs/promises";

import { describeStrictJsonProblem, parseStrictJsonBytes } from "../../lib/credential/strict-json.js";
import { CommandError } from "../command-errors.js";

export async function readJsonFile(file: string, what = "file"): Promise<unknown> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    throw new CommandError("missing-input", `${file}: no such ${what}`);
  }
  // Strict I-JSON (RFC 7493): a duplicate name, a __proto__ member, a lone surrogate or an unsafe integer
  // would let the file show one thing and hash as another; so would bytes that are not UTF-8.
  const parsed = parseStrictJsonBytes(bytes);
  if (!parsed.ok) throw new CommandError("bad-json", `${file} is not strict I-JSON: ${describeStrictJsonProblem(parsed.problem)}`);
  return parsed.value;
}
