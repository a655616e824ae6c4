import type { FeedItem, FeedMeta } from "../model.js";
import { escapeHtml, stripXmlForbidden } from "../lib/text.js";
import { httpUrl, rfc3339, rfc822 } from "./values.js";

/**
 * RSS 2.0 and Atom 1.0 written directly as strings. The output is what the `feed` package (6.0)
 * wrote for the same input — elements, order, indentation, CDATA for titles and content, URLs
 * normalised as WHATWG URLs — except that text is always escaped (a literal "&amp;" stays text,
 * not an entity), every "]]>" in CDATA is split (not only the first), "<" is escaped in attribute
 * values, an id that is not a URL is written as it is (instead of throwing), and Atom's <feed>
 * carries xml:lang when the feed has a language. Whatever the source of a string (upstream, query,
 * configuration), no character XML forbids is written; links are http(s) URLs or left out; dates
 * are those RFC 822 and RFC 3339 can say (./values.ts).
 */

const GENERATOR = "feedslice";

/** RSS 2.0 with the full HTML in content:encoded and `summary(html)` as the description. */
export function renderRss(meta: FeedMeta, items: FeedItem[], summary: (html: string) => string): string {
  const hasContent = items.some((i) => i.html);
  let out =
    '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"' +
    (hasContent ? ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/"' : "") +
    ' xmlns:atom="http://www.w3.org/2005/Atom">\n    <channel>\n' +
    `        <title>${text(meta.title)}</title>\n` +
    `        <link>${text(httpUrl(meta.link))}</link>\n` +
    `        <description>${text(meta.description)}</description>\n` +
    `        <lastBuildDate>${rfc822(meta.updated) ?? rfc822(new Date().toISOString())}</lastBuildDate>\n` +
    "        <docs>https://validator.w3.org/feed/docs/rss2.html</docs>\n" +
    `        <generator>${GENERATOR}</generator>\n` +
    (meta.language ? `        <language>${text(meta.language)}</language>\n` : "") +
    `        <atom:link href="${attr(httpUrl(meta.selfUrls.rss))}" rel="self" type="application/rss+xml"/>\n`;
  for (const item of items) {
    out += "        <item>\n";
    if (item.title) out += `            <title>${cdata(item.title)}</title>\n`;
    const link = httpUrl(item.link);
    if (link) out += `            <link>${text(link)}</link>\n`;
    out += `            <guid isPermaLink="false">${text(item.id)}</guid>\n`;
    const date = rfc822(item.date);
    if (date) out += `            <pubDate>${date}</pubDate>\n`;
    // Readers show the description as HTML: the plain-text summary is escaped for it.
    const description = summary(item.html);
    if (description) out += `            <description>${cdata(escapeHtml(description))}</description>\n`;
    if (item.html) out += `            <content:encoded>${cdata(item.html)}</content:encoded>\n`;
    if (item.author) out += `            <author>${text(item.author)}</author>\n`;
    for (const c of item.categories ?? []) out += `            <category>${text(c)}</category>\n`;
    out += "        </item>\n";
  }
  return out + "    </channel>\n</rss>";
}

/** Atom 1.0 (RFC 4287); titles are text (readers that convert HTML titles would wrap them), content the item's HTML. */
export function renderAtom(meta: FeedMeta, items: FeedItem[]): string {
  let out =
    '<?xml version="1.0" encoding="utf-8"?>\n' +
    `<feed xmlns="http://www.w3.org/2005/Atom"${meta.language ? ` xml:lang="${attr(meta.language)}"` : ""}>\n` +
    `    <id>${text(meta.selfUrls.atom)}</id>\n` +
    `    <title>${text(meta.title)}</title>\n` +
    `    <updated>${rfc3339(meta.updated) ?? new Date().toISOString()}</updated>\n` +
    `    <generator>${GENERATOR}</generator>\n` +
    `    <author>\n        <name>${text(meta.author)}</name>\n    </author>\n` +
    (meta.link ? `    <link rel="alternate" href="${attr(httpUrl(meta.link))}"/>\n` : "") +
    `    <link rel="self" href="${attr(httpUrl(meta.selfUrls.atom))}"/>\n` +
    (meta.description ? `    <subtitle>${text(meta.description)}</subtitle>\n` : "");
  const feedUpdated = rfc3339(meta.updated) ?? new Date().toISOString();
  for (const item of items) {
    const link = httpUrl(item.link);
    out +=
      "    <entry>\n" +
      `        <title>${text(item.title)}</title>\n` +
      `        <id>${text(url(item.id))}</id>\n` +
      (link ? `        <link href="${attr(link)}"/>\n` : "") +
      `        <updated>${rfc3339(item.date) ?? feedUpdated}</updated>\n`;
    if (item.html) out += `        <content type="html">${cdata(item.html)}</content>\n`;
    if (item.author) out += `        <author>\n            <name>${text(item.author)}</name>\n        </author>\n`;
    for (const c of item.categories ?? []) out += `        <category label="${attr(c)}" term="${attr(c)}"/>\n`;
    out += "    </entry>\n";
  }
  return out + "</feed>";
}

/** A URL as the WHATWG URL parser writes it; anything else as it is. */
function url(s: string): string {
  try {
    return new URL(s).href;
  } catch {
    return s;
  }
}

const TEXT_SPECIAL = /[&<>]/;
const ATTR_SPECIAL = /[&<"]/;

function text(raw: string): string {
  const s = stripXmlForbidden(raw);
  return TEXT_SPECIAL.test(s) ? s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;") : s;
}

function attr(raw: string): string {
  const s = stripXmlForbidden(raw);
  return ATTR_SPECIAL.test(s) ? s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;") : s;
}

/** Text for an XML attribute or element written outside this module (OPML): forbidden characters dropped, escaped. */
export function escapeXml(raw: string): string {
  return escapeHtml(stripXmlForbidden(raw));
}

function cdata(raw: string): string {
  const s = stripXmlForbidden(raw);
  return `<![CDATA[${s.includes("]]>") ? s.replaceAll("]]>", "]]]]><![CDATA[>") : s}]]>`;
}
