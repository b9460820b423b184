/**
 * Run as a child process by fast-clone.ts: canonicalizes and signs with the reference libraries and an
 * UNMODIFIED jsonld (this process never imports lib/signature/canonize.ts, which installs our clone), so
 * the parent can compare its own output byte for byte. Reads {secretKeyMultibase, verificationMethod,
 * created, contexts, items} as JSON on stdin; writes one JSON line per item: its canonical N-Quads and
 * its eddsa-rdfc-2022 proofValue (or the error each gave). Imported by mocha, it does nothing.
 */
import { fileURLToPath } from "node:url";

import { cryptosuite as rdfcCryptosuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import jsonldContext from "jsonld/lib/context.js";

import type { JsonLdObject } from "../../../lib/signature/contexts.js";
import { didKeyDocument } from "../../../lib/signature/did-key.js";
import { decodeSecretKeyMultibase } from "../../../lib/signature/ed25519-keys.js";
import { referenceLoader, referenceSign } from "./reference.js";

export interface ReferenceRequest {
  secretKeyMultibase: string;
  verificationMethod: string;
  created: string;
  contexts: Array<[string, JsonLdObject]>;
  items: JsonLdObject[];
}
export interface ReferenceAnswer {
  cloneName: string;
  results: Array<{ nquads?: string; proofValue?: string; error?: string }>;
}

const canonize = (rdfcCryptosuite as { canonize(input: object, options: object): Promise<string> }).canonize;

async function answer(request: ReferenceRequest): Promise<ReferenceAnswer> {
  const keyPair = decodeSecretKeyMultibase(request.secretKeyMultibase);
  const did = request.verificationMethod.split("#")[0]!;
  const loader = referenceLoader([didKeyDocument(did)], new Map(request.contexts));
  const results: ReferenceAnswer["results"] = [];
  for (const item of request.items) {
    try {
      const nquads = await canonize(item, { documentLoader: loader });
      const signed = await referenceSign(item, { suite: "eddsa-rdfc-2022", keyPair, verificationMethod: request.verificationMethod, created: new Date(request.created), loader });
      results.push({ nquads, proofValue: String((signed.proof as JsonLdObject).proofValue) });
    } catch (error) {
      results.push({ error: (error as Error).message });
    }
  }
  const initial = jsonldContext.getInitialContext({}) as { clone: { name: string } };
  return { cloneName: initial.clone.name, results };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const request = JSON.parse(Buffer.concat(chunks).toString("utf8")) as ReferenceRequest;
  process.stdout.write(`${JSON.stringify(await answer(request))}\n`);
}
