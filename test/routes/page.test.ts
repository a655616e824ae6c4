/** GET / — the feed builder, without script (the form's path): what a person meets first. */
import { createExecutionContext, env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env.js";
import worker from "../../src/index.js";
import { refreshFeed } from "../../src/storage/refresh.js";
import type { FeedConfig } from "../../src/upstream/config.js";

const HOST = "https://feedslice.test";
const cfg: FeedConfig = { id: "ainews", url: "https://fixtures.test/fixtures/upstream/ainews-buttondown-2024-04.rss.xml", title: "AINews", preset: "ainews" };
const page = async (qs = "") => {
  const res = await SELF.fetch(`${HOST}/${qs}`, { headers: { Accept: "text/html" } });
  return { res, html: await res.text() };
};

describe("the builder page", () => {
  it("is HTML with a strict Content-Security-Policy, every field labelled, the feeds and the first feed's sections", async () => {
    await refreshFeed(env, cfg);
    const { res, html } = await page();
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("Content-Security-Policy")).toMatch(/default-src 'none'; script-src 'self'; style-src 'self'/);
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)/); // no inline script
    expect(html).not.toMatch(/\sstyle=|\son\w+=/); // no inline style or handler
    for (const id of ["feed", "granularity", "q", "topic", "q_re", "format", "limit"]) expect(html).toContain(`<label for="${id}">`);
    expect(html).toContain('<option value="ainews" selected>AINews</option>');
    expect(html).toMatch(/<input type="checkbox" name="section" value="twitter"> <span>AI Twitter Recap <span class="count">in 5 of 5 issues<\/span><\/span>/);
    expect(html).not.toContain('id="lang"'); // no translator configured: no language field
  });

  it("offers a language, with the cost note, only when a translator is configured", async () => {
    const translating = { ...env, TRANSLATOR: "openai", OPENAI_BASE_URL: "https://openai.test/page/v1", OPENAI_MODEL: "m", OPENAI_API_KEY: "k" } as Env;
    const res = await worker.fetch(new Request(`${HOST}/`, { headers: { Accept: "text/html" } }), translating, createExecutionContext());
    const html = await res.text();
    expect(html).toContain('<label for="lang">Language</label>');
    expect(html).toMatch(/Each new issue costs translation characters from the daily budget/);
  });

  it("submitted, shows the feed URL and a preview of exactly the items that URL returns", async () => {
    const { html } = await page("?feed=ainews&section=twitter&section=reddit&granularity=topic&q=llama&format=atom");
    expect(html).toContain(`${HOST}/feeds/ainews.atom?section=twitter%2Creddit&amp;granularity=topic&amp;q=llama`);
    const feed = await (await SELF.fetch(`${HOST}/feeds/ainews.json?section=twitter,reddit&granularity=topic&q=llama`)).json<{ items: { title: string }[] }>();
    expect(feed.items.length).toBeGreaterThan(0);
    const shown = [...html.matchAll(/<li><h3>([^<]*)<\/h3>/g)].map((m) => m[1]!.replaceAll("&amp;", "&").replaceAll("&#39;", "'").replaceAll("&quot;", '"'));
    expect(shown).toEqual(feed.items.slice(0, 5).map((i) => i.title));
    expect(html).toMatch(/<input type="checkbox" name="section" value="twitter" checked>/);
    expect(html).toContain('href="feed://feedslice.test/feeds/ainews.atom?');
  });

  it("a bad value shows the worker's own 400 message next to the field it names", async () => {
    const { res, html } = await page("?feed=ainews&limit=0");
    expect(res.status).toBe(200);
    const message = await (await SELF.fetch(`${HOST}/feeds/ainews.json?limit=0`)).text();
    expect(message).toMatch(/^limit=0 is not accepted/);
    expect(html).toMatch(/<input id="limit" name="limit" inputmode="numeric" value="0" placeholder="20" aria-invalid="true" aria-describedby="limit-error">/);
    expect(html).toContain(`<p class="error" id="limit-error" role="alert">${message}</p>`);
  });

  it("serves its script, style and icon, cached; JSON clients still get the route list at /", async () => {
    expect((await page("")).html).toContain('<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">'); // (no request for a missing /favicon.ico)
    for (const [file, type] of [["builder.js", "text/javascript"], ["builder.css", "text/css"], ["favicon.svg", "image/svg+xml"]]) {
      const res = await SELF.fetch(`${HOST}/assets/${file}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("Content-Type")).toBe(`${type}; charset=utf-8`);
      expect(res.headers.get("Cache-Control")).toBe("public, max-age=86400");
      expect((await res.text()).length).toBeLessThan(8000);
    }
    expect((await SELF.fetch(`${HOST}/assets/nope.js`)).status).toBe(404);
    const json = await (await SELF.fetch(`${HOST}/`, { headers: { Accept: "application/json" } })).json<{ routes: string[] }>();
    expect(json.routes).toContain("GET /feeds");
  });
});

describe("a feed URL opened in a browser", () => {
  it("is a page that says how to subscribe and lists the items; a reader gets the feed's bytes, whatever it accepts", async () => {
    for (const format of ["rss", "atom", "json"]) {
      const path = `/feeds/ainews/twitter.${format}`;
      const reader = await SELF.fetch(`${HOST}${path}`, { headers: { Accept: "application/rss+xml, text/html;q=0.5, */*" } });
      expect(reader.headers.get("Content-Type")).toMatch(/^application\/(rss\+xml|atom\+xml|feed\+json)/);
      expect(reader.headers.get("Vary")).toContain("Sec-Fetch-Dest");
      const page = await SELF.fetch(`${HOST}${path}`, { headers: { Accept: "text/html", "Sec-Fetch-Dest": "document", "Sec-Fetch-Mode": "navigate" } });
      const html = await page.text();
      expect(page.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
      expect(page.headers.get("Content-Security-Policy")).toMatch(/^default-src 'none'; style-src 'self'/);
      expect(html).toContain(`copy its address into your feed reader: <code>${HOST}${path}</code>`);
      const items = (await (await SELF.fetch(`${HOST}/feeds/ainews/twitter.json`)).json<{ items: { title: string }[] }>()).items;
      expect([...html.matchAll(/<h3><a [^>]*>([^<]*)<\/a><\/h3>/g)].map((m) => m[1])).toEqual(items.map((i) => i.title.replaceAll("&", "&amp;").replaceAll("'", "&#39;")));
      expect(html).not.toMatch(/<script|\sstyle=|\son\w+=/);
    }
  });
});
