import { XMLParser } from "fast-xml-parser";
import { isWritableTime } from "../lib/dates.js";
import { decodeXmlEntities, escapeHtml, htmlToText, stripXmlForbidden } from "../lib/text.js";
import type { UpstreamItem } from "../model.js";
import type { DecodedBody } from "./decoded.js";
import { type Utf8Html, utf8Text } from "../lib/utf8.js";
import { absolutizeLinks, absolutizeUtf8 } from "./links.js";

/** Elements whose inner markup is kept raw (not parsed into objects): they hold the issue HTML. */
export const CONTENT_ELEMENTS = ["description", "content:encoded", "content", "summary", "title", "subtitle"];

export type XmlNode = Record<string, unknown>;

/**
 * fast-xml-parser, set up so that the issue bodies are not parsed: they are stop nodes, handed back
 * as raw markup and decoded once by `decodeRaw`. Entities are not processed by the parser (it is
 * the slow part on entity-escaped HTML); `text()` and `decodeRaw()` decode what is read.
 */
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  cdataPropName: "#cdata",
  ignoreDeclaration: true,
  ignorePiTags: true,
  stopNodes: CONTENT_ELEMENTS.map((name) => `*.${name}`),
  isArray: (name) => name === "item" || name === "entry" || name === "category" || name === "link",
});

export function parseXml(xml: string): XmlNode {
  return parser.parse(xml) as XmlNode;
}

/** Decode raw element content: CDATA sections literally, everything else as XML text. */
export function decodeRaw(raw: string): string {
  let start = raw.indexOf("<![CDATA[");
  if (start < 0) return decodeXmlEntities(raw);
  let out = "";
  let last = 0;
  while (start >= 0) {
    const end = raw.indexOf("]]>", start + 9);
    out += decodeXmlEntities(raw.slice(last, start));
    if (end < 0) {
      out += raw.slice(start + 9);
      return out;
    }
    out += raw.slice(start + 9, end);
    last = end + 3;
    start = raw.indexOf("<![CDATA[", last);
  }
  return out + decodeXmlEntities(raw.slice(last));
}

/**
 * The text of a title-like stop node. Atom's html and xhtml types carry markup: its text is kept.
 */
export function titleText(node: unknown): string {
  const c = rawContent(node);
  if (!c) return "";
  const type = attr(c.attrs, "type");
  if (type === "xhtml") return htmlToText(stripXmlForbidden(c.raw));
  const decoded = stripXmlForbidden(decodeRaw(c.raw));
  return (type === "html" || type === "text/html" ? htmlToText(decoded) : decoded.replace(/\s+/g, " ")).trim();
}

/** The text of a parsed element (string, or object with #text / #cdata parts), decoded and trimmed. */
export function text(node: unknown): string {
  if (node === undefined || node === null) return "";
  if (typeof node === "string") return stripXmlForbidden(decodeXmlEntities(node)).trim();
  if (typeof node === "number" || typeof node === "boolean") return String(node);
  if (Array.isArray(node)) return text(node[0]);
  if (typeof node === "object") {
    const o = node as XmlNode;
    const t = o["#text"];
    const c = o["#cdata"];
    const parts = (typeof t === "string" ? decodeXmlEntities(t) : "") + (c === undefined ? "" : cdataText(c));
    return stripXmlForbidden(parts).trim();
  }
  return "";
}

function cdataText(c: unknown): string {
  if (Array.isArray(c)) return c.map(cdataText).join("");
  if (typeof c === "object" && c !== null) return String((c as XmlNode)["#text"] ?? "");
  return String(c);
}

/**
 * Set on a body element read from bytes (parse/bytes.ts): its content, decoded on first call as
 * `bodyText` would decode `raw`, and whether it may hold a relative URL. The element then reaches
 * the readers with an empty `raw`.
 */
export const DECODED = "#decoded";

export interface RawContent {
  raw: string;
  attrs: XmlNode;
  decoded?: () => DecodedBody;
}

/** Raw inner markup of a stop node (string, or object with attributes and #text). */
export function rawContent(node: unknown): RawContent | undefined {
  if (node === undefined || node === null) return undefined;
  if (Array.isArray(node)) return rawContent(node[0]);
  if (typeof node === "string") return { raw: node, attrs: {} };
  if (typeof node === "object") {
    const o = node as XmlNode;
    const raw = o["#text"];
    const decoded = o[DECODED];
    return { raw: typeof raw === "string" ? raw : "", attrs: o, decoded: typeof decoded === "function" ? (decoded as () => DecodedBody) : undefined };
  }
  return { raw: String(node), attrs: {} };
}

/** The text of a body element: CDATA literally, entities decoded, forbidden characters dropped. */
export function bodyText(content: Pick<RawContent, "raw" | "decoded">): string {
  return content.decoded ? content.decoded().text : stripXmlForbidden(decodeRaw(content.raw));
}

/**
 * An entry's HTML, relative links made absolute against `base`: as the string `html()`, and as
 * its UTF-8 `bytes` when the body was decoded from bytes — the string is then made only if
 * something asks for it.
 */
export interface BodyHtml {
  html: () => string;
  utf8?: Utf8Html;
}

/** The HTML of an HTML body element (RSS description/content:encoded, Atom type="html"). */
export function bodyHtml(content: RawContent | undefined, base: string | undefined): BodyHtml {
  const decoded = content?.decoded?.();
  if (decoded?.relativeTags) {
    const utf8 = absolutizeUtf8(decoded.html, base, decoded.relativeTags);
    if (utf8 === decoded.html) return { html: () => decoded.text, utf8 };
    let html: string | undefined;
    return { html: () => (html ??= utf8Text(utf8.bytes)), utf8 };
  }
  const html = content ? absolutizeLinks(bodyText(content), base) : "";
  return { html: () => html };
}

/** An item whose HTML is `body`: when it has bytes, `utf8` (not enumerable) and `html` decoded on first read. */
export function withBody(item: Omit<UpstreamItem, "html" | "utf8">, body: BodyHtml): UpstreamItem {
  if (!body.utf8) return { ...item, html: body.html() };
  let html: string | undefined;
  const out = { ...item } as UpstreamItem;
  Object.defineProperty(out, "html", { get: () => (html ??= body.html()), enumerable: true, configurable: true });
  Object.defineProperty(out, "utf8", { value: body.utf8, enumerable: false });
  return out;
}

export function attr(node: unknown, name: string): string | undefined {
  if (node && typeof node === "object" && !Array.isArray(node)) {
    const v = (node as XmlNode)[`@${name}`];
    return typeof v === "string" ? decodeXmlEntities(v) : undefined;
  }
  return undefined;
}

export function asArray<T = unknown>(v: unknown): T[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]) as T[];
}

/** Plain text → HTML paragraphs. */
export function textToHtml(s: string): string {
  return s
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`)
    .join("\n");
}

/** An RFC 822 / ISO 8601 date → ISO 8601, or "" when it cannot be read or lies outside years 1–9999. */
export function isoDate(s: string): string {
  if (!s) return "";
  let t = Date.parse(s);
  if (Number.isNaN(t)) {
    // RFC 822 with a named zone Date.parse does not know ("Mon, 15 Apr 2024 10:00:00 PDT" works,
    // "... CEST" does not): drop the zone and read it as UTC rather than lose the date.
    t = Date.parse(s.replace(/\s+[A-Z]{2,5}$/, " GMT"));
  }
  return isWritableTime(t) ? new Date(t).toISOString() : "";
}
