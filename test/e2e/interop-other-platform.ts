/**
 * Badges of another platform in ours: credentials signed by the reference libraries
 * (`@digitalbazaar/vc`, eddsa-rdfc-2022), by a did:key and by a did:web on the local HTTPS host, read by
 * our verifier service as `unanchored` — signed, and by whom, but in no registry it trusts — and, once
 * the issuer registers and anchors them with our commands, as `valid`, their foreign signature intact
 * (verifier-core still accepts them).
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";

import { exampleBadge } from "../helpers/badges.js";
import { checkOf, startInteropSetting, startVerifierService, type InteropSetting, type VerifierService } from "../helpers/did-web-e2e.js";
import { stepOf, verifyWithVerifierCore } from "../helpers/verifier-core.js";
import { referenceDidDocument, referenceKey, signWithReference, type ReferenceSigner } from "../helpers/verifier-core-reference-signer.mjs";

const CONTROLLERS = { key: "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc", web: "0x976EA74026E726554dB657fA54763abd0C3a0aa9" };
const PLATFORM_NAME = "Another Platform Academy";

describe("interop: badges signed by another platform, in our verifier", function () {
  this.timeout(240_000);
  let setting: InteropSetting;
  let service: VerifierService;
  const signers: Partial<Record<"key" | "web", ReferenceSigner>> = {};
  const signed: Partial<Record<"key" | "web", Record<string, unknown>>> = {};

  before(async function () {
    setting = await startInteropSetting("interop-other-platform");
    service = await startVerifierService(setting);
    signers.key = await referenceKey();
    signers.web = await referenceKey(setting.web.didWeb);
    setting.web.set("/.well-known/did.json", { kind: "json", document: { ...referenceDidDocument(signers.web), name: PLATFORM_NAME } });
    for (const method of ["key", "web"] as const) {
      const badge = exampleBadge("uni-sql-for-analysts");
      badge.id = `urn:uuid:${crypto.randomUUID()}`;
      badge.issuer.id = signers[method]!.did;
      signed[method] = await signWithReference(badge, signers[method]!);
    }
  });

  after(async function () {
    service?.stop();
    await setting?.stop();
  });

  for (const method of ["key", "web"] as const) {
    it(`reads a did:${method} badge signed by another platform as unanchored, naming who signed it`, async function () {
      const result = await service.verify(signed[method]);
      expect(result.status, JSON.stringify(result)).to.equal("unanchored");
      expect(result.verified).to.equal(false);
      expect(checkOf(result, "signature").result).to.equal("pass");
      const proof = checkOf(result, "proof");
      expect(proof.result).to.equal("fail");
      expect(proof.detail).to.contain(`signed by ${method === "web" ? `${PLATFORM_NAME} (${signers.web!.did})` : signers.key!.did}`);
      expect(proof.detail).to.contain("not recorded in a registry this verifier trusts");
      const signature = result.signature as { signers: Array<{ verificationMethod: string; controller: string; cryptosuite: string }>; signerName: string | null };
      expect(signature.signers).to.deep.equal([{ verificationMethod: signers[method]!.verificationMethod, controller: signers[method]!.did, cryptosuite: "eddsa-rdfc-2022" }]);
      expect(signature.signerName).to.equal(method === "web" ? PLATFORM_NAME : null);
    });

    it(`reads the did:${method} badge edited by one character as tampered, not unanchored`, async function () {
      const edited = structuredClone(signed[method]!) as { name: string };
      edited.name = `${edited.name}.`;
      const result = await service.verify(edited);
      expect(result.status, JSON.stringify(result)).to.equal("tampered");
      expect(checkOf(result, "signature").result).to.equal("fail");
    });

    it(`reads the did:${method} badge as valid once its issuer anchors it with our commands, its signature kept`, async function () {
      const controller = CONTROLLERS[method];
      await setting.hardhat(["issuer", "register", signers[method]!.did, "--controller", controller]);
      const file = path.join(setting.workDir, `other-${method}.json`);
      await writeFile(file, JSON.stringify(signed[method]));
      const outDir = path.join(setting.workDir, `other-${method}-anchored`);
      // --unsigned: our command adds no signature of its own, so the other platform's stays (a proof the
      // input carries is kept when the command does not sign).
      await setting.hardhat(["credentials", "anchor", file, "--out", outDir, "--from", controller, "--unsigned"]);
      const anchored = JSON.parse(await readFile(path.join(outDir, `other-${method}.json`), "utf8"));
      expect(anchored.proof.map((proof: { type: string }) => proof.type)).to.deep.equal(["DataIntegrityProof", "CredentialRegistryAnchor2026"]);
      expect(anchored.proof[0]).to.deep.equal((signed[method] as { proof: unknown }).proof);

      const result = await service.verify(anchored);
      expect(result.status, JSON.stringify(result)).to.equal("valid");
      expect(checkOf(result, "signature").result).to.equal("pass");
      const core = await verifyWithVerifierCore(anchored, { caFile: setting.certificate.certFile });
      expect(stepOf(core, "valid_signature").valid, JSON.stringify(core)).to.equal(true);
    });
  }
});
