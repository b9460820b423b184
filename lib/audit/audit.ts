/**
 * The auditor's core: rebuild the registry's whole state (CredentialRegistry 2.x) from its events alone,
 * checking every rule on the way (rebuild.ts), cross-check it against the contract's batch views at the
 * audited block (cross-check.ts), and describe it: identities with their controller, operator and
 * compromise histories, per issuer and per month (summary.ts), and a timeline of every event
 * (timeline.ts). The history is held compactly (state.ts, columns.ts) and can be streamed through the
 * rebuild a page at a time. Pure: events and a view reader come in, data goes out; reading logs from a
 * node (and paging them) is the command's job.
 *
 * lib/audit/: the auditor's core (this), on top of lib/credential/, lib/chain/ and lib/verify/.
 */
export * from "./events.js";
export * from "./state.js";
export { ACCREDITOR_ROLE, CONTROLLER_CHANGE_HOWS, Rebuild, rebuildState } from "./rebuild.js";
export * from "./cross-check.js";
export * from "./summary.js";
export * from "./timeline.js";
