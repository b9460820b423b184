/**
 * What is the same for every badge of a batch `credentials anchor` issues: the issuer's signer (refused here
 * when its key is not the issuer's), the signatures' `created` time and the status lists' place — taken from
 * the journal when a batch is resumed, so that a re-run signs and hashes the same bytes.
 */
import { randomBytes } from "node:crypto";

import { CommandError } from "../command-errors.js";
import type { JsonLdObject } from "../../lib/signature/contexts.js";
import { signerForProfile, type SigningKey } from "../signing/signing-key.js";
import type { IssuanceSettings, StatusListPlace } from "./badge-files.js";
import type { AnchorJournal } from "./journal.js";

/** The anchor command's options these come from (see AnchorOptions). */
export interface BatchSettingsOptions {
  signing: SigningKey | "unsigned";
  statusBaseUrl?: string;
  contexts?: Array<[url: string, document: JsonLdObject]>;
}

export function batchSettings(profileId: string, options: BatchSettingsOptions, journal: AnchorJournal | undefined): IssuanceSettings {
  const signer = options.signing === "unsigned" ? null : signerForProfile(profileId, options.signing);
  // Whole seconds: `created` is an XML Schema dateTime, and verifiers show it.
  const created = journal?.signing?.created ?? new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  return {
    profileId,
    status: journal ? (journal.statusList ?? null) : statusPlace(options.statusBaseUrl),
    signing: signer === null ? null : { signer, created, contexts: options.contexts ?? [] },
  };
}

/** The status list place of a new batch: a fresh batch id under the base URL given (https only). */
function statusPlace(baseUrl: string | undefined): StatusListPlace | null {
  if (!baseUrl) return null;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new CommandError("bad-status-base-url", `--status-base-url must be an https URL (such as https://uni.example/status), got "${baseUrl}"`);
  }
  if (url.protocol !== "https:" && !isLoopback(url)) {
    throw new CommandError("bad-status-base-url", `--status-base-url must be an https URL (verifiers fetch the lists from it), got "${baseUrl}"`);
  }
  if (url.search !== "" || url.hash !== "") throw new CommandError("bad-status-base-url", "--status-base-url must not have a query or fragment");
  // 16 hex digits of randomness: no two batches share a list, and the URL says nothing about the batch.
  return { base: baseUrl.replace(/\/+$/, ""), batchId: randomBytes(8).toString("hex") };
}

/** Local test servers (http://127.0.0.1…) may serve lists; everything else must be https. */
function isLoopback(url: URL): boolean {
  return url.protocol === "http:" && (url.hostname === "127.0.0.1" || url.hostname === "localhost" || url.hostname === "[::1]");
}
