import type { UpstreamFeed, UpstreamItem } from "../model.js";
import { hash53 } from "../lib/hash.js";
import { readAtomEntry, readAtomHead } from "./atom.js";
import { utf8Text } from "../lib/utf8.js";
import { parseSimpleXml } from "./fragment.js";
import { type ByteReader, readBytes } from "./bytes.js";
import type { DecodedBody } from "./decoded.js";
import { bodyElements, type EntryRange, entryRanges, lastEndTag } from "./ranges.js";
import { decodeBody, isUtf8 } from "./charset.js";
import { findEntries } from "./entries.js";
import { rootElement } from "./root.js";
import { ParseError } from "./errors.js";
import type { FeedHead } from "./head.js";
import { readJsonFeed, readJsonItem } from "./jsonfeed.js";
import { readRssHead, readRssItem } from "./rss.js";
import { DECODED, parseXml, type XmlNode } from "./xml.js";

export { ParseError } from "./errors.js";
export { decodeBody } from "./charset.js";
export type { FeedHead } from "./head.js";

/** One upstream entry, not parsed yet: `hash` identifies its exact source text. */
export interface EntrySource {
  hash: string;
  parse(): UpstreamItem;
  /** Where the entry lies in the body's bytes, [start, end), when the feed was read from bytes. */
  start?: number;
  end?: number;
  /** Its source's size: bytes, or UTF-16 units for a feed read as text (what parsing it costs). */
  size?: number;
}

/** A feed read down to its entries: the head is parsed, each entry is parsed on demand. */
export interface FeedSource {
  head: FeedHead;
  /** In upstream order. From bytes, entries are found as they are iterated: stop early, read less. */
  entries: Iterable<EntrySource>;
  /** The body's bytes, when the feed was read from bytes (see `scanFeedBytes`). */
  bytes?: FeedBytes;
}

/** What the refresh may check about the body's bytes beyond the entries it reads. */
export interface FeedBytes {
  length: number;
  /** Hash of bytes [start, end) (`hashBytes`: the hash entries get). */
  hash(start: number, end: number): string;
  /** True when [start, end) reads as one whole entry: its start tag at start, its end tag ending at end. */
  isEntry(start: number, end: number): boolean;
  /** The entry that lies at [start, end), to parse; undefined when no whole entry does. */
  entry(start: number, end: number): EntrySource | undefined;
}

/**
 * Read an upstream feed body (RSS 2.0/1.0, Atom 1.0 or JSON Feed) into its head and raw
 * entries. `url` is where it came from: the base for relative links. Throws ParseError when the
 * body is not a feed. Entries are parsed only when asked (`entry.parse()`): a refresh parses just
 * the entries whose hash it has not seen.
 */
export function scanFeed(body: string, url: string): FeedSource & { entries: EntrySource[] } {
  // Broken prologs: a byte order mark or blank lines before the XML declaration.
  const src = body.replace(/^\uFEFF?\s+/, "").replace(/^\uFEFF/, "");
  if (src.startsWith("{")) {
    const { head, items } = readJsonFeed(src, url);
    return {
      head,
      entries: items.map((item) => {
        const json = JSON.stringify(item);
        return { hash: hash53(json), size: json.length, parse: () => readJsonItem(item, head) };
      }),
    };
  }
  if (!src.startsWith("<")) throw new ParseError(`not a feed: the body starts with ${JSON.stringify(src.slice(0, 40))}`);
  const found = rootElement(src);
  const root = found && FEED_ROOTS.has(found.name) ? found.name : undefined;
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
      size: raw.length,
      parse: () => read([xml(raw)[tag]].flat()[0] as XmlNode, feedHead),
    })),
  };
}

/** The root elements of the feeds read here. */
const FEED_ROOTS = new Set(["rss", "rdf:RDF", "feed"]);

/** Parse a whole upstream feed: every entry. */
export function parseFeed(body: string | Uint8Array, url: string): UpstreamFeed {
  const { head, entries } = typeof body === "string" ? scanFeed(body, url) : scanFeedBytes(body, null, url);
  const { base: _base, ...meta } = head;
  return { ...meta, items: [...entries].map((e) => e.parse()) };
}

/** The elements that hold an entry's HTML: decoded from bytes, not by the XML parser. */
const BODY_ELEMENTS = ["description", "content:encoded", "content", "summary"] as const;

