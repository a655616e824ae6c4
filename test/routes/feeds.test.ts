import { createExecutionContext, createScheduledController, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it, vi } from "vitest";
import worker from "../../src/index.js";
import { FeedStore } from "../../src/storage/kv.js";
import { fixtureFeed, hrefs } from "../helpers.js";
import { sanitizeHtml } from "../../src/sanitize/index.js";
import { expectEvery } from "../expect.js";

const HOST = "https://feedslice.test";
const get = (path: string, init?: RequestInit) => SELF.fetch(`${HOST}${path}`, init);
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", isArray: (n) => ["item", "entry", "link", "category"].includes(n) });

describe("GET /feeds/:feed/:section", () => {
  it("RSS: the Twitter recap of each issue, newest first, valid XML with a self link", async () => {
    const res = await get("/feeds/ainews/twitter.rss");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/rss+xml; charset=utf-8");
    const body = await res.text();
    expect(XMLValidator.validate(body)).toBe(true);
    const channel = xml.parse(body).rss.channel;
    expect(channel.title).toBe("AINews · AI Twitter Recap");
    expect([channel["atom:link"]].flat()[0]["@href"]).toBe(`${HOST}/feeds/ainews/twitter.rss`);
    expect(channel.item.map((i: { title: string }) => i.title)).toEqual([
      "AI Twitter Recap · Llama-3-70b is GPT-4-level Open Model",
      "AI Twitter Recap · Meta Llama 3 (8B, 70B)",
      "AI Twitter Recap · Mixtral 8x22B Instruct sparks efficiency memes",
      "AI Twitter Recap · Lilian Weng on Video Diffusion",
      "AI Twitter Recap · Multi-modal, Multi-Aspect, Multi-Form-Factor AI",
    ]);
    for (const item of channel.item) {
      expect(item.guid["#text"]).toMatch(/^urn:feedslice:[a-z0-9]+:twitter$/);
      expect(item["content:encoded"]).toMatch(/^<h1>AI Twitter Recap<\/h1>/);
      expect(item["content:encoded"]).not.toContain("AI Discord Recap</h1>");
    }
  });

  it("Atom and JSON Feed carry the same items", async () => {
    const atom = xml.parse(await (await get("/feeds/ainews/twitter.atom")).text()).feed;
    const json = await (await get("/feeds/ainews/twitter.json")).json<{ version: string; items: { id: string; title: string; content_html: string }[] }>();
    expect(json.version).toBe("https://jsonfeed.org/version/1.1");
    expect(atom.entry.map((e: { id: string }) => e.id)).toEqual(json.items.map((i) => i.id));
    expect(atom.link.find((l: Record<string, string>) => l["@rel"] === "self")["@href"]).toBe(`${HOST}/feeds/ainews/twitter.atom`);
    expect(atom.author.name).toBe("AINews");
    expect(atom.entry[0].category[0]["@term"]).toBe("twitter");
  });

  it("granularity=topic gives one item per topic of the section", async () => {
    const body = await (await get("/feeds/ainews/twitter.json?granularity=topic&limit=3")).json<{ title: string; items: { title: string }[] }>();
    expect(body.title).toBe("AINews · AI Twitter Recap · by topic");
    expect(body.items.map((i) => i.title)).toEqual([
      "Meta Llama 3 Release (AI Twitter Recap) · Llama-3-70b is GPT-4-level Open Model",
      "Open Source AI Landscape (AI Twitter Recap) · Llama-3-70b is GPT-4-level Open Model",
      "Ethical and Societal Implications (AI Twitter Recap) · Llama-3-70b is GPT-4-level Open Model",
    ]);
  });
});

