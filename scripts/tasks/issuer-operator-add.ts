import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { operatorAction } from "./issuer-actions.js";

export default (args: Parameters<typeof operatorAction>[1], hre: HardhatRuntimeEnvironment) => operatorAction("add", args, hre);
