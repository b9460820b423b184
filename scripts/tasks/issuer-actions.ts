/**
 * Actions of the `issuer …` tasks. Hardhat loads a task's action from a module's default export, so
 * each task has a one-line module below (issuer-register.ts …) that calls one of these.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import {
  changeIssuerStatus,
  changeOperator,
  registerIssuer,
  showIssuer,
  type IssuerStatusAction,
} from "../commands/issuer.js";
import { runRegistryCommand, transactionLine, type CommonArguments } from "./run-registry-command.js";

export async function registerAction(args: CommonArguments & { address: string; profile: string }, hre: HardhatRuntimeEnvironment) {
  await runRegistryCommand(
    hre,
    args,
    (context) => registerIssuer(context, args.address, args.profile),
    (result, context) => [
      `Registered issuer ${result.issuer} with profile "${result.profileId}" on network "${context.networkName}"`,
      transactionLine(result),
    ],
  );
}

export async function statusAction(
  action: IssuerStatusAction,
  args: CommonArguments & { address: string; reason: string },
  hre: HardhatRuntimeEnvironment,
) {
  await runRegistryCommand(
    hre,
    args,
    (context) => changeIssuerStatus(context, action, args.address, args.reason),
    (result) => [`Issuer ${result.issuer} is now ${result.status} (reason: ${result.reason})`, transactionLine(result)],
  );
}

export async function operatorAction(action: "add" | "remove", args: CommonArguments & { address: string }, hre: HardhatRuntimeEnvironment) {
  await runRegistryCommand(
    hre,
    args,
    (context) => changeOperator(context, action, args.address),
    (result) => [
      action === "add"
        ? `Operator ${result.operator} now acts for issuer ${result.issuer}`
        : `Operator ${result.operator} no longer acts for issuer ${result.issuer}`,
      transactionLine(result),
    ],
  );
}

export async function showAction(args: CommonArguments & { address: string }, hre: HardhatRuntimeEnvironment) {
  await runRegistryCommand(
    hre,
    args,
    (context) => showIssuer(context, args.address),
    (report) => {
      if (!report.registered) {
        return [
          `${report.address} is not a registered issuer` +
            (report.operatorOf ? `; it is an operator of issuer ${report.operatorOf}` : ""),
        ];
      }
      return [
        `Issuer ${report.address}`,
        `  profile id   ${report.profileId ?? "(unknown)"}`,
        `  status       ${report.status} since ${report.statusSince} (reason: ${report.statusReason})`,
        `  registered   ${report.registeredAt}`,
        `  operators    ${report.operators.length === 0 ? "none" : report.operators.join(", ")}`,
      ];
    },
  );
}
