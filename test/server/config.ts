import { mkdtemp, mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { ConfigError, hasChainConfig, loadConfig } from "../../server/config.js";

const REGISTRY = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("server configuration", function () {
  it("has working defaults for everything but the chain", function () {
    const config = loadConfig({ RPC_URL: "http://127.0.0.1:8545", REGISTRY_ADDRESS: REGISTRY });
    expect(config).to.include({ host: "127.0.0.1", port: 8080, maxBodyBytes: 262144, cacheTtlSeconds: 15, maxPresentationSize: 100 });
    expect(config.chains).to.deep.equal([
      { chainId: 31337, name: "chain 31337", rpcUrl: "http://127.0.0.1:8545", registry: REGISTRY, blockTag: "latest", confirmations: 0 },
    ]);
  });

  it("limits baked badge images to MAX_IMAGE_BYTES, 2 MiB unless set", function () {
    const chain = { RPC_URL: "http://127.0.0.1:8545", REGISTRY_ADDRESS: REGISTRY };
    expect(loadConfig(chain).maxImageBytes).to.equal(2 * 1024 * 1024);
    expect(loadConfig({ ...chain, MAX_IMAGE_BYTES: "65536" }).maxImageBytes).to.equal(65536);
    expect(configError({ ...chain, MAX_IMAGE_BYTES: "lots" })).to.match(/^MAX_IMAGE_BYTES: /);
  });

  it("reads several chains with block tags and confirmation depths from CHAINS or CHAINS_FILE", async function () {
    const chains = [
      { chainId: 10, rpcUrl: "https://optimism.example/rpc", registry: REGISTRY, blockTag: "finalized" },
      { chainId: 31337, rpcUrl: "http://127.0.0.1:8545", registry: REGISTRY, confirmations: 3, name: "local" },
    ];
    const fromJson = loadConfig({ CHAINS: JSON.stringify(chains) });
    expect(fromJson.chains.map((chain) => [chain.chainId, chain.blockTag, chain.confirmations])).to.deep.equal([
      [10, "finalized", 0],
      [31337, "latest", 3],
    ]);
    const dir = await mkdtemp(path.join(tmpdir(), "config-"));
    await writeFile(path.join(dir, "chains.json"), JSON.stringify(chains));
    expect(loadConfig({ CHAINS_FILE: "chains.json" }, dir).chains).to.deep.equal(fromJson.chains);
  });

  it("takes the registry address from an Ignition deployment folder", async function () {
    const dir = await mkdtemp(path.join(tmpdir(), "deployment-"));
    await mkdir(path.join(dir, "chain-31337"));
    await writeFile(path.join(dir, "chain-31337", "deployed_addresses.json"), JSON.stringify({ "CredentialRegistryModule#CredentialRegistry": REGISTRY }));
    const config = loadConfig({ CHAINS: JSON.stringify([{ chainId: 31337, rpcUrl: "http://127.0.0.1:8545", deployment: "chain-31337" }]) }, dir);
    expect(config.chains[0].registry).to.equal(REGISTRY);
    expect(configError({ CHAINS: JSON.stringify([{ chainId: 1, rpcUrl: "http://a.example", deployment: "missing" }]) }, )).to.contain("cannot read");
  });

  it("says what is wrong, and where, with a bad configuration", function () {
    expect(configError({})).to.contain("no chain configured");
    expect(configError({ CHAINS: "[{" })).to.contain("CHAINS is not valid JSON");
    expect(configError({ CHAINS: JSON.stringify([{ chainId: 1, rpcUrl: "ftp://x", registry: REGISTRY }]) })).to.contain("chains.0.rpcUrl");
    expect(configError({ CHAINS: JSON.stringify([{ chainId: 1, rpcUrl: "http://x.example" }]) })).to.contain("needs a registry address");
    expect(configError({ RPC_URL: "http://x.example", REGISTRY_ADDRESS: REGISTRY, PORT: "http" })).to.contain("PORT");
    const twice = JSON.stringify([{ chainId: 1, rpcUrl: "http://a.example", registry: REGISTRY }, { chainId: 1, rpcUrl: "http://b.example", registry: REGISTRY }]);
    expect(configError({ CHAINS: twice })).to.contain("each chain id may appear once");
  });

  it("trusts no proxy unless TRUST_PROXY says which", function () {
    const chain = { RPC_URL: "http://127.0.0.1:8545", REGISTRY_ADDRESS: REGISTRY };
    expect(loadConfig(chain).trustProxy).to.equal(false);
    expect(loadConfig({ ...chain, TRUST_PROXY: "true" }).trustProxy).to.equal(true);
    expect(loadConfig({ ...chain, TRUST_PROXY: "2" }).trustProxy).to.equal(2);
    expect(loadConfig({ ...chain, TRUST_PROXY: "loopback, 10.0.0.0/8" }).trustProxy).to.equal("loopback, 10.0.0.0/8");
    expect(loadConfig({ ...chain, TRUST_PROXY: "false" }).trustProxy).to.equal(false);
  });

  it("reads chains over HTTP(S) only", function () {
    expect(configError({ RPC_URL: "wss://node.example/ws", REGISTRY_ADDRESS: REGISTRY })).to.contain("must be an http:// or https:// URL");
    expect(loadConfig({ RPC_URL: "https://node.example/rpc", REGISTRY_ADDRESS: REGISTRY }).chains[0].rpcUrl).to.equal("https://node.example/rpc");
  });

  it("knows whether a chain is configured at all", function () {
    expect(hasChainConfig({})).to.equal(false);
    expect(hasChainConfig({ RPC_URL: "http://127.0.0.1:8545" })).to.equal(true);
  });
});
