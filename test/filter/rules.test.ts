/**
 * Each filter parameter on a small inline feed (three issues, two sections each, two topics a
 * section) where some items match and some do not: every check has items on both sides, so a
 * check that stops working fails here.
 */
import { describe, expect, it } from "vitest";
import { readQuery, selectItems } from "../../src/filter/index.js";
import type { UpstreamFeed } from "../../src/model.js";
import { buildState } from "../../src/storage/build.js";

const issue = (n: number, date: string, categories: string[], words: [string, string, string, string], author?: string) => ({
  id: `issue-${n}`,
  author,
  title: `Issue ${n}`,
  link: `https://digest.example/${n}`,
  date,
  categories,
  html:
    `<h1>News</h1><h2>${words[0]} topic</h2><p>About ${words[0]}.</p><h2>${words[1]} topic</h2><p>About ${words[1]}.</p>` +
    `<h1>Papers</h1><h2>${words[2]} topic</h2><p>About ${words[2]}.</p><h2>${words[3]} topic</h2><p>About ${words[3]}.</p>`,
});

const FEED: UpstreamFeed = {
  format: "rss",
  title: "Digest",
  link: "https://digest.example/",
  description: "",
  items: [
    issue(3, "2026-03-03T00:00:00.000Z", ["openai"], ["Llama", "Mistral", "Gemma", "Qwen"]),
    issue(2, "2026-03-02T00:00:00.000Z", ["meta"], ["Phi", "Llama-3", "Claude", "Grok"], "Jane Doe"),
    issue(1, "2026-03-01T00:00:00.000Z", ["openai", "meta"], ["Falcon", "Yi", "Mamba", "Llama"]),
  ],
};
const { state, bodies } = buildState(FEED, { url: "https://digest.example/rss", preset: "headings", now: "2026-03-04T00:00:00.000Z" });
const NOW = new Date("2026-03-04T00:00:00Z");
const pick = async (qs: string) =>
  (await selectItems(state, readQuery(new URLSearchParams(`limit=200&${qs}`), NOW), async (k) => bodies.get(k) ?? null)).map(
    // (the issue by its number: the parts of an issue are dated a second apart)
    (i) => `${i.id.replace(/^urn:feedslice:[^:]+:/, "")}@0${i.origin!.issueId.slice(-1)}`,
  );

describe("filter parameters, each on both sides", () => {
  it("the feed: two sections an issue, two topics a section", async () => {
    expect(await pick("")).toEqual(["news@03", "papers@03", "news@02", "papers@02", "news@01", "papers@01"]);
    expect(await pick("granularity=topic")).toHaveLength(12);
  });

  it("q: items whose text has a term", async () => {
    expect(await pick("q=mistral,grok")).toEqual(["news@03", "papers@02"]);
  });

  it("exclude_q: items whose text has none of the terms", async () => {
    expect(await pick("exclude_q=llama")).toEqual(["papers@03", "papers@02", "news@01"]);
  });

  it("q_re: items whose text matches", async () => {
    expect(await pick("q_re=llama-?3")).toEqual(["news@02"]);
    expect(await pick("granularity=topic&q_re=gemma.topic")).toEqual(["papers:gemma-topic@03"]);
  });

  it("exclude_q_re: items that do not match", async () => {
    expect(await pick("exclude_q_re=(llama|claude)")).toEqual(["papers@03", "news@01"]);
  });

  it("topic: topics whose heading has a term", async () => {
    expect(await pick("topic=llama")).toEqual(["news:llama-topic@03", "news:llama-3-topic@02", "papers:llama-topic@01"]);
  });

  it("category: issues with a category", async () => {
    expect(await pick("category=meta")).toEqual(["news@02", "papers@02", "news@01", "papers@01"]);
  });

  it("since and days: issues on or after a date", async () => {
    expect(await pick("since=2026-03-02")).toEqual(["news@03", "papers@03", "news@02", "papers@02"]);
    expect(await pick("days=2")).toEqual(["news@03", "papers@03", "news@02", "papers@02"]);
  });

  it("section and exclude_section", async () => {
    expect(await pick("section=papers")).toEqual(["papers@03", "papers@02", "papers@01"]);
    expect(await pick("exclude_section=papers")).toEqual(["news@03", "news@02", "news@01"]);
  });
});

describe("RSSHub's parameters, as RSSHub applies them (case-sensitive unless filter_case_sensitive=false)", () => {
  it("filter: the title, the text, the author or a category", async () => {
    expect(await pick("filter=Grok")).toEqual(["papers@02"]); // text
    expect(await pick("filter=Jane")).toEqual(["news@02", "papers@02"]); // author
    expect(await pick("filter=^openai$")).toEqual(["news@03", "papers@03", "news@01", "papers@01"]); // category
    expect(await pick("filter=grok")).toEqual([]);
    expect(await pick("filter=grok&filter_case_sensitive=false")).toEqual(["papers@02"]);
  });

  it("filter_title, filter_description, filter_author, filter_category: each given must match; ignored beside filter", async () => {
    expect(await pick("filter_title=^Papers")).toEqual(["papers@03", "papers@02", "papers@01"]);
    expect(await pick("filter_description=Qwen")).toEqual(["papers@03"]);
    expect(await pick("filter_author=Jane")).toEqual(["news@02", "papers@02"]);
    expect(await pick("filter_category=^meta$&filter_title=^News")).toEqual(["news@02", "news@01"]);
    expect(await pick("filter=Grok&filter_title=^News")).toEqual(["papers@02"]);
  });

  it("filterout, filterout_title, filterout_description, filterout_author, filterout_category", async () => {
    expect(await pick("filterout=Llama")).toEqual(["papers@03", "papers@02", "news@01"]);
    expect(await pick("filterout_title=^News")).toEqual(["papers@03", "papers@02", "papers@01"]);
    expect(await pick("filterout_description=Llama")).toEqual(["papers@03", "papers@02", "news@01"]);
    expect(await pick("filterout=Llama&filterout_description=Grok")).toEqual(["news@03", "papers@03", "news@02", "news@01", "papers@01"]);
    expect(await pick("filterout_author=Jane")).toEqual(["news@03", "papers@03", "news@01", "papers@01"]);
    expect(await pick("filterout_category=^openai$")).toEqual(["news@02", "papers@02"]);
  });
});
