import { expect } from "chai";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import extractChunks from "png-chunks-extract";

import { badgeSvg } from "../../../lib/baked/badge-svg.js";
import { bakeCredential, extractBakedCredential, type ImageOptions } from "../../../lib/baked/baked-badge.js";
import { bakePng, extractFromPng } from "../../../lib/baked/baked-png.js";
import { bakeSvg, extractFromSvg } from "../../../lib/baked/baked-svg.js";
import { credentialHash, type Hex } from "../../../lib/credential/canonical.js";
import { parseDraftCredential, type OpenBadgeCredential } from "../../../lib/credential/credential.js";
import { anchoredCredential, prepareBatch } from "../../../lib/anchor/issuance.js";
import { exampleBadge } from "../../helpers/badges.js";
import { ARTWORK_SVG, artworkPng, artworkWithChunks, chunkOffset, internationalTextChunk } from "../../helpers/images.js";

const utf8 = new TextEncoder();
const text = new TextDecoder();

/** Two badges of one batch, each with its anchor proof, as the anchor command writes them. */
function anchoredBadges(): OpenBadgeCredential[] {
  const drafts = ["uni-data-analytics-foundations", "uni-sql-for-analysts"].map((name) => {
    const parsed = parseDraftCredential(exampleBadge(name));
    if (!parsed.ok) throw new Error(`example ${name} is invalid`);
    return parsed.credential;
  });
  let counter = 0;
  const prepared = prepareBatch(drafts, { profileId: "did:web:uni.example", newId: () => `urn:uuid:00000000-0000-4000-8000-00000000000${++counter}` });
  const facts = {
    chainId: 31337,
    registry: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    issuer: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    anchoredAt: "2026-02-01T10:00:00.000Z",
    transactionHash: `0x${"ab".repeat(32)}` as Hex,
  };
  return drafts.map((_, index) => anchoredCredential(prepared, index, facts));
}

function baked(image: Uint8Array | string, credential: object, options?: ImageOptions): Uint8Array {
  const bytes = typeof image === "string" ? utf8.encode(image) : image;
  const result = bakeCredential(bytes, credential as OpenBadgeCredential, options);
  if (!result.ok) throw new Error(result.problem);
  return result.value.image;
}

function extracted(image: Uint8Array | string, options?: ImageOptions) {
  const result = extractBakedCredential(typeof image === "string" ? utf8.encode(image) : image, options);
  if (!result.ok) throw new Error(result.problem);
  return result.value;
}

function problemOf(image: Uint8Array | string, options?: ImageOptions): string {
  const result = extractBakedCredential(typeof image === "string" ? utf8.encode(image) : image, options);
  if (result.ok) throw new Error("expected the image to be refused");
  return result.problem;
}

