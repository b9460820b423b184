import { expect } from "chai";

import { tickBatcher } from "../../../lib/chain/tick-batcher.js";

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** A load that records each batch and answers when released (or at once when `hold` is off). */
function controlledLoad() {
  const batches: number[][] = [];
  const waiting: Array<() => void> = [];
  let hold = false;
  let out = 0;
  let mostOut = 0;
  const load = (items: number[]) => {
    batches.push(items);
    out++;
    mostOut = Math.max(mostOut, out);
    return new Promise<number[]>((resolve, reject) => {
      const answer = () => {
        out--;
        if (items.includes(-1)) reject(new Error("the batch with -1 fails"));
        else resolve(items.map((item) => item * 10));
      };
      if (hold) waiting.push(answer);
      else setImmediate(answer);
    });
  };
  return { load, batches, hold: (value: boolean) => (hold = value), release: () => waiting.splice(0).forEach((answer) => answer()), mostOut: () => mostOut };
}

describe("the tick batcher", function () {
  it("answers what is asked in one turn in batches of at most maxBatch, at most inFlight at a time", async function () {
    const loader = controlledLoad();
    const batcher = tickBatcher(loader.load, { maxBatch: 3, inFlight: 2 });
    const answers = await Promise.all([1, 2, 3, 4, 5, 6, 7].map((item) => batcher.ask(item)));
    expect(answers).to.deep.equal([10, 20, 30, 40, 50, 60, 70]);
    expect(loader.batches).to.deep.equal([[1, 2, 3], [4, 5, 6], [7]]);
    expect(loader.mostOut()).to.equal(2);
  });

  it("fails the asks of a failed batch only", async function () {
    const loader = controlledLoad();
    const batcher = tickBatcher(loader.load, { maxBatch: 2, inFlight: 2 });
    const settled = await Promise.allSettled([1, -1, 3, 4].map((item) => batcher.ask(item)));
    expect(settled.map((result) => result.status)).to.deep.equal(["rejected", "rejected", "fulfilled", "fulfilled"]);
  });

  describe("holding while busy", function () {
    it("sends a lone ask at once, and gathers asks made while a batch is out until it comes back", async function () {
      const loader = controlledLoad();
      const batcher = tickBatcher(loader.load, { maxBatch: 100, inFlight: 1, holdWhileBusyMs: 5_000 });
      loader.hold(true);
      const first = batcher.ask(1);
      await nextTurn();
      expect(loader.batches).to.deep.equal([[1]]);
      const later = [2, 3, 4].map((item) => batcher.ask(item));
      await nextTurn();
      await nextTurn();
      expect(loader.batches).to.have.length(1);
      loader.hold(false);
      loader.release();
      expect(await first).to.equal(10);
      expect(await Promise.all(later)).to.deep.equal([20, 30, 40]);
      expect(loader.batches).to.deep.equal([[1], [2, 3, 4]]);
    });

    it("sends held asks after holdWhileBusyMs even if the batch out never comes back", async function () {
      const loader = controlledLoad();
      const batcher = tickBatcher(loader.load, { maxBatch: 100, inFlight: 1, holdWhileBusyMs: 20 });
      loader.hold(true);
      void batcher.ask(1);
      await nextTurn();
      const held = batcher.ask(2);
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(loader.batches).to.deep.equal([[1], [2]]);
      loader.hold(false);
      loader.release();
      expect(await held).to.equal(20);
    });

    it("sends a gathering that reaches maxBatch at once", async function () {
      const loader = controlledLoad();
      const batcher = tickBatcher(loader.load, { maxBatch: 2, inFlight: 1, holdWhileBusyMs: 5_000 });
      loader.hold(true);
      void batcher.ask(1);
      await nextTurn();
      void batcher.ask(2);
      void batcher.ask(3);
      expect(loader.batches).to.deep.equal([[1], [2, 3]]);
      loader.release();
    });
  });
});
