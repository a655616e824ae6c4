import type { UpstreamItem } from "../model.js";
import type { FeedHead } from "./head.js";
import { hash53 } from "../lib/hash.js";
import { stripXmlForbidden } from "../lib/text.js";
import { ParseError } from "./errors.js";
import { absolutizeLinks, resolveUrl } from "./links.js";
import { isoDate, textToHtml } from "./xml.js";

interface JsonFeedItem {
  id?: unknown;
  url?: unknown;
  external_url?: unknown;
  title?: unknown;
  content_html?: unknown;
  content_text?: unknown;
  summary?: unknown;
  date_published?: unknown;
  date_modified?: unknown;
  tags?: unknown;
  authors?: unknown;
  author?: unknown;
}

const str = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");

/** JSON Feed 1.0 and 1.1: the feed's fields, and its items as they are. */
export function readJsonFeed(body: string, docUrl: string): { head: FeedHead; items: unknown[] } {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(body) as Record<string, unknown>;
  } catch (e) {
    throw new ParseError(`not valid JSON: ${(e as Error).message}`);
  }
  if (!doc || typeof doc !== "object" || !str(doc.version).startsWith("https://jsonfeed.org/version/")) {
    throw new ParseError("JSON without a JSON Feed version (https://jsonfeed.org/version/1.1)");
  }
  if (!Array.isArray(doc.items)) throw new ParseError("JSON Feed without an items array");
  const home = resolveUrl(str(doc.home_page_url), docUrl) ?? docUrl;
  return {
    head: { format: "json", title: str(doc.title), link: home, description: str(doc.description), language: str(doc.language) || undefined, base: home },
    items: doc.items as unknown[],
  };
}

/** An author object's name ("" for anything else). */
const nameOf = (a: unknown): string => (a && typeof a === "object" ? str((a as { name?: unknown }).name) : "");

/**
 * One item; relative links resolve against its url, else the feed's home page. A field of the
 * wrong type is read as absent, one by one: the item is kept.
 */
export function readJsonItem(raw: unknown, head: FeedHead): UpstreamItem {
  const item = (raw && typeof raw === "object" && !Array.isArray(raw) ? raw : {}) as JsonFeedItem;
  const home = head.base;
  const link = resolveUrl(str(item.url) || str(item.external_url), home) ?? "";
  const title = str(item.title).trim();
  const date = isoDate(str(item.date_published) || str(item.date_modified));
  const html = stripXmlForbidden(
    str(item.content_html) || textToHtml(str(item.content_text)) || textToHtml(str(item.summary)),
  );
  const author = (Array.isArray(item.authors) ? item.authors.map(nameOf).filter(Boolean).join(", ") : "") || nameOf(item.author);
  return {
    id: str(item.id) || link || `urn:hash:${hash53(title + date + html)}`,
    title,
    link,
    date,
    categories: Array.isArray(item.tags) ? item.tags.map(str).filter(Boolean) : [],
    author: author || undefined,
    html: absolutizeLinks(html, link || home),
  };
}
