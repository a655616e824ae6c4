import { describe, expect, it } from "vitest";
import type { FeedItem, FeedMeta, Format } from "../../src/model.js";
import { htmlToText } from "../../src/lib/text.js";
import { parseFeed } from "../../src/parse/index.js";
import { renderFeed, summary } from "../../src/render/index.js";
import { sanitizeHtml } from "../../src/sanitize/index.js";
import { sliceHtml, splitIssue } from "../../src/split/index.js";
import { FIXTURES, fixtureFeed } from "../helpers.js";

const meta = (format: Format, language?: string): FeedMeta => ({
  title: "Digest & <Friends>",
  description: "All the news",
  link: "https://news.example/",
  selfUrls: { rss: "https://feedslice.example/feeds/d.rss?a=1&b=2", atom: "https://feedslice.example/feeds/d.atom", json: "https://feedslice.example/feeds/d.json" },
  format,
  language,
  updated: "2024-04-30T00:00:00.000Z",
  author: "Digest",
});

const items: FeedItem[] = [
  {
    id: "issue-7", // not a URL: written as it is
    title: "Q&A: <b> and ]]>",
    link: "https://news.example/7",
    date: "2024-04-29T10:00:00.000Z",
    categories: ["ai", 'say "hi"'],
    author: "Editor",
    html: "<p>One ]]> two ]]> three &amp; four</p>",
  },
];

describe("RSS and Atom, written directly", () => {
  it.each(["rss", "atom"] as const)("%s: what goes in comes back out through a feed parser", (format) => {
    const xml = renderFeed(meta(format), items);
    const back = parseFeed(xml, meta(format).selfUrls[format]);
    expect(back.title).toBe("Digest & <Friends>");
    expect(back.items).toHaveLength(1);
    const [item] = back.items;
    expect(item!.id).toBe("issue-7");
    expect(item!.title).toBe("Q&A: <b> and ]]>");
    expect(item!.html).toBe(items[0]!.html); // every "]]>" split out of the CDATA, and back
    expect(item!.categories).toEqual(["ai", 'say "hi"']);
    expect(item!.date).toBe("2024-04-29T10:00:00.000Z");
  });

  it("the feed's language: RSS <language>, Atom xml:lang, JSON Feed language", () => {
    expect(renderFeed(meta("rss", "en-us"), items)).toContain("<language>en-us</language>");
    expect(renderFeed(meta("atom", "en-us"), items)).toMatch(/^<\?xml[^>]*>\n<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom" xml:lang="en-us">/);
    expect(JSON.parse(renderFeed(meta("json", "en-us"), items)).language).toBe("en-us");
    expect(renderFeed(meta("rss"), items)).not.toContain("<language>");
    expect(renderFeed(meta("atom"), items)).not.toContain("xml:lang");
    expect(parseFeed(renderFeed(meta("atom", "fr"), items), "https://feedslice.example/").language).toBe("fr");
  });
});

describe("summaries", () => {
  /** A summary as the whole head of the HTML gives it: what reading only as far as needed must match. */
  const fromWholeHead = (html: string) => {
    const text = htmlToText(html.slice(0, 2240).replace(/<[^>]*$/, ""));
    if (text.length <= 280) return text;
    const cut = text.lastIndexOf(" ", 280);
    return text.slice(0, cut > 140 ? cut : 280) + "…";
  };

  it.each(FIXTURES)("$file: every item's summary, at every granularity, as the whole head of its HTML gives it", async ({ file, preset }) => {
    const feed = await fixtureFeed(file);
    let items = 0;
    for (const item of feed.items) {
      const html = sanitizeHtml(item.html);
      const { sections } = splitIssue(html, preset);
      for (const slice of [{ start: 0, end: html.length, open: [], close: [] }, ...sections, ...sections.flatMap((s) => s.topics)]) {
        const part = sliceHtml(html, slice);
        expect(summary(part)).toBe(fromWholeHead(part));
        items++;
      }
    }
    expect(items).toBeGreaterThan(feed.items.length);
  });

  it.each([
    ["short text: all of it", "<p>One <b>two</b></p><p>three</p>"],
    ["text that ends right where a longer head would go on", `<p>${"word ".repeat(56)}</p><p>${"more ".repeat(10)}</p>`],
    ["a long run without tags", `<p>${"x".repeat(3000)}</p>`],
    ["markup first, text late", `${"<p></p>".repeat(200)}<p>${"late text ".repeat(40)}</p>`],
    ["a tag cut off by the head", `<p>${"a ".repeat(1110)}<a href="https://example.com/${"y".repeat(100)}">link</a></p>`],
  ])("%s", (_, html) => {
    expect(summary(html)).toBe(fromWholeHead(html));
  });
});
