/**
 * Rendered feeds checked by real, independent parsers: the RFC 4287 RELAX NG schema (jing) for
 * Atom, and Python's feedparser — the parser behind many readers — for RSS, which must parse
 * without a warning (bozo = 0). Debian's feedparser (6.0) predates JSON Feed, so JSON Feed output
 * is checked against the rules of the JSON Feed 1.1 specification here. Runs in Node, on the core
 * pipeline, for every fixture, and for translated feeds (a stand-in translator that writes CJK text).
 * Needs `jing` and `python3-feedparser` (Debian packages; .ci/run installs them).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readQuery, selectItems } from "../../src/filter/index.js";
import type { Format, Granularity } from "../../src/model.js";
import { parseFeed } from "../../src/parse/index.js";
import { CONTENT_TYPES, renderFeed } from "../../src/render/index.js";
import { buildState } from "../../src/storage/build.js";
import { translateItems, type TranslationRecord } from "../../src/translate/index.js";
import { JING, PYTHON } from "../hostile/validate.js";
import { expectEvery } from "../expect.js";

const here = import.meta.dirname;
if (!PYTHON || !JING) console.warn("render validity: install jing and python3-feedparser to run these checks");

const FEEDS = [
  ["ainews-buttondown-2024-04.rss.xml", "ainews"],
  ["ainews-smol-2025-2026.rss.xml", "ainews"],
  ["twir-2026.atom.xml", "headings"],
] as const;
const CASES: { file: string; preset: "ainews" | "headings"; granularity: Granularity; lang?: string; bilingual?: boolean }[] = [
  ...FEEDS.flatMap(([file, preset]) => (["issue", "section", "topic"] as Granularity[]).map((granularity) => ({ file, preset, granularity }))),
  { file: FEEDS[0][0], preset: "ainews", granularity: "section", lang: "zh" },
  { file: FEEDS[0][0], preset: "ainews", granularity: "topic", lang: "zh", bilingual: true },
];

/** A stand-in translator: text runs become Chinese-looking text, markup and placeholders stay. */
async function translated(items: Awaited<ReturnType<typeof selectItems>>, lang: string, bilingual: boolean) {
  const records = new Map<string, TranslationRecord>();
  const result = await translateItems(items, {
    provider: {
      id: "stand-in",
      model: "stand-in",
      batch: { units: 1, chars: 4000 },
      translate: async ([t]) => [t!.replace(/(^|>)([^<]*)/g, (m, gt: string, x: string) => (/\p{L}/u.test(x) ? `${gt}译文「${x}」` : m))],
    },
    lang,
    bilingual,
    store: { load: async (id) => records.get(id) ?? null, save: async (id, r) => void records.set(id, r) },
    budget: { take: async () => true, refund: () => {}, commit: async () => {} },
    waitMs: Infinity,
    concurrency: 4,
  });
  expect(result.untranslated).toBe(0);
  return result.items;
}
const dir = mkdtempSync(join(tmpdir(), "feedslice-validity-"));

async function render(file: string, preset: "ainews" | "headings", granularity: Granularity, format: Format, lang?: string, bilingual = false): Promise<string> {
  const url = `https://upstream.example/${file}`;
  const feed = parseFeed(readFileSync(join(here, "../fixtures/upstream", file), "utf8"), url);
  const { state, bodies } = buildState(feed, { url, preset, now: "2026-11-01T00:00:00.000Z" });
  const query = readQuery(new URLSearchParams({ granularity, limit: "200" }), new Date());
  const selected = await selectItems(state, query, async (key) => bodies.get(key) ?? null);
  const items = lang ? await translated(selected, lang, bilingual) : selected;
  const self = `https://feedslice.example/feeds/x.${format}?granularity=${granularity}&limit=200`;
  return renderFeed(
    {
      title: `${feed.title} · by ${granularity}`,
      description: "validity check",
      link: feed.link,
      selfUrls: { rss: self.replace(`.${format}`, ".rss"), atom: self.replace(`.${format}`, ".atom"), json: self.replace(`.${format}`, ".json") },
      format,
      language: lang ?? feed.language,
      updated: items[0]!.date,
      author: feed.title,
    },
    items,
  );
}

