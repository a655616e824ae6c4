import { env, SELF } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { edgeCache, renderedFeedKey } from "../../src/storage/cache.js";
import { FeedStore } from "../../src/storage/kv.js";
import { refreshFeed, type StoredState } from "../../src/storage/refresh.js";
import { STATE_VERSION } from "../../src/storage/state.js";
import type { FeedConfig } from "../../src/upstream/config.js";
import { forgetFeed } from "../storage/records.js";

const HOST = "https://feedslice.test";
const cfg: FeedConfig = { id: "ainews", url: "https://fixtures.test/fixtures/upstream/ainews-buttondown-2024-04.rss.xml", title: "AINews", preset: "ainews" };

afterEach(() => vi.restoreAllMocks());

/** KV reads of a feed's state (the expensive key) during `fn`. */
async function stateReads(fn: () => Promise<unknown>): Promise<number> {
  const get = vi.spyOn(env.KV, "get");
  await fn();
  const n = get.mock.calls.filter((c) => String(c[0]).startsWith("state:")).length;
  get.mockRestore();
  return n;
}

describe("rendered feeds in the Cache API", () => {
  it("a filtered feed is rendered once per refresh, whatever the order of its parameters", async () => {
    await refreshFeed(env, cfg);
    const first = await SELF.fetch(`${HOST}/feeds/ainews.rss?section=twitter,reddit&q=llama`);
    const body = await first.text();
    await new Promise((r) => setTimeout(r, 50)); // the cache write happens after the response (waitUntil)
    let again: Response | undefined;
    expect(await stateReads(async () => (again = await SELF.fetch(`${HOST}/feeds/ainews.rss?q=llama&section=reddit,twitter&utm_source=x`)))).toBe(0);
    expect(await again!.text()).toBe(body);
    expect(again!.headers.get("ETag")).toBe(first.headers.get("ETag"));
    expect(again!.headers.get("Cache-Control")).toBe("public, max-age=300"); // readers' max-age, not the cache's week
  });

  it("a refresh that changes the data makes the next request render again", async () => {
    await (await SELF.fetch(`${HOST}/feeds/ainews.rss?section=twitter`)).text(); // rendered and cached
    await new Promise((r) => setTimeout(r, 50));
    const upstream = await (await fetch(cfg.url)).text();
    vi.spyOn(globalThis, "fetch").mockImplementation(async () =>
      new Response(upstream.replace("&lt;h1&gt;AI Twitter Recap&lt;/h1&gt;", `&lt;h1&gt;AI Twitter Recap&lt;/h1&gt;&lt;p&gt;Correction&lt;/p&gt;`)),
    );
    await refreshFeed(env, cfg, { force: true });
    vi.restoreAllMocks();
    let res: Response | undefined;
    expect(await stateReads(async () => (res = await SELF.fetch(`${HOST}/feeds/ainews.rss?section=twitter`)))).toBe(1);
    expect(await res!.text()).toContain("<p>Correction</p>");
  });

  it("conditional requests are answered from the cache too", async () => {
    const res = await SELF.fetch(`${HOST}/feeds/ainews/reddit.atom`);
    await res.arrayBuffer();
    await new Promise((r) => setTimeout(r, 50));
    const etag = res.headers.get("ETag")!;
    let cached: Response | undefined;
    expect(await stateReads(async () => (cached = await SELF.fetch(`${HOST}/feeds/ainews/reddit.atom`, { headers: { "If-None-Match": etag } })))).toBe(0);
    expect(cached!.status).toBe(304);
  });
});

describe("after a deploy that changes the state version", () => {
  it("a feed is re-split, not served as the old code rendered and cached it", async () => {
    await refreshFeed(env, cfg, { force: true });
    const store = new FeedStore(env.KV, cfg.id);
    // What the previous version left: its state, the status naming it, a feed it rendered, cached under that token.
    const old = { ...((await store.getState()) as StoredState), version: STATE_VERSION - 1 };
    await store.putState(old);
    const token = "oldtoken";
    await store.putStatus({ ...(await store.getStatus())!, token });
    const url = `${HOST}/feeds/ainews/reddit.rss`;
    await edgeCache()!.put(renderedFeedKey(url, token, { version: STATE_VERSION - 1 }), new Response("<rss>rendered by the previous version</rss>", { headers: { "Content-Type": "application/rss+xml", "Cache-Control": "public, max-age=604800" } }));
    const body = await (await SELF.fetch(url)).text();
    expect(body).not.toContain("rendered by the previous version");
    expect(body).toContain("<item>");
    expect(((await store.getState()) as StoredState).version).toBe(STATE_VERSION); // re-split from the stored body
  });
});

describe("the state in the isolate", () => {
  it("is read and parsed once per refresh: feeds not in the Cache API read no state while the status names the same one", async () => {
    await forgetFeed(cfg.id);
    await refreshFeed(env, cfg); // new data: a state no isolate holds yet
    // Each URL below is a feed not rendered yet (no Cache API entry): only the first reads the state.
    const urls = ["/feeds/ainews.rss?section=twitter&limit=3", "/feeds/ainews/reddit.json?limit=2", "/feeds/ainews.atom?granularity=topic&limit=4"];
    const reads: number[] = [];
    const bodies: string[] = [];
    for (const u of urls) reads.push(await stateReads(async () => bodies.push(await (await SELF.fetch(`${HOST}${u}`)).text())));
    expect(reads).toEqual([1, 0, 0]);
    expect(JSON.parse(bodies[1]!).items).toHaveLength(2);
    expect(bodies[2]!.match(/<entry>/g)).toHaveLength(4);

    // A refresh that changes the data: the next feed reads the new state.
    const upstream = await (await fetch(cfg.url)).text();
    vi.spyOn(globalThis, "fetch").mockImplementation(async () => new Response(upstream.replace("&lt;h1&gt;AI Reddit Recap&lt;/h1&gt;", "&lt;h1&gt;AI Reddit Recap&lt;/h1&gt;&lt;p&gt;Erratum&lt;/p&gt;")));
    await refreshFeed(env, cfg, { force: true });
    vi.restoreAllMocks();
    let body = "";
    expect(await stateReads(async () => (body = await (await SELF.fetch(`${HOST}/feeds/ainews/reddit.rss?limit=5`)).text()))).toBe(1);
    expect(body).toContain("Erratum");
  });
});
