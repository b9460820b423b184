/**
 * The verify route given a baked badge image instead of JSON: a PNG or SVG carrying an anchored badge gets
 * the badge's verdict, and the badge back; every hostile or broken image a 400 bad-image problem; an image
 * over MAX_IMAGE_BYTES a 413. Every response is checked against /openapi.json.
 */
import { readFile } from "node:fs/promises";

import { expect } from "chai";
import { network } from "hardhat";

import { badgeSvg } from "../../lib/baked/badge-svg.js";
import { bakeCredential } from "../../lib/baked/baked-badge.js";
import type { OpenBadgeCredential } from "../../lib/credential/credential.js";
import { expectConformsToOpenApi } from "../helpers/openapi.js";
import { artworkPng, artworkWithChunks, chunkOffset, internationalTextChunk } from "../helpers/images.js";
import { chainConfig, sampleOnInProcessChain, startTestService, type TestService } from "../helpers/verifier-app.js";

const connection = await network.create();
const { sample, client } = await sampleOnInProcessChain(connection);
const ROUTE = "/v1/credentials/verify";

let service: TestService;

async function postImage(body: Uint8Array | string, contentType: string, url = service.url) {
  const response = await fetch(`${url}${ROUTE}`, { method: "POST", headers: { "content-type": contentType }, body: typeof body === "string" ? body : new Uint8Array(body) });
  const responseType = response.headers.get("content-type") ?? "";
  const json: any = await response.json();
  expectConformsToOpenApi("post", ROUTE, response.status, responseType, json);
  return { status: response.status, contentType: responseType, body: json };
}

const badgeJson = async (name: string): Promise<OpenBadgeCredential> => JSON.parse(await readFile(sample.badge("university", name), "utf8"));

function baked(image: Uint8Array, credential: object): Uint8Array {
  const result = bakeCredential(image, credential as OpenBadgeCredential);
  if (!result.ok) throw new Error(result.problem);
  return result.value.image;
}

