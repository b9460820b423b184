/**
 * A credential baked into an SVG, as Open Badges 3.0 specifies: an `<openbadges:credential>` element
 * (namespace https://purl.imsglobal.org/ob/v3p0, declared on the root) holding the credential's JSON in
 * CDATA. Baking replaces any credential the image already carries; reading refuses two.
 *
 * The SVG is parsed and written with fast-xml-parser, entity processing off, and refused before anything
 * else if it is not well-formed or declares a DOCTYPE or entities (entity expansion), contains scripts,
 * event handlers, javascript: links or a foreignObject (HTML inside the image). An SVG that passes is
 * still never shown as markup by the verification page.
 */
import { XMLBuilder, XMLParser, XMLValidator } from "fast-xml-parser";

import { failure, success, type Outcome } from "./outcome.js";

export const OB_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0";
const CREDENTIAL_ELEMENT = "openbadges:credential";

/** An element, text, CDATA, comment or processing instruction, as fast-xml-parser's preserveOrder mode gives it. */
type XmlNode = { [name: string]: XmlNode[] | string | Record<string, string> | undefined; ":@"?: Record<string, string> };

const XML_OPTIONS = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  cdataPropName: "#cdata",
  commentPropName: "#comment",
  processEntities: false,
} as const;
// Text and attributes stay exactly as written (entities not decoded), so writing them back needs no escaping.
const parser = new XMLParser({ ...XML_OPTIONS, parseTagValue: false, parseAttributeValue: false, trimValues: false });
const writer = new XMLBuilder({ ...XML_OPTIONS, suppressEmptyNode: true, suppressBooleanAttributes: false });

/** The SVG with `credentialJson` baked in as the root's first child, replacing any credential it carried. */
export function bakeSvg(svg: string, credentialJson: string): Outcome<string> {
  const document = readSafeSvg(svg);
  if (!document.ok) return document;
  const { nodes, root } = document.value;
  const attributes = { ...root[":@"] };
  if (attributes["xmlns:openbadges"] !== undefined && attributes["xmlns:openbadges"] !== OB_NAMESPACE) {
    return failure(`the SVG already uses the prefix "openbadges" for another namespace (${attributes["xmlns:openbadges"]})`);
  }
  attributes["xmlns:openbadges"] = OB_NAMESPACE;
  const credential: XmlNode = { [CREDENTIAL_ELEMENT]: [{ "#cdata": [{ "#text": jsonForCdata(credentialJson) }] }] };
  const children = withoutCredentials(root.svg as XmlNode[], scopeOf(root, new Map()));
  const bakedRoot: XmlNode = { svg: [credential, ...children], ":@": attributes };
  return success(writer.build(nodes.map((node) => (node === root ? bakedRoot : node))));
}

/** The credential's JSON text baked into the SVG. */
export function extractFromSvg(svg: string): Outcome<string> {
  const document = readSafeSvg(svg);
  if (!document.ok) return document;
  const found = credentialElements(document.value.nodes, new Map());
  if (found.length === 0) {
    return failure(`the SVG carries no badge: it has no <openbadges:credential> element in the ${OB_NAMESPACE} namespace`);
  }
  if (found.length > 1) return failure(`the SVG carries ${found.length} <openbadges:credential> elements; a baked badge has exactly one`);
  const [element] = found;
  if (element[":@"]?.verify !== undefined) {
    return failure("the SVG's credential is a signed JWT (its verify attribute); this registry verifies JSON credentials");
  }
  const content = element[elementName(element)!] as XmlNode[];
  let json = "";
  for (const child of content) {
    if (child["#cdata"] !== undefined) json += ((child["#cdata"] as XmlNode[])[0]?.["#text"] as string | undefined) ?? "";
    else if (typeof child["#text"] !== "string" || child["#text"].trim() !== "") {
      return failure("the SVG's <openbadges:credential> element must hold only the credential's JSON, in CDATA");
    }
  }
  if (json === "") return failure("the SVG's <openbadges:credential> element holds no CDATA section with the credential's JSON");
  return success(json);
}

