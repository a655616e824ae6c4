import { describe, expect, it } from "vitest";
import { canonicalQuery, listSections, ParamError, readQuery, selectItems } from "../../src/filter/index.js";
import type { FeedItem } from "../../src/model.js";
import { buildState } from "../../src/storage/build.js";
import { fixtureFeed } from "../helpers.js";
import { sanitizeHtml } from "../../src/sanitize/index.js";
import { expectEvery } from "../expect.js";

const NOW = new Date("2024-04-21T00:00:00Z");
const query = (qs: string) => readQuery(new URLSearchParams(qs), NOW);

async function april(file = "ainews-buttondown-2024-04.rss.xml") {
  const feed = await fixtureFeed(file);
  const built = buildState(feed, { url: "u", preset: "ainews", now: "2026-01-01T00:00:00.000Z" });
  const reads: string[] = [];
  const select = (qs: string) =>
    selectItems(built.state, query(qs), async (key) => {
      reads.push(key);
      return built.bodies.get(key) ?? null;
    });
  return { feed, state: built.state, bodies: built.bodies, select, reads };
}
const titles = (items: FeedItem[]) => items.map((i) => i.title);

describe("selectItems: granularity, sections, limit", () => {
  it("all sections of the newest issues first, capped by limit, reading only the bodies needed", async () => {
    const { select, reads } = await april();
    const items = await select("limit=8");
    expect(items.map((i) => `${i.section}@${i.date.slice(5, 10)}`)).toEqual([
      "intro@04-20", "reddit@04-20", "twitter@04-20", "discord@04-20", "discord-servers@04-20", "discord-channels@04-20", "intro@04-19", "reddit@04-19",
    ]);
    expect(reads.length).toBeLessThanOrEqual(4); // one batch of reads, not all five issues
  });

  it("section= keeps sections, exclude_section= drops them", async () => {
    const { select } = await april();
    expect(new Set((await select("section=twitter,reddit&limit=200")).map((i) => i.section))).toEqual(new Set(["twitter", "reddit"]));
    const rest = await select("exclude_section=discord-channels,intro&limit=200");
    expect(rest).toHaveLength(20);
    expect(rest.some((i) => i.section === "discord-channels" || i.section === "intro")).toBe(false);
  });

  it("granularity=topic yields topics; topic= keeps topics whose heading matches", async () => {
    const { select } = await april();
    const topics = await select("granularity=topic&section=twitter&limit=200");
    expect(topics.length).toBeGreaterThan(15);
    expectEvery(topics, (t) => t.topic && t.section === "twitter");
    const llama = await select("topic=llama&limit=200");
    expect(llama.length).toBeGreaterThan(3);
    for (const t of llama) expect(t.title.split(" · ")[0]!.replace(/ \([^)]*\)$/, "")).toMatch(/llama/i); // the topic's own title
  });

  it("granularity=issue passes whole issues through, sanitized", async () => {
    const { feed, select } = await april();
    const items = await select("granularity=issue&limit=3");
    for (const item of items) {
      const upstream = feed.items.find((i) => i.id === item.id)!;
      expect(item).toMatchObject({ title: upstream.title, link: upstream.link, html: sanitizeHtml(upstream.html), date: upstream.date });
    }
  });
});

