import type { UpstreamFeed } from "../model.js";
import { readAtom } from "./atom.js";
import { ParseError } from "./errors.js";
import { readJsonFeed } from "./jsonfeed.js";
import { readRss } from "./rss.js";
import { parseXml } from "./xml.js";

export { ParseError } from "./errors.js";
export { decodeBody } from "./charset.js";

/**
 * Parse an upstream feed body (RSS 2.0/1.0, Atom 1.0 or JSON Feed) into issues.
 * `url` is where it came from: the base for relative links. Throws ParseError when the body is
 * not a feed.
 */
export function parseFeed(body: string, url: string): UpstreamFeed {
  // Broken prologs: a byte order mark or blank lines before the XML declaration.
  const src = body.replace(/^\uFEFF?\s+/, "").replace(/^\uFEFF/, "");
  if (src.startsWith("{")) return readJsonFeed(src, url);
  if (!src.startsWith("<")) throw new ParseError(`not a feed: the body starts with ${JSON.stringify(src.slice(0, 40))}`);
  let doc;
  try {
    doc = parseXml(src);
  } catch (e) {
    throw new ParseError(`not well-formed XML: ${(e as Error).message}`);
  }
  if (doc.rss || doc["rdf:RDF"]) return readRss(doc, url);
  if (doc.feed) return readAtom(doc, url);
  if (doc.html || doc.HTML) throw new ParseError("not a feed: the body is an HTML page");
  const root = Object.keys(doc).find((k) => !k.startsWith("?") && !k.startsWith("#"));
  throw new ParseError(`not a feed: root element <${root ?? "?"}> is neither <rss>, <rdf:RDF> nor <feed>`);
}
