/**
 * The signing-key options of the commands that sign with the issuer's Ed25519 key (`withSigningKey` in
 * index.ts), turned into the key — or into a refusal that names the command creating one.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { CommandError } from "../command-errors.js";
import { CREATE_KEY_HINT, DEFAULT_SIGNING_KEY_VARIABLE, loadSigningKey, type SigningKey } from "../signing/signing-key.js";

/** The options of `withSigningKey` in index.ts. */
export interface SigningArguments {
  keyFile: string;
  keyPasswordVariable: string;
  signingKeyVariable: string;
  verificationMethod: string;
}

/** The issuer's signing key as the options name it, or a refusal naming the command that makes one. */
export async function signingKeyOf(args: SigningArguments, hre: HardhatRuntimeEnvironment, purpose: string): Promise<SigningKey> {
  const key = await loadSigningKey(hre, args);
  if (key === null) {
    throw new CommandError(
      "no-signing-key",
      `no signing key configured: ${purpose}. Pass --key-file <file>, or set the configuration variable ` +
        `${args.signingKeyVariable || DEFAULT_SIGNING_KEY_VARIABLE}; ${CREATE_KEY_HINT}`,
    );
  }
  return key;
}
