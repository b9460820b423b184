/**
 * The audit's raw reads: a read whose connection dropped is asked again (reads change nothing), a few
 * times; any other failure is the caller's to handle, at once.
 */
import { expect } from "chai";

import { rpcReader } from "../../scripts/audit/rpc.js";

const dropped = () => Object.assign(new Error("other side closed"), { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) });

describe("audit: raw JSON-RPC reads", function () {
  it("asks again when the node closed the connection under the request", async function () {
    const failures = [dropped(), dropped()];
    let calls = 0;
    const read = rpcReader({
      send: async () => {
        calls++;
        if (failures.length) throw failures.shift();
        return "0x2a";
      },
    });
    expect(await read("eth_blockNumber", [])).to.equal("0x2a");
    expect(calls).to.equal(3);
  });

  it("gives up after a few dropped connections, and never repeats a refused request", async function () {
    let calls = 0;
    const alwaysDropped = rpcReader({ send: async () => Promise.reject((calls++, dropped())) }, 2);
    const failure = await alwaysDropped("eth_call", []).then(() => expect.fail("expected the dropped connection"), (error: Error) => error);
    expect(failure.message).to.equal("other side closed");
    expect(calls).to.equal(3);

    calls = 0;
    const refusing = rpcReader({ send: async () => Promise.reject((calls++, new Error("execution reverted"))) });
    await refusing("eth_call", []).catch(() => undefined);
    expect(calls).to.equal(1);
  });
});
