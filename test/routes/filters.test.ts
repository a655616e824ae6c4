import { SELF } from "cloudflare:test";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { htmlToText } from "../../src/lib/text.js";
import { fixtureFeed } from "../helpers.js";
import { expectEvery } from "../expect.js";

const HOST = "https://feedslice.test";
const get = (path: string) => SELF.fetch(`${HOST}${path}`);
type Json = { title: string; feed_url: string; items: { id: string; title: string; content_html: string; tags?: string[]; date_published: string }[] };
const json = async (path: string) => {
  const res = await get(path);
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json<Json>();
};

describe("filtered feeds", () => {
  it("April 2024 AINews, section=twitter&q=llama: exactly the Twitter recaps that mention Llama", async () => {
    // Expected, found independently of the splitter: the text between the Twitter recap's <h1> and the next <h1>.
    const month = await fixtureFeed("ainews-buttondown-2024-04-month.rss.xml");
    const expected = month.items
      .filter((issue) => {
        const m = /<h1>AI Twitter Recap<\/h1>([\s\S]*?)(?=<h1>|$)/.exec(issue.html);
        return m && /llama/i.test(`AI Twitter Recap · ${issue.title}\n${htmlToText(m[1]!)}`);
      })
      .map((issue) => `AI Twitter Recap · ${issue.title}`);
    expect(expected.length).toBeGreaterThan(5);
    expect(expected.length).toBeLessThan(month.items.length);
    const body = await json("/feeds/month.json?section=twitter&q=llama&limit=200");
    expect(body.items.map((i) => i.title).sort()).toEqual(expected.sort());
    expect(body.title).toBe('AINews · AI Twitter Recap · "llama"');
  });

  it("the feed's title and description say what it holds", async () => {
    expect((await json("/feeds/ainews/twitter.json?q=llama")).title).toBe('AINews · AI Twitter Recap · "llama"');
    expect((await json("/feeds/ainews.json?section=twitter,reddit")).title).toBe("AINews · AI Reddit Recap + AI Twitter Recap");
    expect((await json("/feeds/ainews.json?granularity=topic&topic=llama")).title).toBe('AINews · topics: "llama" · by topic');
    expect((await json("/feeds/smol.json?category=openai&granularity=issue")).title).toBe("AINews · #openai");
  });

  it("each parameter reaches the filter", async () => {
    const tags = (b: Json) => [...new Set(b.items.map((i) => i.tags![0]))];
    expect(tags(await json("/feeds/ainews.json?section=twitter,reddit&limit=200")).sort()).toEqual(["reddit", "twitter"]);
    expect(tags(await json("/feeds/ainews.json?exclude_section=discord-channels&limit=200"))).not.toContain("discord-channels");
    expect((await json("/feeds/ainews/twitter.json?exclude_q=llama")).items.length).toBeLessThan(5);
    expect((await json("/feeds/ainews/twitter.json?q_re=llama%5B-%20%5D%3F3")).items.length).toBeGreaterThan(0);
    expect((await json("/feeds/ainews/twitter.json?exclude_q_re=.")).items).toHaveLength(0);
    expect((await json("/feeds/ainews.json?granularity=issue&since=2024-04-19")).items).toHaveLength(2);
    expect((await json("/feeds/ainews.json?granularity=issue&days=3650")).items).toHaveLength(5);
    expect((await json("/feeds/smol.json?granularity=issue&category=openai")).items.length).toBeGreaterThan(0);
    expectEvery((await json("/feeds/ainews.json?topic=llama&limit=200")).items, (i) => /llama/i.test(i.title.split(" · ")[0]!));
    expect((await json("/feeds/ainews/twitter.json?filter=Llama&filter_case_sensitive=false")).items.length).toBeGreaterThan(0);
    expect((await json("/feeds/ainews/twitter.json?filterout=.")).items).toHaveLength(0);
    expect((await json("/feeds/ainews.json?granularity=issue&filter_time=60")).items).toHaveLength(0); // nothing in the last minute
  });

  it("format= is an alternative to the extension", async () => {
    const res = await get("/feeds/ainews/twitter?format=atom");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/atom+xml; charset=utf-8");
    const self = /<link rel="self" href="([^"]+)"/.exec(await res.text())![1];
    expect(self).toBe(`${HOST}/feeds/ainews/twitter.atom`);
  });

  it("equivalent URLs render identical output", async () => {
    const a = await (await get("/feeds/ainews.rss?section=twitter,reddit&q=mixtral,llama&utm_source=x")).text();
    const b = await (await get("/feeds/ainews.rss?q=llama,mixtral&section=reddit,twitter&limit=20")).text();
    expect(a).toBe(b);
    expect(a).toContain(`<atom:link href="${HOST}/feeds/ainews.rss?section=reddit%2Ctwitter&amp;q=llama%2Cmixtral" rel="self"`);
  });

  it("a filter that matches nothing is a valid feed with no items", async () => {
    const res = await get("/feeds/ainews.atom?q=zzzzqqqq");
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain("<feed");
    expect(body).not.toContain("<entry>");
  });
});

