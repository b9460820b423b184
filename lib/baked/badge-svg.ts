/**
 * A clean badge image for a credential that has none of its own: a round SVG medal with the achievement's
 * name and the issuer's name, accessible (role="img" with a title and a description) and self-contained
 * (no script, link, font or image). Text goes through the XML builder, which escapes it.
 */
import { XMLBuilder } from "fast-xml-parser";

import type { OpenBadgeCredential } from "../credential/credential.js";

type SvgNode = { [name: string]: SvgNode[] | string | Record<string, string> };

const SIZE = 400;
const CENTRE = SIZE / 2;
const NAME_LINE = { maxCharacters: 18, maxLines: 4, fontSize: 30, lineHeight: 36 };
const ISSUER_LINE = { maxCharacters: 30, maxLines: 2, fontSize: 17, lineHeight: 21 };

const builder = new XMLBuilder({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: "", processEntities: true, suppressEmptyNode: true });

/** The badge image for `credential`, as SVG text. */
export function badgeSvg(credential: OpenBadgeCredential): string {
  const achievement = credential.credentialSubject.achievement.name;
  const issuer = issuerName(credential);
  const nameLines = wrap(achievement, NAME_LINE);
  const issuerLines = wrap(issuer, ISSUER_LINE);
  const nameTop = CENTRE - 20 - ((nameLines.length - 1) * NAME_LINE.lineHeight) / 2;
  const svg: SvgNode = {
    svg: [
      element("title", { id: "badge-title" }, achievement),
      element("desc", { id: "badge-desc" }, `Open Badge "${achievement}", issued by ${issuer}`),
      element("circle", { cx: `${CENTRE}`, cy: `${CENTRE}`, r: "196", fill: "#1d3557" }),
      element("circle", { cx: `${CENTRE}`, cy: `${CENTRE}`, r: "178", fill: "none", stroke: "#f1c453", "stroke-width": "6" }),
      textBlock(nameLines, nameTop, { ...NAME_LINE, weight: "700" }),
      element("line", { x1: "130", y1: `${CENTRE + 62}`, x2: "270", y2: `${CENTRE + 62}`, stroke: "#f1c453", "stroke-width": "2" }),
      textBlock(issuerLines, CENTRE + 92, { ...ISSUER_LINE, weight: "400" }),
      element("text", { x: `${CENTRE}`, y: "352", "text-anchor": "middle", fill: "#f1c453", "font-family": "system-ui, sans-serif", "font-size": "14", "letter-spacing": "3" }, "OPEN BADGE"),
    ],
    ":@": {
      xmlns: "http://www.w3.org/2000/svg",
      width: `${SIZE}`,
      height: `${SIZE}`,
      viewBox: `0 0 ${SIZE} ${SIZE}`,
      role: "img",
      "aria-labelledby": "badge-title badge-desc",
    },
  };
  return `${builder.build([svg])}\n`;
}

function issuerName(credential: OpenBadgeCredential): string {
  if (typeof credential.issuer === "string") return credential.issuer;
  return credential.issuer.name?.trim() || credential.issuer.id;
}

function element(name: string, attributes: Record<string, string>, text?: string): SvgNode {
  return { [name]: text === undefined ? [] : [{ "#text": text }], ":@": attributes };
}

function textBlock(lines: string[], top: number, style: { fontSize: number; lineHeight: number; weight: string }): SvgNode {
  const attributes = { "text-anchor": "middle", fill: "#ffffff", "font-family": "system-ui, sans-serif", "font-size": `${style.fontSize}`, "font-weight": style.weight };
  return {
    text: lines.map((line, index) => element("tspan", { x: `${CENTRE}`, y: `${top + index * style.lineHeight}` }, line)),
    ":@": attributes,
  };
}

/**
 * `text` in lines of at most `maxCharacters`, breaking between words, the last line ending in "…" when it
 * does not all fit. SVG has no text layout of its own; counting characters is close enough for one font size.
 */
function wrap(text: string, { maxCharacters, maxLines }: { maxCharacters: number; maxLines: number }): string[] {
  const lines: string[] = [];
  for (const word of text.trim().split(/\s+/)) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= maxCharacters) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(...chop(word, maxCharacters));
  }
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = `${kept[maxLines - 1].slice(0, maxCharacters - 1)}…`;
  return kept;
}

function chop(word: string, size: number): string[] {
  const pieces: string[] = [];
  for (let start = 0; start < word.length; start += size) pieces.push(word.slice(start, start + size));
  return pieces;
}
