/**
 * Part of `npm run bench:verify`: the CPU one cold verification costs with the signature check, side by
 * side with the Digital Credentials Consortium's verifier-core verifying the same badge in the same run.
 *
 * The badge: an example badge issued by a did:key (so verifier-core checks it offline), signed
 * eddsa-rdfc-2022 by lib/signature and anchored on the bench's node: proof [DataIntegrityProof, anchor].
 *   ours, full      — Verifier.verify with the cache off: format, signature, the chain read over HTTP
 *                     (one eth_call to the node), integrity, status… (CPU of this process; the node's own
 *                     CPU is not counted, as verifier-core has no chain to read);
 *   ours, unsigned  — the same badge without its signature (the signature check skipped): what the
 *                     signature adds is the difference;
 *   verifier-core   — verifyCredential({ credential, knownDIDRegistries: [] }): signature, expiry,
 *                     status (the badge has no status entry) — signature only, in effect. It also tries
 *                     to fetch the OB 3.0 JSON schema from purl.imsglobal.org, which fails offline and
 *                     costs waiting, little CPU.
 * CPU per verification is process.cpuUsage() around each call, one call at a time, in alternating blocks
 * of ten calls of ours (the three kinds interleaved) and ten of verifier-core, after a warm-up; medians
 * are reported. Target (issue 14): ours, full ≤ 50% of verifier-core's.
 */
import type { NetworkConnection } from "hardhat/types/network";

import { anchoredCredential, prepareBatch } from "../lib/anchor/issuance.js";
import { findAnchorProof, attachAnchorProof, type AnchorProof } from "../lib/anchor/proof.js";
import { parseDraftCredential } from "../lib/credential/credential.js";
import { issuerIdOfProfile } from "../lib/credential/profile-id.js";
import { contextLoader, type JsonLdObject } from "../lib/signature/contexts.js";
import { createBatchSigner, withProofs } from "../lib/signature/data-integrity.js";
import { didKeyOf, didKeyVerificationMethod } from "../lib/signature/did-key.js";
import { generateEd25519KeyPair } from "../lib/signature/ed25519-keys.js";
import { registerIssuer } from "../scripts/commands/issuer.js";
import type { SampleRegistry } from "../scripts/sample-registry.js";
import { ChainRegistry } from "../server/chain-reader.js";
import type { ChainConfig } from "../server/config.js";
import { createMetrics } from "../server/metrics.js";
import { Verifier } from "../server/verifier.js";

export interface SignatureCpuResult {
  runs: number;
  oursFullCpuMs: number;
  /** ours, full, on a badge whose proof configuration was seen before (one batch's badges share one) */
  oursSameBatchCpuMs: number;
  oursUnsignedCpuMs: number;
  verifierCoreCpuMs: number;
  /** ours, full / verifier-core */
  ratio: number;
  statuses: { ours: string; oursUnsigned: string; verifierCore: string };
}

