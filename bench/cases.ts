/**
 * The benchmark cases, each with the baseline it is compared with. Plain TypeScript on the core
 * (no Node or Workers globals), so that the same cases run in Node (bench/bench.ts) and in
 * workerd (bench/workerd.bench.ts).
 */
import { readQuery, selectItems } from "../src/filter/index.js";
import { hash53 } from "../src/lib/hash.js";
import type { FeedItem, FeedMeta, Format } from "../src/model.js";
import { decodeBody, scanFeed, scanFeedBytes } from "../src/parse/index.js";
import { sanitizeUtf8 } from "../src/sanitize/index.js";
import { FORMATS, renderFeed } from "../src/render/index.js";
import { ingest } from "../src/storage/ingest.js";
import { buildState } from "../src/storage/build.js";
import { DEFAULT_PARSE_BUDGET_BYTES, type FeedState } from "../src/storage/state.js";
import { splitBytes } from "../src/split/index.js";
import { naiveIngest } from "./baseline.js";
import { splitBytes as previousSplit } from "./previous-split/index.js";

export interface Case {
  name: string;
  run: () => unknown;
  baseline?: { name: string; run: () => unknown };
  /** The target, in ms, when the issue sets one. */
  target?: number;
}

export const UPSTREAM_URL = "https://buttondown.com/ainews/rss";
const CFG = { url: UPSTREAM_URL, preset: "ainews" as const };
const NOW = "2024-05-02T06:00:00.000Z";

/**
 * `month`: the month of AINews (8.2 MB, 22 issues) as bytes; `next`: the same with one new issue
 * at the top (test/helpers.ts withNewIssue).
 */
