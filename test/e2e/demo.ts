/** `npm run demo` as a newcomer runs it (the README's first command after setup): every verdict as expected. */
import { expect } from "chai";

import { runHardhat } from "../helpers/processes.js";

describe("the demo", function () {
  this.timeout(120_000);

  it("tells the whole story, stacks, a baked PNG and the stolen key included, and every check gives the expected verdict", async function () {
    const from = Date.now();
    const run = await runHardhat(["run", "scripts/demo.ts"]);
    const seconds = (Date.now() - from) / 1000;
    expect(run.exitCode, run.stderr).to.equal(0);
    // Each stack tree is labelled with the certificate's own verdict, not only its pathway's standing.
    expect(run.stdout).to.match(/Ada's certificate as issued: valid\n\s+pathway "Data Analyst Certificate": valid\n/);
    expect(run.stdout).to.match(/Ada's certificate now: stack-incomplete\n\s+pathway "Data Analyst Certificate": valid\n/);
    // The heading names the table it stands over; the time is the whole run's.
    expect(run.stdout).to.match(/Verifying against the chain, as an employer would:\ncheck\s+badge\s+expected/);
    const reported = Number(/Anchored badges are in demo-output\/ \((\d+\.\d) s\)/.exec(run.stdout)?.[1]);
    expect(reported, run.stdout.slice(-200)).to.be.within(seconds * 0.6, seconds + 1);
    expect(run.stdout).to.contain("Every check gave the expected verdict.");
    expect(run.stdout).to.match(/certificate, a component revoked\s+data-analyst-certificate\s+stack-incomplete\s+stack-incomplete/);
    expect(run.stdout).to.match(/├─ SQL for Analysts \(did:key:z6Mk\w+\): revoked/);
    // Other verifiers and other platforms: verifier-core accepts our signed badge; a badge another platform
    // signed (not anchored here) reads as unanchored in ours.
    expect(run.stdout).to.match(/verifier-core \(DCC\), as issued\s+meridian-secure-coding-practitioner\s+valid_signature\s+valid_signature/);
    expect(run.stdout).to.match(/another platform, signed, not anchored\s+another-platform\s+unanchored\s+unanchored/);
    expect(run.stdout).to.match(/read from its baked PNG\s+from-the-png\s+valid\s+valid/);
    // The stolen-key scene. Before the declaration a stolen key's forgery verifies like a genuine badge:
    // that is what the scene is about; once declared it is revoked, and the genuine badges stay valid.
    expect(run.stdout).to.match(/forgery, key not yet declared\s+uni-msc-data-science-forged\s+valid\s+valid/);
    expect(run.stdout).to.match(/forgery, key declared compromised\s+uni-msc-data-science-forged\s+revoked\s+revoked\s+key 0x[0-9a-fA-F]{40}, .* was declared compromised since .* \(key-compromise\)/);
    expect(run.stdout).to.match(/genuine, anchored before the theft\s+uni-data-analytics-foundations\s+valid\s+valid/);
    expect(run.stdout).to.match(/genuine, after the key rotation\s+uni-data-analytics-foundations\s+valid\s+valid/);
    expect(run.stdout).to.match(/forgery, after the key rotation\s+uni-msc-data-science-forged\s+revoked\s+revoked/);
    expect(run.stdout).to.match(/did:key:z6Mk\w+ is now controlled by 0x[0-9a-fA-F]{40}/);
  });
});
