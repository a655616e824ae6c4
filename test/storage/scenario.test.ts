/**
 * A scripted upstream through 200 → 304 → 500 → timeout → changed body, on the month of AINews
 * (8.2 MB): upstream requests, KV writes per refresh, what readers receive at each step. Each test
 * starts from the state the steps before its own leave (replayed from empty KV by `step`), so
 * that any test runs alone or in any order.
 */
import { env, SELF } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Env } from "../../src/env.js";
import { FeedStore } from "../../src/storage/kv.js";
import { refreshFeed } from "../../src/storage/refresh.js";
import type { FeedConfig } from "../../src/upstream/config.js";
import { testFile } from "../helpers.js";
import { forgetFeed } from "./records.js";

const cfg: FeedConfig = { id: "month", url: "https://fixtures.test/fixtures/upstream/ainews-buttondown-2024-04-month.rss.xml", preset: "ainews" };
const store = new FeedStore(env.KV, "month");
const HOST = "https://feedslice.test";
const T0 = new Date("2024-05-01T00:00:00Z");
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

afterEach(() => vi.restoreAllMocks());

/** The upstream: answers each request with the next step of the script, and records the requests. */
function script(...steps: ((req: Request) => Response | Promise<Response>)[]) {
  const requests: Request[] = [];
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input as RequestInfo, init);
    requests.push(req);
    const step = steps.shift();
    if (!step) throw new Error("the script has no more steps");
    return step(req);
  });
  return { requests, spy };
}

/** KV writes and deletes made while `fn` runs. */
async function kvWrites(fn: () => Promise<unknown>) {
  const put = vi.spyOn(env.KV, "put");
  const del = vi.spyOn(env.KV, "delete");
  await fn();
  const keys = put.mock.calls.map((c) => String(c[0]).replace(/:[0-9a-z]+-[0-9a-z]+$/, ":<issue>"));
  put.mockRestore();
  del.mockRestore();
  return { puts: keys.length, deletes: del.mock.calls.length, keys };
}

const reader = async (path = "/feeds/month.json?granularity=issue&limit=200", init?: RequestInit) => {
  const res = await SELF.fetch(`${HOST}${path}`, init);
  return { res, body: res.status === 200 ? await res.json<{ items: { id: string; title: string }[] }>() : undefined };
};

