import type { UpstreamItem } from "../model.js";
import type { FeedHead } from "./head.js";
import { hash53 } from "../lib/hash.js";
import { stripXmlForbidden } from "../lib/text.js";
import { resolveUrl } from "./links.js";
import { asArray, attr, bodyLinks, bodyText, isoDate, rawContent, text, textToHtml, titleText, type RawContent, type XmlNode } from "./xml.js";

/** Atom 1.0 (RFC 4287), with xml:base on feed, entry and content: the feed, without its entries. */
export function readAtomHead(doc: XmlNode, docUrl: string): FeedHead {
  const feed = doc.feed as XmlNode;
  const base = resolveUrl(attr(feed, "xml:base") ?? "", docUrl) ?? docUrl;
  return {
    format: "atom",
    title: titleText(feed.title),
    link: alternate(feed, base) ?? base,
    description: titleText(feed.subtitle),
    language: attr(feed, "xml:lang"),
    base,
  };
}

/** One <entry>. */
export function readAtomEntry(entry: XmlNode, head: FeedHead): UpstreamItem {
  const feedBase = head.base;
  const base = resolveUrl(attr(entry, "xml:base") ?? "", feedBase) ?? feedBase;
  const link = alternate(entry, base) ?? "";
  const title = titleText(entry.title);
  const date = isoDate(text(entry.published) || text(entry.updated));
  const content = rawContent(entry.content);
  // Out-of-line content (content@src) has nothing to split: use the summary.
  const body = content && !attr(content.attrs, "src") ? content : rawContent(entry.summary);
  const html = body ? toHtml(body, attr(body.attrs, "type")) : "";
  const contentBase = resolveUrl(attr(body?.attrs, "xml:base") ?? "", base) ?? base;
  return {
    id: text(entry.id) || link || `urn:hash:${hash53(title + date + html)}`,
    title,
    link,
    date,
    categories: asArray(entry.category).map((c) => attr(c, "label") || attr(c, "term") || "").filter(Boolean),
    author: asArray<XmlNode>(entry.author).map((a) => text(a.name)).filter(Boolean).join(", ") || undefined,
    // Relative links resolve against xml:base; without one, the entry's own page is the base.
    html: bodyLinks(html, attr(entry, "xml:base") || attr(body?.attrs, "xml:base") ? contentBase : link || base, body),
  };
}

function toHtml(body: RawContent, type = "text"): string {
  const { raw } = body;
  if (type === "xhtml") {
    // The content is inline XHTML wrapped in one <div>: keep the markup inside it.
    const inner = raw.trim().replace(/^<(?:\w+:)?div\b[^>]*>/, "").replace(/<\/(?:\w+:)?div>\s*$/, "");
    return stripXmlForbidden(inner.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, "$1"));
  }
  const decoded = bodyText(body);
  return type === "html" || type === "text/html" ? decoded : textToHtml(decoded);
}

function alternate(node: XmlNode, base: string): string | undefined {
  const links = asArray<XmlNode>(node.link);
  const alt =
    links.find((l) => (attr(l, "rel") ?? "alternate") === "alternate" && (attr(l, "type") ?? "text/html") === "text/html") ??
    links.find((l) => (attr(l, "rel") ?? "alternate") === "alternate");
  const href = alt && attr(alt, "href");
  return href ? resolveUrl(href, base) : undefined;
}
