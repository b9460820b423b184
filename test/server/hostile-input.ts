/**
 * The verifier under hostile input (issue 15): 2,400 generated requests — smuggled members, a mutation
 * fuzzer over real anchored and signed badges (one of them revoked), byte edits, garbage, portfolios and
 * baked images of changed badges — against the real service on an in-process chain, with its cache and
 * verdict memo on. No answer is a 5xx, every request that must be refused is, and no credential whose
 * content was changed reads `valid`. The seed is printed with any failure (HOSTILE_SEED overrides it).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import { network } from "hardhat";

import { changeCredentialStatus, credentialRefsFromFiles } from "../../scripts/credentials/status-change.js";
import { hostileRequests, judge, type BaseBadge } from "../helpers/hostile-requests.js";
import { PROJECT_ROOT } from "../helpers/processes.js";
import { chainConfig, pinnedSampleDocuments, sampleOnInProcessChain, startTestService, type TestService } from "../helpers/verifier-app.js";

const REQUESTS = 2_400;
const CONCURRENCY = 8;
const SEED = Number(process.env.HOSTILE_SEED ?? 15_2026);

const connection = await network.create();
const { sample, client } = await sampleOnInProcessChain(connection);

describe("the verifier under hostile input", function () {
  this.timeout(300_000);
  let service: TestService;

  before(async function () {
    service = await startTestService({
      chains: [{ config: chainConfig(sample.chainId, sample.registry), client }],
      cacheTtlSeconds: 15,
      documents: { pinned: pinnedSampleDocuments(sample) },
    });
    const controller = await sample.as(sample.accounts.university);
    await changeCredentialStatus(controller, "revoke", await credentialRefsFromFiles(controller, [sample.badge("university", "uni-sql-for-analysts")]), "issued-in-error");
  });

  after(async function () {
    await service.close();
  });

  async function send(route: string, contentType: string, body: Uint8Array): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${service.url}${route}`, { method: "POST", headers: { "content-type": contentType }, body: new Uint8Array(body) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // A non-JSON answer is judged by its status alone.
    }
    return { status: response.status, body: parsed };
  }

  it(`answers ${REQUESTS} hostile requests without a 5xx, refusing what must be refused, and never says valid for changed content`, async function () {
    const names = [
      ["university", "uni-data-analytics-foundations"],
      ["university", "uni-sql-for-analysts"],
      ["employer", "meridian-secure-coding-practitioner"],
    ] as const;
    const bases: BaseBadge[] = [];
    for (const [who, name] of names) {
      const credential = JSON.parse(await readFile(sample.badge(who, name), "utf8"));
      const answer = await send("/v1/credentials/verify", "application/json", new TextEncoder().encode(JSON.stringify(credential)));
      bases.push({ credential, status: (answer.body as { status: string }).status });
    }
    // The fuzzer needs signed, anchored badges that verify (and one that is revoked) to mean anything.
    expect(bases.map((base) => base.status)).to.deep.equal(["valid", "revoked", "valid"]);
    const image = await readFile(path.join(PROJECT_ROOT, "examples", "artwork", "badge-artwork.png"));

    const requests = [...hostileRequests(bases, { seed: SEED, count: REQUESTS, image })];
    const kinds = new Map<string, number>();
    for (const request of requests) kinds.set(request.kind, (kinds.get(request.kind) ?? 0) + 1);
    // Every class is exercised, many times.
    for (const kind of ["mutation", "smuggling", "byte-edit", "garbage", "portfolio", "baked-image"]) expect(kinds.get(kind) ?? 0, kind).to.be.greaterThan(50);

    const broken: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < requests.length) {
          const index = next++;
          const request = requests[index];
          const answer = await send(request.route, request.contentType, request.body);
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          const problem = judge(request, answer.status, answer.body);
          if (problem) broken.push(`#${index} ${request.kind}: ${problem} — ${Buffer.from(request.body).subarray(0, 120).toString()}`);
        }
      }),
    );
    expect(broken, `seed ${SEED}:\n${broken.slice(0, 10).join("\n")}`).to.deep.equal([]);
    // The chain was readable throughout: nothing may have been unavailable either.
    expect(statuses.get(503) ?? 0, `seed ${SEED}`).to.equal(0);
    // Both refusals and verdicts were given: the requests reached the pipeline, not only the parser.
    expect(statuses.get(400) ?? 0).to.be.greaterThan(300);
    expect(statuses.get(200) ?? 0).to.be.greaterThan(1_000);

    // And the service is still answering as before.
    const again = await send("/v1/credentials/verify", "application/json", new TextEncoder().encode(JSON.stringify(bases[0].credential)));
    expect((again.body as { status: string }).status).to.equal("valid");
  });
});
