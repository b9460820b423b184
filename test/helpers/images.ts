/**
 * Images for the baked-badge tests: the issuer's artwork (examples/artwork/badge-artwork.png, 120×120, the
 * generated SVG badge rendered once by Chromium), and PNGs and SVGs assembled chunk by chunk or element by
 * element to be hostile in exactly one way.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import encodeChunks from "png-chunks-encode";
import extractChunks from "png-chunks-extract";

import { PROJECT_ROOT } from "./processes.js";

export const ARTWORK_PNG_FILE = path.join(PROJECT_ROOT, "examples", "artwork", "badge-artwork.png");

export function artworkPng(): Uint8Array {
  return new Uint8Array(readFileSync(ARTWORK_PNG_FILE));
}

export const ARTWORK_SVG =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" viewBox="0 0 100 100">\n' +
  '  <title>Badge artwork &amp; more</title>\n' +
  '  <circle cx="50" cy="50" r="48" fill="#1d3557"/>\n' +
  "</svg>\n";

/** An iTXt chunk's data: keyword, compression flag and method, no language or translated keyword, text. */
export function internationalTextChunk(keyword: string, text: Uint8Array | string, compressed = false): { name: string; data: Uint8Array } {
  const textBytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  const header = [...new TextEncoder().encode(keyword), 0, compressed ? 1 : 0, 0, 0, 0];
  return { name: "iTXt", data: new Uint8Array([...header, ...textBytes]) };
}

/** The artwork with `extra` chunks inserted after its header, CRCs correct. */
export function artworkWithChunks(...extra: Array<{ name: string; data: Uint8Array }>): Uint8Array {
  const [header, ...rest] = extractChunks(artworkPng());
  return encodeChunks([header, ...extra, ...rest]);
}

/** The byte offset of the first chunk named `name` in a PNG. */
export function chunkOffset(png: Uint8Array, name: string): number {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  for (let offset = 8; offset + 8 <= png.length; offset += 12 + view.getUint32(offset)) {
    if (new TextDecoder("latin1").decode(png.subarray(offset + 4, offset + 8)) === name) return offset;
  }
  throw new Error(`no ${name} chunk`);
}
