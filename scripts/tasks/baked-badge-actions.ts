/**
 * Actions of `credentials bake` and `credentials extract`: files in and out around lib/baked/baked-badge.ts.
 * Neither touches a chain; `credentials verify` (or the verifier service) checks what was extracted.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { badgeSvg } from "../../lib/baked/badge-svg.js";
import { bakeCredential, extractBakedCredential, type ImageFormat } from "../../lib/baked/baked-badge.js";
import { credentialHash } from "../../lib/credential/canonical.js";
import { parseCredential, type OpenBadgeCredential } from "../../lib/credential/credential.js";
import { CommandError, runCommand } from "../command-errors.js";
import { readJsonFile } from "../cli/read-json.js";
import { invalidBadgeError } from "./credentials-actions.js";

export async function bakeAction(args: { badge: string; image: string; out: string; json: boolean }) {
  await runCommand(args.json, async () => {
    if (!args.out) throw new CommandError("missing-out", "--out <file> is required: the baked image is written there");
    const badge = await readJsonFile(args.badge);
    const parsed = parseCredential(badge);
    if (!parsed.ok) throw invalidBadgeError(args.badge, parsed.problems);
    // The badge as written in its file is what travels, not the schema's reading of it.
    const credential = badge as OpenBadgeCredential;
    const artwork = args.image ? await readImage(args.image) : new TextEncoder().encode(badgeSvg(credential));
    const baked = bakeCredential(artwork, credential);
    if (!baked.ok) throw new CommandError("bad-image", `${args.image || "the generated image"}: ${baked.problem}`);
    const { format, image } = baked.value;
    const extension = path.extname(args.out).toLowerCase();
    if (extension !== `.${format}`) {
      throw new CommandError("wrong-extension", `the baked image is ${describe(format)}: name --out <file>.${format}, not ${path.basename(args.out)}`);
    }
    await writeFile(args.out, image);
    const achievement = credential.credentialSubject.achievement.name;
    if (args.json) {
      const summary = { badge: args.badge, image: args.image || null, out: args.out, format, bytes: image.length, credentialId: credential.id, credentialHash: credentialHash(parsed.credential) };
      console.log(JSON.stringify(summary));
      return;
    }
    console.log(`Baked "${achievement}" (${credential.id}) into ${args.out}`);
    console.log(`  image   ${args.image || "generated from the achievement and issuer"}, ${describe(format)} of ${image.length.toLocaleString("en-US")} bytes`);
  });
}

export async function extractAction(args: { image: string; out: string; json: boolean }) {
  await runCommand(args.json, async () => {
    const result = extractBakedCredential(await readImage(args.image));
    if (!result.ok) throw new CommandError("bad-image", `${args.image}: ${result.problem}`);
    const { format, credential } = result.value;
    const text = `${JSON.stringify(credential, null, 2)}\n`;
    if (!args.out) {
      // The badge itself is the output: on its own, so that it can be piped or redirected.
      console.log(args.json ? JSON.stringify({ image: args.image, format, credential }) : text.trimEnd());
      return;
    }
    await writeFile(args.out, text);
    if (args.json) console.log(JSON.stringify({ image: args.image, format, out: args.out, credentialId: credential.id }));
    else console.log(`Extracted "${credential.credentialSubject.achievement.name}" (${credential.id}) from ${args.image} (${describe(format)}) into ${args.out}`);
  });
}

async function readImage(file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch {
    throw new CommandError("missing-input", `${file}: no such file`);
  }
}

function describe(format: ImageFormat): string {
  return format === "png" ? "a PNG" : "an SVG";
}
