/**
 * Strict I-JSON (RFC 7493) parsing of a credential's text (DESIGN §3): what JSON.parse accepts but a
 * credential must not carry is refused with its JSON path and position —
 *  - a duplicate member name (JSON.parse keeps the last; a first-wins reader would show another value
 *    than the one hashed);
 *  - a `__proto__` member (schema libraries drop it, so what they hand back is not what was hashed);
 *  - a string with a lone surrogate, raw or escaped (not Unicode text: RFC 7493 §2.1);
 *  - an integer beyond ±(2^53 − 1) (read as another number: changed digits would hash alike);
 *  - nesting deeper than `maxDepth` (JSON.stringify could not write it back).
 *
 * Written here rather than taken from npm: the maintained safe parsers (secure-json-parse, @hapi/bourne)
 * only strip or refuse `__proto__`/`constructor.prototype`; none refuses duplicate names, lone surrogates
 * and unsafe integers, which I-JSON requires. It is a plain recursive-descent reader over the text,
 * with JSON.parse's grammar (RFC 8259) and nothing more.
 *
 * lib/credential/: pure, no I/O.
 */

export interface StrictJsonProblem {
  /** JSONPath of the offending value or member, such as $.credentialSubject["name"]. */
  path: string;
  /** Offset in the text (UTF-16 code units), and its line and column (1-based). */
  offset: number;
  line: number;
  column: number;
  message: string;
}

export type StrictJsonResult = { ok: true; value: unknown } | { ok: false; problem: StrictJsonProblem };

export const DEFAULT_MAX_JSON_DEPTH = 256;

