/**
 * Rotating an issuer's controller key without the identity, its anchors or its badges changing: the
 * controller proposes a new key (`issuer transfer --to`, or `--cancel`), the new key accepts
 * (`issuer accept`); when the controller key is lost or stolen the accreditor recovers control
 * (`issuer recover --controller`). Who may act is checked before sending, with who can instead.
 */
import type { Hex } from "../../lib/credential/canonical.js";
import { CommandError } from "../command-errors.js";
import { checkedAddress } from "../cli/checked-input.js";
import type { RegistryContext } from "../cli/registry-context.js";
import { resolveIssuer, ZERO_ADDRESS } from "./issuer-identity.js";
import { readRegistry, sendRegistryTransaction, type SentTransaction } from "./transactions.js";

export interface ControlChange extends SentTransaction {
  issuerId: Hex;
  profileId: string | null;
  action: "propose" | "cancel" | "accept" | "recover";
  previousController: string | null;
  /** The proposed key (propose), the new controller (accept, recover), or null (cancel). */
  controller: string | null;
}

/** Step one: the controller proposes `to` as the next controller; with `cancel`, withdraws its proposal. */
export async function transferControl(context: RegistryContext, issuerRef: string, options: { to?: string; cancel?: boolean }): Promise<ControlChange> {
  if (options.cancel && options.to) throw new CommandError("conflicting-options", "give --to <address> to propose a controller, or --cancel to withdraw the proposal, not both");
  if (!options.cancel && !options.to) throw new CommandError("missing-to", "--to <address> is required: the key that will control the issuer once it accepts (or --cancel)");
  const to = options.cancel ? ZERO_ADDRESS : checkedAddress("--to", options.to!);
  const issuer = await resolveIssuer(context, issuerRef);
  const name = issuer.profileId ?? issuer.issuerId;
  if (issuer.controller?.toLowerCase() !== context.signer.address.toLowerCase()) {
    throw new CommandError("not-controller", `only the controller ${issuer.controller ?? "(none)"} of ${name} can transfer control; ${context.signer.address} is not it (choose the signer with --from)`, 1);
  }
  if (options.cancel) {
    const pending = await readRegistry(context, () => context.registry.proposedController(issuer.issuerId));
    if (pending === ZERO_ADDRESS) throw new CommandError("nothing-pending", `no transfer of control of ${name} is pending; nothing to cancel`, 1);
  }
  const sent = await sendRegistryTransaction(context, () => context.registry.transferControl(issuer.issuerId, to));
  return {
    issuerId: issuer.issuerId,
    profileId: issuer.profileId,
    action: options.cancel ? "cancel" : "propose",
    previousController: issuer.controller,
    controller: options.cancel ? null : to,
    ...sent,
  };
}

/** Step two: the proposed key (the signer) takes control; the previous controller is retired. */
export async function acceptControl(context: RegistryContext, issuerRef: string): Promise<ControlChange> {
  const issuer = await resolveIssuer(context, issuerRef);
  const name = issuer.profileId ?? issuer.issuerId;
  const pending = await readRegistry(context, () => context.registry.proposedController(issuer.issuerId));
  const signer = context.signer.address;
  if (pending === ZERO_ADDRESS) {
    throw new CommandError("nothing-pending", `no transfer of control of ${name} is pending: its controller ${issuer.controller ?? "(none)"} proposes one first with \`issuer transfer ${name} --to ${signer}\``, 1);
  }
  if (pending.toLowerCase() !== signer.toLowerCase()) {
    throw new CommandError("not-proposed", `control of ${name} was offered to ${pending}, not to ${signer}: accept as that key (--from ${pending})`, 1);
  }
  const sent = await sendRegistryTransaction(context, () => context.registry.acceptControl(issuer.issuerId));
  return { issuerId: issuer.issuerId, profileId: issuer.profileId, action: "accept", previousController: issuer.controller, controller: signer, ...sent };
}

/** The accreditor gives the issuer a new controller (the old key lost or stolen); a pending transfer is dropped. */
export async function recoverControl(context: RegistryContext, issuerRef: string, controller: string): Promise<ControlChange> {
  if (!controller) throw new CommandError("missing-controller", "--controller <address> is required: the issuer's new controller key");
  checkedAddress("--controller", controller);
  const issuer = await resolveIssuer(context, issuerRef);
  const sent = await sendRegistryTransaction(context, () => context.registry.recoverControl(issuer.issuerId, controller));
  return { issuerId: issuer.issuerId, profileId: issuer.profileId, action: "recover", previousController: issuer.controller, controller, ...sent };
}
