import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { statusAction } from "./credentials-actions.js";

export default (args: Parameters<typeof statusAction>[1], hre: HardhatRuntimeEnvironment) => statusAction("revoke", args, hre);
