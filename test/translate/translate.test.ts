import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Env } from "../../src/env.js";
import worker from "../../src/index.js";
import { refreshFeed } from "../../src/storage/refresh.js";
import type { FeedConfig } from "../../src/upstream/config.js";
import { hrefs, testFile } from "../helpers.js";
import { fakeTranslate, type StubStats } from "./stub.js";
import { expectEvery } from "../expect.js";

const HOST = "https://feedslice.test";
const UPSTREAM = "https://fixtures.test/fixtures/upstream/ainews-buttondown-2024-04.rss.xml";
const cfg: FeedConfig = { id: "ainews", url: UPSTREAM, title: "AINews", preset: "ainews" };
/** The Apr 18 issue (Meta Llama 3): the one our users translated by hand. */
const APR18 = "Meta Llama 3 (8B, 70B)";

afterEach(() => vi.restoreAllMocks());

/** The worker's env with an OpenAI-compatible translator; each scenario has its own model, hence its own stored units. */
function openaiEnv(scenario: string, extra: Partial<Env> = {}): Env {
  return {
    ...env,
    TRANSLATOR: "openai",
    OPENAI_BASE_URL: `https://openai.test/${scenario}/v1`,
    OPENAI_MODEL: `model-${scenario}`,
    OPENAI_API_KEY: "test-key",
    TRANSLATE_WAIT_MS: "60000",
    TRANSLATE_DAILY_CHARS: "100000000",
    ...extra,
  } as Env;
}

async function get(e: Env, path: string): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${HOST}${path}`), e, ctx);
  const body = await res.text();
  await waitOnExecutionContext(ctx); // translations finishing in the background are stored
  return new Response(body, res);
}

async function json(e: Env, path: string): Promise<{ title: string; language?: string; items: { id: string; title: string; content_html: string; tags?: string[] }[] }> {
  const res = await get(e, path);
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json();
}

async function stats(url: string): Promise<StubStats> {
  return (await fetch(url)).json();
}
const openaiStats = (scenario: string) => stats(`https://openai.test/${scenario}/__stats`);

/** Every start tag of a fragment, in order. */
const startTags = (html: string) => [...html.matchAll(/<[a-zA-Z][^>]*>/g)].map((m) => m[0]);
const codes = (html: string) => [...html.matchAll(/<code[^>]*>[\s\S]*?<\/code>/g)].map((m) => m[0]);

describe("lang= without a translator, and bad values", () => {
  it("answers 400 saying translation is not set up", async () => {
    await refreshFeed(env, cfg);
    const res = await get(env, "/feeds/ainews/twitter.rss?lang=zh");
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/translation is not set up/);
  });

  it("names the parameter for a bad language or display", async () => {
    const e = openaiEnv("ok~params");
    const bad = await get(e, "/feeds/ainews.rss?lang=zh_CN!");
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/lang=zh_CN! is not accepted/);
    expect((await get(e, "/feeds/ainews.rss?display=bilingual")).status).toBe(400);
    expect(await (await get(e, "/feeds/ainews.rss?lang=zh&display=sideways")).text()).toMatch(/display=sideways/);
    expect((await openaiStats("ok~params")).requests).toBe(0);
  });
});

