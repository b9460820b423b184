/**
 * The verification page in a real headless Chromium against the real service: a valid badge dropped on
 * the page, a tampered one chosen with the file picker, a revoked one pasted, a hash typed in with its
 * issuer, a forgery by a stolen key — each verdict and its checks as a person sees them. Screenshots go to test-output/screenshots/.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import { network } from "hardhat";

import { anchoredCredential, prepareBatch } from "../../lib/anchor/issuance.js";
import type { Hex } from "../../lib/credential/canonical.js";
import { parseDraftCredential } from "../../lib/credential/credential.js";
import { issuerIdOfProfile } from "../../lib/credential/profile-id.js";
import { changeCredentialStatus, credentialRefsFromFiles } from "../../scripts/credentials/status-change.js";
import { exampleBadge } from "../helpers/badges.js";
import { didKeyIssuer, signWithReference } from "../helpers/reference-signing.js";
import { pageTests, SCREENSHOTS } from "../helpers/browser.js";
import { chainConfig, pinnedSampleDocuments, sampleOnInProcessChain, startTestService } from "../helpers/verifier-app.js";

describe("the verification page in headless Chromium", function () {
  this.timeout(120_000);
  let sample: Awaited<ReturnType<typeof sampleOnInProcessChain>>["sample"];
  /** A badge the university anchored alone (a batch of one): its hash is what the hash form takes. */
  let singleHash: Hex;
  /** A badge a stolen operator key anchored, after the theft the controller then declared. */
  let forgery: object;
  let stolenKey: string;

  function prepared(name: string, profileId: string, id: string) {
    const parsed = parseDraftCredential(exampleBadge(name));
    if (!parsed.ok) throw new Error("example invalid");
    return prepareBatch([parsed.credential], { profileId, newId: () => id });
  }

  const session = pageTests(async () => {
    const connection = await network.create();
    const setUp = await sampleOnInProcessChain(connection);
    sample = setUp.sample;
    const context = await sample.as(sample.accounts.university);
    await changeCredentialStatus(context, "revoke", await credentialRefsFromFiles(context, [sample.badge("university", "uni-sql-for-analysts")]), "issued-in-error");

    const single = prepared("uni-sql-for-analysts", "did:web:uni.example", "urn:uuid:5e000000-0000-4000-8000-000000000001");
    await (await context.registry.anchor(sample.issuers.university.issuerId, single.batch.root, 1)).wait();
    singleHash = single.credentialHashes[0];

    // A college whose operator key is stolen: the thief anchors a badge, the controller declares the key
    // compromised since that anchor.
    const college = "did:web:college.example";
    const signers = await connection.ethers.getSigners();
    const [controller, operator] = [signers[8].address, signers[9].address];
    stolenKey = operator;
    await (await (await sample.as(sample.accounts.accreditor)).registry.registerIssuer(college, controller)).wait();
    await (await (await sample.as(controller)).registry.addOperator(issuerIdOfProfile(college), operator)).wait();
    const forged = prepared("uni-data-analytics-foundations", college, "urn:uuid:5e000000-0000-4000-8000-000000000002");
    const receipt = await (await (await sample.as(operator)).registry.anchor(issuerIdOfProfile(college), forged.batch.root, 1)).wait();
    const theft = (await connection.ethers.provider.getBlock(receipt!.blockNumber))!.timestamp;
    await (await (await sample.as(controller)).registry.declareKeyCompromised(issuerIdOfProfile(college), operator, theft)).wait();
    const facts = { chainId: sample.chainId, registry: sample.registry, anchoredAt: new Date(theft * 1000).toISOString(), transactionHash: receipt!.hash as Hex };
    forgery = anchoredCredential(forged, 0, facts);
    return startTestService({ chains: [{ config: chainConfig(sample.chainId, sample.registry), client: setUp.client }], cacheTtlSeconds: 0, documents: { pinned: pinnedSampleDocuments(sample) } });
  });

  async function verdict() {
    await session.page.waitForSelector("#verdict[data-status]");
    return { status: await session.page.getAttribute("#verdict", "data-status"), text: await session.page.textContent("#verdict") };
  }

  async function checkResults(): Promise<Record<string, string>> {
    return session.page.$$eval("#checks tbody tr", (rows) =>
      Object.fromEntries(rows.map((row) => [row.getAttribute("data-check"), row.querySelector("td")?.className ?? ""])),
    );
  }

  it("shows a dropped valid badge as valid, with every check, the achievement, issuer and anchor", async function () {
    const text = await readFile(sample.badge("university", "uni-data-analytics-foundations"), "utf8");
    await session.page.evaluate((content) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([content], "badge.json", { type: "application/json" }));
      document.querySelector("#drop-zone")!.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, text);
    const shown = await verdict();
    expect(shown.status).to.equal("valid");
    expect(shown.text).to.contain("Valid");
    const { stack, signature, ...others } = await checkResults();
    expect(Object.values(others)).to.deep.equal(Array(7).fill("pass"));
    expect(stack).to.equal("skip"); // not a stacked credential
    // Signed by its issuer → pass; an unsigned badge stays valid on its anchor, the signature check skipped.
    const signed = [JSON.parse(text).proof].flat().some((proof: { type?: string }) => proof?.type === "DataIntegrityProof");
    expect(signature).to.equal(signed ? "pass" : "skip");
    const summary = await session.page.textContent("#summary");
    expect(summary).to.contain("Data Analytics Foundations");
    expect(summary).to.contain("Northfield University");
    expect(summary).to.contain(`chain ${sample.chainId}`);
    await session.page.screenshot({ path: path.join(SCREENSHOTS, "page-valid.png"), fullPage: true });
  });

  it("shows a tampered badge, chosen with the file picker, as tampered with the failed check", async function () {
    const tampered = JSON.parse(await readFile(sample.badge("employer", "meridian-secure-coding-practitioner"), "utf8"));
    tampered.credentialSubject.achievement.name = "Secure Coding Expert";
    const file = path.join(SCREENSHOTS, "..", "tampered-badge.json");
    await writeFile(file, JSON.stringify(tampered));
    await session.page.setInputFiles("#credential-file", file);
    const shown = await verdict();
    expect(shown.status).to.equal("tampered");
    expect(shown.text).to.contain("Tampered with");
    expect((await checkResults()).integrity).to.equal("fail");
    await session.page.screenshot({ path: path.join(SCREENSHOTS, "page-tampered.png"), fullPage: true });
  });

  it("shows a pasted revoked badge as revoked, using only the keyboard", async function () {
    const text = await readFile(sample.badge("university", "uni-sql-for-analysts"), "utf8");
    await session.page.focus("#credential-json");
    await session.page.fill("#credential-json", text);
    await session.page.keyboard.press("Tab");
    await session.page.keyboard.press("Enter");
    const shown = await verdict();
    expect(shown.status).to.equal("revoked");
    expect((await checkResults()).status).to.equal("fail");
    await session.page.screenshot({ path: path.join(SCREENSHOTS, "page-revoked.png"), fullPage: true });
  });

  it("says in plain words that a badge another platform signed is not recorded in a registry this verifier trusts", async function () {
    const platform = await didKeyIssuer(new Uint8Array(32).fill(11));
    const badge = await signWithReference(prepared("uni-sql-for-analysts", platform.id, "urn:uuid:00000000-0000-4000-8000-000000000301").credentials[0] as unknown as Record<string, unknown>, platform);
    await session.page.fill("#credential-json", JSON.stringify(badge));
    await session.page.click("button[type=submit] >> text=Verify the badge");
    const shown = await verdict();
    expect(shown.status).to.equal("unanchored");
    expect(shown.text).to.contain("Signed, but not anchored");
    expect(shown.text).to.contain(`Signed by ${platform.id}, but not recorded in a registry this verifier trusts`);
    expect(await checkResults()).to.include({ signature: "pass", proof: "fail" });
    expect(await session.page.textContent("#summary")).to.contain(platform.verificationMethod);
    await session.page.screenshot({ path: path.join(SCREENSHOTS, "page-unanchored.png"), fullPage: true });
  });

  it("checks a hash typed in with its issuer, showing the issuer id and the key that anchored it", async function () {
    await session.page.fill("#credential-hash", singleHash);
    await session.page.fill("#hash-issuer", "did:web:uni.example");
    await session.page.click("text=Check the hash");
    const shown = await verdict();
    expect(shown.status).to.equal("valid");
    const summary = await session.page.textContent("#summary");
    expect(summary).to.contain(sample.issuers.university.issuerId);
    expect(summary).to.contain(sample.accounts.university);

    // The same hash under another issuer: it never anchored it.
    await session.page.fill("#hash-issuer", "https://security.employer.example/issuer");
    await session.page.click("text=Check the hash");
    await session.page.waitForFunction(() => document.querySelector("#verdict")?.getAttribute("data-status") === "unknown-anchor");
  });

  it("shows a badge anchored by a key declared compromised as revoked for key compromise, naming the key", async function () {
    await session.page.fill("#credential-json", JSON.stringify(forgery));
    await session.page.click("text=Verify the badge");
    const shown = await verdict();
    expect(shown.status).to.equal("revoked");
    expect(shown.text).to.contain("key compromised");
    expect(await session.page.getAttribute("#verdict", "data-reason")).to.equal("key-compromise");
    expect(await session.page.textContent("#summary")).to.contain(`${stolenKey} — KEY COMPROMISED since`);
    expect((await checkResults()).issuer).to.equal("fail");
    await session.page.screenshot({ path: path.join(SCREENSHOTS, "page-key-compromised.png"), fullPage: true });

    // The next verdict does not carry the reason over.
    await session.page.fill("#credential-json", await readFile(sample.badge("university", "uni-sql-for-analysts"), "utf8"));
    await session.page.click("text=Verify the badge");
    await session.page.waitForFunction(() => document.querySelector("#verdict")?.getAttribute("data-reason") === null);
    expect((await verdict()).text).to.not.contain("key compromised");
  });

  it("labels every control and announces the verdict politely", async function () {
    const unlabeled = await session.page.$$eval("input, textarea", (controls) =>
      controls.filter((control) => !document.querySelector(`label[for="${control.id}"]`)).map((control) => control.id),
    );
    expect(unlabeled).to.deep.equal([]);
    expect(await session.page.getAttribute("#verdict", "aria-live")).to.equal("polite");
  });

  it("says so, without a verdict of valid, for text that is not JSON", async function () {
    await session.page.fill("#credential-json", "definitely not a badge");
    await session.page.click("text=Verify the badge");
    expect((await verdict()).status).to.equal("malformed");
  });
});
