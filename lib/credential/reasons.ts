/**
 * Reason codes for revocations, suspensions and issuer status changes. The registry stores none of them;
 * they travel in events (and the issuer record's last reason), as a byte: 0–7 defined here, 8–255 an
 * issuer's own. The names are what the commands accept after `--reason`.
 */
export const REASONS = [
  "unspecified",
  "issued-in-error",
  "superseded",
  "misconduct",
  "key-compromise",
  "holder-request",
  "cessation-of-operation",
  "under-investigation",
] as const;

export type ReasonName = (typeof REASONS)[number];

export const CESSATION_OF_OPERATION = REASONS.indexOf("cessation-of-operation");

export class UnknownReasonError extends Error {
  override readonly name = "UnknownReasonError";
  constructor(text: string) {
    super(`unknown reason "${text}": use one of ${REASONS.join(", ")}, or a number from 0 to 255`);
  }
}

/** The code of a reason given by name (any case, spaces or dashes) or as a number 0–255. */
export function reasonCode(text: string): number {
  const trimmed = text.trim();
  if (/^\d{1,3}$/.test(trimmed) && Number(trimmed) <= 255) return Number(trimmed);
  const code = REASONS.indexOf(trimmed.toLowerCase().replace(/[\s_]+/g, "-") as ReasonName);
  if (code < 0) throw new UnknownReasonError(text);
  return code;
}

/** A reason code's name, or "issuer-defined (N)". */
export function reasonName(code: number): string {
  return REASONS[code] ?? `issuer-defined (${code})`;
}
