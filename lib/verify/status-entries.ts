/**
 * A badge's `credentialStatus` as the verifier reads it. VC 2.0 asks only that each entry be an object
 * with a `type`: that much is the format check's (a badge breaking it is `malformed`). Beyond it, entries
 * are read, never refused: a `BitstringStatusListEntry` for revocation or suspension is compared with the
 * chain (status-lists.ts); any other entry — another platform's StatusList2021Entry, a purpose the
 * registry does not record, a Bitstring entry missing a field — is skipped with a note saying why.
 */
import { STATUS_ENTRY_TYPE, STATUS_PURPOSES, type StatusPurpose } from "../status/status-list.js";

/** An entry this verifier compares with the chain. */
export interface ComparableEntry {
  kind: "compare";
  url: string;
  purpose: StatusPurpose;
  index: number;
}

/** An entry this verifier does not compare, and why. */
export interface SkippedEntry {
  kind: "skip";
  type: string;
  url: string | null;
  purpose: string | null;
  note: string;
}

export type StatusEntry = ComparableEntry | SkippedEntry;

export type ReadEntries = { ok: true; entries: StatusEntry[] } | { ok: false; problems: string[] };

/** Reads `credentialStatus` (absent, one object, or an array of them). */
export function readStatusEntries(credentialStatus: unknown): ReadEntries {
  if (credentialStatus === undefined) return { ok: true, entries: [] };
  const list = Array.isArray(credentialStatus) ? credentialStatus : [credentialStatus];
  const path = (position: number) => (Array.isArray(credentialStatus) ? `$.credentialStatus[${position}]` : "$.credentialStatus");
  const problems: string[] = [];
  const entries: StatusEntry[] = [];
  list.forEach((entry, position) => {
    const types = typesOf(entry);
    if (types === undefined) {
      problems.push(`${path(position)} must be an object with a "type" (VC 2.0)`);
      return;
    }
    entries.push(readEntry(entry as Record<string, unknown>, types));
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, entries };
}

function typesOf(entry: unknown): string[] | undefined {
  if (entry === null || typeof entry !== "object" || Array.isArray(entry)) return undefined;
  const type = (entry as { type?: unknown }).type;
  if (typeof type === "string" && type !== "") return [type];
  if (Array.isArray(type) && type.length > 0 && type.every((item) => typeof item === "string" && item !== "")) return type as string[];
  return undefined;
}

function readEntry(entry: Record<string, unknown>, types: string[]): StatusEntry {
  const url = typeof entry.statusListCredential === "string" ? entry.statusListCredential : null;
  const purpose = typeof entry.statusPurpose === "string" ? entry.statusPurpose : null;
  const skip = (note: string): SkippedEntry => ({ kind: "skip", type: types.join(", "), url, purpose, note });
  if (!types.includes(STATUS_ENTRY_TYPE)) return skip(`a ${types.join(", ")} entry: this verifier reads ${STATUS_ENTRY_TYPE} entries only; the chain decides the status`);
  if (url === null || !isUrl(url)) return skip(`its statusListCredential is not a URL: not compared`);
  if (purpose === null || !(STATUS_PURPOSES as readonly string[]).includes(purpose)) {
    return skip(`statusPurpose ${JSON.stringify(entry.statusPurpose) ?? "missing"}: the registry records revocation and suspension only; not compared`);
  }
  // The spec writes the index as a string of digits; a JSON number is read too (some issuers write one).
  const raw = entry.statusListIndex;
  const index = typeof raw === "string" && /^\d{1,15}$/.test(raw) ? Number(raw) : typeof raw === "number" && Number.isSafeInteger(raw) && raw >= 0 ? raw : undefined;
  if (index === undefined) return skip(`statusListIndex ${JSON.stringify(raw) ?? "missing"} is not a non-negative integer: not compared`);
  return { kind: "compare", url, purpose: purpose as StatusPurpose, index };
}

function isUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}
