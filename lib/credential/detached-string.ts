/**
 * A copy of a string that keeps nothing else alive, for whatever a cache keeps past the request.
 *
 * V8 keeps a substring of 13 characters or more as a view into the string it was cut from, and a string
 * built with `+` or a template as a pair of its parts. The strict JSON reader (strict-json.ts) cuts a
 * badge's strings from the body's text, so an issuer id, a status list URL or a batch root taken from a
 * badge holds the whole body (up to 256 KB) for as long as it is kept: 500 such 40-character keys measured
 * 134 MB of heap, 3 MB once copied. JSON.stringify writes a new flat string; reading it back copies the
 * characters out of that small one.
 *
 * lib/credential/: pure, no I/O.
 */
export function detachedString(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}
