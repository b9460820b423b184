/**
 * Which issuer a command is about, and which one its signer acts for. An issuer is an identity, not an
 * address: `issuerId = keccak256(utf8(profileId))`, with a controller key (everything) and operator keys
 * (anchor; suspend / unsuspend the batches they anchored). A command names the issuer by its profile id
 * or its issuerId (`--issuer`, or a positional argument); without one, the signer acts for the issuer its
 * key belongs to (`issuerOfKey` on chain). The profile id string comes from the IssuerRegistered event
 * (the registry keeps only its hash).
 */
import { isAddress } from "ethers";

import type { Hex } from "../../lib/credential/canonical.js";
import { uri } from "../../lib/credential/credential.js";
import { issuerIdOfProfile, profileIdProblem } from "../../lib/credential/profile-id.js";
import { ISSUER_STATUS_NAMES, type IssuerStatusName } from "../../lib/verify/verify.js";
import { CommandError } from "../command-errors.js";
import type { RegistryContext, RegistryReadContext } from "../cli/registry-context.js";
import { readRegistry } from "./transactions.js";

export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
const ZERO_ID = `0x${"0".repeat(64)}`;

export const KEY_ROLE_NAMES = ["none", "controller", "operator", "retired"] as const;
export type KeyRoleName = (typeof KEY_ROLE_NAMES)[number];

/** How a newcomer gets an issuer at all: said wherever a signer turns out to be no issuer's key. */
export const REGISTER_HINT =
  "the accreditor registers an issuer with `npx hardhat issuer register <profile id> --controller <address>`, " +
  "and its controller adds operator keys with `npx hardhat issuer operator add <address>`";

export interface IssuerIdentity {
  issuerId: Hex;
  /** The profile id it was registered with (null only if its registration event is not on this node). */
  profileId: string | null;
  controller: string | null;
  status: IssuerStatusName;
  statusReason: number;
  statusSince: number;
  registeredAt: number;
}

/**
 * The registered issuer `ref` names: a profile id, an issuerId (0x and 64 hex digits), or an address (the
 * issuer that key belongs to). Refuses, naming `issuer register`, an issuer that is not registered.
 */
export async function resolveIssuer(context: RegistryReadContext, ref: string): Promise<IssuerIdentity> {
  const given = ref.trim();
  if (given === "") throw new CommandError("missing-issuer", "name the issuer: its profile id (such as did:web:uni.example) or its issuerId");
  let issuerId: Hex;
  let knownProfileId: string | null = null;
  if (/^0x[0-9a-fA-F]{64}$/.test(given)) {
    issuerId = given.toLowerCase() as Hex;
  } else if (isAddress(given)) {
    const owner = await readRegistry(context, () => context.registry.issuerOfKey(given));
    if (owner === ZERO_ID) throw new CommandError("not-issuer-key", `${given} is not a key of any registered issuer; ${REGISTER_HINT}`, 1);
    issuerId = owner as Hex;
  } else {
    issuerId = issuerIdOfProfile(given);
    knownProfileId = given;
  }
  const record = await readRegistry(context, () => context.registry.getIssuer(issuerId));
  if (record.status === 0n) {
    const problem = knownProfileId === null ? null : profileIdProblem(knownProfileId);
    const spelling = problem ? ` (note: that profile id ${problem})` : "";
    throw new CommandError("unknown-issuer", `no issuer "${given}" is registered in registry ${context.registryAddress}${spelling}; ${REGISTER_HINT}`, 1);
  }
  return {
    issuerId,
    profileId: knownProfileId ?? (await registeredProfileId(context, issuerId)),
    controller: record.controller === ZERO_ADDRESS ? null : record.controller,
    status: ISSUER_STATUS_NAMES[Number(record.status)],
    statusReason: Number(record.statusReason),
    statusSince: Number(record.statusSince),
    registeredAt: Number(record.registeredAt),
  };
}

/** The profile id an issuer was registered with, from its IssuerRegistered event (checked against the id). */
export async function registeredProfileId(context: RegistryReadContext, issuerId: Hex): Promise<string | null> {
  const events = await readRegistry(context, () => context.registry.queryFilter(context.registry.filters.IssuerRegistered(issuerId)));
  const profileId = events[0]?.args.profileId ?? null;
  return profileId !== null && issuerIdOfProfile(profileId) === issuerId.toLowerCase() ? profileId : null;
}

export interface ActingIssuer extends IssuerIdentity {
  profileId: string;
  /** What the signer is to the issuer. */
  role: "controller" | "operator";
  signer: string;
}

export interface ActingIssuerOptions {
  /** `--issuer`: a profile id or issuerId; default: the issuer the signer's key belongs to. */
  issuer?: string;
  /** Refuse unless the issuer is active (anchoring needs it). Default true. */
  mustBeActive?: boolean;
}

/** The issuer the signer acts for, and as what; or a refusal that says what to do instead. */
export async function actingIssuer(context: RegistryContext, options: ActingIssuerOptions = {}): Promise<ActingIssuer> {
  const signer = context.signer.address;
  let identity: IssuerIdentity;
  if (options.issuer) {
    identity = await resolveIssuer(context, options.issuer);
  } else {
    const owner = await readRegistry(context, () => context.registry.issuerOfKey(signer));
    if (owner === ZERO_ID) {
      throw new CommandError("not-issuer", `${signer} is not a key of any registered issuer (choose the signer with --from); ${REGISTER_HINT}`, 1);
    }
    identity = await resolveIssuer(context, owner);
  }
  const name = identity.profileId ?? identity.issuerId;
  const key = await readRegistry(context, () => context.registry.getKey(identity.issuerId, signer));
  const role = KEY_ROLE_NAMES[Number(key.role)];
  if (role === "none") {
    throw new CommandError("not-issuer-key", `${signer} is not a key of issuer ${name}: sign as its controller ${identity.controller ?? "(none: the accreditor must recover control)"} or one of its operators (--from)`, 1);
  }
  if (role === "retired") {
    const compromised = key.compromisedSince !== 0n ? `, declared compromised since ${new Date(Number(key.compromisedSince) * 1000).toISOString()}` : "";
    throw new CommandError("retired-key", `${signer} is a retired key of issuer ${name}${compromised}: it can no longer act; sign as its controller ${identity.controller ?? "(none)"} or a current operator`, 1);
  }
  if (identity.status !== "active" && options.mustBeActive !== false) {
    throw new CommandError("issuer-not-active", `issuer ${name} is ${identity.status}, so it cannot anchor`, 1);
  }
  if (identity.profileId === null) throw new CommandError("no-profile", `the registration event of issuer ${identity.issuerId} was not found on this node`, 1);
  // Every badge the issuer anchors carries the profile id as issuer.id, which Open Badges 3.0 types as a URI.
  if (!uri.safeParse(identity.profileId).success) {
    throw new CommandError("bad-profile", `issuer ${identity.issuerId} is registered with the profile id "${identity.profileId}", which is not an absolute URI: every badge issued under it would be malformed`, 1);
  }
  return { ...identity, profileId: identity.profileId, role, signer };
}
