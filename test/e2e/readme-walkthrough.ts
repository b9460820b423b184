/**
 * The README's walkthrough ("Issuing, revoking and verifying badges") run as it is written, command by
 * command, against a Hardhat node of its own, in a folder of its own: a command that changes shape fails
 * here, not for a newcomer. Only where the commands run is changed: this checkout's hardhat and the
 * node's URL.
 */
import { symlink, mkdtemp, readFile, rm } from "node:fs/promises";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { PROJECT_ROOT, startHardhatNode, type LocalNode } from "../helpers/processes.js";

const SECTION = "## Issuing, revoking and verifying badges";

/** The first bash block after the section heading, without the line that starts the node (the test does). */
async function walkthrough(): Promise<string[]> {
  const readme = await readFile(path.join(PROJECT_ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf(SECTION));
  const block = /```bash\n([\s\S]*?)```/.exec(section)![1];
  return block.split("\n").filter((line) => line.trim() !== "" && !line.startsWith("npx hardhat node"));
}

describe("the README walkthrough", function () {
  this.timeout(300_000);
  let node: LocalNode;
  let workDir: string;
  let deployment: string | undefined;

  before(async function () {
    node = await startHardhatNode();
    workDir = await mkdtemp(path.join(tmpdir(), "readme-walkthrough-"));
    await symlink(path.join(PROJECT_ROOT, "examples"), path.join(workDir, "examples"));
  });

  after(async function () {
    await node?.stop();
    await rm(workDir, { recursive: true, force: true });
    if (deployment) await rm(path.join(PROJECT_ROOT, deployment), { recursive: true, force: true });
  });

  it("issues, signs, verifies, suspends, revokes and publishes status lists as the README says", async function () {
    const lines = await walkthrough();
    const hardhat = `"${path.join(PROJECT_ROOT, "node_modules", ".bin", "hardhat")}" --config "${path.join(PROJECT_ROOT, "hardhat.config.ts")}"`;
    const script = [
      "set -euo pipefail",
      ...lines.map((line) => line.replaceAll("npx hardhat", hardhat)),
    ].join("\n");
    const child = spawn("bash", ["-c", script], { cwd: workDir, env: { ...process.env, LOCALHOST_RPC_URL: node.url }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const [exitCode] = (await once(child, "close")) as [number | null];
    deployment = /deployment\s+(ignition\/deployments\/\S+)/.exec(output)?.[1];
    expect(exitCode, output).to.equal(0);
    expect(output).to.contain("Created the did:web identity did:web:uni.example");
    expect(output).to.contain("Anchored 4 badge(s) as batch");
    expect(output).to.contain("signed by   did:web:uni.example#key-1");
    expect(output).to.contain("Verdict: VALID");
    expect(output).to.contain("Revoked 1 credential(s) (reason: issued-in-error)");
    expect(output).to.match(/revocation, 1 of 4 set\) → host at https:\/\/uni\.example\/status\/[0-9a-f]{16}\/revocation\.json/);
    expect(output).to.not.contain("a long passphrase");
  });
});