describe("GET /feeds/:feed", () => {
  it("section items of all issues, newest first, limit 20 by default", async () => {
    const body = await (await get("/feeds/ainews.json")).json<{ title: string; items: { id: string; tags: string[] }[] }>();
    expect(body.title).toBe("AINews · by section");
    expect(body.items).toHaveLength(20);
    expect(body.items.slice(0, 6).map((i) => i.tags[0])).toEqual(["intro", "reddit", "twitter", "discord", "discord-servers", "discord-channels"]);
  });

  it("granularity=issue passes whole issues through, sanitized, with their upstream ids", async () => {
    const feed = await fixtureFeed("ainews-buttondown-2024-04.rss.xml");
    const body = await (await get("/feeds/ainews.json?granularity=issue")).json<{ items: { id: string; url: string; content_html: string }[] }>();
    expect(body.items.map((i) => i.id).sort()).toEqual(feed.items.map((i) => i.id).sort());
    for (const item of body.items) expect(item.content_html).toBe(sanitizeHtml(feed.items.find((i) => i.id === item.id)!.html));
  });

  it.each([
    ["ainews", "ainews-buttondown-2024-04.rss.xml", "section"],
    ["twir", "twir-2026.atom.xml", "section"],
    ["twir", "twir-2026.atom.xml", "topic"],
  ])("%s: every link of every issue is in exactly one %s item", async (id, file, granularity) => {
    const feed = await fixtureFeed(file);
    const body = await (await get(`/feeds/${id}.json?granularity=${granularity}&limit=200`)).json<{ items: { content_html: string }[] }>();
    expect(body.items.length).toBeLessThan(200);
    expect(body.items.flatMap((i) => hrefs(i.content_html)).sort()).toEqual(feed.items.flatMap((i) => hrefs(sanitizeHtml(i.html))).sort());
  });

  it("limit caps the items and shows in the self link", async () => {
    const body = await (await get("/feeds/smol.json?limit=3")).json<{ feed_url: string; items: unknown[] }>();
    expect(body.items).toHaveLength(3);
    expect(body.feed_url).toBe(`${HOST}/feeds/smol.json?limit=3`);
  });

  it("serves the bundled sample through the ASSETS binding", async () => {
    const res = await get("/feeds/sample/reddit.rss");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("AI Reddit Recap · Meta Llama 3 (8B, 70B)");
  });

  it("HEAD answers like GET, without a body", async () => {
    const res = await get("/feeds/ainews.atom", { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/atom+xml; charset=utf-8");
    expect(await res.text()).toBe("");
  });
});

describe("GET /feeds", () => {
  it("lists every feed with its sections, item counts and URLs", async () => {
    const body = await (await get("/feeds")).json<{ feeds: { id: string; sections: { id: string; items: number; urls: Record<string, string> }[]; error?: string; urls: Record<string, string> }[] }>();
    const ainews = body.feeds.find((f) => f.id === "ainews")!;
    expect(ainews.urls).toEqual({ rss: `${HOST}/feeds/ainews.rss`, atom: `${HOST}/feeds/ainews.atom`, json: `${HOST}/feeds/ainews.json` });
    expect(ainews.sections.map((s) => `${s.id}:${s.items}`)).toEqual(["intro:5", "reddit:5", "twitter:5", "discord:5", "discord-servers:5", "discord-channels:5"]);
    expect(ainews.sections[2]!.urls.atom).toBe(`${HOST}/feeds/ainews/twitter.atom`);
    expectEvery(ainews.sections, (s) => (s as { recurring?: boolean }).recurring); // each in every issue
    const twir = body.feeds.find((f) => f.id === "twir")!;
    expect(twir.sections.map((s) => s.id)).toContain("upcoming-events");
    expect(body.feeds.find((f) => f.id === "broken")!.error).toMatch(/has not been fetched yet and its upstream failed: .*HTTP 500/);
  });
});

describe("GET /feeds/:feed", () => {
  it("is that feed's entry of the index: its sections, recurring ones marked, and its URLs", async () => {
    const res = await get("/feeds/ainews");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
    const one = await res.json<{ id: string; issues: number; sections: { id: string; recurring: boolean }[] }>();
    const all = await (await get("/feeds")).json<{ feeds: { id: string }[] }>();
    expect(one).toEqual(all.feeds.find((f) => f.id === "ainews"));
    expect(one.issues).toBe(5);
    expect(one.sections.map((s) => `${s.id}:${s.recurring}`)).toContain("twitter:true");
  });

  it("a feed that cannot be fetched is listed with why, as in /feeds", async () => {
    const res = await get("/feeds/broken");
    expect(res.status).toBe(200);
    const one = await res.json<{ error: string; sections: unknown[] }>();
    expect(one.error).toMatch(/HTTP 500/);
    expect(one.sections).toEqual([]);
  });

  it("with ?format= it is the feed itself", async () => {
    const res = await get("/feeds/ainews?format=atom");
    expect(res.headers.get("Content-Type")).toBe("application/atom+xml; charset=utf-8");
  });
});

describe("errors a user can cause", () => {
  it.each([
    ["/feeds/nope.rss", 404, 'No feed "nope". Feeds here: ainews, smol, twir, month, sample, broken or internal. See /feeds.'],
    ["/feeds/ainews/nope.rss", 404, 'Feed "ainews" has no section "nope". Its sections: intro, reddit, twitter, discord, discord-servers or discord-channels.'],
    ["/feeds/ainews.xml", 404, '"ainews.xml" needs a format: an extension (.rss, .atom, .json or .opml) or ?format=rss|atom|json.'],
    ["/feeds/nope", 404, 'No feed "nope". Feeds here: ainews, smol, twir, month, sample, broken or internal. See /feeds.'],
    ["/feeds/ainews.rss?limit=abc", 400, "limit=abc is not accepted: use a whole number from 1 to 200 (default 20)."],
    ["/feeds/ainews.rss?limit=0", 400, "limit=0 is not accepted: use a whole number from 1 to 200 (default 20)."],
    ["/feeds/ainews.rss?limit=201", 400, "limit=201 is not accepted: use a whole number from 1 to 200 (default 20)."],
    ["/feeds/ainews.rss?granularity=word", 400, "granularity=word is not accepted: use issue, section or topic (default section)."],
    ["/feeds/ainews/twitter.rss?granularity=issue", 400, 'granularity=issue gives whole issues: use it on the whole feed (/feeds/ainews.rss), not on the section "twitter".'],
    ["/nowhere", 404, "Nothing at /nowhere. Routes: GET /, GET /feeds, GET /feeds/:feed, GET /feeds/:feed.{rss,atom,json,opml}, GET /feeds/:feed/:section.{rss,atom,json}, GET /status, GET /healthz, POST /admin/refresh/:feed."],
  ])("%s → %i", async (path, status, message) => {
    const res = await get(path);
    expect(res.status).toBe(status);
    expect(res.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
    expect((await res.text()).trim()).toBe(message);
  });

  it("POST is 405", async () => {
    const res = await get("/feeds/ainews.rss", { method: "POST" });
    expect(res.status).toBe(405);
    expect(res.headers.get("Allow")).toBe("GET, HEAD");
  });

  it("an upstream on a private address is refused, and the feed answers 502 saying why", async () => {
    const res = await get("/feeds/internal.rss");
    expect(res.status).toBe(502);
    expect(await res.text()).toMatch(/refused to fetch 127\.0\.0\.1:9: loopback and private-network upstreams are off/);
  });
});

describe("cron", () => {
  it("refreshes every feed; a failing upstream does not stop the others", async () => {
    // Start clean: no data for twir, and no backoff left by earlier tests for the failing feeds.
    await Promise.all(["state:twir", "status:broken", "status:internal"].map((k) => env.KV.delete(k)));
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "*/30 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect((await new FeedStore(env.KV, "twir").getState())!.issues).toHaveLength(4);
    expect((await new FeedStore(env.KV, "month").getState())!.issues).toHaveLength(22);
    expect((await new FeedStore(env.KV, "broken").getStatus())!.lastError).toMatch(/HTTP 500/);
    expect(errors.mock.calls.map((c) => String(c[0]))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^refresh broken: /), expect.stringMatching(/^refresh internal: refused/)]),
    );
    errors.mockRestore();
  });
});