class Refusal extends Error {
  constructor(
    readonly at: number,
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function childPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** Parses `text` as strict I-JSON; never throws. */
export function parseStrictJson(text: string, options: { maxDepth?: number } = {}): StrictJsonResult {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_JSON_DEPTH;
  let at = 0;

  const fail = (message: string, path: string, where = at): never => {
    throw new Refusal(where, path, message);
  };
  const skipSpace = () => {
    while (at < text.length) {
      const c = text.charCodeAt(at);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) at++;
      else break;
    }
  };
  const describe = (): string => (at >= text.length ? "the end of the text" : `${JSON.stringify(text[at])}`);

  const readString = (path: string): string => {
    const start = at;
    at++; // the opening quote
    let value = "";
    let chunkStart = at;
    for (;;) {
      if (at >= text.length) fail("a string is not closed", path, start);
      const c = text.charCodeAt(at);
      if (c === 0x22) {
        value += text.slice(chunkStart, at);
        at++;
        break;
      }
      if (c < 0x20) fail("a string holds a control character; escape it", path);
      if (c === 0x5c) {
        value += text.slice(chunkStart, at);
        const escape = text[at + 1];
        const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (escape !== undefined && escape in simple) {
          value += simple[escape];
          at += 2;
        } else if (escape === "u") {
          const hex = text.slice(at + 2, at + 6);
          if (!/^[0-9A-Fa-f]{4}$/.test(hex)) fail("a \\u escape needs four hex digits", path);
          value += String.fromCharCode(parseInt(hex, 16));
          at += 6;
        } else {
          fail(`\\${escape ?? ""} is not a JSON escape`, path);
        }
        chunkStart = at;
        continue;
      }
      at++;
    }
    // Lone surrogates, whether written raw or escaped: after unescaping, every high surrogate must be
    // followed by a low one and every low one preceded by a high one.
    for (let index = 0; index < value.length; index++) {
      const unit = value.charCodeAt(index);
      if (unit >= 0xd800 && unit <= 0xdbff) {
        const next = value.charCodeAt(index + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          index++;
          continue;
        }
        fail("a string holds a lone surrogate (not Unicode text, RFC 7493 §2.1)", path, start);
      }
      if (unit >= 0xdc00 && unit <= 0xdfff) fail("a string holds a lone surrogate (not Unicode text, RFC 7493 §2.1)", path, start);
    }
    return value;
  };

  const readNumber = (path: string): number => {
    const match = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at, at + 400));
    if (match === null) fail(`unexpected ${describe()}`, path);
    const token = match![0];
    const value = Number(token);
    if (!Number.isFinite(value)) fail(`the number ${token.slice(0, 40)} is beyond what JSON numbers can hold`, path);
    // An integer literal (no fraction, no exponent) beyond the safe range reads as a neighbouring number.
    if (match![1] === undefined && match![2] === undefined && !Number.isSafeInteger(value)) {
      fail(`the integer ${token.slice(0, 40)} is beyond ±(2^53 − 1): it would be read as another number (RFC 7493 §2.2); write it as a string`, path);
    }
    at += token.length;
    return value;
  };

  const readLiteral = (word: string, value: unknown, path: string): unknown => {
    if (text.startsWith(word, at)) {
      at += word.length;
      return value;
    }
    return fail(`unexpected ${describe()}`, path);
  };

  const readValue = (path: string, depth: number): unknown => {
    skipSpace();
    const c = text[at];
    if (c === "{" || c === "[") {
      if (depth >= maxDepth) fail(`nested more than ${maxDepth} levels deep`, path);
      return c === "{" ? readObject(path, depth + 1) : readArray(path, depth + 1);
    }
    if (c === '"') return readString(path);
    if (c === "t") return readLiteral("true", true, path);
    if (c === "f") return readLiteral("false", false, path);
    if (c === "n") return readLiteral("null", null, path);
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return readNumber(path);
    return fail(`unexpected ${describe()}; a value was expected`, path);
  };

  const readObject = (path: string, depth: number): Record<string, unknown> => {
    at++; // {
    const object: Record<string, unknown> = {};
    const seen = new Set<string>();
    skipSpace();
    if (text[at] === "}") {
      at++;
      return object;
    }
    for (;;) {
      skipSpace();
      if (text[at] !== '"') fail(`unexpected ${describe()}; a member name in double quotes was expected`, path);
      const nameAt = at;
      const name = readString(path);
      const memberPath = childPath(path, name);
      if (name === "__proto__") fail('a member is named "__proto__", which JavaScript readers drop or misread', memberPath, nameAt);
      if (seen.has(name)) fail(`the member name ${JSON.stringify(name)} appears twice in one object (RFC 7493 §2.3)`, memberPath, nameAt);
      seen.add(name);
      skipSpace();
      if (text[at] !== ":") fail(`unexpected ${describe()}; ":" was expected`, memberPath);
      at++;
      object[name] = readValue(memberPath, depth);
      skipSpace();
      if (text[at] === ",") {
        at++;
        continue;
      }
      if (text[at] === "}") {
        at++;
        return object;
      }
      fail(`unexpected ${describe()}; "," or "}" was expected`, path);
    }
  };

  const readArray = (path: string, depth: number): unknown[] => {
    at++; // [
    const array: unknown[] = [];
    skipSpace();
    if (text[at] === "]") {
      at++;
      return array;
    }
    for (;;) {
      array.push(readValue(childPath(path, array.length), depth));
      skipSpace();
      if (text[at] === ",") {
        at++;
        continue;
      }
      if (text[at] === "]") {
        at++;
        return array;
      }
      fail(`unexpected ${describe()}; "," or "]" was expected`, path);
    }
  };

  try {
    // A byte order mark is not JSON text (RFC 8259 §8.1 lets a parser ignore it; I-JSON text has none).
    const value = readValue("$", 0);
    skipSpace();
    if (at < text.length) fail(`unexpected ${describe()} after the JSON value`, "$");
    return { ok: true, value };
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    const before = text.slice(0, error.at);
    const line = before.split("\n").length;
    const column = error.at - before.lastIndexOf("\n");
    return { ok: false, problem: { path: error.path, offset: error.at, line, column, message: error.message } };
  }
}

/** The problem as one sentence: "<path> (line L, column C): <message>". */
export function describeStrictJsonProblem(problem: StrictJsonProblem): string {
  return `${problem.path} (line ${problem.line}, column ${problem.column}): ${problem.message}`;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Parses bytes as strict I-JSON: they must be UTF-8 (RFC 7493 §2.1). A decoder that swaps bad bytes for
 * U+FFFD, as Buffer#toString does, would hash a document that was never sent. A byte order mark is kept
 * and so refused as the first character: I-JSON texts carry none (RFC 8259 §8.1).
 */
export function parseStrictJsonBytes(bytes: Uint8Array, options: { maxDepth?: number } = {}): StrictJsonResult {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    return { ok: false, problem: { path: "$", offset, line: 1, column: 1, message: `is not UTF-8: byte ${offset} (0x${bytes[offset]?.toString(16).padStart(2, "0")}) does not start or continue a character` } };
  }
  if (text.charCodeAt(0) === 0xfeff) {
    return { ok: false, problem: { path: "$", offset: 0, line: 1, column: 1, message: "starts with a byte order mark, which I-JSON does not allow: send the JSON without it" } };
  }
  return parseStrictJson(text, options);
}

/** The offset of the first byte that is not part of a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let low = 0;
  let high = bytes.length;
  // The longest valid prefix, by bisection over whole-prefix decodes (only on the error path).
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, middle), { stream: true });
      low = middle;
    } catch {
      high = middle - 1;
    }
  }
  return Math.min(low, bytes.length - 1);
}
