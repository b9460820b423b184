/**
 * Bitstring Status Lists beside the chain (issue 14, DESIGN.md §11): a badge anchored with a status base
 * URL names, per purpose, a published BitstringStatusListCredential and its index there — what verifiers
 * that do not read the chain go by. This verifier trusts the chain; it reads each list only to tell the
 * user when the list says something else (the issuer has not republished it since a revocation, or a
 * list is stale, unreachable, malformed or not the issuer's): every such finding is a WARNING naming the
 * list's URL and what each side says. A list never makes a badge valid or invalid.
 *
 * Reading a list: fetched through the StatusListFetcher the caller passes (the shell's is bounded and
 * cached, server/status-list-source.ts); it must be a BitstringStatusListCredential of the badge's
 * issuer for the entry's purpose, its signature is checked like the badge's (lib/signature; unsigned or
 * not the issuer's → a warning), and its bit at the entry's index is compared with the chain's answer:
 * revocation ↔ revoked || batchRevoked || keyCompromised; suspension ↔ suspended.
 */

import { MAX_STATUS_LIST_BITS, readStatusList, STATUS_LIST_CREDENTIAL_TYPE, type DecodedStatusList, type StatusPurpose } from "../status/status-list.js";
import { checkSignature, type SignatureOptions } from "./signature-check.js";
import type { ComparableEntry, StatusEntry } from "./status-entries.js";
import type { OnChainCredentialStatus } from "./verify.js";

/** Fetches a status list credential; rejects with a reason (a sentence) when it cannot. */
export interface StatusListFetcher {
  fetch(url: string): Promise<unknown>;
}

/** One status entry of the badge, and what its list and the chain say of it. */
export interface StatusListComparison {
  /** The list credential's URL (the entry's statusListCredential); null when the entry names none. */
  url: string | null;
  /** The entry's statusPurpose, as written. */
  purpose: string | null;
  index: number | null;
  /** The list's bit at the index (true: revoked / suspended); null when the list was not read. */
  listSays: boolean | null;
  /** The chain's answer for this purpose; null for an entry not compared. */
  chainSays: boolean | null;
  /** Whether the two agree; null when there was nothing to compare. */
  agrees: boolean | null;
  /** The list credential's signature: verified, unsigned, invalid (not the issuer's), unchecked (key not had). */
  listSignature: "verified" | "unsigned" | "invalid" | "unchecked" | null;
  /** Why it was not compared (another kind of entry, an unreadable list); null when compared. */
  note: string | null;
}

export { MAX_STATUS_LIST_BITS };

/** What a list says at one entry's index, or why it says nothing usable. */
export interface ListReading {
  entry: ComparableEntry;
  set: boolean | null;
  problem: string | null;
  signature: StatusListComparison["listSignature"];
  signatureWarning: string | null;
}

export interface ReadListsOptions extends SignatureOptions {
  fetcher: StatusListFetcher;
  /** The badge's issuer.id: a list must be issued by it. */
  issuer: string;
}

/** Fetches and reads the list of every entry (each URL once); never rejects. */
export async function readStatusLists(entries: readonly ComparableEntry[], options: ReadListsOptions): Promise<ListReading[]> {
  const fetched = new Map<string, Promise<{ ok: true; list: unknown } | { ok: false; reason: string }>>();
  const fetchOnce = (url: string) => {
    let pending = fetched.get(url);
    if (!pending) {
      pending = Promise.resolve()
        .then(() => options.fetcher.fetch(url))
        .then(
          (list) => ({ ok: true as const, list }),
          (error: unknown) => ({ ok: false as const, reason: error instanceof Error ? error.message.split("\n")[0] : String(error) }),
        );
      fetched.set(url, pending);
    }
    return pending;
  };
  return Promise.all(
    entries.map(async (entry) => {
      const answer = await fetchOnce(entry.url);
      if (!answer.ok) return unread(entry, `could not be fetched (${answer.reason})`);
      return readList(entry, answer.list, options);
    }),
  );
}

function unread(entry: ComparableEntry, problem: string): ListReading {
  return { entry, set: null, problem, signature: null, signatureWarning: null };
}

