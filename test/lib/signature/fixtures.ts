/**
 * Shared test inputs for lib/signature: the W3C vc-di-eddsa vectors (read from the workspace's shared
 * fixtures, never copied), the example badges, and a fixed key and date so runs are reproducible.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";

import { PROJECT_ROOT } from "../../helpers/processes.js";
import type { JsonLdObject } from "../../../lib/signature/contexts.js";
import { buildControllerDocument } from "../../../lib/signature/controller-document.js";
import { decodeSecretKeyMultibase, type Ed25519KeyPair } from "../../../lib/signature/ed25519-keys.js";

// VC_DI_EDDSA_FIXTURES overrides; ../shared is where the workspace keeps them beside the project.
export const VECTORS = [
  process.env.VC_DI_EDDSA_FIXTURES,
  path.resolve(PROJECT_ROOT, "..", "shared", "fixtures", "vc-di-eddsa"),
  "/work/shared/fixtures/vc-di-eddsa",
].find((candidate): candidate is string => candidate !== undefined && existsSync(path.join(candidate, "keyPair.json")));
if (VECTORS === undefined) throw new Error("W3C vc-di-eddsa vectors not found: set VC_DI_EDDSA_FIXTURES to the shared fixtures' vc-di-eddsa folder");

const readJson = (file: string): JsonLdObject => JSON.parse(readFileSync(file, "utf8")) as JsonLdObject;

export const EXAMPLES_CONTEXT_URL = "https://www.w3.org/ns/credentials/examples/v2";
export const VECTOR_CONTEXTS: ReadonlyMap<string, JsonLdObject> = new Map([
  [EXAMPLES_CONTEXT_URL, readJson(path.join(VECTORS, "credentials-examples-v2.jsonld"))],
]);
const vectorKeys = readJson(path.join(VECTORS, "keyPair.json")) as { publicKeyMultibase: string; privateKeyMultibase: string };
export const VECTOR_PUBLIC_KEY_MULTIBASE = vectorKeys.publicKeyMultibase;
export const VECTOR_KEY_PAIR: Ed25519KeyPair = decodeSecretKeyMultibase(vectorKeys.privateKeyMultibase);
export const VECTOR_ISSUER = "https://vc.example/issuers/5678";
/** The controller document SOURCE.md describes: the vectors' issuer, the keyPair.json Multikey for assertionMethod. */
export const VECTOR_CONTROLLER_DOCUMENT = buildControllerDocument({
  id: VECTOR_ISSUER,
  publicKey: VECTOR_KEY_PAIR.publicKey,
  keyFragment: VECTOR_PUBLIC_KEY_MULTIBASE,
});
export const vectorCredential = (suite: "eddsa-rdfc-2022" | "eddsa-jcs-2022"): JsonLdObject =>
  readJson(path.join(VECTORS, `${suite}-signed.json`));

const BADGES = path.join(PROJECT_ROOT, "examples", "badges");
export const EXAMPLE_BADGES: ReadonlyArray<{ name: string; badge: JsonLdObject }> = readdirSync(BADGES)
  .filter((name) => name.endsWith(".json"))
  .map((name) => ({ name, badge: readJson(path.join(BADGES, name)) }));

/** A fixed seed (not a secret: test-only) so proofValues are reproducible. */
export const TEST_KEY_PAIR: Ed25519KeyPair = decodeSecretKeyMultibase("z3u2WYgXvn8ecq4D4sXPfhtcSAxaiXUHpUSGyphv62CBFH6X");
export const CREATED = new Date("2026-03-14T09:00:00Z");

/** `badge` with its issuer id replaced (the examples' issuer is did:web:uni.example). */
export function issuedBy(badge: JsonLdObject, issuerId: string): JsonLdObject {
  const copy = structuredClone(badge);
  const issuer = copy.issuer;
  copy.issuer = issuer !== null && typeof issuer === "object" ? { ...(issuer as JsonLdObject), id: issuerId } : issuerId;
  return copy;
}

/** An OB 3.0 badge of the VC 1.1 era, with the Ed25519Signature2020 context, as older platforms issued. */
export const OLDER_BADGE: JsonLdObject = {
  "@context": [
    "https://www.w3.org/2018/credentials/v1",
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
    "https://w3id.org/security/suites/ed25519-2020/v1",
  ],
  id: "urn:uuid:2f0e3b52-7d1c-4a58-9a0e-0c9d1d3f6a11",
  type: ["VerifiableCredential", "OpenBadgeCredential"],
  issuer: { id: "did:example:older-platform", type: "Profile", name: "An older platform" },
  issuanceDate: "2024-05-01T00:00:00Z",
  name: "Spreadsheet Basics",
  credentialSubject: {
    type: "AchievementSubject",
    achievement: {
      id: "https://older.example/achievements/1",
      type: "Achievement",
      name: "Spreadsheet Basics",
      description: "Formulas and charts.",
      criteria: { narrative: "Pass the test." },
    },
  },
};