describe("bad filter values: 400 naming the parameter", () => {
  it.each([
    ["/feeds/ainews.rss?section=twiter", 'section=twiter is not accepted: feed "ainews" has the sections intro, reddit, twitter, discord, discord-servers or discord-channels.'],
    ["/feeds/ainews.rss?exclude_section=nope,twitter", 'exclude_section=nope is not accepted: feed "ainews" has the sections intro, reddit, twitter, discord, discord-servers or discord-channels.'],
    ["/feeds/ainews.rss?since=last-week", "since=last-week is not accepted: use a date like 2024-04-01 (or 2024-04-01T12:00:00Z)."],
    ["/feeds/ainews.rss?days=many", "days=many is not accepted: use a whole number of days from 1 to 3650."],
    ["/feeds/ainews.rss?limit=abc", "limit=abc is not accepted: use a whole number from 1 to 200 (default 20)."],
    ["/feeds/ainews.rss?format=atom", "format=atom contradicts the extension .rss: give one of them."],
    ["/feeds/ainews?format=xml", "format=xml is not accepted: use rss, atom or json."],
    ["/feeds/ainews.rss?q=", "q= is empty: give one or more terms separated by commas, e.g. q=llama,mixtral."],
    ["/feeds/ainews.rss?granularity=section&topic=llama", "topic= filters topic headings: it needs granularity=topic (or no granularity), not granularity=section."],
    ["/feeds/ainews.rss?filter_case_sensitive=yes", "filter_case_sensitive=yes is not accepted: use true or false (default true, as in RSSHub)."],
  ])("%s", async (path, message) => {
    const res = await get(path);
    expect(res.status).toBe(400);
    expect((await res.text()).trim()).toBe(message);
  });
});

it("an invalid regular expression is a 400 with RE2's reason", async () => {
  const res = await get("/feeds/ainews.rss?q_re=(");
  expect(res.status).toBe(400);
  expect(await res.text()).toMatch(/^q_re=\( is not a valid regular expression \(RE2 syntax\): error parsing regexp: missing closing \)/);
});

describe("GET /feeds/:feed.opml", () => {
  it("one outline per section feed and the whole-issue feed, each a working feed URL", async () => {
    const res = await get("/feeds/ainews.opml?q=llama");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/x-opml; charset=utf-8");
    const opml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(await res.text()).opml;
    const outlines = opml.body.outline.outline as { text: string; xmlUrl: string; type: string }[];
    expect(outlines.map((o) => o.text)).toEqual([
      "Whole issues",
      "All sections",
      "Intro",
      "AI Reddit Recap",
      "AI Twitter Recap",
      "AI Discord Recap",
      "PART 1: High level Discord summaries",
      "PART 2: Detailed by-Channel summaries and links",
    ]);
    expect(outlines[4]!.xmlUrl).toBe(`${HOST}/feeds/ainews/twitter.rss?q=llama`);
    for (const o of outlines) {
      expect(o.type).toBe("rss");
      expect((await SELF.fetch(o.xmlUrl)).status).toBe(200);
    }
  });

  it.each(["topic=llama", "section=twitter&exclude_section=reddit", "granularity=issue"])("with %s, every outline is still a working feed", async (qs) => {
    const opml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(await (await get(`/feeds/ainews.opml?${qs}`)).text()).opml;
    for (const o of opml.body.outline.outline as { xmlUrl: string }[]) {
      const res = await SELF.fetch(o.xmlUrl);
      expect(res.status, `${o.xmlUrl}: ${await res.clone().text()}`).toBe(200);
    }
  });
});
