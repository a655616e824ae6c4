import type { UpstreamFeed, UpstreamItem } from "../model.js";
import { hash53 } from "../lib/hash.js";
import { readAtomEntry, readAtomHead } from "./atom.js";
import { findEntries } from "./entries.js";
import { ParseError } from "./errors.js";
import type { FeedHead } from "./head.js";
import { readJsonFeed, readJsonItem } from "./jsonfeed.js";
import { readRssHead, readRssItem } from "./rss.js";
import { parseXml, type XmlNode } from "./xml.js";

export { ParseError } from "./errors.js";
export { decodeBody } from "./charset.js";
export type { FeedHead } from "./head.js";

/** One upstream entry, not parsed yet: `hash` identifies its exact source text. */
export interface EntrySource {
  hash: string;
  parse(): UpstreamItem;
}

/** A feed read down to its entries: the head is parsed, each entry is parsed on demand. */
export interface FeedSource {
  head: FeedHead;
  entries: EntrySource[];
}

/**
 * Read an upstream feed body (RSS 2.0/1.0, Atom 1.0 or JSON Feed) into its head and raw
 * entries. `url` is where it came from: the base for relative links. Throws ParseError when the
 * body is not a feed. Entries are parsed only when asked (`entry.parse()`): a refresh parses just
 * the entries whose hash it has not seen.
 */
export function scanFeed(body: string, url: string): FeedSource {
  // Broken prologs: a byte order mark or blank lines before the XML declaration.
  const src = body.replace(/^\uFEFF?\s+/, "").replace(/^\uFEFF/, "");
  if (src.startsWith("{")) {
    const { head, items } = readJsonFeed(src, url);
    return {
      head,
      entries: items.map((item) => ({ hash: hash53(JSON.stringify(item)), parse: () => readJsonItem(item, head) })),
    };
  }
  if (!src.startsWith("<")) throw new ParseError(`not a feed: the body starts with ${JSON.stringify(src.slice(0, 40))}`);
  const root = /<(rss|rdf:RDF|feed)[\s>]/.exec(src.slice(0, 4096))?.[1];
  const tag = root === "feed" ? "entry" : "item";
  const { head, entries } = root ? findEntries(src, tag) : { head: src, entries: [] };
  const doc = xml(head);
  let feedHead: FeedHead;
  if (doc.rss || doc["rdf:RDF"]) feedHead = readRssHead(doc, url);
  else if (doc.feed) feedHead = readAtomHead(doc, url);
  else if (doc.html || doc.HTML) throw new ParseError("not a feed: the body is an HTML page");
  else {
    const name = Object.keys(doc).find((k) => !k.startsWith("?") && !k.startsWith("#"));
    throw new ParseError(`not a feed: root element <${name ?? "?"}> is neither <rss>, <rdf:RDF> nor <feed>`);
  }
  const read = feedHead.format === "atom" ? readAtomEntry : readRssItem;
  return {
    head: feedHead,
    entries: entries.map((raw) => ({
      hash: hash53(raw),
      parse: () => read([xml(raw)[tag]].flat()[0] as XmlNode, feedHead),
    })),
  };
}

/** Parse a whole upstream feed: every entry. */
export function parseFeed(body: string, url: string): UpstreamFeed {
  const { head, entries } = scanFeed(body, url);
  const { base: _base, ...meta } = head;
  return { ...meta, items: entries.map((e) => e.parse()) };
}

function xml(src: string): XmlNode {
  try {
    return parseXml(src);
  } catch (e) {
    throw new ParseError(`not well-formed XML: ${(e as Error).message}`);
  }
}