export async function makeCases(month: Uint8Array, next: Uint8Array, email?: Uint8Array): Promise<Case[]> {
  const text = (b: Uint8Array) => decodeBody(b, "application/rss+xml");

  // Cold: nothing stored yet. What the refresh does before its KV writes.
  const cold = () => ingest(CFG, month, { contentType: "application/rss+xml", url: UPSTREAM_URL, now: NOW });
  const naive = () => naiveIngest(text(month));

  // A first fetch spread over refreshes (PARSE_BUDGET_BYTES, 500 KB by default): the first refresh,
  // and one that goes on with the same body once half the month is stored.
  const budget = DEFAULT_PARSE_BUDGET_BYTES;
  const first = () => ingest(CFG, month, { contentType: "application/rss+xml", url: UPSTREAM_URL, now: NOW, maxParseBytes: budget });
  let half = first().state;
  while (half.issues.length < 11) half = ingest(CFG, month, { contentType: "application/rss+xml", url: UPSTREAM_URL, now: NOW, previous: half, stopAtKnown: true, maxParseBytes: budget }).state;
  const goOn = () => ingest(CFG, month, { contentType: "application/rss+xml", url: UPSTREAM_URL, now: NOW, previous: half, stopAtKnown: true, maxParseBytes: budget });
  const firstParsed = first().parsed;
  const goOnParsed = goOn().parsed;

  // Incremental: the month is stored, upstream has one issue more.
  const stored = cold().state;
  const storedJson = JSON.stringify(stored);
  const incremental = () => ingest(CFG, next, { contentType: "application/rss+xml", url: UPSTREAM_URL, now: NOW, previous: stored, stopAtKnown: true });
  const fullPass = () => ingest(CFG, next, { contentType: "application/rss+xml", url: UPSTREAM_URL, now: NOW, previous: stored });
  const unchanged = () => ingest(CFG, month, { contentType: "application/rss+xml", url: UPSTREAM_URL, now: NOW, previous: stored, stopAtKnown: true });
  // The refresh before it read bytes: decode the whole body, hash it (the unchanged-body check),
  // cut every entry out of the text and hash it, parse what is new.
  const storedByText: FeedState = buildState(scanFeed(text(month), UPSTREAM_URL), { ...CFG, now: NOW }).state;
  const wholeBody = (b: Uint8Array) => () => {
    const body = text(b);
    hash53(body);
    return buildState(scanFeed(body, UPSTREAM_URL), { ...CFG, now: NOW, previous: storedByText });
  };

  // Render (to UTF-8): a section's feed, 50 items (/feeds/ainews/twitter.rss?granularity=topic&limit=50), and
  // the Twitter recaps whole (/feeds/ainews/twitter.rss: one item per issue, 22).
  const { state, bodies } = cold();
  const select = (qs: string) => selectItems(state, readQuery(new URLSearchParams(qs), new Date()), async (k) => bodies.get(k) ?? null);
  const topics = await select("section=twitter&granularity=topic&limit=50");
  const sections = await select("section=twitter&limit=50");
  const { renderWithFeedPackage } = await import("./baseline.js");

  // The sanitizer on its own: every issue's HTML as the parse stage hands it over (bench/bench.ts
  // sets the sanitize-html library beside it in Node).
  const decoded = [...scanFeedBytes(month, "application/rss+xml", UPSTREAM_URL).entries].map((e) => e.parse().utf8!);
  const htmlMb = decoded.reduce((n, u) => n + u.bytes.length, 0) / 1e6;
  // The splitter on its own, on the sanitized HTML, beside the one that cut at top-level elements
  // only (bench/previous-split/, kept as it was): the month, and an email-layout issue.
  const clean = decoded.map(sanitizeUtf8);
  const emailHtml = email ? [...scanFeedBytes(email, "application/rss+xml", "https://example.com/").entries].map((e) => sanitizeUtf8(e.parse().utf8!)) : [];

  const cases: Case[] = [
    {
      name: `cold ingest: the month, ${(month.length / 1e6).toFixed(1)} MB, ${stored.issues.length} issues (read, parse, split, build state)`,
      run: cold,
      baseline: { name: "decode + fast-xml-parser full parse + linkedom DOM split", run: naive },
      target: 50,
    },
    {
      name: `  of which the sanitizer: every issue's HTML (${htmlMb.toFixed(1)} MB; per MB: the median ÷ ${htmlMb.toFixed(1)})`,
      run: () => decoded.map(sanitizeUtf8),
    },
    {
      name: `  of which the splitter: every issue's sanitized HTML (finds cuts at any depth)`,
      run: () => clean.map((c) => splitBytes(c, "ainews")),
      baseline: { name: "the splitter it replaced (top-level cuts only)", run: () => clean.map((c) => previousSplit(c, "ainews")) },
    },
    ...(emailHtml.length
      ? [
          {
            name: `split an email-layout issue (Times Top10, ${Math.round(emailHtml[0]!.bytes.length / 1000)} KB of table layout: 13 sections)`,
            run: () => emailHtml.map((c) => splitBytes(c, "headings")),
            baseline: { name: "the splitter it replaced (finds nothing to cut)", run: () => emailHtml.map((c) => previousSplit(c, "headings")) },
            target: 10,
          },
        ]
      : []),
    {
      name: `  the first refresh of a budgeted first fetch (500 KB of entries: the newest ${firstParsed === 1 ? "issue" : `${firstParsed} issues`}; the rest left for later)`,
      run: first,
      baseline: { name: "the whole month at once (the cold ingest)", run: cold },
      target: 10,
    },
    {
      name: `  a refresh that goes on, the same body (${half.issues.length} issues stored, the next ${goOnParsed === 1 ? "one" : goOnParsed} parsed)`,
      run: goOn,
      target: 10,
    },
    {
      name: "incremental refresh: one new issue on top of the stored month (stops at the first known entry)",
      run: incremental,
      baseline: { name: "the whole-body path: decode + hash the body, cut and hash every entry, parse the new one", run: wholeBody(next) },
      target: 10,
    },
    {
      name: "  the same upstream in a full pass (a forced refresh: every entry hashed)",
      run: fullPass,
      baseline: { name: "the whole-body path", run: wholeBody(next) },
    },
    {
      // Not part of the ingest: what a refresh that writes also spends on the state's JSON.
      name: `  the stored state's JSON read and written back (${Math.round(storedJson.length / 1000)} KB: parse + stringify)`,
      run: () => JSON.stringify(JSON.parse(storedJson)),
    },
    {
      name: "  the same body again (nothing new)",
      run: unchanged,
      baseline: { name: "the whole-body path (decode + hash the body)", run: () => hash53(text(month)) },
    },
  ];
  for (const [items, what, target] of [
    [topics, `a section feed, ${topics.length} items (Twitter, by topic, ${kb(topics)} KB of HTML)`, 3],
    [sections, `a section feed, ${sections.length} items (Twitter recaps whole, ${kb(sections)} KB of HTML)`, undefined],
  ] as const) {
    for (const format of FORMATS) {
      cases.push({
        name: `render ${what} as ${format}`,
        // To UTF-8 bytes, as a response body: a string built by concatenation is flattened there.
        run: () => utf8.encode(renderFeed(meta(format, items), items)),
        baseline: { name: "the `feed` package (RSS/Atom), JSON.stringify (JSON Feed)", run: () => utf8.encode(renderWithFeedPackage(meta(format, items), items)) },
        target,
      });
    }
  }
  return cases;
}

