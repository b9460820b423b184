import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { statusAction } from "./issuer-actions.js";

export default (args: Parameters<typeof statusAction>[1], hre: HardhatRuntimeEnvironment) => statusAction("suspend", args, hre);
