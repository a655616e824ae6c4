import { readFile } from "node:fs/promises";
import { Readable } from "node:stream";
import { join, normalize } from "node:path";
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { HOSTILE_CONFIG, HOSTILE_FEEDS } from "./test/hostile/feeds.js";
import { type Output, validate } from "./test/hostile/validate.js";
import { providerStub } from "./test/translate/stub.js";

const TEST_DIR = join(import.meta.dirname, "test");

// workerd logs "disconnected: WebSocket peer disconnected" each time the test runner closes its
// connection at the end of a test file (the pool forwards it to the console): that is no failure, and a
// line like it should mean one. Dropped here, in the process that prints it.
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream);
  stream.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
    String(chunk).includes("WebSocket peer disconnected") ? true : write(chunk, ...rest)) as typeof stream.write;
}

/** The upstreams the tests' worker is configured with: the fixture files, served below. */
export const TEST_FEEDS = [
  { id: "ainews", url: "https://fixtures.test/fixtures/upstream/ainews-buttondown-2024-04.rss.xml", title: "AINews", preset: "ainews" },
  { id: "smol", url: "https://fixtures.test/fixtures/upstream/ainews-smol-2025-2026.rss.xml", preset: "ainews" },
  { id: "twir", url: "https://fixtures.test/fixtures/upstream/twir-2026.atom.xml" },
  { id: "month", url: "https://fixtures.test/fixtures/upstream/ainews-buttondown-2024-04-month.rss.xml", preset: "ainews" },
  { id: "sample", url: "/ainews-2024-04.rss.xml", preset: "ainews" },
  { id: "broken", url: "https://status.test/500" },
  { id: "internal", url: "http://127.0.0.1:9/feed.xml" },
];

const TYPES: Record<string, string> = { xml: "application/xml", json: "application/feed+json", html: "text/html" };

/**
 * Every outbound fetch of the worker under test lands here, in Node:
 *   https://fixtures.test/<path under test/>  a fixture file (404 if missing), with its length
 *                                            (?as=chunked: as a stream of unknown length, 64 KB a piece)
 *   https://status.test/<code>               an empty response with that status
 *   https://redirect.test/?to=<url>          a 302 to <url>
 *   https://openai.test/…, https://api-free.deepl.com/…   translation APIs (test/translate/stub.ts)
 *   https://hostile.test/<id>                a hostile upstream (test/hostile/feeds.ts)
 *   POST https://validate.test/              outputs checked by real parsers (test/hostile/validate.ts)
 */
async function outbound(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const provider = providerStub(request);
  if (provider) return provider;
  if (url.hostname === "fixtures.test") {
    const path = normalize(join(TEST_DIR, decodeURIComponent(url.pathname)));
    if (!path.startsWith(TEST_DIR)) return new Response("outside test/", { status: 403 });
    try {
      const body = await readFile(path);
      const headers: Record<string, string> = { "Content-Type": TYPES[path.split(".").pop()!] ?? "application/octet-stream" };
      if (url.searchParams.get("as") === "chunked") return new Response(Readable.toWeb(Readable.from(chunks(body, 65536))) as ReadableStream, { headers });
      return new Response(body, { headers: { ...headers, "Content-Length": String(body.length) } });
    } catch {
      return new Response("no such fixture", { status: 404 });
    }
  }
  if (url.hostname === "hostile.test") {
    const feed = HOSTILE_FEEDS.find((f) => f.id === url.pathname.slice(1));
    return feed ? new Response(feed.body as BodyInit, { headers: { "Content-Type": feed.contentType } }) : new Response("no such feed", { status: 404 });
  }
  if (url.hostname === "validate.test") {
    const outputs = (await request.json()) as Output[];
    return Response.json(validate(outputs, join(TEST_DIR, "render/testdata/atom.rnc")));
  }
  if (url.hostname === "status.test") return new Response(null, { status: Number(url.pathname.slice(1)) });
  if (url.hostname === "redirect.test") return new Response(null, { status: 302, headers: { Location: url.searchParams.get("to")! } });
  return new Response(`the tests reach no network (${url.href})`, { status: 599 });
}

/** `body` in pieces of `size` bytes, as a network delivers it. */
function* chunks(body: Buffer, size: number): Generator<Buffer> {
  for (let at = 0; at < body.length; at += size) yield body.subarray(at, at + size);
}

const workerd = (bindings: Record<string, string> = {}) =>
  cloudflareTest({
    wrangler: { configPath: "./wrangler.toml" },
    remoteBindings: false,
    miniflare: {
      // A refresh parses every entry at once, unless a test sets a budget (test/storage/budget.test.ts).
      bindings: { FEEDS: JSON.stringify(TEST_FEEDS), ALLOW_PRIVATE_UPSTREAMS: "false", PARSE_BUDGET_BYTES: "0", ...bindings },
      outboundService: outbound,
    },
  });


export default defineConfig({
  test: {
    testTimeout: 30_000,
    projects: [
      {
        plugins: [workerd()],
        // Everything that touches Workers behaviour: workerd, real local KV, outbound fetches stubbed.
        test: { name: "workers", include: ["test/**/*.test.ts"], exclude: ["test/**/*.node.test.ts", "test/hostile/**"], testTimeout: 30_000 },
      },
      {
        // The hostile corpus through the worker: its own upstreams (test/hostile/feeds.ts).
        plugins: [workerd({ FEEDS: JSON.stringify(HOSTILE_CONFIG), ADMIN_TOKEN: "hostile-admin" })],
        test: { name: "hostile", include: ["test/hostile/**/*.test.ts"], exclude: ["test/hostile/**/*.node.test.ts"], testTimeout: 120_000 },
      },
      // The core in plain Node, checked by external validators.
      { test: { name: "node", include: ["test/**/*.node.test.ts"], environment: "node", testTimeout: 60_000 } },
      // The benchmark in workerd: only with FEEDSLICE_BENCH set (npm run bench), never in npm test.
      ...(process.env.FEEDSLICE_BENCH
        ? [{ plugins: [workerd({ BENCH_RUNS: process.env.RUNS ?? "21" })], test: { name: "bench", include: ["bench/workerd-*.test.ts"], testTimeout: 600_000 } }]
        : []),
    ],
  },
});
