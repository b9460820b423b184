/**
 * The jsonld speed-ups (lib/signature/jsonld-fast-clone.ts: the shallow clone and the remembered context
 * processing) must not change one byte: canonical N-Quads
 * and proofValues of this process (fast clone installed) against a child process running the reference
 * libraries on an unmodified jsonld, on every example badge, the W3C vector, an older VC 1.1 badge and
 * randomized variants of the badges.
 */
import { execFileSync } from "node:child_process";
import path from "node:path";

import { expect } from "chai";
import jsonldContext from "jsonld/lib/context.js";

import { PROJECT_ROOT } from "../../helpers/processes.js";
import { canonicalNQuads } from "../../../lib/signature/canonize.js";
import { contextLoader, type JsonLdObject } from "../../../lib/signature/contexts.js";
import { createBatchSigner } from "../../../lib/signature/data-integrity.js";
import { didKeyOf, didKeyVerificationMethod } from "../../../lib/signature/did-key.js";
import { encodeSecretKeyMultibase } from "../../../lib/signature/ed25519-keys.js";
import { AUDITED_JSONLD_VERSION, installFastContextClone, processMemoInstalled } from "../../../lib/signature/jsonld-fast-clone.js";
import { CREATED, EXAMPLE_BADGES, issuedBy, OLDER_BADGE, TEST_KEY_PAIR, VECTOR_CONTEXTS, vectorCredential } from "./fixtures.js";
import type { ReferenceAnswer, ReferenceRequest } from "./reference-child.js";
import { badgeVariants } from "./variants.js";

const did = didKeyOf(TEST_KEY_PAIR.publicKey);
const verificationMethod = didKeyVerificationMethod(did);
const VARIANTS = 60;

function referenceInChild(request: ReferenceRequest): ReferenceAnswer {
  const output = execFileSync(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "reference-child.ts")], {
    cwd: PROJECT_ROOT,
    input: JSON.stringify(request),
    encoding: "utf8",
    maxBuffer: 1 << 26,
    timeout: 120_000,
  });
  return JSON.parse(output.trim().split("\n").at(-1)!) as ReferenceAnswer;
}

describe("lib/signature/jsonld-fast-clone: byte-identical to an unmodified jsonld", function () {
  this.timeout(180_000);
  const { proof: _proof, ...vector } = vectorCredential("eddsa-rdfc-2022");
  const items: Array<{ label: string; credential: JsonLdObject }> = [
    ...EXAMPLE_BADGES.map(({ name, badge }) => ({ label: name, credential: issuedBy(badge, did) })),
    { label: "the W3C eddsa-rdfc-2022 vector's credential", credential: { ...vector, issuer: did } },
    { label: "an older VC 1.1 badge", credential: issuedBy(OLDER_BADGE, did) },
    ...badgeVariants(EXAMPLE_BADGES.map(({ badge }) => issuedBy(badge, did)), VARIANTS).map((credential, index) => ({ label: `random variant ${index + 1}`, credential })),
  ];
  let reference: ReferenceAnswer;

  before(function () {
    expect(installFastContextClone(), `jsonld is not ${AUDITED_JSONLD_VERSION}: re-audit jsonld-fast-clone.ts`).to.equal(true);
    // Both speed-ups are under test here: the context processing memo needs lib/signature loaded before jsonld.
    expect(processMemoInstalled(), "jsonld was loaded before lib/signature: its context processing is not remembered").to.equal(true);
    reference = referenceInChild({
      secretKeyMultibase: encodeSecretKeyMultibase(TEST_KEY_PAIR.secretKey),
      verificationMethod,
      created: CREATED.toISOString(),
      contexts: [...VECTOR_CONTEXTS],
      items: items.map(({ credential }) => credential),
    });
  });

  it("is installed here and not in the reference's process", function () {
    expect((jsonldContext.getInitialContext({}) as { clone: { name: string } }).clone.name).to.equal("shallowCloneActiveContext");
    expect(reference.cloneName).to.equal("_cloneActiveContext");
    expect(reference.results).to.have.length(items.length);
  });

  it("does not remember context processing when jsonld was loaded before lib/signature (it could not take effect)", function () {
    const script = [
      'import "jsonld";',
      `const { processMemoInstalled } = await import(${JSON.stringify(path.join(PROJECT_ROOT, "lib/signature/jsonld-fast-clone.ts"))});`,
      "console.log(JSON.stringify(processMemoInstalled()));",
    ].join("\n");
    const output = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: PROJECT_ROOT, encoding: "utf8", timeout: 60_000 });
    expect(JSON.parse(output.trim().split("\n").at(-1)!)).to.equal(false);
  });

  it("leaves every input canonicalizable by the reference (the variants are valid badges)", function () {
    expect(reference.results.filter((result) => result.error !== undefined)).to.deep.equal([]);
  });

  it("gives the same canonical N-Quads and proofValue on every input", async function () {
    const loader = contextLoader(VECTOR_CONTEXTS);
    const signer = createBatchSigner({ verificationMethod, keyPair: TEST_KEY_PAIR }, { created: CREATED, loader });
    const mismatches: string[] = [];
    for (const [index, { label, credential }] of items.entries()) {
      const expected = reference.results[index]!;
      if ((await canonicalNQuads(credential, loader)) !== expected.nquads) mismatches.push(`${label}: N-Quads differ`);
      if ((await signer.sign(credential)).proofValue !== expected.proofValue) mismatches.push(`${label}: proofValue differs`);
    }
    expect(mismatches).to.deep.equal([]);
  });
});
