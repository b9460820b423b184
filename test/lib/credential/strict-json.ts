/**
 * Strict I-JSON (RFC 7493): what JSON.parse accepts but a credential must not carry is refused with its
 * path and position, and every valid document reads exactly as JSON.parse reads it.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";

import { describeStrictJsonProblem, parseStrictJson, parseStrictJsonBytes } from "../../../lib/credential/strict-json.js";
import { EXAMPLES_DIR } from "../../helpers/badges.js";
import { VECTORS } from "../signature/fixtures.js";

// The shared fixtures, found as the signature tests find them (beside the project, or /work/shared).
const FIXTURES = path.dirname(VECTORS!);

function refusal(text: string, maxDepth?: number) {
  const result = parseStrictJson(text, { maxDepth });
  expect(result.ok, text.slice(0, 80)).to.equal(false);
  if (result.ok) throw new Error("accepted");
  return result.problem;
}

describe("lib/credential/strict-json", function () {
  it("reads every example badge and the W3C and RFC 8785 fixtures exactly as JSON.parse does", async function () {
    const files = [
      ...(await readdir(EXAMPLES_DIR)).filter((name) => name.endsWith(".json")).map((name) => path.join(EXAMPLES_DIR, name)),
      ...(await readdir(path.join(FIXTURES, "vc-di-eddsa"))).filter((name) => /\.json(ld)?$/.test(name)).map((name) => path.join(FIXTURES, "vc-di-eddsa", name)),
      ...(await readdir(path.join(FIXTURES, "jcs", "input"))).map((name) => path.join(FIXTURES, "jcs", "input", name)),
    ];
    expect(files.length).to.be.greaterThan(10);
    for (const file of files) {
      const text = await readFile(file, "utf8");
      const result = parseStrictJson(text);
      if (!result.ok && /lone surrogate|2\^53/.test(result.problem.message)) continue; // the JCS vectors test these on purpose
      expect(result, file).to.deep.equal({ ok: true, value: JSON.parse(text) });
    }
  });

  it("reads JSON's whole grammar: escapes, surrogate pairs, numbers, literals, nesting, white space", function () {
    const text = ' { "a" : [ 1, -0, 0.5, 1e3, -2.5E-3, true, false, null, "\\u00e9\\ud83d\\ude00\\n\\"\\\\\\/" ], "b": {}, "c": [], "😀": "é" } ';
    expect(parseStrictJson(text)).to.deep.equal({ ok: true, value: JSON.parse(text) });
    expect(parseStrictJson(String(2 ** 53 - 1))).to.deep.equal({ ok: true, value: 2 ** 53 - 1 });
    expect(parseStrictJson("1.5e300")).to.deep.equal({ ok: true, value: 1.5e300 });
  });

  it("refuses a duplicate member name, naming its path and line — JSON.parse would keep the last", function () {
    const text = '{\n  "issuer": {\n    "name": "Fake",\n    "name": "Northfield University"\n  }\n}';
    expect(JSON.parse(text).issuer.name).to.equal("Northfield University");
    const problem = refusal(text);
    expect(problem).to.include({ path: "$.issuer.name", line: 4, column: 5 });
    expect(describeStrictJsonProblem(problem)).to.match(/^\$\.issuer\.name \(line 4, column 5\): the member name "name" appears twice/);
  });

  it('refuses a "__proto__" member at any depth (schema libraries drop it)', function () {
    expect(refusal('{"__proto__": {"x": 1}}').path).to.equal("$.__proto__");
    expect(refusal('{"a": [{"b": {"__proto__": 1}}]}').path).to.equal("$.a[0].b.__proto__");
    expect(refusal('{"a": {"\\u005f_proto__": 1}}').message).to.match(/__proto__/);
  });

  it("refuses a lone surrogate, escaped or raw, and accepts a pair", function () {
    expect(refusal('{"name": "\\ud800"}').path).to.equal("$.name");
    expect(refusal('{"name": "x\\udc00"}').message).to.match(/lone surrogate/);
    expect(refusal(`{"name": "${String.fromCharCode(0xd83d)}"}`).message).to.match(/lone surrogate/);
    expect(refusal('{"\\ud800": 1}').message).to.match(/lone surrogate/);
  });

  it("refuses an integer beyond ±(2^53 − 1), which would read as another number", function () {
    expect(JSON.parse("9007199254740993")).to.equal(9007199254740992);
    expect(refusal('{"creditsEarned": 9007199254740993}')).to.include({ path: "$.creditsEarned" });
    expect(refusal("[-9007199254740993]").message).to.match(/2\^53/);
    expect(refusal("1e400").message).to.match(/beyond what JSON numbers can hold/);
  });

  it("refuses nesting beyond the limit, and what is not JSON, with a position", function () {
    expect(refusal("[".repeat(11) + "]".repeat(11), 10).message).to.match(/nested more than 10 levels/);
    expect(parseStrictJson("[".repeat(10) + "]".repeat(10), { maxDepth: 10 }).ok).to.equal(true);
    for (const bad of ["", "{", '{"a" 1}', "[1,]", "{'a': 1}", '{"a": 01}', "NaN", '"\u0001"', '"\\x"', "{} {}", "\ufeff{}"]) {
      expect(parseStrictJson(bad).ok, JSON.stringify(bad)).to.equal(false);
      let native = true;
      try {
        JSON.parse(bad);
      } catch {
        native = false;
      }
      // Everything refused here that JSON.parse takes is one of the I-JSON rules above; these it refuses too.
      if (bad !== "\ufeff{}") expect(native, JSON.stringify(bad)).to.equal(false);
    }
    expect(refusal('{\n  "a": [1, 2,, 3]\n}')).to.include({ line: 2, column: 14, path: "$.a[2]" });
  });

  it("reads bytes only as UTF-8: a malformed or truncated sequence and a byte order mark are refused, not replaced", function () {
    const utf8 = (text: string) => new TextEncoder().encode(text);
    expect(parseStrictJsonBytes(utf8('{"name":"Zoë ✓ 𝄞"}'))).to.deep.equal({ ok: true, value: { name: "Zoë ✓ 𝄞" } });
    const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((part) => (typeof part === "string" ? Buffer.from(part) : Buffer.from(part))));
    // A lone surrogate encoded as UTF-8 (ED A0 80), a stray continuation byte, an overlong "/" and a cut-off "é".
    for (const [body, offset] of [
      [bytes('{"name":"', [0xed, 0xa0, 0x80], '"}'), 10], // ED may not be followed by A0
      [bytes('{"name":"a', [0x80], '"}'), 10],
      [bytes('{"name":"', [0xc0, 0xaf], '"}'), 9],
      [bytes('{"name":"', [0xc3]), 9],
    ] as const) {
      const result = parseStrictJsonBytes(body);
      expect(result.ok, body.toString("hex")).to.equal(false);
      if (result.ok) continue;
      expect(result.problem.message).to.match(/is not UTF-8: byte \d+/);
      expect(result.problem.offset, body.toString("hex")).to.equal(offset);
      // What a lenient decoder would have made of it is valid JSON — the document that was never sent.
      if (body.at(-1) === 0x7d) expect(() => JSON.parse(body.toString("utf8"))).not.to.throw();
    }
    const bom = parseStrictJsonBytes(bytes([0xef, 0xbb, 0xbf], "{}"));
    expect(bom.ok).to.equal(false);
    if (!bom.ok) expect(bom.problem.message).to.match(/byte order mark/);
  });
});