describe("lib/baked/baked-badge: credentials baked into PNG and SVG images", function () {
  const [badge, otherBadge] = anchoredBadges();

  describe("PNG", function () {
    it("bakes an anchored badge into an uncompressed iTXt chunk and reads the same badge, hash and all, back", function () {
      const png = baked(artworkPng(), badge);
      const { format, credential } = extracted(png);
      expect(format).to.equal("png");
      expect(credential).to.deep.equal(badge);
      expect(credentialHash(credential)).to.equal(credentialHash(badge));
      const chunk = extractChunks(png).find((candidate) => candidate.name === "iTXt")!;
      const keyword = "openbadgecredential";
      expect(text.decode(chunk.data.subarray(0, keyword.length))).to.equal(keyword);
      expect([...chunk.data.subarray(keyword.length, keyword.length + 5)]).to.deep.equal([0, 0, 0, 0, 0]);
    });

    it("keeps the picture: every other chunk is unchanged", function () {
      const withoutText = (png: Uint8Array) => extractChunks(png).filter((chunk) => chunk.name !== "iTXt");
      expect(withoutText(baked(artworkPng(), badge))).to.deep.equal(withoutText(artworkPng()));
    });

    it("replaces the badge when baked again, leaving one credential chunk", function () {
      const rebaked = baked(baked(artworkPng(), badge), otherBadge);
      expect(extracted(rebaked).credential).to.deep.equal(otherBadge);
      expect(extractChunks(rebaked).filter((chunk) => chunk.name === "iTXt")).to.have.length(1);
    });

    it("reads non-ASCII text intact", function () {
      const accented = { ...badge, name: "Fondements de l'analyse — données 数据" };
      expect(extracted(baked(artworkPng(), accented)).credential.name).to.equal("Fondements de l'analyse — données 数据");
    });
  });

  describe("SVG", function () {
    it("bakes an anchored badge into <openbadges:credential> CDATA on the root, and reads it back", function () {
      const svg = text.decode(baked(ARTWORK_SVG, badge));
      expect(XMLValidator.validate(svg)).to.equal(true);
      expect(svg).to.contain('xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"');
      expect(svg).to.contain("<openbadges:credential><![CDATA[{");
      expect(svg).to.contain("<title>Badge artwork &amp; more</title>");
      const { format, credential } = extracted(svg);
      expect(format).to.equal("svg");
      expect(credential).to.deep.equal(badge);
      expect(credentialHash(credential)).to.equal(credentialHash(badge));
    });

    it("replaces the badge when baked again, leaving one credential element", function () {
      const rebaked = text.decode(baked(baked(ARTWORK_SVG, badge), otherBadge));
      expect(extracted(rebaked).credential).to.deep.equal(otherBadge);
      expect(rebaked.split("<openbadges:credential>")).to.have.length(2);
    });

    it("keeps text that would end a CDATA section or read as markup, and the badge's hash", function () {
      const awkward = { ...badge, description: 'Ends a section: ]]> and <!DOCTYPE x [<!ENTITY a "b">]> & <script>' };
      const svg = text.decode(baked(ARTWORK_SVG, awkward));
      expect(XMLValidator.validate(svg)).to.equal(true);
      const { credential } = extracted(svg);
      expect(credential.description).to.equal(awkward.description);
      expect(credentialHash(credential)).to.equal(credentialHash(awkward));
    });

    it("reads a credential element under any prefix bound to the Open Badges namespace", function () {
      const svg =
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:ob="https://purl.imsglobal.org/ob/v3p0">' +
        `<ob:credential>\n  <![CDATA[${JSON.stringify(badge)}]]>\n</ob:credential><rect width="1" height="1"/></svg>`;
      expect(extracted(svg).credential).to.deep.equal(badge);
    });

    it("generates a clean, accessible badge from the achievement and issuer, escaping their text", function () {
      const named = structuredClone(badge) as Record<string, any>;
      named.credentialSubject.achievement.name = 'R&D <Basics> "Level 1"';
      named.issuer.name = "Smith & Sons <Training>";
      const svg = badgeSvg(named as OpenBadgeCredential);
      expect(XMLValidator.validate(svg)).to.equal(true);
      expect(svg).to.contain('role="img"');
      expect(svg).to.contain('aria-labelledby="badge-title badge-desc"');
      expect(svg).to.contain('<title id="badge-title">R&amp;D &lt;Basics&gt; &quot;Level 1&quot;</title>');
      expect(svg).to.contain("Smith &amp; Sons &lt;Training&gt;");
      expect(extracted(baked(svg, named)).credential).to.deep.equal(named);
    });

    it("wraps a long achievement name and shortens what does not fit", function () {
      const named = structuredClone(badge) as Record<string, any>;
      named.credentialSubject.achievement.name = "Advanced Professional Certificate in Applied Statistical Modelling and Machine Learning for Public Health";
      const [nameText] = new XMLParser().parse(badgeSvg(named as OpenBadgeCredential)).svg.text;
      const lines: string[] = nameText.tspan;
      expect(lines).to.have.length(4);
      expect(lines.every((line) => line.length <= 18)).to.equal(true);
      expect(lines[3]).to.match(/…$/);
    });
  });

  describe("format", function () {
    it("follows the content type when given, and the bytes otherwise", function () {
      expect(extracted(baked(ARTWORK_SVG, badge), { contentType: "image/svg+xml; charset=utf-8" }).format).to.equal("svg");
      expect(problemOf(baked(ARTWORK_SVG, badge), { contentType: "image/png" })).to.equal("it is not a PNG: it does not start with the PNG signature");
      expect(problemOf(baked(artworkPng(), badge), { contentType: "image/gif" })).to.equal("a badge image is a PNG or an SVG, not image/gif");
      expect(problemOf("GIF89a…")).to.equal("it is neither a PNG nor an SVG image");
    });

    it("refuses an image over the size limit before reading it", function () {
      expect(problemOf(baked(artworkPng(), badge), { maxBytes: 1000 })).to.match(/^the image is \d+ bytes; the limit is 1000$/);
    });
  });

  describe("hostile and broken PNGs", function () {
    it("refuses a file that is not a PNG", function () {
      expect(problemOf(utf8.encode("\x89PNG\n\x1a\n not really"), { contentType: "image/png" })).to.equal(
        "it is not a PNG: it does not start with the PNG signature",
      );
    });

    it("refuses a PNG cut off in the middle of a chunk", function () {
      const png = baked(artworkPng(), badge);
      const cut = png.subarray(0, chunkOffset(png, "iTXt") + 100);
      expect(problemOf(cut)).to.match(/^the PNG is truncated or damaged: its iTXt chunk at byte 33 claims \d+ bytes, but only 88 follow$/);
    });

    it("refuses a PNG cut off between chunks", function () {
      const png = artworkPng();
      expect(problemOf(png.subarray(0, chunkOffset(png, "IEND")))).to.equal(
        `the PNG is truncated: it ends at byte ${chunkOffset(png, "IEND")} without its closing IEND chunk`,
      );
    });

    it("refuses an absurd chunk length without allocating it", function () {
      const png = baked(artworkPng(), badge);
      new DataView(png.buffer, png.byteOffset).setUint32(chunkOffset(png, "iTXt"), 0xfffffff0);
      const before = process.memoryUsage().arrayBuffers;
      expect(problemOf(png)).to.match(/^the PNG is truncated or damaged: its iTXt chunk at byte 33 claims 4294967280 bytes, but only \d+ follow$/);
      expect(process.memoryUsage().arrayBuffers - before).to.be.below(64 * 1024 * 1024);
    });

    it("refuses a damaged chunk (its CRC does not match)", function () {
      const png = baked(artworkPng(), badge);
      png[chunkOffset(png, "IDAT") + 20] ^= 0xff;
      expect(problemOf(png)).to.match(/^the PNG is damaged: CRC values for IDAT header do not match/);
    });

    it("refuses two credential chunks", function () {
      const json = JSON.stringify(badge);
      const png = artworkWithChunks(internationalTextChunk("openbadgecredential", json), internationalTextChunk("openbadgecredential", JSON.stringify(otherBadge)));
      expect(problemOf(png)).to.equal('the PNG carries 2 "openbadgecredential" chunks; a baked badge has exactly one');
    });

    it("refuses a compressed credential chunk", function () {
      const png = artworkWithChunks(internationalTextChunk("openbadgecredential", new Uint8Array([0x78, 0x9c, 1, 2, 3]), true));
      expect(problemOf(png)).to.equal('the PNG\'s "openbadgecredential" chunk is compressed; Open Badges 3.0 requires it uncompressed');
    });

    it("refuses a credential chunk that is not the iTXt layout, or not UTF-8", function () {
      const truncated = { name: "iTXt", data: utf8.encode("openbadgecredential\0\0\0no terminators") };
      expect(problemOf(artworkWithChunks(truncated))).to.equal('the PNG\'s "openbadgecredential" chunk is malformed (not the iTXt layout)');
      const latin1 = artworkWithChunks(internationalTextChunk("openbadgecredential", new Uint8Array([0x7b, 0xe9, 0x7d])));
      expect(problemOf(latin1)).to.equal('the PNG\'s "openbadgecredential" chunk is not UTF-8 text');
    });

    it("refuses JSON that is not a badge, and text that is not JSON", function () {
      const notBadge = artworkWithChunks(internationalTextChunk("openbadgecredential", '{"hello":"world"}'));
      expect(problemOf(notBadge)).to.match(/^what the image carries is not an Open Badges 3\.0 credential: \$\["@context"\] is required; .+ \(and \d+ more\)$/);
      const notJson = artworkWithChunks(internationalTextChunk("openbadgecredential", "eyJhbGciOi.not.json"));
      expect(problemOf(notJson)).to.equal('what the image carries is not strict I-JSON, so not a credential to verify: $ (line 1, column 1): unexpected "e"; a value was expected');
      // Strict I-JSON: a badge carrying a member that JSON readers drop is refused, not shown.
      const smuggled = artworkWithChunks(internationalTextChunk("openbadgecredential", '{"@context": [], "__proto__": {"name": "Doctor of Medicine"}}'));
      expect(problemOf(smuggled)).to.match(/^what the image carries is not strict I-JSON, so not a credential to verify: \$\.__proto__ \(line 1, column 18\): a member is named "__proto__"/);
    });

    it("says so when a PNG carries no badge", function () {
      expect(problemOf(artworkPng())).to.equal('the PNG carries no badge: it has no iTXt chunk with the keyword "openbadgecredential"');
      expect(extractFromPng(artworkPng()).ok).to.equal(false);
    });

    it("will not bake into a damaged PNG", function () {
      const result = bakePng(artworkPng().subarray(0, 50), JSON.stringify(badge));
      expect(result).to.deep.equal({ ok: false, problem: "the PNG is truncated or damaged: its IDAT chunk at byte 33 claims 4096 bytes, but only 5 follow" });
    });
  });

  describe("hostile and broken SVGs", function () {
    const withBadge = (inside: string, rootAttributes = "") =>
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' +
      `${rootAttributes}><openbadges:credential><![CDATA[${JSON.stringify(badge)}]]></openbadges:credential>${inside}</svg>`;

    it("refuses a DOCTYPE, and with it entity expansion", function () {
      const laughs =
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>' +
        withBadge("<text>&lol2;</text>");
      expect(problemOf(laughs)).to.equal("the SVG declares a DOCTYPE or entities, which a badge image must not (entity expansion)");
    });

    it("refuses scripts, event handlers, javascript: links and foreignObject, wherever they are", function () {
      const cases: Array<[string, string]> = [
        ['<script>alert("hi")</script>', "a <script> element"],
        ['<g><svg:script xmlns:svg="http://www.w3.org/2000/svg">alert(1)</svg:script></g>', "a <svg:script> element"],
        ['<g><rect width="1" height="1" onclick="alert(1)"/></g>', "an event handler (onclick on <rect>)"],
        ['<a href=" java\nscript:alert(1)"><text>go</text></a>', "a javascript: link (href on <a>)"],
        ['<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject>', "a <foreignObject> element (HTML inside the image)"],
      ];
      for (const [inside, what] of cases) {
        expect(problemOf(withBadge(inside)), inside).to.equal(`the SVG contains ${what}, which a badge image must not`);
      }
      expect(problemOf(withBadge("", ' onload="alert(1)"'))).to.equal("the SVG contains an event handler (onload on <svg>), which a badge image must not");
    });

    it("refuses two credential elements", function () {
      const svg = withBadge(`<g><openbadges:credential><![CDATA[${JSON.stringify(otherBadge)}]]></openbadges:credential></g>`);
      expect(problemOf(svg)).to.equal("the SVG carries 2 <openbadges:credential> elements; a baked badge has exactly one");
    });

    it("refuses what is not well-formed XML, or not an SVG", function () {
      expect(problemOf("<svg><g></svg>")).to.match(/^the SVG is not well-formed XML: Expected closing tag 'g'.* \(line 1\)$/);
      expect(problemOf('<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>')).to.equal("it is not an SVG: its root element is <html>, not <svg>");
      expect(problemOf(new Uint8Array([0x3c, 0x73, 0xff, 0xfe]))).to.equal("the SVG is not UTF-8 text");
    });

    it("refuses JSON that is not a badge, a JWT, and a credential element without CDATA", function () {
      const notBadge = '<svg xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential><![CDATA[[1, 2]]]></openbadges:credential></svg>';
      expect(problemOf(notBadge)).to.match(/^what the image carries is not an Open Badges 3\.0 credential: \$ /);
      const jwt = '<svg xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential verify="eyJhbGciOiJSUzI1NiJ9.e30.c2ln"/></svg>';
      expect(problemOf(jwt)).to.equal("the SVG's credential is a signed JWT (its verify attribute); this registry verifies JSON credentials");
      const asText = `<svg xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential>{&quot;id&quot;: 1}</openbadges:credential></svg>`;
      expect(problemOf(asText)).to.equal("the SVG's <openbadges:credential> element must hold only the credential's JSON, in CDATA");
    });

    it("says so when an SVG carries no badge, or the element is in another namespace", function () {
      expect(problemOf(ARTWORK_SVG)).to.equal("the SVG carries no badge: it has no <openbadges:credential> element in the https://purl.imsglobal.org/ob/v3p0 namespace");
      const wrongNamespace = `<svg xmlns:openbadges="http://openbadges.org"><openbadges:credential><![CDATA[${JSON.stringify(badge)}]]></openbadges:credential></svg>`;
      expect(extractFromSvg(wrongNamespace).ok).to.equal(false);
    });

    it("will not bake into a hostile SVG", function () {
      expect(bakeSvg('<svg><script>alert(1)</script></svg>', JSON.stringify(badge))).to.deep.equal({
        ok: false,
        problem: "the SVG contains a <script> element, which a badge image must not",
      });
    });
  });
});
