/**
 * The hostile corpus, through the real worker in workerd with real local KV: every hostile
 * upstream (feeds.ts, with the HTML payloads of html.ts in its issues) read in every format at
 * every granularity, hostile requests, and corrupt KV records. What a reader gets is checked:
 * - no answer is a 5xx but the 502 of a feed that never had data (its upstream unreadable);
 * - every RSS, Atom and OPML output parses in expat and, RSS and Atom, in feedparser with bozo 0;
 *   Atom validates against the RFC 4287 schema (validate.ts, run in Node);
 * - no <script>, no element a sanitizer drops, no event-handler attribute, no javascript: or data:
 *   URL (but data: images) in any HTML of any output, and every item and feed link is http(s).
 */
import { env, SELF } from "cloudflare:test";
import { XMLParser } from "fast-xml-parser";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { HOSTILE_FEEDS } from "./feeds.js";
import { HOSTILE_HTML } from "./html.js";
import { unsafe } from "./unsafe.js";

const HOST = "https://feedslice.test";
const get = (path: string, init?: RequestInit) => SELF.fetch(`${HOST}${path}`, init);

interface Collected {
  name: string;
  format: "rss" | "atom" | "opml";
  body: string;
}
const collected: Collected[] = [];

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", processEntities: true, htmlEntities: false, cdataPropName: undefined, isArray: (n) => ["item", "entry", "link", "category", "outline"].includes(n) });

/** Every HTML field and every link of a rendered feed. */
const isHtml = (v: unknown) => !!v && typeof v === "object" && ["html", "xhtml"].includes(String((v as Record<string, unknown>)["@type"]));

function fieldsOf(format: string, body: string): { html: string[]; links: string[] } {
  if (format === "json") {
    const feed = JSON.parse(body);
    return {
      html: feed.items.map((i: { content_html: string }) => i.content_html),
      links: [feed.home_page_url, feed.feed_url, ...feed.items.map((i: { url?: string }) => i.url)].filter((u) => u !== undefined),
    };
  }
  const doc = xml.parse(body);
  const text = (v: unknown): string => (typeof v === "string" ? v : v && typeof v === "object" ? String((v as Record<string, unknown>)["#text"] ?? "") : "");
  if (format === "rss") {
    const ch = doc.rss.channel;
    const items = (ch.item ?? []) as Record<string, unknown>[];
    return {
      html: items.flatMap((i) => [text(i["content:encoded"]), text(i.description)]),
      links: [text(ch.link[0]), ...items.map((i) => text((i.link as unknown[] | undefined)?.[0])).filter(Boolean)],
    };
  }
  const feed = doc.feed;
  const entries = (feed.entry ?? []) as Record<string, unknown>[];
  return {
    // A title is HTML only where it says so (type="html"); else it is text, shown as it reads.
    html: entries.flatMap((e) => [text(e.content), ...(isHtml(e.title) ? [text(e.title)] : [])]),
    links: [...(feed.link as { "@href": string }[]), ...entries.flatMap((e) => (e.link as { "@href": string }[] | undefined) ?? [])].map((l) => l["@href"]),
  };
}

const FORMATS = ["rss", "atom", "json"] as const;
const GRANULARITIES = ["section", "topic", "issue"] as const;

