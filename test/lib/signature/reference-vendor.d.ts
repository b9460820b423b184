/**
 * Types for the reference implementations the tests and bench compare with (@digitalbazaar/*): only the
 * calls made, loosely typed where the libraries take and return open objects.
 */
declare module "@digitalbazaar/vc" {
  type Loader = (url: string) => Promise<{ contextUrl: null; documentUrl: string; document: unknown }>;
  export function issue(o: { credential: object; suite: object; documentLoader: Loader; now?: Date }): Promise<Record<string, unknown>>;
  export function verifyCredential(o: {
    credential: object;
    suite: object | object[];
    documentLoader: Loader;
    now?: Date;
  }): Promise<{ verified: boolean; error?: unknown; results?: Array<{ verified: boolean; error?: unknown }> }>;
}

declare module "@digitalbazaar/data-integrity" {
  export class DataIntegrityProof {
    constructor(o: { signer?: object; date?: Date | string; cryptosuite: object });
  }
}

declare module "@digitalbazaar/eddsa-rdfc-2022-cryptosuite" {
  export const cryptosuite: object;
}

declare module "@digitalbazaar/eddsa-jcs-2022-cryptosuite" {
  export function createSignCryptosuite(): object;
  export function createVerifyCryptosuite(): object;
}

declare module "@digitalbazaar/ed25519-signature-2020" {
  export class Ed25519Signature2020 {
    constructor(o?: { signer?: object; date?: Date | string });
  }
}

declare module "@digitalbazaar/ed25519-multikey" {
  export interface Ed25519MultikeyPair {
    id: string;
    controller: string;
    publicKeyMultibase: string;
    signer(): { id: string; algorithm: string; sign(o: { data: Uint8Array }): Promise<Uint8Array> };
    export(o: { publicKey?: boolean; secretKey?: boolean; includeContext?: boolean }): Promise<Record<string, unknown>>;
  }
  export function from(key: object): Promise<Ed25519MultikeyPair>;
  export function generate(o: { id?: string; controller?: string; seed?: Uint8Array }): Promise<Ed25519MultikeyPair>;
}
