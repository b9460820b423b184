/** Reading a JSON input file for a command: a missing file or bad JSON is a one-sentence CommandError. */
import { readFile } from "node:fs/promises";

import { describeStrictJsonProblem, parseStrictJson } from "../../lib/credential/strict-json.js";
import { CommandError } from "../command-errors.js";

export async function readJsonFile(file: string, what = "file"): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new CommandError("missing-input", `${file}: no such ${what}`);
  }
  // Strict I-JSON (RFC 7493): a duplicate name, a __proto__ member, a lone surrogate or an unsafe integer
  // would let the file show one thing and hash as another.
  const parsed = parseStrictJson(text);
  if (!parsed.ok) throw new CommandError("bad-json", `${file} is not strict I-JSON: ${describeStrictJsonProblem(parsed.problem)}`);
  return parsed.value;
}
