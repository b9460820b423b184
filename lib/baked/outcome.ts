/**
 * A value or the plain sentence saying why there is none. Functions that read untrusted input (an image a
 * stranger uploaded, say) return an Outcome instead of throwing, so every caller has to handle the
 * problem and can show it as it is: the sentence is written for the person who supplied the input.
 */
export type Outcome<T> = { ok: true; value: T } | { ok: false; problem: string };

export function success<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

export function failure<T = never>(problem: string): Outcome<T> {
  return { ok: false, problem };
}
