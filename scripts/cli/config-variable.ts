/**
 * Reads a configuration variable by the name a user gave on the command line, as Hardhat resolves the
 * `configVariable("…")`s of hardhat.config.ts: the environment variable of that name first, then the
 * configuration-variable hooks (hardhat-keystore: the development keystore, then the encrypted production
 * keystore, which asks for its password). Hardhat resolves only variables named in the config; a signing
 * key is chosen per command, so this runs the same hook chain for a name known at run time.
 */
import { configVariable } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

// The default makes "not set anywhere" an answer rather than an error (and, under `hardhat test`, lets the
// keystore plugin fall through instead of refusing a key missing from the development keystore).
const UNSET = "";

/** The value of configuration variable `name`, or undefined when it is set nowhere (or set empty). */
export async function readConfigVariable(hre: HardhatRuntimeEnvironment, name: string): Promise<string | undefined> {
  const fromEnvironment = process.env[name];
  if (fromEnvironment !== undefined) return fromEnvironment === UNSET ? undefined : fromEnvironment;
  const variable = configVariable(name, { default: UNSET });
  const value = await hre.hooks.runHandlerChain("configurationVariables", "fetchValue", [variable], async (_context, asked) => process.env[asked.name] ?? asked.default ?? UNSET);
  return value === UNSET ? undefined : value;
}
