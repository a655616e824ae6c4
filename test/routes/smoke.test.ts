import { SELF } from "cloudflare:test";
import { expect, it } from "vitest";

it("serves healthz", async () => {
  const res = await SELF.fetch("https://feedslice.test/healthz");
  expect(res.status).toBe(200);
});
it("serves a feed", async () => {
  const res = await SELF.fetch("https://feedslice.test/feeds/ainews/twitter.rss");
  expect(res.status).toBe(200);
  expect(await res.text()).toContain("AI Twitter Recap");
});
