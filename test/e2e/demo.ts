/** `npm run demo` as a newcomer runs it (the README's first command after setup): every verdict as expected. */
import { expect } from "chai";

import { runHardhat } from "../helpers/processes.js";

describe("the demo", function () {
  this.timeout(120_000);

  it("tells the whole story, stacks and a baked PNG included, and every check gives the expected verdict", async function () {
    const run = await runHardhat(["run", "scripts/demo.ts"]);
    expect(run.exitCode, run.stderr).to.equal(0);
    expect(run.stdout).to.contain("Every check gave the expected verdict.");
    expect(run.stdout).to.match(/certificate, a component revoked\s+data-analyst-certificate\s+stack-incomplete\s+stack-incomplete/);
    expect(run.stdout).to.contain("├─ SQL for Analysts (did:web:uni.example): revoked");
    expect(run.stdout).to.match(/read from its baked PNG\s+from-the-png\s+valid\s+valid/);
  });
});
