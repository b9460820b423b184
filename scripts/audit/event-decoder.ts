/**
 * Decodes a contract's logs by topic0, from a map of its event fragments made once.
 *
 * Why by hand for the common case: ethers' `Interface.parseLog` costs 150–230 µs a log here (it looks the
 * event up, then its ABI coder checksums every address with a fresh keccak), viem's `decodeEventLog` 15 µs
 * (it hashes every event signature of the ABI it is given on each call); an audit reads 100,000s of logs.
 * An event whose fields are all one-word static types (addresses, uintN, bool, bytes32, enums) is a plain
 * row of 32-byte words, read here in ~2 µs with each distinct address checksummed once. Anything else — a
 * string or array field, a malformed log, a dirty address word — goes to ethers, whose answer or error
 * stands.
 */
import { getAddress, type EventFragment, type Interface, type ParamType } from "ethers";

export interface DecodedLog {
  name: string;
  args: Record<string, unknown>;
}

type WordReader = (word: string) => unknown;

export function eventDecoder(contractInterface: Interface): (log: { topics: readonly string[]; data: string }) => DecodedLog | null {
  const byTopic = new Map<string, (topics: readonly string[], data: string) => DecodedLog>();
  const checksummed = new Map<string, string>();
  const address = (hex40: string) => {
    let value = checksummed.get(hex40);
    if (value === undefined) checksummed.set(hex40, (value = getAddress(`0x${hex40}`)));
    return value;
  };
  contractInterface.forEachEvent((fragment) => {
    if (!fragment.anonymous) byTopic.set(fragment.topicHash, decoderFor(contractInterface, fragment, address));
  });
  return (log) => {
    const decode = byTopic.get(log.topics[0]?.toLowerCase());
    return decode ? decode(log.topics, log.data) : null;
  };
}

function decoderFor(contractInterface: Interface, fragment: EventFragment, address: (hex40: string) => string) {
  const name = fragment.name;
  const byEthers = (topics: readonly string[], data: string): DecodedLog => {
    const result = contractInterface.decodeEventLog(fragment, data, topics);
    return { name, args: Object.fromEntries(fragment.inputs.map((input, position) => [input.name, result[position]])) };
  };
  const readers = fragment.inputs.map((input) => wordReader(input, address));
  if (readers.some((reader) => reader === null)) return byEthers;

  // Where each field is: topic n (indexed) or data word n.
  const places: Array<{ name: string; indexed: boolean; at: number; read: WordReader }> = [];
  let topic = 1;
  let word = 0;
  fragment.inputs.forEach((input, position) => {
    places.push({ name: input.name, indexed: input.indexed === true, at: input.indexed ? topic++ : word++, read: readers[position]! });
  });
  const topicCount = topic;
  const dataLength = 2 + 64 * word;
  return (topics: readonly string[], data: string): DecodedLog => {
    if (topics.length !== topicCount || data.length !== dataLength) return byEthers(topics, data);
    const args: Record<string, unknown> = {};
    for (const place of places) {
      const hex = place.indexed ? topics[place.at].slice(2) : data.slice(2 + 64 * place.at, 66 + 64 * place.at);
      const value = place.read(hex.toLowerCase());
      if (value === undefined) return byEthers(topics, data);
      args[place.name] = value;
    }
    return { name, args };
  };
}

/** Reads one 64-hex-digit word as ethers would decode the type; undefined where ethers would object. */
function wordReader(input: ParamType, address: (hex40: string) => string): WordReader | null {
  const type = input.type;
  if (type === "address") return (word) => (word.startsWith("000000000000000000000000") ? address(word.slice(24)) : undefined);
  if (type === "bool") return (word) => BigInt(`0x${word}`) !== 0n;
  if (type === "bytes32") return (word) => `0x${word}`;
  const unsigned = /^uint(\d+)$/.exec(type);
  if (unsigned) {
    const bits = Number(unsigned[1]);
    return (word) => BigInt.asUintN(bits, BigInt(`0x${word}`));
  }
  return null;
}
