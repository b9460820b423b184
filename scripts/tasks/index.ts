/**
 * The project's Hardhat tasks, declared here and registered in hardhat.config.ts. Each action lives in
 * its own module and is loaded only when its task runs.
 */
import { emptyTask, task } from "hardhat/config";
import type { NewTaskDefinitionBuilder, TaskArguments } from "hardhat/types/tasks";

/** A task acting on the registry, with the options every such task shares. */
function registryTask(id: string[], description: string) {
  return task(id, description)
    .addOption({
      name: "registry",
      description: "Registry address (default: REGISTRY_ADDRESS, else this network's `registry deploy`)",
      defaultValue: "",
    })
    .addOption({
      name: "from",
      description: "Signing account: an address or an index among the network's accounts (default: the first)",
      defaultValue: "",
    })
    .addFlag({ name: "json", description: "Print the result as one JSON object" });
}

const REASON_HELP = "Reason: unspecified, issued-in-error, superseded, misconduct, key-compromise, holder-request, " +
  "cessation-of-operation, under-investigation, or a number 0-255";

/** The options of every command that signs with the issuer's Ed25519 key (see scripts/signing/signing-key.ts). */
function withSigningKey<ArgumentsT extends TaskArguments>(builder: NewTaskDefinitionBuilder<ArgumentsT>) {
  return builder
    .addOption({ name: "keyFile", description: "The issuer's encrypted signing key file (from `issuer did create`)", defaultValue: "" })
    .addOption({ name: "keyPasswordVariable", description: "The configuration variable (keystore or environment) holding the key file's password (default CREDENTIAL_KEY_PASSWORD)", defaultValue: "" })
    .addOption({ name: "signingKeyVariable", description: "Without --key-file: the configuration variable holding the secret key, multibase z3u2… (default CREDENTIAL_SIGNING_KEY)", defaultValue: "" })
    .addOption({ name: "verificationMethod", description: "The verification method the key signs as (default: the key file's, a did:key's own, else <profile id>#key-1)", defaultValue: "" });
}

const ISSUER_HELP = "The issuer: its profile id (such as did:web:uni.example) or its issuerId (0x and 64 hex digits)";
const ACTING_ISSUER_HELP = "The issuer to act for: its profile id or issuerId (default: the issuer the signing key belongs to)";

