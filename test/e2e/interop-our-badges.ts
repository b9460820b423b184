/**
 * Our badges in another verifier: badges signed and anchored by `credentials anchor` — as a did:key
 * issuer, and as a did:web issuer whose DID document `issuer did create --method web` wrote and the
 * local HTTPS host serves — pass verifier-core (the DCC's verifier, its own process) and our verifier
 * service alike; edited by one character they fail in both; and once a badge is revoked and
 * `credentials status publish` output is hosted at the status base URL the badges were anchored with,
 * verifier-core reads it revoked from the published list (the one status entry each badge carries, OB 3.0
 * allowing one), and the others not revoked.
 * All commands run as a user runs them, as processes, against a Hardhat node on 127.0.0.1.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";

import { EXAMPLES_DIR } from "../helpers/badges.js";
import { checkOf, startInteropSetting, startVerifierService, type InteropSetting, type ServiceResult, type VerifierService } from "../helpers/did-web-e2e.js";
import { lastJsonLine } from "../helpers/processes.js";
import { stepOf, verifyWithVerifierCore, type VerifierCoreResult } from "../helpers/verifier-core.js";

type Method = "key" | "web";
const METHODS: Method[] = ["key", "web"];
/** One registry controller per issuer (default accounts of the Hardhat node). */
const CONTROLLERS: Record<Method, string> = { key: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", web: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC" };
const BADGES = ["uni-sql-for-analysts", "uni-data-analytics-foundations"];
// The key files' password reaches the commands the way a user's would: a configuration variable, here
// from the environment. A throwaway value for throwaway keys.
const KEY_PASSWORD = { CREDENTIAL_KEY_PASSWORD: `interop-${crypto.randomUUID()}` };

interface DidCreation {
  profileId: string;
  verificationMethod: string;
  keyFile: string;
  documentFile: string | null;
}

