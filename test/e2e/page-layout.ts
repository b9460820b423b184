/**
 * The verification page as a newcomer first sees it, in a real headless Chromium against the real service:
 * on a laptop (1280×800) and a phone (390×844), a dropped revoked badge shows its verdict, and why and when,
 * without scrolling; nothing is wider than the phone; hashes break in readable lines; text that is not JSON
 * is answered with where it goes wrong; the help shows code as code; the favicon is there. Screenshots of
 * each size go to test-output/screenshots/page-revoked-<width>x<height>.png.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import { network } from "hardhat";
import type { Page } from "playwright-core";

import { reasonCode } from "../../lib/credential/reasons.js";
import { changeCredentialStatus, credentialRefsFromFiles } from "../../scripts/credentials/status-change.js";
import { pageTests, SCREENSHOTS } from "../helpers/browser.js";
import { chainConfig, pinnedSampleDocuments, sampleOnInProcessChain, startTestService } from "../helpers/verifier-app.js";

const SIZES = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
];

describe("the verification page's layout in headless Chromium", function () {
  this.timeout(120_000);
  let sample: Awaited<ReturnType<typeof sampleOnInProcessChain>>["sample"];

  const session = pageTests(async () => {
    const connection = await network.create();
    const setUp = await sampleOnInProcessChain(connection);
    sample = setUp.sample;
    const university = await sample.as(sample.accounts.university);
    await changeCredentialStatus(university, "revoke", await credentialRefsFromFiles(university, [sample.badge("university", "uni-sql-for-analysts")]), "issued-in-error");
    // The employer's accreditation suspended: a verdict whose reason and date the chain does keep.
    const accreditor = await sample.as(sample.accounts.accreditor);
    await (await accreditor.registry.suspendIssuer(sample.issuers.employer.issuerId, reasonCode("under-investigation"))).wait();
    return startTestService({ chains: [{ config: chainConfig(sample.chainId, sample.registry), client: setUp.client }], cacheTtlSeconds: 0, documents: { pinned: pinnedSampleDocuments(sample) } });
  });

  /** Drops `files` on the page, as a person drags them from a file manager. */
  async function dropFiles(page: Page, files: string[]): Promise<void> {
    const texts = await Promise.all(files.map((file) => readFile(file, "utf8")));
    await page.evaluate((contents) => {
      const transfer = new DataTransfer();
      contents.forEach((content, index) => transfer.items.add(new File([content], `badge-${index}.json`, { type: "application/json" })));
      document.querySelector("#drop-zone")!.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, texts);
  }

  async function drop(page: Page, file: string): Promise<void> {
    await dropFiles(page, [file]);
    await page.waitForSelector("#verdict[data-status]");
  }

  /** Where `selector` is in the viewport: wholly inside it, from its top to its bottom. */
  async function inFirstViewport(page: Page, selector: string): Promise<string | null> {
    const box = await page.locator(selector).boundingBox({ timeout: 5_000 });
    const height = page.viewportSize()!.height;
    if (box === null) return `${selector} is not shown`;
    return box.y >= 0 && box.y + box.height <= height ? null : `${selector} spans ${Math.round(box.y)}–${Math.round(box.y + box.height)} px, the viewport ${height} px`;
  }

  for (const size of SIZES) {
    it(`shows a dropped revoked badge's verdict, and why and when, without scrolling at ${size.width}×${size.height}`, async function () {
      await session.page.setViewportSize(size);
      await drop(session.page, sample.badge("university", "uni-sql-for-analysts"));
      expect(await session.page.getAttribute("#verdict", "data-status")).to.equal("revoked");
      // The screenshot is of what the viewport shows: the verdict must be in it.
      await session.page.screenshot({ path: path.join(SCREENSHOTS, `page-revoked-${size.width}x${size.height}.png`) });
      expect(await inFirstViewport(session.page, "#verdict")).to.equal(null);
      expect(await inFirstViewport(session.page, "#verdict-standing")).to.equal(null);
      // The reason and the date, from the registry's event (its state keeps only the bit), and who revoked it.
      const standing = await session.page.textContent("#verdict-standing");
      expect(standing).to.match(/^Reason: issued-in-error\. Revoked on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC, by 0x[0-9a-fA-F]{40}\.$/);
    });

    it(`shows a suspended issuer's reason and date beside the verdict, without scrolling, at ${size.width}×${size.height}`, async function () {
      await session.page.setViewportSize(size);
      await drop(session.page, sample.badge("employer", "meridian-secure-coding-practitioner"));
      expect(await session.page.getAttribute("#verdict", "data-status")).to.equal("suspended");
      await session.page.screenshot({ path: path.join(SCREENSHOTS, `page-suspended-${size.width}x${size.height}.png`) });
      expect(await inFirstViewport(session.page, "#verdict-standing")).to.equal(null);
      const standing = await session.page.textContent("#verdict-standing");
      expect(standing).to.contain("under-investigation");
      expect(standing).to.match(/\b\d{4}-\d{2}-\d{2}\b/);
    });
  }

  it("shows the verdict of several dropped badges, a portfolio, without scrolling at 1280×800", async function () {
    await session.page.setViewportSize(SIZES[0]);
    await dropFiles(session.page, [sample.badge("university", "uni-sql-for-analysts"), sample.badge("university", "uni-data-analytics-foundations")]);
    await session.page.waitForSelector("#portfolio-verdict[data-verified]");
    expect(await inFirstViewport(session.page, "#portfolio-verdict")).to.equal(null);
  });

  it("fits a phone's width: nothing overflows at 390 px and hashes break into lines of many characters", async function () {
    await session.page.setViewportSize(SIZES[1]);
    await drop(session.page, sample.badge("university", "uni-sql-for-analysts"));
    await session.page.screenshot({ path: path.join(SCREENSHOTS, "page-revoked-390-full.png"), fullPage: true });
    const scrollWidth = await session.page.evaluate(() => document.scrollingElement!.scrollWidth);
    expect(scrollWidth).to.be.at.most(390);
    // Each cell with a hash or an address, in the summary and the checks: its lines hold many characters
    // (not one a line), its box within the page.
    const hashes = await session.page.$$eval("#summary dd, #checks td", (cells) =>
      cells
        .filter((cell) => /0x[0-9a-f]{40}/i.test(cell.textContent ?? ""))
        .map((cell) => {
          const lineHeight = parseFloat(getComputedStyle(cell).lineHeight);
          const box = cell.getBoundingClientRect();
          return { text: cell.textContent ?? "", charactersPerLine: (cell.textContent ?? "").length / Math.max(1, Math.round(box.height / lineHeight)), right: box.right };
        }),
    );
    expect(hashes.length).to.be.greaterThan(0);
    for (const hash of hashes) {
      expect(hash.charactersPerLine, hash.text).to.be.at.least(20);
      expect(hash.right, hash.text).to.be.at.most(390);
    }
  });

  it("says where text that is not JSON goes wrong: its line and column", async function () {
    await session.page.fill("#credential-json", '{\n  "type": ["VerifiableCredential"],\n  "name": "SQL",,\n}');
    await session.page.click("text=Verify the badge");
    await session.page.waitForSelector("#verdict[data-status]");
    expect(await session.page.getAttribute("#verdict", "data-status")).to.equal("malformed");
    expect(await session.page.textContent("#verdict")).to.match(/line 3, column 17/);
  });

  it("shows the hash help's command as code, without literal backticks", async function () {
    const help = await session.page.textContent("#hash-help");
    expect(help).to.not.contain("`");
    expect(await session.page.textContent("#hash-help code")).to.equal("npx hardhat credentials hash badge.json");
  });

  it("has a favicon, and loading the page asks for nothing that is not there", async function () {
    const failures: string[] = [];
    session.page.on("response", (response) => {
      if (response.status() >= 400) failures.push(`${response.status()} ${response.url()}`);
    });
    await session.page.reload({ waitUntil: "networkidle" });
    const icon = await session.page.getAttribute("link[rel=icon]", "href");
    expect(icon).to.be.a("string");
    const answer = await session.page.request.get(new URL(icon!, session.page.url()).href);
    expect(answer.status()).to.equal(200);
    expect(answer.headers()["content-type"]).to.contain("image/svg+xml");
    expect(failures).to.deep.equal([]);
  });
});
