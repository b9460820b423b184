/**
 * Hostile requests to the verifier, generated from real anchored badges by a seeded generator (the same
 * seed, the same requests): the classes of issue 15 — members smuggled past the hash (duplicate names,
 * `__proto__`, unsafe integers, lone surrogates, bytes that are not UTF-8), a mutation fuzzer over each
 * badge's content (values changed, members added and removed, arrays reordered, types swapped), random
 * byte edits, garbage bodies, portfolios of mutated badges and baked images carrying them.
 *
 * Each request says what a correct verifier may answer: `mustRefuse` (a 4xx problem), or which of the
 * credentials it carries still have their original content (only those may read `valid`, and only if the
 * original does). Used by test/server/hostile-input.ts (bounded, in `npm test`) and bench/soak.ts.
 */
import { bakeCredential } from "../../lib/baked/baked-badge.js";
import { canonicalJson, withoutProof } from "../../lib/credential/canonical.js";
import type { OpenBadgeCredential } from "../../lib/credential/credential.js";
import { parseStrictJsonBytes } from "../../lib/credential/strict-json.js";
import { seededRandom } from "./seeded-random.js";

export { seededRandom };

type Json = null | boolean | number | string | Json[] | { [name: string]: Json };
type JsonObject = { [name: string]: Json };

export interface BaseBadge {
  credential: JsonObject;
  /** Its verdict as sent unchanged. */
  status: string;
}

export interface HostileRequest {
  kind: string;
  route: "/v1/credentials/verify" | "/v1/presentations/verify";
  contentType: string;
  body: Uint8Array;
  /** A correct verifier answers 4xx. */
  mustRefuse: boolean;
  /**
   * For each credential the request carries, in order: the status it may read `valid` with — the base
   * badge's own when its content is unchanged, null when changed (it must not read valid).
   */
  expected: Array<string | null>;
}


const utf8 = new TextEncoder();
const JSON_TYPE = "application/json";

/** What the hash covers and the page shows: the credential without its proofs, canonical. */
function contentOf(value: unknown): string | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  try {
    return canonicalJson(withoutProof(value as object));
  } catch {
    return null;
  }
}

type Step = { holder: JsonObject | Json[]; key: string | number; value: Json; path: string };

/** Every member and element below the root, with where it sits. */
function walk(value: Json, path = "$", into: Step[] = []): Step[] {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      into.push({ holder: value, key: index, value: item, path: `${path}[${index}]` });
      walk(item, `${path}[${index}]`, into);
    });
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      into.push({ holder: value, key, value: item, path: `${path}.${key}` });
      walk(item, `${path}.${key}`, into);
    }
  }
  return into;
}

function objectsIn(value: Json): JsonObject[] {
  const found: JsonObject[] = [];
  const visit = (node: Json) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === "object") {
      found.push(node);
      Object.values(node).forEach(visit);
    }
  };
  visit(value);
  return found;
}

/**
 * JSON text of `value`, with `extra` written as raw members at the start of object `at` (by identity) or,
 * for a duplicate, just before or after its member `name`.
 */
function writeWith(value: Json, at: JsonObject, extra: string, placement: { before?: string; after?: string } = {}): string {
  const write = (node: Json): string => {
    if (Array.isArray(node)) return `[${node.map(write).join(",")}]`;
    if (node === null || typeof node !== "object") return JSON.stringify(node);
    const members = Object.entries(node).map(([name, item]) => {
      const member = `${JSON.stringify(name)}:${write(item)}`;
      if (node !== at) return member;
      if (placement.before === name) return `${extra},${member}`;
      if (placement.after === name) return `${member},${extra}`;
      return member;
    });
    if (node === at && placement.before === undefined && placement.after === undefined) members.unshift(extra);
    return `{${members.join(",")}}`;
  };
  return write(value);
}

const clone = <T>(value: T): T => structuredClone(value);

