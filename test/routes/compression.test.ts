/** Feed responses compressed for clients that accept gzip, in every format (and the OPML). */
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { refreshFeed } from "../../src/storage/refresh.js";
import type { FeedConfig } from "../../src/upstream/config.js";

const HOST = "https://feedslice.test";
const cfg: FeedConfig = { id: "ainews", url: "https://fixtures.test/fixtures/upstream/ainews-buttondown-2024-04.rss.xml", title: "AINews", preset: "ainews" };

describe("compression", () => {
  it.each(["ainews.rss", "ainews.atom", "ainews.json", "ainews/twitter.json", "ainews.opml"])("%s: gzip when accepted, the same content either way", async (path) => {
    await refreshFeed(env, cfg);
    const plain = await SELF.fetch(`${HOST}/feeds/${path}`, { headers: { "Accept-Encoding": "identity" } });
    expect(plain.headers.get("Content-Encoding")).toBeNull();
    expect(plain.headers.get("Vary")).toContain("Accept-Encoding");
    const gz = await SELF.fetch(`${HOST}/feeds/${path}`, { headers: { "Accept-Encoding": "gzip, deflate, br" } });
    expect(gz.headers.get("Content-Encoding")).toBe("gzip");
    expect(await gz.text()).toBe(await plain.text()); // (fetch decodes it)
  });

  it("follows what the client sent, not the Accept-Encoding the platform hands the Worker", async () => {
    // As Cloudflare and wrangler dev pass it on: the header rewritten, the client's own in cf.
    const asked = (client: string) => SELF.fetch(`${HOST}/feeds/ainews.rss`, { headers: { "Accept-Encoding": "br, gzip" }, cf: { clientAcceptEncoding: client } });
    expect((await asked("")).headers.get("Content-Encoding")).toBeNull();
    expect((await asked("identity")).headers.get("Content-Encoding")).toBeNull();
    expect((await asked("gzip, deflate")).headers.get("Content-Encoding")).toBe("gzip");
  });

  it("a 304 and an error are left as they are", async () => {
    const first = await SELF.fetch(`${HOST}/feeds/ainews.rss`, { headers: { "Accept-Encoding": "gzip" } });
    await first.arrayBuffer();
    const again = await SELF.fetch(`${HOST}/feeds/ainews.rss`, { headers: { "Accept-Encoding": "gzip", "If-None-Match": first.headers.get("ETag")! } });
    expect(again.status).toBe(304);
    expect(again.headers.get("Content-Encoding")).toBeNull();
    expect((await SELF.fetch(`${HOST}/feeds/ainews.rss?limit=0`, { headers: { "Accept-Encoding": "gzip" } })).headers.get("Content-Encoding")).toBeNull();
  });
});
