/**
 * Sample badges for tests: the examples shipped in examples/badges, read fresh for each use so a test
 * can alter its copy.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

import { generateEd25519KeyPair } from "../../lib/signature/ed25519-keys.js";
import type { SigningKey } from "../../scripts/signing/signing-key.js";
import { PROJECT_ROOT } from "./processes.js";

export const EXAMPLES_DIR = path.join(PROJECT_ROOT, "examples", "badges");

export function exampleBadgeFiles(): string[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => path.join(EXAMPLES_DIR, name));
}

/** A fresh copy of an example badge, by file name without extension. */
export function exampleBadge(name: string): Record<string, any> {
  return JSON.parse(readFileSync(path.join(EXAMPLES_DIR, `${name}.json`), "utf8"));
}

/** An example badge with an `id` (some examples leave it for the anchor command to fill). */
export function issuedBadge(name = "uni-data-analytics-foundations"): Record<string, any> {
  const badge = exampleBadge(name);
  badge.id ??= "urn:uuid:00000000-0000-4000-8000-000000000001";
  return badge;
}

export const PATHWAYS_DIR = path.join(PROJECT_ROOT, "examples", "pathways");

/** A fresh copy of an example pathway, by file name without extension. */
export function examplePathway(name = "data-analyst-certificate"): Record<string, any> {
  return JSON.parse(readFileSync(path.join(PATHWAYS_DIR, `${name}.json`), "utf8"));
}

/**
 * A signing key for tests, kept in memory: as a keystore key with no verification method named, it signs
 * for any did:web or https issuer as `<profile id>#key-1` (and for a did:key, only its own).
 */
export function testSigningKey(): SigningKey {
  return { keyPair: generateEd25519KeyPair(), source: "test key" };
}
