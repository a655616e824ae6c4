/**
 * What readers get from every fixture, as one line per response: `sha256 bytes status path`.
 * For refactors that must not change what a reader sees: run it before and after, and diff.
 *
 *   npm run outputs > /tmp/before.txt   (then change the code)
 *   npm run outputs > /tmp/after.txt && diff /tmp/before.txt /tmp/after.txt
 *
 * Every fixture under test/fixtures/upstream/ is a feed of the worker (its upstream served by the
 * ASSETS binding, as the bundled samples are), asked for through the worker's own `fetch` in
 * every format and granularity, as OPML, through a section path and a few filters, in the feed
 * index, and as the feed builder and a browser's view of a feed show it. KV is a Map; the clock is fixed, so that the dates a feed writes are the same run
 * after run. Bundled by esbuild (`npm run outputs`).
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";

const NOW = Date.parse("2026-12-01T12:00:00Z");
class FixedDate extends Date {
  constructor(...args: ConstructorParameters<typeof Date> | []) {
    if (args.length === 0) super(NOW);
    else super(...(args as ConstructorParameters<typeof Date>));
  }
  static override now(): number {
    return NOW;
  }
}
globalThis.Date = FixedDate as DateConstructor;

// The worker is typed against the Workers runtime, this script against Node: imported untyped
// (a specifier typed `string` is not followed by tsc; esbuild, which drops the cast, bundles it).
const { default: worker } = (await import("../src/index.js" as string)) as { default: { fetch(request: Request, env: unknown, ctx: unknown): Promise<Response> } };
// The bundle holds the decoder's bytes (esbuild's binary loader); the Worker is given a Module.
const { useWasmDecoder } = await import("../src/parse/bytes.js");
if (!useWasmDecoder(new WebAssembly.Module(readFileSync(new URL("../src/parse/decode.wasm", import.meta.url))))) throw new Error("the WebAssembly decoder could not be instantiated");

const DIR = new URL("../test/fixtures/upstream/", import.meta.url);
const files = [...readdirSync(DIR).filter((f) => f.endsWith(".xml") || f.endsWith(".json")), ...["real", "found"].flatMap((dir) => readdirSync(new URL(`${dir}/`, DIR)).filter((f) => f.endsWith(".xml")).map((f) => `${dir}/${f}`))].sort();
const feeds = files.map((f) => ({ id: f.replace(/^(real|found)\//, "").replace(/\.(rss|atom)?\.?(xml|json)$/, ""), url: `/${f}`, ...(f.startsWith("ainews") ? { preset: "ainews" } : {}) }));

const env = {
  FEEDS: JSON.stringify(feeds),
  ALLOW_PRIVATE_UPSTREAMS: "true",
  PARSE_BUDGET_BYTES: "0",
  KV: memoryKv(),
  ASSETS: { fetch: async (req: Request) => new Response(readFileSync(new URL(new URL(req.url).pathname.slice(1), DIR))) },
};

async function get(path: string, headers: Record<string, string> = {}): Promise<Uint8Array> {
  const waits: Promise<unknown>[] = [];
  const ctx = { waitUntil: (p: Promise<unknown>) => void waits.push(p), passThroughOnException() {} };
  const res = await worker.fetch(new Request(`https://feedslice.example${path}`, { headers }), env, ctx);
  const body = new Uint8Array(await res.arrayBuffer());
  await Promise.all(waits);
  console.log(`${createHash("sha256").update(body).digest("hex").slice(0, 16)} ${String(body.length).padStart(8)} ${res.status} ${path}${Object.keys(headers).length ? ` ${JSON.stringify(headers)}` : ""}`);
  return body;
}

// The index fetches every feed, and names their sections.
const index = JSON.parse(new TextDecoder().decode(await get("/feeds"))) as { feeds: { id: string; sections: { id: string }[] }[] };
for (const { id, sections } of index.feeds) {
  for (const format of ["rss", "atom", "json"]) for (const g of ["issue", "section", "topic"]) await get(`/feeds/${id}.${format}?granularity=${g}&limit=200`);
  await get(`/feeds/${id}.opml`);
  if (sections[0]) await get(`/feeds/${sections[0].id === "intro" && sections[1] ? `${id}/${sections[1].id}` : `${id}/${sections[0].id}`}.atom?granularity=topic`);
  await get(`/feeds/${id}.json?q=the&exclude_q=and&granularity=topic&limit=50`);
  // The feed builder with a preview, with a 400 beside its field, and a feed as a browser sees it.
  await get(`/?feed=${id}&q=the&granularity=topic`);
  await get(`/?feed=${id}&limit=0`);
  await get(`/feeds/${id}.rss?granularity=topic`, { "Sec-Fetch-Dest": "document" });
}
await get("/");

function memoryKv() {
  const map = new Map<string, string | Uint8Array>();
  const bytes = (v: string | Uint8Array) => (typeof v === "string" ? new TextEncoder().encode(v) : v);
  return {
    async get(key: string, type: string | { type: string } = "text") {
      const v = map.get(key);
      if (v === undefined) return null;
      const t = typeof type === "string" ? type : type.type;
      if (t === "arrayBuffer") return bytes(v).slice().buffer;
      const text = typeof v === "string" ? v : new TextDecoder().decode(v);
      return t === "json" ? JSON.parse(text) : text;
    },
    async put(key: string, value: string | Uint8Array | ArrayBuffer) {
      map.set(key, typeof value === "string" ? value : new Uint8Array(value).slice());
    },
    async delete(key: string) {
      map.delete(key);
    },
    async list({ prefix = "" }: { prefix?: string } = {}) {
      return { keys: [...map.keys()].filter((k) => k.startsWith(prefix)).map((name) => ({ name })), list_complete: true };
    },
  };
}
