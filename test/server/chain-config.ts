import { expect } from "chai";

import { ConfigError, loadConfig } from "../../server/config.js";

const REGISTRY = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

describe("server configuration of chains: endpoints, head age and finality", function () {
  it("reads several comma-separated endpoints from RPC_URL, and rpcUrls from CHAINS", function () {
    const single = loadConfig({ RPC_URL: "https://a.example/v3/k, https://b.example/rpc", REGISTRY_ADDRESS: REGISTRY, CHAIN_ID: "10" });
    expect(single.chains[0]).to.include({ rpcUrl: "https://a.example/v3/k" });
    expect(single.chains[0].rpcUrls).to.deep.equal(["https://a.example/v3/k", "https://b.example/rpc"]);
    const several = loadConfig({ CHAINS: JSON.stringify([{ chainId: 10, rpcUrls: ["https://a.example", "https://b.example"], registry: REGISTRY }]) });
    expect(several.chains[0].rpcUrls).to.deep.equal(["https://a.example", "https://b.example"]);
    expect(() => loadConfig({ CHAINS: JSON.stringify([{ chainId: 10, registry: REGISTRY }]) })).to.throw(ConfigError, /needs an rpcUrl or rpcUrls/);
    expect(() => loadConfig({ RPC_URL: "https://a.example,ws://b.example", REGISTRY_ADDRESS: REGISTRY })).to.throw(ConfigError, /rpcUrls\.1/);
  });

  it("limits the head's age to 120 s on remote chains and not at all on local ones, unless told", function () {
    const remote = loadConfig({ RPC_URL: "https://a.example", REGISTRY_ADDRESS: REGISTRY, CHAIN_ID: "10" });
    expect(remote.chains[0].maxHeadAgeSeconds).to.equal(120);
    const local = loadConfig({ RPC_URL: "http://127.0.0.1:8545", REGISTRY_ADDRESS: REGISTRY });
    expect(local.chains[0].maxHeadAgeSeconds).to.equal(0);
    expect(loadConfig({ RPC_URL: "http://127.0.0.1:8545", REGISTRY_ADDRESS: REGISTRY, MAX_HEAD_AGE_SECONDS: "30" }).chains[0].maxHeadAgeSeconds).to.equal(30);
    const own = loadConfig({ CHAINS: JSON.stringify([{ chainId: 10, rpcUrl: "https://a.example", registry: REGISTRY, maxHeadAgeSeconds: 600 }]), MAX_HEAD_AGE_SECONDS: "30" });
    expect(own.chains[0].maxHeadAgeSeconds).to.equal(600);
    expect(() => loadConfig({ RPC_URL: "https://a.example", REGISTRY_ADDRESS: REGISTRY, MAX_HEAD_AGE_SECONDS: "soon" })).to.throw(ConfigError, /MAX_HEAD_AGE_SECONDS/);
  });

  it("reads remote chains at safe (12 confirmations on a node without it), local chains at the head, unless told", function () {
    const remote = loadConfig({ RPC_URL: "https://a.example", REGISTRY_ADDRESS: REGISTRY, CHAIN_ID: "10" }).chains[0];
    expect(remote).to.include({ blockTag: "safe", confirmations: 0, fallbackConfirmations: 12 });
    const local = loadConfig({ RPC_URL: "http://127.0.0.1:8545", REGISTRY_ADDRESS: REGISTRY }).chains[0];
    expect(local).to.include({ blockTag: "latest", confirmations: 0 });
    expect(loadConfig({ RPC_URL: "https://a.example", REGISTRY_ADDRESS: REGISTRY, CHAIN_ID: "10", CONFIRMATIONS: "5" }).chains[0]).to.include({ blockTag: "latest", confirmations: 5 });
    const told = loadConfig({ RPC_URL: "https://a.example", REGISTRY_ADDRESS: REGISTRY, CHAIN_ID: "10", BLOCK_TAG: "finalized" }).chains[0];
    expect(told.blockTag).to.equal("finalized");
    expect(told.fallbackConfirmations, "a tag asked for is never silently replaced").to.equal(undefined);
  });
});
