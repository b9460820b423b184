/**
 * The registry's logs as lib/audit.ts events: decoded with the contract's own interface, stamped with
 * their block's time. (Paging eth_getLogs over long histories belongs to the `audit` command.)
 */
import type { Log, Provider } from "ethers";

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