describe("a translated feed (OpenAI-compatible API)", () => {
  const e = openaiEnv("ok~main");
  /** The fixture stored as upstream sends it, every issue translated into Chinese. */
  const translatedWhole = async () => {
    await refreshFeed(env, cfg, { force: true });
    await json(e, "/feeds/ainews.json?granularity=issue&lang=zh");
  };

  it("keeps the structure of the Apr 18 issue: every tag, link and code span, only text translated", async () => {
    await refreshFeed(env, cfg);
    const original = (await json(env, "/feeds/ainews.json?granularity=issue")).items.find((i) => i.title === APR18)!;
    const feed = await json(e, "/feeds/ainews.json?granularity=issue&lang=zh");
    const item = feed.items.find((i) => i.content_html.includes(startTags(original.content_html)[3]!) && i.id !== original.id)!;
    const html = item.content_html;
    expect(html).not.toBe(original.content_html);
    // The stub marks translated text with 【zh】: without the marks, it is the original byte for byte.
    expect(html.replaceAll("【zh】", "")).toBe(original.content_html);
    expect(startTags(html)).toEqual(startTags(original.content_html));
    expect(hrefs(html)).toEqual(hrefs(original.content_html));
    expect(codes(html)).toEqual(codes(original.content_html));
    expect(html).toContain("@omarsar0");
    expect(html.match(/【zh】/g)!.length).toBeGreaterThan(500);
    expect(item.title).toBe(`【zh】${APR18}`);
    expect(item.tags ?? []).not.toContain("untranslated");
    expect(feed.language).toBe("zh");
    expect(feed.title).toContain("中文");
  });

  it("declares the language in every format, with a guid of its own per language, stable across requests", async () => {
    const rss = await (await get(e, "/feeds/ainews/twitter.rss?lang=zh")).text();
    expect(rss).toContain("<language>zh</language>");
    const atom = await get(e, "/feeds/ainews/twitter.atom?lang=zh");
    expect(atom.headers.get("Content-Language")).toBe("zh");
    expect(await atom.text()).toMatch(/<feed [^>]*xml:lang="zh"/);
    const plain = await json(env, "/feeds/ainews/twitter.json");
    const zh = await json(e, "/feeds/ainews/twitter.json?lang=zh");
    const zhAgain = await json(e, "/feeds/ainews/twitter.json?lang=zh");
    const ja = await json(e, "/feeds/ainews/twitter.json?lang=ja");
    expect(zh.items.map((i) => i.id)).toEqual(zhAgain.items.map((i) => i.id));
    for (const [k, item] of zh.items.entries()) {
      expect(item.id).toBe(`${plain.items[k]!.id}:zh`);
      expect(ja.items[k]!.id).toBe(`${plain.items[k]!.id}:ja`);
      expect(item.title.startsWith("【zh】")).toBe(true);
    }
  });

  it("sends nothing again: not for another format, view or order of parameters, nor after an unchanged refresh", async () => {
    await translatedWhole();
    const before = await openaiStats("ok~main");
    expect(before.requests).toBeGreaterThan(0);
    await json(e, "/feeds/ainews.json?granularity=topic&lang=zh&section=twitter");
    await get(e, "/feeds/ainews/reddit.atom?lang=zh&limit=3");
    await get(e, "/feeds/ainews.rss?lang=zh");
    expect((await refreshFeed(e, cfg, { force: true })).parsed).toBe(0);
    await get(e, "/feeds/ainews.rss?lang=zh&limit=19");
    expect(await openaiStats("ok~main")).toEqual(before);
  });

  it("after an upstream edit to one topic, sends only the unit that changed", async () => {
    await translatedWhole();
    const body = await testFile("fixtures/upstream/ainews-buttondown-2024-04.rss.xml");
    const edited = body.replace("Decisive Discussion Scheduled&lt;/strong&gt;: A meeting was scheduled", "Decisive Discussion Scheduled&lt;/strong&gt;: A meeting was planned");
    expect(edited).not.toBe(body);
    const real = globalThis.fetch;
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) =>
      String(input instanceof Request ? input.url : input) === UPSTREAM ? new Response(edited) : real(input, init),
    );
    expect((await refreshFeed(e, cfg)).parsed).toBe(1);
    const before = await openaiStats("ok~main");
    const feed = await json(e, "/feeds/ainews.json?granularity=issue&lang=zh");
    const after = await openaiStats("ok~main");
    expect(after.texts - before.texts).toBe(1);
    expect(feed.items.some((i) => i.content_html.includes("【zh】: A meeting was planned") || i.content_html.includes("A meeting was planned"))).toBe(true);
    expectEvery(feed.items, (i) => !(i.tags ?? []).includes("untranslated"));
    vi.restoreAllMocks();
    await refreshFeed(e, cfg); // back to the fixture
  });

  it("bilingual: each translated block followed by its original", async () => {
    const plain = await json(env, "/feeds/ainews/twitter.json?limit=1");
    const bi = await json(e, "/feeds/ainews/twitter.json?limit=1&lang=zh&display=bilingual");
    const html = bi.items[0]!.content_html;
    const original = plain.items[0]!.content_html;
    const heading = /^<h1>[^<]*<\/h1>/.exec(original)![0];
    const quote = /<blockquote>[\s\S]*?<\/blockquote>/.exec(original)![0];
    expect(html.startsWith(`${fakeTranslate(heading, "zh")}${heading}`)).toBe(true);
    expect(html).toContain(`${fakeTranslate(quote, "zh")}${quote}`);
    expect(bi.title).toContain("中文 + 英语");
    expect(html.replaceAll("【zh】", "").length).toBeGreaterThan(plain.items[0]!.content_html.length * 1.9);
    // Other content, another id (a reader subscribed to both keeps both); the same content, the same id.
    const zh = await json(e, "/feeds/ainews/twitter.json?limit=1&lang=zh");
    expect(new Set([plain.items[0]!.id, zh.items[0]!.id, bi.items[0]!.id]).size).toBe(3);
    expect((await json(e, "/feeds/ainews/twitter.json?limit=1&lang=zh&display=bilingual")).items[0]!.id).toBe(bi.items[0]!.id);
  });
});