describe("refresh through a scripted upstream", async () => {
  const full = await testFile("fixtures/upstream/ainews-buttondown-2024-04-month.rss.xml");
  const firstItem = full.indexOf("<item>");
  const older = full.slice(0, firstItem) + full.slice(full.indexOf("</item>", firstItem) + "</item>".length); // 21 issues: the newest is not out yet
  const newestTitle = /<title>([^<]*)<\/title>/.exec(full.slice(firstItem))![1]!;

  /** The upstream's script, in order: when each refresh runs, what the upstream answers (none: not asked), with which settings. */
  const SCRIPT = {
    stored: { now: T0, answer: () => new Response(older, { headers: { ETag: '"v1"', "Last-Modified": "Tue, 30 Apr 2024 00:00:00 GMT" } }) },
    "not modified": { now: minutes(30), answer: () => new Response(null, { status: 304 }) },
    failed: { now: minutes(60), answer: () => new Response("upstream down", { status: 500 }) },
    "backing off": { now: minutes(70) },
    "timed out": {
      now: minutes(80),
      settings: { UPSTREAM_TIMEOUT_MS: "50" },
      answer: (req: Request) => new Promise<Response>((_, reject) => req.signal.addEventListener("abort", () => reject(req.signal.reason))),
    },
    "too big": { now: minutes(120), settings: { UPSTREAM_MAX_BYTES: "1000000" }, answer: () => new Response(full) },
    changed: { now: minutes(400), answer: () => new Response(full, { headers: { ETag: '"v2"' } }) },
    "same again": { now: minutes(430), answer: () => new Response(full) },
  } satisfies Record<string, { now: Date; settings?: Partial<Env>; answer?: (req: Request) => Response | Promise<Response> }>;
  type Name = keyof typeof SCRIPT;
  const NAMES = Object.keys(SCRIPT) as Name[];

  /** One refresh of the script: the upstream's requests, the KV writes, and what refreshFeed returned or threw. */
  async function run(name: Name) {
    const { now, settings, answer } = SCRIPT[name] as { now: Date; settings?: Partial<Env>; answer?: (req: Request) => Response | Promise<Response> };
    const up = script(...(answer ? [answer] : []));
    let result: Awaited<ReturnType<typeof refreshFeed>> | undefined;
    let error: unknown;
    const w = await kvWrites(async () => {
      try {
        result = await refreshFeed({ ...env, ...settings }, cfg, { now });
      } catch (e) {
        error = e;
      }
    });
    up.spy.mockRestore();
    return { up, w, result, error };
  }

  /** The feed as the steps before `name` leave it, from empty KV. */
  async function replayTo(name: Name) {
    await forgetFeed("month");
    for (const n of NAMES.slice(0, NAMES.indexOf(name))) await run(n);
  }

  /** `name` run on the state the steps before it leave. */
  async function step(name: Name) {
    await replayTo(name);
    return run(name);
  }

  it("200: stores 21 issues, one write per issue body plus state, upstream body and status", async () => {
    const { up, w } = await step("stored");
    expect(up.requests).toHaveLength(1);
    expect(w.puts).toBe(21 + 3);
    expect(w.keys.filter((k) => !k.startsWith("issue:")).sort()).toEqual(["state:month", "status:month", "upstream:month"]);
    const { body } = await reader();
    expect(body!.items).toHaveLength(21);
    expect(body!.items.map((i) => i.title)).not.toContain(newestTitle);
  });

  it("304: a conditional GET with the stored validators; nothing written, nothing parsed", async () => {
    const { up, w, result } = await step("not modified");
    expect(up.requests[0]!.headers.get("If-None-Match")).toBe('"v1"');
    expect(up.requests[0]!.headers.get("If-Modified-Since")).toBe("Tue, 30 Apr 2024 00:00:00 GMT");
    expect(result).toMatchObject({ changed: false, parsed: 0, bytes: 0 });
    expect(w).toMatchObject({ puts: 0, deletes: 0 });
  });

  it("readers get ETag and Last-Modified, and 304 when they send them back", async () => {
    await step("stored");
    const res = await SELF.fetch(`${HOST}/feeds/month/twitter.rss`);
    const etag = res.headers.get("ETag")!;
    expect(etag).toMatch(/^"[0-9a-z]+"$/);
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=300");
    const lastModified = res.headers.get("Last-Modified")!;
    expect(new Date(lastModified).toISOString().slice(0, 10)).toBe("2024-04-29");
    const again = await SELF.fetch(`${HOST}/feeds/month/twitter.rss`, { headers: { "If-None-Match": etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("ETag")).toBe(etag);
    const since = await SELF.fetch(`${HOST}/feeds/month/twitter.rss`, { headers: { "If-Modified-Since": lastModified } });
    expect(since.status).toBe(304);
    const other = await SELF.fetch(`${HOST}/feeds/month/twitter.rss?limit=3`, { headers: { "If-None-Match": etag } });
    expect(other.status).toBe(200); // another feed, another ETag
  });

  it("500: the failure is recorded (one write), readers keep the same feed, told how old it is", async () => {
    await replayTo("failed");
    const before = (await reader()).body;
    const { up, w } = await run("failed");
    expect(up.requests).toHaveLength(1);
    expect(w.keys).toEqual(["status:month"]);
    const status = (await store.getStatus())!;
    expect(status).toMatchObject({ failures: 1, httpStatus: 500, failingSince: minutes(60).toISOString(), nextAttempt: minutes(75).toISOString() });
    const { res, body } = await reader();
    expect(body).toEqual(before);
    expect(res.headers.get("X-Feedslice-Stale")).toMatch(/^upstream failing since 2024-05-01T01:00:00.000Z \(1 attempts: .*answered HTTP 500\)/);
    expect(Number(res.headers.get("X-Feedslice-Data-Age"))).toBeGreaterThan(0);
  });

  it("backoff: no upstream request before the next attempt is due", async () => {
    const { up, w, result } = await step("backing off");
    expect(result).toMatchObject({ skipped: true });
    expect(up.requests).toHaveLength(0);
    expect(w.puts).toBe(0);
  });

  it("timeout: recorded with a longer backoff; readers still get the last good data", async () => {
    await replayTo("timed out");
    const before = (await reader()).body;
    const { up, error } = await run("timed out");
    expect(String(error)).toMatch(/no answer from .* within 50 ms/);
    expect(up.requests).toHaveLength(1);
    expect(await store.getStatus()).toMatchObject({ failures: 2, nextAttempt: minutes(110).toISOString() });
    expect((await reader()).body).toEqual(before);
  });

  it("a body over the size cap is a failure too", async () => {
    const { error } = await step("too big");
    expect(String(error)).toMatch(/over the 1000000-byte cap/);
    expect((await store.getStatus())!.failures).toBe(3);
  });

  it("changed body (one new issue): only that issue is parsed, split and written; readers see it first", async () => {
    const { up, w, result } = await step("changed");
    expect(up.requests).toHaveLength(1);
    expect(result).toMatchObject({ changed: true, parsed: 1, bytes: new TextEncoder().encode(full).byteLength });
    expect(w.keys.sort()).toEqual(["issue:month:<issue>", "state:month", "status:month", "upstream:month"]);
    expect(w.deletes).toBe(0);
    const { res, body } = await reader();
    expect(body!.items).toHaveLength(22);
    expect(body!.items[0]!.title).toBe(newestTitle);
    expect(res.headers.get("X-Feedslice-Stale")).toBeNull();
    expect((await store.getStatus())!.failures).toBe(0);
  });

  it("the same body again from an upstream without validators: nothing written", async () => {
    const { w } = await step("same again");
    expect(w.puts + w.deletes).toBe(0);
  });

  it("GET /status reports the feed", async () => {
    await step("same again");
    const status = await (await SELF.fetch(`${HOST}/status`)).json<{ feeds: Record<string, unknown>[] }>();
    const month = status.feeds.find((f) => f.id === "month")!;
    expect(month).toMatchObject({ fetched: true, issues: 22, failures: 0, last_error: null, upstream_etag: '"v2"', upstream_status: 200 });
    expect((month.items as { sections: number }).sections).toBe(22 * 6);
    expect(month.last_change).toBe(minutes(400).toISOString());
    expect(month.last_attempt).not.toBeNull();
  });
});

describe("first requests", () => {
  it("several concurrent first requests for a never-fetched feed make one upstream fetch", async () => {
    await forgetFeed("twir");
    const body = await testFile("fixtures/upstream/twir-2026.atom.xml");
    const up = script(async () => {
      await new Promise((r) => setTimeout(r, 50));
      return new Response(body);
    });
    const responses = await Promise.all(Array.from({ length: 5 }, () => SELF.fetch(`${HOST}/feeds/twir.json`)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(up.requests).toHaveLength(1);
  });

  it("a never-fetched feed whose upstream fails is not asked again before its backoff ends", async () => {
    await forgetFeed("smol");
    const up = script(() => new Response(null, { status: 503 }));
    expect((await SELF.fetch(`${HOST}/feeds/smol.rss`)).status).toBe(502);
    const again = await SELF.fetch(`${HOST}/feeds/smol.rss`);
    expect(again.status).toBe(502);
    expect(await again.text()).toMatch(/answered HTTP 503 \(next try after /);
    expect(up.requests).toHaveLength(1);
  });
});

describe("POST /admin/refresh/:feed", () => {
  const post = (token?: string, feed = "twir") =>
    SELF.fetch(`${HOST}/admin/refresh/${feed}`, { method: "POST", headers: token ? { Authorization: `Bearer ${token}` } : {} });

  it("is off without an ADMIN_TOKEN", async () => {
    const res = await post("anything");
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/Admin routes are off: set the ADMIN_TOKEN secret/);
  });

  it("needs the token, and refreshes ignoring validators and backoff", async () => {
    const { adminRefreshRoute } = await import("../../src/routes/admin.js");
    const withToken = { ...env, ADMIN_TOKEN: "s3cret" };
    const req = (token?: string) =>
      new Request(`${HOST}/admin/refresh/twir`, { method: "POST", headers: token ? { Authorization: `Bearer ${token}` } : {} });
    const denied = await adminRefreshRoute(req("wrong"), withToken, "twir");
    expect(denied.status).toBe(401);
    expect(denied.headers.get("WWW-Authenticate")).toMatch(/^Bearer/);
    expect((await adminRefreshRoute(req(), withToken, "twir")).status).toBe(401);
    // twir stored, then deep in backoff.
    const twir = await testFile("fixtures/upstream/twir-2026.atom.xml");
    await forgetFeed("twir");
    script(() => new Response(twir));
    await refreshFeed(env, { id: "twir", url: "https://fixtures.test/fixtures/upstream/twir-2026.atom.xml", preset: "headings" });
    vi.restoreAllMocks();
    await new FeedStore(env.KV, "twir").putStatus({ failures: 3, nextAttempt: "2999-01-01T00:00:00.000Z" });
    const up = script(() => new Response(twir));
    const ok = await adminRefreshRoute(req("s3cret"), withToken, "twir");
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ feed: "twir", changed: false, issues: 4 });
    // Forced: asked despite the backoff, and without validators.
    expect(up.requests).toHaveLength(1);
    expect(up.requests[0]!.headers.get("If-None-Match")).toBeNull();
    expect((await new FeedStore(env.KV, "twir").getStatus())!.failures).toBe(0);
  });
});
