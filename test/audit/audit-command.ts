/**
 * `npx hardhat audit` on the in-process network, in each format; the HTML report in headless Chromium.
 */
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import hre from "hardhat";

import { launchChromium } from "../helpers/browser.js";
import { buildAuditHistory } from "../helpers/audit-history.js";
import { captureOutput } from "../helpers/output.js";
import { PROJECT_ROOT } from "../helpers/processes.js";

const connection = await hre.network.getOrCreate();
const { registry, universityId } = await buildAuditHistory(connection);
const address = await registry.getAddress();
const OUTPUT = path.join(PROJECT_ROOT, "test-output", "audit");
const audit = (options: Record<string, string>) =>
  captureOutput(() =>
    hre.tasks.getTask("audit").run({ registry: address, fromBlock: "", toBlock: "", format: "table", out: "", issuer: "", sample: "", range: "", ...options }),
  );

describe("audit command", function () {
  this.timeout(60_000);

  before(async function () {
    await mkdir(OUTPUT, { recursive: true });
  });

  it("prints per-issuer and per-month tables and says the history is consistent", async function () {
    const output = await audit({});
    expect(output.exitCode).to.equal(0);
    expect(output.stdout).to.contain("did:web:uni.example");
    expect(output.stdout).to.match(/month\s+anchors\s+credentials/);
    expect(output.stdout).to.contain("controller history:");
    expect(output.stdout).to.contain("(accepted-transfer, by");
    expect(output.stdout).to.match(/compromised since .*: cuts off 1 anchor\(s\), 1 credential\(s\); 1 earlier anchor\(s\) stay valid/);
    expect(output.stdout).to.contain("Consistent: the events obey every rule and match the contract's views.");
  });

  it("gives tools the whole report as JSON, and the timeline as CSV, every event in it", async function () {
    const json = JSON.parse((await audit({ format: "json", range: "3" })).stdout);
    expect(json.consistent).to.equal(true);
    expect(json.issuers).to.have.length(2);
    expect(json.identities[0].controllerHistory.map((change: { how: string }) => change.how)).to.deep.equal(["registered", "accepted-transfer"]);
    expect(json.identities[0].compromises[0].anchorsCutOff).to.have.length(1);
    expect(json.timeline.some((entry: { what: string }) => entry.what === "batch revoked")).to.equal(true);
    // The summary's count and the timeline agree (1.x counted 5 events and showed 4).
    expect(json.timeline).to.have.length(json.events);
    expect(json.timeline.filter((entry: { what: string }) => entry.what === "operator added")).to.have.length(2);

    const csv = (await audit({ format: "csv" })).stdout.trim().split("\n");
    expect(csv[0]).to.equal("time,blockNumber,logIndex,transactionHash,what,issuer,subject,detail");
    expect(csv.length - 1).to.equal(json.events);
  });

  it("takes --json, as every command does, for --format json; with --out, its one line is JSON", async function () {
    const viaFlag = JSON.parse((await audit({ json: true } as never)).stdout);
    expect(viaFlag).to.include({ consistent: true });
    const file = path.join(OUTPUT, "audit.json");
    const written = await audit({ json: true, out: file } as never);
    expect(JSON.parse(written.stdout)).to.deep.equal({ consistent: true, findings: 0, events: viaFlag.events, out: file });
    expect(JSON.parse(await readFile(file, "utf8")).events).to.equal(viaFlag.events);
  });

  it("narrows the report to one issuer with --issuer, by issuer id or profile id", async function () {
    for (const issuer of [universityId, "did:web:uni.example"]) {
      const json = JSON.parse((await audit({ format: "json", issuer })).stdout);
      expect(json.issuers.map((summary: { issuerId: string }) => summary.issuerId)).to.deep.equal([universityId]);
      expect(json.timeline.length).to.be.greaterThan(10);
      expect(json.timeline.every((entry: { issuer: string }) => entry.issuer === universityId)).to.equal(true);
    }
    const bad = await audit({ issuer: "0x1234" });
    expect(bad.exitCode).to.equal(2);
    expect(bad.stderr).to.contain("--issuer must be an issuer id");
  });

  it("audits up to a past block against the contract's views at that block, not at the latest", async function () {
    const full = JSON.parse((await audit({ format: "json" })).stdout);
    const batchRevoked = full.timeline.findLast((entry: { what: string; blockNumber: number }) => entry.what === "batch revoked") as { blockNumber: number };
    // The block before a whole batch was revoked: its anchor was there, not yet revoked.
    const before = JSON.parse((await audit({ format: "json", toBlock: String(batchRevoked.blockNumber - 1) })).stdout);
    expect(before.toBlock).to.equal(batchRevoked.blockNumber - 1);
    expect(before.timeline.some((entry: { what: string; blockNumber: number }) => entry.what === "batch revoked" && entry.blockNumber === batchRevoked.blockNumber)).to.equal(false);
    expect(before.findings ?? [], JSON.stringify(before.findings)).to.deep.equal([]);
    expect(before.consistent).to.equal(true);
  });

  it("refuses a bad format or block range with a one-line error", async function () {
    expect((await audit({ format: "pdf" })).exitCode).to.equal(2);
    const reversed = await audit({ fromBlock: "10", toBlock: "2" });
    expect(reversed.exitCode).to.equal(2);
    expect(reversed.stderr).to.contain("after --to-block");
    const latest = await connection.ethers.provider.getBlockNumber();
    const beyond = await audit({ toBlock: String(latest + 1000), format: "json" });
    expect(beyond.exitCode).to.equal(2);
    expect(JSON.parse(beyond.stdout).error.message).to.equal(`--to-block ${latest + 1000} is beyond the chain's latest block, ${latest}`);
  });

  it("refuses an --out it cannot write before auditing, and a contract that is not a registry", async function () {
    const nowhere = await audit({ out: path.join(OUTPUT, "no-such-folder", "audit.txt") });
    expect(nowhere.exitCode).to.equal(2);
    expect(nowhere.stderr).to.match(/--out .*: cannot write there/);
    const folder = await audit({ out: OUTPUT });
    expect(folder.stderr).to.contain("is a folder; name a file");

    // A contract, but not a registry: one byte of code (STOP).
    const stranger = "0x000000000000000000000000000000000000c0de";
    await connection.provider.request({ method: "hardhat_setCode", params: [stranger, "0x00"] });
    const notRegistry = await audit({ registry: stranger });
    expect(notRegistry.exitCode).to.equal(2);
    expect(notRegistry.stderr).to.contain(`the contract at ${stranger} on network`);
    expect(notRegistry.stderr).to.contain("is not a CredentialRegistry");
    expect(notRegistry.stderr).not.to.contain("    at ");
  });

  it("writes a self-contained HTML report that shows identities, cut-offs and every event in Chromium, headers unbroken", async function () {
    const file = path.join(OUTPUT, "audit.html");
    const output = await audit({ format: "html", out: file });
    expect(output.stdout).to.contain(`html report written to ${file}`);
    const html = await readFile(file, "utf8");
    expect(html).to.not.match(/(src|href)="(https?:)?\/\//);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`file://${file}`);
      expect(await page.textContent("#verdict")).to.contain("Consistent");
      const entries = await page.$$eval("#timeline li", (items) => items.map((item) => item.textContent ?? ""));
      expect(entries.length).to.equal(Number(await page.textContent("#event-count")));
      expect(entries.some((entry) => entry.includes("batch revoked"))).to.equal(true);
      expect(entries.some((entry) => entry.includes("operator added"))).to.equal(true);
      expect(await page.textContent(".identity .compromise")).to.contain("Cuts off 1 anchor(s)");
      expect(await page.textContent(`#controllers-${universityId}`)).to.contain("accepted-transfer");
      await page.screenshot({ path: path.join(OUTPUT, "audit.png"), fullPage: true });
      // No header of any table breaks (1.x showed "Stat us", "Anch ors"): each header's text lies on one
      // line, on a wide screen and on a phone, where the columns are squeezed hardest.
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 800 });
        const broken = await page.$$eval("th", (cells) =>
          cells
            .map((cell) => {
              const text = document.createRange();
              text.selectNodeContents(cell);
              return { header: cell.textContent ?? "", lines: new Set(Array.from(text.getClientRects(), (line) => Math.round(line.top))).size };
            })
            .filter((cell) => cell.lines !== 1),
        );
        expect(broken, `at ${width} px`).to.deep.equal([]);
      }
      expect(await page.$$eval("th", (cells) => cells.length)).to.be.greaterThan(10);
    } finally {
      await browser.close();
    }
  });
});
