/**
 * Stacks and portfolios end to end: a Hardhat node as its own process, the commands as separate processes
 * (deploy, register two issuers, anchor, publish a pathway, stack, revoke), the verifier service as its own
 * process, and real HTTP for a stacked credential and a portfolio.
 */
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { encodeSecretKeyMultibase, generateEd25519KeyPair } from "../../lib/signature/ed25519-keys.js";
import { EXAMPLES_DIR, PATHWAYS_DIR } from "../helpers/badges.js";
import { freePort, lastJsonLine, PROJECT_ROOT, runHardhat, startLocalNode, startProcess, stopProcessGroup, waitForHttp, type LocalNode } from "../helpers/processes.js";

const UNIVERSITY = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const EMPLOYER = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

describe("stacks and portfolios end to end on a Hardhat node", function () {
  this.timeout(240_000);
  let node: LocalNode;
  let service: ReturnType<typeof startProcess>;
  let serviceUrl: string;
  let workDir: string;
  let deploymentId: string;
  let env: Record<string, string>;
  let certificateFile: string;

  const hardhat = async (args: string[]) => {
    const run = await runHardhat([...args, "--network", "localhost"], env);
    expect(run.exitCode, `${args.join(" ")}\n${run.stdout}\n${run.stderr}`).to.equal(0);
    return run;
  };
  const issued = (name: string) => path.join(workDir, name.startsWith("uni-") ? "uni" : "meridian", `${name}.json`);
  const post = async (route: string, body: unknown) => {
    const response = await fetch(`${serviceUrl}${route}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as any };
  };

  before(async function () {
    node = await startLocalNode("hardhat");
    workDir = await mkdtemp(path.join(tmpdir(), "stacks-e2e-"));
    const deployed = await runHardhat(["registry", "deploy", "--network", "localhost", "--json"], { LOCALHOST_RPC_URL: node.url });
    expect(deployed.exitCode, deployed.stderr).to.equal(0);
    const { address, deploymentId: id } = lastJsonLine<{ address: string; deploymentId: string }>(deployed.stdout);
    deploymentId = id;
    // One signing key (the CREDENTIAL_SIGNING_KEY configuration variable) signs for both issuers, as <profile id>#key-1.
    env = { LOCALHOST_RPC_URL: node.url, REGISTRY_ADDRESS: address, CREDENTIAL_SIGNING_KEY: encodeSecretKeyMultibase(generateEd25519KeyPair().secretKey) };
    await hardhat(["issuer", "register", "did:web:uni.example", "--controller", UNIVERSITY]);
    await hardhat(["issuer", "register", "https://security.employer.example/issuer", "--controller", EMPLOYER]);
    const examples = (names: string[]) => names.map((name) => path.join(EXAMPLES_DIR, `${name}.json`));
    await hardhat(["credentials", "anchor", ...examples(["uni-data-analytics-foundations", "uni-sql-for-analysts"]), "--out", path.join(workDir, "uni"), "--from", UNIVERSITY]);
    await hardhat(["credentials", "anchor", ...examples(["meridian-secure-coding-practitioner"]), "--out", path.join(workDir, "meridian"), "--from", EMPLOYER]);
    await cp(PATHWAYS_DIR, path.join(workDir, "pathways"), { recursive: true });
    const pathway = path.join(workDir, "pathways", "data-analyst-certificate.json");
    await hardhat(["pathway", "publish", pathway, "--from", UNIVERSITY]);
    const stacked = await hardhat(["credentials", "stack", "--pathway", pathway, issued("uni-data-analytics-foundations"), issued("uni-sql-for-analysts"), issued("meridian-secure-coding-practitioner"), "--out", path.join(workDir, "certificate"), "--from", UNIVERSITY, "--json"]);
    certificateFile = lastJsonLine<{ file: string }>(stacked.stdout).file;

    const port = await freePort();
    serviceUrl = `http://127.0.0.1:${port}`;
    service = startProcess(path.join(PROJECT_ROOT, "node_modules", ".bin", "node"), ["--import", "tsx", "server/main.ts"], {
      RPC_URL: node.url,
      REGISTRY_ADDRESS: address,
      CHAIN_ID: "31337",
      PORT: String(port),
      CACHE_TTL_SECONDS: "0",
      LOG_LEVEL: "warn",
    });
    await waitForHttp(`${serviceUrl}/healthz`, 30_000, service.output);
  });

  after(async function () {
    if (service) stopProcessGroup(service.child);
    await node?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
    if (deploymentId) await rm(path.join(PROJECT_ROOT, "ignition", "deployments", deploymentId), { recursive: true, force: true });
  });

  it("verifies the stacked certificate and a portfolio over HTTP, then sees a revoked component", async function () {
    const certificate = JSON.parse(await readFile(certificateFile, "utf8"));
    const verified = await post("/v1/credentials/verify", certificate);
    expect(verified.status).to.equal(200);
    expect(verified.body.status).to.equal("valid");
    expect(verified.body.stack.components.map((component: any) => component.status)).to.deep.equal(["valid", "valid", "valid"]);

    const components = await Promise.all(["uni-data-analytics-foundations", "uni-sql-for-analysts", "meridian-secure-coding-practitioner"].map(async (name) => JSON.parse(await readFile(issued(name), "utf8"))));
    const portfolio = await post("/v1/presentations/verify", { type: ["VerifiablePresentation"], verifiableCredential: [certificate, ...components] });
    expect(portfolio.status).to.equal(200);
    expect(portfolio.body.summary).to.deep.include({ total: 4, verified: 4, sameSubject: true });
    expect(portfolio.body.skills.map((skill: any) => skill.name)).to.have.members(["Data Analyst Certificate", "Data Analytics Foundations", "SQL for Analysts", "Secure Coding Practitioner"]);

    await hardhat(["credentials", "revoke", issued("meridian-secure-coding-practitioner"), "--reason", "misconduct", "--from", EMPLOYER]);
    const incomplete = await post("/v1/credentials/verify", certificate);
    expect(incomplete.body.status).to.equal("stack-incomplete");
    expect(incomplete.body.errors[0]).to.contain('component "Secure Coding Practitioner"');
    const after = await post("/v1/presentations/verify", [certificate, ...components]);
    expect(after.body.summary.byStatus).to.deep.equal({ "stack-incomplete": 1, valid: 2, revoked: 1 });
  });
});
