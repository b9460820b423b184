/**
 * The trust policy against its attack: with two registries trusted (two deployments on one chain), the
 * accreditor of registry B registers the university's profile id on B and anchors a badge naming the
 * university. Through the real app and Verifier over HTTP, with in-memory registries (FakeChain): B's
 * badge must not read `valid`, the university's own badge on A must, and the hash, anchor and issuer
 * routes must not answer from B for the university either.
 */
import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

import { expect } from "chai";
import { pino } from "pino";

import { anchoredCredential, prepareBatch } from "../../lib/anchor/issuance.js";
import { leafHash } from "../../lib/anchor/batch.js";
import { credentialHash, type Hex } from "../../lib/credential/canonical.js";
import { parseDraftCredential, type DraftCredential, type OpenBadgeCredential } from "../../lib/credential/credential.js";
import { issuerIdOfProfile } from "../../lib/credential/profile-id.js";
import type { TrustPolicy } from "../../lib/verify/trust-policy.js";
import { createApp } from "../../server/app.js";
import { createMetrics } from "../../server/metrics.js";
import { Verifier } from "../../server/verifier.js";
import { exampleBadge } from "../helpers/badges.js";
import { FAKE_CHAIN_ID, FakeChain } from "../helpers/fake-chain.js";
import { EMPLOYER, UNIVERSITY, type FakeIssuer } from "../helpers/stacks.js";

