/**
 * The Verifier's remembered verdicts against the registry's change events: a verdict reached on a chain
 * read made before a change must not be remembered after the change was seen. The chain is an in-memory
 * double whose read can be held back, so that the change lands while the read is out.
 */
import { expect } from "chai";

import type { Hex } from "../../lib/credential/canonical.js";
import { Verifier } from "../../server/verifier.js";
import { exampleBadge } from "../helpers/badges.js";
import { FAKE_CHAIN_ID, FAKE_REGISTRY, FakeChain } from "../helpers/fake-chain.js";
import { issueOn, UNIVERSITY } from "../helpers/stacks.js";

function world() {
  const fake = new FakeChain();
  fake.registerIssuer(UNIVERSITY.profileId, UNIVERSITY.address);
  const [badge] = issueOn(fake, UNIVERSITY, [exampleBadge("uni-data-analytics-foundations")]);
  const root = (badge.proof as Array<{ type: string; root: Hex }>).find((proof) => proof.type === "CredentialRegistryAnchor2026")!.root;
  let announceChange = () => {};
  let holdReads: Promise<void> | undefined;
  const reads: string[] = [];
  // What the Verifier uses of a ChainRegistry: its chain, its status reads and its change events.
  const chain = {
    chain: { chainId: FAKE_CHAIN_ID, registry: FAKE_REGISTRY },
    async credentialStatus(issuerId: Hex, root: Hex, index: bigint) {
      const answer = await fake.credentialStatus(issuerId, root, index);
      reads.push(root);
      await holdReads;
      return answer;
    },
    watchChanges(onChange: () => void) {
      announceChange = onChange;
      return () => {};
    },
  };
  const verifier = new Verifier({ chains: [chain as never], cacheTtlSeconds: 60, maxBodyBytes: 256 * 1024 });
  verifier.watchRegistries(() => {});
  return {
    fake,
    badge,
    root,
    verifier,
    reads,
    announceChange: () => announceChange(),
    hold: () => {
      let release = () => {};
      holdReads = new Promise<void>((resolve) => (release = resolve));
      return () => {
        holdReads = undefined;
        release();
      };
    },
  };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

describe("Verifier: remembered verdicts and the registry's changes", function () {
  it("remembers a verdict until the registry announces a change", async function () {
    const { fake, badge, root, verifier, reads, announceChange } = world();
    expect((await verifier.verify(badge)).status).to.equal("valid");
    expect((await verifier.verify(badge)).status).to.equal("valid");
    expect(reads).to.have.length(1);

    fake.revoke(UNIVERSITY.profileId, root, 0);
    announceChange();
    expect((await verifier.verify(badge)).status).to.equal("revoked");
  });

  it("does not remember a verdict whose chain read was out when a change was announced", async function () {
    const { fake, badge, root, verifier, reads, announceChange, hold } = world();
    const release = hold();
    const inFlight = verifier.verify(badge, "body:one");
    await until(() => reads.length === 1);
    // The node answered with the state before the revocation; the revocation's event is seen before that
    // answer reaches the verifier.
    fake.revoke(UNIVERSITY.profileId, root, 0);
    announceChange();
    release();
    expect((await inFlight).status).to.equal("valid");

    expect(verifier.remembered("body:one")).to.equal(undefined);
    expect((await verifier.verify(badge, "body:one")).status).to.equal("revoked");
    expect(reads).to.have.length(2);
  });
});
