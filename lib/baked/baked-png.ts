/**
 * A credential baked into a PNG, as Open Badges 3.0 specifies: one uncompressed `iTXt` chunk with the
 * keyword `openbadgecredential` whose text is the credential's JSON. Baking replaces any credential the
 * image already carries; reading refuses an image that carries two, or a compressed one.
 *
 * png-chunks-extract / png-chunks-encode split a PNG into chunks, check and write their CRCs. They trust
 * each chunk's declared length (and would allocate whatever it claims), so the chunk layout is checked
 * here first: signature, IHDR first, every length within the file, an IEND at the end.
 */
import encodeChunks from "png-chunks-encode";
import extractChunks from "png-chunks-extract";

import { failure, success, type Outcome } from "./outcome.js";

export const PNG_CREDENTIAL_KEYWORD = "openbadgecredential";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** The PNG specification's largest chunk length (2^31 - 1). */
const MAX_CHUNK_LENGTH = 0x7fffffff;
/** Length, type and CRC: the bytes a chunk takes besides its data. */
const CHUNK_OVERHEAD = 12;

interface Chunk {
  name: string;
  data: Uint8Array;
}

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const latin1 = new TextDecoder("latin1");

/** Whether `bytes` start with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= PNG_SIGNATURE.length && PNG_SIGNATURE.every((byte, index) => bytes[index] === byte);
}

/** The PNG with `credentialJson` baked in, right after its header, replacing any credential it carried. */
export function bakePng(png: Uint8Array, credentialJson: string): Outcome<Uint8Array> {
  const chunks = readChunks(png);
  if (!chunks.ok) return chunks;
  const [header, ...rest] = chunks.value.filter((chunk) => !isCredentialChunk(chunk));
  const credentialChunk = { name: "iTXt", data: internationalText(PNG_CREDENTIAL_KEYWORD, credentialJson) };
  return success(encodeChunks([header, credentialChunk, ...rest]));
}

/** The credential's JSON text baked into the PNG. */
export function extractFromPng(png: Uint8Array): Outcome<string> {
  const chunks = readChunks(png);
  if (!chunks.ok) return chunks;
  const found = chunks.value.filter(isCredentialChunk);
  if (found.length === 0) {
    return failure(`the PNG carries no badge: it has no iTXt chunk with the keyword "${PNG_CREDENTIAL_KEYWORD}"`);
  }
  if (found.length > 1) {
    return failure(`the PNG carries ${found.length} "${PNG_CREDENTIAL_KEYWORD}" chunks; a baked badge has exactly one`);
  }
  return credentialText(found[0].data);
}

function readChunks(png: Uint8Array): Outcome<Chunk[]> {
  const layout = checkLayout(png);
  if (!layout.ok) return layout;
  try {
    return success(extractChunks(png));
  } catch (error) {
    // With the layout checked, what is left to fail is a chunk's CRC.
    return failure(`the PNG is damaged: ${(error as Error).message}`);
  }
}

function checkLayout(png: Uint8Array): Outcome<true> {
  if (!isPng(png)) return failure("it is not a PNG: it does not start with the PNG signature");
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let offset = PNG_SIGNATURE.length;
  for (let index = 0; ; index++) {
    if (offset + CHUNK_OVERHEAD > png.length) {
      return failure(`the PNG is truncated: it ends at byte ${png.length} without its closing IEND chunk`);
    }
    const length = view.getUint32(offset);
    const name = latin1.decode(png.subarray(offset + 4, offset + 8));
    if (!isChunkName(name)) return failure(`the PNG is damaged: the chunk at byte ${offset} has no valid type`);
    const room = png.length - offset - CHUNK_OVERHEAD;
    if (length > MAX_CHUNK_LENGTH || length > room) {
      return failure(`the PNG is truncated or damaged: its ${name} chunk at byte ${offset} claims ${length} bytes, but only ${room} follow`);
    }
    if (index === 0 && name !== "IHDR") return failure("the PNG is damaged: it does not begin with its IHDR header chunk");
    if (name === "IEND") return success(true);
    offset += CHUNK_OVERHEAD + length;
  }
}

function isChunkName(name: string): boolean {
  return name.length === 4 && [...name].every((letter) => (letter >= "A" && letter <= "Z") || (letter >= "a" && letter <= "z"));
}

function isCredentialChunk(chunk: Chunk): boolean {
  if (chunk.name !== "iTXt") return false;
  const keywordEnd = chunk.data.indexOf(0);
  return keywordEnd > 0 && latin1.decode(chunk.data.subarray(0, keywordEnd)) === PNG_CREDENTIAL_KEYWORD;
}

/*
 * iTXt, written and read by hand: no maintained package writes it. Layout (PNG specification §11.3.3.4):
 * keyword (Latin-1), 0, compression flag, compression method, language tag, 0, translated keyword (UTF-8),
 * 0, text (UTF-8). The badge's chunk is uncompressed (flag 0, method 0), with no language or translation.
 */
function internationalText(keyword: string, text: string): Uint8Array {
  const keywordBytes = utf8.encode(keyword);
  const textBytes = utf8.encode(text);
  const header = [...keywordBytes, 0, 0, 0, 0, 0];
  const data = new Uint8Array(header.length + textBytes.length);
  data.set(header);
  data.set(textBytes, header.length);
  return data;
}

function credentialText(data: Uint8Array): Outcome<string> {
  const keywordEnd = data.indexOf(0);
  const compressed = data[keywordEnd + 1];
  const languageEnd = data.indexOf(0, keywordEnd + 3);
  const translatedKeywordEnd = languageEnd < 0 ? -1 : data.indexOf(0, languageEnd + 1);
  if (translatedKeywordEnd < 0 || (compressed !== 0 && compressed !== 1)) {
    return failure(`the PNG's "${PNG_CREDENTIAL_KEYWORD}" chunk is malformed (not the iTXt layout)`);
  }
  if (compressed === 1) {
    return failure(`the PNG's "${PNG_CREDENTIAL_KEYWORD}" chunk is compressed; Open Badges 3.0 requires it uncompressed`);
  }
  try {
    return success(strictUtf8.decode(data.subarray(translatedKeywordEnd + 1)));
  } catch {
    return failure(`the PNG's "${PNG_CREDENTIAL_KEYWORD}" chunk is not UTF-8 text`);
  }
}