describe("a language asked for the first time", () => {
  it("answers within the wait with what is ready, marked; the rest arrives in the background", async () => {
    const e = openaiEnv("slow~wait", { TRANSLATE_WAIT_MS: "100" });
    const first = await get(e, "/feeds/ainews/twitter.json?limit=2&lang=de");
    expect(first.headers.get("X-Feedslice-Untranslated")).toBe("2");
    const firstFeed = (await first.json()) as Awaited<ReturnType<typeof json>>;
    expectEvery(firstFeed.items, (i) => i.tags!.includes("untranslated"));
    const sent = await openaiStats("slow~wait");
    expect(sent.texts).toBeGreaterThan(0);
    // get() waited for the background work: the next request finds everything done, and sends nothing.
    const second = await get(e, "/feeds/ainews/twitter.json?limit=2&lang=de");
    expect(second.headers.get("X-Feedslice-Untranslated")).toBeNull();
    const feed = (await second.json()) as Awaited<ReturnType<typeof json>>;
    expectEvery(feed.items, (i) => i.content_html.includes("【de】") && !(i.tags ?? []).includes("untranslated"));
    expect(await openaiStats("slow~wait")).toEqual(sent);
  });
});

describe("what is sent", () => {
  it("a section feed sends that section's units and the titles, and nothing of the rest of the issue", async () => {
    const e = openaiEnv("ok~section");
    const plain = await json(env, "/feeds/ainews/twitter.json?limit=1");
    await json(e, "/feeds/ainews/twitter.json?limit=1&lang=zh");
    const first = await openaiStats("ok~section");
    // The section's HTML, compacted, plus the issue's titles: well under twice the section.
    expect(first.chars).toBeLessThan(plain.items[0]!.content_html.length * 2);
    await get(e, "/feeds/ainews/twitter.rss?limit=1&lang=zh");
    expect(await openaiStats("ok~section")).toEqual(first);
  });
});