export function* hostileRequests(bases: readonly BaseBadge[], options: { seed: number; count: number; image?: Uint8Array }): Generator<HostileRequest> {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const originals = bases.map((base) => contentOf(base.credential));
  const judged = (value: unknown, base: number): string | null => (contentOf(value) === originals[base] ? bases[base].status : null);
  const single = (kind: string, text: string | Uint8Array, base: number, options: { wrapped?: boolean } = {}): HostileRequest => {
    const body = typeof text === "string" ? utf8.encode(text) : text;
    const parsed = parseStrictJsonBytes(body);
    // The verify route takes a badge bare or as { verifiableCredential }: judge what it will verify.
    const sent = parsed.ok && options.wrapped ? (parsed.value as { verifiableCredential?: unknown }).verifiableCredential : parsed.ok ? parsed.value : undefined;
    return { kind, route: "/v1/credentials/verify", contentType: JSON_TYPE, body, mustRefuse: !parsed.ok, expected: [parsed.ok ? judged(sent, base) : null] };
  };
  const smuggling: Array<(credential: JsonObject) => string> = [
    // A fake value before the real one (a first-wins reader shows it) and after it (JSON.parse keeps it).
    (credential) => {
      const holder = pick(objectsIn(credential).filter((node) => Object.keys(node).length > 0));
      const name = pick(Object.keys(holder));
      return writeWith(credential, holder, `${JSON.stringify(name)}:${JSON.stringify("Doctor of Medicine")}`, random() < 0.5 ? { before: name } : { after: name });
    },
    (credential) => writeWith(credential, pick(objectsIn(credential)), `"__proto__":{"name":"Doctor of Medicine","id":"did:example:other"}`),
    (credential) => writeWith(credential, pick(objectsIn(credential)), `"__proto__":null`),
    (credential) => writeWith(credential, pick(objectsIn(credential)), `"creditsEarned":${pick(["9007199254740993", "-9007199254740993", "123456789012345678901234567890"])}`),
    (credential) => writeWith(credential, pick(objectsIn(credential)), `"note":"${pick(["\\ud800", "\\udfff", "a\\ud83dz"])}"`),
  ];
  const mutations: Array<(credential: JsonObject) => void> = [
    // Change one leaf value.
    (credential) => {
      const leaves = walk(credential).filter((step) => step.value === null || typeof step.value !== "object");
      const step = pick(leaves);
      const value = step.value;
      const changed: Json =
        typeof value === "string"
          ? pick([`${value}x`, value.slice(0, -1), value.toUpperCase() === value ? value.toLowerCase() : value.toUpperCase(), value.replace(/a/, "а"), `${value} `, ""])
          : typeof value === "number"
            ? pick([value + 1, -value, value * 10, 0.5])
            : typeof value === "boolean"
              ? !value
              : pick([0, "", false]);
      (step.holder as Record<string | number, Json>)[step.key] = changed;
    },
    // Remove one member (or element).
    (credential) => {
      const step = pick(walk(credential));
      if (Array.isArray(step.holder)) step.holder.splice(step.key as number, 1);
      else delete step.holder[step.key as string];
    },
    // Add a member somewhere.
    (credential) => {
      const holder = pick(objectsIn(credential));
      holder[pick(["name", "description", "evidence", "id", "type", "extra", "validUntil", "awardedDate"]) + (random() < 0.5 ? "" : "2")] = pick<Json>(["Doctor of Medicine", 1, [], {}, null, "2099-01-01T00:00:00Z"]);
    },
    // Reorder an array (order is content in JCS: @context and type order matter).
    (credential) => {
      const arrays = walk(credential).filter((step) => Array.isArray(step.value) && step.value.length > 1) as Array<Step & { value: Json[] }>;
      if (arrays.length === 0) return;
      const array = pick(arrays).value;
      const first = array.shift()!;
      array.push(first);
    },
    // Swap a value's type: a string for an array of it, an object for its id, a number for a string.
    (credential) => {
      const step = pick(walk(credential));
      const value = step.value;
      const swapped: Json = Array.isArray(value)
        ? (value[0] ?? null)
        : value !== null && typeof value === "object"
          ? (value.id ?? Object.values(value)[0] ?? null)
          : typeof value === "number"
            ? String(value)
            : [value];
      (step.holder as Record<string | number, Json>)[step.key] = swapped;
    },
  ];

  for (let made = 0; made < options.count; made++) {
    const base = Math.floor(random() * bases.length);
    const credential = clone(bases[base].credential);
    const roll = random();
    if (roll < 0.45) {
      const times = 1 + Math.floor(random() * 3);
      for (let step = 0; step < times; step++) pick(mutations)(credential);
      const wrapped = random() < 0.2;
      yield single("mutation", JSON.stringify(wrapped ? { verifiableCredential: credential } : credential), base, { wrapped });
    } else if (roll < 0.65) {
      const text = pick(smuggling)(credential);
      yield { ...single("smuggling", text, base), mustRefuse: true };
    } else if (roll < 0.8) {
      // Edit one character of the text: often not JSON any more, sometimes a changed document.
      const text = JSON.stringify(credential);
      const at = Math.floor(random() * text.length);
      const replacement = pick(['"', "\\", "{", "}", ",", ":", "0", "a", "Z", " ", "\u00e9", "\u0000", "\u2028"]);
      yield single("byte-edit", text.slice(0, at) + replacement + text.slice(at + 1), base);
    } else if (roll < 0.87) {
      yield garbage(random, pick);
    } else if (roll < 0.95 || options.image === undefined) {
      // A portfolio of two or three badges, some changed: each result judged on its own.
      const members = Array.from({ length: 2 + Math.floor(random() * 2) }, () => {
        const from = Math.floor(random() * bases.length);
        const member = clone(bases[from].credential);
        if (random() < 0.6) pick(mutations)(member);
        return { member, expected: judged(member, from) };
      });
      const body = utf8.encode(JSON.stringify({ "@context": ["https://www.w3.org/ns/credentials/v2"], type: ["VerifiablePresentation"], verifiableCredential: members.map((entry) => entry.member) }));
      yield { kind: "portfolio", route: "/v1/presentations/verify", contentType: JSON_TYPE, body, mustRefuse: false, expected: members.map((entry) => entry.expected) };
    } else {
      // A baked PNG carrying a changed badge (the verdict's bakedCredential must be what was hashed).
      pick(mutations)(credential);
      const baked = bakeCredential(options.image, credential as unknown as OpenBadgeCredential);
      if (!baked.ok) throw new Error(`cannot bake: ${baked.problem}`);
      yield { kind: "baked-image", route: "/v1/credentials/verify", contentType: "image/png", body: baked.value.image, mustRefuse: false, expected: [judged(credential, base)] };
    }
  }
}