export async function measureSignatureCpu(o: {
  connection: NetworkConnection;
  sample: SampleRegistry;
  chain: ChainConfig;
  badgeJson: unknown;
  runs: number;
}): Promise<SignatureCpuResult> {
  const { signed, unsigned, signedAt } = await signedAnchoredBadge(o);
  const metrics = createMetrics();
  // Cache off: every verification reads the chain and checks the signature afresh.
  const verifier = new Verifier({ chains: [new ChainRegistry(o.chain, { timeoutMs: 10_000, metrics })], cacheTtlSeconds: 0, maxBodyBytes: 256 * 1024, metrics });
  const { verifyCredential: verifierCore } = (await import("@digitalcredentials/verifier-core")) as {
    verifyCredential(o: { credential: object; knownDIDRegistries: object }): Promise<{ log?: Array<{ id: string; valid?: boolean }>; errors?: unknown[] }>;
  };
  const quietly = async <T>(work: () => Promise<T>): Promise<T> => {
    // verifier-core logs its failed schema fetch on every call; the bench's output stays readable.
    const { log, error, warn } = console;
    console.log = console.error = console.warn = () => {};
    try {
      return await work();
    } finally {
      Object.assign(console, { log, error, warn });
    }
  };
  const cpuOf = async (work: () => Promise<unknown>): Promise<number> => {
    const before = process.cpuUsage();
    await work();
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000;
  };

  const statuses = {
    ours: (await verifier.verify(structuredClone(signed))).status,
    oursUnsigned: (await verifier.verify(structuredClone(unsigned))).status,
    verifierCore: describeVerifierCore(await quietly(() => verifierCore({ credential: structuredClone(signed), knownDIDRegistries: [] }))),
  };
  const warmUp = Math.min(5, o.runs);
  const full: number[] = [];
  const sameBatch: number[] = [];
  const bare: number[] = [];
  const reference: number[] = [];
  // Blocks of BLOCK calls of one verifier at a time, ours and verifier-core alternating: interleaved call
  // by call, each paid for collecting the other's garbage (ours measured 1.5 ms a call more than alone);
  // alternating blocks still spread a slow spell of the shared machine over both.
  const BLOCK = 10;
  for (let start = 0; start < warmUp + o.runs; start += BLOCK) {
    const runs = Array.from({ length: Math.min(BLOCK, warmUp + o.runs - start) }, (_, offset) => start + offset);
    // Each run's badge is signed afresh at its own `created` time (outside the measurement): a proof
    // configuration the verifier has not seen, so nothing of an earlier check is reused — cold. The
    // same-batch figure re-verifies the first signature: the case of a portfolio or a batch of badges.
    const fresh = await Promise.all(runs.map((run) => signedAt(run + 1)));
    for (const [position, run] of runs.entries()) {
      const copies = [fresh[position], structuredClone(signed), structuredClone(unsigned)];
      const ours = await cpuOf(() => verifier.verify(copies[0]));
      const oursSameBatch = await cpuOf(() => verifier.verify(copies[1]));
      const oursUnsigned = await cpuOf(() => verifier.verify(copies[2]));
      if (run < warmUp) continue;
      full.push(ours);
      sameBatch.push(oursSameBatch);
      bare.push(oursUnsigned);
    }
    for (const [position, run] of runs.entries()) {
      const copy = structuredClone(fresh[position]);
      const theirs = await cpuOf(() => quietly(() => verifierCore({ credential: copy, knownDIDRegistries: [] })));
      if (run >= warmUp) reference.push(theirs);
    }
  }
  const oursFullCpuMs = median(full);
  const verifierCoreCpuMs = median(reference);
  return {
    runs: o.runs,
    oursFullCpuMs,
    oursSameBatchCpuMs: median(sameBatch),
    oursUnsignedCpuMs: median(bare),
    verifierCoreCpuMs,
    ratio: oursFullCpuMs / verifierCoreCpuMs,
    statuses,
  };
}

/** The example badge issued by a new did:key issuer registered on the sample registry: signed and anchored, and the same unsigned. */
async function signedAnchoredBadge(o: { connection: NetworkConnection; sample: SampleRegistry; badgeJson: unknown }) {
  const keyPair = generateEd25519KeyPair();
  const did = didKeyOf(keyPair.publicKey);
  const signers = await o.connection.ethers.getSigners();
  const controller = signers[5];
  await registerIssuer(await o.sample.as(o.sample.accounts.accreditor), did, controller.address);
  const parsed = parseDraftCredential(o.badgeJson);
  if (!parsed.ok) throw new Error("the bench's example badge is invalid");
  const batch = prepareBatch([parsed.credential], { profileId: did, newId: () => "urn:uuid:5b1e7c2a-9d3f-4e6b-8a1c-2f4d6e8a0b1c" });
  const context = await o.sample.as(controller.address);
  await (await context.registry.anchor(issuerIdOfProfile(did), batch.batch.root, 1)).wait();
  const anchored = anchoredCredential(batch, 0, { chainId: o.sample.chainId, registry: o.sample.registry, anchoredAt: new Date().toISOString(), transactionHash: `0x${"00".repeat(32)}` });
  const found = findAnchorProof(anchored) as { kind: "found"; proof: AnchorProof };
  const started = Date.now();
  /** The badge signed at `started` + `seconds` (the hash, hence the anchor, is the same whatever the signature). */
  const signedAt = async (seconds: number) => {
    const signer = createBatchSigner({ verificationMethod: didKeyVerificationMethod(did), keyPair }, { created: new Date(started + seconds * 1000), loader: contextLoader() });
    const proof = await signer.sign(batch.credentials[0] as unknown as JsonLdObject);
    return attachAnchorProof(withProofs(batch.credentials[0] as unknown as JsonLdObject, proof), found.proof);
  };
  return { signed: await signedAt(0), unsigned: anchored, signedAt };
}

function describeVerifierCore(answer: { log?: Array<{ id: string; valid?: boolean }>; errors?: unknown[] }): string {
  if (answer.errors && answer.errors.length > 0) return `errors: ${JSON.stringify(answer.errors).slice(0, 120)}`;
  const signature = answer.log?.find((entry) => entry.id === "valid_signature");
  return signature?.valid ? "valid_signature" : "invalid_signature";
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length % 2 === 1 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
}
