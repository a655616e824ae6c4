/** Layout drift (src/split/drift.ts), on splits as stored, and through /status in the worker. */
import { env, SELF } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { IssueSplit } from "../../src/model.js";
import { layoutDrift } from "../../src/split/drift.js";
import { refreshFeed } from "../../src/storage/refresh.js";
import type { FeedConfig } from "../../src/upstream/config.js";
import { testFile } from "../helpers.js";

const split = (...ids: string[]): IssueSplit => ({ sections: ids.map((id, k) => ({ id, title: id, start: k, end: k + 1, topics: [] })) });
const issue = (title: string, ...ids: string[]) => ({ title, split: split(...ids) });

describe("layoutDrift", () => {
  it("one section where earlier issues had many", () => {
    const earlier = [issue("3", "intro", "a", "b", "c"), issue("2", "a", "b", "c", "d"), issue("1", "a", "b")];
    expect(layoutDrift([issue("4", "intro"), ...earlier], "headings")).toMatch(/splits into 0 sections where earlier issues had 3/);
    expect(layoutDrift([issue("4", "intro", "a"), ...earlier], "headings")).toMatch(/splits into 1 section where/);
    expect(layoutDrift([issue("4", "a", "b"), ...earlier], "headings")).toBeUndefined();
    // A feed that never had many sections has nothing to drift from.
    expect(layoutDrift([issue("2", "intro"), issue("1", "intro", "a")], "headings")).toBeUndefined();
    expect(layoutDrift([issue("1", "intro")], "headings")).toBeUndefined();
  });

  it("a preset's sections all missing", () => {
    expect(layoutDrift([issue("AINews new", "intro", "news")], "ainews")).toMatch(/none of the ainews preset's sections/);
    expect(layoutDrift([issue("AINews", "intro", "twitter")], "ainews")).toBeUndefined();
  });
});

describe("/status reports layout drift, and the feed keeps serving", () => {
  const HOST = "https://feedslice.test";
  const cfg: FeedConfig = { id: "twir", url: "https://fixtures.test/fixtures/upstream/twir-2026.atom.xml", preset: "headings" };
  afterEach(() => vi.restoreAllMocks());
  const serve = (body: string) => vi.spyOn(globalThis, "fetch").mockImplementation(async () => new Response(body));
  const drift = async () => {
    const status = await (await SELF.fetch(`${HOST}/status`)).json<{ feeds: { id: string; layout_drift: string | null }[] }>();
    return status.feeds.find((f) => f.id === "twir")!.layout_drift;
  };

  it("null while issues split as before; a sentence once the newest is one undivided block", async () => {
    const twir = await testFile("fixtures/upstream/twir-2026.atom.xml");
    serve(twir);
    await refreshFeed(env, cfg, { now: new Date("2026-08-20T00:00:00Z"), force: true });
    expect(await drift()).toBeNull();

    const entry = `<entry><title>This Week in Rust 666</title><link href="https://this-week-in-rust.org/blog/666/" rel="alternate"/><id>https://this-week-in-rust.org/blog/666/</id><updated>2026-08-26T00:00:00.000Z</updated><content type="html">&lt;div&gt;&lt;p&gt;A new template with no headings.&lt;/p&gt;&lt;/div&gt;</content></entry>`;
    serve(twir.replace("<entry>", `${entry}\n  <entry>`));
    await refreshFeed(env, cfg, { now: new Date("2026-08-27T00:00:00Z"), force: true });
    expect(await drift()).toMatch(/"This Week in Rust 666"\) splits into 0 sections where earlier issues had \d+/);
    const feed = await (await SELF.fetch(`${HOST}/feeds/twir.json?granularity=issue`)).json<{ items: { title: string }[] }>();
    expect(feed.items[0]!.title).toBe("This Week in Rust 666");
  });
});
