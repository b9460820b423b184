/**
 * The project's Hardhat tasks, declared here and registered in hardhat.config.ts. Each action lives in
 * its own file and is loaded only when its task runs.
 */
import { emptyTask, task } from "hardhat/config";

export const registryTasks = [
  emptyTask("registry", "Deploy the CredentialRegistry").build(),
  task(["registry", "deploy"], "Deploy the CredentialRegistry with Hardhat Ignition and print its address")
    .addOption({
      name: "admin",
      description: "Address receiving DEFAULT_ADMIN_ROLE (default: the deployer)",
      defaultValue: "",
    })
    .addOption({
      name: "accreditor",
      description: "Address receiving ACCREDITOR_ROLE (default: the deployer)",
      defaultValue: "",
    })
    .addFlag({ name: "json", description: "Print the result as JSON" })
    .setAction(() => import("./registry-deploy.js"))
    .build(),
];