describe("when the provider misbehaves", () => {
  it("a 429 is retried after Retry-After, then everything is translated", async () => {
    const feed = await json(openaiEnv("ratelimit~a"), "/feeds/ainews/twitter.json?limit=2&lang=zh");
    const s = await openaiStats("ratelimit~a");
    expect(s.requests).toBe(s.texts);
    expectEvery(feed.items, (i) => !(i.tags ?? []).includes("untranslated"));
    expectEvery(feed.items, (i) => i.content_html.includes("【zh】"));
  });

  it("an outage serves the original, marked untranslated, not cached; a later request translates", async () => {
    const plain = await json(env, "/feeds/ainews/twitter.json?limit=2");
    const res = await get(openaiEnv("outage~b", { OPENAI_MODEL: "model-b" }), "/feeds/ainews/twitter.json?limit=2&lang=zh");
    expect(res.status).toBe(200);
    expect(res.headers.get("X-Feedslice-Untranslated")).toBe("2");
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=60");
    const feed = (await res.json()) as Awaited<ReturnType<typeof json>>;
    expect(feed.items.map((i) => i.content_html)).toEqual(plain.items.map((i) => i.content_html));
    expect(feed.items.map((i) => i.title)).toEqual(plain.items.map((i) => i.title));
    for (const item of feed.items) expect(item.tags).toContain("untranslated");
    // The provider is left alone after a few failures in a row, not hammered for every unit.
    const s = await openaiStats("outage~b");
    expect(s.requests).toBeLessThanOrEqual(4 * 4 + 4 * 3);
    // Back up (same model, so the same stored units): translated now.
    const later = await json(openaiEnv("ok~b", { OPENAI_MODEL: "model-b" }), "/feeds/ainews/twitter.json?limit=2&lang=zh");
    expectEvery(later.items, (i) => i.content_html.includes("【zh】") && !(i.tags ?? []).includes("untranslated"));
  });

  it("an answer that drops a link is rejected and asked again", async () => {
    const plain = await json(env, "/feeds/ainews/twitter.json?limit=1");
    const feed = await json(openaiEnv("droplink-once~c"), "/feeds/ainews/twitter.json?limit=1&lang=zh");
    const s = await openaiStats("droplink-once~c");
    expect(s.texts).toBeGreaterThan(0);
    expect(hrefs(feed.items[0]!.content_html)).toEqual(hrefs(plain.items[0]!.content_html));
    expect(feed.items[0]!.tags ?? []).not.toContain("untranslated");
  });

  it("an answer that keeps dropping a link leaves that unit in the original, and the item marked", async () => {
    const plain = await json(env, "/feeds/ainews/twitter.json?limit=1");
    const feed = await json(openaiEnv("droplink~d"), "/feeds/ainews/twitter.json?limit=1&lang=zh");
    const html = feed.items[0]!.content_html;
    expect(hrefs(html)).toEqual(hrefs(plain.items[0]!.content_html));
    expect(html.replaceAll("【zh】", "")).toBe(plain.items[0]!.content_html);
    expect(feed.items[0]!.tags).toContain("untranslated");
    // The title (no links in it) was translated; the broken units are not asked for again today.
    expect(feed.items[0]!.title.startsWith("【zh】")).toBe(true);
    const s = await openaiStats("droplink~d");
    await get(openaiEnv("droplink~d"), "/feeds/ainews/twitter.rss?limit=1&lang=zh");
    expect((await openaiStats("droplink~d")).requests).toBe(s.requests);
  });

  it("past the daily budget, serves the rest untranslated and sends no more", async () => {
    const day = new Date().toISOString().slice(0, 10);
    const used = Number(await env.KV.get(`budget:openai:${day}`)) || 0;
    const e = openaiEnv("ok~budget", { TRANSLATE_DAILY_CHARS: String(used + 6000) });
    const res = await get(e, "/feeds/ainews/twitter.json?limit=3&lang=zh");
    expect(Number(res.headers.get("X-Feedslice-Untranslated"))).toBeGreaterThan(0);
    const s = await openaiStats("ok~budget");
    expect(s.chars).toBeGreaterThan(0);
    expect(s.chars).toBeLessThanOrEqual(6000);
    expect(Number(await env.KV.get(`budget:openai:${day}`))).toBe(used + s.chars);
    const again = await get(e, "/feeds/ainews/twitter.json?limit=3&lang=zh");
    expect(again.headers.get("X-Feedslice-Untranslated")).toBe(res.headers.get("X-Feedslice-Untranslated"));
    expect((await openaiStats("ok~budget")).requests).toBe(s.requests);
  });
});