async function readList(entry: ComparableEntry, list: unknown, options: ReadListsOptions): Promise<ListReading> {
  if (list === null || typeof list !== "object" || Array.isArray(list)) return unread(entry, "is not a JSON object");
  const document = list as Record<string, unknown>;
  const types = Array.isArray(document.type) ? document.type : [document.type];
  if (!types.includes(STATUS_LIST_CREDENTIAL_TYPE)) return unread(entry, `is not a ${STATUS_LIST_CREDENTIAL_TYPE} (its type is ${JSON.stringify(document.type) ?? "missing"})`);
  const issuer = typeof document.issuer === "string" ? document.issuer : (document.issuer as { id?: unknown } | null)?.id;
  if (issuer !== options.issuer) return unread(entry, `is issued by ${JSON.stringify(issuer) ?? "no one"}, not by the badge's issuer ${options.issuer}`);
  const subject = document.credentialSubject as Record<string, unknown> | null | undefined;
  if (subject === null || typeof subject !== "object" || Array.isArray(subject)) return unread(entry, "has no credentialSubject object");
  const purposes = Array.isArray(subject.statusPurpose) ? subject.statusPurpose : [subject.statusPurpose];
  if (!purposes.includes(entry.purpose)) return unread(entry, `is a list for ${JSON.stringify(subject.statusPurpose) ?? "no purpose"}, not ${entry.purpose}`);
  if (typeof subject.encodedList !== "string") return unread(entry, "has no encodedList");

  let bits: DecodedStatusList;
  try {
    bits = readStatusList(subject.encodedList, MAX_STATUS_LIST_BITS);
  } catch (error) {
    return unread(entry, listProblem(error as Error));
  }
  if (entry.index >= bits.bits) return unread(entry, `has ${bits.bits} entries; the badge's index ${entry.index} is beyond its end`);
  const set = bits.isSet(entry.index);
  const signature = await listSignature(document, entry, options);
  return { entry, set, problem: null, ...signature };
}

/** lib/status's reason, as a clause after "the list …". */
function listProblem(error: Error): string {
  return `has an encodedList that cannot be read: ${error.message.replace(/^the (encoded )?status list /, "it ")}`;
}

async function listSignature(document: Record<string, unknown>, entry: ComparableEntry, options: ReadListsOptions): Promise<Pick<ListReading, "signature" | "signatureWarning">> {
  const outcome = await checkSignature(document, options);
  const list = `the ${entry.purpose} status list ${entry.url}`;
  if (outcome.result === "pass") return { signature: "verified", signatureWarning: null };
  if (outcome.result === "fail") return { signature: "invalid", signatureWarning: `${list} is not validly signed by ${options.issuer} (${outcome.detail}): other verifiers will refuse it` };
  if (outcome.status === "unavailable") return { signature: "unchecked", signatureWarning: `the signature of ${list} could not be checked: ${outcome.detail}` };
  return { signature: "unsigned", signatureWarning: `${list} is not signed: whoever serves that URL can change what other verifiers read there` };
}

/** The chain's answer for `purpose`, and how to say it. */
function chainAnswer(purpose: StatusPurpose, onChain: OnChainCredentialStatus): { set: boolean; words: string } {
  if (purpose === "suspension") return { set: onChain.suspended, words: onChain.suspended ? "suspended" : "not suspended" };
  if (onChain.keyCompromised) {
    return { set: true, words: `revoked (the key that anchored it was declared compromised since ${new Date(onChain.keyCompromisedSince * 1000).toISOString()})` };
  }
  if (onChain.batchRevoked) return { set: true, words: "revoked (the whole batch)" };
  return { set: onChain.revoked, words: onChain.revoked ? "revoked" : "not revoked" };
}

const STATE = { revocation: "revoked", suspension: "suspended" } as const;

/**
 * The comparison of every entry with the chain, and the warnings it gives. `readings` undefined: the
 * verifier fetches no lists (a command run offline); the chain's answers are listed, nothing is warned.
 */
export function compareStatusLists(
  entries: readonly StatusEntry[],
  readings: readonly ListReading[] | undefined,
  onChain: OnChainCredentialStatus,
): { comparisons: StatusListComparison[]; warnings: string[] } {
  const warnings: string[] = [];
  let next = 0;
  const comparisons = entries.map((entry): StatusListComparison => {
    if (entry.kind === "skip") {
      return { url: entry.url, purpose: entry.purpose, index: null, listSays: null, chainSays: null, agrees: null, listSignature: null, note: entry.note };
    }
    const chain = chainAnswer(entry.purpose, onChain);
    if (readings === undefined) {
      return { url: entry.url, purpose: entry.purpose, index: entry.index, listSays: null, chainSays: chain.set, agrees: null, listSignature: null, note: "the list was not fetched (this verifier fetches no status lists)" };
    }
    const reading = readings[next++];
    const base = { url: entry.url, purpose: entry.purpose, index: entry.index, chainSays: chain.set, listSignature: reading.signature };
    if (reading.signatureWarning) warnings.push(reading.signatureWarning);
    if (reading.set === null) {
      warnings.push(`the ${entry.purpose} status list ${entry.url} ${reading.problem}; the chain says ${chain.words}: verifiers reading the list cannot tell`);
      return { ...base, listSays: null, agrees: null, note: `the list ${reading.problem}` };
    }
    const agrees = reading.set === chain.set;
    if (!agrees) {
      const state = STATE[entry.purpose];
      warnings.push(
        reading.set
          ? `the status list ${entry.url} says ${state}; the chain says ${chain.words}: verifiers reading the list will refuse this badge (the issuer has not republished its list)`
          : `the status list ${entry.url} says not ${state}; the chain says ${chain.words}: the issuer has not republished its list, and verifiers reading it will accept this badge`,
      );
    }
    return { ...base, listSays: reading.set, agrees, note: null };
  });
  return { comparisons, warnings };
}
