/**
 * npm run bench — the core pipeline in Node on the month of AINews (8.2 MB, 22 issues), beside a
 * naive baseline measured in the same run. Prints one table: median, min–max, runs, ratio.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pickItems, toFeedItem } from "../src/filter/index.js";
import type { FeedItem, Format } from "../src/model.js";
import { parseFeed } from "../src/parse/index.js";
import { FORMATS, renderFeed } from "../src/render/index.js";
import { buildState, type BuiltState } from "../src/storage/state.js";
import { naiveIngest } from "./baseline.js";

const RUNS = Number(process.env.RUNS ?? 9);
const FILE = join(import.meta.dirname, "../test/fixtures/upstream/ainews-buttondown-2024-04-month.rss.xml");
const URL_ = "https://buttondown.com/ainews/rss";
const xml = readFileSync(FILE, "utf8");

function measure(fn: () => unknown): { median: number; min: number; max: number } {
  fn(); // warm up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    fn();
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
const sectionItems = (built: BuiltState): FeedItem[] =>
  pickItems(built.state, { granularity: "section", limit: 200 }).map((p) => toFeedItem(p, built.bodies.get(p.issue.key)!));
const renderAll = (items: FeedItem[]) => FORMATS.map((f) => renderFeed(meta(f, items.length), items));

const built = ingest();
const items = sectionItems(built);
const twitter50 = pickItems(built.state, { granularity: "topic", limit: 50 }).map((p) => toFeedItem(p, built.bodies.get(p.issue.key)!));

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

const rows: [string, ReturnType<typeof measure>, string?][] = [];
const baseline = measure(naive);
rows.push(["baseline: fast-xml-parser full parse + linkedom DOM split + render", baseline]);
const full = measure(() => renderAll(sectionItems(ingest())));
rows.push(["feedslice: parse + split + render (all sections, 3 formats)", full, `${(baseline.median / full.median).toFixed(1)}x faster`]);
rows.push(["  parse (fast-xml-parser, bodies as stop nodes)", measure(() => parseFeed(xml, URL_))]);
const parsed = parseFeed(xml, URL_);
rows.push(["  split (tag scanner, all 22 issues)", measure(() => buildState(parsed, { url: URL_, preset: "ainews", now: "x" }))]);
for (const f of FORMATS) rows.push([`  render ${items.length} section items as ${f}`, measure(() => renderFeed(meta(f, items.length), items))]);
for (const f of FORMATS) rows.push([`  render 50 topic items as ${f}`, measure(() => renderFeed(meta(f, 50), twitter50))]);

const mb = (Buffer.byteLength(xml) / 1e6).toFixed(1);
console.log(`feedslice bench — ${mb} MB, ${built.state.issues.length} issues, ${items.length} section items; Node ${process.version}; ${RUNS} runs after a warm-up\n`);
console.log("| case | median ms | min–max ms | runs | vs baseline |");
console.log("|---|---:|---:|---:|---|");
for (const [name, m, ratio] of rows) {
  console.log(`| ${name} | ${m.median.toFixed(1)} | ${m.min.toFixed(1)}–${m.max.toFixed(1)} | ${RUNS} | ${ratio ?? ""} |`);
}