/** Two trusted registries, on two chains (the configuration names each chain once). */
const A = { chainId: FAKE_CHAIN_ID, registry: "0x5FbDB2315678afecb367f032d93F642f64180aa3" };
const B = { chainId: 10, registry: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512" };
/** The controller B's accreditor gave its copy of the university's identity. */
const ROGUE = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65";

let ids = 0;

/** What the Verifier uses of a ChainRegistry, over a FakeChain, as registry `at`. */
function registryOver(fake: FakeChain, at: typeof A) {
  // The chain reader names the block each lookup was read at; a fake names none.
  const atNoBlock = async <T>(value: T) => ({ value, block: undefined as never });
  return {
    chain: { chainId: at.chainId, name: `chain ${at.chainId}`, rpcUrl: "http://127.0.0.1:1", registry: at.registry as `0x${string}`, blockTag: "latest" as const, confirmations: 0 },
    credentialStatus: (issuerId: Hex, root: Hex, index: bigint) => fake.credentialStatus(issuerId, root, index),
    credentialStatuses: (items: Parameters<FakeChain["credentialStatuses"]>[0]) => fake.credentialStatuses(items),
    profileId: (issuerId: Hex) => atNoBlock(fake.issuers.get(issuerId.toLowerCase())?.profileId ?? null),
    issuer: (issuerId: Hex) => {
      const issuer = fake.issuers.get(issuerId.toLowerCase());
      return atNoBlock(issuer ? { controller: issuer.controller, proposedController: null, status: issuer.status, statusReason: issuer.statusReason, registeredAt: 0, statusSince: issuer.statusSince } : null);
    },
    keys: () => atNoBlock({ operators: [], compromisedKeys: [] }),
    anchor: (issuerId: Hex, root: Hex) => {
      const batch = fake.batches.get(`${issuerId.toLowerCase()}:${root.toLowerCase()}`);
      return atNoBlock(batch ? { actingKey: batch.actingKey, anchoredAt: batch.anchoredAt, count: batch.count, batchRevoked: batch.batchRevoked } : null);
    },
    watchChanges: () => () => {},
    probe: async () => ({ chainId: at.chainId, registry: at.registry, ready: true, chainIdVerified: true, head: null, endpoints: { healthy: 1, total: 1 } }),
  };
}

/** Anchors `draft` alone (a batch of one) by `issuer` in `fake`, registry `at`. */
function issueAlone(fake: FakeChain, at: typeof A, issuer: FakeIssuer, draft: unknown): OpenBadgeCredential {
  const parsed = parseDraftCredential(draft);
  if (!parsed.ok) throw new Error(`invalid draft: ${JSON.stringify(parsed.problems)}`);
  const prepared = prepareBatch([parsed.credential as DraftCredential], { profileId: issuer.profileId, newId: () => `urn:uuid:00000000-0000-4000-9000-${String(++ids).padStart(12, "0")}` });
  fake.anchor(issuer.profileId, prepared.batch.root, 1);
  return anchoredCredential(prepared, 0, { chainId: at.chainId, registry: at.registry, anchoredAt: "2026-06-01T00:00:00.000Z", transactionHash: `0x${"ab".repeat(32)}` as Hex });
}

function world() {
  const a = new FakeChain();
  const b = new FakeChain();
  a.registerIssuer(UNIVERSITY.profileId, UNIVERSITY.address);
  b.registerIssuer(EMPLOYER.profileId, EMPLOYER.address);
  // The attack: B's accreditor registers the university's profile id on B, with a controller of its own.
  b.registerIssuer(UNIVERSITY.profileId, ROGUE);
  const genuine = issueAlone(a, A, UNIVERSITY, exampleBadge("uni-data-analytics-foundations"));
  const draft = exampleBadge("uni-data-analytics-foundations");
  draft.credentialSubject.achievement.name = "Doctor of Medicine";
  const forged = issueAlone(b, B, { ...UNIVERSITY, address: ROGUE }, draft);
  const employers = issueAlone(b, B, EMPLOYER, exampleBadge("meridian-secure-coding-practitioner"));
  return { a, b, genuine, forged, employers };
}

interface Service {
  url: string;
  close(): Promise<void>;
}

async function serve(fakes: { a: FakeChain; b: FakeChain }, trustPolicy?: TrustPolicy): Promise<Service> {
  const metrics = createMetrics();
  const chains = [registryOver(fakes.a, A), registryOver(fakes.b, B)];
  const verifier = new Verifier({ chains: chains as never, cacheTtlSeconds: 15, maxBodyBytes: 256 * 1024, metrics, trustPolicy });
  const app = createApp({ verifier, metrics, logger: pino({ level: "silent" }), maxBodyBytes: 256 * 1024, rateLimitPerMinute: 10_000 });
  const server: Server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function verify(service: Service, credential: unknown): Promise<{ status: string; errors: string[] }> {
  const response = await fetch(`${service.url}/v1/credentials/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(credential) });
  return (await response.json()) as { status: string; errors: string[] };
}

const PIN_UNIVERSITY_TO_A: TrustPolicy = {
  otherIssuers: "own-registry",
  entries: [{ issuer: { prefix: UNIVERSITY.profileId }, registries: [A] }],
};

describe("trust policy: one registry's accreditor cannot vouch for another's issuer", function () {
  let service: Service | undefined;
  afterEach(async function () {
    await service?.close();
    service = undefined;
  });

  it("with the university pinned to registry A: B's badge naming it is not valid, A's is", async function () {
    const { a, b, genuine, forged, employers } = world();
    service = await serve({ a, b }, PIN_UNIVERSITY_TO_A);
    const attack = await verify(service, forged);
    expect(attack.status).to.equal("untrusted-registry");
    expect(attack.errors.join("\n")).to.include(`registry ${B.registry} on chain ${B.chainId}`).and.include(`{"prefix": "${UNIVERSITY.profileId}"}`);
    expect((await verify(service, genuine)).status).to.equal("valid");
    // An issuer no entry names is still trusted on its own registry.
    expect((await verify(service, employers)).status).to.equal("valid");
  });

  it("pins every id under a DID prefix, on whole segments only", async function () {
    const { a, b } = world();
    const department = { address: ROGUE, profileId: `${UNIVERSITY.profileId}:medicine` };
    b.registerIssuer(department.profileId, ROGUE);
    const underPrefix = issueAlone(b, B, department, exampleBadge("uni-sql-for-analysts"));
    const lookAlike = { address: ROGUE, profileId: `${UNIVERSITY.profileId}.evil.example` };
    b.registerIssuer(lookAlike.profileId, ROGUE);
    const outside = issueAlone(b, B, lookAlike, exampleBadge("uni-sql-for-analysts"));
    service = await serve({ a, b }, PIN_UNIVERSITY_TO_A);
    expect((await verify(service, underPrefix)).status).to.equal("untrusted-registry");
    // Not under did:web:uni.example: another identity, B's own (its name says nothing of the university).
    expect((await verify(service, outside)).status).to.equal("valid");
  });

  it("with no policy, trusts neither registry for a profile id both register, and says so", async function () {
    const { a, b, genuine, forged, employers } = world();
    service = await serve({ a, b });
    const attack = await verify(service, forged);
    expect(attack.status).to.equal("untrusted-registry");
    expect(attack.errors.join("\n")).to.include("registered both").and.include(A.registry).and.include(B.registry).and.include("TRUST_POLICY");
    // Fail closed: nothing says which registry is the university's, so neither vouches for it.
    expect((await verify(service, genuine)).status).to.equal("untrusted-registry");
    expect((await verify(service, employers)).status).to.equal("valid");
  });

  it("with otherIssuers none, trusts no registry for an issuer the policy does not name", async function () {
    const { a, b, genuine, employers } = world();
    service = await serve({ a, b }, { ...PIN_UNIVERSITY_TO_A, otherIssuers: "none" });
    expect((await verify(service, genuine)).status).to.equal("valid");
    expect((await verify(service, employers)).status).to.equal("untrusted-registry");
  });

  it("answers the hash and issuer routes from registries trusted for the issuer only", async function () {
    const { a, b, genuine, forged } = world();
    service = await serve({ a, b }, PIN_UNIVERSITY_TO_A);
    const issuer = encodeURIComponent(UNIVERSITY.profileId);
    const hashes = { genuine: credentialHash(genuine), forged: credentialHash(forged) };
    const genuineByHash = await fetch(`${service.url}/v1/hashes/${hashes.genuine}?issuer=${issuer}`);
    expect(genuineByHash.status).to.equal(200);
    expect(await genuineByHash.json()).to.deep.include({ status: "valid" });
    // B anchored the forged badge alone under the university's id: B is not trusted for it, A never anchored it.
    expect((await fetch(`${service.url}/v1/hashes/${hashes.forged}?issuer=${issuer}`)).status).to.equal(404);
    expect((await fetch(`${service.url}/v1/hashes/${hashes.forged}?issuer=${issuerIdOfProfile(UNIVERSITY.profileId)}`)).status).to.equal(404);
    const anchorOf = (hash: Hex) => fetch(`${service!.url}/v1/anchors/${issuerIdOfProfile(UNIVERSITY.profileId)}/${leafHash(0, hash)}`);
    expect((await anchorOf(hashes.genuine)).status).to.equal(200);
    expect((await anchorOf(hashes.forged)).status).to.equal(404);
    // The university's record comes from A (its controller), never from B's copy (the rogue controller).
    for (const name of [issuer, issuerIdOfProfile(UNIVERSITY.profileId)]) {
      const profile = (await (await fetch(`${service.url}/v1/issuers/${name}`)).json()) as { registry: string; controller: string };
      expect(profile).to.include({ chainId: A.chainId, registry: A.registry, controller: UNIVERSITY.address });
    }
  });

  it("states the policy per registry in /readyz", async function () {
    const { a, b } = world();
    service = await serve({ a, b }, PIN_UNIVERSITY_TO_A);
    const body = (await (await fetch(`${service.url}/readyz`)).json()) as { trust: unknown };
    expect(body.trust).to.deep.equal([
      { ...A, pinned: [{ prefix: UNIVERSITY.profileId }], ownIssuers: true },
      { ...B, pinned: [], ownIssuers: true },
    ]);
  });
});
