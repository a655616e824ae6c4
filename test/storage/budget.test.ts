/**
 * A refresh parses at most PARSE_BUDGET_BYTES of entries (newest first) and leaves the rest to the
 * next refreshes, so that the first fetch of a long feed fits the free plan's CPU limit a refresh
 * at a time. Real local KV; the month of AINews (8.2 MB, 22 issues) from the fixture server.
 */
import { env, SELF } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FeedStore } from "../../src/storage/kv.js";
import { refreshFeed, type StoredState } from "../../src/storage/refresh.js";
import type { FeedConfig } from "../../src/upstream/config.js";
import { scanFeedBytes } from "../../src/parse/index.js";
import { buildState } from "../../src/storage/build.js";
import { DEFAULT_PARSE_BUDGET_BYTES, type FeedState } from "../../src/storage/state.js";
import { fixtureFeed, testFile, withNewIssue } from "../helpers.js";

const MONTH = "https://fixtures.test/fixtures/upstream/ainews-buttondown-2024-04-month.rss.xml";
const BUDGET = 1_000_000;
const budgeted = { ...env, PARSE_BUDGET_BYTES: String(BUDGET) };
const minutes = (m: number) => new Date(Date.UTC(2024, 4, 2, 6, m));
const NOW = minutes(0).toISOString();

afterEach(() => vi.restoreAllMocks());

/** Each issue as a reader gets it: what it is, where its body is, how it splits. */
const issuesOf = (state: StoredState) => state.issues.map(({ id, key, title, date, chars, split }) => ({ id, key, title, date, chars, split }));

/** Entry sizes, newest first, as the budget counts them (bytes from "<item" to "</item>"). */
function entrySizes(xml: string): number[] {
  const bytes = new TextEncoder().encode(xml);
  const text = new TextDecoder("latin1").decode(bytes); // one character a byte
  return [...text.matchAll(/<item>[\s\S]*?<\/item>/g)].map((m) => m[0].length);
}

