/**
 * `credentials bake` and `credentials extract` as tasks: an anchored badge baked into a PNG, into an SVG
 * (given or generated), extracted again and still valid on the chain; refusals with their codes.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import hre from "hardhat";

import { setUpSampleRegistry } from "../../scripts/sample-registry.js";
import { EXAMPLES_DIR } from "../helpers/badges.js";
import { ARTWORK_PNG_FILE, ARTWORK_SVG } from "../helpers/images.js";
import { captureOutput } from "../helpers/output.js";

const connection = await hre.network.getOrCreate();
const sample = await setUpSampleRegistry(connection, await mkdtemp(path.join(tmpdir(), "baked-commands-sample-")));
const anchoredBadge = sample.badge("university", "uni-data-analytics-foundations");

let workDir: string;
const inWorkDir = (name: string) => path.join(workDir, name);

function bake(args: { badge: string; image?: string; out?: string; json?: boolean }) {
  return captureOutput(() => hre.tasks.getTask(["credentials", "bake"]).run({ image: "", out: "", json: false, ...args }));
}

function extract(args: { image: string; out?: string; json?: boolean }) {
  return captureOutput(() => hre.tasks.getTask(["credentials", "extract"]).run({ out: "", json: false, ...args }));
}

async function verdictOf(badge: string): Promise<string> {
  const output = await captureOutput(() => hre.tasks.getTask(["credentials", "verify"]).run({ badge, registry: sample.registry, from: "", json: true }));
  return JSON.parse(output.stdout).status;
}

describe("credentials bake and extract", function () {
  this.timeout(60_000);

  beforeEach(async function () {
    workDir = await mkdtemp(path.join(tmpdir(), "baked-commands-"));
  });

  afterEach(async function () {
    await rm(workDir, { recursive: true, force: true });
  });

  it("bakes an anchored badge into a PNG, and extracts it as the same badge, still valid on chain", async function () {
    const baked = await bake({ badge: anchoredBadge, image: ARTWORK_PNG_FILE, out: inWorkDir("badge.png") });
    expect(baked.exitCode).to.equal(0);
    expect(baked.stdout).to.match(/^Baked "Data Analytics Foundations" \(urn:uuid:[0-9a-f-]{36}\) into .*badge\.png\n {2}image {3}.*badge-artwork\.png, a PNG of [\d,]+ bytes$/);

    const extracted = await extract({ image: inWorkDir("badge.png"), out: inWorkDir("extracted.json") });
    expect(extracted.exitCode).to.equal(0);
    expect(extracted.stdout).to.contain("from " + inWorkDir("badge.png") + " (a PNG) into " + inWorkDir("extracted.json"));
    expect(JSON.parse(await readFile(inWorkDir("extracted.json"), "utf8"))).to.deep.equal(JSON.parse(await readFile(anchoredBadge, "utf8")));
    expect(await verdictOf(inWorkDir("extracted.json"))).to.equal("valid");
  });

  it("bakes into a generated SVG without --image, and prints the badge when extracting without --out", async function () {
    const baked = await bake({ badge: anchoredBadge, out: inWorkDir("badge.svg"), json: true });
    const summary = JSON.parse(baked.stdout);
    expect(summary).to.include({ image: null, format: "svg", out: inWorkDir("badge.svg") });
    const svg = await readFile(inWorkDir("badge.svg"), "utf8");
    expect(svg).to.contain("<title id=\"badge-title\">Data Analytics Foundations</title>");

    const printed = await extract({ image: inWorkDir("badge.svg") });
    expect(printed.exitCode).to.equal(0);
    expect(JSON.parse(printed.stdout)).to.deep.equal(JSON.parse(await readFile(anchoredBadge, "utf8")));
    const asJson = JSON.parse((await extract({ image: inWorkDir("badge.svg"), json: true })).stdout);
    expect(asJson).to.include({ format: "svg" });
    expect(asJson.credential.id).to.equal(summary.credentialId);
  });

  it("bakes into a given SVG, replacing the badge it carried", async function () {
    await writeFile(inWorkDir("artwork.svg"), ARTWORK_SVG);
    await bake({ badge: anchoredBadge, image: inWorkDir("artwork.svg"), out: inWorkDir("first.svg") });
    const other = sample.badge("employer", "meridian-secure-coding-practitioner");
    const rebaked = await bake({ badge: other, image: inWorkDir("first.svg"), out: inWorkDir("second.svg") });
    expect(rebaked.exitCode).to.equal(0);
    const printed = await extract({ image: inWorkDir("second.svg") });
    expect(JSON.parse(printed.stdout)).to.deep.equal(JSON.parse(await readFile(other, "utf8")));
  });

  it("refuses, with a code and exit code 2: a hostile image, an image with no badge, a draft badge, a wrong extension", async function () {
    await writeFile(inWorkDir("hostile.svg"), '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const hostile = await bake({ badge: anchoredBadge, image: inWorkDir("hostile.svg"), out: inWorkDir("out.svg"), json: true });
    expect(hostile.exitCode).to.equal(2);
    expect(JSON.parse(hostile.stdout).error).to.deep.equal({
      code: "bad-image",
      message: `${inWorkDir("hostile.svg")}: the SVG contains a <script> element, which a badge image must not`,
    });

    const plain = await extract({ image: ARTWORK_PNG_FILE });
    expect(plain.exitCode).to.equal(2);
    expect(plain.stderr).to.equal(`Error: ${ARTWORK_PNG_FILE}: the PNG carries no badge: it has no iTXt chunk with the keyword "openbadgecredential"`);

    const draft = await bake({ badge: path.join(EXAMPLES_DIR, "uni-sql-for-analysts.json"), out: inWorkDir("draft.svg"), json: true });
    expect(JSON.parse(draft.stdout).error.code).to.equal("invalid-badge");

    const wrongExtension = await bake({ badge: anchoredBadge, out: inWorkDir("badge.png") });
    expect(wrongExtension.stderr).to.equal("Error: the baked image is an SVG: name --out <file>.svg, not badge.png");

    const missing = await extract({ image: inWorkDir("nothing.png"), json: true });
    expect(JSON.parse(missing.stdout).error.code).to.equal("missing-input");
    expect(missing.exitCode).to.equal(2);
  });
});
