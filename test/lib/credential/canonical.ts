import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";

import { expect } from "chai";
import { keccak256, toUtf8Bytes } from "ethers";

import { CanonicalizationError, canonicalJson, credentialHash } from "../../../lib/credential/canonical.js";
import { issuedBadge } from "../../helpers/badges.js";
import { PROJECT_ROOT } from "../../helpers/processes.js";

// The RFC 8785 vectors live in the workspace's shared fixtures, beside the project (../shared), not in it.
// JCS_FIXTURES overrides; /work/shared is where they are when the project is cloned elsewhere.
const JCS_FIXTURES = [
  process.env.JCS_FIXTURES,
  path.resolve(PROJECT_ROOT, "..", "shared", "fixtures", "jcs"),
  "/work/shared/fixtures/jcs",
].find((candidate): candidate is string => candidate !== undefined && existsSync(path.join(candidate, "input")));
if (JCS_FIXTURES === undefined) {
  throw new Error("RFC 8785 test vectors not found: set JCS_FIXTURES to the shared fixtures' jcs folder");
}

describe("lib/credential/canonical: RFC 8785 canonical JSON and the credential hash", function () {
  describe("the RFC 8785 test vectors (../shared/fixtures/jcs)", function () {
    const names = readdirSync(path.join(JCS_FIXTURES, "input")).filter((name) => name.endsWith(".json"));

    it("has vectors to run", function () {
      expect(names.length).to.be.at.least(6);
    });

    for (const name of names) {
      it(`canonicalizes ${name} to the expected bytes`, function () {
        const input = JSON.parse(readFileSync(path.join(JCS_FIXTURES, "input", name), "utf8"));
        const expected = readFileSync(path.join(JCS_FIXTURES, "output", name));
        const expectedHex = readFileSync(path.join(JCS_FIXTURES, "outhex", name.replace(/\.json$/, ".txt")), "utf8")
          .replace(/\s+/g, "")
          .toLowerCase();
        const actual = Buffer.from(canonicalJson(input), "utf8");
        expect(actual.equals(expected)).to.equal(true);
        expect(actual.toString("hex")).to.equal(expectedHex);
      });
    }
  });

  it("refuses values JSON cannot carry, with a named error", function () {
    expect(() => canonicalJson({ score: Number.NaN })).to.throw(CanonicalizationError);
    expect(() => canonicalJson(undefined)).to.throw(CanonicalizationError);
  });

  describe("credentialHash", function () {
    it("is keccak256 of the UTF-8 canonical JSON of the credential without its proof", function () {
      const badge = issuedBadge();
      const { proof: _proof, ...withoutProof } = { ...badge, proof: [{ type: "DataIntegrityProof" }] };
      expect(credentialHash({ ...badge, proof: [{ type: "DataIntegrityProof" }] })).to.equal(
        keccak256(toUtf8Bytes(canonicalJson(withoutProof))),
      );
    });

    it("does not depend on key order, whitespace or the proof", function () {
      const badge = issuedBadge();
      const reordered = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(badge).reverse()), null, 4));
      expect(credentialHash(reordered)).to.equal(credentialHash(badge));
      expect(credentialHash({ ...badge, proof: { type: "CredentialRegistryAnchor2026" } })).to.equal(credentialHash(badge));
    });

    it("changes when any field changes, however deep", function () {
      const badge = issuedBadge();
      const altered = issuedBadge();
      altered.credentialSubject.achievement.alignment[0].targetCode += "x";
      expect(credentialHash(altered)).to.not.equal(credentialHash(badge));
    });

    it("stays stable across releases for the same credential", function () {
      const fixed = { "@context": ["a"], id: "urn:uuid:1", name: "é", n: 1.5e21 };
      expect(credentialHash(fixed)).to.equal(keccak256(toUtf8Bytes('{"@context":["a"],"id":"urn:uuid:1","n":1.5e+21,"name":"é"}')));
    });
  });
});
