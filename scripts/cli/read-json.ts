/** Reading a JSON input file for a command: a missing file or bad JSON is a one-sentence CommandError. */
import { readFile } from "node:fs/promises";

import { CommandError } from "../command-errors.js";

export async function readJsonFile(file: string, what = "file"): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new CommandError("missing-input", `${file}: no such ${what}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CommandError("bad-json", `${file} is not valid JSON: ${(error as Error).message}`);
  }
}
