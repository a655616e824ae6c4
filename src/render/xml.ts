import type { FeedItem, FeedMeta } from "../model.js";
import { escapeHtml } from "../lib/text.js";

/**
 * RSS 2.0 and Atom 1.0 written directly as strings. The output is what the `feed` package (6.0)
 * wrote for the same input — elements, order, indentation, CDATA for titles and content, URLs
 * normalised as WHATWG URLs — except that text is always escaped (a literal "&amp;" stays text,
 * not an entity), every "]]>" in CDATA is split (not only the first), "<" is escaped in attribute
 * values, an id that is not a URL is written as it is (instead of throwing), and Atom's <feed>
 * carries xml:lang when the feed has a language.
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
    `        <link>${text(url(meta.link))}</link>\n` +
    `        <description>${text(meta.description)}</description>\n` +
    `        <lastBuildDate>${new Date(meta.updated).toUTCString()}</lastBuildDate>\n` +
    "        <docs>https://validator.w3.org/feed/docs/rss2.html</docs>\n" +
    `        <generator>${GENERATOR}</generator>\n` +
    (meta.language ? `        <language>${text(meta.language)}</language>\n` : "") +
    `        <atom:link href="${attr(url(meta.selfUrls.rss))}" rel="self" type="application/rss+xml"/>\n`;
  for (const item of items) {
    out += "        <item>\n";
    if (item.title) out += `            <title>${cdata(item.title)}</title>\n`;
    if (item.link) out += `            <link>${text(url(item.link))}</link>\n`;
    out += `            <guid isPermaLink="false">${text(item.id)}</guid>\n`;
    if (item.date) out += `            <pubDate>${new Date(item.date).toUTCString()}</pubDate>\n`;
    const description = summary(item.html);
    if (description) out += `            <description>${cdata(description)}</description>\n`;
    if (item.html) out += `            <content:encoded>${cdata(item.html)}</content:encoded>\n`;
    if (item.author) out += `            <author>${text(item.author)}</author>\n`;
    for (const c of item.categories ?? []) out += `            <category>${text(c)}</category>\n`;
    out += "        </item>\n";
  }
  return out + "    </channel>\n</rss>";
}

/** Atom 1.0 (RFC 4287); titles are HTML (escaped text), content the item's HTML. */
export function renderAtom(meta: FeedMeta, items: FeedItem[]): string {
  let out =
    '<?xml version="1.0" encoding="utf-8"?>\n' +
    `<feed xmlns="http://www.w3.org/2005/Atom"${meta.language ? ` xml:lang="${attr(meta.language)}"` : ""}>\n` +
    `    <id>${text(meta.selfUrls.atom)}</id>\n` +
    `    <title>${text(meta.title)}</title>\n` +
    `    <updated>${new Date(meta.updated).toISOString()}</updated>\n` +
    `    <generator>${GENERATOR}</generator>\n` +
    `    <author>\n        <name>${text(meta.author)}</name>\n    </author>\n` +
    `    <link rel="alternate" href="${attr(url(meta.link))}"/>\n` +
    `    <link rel="self" href="${attr(url(meta.selfUrls.atom))}"/>\n` +
    (meta.description ? `    <subtitle>${text(meta.description)}</subtitle>\n` : "");
  for (const item of items) {
    out +=
      "    <entry>\n" +
      `        <title type="html">${cdata(escapeHtml(item.title))}</title>\n` +
      `        <id>${text(url(item.id))}</id>\n` +
      `        <link href="${attr(url(item.link))}"/>\n` +
      `        <updated>${new Date(item.date).toISOString()}</updated>\n`;
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

function text(s: string): string {
  return TEXT_SPECIAL.test(s) ? s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;") : s;
}

function attr(s: string): string {
  return ATTR_SPECIAL.test(s) ? s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;") : s;
}

function cdata(s: string): string {
  return `<![CDATA[${s.includes("]]>") ? s.replaceAll("]]>", "]]]]><![CDATA[>") : s}]]>`;
}
