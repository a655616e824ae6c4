import type { FeedItem, FeedMeta, Format } from "../model.js";
import { htmlToText } from "../lib/text.js";
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
  return meta.format === "json" ? renderJson(meta, items) : renderXml(meta, items);
}

/** RSS and Atom, written directly (render/xml.ts); titles are escaped where Atom declares them as HTML. */
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
      home_page_url: meta.link,
      feed_url: meta.selfUrls.json,
      description: meta.description,
      language: meta.language,
      authors: [{ name: meta.author }],
      items: items.map((item) => ({
        id: item.id,
        url: item.link,
        title: item.title,
        content_html: item.html,
        summary: summary(item.html),
        date_published: item.date,
        tags: item.categories.length ? item.categories : undefined,
        authors: item.author ? [{ name: item.author }] : undefined,
      })),
    },
    null,
    2,
  );
}

/** The first words of an item, as plain text. Reads only the head of the HTML. */
function summary(html: string): string {
  const text = htmlToText(html.slice(0, SUMMARY_CHARS * 8).replace(/<[^>]*$/, ""));
  if (text.length <= SUMMARY_CHARS) return text;
  const cut = text.lastIndexOf(" ", SUMMARY_CHARS);
  return text.slice(0, cut > SUMMARY_CHARS / 2 ? cut : SUMMARY_CHARS) + "…";
}
