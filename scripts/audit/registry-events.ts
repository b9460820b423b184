/**
 * The registry's logs as lib/audit.ts events: decoded with the contract's own interface, stamped with
 * their block's time. (Paging eth_getLogs over long histories belongs to the `audit` command.)
 */
import type { Interface, Log, Provider, Result } from "ethers";

import type { RegistryEvent, RegistryViews } from "../../lib/audit.js";
import type { Hex } from "../../lib/canonical.js";
import { ISSUER_STATUS_NAMES } from "../../lib/verify.js";
import type { CredentialRegistry } from "../../types/ethers-contracts/index.js";

/** Decodes the registry's logs; logs of other contracts or events (roles) are left out. */
export async function decodeRegistryLogs(registry: CredentialRegistry, provider: Provider, logs: readonly Log[]): Promise<RegistryEvent[]> {
  const times = new Map<number, number>();
  for (const blockNumber of new Set(logs.map((log) => log.blockNumber))) {
    times.set(blockNumber, (await provider.getBlock(blockNumber))!.timestamp);
  }
  const events: RegistryEvent[] = [];
  for (const log of logs) {
    const parsed = registry.interface.parseLog(log);
    if (!parsed) continue;
    const base = { blockNumber: log.blockNumber, logIndex: log.index, transactionHash: log.transactionHash, timestamp: times.get(log.blockNumber)! };
    const a = parsed.args;
    switch (parsed.name) {
      case "IssuerRegistered":
        events.push({ ...base, kind: parsed.name, issuer: a.issuer, profileIdHash: a.profileIdHash, profileId: a.profileId, accreditor: a.accreditor });
        break;
      case "IssuerStatusChanged":
        events.push({ ...base, kind: parsed.name, issuer: a.issuer, previousStatus: Number(a.previousStatus), newStatus: Number(a.newStatus), reason: Number(a.reason), accreditor: a.accreditor });
        break;
      case "OperatorAuthorized":
      case "OperatorRemoved":
        events.push({ ...base, kind: parsed.name, issuer: a.issuer, operator: a.operator });
        break;
      case "Anchored":
        events.push({ ...base, kind: parsed.name, root: a.root, issuer: a.issuer, actor: a.actor, count: Number(a.count) });
        break;
      case "CredentialsRevoked":
      case "CredentialsSuspended":
      case "CredentialsUnsuspended":
        events.push({ ...base, kind: parsed.name, root: a.root, actor: a.actor, wordIndex: a.wordIndex, mask: a.mask, reason: Number(a.reason) });
        break;
      case "BatchRevoked":
        events.push({ ...base, kind: parsed.name, root: a.root, actor: a.actor, reason: Number(a.reason) });
        break;
      case "NonceUsed":
        events.push({ ...base, kind: parsed.name, signer: a.signer, nonce: a.nonce });
        break;
    }
  }
  return events;
}

/** All the registry's events between two blocks, in one query (short histories; the command pages). */
export async function readRegistryEvents(registry: CredentialRegistry, provider: Provider, fromBlock = 0, toBlock: number | "latest" = "latest") {
  const logs = await provider.getLogs({ address: await registry.getAddress(), fromBlock, toBlock });
  return decodeRegistryLogs(registry, provider, logs);
}

/** The contract's views for lib/audit.ts's cross-check, over ethers. */
export function ethersRegistryViews(registry: CredentialRegistry): RegistryViews {
  return {
    async getAnchor(root: Hex) {
      const anchor = await registry.getAnchor(root);
      return { issuer: anchor.issuer, anchoredAt: Number(anchor.anchoredAt), count: Number(anchor.count), batchRevoked: anchor.batchRevoked };
    },
    async getIssuer(issuer: string) {
      const record = await registry.getIssuer(issuer);
      return { status: ISSUER_STATUS_NAMES[Number(record.status)], profileIdHash: record.profileIdHash };
    },
    issuerOfOperator: (operator) => registry.issuerOfOperator(operator),
    revocationWord: (root, wordIndex) => registry.revocationWord(root, wordIndex),
    suspensionWord: (root, wordIndex) => registry.suspensionWord(root, wordIndex),
    nonces: (account) => registry.nonces(account),
  };
}

/**
 * The same views, with every call made in one tick gathered into the registry's own `multicall` (one
 * eth_call per 500 views): the cross-check of 100,000 anchors then costs a few hundred round trips, not
 * 100,000.
 */
export function batchedRegistryViews(registry: CredentialRegistry, maxBatch = 500): RegistryViews {
  const registryInterface: Interface = registry.interface;
  let queue: Array<{ name: string; data: string; resolve: (result: Result) => void; reject: (error: unknown) => void }> = [];
  const flush = async () => {
    const pending = queue;
    queue = [];
    for (let start = 0; start < pending.length; start += maxBatch) {
      const chunk = pending.slice(start, start + maxBatch);
      try {
        const results = await registry.multicall.staticCall(chunk.map((call) => call.data));
        results.forEach((result, position) => chunk[position].resolve(registryInterface.decodeFunctionResult(chunk[position].name, result)));
      } catch (error) {
        for (const call of chunk) call.reject(error);
      }
    }
  };
  const call = (name: string, args: unknown[]) =>
    new Promise<Result>((resolve, reject) => {
      if (queue.length === 0) setImmediate(() => void flush());
      queue.push({ name, data: registryInterface.encodeFunctionData(name, args), resolve, reject });
    });
  return {
    async getAnchor(root: Hex) {
      const [anchor] = await call("getAnchor", [root]);
      return { issuer: anchor.issuer, anchoredAt: Number(anchor.anchoredAt), count: Number(anchor.count), batchRevoked: anchor.batchRevoked };
    },
    async getIssuer(issuer: string) {
      const [record] = await call("getIssuer", [issuer]);
      return { status: ISSUER_STATUS_NAMES[Number(record.status)], profileIdHash: record.profileIdHash };
    },
    issuerOfOperator: async (operator) => (await call("issuerOfOperator", [operator]))[0] as string,
    revocationWord: async (root, wordIndex) => (await call("revocationWord", [root, wordIndex]))[0] as bigint,
    suspensionWord: async (root, wordIndex) => (await call("suspensionWord", [root, wordIndex]))[0] as bigint,
    nonces: async (account) => (await call("nonces", [account]))[0] as bigint,
  };
}