describe("other providers", () => {
  it("DeepL: batches of texts, HTML tag handling, free endpoint for :fx keys", async () => {
    const e = { ...env, TRANSLATOR: "deepl", DEEPL_API_KEY: "ok~deepl:fx" } as Env;
    const feed = await json(e, "/feeds/ainews/twitter.json?limit=3&lang=zh");
    expectEvery(feed.items, (i) => i.content_html.includes("【zh-hans】") && !(i.tags ?? []).includes("untranslated"));
    const s = await stats("https://api-free.deepl.com/__stats/ok~deepl");
    expect(s.texts).toBeGreaterThan(s.requests * 5);
    expect(feed.title).toContain("中文");
  });

  it("Workers AI: the AI binding, the configured model, max_tokens set", async () => {
    const calls: { model: string; input: { messages: { content: string }[]; max_tokens: number } }[] = [];
    const AI = {
      async run(model: string, input: (typeof calls)[number]["input"]) {
        calls.push({ model, input });
        return { response: fakeTranslate(input.messages[1]!.content, "ja") };
      },
    };
    const e = { ...env, TRANSLATOR: "workers-ai", AI, WORKERS_AI_MODEL: "@cf/meta/llama-3.1-8b-instruct" } as unknown as Env;
    const feed = await json(e, "/feeds/ainews/reddit.json?limit=1&lang=ja");
    expect(calls.length).toBeGreaterThan(0);
    expectEvery(calls, (c) => c.model === "@cf/meta/llama-3.1-8b-instruct" && c.input.max_tokens >= 512);
    expect(feed.items[0]!.content_html).toContain("【ja】");
    expect(feed.language).toBe("ja");
  });

  it("a provider named but not configured is a 503 that says what is missing", async () => {
    const res = await get({ ...env, TRANSLATOR: "deepl" } as Env, "/feeds/ainews.rss?lang=zh");
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/DEEPL_API_KEY/);
    const index = (await (await get({ ...env, TRANSLATOR: "deepl" } as Env, "/feeds")).json()) as { translation: unknown };
    expect(index.translation).toEqual({ error: expect.stringMatching(/DEEPL_API_KEY/) });
  });

  it("/feeds says which translator answers lang=, and which languages the cron prepares", async () => {
    const feeds = JSON.stringify([{ ...cfg, languages: ["zh", "ja"] }]);
    const index = (await (await get(openaiEnv("ok~index", { FEEDS: feeds }), "/feeds")).json()) as { translation: unknown; feeds: { languages?: string[] }[] };
    expect(index.translation).toEqual({ provider: "openai", model: "model-ok~index" });
    expect(index.feeds[0]!.languages).toEqual(["zh", "ja"]);
    expect(((await (await get(env, "/feeds")).json()) as { translation: unknown }).translation).toBeNull();
  });
});

describe("languages translated by the cron", () => {
  it("translates the newest issues into the configured languages; the second run sends nothing", async () => {
    const feeds = JSON.stringify([{ ...cfg, languages: ["zh"] }]);
    const e = openaiEnv("ok~cron", { FEEDS: feeds, TRANSLATE_ISSUES: "5", TRANSLATE_DAILY_CHARS: "100000000" });
    const run = async () => {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "*/30 * * * *" }), e, ctx);
      await waitOnExecutionContext(ctx);
      return openaiStats("ok~cron");
    };
    const first = await run();
    const second = await run();
    console.log(`April 2024 fixture (5 issues) into Chinese: first refresh sent ${first.chars} characters in ${first.requests} requests; second refresh sent ${second.chars - first.chars}`);
    expect(first.chars).toBeGreaterThan(1_000_000);
    expect(second).toEqual(first);
    // Ready for readers: the whole feed, any view, without a provider call.
    const feed = await json(e, "/feeds/ainews.json?granularity=topic&limit=200&lang=zh");
    expect(feed.items.length).toBe(200);
    expectEvery(feed.items, (i) => !(i.tags ?? []).includes("untranslated"));
    expect(await openaiStats("ok~cron")).toEqual(first);
  });
});
