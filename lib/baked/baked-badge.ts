/**
 * Baked badges (Open Badges 3.0, "Baked Badges"): the credential travels inside its own image, so the picture
 * a holder posts is the badge itself. This module bakes a credential into a PNG or SVG and reads it back,
 * picking the format from the content type or the bytes; baked-png.ts and baked-svg.ts know the formats.
 *
 * Images come from strangers: every problem (not an image, damaged, hostile, carrying something that is not
 * a badge) is an Outcome with a plain sentence, never an exception, and nothing is read beyond `maxBytes`.
 *
 * lib/baked/: badges as images — baking (this, baked-png.ts, baked-svg.ts), a generated badge image
 * (badge-svg.ts) and the Outcome their readers return (outcome.ts). It needs lib/credential/.
 */
import { parseCredential, type OpenBadgeCredential } from "../credential/credential.js";
import { describeStrictJsonProblem, parseStrictJson } from "../credential/strict-json.js";
import { bakePng, extractFromPng, isPng } from "./baked-png.js";
import { bakeSvg, extractFromSvg } from "./baked-svg.js";
import { failure, success, type Outcome } from "./outcome.js";

export type ImageFormat = "png" | "svg";

export const IMAGE_CONTENT_TYPES: Record<ImageFormat, string> = { png: "image/png", svg: "image/svg+xml" };

/** The largest image read by default, in bytes. */
export const DEFAULT_MAX_IMAGE_BYTES = 2 * 1024 * 1024;

export interface ImageOptions {
  /** The image's media type, when known (image/png or image/svg+xml); otherwise the bytes tell. */
  contentType?: string;
  /** Larger images are refused (default DEFAULT_MAX_IMAGE_BYTES). */
  maxBytes?: number;
}

export interface BakedCredential {
  format: ImageFormat;
  credential: OpenBadgeCredential;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const utf8 = new TextEncoder();

/** The credential baked into the image, checked to be an Open Badges 3.0 credential. */
export function extractBakedCredential(image: Uint8Array, options: ImageOptions = {}): Outcome<BakedCredential> {
  const format = imageFormat(image, options);
  if (!format.ok) return format;
  const text = format.value === "png" ? extractFromPng(image) : svgText(image, extractFromSvg);
  if (!text.ok) return text;
  const credential = badgeFromJson(text.value);
  return credential.ok ? success({ format: format.value, credential: credential.value }) : credential;
}

/** The image with the credential baked in (any credential it carried is replaced). */
export function bakeCredential(image: Uint8Array, credential: OpenBadgeCredential, options: ImageOptions = {}): Outcome<{ format: ImageFormat; image: Uint8Array }> {
  const format = imageFormat(image, options);
  if (!format.ok) return format;
  const json = JSON.stringify(credential);
  const baked = format.value === "png" ? bakePng(image, json) : svgText(image, (svg) => bakeSvg(svg, json));
  if (!baked.ok) return baked;
  return success({ format: format.value, image: typeof baked.value === "string" ? utf8.encode(baked.value) : baked.value });
}

function imageFormat(image: Uint8Array, { contentType, maxBytes = DEFAULT_MAX_IMAGE_BYTES }: ImageOptions): Outcome<ImageFormat> {
  if (image.length > maxBytes) return failure(`the image is ${image.length} bytes; the limit is ${maxBytes}`);
  const mediaType = contentType?.split(";")[0].trim().toLowerCase();
  if (mediaType === IMAGE_CONTENT_TYPES.png) return success("png");
  if (mediaType === IMAGE_CONTENT_TYPES.svg) return success("svg");
  if (mediaType) return failure(`a badge image is a PNG or an SVG, not ${mediaType}`);
  if (isPng(image)) return success("png");
  if (looksLikeXml(image)) return success("svg");
  return failure("it is neither a PNG nor an SVG image");
}

/** Starts with "<", after an optional byte-order mark and white space. */
function looksLikeXml(image: Uint8Array): boolean {
  let index = image[0] === 0xef && image[1] === 0xbb && image[2] === 0xbf ? 3 : 0;
  while (index < image.length && [0x20, 0x09, 0x0a, 0x0d].includes(image[index])) index++;
  return image[index] === 0x3c;
}

function svgText<T>(image: Uint8Array, use: (svg: string) => Outcome<T>): Outcome<T> {
  let svg: string;
  try {
    svg = strictUtf8.decode(image);
  } catch {
    return failure("the SVG is not UTF-8 text");
  }
  return use(svg);
}

function writableAsJson(value: unknown): boolean {
  try {
    JSON.stringify(value);
    return true;
  } catch {
    return false;
  }
}

function badgeFromJson(json: string): Outcome<OpenBadgeCredential> {
  const strict = parseStrictJson(json);
  if (!strict.ok) {
    return failure(`what the image carries is not strict I-JSON, so not a credential to verify: ${describeStrictJsonProblem(strict.problem)}`);
  }
  const value = strict.value;
  const parsed = parseCredential(value);
  if (parsed.ok && !writableAsJson(value)) {
    // JSON.parse reads deeper nesting than JSON.stringify can write: such a badge could be neither hashed
    // nor given back.
    return failure("what the image carries is nested too deeply to be read as a credential");
  }
  // The credential as baked, not as the schema reads it (which may trim text and reorder keys).
  if (parsed.ok) return success(value as OpenBadgeCredential);
  const problems = parsed.problems.slice(0, 3).map((problem) => `${problem.path} ${problem.message}`);
  const more = parsed.problems.length > 3 ? ` (and ${parsed.problems.length - 3} more)` : "";
  return failure(`what the image carries is not an Open Badges 3.0 credential: ${problems.join("; ")}${more}`);
}