describe("a first fetch spread over refreshes (PARSE_BUDGET_BYTES)", () => {
  it("parses the newest entries within the budget, then the next ones at each refresh, until the state is what one unbudgeted refresh gives", async () => {
    const full = (await refreshFeed(env, { id: "full", url: MONTH, preset: "ainews" }, { now: minutes(0) })).state!;
    expect(full.issues).toHaveLength(22);
    expect(full.pending).toBeUndefined();

    const sizes = entrySizes(await testFile("fixtures/upstream/ainews-buttondown-2024-04-month.rss.xml"));
    expect(sizes).toHaveLength(22);
    const cfg: FeedConfig = { id: "budget", url: MONTH, preset: "ainews" };
    const store = new FeedStore(env.KV, cfg.id);
    const put = vi.spyOn(env.KV, "put");
    let done = 0;
    let rounds = 0;
    while (done < 22) {
      rounds++;
      put.mockClear();
      const { state, changed, parsed } = await refreshFeed(budgeted, cfg, { now: minutes(rounds) });
      // As many entries as fit, in upstream order, at least one.
      let fit = 1;
      let sum = sizes[done]!;
      while (done + fit < 22 && sum + sizes[done + fit]! <= BUDGET) sum += sizes[done + fit++]!;
      expect(changed).toBe(true);
      expect(parsed).toBe(fit);
      done += fit;
      expect(state!.issues).toHaveLength(done);
      expect(state!.pending).toBe(done < 22 ? 22 - done : undefined);
      // Laid out whole; an entry is hashed only once it is parsed (nothing stored to compare it with before).
      expect(state!.layout!.entries).toHaveLength(22);
      expect(state!.layout!.entries.map((e) => e.hash === "")).toEqual(sizes.map((_, k) => k >= done));
      // The newest issues first, as the unbudgeted state has them; each body written once.
      expect(issuesOf(state!)).toEqual(issuesOf(full).slice(0, done));
      const bodies = put.mock.calls.map((c) => String(c[0])).filter((k) => k.startsWith("issue:"));
      expect(bodies).toHaveLength(fit);
      // The upstream body is written by the first refresh only: the others read the same one.
      expect(put.mock.calls.some((c) => c[0] === "upstream:budget")).toBe(rounds === 1);
      expect((await store.getState())!.issues).toHaveLength(done);
    }
    expect(rounds).toBeGreaterThan(5);
    // Complete: the same body again is nothing new.
    put.mockClear();
    const again = await refreshFeed(budgeted, cfg, { now: minutes(60) });
    expect(again.changed).toBe(false);
    expect(put).not.toHaveBeenCalled();
    expect(issuesOf(again.state!)).toEqual(issuesOf(full));
  });

  it("readers get the newest issues from the first refresh on; /status counts the entries left", async () => {
    // The tests' worker refreshes without a budget: its "month" feed is refreshed here with one.
    const { state } = await refreshFeed(budgeted, { id: "month", url: MONTH, preset: "ainews" }, { now: minutes(0) });
    const newest = state!.issues.map((i) => i.title);
    expect(newest.length).toBeGreaterThan(0);
    const rss = await (await SELF.fetch("https://feedslice.test/feeds/month.rss?granularity=issue&limit=50")).text();
    expect(rss.split("<item>").length - 1).toBe(newest.length);
    const status = (await (await SELF.fetch("https://feedslice.test/status")).json()) as { feeds: { id: string; issues: number; pending_entries: number }[] };
    expect(status.feeds.find((f) => f.id === "month")).toMatchObject({ issues: newest.length, pending_entries: 22 - newest.length });
  });

  it("after a 304 it goes on from the stored body; a new issue on top comes first", async () => {
    const month = await testFile("fixtures/upstream/ainews-buttondown-2024-04-month.rss.xml");
    const cfg: FeedConfig = { id: "resume", url: "https://upstream.test/month.rss", preset: "ainews" };
    const store = new FeedStore(env.KV, cfg.id);
    const requests: Headers[] = [];
    let respond = () => new Response(month, { headers: { ETag: '"v1"' } });
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      requests.push(new Headers(init?.headers));
      return respond();
    });
    const first = (await refreshFeed(budgeted, cfg, { now: minutes(0) })).state!;
    const pending = first.pending!;
    expect(pending).toBeGreaterThan(0);

    respond = () => new Response(null, { status: 304 });
    const get = vi.spyOn(env.KV, "get");
    const second = await refreshFeed(budgeted, cfg, { now: minutes(30) });
    expect(requests.at(-1)!.get("If-None-Match")).toBe('"v1"');
    expect(get.mock.calls.some((c) => String(c[0]) === "upstream:resume")).toBe(true);
    expect(second.changed).toBe(true);
    expect(second.state!.issues.length).toBeGreaterThan(first.issues.length);
    expect(second.state!.pending).toBeLessThan(pending);
    expect(second.state!.fetch.etag).toBe('"v1"');

    // A new issue upstream: parsed first, then older pending entries with what the budget leaves.
    const next = withNewIssue(month);
    respond = () => new Response(next, { headers: { ETag: '"v2"' } });
    const third = await refreshFeed(budgeted, cfg, { now: minutes(60) });
    const newest = third.state!.issues[0]!;
    expect(second.state!.issues.some((i) => i.id === newest.id)).toBe(false);
    expect(third.parsed).toBeGreaterThan(1); // the new one and older ones
    expect(third.state!.issues.length).toBe(second.state!.issues.length + third.parsed!);
    expect((third.state!.pending ?? 0) + third.state!.issues.length).toBe(23);
    expect(((await store.getState()) as StoredState).fetch.etag).toBe('"v2"');
  });

  it("after a 304 with the stored body gone, it asks upstream again without validators, and goes on", async () => {
    const month = await testFile("fixtures/upstream/ainews-buttondown-2024-04-month.rss.xml");
    const cfg: FeedConfig = { id: "lost", url: "https://upstream.test/lost.rss", preset: "ainews" };
    const requests: Headers[] = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (_input, init) => {
      const headers = new Headers(init?.headers);
      requests.push(headers);
      return headers.get("If-None-Match") === '"v1"' ? new Response(null, { status: 304 }) : new Response(month, { headers: { ETag: '"v1"' } });
    });
    const first = (await refreshFeed(budgeted, cfg, { now: minutes(0) })).state!;
    expect(first.pending).toBeGreaterThan(0);
    await env.KV.delete("upstream:lost");

    requests.length = 0;
    const second = await refreshFeed(budgeted, cfg, { now: minutes(30) });
    expect(requests.map((h) => h.get("If-None-Match"))).toEqual(['"v1"', null]);
    expect(second.changed).toBe(true);
    expect(second.state!.issues.length).toBeGreaterThan(first.issues.length);
    expect(second.state!.pending).toBeLessThan(first.pending!);
    expect(await env.KV.get("upstream:lost", "arrayBuffer")).not.toBeNull(); // stored again
  });

  it("an entry left for later that upstream edits meanwhile (same length) is parsed as upstream sends it now", async () => {
    const month = await testFile("fixtures/upstream/ainews-buttondown-2024-04-month.rss.xml");
    const cfg: FeedConfig = { id: "edited", url: "https://upstream.test/edited.rss", preset: "ainews" };
    let body = month;
    vi.spyOn(globalThis, "fetch").mockImplementation(async () => new Response(body));
    const first = (await refreshFeed(budgeted, cfg, { now: minutes(0) })).state!;
    // The next entry to parse: one byte of its HTML changed, its length kept.
    const items = [...month.matchAll(/<item>[\s\S]*?<\/item>/g)].map((m) => m[0]);
    const next = items[first.issues.length]!;
    const edited = next.replace("AI Twitter Recap", "AI Twitter Recaq");
    expect(edited).not.toBe(next);
    body = month.replace(next, edited);
    const second = (await refreshFeed(budgeted, cfg, { now: minutes(30) })).state!;
    const added = second.issues.filter((i) => !first.issues.some((f) => f.id === i.id));
    expect(added.length).toBeGreaterThan(0);
    const html = await new FeedStore(env.KV, cfg.id).getIssueHtml(added.find((i) => edited.includes(i.id))!.key);
    expect(html).toContain("AI Twitter Recaq");
    expect(second.issues.length + (second.pending ?? 0)).toBe(22);
  });

  it("is 500 KB when not set, no limit when 0, and a value that is not a byte count is an error naming it", async () => {
    expect(DEFAULT_PARSE_BUDGET_BYTES).toBe(500_000);
    const unset = await refreshFeed({ ...env, PARSE_BUDGET_BYTES: undefined }, { id: "unset", url: MONTH, preset: "ainews" }, { now: minutes(0) });
    expect(unset.state!.pending).toBeGreaterThan(0);
    // A typo neither lifts the limit nor passes unseen: the refresh fails with the setting's name, in /status too.
    const typo = { id: "typo", url: MONTH, preset: "ainews" as const };
    await expect(refreshFeed({ ...env, PARSE_BUDGET_BYTES: "-1" }, typo, { now: minutes(0) })).rejects.toThrow(/PARSE_BUDGET_BYTES must be a whole number/);
    expect((await new FeedStore(env.KV, "typo").getStatus())!.lastError).toMatch(/PARSE_BUDGET_BYTES/);
    const none = await refreshFeed({ ...env, PARSE_BUDGET_BYTES: "0" }, { id: "none", url: MONTH, preset: "ainews" }, { now: minutes(0) });
    expect(none.state!.pending).toBeUndefined();
    expect(none.state!.issues).toHaveLength(22);
  });

  it("a feed without a byte layout (read as text, JSON Feed) goes on the same way: a full pass parses what is left", async () => {
    const feed = await fixtureFeed("twir-2026.atom.xml");
    const opts = { url: "https://example.com/twir.atom", preset: "headings" as const, now: NOW };
    const full = buildState(feed, opts).state;
    let previous: FeedState | undefined;
    for (let round = 1; round <= feed.items.length; round++) {
      const built = buildState(feed, { ...opts, previous, maxParseBytes: 1 }); // one entry a build
      expect(built.parsed).toBe(1);
      expect(built.state.issues.map((i) => i.id)).toEqual(full.issues.slice(0, round).map((i) => i.id));
      expect(built.state.pending).toBe(round < feed.items.length ? feed.items.length - round : undefined);
      previous = built.state;
    }
    expect(previous!.issues).toEqual(full.issues);
  });

  it("an entry that repeats an earlier entry's id is parsed once, not at every refresh, and becomes the issue when the first goes", async () => {
    const month = await testFile("fixtures/upstream/ainews-buttondown-2024-04-month.rss.xml");
    const items = [...month.matchAll(/<item>[\s\S]*?<\/item>/g)].map((m) => m[0]);
    // The fifth issue again, one byte changed (another source, the same id), after the sixth.
    const copy = items[4]!.replace("AI Twitter Recap", "AI Twitter Recaq");
    const body = month.replace(items[5]!, items[5]! + copy);
    const read = (xml: string, previous?: FeedState) =>
      buildState(scanFeedBytes(new TextEncoder().encode(xml), "application/rss+xml", MONTH), { url: MONTH, preset: "ainews", now: NOW, previous, stopAtKnown: true });
    const first = read(body);
    expect(first.state.issues).toHaveLength(22);
    expect(first.parsed).toBe(23);
    expect(first.state.duplicates).toHaveLength(1);
    const next = read(withNewIssue(body), first.state);
    expect(next.parsed).toBe(1);
    expect(next.state.issues).toHaveLength(23);
    // The first of the two gone: the other one is the issue now.
    const id = first.state.duplicates![0]!.id;
    const without = read(withNewIssue(body).replace(items[4]!, ""), next.state);
    expect(without.state.issues).toHaveLength(23);
    expect(without.state.issues.find((i) => i.id === id)!.rawHash).toBe(first.state.duplicates![0]!.hash);
    expect(without.state.duplicates).toBeUndefined();
  });

  it("a feed that rolls (a new issue on top, the oldest gone) while entries are left: the state ends as one unbudgeted read of the new body", async () => {
    const month = await testFile("fixtures/upstream/ainews-buttondown-2024-04-month.rss.xml");
    const items = [...month.matchAll(/<item>[\s\S]*?<\/item>/g)].map((m) => m[0]);
    const rolled = withNewIssue(month).replace(items.at(-1)!, "");
    const read = (xml: string, previous?: FeedState, maxParseBytes?: number) =>
      buildState(scanFeedBytes(new TextEncoder().encode(xml), "application/rss+xml", MONTH), { url: MONTH, preset: "ainews", now: NOW, previous, stopAtKnown: true, maxParseBytes });
    let state = read(month, undefined, DEFAULT_PARSE_BUDGET_BYTES).state;
    expect(state.pending).toBe(22 - state.issues.length);
    const kept = state.issues.map((i) => i.id);
    const next = read(rolled, state, DEFAULT_PARSE_BUDGET_BYTES);
    expect(next.parsed).toBe(1); // the new issue; the budget is spent
    expect(next.state.issues.map((i) => i.id).slice(1)).toEqual(kept);
    expect(next.state.pending).toBe(22 - next.state.issues.length);
    state = next.state;
    for (let round = 0; state.pending && round < 30; round++) state = read(rolled, state, DEFAULT_PARSE_BUDGET_BYTES).state;
    const whole = read(rolled).state;
    expect(state.pending).toBeUndefined();
    expect(state.issues.map(({ id, key, split }) => ({ id, key, split }))).toEqual(whole.issues.map(({ id, key, split }) => ({ id, key, split })));
    expect(state.layout).toEqual(whole.layout);
  });
});
