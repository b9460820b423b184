/**
 * The encrypted signing-key file `issuer did create` writes: an issuer's Ed25519 secret key (its 32-byte
 * seed) encrypted with AES-256-GCM under a key derived from a password by scrypt, beside what is public
 * (the verification method it signs as, its controller, its public key), so a command can say which key a
 * file holds without the password. node:crypto does both (no extra package); scrypt's cost (N = 2^17,
 * r = 8: 128 MiB, about a second) makes guessing a weak password slow.
 *
 * The secret is never printed, logged or put in an error: errors say which file and what to do.
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt, type ScryptOptions } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";

import { z } from "zod";

import { CommandError } from "../command-errors.js";

export const KEY_FILE_TYPE = "CredentialRegistrySigningKey";

const SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;
const SCRYPT_MAX_MEMORY = 256 * 1024 * 1024;

const keyFileSchema = z.object({
  type: z.literal(KEY_FILE_TYPE),
  version: z.literal(1),
  controller: z.string(),
  verificationMethod: z.string(),
  publicKeyMultibase: z.string(),
  kdf: z.object({ name: z.literal("scrypt"), N: z.number().int(), r: z.number().int(), p: z.number().int(), salt: z.string() }),
  cipher: z.object({ name: z.literal("aes-256-gcm"), iv: z.string(), tag: z.string() }),
  ciphertext: z.string(),
});

export type KeyFile = z.infer<typeof keyFileSchema>;

/** What a key file says of itself without its password. */
export interface KeyFilePublic {
  controller: string;
  verificationMethod: string;
  publicKeyMultibase: string;
}

function deriveKey(password: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: SCRYPT_MAX_MEMORY };
  return new Promise((resolve, reject) => scrypt(password, salt, 32, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/** Encrypts `secretKey` (the 32-byte seed) under `password` and writes the key file (owner-only permissions). */
export async function writeKeyFile(file: string, about: KeyFilePublic, secretKey: Uint8Array, password: string): Promise<void> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await deriveKey(password, salt, SCRYPT);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(secretKey), cipher.final()]);
  const content: KeyFile = {
    type: KEY_FILE_TYPE,
    version: 1,
    ...about,
    kdf: { name: "scrypt", ...SCRYPT, salt: salt.toString("base64") },
    cipher: { name: "aes-256-gcm", iv: iv.toString("base64"), tag: cipher.getAuthTag().toString("base64") },
    ciphertext: ciphertext.toString("base64"),
  };
  // "wx": never overwrite a key file — the key it holds may be the only copy of a registered issuer's key.
  await writeFile(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600, flag: "wx" }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "EEXIST") throw new CommandError("key-file-exists", `${file} already exists; it may hold a key in use, so it is not overwritten (choose another --out)`);
    throw error;
  });
}

/** Reads a key file's public part; refuses a file that is not one. */
export async function readKeyFile(file: string): Promise<KeyFile> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new CommandError("key-file-unreadable", `cannot read the signing key file ${file} (${(error as NodeJS.ErrnoException).code ?? "error"}); create one with \`npx hardhat issuer did create\``);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const checked = keyFileSchema.safeParse(parsed);
  if (!checked.success) throw new CommandError("bad-key-file", `${file} is not a signing key file written by \`issuer did create\``);
  return checked.data;
}

/** Decrypts the key file's secret key (its 32-byte seed); a wrong password or an altered file is refused. */
export async function decryptKeyFile(file: string, keyFile: KeyFile, password: string): Promise<Uint8Array> {
  const { N, r, p } = keyFile.kdf;
  const key = await deriveKey(password, Buffer.from(keyFile.kdf.salt, "base64"), { N, r, p });
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(keyFile.cipher.iv, "base64"));
    decipher.setAuthTag(Buffer.from(keyFile.cipher.tag, "base64"));
    const secretKey = Buffer.concat([decipher.update(Buffer.from(keyFile.ciphertext, "base64")), decipher.final()]);
    if (secretKey.length !== 32) throw new Error("not a 32-byte seed");
    return new Uint8Array(secretKey);
  } catch {
    throw new CommandError("key-file-locked", `cannot decrypt ${file}: wrong password, or the file was altered (the password is the configuration variable named by --key-password)`);
  }
}