const utf8 = new TextEncoder();
const kb = (items: FeedItem[]) => Math.round(items.reduce((n, i) => n + i.html.length, 0) / 1000);

function meta(format: Format, items: FeedItem[]): FeedMeta {
  const self = "https://feedslice.example/feeds/ainews/twitter";
  return {
    title: "AINews · AI Twitter Recap · by topic",
    description: "“AI Twitter Recap” from AINews, one item per topic. Split from https://buttondown.com/ainews by feedslice.",
    link: "https://buttondown.com/ainews",
    selfUrls: { rss: `${self}.rss?granularity=topic`, atom: `${self}.atom?granularity=topic`, json: `${self}.json?granularity=topic` },
    format,
    language: "en-us",
    updated: items[0]?.date ?? NOW,
    author: "AINews",
  };
}

const gc = (globalThis as { gc?: () => void }).gc;

export interface Timing {
  median: number;
  min: number;
  max: number;
  runs: number;
}

/**
 * Time each case and its baseline, after one warm-up run of each, in alternating blocks of
 * `block` runs (case, baseline, case, …), so that a slow spell of a noisy machine hits both. `now`
 * is the clock. With a coarse clock (workerd's moves by whole milliseconds), `minSampleMs` makes
 * each sample the mean of as many back-to-back runs as fill about that long (judged from the
 * warm-up). Where the runtime exposes gc() (node --expose-gc), a full collection precedes every
 * block, outside its time, so that one side's garbage is not collected in the other's time; the
 * runs of a block pay for their own garbage, as a worker doing the same work again would. A full
 * collection also gives memory back to the system (more so after the baseline's 150 MB), and the
 * next runs fault it in again: each block starts with `settle` runs that are not timed. With
 * `block` 1 and `settle` 0 every run starts right after a collection (the bench reports that too).
 */
export function measure(c: Case, runs: number, now: () => number, minSampleMs = 0, block = BLOCK, settle = 1): { case: Timing; baseline?: Timing } {
  const warm = (fn: () => unknown) => {
    const t = now();
    fn();
    return now() - t;
  };
  const reps = (ms: number) => (minSampleMs ? Math.min(50, Math.max(1, Math.round(minSampleMs / Math.max(ms, 0.5)))) : 1);
  const ownReps = reps(warm(c.run));
  const baseReps = c.baseline ? reps(warm(c.baseline.run)) : 1;
  const sample = (fn: () => unknown, n: number) => {
    const t = now();
    for (let k = 0; k < n; k++) fn();
    return (now() - t) / n;
  };
  const own: number[] = [];
  const base: number[] = [];
  const runBlock = (fn: () => unknown, n: number, into: number[]) => {
    gc?.();
    for (let k = 0; k < settle; k++) fn();
    for (let k = 0; k < block && into.length < runs; k++) into.push(sample(fn, n));
  };
  while (own.length < runs) {
    runBlock(c.run, ownReps, own);
    if (c.baseline) runBlock(c.baseline.run, baseReps, base);
  }
  return { case: stats(own), baseline: c.baseline ? stats(base) : undefined };
}

/** Runs per block in `measure`. */
export const BLOCK = 7;

function stats(times: number[]): Timing {
  const sorted = [...times].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, runs: sorted.length };
}

/** The table, as Markdown. */
export function table(rows: { c: Case; t: ReturnType<typeof measure> }[]): string {
  const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(n >= 10 ? 1 : 2));
  const lines = [
    "| case | median ms | min–max ms | runs | target | baseline | baseline median ms | baseline min–max ms | ratio |",
    "|---|---:|---:|---:|---|---|---:|---:|---:|",
  ];
  for (const { c, t } of rows) {
    const b = t.baseline;
    const target = c.target === undefined ? "" : `≤ ${c.target} ms ${t.case.median <= c.target ? "✓" : "✗"}`;
    lines.push(
      `| ${c.name} | ${ms(t.case.median)} | ${ms(t.case.min)}–${ms(t.case.max)} | ${t.case.runs} | ${target} | ${c.baseline?.name ?? ""} | ${b ? ms(b.median) : ""} | ${b ? `${ms(b.min)}–${ms(b.max)}` : ""} | ${b ? `${(b.median / t.case.median).toFixed(1)}x` : ""} |`,
    );
  }
  return lines.join("\n");
}
