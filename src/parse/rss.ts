import type { UpstreamItem } from "../model.js";
import type { FeedHead } from "./head.js";
import { hash53 } from "../lib/hash.js";
import { resolveUrl } from "./links.js";
import { asArray, attr, bodyHtml, bodyText, isoDate, rawContent, text, titleText, withBody, type XmlNode } from "./xml.js";

/** RSS 2.0 (and RSS 1.0/RDF, which has the same item fields): the channel, without its items. */
export function readRssHead(doc: XmlNode, docUrl: string): FeedHead {
  const rdf = doc["rdf:RDF"] as XmlNode | undefined;
  const channel = ((doc.rss as XmlNode | undefined)?.channel ?? rdf?.channel ?? {}) as XmlNode;
  const home = resolveUrl(text(channel.link), docUrl) ?? docUrl;
  return {
    format: "rss",
    title: titleText(channel.title),
    link: home,
    description: titleText(channel.description),
    language: text(channel.language) || text(channel["dc:language"]) || undefined,
    base: home,
  };
}

/** One <item>; relative links resolve against its link, else the channel's. */
export function readRssItem(item: XmlNode, head: FeedHead): UpstreamItem {
  const home = head.base;
  const link = resolveUrl(text(item.link), home) ?? "";
  const guid = text(item.guid);
  const title = titleText(item.title);
  const date = isoDate(text(item.pubDate) || text(item["dc:date"]));
  const content = rawContent(item["content:encoded"]) ?? rawContent(item.description);
  const body = bodyHtml(content, attr(item, "xml:base") ?? (link || home));
  return withBody(
    {
      id: guid || link || `urn:hash:${hash53(title + date + (content ? bodyText(content) : ""))}`,
      title,
      link,
      date,
      categories: asArray(item.category).map(text).filter(Boolean),
      author: text(item["dc:creator"]) || text(item.author) || undefined,
    },
    body,
  );
}

