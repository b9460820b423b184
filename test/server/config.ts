import { mkdtemp, mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { ConfigError, hasChainConfig, loadConfig } from "../../server/config.js";

const REGISTRY = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const OTHER_REGISTRY = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";

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
      { chainId: 31337, name: "chain 31337", rpcUrl: "http://127.0.0.1:8545", rpcUrls: ["http://127.0.0.1:8545"], registry: REGISTRY, blockTag: "latest", confirmations: 0, maxHeadAgeSeconds: 0 },
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

  describe("the signature check's documents", function () {
    const chain = { RPC_URL: "http://127.0.0.1:8545", REGISTRY_ADDRESS: REGISTRY };

    it("fetches nothing over plain http, pins nothing and allows no context by default", function () {
      const { documents } = loadConfig(chain);
      expect(documents).to.deep.include({ timeoutMs: 3000, maxBytes: 65536, ttlSeconds: 300, failureTtlSeconds: 30, maxEntries: 1000, allowLoopbackHttp: false, contextAllowList: [] });
      expect(documents.pinned.size).to.equal(0);
      const set = loadConfig({ ...chain, DID_FETCH_TIMEOUT_MS: "500", DID_ALLOW_LOOPBACK_HTTP: "true", CONTEXT_ALLOW_LIST: "https://a.example/ctx.json, https://b.example/" }).documents;
      expect(set).to.deep.include({ timeoutMs: 500, allowLoopbackHttp: true, contextAllowList: ["https://a.example/ctx.json", "https://b.example/"] });
      expect(configError({ ...chain, CONTEXT_ALLOW_LIST: "not a url" })).to.match(/^CONTEXT_ALLOW_LIST/);
    });

    it("fetches status lists with limits of their own (defaults, each settable, nonsense refused)", function () {
      expect(loadConfig(chain).documents.statusLists).to.deep.equal({ timeoutMs: 3000, maxBytes: 262144, ttlSeconds: 300, failureTtlSeconds: 30, maxEntries: 256 });
      const set = loadConfig({
        ...chain,
        STATUS_LIST_FETCH_TIMEOUT_MS: "700",
        STATUS_LIST_MAX_BYTES: "1024",
        STATUS_LIST_CACHE_TTL_SECONDS: "60",
        STATUS_LIST_FAILURE_CACHE_TTL_SECONDS: "5",
        STATUS_LIST_CACHE_ENTRIES: "10",
      }).documents.statusLists;
      expect(set).to.deep.equal({ timeoutMs: 700, maxBytes: 1024, ttlSeconds: 60, failureTtlSeconds: 5, maxEntries: 10 });
      expect(configError({ ...chain, STATUS_LIST_MAX_BYTES: "lots" })).to.match(/^STATUS_LIST_MAX_BYTES/);
    });

    it("pins DID documents from a folder (each under its id) or a file mapping ids to documents", async function () {
      const dir = await mkdtemp(path.join(tmpdir(), "pinned-"));
      await mkdir(path.join(dir, "dids"));
      await writeFile(path.join(dir, "dids", "uni.json"), JSON.stringify({ id: "did:web:uni.example" }));
      expect([...loadConfig({ ...chain, PINNED_DID_DOCUMENTS: "dids" }, dir).documents.pinned.keys()]).to.deep.equal(["did:web:uni.example"]);
      await writeFile(path.join(dir, "map.json"), JSON.stringify({ "https://uni.example/issuer": { id: "https://uni.example/issuer" } }));
      expect([...loadConfig({ ...chain, PINNED_DID_DOCUMENTS: "map.json" }, dir).documents.pinned.keys()]).to.deep.equal(["https://uni.example/issuer"]);
    });

    it("refuses a document pinned under an id not its own", async function () {
      const dir = await mkdtemp(path.join(tmpdir(), "pinned-"));
      await writeFile(path.join(dir, "map.json"), JSON.stringify({ "did:web:uni.example": { id: "did:web:attacker.example" } }));
      expect(configError({ ...chain, PINNED_DID_DOCUMENTS: path.join(dir, "map.json") })).to.contain('is the document of "did:web:attacker.example", not did:web:uni.example');
      expect(configError({ ...chain, PINNED_DID_DOCUMENTS: path.join(dir, "missing") })).to.contain("cannot read");
    });
  });

  describe("the trust policy", function () {
    const chains = JSON.stringify([
      { chainId: 10, rpcUrl: "https://optimism.example/rpc", registry: REGISTRY },
      { chainId: 31337, rpcUrl: "http://127.0.0.1:8545", registry: OTHER_REGISTRY },
    ]);
    const policy = (value: unknown) => ({ CHAINS: chains, TRUST_POLICY: JSON.stringify(value) });

    it("trusts each registry for its own issuers when none is set", function () {
      expect(loadConfig({ CHAINS: chains }).trustPolicy).to.deep.equal({ entries: [], otherIssuers: "own-registry" });
    });

    it("reads issuers pinned to registries from TRUST_POLICY or TRUST_POLICY_FILE", async function () {
      const value = {
        issuers: [
          { prefix: "did:web:northfield.example", registries: [{ chainId: 10, registry: REGISTRY.toLowerCase() }] },
          { id: "https://employer.example/issuer", registries: [{ chainId: 31337, registry: OTHER_REGISTRY }] },
        ],
        otherIssuers: "none",
      };
      const expected = {
        entries: [
          { issuer: { prefix: "did:web:northfield.example" }, registries: [{ chainId: 10, registry: REGISTRY.toLowerCase() }] },
          { issuer: { id: "https://employer.example/issuer" }, registries: [{ chainId: 31337, registry: OTHER_REGISTRY }] },
        ],
        otherIssuers: "none",
      };
      expect(loadConfig(policy(value)).trustPolicy).to.deep.equal(expected);
      const dir = await mkdtemp(path.join(tmpdir(), "trust-"));
      await writeFile(path.join(dir, "trust.json"), JSON.stringify(value));
      expect(loadConfig({ CHAINS: chains, TRUST_POLICY_FILE: "trust.json" }, dir).trustPolicy).to.deep.equal(expected);
    });

    it("refuses a policy that names a registry not configured, or a pattern that could match more than it says", function () {
      const onTen = [{ chainId: 10, registry: REGISTRY }];
      expect(configError(policy({ issuers: [{ id: "did:web:northfield.example", registries: [{ chainId: 10, registry: OTHER_REGISTRY }] }] }))).to.contain(
        `TRUST_POLICY.issuers.0: registry ${OTHER_REGISTRY} on chain 10 is not one of the configured chains' registries`,
      );
      expect(configError(policy({ issuers: [{ prefix: "https://northfield.example/", registries: onTen }] }))).to.match(/^TRUST_POLICY\.issuers\.0: .*canonical/);
      expect(configError(policy({ issuers: [{ prefix: "northfield", registries: onTen }] }))).to.match(/^TRUST_POLICY\.issuers\.0: /);
      expect(configError(policy({ issuers: [{ id: "did:web:a.example", prefix: "did:web:a.example", registries: onTen }] }))).to.contain("exactly one");
      expect(configError(policy({ issuers: [{ id: "did:web:a.example", registries: [] }] }))).to.contain("at least one registry");
      expect(configError(policy({ issuers: [{ id: "did:web:a.example", registries: onTen }, { id: "did:web:a.example", registries: onTen }] }))).to.contain("listed twice");
      expect(configError(policy({ issuers: [], otherIssuers: "all" }))).to.match(/^TRUST_POLICY\.otherIssuers: /);
      expect(configError(policy({ issuer: [] }))).to.match(/^TRUST_POLICY: /);
      expect(configError({ CHAINS: chains, TRUST_POLICY: "{" })).to.contain("TRUST_POLICY is not valid JSON");
      expect(configError({ CHAINS: chains, TRUST_POLICY: "{}", TRUST_POLICY_FILE: "trust.json" })).to.contain("not both");
    });
  });

  describe("HTTP limits", function () {
    const chain = { RPC_URL: "http://127.0.0.1:8545", REGISTRY_ADDRESS: REGISTRY };

    it("bounds headers to 10 s, requests to 30 s and connections to 1000 unless set", function () {
      expect(loadConfig(chain).http).to.deep.equal({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, maxConnections: 1000, maxHeaderBytes: 16384 });
      const set = loadConfig({ ...chain, HEADERS_TIMEOUT_MS: "2000", REQUEST_TIMEOUT_MS: "5000", MAX_CONNECTIONS: "50", MAX_HEADER_BYTES: "8192" }).http;
      expect(set).to.deep.equal({ headersTimeoutMs: 2000, requestTimeoutMs: 5000, maxConnections: 50, maxHeaderBytes: 8192 });
    });

    it("refuses limits that would turn a limit off or that Node refuses", function () {
      expect(configError({ ...chain, REQUEST_TIMEOUT_MS: "0" })).to.match(/^REQUEST_TIMEOUT_MS: /);
      expect(configError({ ...chain, MAX_CONNECTIONS: "0" })).to.match(/^MAX_CONNECTIONS: /);
      expect(configError({ ...chain, MAX_HEADER_BYTES: "10" })).to.match(/^MAX_HEADER_BYTES: /);
      expect(configError({ ...chain, HEADERS_TIMEOUT_MS: "20000", REQUEST_TIMEOUT_MS: "10000" })).to.contain("HEADERS_TIMEOUT_MS must not be longer than REQUEST_TIMEOUT_MS");
    });
  });
});
