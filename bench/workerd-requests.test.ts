/**
 * The benchmark inside workerd, through the worker (npm run bench; the cases are in
 * workerd-cases.test.ts): a rendered feed served twice, rendered then from the Cache API, and a
 * whole refresh (upstream fetch mocked, local KV) that brings one new issue. Wall times, with
 * performance.now(), which advances in local workerd. Prints tables; asserts nothing about time.
 */
import { env, SELF } from "cloudflare:test";
import decoder from "../src/parse/decode.wasm";
import { useWasmDecoder } from "../src/parse/bytes.js";
import { expect, it, vi } from "vitest";
import { refreshFeed } from "../src/storage/refresh.js";
import { testFile, withNewIssue } from "../test/helpers.js";
import type { Timing } from "./cases.js";

if (!useWasmDecoder(decoder)) throw new Error("the WebAssembly decoder could not be instantiated"); // as the Worker does (src/index.ts)

const RUNS = Number((env as { BENCH_RUNS?: string }).BENCH_RUNS ?? 21);

it("a cached response is served without rendering", async () => {
  await testFile("fixtures/upstream/ainews-buttondown-2024-04-month.rss.xml"); // the outbound stub is up
  const url = "https://feedslice.test/feeds/month/twitter.rss?granularity=topic&limit=50";
  await (await SELF.fetch("https://feedslice.test/feeds/month.json?limit=1")).text(); // first fetch of the feed: refresh
  const get = vi.spyOn(env.KV, "get");
  const serve = async (q: string) => {
    get.mockClear();
    const t = performance.now();
    const r = await SELF.fetch(`${url}${q}`);
    const body = await r.text();
    const ms = performance.now() - t;
    await new Promise((r) => setTimeout(r, 20)); // the cache write happens after the response
    return { ms, bytes: body.length, stateReads: get.mock.calls.filter((c: unknown[]) => String(c[0]).startsWith("state:")).length };
  };
  const rendered: number[] = [];
  const cached: number[] = [];
  let renderedReads = 0;
  let last = { ms: 0, stateReads: -1, bytes: 0 };
  for (let i = 0; i < RUNS; i++) {
    // A since= before the month changes the canonical URL, not the items: a feed not rendered yet…
    const since = `&since=${new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10)}`;
    const first = await serve(since);
    rendered.push(first.ms);
    renderedReads += first.stateReads;
    last = await serve(`${since}&utm_source=bench`); // …then the same canonical feed again: a cache hit
    cached.push(last.ms);
  }
  get.mockRestore();
  const s = (xs: number[]): Timing => {
    const sorted = [...xs].sort((a, b) => a - b);
    return { median: sorted[sorted.length >> 1]!, min: sorted[0]!, max: sorted[sorted.length - 1]!, runs: xs.length };
  };
  const row = (name: string, t: Timing) => `| ${name} | ${t.median.toFixed(2)} | ${t.min.toFixed(2)}–${t.max.toFixed(2)} | ${t.runs} |`;
  console.log(
    [
      "\n| request through the worker (wall time, local KV and Cache API) | median ms | min–max ms | runs |",
      "|---|---:|---:|---:|",
      row(`GET /feeds/month/twitter.rss?granularity=topic&limit=50 — rendered (${renderedReads} state read${renderedReads === 1 ? "" : "s"} in all: the isolate keeps the state it parsed)`, s(rendered)),
      row(`the same feed again — from the Cache API (${last.stateReads} state reads: not rendered)`, s(cached)),
      "",
    ].join("\n"),
  );
  expect(last.stateReads).toBe(0);
}, 600_000);

it("a whole incremental refresh: fetch, ingest, KV writes", async () => {
  const month = await (await fetch("https://fixtures.test/fixtures/upstream/ainews-buttondown-2024-04-month.rss.xml")).arrayBuffer();
  const next = new TextEncoder().encode(withNewIssue(new TextDecoder().decode(month)));
  const cfg = { id: "benchrefresh", url: "https://upstream.test/ainews.rss", preset: "ainews" as const };
  let body: ArrayBuffer | Uint8Array = month;
  // Sent with its length and uncompressed, as a plain upstream sends it: read whole (`arrayBuffer()`).
  const upstream = vi.spyOn(globalThis, "fetch").mockImplementation(async () => new Response(body.slice(0), { headers: { "content-length": String(body.byteLength) } }));
  const at = (minutes: number) => new Date(Date.UTC(2024, 4, 2, 6, minutes));
  await refreshFeed(env, cfg, { now: at(0) });
  // Time spent waiting on KV writes (local storage: disk I/O, not the worker's CPU).
  const kvPut = env.KV.put.bind(env.KV);
  let inPut = 0;
  const put = vi.spyOn(env.KV, "put").mockImplementation(async (...args: Parameters<KVNamespace["put"]>) => {
    const t = performance.now();
    await kvPut(...args);
    inPut += performance.now() - t;
  });
  const times: number[] = [];
  const withoutPuts: number[] = [];
  let parsed = 0;
  for (let i = 0; i < RUNS; i++) {
    body = month; // back to the month (the new issue falls off: itself an incremental refresh)…
    await refreshFeed(env, cfg, { now: at(2 * i + 1) });
    body = next; // …then the new issue arrives
    put.mockClear();
    inPut = 0;
    const t = performance.now();
    const result = await refreshFeed(env, cfg, { now: at(2 * i + 2) });
    times.push(performance.now() - t);
    withoutPuts.push(times[times.length - 1]! - inPut);
    parsed = result.parsed ?? -1;
  }
  const writes = put.mock.calls.map((c: unknown[]) => String(c[0]).replace(/:[0-9a-z]+-[0-9a-z]+$/, ":<issue>")).sort();
  upstream.mockRestore();
  put.mockRestore();
  const row = (name: string, xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return `| ${name} | ${sorted[sorted.length >> 1]!.toFixed(2)} | ${sorted[0]!.toFixed(2)}–${sorted[sorted.length - 1]!.toFixed(2)} | ${RUNS} |`;
  };
  console.log(
    [
      `\n| refreshFeed, one new issue on top of the stored month (mocked fetch: the body sent with its length; local KV); parsed ${parsed} entry; KV writes: ${writes.join(", ")} | median ms | min–max ms | runs |`,
      "|---|---:|---:|---:|",
      row("wall time of the whole refresh", times),
      row("the same, less the time awaiting KV writes (local disk)", withoutPuts),
      "",
    ].join("\n"),
  );
  expect(parsed).toBe(1);
}, 600_000);
