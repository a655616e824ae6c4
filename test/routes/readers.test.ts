/**
 * The feeds as a real reader library reads them (feedsmith, from npm: RSS, Atom, JSON Feed and
 * OPML): items of one issue stay in issue order when a reader sorts by date, every item has an id
 * of its own, Atom titles are text, and an imported OPML's every outline is a working feed with a
 * short title of its own.
 */
import { env, SELF } from "cloudflare:test";
import { parseFeed, parseOpml } from "feedsmith";
import { describe, expect, it } from "vitest";
import { refreshFeed } from "../../src/storage/refresh.js";
import type { FeedConfig } from "../../src/upstream/config.js";
import { expectEvery } from "../expect.js";

const HOST = "https://feedslice.test";
const cfg: FeedConfig = { id: "ainews", url: "https://fixtures.test/fixtures/upstream/ainews-buttondown-2024-04.rss.xml", title: "AINews", preset: "ainews" };

/** Each item's id, title and date, as the library reads them, in the feed's order. */
async function read(path: string): Promise<{ id: string; title: string; date: number }[]> {
  const res = await SELF.fetch(`${HOST}${path}`);
  expect(res.status).toBe(200);
  const { format, feed } = parseFeed(await res.text()) as { format: string; feed: Record<string, unknown> };
  if (format === "rss") {
    return (feed.items as { guid?: { value: string }; title: string; pubDate: string }[]).map((i) => ({ id: i.guid!.value, title: i.title, date: Date.parse(i.pubDate) }));
  }
  if (format === "atom") {
    return (feed.entries as { id: string; title: { value: string } | string; updated: string }[]).map((e) => ({
      id: e.id,
      title: typeof e.title === "string" ? e.title : e.title.value,
      date: Date.parse(e.updated),
    }));
  }
  return (feed.items as { id: string; title: string; date_published: string }[]).map((i) => ({ id: i.id, title: i.title, date: Date.parse(i.date_published) }));
}

describe("through a reader library", () => {
  it.each(["rss", "atom", "json"])("%s: sorted by date (newest first, as readers show them) the items keep their order; every id is its own", async (format) => {
    await refreshFeed(env, cfg);
    for (const query of ["granularity=topic&limit=200", "limit=200", "section=twitter&granularity=topic"]) {
      const items = await read(`/feeds/ainews.${format}?${query}`);
      expect(items.length).toBeGreaterThan(10);
      const sorted = [...items].sort((a, b) => b.date - a.date); // (a stable sort: ties would keep the feed's order)
      expect(sorted.map((i) => i.id), query).toEqual(items.map((i) => i.id));
      expect(new Set(items.map((i) => i.date)).size, `${query}: no two items share a date`).toBe(items.length);
      expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    }
  });

  it("the dates do not move between refreshes, nor with the filters", async () => {
    const all = await read("/feeds/ainews.atom?granularity=topic&limit=60");
    const before = await read("/feeds/ainews/twitter.atom?granularity=topic&limit=60");
    await refreshFeed(env, cfg, { force: true });
    const after = await read("/feeds/ainews/twitter.atom?granularity=topic&limit=60");
    expect(after).toEqual(before);
    const dates = new Map(all.map((i) => [i.id, i.date]));
    const both = after.filter((i) => dates.has(i.id));
    expect(both.length).toBeGreaterThan(2);
    for (const i of both) expect(i.date).toBe(dates.get(i.id));
  });

  it("Atom titles are text: markup characters in a title read as themselves", async () => {
    const body = await (await SELF.fetch(`${HOST}/feeds/ainews.atom?granularity=topic&limit=200`)).text();
    expect(body).not.toContain("<title type=");
    const titles = (await read("/feeds/ainews.atom?granularity=topic&limit=200")).map((i) => i.title);
    expect(titles.some((t) => t.includes("▷ #"))).toBe(true);
    expectEvery(titles, (t) => !t.includes("&amp;") && !t.includes("&lt;"));
  });

  it("the OPML imports as one folder of feeds with short, distinct titles, each a working feed", async () => {
    const opml = parseOpml(await (await SELF.fetch(`${HOST}/feeds/ainews.opml`)).text());
    const [folder] = opml.body!.outlines!;
    expect(folder!.text).toBe("AINews");
    const feeds = folder!.outlines!;
    expectEvery(feeds, (o) => o.type === "rss" && o.xmlUrl);
    expect(new Set(feeds.map((o) => o.text)).size).toBe(feeds.length);
    expectEvery(feeds, (o) => !o.text?.startsWith("AINews"));
    for (const o of feeds) expect((await read(new URL(o.xmlUrl!).pathname + new URL(o.xmlUrl!).search)).length, o.text).toBeGreaterThan(0);
  });
});
