/**
 * Command arguments checked at the edge, each refused with a sentence that names the option and the
 * value given: addresses, reason codes, and times given as an ISO date or a block number.
 */
import { isAddress } from "ethers";

import { reasonCode, UnknownReasonError } from "../../lib/credential/reasons.js";
import { CommandError } from "../command-errors.js";

export function checkedAddress(what: string, value: string): string {
  if (!isAddress(value)) throw new CommandError("invalid-address", addressProblem(what, value, "an address (0x and 40 hex digits)"));
  return value;
}

/**
 * Why `value` is not an address: 40 hex digits in mixed case whose EIP-55 checksum does not match is
 * almost always a typo (one digit changed), not a wrong format, and is said so.
 */
export function addressProblem(what: string, value: string, expected: string): string {
  if (/^0x[0-9a-fA-F]{40}$/.test(value)) {
    return `${what} ${value} has a wrong EIP-55 checksum (its mix of upper- and lower-case letters does not match): check it for a mistyped character (copy it again from where it came from)`;
  }
  return `${what} must be ${expected}, got "${value}"`;
}

export function checkedReason(text: string): number {
  try {
    return reasonCode(text);
  } catch (error) {
    if (error instanceof UnknownReasonError) throw new CommandError("unknown-reason", error.message);
    throw error;
  }
}

/** A point in time as a user gives it: a block number (its block's time is looked up) or an ISO 8601 time. */
export type TimeArgument = { kind: "block"; blockNumber: number } | { kind: "time"; seconds: number };

export function checkedTime(what: string, text: string): TimeArgument {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) {
    const blockNumber = Number(trimmed);
    if (!Number.isSafeInteger(blockNumber)) throw new CommandError("bad-time", `${what} ${text}: no such block number`);
    return { kind: "block", blockNumber };
  }
  // A date without a time zone would be read in the machine's zone: ask for one, as a compromise time
  // that shifts by hours lets forgeries through (or cuts off genuine badges).
  const milliseconds = Date.parse(trimmed);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(trimmed) || Number.isNaN(milliseconds)) {
    throw new CommandError("bad-time", `${what} must be an ISO 8601 time with its zone (such as 2026-03-01T09:30:00Z) or a block number, got "${text}"`);
  }
  return { kind: "time", seconds: Math.floor(milliseconds / 1000) };
}

/** "2026-03-01T09:30:00.000Z" for a unix time in seconds. */
export function isoTime(seconds: bigint | number): string {
  return new Date(Number(seconds) * 1000).toISOString();
}
