/**
 * The verifier end to end, as deployed: a chain node as its own process (Hardhat's, then Anvil — an
 * independent implementation), the registry deployed and badges anchored and revoked by the commands as
 * separate processes, the service as its own process (`server/main.ts`), and real HTTP. The service reads
 * the chain through a TCP proxy, which the test cuts to check that it fails closed and recovers.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { EXAMPLES_DIR } from "../helpers/badges.js";
import {
  freePort,
  lastJsonLine,
  PROJECT_ROOT,
  runHardhat,
  startLocalNode,
  startProcess,
  stopProcessGroup,
  waitForHttp,
  type LocalNode,
  type NodeKind,
} from "../helpers/processes.js";
import { TcpProxy } from "../helpers/tcp-proxy.js";

const UNIVERSITY = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"; // the second default account of both nodes

for (const kind of ["hardhat", "anvil"] as NodeKind[]) {
  describe(`verifier service end to end on ${kind === "hardhat" ? "a Hardhat node" : "Anvil"}`, function () {
    this.timeout(180_000);
    let node: LocalNode;
    let proxy: TcpProxy;
    let service: ReturnType<typeof startProcess>;
    let serviceUrl: string;
    let workDir: string;
    let deploymentId: string;
    let env: Record<string, string>;

    before(async function () {
      node = await startLocalNode(kind);
      proxy = await new TcpProxy(node.port).start();
      workDir = await mkdtemp(path.join(tmpdir(), `verifier-e2e-${kind}-`));
      const deployed = await runHardhat(["registry", "deploy", "--network", "localhost", "--json"], { LOCALHOST_RPC_URL: node.url });
      expect(deployed.exitCode, deployed.stderr).to.equal(0);
      const { address, deploymentId: id } = lastJsonLine<{ address: string; deploymentId: string }>(deployed.stdout);
      deploymentId = id;
      env = { LOCALHOST_RPC_URL: node.url, REGISTRY_ADDRESS: address };
      const registered = await runHardhat(["issuer", "register", "did:web:uni.example", "--controller", UNIVERSITY, "--network", "localhost"], env);
      expect(registered.exitCode, registered.stderr).to.equal(0);
      const anchored = await runHardhat(
        ["credentials", "anchor", path.join(EXAMPLES_DIR, "uni-sql-for-analysts.json"), path.join(EXAMPLES_DIR, "uni-data-analytics-foundations.json"), "--out", path.join(workDir, "issued"), "--from", UNIVERSITY, "--network", "localhost", "--unsigned"],
        env,
      );
      expect(anchored.exitCode, anchored.stderr).to.equal(0);

      const port = await freePort();
      serviceUrl = `http://127.0.0.1:${port}`;
      service = startProcess(path.join(PROJECT_ROOT, "node_modules", ".bin", "node"), ["--import", "tsx", "server/main.ts"], {
        RPC_URL: proxy.url,
        REGISTRY_ADDRESS: address,
        CHAIN_ID: "31337",
        PORT: String(port),
        CACHE_TTL_SECONDS: "0",
        RPC_TIMEOUT_MS: "2000",
        LOG_LEVEL: "warn",
      });
      await waitForHttp(`${serviceUrl}/healthz`, 30_000, service.output);
    });

    after(async function () {
      if (service) stopProcessGroup(service.child);
      await proxy?.cut();
      await node?.stop();
      if (workDir) await rm(workDir, { recursive: true, force: true });
      if (deploymentId) await rm(path.join(PROJECT_ROOT, "ignition", "deployments", deploymentId), { recursive: true, force: true });
    });

    const badge = (name: string) => readFile(path.join(workDir, "issued", `${name}.json`), "utf8");
    const verify = async (body: string) => {
      const response = await fetch(`${serviceUrl}/v1/credentials/verify`, { method: "POST", headers: { "content-type": "application/json" }, body });
      return { status: response.status, body: (await response.json()) as { status: string; verified: boolean } };
    };

    it("verifies an anchored badge, and refuses a tampered copy", async function () {
      const valid = await verify(await badge("uni-sql-for-analysts"));
      expect(valid.status).to.equal(200);
      expect(valid.body).to.include({ verified: true, status: "valid" });
      const tampered = JSON.parse(await badge("uni-sql-for-analysts"));
      tampered.credentialSubject.id = "did:example:someone-else";
      expect((await verify(JSON.stringify(tampered))).body.status).to.equal("tampered");
    });

    it("shows the issuer the command registered, by its profile id, with the controller that anchored", async function () {
      const response = await fetch(`${serviceUrl}/v1/issuers/${encodeURIComponent("did:web:uni.example")}`);
      expect(response.status).to.equal(200);
      const issuer = (await response.json()) as { profileId: string; controller: string; status: string };
      expect(issuer).to.include({ profileId: "did:web:uni.example", status: "active" });
      expect(issuer.controller.toLowerCase()).to.equal(UNIVERSITY.toLowerCase());
    });

    it("says revoked once the issuer revokes the badge with the command", async function () {
      const revoked = await runHardhat(
        ["credentials", "revoke", path.join(workDir, "issued", "uni-data-analytics-foundations.json"), "--reason", "issued-in-error", "--from", UNIVERSITY, "--network", "localhost"],
        env,
      );
      expect(revoked.exitCode, revoked.stderr).to.equal(0);
      expect((await verify(await badge("uni-data-analytics-foundations"))).body.status).to.equal("revoked");
    });

    it("fails closed while the chain is unreachable (503 unavailable, not ready), and recovers", async function () {
      await proxy.cut();
      const cutOff = await verify(await badge("uni-sql-for-analysts"));
      expect(cutOff.status).to.equal(503);
      expect(cutOff.body).to.include({ verified: false, status: "unavailable" });
      expect((await fetch(`${serviceUrl}/readyz`)).status).to.equal(503);
      expect((await fetch(`${serviceUrl}/healthz`)).status).to.equal(200);

      await proxy.start();
      const back = await verify(await badge("uni-sql-for-analysts"));
      expect(back.status).to.equal(200);
      expect(back.body.status).to.equal("valid");
      expect((await fetch(`${serviceUrl}/readyz`)).status).to.equal(200);
    });

    it("stops gracefully on SIGTERM", async function () {
      process.kill(service.child.pid!, "SIGTERM");
      const [code] = await new Promise<[number | null]>((resolve) => service.child.on("exit", (exitCode) => resolve([exitCode])));
      expect(code).to.equal(0);
      expect(service.output()).to.not.match(/Error|    at /);
    });
  });
}