/**
 * `scanFeed` on the response bytes, for a UTF-8 XML feed: entries are found in the bytes as they
 * are iterated, hashed as bytes (`hashBytes`), and decoded only when parsed. The head is what
 * lies before the first entry and after the last one. Any other body (JSON Feed, another
 * encoding, not a feed) is decoded whole and read by `scanFeed`.
 */
export function scanFeedBytes(bytes: Uint8Array, contentType: string | null | undefined, url: string): FeedSource {
  if (!isUtf8(bytes, contentType)) return scanFeed(decodeBody(bytes, contentType), url);
  let lead = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (lead < bytes.length && (bytes[lead] === 32 || bytes[lead] === 10 || bytes[lead] === 13 || bytes[lead] === 9)) lead++;
  if (bytes[lead] !== 60 /* < */) return scanFeed(decodeBody(bytes, contentType), url);
  const rootAt = rootElement(bytes, lead);
  const root = rootAt && FEED_ROOTS.has(rootAt.name) ? rootAt.name : undefined;
  if (!root) return scanFeed(decodeBody(bytes, contentType), url);
  const tag = root === "feed" ? "entry" : "item";
  const body = readBytes(bytes);
  const found = entryRanges(body, tag, rootAt!.start);
  const first = found.next();
  if (first.done) return scanFeed(decodeBody(bytes, contentType), url);
  const firstRange = first.value;
  const lastEnd = lastEndTag(bytes, tag, firstRange.end);
  const doc = xml(utf8Text(bytes, lead, firstRange.start) + utf8Text(bytes, lastEnd));
  let feedHead: FeedHead;
  if (doc.rss || doc["rdf:RDF"]) feedHead = readRssHead(doc, url);
  else if (doc.feed) feedHead = readAtomHead(doc, url);
  else return scanFeed(decodeBody(bytes, contentType), url);
  const read = feedHead.format === "atom" ? readAtomEntry : readRssItem;
  const entry = (range: EntryRange): EntrySource => {
    let hash: string | undefined; // hashed when asked: a first fetch does not hash what it leaves for later
    return {
      get hash() {
        return (hash ??= body.hash(range.start, range.end));
      },
      start: range.start,
      end: range.end,
      size: range.end - range.start,
      parse: () => read(parseEntryBytes(body, range, tag), feedHead),
    };
  };
  const rangeAt = (start: number, end: number) => {
    const [one] = entryRanges(body, tag, start);
    return one?.start === start && one.end === end ? one : undefined;
  };
  return {
    head: feedHead,
    entries: {
      *[Symbol.iterator]() {
        yield entry(firstRange);
        for (const range of entryRanges(body, tag, firstRange.end)) yield entry(range);
      },
    },
    bytes: {
      length: bytes.length,
      hash: (start, end) => body.hash(start, end),
      isEntry: (start, end) => rangeAt(start, end) !== undefined,
      entry: (start, end) => {
        const range = rangeAt(start, end);
        return range && entry(range);
      },
    },
  };
}

/** One entry from bytes: its bodies decoded from the bytes, the rest by the XML parser. */
function parseEntryBytes(body: ByteReader, range: EntryRange, tag: string): XmlNode {
  const { bytes } = body;
  const bodies = bodyElements(bytes, range, BODY_ELEMENTS).filter(
    (el, k, all) => all.findIndex((o) => o.name === el.name) === k && !utf8Text(bytes, el.tagStart, el.innerStart).includes("xhtml"),
  );
  let src = "";
  let last = range.start;
  for (const el of bodies) {
    src += utf8Text(bytes, last, el.innerStart);
    last = el.innerEnd;
  }
  src += utf8Text(bytes, last, range.end);
  const node = [xml(src)[tag]].flat()[0] as XmlNode;
  // A repeated body element: the parser reads the whole entry.
  if (bodies.some((el) => Array.isArray(node[el.name]))) return [xml(utf8Text(bytes, range.start, range.end))[tag]].flat()[0] as XmlNode;
  for (const el of bodies) {
    const parsed = node[el.name];
    const attrs = parsed && typeof parsed === "object" ? (parsed as XmlNode) : {};
    let decoded: DecodedBody | undefined;
    node[el.name] = { ...attrs, "#text": "", [DECODED]: () => (decoded ??= body.decode(el.innerStart, el.innerEnd)) };
  }
  return node;
}

/** The head, or an entry without its bodies: read without the parser when it is plain (fragment.ts). */
function xml(src: string): XmlNode {
  try {
    return parseSimpleXml(src) ?? parseXml(src);
  } catch (e) {
    throw new ParseError(`not well-formed XML: ${(e as Error).message}`);
  }
}
