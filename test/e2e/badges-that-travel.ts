/**
 * Badges that travel, on the verification page in a real headless Chromium against the real service: a
 * baked PNG dropped on the page, a hostile SVG chosen (never run), the share link of a valid badge opened
 * in a new page (same verdict, and the badge never sent to the server in a URL), and the add-to-profile
 * link's parameters. Screenshots go to test-output/screenshots/.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import { network } from "hardhat";
import type { Page } from "playwright-core";

import { bakeCredential } from "../../lib/baked/baked-badge.js";
import type { OpenBadgeCredential } from "../../lib/credential/credential.js";
import { pageTests, SCREENSHOTS } from "../helpers/browser.js";
import { artworkPng } from "../helpers/images.js";
import { chainConfig, pinnedSampleDocuments, sampleOnInProcessChain, startTestService } from "../helpers/verifier-app.js";

describe("badges that travel: baked images and share links on the page", function () {
  this.timeout(120_000);
  let badge: OpenBadgeCredential;

  const session = pageTests(async () => {
    const { sample, client } = await sampleOnInProcessChain(await network.create());
    badge = JSON.parse(await readFile(sample.badge("university", "uni-data-analytics-foundations"), "utf8"));
    return startTestService({ chains: [{ config: chainConfig(sample.chainId, sample.registry), client }], cacheTtlSeconds: 0, documents: { pinned: pinnedSampleDocuments(sample) } });
  });

  function bakedPng(credential: object): number[] {
    const baked = bakeCredential(artworkPng(), credential as OpenBadgeCredential);
    if (!baked.ok) throw new Error(baked.problem);
    return [...baked.value.image];
  }

  async function drop(on: Page, bytes: number[], name: string, type: string) {
    await on.evaluate(
      ({ bytes, name, type }) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(bytes)], name, { type }));
        document.querySelector("#drop-zone")!.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
      },
      { bytes, name, type },
    );
  }

  async function shownVerdict(on: Page) {
    await on.waitForSelector("#verdict[data-status]");
    return {
      status: await on.getAttribute("#verdict", "data-status"),
      checks: await on.$$eval("#checks tbody tr", (rows) => rows.map((row) => `${row.getAttribute("data-check")}: ${row.querySelector("td")?.className}`)),
      summary: await on.textContent("#summary"),
    };
  }

  async function dropValidBakedPng() {
    await drop(session.page, bakedPng(badge), "data-analytics.png", "image/png");
    const verdict = await shownVerdict(session.page);
    await session.page.waitForSelector("#share:not([hidden])");
    return verdict;
  }

  it("verifies a dropped baked PNG: the verdict, the image, and the badge found in it", async function () {
    const verdict = await dropValidBakedPng();
    expect(verdict.status).to.equal("valid");
    // Signed by its issuer (a Data Integrity proof) → the signature check passes; unsigned → skipped, with a warning.
    const signed = [badge.proof].flat().some((proof) => proof?.type === "DataIntegrityProof");
    expect(verdict.checks).to.deep.equal([
      "format: pass",
      `signature: ${signed ? "pass" : "skip"}`,
      ...["proof", "integrity", "anchor", "issuer", "status"].map((check) => `${check}: pass`),
      "stack: skip", // not a stacked credential
      "validity: pass",
    ]);
    expect(verdict.summary).to.contain("Data Analytics Foundations");
    const image = await session.page.$eval("#badge-image", (element) => {
      const img = element as HTMLImageElement;
      return { hidden: img.hidden, src: img.src, alt: img.alt, width: img.naturalWidth };
    });
    expect(image).to.include({ hidden: false, alt: "The badge image you chose: data-analytics.png", width: 120 });
    expect(image.src).to.match(/^blob:/);
    expect(JSON.parse(await session.page.inputValue("#credential-json"))).to.deep.equal(badge);
    await session.page.screenshot({ path: path.join(SCREENSHOTS, "page-baked-png.png"), fullPage: true });
  });

  it("opens the share link in a new page with the same verdict, the badge never in a request", async function () {
    const first = await dropValidBakedPng();
    const link = await session.page.inputValue("#share-link");
    expect(link.startsWith(`${session.service.url}/#badge=`)).to.equal(true);

    const shared = await session.browser.newPage();
    const requested: string[] = [];
    shared.on("request", (request) => requested.push(request.url()));
    try {
      await shared.goto(link);
      const again = await shownVerdict(shared);
      expect(again).to.deep.equal(first);
      expect(JSON.parse(await shared.inputValue("#credential-json"))).to.deep.equal(badge);
      expect(await shared.isHidden("#badge-image")).to.equal(true);
      expect(requested.length).to.be.greaterThan(0);
      expect(requested.filter((url) => url.includes("badge="))).to.deep.equal([]);
      await shared.screenshot({ path: path.join(SCREENSHOTS, "page-share-link.png"), fullPage: true });
    } finally {
      await shared.close();
    }
  });

  it("offers an add-to-profile link filled in from the badge alone", async function () {
    await dropValidBakedPng();
    const link = await session.page.inputValue("#share-link");
    const anchor = await session.page.$eval("#add-to-profile", (element) => {
      const a = element as HTMLAnchorElement;
      return { href: a.href, target: a.target, rel: a.rel, text: a.textContent };
    });
    expect(anchor).to.include({ target: "_blank", rel: "noopener noreferrer", text: "Add it to your LinkedIn profile" });
    const url = new URL(anchor.href);
    expect(`${url.origin}${url.pathname}`).to.equal("https://www.linkedin.com/profile/add");
    expect(Object.fromEntries(url.searchParams)).to.deep.equal({
      startTask: "CERTIFICATION_NAME",
      name: "Data Analytics Foundations",
      // The issuer as verified — its id: its DID document gives no name — never the badge's own naming of it.
      organizationName: (badge.issuer as { id: string }).id,
      issueYear: "2026",
      issueMonth: "1",
      certId: badge.id,
      certUrl: link,
    });
  });

  it("offers no sharing for a badge that is not valid", async function () {
    const tampered = structuredClone(badge) as Record<string, any>;
    tampered.credentialSubject.achievement.name = "Data Analytics Mastery";
    await drop(session.page, bakedPng(tampered), "tampered.png", "image/png");
    expect((await shownVerdict(session.page)).status).to.equal("tampered");
    expect(await session.page.isHidden("#share")).to.equal(true);
  });

  it("refuses a hostile SVG, chosen with the file picker, without ever running it", async function () {
    const hostile =
      '<svg xmlns="http://www.w3.org/2000/svg" onload="document.title=\'pwned\'"><script>document.title="pwned"</script>' +
      '<circle r="10"/></svg>';
    const file = path.join(SCREENSHOTS, "..", "hostile-badge.svg");
    await writeFile(file, hostile);
    await session.page.setInputFiles("#credential-file", file);
    await session.page.waitForSelector("#verdict[data-status]");
    expect(await session.page.getAttribute("#verdict", "data-status")).to.equal("malformed");
    expect(await session.page.textContent("#verdict")).to.contain("the SVG contains an event handler (onload on <svg>), which a badge image must not");
    await session.page.waitForFunction(() => (document.querySelector("#badge-image") as HTMLImageElement).complete);
    expect(await session.page.title()).to.equal("Verify a badge — credential-registry");
    expect(await session.page.$$eval("body svg, body script", (nodes) => nodes.length)).to.equal(0);
  });

  it("says so when a share link is damaged", async function () {
    await session.page.goto(`${session.service.url}/#badge=not-really-deflated`);
    expect((await shownVerdict(session.page)).status).to.equal("malformed");
    expect(await session.page.textContent("#verdict")).to.contain("This share link is damaged or cut short");
  });
});
