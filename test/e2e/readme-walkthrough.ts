/**
 * The README's walkthrough run as it is written: every bash block marked `<!-- walkthrough -->`, in the
 * README's order, pasted into one bash session (so shell variables carry over, as in one terminal), in a
 * folder of its own, against a Hardhat node of its own — `npx hardhat node` is the one line not run: the
 * test starts the node. A command that fails, or prints an error, fails here, not for a newcomer. Only where
 * things run is changed: this checkout's hardhat and npm (the folder is not the checkout), the node's URL
 * (LOCALHOST_RPC_URL) and the verifier's port (a free one for 8080).
 */
import { mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { freePort, PROJECT_ROOT, startHardhatNode, type LocalNode } from "../helpers/processes.js";

const MARK = "<!-- walkthrough -->";

/** The walkthrough's blocks, in order, each a list of lines (a trailing backslash continues a line, as in bash). */
export async function walkthroughBlocks(): Promise<string[]> {
  const readme = await readFile(path.join(PROJECT_ROOT, "README.md"), "utf8");
  const blocks: string[] = [];
  const marked = new RegExp(`${MARK}\\n\`\`\`bash\\n([\\s\\S]*?)\`\`\``, "g");
  for (const match of readme.matchAll(marked)) blocks.push(match[1]);
  return blocks;
}

describe("the README walkthrough", function () {
  this.timeout(600_000);
  let node: LocalNode;
  let workDir: string;
  let deployment: string | undefined;

  before(async function () {
    node = await startHardhatNode();
    workDir = await mkdtemp(path.join(tmpdir(), "readme-walkthrough-"));
    // The walkthrough runs from the project's folder: its examples are where the README says.
    await symlink(path.join(PROJECT_ROOT, "examples"), path.join(workDir, "examples"));
  });

  after(async function () {
    await node?.stop();
    await rm(workDir, { recursive: true, force: true });
    if (deployment) await rm(path.join(PROJECT_ROOT, deployment), { recursive: true, force: true });
  });

  it("every marked block, pasted in order into one terminal, works as written", async function () {
    const blocks = await walkthroughBlocks();
    // Issuing, the verifier, stacks, badges that travel, auditing, status lists, a stolen key.
    expect(blocks.length).to.be.at.least(7);
    const text = blocks.join("\n");
    // Nothing left for the reader to fill in: no <placeholder>, no [--optional] syntax, no a|b alternatives.
    expect(text).not.to.match(/<[a-z][^>]*>|\[--|\w\|\w/i);
    const port = await freePort();
    const hardhat = `"${path.join(PROJECT_ROOT, "node_modules", ".bin", "hardhat")}" --config "${path.join(PROJECT_ROOT, "hardhat.config.ts")}"`;
    const script = [
      "set -euo pipefail",
      ...text
        .split("\n")
        .filter((line) => !/^npx hardhat node\b/.test(line))
        .map((line) => line.replaceAll("npx hardhat", hardhat).replaceAll("npm start", `npm --prefix "${PROJECT_ROOT}" start`).replaceAll("127.0.0.1:8080", `127.0.0.1:${port}`)),
    ].join("\n");
    // Its own process group, so that the verifier it starts in the background stops with it.
    const child = spawn("bash", ["-c", script], {
      cwd: workDir,
      env: { ...process.env, LOCALHOST_RPC_URL: node.url, PORT: String(port), HH_TEST: "false" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    let exitCode: number | null;
    let stillServing = true;
    try {
      [exitCode] = (await once(child, "close")) as [number | null];
      // `kill $VERIFIER`, the last line, stops the service npm start ran (its script `exec`s, so the signal arrives).
      for (let attempt = 0; attempt < 50 && stillServing; attempt++) {
        stillServing = await fetch(`http://127.0.0.1:${port}/healthz`).then(
          () => true,
          () => false,
        );
        if (stillServing) await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      // Whatever the script left running in its group (the verifier, if a block failed before stopping it).
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        // the group is gone
      }
    }
    deployment = /deployment\s+(ignition\/deployments\/\S+)/.exec(output)?.[1];
    expect(exitCode, output.slice(-4000)).to.equal(0);
    expect(output, output.slice(-4000)).not.to.match(/^Error\b|Error HHE|Configuration error/m);
    // Issuing.
    expect(output).to.contain("Created the did:web identity did:web:uni.example");
    expect(output).to.contain("Anchored 4 badge(s) as batch");
    expect(output).to.contain("signed by   did:web:uni.example#key-1");
    expect(output).to.contain("Verdict: VALID");
    expect(output).to.contain("Revoked 1 credential(s) (reason: issued-in-error)");
    expect(output).to.match(/Verdict: REVOKED\nexit code 1: not valid/);
    // The verifier npm start served for the node, over HTTP.
    expect(output).to.contain(`Verifier ready: open http://127.0.0.1:${port}/`);
    expect(output).to.contain("valid: SQL for Analysts");
    // Stacks and a portfolio of Ada's, every credential verified.
    expect(output).to.contain("4 of 4 verified");
    // The baked PNG, verified from the image.
    expect(output).to.match(/^valid$/m);
    // Status lists published after the revocation.
    expect(output).to.match(/revocation, 1 of 4 set\) → host at https:\/\/uni\.example\/status\/[0-9a-f]{16}\/revocation\.json/);
    // The stolen key: its forgery read valid, then revoked (key compromise), the genuine badge still valid.
    expect(output).to.match(/key-compromise[\s\S]*Verdict: REVOKED\nexit code 1: not valid/);
    expect(output).to.contain("now controls did:web:uni.example");
    expect(output).to.not.contain("a long passphrase");
    expect(stillServing, "the verifier still answers after kill $VERIFIER").to.equal(false);
  });
});