function garbage(random: () => number, pick: <T>(items: readonly T[]) => T): HostileRequest {
  const bytes = new Uint8Array(1 + Math.floor(random() * 64));
  for (let index = 0; index < bytes.length; index++) bytes[index] = Math.floor(random() * 256);
  const depth = 300 + Math.floor(random() * 5000);
  const choices: Array<[string, Uint8Array]> = [
    [JSON_TYPE, bytes],
    [JSON_TYPE, utf8.encode("[".repeat(depth) + "]".repeat(depth))],
    [JSON_TYPE, utf8.encode(`{"a":${"[".repeat(depth)}`)],
    [JSON_TYPE, utf8.encode(pick(["null", "[]", "0", '"badge"', "true", "{}", "NaN", "{'a':1}", '{"a":1,}', "/* */{}", "\ufeff{}"]))],
    [pick(["text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1", "image/png", "image/svg+xml"]), bytes],
  ];
  const [contentType, body] = pick(choices);
  const parsed = parseStrictJsonBytes(body);
  // A parsed value that is no credential may be answered as a verdict (malformed) or refused; never valid.
  return { kind: "garbage", route: "/v1/credentials/verify", contentType, body, mustRefuse: !parsed.ok || !contentType.startsWith(JSON_TYPE) || contentType.includes("latin1"), expected: [null] };
}

export interface Judgement {
  /** A broken promise, described; null when the answer is one a correct verifier may give. */
  problem: string | null;
}

/** Whether `status` + `body` (the parsed JSON answer) keeps the promises `request` states. */
export function judge(request: HostileRequest, status: number, body: unknown): string | null {
  if (status >= 500 && status !== 503) return `answered ${status}`;
  if (request.mustRefuse) return status >= 400 && status < 500 ? null : `answered ${status} to a request that must be refused`;
  if (status >= 400) return null;
  const answer = body as { status?: string; results?: Array<{ status?: string }> };
  const statuses = request.route === "/v1/presentations/verify" ? (answer.results ?? []).map((result) => result.status) : [answer.status];
  if (request.route === "/v1/presentations/verify" && statuses.length !== request.expected.length) return `answered ${statuses.length} results for ${request.expected.length} credentials`;
  for (const [index, expected] of request.expected.entries()) {
    if (statuses[index] === "valid" && expected !== "valid") return `credential ${index} read valid although ${expected === null ? "its content was changed" : `it reads ${expected} unchanged`}`;
  }
  return null;
}
