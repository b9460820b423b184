/**
 * Actions of the `issuer …` tasks. Hardhat loads a task's action from a module's default export, so
 * each task has a one-line module below (issuer-register.ts …) that calls one of these.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { acceptControl, recoverControl, transferControl, type ControlChange } from "../commands/control.js";
import {
  changeIssuerStatus,
  changeOperator,
  registerIssuer,
  showIssuer,
  type IssuerStatusAction,
} from "../commands/issuer.js";
import { createIssuerDid, type DidCreation } from "../commands/did-create.js";
import { declareKeyCompromised } from "../commands/key-compromise.js";
import { checkedAddress } from "../cli/checked-input.js";
import { readConfigVariable } from "../cli/config-variable.js";
import { CommandError, runCommand } from "../command-errors.js";
import { DEFAULT_KEY_PASSWORD_VARIABLE } from "../signing/signing-key.js";
import { runRegistryCommand, transactionLine, type CommonArguments } from "./run-registry-command.js";

export async function registerAction(args: CommonArguments & { profileId: string; controller: string }, hre: HardhatRuntimeEnvironment) {
  await runRegistryCommand(
    hre,
    args,
    (context) => registerIssuer(context, args.profileId, args.controller),
    (result, context) => [
      `Registered issuer "${result.profileId}" on network "${context.networkName}"`,
      `  issuerId    ${result.issuerId}`,
      `  controller  ${result.controller} (it adds operators: \`issuer operator add <address> --from ${result.controller}\`)`,
      transactionLine(result),
    ],
    () => checkedAddress("--controller", args.controller),
  );
}

export async function statusAction(
  action: IssuerStatusAction,
  args: CommonArguments & { issuer: string; reason: string },
  hre: HardhatRuntimeEnvironment,
) {
  await runRegistryCommand(
    hre,
    args,
    (context) => changeIssuerStatus(context, action, args.issuer, args.reason),
    (result) => [`Issuer ${result.profileId ?? result.issuerId} is now ${result.status} (reason: ${result.reason})`, transactionLine(result)],
  );
}

export async function operatorAction(action: "add" | "remove", args: CommonArguments & { address: string; issuer: string }, hre: HardhatRuntimeEnvironment) {
  await runRegistryCommand(
    hre,
    args,
    (context) => changeOperator(context, action, args.address, { issuer: args.issuer || undefined }),
    (result) => [
      action === "add"
        ? `Operator ${result.operator} now acts for issuer ${result.profileId} (anchors; suspends the batches it anchors)`
        : `Operator ${result.operator} no longer acts for issuer ${result.profileId} (its anchors stay valid)`,
      transactionLine(result),
    ],
  );
}

function controlLines(result: ControlChange): string[] {
  const name = result.profileId ?? result.issuerId;
  const headline = {
    propose: `Proposed ${result.controller} as the controller of ${name}; it takes control with \`issuer accept ${name} --from ${result.controller}\``,
    cancel: `Cancelled the pending transfer of control of ${name}; ${result.previousController} stays its controller`,
    accept: `${result.controller} now controls ${name} (the previous controller ${result.previousController} is retired; its badges stay valid)`,
    recover: `Recovered control of ${name}: its controller is now ${result.controller}` +
      (result.previousController ? ` (${result.previousController} is retired; if it was stolen, declare it: \`issuer key compromised ${result.previousController} --since <time>\`)` : ""),
  }[result.action];
  return [headline, transactionLine(result)];
}

export async function transferAction(args: CommonArguments & { issuer: string; to: string; cancel: boolean }, hre: HardhatRuntimeEnvironment) {
  await runRegistryCommand(hre, args, (context) => transferControl(context, args.issuer, { to: args.to || undefined, cancel: args.cancel }), controlLines);
}

export async function acceptAction(args: CommonArguments & { issuer: string }, hre: HardhatRuntimeEnvironment) {
  await runRegistryCommand(hre, args, (context) => acceptControl(context, args.issuer), controlLines);
}

export async function recoverAction(args: CommonArguments & { issuer: string; controller: string }, hre: HardhatRuntimeEnvironment) {
  await runRegistryCommand(hre, args, (context) => recoverControl(context, args.issuer, args.controller), controlLines);
}

export async function keyCompromisedAction(args: CommonArguments & { key: string; since: string; issuer: string }, hre: HardhatRuntimeEnvironment) {
  await runRegistryCommand(
    hre,
    args,
    (context) => declareKeyCompromised(context, args.key, args.since, { issuer: args.issuer || undefined }),
    (result) => [
      `Declared ${result.role} key ${result.key} of ${result.profileId ?? result.issuerId} compromised since ${result.since} (by the ${result.declaredBy})`,
      `  cut off     ${result.cutOff.length} batch(es) it anchored from then now read revoked` +
        result.cutOff.map((anchor) => `\n                ${anchor.root} (${anchor.count} credential(s), ${anchor.anchoredAt})`).join(""),
      `  kept        ${result.keptValid} earlier batch(es) of that key stay valid; the key can no longer act`,
      transactionLine(result),
    ],
  );
}

export async function showAction(args: CommonArguments & { issuer: string }, hre: HardhatRuntimeEnvironment) {
  await runRegistryCommand(
    hre,
    args,
    (context) => showIssuer(context, args.issuer),
    (report) => [
      `Issuer ${report.profileId ?? "(profile id unknown: its registration event is not on this node)"}`,
      ...(report.key ? [`  key         ${report.key.address} is its ${report.key.role} key`] : []),
      `  issuerId    ${report.issuerId}`,
      `  controller  ${report.controller ?? "none (declared compromised: the accreditor recovers control with `issuer recover`)"}`,
      ...(report.proposedController ? [`  proposed    ${report.proposedController} (until it accepts)`] : []),
      `  status      ${report.status} since ${report.statusSince} (reason: ${report.statusReason})`,
      `  registered  ${report.registeredAt}`,
      `  operators   ${report.operators.length === 0 ? "none" : report.operators.join(", ")}`,
      `  compromised ${report.compromisedKeys.length === 0 ? "none" : report.compromisedKeys.map((entry) => `${entry.key} since ${entry.since}`).join(", ")}`,
    ],
  );
}

export async function didCreateAction(
  args: { method: string; did: string; url: string; controller: string; out: string; keyPasswordVariable: string; json: boolean },
  hre: HardhatRuntimeEnvironment,
) {
  await runCommand(args.json, async () => {
    const passwordVariable = args.keyPasswordVariable || DEFAULT_KEY_PASSWORD_VARIABLE;
    const password = await readConfigVariable(hre, passwordVariable);
    if (password === undefined) {
      throw new CommandError(
        "no-key-password",
        `the key file is encrypted with the password in the configuration variable ${passwordVariable}, which is not set: ` +
          `\`npx hardhat keystore set ${passwordVariable}\` (or set it in the environment); nothing was written`,
      );
    }
    // The controller's chain is the network's: the document then names the same account the registry does.
    const connection = args.controller ? await hre.network.getOrCreate() : undefined;
    const chainId = connection ? Number((await connection.ethers.provider.getNetwork()).chainId) : 0;
    const result = await createIssuerDid({
      method: args.method,
      did: args.did || undefined,
      url: args.url || undefined,
      controller: args.controller ? { address: args.controller, chainId } : undefined,
      outDir: args.out,
      password,
      networkName: connection?.networkName ?? "default",
    });
    if (args.json) console.log(JSON.stringify(result));
    else for (const line of didCreationLines(result, passwordVariable)) console.log(line);
  });
}

function didCreationLines(result: DidCreation, passwordVariable: string): string[] {
  const lines = [
    `Created ${result.method === "key" ? "a did:key (for development)" : `the ${result.profileId.startsWith("did:web:") ? "did:web" : "https"} identity`} ${result.profileId}`,
    `  signs as    ${result.verificationMethod}`,
    `  key file    ${result.keyFile} (encrypted with the password in ${passwordVariable}; keep it, and a copy, safe)`,
  ];
  if (result.documentFile) {
    lines.push(`  document    ${result.documentFile}`);
    lines.push(`  host it at  ${result.hostAt} (served as JSON over HTTPS, before anchoring: verifiers fetch the key from it)`);
    lines.push(`  controller  ${result.blockchainAccountId ?? "not listed (pass --controller <address> to list the registry controller as a blockchainAccountId)"}`);
  }
  lines.push(`Next: register the profile id:  ${result.registerCommand}`);
  lines.push(`Then sign and anchor badges with  npx hardhat credentials anchor <badges> --out <folder> --key-file ${result.keyFile}`);
  return lines;
}