describe("selectItems: text, category and date filters", () => {
  it("q matches text case-, accent- and width-insensitively, not markup or URLs", async () => {
    const { select } = await april();
    const plain = titles(await select("section=twitter&q=llama&limit=200"));
    expect(titles(await select("section=twitter&q=LLAMA&limit=200"))).toEqual(plain);
    expect(titles(await select("section=twitter&q=%EF%BD%8C%EF%BD%8C%EF%BD%81%EF%BD%8D%EF%BD%81&limit=200"))).toEqual(plain); // ｌｌａｍａ
    expect(titles(await select("section=twitter&q=llam%C3%A1&limit=200"))).toEqual(plain); // llamá
    // "twitter.com" is in every link's href, and "href" in every tag: neither is text.
    expect(await select("section=reddit&q=href&limit=200")).toHaveLength(0);
    expect(await select("section=twitter&q=status/1780&limit=200")).toHaveLength(0);
  });

  it("several terms match any of them; exclude_q drops items with any", async () => {
    const { select } = await april();
    const t = async (qs: string) => titles(await select(`granularity=topic&section=twitter,reddit,discord&limit=200&${qs}`));
    const llama = await t("q=llama");
    const mixtral = await t("q=mixtral");
    expect(llama.length).toBeGreaterThan(5);
    expect(mixtral.length).toBeGreaterThan(2);
    expect(new Set(await t("q=llama,mixtral"))).toEqual(new Set([...llama, ...mixtral]));
    const notLlama = await t("exclude_q=llama");
    expect(notLlama.length + llama.length).toBe((await t("")).length);
    expect(notLlama.some((t) => llama.includes(t))).toBe(false);
  });

  it("a topic-level text filter yields topics, not whole sections", async () => {
    const { select } = await april();
    const items = await select("granularity=topic&section=discord-servers&q=mojo&limit=200");
    expect(items.length).toBeGreaterThan(0);
    expectEvery(items, (i) => i.html.length < 10_000);
    expect(items.map((i) => i.title.split(" · ")[0])).toContain("Modular (Mojo 🔥) Discord (PART 1: High level Discord summaries)");
  });

  it("q_re and exclude_q_re use RE2, case-insensitive", async () => {
    const { select } = await april();
    const re = titles(await select("granularity=topic&q_re=llama[- ]?3&limit=200"));
    expect(re.length).toBeGreaterThan(0);
    expect(titles(await select("granularity=topic&q_re=LLAMA[- ]?3&limit=200"))).toEqual(re);
    const excluded = titles(await select("granularity=topic&exclude_q_re=llama[- ]?3&limit=200"));
    expect(excluded.some((t) => re.includes(t))).toBe(false);
  });

  it("category= matches upstream categories", async () => {
    const { select } = await april("ainews-smol-2025-2026.rss.xml");
    const items = await select("granularity=issue&category=OpenAI&limit=200");
    expect(items.length).toBeGreaterThan(0);
    expectEvery(items, (i) => i.categories.includes("openai"));
    expect(await select("granularity=issue&category=no-such-tag")).toHaveLength(0);
  });

  it("since= and days= keep recent issues", async () => {
    const { select } = await april();
    const since = await select("granularity=issue&since=2024-04-18");
    expect(since.map((i) => i.date.slice(0, 10))).toEqual(["2024-04-20", "2024-04-19"]);
    expect((await select("granularity=issue&days=2")).map((i) => i.date.slice(0, 10))).toEqual(["2024-04-20", "2024-04-19"]);
  });

  it("RSSHub's names: filter, filterout, filter_title, filter_description, filter_category, filter_time, filter_case_sensitive", async () => {
    const { select } = await april();
    const t = async (qs: string) => titles(await select(`granularity=topic&limit=200&${qs}`));
    expect(await t("filter=Llama")).toEqual(await t("q_re=Llama")); // case-insensitive here: ours
    expect((await t("filter=LLAMA")).length).toBeLessThan((await t("filter=LLAMA&filter_case_sensitive=false")).length); // RSSHub: case-sensitive by default
    expect(await t("filter=LLAMA&filter_case_sensitive=false")).toEqual(await t("q_re=llama"));
    expect((await t("filterout=Llama")).some((x) => /Llama/.test(x))).toBe(false);
    expectEvery((await t("filter_title=Llama")), (x) => /Llama/.test(x));
    expect((await t("filter_description=Mojo")).length).toBeGreaterThan(0);
    expect(await t("filter_category=^nothing$")).toEqual([]);
    expect((await select("granularity=issue&filter_time=172800")).map((i) => i.date.slice(0, 10))).toEqual(["2024-04-20", "2024-04-19"]);
  });

  it("a filter that matches nothing gives no items", async () => {
    const { select } = await april();
    expect(await select("q=zzzzqqqq")).toEqual([]);
  });
});

