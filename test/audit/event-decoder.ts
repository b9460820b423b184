/**
 * The audit's log decoding on a real history: the decoder by topic gives exactly what ethers' parseLog
 * gives for every kind of registry event, leaves ethers to judge anything unusual, and block times come
 * from the logs or, when a node leaves them out, from the block headers, to the same events.
 */
import { expect } from "chai";
import { toBeHex, zeroPadValue } from "ethers";
import { network } from "hardhat";

import { eventDecoder } from "../../scripts/audit/event-decoder.js";
import { decodeRegistryLogs } from "../../scripts/audit/registry-events.js";
import { rpcReader, type RpcLog } from "../../scripts/audit/rpc.js";
import { CredentialRegistry__factory } from "../../types/ethers-contracts/index.js";
import { buildAuditHistory } from "../helpers/audit-history.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const registryInterface = CredentialRegistry__factory.createInterface();

async function historyLogs() {
  const { registry } = await buildAuditHistory(connection);
  const logs = await ethers.provider.send("eth_getLogs", [{ address: await registry.getAddress(), fromBlock: "0x0", toBlock: "latest" }]);
  return { registry, logs: logs as RpcLog[] };
}

describe("audit: decoding the registry's logs", function () {
  it("decodes every kind of registry event exactly as ethers' parseLog does", async function () {
    const { logs } = await networkHelpers.loadFixture(historyLogs);
    const decode = eventDecoder(registryInterface);
    const names = new Set<string>();
    for (const log of logs) {
      const byEthers = registryInterface.parseLog(log);
      const decoded = decode(log);
      if (!byEthers) {
        expect(decoded).to.equal(null);
        continue;
      }
      names.add(byEthers.name);
      expect(decoded!.name).to.equal(byEthers.name);
      expect(decoded!.args).to.deep.equal(Object.fromEntries(byEthers.fragment.inputs.map((input, position) => [input.name, byEthers.args[position]])));
    }
    expect([...names]).to.include.members([
      "IssuerRegistered",
      "IssuerStatusChanged",
      "ControlTransferProposed",
      "ControllerChanged",
      "OperatorAdded",
      "OperatorRemoved",
      "KeyCompromised",
      "Anchored",
      "CredentialsRevoked",
      "CredentialsSuspended",
      "CredentialsUnsuspended",
      "BatchRevoked",
      "NonceUsed",
      "RoleGranted",
    ]);
  });

  it("leaves malformed logs to ethers: a dirty address word is refused, extra data ignored as ethers does", async function () {
    const { logs } = await networkHelpers.loadFixture(historyLogs);
    const decode = eventDecoder(registryInterface);
    const anchored = logs.find((log) => log.topics[0] === registryInterface.getEvent("Anchored")!.topicHash)!;
    const dirty = { ...anchored, data: `0x${"ff".repeat(12)}${anchored.data.slice(26)}` };
    expect(() => registryInterface.parseLog(dirty)!.args.actingKey).to.throw();
    expect(() => decode(dirty)).to.throw();
    const longer = { ...anchored, data: `${anchored.data}${"00".repeat(32)}` };
    expect(decode(longer)!.args).to.deep.equal(decode(anchored)!.args);
    expect(decode({ topics: [zeroPadValue(toBeHex(1), 32)], data: "0x" })).to.equal(null);
  });

  it("takes block times from the logs, or from the block headers when the node leaves them out", async function () {
    const { logs } = await networkHelpers.loadFixture(historyLogs);
    expect(logs.every((log) => log.blockTimestamp !== undefined)).to.equal(true);
    const asked: string[] = [];
    const counting = rpcReader({
      send: (method, params) => {
        asked.push(method);
        return ethers.provider.send(method, params);
      },
    });
    const withTimes = await decodeRegistryLogs(counting, logs);
    expect(asked).to.deep.equal([]);

    const withoutTimes = await decodeRegistryLogs(counting, logs.map(({ blockTimestamp: _, ...log }) => log));
    expect(withoutTimes).to.deep.equal(withTimes);
    expect(asked.filter((method) => method === "eth_getBlockByNumber")).to.have.length(new Set(logs.map((log) => log.blockNumber)).size);
  });

  it("says which block is missing when a node has no header for a block with logs", async function () {
    const { logs } = await networkHelpers.loadFixture(historyLogs);
    const noBlocks = rpcReader({ send: async () => null });
    const [{ blockTimestamp: _, ...first }] = logs;
    const failure = await decodeRegistryLogs(noBlocks, [first]).then(
      () => expect.fail("expected the missing block to be reported"),
      (error: Error) => error,
    );
    expect(failure.message).to.contain(`no block ${Number(first.blockNumber)}`);
  });
});
