import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FeedStore } from "../../src/storage/kv.js";
import { refreshFeed, type StoredState } from "../../src/storage/refresh.js";
import { decodeBody } from "../../src/parse/index.js";
import { loadState } from "../../src/routes/state.js";
import type { FeedConfig } from "../../src/upstream/config.js";
import { testFile } from "../helpers.js";
import { forgetFeed } from "./records.js";

const cfg: FeedConfig = { id: "ainews", url: "https://fixtures.test/fixtures/upstream/ainews-buttondown-2024-04.rss.xml", preset: "ainews" };
const store = new FeedStore(env.KV, cfg.id);

afterEach(() => vi.restoreAllMocks());

/** The fixture as a first refresh stores it, for the tests that start from there (so that each runs alone, in any order). */
async function storedFeed(): Promise<void> {
  await forgetFeed(cfg.id);
  await refreshFeed(env, cfg);
}

/** Serve `body` (or a status) for the next upstream requests, counting them. */
function upstream(respond: () => Response) {
  return vi.spyOn(globalThis, "fetch").mockImplementation(async () => respond());
}

describe("refreshFeed", () => {
  it("stores the state, one body per issue and the upstream body", async () => {
    await forgetFeed(cfg.id);
    const { state: s, changed } = await refreshFeed(env, cfg);
    const state = s!;
    expect(changed).toBe(true);
    expect(state.issues).toHaveLength(5);
    const stored = await store.getState();
    expect(stored!.issues.map((i) => i.key)).toEqual(state.issues.map((i) => i.key));
    for (const issue of state.issues) expect((await store.getIssueHtml(issue.key))!.length).toBe(issue.chars);
    expect(new TextDecoder().decode((await store.getUpstream())!)).toBe(await testFile("fixtures/upstream/ainews-buttondown-2024-04.rss.xml"));
  });

  it("writes nothing when upstream sends the same body again, or answers 304", async () => {
    await storedFeed();
    const body = await testFile("fixtures/upstream/ainews-buttondown-2024-04.rss.xml");
    const put = vi.spyOn(env.KV, "put");
    const del = vi.spyOn(env.KV, "delete");
    upstream(() => new Response(body));
    expect((await refreshFeed(env, cfg)).changed).toBe(false);
    upstream(() => new Response(null, { status: 304 }));
    expect((await refreshFeed(env, cfg)).changed).toBe(false);
    expect(put).not.toHaveBeenCalled();
    expect(del).not.toHaveBeenCalled();
  });

  it("re-splits and writes only the issue that changed", async () => {
    await storedFeed();
    const before = (await store.getState())!;
    const body = await testFile("fixtures/upstream/ainews-buttondown-2024-04.rss.xml");
    const edited = body.replace("&lt;h1&gt;AI Reddit Recap&lt;/h1&gt;", "&lt;h1&gt;AI Reddit Recap&lt;/h1&gt;&lt;p&gt;Correction.&lt;/p&gt;");
    const put = vi.spyOn(env.KV, "put");
    const del = vi.spyOn(env.KV, "delete");
    upstream(() => new Response(edited));
    const { state: s, changed } = await refreshFeed(env, cfg);
    const state = s!;
    expect(changed).toBe(true);
    const keys = put.mock.calls.map((c) => c[0]);
    const newKey = state.issues.find((i) => !before.issues.some((b) => b.key === i.key))!.key;
    expect(keys.sort()).toEqual([`issue:ainews:${newKey}`, "state:ainews", "status:ainews", "upstream:ainews"].sort());
    expect(del).toHaveBeenCalledTimes(1);
    expect(state.issues.map((i) => i.id)).toEqual(before.issues.map((i) => i.id));
  });

  it.each([
    ["an HTTP error", () => new Response("down", { status: 503 }), /answered HTTP 503/],
    ["a body that is not a feed", () => new Response("<html><body>Maintenance</body></html>"), /not a feed|not well-formed/],
    ["a feed with no items", () => new Response('<rss version="2.0"><channel><title>x</title></channel></rss>'), /no items/],
  ])("keeps the last good data on %s, and records the error", async (_, respond, message) => {
    const before = await store.getState();
    upstream(respond);
    await expect(refreshFeed(env, cfg, { force: true })).rejects.toThrow(message); // forced: past the backoff of the previous case
    expect(await store.getState()).toEqual(before);
    expect((await store.getStatus())!.lastError).toMatch(message);
  });

  it("clears the recorded error once upstream recovers", async () => {
    const body = await testFile("fixtures/upstream/ainews-buttondown-2024-04.rss.xml");
    upstream(() => new Response(body));
    await refreshFeed(env, cfg, { force: true });
    expect((await store.getStatus())!.failures).toBe(0);
  });
});

describe("loadState (the request path)", () => {
  it("serves from KV without asking upstream", async () => {
    await storedFeed();
    const spy = vi.spyOn(globalThis, "fetch");
    expect((await loadState(env, cfg)).issues).toHaveLength(5);
    expect(spy).not.toHaveBeenCalled();
  });

  it("re-splits from the stored upstream body, without fetching, when the stored state is from an older version", async () => {
    await storedFeed();
    const stored = (await store.getState()) as StoredState;
    await env.KV.put("state:ainews", JSON.stringify({ ...stored, version: 0, issues: stored.issues.map((i) => ({ ...i, split: { sections: [] } })) }));
    const spy = vi.spyOn(globalThis, "fetch");
    const state = await loadState(env, cfg);
    expect(spy).not.toHaveBeenCalled();
    expect(state.issues[0]!.split.sections.length).toBe(6);
    expect((await store.getState())!.version).toBe(stored.version);
  });

  it("re-splits a body an older version stored as decoded text (from another encoding than UTF-8), without fetching", async () => {
    const latin: FeedConfig = { id: "latin", url: "https://fixtures.test/parse/testdata/latin1.rss.xml", preset: "headings" };
    const latinStore = new FeedStore(env.KV, latin.id);
    await refreshFeed(env, latin);
    const stored = (await latinStore.getState()) as StoredState;
    expect(stored.issues[0]!.title).toBe("Déjà vu");
    // As state version 2 left it: the upstream body as decoded text, and no `stored` in `fetch`.
    const bytes = new Uint8Array(await (await fetch(latin.url)).arrayBuffer());
    await env.KV.put("upstream:latin", decodeBody(bytes, "text/xml"));
    await env.KV.put("state:latin", JSON.stringify({ ...stored, version: 2, fetch: { ...stored.fetch, stored: undefined } }));
    const spy = vi.spyOn(globalThis, "fetch");
    const state = await loadState(env, latin);
    expect(spy).not.toHaveBeenCalled();
    expect(state.issues[0]!.title).toBe("Déjà vu");
    expect(state.issues[0]!.categories).toEqual([]);
    expect((await latinStore.getIssueHtml(state.issues[0]!.key))!).toBe("<p>naïve</p>");
  });

  it("fetches once for concurrent first requests", async () => {
    const fresh: FeedConfig = { ...cfg, id: "fresh" };
    const spy = vi.spyOn(globalThis, "fetch");
    const states = await Promise.all([loadState(env, fresh), loadState(env, fresh), loadState(env, fresh)]);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(states.map((s) => s.issues.length)).toEqual([5, 5, 5]);
  });
});