describe("readQuery: bad values are refused, naming the parameter", () => {
  it.each([
    ["granularity=word", /^granularity=word is not accepted: use issue, section or topic/],
    ["limit=abc", /^limit=abc is not accepted: use a whole number from 1 to 200/],
    ["limit=0", /^limit=0 is not accepted/],
    ["limit=201", /^limit=201 is not accepted/],
    ["format=xml", /^format=xml is not accepted: use rss, atom or json/],
    ["since=yesterday", /^since=yesterday is not accepted: use a date like 2024-04-01/],
    ["since=2024-13-45", /^since=2024-13-45 is not accepted/],
    ["days=-1", /^days=-1 is not accepted: use a whole number of days/],
    ["q=", /^q= is empty/],
    ["q=,,", /^q= is empty/],
    [`q=${Array.from({ length: 21 }, (_, i) => `t${i}`).join(",")}`, /^q= has 21 terms: at most 20/],
    [`exclude_q=${"x".repeat(101)}`, /^exclude_q= has a term of 101 characters: at most 100/],
    ["q_re=(unclosed", /^q_re=\(unclosed is not a valid regular expression \(RE2 syntax\)/],
    ["q_re=(a)\\1", /^q_re=.* is not a valid regular expression/], // backreferences: not RE2
    [`exclude_q_re=${"a".repeat(201)}`, /^exclude_q_re= is 201 characters long: at most 200/],
    ["topic=llama&granularity=section", /^topic= filters topic headings: it needs granularity=topic/],
    ["filter_time=soon", /^filter_time=soon is not accepted/],
    ["filter_case_sensitive=maybe", /^filter_case_sensitive=maybe is not accepted: use true or false/],
  ])("%s", (qs, message) => {
    expect(() => query(qs)).toThrow(ParamError);
    expect(() => query(qs)).toThrow(message);
  });

  it("ignores unknown parameters and takes topic= as granularity=topic", () => {
    expect(query("utm_source=x&topic=llama")).toMatchObject({ granularity: "topic", topic: ["llama"], limit: 20 });
  });
});

describe("canonicalQuery", () => {
  it("gives equivalent queries the same string", () => {
    const a = canonicalQuery(query("section=twitter,reddit&q=mixtral,llama&limit=20&utm=1"));
    expect(canonicalQuery(query("q=llama,mixtral&section=reddit,twitter"))).toBe(a);
    expect(a).toBe("?section=reddit%2Ctwitter&q=llama%2Cmixtral");
    expect(canonicalQuery(query("topic=x&granularity=topic"))).toBe(canonicalQuery(query("topic=x")));
    expect(canonicalQuery(query(""))).toBe("");
  });
});

describe("toFeedItem and listSections", () => {
  it("a section item: title, link with fragment, categories, stable id, its slice of the HTML", async () => {
    const { select } = await april();
    const [item] = await select("section=twitter&limit=1");
    expect(item!.title).toBe("AI Twitter Recap · Llama-3-70b is GPT-4-level Open Model");
    expect(item!.link).toBe("https://buttondown.com/ainews/archive/ainews-llama-3/#:~:text=AI%20Twitter%20Recap");
    expect(item!.categories[0]).toBe("twitter");
    expect(item!.html.startsWith("<h1>AI Twitter Recap</h1>")).toBe(true);
    expect(item!.html).not.toContain("<h1>AI Discord Recap</h1>");
    expect(item!.id).toMatch(/^urn:feedslice:[0-9a-z]+:twitter$/);
    // The text before the first heading has nothing to point at: the link as it is.
    const [intro] = await select("section=intro&limit=1");
    expect(intro!.link).toBe("https://buttondown.com/ainews/archive/ainews-llama-3/");
  });

  it("ids depend on the upstream id and the section/topic only, not on time, order or content", async () => {
    const { feed, state, bodies } = await april();
    const edited = { ...feed, items: [...feed.items].reverse().map((i, k) => (k === 0 ? { ...i, html: `${i.html}<p>correction</p>` } : i)) };
    const later = buildState(edited, { url: "u", preset: "ainews", now: "2026-01-02T00:00:00.000Z", previous: state });
    const ids = async (s: typeof state, get: (k: string) => string | Uint8Array) =>
      (await selectItems(s, query("granularity=topic&limit=200"), async (k) => get(k))).map((i) => i.id).sort();
    expect(await ids(later.state, (k) => later.bodies.get(k) ?? bodies.get(k)!)).toEqual(await ids(state, (k) => bodies.get(k)!));
  });

  it("lists each section once, with how many issues have it", async () => {
    const { state } = await april();
    expect(listSections(state).map((s) => `${s.id}:${s.items}`)).toEqual(["intro:5", "reddit:5", "twitter:5", "discord:5", "discord-servers:5", "discord-channels:5"]);
  });
});
