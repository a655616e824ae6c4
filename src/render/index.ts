import type { FeedItem, FeedMeta, Format } from "../model.js";
import { htmlToText } from "../lib/text.js";
import { httpUrl, languageTag, rfc3339 } from "./values.js";
import { renderAtom, renderRss } from "./xml.js";

export const FORMATS: readonly Format[] = ["rss", "atom", "json"];

export const CONTENT_TYPES: Record<Format, string> = {
  rss: "application/rss+xml; charset=utf-8",
  atom: "application/atom+xml; charset=utf-8",
  json: "application/feed+json; charset=utf-8",
};

const SUMMARY_CHARS = 280;

/** Render items as RSS 2.0, Atom 1.0 (RFC 4287) or JSON Feed 1.1. */
export function renderFeed(meta: FeedMeta, items: FeedItem[]): string {
  const safe = { ...meta, language: languageTag(meta.language), link: httpUrl(meta.link) || httpUrl(meta.selfUrls[meta.format]) };
  return meta.format === "json" ? renderJson(safe, items) : renderXml(safe, items);
}

/**
 * A response's size cap, in bytes of HTML and titles: past it the feed ends early (the newest
 * items kept, at least one), so that no upstream can make a response grow without end.
 */
export const MAX_FEED_BYTES = 8_000_000;

/** The items that fit in `max` (at least the first), and how many were left out. */
export function withinSize(items: FeedItem[], max = MAX_FEED_BYTES): { items: FeedItem[]; dropped: number } {
  let size = 0;
  for (let k = 0; k < items.length; k++) {
    const item = items[k]!;
    size += item.html.length + item.title.length + 500;
    if (size > max && k > 0) return { items: items.slice(0, k), dropped: items.length - k };
  }
  return { items, dropped: 0 };
}

/** RSS and Atom, written directly (render/xml.ts). */
function renderXml(meta: FeedMeta, items: FeedItem[]): string {
  // RSS: a short text description beside the full HTML in content:encoded.
  return meta.format === "atom" ? renderAtom(meta, items) : renderRss(meta, items, summary);
}

/** JSON Feed 1.1: plain JSON, built directly. */
function renderJson(meta: FeedMeta, items: FeedItem[]): string {
  return JSON.stringify(
    {
      version: "https://jsonfeed.org/version/1.1",
      title: meta.title,
      home_page_url: meta.link || undefined,
      feed_url: meta.selfUrls.json,
      description: meta.description,
      language: meta.language,
      authors: [{ name: meta.author }],
      items: items.map((item) => ({
        id: item.id,
        url: httpUrl(item.link) || undefined,
        title: item.title,
        content_html: item.html,
        summary: summary(item.html),
        date_published: rfc3339(item.date),
        tags: item.categories.length ? item.categories : undefined,
        authors: item.author ? [{ name: item.author }] : undefined,
      })),
    },
    null,
    2,
  );
}

/** The first words of an item, as plain text. Reads only the head of the HTML. */
export function summary(html: string): string {
  const text = leadingText(html);
  if (text.length <= SUMMARY_CHARS) return text;
  const cut = text.lastIndexOf(" ", SUMMARY_CHARS);
  return text.slice(0, cut > SUMMARY_CHARS / 2 ? cut : SUMMARY_CHARS) + "…";
}

/** The most HTML a summary reads: an item that has little text in this much is summarized by it. */
const SUMMARY_HTML = SUMMARY_CHARS * 8;

/**
 * The text of the HTML's head, as far as a summary needs it: that of a prefix ending before a tag,
 * grown until its text is longer than the summary (most items need a fifth of SUMMARY_HTML), else
 * of the whole SUMMARY_HTML. The text of a longer prefix only adds to the end of a shorter one's.
 */
function leadingText(html: string): string {
  for (let size = SUMMARY_CHARS * 2; size < SUMMARY_HTML; size *= 2) {
    const tag = html.indexOf("<", size);
    if (tag < 0 || tag >= SUMMARY_HTML) break;
    const text = htmlToText(html.slice(0, tag));
    if (text.length > SUMMARY_CHARS) return text;
  }
  return htmlToText(html.slice(0, SUMMARY_HTML).replace(/<[^>]*$/, ""));
}