export const registryTasks = [
  emptyTask("registry", "Deploy the CredentialRegistry").build(),
  task(["registry", "deploy"], "Deploy the CredentialRegistry with Hardhat Ignition and print its address")
    .addOption({ name: "admin", description: "Address receiving DEFAULT_ADMIN_ROLE (default: the deployer)", defaultValue: "" })
    .addOption({ name: "accreditor", description: "Address receiving ACCREDITOR_ROLE (default: the deployer)", defaultValue: "" })
    .addFlag({ name: "json", description: "Print the result as JSON" })
    .setAction(() => import("./registry-deploy.js"))
    .build(),

  emptyTask("issuer", "Accredit issuer identities, rotate and retire their keys, manage their operators").build(),
  registryTask(["issuer", "register"], "Register an issuer identity: its profile id and its controller key (accreditor)")
    .addPositionalArgument({ name: "profileId", description: "The issuer's profile id, in canonical form (a DID such as did:web:uni.example, or an https URL)" })
    .addOption({ name: "controller", description: "The key that controls the issuer (a Safe, a hardware wallet)", defaultValue: "" })
    .setAction(() => import("./issuer-register.js"))
    .build(),
  ...(["suspend", "reinstate", "withdraw"] as const).map((action) =>
    registryTask(["issuer", action], `${action[0].toUpperCase()}${action.slice(1)} an issuer (accreditor)`)
      .addPositionalArgument({ name: "issuer", description: ISSUER_HELP })
      .addOption({ name: "reason", description: REASON_HELP, defaultValue: "unspecified" })
      .setAction(() => import(`./issuer-${action}.js`))
      .build(),
  ),
  emptyTask(["issuer", "did"], "Create the issuer's DID and signing key").build(),
  task(["issuer", "did", "create"], "Create a signing key and the issuer's DID: a did:key (development) or a did:web / https controller document to host (production)")
    .addOption({ name: "method", description: "key (a did:key, for development) or web (a did:web or https document to host)", defaultValue: "key" })
    .addOption({ name: "did", description: "With --method web: the DID, such as did:web:uni.example", defaultValue: "" })
    .addOption({ name: "url", description: "With --method web: an https profile URL instead of a did:web, such as https://uni.example/issuer", defaultValue: "" })
    .addOption({ name: "controller", description: "The issuer's registry controller address, listed in the document as a blockchainAccountId", defaultValue: "" })
    .addOption({ name: "out", description: "Folder for the encrypted key file (signing-key.json) and the document (did.json)", defaultValue: "issuer-did" })
    .addOption({ name: "keyPasswordVariable", description: "The configuration variable holding the password that encrypts the key file (default CREDENTIAL_KEY_PASSWORD)", defaultValue: "" })
    .addFlag({ name: "json", description: "Print the result as one JSON object" })
    .setAction(() => import("./issuer-did-create.js"))
    .build(),
  registryTask(["issuer", "show"], "Show an issuer: profile id, issuerId, controller, status, operators, compromised keys")
    .addPositionalArgument({ name: "issuer", description: `${ISSUER_HELP}, or one of its keys` })
    .setAction(() => import("./issuer-show.js"))
    .build(),
  registryTask(["issuer", "transfer"], "Propose a new controller key (step one of two; --from the controller), or --cancel the proposal")
    .addPositionalArgument({ name: "issuer", description: ISSUER_HELP })
    .addOption({ name: "to", description: "The proposed controller, which then runs `issuer accept`", defaultValue: "" })
    .addFlag({ name: "cancel", description: "Withdraw the pending proposal" })
    .setAction(() => import("./issuer-transfer.js"))
    .build(),
  registryTask(["issuer", "accept"], "Take control of an issuer (step two; --from the proposed controller)")
    .addPositionalArgument({ name: "issuer", description: ISSUER_HELP })
    .setAction(() => import("./issuer-accept.js"))
    .build(),
  registryTask(["issuer", "recover"], "Give an issuer a new controller when its key is lost or stolen (accreditor)")
    .addPositionalArgument({ name: "issuer", description: ISSUER_HELP })
    .addOption({ name: "controller", description: "The issuer's new controller key", defaultValue: "" })
    .setAction(() => import("./issuer-recover.js"))
    .build(),
  emptyTask(["issuer", "key"], "Declare an issuer's key compromised").build(),
  registryTask(["issuer", "key", "compromised"], "Declare a key compromised since a time: its anchors from then read revoked (controller or accreditor)")
    .addPositionalArgument({ name: "key", description: "The stolen key's address (an operator or a controller)" })
    .addOption({ name: "since", description: "When it was stolen: an ISO 8601 time with its zone, or a block number (that block's time)", defaultValue: "" })
    .addOption({ name: "issuer", description: `${ISSUER_HELP} (default: the issuer the key belongs to)`, defaultValue: "" })
    .setAction(() => import("./issuer-key-compromised.js"))
    .build(),
  emptyTask(["issuer", "operator"], "Add or remove an issuer's operator (hot) keys").build(),
  registryTask(["issuer", "operator", "add"], "Add an operator key: it may anchor, and suspend the batches it anchored (--from the controller)")
    .addPositionalArgument({ name: "address", description: "The operator's address" })
    .addOption({ name: "issuer", description: ACTING_ISSUER_HELP, defaultValue: "" })
    .setAction(() => import("./issuer-operator-add.js"))
    .build(),
  registryTask(["issuer", "operator", "remove"], "Remove an operator key of the issuer (--from the controller)")
    .addPositionalArgument({ name: "address", description: "The operator's address" })
    .addOption({ name: "issuer", description: ACTING_ISSUER_HELP, defaultValue: "" })
    .setAction(() => import("./issuer-operator-remove.js"))
    .build(),


  emptyTask("credentials", "Anchor, revoke, suspend, verify, stack, bundle, hash and bake Open Badges 3.0 credentials").build(),
  withSigningKey(registryTask(["credentials", "anchor"], "Validate and sign badges, anchor them as one batch, write each with its proofs (signature, anchor)"))
    .addVariadicArgument({ name: "badges", description: "Badge files (.json) or folders of them" })
    .addOption({ name: "out", description: "Folder for the anchored badges, the manifest and the journal", defaultValue: "" })
    .addFlag({ name: "skipInvalid", description: "Anchor the valid badges even if some are invalid (they are listed)" })
    .addFlag({ name: "dryRun", description: "Validate, sign and compute the root; send nothing, write nothing" })
    .addOption({ name: "issuer", description: ACTING_ISSUER_HELP, defaultValue: "" })
    .addFlag({ name: "unsigned", description: "Anchor without signing (other verifiers and wallets will refuse the badges)" })
    .addOption({ name: "statusBaseUrl", description: "Give each badge status list entries under this URL (https://…/status), where `credentials status publish` output is hosted", defaultValue: "" })
    .addOption({ name: "context", description: "JSON-LD contexts the badges name that the tool does not hold: <url>=<file>, comma-separated", defaultValue: "" })
    .setAction(() => import("./credentials-anchor.js"))
    .build(),
  emptyTask(["credentials", "status"], "Publish the issuer's revocations and suspensions as W3C Bitstring Status Lists").build(),
  withSigningKey(registryTask(["credentials", "status", "publish"], "Write a signed BitstringStatusListCredential per batch and purpose, from the chain's bitmaps, for static hosting"))
    .addOption({ name: "out", description: "The folder to write (<out>/<batchId>/revocation.json and suspension.json), hosted at the status base URL", defaultValue: "" })
    .addVariadicArgument({ name: "issued", description: "Folders `credentials anchor` wrote (their manifests give each batch's id)", defaultValue: [] })
    .addOption({ name: "block", description: "Read the chain at this block (default: the latest)", defaultValue: "" })
    .addOption({ name: "issuer", description: "The issuer whose lists to publish: its profile id or issuerId (default: the one the manifests name)", defaultValue: "" })
    .setAction(() => import("./credentials-status-publish.js"))
    .build(),
  ...(["revoke", "suspend", "unsuspend"] as const).map((action) =>
    registryTask(["credentials", action], `${action[0].toUpperCase()}${action.slice(1)} credentials, by badge file or --root/--index`)
      .addVariadicArgument({ name: "badges", description: "Anchored badge files", defaultValue: [] })
      .addOption({ name: "reason", description: REASON_HELP, defaultValue: "unspecified" })
      .addOption({ name: "root", description: "A batch root (with --index) instead of badge files", defaultValue: "" })
      .addOption({ name: "index", description: "The credential's index in the batch --root", defaultValue: "" })
      .addOption({ name: "issuer", description: "With --root: the batch's issuer, its profile id or issuerId (default: the issuer the signing key belongs to)", defaultValue: "" })
      .setAction(() => import(`./credentials-${action}.js`))
      .build(),
  ),
  registryTask(["credentials", "verify"], "Verify an anchored badge against the chain, check by check")
    .addPositionalArgument({ name: "badge", description: "The badge file" })
    .setAction(() => import("./credentials-verify.js"))
    .build(),
  withSigningKey(registryTask(["credentials", "stack"], "Stack a learner's badges into the credential a published pathway awards, sign it and anchor it"))
    .addOption({ name: "pathway", description: "The published pathway (its file, with the anchor proof `pathway publish` wrote)", defaultValue: "" })
    .addVariadicArgument({ name: "badges", description: "The component badge files (.json) or folders of them" })
    .addOption({ name: "out", description: "Folder for the stacked credential, its manifest and journal", defaultValue: "" })
    .addOption({ name: "issuer", description: ACTING_ISSUER_HELP, defaultValue: "" })
    .addFlag({ name: "unsigned", description: "Anchor without signing (other verifiers and wallets will refuse the credential)" })
    .setAction(() => import("./credentials-stack.js"))
    .build(),
  task(["credentials", "bundle"], "Pack badges into one file for an employer (a ClrCredential-shaped bundle), stacks linked to their components")
    .addVariadicArgument({ name: "badges", description: "Badge files (.json) or folders of them" })
    .addOption({ name: "out", description: "The bundle file to write", defaultValue: "" })
    .addFlag({ name: "allowSeveralHolders", description: "Bundle badges of more than one learner (refused by default: a portfolio is one learner's)" })
    .addFlag({ name: "json", description: "Print the result as one JSON object" })
    .setAction(() => import("./credentials-bundle.js"))
    .build(),
  task(["credentials", "hash"], "Print a badge's credential hash (keccak256 of its RFC 8785 form without proof)")
    .addPositionalArgument({ name: "badge", description: "The badge file" })
    .addFlag({ name: "json", description: "Print the result as one JSON object" })
    .setAction(() => import("./credentials-hash.js"))
    .build(),
  task(["credentials", "bake"], "Bake a badge into its image (an Open Badges 3.0 baked PNG or SVG) to share it")
    .addPositionalArgument({ name: "badge", description: "The badge file" })
    .addOption({ name: "image", description: "The artwork, a PNG or an SVG (default: an SVG generated from the achievement and issuer)", defaultValue: "" })
    .addOption({ name: "out", description: "The baked image to write (.png or .svg, as the artwork)", defaultValue: "" })
    .addFlag({ name: "json", description: "Print the result as one JSON object" })
    .setAction(() => import("./credentials-bake.js"))
    .build(),
  task(["credentials", "extract"], "Print the badge baked into a PNG or SVG image (or write it with --out)")
    .addPositionalArgument({ name: "image", description: "The baked image" })
    .addOption({ name: "out", description: "Write the badge to this file instead of printing it", defaultValue: "" })
    .addFlag({ name: "json", description: "Print the result as one JSON object" })
    .setAction(() => import("./credentials-extract.js"))
    .build(),


  emptyTask("pathway", "Publish pathways (what stacks into a larger credential) and check a learner's progress").build(),
  registryTask(["pathway", "publish"], "Anchor a pathway definition (a batch of one) and write it back with its anchor proof")
    .addPositionalArgument({ name: "file", description: "The pathway definition (.json)" })
    .addOption({ name: "out", description: "Where to write the published pathway (default: over the input file)", defaultValue: "" })
    .addOption({ name: "issuer", description: ACTING_ISSUER_HELP, defaultValue: "" })
    .setAction(() => import("./pathway-publish.js"))
    .build(),
  registryTask(["pathway", "check"], "Show a learner's progress towards a pathway: requirements met, by which badge, and what is missing")
    .addPositionalArgument({ name: "pathway", description: "The pathway file" })
    .addVariadicArgument({ name: "badges", description: "The learner's badge files (.json) or folders of them" })
    .setAction(() => import("./pathway-check.js"))
    .build(),


  task("audit", "Rebuild the registry's history from its events, check every rule and the views, and report")
    .addOption({ name: "registry", description: "Registry address (default: REGISTRY_ADDRESS, else this network's `registry deploy`)", defaultValue: "" })
    .addOption({ name: "fromBlock", description: "First block to read (default 0)", defaultValue: "" })
    .addOption({ name: "toBlock", description: "Last block to read (default the latest)", defaultValue: "" })
    .addOption({ name: "format", description: "table, json, csv (the timeline) or html (a self-contained page)", defaultValue: "table" })
    .addOption({ name: "out", description: "Write the report to this file instead of the terminal", defaultValue: "" })
    .addOption({ name: "issuer", description: "Report on this issuer only: its profile id or issuer id (every rule is still checked)", defaultValue: "" })
    .addOption({ name: "sample", description: "Cross-check this many anchors against the views (default: all)", defaultValue: "" })
    .addOption({ name: "range", description: "Blocks per eth_getLogs request, at most (default 10000; shrinks when refused)", defaultValue: "" })
    .addFlag({ name: "json", description: "The report as JSON (--format json); with --out, the one line printed is JSON too" })
    .setAction(() => import("./audit.js"))
    .build(),
];
