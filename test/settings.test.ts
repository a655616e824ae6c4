/** The settings (src/settings.ts): one rule for every value, an error that names the setting. */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Env } from "../src/env.js";
import worker from "../src/index.js";
import { readSettings } from "../src/settings.js";

const base = { KV: env.KV, FEEDS: env.FEEDS } as Env;

describe("settings", () => {
  it("unset or empty: the defaults", () => {
    expect(readSettings({ ...base, CACHE_MAX_AGE: "" })).toEqual({
      allowPrivateUpstreams: false,
      upstreamTimeoutMs: 20_000,
      upstreamMaxBytes: 20 * 1024 * 1024,
      parseBudgetBytes: 500_000,
      cacheMaxAge: 300,
    });
  });

  it("whole numbers in range are read; PARSE_BUDGET_BYTES 0 is no limit", () => {
    const s = readSettings({ ...base, UPSTREAM_TIMEOUT_MS: " 5000 ", UPSTREAM_MAX_BYTES: "1000", PARSE_BUDGET_BYTES: "0", CACHE_MAX_AGE: "0", ALLOW_PRIVATE_UPSTREAMS: "true" });
    expect(s).toEqual({ allowPrivateUpstreams: true, upstreamTimeoutMs: 5000, upstreamMaxBytes: 1000, parseBudgetBytes: undefined, cacheMaxAge: 0 });
  });

  it.each([
    ["UPSTREAM_TIMEOUT_MS", "20s"],
    ["UPSTREAM_TIMEOUT_MS", "0"],
    ["UPSTREAM_MAX_BYTES", "20MB"],
    ["PARSE_BUDGET_BYTES", "-1"],
    ["PARSE_BUDGET_BYTES", "1e6"],
    ["CACHE_MAX_AGE", "5m"],
    ["CACHE_MAX_AGE", "1.5"],
    ["ALLOW_PRIVATE_UPSTREAMS", "yes"],
  ])("%s = %s is an error naming the setting", (name, value) => {
    expect(() => readSettings({ ...base, [name]: value })).toThrow(new RegExp(`${name} must be`));
  });

  it.each([
    ["CACHE_MAX_AGE", "5m", "/feeds/ainews.rss"],
    ["TRANSLATE_TIMEOUT_MS", "20s", "/feeds/ainews.rss?lang=zh"],
  ])("a request that needs %s = %s answers 503 naming it", async (name, value, path) => {
    const e = { ...env, TRANSLATOR: "openai", OPENAI_BASE_URL: "https://openai.test/v1", OPENAI_MODEL: "m", [name]: value } as Env;
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request(`https://feedslice.test${path}`), e, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain(name);
  });
});
