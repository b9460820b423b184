/**
 * The anchor command's journal held against the chain. A journal says what an earlier run did; only the
 * registry says what is anchored. A node reset (a local chain restarted), a reorg or a dropped transaction
 * leaves a journal that says "anchored" for a batch the chain does not have — trusting it printed "Nothing
 * to do" and left every badge `unknown-anchor`. So every re-run asks the registry first, and the journal is
 * corrected to what the chain says before anything is skipped.
 */
import type { Hex } from "../../lib/credential/canonical.js";
import { explainFailure } from "../cli/contract-errors.js";
import type { RegistryContext } from "../cli/registry-context.js";
import type { AnchorJournal } from "./journal.js";

const NO_KEY = "0x0000000000000000000000000000000000000000";

/** What a re-run found when it held its journal against the chain. */
export interface JournalCheck {
  /**
   * agrees: the chain has the anchor the journal records (or the journal records none yet);
   * missing-on-chain: the journal says anchored, the registry has no such anchor — sent again;
   * transaction-unknown: the journal records a sent transaction the node does not know — sent again;
   * other-record: the chain has the anchor, from another transaction than the journal's — the chain's is used.
   */
  finding: "agrees" | "missing-on-chain" | "transaction-unknown" | "other-record";
  /** The transaction the journal recorded, if any. */
  journalTransactionHash: string | null;
  /** One sentence for the user (null when the journal and the chain agree). */
  message: string | null;
}

/** The chain's record of an anchor: who anchored it, in which transaction and block, when. */
export interface ChainAnchor {
  actingKey: string;
  transactionHash: string;
  blockNumber: number;
  anchoredAt: string;
}

/**
 * The registry's anchor of (issuerId, root), or null when this issuer has not anchored it. Its event is
 * looked for in `likelyBlock` first (the journal's): a re-run of a finished batch then reads one block, not
 * the chain's whole history, which public RPC endpoints often refuse.
 */
export async function chainAnchor(context: RegistryContext, issuerId: Hex, root: Hex, likelyBlock?: number): Promise<ChainAnchor | null> {
  const anchor = await context.registry.getAnchor(issuerId, root);
  if (anchor.actingKey === NO_KEY) return null;
  const filter = context.registry.filters.Anchored(issuerId, root);
  // A block beyond the head (the chain was reset since) may be refused: then the whole history is searched.
  const inLikelyBlock = likelyBlock === undefined ? [] : await context.registry.queryFilter(filter, likelyBlock, likelyBlock).catch(() => []);
  const [event] = inLikelyBlock.length > 0 ? inLikelyBlock : await context.registry.queryFilter(filter);
  if (event === undefined) throw new Error(`the registry holds batch ${root} of issuer ${issuerId} but the node returned no Anchored event for it`);
  const block = await context.connection.ethers.provider.getBlock(event.blockNumber);
  if (block === null) throw new Error(`the node does not know block ${event.blockNumber}, which anchored batch ${root}`);
  return {
    actingKey: anchor.actingKey,
    transactionHash: event.transactionHash,
    blockNumber: event.blockNumber,
    anchoredAt: new Date(Number(block.timestamp) * 1000).toISOString(),
  };
}

/**
 * The journal as the chain has it. A journal past "sent" whose anchor the registry lacks goes back to
 * "prepared" (its transaction facts dropped), so the run sends the anchor again — safe, as the registry
 * refuses a second anchor of one root for one issuer. An anchor the chain records from another
 * transaction replaces the journal's facts, and the files are written again to name it.
 */
export async function journalAsOnChain(context: RegistryContext, journal: AnchorJournal): Promise<{ journal: AnchorJournal; check: JournalCheck }> {
  const recorded = journal.transactionHash ?? null;
  if (journal.state !== "anchored" && journal.state !== "done") {
    return { journal, check: { finding: "agrees", journalTransactionHash: recorded, message: null } };
  }
  let onChain: ChainAnchor | null;
  try {
    onChain = await chainAnchor(context, journal.issuerId as Hex, journal.root as Hex, journal.blockNumber);
  } catch (error) {
    explainFailure(error, context.networkName);
  }
  if (onChain === null) {
    const { transactionHash: _hash, blockNumber: _block, anchoredAt: _at, ...rest } = journal;
    return {
      journal: { ...rest, state: "prepared" },
      check: {
        finding: "missing-on-chain",
        journalTransactionHash: recorded,
        message:
          `the journal records batch ${journal.root} as anchored in tx ${recorded ?? "(none recorded)"}, but chain ${context.chainId} registry ` +
          `${context.registryAddress} has no such anchor (the node was reset or the transaction was dropped): sending it again`,
      },
    };
  }
  if (recorded !== null && onChain.transactionHash.toLowerCase() === recorded.toLowerCase() && onChain.blockNumber === journal.blockNumber) {
    return { journal, check: { finding: "agrees", journalTransactionHash: recorded, message: null } };
  }
  return {
    journal: { ...journal, state: "anchored", ...factsOf(onChain) },
    check: {
      finding: "other-record",
      journalTransactionHash: recorded,
      message:
        `the journal records batch ${journal.root} as anchored in tx ${recorded ?? "(none recorded)"}, but chain ${context.chainId} registry ` +
        `${context.registryAddress} records it as anchored in tx ${onChain.transactionHash} (block ${onChain.blockNumber}) by ${onChain.actingKey}: ` +
        `the badges and the manifest are written again with the chain's record`,
    },
  };
}

/** The message for a journalled transaction the node does not know (neither mined nor pending). */
export function unknownTransactionCheck(context: RegistryContext, journal: AnchorJournal): JournalCheck {
  return {
    finding: "transaction-unknown",
    journalTransactionHash: journal.transactionHash ?? null,
    message:
      `the journal records tx ${journal.transactionHash} as sent for batch ${journal.root}, but the node of chain ${context.chainId} knows no such ` +
      `transaction, mined or pending (the node was reset or the transaction was dropped): sending it again`,
  };
}

export function factsOf(anchor: ChainAnchor): Pick<AnchorJournal, "transactionHash" | "blockNumber" | "anchoredAt"> {
  return { transactionHash: anchor.transactionHash, blockNumber: anchor.blockNumber, anchoredAt: anchor.anchoredAt };
}
