/**
 * npm run bench — the core pipeline in Node on the month of AINews (8.2 MB, 22 issues), beside a
 * naive baseline measured in the same run. Prints one table: median, min–max, runs, ratio.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readQuery, selectItems } from "../src/filter/index.js";
import type { FeedItem, Format } from "../src/model.js";
import { parseFeed } from "../src/parse/index.js";
import { FORMATS, renderFeed } from "../src/render/index.js";
import { buildState, type BuiltState } from "../src/storage/state.js";
import { naiveIngest } from "./baseline.js";

const RUNS = Number(process.env.RUNS ?? 9);
const FILE = join(import.meta.dirname, "../test/fixtures/upstream/ainews-buttondown-2024-04-month.rss.xml");
const URL_ = "https://buttondown.com/ainews/rss";
const xml = readFileSync(FILE, "utf8");

async function measure(fn: () => unknown): Promise<{ median: number; min: number; max: number }> {
  await fn(); // warm up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, min: times[0]!, max: times[times.length - 1]! };
}

const meta = (format: Format, n: number) => ({
  title: "AINews · by section",
  description: "bench",
  link: "https://buttondown.com/ainews",
  selfUrls: { rss: "https://x.example/a.rss", atom: "https://x.example/a.atom", json: "https://x.example/a.json" },
  format,
  updated: new Date(0).toISOString(),
  author: `AINews (${n})`,
});

const ingest = (): BuiltState => buildState(parseFeed(xml, URL_), { url: URL_, preset: "ainews", now: "2026-11-01T00:00:00.000Z" });
const query = (qs: string) => readQuery(new URLSearchParams(qs), new Date());
const select = (built: BuiltState, qs: string): Promise<FeedItem[]> =>
  selectItems(built.state, query(qs), async (key) => built.bodies.get(key) ?? null);
const renderAll = (items: FeedItem[]) => FORMATS.map((f) => renderFeed(meta(f, items.length), items));

const built = ingest();
const items = await select(built, "limit=200");
const topics50 = await select(built, "granularity=topic&limit=50");

const naive = () => {
  const issues = naiveIngest(xml);
  const naiveItems: FeedItem[] = issues.flatMap((issue) =>
    issue.sections.map((s, k) => ({
      id: `${issue.link}#${k}`,
      title: `${s.title} · ${issue.title}`,
      link: issue.link,
      date: new Date(issue.date).toISOString(),
      categories: [],
      html: s.topics.map((t) => t.html).join(""),
    })),
  );
  return renderAll(naiveItems);
};

const rows: [string, Awaited<ReturnType<typeof measure>>, string?][] = [];
const baseline = await measure(naive);
rows.push(["baseline: fast-xml-parser full parse + linkedom DOM split + render", baseline]);
const full = await measure(async () => renderAll(await select(ingest(), "limit=200")));
rows.push(["feedslice: parse + split + render (all sections, 3 formats)", full, `${(baseline.median / full.median).toFixed(1)}x faster`]);
rows.push(["  parse (fast-xml-parser, bodies as stop nodes)", await measure(() => parseFeed(xml, URL_))]);
const parsed = parseFeed(xml, URL_);
rows.push(["  split (tag scanner, all 22 issues)", await measure(() => buildState(parsed, { url: URL_, preset: "ainews", now: "x" }))]);
rows.push(["  filter: section=twitter&q=llama over all issues", await measure(() => select(built, "section=twitter&q=llama&limit=200"))]);
for (const f of FORMATS) rows.push([`  render ${items.length} section items as ${f}`, await measure(() => renderFeed(meta(f, items.length), items))]);
for (const f of FORMATS) rows.push([`  render 50 topic items as ${f}`, await measure(() => renderFeed(meta(f, 50), topics50))]);

const mb = (Buffer.byteLength(xml) / 1e6).toFixed(1);
console.log(`feedslice bench — ${mb} MB, ${built.state.issues.length} issues, ${items.length} section items; Node ${process.version}; ${RUNS} runs after a warm-up\n`);
console.log("| case | median ms | min–max ms | runs | vs baseline |");
console.log("|---|---:|---:|---:|---|");
for (const [name, m, ratio] of rows) {
  console.log(`| ${name} | ${m.median.toFixed(1)} | ${m.min.toFixed(1)}–${m.max.toFixed(1)} | ${RUNS} | ${ratio ?? ""} |`);
}
