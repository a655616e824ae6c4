import { describe, expect, it } from "vitest";
import { listSections, pickItems, toFeedItem } from "../../src/filter/index.js";
import { buildState } from "../../src/storage/state.js";
import { fixtureFeed } from "../helpers.js";

async function aprilState() {
  const feed = await fixtureFeed("ainews-buttondown-2024-04.rss.xml");
  const built = buildState(feed, { url: "u", preset: "ainews", now: "2026-01-01T00:00:00.000Z" });
  const html = (key: string) => built.bodies.get(key)!;
  return { feed, state: built.state, html };
}

describe("pickItems", () => {
  it("section granularity: all sections of the newest issues first, capped by limit", async () => {
    const { state } = await aprilState();
    const picked = pickItems(state, { granularity: "section", limit: 8 });
    expect(picked).toHaveLength(8);
    expect(picked.map((p) => p.issue.title)).toEqual([...Array(6).fill("Llama-3-70b is GPT-4-level Open Model"), ...Array(2).fill("Meta Llama 3 (8B, 70B)")]);
    expect(picked.slice(0, 6).map((p) => p.section!.id)).toEqual(["intro", "reddit", "twitter", "discord", "discord-servers", "discord-channels"]);
  });

  it("one section across issues, newest first", async () => {
    const { state } = await aprilState();
    const picked = pickItems(state, { granularity: "section", section: "twitter", limit: 20 });
    expect(picked).toHaveLength(5);
    const dates = picked.map((p) => p.issue.date);
    expect([...dates].sort().reverse()).toEqual(dates);
  });

  it("topic granularity yields topics; issue granularity whole issues", async () => {
    const { state } = await aprilState();
    const topics = pickItems(state, { granularity: "topic", section: "twitter", limit: 200 });
    expect(topics.length).toBeGreaterThan(15);
    expect(topics.every((p) => p.topic && p.section!.id === "twitter")).toBe(true);
    expect(pickItems(state, { granularity: "issue", limit: 3 }).map((p) => p.section)).toEqual([undefined, undefined, undefined]);
  });
});

describe("toFeedItem", () => {
  it("a section item: title, link with fragment, categories, stable id, its slice of the HTML", async () => {
    const { state, html } = await aprilState();
    const [p] = pickItems(state, { granularity: "section", section: "twitter", limit: 1 });
    const item = toFeedItem(p!, html(p!.issue.key));
    expect(item.title).toBe("AI Twitter Recap · Llama-3-70b is GPT-4-level Open Model");
    expect(item.link).toBe("https://buttondown.com/ainews/archive/ainews-llama-3/#:~:text=AI%20Twitter%20Recap");
    expect(item.categories[0]).toBe("twitter");
    expect(item.html.startsWith("<h1>AI Twitter Recap</h1>")).toBe(true);
    expect(item.html).not.toContain("<h1>AI Discord Recap</h1>");
    expect(item.id).toMatch(/^urn:feedslice:[0-9a-z]+:twitter$/);
  });

  it("ids depend on the upstream id and the section/topic only, not on time, order or content", async () => {
    const { feed, state, html } = await aprilState();
    // Refresh a day later with the issues in another order and one issue's content edited.
    const edited = { ...feed, items: [...feed.items].reverse().map((i, k) => (k === 0 ? { ...i, html: `${i.html}<p>correction</p>` } : i)) };
    const later = buildState(edited, { url: "u", preset: "ainews", now: "2026-01-02T00:00:00.000Z", previous: state });
    const ids = (s: typeof state, get: (k: string) => string) =>
      pickItems(s, { granularity: "topic", limit: 200 }).map((p) => toFeedItem(p, get(p.issue.key)).id).sort();
    expect(ids(later.state, (k) => later.bodies.get(k) ?? html(k))).toEqual(ids(state, html));
  });

  it("a whole issue is a faithful pass-through: upstream id, title, link and HTML", async () => {
    const { feed, state, html } = await aprilState();
    const [p] = pickItems(state, { granularity: "issue", limit: 1 });
    const item = toFeedItem(p!, html(p!.issue.key));
    const upstream = feed.items.find((i) => i.id === item.id)!;
    expect(item).toMatchObject({ title: upstream.title, link: upstream.link, html: upstream.html, date: upstream.date });
  });
});

describe("listSections", () => {
  it("lists each section once, with how many issues have it", async () => {
    const { state } = await aprilState();
    expect(listSections(state).map((s) => `${s.id}:${s.items}`)).toEqual([
      "intro:5", "reddit:5", "twitter:5", "discord:5", "discord-servers:5", "discord-channels:5",
    ]);
  });
});
