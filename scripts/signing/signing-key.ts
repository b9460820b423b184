/**
 * Which Ed25519 key signs an issuer's badges, and whether it may: the key comes from an encrypted key file
 * (`--key-file`, written by `issuer did create`, its password a configuration variable) or from a
 * configuration variable holding the secret key as multibase (`z3u2…`) — Hardhat's encrypted keystore
 * (`npx hardhat keystore set CREDENTIAL_SIGNING_KEY`) or, in tests and CI, an environment variable.
 *
 * A key belongs to the profile id when verifiers will find it there: for a did:key profile, the key's own
 * did:key must be the profile id; for a did:web or https profile, its verification method must be one of
 * the profile's own (`<profile id>#…`), listed in the DID / controller document the issuer hosts.
 *
 * Secrets stay in memory: no message here contains one.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { decodeSecretKeyMultibase, encodeSecretKeyMultibase, type Ed25519KeyPair } from "../../lib/signature/ed25519-keys.js";
import { didKeyOf, didKeyVerificationMethod } from "../../lib/signature/did-key.js";
import type { CredentialSigner } from "../../lib/signature/data-integrity.js";
import { readConfigVariable } from "../cli/config-variable.js";
import { CommandError } from "../command-errors.js";
import { decryptKeyFile, readKeyFile } from "./key-file.js";

export const DEFAULT_SIGNING_KEY_VARIABLE = "CREDENTIAL_SIGNING_KEY";
export const DEFAULT_KEY_PASSWORD_VARIABLE = "CREDENTIAL_KEY_PASSWORD";
/** The fragment of the key `issuer did create` lists in a did:web or https controller document. */
export const DEFAULT_KEY_FRAGMENT = "key-1";

export const CREATE_KEY_HINT =
  "create one with `npx hardhat issuer did create --method key` (development) or `--method web --did did:web:<host>` (production)";

/** A signing key as loaded, before it is matched to the issuer's profile id. */
export interface SigningKey {
  keyPair: Ed25519KeyPair;
  /** The verification method it signs as, when its source says (a key file does); else derived from the profile id. */
  verificationMethod?: string;
  /** Where it came from, for messages: "key file <path>" or "configuration variable <NAME>". */
  source: string;
}

export interface SigningKeyOptions {
  keyFile?: string;
  keyPasswordVariable?: string;
  signingKeyVariable?: string;
  verificationMethod?: string;
}

/** The key file, else the configuration variable; null when neither is configured. */
export async function loadSigningKey(hre: HardhatRuntimeEnvironment, options: SigningKeyOptions): Promise<SigningKey | null> {
  if (options.keyFile) {
    const keyFile = await readKeyFile(options.keyFile);
    const passwordVariable = options.keyPasswordVariable || DEFAULT_KEY_PASSWORD_VARIABLE;
    const password = await readConfigVariable(hre, passwordVariable);
    if (password === undefined) {
      throw new CommandError(
        "no-key-password",
        `the password of ${options.keyFile} is read from the configuration variable ${passwordVariable}, which is not set: ` +
          `\`npx hardhat keystore set ${passwordVariable}\` (or set it in the environment)`,
      );
    }
    const seed = await decryptKeyFile(options.keyFile, keyFile, password);
    const keyPair = decodeSecretKeyMultibase(encodeSecretKeyMultibase(seed));
    return { keyPair, verificationMethod: options.verificationMethod || keyFile.verificationMethod, source: `key file ${options.keyFile}` };
  }
  const variable = options.signingKeyVariable || DEFAULT_SIGNING_KEY_VARIABLE;
  const value = await readConfigVariable(hre, variable);
  if (value === undefined) return null;
  let keyPair: Ed25519KeyPair;
  try {
    keyPair = decodeSecretKeyMultibase(value.trim());
  } catch {
    // The value itself is the secret: the message names the variable only.
    throw new CommandError("bad-signing-key", `the configuration variable ${variable} does not hold an Ed25519 secret key in multibase (z3u2…); ${CREATE_KEY_HINT}`);
  }
  return { keyPair, verificationMethod: options.verificationMethod || undefined, source: `configuration variable ${variable}` };
}

/** The signer of `profileId`'s badges with `key`, or a refusal saying why verifiers would not accept it. */
export function signerForProfile(profileId: string, key: SigningKey): CredentialSigner {
  const keyDid = didKeyOf(key.keyPair.publicKey);
  if (profileId.startsWith("did:key:")) {
    if (keyDid !== profileId) {
      throw new CommandError(
        "key-not-issuers",
        `the signing key (${key.source}) is ${keyDid}, not the issuer ${profileId}: a did:key issuer signs with its own key; use that key, or the key's DID as profile id`,
      );
    }
    const verificationMethod = didKeyVerificationMethod(profileId);
    if (key.verificationMethod && key.verificationMethod !== verificationMethod) {
      throw new CommandError("key-not-issuers", `the verification method ${key.verificationMethod} is not the did:key's own (${verificationMethod})`);
    }
    return { verificationMethod, keyPair: key.keyPair };
  }
  const verificationMethod = key.verificationMethod ?? `${profileId}#${DEFAULT_KEY_FRAGMENT}`;
  if (!verificationMethod.startsWith(`${profileId}#`)) {
    throw new CommandError(
      "key-not-issuers",
      `the signing key (${key.source}) signs as ${verificationMethod}, which is not a verification method of the issuer ${profileId} ` +
        `(it must be ${profileId}#<fragment>, listed in the document hosted for ${profileId}); verifiers would refuse these badges`,
    );
  }
  return { verificationMethod, keyPair: key.keyPair };
}
