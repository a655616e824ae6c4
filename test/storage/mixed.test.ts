/**
 * A digest published as one section of a Substack that has other posts too (AINews in Latent
 * Space's feed since 2026). No saved copy of that feed exists, so one is made the way Substack
 * mixes them: the real Interconnects feed (essays, roundups, podcasts) with real 2026 AINews issues
 * from news.smol.ai put among its items, titled "[AINews] …" as Latent Space titles them.
 */
import { describe, expect, it } from "vitest";
import { ingest } from "../../src/storage/ingest.js";
import { isCurrent } from "../../src/storage/state.js";
import { parseFeedsConfig } from "../../src/upstream/config.js";
import { testFile } from "../helpers.js";

async function mixedFeed(): Promise<{ xml: string; ainews: number; others: number }> {
  const substack = await testFile("fixtures/upstream/real/interconnects-2026.rss.xml");
  const smol = await testFile("fixtures/upstream/ainews-smol-2025-2026.rss.xml");
  const ainews = [...smol.matchAll(/<item>[\s\S]*?<\/item>/g)]
    .map((m) => m[0])
    .filter((item) => /<pubDate>[^<]*2026/.test(item))
    .map((item) => item.replace(/<title>([^<]*)<\/title>/, "<title>[AINews] $1</title>"));
  const others = substack.match(/<item>/g)!.length;
  // Interleaved: one AINews issue after each of the first posts.
  let k = 0;
  const xml = substack.replace(/<\/item>/g, (end) => (k < ainews.length ? `${end}\n${ainews[k++]}` : end));
  return { xml, ainews: k, others };
}

describe("a digest that is one section of a mixed feed", () => {
  it('with "titles": only its posts are issues, split with the preset\'s section ids', async () => {
    const { xml, ainews, others } = await mixedFeed();
    expect(ainews).toBeGreaterThanOrEqual(4);
    const [cfg] = parseFeedsConfig(JSON.stringify([{ id: "latent", url: "https://www.latent.space/feed", preset: "ainews", titles: "^\\[AINews\\]" }]));
    const { state } = ingest(cfg!, new TextEncoder().encode(xml), { url: cfg!.url, now: "2026-12-01T00:00:00Z", contentType: "application/rss+xml" });
    expect(state.issues.map((i) => i.title.startsWith("[AINews] "))).toEqual(new Array(ainews).fill(true));
    for (const issue of state.issues) {
      const ids = issue.split.sections.map((s) => s.id);
      expect(ids).toContain("twitter");
      expect(ids).toContain("reddit");
    }
    expect(state.skipped).toHaveLength(others);

    // The next refresh of the same body does not parse the other posts again.
    const again = ingest(cfg!, new TextEncoder().encode(xml), { url: cfg!.url, now: "2026-12-01T01:00:00Z", contentType: "application/rss+xml", previous: state });
    expect(again.parsed).toBe(0);
    expect(again.state.issues).toHaveLength(ainews);

    // Without the pattern, every post is an issue.
    const all = ingest({ ...cfg!, titles: undefined }, new TextEncoder().encode(xml), { url: cfg!.url, now: "2026-12-01T00:00:00Z", contentType: "application/rss+xml" });
    expect(all.state.issues).toHaveLength(ainews + others);
  });

  it("a pattern that does not compile is a configuration error naming the entry", () => {
    expect(() => parseFeedsConfig(JSON.stringify([{ id: "x", url: "https://x.test/feed", titles: "([" }]))).toThrow(/FEEDS\[0\]\.titles is not a valid pattern/);
    expect(() => parseFeedsConfig(JSON.stringify([{ id: "x", url: "https://x.test/feed", titles: 7 }]))).toThrow(/FEEDS\[0\]\.titles must be a pattern/);
  });
});

describe("section ids across refreshes", () => {
  const rss = (items: [string, string][]) =>
    new TextEncoder().encode(
      `<?xml version="1.0"?><rss version="2.0"><channel><title>Club news</title><link>https://club.test/</link>${items
        .map(([guid, heading]) => `<item><guid>https://club.test/${guid}</guid><title>${guid}</title><description>&lt;h2&gt;${heading}&lt;/h2&gt;&lt;p&gt;a&lt;/p&gt;&lt;h2&gt;Notes&lt;/h2&gt;&lt;p&gt;b&lt;/p&gt;</description></item>`)
        .join("")}</channel></rss>`,
    );
  const cfg = { url: "https://club.test/feed", preset: "headings" as const };

  it("a new issue whose heading is reworded by a plural or a date keeps the id the stored issues use", () => {
    const first = ingest(cfg, rss([["may", "Upcoming Events"]]), { url: cfg.url, now: "2026-05-01T00:00:00Z" });
    const next = ingest(cfg, rss([["june", "📆 Upcoming event, June 2026"], ["may", "Upcoming Events"]]), { url: cfg.url, now: "2026-06-01T00:00:00Z", previous: first.state });
    expect(next.state.issues.map((i) => i.split.sections[0]!.id)).toEqual(["upcoming-events", "upcoming-events"]);
    // Without the stored issues, its own slug.
    const alone = ingest(cfg, rss([["june", "📆 Upcoming event, June 2026"]]), { url: cfg.url, now: "2026-06-01T00:00:00Z" });
    expect(alone.state.issues[0]!.split.sections[0]!.id).toBe("upcoming-event");
  });
});

describe("a feed that names its boundaries (FEEDS split)", () => {
  it("is read from FEEDS, checked, and a change of it re-splits the stored issues", async () => {
    const entry = { id: "times", url: "https://times.test/feed", split: { sections: "td.page_title, td.nospacing" } };
    const [cfg] = parseFeedsConfig(JSON.stringify([entry]));
    expect(cfg!.split).toEqual({ sections: "td.page_title, td.nospacing" });
    const body = new TextEncoder().encode(await testFile("fixtures/upstream/real/times-top10-2023-02-03.rss.xml"));
    const { state } = ingest(cfg!, body, { url: cfg!.url, now: "2023-02-03T06:00:00Z" });
    expect(state.issues[0]!.split.sections.map((s) => s.title)).toContain("5 THINGS FIRST");
    expect(isCurrent(state, cfg!)).toBe(true);
    expect(isCurrent(state, { ...cfg!, split: { sections: "td.page_title" } })).toBe(false);
    expect(isCurrent(state, { ...cfg!, split: undefined })).toBe(false);

    const bad = (split: unknown) => () => parseFeedsConfig(JSON.stringify([{ ...entry, split }]));
    expect(bad({ sections: "td > a" })).toThrow(/FEEDS\[0\]\.split: "td > a" is not a tag name/);
    expect(bad("td.page_title")).toThrow(/FEEDS\[0\]\.split must be \{"sections"/);
    expect(bad({ topics: "strong" })).toThrow(/FEEDS\[0\]\.split must be/);
  });
});