describe("hostile upstreams: every format, every granularity", () => {
  it("the corpus holds at least 60 hostile inputs", () => {
    expect(HOSTILE_FEEDS.length + HOSTILE_HTML.length).toBeGreaterThanOrEqual(60);
  });

  it.each(HOSTILE_FEEDS.map((f) => [f.id, f] as const))("%s", async (_id, feed) => {
    for (const granularity of GRANULARITIES) {
      for (const format of FORMATS) {
        const res = await get(`/feeds/${feed.id}.${format}?granularity=${granularity}&limit=200`);
        const body = await res.text();
        if (feed.unreadable) {
          expect(res.status, `${feed.id} ${format}: ${body}`).toBe(502);
          continue;
        }
        expect(res.status, `${feed.id} ${format} ${granularity}: ${body.slice(0, 300)}`).toBe(200);
        const { html, links } = fieldsOf(format, body);
        expect(html.flatMap(unsafe), `${feed.id} ${format} ${granularity}`).toEqual([]);
        for (const link of links) expect(link, `${feed.id} ${format}`).toMatch(/^https?:\/\//);
        expect(body.length).toBeLessThan(12_000_000);
        if (format !== "json") collected.push({ name: `${feed.id}.${format}?granularity=${granularity}`, format, body });
      }
    }
    if (!feed.unreadable) {
      const opml = await get(`/feeds/${feed.id}.opml`);
      expect(opml.status).toBe(200);
      collected.push({ name: `${feed.id}.opml`, format: "opml", body: await opml.text() });
    }
  });

  it("the RSS description is the summary as escaped text: code shown upstream stays text", async () => {
    const body = await (await get("/feeds/title-escaped-script.rss?granularity=issue")).text();
    const { html } = fieldsOf("rss", body);
    expect(html.join("")).not.toContain("<script>");
    expect(html.some((h) => h.includes("&lt;script&gt;"))).toBe(true);
  });

  it("an email's items are cut inside its layout and re-open only the sanitized wrappers", async () => {
    const items = JSON.parse(await (await get("/feeds/xss-email.json?limit=200")).text()).items as { title: string; content_html: string }[];
    expect(items.length).toBeGreaterThan(10);
    for (const item of items.slice(1)) {
      expect(item.content_html.startsWith('<div class="wrap"><table><tr><td style="font-size:14px">'), item.title).toBe(true);
      expect(item.content_html.endsWith("</td></tr></table></div>"), item.title).toBe(true);
    }
    const topics = JSON.parse(await (await get("/feeds/xss-email.json?granularity=topic&limit=200")).text()).items as { title: string }[];
    expect(topics.some((t) => t.title.startsWith("Lead 3 (Section 3)"))).toBe(true);
  });

  it("giant titles and category lists are capped at ingest", async () => {
    const titles = JSON.parse(await (await get("/feeds/giant-title.json?limit=200")).text()).items.map((i: { title: string }) => i.title);
    expect(Math.max(...titles.map((t: string) => t.length))).toBeLessThan(1_000);
    const item = JSON.parse(await (await get("/feeds/many-categories.json?granularity=issue")).text()).items[0];
    expect(item.tags.length).toBeLessThanOrEqual(32);
  });

  it("a UTF-8 body served as UTF-8 reads as UTF-8 though its prolog says ISO-8859-1", async () => {
    const item = JSON.parse(await (await get("/feeds/charset-prolog-lies.json?granularity=issue")).text()).items[0];
    expect(item.title).toBe("café");
    expect(item.content_html).toContain("naïve");
  });

  it("invalid languages are dropped, out-of-range dates are not written", async () => {
    for (const id of ["lang-space", "lang-digit", "lang-markup", "lang-json"]) {
      const body = await (await get(`/feeds/${id}.atom`)).text();
      expect(body, id).not.toContain("xml:lang");
    }
    for (const id of ["date-year-minus-1", "date-year-10000", "date-275760"]) {
      const rss = await (await get(`/feeds/${id}.rss?granularity=issue`)).text();
      expect(rss).not.toMatch(/<pubDate>[^<]*(-0|10000|275760)/);
      const atom = await (await get(`/feeds/${id}.atom?granularity=issue`)).text();
      expect(atom).toMatch(/<updated>\d{4}-\d\d-\d\dT/);
      expect(atom).not.toMatch(/<updated>[+-]/);
    }
  });

  it("comments and processing instructions before the root element are read past", async () => {
    for (const id of ["long-comment-before-root", "comment-mentions-feed", "doctype-subset"]) {
      const feed = JSON.parse(await (await get(`/feeds/${id}.json?granularity=issue`)).text());
      expect(feed.items.length, id).toBe(1);
    }
  });

  it("a JSON Feed field of the wrong type is read as absent, the item kept", async () => {
    const feed = JSON.parse(await (await get("/feeds/json-wrong-types.json?granularity=issue")).text());
    expect(feed.items.map((i: { content_html: string }) => i.content_html)).toContain("<p>kept</p>");
    const jane = JSON.parse(await (await get("/feeds/json-authors-string.json?granularity=issue")).text());
    expect(jane.items).toHaveLength(1);
  });
});

describe("hostile requests", () => {
  beforeAll(async () => {
    await get("/feeds/xss-rss.rss");
  });

  it.each([
    "/feeds/%ff.rss",
    "/feeds/%.rss",
    "/feeds/xss-rss/%ff.rss",
    "/feeds/xss-rss.rss?q=%01",
    "/feeds/xss-rss.rss?q=%ff%fe",
    "/feeds/xss-rss.atom?q=%01%02%0b&topic=%1f",
    "/feeds/xss-rss.atom?q_re=%01",
    "/feeds/xss-rss.rss?q_re=(a",
    "/feeds/xss-rss.rss?q_re=" + "a".repeat(5000),
    "/feeds/xss-rss.rss?limit=-1",
    "/feeds/xss-rss.rss?limit=1e9",
    "/feeds/xss-rss.rss?since=%00",
    "/feeds/xss-rss.rss?days=NaN",
    "/feeds/xss-rss.rss?granularity=<script>",
    "/feeds/xss-rss.rss?section=<script>",
    "/feeds/xss-rss.rss?format=xml",
    "/feeds/xss-rss.rss?lang=zh",
    "/feeds/xss-rss.rss?lang=%3Cscript%3E",
    "/feeds/xss-rss.rss?filter=(",
    "/feeds/xss-rss.rss?filter_time=abc",
    "/feeds/xss-rss.rss?" + "q=a&".repeat(500),
    "/feeds/xss-rss.opml?q=%01",
    "/feeds/<script>.rss",
    "/feeds/xss-rss/../../status",
    "/nope/%ff",
    "/%ff",
  ])("GET %s", async (path) => {
    const res = await get(path);
    const body = await res.text();
    expect(res.status, body).toBeLessThan(500);
    if (res.status >= 400) {
      expect(res.headers.get("Content-Type")).toMatch(/^text\/plain/);
      expect(body.length).toBeLessThan(2_000);
    } else {
      const type = res.headers.get("Content-Type") ?? "";
      const format = type.includes("atom") ? "atom" : type.includes("rss") ? "rss" : type.includes("opml") ? "opml" : undefined;
      if (format) collected.push({ name: path, format, body });
    }
  });

  it.each(["/admin/refresh/%ff", "/admin/refresh/nope", "/admin/refresh/xss-rss"])("POST %s", async (path) => {
    for (const auth of [undefined, "Bearer wrong", "Bearer hostile-admin"]) {
      const res = await get(path, { method: "POST", headers: auth ? { Authorization: auth } : {} });
      expect(res.status, `${path} ${auth}: ${await res.text()}`).toBeLessThan(500);
    }
  });

  it("the filter terms echoed in the title are valid XML", async () => {
    const body = await (await get("/feeds/xss-rss.rss?q=%01a%0b")).text();
    expect(body).not.toMatch(/[\u0001\u000b]/);
  });
});

describe("corrupt KV records", () => {
  it.each([
    ["state: not JSON", "state", "{not json"],
    ["state: JSON of the wrong shape", "state", JSON.stringify({ version: 6, issues: "x" })],
    ["state: issues of the wrong shape", "state", JSON.stringify({ version: 6, url: "https://hostile.test/xss-atom", preset: "headings", refreshedAt: "x", upstream: {}, issues: [{ key: 1 }], fetch: { bodyHash: "a", url: "b", fetchedAt: "c" } })],
    ["status: not JSON", "status", "]"],
    ["status: JSON of the wrong shape", "status", JSON.stringify([1, 2])],
  ])("%s: the feed and /status still answer, and the feed is rebuilt", async (_name, record, value) => {
    const id = "xss-atom";
    expect((await get(`/feeds/${id}.atom`)).status).toBe(200);
    // The worker logs a record it cannot read (and reads it as absent): caught here, and checked.
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    await env.KV.put(`${record}:${id}`, value);
    const res = await get(`/feeds/${id}.atom?x=${record}`);
    expect(res.status).toBe(200);
    expect(fieldsOf("atom", await res.text()).html.length).toBeGreaterThan(10);
    const status = await get("/status");
    expect(status.status).toBe(200);
    const feeds = (await status.json<{ feeds: { id: string; error?: string }[] }>()).feeds;
    expect(feeds.length).toBe(HOSTILE_FEEDS.length);
    // The next refresh writes good records again.
    const { refreshFeed } = await import("../../src/storage/refresh.js");
    const { readFeedsConfig } = await import("../../src/upstream/config.js");
    await refreshFeed(env, readFeedsConfig(env.FEEDS).find((f) => f.id === id)!);
    const state = await env.KV.get(`state:${id}`, "json");
    expect(state).toMatchObject({ version: expect.any(Number), issues: expect.any(Array) });
    expect(await env.KV.get(`status:${id}`, "json")).toMatchObject({ failures: 0 });
    const notJson = !value.startsWith("{\"") && !value.startsWith("[");
    if (notJson) expect(logged).toHaveBeenCalledWith(`${record}:${id}: not JSON; read as absent`);
    logged.mockRestore();
  });

  it("a forced refresh writes again every issue body that is missing", async () => {
    const id = "xss-rss";
    await get(`/feeds/${id}.rss`);
    const keys = (await env.KV.list({ prefix: `issue:${id}:` })).keys.map((k) => k.name);
    expect(keys.length).toBeGreaterThan(10);
    await env.KV.delete(keys[0]!);
    await env.KV.delete(keys[5]!);
    const res = await get(`/admin/refresh/${id}`, { method: "POST", headers: { Authorization: "Bearer hostile-admin" } });
    expect(res.status).toBe(200);
    const after = (await env.KV.list({ prefix: `issue:${id}:` })).keys.map((k) => k.name);
    expect(after).toContain(keys[0]);
    expect(after).toContain(keys[5]);
  });
});

describe("every XML output through real parsers", () => {
  it("expat and feedparser (bozo 0) for RSS, Atom and OPML; the RFC 4287 schema for Atom", async () => {
    expect(collected.length).toBeGreaterThan(300);
    const res = await fetch("https://validate.test/", { method: "POST", body: JSON.stringify(collected) });
    const { skipped, verdicts } = await res.json<{ skipped: string[]; verdicts: { name: string; errors: string[] }[] }>();
    if (skipped.length) console.warn(`hostile corpus: skipped ${skipped.join(", ")}`);
    expect(verdicts.filter((v) => v.errors.length)).toEqual([]);
  });
});
