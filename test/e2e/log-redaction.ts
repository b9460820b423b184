/**
 * Secrets in RPC URLs, end to end: the service runs as its own process (JSON logs on stdout) with an RPC
 * URL that holds an API key — in its path, in its query, or as a user and password — pointing at a port
 * where nothing listens. For a few seconds it is asked to verify a badge, to show an issuer and whether it
 * is ready, as a monitor and users would; the secret must appear in no log line and no HTTP answer, while
 * the logs and answers still say the chain cannot be read.
 */
import { expect } from "chai";

import { anchoredCredential, prepareBatch } from "../../lib/anchor/issuance.js";
import { parseDraftCredential } from "../../lib/credential/credential.js";
import { exampleBadge } from "../helpers/badges.js";
import { startServiceProcess } from "../helpers/chain-e2e.js";
import { freePort } from "../helpers/processes.js";

const REGISTRY = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const SECRETS = ["SECRETKEY123", "SECRETUSER", "SECRETPASS"];

/** A badge anchored (it says) on chain 31337 in REGISTRY: verifying it needs the chain. */
function anchoredBadge(): string {
  const parsed = parseDraftCredential(exampleBadge("uni-data-analytics-foundations"));
  if (!parsed.ok) throw new Error("example invalid");
  const prepared = prepareBatch([parsed.credential], { profileId: "did:web:uni.example", newId: () => "urn:uuid:5b0e9a3e-8f7c-4d8e-9a55-2f1c0e6d7a11" });
  return JSON.stringify(anchoredCredential(prepared, 0, { chainId: 31337, registry: REGISTRY, anchoredAt: new Date().toISOString(), transactionHash: `0x${"00".repeat(32)}` }));
}

describe("RPC URLs are redacted in every log line and answer", function () {
  this.timeout(60_000);

  const forms: Array<[string, (port: number) => string]> = [
    ["an API key in the path", (port) => `http://127.0.0.1:${port}/v3/SECRETKEY123`],
    ["a user and password, and an API key in the query", (port) => `http://SECRETUSER:SECRETPASS@127.0.0.1:${port}/rpc?apikey=SECRETKEY123`],
  ];
  for (const [form, urlAt] of forms) {
    it(`with ${form}`, async function () {
      const deadPort = await freePort();
      const service = await startServiceProcess({ RPC_URL: urlAt(deadPort), REGISTRY_ADDRESS: REGISTRY, CACHE_TTL_SECONDS: "15", LOG_LEVEL: "debug" });
      try {
        const answers: string[] = [];
        const badge = anchoredBadge();
        const deadline = Date.now() + 3_000;
        while (Date.now() < deadline) {
          const verify = await fetch(`${service.url}/v1/credentials/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: badge });
          expect(verify.status).to.equal(503);
          answers.push(await verify.text());
          const issuer = await fetch(`${service.url}/v1/issuers/${encodeURIComponent("did:web:uni.example")}`);
          answers.push(await issuer.text());
          const ready = await fetch(`${service.url}/readyz`);
          expect(ready.status).to.equal(503);
          answers.push(await ready.text());
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
        const everything = `${service.output()}\n${answers.join("\n")}`;
        for (const secret of SECRETS) expect(everything, `"${secret}" leaked`).to.not.contain(secret);
        // Still useful: the logs and answers say which endpoint (host and port) cannot be read.
        expect(everything).to.contain(`127.0.0.1:${deadPort}`);
        expect(answers.join("\n")).to.match(/cannot read/);
      } finally {
        service.stop();
      }
    });
  }
});
