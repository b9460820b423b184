/**
 * Randomized variants of the example badges for equivalence tests: seeded (reproducible), each a valid
 * OB 3.0 badge under the same contexts but with other shapes — keys reordered, strings of awkward
 * Unicode, numbers and dates varied, arrays grown and shrunk, evidence, results and identifiers added,
 * the issuer as a bare id — so expansion meets type-scoped contexts in other orders and counts.
 */
import type { JsonLdObject } from "../../../lib/signature/contexts.js";
import { seededRandom as random } from "../../helpers/seeded-random.js";


const AWKWARD = ["é", "ß", "日本語", "🎓", "e\u0301", "\"", "\\", "\n", "\t", "<b>", "&amp;", " ", "\u200b", "Ω", "'", "—", "\ud83d\udc4d"];

export function badgeVariants(badges: readonly JsonLdObject[], count: number, seed = 14): JsonLdObject[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const text = () => Array.from({ length: 1 + Math.floor(next() * 12) }, () => (next() < 0.5 ? pick(AWKWARD) : String.fromCharCode(97 + Math.floor(next() * 26)))).join("");
  const uuid = () => "xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx".replace(/x/g, () => Math.floor(next() * 16).toString(16));

  const shuffleKeys = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(shuffleKeys);
    if (value === null || typeof value !== "object") return value;
    const entries = Object.entries(value as JsonLdObject).map(([key, member]) => [key, shuffleKeys(member)] as const);
    for (let i = entries.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [entries[i], entries[j]] = [entries[j]!, entries[i]!];
    }
    return Object.fromEntries(entries);
  };
  const retext = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(retext);
    if (value === null || typeof value !== "object") return value;
    const copy: JsonLdObject = {};
    for (const [key, member] of Object.entries(value as JsonLdObject)) {
      copy[key] = ["name", "description", "narrative", "targetName", "targetDescription", "caption"].includes(key) && typeof member === "string" && next() < 0.5 ? text() : retext(member);
    }
    return copy;
  };

  return Array.from({ length: count }, (_, index) => {
    let badge = structuredClone(badges[index % badges.length]!);
    badge.id = `urn:uuid:${uuid()}`;
    badge = retext(badge) as JsonLdObject;
    const subject = badge.credentialSubject as JsonLdObject & { achievement: JsonLdObject };
    const achievement = subject.achievement;
    if (next() < 0.5) subject.creditsEarned = Math.round(next() * 1000) / (next() < 0.5 ? 1 : 7);
    if (next() < 0.5) badge.validUntil = new Date(Date.UTC(2027, 0, 1) + Math.floor(next() * 3e10)).toISOString().replace(/\.\d{3}Z$/, "Z");
    if (next() < 0.5 && Array.isArray(achievement.alignment)) {
      achievement.alignment = next() < 0.5 ? achievement.alignment.slice(0, 1) : [...achievement.alignment, ...achievement.alignment.map((entry) => ({ ...(entry as JsonLdObject), targetName: text() }))];
    }
    if (next() < 0.5) {
      badge.evidence = Array.from({ length: 1 + Math.floor(next() * 4) }, (_, n) => ({
        id: `https://evidence.example/${uuid()}`,
        type: ["Evidence"],
        name: text(),
        ...(next() < 0.5 ? { narrative: text() } : {}),
        ...(n % 2 === 0 ? { genre: "Project", audience: text() } : {}),
      }));
    }
    if (next() < 0.4) {
      subject.result = [{ type: ["Result"], value: String(Math.floor(next() * 100)), ...(next() < 0.5 ? { status: "Completed" } : {}) }];
    }
    if (next() < 0.4) {
      subject.identifier = [{ type: "IdentityObject", identityHash: `sha256$${uuid().replace(/-/g, "")}`, identityType: "emailAddress", hashed: true, salt: text() }];
    }
    if (next() < 0.3) achievement.tag = Array.from({ length: 1 + Math.floor(next() * 3) }, text);
    if (next() < 0.2) badge.issuer = (badge.issuer as JsonLdObject).id;
    if (next() < 0.2) delete achievement.image;
    return shuffleKeys(badge) as JsonLdObject;
  });
}