describe.skipIf(!JING)("Atom validates against the RFC 4287 schema", () => {
  it.each(CASES)("$file by $granularity $lang", async ({ file, preset, granularity, lang, bilingual }) => {
    const path = join(dir, `${file}.${granularity}.${lang ?? ""}.atom.xml`);
    writeFileSync(path, await render(file, preset, granularity, "atom", lang, bilingual));
    const out = (() => {
      try {
        return execFileSync("jing", ["-c", join(here, "testdata/atom.rnc"), path], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
      } catch (e) {
        return String((e as { stdout?: string }).stdout ?? e);
      }
    })();
    expect(out).toBe("");
  });
});

describe.skipIf(!PYTHON)("RSS parses in feedparser without warnings", () => {
  it.each(CASES.map((c) => ({ ...c, format: "rss" as Format })))(
    "$file by $granularity $lang",
    async ({ file, preset, granularity, format, lang, bilingual }) => {
      const path = join(dir, `${file}.${granularity}.${lang ?? ""}.${format}`);
      writeFileSync(path, await render(file, preset, granularity, format, lang, bilingual));
      const report = execFileSync(
        PYTHON!,
        ["-c", "import calendar,feedparser,json,sys; d=feedparser.parse(sys.argv[1], response_headers={'content-type': sys.argv[2]}); print(json.dumps({'bozo': int(d.bozo), 'err': str(d.get('bozo_exception','')), 'version': d.version, 'n': len(d.entries), 'self': [l.href for l in d.feed.get('links', []) if l.get('rel') == 'self'], 'titled': all(e.get('title') for e in d.entries), 'ids': len({e.id for e in d.entries}), 'language': d.feed.get('language'), 'dates': [calendar.timegm(e.published_parsed) for e in d.entries]}))", path, CONTENT_TYPES[format]],
        { encoding: "utf8" },
      );
      const r = JSON.parse(report);
      expect(r).toMatchObject({ bozo: 0, err: "", titled: true });
      expect(r.version).toBe("rss20");
      expect(r.n).toBeGreaterThan(0);
      expect(r.ids).toBe(r.n); // every entry has its own id
      expect(r.self).toHaveLength(1);
      if (lang) expect(r.language).toBe(lang);
      // Sorted by date, newest first, as a reader lists them: the feed's own order, no two alike.
      expect([...r.dates].sort((a: number, b: number) => b - a)).toEqual(r.dates);
      expect(new Set(r.dates).size).toBe(r.n);
    },
  );
});

describe.skipIf(!PYTHON)("Atom in feedparser: text titles, entries in issue order by date", () => {
  it.each(CASES.filter((c) => c.granularity !== "issue"))("$file by $granularity $lang", async ({ file, preset, granularity, lang, bilingual }) => {
    const path = join(dir, `${file}.${granularity}.${lang ?? ""}.fp.atom.xml`);
    writeFileSync(path, await render(file, preset, granularity, "atom", lang, bilingual));
    const script =
      "import calendar,feedparser,json,sys; d=feedparser.parse(sys.argv[1]); " +
      "print(json.dumps({'bozo': int(d.bozo), 'types': sorted({e.title_detail.type for e in d.entries}), 'dates': [calendar.timegm(e.updated_parsed) for e in d.entries]}))";
    const r = JSON.parse(execFileSync(PYTHON!, ["-c", script, path], { encoding: "utf8" }));
    expect(r.bozo).toBe(0);
    expect(r.types).toEqual(["text/plain"]);
    expect([...r.dates].sort((a: number, b: number) => b - a)).toEqual(r.dates);
    expect(new Set(r.dates).size).toBe(r.dates.length);
  });
});

describe("JSON Feed follows the 1.1 specification", () => {
  const isUrl = (v: unknown) => typeof v === "string" && /^https?:\/\/\S+$/.test(v);
  const isDate = (v: unknown) => typeof v === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(v);
  it.each(CASES)("$file by $granularity $lang", async ({ file, preset, granularity, lang, bilingual }) => {
    const feed = JSON.parse(await render(file, preset, granularity, "json", lang, bilingual));
    if (lang) expect(feed.language).toBe(lang);
    expect(feed.version).toBe("https://jsonfeed.org/version/1.1");
    expect(typeof feed.title).toBe("string");
    expect(isUrl(feed.home_page_url) && isUrl(feed.feed_url)).toBe(true);
    expectEvery(feed.authors, (a: { name?: string }) => typeof a.name === "string");
    const ids = new Set<string>();
    for (const item of feed.items) {
      expect(typeof item.id).toBe("string"); // ids are strings, unique within the feed
      ids.add(item.id);
      expect(typeof item.content_html).toBe("string");
      expect(isUrl(item.url)).toBe(true);
      expect(isDate(item.date_published)).toBe(true);
      if (item.tags !== undefined) expectEvery(item.tags, (t: unknown) => typeof t === "string");
    }
    expect(ids.size).toBe(feed.items.length);
  });
});
