import type { UpstreamItem } from "../model.js";
import type { FeedHead } from "./head.js";
import { hash53 } from "../lib/hash.js";
import { stripXmlForbidden } from "../lib/text.js";
import { absolutizeLinks, resolveUrl } from "./links.js";
import { asArray, attr, bodyHtml, bodyText, isoDate, rawContent, text, textToHtml, titleText, withBody, type RawContent, type XmlNode } from "./xml.js";

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
  const type = attr(body?.attrs, "type") ?? "text";
  const contentBase = resolveUrl(attr(body?.attrs, "xml:base") ?? "", base) ?? base;
  // Relative links resolve against xml:base; without one, the entry's own page is the base.
  const linkBase = attr(entry, "xml:base") || attr(body?.attrs, "xml:base") ? contentBase : link || base;
  const isHtml = type === "html" || type === "text/html";
  const converted = body && !isHtml ? toHtml(body, type) : undefined;
  const html = converted === undefined ? undefined : absolutizeLinks(converted, linkBase);
  return withBody(
    {
      id: text(entry.id) || link || `urn:hash:${hash53(title + date + (converted ?? (body ? bodyText(body) : "")))}`,
      title,
      link,
      date,
      categories: asArray(entry.category).map((c) => attr(c, "label") || attr(c, "term") || "").filter(Boolean),
      author: asArray<XmlNode>(entry.author).map((a) => text(a.name)).filter(Boolean).join(", ") || undefined,
    },
    html === undefined ? bodyHtml(body, linkBase) : { html: () => html },
  );
}

/** A text or xhtml body as HTML. */
function toHtml(body: RawContent, type: string): string {
  const { raw } = body;
  if (type === "xhtml") {
    // The content is inline XHTML wrapped in one <div>: keep the markup inside it.
    const inner = raw.trim().replace(/^<(?:\w+:)?div\b[^>]*>/, "").replace(/<\/(?:\w+:)?div>\s*$/, "");
    return stripXmlForbidden(inner.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, "$1"));
  }
  return textToHtml(bodyText(body));
}

function alternate(node: XmlNode, base: string): string | undefined {
  const links = asArray<XmlNode>(node.link);
  const alt =
    links.find((l) => (attr(l, "rel") ?? "alternate") === "alternate" && (attr(l, "type") ?? "text/html") === "text/html") ??
    links.find((l) => (attr(l, "rel") ?? "alternate") === "alternate");
  const href = alt && attr(alt, "href");
  return href ? resolveUrl(href, base) : undefined;
}