describe("interop: badges issued by our commands, in verifier-core and in ours", function () {
  this.timeout(300_000);
  let setting: InteropSetting;
  let service: VerifierService;
  const identities: Partial<Record<Method, DidCreation>> = {};
  const statusDir = () => path.join(setting.workDir, "status-site");
  const issuedDir = (method: Method) => path.join(setting.workDir, `issued-${method}`);
  const issued = async (method: Method, name: string) => JSON.parse(await readFile(path.join(issuedDir(method), `${name}.json`), "utf8"));
  const core = (credential: unknown): Promise<VerifierCoreResult> => verifyWithVerifierCore(credential, { caFile: setting.certificate.certFile });
  const publish = (method: Method) =>
    setting.hardhat(["credentials", "status", "publish", issuedDir(method), "--out", statusDir(), "--key-file", identities[method]!.keyFile, "--from", CONTROLLERS[method]], KEY_PASSWORD);

  before(async function () {
    setting = await startInteropSetting("interop-our-badges");
    setting.web.set("/status", { kind: "folder", root: statusDir() });
    service = await startVerifierService(setting);
    for (const method of METHODS) {
      const created = await setting.hardhat(
        [
          "issuer", "did", "create", "--method", method,
          ...(method === "web" ? ["--did", setting.web.didWeb, "--controller", CONTROLLERS.web] : []),
          "--out", path.join(setting.workDir, `identity-${method}`), "--json",
        ],
        KEY_PASSWORD,
      );
      const identity = lastJsonLine<DidCreation>(created.stdout);
      identities[method] = identity;
      if (method === "web") {
        expect(identity.profileId).to.equal(setting.web.didWeb);
        // Hosted as the command wrote it: the test adds nothing to the document.
        setting.web.set("/.well-known/did.json", { kind: "json", document: JSON.parse(await readFile(identity.documentFile!, "utf8")) });
      }
      await setting.hardhat(["issuer", "register", identity.profileId, "--controller", CONTROLLERS[method]]);
      await setting.hardhat(
        [
          "credentials", "anchor", ...BADGES.map((name) => path.join(EXAMPLES_DIR, `${name}.json`)),
          "--out", issuedDir(method), "--from", CONTROLLERS[method], "--key-file", identity.keyFile,
          "--status-base-url", `${setting.web.origin}/status`,
        ],
        KEY_PASSWORD,
      );
      // Published at once, as an issuer would: verifiers find a list at every badge's status URL.
      await publish(method);
    }
  });

  after(async function () {
    service?.stop();
    await setting?.stop();
  });

  for (const method of METHODS) {
    describe(`a did:${method} issuer`, function () {
      it("signs each badge with a DataIntegrityProof of its own DID beside the anchor proof", async function () {
        const badge = await issued(method, BADGES[0]);
        expect(badge.issuer.id).to.equal(identities[method]!.profileId);
        expect(badge.proof.map((proof: { type: string }) => proof.type)).to.deep.equal(["DataIntegrityProof", "CredentialRegistryAnchor2026"]);
        expect(badge.proof[0]).to.include({ cryptosuite: "eddsa-rdfc-2022", proofPurpose: "assertionMethod", verificationMethod: identities[method]!.verificationMethod });
      });

      it("issues badges verifier-core accepts (signature, expiration, not revoked) and ours reads valid", async function () {
        for (const name of BADGES) {
          const badge = await issued(method, name);
          const result = await core(badge);
          expect(stepOf(result, "valid_signature").valid, `${name}: ${JSON.stringify(result)}`).to.equal(true);
          expect(stepOf(result, "expiration").valid).to.equal(true);
          expect(stepOf(result, "revocation_status").valid).to.equal(true);
          const ours = await service.verify(badge);
          expect(ours.status, `${name}: ${JSON.stringify(ours)}`).to.equal("valid");
          expect(checkOf(ours, "signature").result).to.equal("pass");
        }
        if (method === "web") expect(setting.web.requests).to.include("/.well-known/did.json");
      });

      it("checks the signature on the command line too (`credentials verify` fetches a did:web document as the service does)", async function () {
        const trust = { NODE_EXTRA_CA_CERTS: setting.certificate.certFile };
        const file = path.join(issuedDir(method), `${BADGES[0]}.json`);
        const run = await setting.hardhat(["credentials", "verify", file, "--json"], trust);
        const result = lastJsonLine<ServiceResult>(run.stdout);
        expect(result.status).to.equal("valid");
        expect(checkOf(result, "signature").result, JSON.stringify(result.checks)).to.equal("pass");
        const edited = await issued(method, BADGES[0]);
        edited.credentialSubject.achievement.name = `${edited.credentialSubject.achievement.name}.`;
        const editedFile = path.join(setting.workDir, `edited-${method}.json`);
        await writeFile(editedFile, JSON.stringify(edited));
        const failed = await setting.tryHardhat(["credentials", "verify", editedFile, "--json"], trust);
        expect(failed.exitCode).to.equal(1);
        expect(checkOf(lastJsonLine<ServiceResult>(failed.stdout), "signature").result).to.equal("fail");
      });

      it("makes a badge edited by one character fail in both verifiers", async function () {
        const badge = await issued(method, BADGES[0]);
        badge.credentialSubject.achievement.name = `${badge.credentialSubject.achievement.name}.`;
        expect((await core(badge)).errors?.map((error) => error.name)).to.deep.equal(["invalid_signature"]);
        expect((await service.verify(badge)).status).to.equal("tampered");
      });
    });
  }

  // A suite of its own, after the others: mocha runs a suite's own tests before its nested suites, and
  // this one revokes badges the others read as not revoked.
  describe("revocations published as Bitstring Status Lists", function () {
    it("lets verifier-core read a revoked badge as revoked from the published status list, and the others not", async function () {
      for (const method of METHODS) {
        // One entry, the revocation list's: an object, as the official OB 3.0 schema takes it.
        const { credentialStatus } = await issued(method, BADGES[1]);
        expect(credentialStatus).to.be.an("object").that.is.not.an("array");
        expect(credentialStatus).to.include({ type: "BitstringStatusListEntry", statusPurpose: "revocation" });
        expect(credentialStatus.statusListCredential).to.match(new RegExp(`^${setting.web.origin}/status/[0-9a-f]{16}/revocation\\.json$`));
        await setting.hardhat(["credentials", "revoke", path.join(issuedDir(method), `${BADGES[1]}.json`), "--reason", "issued-in-error", "--from", CONTROLLERS[method]]);
        // Until the issuer publishes again, the hosted list still says not revoked: other verifiers see the list, not the chain.
        expect(stepOf(await core(await issued(method, BADGES[1])), "revocation_status").valid).to.equal(true);
        await publish(method);
        const revoked = await core(await issued(method, BADGES[1]));
        expect(stepOf(revoked, "valid_signature").valid).to.equal(true);
        expect(stepOf(revoked, "revocation_status").valid, JSON.stringify(revoked)).to.equal(false);
        const kept = await core(await issued(method, BADGES[0]));
        expect(stepOf(kept, "revocation_status").valid, JSON.stringify(kept)).to.equal(true);
        expect((await service.verify(await issued(method, BADGES[1]))).status).to.equal("revoked");
      }
      expect(setting.web.requests.some((request) => request.startsWith("/status/") && request.endsWith("/revocation.json"))).to.equal(true);
      // No badge names the suspension list (published beside it all the same): no verifier fetched it.
      expect(setting.web.requests.filter((request) => request.endsWith("/suspension.json"))).to.deep.equal([]);
    });
  });
});
