import { expect } from "chai";
import type { Log } from "ethers";

import { forEachLogPage, LogPagingError, readLogsPaged, type LogSource } from "../../scripts/audit/log-pager.js";

/** A provider with one log per block that refuses ranges over `maxRange` blocks or answers over `maxLogs`. */
function strictProvider(maxRange: number, maxLogs: number) {
  const requests: Array<[number, number]> = [];
  const source: LogSource<Log> = {
    async getLogs({ fromBlock, toBlock }) {
      requests.push([fromBlock, toBlock]);
      if (toBlock - fromBlock + 1 > maxRange) throw new Error(`block range is too wide (max ${maxRange})`);
      if (toBlock - fromBlock + 1 > maxLogs) throw new Error("query returned more than 100 results");
      return Array.from({ length: toBlock - fromBlock + 1 }, (_, offset) => ({ blockNumber: fromBlock + offset }) as Log);
    },
  };
  return { source, requests };
}

describe("audit: paging eth_getLogs", function () {
  it("reads every block once, in order, shrinking the range when the provider refuses it", async function () {
    const { source, requests } = strictProvider(500, 120);
    const progress: number[] = [];
    const logs = await readLogsPaged(source, "0x0", 0, 9_999, { onProgress: (done) => progress.push(done) });
    expect(logs.map((log) => log.blockNumber)).to.deep.equal(Array.from({ length: 10_000 }, (_, block) => block));
    expect(requests.every(([from, to]) => to - from + 1 <= 10_000)).to.equal(true);
    expect(progress.at(-1)).to.equal(10_000);
    expect(progress).to.deep.equal([...progress].sort((a, b) => a - b));
  });

  it("hands each page over as it is read, in order, before asking for the next (the audit streams)", async function () {
    const { source, requests } = strictProvider(1_000_000, 1_000_000);
    const seen: Array<[number, number, number]> = [];
    await forEachLogPage(source, "0x0", 0, 999, (page) => {
      seen.push([page[0].blockNumber, page.at(-1)!.blockNumber, requests.length]);
    }, { range: 100 });
    expect(seen.map(([first]) => first)).to.deep.equal(Array.from({ length: 10 }, (_, page) => page * 100));
    // Page n was handed over when n + 1 requests had been made: none read ahead of the caller.
    expect(seen.map(([, , asked]) => asked)).to.deep.equal(Array.from({ length: 10 }, (_, page) => page + 1));
  });

  it("never asks more than the range it is given", async function () {
    const { source, requests } = strictProvider(1_000_000, 1_000_000);
    await readLogsPaged(source, "0x0", 100, 2_099, { range: 250 });
    expect(requests).to.have.length(8);
    expect(requests.every(([from, to]) => to - from + 1 <= 250)).to.equal(true);
  });

  it("keeps answers near the logs per page it is given, starting with a few blocks", async function () {
    const requests: Array<[number, number]> = [];
    const dense: LogSource<Log> = {
      async getLogs({ fromBlock, toBlock }) {
        requests.push([fromBlock, toBlock]);
        return Array.from({ length: (toBlock - fromBlock + 1) * 50 }, (_, offset) => ({ blockNumber: fromBlock + Math.floor(offset / 50) }) as Log);
      },
    };
    const logs = await readLogsPaged(dense, "0x0", 0, 999, { logsPerPage: 400 });
    expect(logs).to.have.length(50_000);
    expect(logs.map((log) => log.blockNumber)).to.deep.equal([...logs.map((log) => log.blockNumber)].sort((a, b) => a - b));
    expect(requests[0]).to.deep.equal([0, 15]);
    expect(requests.slice(1).every(([from, to]) => (to - from + 1) * 50 <= 400)).to.equal(true);
  });

  it("reports a node that cannot be reached at once, without shrinking the range", async function () {
    let requests = 0;
    const gone: LogSource<Log> = {
      getLogs: async () => {
        requests++;
        throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8545"), { code: "ECONNREFUSED" });
      },
    };
    const failure = await readLogsPaged(gone, "0x0", 0, 10_000).then(
      () => expect.fail("expected the connection failure"),
      (error: Error) => error,
    );
    expect(failure).to.not.be.instanceOf(LogPagingError);
    expect(failure.message).to.contain("ECONNREFUSED");
    expect(requests).to.equal(1);
  });

  it("gives up with a clear error when even one block is refused", async function () {
    const source: LogSource<Log> = { getLogs: async () => Promise.reject(new Error("503 Service Unavailable")) };
    try {
      await readLogsPaged(source, "0x0", 0, 10, { maxRetries: 2 });
      expect.fail("expected a LogPagingError");
    } catch (error) {
      expect(error).to.be.instanceOf(LogPagingError);
      expect((error as Error).message).to.contain("block 0");
    }
  });
});