function readSafeSvg(svg: string): Outcome<{ nodes: XmlNode[]; root: XmlNode }> {
  // The parser silently skips a DOCTYPE (and, with entities off, never expands one), so it is looked for here:
  // an image has no use for one, and refusing it outright leaves no doubt about entity expansion.
  if (svg.includes("<!DOCTYPE") || svg.includes("<!ENTITY")) {
    return failure("the SVG declares a DOCTYPE or entities, which a badge image must not (entity expansion)");
  }
  const wellFormed = XMLValidator.validate(svg);
  if (wellFormed !== true) return failure(`the SVG is not well-formed XML: ${wellFormed.err.msg} (line ${wellFormed.err.line})`);
  let nodes: XmlNode[];
  try {
    nodes = parser.parse(svg) as XmlNode[];
  } catch (error) {
    return failure(`the SVG cannot be read: ${(error as Error).message}`);
  }
  const elements = nodes.filter((node) => isElementName(elementName(node)));
  if (elements.length !== 1 || elementName(elements[0]) !== "svg") {
    return failure(`it is not an SVG: its root element is <${elementName(elements[0]) ?? "nothing"}>, not <svg>`);
  }
  const unsafe = firstUnsafePart(nodes);
  if (unsafe !== undefined) return failure(`the SVG contains ${unsafe}, which a badge image must not`);
  return success({ nodes, root: elements[0] });
}

/** Scripts, event handlers, javascript: links and HTML content, the ways an SVG can run code. */
function firstUnsafePart(nodes: XmlNode[]): string | undefined {
  for (const node of nodes) {
    const name = elementName(node);
    if (!isElementName(name)) continue;
    const local = localName(name).toLowerCase();
    if (local === "script") return `a <${name}> element`;
    if (local === "foreignobject") return `a <${name}> element (HTML inside the image)`;
    for (const [attribute, value] of Object.entries(node[":@"] ?? {})) {
      if (localName(attribute).toLowerCase().startsWith("on")) return `an event handler (${attribute} on <${name}>)`;
      if (value.replaceAll(/\s/g, "").toLowerCase().startsWith("javascript:")) return `a javascript: link (${attribute} on <${name}>)`;
    }
    const inside = firstUnsafePart(node[name] as XmlNode[]);
    if (inside !== undefined) return inside;
  }
  return undefined;
}

/** Every credential element, wherever it is, its namespace resolved through the xmlns declarations in scope. */
function credentialElements(nodes: XmlNode[], parentScope: Map<string, string>): XmlNode[] {
  const found: XmlNode[] = [];
  for (const node of nodes) {
    const name = elementName(node);
    if (!isElementName(name)) continue;
    const scope = scopeOf(node, parentScope);
    if (isCredentialElement(name, scope)) found.push(node);
    else found.push(...credentialElements(node[name] as XmlNode[], scope));
  }
  return found;
}

function withoutCredentials(nodes: XmlNode[], parentScope: Map<string, string>): XmlNode[] {
  return nodes.flatMap((node) => {
    const name = elementName(node);
    if (!isElementName(name)) return [node];
    const scope = scopeOf(node, parentScope);
    if (isCredentialElement(name, scope)) return [];
    return [{ ...node, [name]: withoutCredentials(node[name] as XmlNode[], scope) }];
  });
}

function isCredentialElement(name: string, scope: Map<string, string>): boolean {
  const colon = name.indexOf(":");
  const prefix = colon < 0 ? "" : name.slice(0, colon);
  return localName(name) === "credential" && scope.get(prefix) === OB_NAMESPACE;
}

/** Namespace prefixes ("" for the default namespace) in scope inside `node`. */
function scopeOf(node: XmlNode, parentScope: Map<string, string>): Map<string, string> {
  const declarations = Object.entries(node[":@"] ?? {}).filter(([attribute]) => attribute === "xmlns" || attribute.startsWith("xmlns:"));
  if (declarations.length === 0) return parentScope;
  const scope = new Map(parentScope);
  for (const [attribute, uri] of declarations) scope.set(attribute === "xmlns" ? "" : attribute.slice("xmlns:".length), uri);
  return scope;
}

function elementName(node: XmlNode | undefined): string | undefined {
  return node === undefined ? undefined : Object.keys(node).find((key) => key !== ":@");
}

/** Not text ("#text"), CDATA, a comment, or a processing instruction ("?xml"). */
function isElementName(name: string | undefined): name is string {
  return name !== undefined && !name.startsWith("#") && !name.startsWith("?");
}

function localName(name: string): string {
  return name.slice(name.indexOf(":") + 1);
}

/**
 * The JSON with <, > and & written as \u escapes: the same JSON value (its hash is unchanged), but the CDATA
 * section then cannot contain "]]>" (which would end it) nor anything that reads as markup, such as a
 * DOCTYPE that would make the image be refused when read back.
 */
function jsonForCdata(json: string): string {
  return json.replaceAll("<", "\\u003c").replaceAll(">", "\\u003e").replaceAll("&", "\\u0026");
}