describe("verifier API: baked badge images", function () {
  let badge: OpenBadgeCredential;
  let bakedPng: Uint8Array;

  before(async function () {
    service = await startTestService({ chains: [{ config: chainConfig(sample.chainId, sample.registry), client }], cacheTtlSeconds: 0 });
    badge = await badgeJson("uni-data-analytics-foundations");
    bakedPng = baked(artworkPng(), badge);
  });

  after(async function () {
    await service.close();
  });

  it("verifies a badge baked into a PNG as valid, and gives the badge back", async function () {
    const answer = await postImage(bakedPng, "image/png");
    expect(answer.status).to.equal(200);
    expect(answer.body).to.include({ verified: true, status: "valid" });
    expect(answer.body.credential.achievementName).to.equal("Data Analytics Foundations");
    expect(answer.body.bakedCredential).to.deep.equal(badge);
  });

  it("verifies a badge baked into the generated SVG as valid", async function () {
    const answer = await postImage(baked(new TextEncoder().encode(badgeSvg(badge)), badge), "image/svg+xml");
    expect(answer.status).to.equal(200);
    expect(answer.body).to.include({ verified: true, status: "valid" });
  });

  it("gives a tampered badge's verdict when the image carries one", async function () {
    const tampered = structuredClone(badge) as Record<string, any>;
    tampered.credentialSubject.achievement.name = "Data Analytics Mastery";
    const answer = await postImage(baked(artworkPng(), tampered), "image/png");
    expect(answer.body.status).to.equal("tampered");
  });

  it("answers 400 bad-image, with what is wrong, for every hostile or broken image", async function () {
    const absurd = bakedPng.slice();
    new DataView(absurd.buffer).setUint32(chunkOffset(absurd, "iTXt"), 0xfffffff0);
    const json = JSON.stringify(badge);
    const inSvg = (inside: string, prologue = "") =>
      `${prologue}<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">` +
      `<openbadges:credential><![CDATA[${json}]]></openbadges:credential>${inside}</svg>`;
    const cases: Array<[string, Uint8Array | string, string, string | RegExp]> = [
      ["not a PNG", "GIF89a, honestly", "image/png", "it is not a PNG: it does not start with the PNG signature"],
      ["a truncated PNG", bakedPng.subarray(0, 500), "image/png", /^the PNG is truncated or damaged: its iTXt chunk at byte 33 claims \d+ bytes, but only 455 follow$/],
      ["an absurd chunk length", absurd, "image/png", /claims 4294967280 bytes/],
      [
        "two credential chunks",
        artworkWithChunks(internationalTextChunk("openbadgecredential", json), internationalTextChunk("openbadgecredential", json)),
        "image/png",
        'the PNG carries 2 "openbadgecredential" chunks; a baked badge has exactly one',
      ],
      [
        "a compressed chunk",
        artworkWithChunks(internationalTextChunk("openbadgecredential", new Uint8Array([0x78, 0x9c, 3, 0]), true)),
        "image/png",
        'the PNG\'s "openbadgecredential" chunk is compressed; Open Badges 3.0 requires it uncompressed',
      ],
      ["JSON that is not a badge", artworkWithChunks(internationalTextChunk("openbadgecredential", '{"name":"not a badge"}')), "image/png", /^what the image carries is not an Open Badges 3\.0 credential: /],
      ["no badge at all", artworkPng(), "image/png", 'the PNG carries no badge: it has no iTXt chunk with the keyword "openbadgecredential"'],
      [
        "an SVG with a DOCTYPE (entity expansion)",
        inSvg("<text>&a;</text>", '<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]>'),
        "image/svg+xml",
        "the SVG declares a DOCTYPE or entities, which a badge image must not (entity expansion)",
      ],
      ["an SVG with a script", inSvg("<script>fetch('/steal')</script>"), "image/svg+xml", "the SVG contains a <script> element, which a badge image must not"],
      ["an SVG with an event handler", inSvg('<image href="x.png" onerror="alert(1)"/>'), "image/svg+xml", "the SVG contains an event handler (onerror on <image>), which a badge image must not"],
      ["an SVG with a foreignObject", inSvg("<foreignObject/>"), "image/svg+xml", "the SVG contains a <foreignObject> element (HTML inside the image), which a badge image must not"],
      [
        // JSON.parse reads it; JSON.stringify cannot write it back (this was a 500).
        "a badge with an extension nested 20,000 deep",
        inSvg("").replace(json, json.replace(/}$/, `,"extension":${"[".repeat(20_000)}${"]".repeat(20_000)}}`)),
        "image/svg+xml",
        /^what the image carries is not strict I-JSON, so not a credential to verify: \$\.extension(\[0\])+ \(line 1, column \d+\): nested more than 256 levels deep$/,
      ],
    ];
    for (const [what, image, contentType, detail] of cases) {
      const answer = await postImage(image, contentType);
      expect(answer.status, what).to.equal(400);
      expect(answer.contentType, what).to.contain("application/problem+json");
      expect(answer.body.type, what).to.equal("urn:credential-registry:problem:bad-image");
      if (typeof detail === "string") expect(answer.body.detail, what).to.equal(detail);
      else expect(answer.body.detail, what).to.match(detail);
    }
  });

  it("answers 413 for an image over MAX_IMAGE_BYTES, and 415 for another image type", async function () {
    const small = await startTestService({ chains: [{ config: chainConfig(sample.chainId, sample.registry), client }], maxImageBytes: 4096 });
    try {
      const tooLarge = await postImage(bakedPng, "image/png", small.url);
      expect(tooLarge.status).to.equal(413);
      expect(tooLarge.body.detail).to.equal("the body is over the limit of 4096 bytes");
    } finally {
      await small.close();
    }
    const gif = await postImage("GIF89a", "image/gif");
    expect(gif.status).to.equal(415);
    expect(gif.body.detail).to.equal("send the credential as application/json, or a baked badge as image/png or image/svg+xml, not image/gif");
  });
});
